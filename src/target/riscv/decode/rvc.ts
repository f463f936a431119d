/**
 * C extension: 16-bit compressed instructions for RV64 (ISA manual, "C"
 * chapter, RVC opcode map). Each row names the standard instruction it
 * expands to; the operand formats produce that instruction's operands.
 */
import type { DecodeTable } from './table.js'

const zeroImm = (a: { imm: number }): boolean => a.imm === 0
const zeroRd = (a: { rd: number }): boolean => a.rd === 0

export const rvc: DecodeTable = {
  ext: 'c',
  rows: [
    // Quadrant 0
    { name: 'c.addi4spn', pattern: '000 ........ ... 00', format: 'ciw', expands: 'addi', reserved: zeroImm },
    { name: 'c.fld', pattern: '001 ... ... .. ... 00', format: 'cld', expands: 'fld' },
    { name: 'c.lw', pattern: '010 ... ... .. ... 00', format: 'clw', expands: 'lw' },
    { name: 'c.ld', pattern: '011 ... ... .. ... 00', format: 'cld', expands: 'ld' },
    { name: 'c.fsd', pattern: '101 ... ... .. ... 00', format: 'csd', expands: 'fsd' },
    { name: 'c.sw', pattern: '110 ... ... .. ... 00', format: 'csw', expands: 'sw' },
    { name: 'c.sd', pattern: '111 ... ... .. ... 00', format: 'csd', expands: 'sd' },
    // Quadrant 1 (c.nop is c.addi with rd = x0)
    { name: 'c.addi', pattern: '000 . ..... ..... 01', format: 'ci', expands: 'addi' },
    { name: 'c.addiw', pattern: '001 . ..... ..... 01', format: 'ci', expands: 'addiw', reserved: zeroRd },
    { name: 'c.li', pattern: '010 . ..... ..... 01', format: 'cli', expands: 'addi' },
    {
      name: 'c.addi16sp',
      pattern: '011 . 00010 ..... 01',
      format: 'caddi16sp',
      expands: 'addi',
      reserved: zeroImm,
    },
    {
      name: 'c.lui',
      pattern: '011 . ..... ..... 01',
      format: 'clui',
      expands: 'lui',
      unless: ['c.addi16sp'],
      reserved: zeroImm,
    },
    { name: 'c.srli', pattern: '100 . 00 ... ..... 01', format: 'cshift', expands: 'srli' },
    { name: 'c.srai', pattern: '100 . 01 ... ..... 01', format: 'cshift', expands: 'srai' },
    { name: 'c.andi', pattern: '100 . 10 ... ..... 01', format: 'candi', expands: 'andi' },
    { name: 'c.sub', pattern: '100 0 11 ... 00 ... 01', format: 'ca', expands: 'sub' },
    { name: 'c.xor', pattern: '100 0 11 ... 01 ... 01', format: 'ca', expands: 'xor' },
    { name: 'c.or', pattern: '100 0 11 ... 10 ... 01', format: 'ca', expands: 'or' },
    { name: 'c.and', pattern: '100 0 11 ... 11 ... 01', format: 'ca', expands: 'and' },
    { name: 'c.subw', pattern: '100 1 11 ... 00 ... 01', format: 'ca', expands: 'subw' },
    { name: 'c.addw', pattern: '100 1 11 ... 01 ... 01', format: 'ca', expands: 'addw' },
    { name: 'c.j', pattern: '101 ........... 01', format: 'cj', expands: 'jal' },
    { name: 'c.beqz', pattern: '110 ... ... ..... 01', format: 'cb', expands: 'beq' },
    { name: 'c.bnez', pattern: '111 ... ... ..... 01', format: 'cb', expands: 'bne' },
    // Quadrant 2
    { name: 'c.slli', pattern: '000 . ..... ..... 10', format: 'cslli', expands: 'slli' },
    { name: 'c.fldsp', pattern: '001 . ..... ..... 10', format: 'cldsp', expands: 'fld' },
    { name: 'c.lwsp', pattern: '010 . ..... ..... 10', format: 'clwsp', expands: 'lw', reserved: zeroRd },
    { name: 'c.ldsp', pattern: '011 . ..... ..... 10', format: 'cldsp', expands: 'ld', reserved: zeroRd },
    {
      name: 'c.jr',
      pattern: '100 0 ..... 00000 10',
      format: 'cjr',
      expands: 'jalr',
      reserved: (a) => a.rs1 === 0,
    },
    { name: 'c.mv', pattern: '100 0 ..... ..... 10', format: 'cmv', expands: 'add', unless: ['c.jr'] },
    { name: 'c.ebreak', pattern: '100 1 00000 00000 10', format: 'none', expands: 'ebreak' },
    {
      name: 'c.jalr',
      pattern: '100 1 ..... 00000 10',
      format: 'cjalr',
      expands: 'jalr',
      unless: ['c.ebreak'],
    },
    {
      name: 'c.add',
      pattern: '100 1 ..... ..... 10',
      format: 'cadd',
      expands: 'add',
      unless: ['c.jalr', 'c.ebreak'],
    },
    { name: 'c.fsdsp', pattern: '101 . ..... ..... 10', format: 'csdsp', expands: 'fsd' },
    { name: 'c.swsp', pattern: '110 . ..... ..... 10', format: 'cswsp', expands: 'sw' },
    { name: 'c.sdsp', pattern: '111 . ..... ..... 10', format: 'csdsp', expands: 'sd' },
  ],
}
