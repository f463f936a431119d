/**
 * The engine side of the plugin API (api.ts is the plugin side): the
 * installed plugins and their callbacks, the handles given to them, the
 * per-vCPU scoreboards, and the instrumentation of translated blocks.
 *
 * Life cycle: `attach(env)` binds the runtime to a running emulator (its
 * arena, logs, CPUs); plugins are then installed (`install`), and the
 * emulator drives the runtime through the `Instrumentation` interface
 * (`instrumentation`): each translated block is offered to the plugins'
 * translation callbacks, which attach callbacks and inline operations to
 * it; those become IR ops (`Instrument`, `CellLoad`, `CellStore`) that
 * every backend compiles. Registration changes that affect existing
 * translations (a translation callback added later, a reset or uninstall)
 * flush all translations at the next quiescent point, so callbacks added
 * after translation take effect.
 *
 * Callback context: while a plugin callback runs, the runtime knows which
 * plugin and event it is, which vCPU, the PC of that point and the rights
 * its flags grant; register, memory and PC functions check against it.
 */
import type { Arena } from '../core/arena.js'
import type { PagedMemory } from '../core/paged-memory.js'
import type { Cpu } from '../exec/cpu.js'
import type { Instrumentation } from '../exec/instrumentation.js'
import {
  BIN_OPS,
  type BlockInsn,
  type Cell,
  type HelperContext,
  type InstrumentSite,
  type IrBlock,
  type IrOp,
  Op,
  SiteRegs,
  type Temp,
  UN_OPS,
} from '../ir/ir.js'
import type { HartView, RegisterDef } from '../target/riscv/registers.js'
import type {
  DisconType,
  Hwaddr,
  Insn,
  MemInfo,
  MemValue,
  MemValueType,
  PluginArg,
  PluginId,
  PluginInfo,
  PluginInstall,
  RegisterDescriptor,
  RegisterHandle,
  Scoreboard,
  SimpleCb,
  SyscallArgs,
  Tb,
  TimeHandle,
  U64Entry,
  UdataCb,
  VcpuDisconCb,
  VcpuMemCb,
  VcpuSimpleCb,
  VcpuSyscallCb,
  VcpuSyscallFilterCb,
  VcpuSyscallRetCb,
  VcpuTbTransCb,
  VcpuUdataCb,
} from './api.js'
import {
  CbFlags,
  Cond,
  MemRw,
  PLUGIN_MIN_VERSION,
  PLUGIN_VERSION,
  PluginApiError,
  PluginOp,
} from './constants.js'

/** What the runtime needs from the emulator it instruments. */
export interface PluginEnv {
  readonly arena: Arena
  /** Write plugin output (the emulator decides: `-d plugin`, `-D`). */
  log(text: string): void
  disassemble(insn: BlockInsn): string
  symbolAt(pc: bigint): string | undefined
  pathToBinary(): string | undefined
  codeRange(): { start: bigint; end: bigint; entry: bigint }
  /** The vCPUs alive now. */
  cpus(): readonly Cpu[]
  /** The registers of `cpu`'s kind, and a key naming that kind. */
  registers(cpu: Cpu): { kind: string; defs: readonly RegisterDef[] }
  /** Drop every translation (of every address space). */
  flushCode(): void
  /** Reach a quiescent point (no vCPU executing) soon. */
  requestQuiescence(): void
  /** Guest time set by a plugin with time control (ns since the start), or undefined to release it. */
  setGuestTime(ns: bigint): void
  readonly targetName: string
}

/** A plugin failed: names the plugin and the event, keeps the original error as `cause`. */
export class PluginError extends Error {
  override name = 'PluginError'
  constructor(
    readonly plugin: string,
    readonly event: string,
    readonly detail: string,
    options?: { cause: unknown },
  ) {
    super(`plugin ${plugin}: ${event}: ${detail}`, options)
  }
}

// ---- plugins ------------------------------------------------------------------

class PluginIdImpl {
  constructor(readonly rec: PluginRec) {}
}

interface Callbacks {
  vcpuInit?: VcpuSimpleCb
  vcpuExit?: VcpuSimpleCb
  vcpuIdle?: VcpuSimpleCb
  vcpuResume?: VcpuSimpleCb
  flush?: SimpleCb
  atexit?: { cb: UdataCb<unknown>; userdata: unknown }
  syscall?: VcpuSyscallCb
  syscallRet?: VcpuSyscallRetCb
  syscallFilter?: VcpuSyscallFilterCb
  discon?: { type: number; cb: VcpuDisconCb }
}

export interface PluginRec {
  readonly name: string
  readonly id: PluginId
  on: Callbacks
  tbTrans?: VcpuTbTransCb
  /** Pending uninstall (true) or reset (false), with its completion callback. */
  pending?: { remove: boolean; cb: SimpleCb | undefined }
  removed: boolean
  installing: boolean
}

let envRef: PluginEnv | undefined
const plugins: PluginRec[] = []
/** Plugins with a translation callback, in load order. */
let translators: PluginRec[] = []
/** Translations made so far may lack instrumentation now wanted (or carry unwanted). */
let staleCode = false
let flushPending = false

export function env(): PluginEnv {
  if (envRef === undefined) throw new PluginApiError('the plugin runtime is not attached to an emulator')
  return envRef
}

/** Bind the runtime to an emulator (before installing plugins). */
export function attach(e: PluginEnv): void {
  envRef = e
  view = new DataView(e.arena.memory.buffer)
  e.arena.onGrow(() => {
    view = new DataView(e.arena.memory.buffer)
  })
}

