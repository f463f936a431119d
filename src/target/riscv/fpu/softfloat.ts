/**
 * RISC-V F and D extension arithmetic (unprivileged ISA v2.2, chapters "F" and "D"),
 * bit-exact with the RISC-V specialisation of Berkeley/QEMU softfloat.
 *
 * binary32 values are numbers holding the unsigned 32-bit pattern; binary64 values and
 * integer register values are bigints holding the unsigned 64-bit pattern. Functions
 * OR the exceptions they raise into `env.flags` (bit order of the `fflags` CSR), and
 * every NaN result is the canonical NaN. Rounding-mode arguments must be one of the
 * five valid modes: resolving DYN from `frm` and rejecting reserved encodings is the
 * decoder's job.
 *
 * Round-to-nearest-even paths, and exact results in any mode, use JS binary64
 * arithmetic where the result and flags are provably those of the exact computation;
 * everything else goes through the exact generic core.
 */
import * as core from './core.js'
import { F32, F64 } from './core.js'
import {
  equal,
  less,
  minMax,
  productError,
  roundToOdd,
  SAFE_MAX,
  SAFE_MIN,
  sumError,
  toInt,
} from './double.js'
import { FFlag, type FpEnv, MulAddOp, RoundingMode } from './types.js'

export * from './types.js'

/** binary32 canonical NaN. */
export const F32_DEFAULT_NAN = 0x7fc00000
/** binary64 canonical NaN. */
export const F64_DEFAULT_NAN = 0x7ff8000000000000n

// Reinterpretation between bit patterns and JS numbers, and access to the 32-bit
// halves of a 64-bit pattern without bigint arithmetic. Only non-NaN values ever
// travel from a number back to bits, so NaN payload handling by the engine is moot.
const scratch = new ArrayBuffer(8)
const f64View = new Float64Array(scratch)
const u64View = new BigUint64Array(scratch)
const f32View = new Float32Array(scratch, 0, 1)
const u32View = new Uint32Array(scratch, 0, 1)
const words = new Uint32Array(scratch)
u64View[0] = 1n
/**
 * Index of the low 32-bit half of a 64-bit element in a Uint32Array over the same
 * memory (platform byte order, as for BigUint64Array).
 */
export const LOW_WORD = words[0] === 1 ? 0 : 1
/** Index of the high 32-bit half; see {@link LOW_WORD}. */
const HIGH_WORD = 1 - LOW_WORD

/** The low 32 bits of `v`, read without bigint arithmetic. */
export function low32(v: bigint): number {
  u64View[0] = v
  return words[LOW_WORD]!
}

function f64Value(bits: bigint): number {
  u64View[0] = bits
  return f64View[0]
}

function f64Bits(x: number): bigint {
  f64View[0] = x
  return u64View[0]
}

function f32Value(bits: number): number {
  u32View[0] = bits
  return f32View[0]
}

function f32Bits(x: number): number {
  f32View[0] = x
  return u32View[0]
}

function isSignalingF32(a: number): boolean {
  return (a & 0x7fc00000) === 0x7f800000 && (a & 0x003fffff) !== 0
}

function isSignalingF64(a: bigint): boolean {
  u64View[0] = a
  const hi = words[HIGH_WORD]!
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x0007ffff) | words[LOW_WORD]!) !== 0
}

/** Smallest positive normal binary32 number. */
const F32_MIN_NORMAL = 2 ** -126
/** Smallest positive normal binary64 number. */
const F64_MIN_NORMAL = 2 ** -1022

/** Whether both binary64 operands lie in the fast-path range (see `SAFE_MIN`). */
function inSafeRange(x: number, y: number): boolean {
  const ax = Math.abs(x)
  const ay = Math.abs(y)
  return ax >= SAFE_MIN && ax <= SAFE_MAX && ay >= SAFE_MIN && ay <= SAFE_MAX
}

