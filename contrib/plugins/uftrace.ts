/**
 * uftrace: record the guest's function entries and exits as a trace that
 * uftrace can replay (QEMU's contrib/plugins/uftrace.c, for RISC-V), or as
 * Chrome/Perfetto trace-event JSON.
 *
 * Functions are found one of two ways (option track=):
 *  - call (default): calls and returns as the RISC-V return-address-stack
 *    hints define them: jal/jalr/c.jalr writing a link register (ra or t0)
 *    enter the target, jalr/c.jr through a link register leave. A return
 *    pops up to the frame it returns into; one that matches no frame (a
 *    longjmp) pops the frames whose caller's stack pointer is at or below
 *    the current one. Works on any code, frame pointers or not; a tail call
 *    (a plain jump) is charged to the function that made it.
 *  - fp: QEMU's method: follow the frame pointer (s0) at the start of each
 *    block and after each instruction that touches s0, and compare the
 *    saved frame pointer (at s0-16, or s0-8 in leaf functions) with the
 *    frames known; unwind the frame chain on anything else. Needs code
 *    built with -fno-omit-frame-pointer; entries are recorded at the point
 *    the frame pointer changed, not at the function's first instruction.
 *
 * One trace per vCPU (guest thread), numbered (vCPU + 1) * 100 as QEMU;
 * with trace-privilege-level=on one per privilege level (U, S, M: +0,
 * +1, +2), switching at the blocks where the `priv` register changed (user
 * mode always runs in U). Frames still open when a thread or the program
 * ends are closed then.
 *
 * Output (option format=):
 *  - uftrace (default): the directory out= (default ./uftrace.data) with
 *    `info`, `task.txt`, `sid-0.map` and one `<trace>.dat` per trace, as
 *    QEMU writes them, plus `<program>.sym` naming every function entered
 *    (from the guest's symbols, qp.insnSymbol; `0x<address>` where there is
 *    none), so that `uftrace replay -d DIR` names functions even for a
 *    stripped program. Records are uftrace's: a u64 timestamp (ns) and a
 *    u64 of type | magic 5 << 3 | depth << 6 | address << 16, the depth
 *    counted from 0 and the same at a function's entry and exit.
 *  - json: the file out= (default ./uftrace.json) in Chrome's trace-event
 *    format (`B`/`E` events, ts in microseconds, one tid per trace), which
 *    ui.perfetto.dev and chrome://tracing open.
 *
 * Options: trace-privilege-level=on|off (QEMU's), track=call|fp,
 * format=uftrace|json, out=PATH, time=host|insn (timestamps: host time in
 * ns as QEMU, or the vCPU's retired instruction count, 1 instruction = 1 ns,
 * which makes the trace reproducible).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

const ENTRY = 0n
const EXIT = 1n
/** uftrace's RECORD_MAGIC. */
const RECORD_MAGIC = 5n
const MAX_DEPTH = 1023
const TRACE_ID_SCALE = 100
/** Records kept before writing a .dat file (QEMU flushes every 32 MiB). */
const CHUNK_RECORDS = 1 << 16
const MASK64 = (1n << 64n) - 1n

/** Privilege levels, indexed by what `priv` reads (2 is reserved: counted as S). */
const LEVEL_NAMES = ['U', 'S', 'M'] as const
const levelOfPriv = (priv: bigint): number => (priv === 3n ? 2 : priv === 0n ? 0 : 1)

type Track = 'call' | 'fp'
type Format = 'uftrace' | 'json'
type Clock = 'host' | 'insn'

let track: Track = 'call'
let format: Format = 'uftrace'
let clock: Clock = 'host'
let traceLevels = false
let out = ''

// ---- traces -------------------------------------------------------------------

class Trace {
  private buf = Buffer.alloc(CHUNK_RECORDS * 16)
  private used = 0
  /** json: records kept until exit (names are only known once the targets are translated). */
  readonly kept: Buffer[] = []
  private fd: number | undefined

  constructor(
    readonly id: number,
    readonly name: string,
  ) {
    if (format === 'uftrace') this.fd = openSync(join(out, `${id}.dat`), 'w')
  }

