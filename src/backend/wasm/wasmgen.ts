/**
 * The WebAssembly backend: compiles each IR block into a wasm function over
 * the arena's memory, with native i64 arithmetic, registers loaded and
 * stored in the CPU's register frame, and guest memory reached through the
 * address space's software TLB (see paged-memory.ts), calling back into
 * JavaScript only on a TLB miss, a page-crossing access or a helper.
 *
 * Life cycle: `prepare(tb)` only records the block; code is built and
 * instantiated when the block runs (at once with `wasmBackend`, in batches
 * of hot blocks sharing one module with `tieredWasm`), since only then is
 * the arena's memory (which the module imports) known. The code is kept
 * for the block's lifetime and rebuilt only if the block runs in another
 * arena.
 *
 * Protocol (the same as the other backends, backend.ts): the generated
 * function takes the register frame's and the TLB's byte offsets, leaves
 * the next PC in the shared global `npc` and returns `ic`, the 1-based
 * index of the instruction reached (statically known at each exit); an
 * exception returns `(cause + 1) << 16 | ic` with the faulting
 * instruction's PC in `npc` and the trap value in `val`. Before each call
 * into JavaScript the function stores `ic` in the shared global `ic`, so
 * that an error thrown by the slow path or a helper is turned into an
 * exception at the right instruction, and helpers see the right
 * instruction count. Registers are written to memory at every SetReg, so
 * the state is always precise.
 *
 * Dispatch inside wasm (`WasmChain`): compiled blocks of a translation
 * cache are placed in a function table shared by every module over the
 * same memory (modules export their functions; JavaScript puts them in the
 * table, so no block module imports it), and a jump cache in the arena maps
 * guest PCs to table slots. One small dispatcher module per memory looks
 * the next PC up, calls the block through `call_indirect`, adds its
 * instructions to the shared global `done`, and goes on until the PC is not
 * in the jump cache, the budget is spent, an exception is raised or the
 * CPU's exit-request word is set.
 */

import type { Arena } from '../../core/arena.js'
import { Access } from '../../core/errors.js'
import { type PagedMemory, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_WRITE_OFFSET } from '../../core/paged-memory.js'
import {
  type CallOp,
  type Cell,
  type Helper,
  HelperEffect,
  type InstrumentSite,
  type IrBlock,
  type IrOp,
  Op,
  SiteRegs,
} from '../../ir/ir.js'
import {
  type Backend,
  type BlockChain,
  type ExecState,
  ExitKind,
  exitForError,
  FRAME_EXIT_REQUEST,
} from '../backend.js'
import { BLOCK_VOID, FuncBody, ModuleBuilder, ValType, W } from './encoder.js'

/** What the wasm backend needs from the running CPU besides the common state. */
export interface WasmExecState extends ExecState {
  /** Byte offset of the register slots in the arena's memory. */
  readonly regsOffset: number
  readonly arena: Arena
  readonly mem: PagedMemory
  /** Index of the running vCPU, which selects its instrumentation cells. */
  readonly vcpuIndex: number
  /** Set to make the CPU leave its dispatch loop after the current block. */
  exitRequest: boolean
}

const U = (v: bigint): bigint => BigInt.asUintN(64, v)

// ---- run-time shared by every generated module ----------------------------

/** 1-based index of the instruction that last called into JavaScript. */
const icGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** Trap value of the last exception exit. */
const valGlobal = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n)
/** Where the last block continues (the faulting PC after an exception). */
const npcGlobal = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n)
/** Instructions retired by the blocks a chain run has finished so far (0 outside chains). */
const doneGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** Table slot of the block a chain run is in (to find its instruction PCs when JavaScript under it throws). */
const curGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** Chain runs and regions stop moving to the next block once `done` reaches this. */
const budgetGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** Index of the running vCPU (cells are per vCPU). */
const vcpuGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** The state of the block running now (blocks never nest, so one suffices). */
let cur!: WasmExecState

/** TLB miss or page-crossing read: the full lookup, which also refills the TLB (wasm passes i64 as signed). */
function loadSlow(addr: bigint, size: number): bigint {
  const a = U(addr)
  const v = cur.mem.load(a, size)
  cur.mem.tlbFill(Number(a), Access.Read)
  return v
}

function storeSlow(addr: bigint, size: number, value: bigint): void {
  const a = U(addr)
  cur.mem.store(a, size, value)
  cur.mem.tlbFill(Number(a), Access.Write)
}

// biome-ignore lint/suspicious/noExplicitAny: the stubs of different arities share one cache
type HelperStub = (...args: any[]) => bigint
const helperStubs = new Map<Helper, HelperStub[]>()

/**
 * The imported function for a helper taking `arity` arguments: the
 * instructions started first (an i32), then the arguments (unsigned; only
 * as many as call sites pass, since every i64 crossing into JavaScript
 * becomes a bigint), a result always.
 */
function helperStub(h: Helper, arity: number): HelperStub {
  let stubs = helperStubs.get(h)
  if (stubs === undefined) {
    stubs = []
    helperStubs.set(h, stubs)
  }
  let f = stubs[arity]
  if (f === undefined) {
    const run = (n: number, a: bigint, b: bigint, c: bigint, d: bigint): bigint => {
      const st = cur
      st.blockInsns = n
      return h.fn(st, a, b, c, d) ?? 0n
    }
    const stubsByArity: HelperStub[] = [
      (n: number) => run(n, 0n, 0n, 0n, 0n),
      (n: number, a: bigint) => run(n, U(a), 0n, 0n, 0n),
      (n: number, a: bigint, b: bigint) => run(n, U(a), U(b), 0n, 0n),
      (n: number, a: bigint, b: bigint, c: bigint) => run(n, U(a), U(b), U(c), 0n),
      (n: number, a: bigint, b: bigint, c: bigint, d: bigint) => run(n, U(a), U(b), U(c), U(d)),
    ]
    f = stubs[arity] = stubsByArity[arity]!
  }
  return f
}

/** Run an instrumentation site of the running block, `n` instructions started: 1 (new PC in `npc`) if it redirected the PC. */
function runSite(site: InstrumentSite, n: number, a: bigint, v: bigint): number {
  const st = cur
  st.blockInsns = n
  const to = site.call(st, a, v)
  if (to === undefined) return 0
  npcGlobal.value = to
  return 1
}

// ---- code generation ----------------------------------------------------

/** Parameters of a block function: register frame offset, TLB offset. */
const P_REGS = 0
const P_TLB = 1
const M32 = 0xffffffffn

/** A module compiling several blocks: export `f<i>` runs `blocks[i]`. */
export interface CompiledModule {
  bytes: Uint8Array
  /** Helpers imported as `h<i>`, with the number of arguments each import takes. */
  helpers: Helper[]
  arities: number[]
  /** The blocks of each function, by index in `blocks`, in the order the function numbers them. */
  regions: number[][]
  /** Instrumentation sites, by the index the import `ins` receives. */
  sites: InstrumentSite[]
}

