/**
 * Cross-check of the disassembler against GNU objdump, run by hand (it needs
 * the riscv64-linux-gnu binutils, which the test suite does not):
 *
 *   npx tsc -p tsconfig.json && node dist/tests/disasm/crosscheck.js [count-per-row]
 *
 * Emits random encodings of every decode row (src/target/riscv/decode/encode.ts)
 * as `.insn` directives, assembles them with the ELF attributes of the
 * default extension set, disassembles with `objdump -d` and prints every
 * line where rvscope's text differs. Expected differences, all where
 * objdump (binutils 2.40) prints `.4byte`: Zicond (unknown to it),
 * fcvt.d.w/fcvt.d.wu/fcvt.d.s with a rounding mode other than rne, and
 * fence/fence.i with non-zero reserved fields (fm, rd, rs1, imm), which the
 * ISA manual says implementations must ignore.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileTables } from '../../src/target/riscv/decode/decoder.js'
import { randomEncoding } from '../../src/target/riscv/decode/encode.js'
import { allTables } from '../../src/target/riscv/decode/tables.js'
import { Disassembler } from '../../src/target/riscv/disasm.js'

const PREFIX = process.env.CROSS_PREFIX ?? 'riscv64-linux-gnu-'
const MARCH = 'rv64gc_zba_zbb_zbc_zbs_zihintpause_zifencei_zicsr'
const perRow = Number(process.argv[2] ?? 20)

const words: { bits: number; len: 2 | 4; row: string }[] = []
for (const r of compileTables(allTables)) {
  for (let i = 0; i < perRow; i++)
    words.push({ bits: randomEncoding(r, Math.random), len: r.width === 16 ? 2 : 4, row: r.row.name })
}

const dir = mkdtempSync(join(tmpdir(), 'rvscope-disasm-'))
const src = join(dir, 'x.s')
const obj = join(dir, 'x.o')
// .insn emits each word as given (no relaxation or compression).
writeFileSync(src, `.text\n${words.map((w) => `.insn 0x${w.bits.toString(16)}\n`).join('')}`)
execFileSync(`${PREFIX}as`, [`-march=${MARCH}`, src, '-o', obj])
const dump = execFileSync(`${PREFIX}objdump`, ['-d', obj], { encoding: 'utf8', maxBuffer: 1 << 28 })

const dis = new Disassembler()
let pc = 0n
let i = 0
let bad = 0
for (const line of dump.split('\n')) {
  const m = /^\s*([0-9a-f]+):\s+([0-9a-f]+)\s+(.*)$/.exec(line)
  if (m === null) continue
  const w = words[i++]!
  pc = BigInt(`0x${m[1]}`)
  // objdump: mnemonic TAB operands, then optional `<symbol>` or `# comment`.
  const theirs = m[3]!
    .replace(/\s*(<[^>]*>|#.*)$/, '')
    .replace(/\t/, ' ')
    .trim()
  const ours = dis.disassemble(w.bits, w.len, pc)
  if (theirs !== ours) {
    bad++
    console.log(`${w.row.padEnd(12)} ${m[2]}  objdump: ${theirs.padEnd(32)} rvscope: ${ours}`)
  }
}
console.log(`${words.length} encodings, ${bad} differences`)
