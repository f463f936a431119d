/** Zicsr: control and status register instructions (ISA manual, "Zicsr" chapter). */
import type { DecodeTable } from './table.js'

export const zicsr: DecodeTable = {
  ext: 'zicsr',
  rows: [
    { name: 'csrrw', pattern: '............ ..... 001 ..... 1110011', format: 'csr', asm: 'rd,csr,rs1' },
    { name: 'csrrs', pattern: '............ ..... 010 ..... 1110011', format: 'csr', asm: 'rd,csr,rs1' },
    { name: 'csrrc', pattern: '............ ..... 011 ..... 1110011', format: 'csr', asm: 'rd,csr,rs1' },
    { name: 'csrrwi', pattern: '............ ..... 101 ..... 1110011', format: 'csr', asm: 'rd,csr,zimm' },
    { name: 'csrrsi', pattern: '............ ..... 110 ..... 1110011', format: 'csr', asm: 'rd,csr,zimm' },
    { name: 'csrrci', pattern: '............ ..... 111 ..... 1110011', format: 'csr', asm: 'rd,csr,zimm' },
  ],
}
