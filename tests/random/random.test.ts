// Random differential testing of instruction semantics (tests/random/diff.ts,
// README.md there): 1.2 million generated instructions against Unicorn 2.0.1
// (RV64GC + Zicsr; translateBlock + interpret, plus one chunk with the js
// backend), and 0.6 million against qemu-riscv64 7.2 through generated ELF
// files run by rvscope's linux-user (Zba/Zbb/Zbc/Zbs, whose only reference is
// qemu, and RV64GC again as a second reference). About 50 s of CPU on the
// 2-core development machine. Zicond has no reference here: its unit tests
// carry hand-checked expectations.
//
// The seed changes once a day (UTC) and is printed; RVSCOPE_RANDOM_SEED=N
// fixes it, RVSCOPE_RANDOM_SCALE=x scales every chunk. A failure prints the
// instruction, both states and the one-line command that replays the job.
// Without Unicorn (python3-unicorn) or qemu-riscv64 the chunks that need
// them are skipped with a notice, except under CI=true where that fails.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Ext } from '../../src/target/riscv/decode/table.js'
import * as A from './asm.js'
import { type DiffOptions, qemuMissing, type Ref, runDiff } from './diff.js'
import {
  CODE_BASE,
  fullDecoder,
  generateJob,
  layout,
  QEMU_EXTS,
  RESERVED,
  rowCoverage,
  rowsFor,
  UNICORN_EXTS,
} from './generate.js'
import { Rng } from './rng.js'
import { unicornMissing } from './unicorn.js'

const inCI = process.env.CI === 'true'
const daySeed = Math.floor(Date.now() / 86_400_000)
const seed = process.env.RVSCOPE_RANDOM_SEED !== undefined ? Number(process.env.RVSCOPE_RANDOM_SEED) : daySeed
const scale = Number(process.env.RVSCOPE_RANDOM_SCALE ?? '1')
process.stderr.write(
  `\n*** random differential tests: seed ${seed} (RVSCOPE_RANDOM_SEED=${seed} repeats this run)\n`,
)

const missing: Record<Ref, string | undefined> = { unicorn: unicornMissing(), qemu: qemuMissing() }
for (const [ref, why] of Object.entries(missing)) {
  if (why === undefined) continue
  process.stderr.write(
    `\n*** ${why}: the random differential tests against ${ref} are ` +
      (inCI ? 'REQUIRED in CI and will FAIL.' : 'SKIPPED.') +
      '\n\n',
  )
}

const GC: Ext[] = ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zihintpause']
const ZB: Ext[] = ['zba', 'zbb', 'zbc', 'zbs']

interface Chunk {
  name: string
  ref: Ref
  exts: Ext[]
  insns: number
  accel?: 'interp' | 'js' | 'wasm'
}

const chunks: Chunk[] = [
  { name: 'I', ref: 'unicorn', exts: ['i'], insns: 100_000 },
  { name: 'I+M', ref: 'unicorn', exts: ['i', 'm'], insns: 100_000 },
  { name: 'I+A', ref: 'unicorn', exts: ['i', 'a'], insns: 100_000 },
  { name: 'I+C', ref: 'unicorn', exts: ['i', 'c'], insns: 100_000 },
  { name: 'IMAC', ref: 'unicorn', exts: ['i', 'm', 'a', 'c'], insns: 100_000 },
  { name: 'F+Zicsr', ref: 'unicorn', exts: ['f', 'zicsr'], insns: 100_000 },
  { name: 'D+Zicsr', ref: 'unicorn', exts: ['d', 'zicsr'], insns: 100_000 },
  { name: 'F+D+C', ref: 'unicorn', exts: ['f', 'd', 'c'], insns: 100_000 },
  { name: 'RV64GC', ref: 'unicorn', exts: GC, insns: 300_000 },
  { name: 'RV64GC, js backend', ref: 'unicorn', exts: GC, insns: 100_000, accel: 'js' },
  { name: 'RV64GC, wasm backend', ref: 'unicorn', exts: GC, insns: 100_000, accel: 'wasm' },
  { name: 'Zba+Zbb+Zbc+Zbs', ref: 'qemu', exts: ZB, insns: 150_000 },
  { name: 'I+M+C+Zb*', ref: 'qemu', exts: ['i', 'm', 'c', ...ZB], insns: 150_000 },
  { name: 'RV64GC+Zb*', ref: 'qemu', exts: [...GC, ...ZB], insns: 200_000 },
  { name: 'RV64GC+Zb*, js backend', ref: 'qemu', exts: [...GC, ...ZB], insns: 100_000, accel: 'js' },
  { name: 'RV64GC+Zb*, wasm backend', ref: 'qemu', exts: [...GC, ...ZB], insns: 100_000, accel: 'wasm' },
]