/**
 * Finishes a binary32 round-to-nearest fast path whose binary64 intermediate rounded
 * to `r`. Above the smallest normal the result cannot be tiny (the exact value
 * exceeds it by at least half an ulp), so NX is the only possible flag; otherwise
 * the caller falls back to the exact core (-1).
 */
function finishF32(env: FpEnv, r: number, exact: boolean): number {
  if (exact) return f32Bits(r)
  if (Math.abs(r) > F32_MIN_NORMAL && r !== Infinity && r !== -Infinity) {
    env.flags |= FFlag.NX
    return f32Bits(r)
  }
  return -1
}

// ---------------------------------------------------------------------------------
// Addition and subtraction

/**
 * FADD.S: `a + b`, rounded per `rm`. Raises NV (inf - inf, signaling NaN), OF, NX. In
 * RNE, the binary64 sum of binary32 operands rounded again to binary32 is correctly
 * rounded (53 >= 2*24 + 2, so double rounding is innocuous), and a tiny binary32 sum
 * is always exact, so only NX needs deriving.
 */
export function f32_add(env: FpEnv, rm: RoundingMode, a: number, b: number): number {
  if (rm === RoundingMode.RNE) {
    const x = f32Value(a)
    const y = f32Value(b)
    const s = x + y
    const r = Math.fround(s)
    if (Number.isFinite(r)) return finishF32(env, r, r === s && sumError(x, y, s) === 0)
  }
  return Number(core.add(env, rm, F32, BigInt(a), BigInt(b)))
}

/**
 * FADD.D: `a + b`, rounded per `rm`. Raises NV (inf - inf, signaling NaN), OF, NX. In
 * RNE, a finite binary64 sum is the IEEE result (zero signs included) and a tiny sum
 * is exact, so only NX needs deriving.
 */
export function f64_add(env: FpEnv, rm: RoundingMode, a: bigint, b: bigint): bigint {
  return f64Sum(env, rm, a, b, false)
}

/** `a + b`, or `a - b` when `negate`: negation is exact, so subtraction is the sum with -b. */
function f64Sum(env: FpEnv, rm: RoundingMode, a: bigint, b: bigint, negate: boolean): bigint {
  if (rm === RoundingMode.RNE) {
    const x = f64Value(a)
    const y = negate ? -f64Value(b) : f64Value(b)
    const s = x + y
    if (Number.isFinite(s)) {
      if (sumError(x, y, s) !== 0) env.flags |= FFlag.NX
      return f64Bits(s)
    }
  }
  return core.add(env, rm, F64, a, negate ? b ^ F64.signBit : b)
}

/** FSUB.S: `a - b`, rounded per `rm`. Raises NV (inf - inf, signaling NaN), OF, NX. */
export function f32_sub(env: FpEnv, rm: RoundingMode, a: number, b: number): number {
  // Negation is exact and NaNs lose their sign anyway, so flip b's sign bit and add.
  return f32_add(env, rm, a, (b ^ 0x80000000) >>> 0)
}

/** FSUB.D: `a - b`, rounded per `rm`. Raises NV (inf - inf, signaling NaN), OF, NX. */
export function f64_sub(env: FpEnv, rm: RoundingMode, a: bigint, b: bigint): bigint {
  return f64Sum(env, rm, a, b, true)
}

// ---------------------------------------------------------------------------------
// Multiplication

/**
 * FMUL.S: `a * b`, rounded per `rm`. Raises NV (inf * 0, signaling NaN), OF, UF, NX.
 * In RNE the binary64 product of binary32 operands is exact (48-bit significand, no
 * overflow or underflow), so Math.fround rounds it once.
 */
export function f32_mul(env: FpEnv, rm: RoundingMode, a: number, b: number): number {
  if (rm === RoundingMode.RNE) {
    const p = f32Value(a) * f32Value(b)
    const r = Math.fround(p)
    // p is NaN for NaN operands and inf * 0, which fall through to the core.
    const bits = finishF32(env, r, r === p)
    if (bits >= 0) return bits
  }
  return Number(core.mul(env, rm, F32, BigInt(a), BigInt(b)))
}

