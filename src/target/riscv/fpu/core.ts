/**
 * Generic, exact IEEE 754 binary floating-point core. Operands and results are bit
 * patterns in bigints; one implementation serves binary32 and binary64 through a
 * format descriptor. Every operation computes the exact result as an integer
 * significand and a power-of-two exponent and rounds it once in `roundPack`, with
 * the RISC-V choices: canonical NaN results, tininess detected after rounding.
 */
import { FFlag, type FpEnv, MulAddOp, RoundingMode } from './types.js'

/** Parameters of a binary interchange format. */
export interface Format {
  /** Stored fraction bits (23 or 52). */
  readonly fracBits: number
  /** Significand precision in bits, hidden bit included. */
  readonly precision: number
  /** Exponent bias; also the unbiased exponent of the largest finite value. */
  readonly bias: number
  /** Unbiased exponent of the smallest normal value. */
  readonly emin: number
  /** Biased exponent field of infinities and NaNs (all ones). */
  readonly expSpecial: number
  readonly bigFracBits: bigint
  readonly fracMask: bigint
  readonly hidden: bigint
  readonly signBit: bigint
  readonly quietBit: bigint
  /** +infinity. */
  readonly inf: bigint
  /** Largest finite positive value. */
  readonly maxFinite: bigint
  /** The RISC-V canonical NaN (positive, quiet, zero payload). */
  readonly defaultNaN: bigint
}

function makeFormat(expBits: number, fracBits: number): Format {
  const bias = (1 << (expBits - 1)) - 1
  const bigFracBits = BigInt(fracBits)
  const expSpecial = (1 << expBits) - 1
  const inf = BigInt(expSpecial) << bigFracBits
  const quietBit = 1n << (bigFracBits - 1n)
  return {
    fracBits,
    precision: fracBits + 1,
    bias,
    emin: 1 - bias,
    expSpecial,
    bigFracBits,
    fracMask: (1n << bigFracBits) - 1n,
    hidden: 1n << bigFracBits,
    signBit: 1n << BigInt(expBits + fracBits),
    quietBit,
    inf,
    maxFinite: inf - 1n,
    defaultNaN: inf | quietBit,
  }
}

/** IEEE 754 binary32. */
export const F32: Format = makeFormat(8, 23)
/** IEEE 754 binary64. */
export const F64: Format = makeFormat(11, 52)

/** Operand categories; `Finite` covers normal and subnormal numbers. */
export const enum Kind {
  Zero,
  Finite,
  Inf,
  QNaN,
  SNaN,
}

/** A decoded operand; for `Finite` its value is `(-1)^sign * sig * 2^exp` with `sig > 0`. */
export interface Unpacked {
  kind: Kind
  sign: boolean
  sig: bigint
  exp: number
}

/** Decodes a bit pattern of format `fmt`. */
export function unpack(fmt: Format, bits: bigint): Unpacked {
  const sign = (bits & fmt.signBit) !== 0n
  const e = Number((bits >> fmt.bigFracBits) & BigInt(fmt.expSpecial))
  const frac = bits & fmt.fracMask
  if (e === fmt.expSpecial) {
    const kind = frac === 0n ? Kind.Inf : (frac & fmt.quietBit) !== 0n ? Kind.QNaN : Kind.SNaN
    return { kind, sign, sig: 0n, exp: 0 }
  }
  if (e === 0) {
    return { kind: frac === 0n ? Kind.Zero : Kind.Finite, sign, sig: frac, exp: fmt.emin - fmt.fracBits }
  }
  return { kind: Kind.Finite, sign, sig: frac | fmt.hidden, exp: e - fmt.bias - fmt.fracBits }
}

function isNaNKind(kind: Kind): boolean {
  return kind >= Kind.QNaN
}

function withSign(fmt: Format, sign: boolean, magnitude: bigint): bigint {
  return sign ? fmt.signBit | magnitude : magnitude
}

/** Number of significant bits of a positive bigint. */
export function bitLength(x: bigint): number {
  if (x <= 0xffffffffn) return 32 - Math.clz32(Number(x))
  let n = 0
  while (x > 0xffffffffffffffffn) {
    x >>= 64n
    n += 64
  }
  const hi = Number(x >> 32n)
  return hi === 0 ? n + 32 - Math.clz32(Number(x)) : n + 64 - Math.clz32(hi)
}