export function plugin(id: PluginId): PluginRec {
  if (!(id instanceof PluginIdImpl)) throw new PluginApiError('not a plugin id')
  const rec = id.rec
  if (rec.removed) throw new PluginApiError(`plugin ${rec.name} was uninstalled`)
  return rec
}

/** Install a loaded plugin module's `install` function; throws PluginError if it refuses or throws. */
export function install(
  name: string,
  version: unknown,
  fn: PluginInstall,
  args: readonly PluginArg[],
): PluginRec {
  if (typeof version !== 'number')
    throw new PluginError(
      name,
      'load',
      `does not export 'version' (the plugin API version it was written for)`,
    )
  if (version < PLUGIN_MIN_VERSION || version > PLUGIN_VERSION)
    throw new PluginError(
      name,
      'load',
      `was written for API version ${version}; this rvscope supports ${PLUGIN_MIN_VERSION}..${PLUGIN_VERSION}`,
    )
  const rec: PluginRec = {
    name,
    id: undefined as unknown as PluginId,
    on: {},
    removed: false,
    installing: true,
  }
  ;(rec as { id: PluginId }).id = new PluginIdImpl(rec) as unknown as PluginId
  plugins.push(rec)
  const info: PluginInfo = {
    targetName: env().targetName,
    version: { min: PLUGIN_MIN_VERSION, cur: PLUGIN_VERSION },
    systemEmulation: false,
  }
  let r: unknown
  try {
    r = call(rec, 'install', CbFlags.NO_REGS, undefined, 0n, () => fn(rec.id, info, args))
  } catch (e) {
    rec.removed = true
    throw e
  } finally {
    rec.installing = false
  }
  if (typeof r === 'string' || (typeof r === 'number' && r !== 0)) {
    rec.removed = true
    throw new PluginError(name, 'install', typeof r === 'string' ? r : `refused to load (returned ${r})`)
  }
  return rec
}

export function uninstall(id: PluginId, cb: SimpleCb | undefined, remove: boolean): void {
  const rec = plugin(id)
  if (rec.installing)
    throw new PluginApiError(`${remove ? 'uninstall' : 'reset'} cannot be called from install`)
  rec.pending = { remove, cb }
  env().requestQuiescence()
}

export function registerTbTrans(id: PluginId, cb: VcpuTbTransCb): void {
  const rec = plugin(id)
  rec.tbTrans = cb
  refreshTranslators()
  if (!rec.installing) codeChanged()
}

function refreshTranslators(): void {
  translators = plugins.filter((p) => !p.removed && p.tbTrans !== undefined)
}

/** Translations made so far lack (or carry) instrumentation: redo them before more guest code runs. */
function codeChanged(): void {
  staleCode = true
  env().requestQuiescence()
}

export function vcpuForEach(id: PluginId, cb: VcpuSimpleCb): void {
  const rec = plugin(id)
  for (const cpu of env().cpus())
    call(rec, 'vcpu_for_each', CbFlags.RW_REGS, cpu, cpu.pc, () => cb(rec.id, cpu.vcpuIndex))
}

/** vCPUs so far, as QEMU counts them: the highest index used + 1 (indices of ended threads are reused). */
export function numVcpus(): number {
  return vcpusSeen
}

// ---- callback context -----------------------------------------------------------

/** The callback running now (undefined outside callbacks). */
interface Context {
  rec: PluginRec
  event: string
  flags: CbFlags
  cpu: Cpu | undefined
  pc: bigint
  /** PC set by setPc during this callback. */
  redirect: bigint | undefined
  canSetPc: boolean
  /** The memory access being reported (memory callbacks only). */
  memInfo: number
  memValue: bigint
  inMem: boolean
}

let ctx: Context | undefined

function newContext(
  rec: PluginRec,
  event: string,
  flags: CbFlags,
  cpu: Cpu | undefined,
  pc: bigint,
  canSetPc = flags === CbFlags.RW_REGS_PC,
): Context {
  return { rec, event, flags, cpu, pc, redirect: undefined, canSetPc, memInfo: 0, memValue: 0n, inMem: false }
}

/** Run `fn` (a plugin callback) in context `c`; errors become PluginErrors naming the plugin and event. */
function callIn<R>(c: Context, fn: () => R): R {
  const saved = ctx
  ctx = c
  try {
    return fn()
  } catch (e) {
    throw wrapError(c, e)
  } finally {
    ctx = saved
  }
}

/** Run a plugin callback in a fresh context. */
function call<R>(
  rec: PluginRec,
  event: string,
  flags: CbFlags,
  cpu: Cpu | undefined,
  pc: bigint,
  fn: () => R,
): R {
  return callIn(newContext(rec, event, flags, cpu, pc), fn)
}

