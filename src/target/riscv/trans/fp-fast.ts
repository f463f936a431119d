/**
 * Fast paths (IR `FastPath`) of the binary64 arithmetic helpers, for
 * backends that compile. They apply with round-to-nearest-even (static, or
 * DYN with frm = RNE) and operands in the common range; anything else (zeros
 * where they matter, subnormal results, infinities, NaNs, operands near the
 * exponent limits, other rounding modes, a reserved frm) runs the helper, so
 * every trap and every flag other than NX stays the helper's business.
 *
 * Every fast path is taken only once NX has accrued in fflags (as QEMU's
 * hardfloat does): a normal finite result then raises nothing new, so no
 * path needs to decide inexactness. A program's first inexact operation
 * goes through the helper, which sets NX.
 *
 * - add, sub, mul, div, sqrt are one binary64 op.
 * - Fused multiply-add has no binary64 op to map to; it follows Boldo and
 *   Melquiond's emulation: Dekker's exact product (Veltkamp splitting), TwoSum
 *   (Knuth) with the addend, the two errors added with rounding to odd, then
 *   added to the rounded sum. The conditions keep it to operands where the
 *   product and its pieces stay exact and no large cancellation happens
 *   (|a × b| ≤ 4 |RN(a × b + c)|): the errors are then at most 2.5 units in
 *   the last place of the rounded sum, every rounding boundary near the
 *   result is a multiple of twice the unit of the rounded-to-odd errors, and
 *   the final rounding is that of the exact a × b + c.
 *
 * Magnitudes are compared as integers: for non-negative binary64 encodings
 * integer order is numeric order, with infinity above every finite value and
 * NaNs above infinity, so one unsigned comparison also rejects those.
 */
import type { FastPath, Temp } from '../../../ir/ir.js'
import { Op } from '../../../ir/ir.js'
import { Slot } from '../cpu.js'
import type { TransCtx } from './context.js'

type Outcome = Omit<FastPath, 'ops'>

/** The binary64 operations with a fast path. */
export type FastD = 'add' | 'sub' | 'mul' | 'div' | 'sqrt' | 'muladd'

const SIGN = 1n << 63n
const MAGNITUDE = SIGN - 1n
/** Encoding of 2^e, for a normal power of two. */
const pow2 = (e: number): bigint => BigInt(e + 1023) << 52n
/** Adding this to a positive normal encoding multiplies by 4. */
const TIMES_4 = 2n << 52n
/** Veltkamp's splitting constant for binary64: 2^27 + 1. */
const SPLIT = pow2(27) | (1n << 25n)

/** Encoding of +infinity. */
const INF = 0x7ffn << 52n
/** fcsr: frm, and fflags NX. */
const FRM = 7n << 5n
const NX = 1n
/** The two-operand operations that are one binary64 op. */
const BINARY = { add: Op.FAdd, sub: Op.FSub, mul: Op.FMul, div: Op.FDiv } as const

/** rm values: round to nearest even, and dynamic (frm). */
const RM_RNE = 0
const RM_DYN = 7

/** Whether an instruction with rounding-mode field `rm` may take a fast path: RNE, or DYN when frm says RNE at run time. */
export const fastRm = (rm: number): boolean => rm === RM_RNE || rm === RM_DYN

/**
 * The fast path of binary64 operation `kind` on the FP register values
 * `ops` (in instruction operand order), for an instruction with rounding
 * field `rm` (`fastRm`) and word `bits`. Emits through `t.b`.
 */