const LOAD_OP: Record<number, [unsigned: W, signed: W, align: number]> = {
  1: [W.I64Load8U, W.I64Load8S, 0],
  2: [W.I64Load16U, W.I64Load16S, 1],
  4: [W.I64Load32U, W.I64Load32S, 2],
  8: [W.I64Load, W.I64Load, 3],
}
const STORE_OP: Record<number, [W, number]> = {
  1: [W.I64Store8, 0],
  2: [W.I64Store16, 1],
  4: [W.I64Store32, 2],
  8: [W.I64Store, 3],
}
const EXTEND: Record<number, W> = { 1: W.I64Extend8S, 2: W.I64Extend16S, 4: W.I64Extend32S }

/** Binary64 ops on reinterpreted operands. */
const FLOAT_BIN: Partial<Record<Op, W>> = {
  [Op.FAdd]: W.F64Add,
  [Op.FSub]: W.F64Sub,
  [Op.FMul]: W.F64Mul,
  [Op.FDiv]: W.F64Div,
}
const SIMPLE_BIN: Partial<Record<Op, W>> = {
  [Op.Add]: W.I64Add,
  [Op.Sub]: W.I64Sub,
  [Op.Mul]: W.I64Mul,
  [Op.And]: W.I64And,
  [Op.Or]: W.I64Or,
  [Op.Xor]: W.I64Xor,
  // wasm shifts and rotates take the count modulo 64, as the IR does.
  [Op.Shl]: W.I64Shl,
  [Op.Shr]: W.I64ShrU,
  [Op.Sar]: W.I64ShrS,
  [Op.Rotl]: W.I64Rotl,
  [Op.Rotr]: W.I64Rotr,
}
const COMPARE: Partial<Record<Op, W>> = {
  [Op.Eq]: W.I64Eq,
  [Op.Ne]: W.I64Ne,
  [Op.LtS]: W.I64LtS,
  [Op.LtU]: W.I64LtU,
  [Op.GeS]: W.I64GeS,
  [Op.GeU]: W.I64GeU,
}
/** Min/max: the comparison that selects `a`. */
const MINMAX: Partial<Record<Op, W>> = {
  [Op.MinS]: W.I64LtS,
  [Op.MinU]: W.I64LtU,
  [Op.MaxS]: W.I64GtS,
  [Op.MaxU]: W.I64GtU,
}
const SIMPLE_UN: Partial<Record<Op, W>> = {
  [Op.Clz]: W.I64Clz,
  [Op.Ctz]: W.I64Ctz,
  [Op.Cpop]: W.I64Popcnt,
  [Op.Sext8]: W.I64Extend8S,
  [Op.Sext16]: W.I64Extend16S,
  [Op.Sext32]: W.I64Extend32S,
}
const ZEXT: Partial<Record<Op, bigint>> = { [Op.Zext8]: 0xffn, [Op.Zext16]: 0xffffn, [Op.Zext32]: M32 }

/** Function indices of the imports every module has, in import order. */
const F_LOAD = 0
const F_STORE = 1
const F_INSTRUMENT = 2
/** The same for sites without address and value (execution callbacks): no i64 arguments to convert. */
const F_INSTRUMENT0 = 3
const F_HELPERS = 4
/** Global indices. */
const G_IC = 0
const G_VAL = 1
const G_VCPU = 2
const G_NPC = 3
const G_DONE = 4
const G_BUDGET = 5
/** Exception results: `(cause + 1) << EXC_SHIFT | ic`; smaller results are jumps. */
const EXC_SHIFT = 16
const IC_MASK = (1 << EXC_SHIFT) - 1

/**
 * Build one module for `blocks`; `regions[i]` names the region block `i`
 * belongs to (by default each block is its own). The blocks of a region
 * share one function, with registers in locals across them and jumps
 * between them staying inside; export `f<i>` enters it at block `i`.
 */
export function compileModule(
  blocks: IrBlock[],
  regions: number[] = blocks.map((_, i) => i),
): CompiledModule {
  const m = new ModuleBuilder()
  const tRun = m.type([ValType.I32, ValType.I32], [ValType.I32])
  const tRegion = m.type([ValType.I32, ValType.I32, ValType.I32], [ValType.I32])
  const tLoad = m.type([ValType.I64, ValType.I32], [ValType.I64])
  const tStore = m.type([ValType.I64, ValType.I32, ValType.I64], [])
  const tInstrument = m.type([ValType.I32, ValType.I32, ValType.I64, ValType.I64], [ValType.I32])
  m.importMemory('e', 'mem')
  m.importGlobal('e', 'ic', ValType.I32, true)
  m.importGlobal('e', 'val', ValType.I64, true)
  m.importGlobal('e', 'vcpu', ValType.I32, true)
  m.importGlobal('e', 'npc', ValType.I64, true)
  m.importGlobal('e', 'done', ValType.I32, true)
  m.importGlobal('e', 'budget', ValType.I32, true)
  m.importFunc('e', 'ld', tLoad)
  m.importFunc('e', 'st', tStore)
  m.importFunc('e', 'ins', tInstrument)
  m.importFunc('e', 'ins0', m.type([ValType.I32, ValType.I32], [ValType.I32]))
  // Each helper is imported once, taking as many arguments as its call sites pass at most.
  const arity = new Map<Helper, number>()
  for (const tb of blocks)
    for (const o of tb.ops)
      if (o.op === Op.Call) arity.set(o.helper, Math.max(arity.get(o.helper) ?? 0, o.args.length))
  const helpers = [...arity.keys()]
  helpers.forEach((h, i) => {
    m.importFunc(
      'e',
      `h${i}`,
      m.type([ValType.I32, ...new Array<ValType>(arity.get(h)!).fill(ValType.I64)], [ValType.I64]),
    )
  })
  const sites: InstrumentSite[] = []
  const siteIndex = (site: InstrumentSite) => sites.push(site) - 1
  const helperFunc = (h: Helper) => ({ index: F_HELPERS + helpers.indexOf(h), arity: arity.get(h)! })
  const members = groupBy(
    blocks.map((_, i) => i),
    (i) => regions[i]!,
  )
  const exported: number[] = new Array(blocks.length)
  for (const list of members.values()) {
    const rb = list.map((i) => blocks[i]!)
    if (list.length === 1 && !loopsToItself(rb[0]!)) {
      exported[list[0]!] = m.func(tRun, regionBody(rb, false, helperFunc, siteIndex))
      continue
    }
    const region = m.func(tRegion, regionBody(rb, true, helperFunc, siteIndex))
    list.forEach((i, k) => {
      const w = new FuncBody([])
      w.opU(W.LocalGet, P_REGS).opU(W.LocalGet, P_TLB).i32(k).opU(W.Call, region)
      exported[i] = m.func(tRun, w)
    })
  }
  exported.forEach((fn, i) => {
    m.export(`f${i}`, fn)
  })
  return {
    bytes: m.finish(),
    helpers,
    arities: helpers.map((h) => arity.get(h)!),
    regions: [...members.values()],
    sites,
  }
}