  add(ts: bigint, type: bigint, depth: number, addr: bigint): void {
    if (this.used === this.buf.length) this.flush()
    const d = depth > MAX_DEPTH ? MAX_DEPTH : depth
    const data = type | (RECORD_MAGIC << 3n) | (BigInt(d) << 6n) | (addr << 16n)
    this.buf.writeBigUInt64LE(ts & MASK64, this.used)
    this.buf.writeBigUInt64LE(data, this.used + 8)
    this.used += 16
  }

  flush(): void {
    if (this.used === 0) return
    if (this.fd !== undefined) writeSync(this.fd, this.buf, 0, this.used)
    else this.kept.push(Buffer.from(this.buf.subarray(0, this.used)))
    this.used = 0
  }

  close(): void {
    this.flush()
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

interface Frame {
  /** Address recorded: the function entered (call) or the point the frame began (fp). */
  addr: bigint
  /** call: where the function returns to, and the caller's sp. fp: the frame pointer. */
  ret: bigint
  sp: bigint
}

interface Cpu {
  traces: Trace[]
  trace: Trace
  level: number
  stack: Frame[]
  lastTs: bigint
  /** time=insn: added to the vCPU's instruction count, so that a thread reusing the index goes on in time. */
  offset: bigint
}

const cpus: Cpu[] = []
/** Symbol of every address that can be recorded (block starts; fp: the instrumented points). */
const names = new Map<bigint, string | undefined>()
/** Addresses recorded at an entry. */
const entered = new Set<bigint>()

// ---- registers, memory, time ------------------------------------------------------

/** x0..x31 by their ABI names, as getRegisters names them. */
// biome-ignore format: one row per 16 registers
const XREGS = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const
let regs: qp.RegisterHandle[] = []
let regSp: qp.RegisterHandle
let regFp: qp.RegisterHandle
let regPriv: qp.RegisterHandle | undefined
let regInstret: qp.RegisterHandle | undefined

/** Register handles, shared by every vCPU (QEMU's plugin_find_register, from vcpu_init). */
function findRegisters(): void {
  if (regs.length > 0) return
  const byName = new Map(qp.getRegisters().map((r) => [r.name, r.handle]))
  regs = XREGS.map((n) => {
    const h = byName.get(n)
    if (h === undefined) throw new Error(`uftrace: register ${n} is not available`)
    return h
  })
  regSp = regs[2]!
  regFp = regs[8]!
  regPriv = byName.get('priv')
  regInstret = byName.get('instret')
  if (clock === 'insn' && regInstret === undefined)
    throw new Error('uftrace: time=insn needs the instret register')
}

function readU64(h: qp.RegisterHandle): bigint {
  const b = qp.readRegister(h)
  let v = 0n
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!)
  return v
}

function readMem64(addr: bigint): bigint {
  try {
    const b = qp.readMemoryVaddr(addr, 8)
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true)
  } catch {
    return 0n
  }
}

const hrBase = process.hrtime.bigint()
const wallBase = BigInt(Date.now()) * 1_000_000n

/** Now, for `cpu` (registers readable). */
function now(cpu: Cpu): bigint {
  const ts =
    clock === 'insn' ? readU64(regInstret!) + cpu.offset : wallBase + (process.hrtime.bigint() - hrBase)
  cpu.lastTs = ts
  return ts
}

// ---- the call stack -------------------------------------------------------------------

function enter(cpu: Cpu, ts: bigint, f: Frame): void {
  // A record holds 48 bits of address.
  f.addr &= 0xffff_ffff_ffffn
  cpu.stack.push(f)
  cpu.trace.add(ts, ENTRY, cpu.stack.length - 1, f.addr)
  entered.add(f.addr)
}

function leave(cpu: Cpu, ts: bigint): void {
  const f = cpu.stack.pop()!
  cpu.trace.add(ts, EXIT, cpu.stack.length, f.addr)
}

function leaveAll(cpu: Cpu, ts: bigint): void {
  while (cpu.stack.length > 0) leave(cpu, ts)
}

function cpuOf(vcpu: number): Cpu {
  const c = cpus[vcpu]
  if (c === undefined) throw new Error(`uftrace: vCPU ${vcpu} was never initialized`)
  return c
}

// call/return tracking

