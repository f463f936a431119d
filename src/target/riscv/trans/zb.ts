/**
 * Semantics of the bit-manipulation extensions Zba, Zbb, Zbc and Zbs (ISA
 * manual, "B" chapter). Each operation is written once as an expression over
 * its two source values; register and immediate forms (ror/rori, bset/bseti,
 * …) differ only in where the second value comes from. W forms operate on the
 * low word and sign-extend the 32-bit result.
 */
import { type BinOp, type Helper, HelperEffect, Op, type Temp } from '../../../ir/ir.js'
import { gen_imm, gen_rx, gen_wx, type TransCtx, type TransFn } from './context.js'

/** An operation as an IR expression of rs1 (`x`) and rs2 or the immediate (`y`). */
type Expr = (t: TransCtx, x: Temp, y: Temp) => Temp

/** rd = f(rs1, rs2) */
const gen_rr =
  (f: Expr): TransFn =>
  (t, a) => {
    gen_wx(t, a.rd, f(t, gen_rx(t, a.rs1), gen_rx(t, a.rs2)))
    return true
  }

/** rd = f(rs1, imm) */
const gen_ri =
  (f: Expr): TransFn =>
  (t, a) => {
    gen_wx(t, a.rd, f(t, gen_rx(t, a.rs1), gen_imm(t, a.imm)))
    return true
  }

/** rd = f(rs1): the unary forms take rs2 = 00000… as an opcode extension, not an operand. */
const gen_r =
  (f: (t: TransCtx, x: Temp) => Temp): TransFn =>
  (t, a) => {
    gen_wx(t, a.rd, f(t, gen_rx(t, a.rs1)))
    return true
  }

const zext32 = (t: TransCtx, x: Temp): Temp => t.b.un(Op.Zext32, x)

// ---- Zba ----

/** shNadd[.uw] (add.uw is n = 0): (rs1 [low word, zero-extended]) << n, plus rs2. */
const shadd =
  (n: number, uw: boolean): Expr =>
  (t, x, y) => {
    const base = uw ? zext32(t, x) : x
    return t.b.bin(Op.Add, n === 0 ? base : t.b.bin(Op.Shl, base, gen_imm(t, n)), y)
  }

// ---- Zbb ----

/** andn/orn/xnor: op(rs1, ~rs2). xnor is ~(rs1 ^ rs2) = rs1 ^ ~rs2. */
const inverted =
  (op: Op.And | Op.Or | Op.Xor): Expr =>
  (t, x, y) =>
    t.b.bin(op, x, t.b.un(Op.Not, y))

/**
 * rolw/rorw/roriw: a 32-bit rotate is the low word of a 64-bit rotate of
 * the word repeated in both halves, by the amount taken mod 32.
 */
const rotw =
  (op: Op.Rotl | Op.Rotr): Expr =>
  (t, x, y) => {
    const twice = t.b.bin(Op.Mul, zext32(t, x), gen_imm(t, 0x1_0000_0001n))
    return t.b.un(Op.Sext32, t.b.bin(op, twice, t.b.bin(Op.And, y, gen_imm(t, 31))))
  }

/**
 * orc.b: each byte becomes 0xff if it is non-zero, else 0x00. Pure helper:
 * the byte-wise test would take a dozen IR ops.
 */
const helper_orc_b: Helper = {
  name: 'orc_b',
  effects: HelperEffect.None,
  fn: (_ctx, x) => {
    let r = 0n
    for (let i = 0n; i < 64n; i += 8n) if ((x >> i) & 0xffn) r |= 0xffn << i
    return r
  },
}

// ---- Zbc ----

/** The full 128-bit carry-less product of two 64-bit values. */
const clmul128 = (a: bigint, b: bigint): bigint => {
  let r = 0n
  for (let i = 0n; b >> i !== 0n; i++) if ((b >> i) & 1n) r ^= a << i
  return r
}

/**
 * clmul, clmulh, clmulr: bits [shift+63:shift] of the 128-bit carry-less
 * product (shift 0, 64 and 63 respectively, per the Zbc pseudocode).
 */
const clmulHelper = (name: string, shift: bigint): Helper => ({
  name,
  effects: HelperEffect.None,
  fn: (_ctx, a, b) => BigInt.asUintN(64, clmul128(a, b) >> shift),
})