/** `items` grouped by `key`, in order. */
function groupBy<K, V>(items: V[], key: (v: V) => K): Map<K, V[]> {
  const out = new Map<K, V[]>()
  for (const v of items) {
    const k = key(v)
    const list = out.get(k)
    if (list === undefined) out.set(k, [v])
    else list.push(v)
  }
  return out
}

/** Static jump targets of a block. */
function targetsOf(tb: IrBlock): bigint[] {
  const out: bigint[] = []
  for (const o of tb.ops) if (o.op === Op.Goto || o.op === Op.BrCond) out.push(o.target)
  return out
}

const loopsToItself = (tb: IrBlock): boolean => targetsOf(tb).includes(tb.pc)

/** Most blocks in one region: bounds the size of a function (and its compile time). */
const MAX_REGION_BLOCKS = 48
/**
 * Most IR ops (fast paths included) in one region. V8 gives functions with many
 * values (over 8192 virtual registers) a simpler register allocator whose code
 * runs about twice as slow; regions stay well below that.
 */
const MAX_REGION_OPS = 3000

/** IR ops of a block, those of its helpers' fast paths included. */
const opCount = (tb: IrBlock): number =>
  tb.ops.reduce((n, o) => n + 1 + (o.op === Op.Call && o.fast !== undefined ? o.fast.ops.length : 0), 0)

/**
 * Group blocks into regions: blocks of the same address space (equal
 * `space`) joined by static jumps, up to MAX_REGION_BLOCKS per region.
 * Returns each block's region number.
 */
export function formRegions(blocks: IrBlock[], space: (i: number) => unknown = () => 0): number[] {
  const parent = blocks.map((_, i) => i)
  const size = blocks.map(() => 1)
  const weight = blocks.map(opCount)
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!
    return i
  }
  const bySpace = groupBy(
    blocks.map((_, i) => i),
    space,
  )
  const pcsOf = new Map(
    [...bySpace].map(([key, list]) => [key, new Map(list.map((j) => [blocks[j]!.pc, j]))]),
  )
  blocks.forEach((tb, i) => {
    const pcs = pcsOf.get(space(i))!
    for (const t of targetsOf(tb)) {
      const j = pcs.get(t)
      if (j === undefined) continue
      const [a, b] = [find(i), find(j)]
      if (a === b || size[a]! + size[b]! > MAX_REGION_BLOCKS || weight[a]! + weight[b]! > MAX_REGION_OPS)
        continue
      parent[b] = a
      size[a]! += size[b]!
      weight[a]! += weight[b]!
    }
  })
  return blocks.map((_, i) => find(i))
}

/**
 * The function of a region: one block, or several (`multi`: then the
 * function takes the index of the block to start with as a third
 * parameter, and a loop around a `br_table` runs block after block while
 * jumps stay inside). The guest registers the blocks use live in locals:
 * loaded on entry, written back before leaving and before any call out
 * that may read them, or fault, or throw; reloaded after calls that may
 * write them. Instrumentation cells (inline counters) live in locals the
 * same way, written back before every call out but pure helpers, reloaded
 * after callbacks (unless two of them overlap in memory). Moving to
 * another block of the region first adds the instructions retired to
 * `done` and leaves instead if that reaches `budget` or the CPU's
 * exit-request word is set.
 */
