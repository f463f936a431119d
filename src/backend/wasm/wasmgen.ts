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
 * function takes the register frame's and the TLB's byte offsets and
 * returns `exit << 16 | ic`, where `ic` is the 1-based index of the
 * instruction reached (statically known at each exit) and `exit` indexes
 * the block's table of exits (static jump target, indirect jump, or
 * exception cause). Indirect targets and trap values come back in the
 * shared global `val`. Before each call into JavaScript the function
 * stores `ic` in the shared global `ic`, so that an error thrown by the
 * slow path or a helper is turned into an exception at the right
 * instruction, and helpers see the right instruction count. Registers are
 * written to memory at every SetReg, so the state is always precise.
 */

import type { Arena } from '../../core/arena.js'
import { Access } from '../../core/errors.js'
import { type PagedMemory, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_WRITE_OFFSET } from '../../core/paged-memory.js'
import { type Cell, type Helper, type InstrumentSite, type IrBlock, type IrOp, Op } from '../../ir/ir.js'
import { type Backend, type ExecState, ExitKind, exitForError } from '../backend.js'
import { BLOCK_VOID, FuncBody, ModuleBuilder, ValType, W } from './encoder.js'

/** What the wasm backend needs from the running CPU besides the common state. */
export interface WasmExecState extends ExecState {
  /** Byte offset of the register slots in the arena's memory. */
  readonly regsOffset: number
  readonly arena: Arena
  readonly mem: PagedMemory
  /** Index of the running vCPU, which selects its instrumentation cells. */
  readonly vcpuIndex: number
}

const U = (v: bigint): bigint => BigInt.asUintN(64, v)

// ---- run-time shared by every generated module ----------------------------

/** 1-based index of the instruction that last called into JavaScript. */
const icGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** Indirect jump target or trap value of the last exit. */
const valGlobal = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n)
/** Index of the running vCPU (cells are per vCPU). */
const vcpuGlobal = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
/** The state of the block running now (blocks never nest, so one suffices). */
let cur: WasmExecState

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

const helperStubs = new Map<Helper, (a: bigint, b: bigint, c: bigint, d: bigint) => bigint>()

/** The imported function for a helper: unsigned arguments, the instruction count set, a result always. */
function helperStub(h: Helper): (a: bigint, b: bigint, c: bigint, d: bigint) => bigint {
  let f = helperStubs.get(h)
  if (f === undefined) {
    f = (a, b, c, d) => {
      const st = cur
      st.blockInsns = icGlobal.value as number
      return h.fn(st, U(a), U(b), U(c), U(d)) ?? 0n
    }
    helperStubs.set(h, f)
  }
  return f
}

/** Run an instrumentation site of the running block: 1 (new PC in `val`) if it redirected the PC. */
function runSite(site: InstrumentSite, a: bigint, v: bigint): number {
  const st = cur
  st.blockInsns = icGlobal.value as number
  const to = site.call(st, a, v)
  if (to === undefined) return 0
  valGlobal.value = to
  return 1
}

// ---- code generation ----------------------------------------------------

/** Parameters of a block function: register frame offset, TLB offset. */
const P_REGS = 0
const P_TLB = 1
const M32 = 0xffffffffn

/** How a block is left through one of its exit sites. */
interface Exit {
  /** Static jump target; undefined: indirect (target in `val`) or exception. */
  target: bigint | undefined
  /** Exception cause, or -1 for a jump. */
  cause: number
}

