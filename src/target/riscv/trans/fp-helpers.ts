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

/** Rounding mode of instruction word `insn`; traps if it, or frm for DYN, is reserved. */
function roundingMode(ctx: HelperContext, insn: bigint): RoundingMode {
  let rm = Number((insn >> 12n) & 7n)
  if (rm === RM_DYN) rm = Number((ctx.regs[Slot.Fcsr]! >> 5n) & 7n)
  if (rm > RM_MAX) throw new GuestTrap(Cause.IllegalInsn, insn)
  return rm as RoundingMode
}

/** The fused multiply-add variant: major opcodes 1000011/1000111/1001011/1001111 differ in bits 3:2, in MulAddOp order. */
const mulAddOp = (insn: bigint): MulAddOp => Number((insn >> 2n) & 3n) as MulAddOp

/** The integer type of an fcvt to or from an integer: rs2 field 0 w, 1 wu, 2 l, 3 lu. */
const intType = (insn: bigint): number => Number((insn >> 20n) & 3n)

/** OR the flags an operation raised into fflags. */
function accrue(ctx: HelperContext, env: FpEnv): void {
  if (env.flags !== 0) ctx.regs[Slot.Fcsr] = ctx.regs[Slot.Fcsr]! | BigInt(env.flags)
}

type RoundedOp = (env: FpEnv, rm: RoundingMode, insn: bigint, a: bigint, b: bigint, c: bigint) => bigint

/** A helper for an instruction with an rm field: args (insn, a, b, c). */
const rounded = (name: string, op: RoundedOp): Helper => ({
  name,
  effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs | HelperEffect.Traps,
  fn: (ctx, insn, a, b, c) => {
    const env: FpEnv = { flags: 0 }
    const r = op(env, roundingMode(ctx, insn), insn, a, b, c)
    accrue(ctx, env)
    return r
  },
})

/** A helper for an instruction without an rm field that may raise flags (min/max, compares): args (a, b). */
const flagging = (name: string, op: (env: FpEnv, a: bigint, b: bigint) => bigint): Helper => ({
  name,
  effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs,
  fn: (ctx, a, b) => {
    const env: FpEnv = { flags: 0 }
    const r = op(env, a, b)
    accrue(ctx, env)
    return r
  },
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

function helpers<T>(p: Precision<T>): FpHelpers {
  const { get, put, suffix: x } = p
  const arith = (op: 'add' | 'sub' | 'mul' | 'div'): Helper =>
    rounded(`f${op}.${x}`, (env, rm, _insn, a, b) => put(p[op](env, rm, get(a), get(b))))
  const cmp = (op: 'eq' | 'lt' | 'le'): Helper =>
    flagging(`f${op}.${x}`, (env, a, b) => BigInt(p[op](env, get(a), get(b))))
  const minMax = (op: 'min' | 'max'): Helper =>
    flagging(`f${op}.${x}`, (env, a, b) => put(p[op](env, get(a), get(b))))
  return {
    add: arith('add'),
    sub: arith('sub'),
    mul: arith('mul'),
    div: arith('div'),
    sqrt: rounded(`fsqrt.${x}`, (env, rm, _insn, a) => put(p.sqrt(env, rm, get(a)))),
    muladd: rounded(`fmadd.${x}`, (env, rm, insn, a, b, c) =>
      put(p.muladd(env, rm, get(a), get(b), get(c), mulAddOp(insn))),
    ),
    min: minMax('min'),
    max: minMax('max'),
    eq: cmp('eq'),
    lt: cmp('lt'),
    le: cmp('le'),
    classify: {
      name: `fclass.${x}`,
      effects: HelperEffect.None,
      fn: (_ctx, a) => BigInt(p.classify(get(a))),
    },
    toInt: rounded(`fcvt.int.${x}`, (env, rm, insn, a) => p.toInt[intType(insn)]!(env, rm, get(a))),
    fromInt: rounded(`fcvt.${x}.int`, (env, rm, insn, v) => put(p.fromInt[intType(insn)]!(env, rm, v))),
    convert: rounded(`fcvt.${x}.other`, (env, rm, _insn, a) => put(p.fromOther(env, rm, a))),
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
