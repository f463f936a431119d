/**
 * Zba: address generation (ISA manual, "B" chapter, "Zba" and the RV64
 * instruction list). The `.uw` forms zero-extend the low word of rs1 first.
 */
import type { DecodeTable } from './table.js'

export const zba: DecodeTable = {
  ext: 'zba',
  rows: [
    { name: 'add.uw', pattern: '0000100 ..... ..... 000 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'sh1add', pattern: '0010000 ..... ..... 010 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'sh2add', pattern: '0010000 ..... ..... 100 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'sh3add', pattern: '0010000 ..... ..... 110 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'sh1add.uw', pattern: '0010000 ..... ..... 010 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'sh2add.uw', pattern: '0010000 ..... ..... 100 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'sh3add.uw', pattern: '0010000 ..... ..... 110 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'slli.uw', pattern: '000010 ...... ..... 001 ..... 0011011', format: 'sh6', asm: 'rd,rs1,shamt' },
  ],
}
