/**
 * The soft-float unit's fast paths (binary64 arithmetic on JS numbers, for both
 * formats) against the exact bigint core: every
 * operation with a fast path runs on operands drawn to reach its edges (exponents next
 * to the fast-path ranges, overflow, tininess and the subnormal range; halfway cases,
 * exact results, cancellation; zeros, infinities, quiet and signaling NaNs) in every
 * rounding mode, and must give the core's result and flags. Operations the core does
 * not implement (comparisons, min/max, classification, conversion to integers) are
 * checked against small exact references built on `core.unpack`. The generator is
 * seeded, so a failure reproduces.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import * as core from './core.js'
import { F32, F64, type Format, Kind, type Unpacked } from './core.js'
import * as sf from './softfloat.js'
import { FFlag, type FpEnv, MulAddOp, RoundingMode } from './softfloat.js'

/** Random cases per operation and rounding mode. */
const CASES = 3000

const MODES = [RoundingMode.RNE, RoundingMode.RTZ, RoundingMode.RDN, RoundingMode.RUP, RoundingMode.RMM]

// ---------------------------------------------------------------------------------
// Operand generation

/** Deterministic 32-bit pseudo-random words (mulberry32). */
function makeRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

let random = makeRandom(1)

/** A random integer in [0, n). */
const below = (n: number): number => random() % n

/** `bits` random bits. */
function randomBits(bits: number): bigint {
  let v = 0n
  for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(random())
  return BigInt.asUintN(bits, v)
}

function pick<T>(list: readonly T[]): T {
  return list[below(list.length)]!
}

/** Width of a format's encoding in bits. */
const encodingBits = (fmt: Format): number => (fmt === F32 ? 32 : 64)

/** A fraction field: random, empty, full, or with few significant bits (exact results) or a long run of ones. */
function fraction(fmt: Format): bigint {
  const n = fmt.fracBits
  const mask = fmt.fracMask
  switch (below(8)) {
    case 0:
      return 0n
    case 1:
      return mask
    case 2:
      return 1n
    case 3:
      return randomBits(n) & ~((1n << BigInt(below(n + 1))) - 1n) & mask
    case 4:
      return (randomBits(n) | ((1n << BigInt(below(n + 1))) - 1n)) & mask
    default:
      return randomBits(n)
  }
}

/**
 * A biased exponent field next to an edge: the subnormal range, the smallest normals,
 * 1.0, the binary64 fast-path limits 2^±450 and 2^±900 (the square-root range), the
 * overflow and underflow thresholds of products, the largest finite values, or the
 * infinity/NaN encoding; otherwise uniform.
 */
function exponentField(fmt: Format): number {
  const special = fmt.expSpecial
  const bias = fmt.bias
  const centres = [
    0,
    1,
    bias,
    bias + 450,
    bias - 450,
    bias + 900,
    bias - 900,
    bias + (bias >> 1),
    bias - (bias >> 1),
  ]
    // The binary64 limits lie outside binary32's range.
    .filter((e) => e <= special)
  switch (below(6)) {
    case 0:
      return pick([0, 1, 2, special - 1, special - 2, special])
    case 1:
    case 2:
    case 3: {
      const e = pick(centres) + below(9) - 4
      return Math.min(Math.max(e, 0), special)
    }
    default:
      return below(special + 1)
  }
}

/** A random operand bit pattern of format `fmt`. */
function operand(fmt: Format): bigint {
  const sign = below(2) === 0 ? 0n : fmt.signBit
  return sign | (BigInt(exponentField(fmt)) << fmt.bigFracBits) | fraction(fmt)
}

/** `bits` moved by up to `range` units in the last place, kept within the format. */
function nudge(fmt: Format, bits: bigint, range: number): bigint {
  return BigInt.asUintN(encodingBits(fmt), bits + BigInt(below(2 * range + 1) - range))
}

/** The operand `bits` with its exponent field moved by `delta` (clamped to the finite range). */
function scaled(fmt: Format, bits: bigint, delta: number): bigint {
  const e = Number((bits >> fmt.bigFracBits) & BigInt(fmt.expSpecial))
  const f = Math.min(Math.max(e + delta, 1), fmt.expSpecial - 1)
  return (bits & (fmt.signBit | fmt.fracMask)) | (BigInt(f) << fmt.bigFracBits)
}