/** An error as one line: its message and where in the plugin it was thrown (the first frame outside the engine). */
function errText(e: unknown): string {
  if (!(e instanceof Error)) return String(e)
  const text = `${e.name}: ${e.message}`
  const frame = (e.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .find(
      (l) =>
        l.startsWith('at ') && !l.includes('/dist/src/') && !l.includes('node:') && !l.includes('wasm://'),
    )
  const where = frame?.match(/\(?(?:file:\/\/)?([^()\s]+:\d+:\d+)\)?$/)?.[1]
  return where === undefined ? text : `${text} (at ${where})`
}

function vcpuContext(what: string): Context & { cpu: Cpu } {
  const c = ctx
  if (c === undefined || c.cpu === undefined)
    throw new PluginApiError(
      `${what} needs vCPU context (call it from an execution, memory, syscall or vCPU callback)`,
    )
  return c as Context & { cpu: Cpu }
}

// ---- blocks and instructions -------------------------------------------------------

type ExecEntry =
  | {
      kind: 'cb'
      rec: PluginRec
      cb: VcpuUdataCb<unknown>
      flags: CbFlags
      userdata: unknown
      cond?: CondSpec
    }
  | { kind: 'inline'; op: PluginOp; entry: EntryImpl; imm: bigint }
interface CondSpec {
  cond: Cond
  entry: U64Entry
  imm: bigint
}
type MemEntry =
  | { kind: 'cb'; rw: MemRw; rec: PluginRec; cb: VcpuMemCb<unknown>; flags: CbFlags; userdata: unknown }
  | { kind: 'inline'; rw: MemRw; op: PluginOp; entry: EntryImpl; imm: bigint }

class TbImpl {
  live = true
  readonly exec: ExecEntry[] = []
  readonly insns: InsnImpl[]
  constructor(readonly ir: IrBlock) {
    this.insns = ir.insns.map((bi) => new InsnImpl(this, bi))
  }
}

class InsnImpl {
  readonly exec: ExecEntry[] = []
  readonly mem: MemEntry[] = []
  constructor(
    readonly tb: TbImpl,
    readonly bi: BlockInsn,
  ) {}

  data(): Uint8Array {
    const out = new Uint8Array(this.bi.len)
    for (let i = 0; i < this.bi.len; i++) out[i] = (this.bi.bits >>> (8 * i)) & 0xff
    return out
  }

  disas(): string {
    return env().disassemble(this.bi)
  }

  symbol(): string | undefined {
    return env().symbolAt(this.bi.pc)
  }
}

/** The live block behind a handle. */
export function tb(h: Tb): TbImpl {
  if (!(h instanceof TbImpl)) throw new PluginApiError('not a block handle')
  if (!h.live) throw new PluginApiError('block handle used after its translation callback returned')
  return h
}

export function tbInsn(h: Tb, idx: number): Insn {
  const t = tb(h)
  const i = t.insns[idx]
  if (i === undefined)
    throw new PluginApiError(`instruction index ${idx} out of range (block has ${t.insns.length})`)
  return i as unknown as Insn
}

export function insn(h: Insn): InsnImpl {
  if (!(h instanceof InsnImpl)) throw new PluginApiError('not an instruction handle')
  if (!h.tb.live) throw new PluginApiError('instruction handle used after its translation callback returned')
  return h
}

export function tbTarget(h: Tb): ExecEntry[] {
  return tb(h).exec
}

export function insnTarget(h: Insn): ExecEntry[] {
  return insn(h).exec
}

/** The plugin whose translation callback is running (registrations belong to it). */
function translating(): PluginRec {
  if (ctx === undefined || ctx.event !== 'tb_trans')
    throw new PluginApiError('instrumentation can only be registered from a translation callback')
  return ctx.rec
}

function checkFlags(flags: CbFlags): void {
  if (flags !== 0 && flags !== 1 && flags !== 2 && flags !== 3)
    throw new PluginApiError(`bad callback flags ${flags}`)
}

export function addExecCb(
  target: ExecEntry[],
  cb: VcpuUdataCb<unknown>,
  flags: CbFlags,
  userdata: unknown,
  cond?: CondSpec,
): void {
  checkFlags(flags)
  if (cond !== undefined) {
    entry(cond.entry)
    if (cond.cond === Cond.NEVER) return
    if (cond.cond < Cond.NEVER || cond.cond > Cond.GE) throw new PluginApiError(`bad condition ${cond.cond}`)
    if (cond.cond === Cond.ALWAYS) cond = undefined
  }
  const rec = translating()
  target.push(
    cond === undefined
      ? { kind: 'cb', rec, cb, flags, userdata }
      : { kind: 'cb', rec, cb, flags, userdata, cond },
  )
}

function checkOp(op: PluginOp): void {
  if (op !== PluginOp.INLINE_ADD_U64 && op !== PluginOp.INLINE_STORE_U64)
    throw new PluginApiError(`bad inline op ${op}`)
}

export function addInline(target: ExecEntry[], op: PluginOp, e: U64Entry, imm: bigint): void {
  checkOp(op)
  translating()
  target.push({ kind: 'inline', op, entry: entry(e), imm: BigInt.asUintN(64, imm) })
}

function checkRw(rw: MemRw): void {
  if (rw !== MemRw.R && rw !== MemRw.W && rw !== MemRw.RW)
    throw new PluginApiError(`bad memory access kind ${rw}`)
}

export function addMemCb(
  h: Insn,
  cb: VcpuMemCb<unknown>,
  flags: CbFlags,
  rw: MemRw,
  userdata: unknown,
): void {
  checkFlags(flags)
  checkRw(rw)
  insn(h).mem.push({ kind: 'cb', rw, rec: translating(), cb, flags, userdata })
}

export function addMemInline(h: Insn, rw: MemRw, op: PluginOp, e: U64Entry, imm: bigint): void {
  checkRw(rw)
  checkOp(op)
  translating()
  insn(h).mem.push({ kind: 'inline', rw, op, entry: entry(e), imm: BigInt.asUintN(64, imm) })
}

// ---- memory info --------------------------------------------------------------------

export const MEMINFO_SIGNED = 8
export const MEMINFO_BIG_ENDIAN = 16
export const MEMINFO_STORE = 32

export function meminfo(info: MemInfo): number {
  if (typeof info !== 'number' || (info & ~63) !== 0)
    throw new PluginApiError('not a memory-access info value')
  return info
}

export function memValue(info: MemInfo): MemValue {
  meminfo(info)
  const c = ctx
  if (c === undefined || !c.inMem || c.memInfo !== info)
    throw new PluginApiError(
      'memGetValue can only be called from the memory callback that received this info',
    )
  return { type: (info & 7) as MemValueType, data: c.memValue }
}

export function hwaddr(h: Hwaddr): { isIo: boolean; phys: bigint; device: string } {
  void h
  throw new PluginApiError('hardware addresses exist only under system emulation')
}

// ---- registers ------------------------------------------------------------------------

class RegisterHandleImpl {
  constructor(
    readonly kind: string,
    readonly def: RegisterDef,
  ) {}
}

/** Handles by vCPU kind and register name: shared by every vCPU of a kind, never colliding across kinds. */
const registerHandles = new Map<string, Map<string, RegisterHandleImpl>>()

function handlesOf(cpu: Cpu): Map<string, RegisterHandleImpl> {
  const { kind, defs } = env().registers(cpu)
  let m = registerHandles.get(kind)
  if (m === undefined) {
    m = new Map(defs.map((d) => [d.name, new RegisterHandleImpl(kind, d)]))
    registerHandles.set(kind, m)
  }
  return m
}

export function getRegisters(): RegisterDescriptor[] {
  const c = vcpuContext('getRegisters')
  return [...handlesOf(c.cpu).values()].map((h) => ({
    handle: h as unknown as RegisterHandle,
    name: h.def.name,
    feature: h.def.feature,
    isReadonly: h.def.readonly,
  }))
}

function hartView(c: Context & { cpu: Cpu }): HartView {
  const cpu = c.cpu
  // Inside a block, the instruction being run (or about to run) has not retired yet.
  return { regs: cpu.regs, pc: c.pc, instret: () => cpu.instret() - (cpu.blockInsns > 0 ? 1n : 0n) }
}

function registerOf(handle: RegisterHandle, c: Context & { cpu: Cpu }): RegisterDef {
  if (!(handle instanceof RegisterHandleImpl)) throw new PluginApiError('not a register handle')
  const def = handlesOf(c.cpu).get(handle.def.name)
  if (def !== handle)
    throw new PluginApiError(`register ${handle.def.name} does not belong to vCPU ${c.cpu.vcpuIndex}`)
  return handle.def
}

export function readRegister(handle: RegisterHandle): Uint8Array {
  const c = vcpuContext('readRegister')
  const def = registerOf(handle, c)
  if (c.flags < CbFlags.R_REGS)
    throw new PluginApiError(
      `readRegister(${def.name}): the ${c.event} callback was registered with NO_REGS; register it with R_REGS or more`,
    )
  const v = def.read(hartView(c))
  const out = new Uint8Array(def.size)
  for (let i = 0; i < def.size; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn)
  return out
}

export function writeRegister(handle: RegisterHandle, bytes: Uint8Array): void {
  const c = vcpuContext('writeRegister')
  const def = registerOf(handle, c)
  if (c.flags < CbFlags.RW_REGS)
    throw new PluginApiError(
      `writeRegister(${def.name}): the ${c.event} callback was not registered with RW_REGS`,
    )
  if (def.write === undefined)
    throw new PluginApiError(`register ${def.name} is read-only${def.name === 'pc' ? ' (use setPc)' : ''}`)
  if (bytes.length !== def.size)
    throw new PluginApiError(`register ${def.name} takes ${def.size} bytes, got ${bytes.length}`)
  let v = 0n
  for (let i = def.size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!)
  def.write(hartView(c), v)
}

export function setPc(vaddr: bigint): void {
  const c = vcpuContext('setPc')
  if (!c.canSetPc)
    throw new PluginApiError(
      `setPc: the ${c.event} callback may not redirect the PC (register it with RW_REGS_PC)`,
    )
  c.redirect = BigInt.asUintN(64, vaddr)
}

// ---- guest memory ---------------------------------------------------------------------

function memOf(what: string): PagedMemory {
  return vcpuContext(what).cpu.mem
}

export function readMemory(addr: bigint, len: number): Uint8Array {
  const mem = memOf('readMemoryVaddr')
  try {
    return mem.read(BigInt.asUintN(64, addr), len).slice()
  } catch (e) {
    throw new PluginApiError(`readMemoryVaddr(0x${addr.toString(16)}, ${len}): ${errText(e)}`)
  }
}

export function writeMemory(addr: bigint, bytes: Uint8Array): void {
  const cpu = vcpuContext('writeMemoryVaddr').cpu
  const a = BigInt.asUintN(64, addr)
  try {
    cpu.mem.write(a, bytes, true)
  } catch (e) {
    throw new PluginApiError(`writeMemoryVaddr(0x${addr.toString(16)}, ${bytes.length} bytes): ${errText(e)}`)
  }
  // Writing code changes what translations stand for.
  cpu.tbs.invalidate(a, BigInt(bytes.length))
}

export function translateVaddr(vaddr: bigint): bigint | undefined {
  const mem = memOf('translateVaddr')
  const a = BigInt.asUintN(64, vaddr)
  return mem.protOf(a) === undefined ? undefined : a
}

// ---- scoreboards ---------------------------------------------------------------------------

/** vCPUs a scoreboard first has room for. */
const INITIAL_VCPUS = 8

class ScoreboardImpl {
  freed = false
  /** Storage for this many vCPUs. */
  capacity = 0
  constructor(
    readonly rec: PluginRec,
    /** Arena byte offset of the u32 holding the storage's byte offset. */
    readonly desc: number,
    readonly elementSize: number,
  ) {}
}

class EntryImpl {
  readonly cell: Cell
  constructor(
    readonly sb: ScoreboardImpl,
    readonly offset: number,
  ) {
    this.cell = { base: sb.desc, stride: sb.elementSize, offset }
  }
}

const scoreboards = new Set<ScoreboardImpl>()
/** Free descriptor slots (arena byte offsets). */
let freeDescs: number[] = []
let view: DataView | undefined

/** The arena's bytes (replaced when the arena grows). */
function bytes(): DataView {
  if (view === undefined) throw new PluginApiError('the plugin runtime is not attached to an emulator')
  return view
}

/** Highest vCPU index used + 1. */
let vcpusSeen = 0
/** vCPU elements every scoreboard has room for: all indices used, and vCPU 0 before any exists. */
const vcpuSlots = (): number => Math.max(1, vcpusSeen)

function growTo(sb: ScoreboardImpl, vcpus: number): void {
  if (vcpus <= sb.capacity) return
  const cap = Math.max(INITIAL_VCPUS, sb.capacity * 2, vcpus)
  const arena = env().arena
  const base = arena.allocContiguous(cap * sb.elementSize)
  const b = bytes()
  if (sb.capacity > 0) {
    const old = b.getUint32(sb.desc, true)
    new Uint8Array(b.buffer).copyWithin(base, old, old + sb.capacity * sb.elementSize)
  }
  bytes().setUint32(sb.desc, base, true)
  sb.capacity = cap
}

export function scoreboardNew(elementSize: number): Scoreboard {
  if (!Number.isInteger(elementSize) || elementSize <= 0)
    throw new PluginApiError(`bad scoreboard element size ${elementSize}`)
  const rec = ctx?.rec ?? plugins[plugins.length - 1]
  if (rec === undefined) throw new PluginApiError('scoreboardNew needs a plugin context')
  if (freeDescs.length === 0) {
    const frame = env().arena.allocFrame()
    freeDescs = Array.from({ length: 1024 }, (_, i) => frame * 4096 + 4 * i).reverse()
  }
  const sb = new ScoreboardImpl(rec, freeDescs.pop()!, elementSize)
  growTo(sb, vcpuSlots())
  scoreboards.add(sb)
  return sb as unknown as Scoreboard
}

function board(h: Scoreboard): ScoreboardImpl {
  if (!(h instanceof ScoreboardImpl)) throw new PluginApiError('not a scoreboard')
  if (h.freed) throw new PluginApiError('scoreboard used after scoreboardFree')
  return h
}

export function scoreboardFree(h: Scoreboard): void {
  const sb = board(h)
  sb.freed = true
  scoreboards.delete(sb)
  freeDescs.push(sb.desc)
  // Blocks may still add to it: translations are redone without it.
  codeChanged()
}

function elementAddr(sb: ScoreboardImpl, vcpu: number): number {
  // (vcpu >>> 0) === vcpu: a non-negative integer, cheaper than Number.isInteger on this hot path.
  if (vcpu >>> 0 !== vcpu || vcpu >= sb.capacity)
    throw new PluginApiError(`no vCPU ${vcpu} in this scoreboard`)
  return bytes().getUint32(sb.desc, true) + vcpu * sb.elementSize
}

export function scoreboardFind(h: Scoreboard, vcpu: number): DataView {
  const sb = board(h)
  return new DataView(bytes().buffer, elementAddr(sb, vcpu), sb.elementSize)
}

export function scoreboardEntry(h: Scoreboard, offset: number): U64Entry {
  const sb = board(h)
  if (!Number.isInteger(offset) || offset < 0 || offset + 8 > sb.elementSize)
    throw new PluginApiError(`u64 at offset ${offset} does not fit an element of ${sb.elementSize} bytes`)
  return new EntryImpl(sb, offset) as unknown as U64Entry
}

function entry(h: U64Entry): EntryImpl {
  if (!(h instanceof EntryImpl)) throw new PluginApiError('not a scoreboard entry')
  if (h.sb.freed) throw new PluginApiError('scoreboard used after scoreboardFree')
  return h
}

/** `entry += added` for `vcpu` (the common callback operation, kept short). */
export function u64Add(h: U64Entry, vcpu: number, added: bigint): void {
  const e = entry(h)
  const at = elementAddr(e.sb, vcpu) + e.offset
  const b = bytes()
  // Adding one (counting) skips even the comparisons and the conversion of a bigint, about 8 ns.
  const n = added === 1n ? 1 : added >= 0n && added <= 0xffffffffn ? Number(added) : -1
  if (n >= 0) {
    // Without bigint arithmetic, which allocates: add to the low word and carry into the high one.
    const low = b.getUint32(at, true) + n
    b.setUint32(at, low >>> 0, true)
    if (low > 0xffffffff) b.setUint32(at + 4, (b.getUint32(at + 4, true) + 1) >>> 0, true)
    return
  }
  b.setBigUint64(at, BigInt.asUintN(64, b.getBigUint64(at, true) + added), true)
}

export function u64Get(h: U64Entry, vcpu: number): bigint {
  const e = entry(h)
  return bytes().getBigUint64(elementAddr(e.sb, vcpu) + e.offset, true)
}

export function u64Set(h: U64Entry, vcpu: number, value: bigint): void {
  const e = entry(h)
  bytes().setBigUint64(elementAddr(e.sb, vcpu) + e.offset, BigInt.asUintN(64, value), true)
}

export function u64Sum(h: U64Entry): bigint {
  let sum = 0n
  for (let i = 0; i < vcpuSlots(); i++) sum += u64Get(h, i)
  return BigInt.asUintN(64, sum)
}

// ---- time control, output ------------------------------------------------------------------

class TimeHandleImpl {}
let timeOwner: TimeHandleImpl | undefined
let guestNs = 0n

export function requestTimeControl(): TimeHandle | undefined {
  if (timeOwner !== undefined) return undefined
  timeOwner = new TimeHandleImpl()
  env().setGuestTime(0n)
  return timeOwner as unknown as TimeHandle
}

export function updateNs(h: TimeHandle, ns: bigint): void {
  if (h !== (timeOwner as unknown) || timeOwner === undefined)
    throw new PluginApiError('updateNs needs the handle requestTimeControl gave')
  if (ns < guestNs) return
  guestNs = ns
  env().setGuestTime(ns)
}

export function outs(text: string): void {
  env().log(text)
}

// ---- instrumentation of blocks ------------------------------------------------------------------

/** IR ops for a block's instrumentation, allocating temps after the block's own. */
class Emitter {
  readonly ops: IrOp[] = []
  /**
   * Inline adds not emitted yet, by cell: adds between two points where
   * a cell could be observed (an op that may fault or leave the block, a
   * callback, a cell read) are summed into one.
   */
  private readonly pending = new Map<Cell, bigint>()
  constructor(public temps: number) {}

  /** Emit the pending adds: before anything that may observe a cell or leave the block. */
  flush(): void {
    const adds = [...this.pending]
    this.pending.clear()
    for (const [cell, sum] of adds) {
      const d = this.temp()
      this.ops.push({ op: Op.Add, d, a: this.cellLoad(cell), b: this.const(sum) })
      this.ops.push({ op: Op.CellStore, cell, a: d })
    }
  }

  temp(): Temp {
    return this.temps++
  }

  const(imm: bigint): Temp {
    const d = this.temp()
    this.ops.push({ op: Op.Const, d, imm })
    return d
  }

  cellLoad(cell: Cell): Temp {
    if (this.pending.size > 0) this.flush()
    const d = this.temp()
    this.ops.push({ op: Op.CellLoad, d, cell })
    return d
  }

  inline(op: PluginOp, e: EntryImpl, imm: bigint): void {
    if (op === PluginOp.INLINE_ADD_U64) {
      this.pending.set(e.cell, BigInt.asUintN(64, (this.pending.get(e.cell) ?? 0n) + imm))
    } else {
      // Entries of different scoreboards never alias, but two entries may name one u64: keep order.
      this.flush()
      this.ops.push({ op: Op.CellStore, cell: e.cell, a: this.const(imm) })
    }
  }

  /** An op of the translated block: cells may be observed (or the block left) at any op but plain computation. */
  block(o: IrOp): void {
    if (this.pending.size > 0 && !PURE.has(o.op)) this.flush()
    this.ops.push(o)
  }

  /** A temp holding 1 if `spec` holds (unsigned compare). */
  cond(spec: CondSpec): Temp {
    const x = this.cellLoad(entry(spec.entry).cell)
    const imm = this.const(BigInt.asUintN(64, spec.imm))
    const d = this.temp()
    const [op, a, b] = COND_OPS[spec.cond]!(x, imm)
    this.ops.push({ op, d, a, b } as IrOp)
    return d
  }
}

/** Ops that neither fault, call out, read cells nor leave the block. */
const PURE: ReadonlySet<Op> = new Set([
  ...BIN_OPS,
  ...UN_OPS,
  Op.Const,
  Op.Select,
  Op.GetReg,
  Op.SetReg,
  Op.InsnStart,
])

const COND_OPS: Partial<Record<Cond, (x: Temp, i: Temp) => [Op, Temp, Temp]>> = {
  [Cond.EQ]: (x, i) => [Op.Eq, x, i],
  [Cond.NE]: (x, i) => [Op.Ne, x, i],
  [Cond.LT]: (x, i) => [Op.LtU, x, i],
  [Cond.LE]: (x, i) => [Op.GeU, i, x],
  [Cond.GT]: (x, i) => [Op.LtU, i, x],
  [Cond.GE]: (x, i) => [Op.GeU, x, i],
}

/**
 * The site running an execution callback. Sites are instances of one class (and memory sites of
 * another), so that the engine sees a single `call` at each call site and, since a plugin mostly
 * registers one function, a single callback inside it: it can inline both (about 10 ns less per
 * callback than one closure per site).
 */
class ExecSite implements InstrumentSite {
  constructor(
    readonly name: string,
    /** One context per site, reused at every call: callbacks never run guest code, so a site cannot nest. */
    private readonly c: Context,
    private readonly cb: VcpuUdataCb<unknown>,
    private readonly userdata: unknown,
  ) {}

  call(state: HelperContext): bigint | undefined {
    const cpu = state as Cpu
    const c = this.c
    const saved = ctx
    c.cpu = cpu
    c.redirect = undefined
    ctx = c
    try {
      this.cb(cpu.vcpuIndex, this.userdata)
    } catch (err) {
      throw wrapError(c, err)
    } finally {
      ctx = saved
    }
    return c.redirect
  }
}

/** The site running an execution callback at `pc`. */
function execSite(e: ExecEntry & { kind: 'cb' }, where: string, pc: bigint): InstrumentSite {
  const { rec, cb, flags, userdata } = e
  const c = newContext(rec, `${where} exec`, flags, undefined, pc)
  return new ExecSite(`${rec.name}:${where}@0x${pc.toString(16)}`, c, cb, userdata)
}

/** A callback's error as a PluginError naming the plugin and the event. */
function wrapError(c: Context, err: unknown): PluginError {
  return err instanceof PluginError
    ? err
    : new PluginError(
        c.rec.name,
        `${c.event}${c.event === 'install' ? '' : ' callback'} threw`,
        errText(err),
        {
          cause: err,
        },
      )
}

const SIZE_MASK: Record<number, bigint> = { 1: 0xffn, 2: 0xffffn, 4: 0xffff_ffffn, 8: 0xffff_ffff_ffff_ffffn }
const SHIFT: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 }

