/** A extension: load-reserved/store-conditional and atomic memory operations (ISA manual, "A" chapter). */
import type { DecodeTable, InsnRow } from './table.js'

const FUNCT5: [string, string][] = [
  ['amoadd', '00000'],
  ['amoswap', '00001'],
  ['amoxor', '00100'],
  ['amoor', '01000'],
  ['amoand', '01100'],
  ['amomin', '10000'],
  ['amomax', '10100'],
  ['amominu', '11000'],
  ['amomaxu', '11100'],
]

const rows: InsnRow[] = []
for (const [w, f3] of [
  ['w', '010'],
  ['d', '011'],
] as const) {
  rows.push({
    name: `lr.${w}`,
    pattern: `00010 . . 00000 ..... ${f3} ..... 0101111`,
    format: 'amo',
    asm: 'rd,(rs1)',
  })
  rows.push({
    name: `sc.${w}`,
    pattern: `00011 . . ..... ..... ${f3} ..... 0101111`,
    format: 'amo',
    asm: 'rd,rs2,(rs1)',
  })
  for (const [name, f5] of FUNCT5)
    rows.push({
      name: `${name}.${w}`,
      pattern: `${f5} . . ..... ..... ${f3} ..... 0101111`,
      format: 'amo',
      asm: 'rd,rs2,(rs1)',
    })
}

export const rv64a: DecodeTable = { ext: 'a', rows }
