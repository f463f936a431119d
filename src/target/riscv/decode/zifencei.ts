/** Zifencei: instruction-fetch fence (ISA manual, "Zifencei" chapter). */
import type { DecodeTable } from './table.js'

export const zifencei: DecodeTable = {
  ext: 'zifencei',
  rows: [{ name: 'fence.i', pattern: '............ ..... 001 ..... 0001111', format: 'i', asm: '' }],
}