function regionBody(
  blocks: IrBlock[],
  multi: boolean,
  helperFunc: (h: Helper) => { index: number; arity: number },
  siteIndex: (s: InstrumentSite) => number,
): FuncBody {
  const P_ENTRY = 2
  // Locals after the parameters: i64 temporaries (shared: temps do not live across blocks), scratch, registers.
  const T0 = multi ? 3 : 2
  const temps = Math.max(...blocks.map((tb) => tb.temps))
  const S64 = T0 + temps
  const nS64 = 4
  const read = new Set<number>()
  const written = new Set<number>()
  for (const tb of blocks)
    for (const o of tb.ops) {
      if (o.op === Op.GetReg) read.add(o.reg)
      else if (o.op === Op.SetReg) written.add(o.reg)
      else if (o.op === Op.Call && o.fast !== undefined)
        for (const x of o.fast.ops) if (x.op === Op.GetReg) read.add(x.reg)
    }
  const used = [...new Set([...read, ...written])].sort((x, y) => x - y)
  const dirty = [...written].sort((x, y) => x - y)
  const R0 = S64 + nS64
  const regLocal = new Map(used.map((r, i) => [r, R0 + i]))
  // Cells by storage and offset; cached in locals when no two of them overlap.
  const cells = new Map<string, { cell: Cell; written: boolean }>()
  for (const tb of blocks)
    for (const o of tb.ops) {
      if (o.op !== Op.CellLoad && o.op !== Op.CellStore) continue
      const key = `${o.cell.base}:${o.cell.stride}:${o.cell.offset}`
      const c = cells.get(key) ?? { cell: o.cell, written: false }
      if (o.op === Op.CellStore) c.written = true
      cells.set(key, c)
    }
  const cellList = [...cells.values()]
  const cacheCells = cellList.every(({ cell: a }, i) =>
    cellList.every(
      ({ cell: b }, j) =>
        i === j || a.base !== b.base || a.stride !== b.stride || Math.abs(a.offset - b.offset) >= 8,
    ),
  )
  const C0 = R0 + used.length
  const cellVal = new Map(cacheCells ? [...cells.keys()].map((k, i) => [k, C0 + i]) : [])
  const cellValue = (c: Cell) => cellVal.get(`${c.base}:${c.stride}:${c.offset}`)
  const S32 = C0 + cellVal.size
  // Region locals: the block to run next, and the `done` and `budget` globals kept in locals between call-outs.
  const STATE = S32 + 2
  const DONE = S32 + 3
  const BUDGET = S32 + 4
  // One i32 local per distinct cell storage, holding the running vCPU's element address (set on entry).
  const cellLocals = new Map<string, number>()
  const cellKey = (c: Cell) => `${c.base}:${c.stride}`
  for (const tb of blocks)
    for (const o of tb.ops) {
      if ((o.op === Op.CellLoad || o.op === Op.CellStore) && !cellLocals.has(cellKey(o.cell)))
        cellLocals.set(cellKey(o.cell), BUDGET + 1 + cellLocals.size)
    }
  const locals: ValType[] = [
    ...new Array<ValType>(temps + nS64 + used.length + cellVal.size).fill(ValType.I64),
    ...new Array<ValType>(5 + cellLocals.size).fill(ValType.I32),
  ]
  const f = new FuncBody(locals)
  /** Write the registers the region changes back to the frame. */
  const spillRegs = () => {
    for (const r of dirty)
      f.opU(W.LocalGet, P_REGS)
        .opU(W.LocalGet, regLocal.get(r)!)
        .mem(W.I64Store, 3, r * 8)
  }
  /** Load every register the region uses from the frame. */
  const reloadRegs = () => {
    for (const r of used)
      f.opU(W.LocalGet, P_REGS)
        .mem(W.I64Load, 3, r * 8)
        .opU(W.LocalSet, regLocal.get(r)!)
  }
  /** Write the cells the region changes back to their storage. */
  const spillCells = () => {
    for (const [key, { cell, written }] of cells) {
      if (!written || !cellVal.has(key)) continue
      cellAddr(cell)
      f.opU(W.LocalGet, cellVal.get(key)!).mem(W.I64Store, 0, cell.offset)
    }
  }
  /** Load every cached cell from its storage. */
  const reloadCells = () => {
    for (const [key, { cell }] of cells) {
      if (!cellVal.has(key)) continue
      cellAddr(cell)
      f.mem(W.I64Load, 0, cell.offset).opU(W.LocalSet, cellVal.get(key)!)
    }
  }
  /** Registers and cells back to memory (before leaving, and before calls out that may observe them or throw). */
  const spill = () => {
    spillRegs()
    spillCells()
  }
  /** Push the address of the running vCPU's element of `cell`'s storage. */
  const cellAddr = (cell: Cell) => f.opU(W.LocalGet, cellLocals.get(cellKey(cell))!)
  reloadRegs()
  // Storage does not move while a block runs (it grows only when a vCPU is created, between blocks).
  for (const [key, local] of cellLocals) {
    const [base, stride] = key.split(':').map(Number) as [number, number]
    f.i32(base).mem(W.I32Load, 2, 0)
    f.opU(W.GlobalGet, G_VCPU).i32(stride).op(W.I32Mul).op(W.I32Add).opU(W.LocalSet, local)
  }
  reloadCells()
  const index = new Map(blocks.map((tb, k) => [tb.pc, k]))
  /** The block being emitted, its index, the structured nesting inside its code, and whether it jumps to itself. */
  let tb = blocks[0]!
  let k = 0
  let nest = 0
  let ic = 0
  let selfLoop = false
  /** Publish `done` (before leaving or calling out: JavaScript reads it). */
  const syncDone = () => {
    if (multi) f.opU(W.LocalGet, DONE).opU(W.GlobalSet, G_DONE)
  }

  const get = (t: number) => f.opU(W.LocalGet, T0 + t)
  const set = (t: number) => f.opU(W.LocalSet, T0 + t)
  const s64 = (i: number) => S64 + i
  /** Leave for the PC on the stack, `retired` instructions of this block reached. */
  const jump = (retired = ic) => {
    f.opU(W.GlobalSet, G_NPC)
    spill()
    syncDone()
    f.i32(retired).op(W.Return)
  }
  /** Continue at static `target`: inside the region when it is one of its blocks and the budget allows. */
  const goto = (target: bigint) => {
    const to = multi ? index.get(target) : undefined
    if (to !== undefined) {
      f.opU(W.LocalGet, DONE).i32(ic).op(W.I32Add).opU(W.LocalTee, DONE)
      f.opU(W.LocalGet, BUDGET).op(W.I32LtU)
      f.structured(W.If, BLOCK_VOID)
      if (to === k) {
        // A jump to itself: straight to the loop around this block's code.
        f.opU(W.Br, nest + 1).op(W.End)
      } else {
        // Through the dispatching loop: outside this block's own loop, if any, and the blocks still open around its code.
        f.i32(to)
          .opU(W.LocalSet, STATE)
          .opU(W.Br, nest + 1 + (selfLoop ? 1 : 0) + (blocks.length - 1 - k))
          .op(W.End)
      }
      f.i64(target)
      jump(0)
      return
    }
    f.i64(target)
    jump()
  }
  const s32 = (i: number) => S32 + i
  /** Open an `if` on temp `c` being non-zero. */
  const ifNonZero = (c: number, type: number) => {
    get(c).op(W.I64Eqz).op(W.I32Eqz).structured(W.If, type)
    nest++
  }
  const end = () => {
    f.op(W.End)
    nest--
  }
  /**
   * After a call out to JavaScript (the only code that can set the CPU's exit request while
   * wasm runs): a request empties the budget, so the next jump inside the region leaves.
   */
  const exitCheck = () => {
    if (!multi) return
    f.opU(W.LocalGet, P_REGS).mem(W.I32Load, 2, FRAME_EXIT_REQUEST)
    f.structured(W.If, BLOCK_VOID).i32(0).opU(W.LocalSet, BUDGET).op(W.End)
  }
  /** Record the block and instruction index before a call that may throw or read the instruction count. */
  const markIc = () => {
    f.i32((k << EXC_SHIFT) | ic).opU(W.GlobalSet, G_IC)
    syncDone()
  }

  /**
   * Push the TLB hit condition for an access of `size` bytes at temp `a`,
   * leaving the entry's address in local E and the page offset in local O.
   */
  const E = s32(0)
  const O = s32(1)
  const tlbHit = (a: number, size: number, write: boolean) => {
    get(a).i64(12n).op(W.I64ShrU).opU(W.LocalTee, s64(0))
    f.op(W.I32WrapI64)
      .i32(TLB_ENTRIES - 1)
      .op(W.I32And)
      .i32(Math.log2(TLB_ENTRY_BYTES))
      .op(W.I32Shl)
    f.opU(W.LocalGet, P_TLB).op(W.I32Add).opU(W.LocalTee, E)
    f.mem(W.I64Load, 3, write ? TLB_WRITE_OFFSET : 0)
      .opU(W.LocalGet, s64(0))
      .op(W.I64Eq)
    get(a).op(W.I32WrapI64).i32(4095).op(W.I32And).opU(W.LocalSet, O)
    if (size > 1)
      f.opU(W.LocalGet, O)
        .i32(4096 - size)
        .op(W.I32LeU)
        .op(W.I32And)
  }
  /** Push the host address of a TLB hit. */
  const hostAddr = (write: boolean) => {
    f.opU(W.LocalGet, E)
      .mem(W.I32Load, 2, (write ? TLB_WRITE_OFFSET : 0) + 8)
      .opU(W.LocalGet, O)
      .op(W.I32Add)
  }

  /** High 64 bits of the unsigned product of temps a and b (pushed). */
  const mulhu = (a: number, b: number) => {
    const [lh, hl, mid] = [s64(0), s64(1), s64(2)]
    get(a).i64(M32).op(W.I64And)
    get(b).i64(32n).op(W.I64ShrU).op(W.I64Mul).opU(W.LocalSet, lh)
    get(a).i64(32n).op(W.I64ShrU)
    get(b).i64(M32).op(W.I64And).op(W.I64Mul).opU(W.LocalSet, hl)
    get(a).i64(M32).op(W.I64And)
    get(b).i64(M32).op(W.I64And).op(W.I64Mul).i64(32n).op(W.I64ShrU)
    f.opU(W.LocalGet, lh).i64(M32).op(W.I64And).op(W.I64Add)
    f.opU(W.LocalGet, hl).i64(M32).op(W.I64And).op(W.I64Add).opU(W.LocalSet, mid)
    get(a).i64(32n).op(W.I64ShrU)
    get(b).i64(32n).op(W.I64ShrU).op(W.I64Mul)
    f.opU(W.LocalGet, lh).i64(32n).op(W.I64ShrU).op(W.I64Add)
    f.opU(W.LocalGet, hl).i64(32n).op(W.I64ShrU).op(W.I64Add)
    f.opU(W.LocalGet, mid).i64(32n).op(W.I64ShrU).op(W.I64Add)
  }
  /** Subtract `y` if `x` is negative: the signed correction of a high product. */
  const minusIfNeg = (x: number, y: number) => {
    get(x).i64(63n).op(W.I64ShrS)
    get(y).op(W.I64And).op(W.I64Sub)
  }

  const callHelper = (o: CallOp) => {
    if (o.helper.effects !== HelperEffect.None) spill()
    markIc()
    const { index, arity } = helperFunc(o.helper)
    f.opU(W.GlobalGet, G_DONE).i32(ic).op(W.I32Add)
    for (let i = 0; i < arity; i++) {
      if (o.args[i] === undefined) f.i64(0n)
      else get(o.args[i]!)
    }
    f.opU(W.Call, index)
    if (o.d >= 0) set(o.d)
    else f.op(W.Drop)
    exitCheck()
    if (o.helper.effects & HelperEffect.WritesRegs) reloadRegs()
  }

  const emit = (o: IrOp) => {
    switch (o.op) {
      case Op.Const:
        f.i64(o.imm)
        set(o.d)
        return
      case Op.Mov:
        get(o.a)
        set(o.d)
        return
      case Op.GetReg:
        f.opU(W.LocalGet, regLocal.get(o.reg)!)
        set(o.d)
        return
      case Op.SetReg:
        get(o.a).opU(W.LocalSet, regLocal.get(o.reg)!)
        return
      case Op.Add:
      case Op.Sub:
      case Op.Mul:
      case Op.And:
      case Op.Or:
      case Op.Xor:
      case Op.Shl:
      case Op.Shr:
      case Op.Sar:
      case Op.Rotl:
      case Op.Rotr:
        get(o.a)
        get(o.b).op(SIMPLE_BIN[o.op]!)
        set(o.d)
        return
      case Op.Eq:
      case Op.Ne:
      case Op.LtS:
      case Op.LtU:
      case Op.GeS:
      case Op.GeU:
        get(o.a)
        get(o.b).op(COMPARE[o.op]!).op(W.I64ExtendI32U)
        set(o.d)
        return
      case Op.MinS:
      case Op.MinU:
      case Op.MaxS:
      case Op.MaxU:
        get(o.a)
        get(o.b)
        get(o.a)
        get(o.b).op(MINMAX[o.op]!).op(W.Select)
        set(o.d)
        return
      case Op.MulHU:
        mulhu(o.a, o.b)
        set(o.d)
        return
      case Op.MulHS:
        mulhu(o.a, o.b)
        minusIfNeg(o.a, o.b)
        minusIfNeg(o.b, o.a)
        set(o.d)
        return
      case Op.MulHSU:
        mulhu(o.a, o.b)
        minusIfNeg(o.a, o.b)
        set(o.d)
        return
      // Division never traps: the cases wasm would trap on are decided first.
      case Op.DivU:
        get(o.b).op(W.I64Eqz).structured(W.If, ValType.I64).i64(-1n).op(W.Else)
        get(o.a)
        get(o.b).op(W.I64DivU).op(W.End)
        set(o.d)
        return
      case Op.RemU:
        get(o.b).op(W.I64Eqz).structured(W.If, ValType.I64)
        get(o.a).op(W.Else)
        get(o.a)
        get(o.b).op(W.I64RemU).op(W.End)
        set(o.d)
        return
      case Op.DivS:
        get(o.b).op(W.I64Eqz).structured(W.If, ValType.I64).i64(-1n).op(W.Else)
        // x / -1 = -x, which also gives MIN / -1 = MIN (the case div_s traps on).
        get(o.b).i64(-1n).op(W.I64Eq).structured(W.If, ValType.I64).i64(0n)
        get(o.a).op(W.I64Sub).op(W.Else)
        get(o.a)
        get(o.b).op(W.I64DivS).op(W.End).op(W.End)
        set(o.d)
        return
      case Op.RemS:
        // rem_s does not trap on MIN % -1 (it gives 0), only on a zero divisor.
        get(o.b).op(W.I64Eqz).structured(W.If, ValType.I64)
        get(o.a).op(W.Else)
        get(o.a)
        get(o.b).op(W.I64RemS).op(W.End)
        set(o.d)
        return
      case Op.Neg:
        f.i64(0n)
        get(o.a).op(W.I64Sub)
        set(o.d)
        return
      case Op.Not:
        get(o.a).i64(-1n).op(W.I64Xor)
        set(o.d)
        return
      case Op.Clz:
      case Op.Ctz:
      case Op.Cpop:
      case Op.Sext8:
      case Op.Sext16:
      case Op.Sext32:
        get(o.a).op(SIMPLE_UN[o.op]!)
        set(o.d)
        return
      case Op.Zext8:
      case Op.Zext16:
      case Op.Zext32:
        get(o.a).i64(ZEXT[o.op]!).op(W.I64And)
        set(o.d)
        return
      case Op.Bswap: {
        // Swap adjacent bytes, then adjacent 16-bit halves, then the two words.
        const x = s64(0)
        get(o.a).i64(8n).op(W.I64ShrU).i64(0x00ff00ff00ff00ffn).op(W.I64And)
        get(o.a).i64(0x00ff00ff00ff00ffn).op(W.I64And).i64(8n).op(W.I64Shl).op(W.I64Or).opU(W.LocalTee, x)
        f.i64(16n).op(W.I64ShrU).i64(0x0000ffff0000ffffn).op(W.I64And)
        f.opU(W.LocalGet, x).i64(0x0000ffff0000ffffn).op(W.I64And).i64(16n).op(W.I64Shl).op(W.I64Or)
        f.i64(32n).op(W.I64Rotl)
        set(o.d)
        return
      }
      case Op.Select:
        get(o.b)
        get(o.a)
        get(o.c).op(W.I64Eqz).op(W.Select)
        set(o.d)
        return
      case Op.Load: {
        const [unsigned, signed, align] = LOAD_OP[o.size]!
        if (o.pred !== undefined) {
          get(o.pred).op(W.I64Eqz).structured(W.If, ValType.I64).i64(0n).op(W.Else)
        }
        tlbHit(o.a, o.size, false)
        f.structured(W.If, ValType.I64)
        hostAddr(false)
        f.mem(o.signed ? signed : unsigned, align).op(W.Else)
        // The slow path may fault: the frame must hold this instruction's state.
        spill()
        markIc()
        get(o.a).i32(o.size).opU(W.Call, F_LOAD)
        exitCheck()
        if (o.signed && o.size < 8) f.op(EXTEND[o.size]!)
        f.op(W.End)
        if (o.pred !== undefined) f.op(W.End)
        set(o.d)
        return
      }
      case Op.Store: {
        const [store, align] = STORE_OP[o.size]!
        if (o.pred !== undefined) ifNonZero(o.pred, BLOCK_VOID)
        tlbHit(o.a, o.size, true)
        f.structured(W.If, BLOCK_VOID)
        hostAddr(true)
        get(o.b).mem(store, align).op(W.Else)
        spill()
        markIc()
        get(o.a).i32(o.size)
        get(o.b).opU(W.Call, F_STORE)
        exitCheck()
        f.op(W.End)
        if (o.pred !== undefined) end()
        return
      }
      case Op.CellLoad: {
        const v = cellValue(o.cell)
        if (v !== undefined) f.opU(W.LocalGet, v)
        else cellAddr(o.cell).mem(W.I64Load, 0, o.cell.offset)
        set(o.d)
        return
      }
      case Op.CellStore: {
        const v = cellValue(o.cell)
        if (v !== undefined) get(o.a).opU(W.LocalSet, v)
        else {
          cellAddr(o.cell)
          get(o.a).mem(W.I64Store, 0, o.cell.offset)
        }
        return
      }
      case Op.Instrument: {
        if (o.c >= 0) ifNonZero(o.c, BLOCK_VOID)
        // The callback may read any cell, and registers as its flags allow.
        if (o.regs !== SiteRegs.None) spillRegs()
        spillCells()
        markIc()
        f.i32(siteIndex(o.site))
        // Instructions started: passed along, cheaper than JavaScript reading the globals.
        f.opU(W.GlobalGet, G_DONE).i32(ic).op(W.I32Add)
        if (o.a < 0 && o.v < 0) {
          f.opU(W.Call, F_INSTRUMENT0)
        } else {
          if (o.a < 0) f.i64(0n)
          else get(o.a)
          if (o.v < 0) f.i64(0n)
          else get(o.v)
          f.opU(W.Call, F_INSTRUMENT)
        }
        if (o.redirect) {
          // The site left the new PC in npc (and registers in the frame).
          f.structured(W.If, BLOCK_VOID).i32(o.retired).op(W.Return).op(W.End)
        } else {
          f.op(W.Drop)
        }
        exitCheck()
        if (o.regs === SiteRegs.ReadWrite) reloadRegs()
        reloadCells()
        if (o.c >= 0) end()
        return
      }
      case Op.FAdd:
      case Op.FSub:
      case Op.FMul:
      case Op.FDiv:
        get(o.a).op(W.F64ReinterpretI64)
        get(o.b).op(W.F64ReinterpretI64).op(FLOAT_BIN[o.op]!).op(W.I64ReinterpretF64)
        set(o.d)
        return
      case Op.FSqrt:
        get(o.a).op(W.F64ReinterpretI64).op(W.F64Sqrt).op(W.I64ReinterpretF64)
        set(o.d)
        return
      case Op.Call:
        if (o.fast === undefined) {
          callHelper(o)
          return
        }
        // The fast path's value ops, then the helper only where they do not apply.
        for (const x of o.fast.ops) emit(x)
        get(o.fast.ok).op(W.I64Eqz).structured(W.If, BLOCK_VOID)
        nest++
        callHelper(o)
        f.op(W.Else)
        get(o.fast.result)
        set(o.d)
        end()
        return
      case Op.InsnStart:
        ic = o.index + 1
        return
      case Op.BrCond:
        ifNonZero(o.c, BLOCK_VOID)
        goto(o.target)
        end()
        return
      case Op.Goto:
        goto(o.target)
        return
      case Op.GotoInd:
        get(o.a)
        jump()
        return
      case Op.Raise:
        get(o.a).opU(W.GlobalSet, G_VAL)
        f.i64(ic > 0 ? tb.insns[ic - 1]!.pc : tb.pc).opU(W.GlobalSet, G_NPC)
        spill()
        syncDone()
        f.i32(((o.cause + 1) << EXC_SHIFT) | ic).op(W.Return)
        return
    }
  }
  const emitBlock = () => {
    ic = 0
    nest = 0
    selfLoop = multi && loopsToItself(tb)
    if (selfLoop) f.structured(W.Loop, BLOCK_VOID)
    for (const o of tb.ops) emit(o)
    // Every block ends with a terminator; falling off the end would be a translator bug.
    f.op(W.Unreachable)
    if (selfLoop) f.op(W.End)
  }
  if (!multi) {
    emitBlock()
    return f
  }
  f.opU(W.GlobalGet, G_DONE).opU(W.LocalSet, DONE)
  f.opU(W.GlobalGet, G_BUDGET).opU(W.LocalSet, BUDGET)
  exitCheck()
  f.opU(W.LocalGet, P_ENTRY).opU(W.LocalSet, STATE)
  f.structured(W.Loop, BLOCK_VOID)
  for (let i = 0; i < blocks.length; i++) f.structured(W.Block, BLOCK_VOID)
  f.opU(W.LocalGet, STATE)
  f.brTable(
    blocks.map((_, i) => i),
    blocks.length - 1,
  )
  for (k = 0; k < blocks.length; k++) {
    f.op(W.End)
    tb = blocks[k]!
    emitBlock()
  }
  f.op(W.End).op(W.Unreachable)
  return f
}

