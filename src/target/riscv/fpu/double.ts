/**
 * Floating-point operations that JS binary64 arithmetic performs exactly: quiet and
 * signaling comparisons, minimumNumber/maximumNumber, rounding to integers, and the
 * error-free transformations the soft-float fast paths use to derive exception
 * flags. Both formats use them, binary32 values being widened to binary64 exactly.
 */
import { FFlag, type FpEnv, RoundingMode } from './types.js'

/** Veltkamp's splitting constant for binary64, 2^27 + 1. */
const SPLIT = 134217729

/**
 * Exact rounding error `x*y - p` of the binary64 product `p = x*y` (Dekker's TwoProduct).
 * Exact provided the splitting does not overflow and no partial product underflows:
 * |x| and |y| below 2^995 and |x*y| at least 2^-960 suffice.
 */
export function productError(x: number, y: number, p: number): number {
  let t = SPLIT * x
  const xh = t - (t - x)
  const xl = x - xh
  t = SPLIT * y
  const yh = t - (t - y)
  const yl = y - yh
  return xh * yh - p + xh * yl + xl * yh + xl * yl
}

/**
 * Exact rounding error `x + y - s` of the binary64 sum `s = x + y` of finite operands
 * (Fast2Sum: with the larger magnitude first, `s - x` is computed exactly).
 */
export function sumError(x: number, y: number, s: number): number {
  return Math.abs(x) >= Math.abs(y) ? y - (s - x) : x - (s - y)
}

// Access to the low significand word of a binary64, in platform byte order.
const oddScratch = new Float64Array(1)
const oddWords = new Uint32Array(oddScratch.buffer)
oddScratch[0] = 1
const LO = oddWords[0] === 0 ? 0 : 1
const HI = 1 - LO

/**
 * Round-to-odd of an exact value given as its round-to-nearest binary64 `s` and exact
 * error `err`: `s` itself when exact or when its significand is odd, otherwise the
 * neighbour of `s` on the side of `err`. Rounding to odd keeps a sticky bit in the last
 * place, so a later round-to-nearest to at most 51 bits is correct, and it is the
 * intermediate rounding of the Boldo-Melquiond FMA emulation. The inexact values it
 * gets (sums, integers beyond 2^53) are never zero or subnormal, so the neighbour is
 * found by stepping the bit pattern.
 */
export function roundToOdd(s: number, err: number): number {
  if (err === 0) return s
  oddScratch[0] = s
  const lo = oddWords[LO]
  if ((lo & 1) !== 0) return s
  if (err > 0 === s > 0) {
    oddWords[LO] = lo | 1
  } else if (lo !== 0) {
    oddWords[LO] = lo - 1
  } else {
    oddWords[LO] = 0xffffffff
    oddWords[HI] -= 1
  }
  return oddScratch[0]
}

/**
 * Operand magnitude range of the binary64 fast paths: for x and y in it, x*y and x/y
 * lie in [2^-900, 2^900], far from overflow and tininess, and `productError` is exact
 * for the product and for the quotient times the divisor.
 */
export const SAFE_MIN = 2 ** -450
/** Upper end of the fast-path operand range; see {@link SAFE_MIN}. */
export const SAFE_MAX = 2 ** 450

/**
 * FEQ: 1 if `x == y` (so +0 == -0), else 0. Quiet: NV only when `signaling` says an
 * operand is a signaling NaN.
 */
export function equal(env: FpEnv, x: number, y: number, signaling: boolean): number {
  if (x === y) return 1
  if (signaling) env.flags |= FFlag.NV
  return 0
}

/** FLT/FLE: `x < y` (or `x <= y`) as 0 or 1. Signaling: NV if either operand is any NaN. */
export function less(env: FpEnv, x: number, y: number, orEqual: boolean): number {
  if (Number.isNaN(x) || Number.isNaN(y)) {
    env.flags |= FFlag.NV
    return 0
  }
  return (orEqual ? x <= y : x < y) ? 1 : 0
}

/**
 * FMIN/FMAX (IEEE 754-2019 minimumNumber/maximumNumber): returns the bit pattern `a`
 * or `b` of the smaller/larger of their values `x`/`y`, ordering -0 below +0. A NaN
 * operand is ignored; two NaNs give `nan`. NV when `signaling` says an operand is a
 * signaling NaN.
 */
export function minMax<T>(
  env: FpEnv,
  max: boolean,
  a: T,
  b: T,
  x: number,
  y: number,
  signaling: boolean,
  nan: T,
): T {
  if (signaling) env.flags |= FFlag.NV
  if (Number.isNaN(x)) return Number.isNaN(y) ? nan : b
  if (Number.isNaN(y)) return a
  if (x === y) {
    // Equal values differ in encoding only for zeros of opposite signs.
    return Object.is(x, -0) !== max ? a : b
  }
  return x < y !== max ? a : b
}

const TWO52 = 2 ** 52

/**
 * Rounds `x` to an integral value per `rm`, exactly: at or above 2^52 every double is
 * an integer, and below it adding 2^52 leaves a unit in the last place of exactly 1,
 * so the hardware's round-to-nearest-even addition performs the rounding.
 */
function roundIntegral(x: number, rm: RoundingMode): number {
  switch (rm) {
    case RoundingMode.RTZ:
      return Math.trunc(x)
    case RoundingMode.RDN:
      return Math.floor(x)
    case RoundingMode.RUP:
      return Math.ceil(x)
    case RoundingMode.RNE:
    case RoundingMode.RMM: {
      const m = Math.abs(x)
      if (!(m < TWO52)) return x
      let r: number
      if (rm === RoundingMode.RNE) {
        r = m + TWO52 - TWO52
      } else {
        const t = Math.trunc(m)
        // m - t is exact: either t is 0, or m/2 <= t <= m (Sterbenz).
        r = m - t >= 0.5 ? t + 1 : t
      }
      return x < 0 ? -r : r
    }
  }
}

/**
 * FCVT.{W,WU,L,LU}: rounds `x` to an integer per `rm` and returns the value the
 * destination register receives, as an unsigned 64-bit bigint. 32-bit results (signed
 * and unsigned alike) are sign-extended from bit 31. Out-of-range values and NaNs
 * raise NV (not NX) and saturate: NaN and too-large values to the maximum, too-small
 * values (including negative ones for unsigned targets) to the minimum. In-range
 * inexact results raise NX; a negative value that rounds to 0 is in range for
 * unsigned targets.
 */
export function toInt(env: FpEnv, rm: RoundingMode, x: number, signed: boolean, width: 32 | 64): bigint {
  const r = roundIntegral(x, rm)
  const min = signed ? -(2 ** (width - 1)) : 0
  const limit = signed ? 2 ** (width - 1) : 2 ** width
  if (r >= min && r < limit) {
    if (r !== x) env.flags |= FFlag.NX
    // `| 0` sign-extends a 32-bit result from bit 31 (and turns -0 into 0).
    return registerValue(width === 32 ? r | 0 : r)
  }
  env.flags |= FFlag.NV
  const v = x < 0 ? BigInt(min) : BigInt(limit) - 1n
  return width === 32 ? BigInt.asUintN(64, BigInt.asIntN(32, v)) : BigInt.asUintN(64, v)
}

/** The 64-bit register value of an integer in [-2^63, 2^64), two's complement for negatives. */
function registerValue(v: number): bigint {
  return v >= 0 ? BigInt(v) : BigInt.asUintN(64, BigInt(v))
}