/** Drops the low `sh` (>= 1) bits of `sig`, rounding per `rm` for a value of the given sign. */
function shiftRound(sig: bigint, sh: number, rm: RoundingMode, sign: boolean): bigint {
  const bsh = BigInt(sh)
  const q = sig >> bsh
  const rem = sig & ((1n << bsh) - 1n)
  if (rem === 0n) return q
  switch (rm) {
    case RoundingMode.RNE: {
      const half = 1n << (bsh - 1n)
      return rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q
    }
    case RoundingMode.RMM:
      return rem >= 1n << (bsh - 1n) ? q + 1n : q
    case RoundingMode.RTZ:
      return q
    case RoundingMode.RDN:
      return sign ? q + 1n : q
    case RoundingMode.RUP:
      return sign ? q : q + 1n
  }
}

/**
 * Rounds the nonzero value `(-1)^sign * sig * 2^exp` to format `fmt` and packs it.
 * `sig * 2^exp` is either exact, or (for quotients and roots) a truncation of at least
 * p + 2 bits with a sticky 1 appended, which rounds exactly as the true value would.
 * Raises NX when inexact, OF (with NX) on overflow, and UF when the result is both
 * tiny and inexact. Tininess is judged after rounding, as RISC-V requires: the value
 * is tiny if rounding it to full precision with an unbounded exponent range would
 * still give a magnitude below the smallest normal.
 */
export function roundPack(
  env: FpEnv,
  rm: RoundingMode,
  fmt: Format,
  sign: boolean,
  sig: bigint,
  exp: number,
): bigint {
  const p = fmt.precision
  const len = bitLength(sig)
  const top = exp + len - 1
  // Exponent of the result's least significant bit: full precision below the leading
  // bit, but never finer than the subnormal quantum 2^(emin - p + 1).
  const lsb = Math.max(top - p + 1, fmt.emin - p + 1)
  let m: bigint
  let inexact = false
  if (lsb <= exp) {
    m = sig << BigInt(exp - lsb)
  } else {
    m = shiftRound(sig, lsb - exp, rm, sign)
    inexact = (sig & ((1n << BigInt(lsb - exp)) - 1n)) !== 0n
  }
  let e = lsb
  if (m >> BigInt(p) !== 0n) {
    // Rounding carried into a new leading bit; the significand is now exactly 2^p.
    m >>= 1n
    e += 1
  }
  if (e + p - 1 > fmt.bias) {
    env.flags |= FFlag.OF | FFlag.NX
    // IEEE 754 7.4: directed modes that round towards zero for this sign give the
    // largest finite number instead of infinity.
    const toInf =
      rm === RoundingMode.RNE ||
      rm === RoundingMode.RMM ||
      (rm === RoundingMode.RDN && sign) ||
      (rm === RoundingMode.RUP && !sign)
    return withSign(fmt, sign, toInf ? fmt.inf : fmt.maxFinite)
  }
  if (inexact) {
    env.flags |= FFlag.NX
    if (top < fmt.emin && isTinyAfterRounding(fmt, rm, sign, sig, len, top)) env.flags |= FFlag.UF
  }
  // A normal significand carries its hidden bit into the exponent field, so adding it to
  // (biased exponent - 1) packs normals, subnormals and a subnormal that rounded up to
  // the smallest normal alike.
  return withSign(fmt, sign, (BigInt(e + p - 1 + fmt.bias - 1) << fmt.bigFracBits) + m)
}

/** Tininess after rounding of a value whose leading bit lies below 2^emin (at 2^top). */
function isTinyAfterRounding(
  fmt: Format,
  rm: RoundingMode,
  sign: boolean,
  sig: bigint,
  len: number,
  top: number,
): boolean {
  // Only a value within one binade of the normal range can round up into it.
  if (top < fmt.emin - 1 || len <= fmt.precision) return true
  return bitLength(shiftRound(sig, len - fmt.precision, rm, sign)) === fmt.precision
}

function invalid(env: FpEnv, fmt: Format): bigint {
  env.flags |= FFlag.NV
  return fmt.defaultNaN
}

/** Canonical NaN of `fmt` for an operation with a NaN operand; NV if any operand is signaling. */
function nanResult(env: FpEnv, fmt: Format, x: Unpacked, y?: Unpacked, z?: Unpacked): bigint {
  if (x.kind === Kind.SNaN || y?.kind === Kind.SNaN || z?.kind === Kind.SNaN) env.flags |= FFlag.NV
  return fmt.defaultNaN
}

/** Exact zero sum of operands of opposite sign: +0, except -0 when rounding down (IEEE 754 6.3). */
function cancelledZero(fmt: Format, rm: RoundingMode): bigint {
  return rm === RoundingMode.RDN ? fmt.signBit : 0n
}

