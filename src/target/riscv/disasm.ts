/**
 * Disassembler derived from the decode tables, printing objdump's syntax
 * (`addi a0,a0,1`, `ld ra,8(sp)`, `beqz a5,10474`), with the common aliases
 * objdump uses (li, mv, ret, j, nop, …). Compressed instructions print as
 * their expansion, as objdump does.
 */
import { F_NAMES, X_NAMES } from './cpu.js'
import { type Decoded, Decoder } from './decode/decoder.js'
import type { Args, InsnRow } from './decode/table.js'
import { DEFAULT_EXTS } from './cpu.js'

const RM = ['rne', 'rtz', 'rdn', 'rup', 'rmm', '', '', 'dyn']
const FENCE_SET = (v: number): string =>
  (v & 8 ? 'i' : '') + (v & 4 ? 'o' : '') + (v & 2 ? 'r' : '') + (v & 1 ? 'w' : '') || '0'
const CSR_NAMES: Record<number, string> = { 1: 'fflags', 2: 'frm', 3: 'fcsr', 0xc00: 'cycle', 0xc01: 'time', 0xc02: 'instret' }
const hex = (v: bigint): string => v.toString(16)

function operand(tok: string, a: Args, pc: bigint): string {
  switch (tok) {
    case 'rd':
      return X_NAMES[a.rd]!
    case 'rs1':
      return X_NAMES[a.rs1]!
    case 'rs2':
      return X_NAMES[a.rs2]!
    case 'rs3':
      return X_NAMES[a.rs3]!
    case 'fd':
      return F_NAMES[a.rd]!
    case 'fs1':
      return F_NAMES[a.rs1]!
    case 'fs2':
      return F_NAMES[a.rs2]!
    case 'fs3':
      return F_NAMES[a.rs3]!
    case 'imm':
    case 'shamt':
      return String(a.imm)
    case 'uimm':
      // lui/auipc print the 20-bit field, as objdump does.
      return `0x${((a.imm >>> 12) & 0xfffff).toString(16)}`
    case 'target':
      return hex(BigInt.asUintN(64, pc + BigInt(a.imm)))
    case 'off(rs1)':
      return `${a.imm}(${X_NAMES[a.rs1]})`
    case '(rs1)':
      return `(${X_NAMES[a.rs1]})`
    case 'csr':
      return CSR_NAMES[a.csr] ?? `0x${a.csr.toString(16)}`
    case 'zimm':
      return String(a.rs1)
    case 'rm':
      return RM[a.rm] ?? String(a.rm)
    case 'pred':
      return FENCE_SET(a.rm >> 4)
    case 'succ':
      return FENCE_SET(a.rm & 15)
    default:
      return tok
  }
}

/** objdump's preferred aliases for a few standard forms. */
function alias(name: string, a: Args, pc: bigint): string | undefined {
  const x = X_NAMES
  switch (name) {
    case 'addi':
      if (a.rd === 0 && a.rs1 === 0 && a.imm === 0) return 'nop'
      if (a.rs1 === 0) return `li ${x[a.rd]},${a.imm}`
      if (a.imm === 0) return `mv ${x[a.rd]},${x[a.rs1]}`
      return undefined
    case 'addiw':
      return a.imm === 0 ? `sext.w ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'add':
      return a.rs1 === 0 ? `mv ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'xori':
      return a.imm === -1 ? `not ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'sub':
      return a.rs1 === 0 ? `neg ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'subw':
      return a.rs1 === 0 ? `negw ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'sltiu':
      return a.imm === 1 ? `seqz ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'sltu':
      return a.rs1 === 0 ? `snez ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'jal':
      if (a.rd === 0) return `j ${hex(BigInt.asUintN(64, pc + BigInt(a.imm)))}`
      if (a.rd === 1) return `jal ${hex(BigInt.asUintN(64, pc + BigInt(a.imm)))}`
      return undefined
    case 'jalr':
      if (a.rd === 0 && a.rs1 === 1 && a.imm === 0) return 'ret'
      if (a.rd === 0 && a.imm === 0) return `jr ${x[a.rs1]}`
      if (a.rd === 1 && a.imm === 0) return `jalr ${x[a.rs1]}`
      return undefined
    case 'beq':
    case 'bne':
    case 'blt':
    case 'bge':
      if (a.rs2 === 0) {
        const z = { beq: 'beqz', bne: 'bnez', blt: 'bltz', bge: 'bgez' }[name]
        return `${z} ${x[a.rs1]},${hex(BigInt.asUintN(64, pc + BigInt(a.imm)))}`
      }
      return undefined
    case 'csrrs':
      if (a.rs1 === 0) return `csrr ${x[a.rd]},${operand('csr', a, pc)}`
      return a.rd === 0 ? `csrs ${operand('csr', a, pc)},${x[a.rs1]}` : undefined
    case 'csrrw':
      return a.rd === 0 ? `csrw ${operand('csr', a, pc)},${x[a.rs1]}` : undefined
    case 'fence':
      return a.rm === 0xff && a.rs3 === 0 ? 'fence' : undefined
    default:
      return undefined
  }
}

export class Disassembler {
  constructor(private readonly decoder = new Decoder(new Set(DEFAULT_EXTS))) {}

  /** Disassemble one decoded instruction. */
  format(d: Decoded, pc: bigint): string {
    const semantic = d.row.semantic
    const row: InsnRow = d.row.row.expands !== undefined ? (this.decoder.rowByName(semantic) ?? d.row.row) : d.row.row
    const al = alias(semantic, d.args, pc)
    if (al !== undefined) return al
    let name = semantic
    if (d.args.aq || d.args.rl) name += d.args.aq && d.args.rl ? '.aqrl' : d.args.aq ? '.aq' : '.rl'
    const toks = (row.asm ?? '').split(',').filter((t) => t !== '')
    // Rounding modes print only when static (objdump omits dyn).
    const ops = toks.filter((t) => t !== 'rm' || (d.args.rm !== 7 && d.args.rm < 5)).map((t) => operand(t, d.args, pc))
    return ops.length === 0 ? name : `${name} ${ops.join(',')}`
  }

  /** Disassemble raw bits at `pc`; unknown encodings print as `.insn`/`.2byte` data. */
  disassemble(bits: number, len: 2 | 4, pc: bigint): string {
    const d = this.decoder.decode(bits, len)
    if (d === undefined) return len === 2 ? `.2byte 0x${bits.toString(16)}` : `.4byte 0x${(bits >>> 0).toString(16)}`
    return this.format(d, pc)
  }
}