/** A module compiling several blocks: export `f<i>` runs `blocks[i]`. */
export interface CompiledModule {
  bytes: Uint8Array
  /** Exit table of each block. */
  exits: Exit[][]
  /** Helpers imported as `h<i>`. */
  helpers: Helper[]
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

/** Build one module for `blocks`. */
export function compileModule(blocks: IrBlock[]): CompiledModule {
  const m = new ModuleBuilder()
  const tRun = m.type([ValType.I32, ValType.I32], [ValType.I32])
  const tLoad = m.type([ValType.I64, ValType.I32], [ValType.I64])
  const tStore = m.type([ValType.I64, ValType.I32, ValType.I64], [])
  const tHelper = m.type([ValType.I64, ValType.I64, ValType.I64, ValType.I64], [ValType.I64])
  const tInstrument = m.type([ValType.I32, ValType.I64, ValType.I64], [ValType.I32])
  m.importMemory('e', 'mem')
  m.importGlobal('e', 'ic', ValType.I32, true)
  m.importGlobal('e', 'val', ValType.I64, true)
  m.importGlobal('e', 'vcpu', ValType.I32, true)
  m.importFunc('e', 'ld', tLoad)
  m.importFunc('e', 'st', tStore)
  m.importFunc('e', 'ins', tInstrument)
  m.importFunc('e', 'ins0', m.type([ValType.I32], [ValType.I32]))
  const helpers: Helper[] = []
  const sites: InstrumentSite[] = []
  for (const tb of blocks) {
    for (const o of tb.ops) {
      if (o.op === Op.Call && !helpers.includes(o.helper)) {
        m.importFunc('e', `h${helpers.length}`, tHelper)
        helpers.push(o.helper)
      }
    }
  }
  const siteIndex = (site: InstrumentSite) => sites.push(site) - 1
  const exits = blocks.map((tb, i) => {
    const { body, exits } = blockBody(tb, (h) => F_HELPERS + helpers.indexOf(h), siteIndex)
    m.export(`f${i}`, m.func(tRun, body))
    return exits
  })
  return { bytes: m.finish(), exits, helpers, sites }
}

/** The function body of one block and its exit table; `helperFunc` gives a helper's function index. */
function blockBody(
  tb: IrBlock,
  helperFunc: (h: Helper) => number,
  siteIndex: (s: InstrumentSite) => number,
): { body: FuncBody; exits: Exit[] } {
  // Locals after the two i32 parameters: one i64 per temporary, then scratch.
  const T0 = 2
  const S64 = T0 + tb.temps
  const nS64 = 4
  const S32 = S64 + nS64
  // One i32 local per distinct cell storage, holding the running vCPU's element address (set on entry).
  const cellLocals = new Map<string, number>()
  const cellKey = (c: Cell) => `${c.base}:${c.stride}`
  for (const o of tb.ops) {
    if ((o.op === Op.CellLoad || o.op === Op.CellStore) && !cellLocals.has(cellKey(o.cell)))
      cellLocals.set(cellKey(o.cell), S32 + 2 + cellLocals.size)
  }
  const locals: ValType[] = [
    ...new Array<ValType>(tb.temps + nS64).fill(ValType.I64),
    ValType.I32,
    ValType.I32,
    ...new Array<ValType>(cellLocals.size).fill(ValType.I32),
  ]
  const f = new FuncBody(locals)
  // Storage does not move while a block runs (it grows only when a vCPU is created, between blocks).
  const seen = new Set<string>()
  for (const o of tb.ops) {
    if (o.op !== Op.CellLoad && o.op !== Op.CellStore) continue
    const key = cellKey(o.cell)
    if (seen.has(key)) continue
    seen.add(key)
    f.i32(o.cell.base).mem(W.I32Load, 2, 0)
    f.opU(W.GlobalGet, G_VCPU)
      .i32(o.cell.stride)
      .op(W.I32Mul)
      .op(W.I32Add)
      .opU(W.LocalSet, cellLocals.get(key)!)
  }
  const exits: Exit[] = []
  let ic = 0

  const get = (t: number) => f.opU(W.LocalGet, T0 + t)
  const set = (t: number) => f.opU(W.LocalSet, T0 + t)
  const s64 = (i: number) => S64 + i
  /** Leave with exit descriptor `x` (its table index in the high half of the result). */
  const leave = (x: Exit, retired = ic) => {
    f.i32(((exits.push(x) - 1) << 16) | retired).op(W.Return)
  }
  /** Open an `if` on temp `c` being non-zero. */
  const ifNonZero = (c: number, type: number) => {
    get(c).op(W.I64Eqz).op(W.I32Eqz).structured(W.If, type)
  }
  /** Push the address of the running vCPU's element of `cell`'s storage. */
  const cellAddr = (cell: Cell) => f.opU(W.LocalGet, cellLocals.get(cellKey(cell))!)
  /** Record the instruction index before a call that may throw or read the instruction count. */
  const markIc = () => f.i32(ic).opU(W.GlobalSet, G_IC)

  /**
   * Push the TLB hit condition for an access of `size` bytes at temp `a`,
   * leaving the entry's address in local E and the page offset in local O.
   */
  const E = S32
  const O = S32 + 1
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
        f.opU(W.LocalGet, P_REGS).mem(W.I64Load, 3, o.reg * 8)
        set(o.d)
        return
      case Op.SetReg:
        f.opU(W.LocalGet, P_REGS)
        get(o.a).mem(W.I64Store, 3, o.reg * 8)
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
        markIc()
        get(o.a).i32(o.size).opU(W.Call, F_LOAD)
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
        markIc()
        get(o.a).i32(o.size)
        get(o.b).opU(W.Call, F_STORE).op(W.End)
        if (o.pred !== undefined) f.op(W.End)
        return
      }
      case Op.CellLoad:
        cellAddr(o.cell)
        f.mem(W.I64Load, 0, o.cell.offset)
        set(o.d)
        return
      case Op.CellStore:
        cellAddr(o.cell)
        get(o.a).mem(W.I64Store, 0, o.cell.offset)
        return
      case Op.Instrument: {
        if (o.c >= 0) ifNonZero(o.c, BLOCK_VOID)
        markIc()
        f.i32(siteIndex(o.site))
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
          f.structured(W.If, BLOCK_VOID)
          leave({ target: undefined, cause: -1 }, o.retired)
          f.op(W.End)
        } else {
          f.op(W.Drop)
        }
        if (o.c >= 0) f.op(W.End)
        return
      }
      case Op.Call: {
        markIc()
        for (let i = 0; i < 4; i++) {
          if (o.args[i] === undefined) f.i64(0n)
          else get(o.args[i]!)
        }
        f.opU(W.Call, helperFunc(o.helper))
        if (o.d >= 0) set(o.d)
        else f.op(W.Drop)
        return
      }
      case Op.InsnStart:
        ic = o.index + 1
        return
      case Op.BrCond:
        get(o.c).op(W.I64Eqz).op(W.I32Eqz).structured(W.If, BLOCK_VOID)
        leave({ target: o.target, cause: -1 })
        f.op(W.End)
        return
      case Op.Goto:
        leave({ target: o.target, cause: -1 })
        return
      case Op.GotoInd:
        get(o.a).opU(W.GlobalSet, G_VAL)
        leave({ target: undefined, cause: -1 })
        return
      case Op.Raise:
        get(o.a).opU(W.GlobalSet, G_VAL)
        leave({ target: undefined, cause: o.cause })
        return
    }
  }
  for (const o of tb.ops) emit(o)
  // Every block ends with a terminator; falling off the end would be a translator bug.
  f.op(W.Unreachable)
  return { body: f, exits }
}

