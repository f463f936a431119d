/** M extension: integer multiplication and division (ISA manual, "M" chapter). */
import type { DecodeTable } from './table.js'

export const rv64m: DecodeTable = {
  ext: 'm',
  rows: [
    { name: 'mul', pattern: '0000001 ..... ..... 000 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'mulh', pattern: '0000001 ..... ..... 001 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'mulhsu', pattern: '0000001 ..... ..... 010 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'mulhu', pattern: '0000001 ..... ..... 011 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'div', pattern: '0000001 ..... ..... 100 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'divu', pattern: '0000001 ..... ..... 101 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'rem', pattern: '0000001 ..... ..... 110 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'remu', pattern: '0000001 ..... ..... 111 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'mulw', pattern: '0000001 ..... ..... 000 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'divw', pattern: '0000001 ..... ..... 100 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'divuw', pattern: '0000001 ..... ..... 101 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'remw', pattern: '0000001 ..... ..... 110 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'remuw', pattern: '0000001 ..... ..... 111 ..... 0111011', format: 'r', asm: 'rd,rs1,rs2' },
  ],
}