const enum Kind {
  Call = 0,
  Ret = 1,
  /** Return through one link register and call through the other (coroutine swap). */
  RetCall = 2,
}

interface Jump {
  kind: Kind
  pc: bigint
  /** Return address of a call. */
  next: bigint
  /** Static target (jal), or -1n: x[rs1] + imm. */
  target: bigint
  rs1: number
  imm: bigint
}

const isLink = (r: number): boolean => r === 1 || r === 5

/** What the instruction does to the return-address stack, if anything. */
function classify(bytes: Uint8Array, pc: bigint): Jump | undefined {
  if (bytes.length === 2) {
    const w = bytes[0]! | (bytes[1]! << 8)
    // c.jr / c.jalr: quadrant 2, funct4 100x, rs2 = 0, rs1 != 0.
    if ((w & 3) !== 2 || w >> 13 !== 4 || ((w >> 2) & 31) !== 0) return undefined
    const rs1 = (w >> 7) & 31
    if (rs1 === 0) return undefined
    const next = pc + 2n
    if (((w >> 12) & 1) === 0)
      return isLink(rs1) ? { kind: Kind.Ret, pc, next, target: -1n, rs1, imm: 0n } : undefined
    return { kind: rs1 === 5 ? Kind.RetCall : Kind.Call, pc, next, target: -1n, rs1, imm: 0n }
  }
  if (bytes.length !== 4) return undefined
  const w = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0
  const opcode = w & 0x7f
  const rd = (w >>> 7) & 31
  const next = pc + 4n
  if (opcode === 0x6f) {
    if (!isLink(rd)) return undefined
    const imm =
      (((w >>> 31) & 1) << 20) |
      (((w >>> 21) & 0x3ff) << 1) |
      (((w >>> 20) & 1) << 11) |
      (((w >>> 12) & 0xff) << 12)
    const off = BigInt.asIntN(21, BigInt(imm))
    return { kind: Kind.Call, pc, next, target: (pc + off) & MASK64, rs1: 0, imm: 0n }
  }
  if (opcode !== 0x67 || ((w >>> 12) & 7) !== 0) return undefined
  const rs1 = (w >>> 15) & 31
  const imm = BigInt.asIntN(12, BigInt(w >>> 20))
  const l1 = isLink(rs1)
  if (isLink(rd)) {
    const kind = l1 && rd !== rs1 ? Kind.RetCall : Kind.Call
    return { kind, pc, next, target: -1n, rs1, imm }
  }
  return l1 ? { kind: Kind.Ret, pc, next, target: -1n, rs1, imm } : undefined
}

function jumpTarget(j: Jump): bigint {
  return j.target >= 0n ? j.target : (readU64(regs[j.rs1]!) + j.imm) & (MASK64 ^ 1n)
}

/** Leave the frames a return to `target` with stack pointer `sp` ends. */
function doReturn(cpu: Cpu, ts: bigint, target: bigint, sp: bigint): void {
  const s = cpu.stack
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i]!.ret === target) {
      while (s.length > i) leave(cpu, ts)
      return
    }
  }
  // Nothing returns there (longjmp, a context switch): leave what lies below the stack pointer.
  while (s.length > 0 && s[s.length - 1]!.sp <= sp) leave(cpu, ts)
}

function onJump(vcpu: number, j: Jump): void {
  const cpu = cpuOf(vcpu)
  const ts = now(cpu)
  const target = jumpTarget(j)
  const sp = readU64(regSp)
  if (j.kind !== Kind.Call) doReturn(cpu, ts, target, sp)
  if (j.kind !== Kind.Ret) enter(cpu, ts, { addr: target, ret: j.next, sp })
}

// frame-pointer tracking (QEMU's track_callstack, with RISC-V's frame layout)

/** The frame pointer saved by the function whose frame pointer is `fp`: s0-16, or s0-8 in a leaf. */
function callerFp(fp: bigint, known: bigint): bigint {
  if (fp === 0n) return 0n
  const a = readMem64(fp - 16n)
  if (a === known) return a
  const b = readMem64(fp - 8n)
  return b === known ? b : a
}