export function fastPathD(t: TransCtx, kind: FastD, rm: number, bits: number, ops: readonly Temp[]): Outcome {
  const b = t.b
  const k = (v: bigint): Temp => b.const(v)
  const f = (op: Op.FAdd | Op.FSub | Op.FMul | Op.FDiv, x: Temp, y: Temp): Temp => b.bin(op, x, y)
  const and = (...c: Temp[]): Temp => c.reduce((x, y) => b.bin(Op.And, x, y))
  const abs = (x: Temp): Temp => b.bin(Op.And, x, k(MAGNITUDE))
  const below = (x: Temp, e: number): Temp => b.bin(Op.LtU, abs(x), k(pow2(e)))
  const atLeast = (x: Temp, e: number): Temp => b.bin(Op.GeU, abs(x), k(pow2(e)))
  const nonZero = (x: Temp): Temp => b.bin(Op.Ne, abs(x), k(0n))
  const neg = (x: Temp): Temp => b.bin(Op.Xor, x, k(SIGN))

  /** TwoSum: [RN(x + y), the exact error]. */
  const twoSum = (x: Temp, y: Temp): [Temp, Temp] => {
    const s = f(Op.FAdd, x, y)
    const yy = f(Op.FSub, s, x)
    const e = f(Op.FAdd, f(Op.FSub, x, f(Op.FSub, s, yy)), f(Op.FSub, y, yy))
    return [s, e]
  }
  /** Veltkamp splitting: x = high + low, each with at most 26 significant bits. */
  const split = (x: Temp): [Temp, Temp] => {
    const c = f(Op.FMul, k(SPLIT), x)
    const high = f(Op.FSub, c, f(Op.FSub, c, x))
    return [high, f(Op.FSub, x, high)]
  }
  /** Dekker: the exact error x × y - p of p = RN(x × y). */
  const productError = (x: Temp, y: Temp, p: Temp): Temp => {
    const [xh, xl] = split(x)
    const [yh, yl] = split(y)
    const e = f(Op.FAdd, f(Op.FSub, f(Op.FMul, xh, yh), p), f(Op.FMul, xh, yl))
    return f(Op.FAdd, f(Op.FAdd, e, f(Op.FMul, xl, yh)), f(Op.FMul, xl, yl))
  }

  const fcsr = b.getReg(Slot.Fcsr)
  const conditions: Temp[] = []
  /** fcsr bits that must be clear (frm, for DYN) and set (NX). */
  const fcsrIs = (mask: bigint, value: bigint) =>
    conditions.push(b.bin(Op.Eq, b.bin(Op.And, fcsr, k(mask)), k(value)))
  const frmMask = rm === RM_DYN ? FRM : 0n
  /**
   * The result lies between 2^-1021 and infinity: finite operands, no NV, DZ or OF, and no UF
   * (tininess is after rounding: a result rounded up to exactly 2^-1022 may still be tiny).
   */
  const normalResult = (r: Temp) =>
    conditions.push(b.bin(Op.LtU, b.bin(Op.Sub, abs(r), k(pow2(-1021))), k(INF - pow2(-1021))))
  const [x, y] = ops as [Temp, Temp]
  let result: Temp
  switch (kind) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div': {
      // One binary64 op once NX has accrued. Exact tiny sums raise nothing: only infinities and NaNs are excluded.
      fcsrIs(frmMask | NX, NX)
      result = f(BINARY[kind], x, y)
      if (kind === 'add' || kind === 'sub') conditions.push(b.bin(Op.LtU, abs(result), k(INF)))
      else normalResult(result)
      break
    }
    case 'sqrt': {
      // A positive finite operand (zero excluded): its root is normal.
      fcsrIs(frmMask | NX, NX)
      result = b.un(Op.FSqrt, x)
      conditions.push(b.bin(Op.LtU, b.bin(Op.Sub, x, k(1n)), k(INF - 1n)))
      break
    }
    case 'muladd': {
      // fmadd a×b+c, fmsub a×b-c, fnmsub -a×b+c, fnmadd -a×b-c (opcode bits 3:2).
      const variant = (bits >>> 2) & 3
      const a = variant >= 2 ? neg(x) : x
      const c = variant === 1 || variant === 3 ? neg(ops[2]!) : ops[2]!
      const uh = f(Op.FMul, a, y)
      const ul = productError(a, y, uh)
      const [th, tl] = twoSum(c, uh)
      const [s, e1] = twoSum(tl, ul)
      // Round tl + ul to odd: an inexact even s moves one unit towards the exact sum.
      const sticky = and(nonZero(e1), b.bin(Op.Eq, b.bin(Op.And, s, k(1n)), k(0n)))
      const towards = b.select(b.bin(Op.LtS, b.bin(Op.Xor, s, e1), k(0n)), k((1n << 64n) - 1n), k(1n))
      const v = b.bin(Op.Add, s, b.select(sticky, towards, k(0n)))
      result = f(Op.FAdd, th, v)
      fcsrIs(frmMask | NX, NX)
      conditions.push(
        below(x, 995),
        below(y, 995),
        atLeast(uh, -968),
        below(uh, 1020),
        below(c, 1020),
        atLeast(th, -960),
        b.bin(Op.GeU, b.bin(Op.Add, abs(th), k(TIMES_4)), abs(uh)),
      )
      break
    }
  }
  // Every fast path needs NX set already and raises nothing new: fcsr stays as it is.
  return { ok: and(...conditions), result }
}