// ---- execution ----------------------------------------------------------

type RunFn = (regs: number, tlb: number) => number

/** A block and, once compiled, its wasm function and the memory that function was instantiated over. */
class BlockCode {
  run: RunFn | undefined
  memory: WebAssembly.Memory | undefined
  exits: Exit[] = []
  /** PC of each instruction (the block's PC if it has none), by 0-based index. */
  readonly pcs: bigint[]

  constructor(readonly tb: IrBlock) {
    this.pcs = tb.insns.length > 0 ? tb.insns.map((i) => i.pc) : [tb.pc]
  }
}

/** Compile `codes` into one module over `memory` and give each block its function. */
function compileInto(codes: BlockCode[], memory: WebAssembly.Memory): void {
  const c = compileModule(codes.map((x) => x.tb))
  const env: Record<string, unknown> = {
    mem: memory,
    ic: icGlobal,
    val: valGlobal,
    vcpu: vcpuGlobal,
    ld: loadSlow,
    st: storeSlow,
    ins: (i: number, a: bigint, v: bigint) => runSite(c.sites[i]!, U(a), U(v)),
    ins0: (i: number) => runSite(c.sites[i]!, 0n, 0n),
  }
  c.helpers.forEach((h, i) => {
    env[`h${i}`] = helperStub(h)
  })
  const inst = new WebAssembly.Instance(new WebAssembly.Module(c.bytes), { e: env } as WebAssembly.Imports)
  codes.forEach((code, i) => {
    code.run = inst.exports[`f${i}`] as RunFn
    code.exits = c.exits[i]!
    code.memory = memory
  })
}

/** Run a compiled block and turn its result (or the error it threw) into the exit protocol. */
function execute(code: BlockCode, st: WasmExecState): ExitKind {
  cur = st
  vcpuGlobal.value = st.vcpuIndex
  let r: number
  try {
    r = code.run!(st.regsOffset, st.mem.tlbOffset)
  } catch (e) {
    const ic = icGlobal.value as number
    st.blockInsns = ic
    return exitForError(st, e, code.pcs[ic > 0 ? ic - 1 : 0]!)
  }
  const ic = r & 0xffff
  st.blockInsns = ic
  const x = code.exits[r >>> 16]!
  if (x.cause < 0) {
    st.pc = x.target ?? U(valGlobal.value as bigint)
    return ExitKind.Jump
  }
  st.pc = code.pcs[ic > 0 ? ic - 1 : 0]!
  st.excCause = x.cause
  st.excTval = U(valGlobal.value as bigint)
  st.excPermission = false
  return ExitKind.Exception
}

/** `-accel wasm` without tiering: every block compiled (alone) at its first run. */
export const wasmBackend: Backend = {
  name: 'wasm',
  prepare: (tb) => {
    const code = new BlockCode(tb)
    return (state) => {
      const st = state as WasmExecState
      if (code.memory !== st.arena.memory) compileInto([code], st.arena.memory)
      return execute(code, st)
    }
  },
}

/**
 * `-accel wasm` as run: blocks start in `cold` (the interpreter); a block
 * that has run `threshold` times joins a batch, and the batch is compiled
 * into one module when it holds `batchSize` blocks, or as soon as one of
 * its blocks has run `patience` more times (so that a lone hot loop does not
 * wait). Building and instantiating a module costs far more than compiling
 * one more function in it, hence the batches.
 */
export function tieredWasm(cold: Backend, threshold: number, batchSize: number, patience: number): Backend {
  let pending: BlockCode[] = []
  const flush = (memory: WebAssembly.Memory) => {
    const batch = pending
    pending = []
    compileInto(batch, memory)
  }
  return {
    name: 'wasm',
    prepare: (tb) => {
      const slow = cold.prepare(tb)
      const code = new BlockCode(tb)
      let runs = 0
      return (state) => {
        const st = state as WasmExecState
        const memory = st.arena.memory
        if (code.memory === memory) return execute(code, st)
        if (++runs === threshold) pending.push(code)
        else if (runs > threshold + patience && !pending.includes(code)) pending.push(code)
        if (runs >= threshold && (pending.length >= batchSize || runs >= threshold + patience)) {
          flush(memory)
          return execute(code, st)
        }
        return slow(st)
      }
    },
  }
}