/**
 * A second operand related to `a`: equal, negated, nudged (cancellation), or shifted
 * by about the precision so that sums fall on or next to halfway points; else independent.
 */
function partner(fmt: Format, a: bigint): bigint {
  const p = fmt.precision
  switch (below(5)) {
    case 0:
      return nudge(fmt, a ^ (below(2) === 0 ? 0n : fmt.signBit), 2)
    case 1: {
      const b = scaled(fmt, a, -(p + below(4) - 1))
      return below(2) === 0 ? b & ~fmt.fracMask : b
    }
    default:
      return operand(fmt)
  }
}

const env: FpEnv = { flags: 0 }

/** Result and flags of `f`, run in a fresh environment. */
function run<T>(f: (env: FpEnv) => T): [T, number] {
  env.flags = 0
  const r = f(env)
  return [r, env.flags]
}

const hex = (v: bigint | number): string => v.toString(16)

/**
 * Runs `cases` operand tuples in every mode and fails with the first few disagreements
 * between `fast` and `exact` (results as bigints).
 */
function compare(
  name: string,
  operands: () => bigint[],
  fast: (env: FpEnv, rm: RoundingMode, ops: bigint[]) => bigint,
  exact: (env: FpEnv, rm: RoundingMode, ops: bigint[]) => bigint,
  modes: readonly RoundingMode[] = MODES,
): void {
  random = makeRandom([...name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7))
  const failures: string[] = []
  let failed = 0
  for (const rm of modes) {
    for (let i = 0; i < CASES; i++) {
      const ops = operands()
      const [want, wantFlags] = run((e) => exact(e, rm, ops))
      const [got, gotFlags] = run((e) => fast(e, rm, ops))
      if (got !== want || gotFlags !== wantFlags) {
        failed++
        if (failures.length < 8) {
          failures.push(
            `rm ${rm} ${ops.map(hex).join(' ')}: want ${hex(want)} flags ${wantFlags}, got ${hex(got)} flags ${gotFlags}`,
          )
        }
      }
    }
  }
  assert.equal(failed, 0, `${name}: ${failed} disagreements, first ones:\n  ${failures.join('\n  ')}`)
}

// ---------------------------------------------------------------------------------
// Arithmetic against the exact core

const n = Number
const big = BigInt

/** Both formats: the fast entry points (binary32 patterns as numbers) and the format. */
const formats = [
  {
    fmt: F32,
    add: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => big(sf.f32_add(e, rm, n(a), n(b))),
    sub: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => big(sf.f32_sub(e, rm, n(a), n(b))),
    mul: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => big(sf.f32_mul(e, rm, n(a), n(b))),
    div: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => big(sf.f32_div(e, rm, n(a), n(b))),
    sqrt: (e: FpEnv, rm: RoundingMode, [a]: bigint[]) => big(sf.f32_sqrt(e, rm, n(a))),
    muladd: (e: FpEnv, rm: RoundingMode, [a, b, c]: bigint[], op: MulAddOp) =>
      big(sf.f32_muladd(e, rm, n(a), n(b), n(c), op)),
  },
  {
    fmt: F64,
    add: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => sf.f64_add(e, rm, a!, b!),
    sub: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => sf.f64_sub(e, rm, a!, b!),
    mul: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => sf.f64_mul(e, rm, a!, b!),
    div: (e: FpEnv, rm: RoundingMode, [a, b]: bigint[]) => sf.f64_div(e, rm, a!, b!),
    sqrt: (e: FpEnv, rm: RoundingMode, [a]: bigint[]) => sf.f64_sqrt(e, rm, a!),
    muladd: (e: FpEnv, rm: RoundingMode, [a, b, c]: bigint[], op: MulAddOp) =>
      sf.f64_muladd(e, rm, a!, b!, c!, op),
  },
]

const sizeOf = (fmt: Format): string => (fmt === F32 ? 's' : 'd')

