/**
 * Zbs: single-bit instructions (ISA manual, "B" chapter, "Zbs"). The
 * immediate forms take a 6-bit bit index on RV64.
 */
import type { DecodeTable, InsnRow } from './table.js'

/** Register and immediate forms of one operation: funct6 (funct7 = funct6 0) and funct3 are shared. */
const pair = (name: string, funct6: string, funct3: string): InsnRow[] => [
  { name, pattern: `${funct6}0 ..... ..... ${funct3} ..... 0110011`, format: 'r', asm: 'rd,rs1,rs2' },
  {
    name: `${name}i`,
    pattern: `${funct6} ...... ..... ${funct3} ..... 0010011`,
    format: 'sh6',
    asm: 'rd,rs1,shamt',
  },
]

export const zbs: DecodeTable = {
  ext: 'zbs',
  rows: [
    ...pair('bclr', '010010', '001'),
    ...pair('bext', '010010', '101'),
    ...pair('binv', '011010', '001'),
    ...pair('bset', '001010', '001'),
  ],
}