function unwind(cpu: Cpu, ts: bigint, fp: bigint, pc: bigint): void {
  const frames: Frame[] = []
  for (;;) {
    if (frames.some((f) => f.ret === fp)) break
    frames.push({ addr: pc, ret: fp, sp: 0n })
    if (fp === 0n || frames.length >= 1024) break
    const prev = readMem64(fp - 16n)
    pc = readMem64(fp - 8n)
    // Frames live at increasing, 16-byte aligned addresses towards the callers,
    // and return into mapped code: anything else is not a frame record.
    if (prev <= fp || (prev & 15n) !== 0n || (pc & 1n) !== 0n || qp.translateVaddr(pc) === undefined) break
    fp = prev
  }
  for (let i = frames.length - 1; i >= 0; i--) enter(cpu, ts, frames[i]!)
}

function onFramePoint(vcpu: number, pc: bigint): void {
  const cpu = cpuOf(vcpu)
  const ts = now(cpu)
  const s = cpu.stack
  const fp = readU64(regFp)
  if (fp === 0n && s.length === 0) {
    enter(cpu, ts, { addr: pc, ret: fp, sp: 0n })
    return
  }
  const top = s.length >= 1 ? s[s.length - 1]!.ret : 0n
  if (fp === top) return
  const caller = s.length >= 2 ? s[s.length - 2]!.ret : 0n
  if (fp === caller) {
    leave(cpu, ts)
    return
  }
  if (callerFp(fp, top) === top) {
    enter(cpu, ts, { addr: pc, ret: fp, sp: 0n })
    return
  }
  // A discontinuity: leave the whole stack and unwind the new one.
  leaveAll(cpu, ts)
  unwind(cpu, ts, fp, pc)
}

const touchesFp = (disas: string): boolean => /\b(s0|fp)\b/.test(disas)

// privilege levels

function onBlockPriv(vcpu: number, pc: bigint): void {
  const cpu = cpuOf(vcpu)
  const level = levelOfPriv(readU64(regPriv!))
  if (level === cpu.level) return
  const ts = now(cpu)
  leaveAll(cpu, ts)
  cpu.level = level
  cpu.trace = cpu.traces[level]!
  if (track === 'fp') unwind(cpu, ts, readU64(regFp), pc)
}

// ---- translation ----------------------------------------------------------------------

function vcpuTbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  const tbPc = qp.tbVaddr(tb)
  if (traceLevels && regPriv !== undefined) qp.registerVcpuTbExecCb(tb, onBlockPriv, qp.CbFlags.R_REGS, tbPc)
  if (track === 'call') {
    names.set(tbPc, qp.insnSymbol(qp.tbGetInsn(tb, 0)))
    for (let i = 0; i < n; i++) {
      const insn = qp.tbGetInsn(tb, i)
      const j = classify(qp.insnData(insn), qp.insnVaddr(insn))
      if (j !== undefined) qp.registerVcpuInsnExecCb(insn, onJump, qp.CbFlags.R_REGS, j)
    }
    return
  }
  // As QEMU: the first instruction, and each one after an instruction that may change the frame pointer.
  let instrument = true
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    if (instrument) {
      const pc = qp.insnVaddr(insn)
      names.set(pc, qp.insnSymbol(insn))
      qp.registerVcpuInsnExecCb(insn, onFramePoint, qp.CbFlags.R_REGS, pc)
    }
    instrument = touchesFp(qp.insnDisas(insn))
  }
}

// ---- vCPUs --------------------------------------------------------------------------------

function vcpuInit(_id: qp.PluginId, vcpu: number): void {
  findRegisters()
  const existing = cpus[vcpu]
  if (existing !== undefined) {
    // An index used again by a new thread: its records continue the same traces, later.
    existing.stack = []
    if (clock === 'insn') {
      const count = readU64(regInstret!)
      if (count + existing.offset <= existing.lastTs) existing.offset = existing.lastTs + 1n - count
    }
    return
  }
  const base = (vcpu + 1) * TRACE_ID_SCALE
  const traces = traceLevels
    ? LEVEL_NAMES.map((l, i) => new Trace(base + i, `cpu${vcpu} ${l}`))
    : [new Trace(base, `cpu${vcpu}`)]
  const level = traceLevels && regPriv !== undefined ? levelOfPriv(readU64(regPriv)) : 0
  cpus[vcpu] = { traces, trace: traces[level]!, level, stack: [], lastTs: 0n, offset: 0n }
}

