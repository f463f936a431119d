/**
 * Tests for the RISC-V soft-float unit: hand-written cases for the rules that are easy
 * to get wrong, and the full reference-vector set recorded from real F/D instructions
 * (tests/fpu/vectors.txt.gz, produced by tests/fpu/make-vectors.sh).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import * as core from './core.js'
import { F32, F64 } from './core.js'
import * as sf from './softfloat.js'
import { FFlag, type FpEnv, MulAddOp, RoundingMode } from './softfloat.js'

/** Runs one vector: operands and result are the raw hex fields of a vector line. */
type Runner = (env: FpEnv, rm: RoundingMode, ops: bigint[]) => bigint

const n = Number
const b = BigInt

function f32Ops(bin: (env: FpEnv, rm: RoundingMode, x: number, y: number) => number): Runner {
  return (env, rm, [x, y]) => b(bin(env, rm, n(x), n(y)))
}

function f64Ops(bin: (env: FpEnv, rm: RoundingMode, x: bigint, y: bigint) => bigint): Runner {
  return (env, rm, [x, y]) => bin(env, rm, x, y)
}

const runners: Record<string, Runner> = {
  'fadd.s': f32Ops(sf.f32_add),
  'fsub.s': f32Ops(sf.f32_sub),
  'fmul.s': f32Ops(sf.f32_mul),
  'fdiv.s': f32Ops(sf.f32_div),
  'fadd.d': f64Ops(sf.f64_add),
  'fsub.d': f64Ops(sf.f64_sub),
  'fmul.d': f64Ops(sf.f64_mul),
  'fdiv.d': f64Ops(sf.f64_div),
  'fsqrt.s': (env, rm, [x]) => b(sf.f32_sqrt(env, rm, n(x))),
  'fsqrt.d': (env, rm, [x]) => sf.f64_sqrt(env, rm, x),
  'fmadd.s': (env, rm, [x, y, z]) => b(sf.f32_muladd(env, rm, n(x), n(y), n(z), MulAddOp.MADD)),
  'fmsub.s': (env, rm, [x, y, z]) => b(sf.f32_muladd(env, rm, n(x), n(y), n(z), MulAddOp.MSUB)),
  'fnmsub.s': (env, rm, [x, y, z]) => b(sf.f32_muladd(env, rm, n(x), n(y), n(z), MulAddOp.NMSUB)),
  'fnmadd.s': (env, rm, [x, y, z]) => b(sf.f32_muladd(env, rm, n(x), n(y), n(z), MulAddOp.NMADD)),
  'fmadd.d': (env, rm, [x, y, z]) => sf.f64_muladd(env, rm, x, y, z, MulAddOp.MADD),
  'fmsub.d': (env, rm, [x, y, z]) => sf.f64_muladd(env, rm, x, y, z, MulAddOp.MSUB),
  'fnmsub.d': (env, rm, [x, y, z]) => sf.f64_muladd(env, rm, x, y, z, MulAddOp.NMSUB),
  'fnmadd.d': (env, rm, [x, y, z]) => sf.f64_muladd(env, rm, x, y, z, MulAddOp.NMADD),
  'fmin.s': (env, _rm, [x, y]) => b(sf.f32_min(env, n(x), n(y))),
  'fmax.s': (env, _rm, [x, y]) => b(sf.f32_max(env, n(x), n(y))),
  'fmin.d': (env, _rm, [x, y]) => sf.f64_min(env, x, y),
  'fmax.d': (env, _rm, [x, y]) => sf.f64_max(env, x, y),
  'feq.s': (env, _rm, [x, y]) => b(sf.f32_eq(env, n(x), n(y))),
  'flt.s': (env, _rm, [x, y]) => b(sf.f32_lt(env, n(x), n(y))),
  'fle.s': (env, _rm, [x, y]) => b(sf.f32_le(env, n(x), n(y))),
  'feq.d': (env, _rm, [x, y]) => b(sf.f64_eq(env, x, y)),
  'flt.d': (env, _rm, [x, y]) => b(sf.f64_lt(env, x, y)),
  'fle.d': (env, _rm, [x, y]) => b(sf.f64_le(env, x, y)),
  'fclass.s': (_env, _rm, [x]) => b(sf.f32_classify(n(x))),
  'fclass.d': (_env, _rm, [x]) => b(sf.f64_classify(x)),
  'fcvt.d.s': (env, _rm, [x]) => sf.f32_to_f64(env, n(x)),
  'fcvt.s.d': (env, rm, [x]) => b(sf.f64_to_f32(env, rm, x)),
  'fcvt.w.s': (env, rm, [x]) => sf.f32_to_i32(env, rm, n(x)),
  'fcvt.wu.s': (env, rm, [x]) => sf.f32_to_u32(env, rm, n(x)),
  'fcvt.l.s': (env, rm, [x]) => sf.f32_to_i64(env, rm, n(x)),
  'fcvt.lu.s': (env, rm, [x]) => sf.f32_to_u64(env, rm, n(x)),
  'fcvt.w.d': (env, rm, [x]) => sf.f64_to_i32(env, rm, x),
  'fcvt.wu.d': (env, rm, [x]) => sf.f64_to_u32(env, rm, x),
  'fcvt.l.d': (env, rm, [x]) => sf.f64_to_i64(env, rm, x),
  'fcvt.lu.d': (env, rm, [x]) => sf.f64_to_u64(env, rm, x),
  'fcvt.s.w': (env, rm, [x]) => b(sf.i32_to_f32(env, rm, x)),
  'fcvt.s.wu': (env, rm, [x]) => b(sf.u32_to_f32(env, rm, x)),
  'fcvt.s.l': (env, rm, [x]) => b(sf.i64_to_f32(env, rm, x)),
  'fcvt.s.lu': (env, rm, [x]) => b(sf.u64_to_f32(env, rm, x)),
  'fcvt.d.w': (env, rm, [x]) => sf.i32_to_f64(env, rm, x),
  'fcvt.d.wu': (env, rm, [x]) => sf.u32_to_f64(env, rm, x),
  'fcvt.d.l': (env, rm, [x]) => sf.i64_to_f64(env, rm, x),
  'fcvt.d.lu': (env, rm, [x]) => sf.u64_to_f64(env, rm, x),
}

