/**
 * The helpers the F/D semantics call: one per (operation, precision), built
 * from one generic description of a precision so that single and double
 * share every line. Arithmetic is the softfloat unit (`../fpu/`).
 *
 * Calling conventions (the IR passes raw register values as temps):
 * - Helpers of instructions with an rm field take the instruction word first.
 *   Its rm field (bits 14:12) selects the rounding mode, 7 meaning the
 *   dynamic mode in frm (fcsr bits 7:5); a reserved mode (5, 6, or frm ≥ 5
 *   under DYN) raises an illegal-instruction exception with the word as tval
 *   (ISA manual, F chapter, "Floating-Point Control and Status Register").
 *   Static 5/6 are also rejected at translation; the check here covers DYN.
 *   Other instruction fields the helper needs (the fused multiply-add
 *   variant, the integer type of a conversion) come from the same word.
 * - Then the operands: FP register values (single precision is unboxed here:
 *   an improperly NaN-boxed value reads as the canonical NaN) or integer
 *   register values. FP results come back NaN-boxed for single precision.
 * - Exceptions raised accrue into fflags (fcsr bits 4:0).
 */
import { GuestTrap } from '../../../core/errors.js'
import { type Helper, type HelperContext, HelperEffect } from '../../../ir/ir.js'
import { Cause, Slot } from '../cpu.js'
import type { FpEnv, MulAddOp, RoundingMode } from '../fpu/softfloat.js'
import * as sf from '../fpu/softfloat.js'

/** The rm value that selects frm (ISA manual, "Rounding mode encoding" table). */
const RM_DYN = 7
/** Modes above RMM (5, 6, and 7 inside frm) are reserved. */
const RM_MAX = 4

/** Whether an instruction's rm field is a reserved static mode (5 or 6): illegal at translation. */
export const reservedStaticRm = (rm: number): boolean => rm > RM_MAX && rm !== RM_DYN

/**
 * The flags of the operation in progress. Helpers run one at a time and never nest,
 * so one environment serves them all: `begin` (or `clear`) empties it, `end` accrues it.
 */
const env: FpEnv = { flags: 0 }

/**
 * fcsr as `begin` read it, so that `end` need not read it again; -1 after `clear`.
 * fcsr holds 8 bits and instruction words 32, so both are handled as numbers.
 */
let fcsrAtBegin = -1

/** The register file `regWords` views, 32 bits a word. */
let regsViewed: BigUint64Array | undefined
let regWords: Uint32Array = new Uint32Array(0)

/**
 * fcsr, read through a 32-bit view of the register file: reading the slot as a
 * bigint would allocate on every operation. The view follows the file's array, which
 * is replaced when the memory holding it grows.
 */
function readFcsr(regs: BigUint64Array): number {
  if (regs !== regsViewed) {
    regsViewed = regs
    regWords = new Uint32Array(regs.buffer, regs.byteOffset, regs.length * 2)
  }
  return regWords[Slot.Fcsr * 2 + sf.LOW_WORD]!
}

/** Rounding mode of instruction word `insn`, for an operation about to start; traps if it, or frm for DYN, is reserved. */
function begin(ctx: HelperContext, insn: bigint): RoundingMode {
  const fcsr = readFcsr(ctx.regs)
  let rm = (sf.low32(insn) >>> 12) & 7
  if (rm === RM_DYN) rm = (fcsr >>> 5) & 7
  if (rm > RM_MAX) throw new GuestTrap(Cause.IllegalInsn, insn)
  fcsrAtBegin = fcsr
  env.flags = 0
  return rm as RoundingMode
}

/** The environment, emptied for an operation without an rm field. */
function clear(): FpEnv {
  fcsrAtBegin = -1
  env.flags = 0
  return env
}

/** ORs the flags the operation raised into fflags and passes its result through. */
function end<R>(ctx: HelperContext, r: R): R {
  const flags = env.flags
  if (flags !== 0) {
    const fcsr = fcsrAtBegin < 0 ? readFcsr(ctx.regs) : fcsrAtBegin
    // Most operations raise only flags that have accrued already: fcsr then stays as is.
    if ((fcsr & flags) !== flags) ctx.regs[Slot.Fcsr] = ctx.regs[Slot.Fcsr]! | BigInt(flags)
  }
  return r
}