/** The site running a memory callback (see ExecSite). */
class MemSite implements InstrumentSite {
  constructor(
    readonly name: string,
    private readonly c: Context,
    private readonly cb: VcpuMemCb<unknown>,
    private readonly userdata: unknown,
    /** The access size's value mask. */
    private readonly mask: bigint,
  ) {}

  call(state: HelperContext, addr: bigint, value: bigint): bigint | undefined {
    const cpu = state as Cpu
    const c = this.c
    const saved = ctx
    c.cpu = cpu
    c.memValue = value & this.mask
    ctx = c
    try {
      this.cb(cpu.vcpuIndex, c.memInfo as MemInfo, addr, this.userdata)
    } catch (err) {
      throw wrapError(c, err)
    } finally {
      ctx = saved
    }
    return undefined
  }
}

function memSite(e: MemEntry & { kind: 'cb' }, info: number, pc: bigint, size: number): InstrumentSite {
  const { rec, cb, flags, userdata } = e
  const c = newContext(rec, 'memory', flags, undefined, pc, false)
  c.memInfo = info
  c.inMem = true
  return new MemSite(`${rec.name}:mem@0x${pc.toString(16)}`, c, cb, userdata, SIZE_MASK[size]!)
}

/** The register access a callback's flags allow. */
function siteRegs(flags: CbFlags): SiteRegs {
  return flags === CbFlags.NO_REGS
    ? SiteRegs.None
    : flags === CbFlags.R_REGS
      ? SiteRegs.Read
      : SiteRegs.ReadWrite
}

