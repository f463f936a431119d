/**
 * Definitions of the IR ops that are more than one JavaScript operator,
 * on unsigned 64-bit bigints (docs/ir.md). Shared by the interpreter and
 * the JavaScript backend so that both compute the same thing.
 */

const M64 = (1n << 64n) - 1n
const MIN64 = 1n << 63n
const scratch = new DataView(new ArrayBuffer(8))

const u = (v: bigint): bigint => BigInt.asUintN(64, v)
const s = (v: bigint): bigint => BigInt.asIntN(64, v)

export const mulhs = (a: bigint, b: bigint): bigint => u((s(a) * s(b)) >> 64n)
export const mulhu = (a: bigint, b: bigint): bigint => (a * b) >> 64n
export const mulhsu = (a: bigint, b: bigint): bigint => u((s(a) * b) >> 64n)
export const divs = (a: bigint, b: bigint): bigint =>
  b === 0n ? M64 : a === MIN64 && b === M64 ? a : u(s(a) / s(b))
export const divu = (a: bigint, b: bigint): bigint => (b === 0n ? M64 : a / b)
export const rems = (a: bigint, b: bigint): bigint =>
  b === 0n ? a : a === MIN64 && b === M64 ? 0n : u(s(a) % s(b))
export const remu = (a: bigint, b: bigint): bigint => (b === 0n ? a : a % b)
export const rotl = (a: bigint, b: bigint): bigint => {
  const sh = b & 63n
  return u((a << sh) | (a >> ((64n - sh) & 63n)))
}
export const rotr = (a: bigint, b: bigint): bigint => {
  const sh = b & 63n
  return u((a >> sh) | (a << ((64n - sh) & 63n)))
}
export const clz = (a: bigint): bigint => (a === 0n ? 64n : BigInt(64 - a.toString(2).length))
export const ctz = (a: bigint): bigint => (a === 0n ? 64n : BigInt((a & -a).toString(2).length - 1))
export const cpop = (a: bigint): bigint => {
  let n = 0
  for (let x = a; x !== 0n; x &= x - 1n) n++
  return BigInt(n)
}
export const bswap = (a: bigint): bigint => {
  scratch.setBigUint64(0, a, true)
  return scratch.getBigUint64(0, false)
}

// Binary64 arithmetic on bit patterns (FAdd…FSqrt): JavaScript numbers round to nearest even.
const fbits = new BigUint64Array(1)
const fval = new Float64Array(fbits.buffer)
/** The binary64 number with bit pattern `a`. */
export const toF = (a: bigint): number => {
  fbits[0] = a
  return fval[0]!
}
/** The bit pattern of binary64 number `x`. */
export const fromF = (x: number): bigint => {
  fval[0] = x
  return fbits[0]!
}
export const fadd = (a: bigint, b: bigint): bigint => fromF(toF(a) + toF(b))
export const fsub = (a: bigint, b: bigint): bigint => fromF(toF(a) - toF(b))
export const fmul = (a: bigint, b: bigint): bigint => fromF(toF(a) * toF(b))
export const fdiv = (a: bigint, b: bigint): bigint => fromF(toF(a) / toF(b))
export const fsqrt = (a: bigint): bigint => fromF(Math.sqrt(toF(a)))