for (const f of formats) {
  const { fmt } = f
  const x = sizeOf(fmt)
  const pair = (): bigint[] => {
    const a = operand(fmt)
    return [a, partner(fmt, a)]
  }

  test(`fadd.${x} and fsub.${x} agree with the exact core`, () => {
    compare(`fadd.${x}`, pair, f.add, (e, rm, [a, b]) => core.add(e, rm, fmt, a!, b!))
    compare(`fsub.${x}`, pair, f.sub, (e, rm, [a, b]) => core.add(e, rm, fmt, a!, b! ^ fmt.signBit))
  })

  test(`fmul.${x} agrees with the exact core`, () => {
    // Products near overflow and tininess: exponents summing to those thresholds.
    const operands = (): bigint[] => {
      const a = operand(fmt)
      if (below(3) !== 0) return [a, operand(fmt)]
      const e = Number((a >> fmt.bigFracBits) & BigInt(fmt.expSpecial)) - fmt.bias
      const target = pick([fmt.bias, fmt.emin, fmt.emin - fmt.precision, 0]) + below(5) - 2
      return [
        a,
        scaled(fmt, operand(fmt) & ~(BigInt(fmt.expSpecial) << fmt.bigFracBits), target - e + fmt.bias),
      ]
    }
    compare(`fmul.${x}`, operands, f.mul, (e, rm, [a, b]) => core.mul(e, rm, fmt, a!, b!))
  })

  test(`fdiv.${x} agrees with the exact core`, () => {
    // Exact quotients: a = q * b for a short q.
    const operands = (): bigint[] => {
      const b = operand(fmt)
      if (below(3) !== 0) return [operand(fmt), b]
      const q = operand(fmt) & ~((1n << BigInt(fmt.fracBits - 4)) - 1n)
      return [core.mul({ flags: 0 }, RoundingMode.RNE, fmt, q, b), b]
    }
    compare(`fdiv.${x}`, operands, f.div, (e, rm, [a, b]) => core.div(e, rm, fmt, a!, b!))
  })

  test(`fsqrt.${x} agrees with the exact core`, () => {
    // Squares of short roots (exact) and their neighbours.
    const operands = (): bigint[] => {
      if (below(2) === 0) return [operand(fmt)]
      const r = operand(fmt) & ~fmt.signBit & ~((1n << BigInt(fmt.fracBits >> 1)) - 1n)
      return [nudge(fmt, core.mul({ flags: 0 }, RoundingMode.RNE, fmt, r, r), below(2))]
    }
    compare(`fsqrt.${x}`, operands, f.sqrt, (e, rm, [a]) => core.sqrt(e, rm, fmt, a!))
  })

  test(`fmadd.${x} family agrees with the exact core`, () => {
    // Besides independent addends: addends that cancel the product to within a few
    // units, and products of half-precision significands, often exactly halfway
    // between two representable values, plus an addend far below them, which a
    // double rounding would get wrong.
    const half = BigInt(fmt.fracBits - (fmt.precision >> 1))
    const short = (): bigint => (operand(fmt) & ~((1n << half) - 1n)) | (1n << half)
    const operands = (): bigint[] => {
      const kind = below(3)
      if (kind === 0) {
        const a = operand(fmt)
        return [a, partner(fmt, operand(fmt)), partner(fmt, a)]
      }
      const a = kind === 1 ? operand(fmt) : short()
      const b = kind === 1 ? partner(fmt, operand(fmt)) : short()
      const p = core.mul({ flags: 0 }, RoundingMode.RNE, fmt, a, b)
      const c =
        kind === 1
          ? nudge(fmt, p ^ (below(2) === 0 ? fmt.signBit : 0n), 3)
          : scaled(
              fmt,
              p ^ (below(2) === 0 ? fmt.signBit : 0n),
              -(fmt.precision + 2 + below(2 * fmt.precision)),
            )
      return [a, b, c]
    }
    for (const op of [MulAddOp.MADD, MulAddOp.MSUB, MulAddOp.NMSUB, MulAddOp.NMADD]) {
      compare(
        `fmadd.${x} op ${op}`,
        operands,
        (e, rm, ops) => f.muladd(e, rm, ops, op),
        (e, rm, [a, b, c]) => core.mulAdd(e, rm, fmt, a!, b!, c!, op),
      )
    }
  })
}

// ---------------------------------------------------------------------------------
// Conversions against the exact core