/** A comparison result as an integer register value. */
const bool = (r: number): bigint => (r !== 0 ? 1n : 0n)

/** The fused multiply-add variant: major opcodes 1000011/1000111/1001011/1001111 differ in bits 3:2, in MulAddOp order. */
const mulAddOp = (insn: bigint): MulAddOp => ((sf.low32(insn) >>> 2) & 3) as MulAddOp

/** The integer type of an fcvt to or from an integer: rs2 field 0 w, 1 wu, 2 l, 3 lu. */
const intType = (insn: bigint): number => (sf.low32(insn) >>> 20) & 3

/**
 * A helper for an instruction with an rm field: args (insn, a, b, c); `fn` runs the
 * operation between `begin` and `end`.
 */
const rounded = (
  name: string,
  fn: (ctx: HelperContext, insn: bigint, a: bigint, b: bigint, c: bigint) => bigint,
): Helper => ({
  name,
  effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs | HelperEffect.Traps,
  fn,
})

/**
 * A helper for an instruction without an rm field that may raise flags (min/max,
 * compares): args (a, b); `fn` runs the operation between `clear` and `end`.
 */
const flagging = (name: string, fn: (ctx: HelperContext, a: bigint, b: bigint) => bigint): Helper => ({
  name,
  effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs,
  fn,
})

type Bin<T> = (env: FpEnv, rm: RoundingMode, a: T, b: T) => T
type Cmp<T> = (env: FpEnv, a: T, b: T) => number

/** One floating-point format: its register encoding and its softfloat operations. */
interface Precision<T> {
  /** Instruction-name suffix. */
  suffix: 's' | 'd'
  /** Operand from a 64-bit FP register value. */
  get(reg: bigint): T
  /** Result as a 64-bit FP register value. */
  put(v: T): bigint
  add: Bin<T>
  sub: Bin<T>
  mul: Bin<T>
  div: Bin<T>
  sqrt(env: FpEnv, rm: RoundingMode, a: T): T
  muladd(env: FpEnv, rm: RoundingMode, a: T, b: T, c: T, op: MulAddOp): T
  min(env: FpEnv, a: T, b: T): T
  max(env: FpEnv, a: T, b: T): T
  eq: Cmp<T>
  lt: Cmp<T>
  le: Cmp<T>
  classify(a: T): number
  /** fcvt.{w,wu,l,lu}.fmt, indexed by `intType`; results are integer register values. */
  toInt: readonly ((env: FpEnv, rm: RoundingMode, a: T) => bigint)[]
  /** fcvt.fmt.{w,wu,l,lu}, indexed by `intType`, from an integer register value. */
  fromInt: readonly ((env: FpEnv, rm: RoundingMode, v: bigint) => T)[]
  /** fcvt from the other precision, given that precision's FP register value. */
  fromOther(env: FpEnv, rm: RoundingMode, reg: bigint): T
}

/** The helpers of one precision; `trans/rvfd.ts` picks them by operation. */
export interface FpHelpers {
  add: Helper
  sub: Helper
  mul: Helper
  div: Helper
  sqrt: Helper
  /** fmadd/fmsub/fnmsub/fnmadd, told apart by the opcode in the instruction word. */
  muladd: Helper
  min: Helper
  max: Helper
  eq: Helper
  lt: Helper
  le: Helper
  /** Pure: raises no flags. */
  classify: Helper
  /** fcvt.{w,wu,l,lu}.fmt (rs2 field in the instruction word). */
  toInt: Helper
  /** fcvt.fmt.{w,wu,l,lu} (rs2 field in the instruction word). */
  fromInt: Helper
  /** fcvt.s.d / fcvt.d.s: to this precision from the other one. */
  convert: Helper
}

