/** Zihintpause: the PAUSE hint, a FENCE encoding with pred=W, succ=0 (ISA manual, "Zihintpause"). */
import type { DecodeTable } from './table.js'

export const zihintpause: DecodeTable = {
  ext: 'zihintpause',
  rows: [{ name: 'pause', pattern: '0000 0001 0000 00000 000 00000 0001111', format: 'none', asm: '' }],
}
