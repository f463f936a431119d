/**
 * rvscope's intermediate representation: what a target's `trans_*`
 * functions emit for a translation block and what every backend executes.
 * The reference for each op is `docs/ir.md`.
 *
 * Values: every temporary holds a 64-bit integer (bigint, unsigned 0..2^64-1
 * in the interpreter; i64 in wasm). There are no other types: FP values are
 * their bit patterns, and 32-bit operations are expressed with explicit
 * extension ops. Operands are always temporaries; constants enter through
 * `Const`.
 *
 * State: guest registers are numbered 64-bit slots (`GetReg`/`SetReg`);
 * the target defines what each slot means. Memory ops go through the guest
 * address space and may fault; a fault leaves every slot as it was before
 * the faulting instruction (targets emit register writes after an
 * instruction's last faulting op).
 */

/** Every IR opcode. Grouped by operand shape, see `IrOp`. */
export const enum Op {
  // ---- d = f(a, b) ----
  Add,
  Sub,
  Mul,
  /** High 64 bits of signed×signed 128-bit product. */
  MulHS,
  /** High 64 bits of unsigned×unsigned. */
  MulHU,
  /** High 64 bits of signed(a)×unsigned(b). */
  MulHSU,
  /** Signed division, RISC-V rules: x/0 = -1, MIN/-1 = MIN. Never traps. */
  DivS,
  /** Unsigned division: x/0 = 2^64-1. */
  DivU,
  /** Signed remainder: x%0 = x, MIN%-1 = 0. */
  RemS,
  /** Unsigned remainder: x%0 = x. */
  RemU,
  And,
  Or,
  Xor,
  /** Shift left by (b & 63). */
  Shl,
  /** Logical shift right by (b & 63). */
  Shr,
  /** Arithmetic shift right by (b & 63). */
  Sar,
  /** Rotate left by (b & 63). */
  Rotl,
  /** Rotate right by (b & 63). */
  Rotr,
  /** Comparisons yield 0 or 1. */
  Eq,
  Ne,
  LtS,
  LtU,
  GeS,
  GeU,
  MinS,
  MinU,
  MaxS,
  MaxU,
  /**
   * Binary64 arithmetic on bit patterns, rounding to nearest even. A NaN
   * result has an unspecified sign and payload: targets use these ops where
   * they exclude NaN results (helper fast paths), never to produce guest NaNs.
   */
  FAdd,
  FSub,
  FMul,
  FDiv,
  // ---- d = f(a) ----
  Mov,
  Neg,
  Not,
  /** Count leading zeros of the 64-bit value (64 for 0). */
  Clz,
  /** Count trailing zeros (64 for 0). */
  Ctz,
  /** Population count. */
  Cpop,
  Sext8,
  Sext16,
  Sext32,
  Zext8,
  Zext16,
  Zext32,
  /** Reverse the 8 bytes. */
  Bswap,
  /** Binary64 square root on bit patterns (NaN results as for FAdd). */
  FSqrt,
  // ---- others ----
  /** d = imm */
  Const,
  /** d = c != 0 ? a : b */
  Select,
  /** d = slot[reg] */
  GetReg,
  /** slot[reg] = a */
  SetReg,
  /** d = mem[a] (size bytes, sign- or zero-extended); may fault. */
  Load,
  /** mem[a] = low `size` bytes of b; may fault. */
  Store,
  /** d = helper(args…) (d < 0: no result); may fault or trap if the helper says so. */
  Call,
  /** Marks the start of a guest instruction at `pc` (state is precise here). */
  InsnStart,
  /** If c != 0, leave the block and continue at `target`. */
  BrCond,
  /** Leave the block, continue at `target` (block terminator). */
  Goto,
  /** Leave the block, continue at the address in temp `a` (block terminator). */
  GotoInd,
  /** Raise an architectural exception: cause, tval in temp `a` (block terminator). */
  Raise,
  // ---- instrumentation (inserted by plugins after translation) ----
  /** d = the u64 in `cell` for the running vCPU. */
  CellLoad,
  /** The u64 in `cell` for the running vCPU = a. */
  CellStore,
  /**
   * Call an instrumentation callback (only if `c` != 0 when `c` >= 0) with
   * an address and a value (temps `a`, `v`, or 0). If the callback
   * redirects the PC, leave the block there: instructions before `retired`
   * (a count within the block) have retired, the current one has not.
   */
  Instrument,
}

export type Temp = number