function vcpuExit(_id: qp.PluginId, vcpu: number): void {
  const cpu = cpus[vcpu]
  if (cpu !== undefined) leaveAll(cpu, now(cpu))
}

// ---- output ---------------------------------------------------------------------------------

const hex = (v: bigint): string => v.toString(16)
const pad16 = (v: bigint): string => v.toString(16).padStart(16, '0')
const nameOf = (addr: bigint): string => names.get(addr) ?? `0x${hex(addr)}`

/** A date as C's ctime() writes it (uftrace's record_date). */
function ctime(d: Date): string {
  const [wday, month, day, year] = d.toDateString().split(' ')
  return `${wday} ${month} ${day!.replace(/^0/, ' ')} ${d.toTimeString().slice(0, 8)} ${year}`
}

/** uftrace's info file, as QEMU writes it (same header and sections), with what rvscope knows filled in. */
function writeInfo(traces: Trace[], exe: string): void {
  // biome-ignore format: the 40 header bytes, as `uftrace dump --debug` shows them
  const header = Buffer.from([
    0x46, 0x74, 0x72, 0x61, 0x63, 0x65, 0x21, 0x00, 0x04, 0x00, 0x00, 0x00, 0x28, 0x00, 0x01, 0x02,
    0x63, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ])
  const ncpus = qp.numVcpus()
  const elapsed = process.hrtime.bigint() - hrBase
  const lines = [
    `exename:${exe}`,
    'build_id:0000000000000000000000000000000000000000',
    'exit_status:',
    `cmdline:${exe}`,
    'cpuinfo:lines=2',
    `cpuinfo:nr_cpus=${ncpus} / ${ncpus} (online/possible)`,
    'cpuinfo:desc=rvscope riscv64',
    'meminfo:',
    'osinfo:lines=3',
    'osinfo:kernel=',
    'osinfo:hostname=',
    'osinfo:distro=',
    'taskinfo:lines=2',
    `taskinfo:nr_tid=${traces.length}`,
    `taskinfo:tids=${traces.map((t) => t.id).join(',')}`,
    'usageinfo:lines=6',
    'usageinfo:systime=',
    'usageinfo:usrtime=',
    'usageinfo:ctxsw=',
    'usageinfo:maxrss=',
    'usageinfo:pagefault=',
    'usageinfo:iops=',
    'loadinfo:',
    `record_date:${ctime(new Date())}`,
    `elapsed_time:${elapsed / 1_000_000_000n}.${(elapsed % 1_000_000_000n).toString().padStart(9, '0')} sec`,
    'pattern_type:regex',
    'uftrace_version:',
    'utc_offset:',
  ]
  writeFileSync(join(out, 'info'), Buffer.concat([header, Buffer.from(`${lines.join('\n')}\n`)]))
}

function writeUftrace(traces: Trace[]): void {
  const exe = resolve(qp.pathToBinary() ?? 'guest')
  // The program's mapping, stretched over every function entered, and QEMU's
  // [stack] line that keeps uftrace from taking any address for the kernel's.
  const addrs = [...entered].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  let start = qp.startCode() & ~0xfffn
  let end = (qp.endCode() + 0xfffn) & ~0xfffn
  if (addrs.length > 0) {
    if (addrs[0]! < start) start = addrs[0]! & ~0xfffn
    if (addrs[addrs.length - 1]! >= end) end = (addrs[addrs.length - 1]! + 0x1000n) & ~0xfffn
  }
  writeFileSync(
    join(out, 'sid-0.map'),
    `${pad16(start)}-${pad16(end)} r-xp 00000000 00:00 0 ${exe}\n` +
      'ffffffffffff-ffffffffffff rw-p 00000000 00:00 0 [stack]\n',
  )
  // Symbols relative to the mapping (uftrace's SYM_REL_ADDR), one per address
  // entered, so that each resolves to exactly its own name.
  let sym = ''
  for (const a of addrs) sym += `${pad16(a - start)} T ${nameOf(a)}\n`
  if (addrs.length > 0) sym += `${pad16(addrs[addrs.length - 1]! + 1n - start)} T __sym_end\n`
  writeFileSync(join(out, `${basename(exe)}.sym`), sym)
  writeInfo(traces, exe)
  let task = ''
  for (const t of traces)
    task += `SESS timestamp=0.0 pid=${t.id} sid=0 exename="${t.name}"\nTASK timestamp=0.0 tid=${t.id} pid=${t.id}\n`
  writeFileSync(join(out, 'task.txt'), task)
}