/**
 * FMUL.D: `a * b`, rounded per `rm`. Raises NV (inf * 0, signaling NaN), OF, UF, NX.
 * In RNE, operands within [2^-450, 2^450] give a product that can neither overflow
 * nor be tiny, and Dekker's exact product error decides NX.
 */
export function f64_mul(env: FpEnv, rm: RoundingMode, a: bigint, b: bigint): bigint {
  if (rm === RoundingMode.RNE) {
    const x = f64Value(a)
    const y = f64Value(b)
    const p = x * y
    if (inSafeRange(x, y)) {
      if (productError(x, y, p) !== 0) env.flags |= FFlag.NX
      return f64Bits(p)
    }
    // A zero times a finite number is an exact, correctly signed zero.
    if (p === 0 && (x === 0 || y === 0)) return f64Bits(p)
  }
  return core.mul(env, rm, F64, a, b)
}

// ---------------------------------------------------------------------------------
// Division

/**
 * FDIV.S: `a / b`, rounded per `rm`. Raises NV (0/0, inf/inf, signaling NaN), DZ
 * (finite nonzero / 0), OF, UF, NX. In RNE the binary64 quotient rounded to binary32
 * is correctly rounded (double rounding is innocuous), and since `r * b` is exact in
 * binary64 the quotient is exact iff it reproduces `a`.
 */
export function f32_div(env: FpEnv, rm: RoundingMode, a: number, b: number): number {
  if (rm === RoundingMode.RNE) {
    const x = f32Value(a)
    const y = f32Value(b)
    if (y !== 0 && Number.isFinite(y)) {
      const r = Math.fround(x / y)
      const bits = finishF32(env, r, r * y === x)
      if (bits >= 0) return bits
    }
  }
  return Number(core.div(env, rm, F32, BigInt(a), BigInt(b)))
}

/**
 * FDIV.D: `a / b`, rounded per `rm`. Raises NV (0/0, inf/inf, signaling NaN), DZ
 * (finite nonzero / 0), OF, UF, NX. In RNE, operands within [2^-450, 2^450] keep the
 * quotient normal, and the quotient is exact iff `q * b` reproduces `a` with a zero
 * Dekker error.
 */
export function f64_div(env: FpEnv, rm: RoundingMode, a: bigint, b: bigint): bigint {
  if (rm === RoundingMode.RNE) {
    const x = f64Value(a)
    const y = f64Value(b)
    if (inSafeRange(x, y)) {
      const q = x / y
      const p = q * y
      if (p !== x || productError(q, y, p) !== 0) env.flags |= FFlag.NX
      return f64Bits(q)
    }
    if (x === 0 && y !== 0 && !Number.isNaN(y)) return f64Bits(x / y)
  }
  return core.div(env, rm, F64, a, b)
}

// ---------------------------------------------------------------------------------
// Square root

/**
 * FSQRT.S: square root, rounded per `rm`. Raises NV (negative nonzero operand
 * including -inf, signaling NaN) and NX; sqrt(-0) is -0. ECMA-262 does not require
 * Math.sqrt to be correctly rounded, so the RNE fast path verifies its candidate: the
 * midpoints to the neighbouring binary32 values have 25 significant bits, so their
 * squares are exact in binary64, and the candidate is correct iff `a` lies strictly
 * between them (a midpoint's square has too many bits to equal `a`).
 */
export function f32_sqrt(env: FpEnv, rm: RoundingMode, a: number): number {
  if (rm === RoundingMode.RNE) {
    const x = f32Value(a)
    if (x > 0 && x !== Infinity) {
      const r = Math.fround(Math.sqrt(x))
      const bits = f32Bits(r)
      const below = (r + f32Value(bits - 1)) / 2
      const above = (r + f32Value(bits + 1)) / 2
      if (below * below < x && x < above * above) {
        if (r * r !== x) env.flags |= FFlag.NX
        return bits
      }
    }
  }
  return Number(core.sqrt(env, rm, F32, BigInt(a)))
}