// ---- execution ----------------------------------------------------------

type RunFn = (regs: number, tlb: number) => number

/** A block and, once compiled, its wasm function and the memory that function was instantiated over. */
class BlockCode {
  run: RunFn | undefined
  memory: WebAssembly.Memory | undefined
  /** Slot in the memory's dispatch table while the block is in a chain; -1 otherwise. */
  slot = -1
  /** The blocks compiled into one function with this one, by index in it (this one alone outside regions). */
  region: BlockCode[] = [this]
  /** The address space the block was first run in (regions never mix address spaces). */
  space: unknown
  /** Runs before compilation (tiering). */
  runs = 0
  /** PC of each instruction (the block's PC if it has none), by 0-based index. */
  readonly pcs: bigint[]

  constructor(readonly tb: IrBlock) {
    this.pcs = tb.insns.length > 0 ? tb.insns.map((i) => i.pc) : [tb.pc]
  }

  /** PC of the instruction the `ic` global names (block of the region, 1-based instruction index). */
  pcAt(ic: number): bigint {
    const pcs = this.region[ic >>> EXC_SHIFT]!.pcs
    const i = ic & IC_MASK
    return pcs[i > 0 ? i - 1 : 0]!
  }
}

/** The code of each block prepared by this backend, for chains. */
const codeOf = new WeakMap<IrBlock, BlockCode>()