function emitExec(
  em: Emitter,
  entries: readonly ExecEntry[],
  where: string,
  pc: bigint,
  retired: number,
): void {
  for (const e of entries) {
    if (e.kind === 'inline') {
      em.inline(e.op, e.entry, e.imm)
      continue
    }
    const c = e.cond === undefined ? -1 : em.cond(e.cond)
    // The callback may read any cell.
    em.flush()
    em.ops.push({
      op: Op.Instrument,
      site: execSite(e, where, pc),
      c,
      a: -1,
      v: -1,
      regs: siteRegs(e.flags),
      redirect: e.flags === CbFlags.RW_REGS_PC,
      retired,
    })
  }
}

function emitMem(em: Emitter, i: InsnImpl, o: IrOp & { op: Op.Load | Op.Store }): void {
  const store = o.op === Op.Store
  const kind = store ? MemRw.W : MemRw.R
  const info =
    SHIFT[o.size]! | (!store && o.signed && o.size < 8 ? MEMINFO_SIGNED : 0) | (store ? MEMINFO_STORE : 0)
  const value = store ? (o.shown ?? o.b) : o.d
  const pred = o.pred ?? -1
  for (const e of i.mem) {
    if ((e.rw & kind) === 0) continue
    if (e.kind === 'inline') {
      if (pred < 0) em.inline(e.op, e.entry, e.imm)
      else {
        // A conditional access counts only when it happens: add 0 otherwise.
        const cell = e.entry.cell
        const cur = em.cellLoad(cell)
        const imm = em.const(e.op === PluginOp.INLINE_ADD_U64 ? e.imm : 0n)
        const sum = em.temp()
        em.ops.push({ op: Op.Add, d: sum, a: cur, b: imm })
        const nv = e.op === PluginOp.INLINE_ADD_U64 ? sum : em.const(e.imm)
        const d = em.temp()
        em.ops.push({ op: Op.Select, d, c: pred, a: nv, b: cur })
        em.ops.push({ op: Op.CellStore, cell, a: d })
      }
      continue
    }
    em.flush()
    em.ops.push({
      op: Op.Instrument,
      site: memSite(e, info, i.bi.pc, o.size),
      c: pred,
      a: o.a,
      v: value,
      regs: siteRegs(e.flags),
      redirect: false,
      retired: 0,
    })
  }
}

