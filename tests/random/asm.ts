/**
 * A tiny RISC-V assembler for the fixed code the random tester wraps around
 * generated streams (prologue, checkpoints, control-flow macros), and the
 * immediate patchers that point generated branches at their targets.
 * Checked against the decode tables by asm.test.ts.
 */

const u = (v: number): number => v >>> 0
const fits = (v: number, bits: number): boolean => v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1)

function check(v: number, bits: number, what: string, align = 1): void {
  if (!Number.isInteger(v) || !fits(v, bits) || v % align !== 0)
    throw new Error(`${what} immediate ${v} out of range`)
}

export const encI = (opcode: number, f3: number, rd: number, rs1: number, imm: number): number => {
  check(imm, 12, 'I')
  return u(((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode)
}

export const encS = (opcode: number, f3: number, rs1: number, rs2: number, imm: number): number => {
  check(imm, 12, 'S')
  return u(
    (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opcode,
  )
}

export const encU = (opcode: number, rd: number, imm20: number): number =>
  u(((imm20 & 0xfffff) << 12) | (rd << 7) | opcode)

export const addi = (rd: number, rs1: number, imm: number): number => encI(0x13, 0, rd, rs1, imm)
export const ld = (rd: number, rs1: number, imm: number): number => encI(0x03, 3, rd, rs1, imm)
export const sd = (rs2: number, rs1: number, imm: number): number => encS(0x23, 3, rs1, rs2, imm)
export const fld = (rd: number, rs1: number, imm: number): number => encI(0x07, 3, rd, rs1, imm)
export const fsd = (rs2: number, rs1: number, imm: number): number => encS(0x27, 3, rs1, rs2, imm)
export const lui = (rd: number, imm20: number): number => encU(0x37, rd, imm20)
export const auipc = (rd: number, imm20: number): number => encU(0x17, rd, imm20)
export const jalr = (rd: number, rs1: number, imm: number): number => encI(0x67, 0, rd, rs1, imm)
export const csrrw = (rd: number, csr: number, rs1: number): number =>
  u((csr << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x73)
export const csrrs = (rd: number, csr: number, rs1: number): number =>
  u((csr << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x73)
export const ECALL = 0x00000073

/** c.jr rs1 / c.jalr rs1 (rs1 != 0). */
export const cJr = (rs1: number): number => 0x8002 | (rs1 << 7)
export const cJalr = (rs1: number): number => 0x9002 | (rs1 << 7)

/** c.addi16sp sp, nzimm (multiple of 16 in [-512, 496], not 0). */
export function cAddi16sp(imm: number): number {
  if (imm === 0 || imm % 16 !== 0 || imm < -512 || imm > 496) throw new Error(`c.addi16sp immediate ${imm}`)
  const b = (i: number): number => (imm >> i) & 1
  return 0x6101 | (b(9) << 12) | (b(4) << 6) | (b(6) << 5) | (b(8) << 4) | (b(7) << 3) | (b(5) << 2)
}

/** Load a value below 2^31 (and not in the top 2 KiB) into rd: lui + addi. */
export function li32(rd: number, value: number): number[] {
  if (value < 0 || value >= 0x7fff_f800) throw new Error(`li32 value 0x${value.toString(16)}`)
  const hi = (value + 0x800) >>> 12
  const lo = value - hi * 4096
  return hi === 0 ? [addi(rd, 0, lo)] : [lui(rd, hi), ...(lo === 0 ? [] : [addi(rd, rd, lo)])]
}

// ---- immediate patchers (replace the offset of an existing encoding) ----

export function setBImm(bits: number, imm: number): number {
  check(imm, 13, 'B', 2)
  const b = (i: number): number => (imm >> i) & 1
  const f = (hi: number, lo: number): number => (imm >> lo) & ((1 << (hi - lo + 1)) - 1)
  return u((bits & 0x01fff07f) | (b(12) << 31) | (f(10, 5) << 25) | (f(4, 1) << 8) | (b(11) << 7))
}

export function setJImm(bits: number, imm: number): number {
  check(imm, 21, 'J', 2)
  const b = (i: number): number => (imm >> i) & 1
  const f = (hi: number, lo: number): number => (imm >> lo) & ((1 << (hi - lo + 1)) - 1)
  return u((bits & 0xfff) | (b(20) << 31) | (f(10, 1) << 21) | (b(11) << 20) | (f(19, 12) << 12))
}

export function setIImm(bits: number, imm: number): number {
  check(imm, 12, 'I')
  return u((bits & 0xfffff) | ((imm & 0xfff) << 20))
}

/** c.beqz / c.bnez offset. */
export function setCbImm(bits: number, imm: number): number {
  check(imm, 9, 'CB', 2)
  const b = (i: number): number => (imm >> i) & 1
  const f = (hi: number, lo: number): number => (imm >> lo) & ((1 << (hi - lo + 1)) - 1)
  return (bits & 0xe383) | (b(8) << 12) | (f(4, 3) << 10) | (f(7, 6) << 5) | (f(2, 1) << 3) | (b(5) << 2)
}

/** c.j offset. */
export function setCjImm(bits: number, imm: number): number {
  check(imm, 12, 'CJ', 2)
  const b = (i: number): number => (imm >> i) & 1
  return (
    (bits & 0xe003) |
    (b(11) << 12) |
    (b(4) << 11) |
    (b(9) << 10) |
    (b(8) << 9) |
    (b(10) << 8) |
    (b(6) << 7) |
    (b(7) << 6) |
    (((imm >> 1) & 7) << 3) |
    (b(5) << 2)
  )
}