/**
 * The exact core on its own, for the operations whose round-to-nearest cases normally
 * take a binary64 fast path, so both implementations are checked against the vectors.
 */
const coreRunners: Record<string, Runner> = {
  'fadd.s': (env, rm, [x, y]) => core.add(env, rm, F32, x, y),
  'fsub.s': (env, rm, [x, y]) => core.add(env, rm, F32, x, y ^ F32.signBit),
  'fmul.s': (env, rm, [x, y]) => core.mul(env, rm, F32, x, y),
  'fdiv.s': (env, rm, [x, y]) => core.div(env, rm, F32, x, y),
  'fsqrt.s': (env, rm, [x]) => core.sqrt(env, rm, F32, x),
  'fadd.d': (env, rm, [x, y]) => core.add(env, rm, F64, x, y),
  'fsub.d': (env, rm, [x, y]) => core.add(env, rm, F64, x, y ^ F64.signBit),
  'fmul.d': (env, rm, [x, y]) => core.mul(env, rm, F64, x, y),
  'fdiv.d': (env, rm, [x, y]) => core.div(env, rm, F64, x, y),
  'fmadd.s': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F32, x, y, z, MulAddOp.MADD),
  'fmsub.s': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F32, x, y, z, MulAddOp.MSUB),
  'fnmsub.s': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F32, x, y, z, MulAddOp.NMSUB),
  'fnmadd.s': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F32, x, y, z, MulAddOp.NMADD),
  'fmadd.d': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F64, x, y, z, MulAddOp.MADD),
  'fmsub.d': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F64, x, y, z, MulAddOp.MSUB),
  'fnmsub.d': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F64, x, y, z, MulAddOp.NMSUB),
  'fnmadd.d': (env, rm, [x, y, z]) => core.mulAdd(env, rm, F64, x, y, z, MulAddOp.NMADD),
  'fcvt.d.s': (env, _rm, [x]) => core.convert(env, RoundingMode.RNE, F32, F64, x),
  'fcvt.s.d': (env, rm, [x]) => core.convert(env, rm, F64, F32, x),
  'fcvt.s.w': (env, rm, [x]) => core.fromInt(env, rm, F32, BigInt.asIntN(32, x)),
  'fcvt.s.wu': (env, rm, [x]) => core.fromInt(env, rm, F32, BigInt.asUintN(32, x)),
  'fcvt.s.l': (env, rm, [x]) => core.fromInt(env, rm, F32, BigInt.asIntN(64, x)),
  'fcvt.s.lu': (env, rm, [x]) => core.fromInt(env, rm, F32, BigInt.asUintN(64, x)),
  'fcvt.d.w': (env, rm, [x]) => core.fromInt(env, rm, F64, BigInt.asIntN(32, x)),
  'fcvt.d.wu': (env, rm, [x]) => core.fromInt(env, rm, F64, BigInt.asUintN(32, x)),
  'fcvt.d.l': (env, rm, [x]) => core.fromInt(env, rm, F64, BigInt.asIntN(64, x)),
  'fcvt.d.lu': (env, rm, [x]) => core.fromInt(env, rm, F64, BigInt.asUintN(64, x)),
}

