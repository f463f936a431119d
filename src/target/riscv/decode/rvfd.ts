/**
 * F and D extensions: single- and double-precision floating point (ISA
 * manual, "F" and "D" chapters). Both tables come from one list; the format
 * field (bits 26:25, 00 = S, 01 = D) tells them apart.
 */
import type { DecodeTable, InsnRow } from './table.js'

function fpRows(s: 's' | 'd'): InsnRow[] {
  const fmt = s === 's' ? '00' : '01'
  const w = s === 's' ? '010' : '011'
  const x = s === 's' ? 'w' : 'd'
  const r = (
    name: string,
    funct7: string,
    rs2: string,
    funct3: string,
    asm: string,
    format: 'r' | 'rm' = 'rm',
  ): InsnRow => ({
    name: `${name}.${s}`,
    pattern: `${funct7}${fmt} ${rs2} ..... ${funct3} ..... 1010011`,
    format,
    asm,
  })
  const r4 = (name: string, opcode: string): InsnRow => ({
    name: `${name}.${s}`,
    pattern: `..... ${fmt} ..... ..... ... ..... ${opcode}`,
    format: 'r4',
    asm: 'fd,fs1,fs2,fs3,rm',
  })
  return [
    { name: `fl${x}`, pattern: `............ ..... ${w} ..... 0000111`, format: 'i', asm: 'fd,off(rs1)' },
    { name: `fs${x}`, pattern: `....... ..... ..... ${w} ..... 0100111`, format: 's', asm: 'fs2,off(rs1)' },
    r4('fmadd', '1000011'),
    r4('fmsub', '1000111'),
    r4('fnmsub', '1001011'),
    r4('fnmadd', '1001111'),
    r('fadd', '00000', '.....', '...', 'fd,fs1,fs2,rm'),
    r('fsub', '00001', '.....', '...', 'fd,fs1,fs2,rm'),
    r('fmul', '00010', '.....', '...', 'fd,fs1,fs2,rm'),
    r('fdiv', '00011', '.....', '...', 'fd,fs1,fs2,rm'),
    r('fsqrt', '01011', '00000', '...', 'fd,fs1,rm'),
    r('fsgnj', '00100', '.....', '000', 'fd,fs1,fs2', 'r'),
    r('fsgnjn', '00100', '.....', '001', 'fd,fs1,fs2', 'r'),
    r('fsgnjx', '00100', '.....', '010', 'fd,fs1,fs2', 'r'),
    r('fmin', '00101', '.....', '000', 'fd,fs1,fs2', 'r'),
    r('fmax', '00101', '.....', '001', 'fd,fs1,fs2', 'r'),
    { ...r('fcvt.w', '11000', '00000', '...', 'rd,fs1,rm'), name: `fcvt.w.${s}` },
    { ...r('fcvt.wu', '11000', '00001', '...', 'rd,fs1,rm'), name: `fcvt.wu.${s}` },
    { ...r('fcvt.l', '11000', '00010', '...', 'rd,fs1,rm'), name: `fcvt.l.${s}` },
    { ...r('fcvt.lu', '11000', '00011', '...', 'rd,fs1,rm'), name: `fcvt.lu.${s}` },
    { ...r('fcvt.x', '11010', '00000', '...', 'fd,rs1,rm'), name: `fcvt.${s}.w` },
    { ...r('fcvt.x', '11010', '00001', '...', 'fd,rs1,rm'), name: `fcvt.${s}.wu` },
    { ...r('fcvt.x', '11010', '00010', '...', 'fd,rs1,rm'), name: `fcvt.${s}.l` },
    { ...r('fcvt.x', '11010', '00011', '...', 'fd,rs1,rm'), name: `fcvt.${s}.lu` },
    { ...r('fmv', '11100', '00000', '000', 'rd,fs1', 'r'), name: `fmv.x.${x}` },
    { ...r('fmv', '11110', '00000', '000', 'fd,rs1', 'r'), name: `fmv.${x}.x` },
    r('fclass', '11100', '00000', '001', 'rd,fs1', 'r'),
    r('feq', '10100', '.....', '010', 'rd,fs1,fs2', 'r'),
    r('flt', '10100', '.....', '001', 'rd,fs1,fs2', 'r'),
    r('fle', '10100', '.....', '000', 'rd,fs1,fs2', 'r'),
    s === 's'
      ? { name: 'fcvt.s.d', pattern: '0100000 00001 ..... ... ..... 1010011', format: 'rm', asm: 'fd,fs1,rm' }
      : {
          name: 'fcvt.d.s',
          pattern: '0100001 00000 ..... ... ..... 1010011',
          format: 'rm',
          asm: 'fd,fs1,rm',
        },
  ]
}

export const rv64f: DecodeTable = { ext: 'f', rows: fpRows('s') }
export const rv64d: DecodeTable = { ext: 'd', rows: fpRows('d') }