describe('random differential testing', () => {
  for (const [n, c] of chunks.entries()) {
    const label = `${c.name} vs ${c.ref === 'unicorn' ? 'Unicorn 2.0.1' : 'qemu-riscv64 (ELF, linux-user)'}`
    test(label, { timeout: 600_000 }, async (t) => {
      const why = missing[c.ref]
      if (why !== undefined) {
        if (inCI) assert.fail(`${why} (required when CI=true)`)
        t.skip(why)
        return
      }
      const o: DiffOptions = {
        ref: c.ref,
        exts: c.exts,
        insns: Math.max(1, Math.round(c.insns * scale)),
        seed: (seed + n * 0x9e3779b9) >>> 0,
        ...(c.accel ? { accel: c.accel } : {}),
      }
      const r = await runDiff(o)
      const quirks = [...r.quirks].map(([k, v]) => `${k} ×${v}`).join(', ')
      t.diagnostic(
        `seed ${o.seed}: ${r.generated} instructions generated, ${r.executed} executed, ${r.jobs} jobs, ` +
          `${(r.ms / 1000).toFixed(1)} s${quirks ? `; reference quirks tolerated: ${quirks}` : ''}`,
      )
      if (r.mismatches.length > 0) {
        const m = r.mismatches[0]!
        process.stderr.write(`\n${m.report}\n\n`)
        assert.fail(`rvscope differs from ${c.ref} (job seed ${m.jobSeed}, ${m.insn}):\n${m.report}`)
      }
    })
  }
})

describe('random stream generator', () => {
  test('every row of every extension with a reference is reachable', () => {
    for (const [profile, exts] of [
      ['unicorn', UNICORN_EXTS],
      ['qemu', QEMU_EXTS],
    ] as const) {
      const seen = new Map<string, number>()
      for (let s = 0; s < 40; s++) {
        const job = generateJob(new Rng(1000 + s), { exts, profile, insns: 1500 })
        for (const [k, v] of rowCoverage(job)) seen.set(k, (seen.get(k) ?? 0) + v)
      }
      const never = rowsFor(exts, profile)
        .map((r) => r.name)
        .filter((name) => !seen.has(name))
      assert.deepStrictEqual(never, [], `${profile} profile never generates these rows`)
    }
  })

  test('streams decode, stay forward and respect the reserved registers', () => {
    const rows = new Map(rowsFor(QEMU_EXTS).map((r) => [r.name, r]))
    for (let s = 0; s < 5; s++) {
      const job = generateJob(new Rng(7 + s), { exts: QEMU_EXTS, profile: 'qemu', insns: 3000 })
      const lay = layout(job, CODE_BASE)
      for (const e of lay.insns) {
        const where = `0x${e.insn.bits.toString(16)} at 0x${e.pc.toString(16)}`
        const d = fullDecoder.decode(e.insn.bits, e.insn.len)
        assert.ok(d, `undecodable ${where}`)
        const glue = e.insn.name.startsWith('(')
        if (!glue) assert.equal(d.row.row.name, e.insn.name)
        const info = rows.get(d.row.row.name)
        const sem = d.row.semantic
        // Integer register writes never hit the data pointers (c.addi16sp moves sp and puts it back).
        if (info?.tokens.includes('rd') && e.insn.name !== 'c.addi16sp')
          assert.ok(!RESERVED.has(d.args.rd), `writes a data pointer: ${where}`)
        // Control flow goes forward, to the same segment.
        if (/^(beq|bne|blt|bge|bltu|bgeu|jal)$/.test(sem)) {
          const target = e.pc + d.args.imm
          assert.ok(
            target > e.pc && target <= lay.syncs[e.seg]!,
            `branch ${where} to 0x${target.toString(16)}`,
          )
        }
      }
    }
  })

  test('the assembler helpers encode what the decoder reads back', () => {
    const dec = (w: number, len: 2 | 4 = 4) => fullDecoder.decode(w, len)!
    assert.equal(dec(A.addi(5, 6, -7)).args.imm, -7)
    assert.equal(dec(A.sd(7, 31, 2047)).args.imm, 2047)
    assert.equal(dec(A.fsd(3, 31, -2048)).args.imm, -2048)
    assert.equal(dec(A.lui(5, 0x20002)).args.imm, 0x20002000)
    for (const imm of [-512, -16, 16, 496]) assert.equal(dec(A.cAddi16sp(imm), 2).args.imm, imm)
    for (const imm of [-4096, -2, 2, 4094]) assert.equal(dec(A.setBImm(0x00000063, imm)).args.imm, imm)
    for (const imm of [-1048576, -2, 2, 1048574]) assert.equal(dec(A.setJImm(0x0000006f, imm)).args.imm, imm)
    for (const imm of [-256, -2, 2, 254]) assert.equal(dec(A.setCbImm(0xc001, imm), 2).args.imm, imm)
    for (const imm of [-2048, -2, 2, 2046]) assert.equal(dec(A.setCjImm(0xa001, imm), 2).args.imm, imm)
    assert.equal(dec(A.cJr(5), 2).row.row.name, 'c.jr')
    assert.equal(dec(A.cJalr(5), 2).row.row.name, 'c.jalr')
    const [hi, lo] = A.li32(31, 0x2000_1408)
    assert.equal(dec(hi!).args.imm + dec(lo!).args.imm, 0x2000_1408)
  })
})