// ---------------------------------------------------------------------------------
// Hand-written cases

const RNE = RoundingMode.RNE

/** Runs `f` in a fresh environment and returns its result with the raised flags. */
function run<T>(f: (env: FpEnv) => T): [T, number] {
  const env: FpEnv = { flags: 0 }
  const r = f(env)
  return [r, env.flags]
}

/** The JS number whose binary64 encoding is `bits`. */
function f64(bits: bigint): number {
  return new Float64Array(new BigUint64Array([bits]).buffer)[0]!
}

test('0.1 + 0.2 in binary64 rounds up to 0.30000000000000004 and is inexact', () => {
  const [r, flags] = run((e) => sf.f64_add(e, RNE, 0x3fb999999999999an, 0x3fc999999999999an))
  assert.equal(r, 0x3fd3333333333334n)
  assert.equal(flags, FFlag.NX)
})

test('fmadd.d rounds once: (1 + 2^-27)(1 - 2^-27) - 1 is exactly -2^-54', () => {
  // In binary64 arithmetic the product rounds to 1 (a tie, to even) and the sum is 0.
  const a = 0x3ff0000002000000n
  const c = 0x3feffffffc000000n
  assert.equal(f64(a) * f64(c) - 1, 0)
  const [r, flags] = run((e) => sf.f64_muladd(e, RNE, a, c, 0xbff0000000000000n, MulAddOp.MADD))
  assert.equal(r, 0xbc90000000000000n)
  assert.equal(flags, 0)
})

test('fused multiply-add signals inf * 0 even with a quiet NaN addend', () => {
  const [r, flags] = run((e) => sf.f32_muladd(e, RNE, 0x7f800000, 0, 0x7fc00000, MulAddOp.MADD))
  assert.equal(r, 0x7fc00000)
  assert.equal(flags, FFlag.NV)
})

test('an exactly cancelling fused multiply-add gives +0, or -0 when rounding down', () => {
  const one = 0x3f800000
  assert.deepEqual(
    run((e) => sf.f32_muladd(e, RNE, one, one, one, MulAddOp.MSUB)),
    [0, 0],
  )
  assert.deepEqual(
    run((e) => sf.f32_muladd(e, RoundingMode.RDN, one, one, one, MulAddOp.MSUB)),
    [0x80000000, 0],
  )
})

test('fcvt.w.s of NaN saturates to 2^31 - 1 and raises only NV', () => {
  assert.deepEqual(
    run((e) => sf.f32_to_i32(e, RNE, 0x7fc00000)),
    [0x7fffffffn, FFlag.NV],
  )
})

test('fcvt.wu.s: -0.3 truncates to 0 (inexact), -1.0 is invalid', () => {
  assert.deepEqual(
    run((e) => sf.f32_to_u32(e, RoundingMode.RTZ, 0xbe99999a)),
    [0n, FFlag.NX],
  )
  assert.deepEqual(
    run((e) => sf.f32_to_u32(e, RoundingMode.RTZ, 0xbf800000)),
    [0n, FFlag.NV],
  )
})

test('fcvt.wu.d results are sign-extended from bit 31', () => {
  // 3e9 = 0xb2d05e00
  assert.deepEqual(
    run((e) => sf.f64_to_u32(e, RNE, 0x41e65a0bc0000000n)),
    [0xffffffffb2d05e00n, 0],
  )
})