/** Compile `codes` into one module over `memory` (blocks joined by jumps into regions if `regions`) and give each block its function. */
function compileInto(codes: BlockCode[], memory: WebAssembly.Memory, regions = false): void {
  const blocks = codes.map((x) => x.tb)
  const c = compileModule(blocks, regions ? formRegions(blocks, (i) => codes[i]!.space) : undefined)
  const env: Record<string, unknown> = {
    mem: memory,
    ic: icGlobal,
    val: valGlobal,
    vcpu: vcpuGlobal,
    npc: npcGlobal,
    done: doneGlobal,
    budget: budgetGlobal,
    ld: loadSlow,
    st: storeSlow,
    ins: (i: number, n: number, a: bigint, v: bigint) => runSite(c.sites[i]!, n, U(a), U(v)),
    ins0: (i: number, n: number) => runSite(c.sites[i]!, n, 0n, 0n),
  }
  c.helpers.forEach((h, i) => {
    env[`h${i}`] = helperStub(h, c.arities[i]!)
  })
  const inst = new WebAssembly.Instance(new WebAssembly.Module(c.bytes), { e: env } as WebAssembly.Imports)
  codes.forEach((code, i) => {
    code.run = inst.exports[`f${i}`] as RunFn
    code.memory = memory
    code.slot = -1
  })
  for (const list of c.regions) {
    const region = list.map((i) => codes[i]!)
    for (const code of region) code.region = region
  }
}

