/**
 * The shape of the declarative decode tables (one file per extension) and
 * the operand formats their rows refer to.
 *
 * A row gives a mnemonic, a bit pattern (MSB first: `0`, `1`, `.` for operand
 * bits, spaces ignored; 32 characters for standard, 16 for compressed
 * instructions), the operand format that extracts its fields, and the
 * operand syntax the disassembler prints. The decoder, the disassembler and
 * the test encoders are all derived from these rows.
 */

/** Extensions with a decode table. */
export type Ext =
  | 'i'
  | 'm'
  | 'a'
  | 'f'
  | 'd'
  | 'c'
  | 'zicsr'
  | 'zifencei'
  | 'zba'
  | 'zbb'
  | 'zbc'
  | 'zbs'
  | 'zicond'
  | 'zihintpause'

/** Decoded operands. Absent fields are 0. Immediates are sign-extended where the format says so. */
export interface Args {
  rd: number
  rs1: number
  rs2: number
  rs3: number
  imm: number
  /** Rounding mode field (FP), or fence pred/succ packed as pred<<4|succ, or the fence fm field in `rs3`. */
  rm: number
  aq: number
  rl: number
  csr: number
}

/** Operand syntax tokens, comma separated in `InsnRow.asm`:
 * rd rs1 rs2 rs3 (integer registers), fd fs1 fs2 fs3 (FP registers),
 * imm (signed decimal), uimm (unsigned), shamt, target (pc-relative, printed absolute),
 * off(rs1) (load/store address), (rs1) (atomics), csr, zimm (CSR immediate in rs1),
 * rm (rounding mode, printed unless dynamic), pred, succ (fence sets).
 */
export type AsmSyntax = string

export interface InsnRow {
  /** Mnemonic as the assembler spells it (`c.addi`, `fadd.d`, `lr.w`). */
  name: string
  pattern: string
  /** Operand format name, see `formats`. */
  format: FormatName
  /** Operand syntax for disassembly; compressed rows print as their expansion instead. */
  asm?: AsmSyntax
  /** Compressed rows: the standard instruction whose semantics (and disassembly) they share. */
  expands?: string
  /** Less specific rows yield to the rows named here (QEMU's overlap groups); the overlap test checks these. */
  unless?: string[]
  /** Reserved encodings inside the pattern (e.g. `c.addi4spn` with imm 0): decode as illegal. */
  reserved?: (a: Args) => boolean
  /** Only in RV64 (all rows apply to RV64 here; kept for documentation of RV32 differences). */
}

export interface DecodeTable {
  ext: Ext
  rows: InsnRow[]
}

const bits = (w: number, hi: number, lo: number): number => (w >>> lo) & ((1 << (hi - lo + 1)) - 1)
const sext = (v: number, width: number): number => (v << (32 - width)) >> (32 - width)
const empty = (): Args => ({ rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0, rm: 0, aq: 0, rl: 0, csr: 0 })
/** Compressed 3-bit register fields name x8..x15. */
const creg = (v: number): number => v + 8

const rType = (w: number): Args => ({
  ...empty(),
  rd: bits(w, 11, 7),
  rs1: bits(w, 19, 15),
  rs2: bits(w, 24, 20),
})