export interface BinOp {
  op:
    | Op.Add
    | Op.Sub
    | Op.Mul
    | Op.MulHS
    | Op.MulHU
    | Op.MulHSU
    | Op.DivS
    | Op.DivU
    | Op.RemS
    | Op.RemU
    | Op.And
    | Op.Or
    | Op.Xor
    | Op.Shl
    | Op.Shr
    | Op.Sar
    | Op.Rotl
    | Op.Rotr
    | Op.Eq
    | Op.Ne
    | Op.LtS
    | Op.LtU
    | Op.GeS
    | Op.GeU
    | Op.MinS
    | Op.MinU
    | Op.MaxS
    | Op.MaxU
    | Op.FAdd
    | Op.FSub
    | Op.FMul
    | Op.FDiv
  d: Temp
  a: Temp
  b: Temp
}
export interface UnOp {
  op:
    | Op.Mov
    | Op.Neg
    | Op.Not
    | Op.Clz
    | Op.Ctz
    | Op.Cpop
    | Op.Sext8
    | Op.Sext16
    | Op.Sext32
    | Op.Zext8
    | Op.Zext16
    | Op.Zext32
    | Op.Bswap
    | Op.FSqrt
  d: Temp
  a: Temp
}
/** Every `d = f(a, b)` op. */
export const BIN_OPS: readonly BinOp['op'][] = [
  Op.Add,
  Op.Sub,
  Op.Mul,
  Op.MulHS,
  Op.MulHU,
  Op.MulHSU,
  Op.DivS,
  Op.DivU,
  Op.RemS,
  Op.RemU,
  Op.And,
  Op.Or,
  Op.Xor,
  Op.Shl,
  Op.Shr,
  Op.Sar,
  Op.Rotl,
  Op.Rotr,
  Op.Eq,
  Op.Ne,
  Op.LtS,
  Op.LtU,
  Op.GeS,
  Op.GeU,
  Op.MinS,
  Op.MinU,
  Op.MaxS,
  Op.MaxU,
  Op.FAdd,
  Op.FSub,
  Op.FMul,
  Op.FDiv,
]
/** Every `d = f(a)` op. */
export const UN_OPS: readonly UnOp['op'][] = [
  Op.Mov,
  Op.Neg,
  Op.Not,
  Op.Clz,
  Op.Ctz,
  Op.Cpop,
  Op.Sext8,
  Op.Sext16,
  Op.Sext32,
  Op.Zext8,
  Op.Zext16,
  Op.Zext32,
  Op.Bswap,
  Op.FSqrt,
]
export interface ConstOp {
  op: Op.Const
  d: Temp
  imm: bigint
}
export interface SelectOp {
  op: Op.Select
  d: Temp
  c: Temp
  a: Temp
  b: Temp
}
export interface GetRegOp {
  op: Op.GetReg
  d: Temp
  reg: number
}
export interface SetRegOp {
  op: Op.SetReg
  reg: number
  a: Temp
}
export interface LoadOp {
  op: Op.Load
  d: Temp
  a: Temp
  size: 1 | 2 | 4 | 8
  signed: boolean
  /** If set, the access happens only when this temp is non-zero (otherwise d = 0, no fault). */
  pred?: Temp
}
export interface StoreOp {
  op: Op.Store
  a: Temp
  b: Temp
  size: 1 | 2 | 4 | 8
  /** If set, the access happens only when this temp is non-zero. */
  pred?: Temp
  /**
   * The value memory callbacks report when it differs from `b`: a
   * compare-and-swap reports the value it offered even where it wrote the
   * old one back.
   */
  shown?: Temp
}
export interface CallOp {
  op: Op.Call
  d: Temp
  helper: Helper
  args: Temp[]
  /** A cheaper way to the same outcome for common operands, which backends may take (see `FastPath`). */
  fast?: FastPath
}

/**
 * The common case of a helper call, in IR: `ops` compute `ok` and, when it
 * is non-zero, the call's result, for operands on which the helper would
 * change no register. A backend may run `ops` and, if `ok` != 0, set
 * d = `result` instead of calling the helper; otherwise it calls the helper.
 * Backends that ignore fast paths (the interpreter, the oracle) call the
 * helper every time, so lockstep compares each fast path with its helper.
 * `ops` hold only value ops (arithmetic, Const, Select, GetReg): no
 * register writes, memory, calls or exits.
 */