/** Decode a block's (or a chain run's) result into the exit protocol; `done`: instructions of finished blocks before. */
function exitOf(st: ExecState, r: number, done: number): ExitKind {
  st.blockInsns = done + (r & IC_MASK)
  st.pc = U(npcGlobal.value as bigint)
  if (r <= IC_MASK) return ExitKind.Jump
  st.excCause = (r >>> EXC_SHIFT) - 1
  st.excTval = U(valGlobal.value as bigint)
  st.excPermission = false
  return ExitKind.Exception
}

/**
 * Run wasm for `st` with `budget` (`call` enters it) and turn its result,
 * or the error it threw, into the exit protocol; `running()` is the block
 * whose function was running when the error came.
 */
function runWasm(st: WasmExecState, budget: number, call: () => number, running: () => BlockCode): ExitKind {
  cur = st
  vcpuGlobal.value = st.vcpuIndex
  doneGlobal.value = 0
  budgetGlobal.value = budget
  let r: number
  try {
    r = call()
  } catch (e) {
    const ic = icGlobal.value as number
    // Instructions started: those of the finished blocks, and of this one up to the faulting one.
    st.blockInsns = (ic & IC_MASK) + (doneGlobal.value as number)
    return exitForError(st, e, running().pcAt(ic))
  }
  return exitOf(st, r, doneGlobal.value as number)
}

/** Run a compiled block alone (a region leaves at its first jump: budget 0). */
function execute(code: BlockCode, st: WasmExecState): ExitKind {
  return runWasm(
    st,
    0,
    () => code.run!(st.regsOffset, st.mem.tlbOffset),
    () => code,
  )
}

// ---- dispatch inside wasm --------------------------------------------------

/** Jump cache entries (a power of two) and their size: 8-byte PC tag (all ones: empty), 4-byte table slot. */
const JC_ENTRIES = 4096
const JC_ENTRY_BYTES = 16
const JC_BYTES = JC_ENTRIES * JC_ENTRY_BYTES

type DispatchFn = (regs: number, tlb: number, jc: number, pc: bigint) => number

/** The dispatch table and loop of one memory: every chain over that memory shares them. */
class Dispatcher {
  readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: 256 })
  /** The block in each slot; a freed slot keeps its last block until reused. */
  readonly codes: (BlockCode | undefined)[] = []
  private readonly free: number[] = []
  readonly run: DispatchFn

  constructor(memory: WebAssembly.Memory) {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(dispatcherModule()), {
      e: {
        mem: memory,
        tbl: this.table,
        npc: npcGlobal,
        done: doneGlobal,
        cur: curGlobal,
        budget: budgetGlobal,
      },
    } as WebAssembly.Imports)
    this.run = inst.exports.run as DispatchFn
  }

  /** Give `code` a slot. */
  place(code: BlockCode): void {
    let slot = this.free.pop()
    if (slot === undefined) {
      slot = this.codes.length
      if (slot >= this.table.length) this.table.grow(this.table.length)
      this.codes.push(undefined)
    }
    this.table.set(slot, code.run)
    this.codes[slot] = code
    code.slot = slot
  }

  /** Take `code`'s slot back. */
  unplace(code: BlockCode): void {
    this.free.push(code.slot)
    code.slot = -1
  }
}

const dispatchers = new WeakMap<WebAssembly.Memory, Dispatcher>()

function dispatcherOf(memory: WebAssembly.Memory): Dispatcher {
  let d = dispatchers.get(memory)
  if (d === undefined) {
    d = new Dispatcher(memory)
    dispatchers.set(memory, d)
  }
  return d
}

/**
 * The dispatch loop, `run(regs, tlb, jc, pc)`: look `pc` up in the
 * jump cache at `jc`; on a hit call the block's slot, add what it retired
 * to `done` and continue at `npc` while `done < budget` and the CPU's
 * exit-request word is clear. Returns 0 with the next PC in `npc` (a miss,
 * the budget, or a request) or the exception result of the block that
 * raised one.
 */
function dispatcherModule(): Uint8Array {
  const m = new ModuleBuilder()
  const tRun = m.type([ValType.I32, ValType.I32], [ValType.I32])
  const tDispatch = m.type([ValType.I32, ValType.I32, ValType.I32, ValType.I64], [ValType.I32])
  m.importMemory('e', 'mem')
  m.importTable('e', 'tbl')
  const npc = m.importGlobal('e', 'npc', ValType.I64, true)
  const done = m.importGlobal('e', 'done', ValType.I32, true)
  const curSlot = m.importGlobal('e', 'cur', ValType.I32, true)
  const budget = m.importGlobal('e', 'budget', ValType.I32, true)
  const [regs, tlb, jc, pc, entry, r] = [0, 1, 2, 3, 4, 5]
  const f = new FuncBody([ValType.I32, ValType.I32])
  f.structured(W.Loop, BLOCK_VOID)
  // entry = jc + ((pc >> 1) & (JC_ENTRIES - 1)) * JC_ENTRY_BYTES
  f.opU(W.LocalGet, jc)
  f.opU(W.LocalGet, pc)
    .op(W.I32WrapI64)
    .i32(1)
    .op(W.I32ShrU)
    .i32(JC_ENTRIES - 1)
    .op(W.I32And)
  f.i32(Math.log2(JC_ENTRY_BYTES)).op(W.I32Shl).op(W.I32Add).opU(W.LocalTee, entry)
  f.mem(W.I64Load, 3, 0).opU(W.LocalGet, pc).op(W.I64Ne).structured(W.If, BLOCK_VOID)
  f.opU(W.LocalGet, pc).opU(W.GlobalSet, npc).i32(0).op(W.Return).op(W.End)
  f.opU(W.LocalGet, regs).opU(W.LocalGet, tlb)
  f.opU(W.LocalGet, entry).mem(W.I32Load, 2, 8).opU(W.LocalTee, r).opU(W.GlobalSet, curSlot)
  f.opU(W.LocalGet, r).callIndirect(tRun).opU(W.LocalTee, r)
  f.i32(IC_MASK).op(W.I32GtU).structured(W.If, BLOCK_VOID)
  f.opU(W.LocalGet, r).op(W.Return).op(W.End)
  f.opU(W.GlobalGet, done).opU(W.LocalGet, r).op(W.I32Add).opU(W.LocalTee, r).opU(W.GlobalSet, done)
  f.opU(W.GlobalGet, npc).opU(W.LocalSet, pc)
  f.opU(W.LocalGet, r).opU(W.GlobalGet, budget).op(W.I32LtU)
  f.opU(W.LocalGet, regs).mem(W.I32Load, 2, FRAME_EXIT_REQUEST).op(W.I32Eqz).op(W.I32And)
  f.opU(W.BrIf, 0).op(W.End)
  f.i32(0)
  m.export('run', m.func(tDispatch, f))
  return m.finish()
}