/**
 * FSQRT.D: square root, rounded per `rm`. Raises NV (negative nonzero, signaling NaN)
 * and NX; sqrt(-0) is -0. ECMA-262 does not require Math.sqrt to be correctly
 * rounded, so the RNE fast path verifies its candidate `r` through the residual
 * `x - r*r`: for r in [2^-450, 2^450] (not NaN, so x was not negative), Dekker's
 * product gives `r*r = p + e` exactly, `d = x - p` is exact when p is within a factor
 * 2 of x (Sterbenz), and the residual `d - e` is used only when its own rounding error
 * is zero. With `up` and `dn` the spacings above and below r, r is correctly rounded
 * iff x lies strictly between the squares of the midpoints r - dn/2 and r + up/2;
 * these exceed `r*(r-dn)` and `r*(r+up)` by less than the quantum that x and both
 * products are multiples of, so the test is `-r*dn < x - r*r <= r*up`. The root is
 * exact iff the residual is zero, and never tiny.
 */
export function f64_sqrt(env: FpEnv, rm: RoundingMode, a: bigint): bigint {
  if (rm === RoundingMode.RNE) {
    const x = f64Value(a)
    const r = Math.sqrt(x)
    if (inSafeRange(r, r)) {
      const p = r * r
      const d = x - p
      const e = productError(r, r, p)
      const residual = d - e
      if (p >= x / 2 && p <= 2 * x && sumError(d, -e, residual) === 0) {
        // The power of two of r's binade (its fraction cleared), then its spacing.
        f64View[0] = r
        words[LOW_WORD] = 0
        words[HIGH_WORD] = words[HIGH_WORD]! & 0x7ff00000
        const binade = f64View[0]!
        const up = binade * 2 ** -52
        const dn = binade === r ? up / 2 : up
        if (residual <= r * up && residual > -(r * dn)) {
          if (residual !== 0) env.flags |= FFlag.NX
          return f64Bits(r)
        }
      }
    }
  }
  return core.sqrt(env, rm, F64, a)
}

// ---------------------------------------------------------------------------------
// Fused multiply-add

/**
 * FMADD.S/FMSUB.S/FNMSUB.S/FNMADD.S: `±(a*b) ± c` per `op`, with a single rounding.
 * Raises NV (inf * 0 even with a quiet-NaN addend, inf - inf, signaling NaN), OF, UF,
 * NX. An exact zero result is +0 (-0 in RDN) unless both terms are zeros of the same
 * sign. In RNE the binary64 product of binary32 operands is exact, so the binary64 sum
 * is the only intermediate rounding; made round-to-odd, it leaves Math.fround (24 <= 53
 * - 2 bits) to round the exact value correctly.
 */
export function f32_muladd(
  env: FpEnv,
  rm: RoundingMode,
  a: number,
  b: number,
  c: number,
  op: MulAddOp,
): number {
  if (rm === RoundingMode.RNE) {
    const p = f32Value(a) * f32Value(b)
    const z = f32Value(c)
    const product = (op & MulAddOp.NMSUB) !== 0 ? -p : p
    const addend = (op & MulAddOp.MSUB) !== 0 ? -z : z
    const s = product + addend
    if (Number.isFinite(s)) {
      const err = sumError(product, addend, s)
      const r = Math.fround(roundToOdd(s, err))
      const bits = finishF32(env, r, err === 0 && r === s)
      if (bits >= 0) return bits
    }
  }
  return Number(core.mulAdd(env, rm, F32, BigInt(a), BigInt(b), BigInt(c), op))
}