/** Offer a translated block to the plugins and return it with their instrumentation compiled in. */
function instrumentBlock(ir: IrBlock, cpu: Cpu): IrBlock {
  if (translators.length === 0) return ir
  const t = new TbImpl(ir)
  try {
    for (const rec of translators) {
      if (rec.removed) continue
      // The translating vCPU's context: its memory may be read (registers may not).
      call(rec, 'tb_trans', CbFlags.NO_REGS, cpu, ir.pc, () => rec.tbTrans!(rec.id, t as unknown as Tb))
    }
  } finally {
    t.live = false
  }
  const hasMem = t.insns.some((i) => i.mem.length > 0)
  if (t.exec.length === 0 && !hasMem && t.insns.every((i) => i.exec.length === 0)) return ir
  const em = new Emitter(ir.temps)
  let cur: InsnImpl | undefined
  for (const o of ir.ops) {
    em.block(o)
    if (o.op === Op.InsnStart) {
      cur = t.insns[o.index]
      if (o.index === 0) emitExec(em, t.exec, 'tb', ir.pc, 0)
      if (cur !== undefined) emitExec(em, cur.exec, 'insn', cur.bi.pc, o.index)
    } else if ((o.op === Op.Load || o.op === Op.Store) && cur !== undefined && cur.mem.length > 0) {
      emitMem(em, cur, o)
    }
  }
  return { ...ir, ops: em.ops, temps: em.temps }
}

