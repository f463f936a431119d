/** Zbc: carry-less multiplication (ISA manual, "B" chapter, "Zbc"). */
import type { DecodeTable } from './table.js'

export const zbc: DecodeTable = {
  ext: 'zbc',
  rows: [
    { name: 'clmul', pattern: '0000101 ..... ..... 001 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'clmulr', pattern: '0000101 ..... ..... 010 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'clmulh', pattern: '0000101 ..... ..... 011 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
  ],
}