/**
 * FMADD.D/FMSUB.D/FNMSUB.D/FNMADD.D: as {@link f32_muladd}, for binary64. The RNE fast
 * path is the Boldo-Melquiond emulation (IEEE Trans. Computers 57(4), 2008), proved
 * correct in the absence of overflow and underflow: with `uh + ul` the exact product
 * and `th + tl` the exact sum `c + uh`, the result is RN(th + RO(tl + ul)). Operands in
 * the safe range and a result above the smallest normal rule out both. If `tl + ul`
 * is exact, the exact result is `th + v` and the final sum's error decides NX. If not,
 * the exact result is not a binary64 number: it lies within a few ulps of `th` (or
 * `c + uh` was exact, making `tl` zero), where any representable value would make
 * `tl + ul` a representable difference (Sterbenz); so it is inexact.
 */
export function f64_muladd(
  env: FpEnv,
  rm: RoundingMode,
  a: bigint,
  b: bigint,
  c: bigint,
  op: MulAddOp,
): bigint {
  if (rm === RoundingMode.RNE) {
    const x = f64Value(a)
    const y = f64Value(b)
    const z = f64Value(c)
    const addend = (op & MulAddOp.MSUB) !== 0 ? -z : z
    const negate = (op & MulAddOp.NMSUB) !== 0
    if (inSafeRange(x, y) && Number.isFinite(addend)) {
      const p = x * y
      const uh = negate ? -p : p
      const ul = negate ? -productError(x, y, p) : productError(x, y, p)
      const th = addend + uh
      const tl = sumError(addend, uh, th)
      const v = tl + ul
      const e = sumError(tl, ul, v)
      const odd = roundToOdd(v, e)
      const r = th + odd
      if (Math.abs(r) > F64_MIN_NORMAL && Number.isFinite(r)) {
        if (e !== 0 || sumError(th, odd, r) !== 0) env.flags |= FFlag.NX
        return f64Bits(r)
      }
    } else if ((x === 0 || y === 0) && Number.isFinite(x * y) && Number.isFinite(addend)) {
      // A zero product leaves the addend exact; the sum applies IEEE zero-sign rules.
      return f64Bits((negate ? -(x * y) : x * y) + addend)
    }
  }
  return core.mulAdd(env, rm, F64, a, b, c, op)
}

// ---------------------------------------------------------------------------------
// Minimum, maximum, comparisons, classification

// The signaling test of the quiet operations below only runs when an operand is a NaN.

function minMaxF32(env: FpEnv, max: boolean, a: number, b: number): number {
  const x = f32Value(a)
  const y = f32Value(b)
  const signaling = (Number.isNaN(x) || Number.isNaN(y)) && (isSignalingF32(a) || isSignalingF32(b))
  return minMax(env, max, a, b, x, y, signaling, F32_DEFAULT_NAN)
}

function minMaxF64(env: FpEnv, max: boolean, a: bigint, b: bigint): bigint {
  const x = f64Value(a)
  const y = f64Value(b)
  const signaling = (Number.isNaN(x) || Number.isNaN(y)) && (isSignalingF64(a) || isSignalingF64(b))
  return minMax(env, max, a, b, x, y, signaling, F64_DEFAULT_NAN)
}

/** FMIN.S: minimumNumber(a, b) with -0 < +0; canonical NaN if both are NaN. NV for a signaling NaN. */
export function f32_min(env: FpEnv, a: number, b: number): number {
  return minMaxF32(env, false, a, b)
}

/** FMAX.S: maximumNumber(a, b) with -0 < +0; canonical NaN if both are NaN. NV for a signaling NaN. */
export function f32_max(env: FpEnv, a: number, b: number): number {
  return minMaxF32(env, true, a, b)
}

/** FMIN.D: minimumNumber(a, b) with -0 < +0; canonical NaN if both are NaN. NV for a signaling NaN. */
export function f64_min(env: FpEnv, a: bigint, b: bigint): bigint {
  return minMaxF64(env, false, a, b)
}

/** FMAX.D: maximumNumber(a, b) with -0 < +0; canonical NaN if both are NaN. NV for a signaling NaN. */
export function f64_max(env: FpEnv, a: bigint, b: bigint): bigint {
  return minMaxF64(env, true, a, b)
}