test('fcvt.s.d and fcvt.d.s agree with the exact core', () => {
  compare(
    'fcvt.s.d',
    () => [operand(F64)],
    (e, rm, [a]) => big(sf.f64_to_f32(e, rm, a!)),
    (e, rm, [a]) => core.convert(e, rm, F64, F32, a!),
  )
  compare(
    'fcvt.d.s',
    () => [operand(F32)],
    (e, _rm, [a]) => sf.f32_to_f64(e, n(a)),
    (e, _rm, [a]) => core.convert(e, RoundingMode.RNE, F32, F64, a!),
  )
})

/**
 * An integer register value near an edge: powers of two up to 2^64 plus or minus a
 * few units, or with a halfway tail; otherwise random, of random width (the 32-bit
 * forms then also see random upper halves).
 */
function integerOperand(): bigint {
  const k = pick([0, 1, 23, 24, 25, 31, 32, 52, 53, 54, 62, 63, 64])
  let v: bigint
  switch (below(4)) {
    case 0:
      v = (1n << BigInt(k)) + BigInt(below(9) - 4)
      break
    case 1: {
      // 2^k plus the half unit of a binary32 or binary64 significand there (or a
      // quarter of it), and possibly a sticky 1 below: exact ties and near-ties.
      const half = Math.max(k - pick([24, 25, 53, 54]), 0)
      v = (1n << BigInt(k)) | (1n << BigInt(half)) | BigInt(below(2))
      break
    }
    case 2:
      v = randomBits(below(65))
      break
    default:
      v = randomBits(64)
  }
  if (below(2) === 0) v = -v
  return BigInt.asUintN(64, v)
}

const fromIntCases: [string, (e: FpEnv, rm: RoundingMode, v: bigint) => bigint, Format, boolean, 32 | 64][] =
  [
    ['fcvt.s.w', (e, rm, v) => big(sf.i32_to_f32(e, rm, v)), F32, true, 32],
    ['fcvt.s.wu', (e, rm, v) => big(sf.u32_to_f32(e, rm, v)), F32, false, 32],
    ['fcvt.s.l', (e, rm, v) => big(sf.i64_to_f32(e, rm, v)), F32, true, 64],
    ['fcvt.s.lu', (e, rm, v) => big(sf.u64_to_f32(e, rm, v)), F32, false, 64],
    ['fcvt.d.w', sf.i32_to_f64, F64, true, 32],
    ['fcvt.d.wu', sf.u32_to_f64, F64, false, 32],
    ['fcvt.d.l', sf.i64_to_f64, F64, true, 64],
    ['fcvt.d.lu', sf.u64_to_f64, F64, false, 64],
  ]

test('conversions from integers agree with the exact core', () => {
  for (const [name, fast, fmt, signed, width] of fromIntCases) {
    compare(
      name,
      () => [integerOperand()],
      (e, rm, [v]) => fast(e, rm, v!),
      (e, rm, [v]) => core.fromInt(e, rm, fmt, signed ? BigInt.asIntN(width, v!) : BigInt.asUintN(width, v!)),
    )
  }
})

// ---------------------------------------------------------------------------------
// Exact references for the operations outside the core

/** The exact value of a finite operand as a fraction `num / 2^shift` with a common `shift`. */
function exactValue(u: Unpacked, shift: number): bigint {
  if (u.kind === Kind.Zero) return 0n
  const m = u.sig << BigInt(u.exp + shift)
  return u.sign ? -m : m
}

/** Sign of `x - y` for non-NaN operands (zeros equal, infinities outermost). */
function order(x: Unpacked, y: Unpacked): number {
  const rank = (u: Unpacked): number => (u.kind === Kind.Inf ? (u.sign ? -1 : 1) : 0)
  if (rank(x) !== rank(y)) return Math.sign(rank(x) - rank(y))
  if (rank(x) !== 0) return 0
  // 1200 covers the smallest binary64 exponent, -1074.
  const d = exactValue(x, 1200) - exactValue(y, 1200)
  return d === 0n ? 0 : d < 0n ? -1 : 1
}

const isNaNKind = (u: Unpacked): boolean => u.kind === Kind.QNaN || u.kind === Kind.SNaN