/** Sum of two non-NaN operands, rounded once. */
function addUnpacked(env: FpEnv, rm: RoundingMode, fmt: Format, x: Unpacked, y: Unpacked): bigint {
  if (x.kind === Kind.Inf) {
    return y.kind === Kind.Inf && x.sign !== y.sign ? invalid(env, fmt) : withSign(fmt, x.sign, fmt.inf)
  }
  if (y.kind === Kind.Inf) return withSign(fmt, y.sign, fmt.inf)
  if (x.kind === Kind.Zero) {
    if (y.kind === Kind.Zero) return x.sign === y.sign ? withSign(fmt, x.sign, 0n) : cancelledZero(fmt, rm)
    return roundPack(env, rm, fmt, y.sign, y.sig, y.exp)
  }
  if (y.kind === Kind.Zero) return roundPack(env, rm, fmt, x.sign, x.sig, x.exp)
  // Align both significands to the smaller exponent; the integer sum is then exact.
  const e = Math.min(x.exp, y.exp)
  const mx = x.sig << BigInt(x.exp - e)
  const my = y.sig << BigInt(y.exp - e)
  const s = (x.sign ? -mx : mx) + (y.sign ? -my : my)
  if (s === 0n) return cancelledZero(fmt, rm)
  return s < 0n ? roundPack(env, rm, fmt, true, -s, e) : roundPack(env, rm, fmt, false, s, e)
}

/** `a + b`. Raises NV (inf - inf, signaling NaN), OF, UF, NX. */
export function add(env: FpEnv, rm: RoundingMode, fmt: Format, a: bigint, b: bigint): bigint {
  const x = unpack(fmt, a)
  const y = unpack(fmt, b)
  if (isNaNKind(x.kind) || isNaNKind(y.kind)) return nanResult(env, fmt, x, y)
  return addUnpacked(env, rm, fmt, x, y)
}

/** `a * b`. Raises NV (inf * 0, signaling NaN), OF, UF, NX. */
export function mul(env: FpEnv, rm: RoundingMode, fmt: Format, a: bigint, b: bigint): bigint {
  const x = unpack(fmt, a)
  const y = unpack(fmt, b)
  if (isNaNKind(x.kind) || isNaNKind(y.kind)) return nanResult(env, fmt, x, y)
  const sign = x.sign !== y.sign
  if (x.kind === Kind.Inf || y.kind === Kind.Inf) {
    return x.kind === Kind.Zero || y.kind === Kind.Zero ? invalid(env, fmt) : withSign(fmt, sign, fmt.inf)
  }
  if (x.kind === Kind.Zero || y.kind === Kind.Zero) return withSign(fmt, sign, 0n)
  return roundPack(env, rm, fmt, sign, x.sig * y.sig, x.exp + y.exp)
}

/**
 * Fused multiply-add `±(a*b) ± c` (variant `op`) with one rounding. Raises NV (inf * 0,
 * inf - inf, signaling NaN), OF, UF, NX. The product is formed exactly, so it is never
 * a rounded intermediate, and the sum goes through the same exact addition (and
 * zero-sign rules) as `add`.
 */
export function mulAdd(
  env: FpEnv,
  rm: RoundingMode,
  fmt: Format,
  a: bigint,
  b: bigint,
  c: bigint,
  op: MulAddOp,
): bigint {
  const x = unpack(fmt, a)
  const y = unpack(fmt, b)
  const z = unpack(fmt, c)
  const infTimesZero =
    (x.kind === Kind.Inf && y.kind === Kind.Zero) || (x.kind === Kind.Zero && y.kind === Kind.Inf)
  if (isNaNKind(x.kind) || isNaNKind(y.kind) || isNaNKind(z.kind)) {
    // The F chapter requires NV for inf*0 even when the addend is a quiet NaN, where
    // IEEE 754 leaves it optional.
    if (infTimesZero) env.flags |= FFlag.NV
    return nanResult(env, fmt, x, y, z)
  }
  if (infTimesZero) return invalid(env, fmt)
  // Bit 0 of the variant negates the addend (FMSUB, FNMADD), bit 1 the product (FNMSUB,
  // FNMADD). The spec defines FNMADD as -(a*b)-c, not -(a*b+c), so an exact zero sum
  // follows the ordinary sum rules rather than being negated.
  if ((op & MulAddOp.MSUB) !== 0) z.sign = !z.sign
  const sign = (x.sign !== y.sign) !== ((op & MulAddOp.NMSUB) !== 0)
  let product: Unpacked
  if (x.kind === Kind.Inf || y.kind === Kind.Inf) product = { kind: Kind.Inf, sign, sig: 0n, exp: 0 }
  else if (x.kind === Kind.Zero || y.kind === Kind.Zero) product = { kind: Kind.Zero, sign, sig: 0n, exp: 0 }
  else product = { kind: Kind.Finite, sign, sig: x.sig * y.sig, exp: x.exp + y.exp }
  return addUnpacked(env, rm, fmt, product, z)
}