test('underflow is detected after rounding', () => {
  // (1 + 2^-23) * (2^-126 - 2^-149) = 2^-126 (1 - 2^-46): tiny before rounding, but it
  // rounds to the smallest normal with an unbounded exponent, so only NX is raised.
  assert.deepEqual(
    run((e) => sf.f32_mul(e, RNE, 0x3f800001, 0x007fffff)),
    [0x00800000, FFlag.NX],
  )
  assert.deepEqual(
    run((e) => sf.f32_mul(e, RoundingMode.RTZ, 0x3f800001, 0x007fffff)),
    [0x007fffff, FFlag.NX | FFlag.UF],
  )
})

test('overflow gives infinity or the largest finite number depending on the mode', () => {
  const max = 0x7f7fffff
  assert.deepEqual(
    run((e) => sf.f32_add(e, RNE, max, max)),
    [0x7f800000, FFlag.OF | FFlag.NX],
  )
  assert.deepEqual(
    run((e) => sf.f32_add(e, RoundingMode.RTZ, max, max)),
    [max, FFlag.OF | FFlag.NX],
  )
})

test('fmin/fmax order -0 below +0 and ignore a single NaN', () => {
  assert.deepEqual(
    run((e) => sf.f64_min(e, 0n, 0x8000000000000000n)),
    [0x8000000000000000n, 0],
  )
  assert.deepEqual(
    run((e) => sf.f32_max(e, 0x80000000, 0)),
    [0, 0],
  )
  assert.deepEqual(
    run((e) => sf.f32_min(e, 0x7f800001, 0x3f800000)),
    [0x3f800000, FFlag.NV],
  )
  assert.deepEqual(
    run((e) => sf.f32_max(e, 0x7fc00000, 0xffc00001)),
    [0x7fc00000, 0],
  )
})

test('NaN boxing', () => {
  assert.equal(sf.unboxF32(0xffffffff3f800000n), 0x3f800000)
  assert.equal(sf.unboxF32(0x000000003f800000n), 0x7fc00000)
  assert.equal(sf.unboxF32(0xfffffffe3f800000n), 0x7fc00000)
  assert.equal(sf.boxF32(0x80000000), 0xffffffff80000000n)
})

// ---------------------------------------------------------------------------------
// Reference vectors

const vectorFile = new URL('../../../../../tests/fpu/vectors.txt.gz', import.meta.url)

interface Vector {
  rm: RoundingMode
  ops: bigint[]
  result: bigint
  flags: number
  line: string
}

function loadVectors(): Map<string, Vector[]> {
  const byOp = new Map<string, Vector[]>()
  for (const line of gunzipSync(readFileSync(vectorFile)).toString('latin1').split('\n')) {
    if (line === '') continue
    const f = line.split(' ')
    const hex = f.slice(2).map((h) => BigInt('0x' + h))
    const v: Vector = {
      rm: Number(f[1]) as RoundingMode,
      ops: hex.slice(0, -2),
      result: hex[hex.length - 2]!,
      flags: Number(hex[hex.length - 1]),
      line,
    }
    const list = byOp.get(f[0]!)
    if (list) list.push(v)
    else byOp.set(f[0]!, [v])
  }
  return byOp
}

function flagNames(flags: number): string {
  const names = ['NX', 'UF', 'OF', 'DZ', 'NV'].filter((_, i) => flags & (1 << i))
  return names.length ? names.join('|') : '-'
}

const vectors = loadVectors()

test('reference vectors cover every operation', () => {
  assert.deepEqual([...vectors.keys()].sort(), Object.keys(runners).sort())
})

/** Runs every vector through `run` and fails with the first mismatches. */
function check(op: string, run: Runner, list: Vector[]): void {
  const failures: string[] = []
  let failed = 0
  for (const v of list) {
    const env: FpEnv = { flags: 0 }
    const result = run(env, v.rm, v.ops)
    if (result !== v.result || env.flags !== v.flags) {
      failed++
      if (failures.length < 10) {
        failures.push(
          `${v.line}\n    expected ${v.result.toString(16)} ${flagNames(v.flags)}, ` +
            `got ${result.toString(16)} ${flagNames(env.flags)}`,
        )
      }
    }
  }
  assert.equal(
    failed,
    0,
    `${failed} of ${list.length} ${op} cases differ, first ones:\n  ${failures.join('\n  ')}`,
  )
}

for (const [op, list] of vectors) {
  test(`reference vectors: ${op} (${list.length} cases)`, () => check(op, runners[op]!, list))
  const exact = coreRunners[op]
  if (exact) test(`reference vectors, exact core only: ${op}`, () => check(op, exact, list))
}
