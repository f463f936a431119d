/** Zicond: integer conditional operations (ISA manual, "Zicond" chapter). */
import type { DecodeTable } from './table.js'

export const zicond: DecodeTable = {
  ext: 'zicond',
  rows: [
    { name: 'czero.eqz', pattern: '0000111 ..... ..... 101 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
    { name: 'czero.nez', pattern: '0000111 ..... ..... 111 ..... 0110011', format: 'r', asm: 'rd,rs1,rs2' },
  ],
}