function writeJson(traces: Trace[]): void {
  const fd = openSync(out, 'w')
  let text = '{"traceEvents":[\n'
  let first = true
  const emit = (ev: string): void => {
    text += first ? ev : `,\n${ev}`
    first = false
    if (text.length > 1 << 20) {
      writeSync(fd, text)
      text = ''
    }
  }
  // Microseconds since the start of the run (host time) or since the first instruction.
  const base = clock === 'host' ? wallBase : 0n
  const us = (ts: bigint): string => {
    const ns = ts > base ? ts - base : 0n
    return `${ns / 1000n}.${(ns % 1000n).toString().padStart(3, '0')}`
  }
  for (const t of traces) {
    if (t.kept.length === 0) continue
    const name = JSON.stringify(`[${t.id}] ${t.name}`)
    emit(`{"ts":0,"ph":"M","pid":${t.id},"tid":${t.id},"name":"process_name","args":{"name":${name}}}`)
    emit(`{"ts":0,"ph":"M","pid":${t.id},"tid":${t.id},"name":"thread_name","args":{"name":${name}}}`)
    for (const chunk of t.kept) {
      for (let o = 0; o < chunk.length; o += 16) {
        const ts = chunk.readBigUInt64LE(o)
        const data = chunk.readBigUInt64LE(o + 8)
        const addr = data >> 16n
        const ph = (data & 3n) === ENTRY ? 'B' : 'E'
        emit(
          `{"ts":${us(ts)},"ph":"${ph}","pid":${t.id},"tid":${t.id},"name":${JSON.stringify(nameOf(addr))},"args":{"addr":"0x${hex(addr)}"}}`,
        )
      }
    }
  }
  text += `\n],"displayTimeUnit":"ns","otherData":{"program":${JSON.stringify(qp.pathToBinary() ?? '')},"tracker":"${track}","time":"${clock === 'insn' ? 'retired instructions (1 ns each)' : 'host ns'}"}}\n`
  writeSync(fd, text)
  closeSync(fd)
}

function atExit(): void {
  const traces: Trace[] = []
  for (const cpu of cpus) {
    if (cpu === undefined) continue
    // Still running at exit (exit() never returns): close the frames at the last time seen.
    leaveAll(cpu, clock === 'insn' ? cpu.lastTs : wallBase + (process.hrtime.bigint() - hrBase))
    for (const t of cpu.traces) {
      t.close()
      traces.push(t)
    }
  }
  if (format === 'uftrace') writeUftrace(traces)
  else writeJson(traces)
  qp.outs(
    `uftrace: ${entered.size} functions, ${traces.length} traces written to ${format === 'uftrace' ? `${out}/` : out}\n`,
  )
}

export const install: qp.PluginInstall = (id, info, args) => {
  let outArg: string | undefined
  for (const a of args) {
    if (a.name === 'trace-privilege-level') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      traceLevels = v
    } else if (a.name === 'track' && (a.value === 'call' || a.value === 'fp')) {
      track = a.value
    } else if (a.name === 'format' && (a.value === 'uftrace' || a.value === 'json')) {
      format = a.value
    } else if (a.name === 'time' && (a.value === 'host' || a.value === 'insn')) {
      clock = a.value
    } else if (a.name === 'out' && a.value !== '') {
      outArg = a.value
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  if (info.targetName !== 'riscv64' && info.targetName !== 'riscv32')
    return `plugin uftrace: ${info.targetName} target is not supported`
  out = outArg ?? (format === 'uftrace' ? './uftrace.data' : './uftrace.json')
  if (format === 'uftrace') mkdirSync(out, { recursive: true })
  qp.registerVcpuInitCb(id, vcpuInit)
  qp.registerVcpuExitCb(id, vcpuExit)
  qp.registerVcpuTbTransCb(id, vcpuTbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