const helper_clmul = clmulHelper('clmul', 0n)
const helper_clmulh = clmulHelper('clmulh', 64n)
const helper_clmulr = clmulHelper('clmulr', 63n)

const call2 =
  (h: Helper): Expr =>
  (t, x, y) =>
    t.b.call(h, x, y)

// ---- Zbs ----

/** The single-bit mask 1 << (y mod 64) (Shl takes the amount mod 64, as the ISA's index). */
const bit = (t: TransCtx, y: Temp): Temp => t.b.bin(Op.Shl, gen_imm(t, 1), y)

const bclr: Expr = (t, x, y) => t.b.bin(Op.And, x, t.b.un(Op.Not, bit(t, y)))
const bext: Expr = (t, x, y) => t.b.bin(Op.And, t.b.bin(Op.Shr, x, y), gen_imm(t, 1))
const binv: Expr = (t, x, y) => t.b.bin(Op.Xor, x, bit(t, y))
const bset: Expr = (t, x, y) => t.b.bin(Op.Or, x, bit(t, y))

/** A plain IR binary op. */
const bin =
  (op: BinOp['op']): Expr =>
  (t, x, y) =>
    t.b.bin(op, x, y)

/** Trans functions of Zba, Zbb, Zbc and Zbs. */
export const trans_zb: Record<string, TransFn> = {
  // Zba
  'add.uw': gen_rr(shadd(0, true)),
  sh1add: gen_rr(shadd(1, false)),
  sh2add: gen_rr(shadd(2, false)),
  sh3add: gen_rr(shadd(3, false)),
  'sh1add.uw': gen_rr(shadd(1, true)),
  'sh2add.uw': gen_rr(shadd(2, true)),
  'sh3add.uw': gen_rr(shadd(3, true)),
  'slli.uw': gen_ri((t, x, y) => t.b.bin(Op.Shl, zext32(t, x), y)),
  // Zbb
  andn: gen_rr(inverted(Op.And)),
  orn: gen_rr(inverted(Op.Or)),
  xnor: gen_rr(inverted(Op.Xor)),
  clz: gen_r((t, x) => t.b.un(Op.Clz, x)),
  ctz: gen_r((t, x) => t.b.un(Op.Ctz, x)),
  cpop: gen_r((t, x) => t.b.un(Op.Cpop, x)),
  // clzw: leading zeros of the zero-extended word, less the 32 of the upper half (32 for a zero word).
  clzw: gen_r((t, x) => t.b.bin(Op.Sub, t.b.un(Op.Clz, zext32(t, x)), gen_imm(t, 32))),
  // ctzw: a guard bit at position 32 caps the count at 32 for a zero word.
  ctzw: gen_r((t, x) => t.b.un(Op.Ctz, t.b.bin(Op.Or, x, gen_imm(t, 1n << 32n)))),
  cpopw: gen_r((t, x) => t.b.un(Op.Cpop, zext32(t, x))),
  max: gen_rr(bin(Op.MaxS)),
  maxu: gen_rr(bin(Op.MaxU)),
  min: gen_rr(bin(Op.MinS)),
  minu: gen_rr(bin(Op.MinU)),
  'sext.b': gen_r((t, x) => t.b.un(Op.Sext8, x)),
  'sext.h': gen_r((t, x) => t.b.un(Op.Sext16, x)),
  'zext.h': gen_r((t, x) => t.b.un(Op.Zext16, x)),
  rol: gen_rr(bin(Op.Rotl)),
  ror: gen_rr(bin(Op.Rotr)),
  rori: gen_ri(bin(Op.Rotr)),
  rolw: gen_rr(rotw(Op.Rotl)),
  rorw: gen_rr(rotw(Op.Rotr)),
  roriw: gen_ri(rotw(Op.Rotr)),
  'orc.b': gen_r((t, x) => t.b.call(helper_orc_b, x)),
  rev8: gen_r((t, x) => t.b.un(Op.Bswap, x)),
  // Zbc
  clmul: gen_rr(call2(helper_clmul)),
  clmulh: gen_rr(call2(helper_clmulh)),
  clmulr: gen_rr(call2(helper_clmulr)),
  // Zbs
  bclr: gen_rr(bclr),
  bclri: gen_ri(bclr),
  bext: gen_rr(bext),
  bexti: gen_ri(bext),
  binv: gen_rr(binv),
  binvi: gen_ri(binv),
  bset: gen_rr(bset),
  bseti: gen_ri(bset),
}