/** Field extraction per format. Compressed formats produce the operands of their expansion. */
export const formats = {
  r: rType,
  /** R with rounding mode (FP). */
  rm: (w: number): Args => ({ ...rType(w), rm: bits(w, 14, 12) }),
  r4: (w: number): Args => ({ ...rType(w), rs3: bits(w, 31, 27), rm: bits(w, 14, 12) }),
  amo: (w: number): Args => ({ ...rType(w), aq: bits(w, 26, 26), rl: bits(w, 25, 25) }),
  i: (w: number): Args => ({ ...empty(), rd: bits(w, 11, 7), rs1: bits(w, 19, 15), imm: w >> 20 }),
  /** Shift by a 6-bit amount (RV64 slli/srli/srai and Zbb/Zbs immediates). */
  sh6: (w: number): Args => ({ ...empty(), rd: bits(w, 11, 7), rs1: bits(w, 19, 15), imm: bits(w, 25, 20) }),
  sh5: (w: number): Args => ({ ...empty(), rd: bits(w, 11, 7), rs1: bits(w, 19, 15), imm: bits(w, 24, 20) }),
  s: (w: number): Args => ({
    ...empty(),
    rs1: bits(w, 19, 15),
    rs2: bits(w, 24, 20),
    imm: ((w >> 25) << 5) | bits(w, 11, 7),
  }),
  b: (w: number): Args => ({
    ...empty(),
    rs1: bits(w, 19, 15),
    rs2: bits(w, 24, 20),
    imm: ((w >> 31) << 12) | (bits(w, 7, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1),
  }),
  u: (w: number): Args => ({ ...empty(), rd: bits(w, 11, 7), imm: w & ~0xfff }),
  j: (w: number): Args => ({
    ...empty(),
    rd: bits(w, 11, 7),
    imm: ((w >> 31) << 20) | (bits(w, 19, 12) << 12) | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1),
  }),
  csr: (w: number): Args => ({ ...empty(), rd: bits(w, 11, 7), rs1: bits(w, 19, 15), csr: bits(w, 31, 20) }),
  fence: (w: number): Args => ({
    ...empty(),
    rd: bits(w, 11, 7),
    rs1: bits(w, 19, 15),
    rm: bits(w, 27, 20),
    rs3: bits(w, 31, 28),
  }),
  none: (_w: number): Args => empty(),

  // ---- compressed (RVC, ISA manual chapter "C") ----
  /** c.addi4spn: addi rd', sp, nzuimm */
  ciw: (w: number): Args => ({
    ...empty(),
    rd: creg(bits(w, 4, 2)),
    rs1: 2,
    imm: (bits(w, 10, 7) << 6) | (bits(w, 12, 11) << 4) | (bits(w, 5, 5) << 3) | (bits(w, 6, 6) << 2),
  }),
  /** c.lw: rd', offset(rs1') with a word-scaled offset. */
  clw: (w: number): Args => ({
    ...empty(),
    rd: creg(bits(w, 4, 2)),
    rs1: creg(bits(w, 9, 7)),
    imm: (bits(w, 5, 5) << 6) | (bits(w, 12, 10) << 3) | (bits(w, 6, 6) << 2),
  }),
  /** c.ld / c.fld: doubleword-scaled offset. */
  cld: (w: number): Args => ({
    ...empty(),
    rd: creg(bits(w, 4, 2)),
    rs1: creg(bits(w, 9, 7)),
    imm: (bits(w, 6, 5) << 6) | (bits(w, 12, 10) << 3),
  }),
  csw: (w: number): Args => ({
    ...empty(),
    rs2: creg(bits(w, 4, 2)),
    rs1: creg(bits(w, 9, 7)),
    imm: (bits(w, 5, 5) << 6) | (bits(w, 12, 10) << 3) | (bits(w, 6, 6) << 2),
  }),
  csd: (w: number): Args => ({
    ...empty(),
    rs2: creg(bits(w, 4, 2)),
    rs1: creg(bits(w, 9, 7)),
    imm: (bits(w, 6, 5) << 6) | (bits(w, 12, 10) << 3),
  }),
  /** c.addi / c.addiw: rd = rd + simm6 */
  ci: (w: number): Args => {
    const rd = bits(w, 11, 7)
    return { ...empty(), rd, rs1: rd, imm: sext((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6) }
  },
  /** c.li: rd = x0 + simm6 */
  cli: (w: number): Args => ({
    ...empty(),
    rd: bits(w, 11, 7),
    imm: sext((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6),
  }),
  /** c.lui: rd = simm6 << 12 */
  clui: (w: number): Args => ({
    ...empty(),
    rd: bits(w, 11, 7),
    imm: sext((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6) << 12,
  }),
  /** c.addi16sp: sp = sp + nzimm (multiple of 16) */
  caddi16sp: (w: number): Args => ({
    ...empty(),
    rd: 2,
    rs1: 2,
    imm: sext(
      (bits(w, 12, 12) << 9) |
        (bits(w, 4, 3) << 7) |
        (bits(w, 5, 5) << 6) |
        (bits(w, 2, 2) << 5) |
        (bits(w, 6, 6) << 4),
      10,
    ),
  }),
  /** c.slli: rd = rd << shamt6 */
  cslli: (w: number): Args => {
    const rd = bits(w, 11, 7)
    return { ...empty(), rd, rs1: rd, imm: (bits(w, 12, 12) << 5) | bits(w, 6, 2) }
  },
  /** c.srli / c.srai: rd' = rd' >> shamt6 */
  cshift: (w: number): Args => {
    const rd = creg(bits(w, 9, 7))
    return { ...empty(), rd, rs1: rd, imm: (bits(w, 12, 12) << 5) | bits(w, 6, 2) }
  },
  /** c.andi: rd' = rd' & simm6 */
  candi: (w: number): Args => {
    const rd = creg(bits(w, 9, 7))
    return { ...empty(), rd, rs1: rd, imm: sext((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6) }
  },
  /** c.sub, c.xor, c.or, c.and, c.subw, c.addw: rd' = rd' op rs2' */
  ca: (w: number): Args => {
    const rd = creg(bits(w, 9, 7))
    return { ...empty(), rd, rs1: rd, rs2: creg(bits(w, 4, 2)) }
  },
  /** c.j: jal x0, offset */
  cj: (w: number): Args => ({
    ...empty(),
    imm: sext(
      (bits(w, 12, 12) << 11) |
        (bits(w, 8, 8) << 10) |
        (bits(w, 10, 9) << 8) |
        (bits(w, 6, 6) << 7) |
        (bits(w, 7, 7) << 6) |
        (bits(w, 2, 2) << 5) |
        (bits(w, 11, 11) << 4) |
        (bits(w, 5, 3) << 1),
      12,
    ),
  }),
  /** c.beqz / c.bnez: branch if rs1' ==/!= x0 */
  cb: (w: number): Args => ({
    ...empty(),
    rs1: creg(bits(w, 9, 7)),
    imm: sext(
      (bits(w, 12, 12) << 8) |
        (bits(w, 6, 5) << 6) |
        (bits(w, 2, 2) << 5) |
        (bits(w, 11, 10) << 3) |
        (bits(w, 4, 3) << 1),
      9,
    ),
  }),
  /** c.jr: jalr x0, 0(rs1) */
  cjr: (w: number): Args => ({ ...empty(), rs1: bits(w, 11, 7) }),
  /** c.jalr: jalr ra, 0(rs1) */
  cjalr: (w: number): Args => ({ ...empty(), rd: 1, rs1: bits(w, 11, 7) }),
  /** c.mv: add rd, x0, rs2 */
  cmv: (w: number): Args => ({ ...empty(), rd: bits(w, 11, 7), rs2: bits(w, 6, 2) }),
  /** c.add: add rd, rd, rs2 */
  cadd: (w: number): Args => {
    const rd = bits(w, 11, 7)
    return { ...empty(), rd, rs1: rd, rs2: bits(w, 6, 2) }
  },
  /** c.lwsp: lw rd, offset(sp) */
  clwsp: (w: number): Args => ({
    ...empty(),
    rd: bits(w, 11, 7),
    rs1: 2,
    imm: (bits(w, 3, 2) << 6) | (bits(w, 12, 12) << 5) | (bits(w, 6, 4) << 2),
  }),
  /** c.ldsp / c.fldsp */
  cldsp: (w: number): Args => ({
    ...empty(),
    rd: bits(w, 11, 7),
    rs1: 2,
    imm: (bits(w, 4, 2) << 6) | (bits(w, 12, 12) << 5) | (bits(w, 6, 5) << 3),
  }),
  /** c.swsp: sw rs2, offset(sp) */
  cswsp: (w: number): Args => ({
    ...empty(),
    rs1: 2,
    rs2: bits(w, 6, 2),
    imm: (bits(w, 8, 7) << 6) | (bits(w, 12, 9) << 2),
  }),
  /** c.sdsp / c.fsdsp */
  csdsp: (w: number): Args => ({
    ...empty(),
    rs1: 2,
    rs2: bits(w, 6, 2),
    imm: (bits(w, 9, 7) << 6) | (bits(w, 12, 10) << 3),
  }),
} satisfies Record<string, (w: number) => Args>

export type FormatName = keyof typeof formats

/** Mask and match values of a row's pattern. */
export function compilePattern(pattern: string): { mask: number; match: number; width: 16 | 32 } {
  const p = pattern.replace(/\s+/g, '')
  if (p.length !== 16 && p.length !== 32)
    throw new Error(`decode pattern '${pattern}' must have 16 or 32 bits`)
  let mask = 0
  let match = 0
  for (const ch of p) {
    mask = (mask << 1) | (ch === '.' ? 0 : 1)
    match = (match << 1) | (ch === '1' ? 1 : 0)
    if (ch !== '.' && ch !== '0' && ch !== '1')
      throw new Error(`bad character '${ch}' in decode pattern '${pattern}'`)
  }
  return { mask: mask >>> 0, match: match >>> 0, width: p.length as 16 | 32 }
}