/** FEQ.S: 1 if `a == b`, else 0. Quiet comparison: NV only for a signaling NaN. */
export function f32_eq(env: FpEnv, a: number, b: number): number {
  const x = f32Value(a)
  const y = f32Value(b)
  return equal(env, x, y, (Number.isNaN(x) || Number.isNaN(y)) && (isSignalingF32(a) || isSignalingF32(b)))
}

/** FEQ.D: 1 if `a == b`, else 0. Quiet comparison: NV only for a signaling NaN. */
export function f64_eq(env: FpEnv, a: bigint, b: bigint): number {
  const x = f64Value(a)
  const y = f64Value(b)
  return equal(env, x, y, (Number.isNaN(x) || Number.isNaN(y)) && (isSignalingF64(a) || isSignalingF64(b)))
}

/** FLT.S: 1 if `a < b`, else 0. Signaling comparison: NV for any NaN operand. */
export function f32_lt(env: FpEnv, a: number, b: number): number {
  return less(env, f32Value(a), f32Value(b), false)
}

/** FLT.D: 1 if `a < b`, else 0. Signaling comparison: NV for any NaN operand. */
export function f64_lt(env: FpEnv, a: bigint, b: bigint): number {
  return less(env, f64Value(a), f64Value(b), false)
}

/** FLE.S: 1 if `a <= b`, else 0. Signaling comparison: NV for any NaN operand. */
export function f32_le(env: FpEnv, a: number, b: number): number {
  return less(env, f32Value(a), f32Value(b), true)
}

/** FLE.D: 1 if `a <= b`, else 0. Signaling comparison: NV for any NaN operand. */
export function f64_le(env: FpEnv, a: bigint, b: bigint): number {
  return less(env, f64Value(a), f64Value(b), true)
}

/**
 * FCLASS.S: 10-bit mask with exactly one bit set: 0 -inf, 1 negative normal,
 * 2 negative subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive normal, 7 +inf,
 * 8 signaling NaN, 9 quiet NaN. Raises nothing.
 */
export function f32_classify(a: number): number {
  return classify(f32Value(a), F32_MIN_NORMAL, (a & 0x00400000) !== 0)
}

/** FCLASS.D: as {@link f32_classify}, for binary64. */
export function f64_classify(a: bigint): number {
  const x = f64Value(a)
  // f64Value left the pattern in the scratch words: bit 51 is the quiet bit.
  return classify(x, F64_MIN_NORMAL, (words[HIGH_WORD]! & 0x00080000) !== 0)
}

/** The FCLASS mask of value `x` in a format whose smallest normal is `minNormal`; `quiet` tells NaNs apart. */
function classify(x: number, minNormal: number, quiet: boolean): number {
  if (Number.isNaN(x)) return quiet ? 1 << 9 : 1 << 8
  const m = Math.abs(x)
  // Distance of the class bit from the end of its sign's half: infinities outermost, zeros innermost.
  const k = m === Infinity ? 0 : m >= minNormal ? 1 : m !== 0 ? 2 : 3
  // 1/x tells -0 (1/-0 = -inf) from +0.
  return x < 0 || 1 / x < 0 ? 1 << k : 1 << (7 - k)
}

// ---------------------------------------------------------------------------------
// Conversions between formats

/** FCVT.D.S: exact widening. NaNs give the canonical NaN; NV for a signaling NaN. */
export function f32_to_f64(env: FpEnv, a: number): bigint {
  const x = f32Value(a)
  if (!Number.isNaN(x)) return f64Bits(x)
  return core.convert(env, RoundingMode.RNE, F32, F64, BigInt(a))
}

/** FCVT.S.D: narrowing, rounded per `rm`. Raises NV (signaling NaN), OF, UF, NX. */
export function f64_to_f32(env: FpEnv, rm: RoundingMode, a: bigint): number {
  if (rm === RoundingMode.RNE) {
    const x = f64Value(a)
    const r = Math.fround(x)
    // A NaN compares unequal to itself and is not above the threshold, so it reaches the core.
    const bits = finishF32(env, r, r === x)
    if (bits >= 0) return bits
  }
  return Number(core.convert(env, rm, F64, F32, a))
}