/** `a / b`. Raises NV (0/0, inf/inf, signaling NaN), DZ (finite nonzero / 0), OF, UF, NX. */
export function div(env: FpEnv, rm: RoundingMode, fmt: Format, a: bigint, b: bigint): bigint {
  const x = unpack(fmt, a)
  const y = unpack(fmt, b)
  if (isNaNKind(x.kind) || isNaNKind(y.kind)) return nanResult(env, fmt, x, y)
  const sign = x.sign !== y.sign
  if (x.kind === Kind.Inf) return y.kind === Kind.Inf ? invalid(env, fmt) : withSign(fmt, sign, fmt.inf)
  if (y.kind === Kind.Inf) return withSign(fmt, sign, 0n)
  if (y.kind === Kind.Zero) {
    if (x.kind === Kind.Zero) return invalid(env, fmt)
    env.flags |= FFlag.DZ
    return withSign(fmt, sign, fmt.inf)
  }
  if (x.kind === Kind.Zero) return withSign(fmt, sign, 0n)
  // Scale the dividend so the integer quotient has at least p + 2 bits; the remainder
  // then only matters as a sticky bit appended below the rounding position.
  const k = fmt.precision + 2 + bitLength(y.sig) - bitLength(x.sig)
  const n = x.sig << BigInt(k)
  const q = n / y.sig
  const sticky = q * y.sig === n ? 0n : 1n
  return roundPack(env, rm, fmt, sign, (q << 1n) | sticky, x.exp - y.exp - k - 1)
}

/** Floor of the square root of a positive bigint. */
function isqrt(n: bigint): bigint {
  // The double estimate only affects speed: one Newton step from any positive start
  // lands at or above floor(sqrt(n)) (AM-GM), and from there the iteration decreases
  // monotonically onto it.
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n
  x = (x + n / x) >> 1n
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/** Square root. Raises NV (values below -0 including -inf, signaling NaN) and NX; sqrt(-0) = -0. */
export function sqrt(env: FpEnv, rm: RoundingMode, fmt: Format, a: bigint): bigint {
  const x = unpack(fmt, a)
  if (isNaNKind(x.kind)) return nanResult(env, fmt, x)
  if (x.kind === Kind.Zero) return a
  if (x.sign) return invalid(env, fmt)
  if (x.kind === Kind.Inf) return fmt.inf
  // Make the exponent even and the radicand at least 2p + 4 bits wide, so the integer
  // root has p + 2 bits and the remainder reduces to a sticky bit.
  let shift = Math.max(0, 2 * fmt.precision + 4 - bitLength(x.sig))
  if ((x.exp - shift) % 2 !== 0) shift += 1
  const n = x.sig << BigInt(shift)
  const r = isqrt(n)
  const sticky = r * r === n ? 0n : 1n
  return roundPack(env, rm, fmt, false, (r << 1n) | sticky, (x.exp - shift) / 2 - 1)
}

/**
 * Converts between formats, rounding when narrowing (OF, UF, NX). NaNs become the
 * target's canonical NaN, with NV for a signaling one.
 */
export function convert(env: FpEnv, rm: RoundingMode, from: Format, to: Format, a: bigint): bigint {
  const x = unpack(from, a)
  switch (x.kind) {
    case Kind.QNaN:
    case Kind.SNaN:
      return nanResult(env, to, x)
    case Kind.Inf:
      return withSign(to, x.sign, to.inf)
    case Kind.Zero:
      return withSign(to, x.sign, 0n)
    case Kind.Finite:
      return roundPack(env, rm, to, x.sign, x.sig, x.exp)
  }
}

/** Converts the integer `v` to format `fmt`, rounding per `rm` (NX when inexact). */
export function fromInt(env: FpEnv, rm: RoundingMode, fmt: Format, v: bigint): bigint {
  if (v === 0n) return 0n
  return v < 0n ? roundPack(env, rm, fmt, true, -v, 0) : roundPack(env, rm, fmt, false, v, 0)
}