export interface FastPath {
  ops: IrOp[]
  ok: Temp
  result: Temp
}
export interface InsnStartOp {
  op: Op.InsnStart
  pc: bigint
  /** Index of the instruction in its block. */
  index: number
}
export interface BrCondOp {
  op: Op.BrCond
  c: Temp
  target: bigint
}
export interface GotoOp {
  op: Op.Goto
  target: bigint
}
export interface GotoIndOp {
  op: Op.GotoInd
  a: Temp
}
export interface RaiseOp {
  op: Op.Raise
  cause: number
  a: Temp
}

/**
 * A u64 of per-vCPU storage in the arena: the storage's current byte
 * offset is the u32 at byte `base` (so the storage can grow and move),
 * and the running vCPU's u64 sits `vcpu * stride + offset` bytes into it.
 */
export interface Cell {
  readonly base: number
  readonly stride: number
  readonly offset: number
}
export interface CellLoadOp {
  op: Op.CellLoad
  d: Temp
  cell: Cell
}
export interface CellStoreOp {
  op: Op.CellStore
  cell: Cell
  a: Temp
}

/** What an `Instrument` op calls. */
export interface InstrumentSite {
  /** For `-d op`. */
  readonly name: string
  /**
   * Run the callback for the CPU `ctx` with the op's address and value.
   * Returns the new PC if the callback redirected it.
   */
  call(ctx: HelperContext, addr: bigint, value: bigint): bigint | undefined
}
/** Register access of an instrumentation callback (the plugin's flags: NO_REGS, R_REGS, RW_REGS and RW_REGS_PC). */
export const enum SiteRegs {
  None = 0,
  Read = 1,
  ReadWrite = 2,
}
export interface InstrumentOp {
  op: Op.Instrument
  site: InstrumentSite
  /** Condition temp, or -1 for always. */
  c: Temp
  /** Address and value temps, or -1 for 0. */
  a: Temp
  v: Temp
  /** What the callback may do with registers; backends keeping registers elsewhere spill and reload accordingly. */
  regs: SiteRegs
  /** Whether the callback may redirect the PC (backends check only then). */
  redirect: boolean
  /** Instructions of the block retired when the callback runs. */
  retired: number
}

export type IrOp =
  | BinOp
  | UnOp
  | ConstOp
  | SelectOp
  | GetRegOp
  | SetRegOp
  | LoadOp
  | StoreOp
  | CallOp
  | InsnStartOp
  | BrCondOp
  | GotoOp
  | GotoIndOp
  | RaiseOp
  | CellLoadOp
  | CellStoreOp
  | InstrumentOp

/** What a helper may touch; backends spill/reload accordingly. */
export const enum HelperEffect {
  /** Pure function of its arguments. */
  None = 0,
  /** Reads register slots (through the context). */
  ReadsRegs = 1,
  /** Writes register slots. */
  WritesRegs = 2,
  /** May access guest memory (and therefore fault). */
  Memory = 4,
  /** May raise an architectural exception (GuestTrap). */
  Traps = 8,
}

/** The context a backend hands to helpers: register slots and guest memory. */
export interface HelperContext {
  /** Register slots, as defined by the target. */
  readonly regs: BigUint64Array
  /** Guest memory of the running address space. */
  readonly mem: {
    load(addr: bigint, size: number): bigint
    store(addr: bigint, size: number, value: bigint): void
  }
  /** Instructions retired so far by this CPU, including the calling one. */
  instret(): bigint
  /**
   * Host time in milliseconds (as performance.now()), for time counters.
   * Helpers read the clock only through this, so that an engine running a
   * block twice (lockstep.ts) can show both runs the same time.
   */
  now(): number
  /** Guest code may have changed: drop translations (e.g. `fence.i`). */
  flushCode(): void
  /** Read and write a `Cell` of this CPU's vCPU (instrumentation). */
  cellGet(cell: Cell): bigint
  cellSet(cell: Cell, value: bigint): void
}

/** A target function called from IR. */
export interface Helper {
  readonly name: string
  readonly effects: HelperEffect
  readonly fn: (ctx: HelperContext, a: bigint, b: bigint, c: bigint, d: bigint) => bigint | undefined
}

/** One guest instruction of a block, for disassembly, logging and plugins. */
export interface BlockInsn {
  pc: bigint
  /** Instruction length in bytes (2 or 4). */
  len: number
  /** Raw instruction bits. */
  bits: number
}

/** A translated block: straight-line guest code ending at a terminator. */
export interface IrBlock {
  /** Guest PC of the first instruction. */
  pc: bigint
  /** Guest bytes covered: [pc, pc+size). */
  size: number
  insns: BlockInsn[]
  ops: IrOp[]
  /** Number of temporaries used. */
  temps: number
}