// ---------------------------------------------------------------------------------
// Conversions to integers: results are the 64-bit destination register value; see
// `toInt` for saturation and flags.

/** FCVT.W.S: to int32 per `rm`, sign-extended. NaN and +overflow give 2^31-1, -overflow -2^31 (NV). */
export function f32_to_i32(env: FpEnv, rm: RoundingMode, a: number): bigint {
  return toInt(env, rm, f32Value(a), true, 32)
}

/** FCVT.WU.S: to uint32 per `rm`, sign-extended from bit 31. NaN and +overflow give 2^32-1, negatives 0 (NV). */
export function f32_to_u32(env: FpEnv, rm: RoundingMode, a: number): bigint {
  return toInt(env, rm, f32Value(a), false, 32)
}

/** FCVT.L.S: to int64 per `rm`. NaN and +overflow give 2^63-1, -overflow -2^63 (NV). */
export function f32_to_i64(env: FpEnv, rm: RoundingMode, a: number): bigint {
  return toInt(env, rm, f32Value(a), true, 64)
}

/** FCVT.LU.S: to uint64 per `rm`. NaN and +overflow give 2^64-1, negatives 0 (NV). */
export function f32_to_u64(env: FpEnv, rm: RoundingMode, a: number): bigint {
  return toInt(env, rm, f32Value(a), false, 64)
}

/** FCVT.W.D: to int32 per `rm`, sign-extended. NaN and +overflow give 2^31-1, -overflow -2^31 (NV). */
export function f64_to_i32(env: FpEnv, rm: RoundingMode, a: bigint): bigint {
  return toInt(env, rm, f64Value(a), true, 32)
}

/** FCVT.WU.D: to uint32 per `rm`, sign-extended from bit 31. NaN and +overflow give 2^32-1, negatives 0 (NV). */
export function f64_to_u32(env: FpEnv, rm: RoundingMode, a: bigint): bigint {
  return toInt(env, rm, f64Value(a), false, 32)
}

/** FCVT.L.D: to int64 per `rm`. NaN and +overflow give 2^63-1, -overflow -2^63 (NV). */
export function f64_to_i64(env: FpEnv, rm: RoundingMode, a: bigint): bigint {
  return toInt(env, rm, f64Value(a), true, 64)
}

/** FCVT.LU.D: to uint64 per `rm`. NaN and +overflow give 2^64-1, negatives 0 (NV). */
export function f64_to_u64(env: FpEnv, rm: RoundingMode, a: bigint): bigint {
  return toInt(env, rm, f64Value(a), false, 64)
}

// ---------------------------------------------------------------------------------
// Conversions from integers: the argument is the source register value; the W/WU
// forms use its low 32 bits.

/** Rounding error of the last `intValue` (its second result): the integer is that value plus this. */
let intError = 0

/**
 * The integer of type `signed`/`width` in register value `v`, rounded to the nearest
 * binary64 (error in `intError`). It is read as 32-bit halves: `hi * 2^32` is exact,
 * and adding `lo` rounds once.
 */
function intValue(v: bigint, signed: boolean, width: 32 | 64): number {
  u64View[0] = v
  const lo = words[LOW_WORD]!
  if (width === 32) {
    intError = 0
    return signed ? lo | 0 : lo
  }
  const high = (signed ? words[HIGH_WORD]! | 0 : words[HIGH_WORD]!) * 2 ** 32
  const x = high + lo
  // Fast2Sum: |high| >= 2^32 > lo, or high is 0 and the sum exact.
  intError = lo - (x - high)
  return x
}

/** The integer of type `signed`/`width` in register value `v`, for the exact core. */
function intBig(v: bigint, signed: boolean, width: 32 | 64): bigint {
  return signed ? BigInt.asIntN(width, v) : BigInt.asUintN(width, v)
}