/** Jump caches given back by destroyed translation caches, per arena. */
const jcPool = new WeakMap<Arena, number[]>()

/** A translation cache's compiled blocks, run by the dispatcher of their memory (see the header). */
class WasmChain implements BlockChain {
  private arena: Arena | undefined
  private dispatcher: Dispatcher | undefined
  /** Byte offset of the jump cache in the arena. */
  private jc = -1
  private readonly members = new Set<BlockCode>()

  enter(tb: IrBlock, state: ExecState): boolean {
    const st = state as WasmExecState
    const code = codeOf.get(tb)
    if (code === undefined || code.memory !== st.arena.memory) return false
    if (this.arena !== st.arena) this.attach(st.arena)
    if (code.slot < 0) {
      this.dispatcher!.place(code)
      this.members.add(code)
    }
    const at = this.entry(tb.pc)
    const dv = st.arena.dv
    dv.setBigUint64(at, tb.pc, true)
    dv.setInt32(at + 8, code.slot, true)
    return true
  }

  run(state: ExecState, budget: number): ExitKind {
    const st = state as WasmExecState
    const d = this.dispatcher!
    return runWasm(
      st,
      Math.min(budget, 2 ** 30),
      () => d.run(st.regsOffset, st.mem.tlbOffset, this.jc, st.pc),
      () => d.codes[curGlobal.value as number]!,
    )
  }

  drop(tb: IrBlock): void {
    const code = codeOf.get(tb)
    if (code === undefined) return
    const region = code.region
    if (region.length === 1) {
      this.forget(code)
      return
    }
    // The other blocks of its region share its function, stale code included: they are compiled again later.
    for (const c of region) {
      this.forget(c)
      c.run = undefined
      c.memory = undefined
      c.region = [c]
      c.runs = 0
    }
    // A chain inside that function stops at its next jump.
    if (cur !== undefined) cur.exitRequest = true
  }

  /** Take `code` out of the chain. */
  private forget(code: BlockCode): void {
    if (!this.members.delete(code)) return
    const at = this.entry(code.tb.pc)
    const dv = this.arena!.dv
    if (dv.getBigUint64(at, true) === code.tb.pc) dv.setBigInt64(at, -1n, true)
    this.dispatcher!.unplace(code)
  }

  flush(): void {
    if (this.members.size === 0) return
    for (const code of this.members) this.dispatcher!.unplace(code)
    this.members.clear()
    // A region running now must not move on into its stale blocks (fence.i in a region).
    if (cur !== undefined) cur.exitRequest = true
    if (this.jc >= 0) this.arena!.u8.fill(0xff, this.jc, this.jc + JC_BYTES)
  }

  release(): void {
    this.flush()
    if (this.jc >= 0) {
      const pool = jcPool.get(this.arena!)
      if (pool === undefined) jcPool.set(this.arena!, [this.jc])
      else pool.push(this.jc)
    }
    this.jc = -1
    this.arena = undefined
    this.dispatcher = undefined
  }

  /** Run over `arena` from now on (the first use, or blocks recompiled for another arena). */
  private attach(arena: Arena): void {
    this.release()
    this.arena = arena
    this.dispatcher = dispatcherOf(arena.memory)
    this.jc = jcPool.get(arena)?.pop() ?? arena.allocContiguous(JC_BYTES)
    arena.u8.fill(0xff, this.jc, this.jc + JC_BYTES)
  }

  /** Byte offset of the jump-cache entry for `pc`. */
  private entry(pc: bigint): number {
    return this.jc + ((Number(pc & 0xffffffffn) >>> 1) & (JC_ENTRIES - 1)) * JC_ENTRY_BYTES
  }
}

/** `-accel wasm` without tiering: every block compiled (alone) at its first run. */
export const wasmBackend: Backend = {
  name: 'wasm',
  prepare: (tb) => {
    const code = new BlockCode(tb)
    codeOf.set(tb, code)
    return (state) => {
      const st = state as WasmExecState
      if (code.memory !== st.arena.memory) compileInto([code], st.arena.memory)
      return execute(code, st)
    }
  },
  newChain: () => new WasmChain(),
}

/**
 * `-accel wasm` as run: blocks start in `cold` (the interpreter); a block
 * that has run `threshold` times joins a batch, and the batch is compiled
 * into one module when it holds `batchSize` blocks, or as soon as one of
 * its blocks has run `patience` more times (so that a lone hot loop does not
 * wait). Building and instantiating a module costs far more than compiling
 * one more function in it, hence the batches. The first `warmUp` block
 * runs of all (in any block) stay in `cold` and do not count towards
 * `threshold`: the first compilations cost far more than later ones (the
 * code generator and the host's wasm compiler start cold), which a short
 * program never earns back.
 */
export function tieredWasm(
  cold: Backend,
  threshold: number,
  batchSize: number,
  patience: number,
  warmUp = 0,
): Backend {
  let pending: BlockCode[] = []
  let warming = warmUp
  const flush = (memory: WebAssembly.Memory) => {
    const batch = pending
    pending = []
    compileInto(batch, memory, true)
  }
  return {
    name: 'wasm',
    prepare: (tb) => {
      const slow = cold.prepare(tb)
      const code = new BlockCode(tb)
      codeOf.set(tb, code)
      return (state) => {
        const st = state as WasmExecState
        const memory = st.arena.memory
        if (code.memory === memory) return execute(code, st)
        if (warming > 0) {
          warming--
          return slow(st)
        }
        const runs = ++code.runs
        if (runs === threshold) {
          code.space = st.mem
          pending.push(code)
        } else if (runs > threshold + patience && !pending.includes(code)) pending.push(code)
        if (runs >= threshold && (pending.length >= batchSize || runs >= threshold + patience)) {
          flush(memory)
          return execute(code, st)
        }
        return slow(st)
      }
    },
    newChain: () => new WasmChain(),
  }
}