// ---- the emulator's side -------------------------------------------------------------------------

function each(fn: (rec: PluginRec) => void): void {
  for (const rec of plugins) if (!rec.removed) fn(rec)
}

/** Lowest free vCPU indices, as QEMU reuses them. */
const liveIndices = new Set<number>()

/** Settle pending resets/uninstalls and flushes (no vCPU executes now). */
function quiescent(): void {
  // Flushes happened before any reset asked for now: their callbacks run first.
  if (flushPending) {
    flushPending = false
    each((rec) => {
      const cb = rec.on.flush
      if (cb !== undefined) call(rec, 'flush', CbFlags.NO_REGS, undefined, 0n, () => cb(rec.id))
    })
  }
  const done: (() => void)[] = []
  for (const rec of plugins) {
    const p = rec.pending
    if (p === undefined || rec.removed) continue
    rec.pending = undefined
    rec.on = {}
    rec.tbTrans = undefined
    if (p.remove) rec.removed = true
    refreshTranslators()
    staleCode = true
    const cb = p.cb
    if (cb !== undefined)
      done.push(() =>
        call(rec, p.remove ? 'uninstall' : 'reset', CbFlags.NO_REGS, undefined, 0n, () => cb(rec.id)),
      )
  }
  // Completion callbacks run once no translation carries the plugin's instrumentation.
  if (staleCode) {
    staleCode = false
    env().flushCode()
  }
  for (const fn of done) fn()
}

