/**
 * Zbb: basic bit manipulation (ISA manual, "B" chapter, "Zbb"), RV64
 * encodings: rori and rev8 take the 6-bit shift amount / RV64 immediate, and
 * zext.h is the RV64 form in the OP-32 major opcode (on RV32 it lives in OP).
 */
import type { DecodeTable, InsnRow } from './table.js'

/** clz/ctz/cpop/sext.b/sext.h share funct7 0110000 and funct3 001; rs2 selects the operation. */
const unary = (name: string, rs2: string, opcode: string): InsnRow => ({
  name,
  pattern: `0110000 ${rs2} ..... 001 ..... ${opcode}`,
  format: 'r',
  asm: 'rd,rs1',
})
const OP_IMM = '0010011'
const OP_IMM_32 = '0011011'

export const zbb: DecodeTable = {
  ext: 'zbb',
  rows: [
    { name: 'andn', pattern: '0100000 ..... ..... 111 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'orn', pattern: '0100000 ..... ..... 110 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'xnor', pattern: '0100000 ..... ..... 100 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    unary('clz', '00000', OP_IMM),
    unary('ctz', '00001', OP_IMM),
    unary('cpop', '00010', OP_IMM),
    unary('sext.b', '00100', OP_IMM),
    unary('sext.h', '00101', OP_IMM),
    unary('clzw', '00000', OP_IMM_32),
    unary('ctzw', '00001', OP_IMM_32),
    unary('cpopw', '00010', OP_IMM_32),
    { name: 'max', pattern: '0000101 ..... ..... 110 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'maxu', pattern: '0000101 ..... ..... 111 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'min', pattern: '0000101 ..... ..... 100 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'minu', pattern: '0000101 ..... ..... 101 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'zext.h', pattern: '0000100 00000 ..... 100 ..... 0111011', format: 'r', asm: 'rd,rs1' },
    { name: 'rol', pattern: '0110000 ..... ..... 001 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'rolw', pattern: '0110000 ..... ..... 001 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'ror', pattern: '0110000 ..... ..... 101 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'rorw', pattern: '0110000 ..... ..... 101 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'rori', pattern: '011000 ...... ..... 101 ..... 0010011', format: 'sh6', asm: 'rd,rs1,shamt' },
    { name: 'roriw', pattern: '0110000 ..... ..... 101 ..... 0011011', format: 'sh5', asm: 'rd,rs1,shamt' },
    { name: 'orc.b', pattern: '001010000111 ..... 101 ..... 0010011', format: 'r', asm: 'rd,rs1' },
    { name: 'rev8', pattern: '011010111000 ..... 101 ..... 0010011', format: 'r', asm: 'rd,rs1' },
  ],
}