/**
 * Integer to binary32. In RNE, the binary64 value rounded to odd keeps the sticky
 * information of the first rounding, so Math.fround (24 <= 53 - 2 bits) rounds the
 * integer correctly; other modes take the core unless the value is exact.
 */
function intToF32(env: FpEnv, rm: RoundingMode, v: bigint, signed: boolean, width: 32 | 64): number {
  const x = intValue(v, signed, width)
  const err = intError
  if (rm === RoundingMode.RNE) {
    const r = Math.fround(roundToOdd(x, err))
    if (err !== 0 || r !== x) env.flags |= FFlag.NX
    return f32Bits(r)
  }
  if (err === 0 && Math.fround(x) === x) return f32Bits(x)
  return Number(core.fromInt(env, rm, F32, intBig(v, signed, width)))
}

/** Integer to binary64: the nearest binary64 is the RNE result, and any exact one the result in every mode. */
function intToF64(env: FpEnv, rm: RoundingMode, v: bigint, signed: boolean, width: 32 | 64): bigint {
  const x = intValue(v, signed, width)
  if (intError !== 0) {
    if (rm !== RoundingMode.RNE) return core.fromInt(env, rm, F64, intBig(v, signed, width))
    env.flags |= FFlag.NX
  }
  return f64Bits(x)
}

/** FCVT.S.W: signed low 32 bits of `v` to binary32 per `rm`. Raises NX. */
export function i32_to_f32(env: FpEnv, rm: RoundingMode, v: bigint): number {
  return intToF32(env, rm, v, true, 32)
}

/** FCVT.S.WU: unsigned low 32 bits of `v` to binary32 per `rm`. Raises NX. */
export function u32_to_f32(env: FpEnv, rm: RoundingMode, v: bigint): number {
  return intToF32(env, rm, v, false, 32)
}

/** FCVT.S.L: `v` as int64 to binary32 per `rm`. Raises NX. */
export function i64_to_f32(env: FpEnv, rm: RoundingMode, v: bigint): number {
  return intToF32(env, rm, v, true, 64)
}

/** FCVT.S.LU: `v` as uint64 to binary32 per `rm`. Raises NX. */
export function u64_to_f32(env: FpEnv, rm: RoundingMode, v: bigint): number {
  return intToF32(env, rm, v, false, 64)
}

/** FCVT.D.W: signed low 32 bits of `v` to binary64 (always exact). */
export function i32_to_f64(env: FpEnv, rm: RoundingMode, v: bigint): bigint {
  return intToF64(env, rm, v, true, 32)
}

/** FCVT.D.WU: unsigned low 32 bits of `v` to binary64 (always exact). */
export function u32_to_f64(env: FpEnv, rm: RoundingMode, v: bigint): bigint {
  return intToF64(env, rm, v, false, 32)
}

/** FCVT.D.L: `v` as int64 to binary64 per `rm`. Raises NX. */
export function i64_to_f64(env: FpEnv, rm: RoundingMode, v: bigint): bigint {
  return intToF64(env, rm, v, true, 64)
}

/** FCVT.D.LU: `v` as uint64 to binary64 per `rm`. Raises NX. */
export function u64_to_f64(env: FpEnv, rm: RoundingMode, v: bigint): bigint {
  return intToF64(env, rm, v, false, 64)
}

// ---------------------------------------------------------------------------------
// NaN boxing (ISA manual, D extension, "NaN Boxing of Narrower Values")

/**
 * Reads a binary32 operand from a 64-bit FP register value: a properly NaN-boxed value
 * (upper 32 bits all ones) yields its low 32 bits, anything else the canonical NaN.
 */
export function unboxF32(reg: bigint): number {
  u64View[0] = reg
  return words[HIGH_WORD] === 0xffffffff ? words[LOW_WORD]! : F32_DEFAULT_NAN
}

/** NaN-boxes a binary32 result for writing to a 64-bit FP register. */
export function boxF32(v: number): bigint {
  words[LOW_WORD] = v
  words[HIGH_WORD] = 0xffffffff
  return u64View[0]!
}