function refCompare(fmt: Format, env: FpEnv, a: bigint, b: bigint, op: 'eq' | 'lt' | 'le'): bigint {
  const x = core.unpack(fmt, a)
  const y = core.unpack(fmt, b)
  if (isNaNKind(x) || isNaNKind(y)) {
    // FEQ is quiet (NV for signaling NaNs only); FLT and FLE signal on any NaN.
    if (op !== 'eq' || x.kind === Kind.SNaN || y.kind === Kind.SNaN) env.flags |= FFlag.NV
    return 0n
  }
  const c = order(x, y)
  return (op === 'eq' ? c === 0 : op === 'lt' ? c < 0 : c <= 0) ? 1n : 0n
}

function refMinMax(fmt: Format, env: FpEnv, a: bigint, b: bigint, max: boolean): bigint {
  const x = core.unpack(fmt, a)
  const y = core.unpack(fmt, b)
  if (x.kind === Kind.SNaN || y.kind === Kind.SNaN) env.flags |= FFlag.NV
  if (isNaNKind(x)) return isNaNKind(y) ? fmt.defaultNaN : b
  if (isNaNKind(y)) return a
  let c = order(x, y)
  // -0 orders below +0.
  if (c === 0 && x.sign !== y.sign) c = x.sign ? -1 : 1
  return c <= 0 !== max ? a : b
}

function refClassify(fmt: Format, a: bigint): number {
  const x = core.unpack(fmt, a)
  switch (x.kind) {
    case Kind.SNaN:
      return 1 << 8
    case Kind.QNaN:
      return 1 << 9
    case Kind.Inf:
      return x.sign ? 1 << 0 : 1 << 7
    case Kind.Zero:
      return x.sign ? 1 << 3 : 1 << 4
    default: {
      const subnormal = x.sig < fmt.hidden
      return x.sign ? (subnormal ? 1 << 2 : 1 << 1) : subnormal ? 1 << 5 : 1 << 6
    }
  }
}

/** `m / 2^sh` rounded to an integer per `rm` (value negative when `neg`). */
function roundShifted(m: bigint, sh: bigint, rm: RoundingMode, neg: boolean): [bigint, boolean] {
  const q = m >> sh
  const rem = m - (q << sh)
  if (rem === 0n) return [q, false]
  const half = 1n << (sh - 1n)
  const up =
    rm === RoundingMode.RNE
      ? rem > half || (rem === half && (q & 1n) === 1n)
      : rm === RoundingMode.RMM
        ? rem >= half
        : rm === RoundingMode.RDN
          ? neg
          : rm === RoundingMode.RUP
            ? !neg
            : false
  return [up ? q + 1n : q, true]
}

function refToInt(
  fmt: Format,
  env: FpEnv,
  rm: RoundingMode,
  a: bigint,
  signed: boolean,
  width: 32 | 64,
): bigint {
  const x = core.unpack(fmt, a)
  const min = signed ? -(1n << BigInt(width - 1)) : 0n
  const max = signed ? (1n << BigInt(width - 1)) - 1n : (1n << BigInt(width)) - 1n
  const reg = (v: bigint): bigint => BigInt.asUintN(64, width === 32 ? BigInt.asIntN(32, v) : v)
  let v: bigint
  let inexact = false
  if (isNaNKind(x)) {
    env.flags |= FFlag.NV
    return reg(max)
  }
  if (x.kind === Kind.Inf) {
    env.flags |= FFlag.NV
    return reg(x.sign ? min : max)
  }
  if (x.kind === Kind.Zero) {
    v = 0n
  } else if (x.exp >= 0) {
    v = x.sig << BigInt(x.exp)
  } else {
    ;[v, inexact] = roundShifted(x.sig, BigInt(-x.exp), rm, x.sign)
  }
  if (x.sign) v = -v
  if (v < min || v > max) {
    env.flags |= FFlag.NV
    return reg(x.sign ? min : max)
  }
  if (inexact) env.flags |= FFlag.NX
  return reg(v)
}

type Quiet = (env: FpEnv, a: bigint, b: bigint) => bigint
type ToInt = (env: FpEnv, rm: RoundingMode, a: bigint) => bigint