function vcpuEvent(cpu: Cpu, event: 'vcpuInit' | 'vcpuExit' | 'vcpuIdle' | 'vcpuResume', name: string): void {
  each((rec) => {
    const cb = rec.on[event]
    if (cb !== undefined) call(rec, name, CbFlags.RW_REGS, cpu, cpu.pc, () => cb(rec.id, cpu.vcpuIndex))
  })
}

/** The emulator drives the runtime through this. */
export const instrumentation: Instrumentation = {
  get active() {
    return plugins.some((p) => !p.removed)
  },

  instrument: instrumentBlock,

  vcpuInit(cpu) {
    let i = 0
    while (liveIndices.has(i)) i++
    liveIndices.add(i)
    cpu.vcpuIndex = i
    if (i + 1 > vcpusSeen) {
      vcpusSeen = i + 1
      for (const sb of scoreboards) growTo(sb, vcpusSeen)
    }
    vcpuEvent(cpu, 'vcpuInit', 'vcpu_init')
  },

  vcpuExit(cpu) {
    vcpuEvent(cpu, 'vcpuExit', 'vcpu_exit')
    liveIndices.delete(cpu.vcpuIndex)
  },

  idle(cpu) {
    vcpuEvent(cpu, 'vcpuIdle', 'vcpu_idle')
  },

  resume(cpu) {
    vcpuEvent(cpu, 'vcpuResume', 'vcpu_resume')
  },

  syscall(cpu, pc, num, regs) {
    const args = regs as SyscallArgs
    let result: bigint | undefined
    let redirect: bigint | undefined
    each((rec) => {
      const cb = rec.on.syscall
      if (cb !== undefined)
        call(rec, 'syscall', CbFlags.RW_REGS, cpu, pc, () => cb(rec.id, cpu.vcpuIndex, num, ...args))
    })
    each((rec) => {
      const cb = rec.on.syscallFilter
      if (cb === undefined || result !== undefined || redirect !== undefined) return
      const c = newContext(rec, 'syscall filter', CbFlags.RW_REGS_PC, cpu, pc)
      const r = callIn(c, () => {
        const v = cb(rec.id, cpu.vcpuIndex, num, ...args)
        if (v !== undefined && typeof v !== 'bigint')
          throw new PluginApiError(`a syscall filter must return a bigint or undefined, not ${typeof v}`)
        return v
      })
      if (r !== undefined) result = BigInt.asUintN(64, r)
      redirect = c.redirect
    })
    return result === undefined && redirect === undefined ? undefined : { result, redirect }
  },

  syscallRet(cpu, pc, num, ret) {
    each((rec) => {
      const cb = rec.on.syscallRet
      if (cb !== undefined)
        call(rec, 'syscall return', CbFlags.RW_REGS, cpu, pc, () => cb(rec.id, cpu.vcpuIndex, num, ret))
    })
  },

  discon(cpu, type, from, to) {
    each((rec) => {
      const d = rec.on.discon
      if (d !== undefined && (d.type & type) !== 0)
        call(rec, 'discontinuity', CbFlags.RW_REGS, cpu, to, () =>
          d.cb(rec.id, cpu.vcpuIndex, type as DisconType, from, to),
        )
    })
  },

  quiescent,

  flushed() {
    flushPending = true
    env().requestQuiescence()
  },

  exit() {
    quiescent()
    each((rec) => {
      const a = rec.on.atexit
      if (a !== undefined) call(rec, 'atexit', CbFlags.NO_REGS, undefined, 0n, () => a.cb(rec.id, a.userdata))
    })
  },
}

/** Forget every plugin (tests run several emulators in one process). */
export function resetRuntime(): void {
  plugins.length = 0
  translators = []
  staleCode = false
  flushPending = false
  registerHandles.clear()
  scoreboards.clear()
  freeDescs = []
  view = undefined
  vcpusSeen = 0
  liveIndices.clear()
  timeOwner = undefined
  guestNs = 0n
  ctx = undefined
  envRef = undefined
}