// Each operation's helper function is its own literal, shared by the two precisions
// only: the engine then sees at most two targets at each call inside it and can
// inline them, where one wrapper around every operation would dispatch generically.
// Arguments evaluate left to right, so `begin` (or `clear`) runs before the operation
// and `end` after it.
function helpers<T>(p: Precision<T>): FpHelpers {
  const { get, put, suffix: x } = p
  return {
    add: rounded(`fadd.${x}`, (ctx, insn, a, b) =>
      end(ctx, put(p.add(env, begin(ctx, insn), get(a), get(b)))),
    ),
    sub: rounded(`fsub.${x}`, (ctx, insn, a, b) =>
      end(ctx, put(p.sub(env, begin(ctx, insn), get(a), get(b)))),
    ),
    mul: rounded(`fmul.${x}`, (ctx, insn, a, b) =>
      end(ctx, put(p.mul(env, begin(ctx, insn), get(a), get(b)))),
    ),
    div: rounded(`fdiv.${x}`, (ctx, insn, a, b) =>
      end(ctx, put(p.div(env, begin(ctx, insn), get(a), get(b)))),
    ),
    sqrt: rounded(`fsqrt.${x}`, (ctx, insn, a) => end(ctx, put(p.sqrt(env, begin(ctx, insn), get(a))))),
    muladd: rounded(`fmadd.${x}`, (ctx, insn, a, b, c) =>
      end(ctx, put(p.muladd(env, begin(ctx, insn), get(a), get(b), get(c), mulAddOp(insn)))),
    ),
    min: flagging(`fmin.${x}`, (ctx, a, b) => end(ctx, put(p.min(clear(), get(a), get(b))))),
    max: flagging(`fmax.${x}`, (ctx, a, b) => end(ctx, put(p.max(clear(), get(a), get(b))))),
    eq: flagging(`feq.${x}`, (ctx, a, b) => bool(end(ctx, p.eq(clear(), get(a), get(b))))),
    lt: flagging(`flt.${x}`, (ctx, a, b) => bool(end(ctx, p.lt(clear(), get(a), get(b))))),
    le: flagging(`fle.${x}`, (ctx, a, b) => bool(end(ctx, p.le(clear(), get(a), get(b))))),
    classify: {
      name: `fclass.${x}`,
      effects: HelperEffect.None,
      fn: (_ctx, a) => BigInt(p.classify(get(a))),
    },
    toInt: rounded(`fcvt.int.${x}`, (ctx, insn, a) =>
      end(ctx, p.toInt[intType(insn)]!(env, begin(ctx, insn), get(a))),
    ),
    fromInt: rounded(`fcvt.${x}.int`, (ctx, insn, v) =>
      end(ctx, put(p.fromInt[intType(insn)]!(env, begin(ctx, insn), v))),
    ),
    convert: rounded(`fcvt.${x}.other`, (ctx, insn, a) =>
      end(ctx, put(p.fromOther(env, begin(ctx, insn), a))),
    ),
  }
}

const single: Precision<number> = {
  suffix: 's',
  get: sf.unboxF32,
  put: sf.boxF32,
  add: sf.f32_add,
  sub: sf.f32_sub,
  mul: sf.f32_mul,
  div: sf.f32_div,
  sqrt: sf.f32_sqrt,
  muladd: sf.f32_muladd,
  min: sf.f32_min,
  max: sf.f32_max,
  eq: sf.f32_eq,
  lt: sf.f32_lt,
  le: sf.f32_le,
  classify: sf.f32_classify,
  toInt: [sf.f32_to_i32, sf.f32_to_u32, sf.f32_to_i64, sf.f32_to_u64],
  fromInt: [sf.i32_to_f32, sf.u32_to_f32, sf.i64_to_f32, sf.u64_to_f32],
  fromOther: sf.f64_to_f32,
}

const identity = (v: bigint): bigint => v

const double: Precision<bigint> = {
  suffix: 'd',
  get: identity,
  put: identity,
  add: sf.f64_add,
  sub: sf.f64_sub,
  mul: sf.f64_mul,
  div: sf.f64_div,
  sqrt: sf.f64_sqrt,
  muladd: sf.f64_muladd,
  min: sf.f64_min,
  max: sf.f64_max,
  eq: sf.f64_eq,
  lt: sf.f64_lt,
  le: sf.f64_le,
  classify: sf.f64_classify,
  toInt: [sf.f64_to_i32, sf.f64_to_u32, sf.f64_to_i64, sf.f64_to_u64],
  fromInt: [sf.i32_to_f64, sf.u32_to_f64, sf.i64_to_f64, sf.u64_to_f64],
  // Widening is exact: the rm field is validated (as for every rm-carrying instruction) but unused.
  fromOther: (env, _rm, reg) => sf.f32_to_f64(env, single.get(reg)),
}

/** The F/D helpers by precision suffix. */
export const FP_HELPERS: Readonly<Record<'s' | 'd', FpHelpers>> = { s: helpers(single), d: helpers(double) }