/** The operations without a core counterpart, on bit patterns as bigints, per format. */
const unrounded: {
  fmt: Format
  compare: Record<'eq' | 'lt' | 'le', Quiet>
  min: Quiet
  max: Quiet
  classify: (a: bigint) => bigint
  toInt: ToInt[]
}[] = [
  {
    fmt: F32,
    compare: {
      eq: (e, a, b) => big(sf.f32_eq(e, n(a), n(b))),
      lt: (e, a, b) => big(sf.f32_lt(e, n(a), n(b))),
      le: (e, a, b) => big(sf.f32_le(e, n(a), n(b))),
    },
    min: (e, a, b) => big(sf.f32_min(e, n(a), n(b))),
    max: (e, a, b) => big(sf.f32_max(e, n(a), n(b))),
    classify: (a) => big(sf.f32_classify(n(a))),
    toInt: [sf.f32_to_i32, sf.f32_to_u32, sf.f32_to_i64, sf.f32_to_u64].map(
      (f): ToInt =>
        (e, rm, a) =>
          f(e, rm, n(a)),
    ),
  },
  {
    fmt: F64,
    compare: {
      eq: (e, a, b) => big(sf.f64_eq(e, a, b)),
      lt: (e, a, b) => big(sf.f64_lt(e, a, b)),
      le: (e, a, b) => big(sf.f64_le(e, a, b)),
    },
    min: sf.f64_min,
    max: sf.f64_max,
    classify: (a) => big(sf.f64_classify(a)),
    toInt: [sf.f64_to_i32, sf.f64_to_u32, sf.f64_to_i64, sf.f64_to_u64],
  },
]

for (const f of unrounded) {
  const { fmt } = f
  const x = sizeOf(fmt)
  const rne = [RoundingMode.RNE]
  const pair = (): bigint[] => {
    const a = operand(fmt)
    return [a, below(4) === 0 ? a ^ fmt.signBit : partner(fmt, a)]
  }

  test(`feq/flt/fle.${x}, fmin/fmax.${x} and fclass.${x} agree with exact references`, () => {
    for (const op of ['eq', 'lt', 'le'] as const) {
      compare(
        `f${op}.${x}`,
        pair,
        (e, _rm, [a, b]) => f.compare[op](e, a!, b!),
        (e, _rm, [a, b]) => refCompare(fmt, e, a!, b!, op),
        rne,
      )
    }
    for (const max of [false, true]) {
      compare(
        `f${max ? 'max' : 'min'}.${x}`,
        pair,
        (e, _rm, [a, b]) => (max ? f.max : f.min)(e, a!, b!),
        (e, _rm, [a, b]) => refMinMax(fmt, e, a!, b!, max),
        rne,
      )
    }
    compare(
      `fclass.${x}`,
      () => [operand(fmt)],
      (_e, _rm, [a]) => f.classify(a!),
      (_e, _rm, [a]) => big(refClassify(fmt, a!)),
      rne,
    )
  })

  test(`fcvt.{w,wu,l,lu}.${x} agree with an exact reference`, () => {
    // Values next to the integer ranges' edges (2^k, with fractions), besides the usual edges.
    const operands = (): bigint[] => {
      if (below(2) === 0) return [operand(fmt)]
      const k = pick([0, 1, 30, 31, 32, 62, 63, 64])
      const v = operand(fmt) & ~(BigInt(fmt.expSpecial) << fmt.bigFracBits)
      return [v | (BigInt(fmt.bias + k - below(2)) << fmt.bigFracBits)]
    }
    f.toInt.forEach((fast, i) => {
      const signed = i % 2 === 0
      const width = i < 2 ? 32 : 64
      compare(
        `fcvt.${['w', 'wu', 'l', 'lu'][i]}.${x}`,
        operands,
        (e, rm, [a]) => fast(e, rm, a!),
        (e, rm, [a]) => refToInt(fmt, e, rm, a!, signed, width),
      )
    })
  })
}

test('NaN boxing round-trips and rejects improperly boxed values', () => {
  random = makeRandom(99)
  for (let i = 0; i < 1000; i++) {
    const v = n(randomBits(32))
    assert.equal(sf.boxF32(v), 0xffffffff00000000n | big(v))
    assert.equal(sf.unboxF32(sf.boxF32(v)), v)
    const upper = randomBits(32)
    if (upper !== 0xffffffffn) assert.equal(sf.unboxF32((upper << 32n) | big(v)), sf.F32_DEFAULT_NAN)
  }
})
