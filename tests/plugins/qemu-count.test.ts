/**
 * The qemu-riscv64 counting plugin (tests/plugins/qemu/count.c) against
 * counts worked out by hand, so that its numbers can serve as a reference.
 *
 * Needs gcc and qemu-riscv64; skips with a notice without them, fails
 * under CI=true.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, type TestContext, test } from 'node:test'
import * as A from '../random/asm.js'
import { buildQemuCountPlugin, type Counts, parseCounts, qemuCounts } from './qemu-count.js'

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..')
const guest = (name: string) => join(root, 'tests', 'guest', 'bin', name)
const inCI = process.env.CI === 'true'

const plugin = await buildQemuCountPlugin()
if (plugin === undefined) {
  process.stderr.write(
    `\n*** gcc or qemu-riscv64 is not on PATH: the qemu counting plugin tests are ${inCI ? 'REQUIRED in CI and will FAIL.' : 'SKIPPED.'}` +
      '\n*** Install them with: apt-get install gcc qemu-user\n\n',
  )
}

/** Whether the plugin can run; otherwise skips the test, or fails it under CI. */
function ready(t: TestContext): boolean {
  if (plugin !== undefined) return true
  if (inCI) assert.fail('gcc and qemu-riscv64 are required when CI=true')
  t.skip('gcc or qemu-riscv64 missing')
  return false
}

const counts = (insns: number, blocks: number, memReads: number, memWrites: number): Counts => ({
  insns: BigInt(insns),
  blocks: BigInt(blocks),
  memReads: BigInt(memReads),
  memWrites: BigInt(memWrites),
})

test('parseCounts reads the four lines and rejects a missing one', () => {
  const text = 'insns: 12\nblocks: 3\nmem_reads: 4\nmem_writes: 0\n'
  assert.deepStrictEqual(parseCounts(`log noise\n${text}`), counts(12, 3, 4, 0))
  assert.throws(() => parseCounts(text.replace('blocks', 'block')), /no "blocks: N" line/)
})

test('hello: all four counts, more instructions than blocks', async (t) => {
  if (!ready(t)) return
  const c = await qemuCounts(guest('hello'), [], {})
  assert.ok(c.insns > c.blocks && c.blocks > 0n, `insns ${c.insns}, blocks ${c.blocks}`)
  assert.ok(c.memReads > 0n && c.memWrites > 0n, `reads ${c.memReads}, writes ${c.memWrites}`)
})

test('asm-hello: 11 instructions in 2 blocks, no memory access', async (t) => {
  if (!ready(t)) return
  // tests/guest/src/asm/hello.S: li, lla (2), li, li, ecall | li, sub, snez, li, ecall.
  assert.deepStrictEqual(await qemuCounts(guest('asm-hello'), [], {}), counts(11, 2, 0, 0))
})

test('asm-aext: each atomic read-modify-write is one read and one write', async (t) => {
  if (!ready(t)) return
  const c = await qemuCounts(guest('asm-aext'), [], {})
  assert.ok(c.insns > c.blocks && c.blocks > 0n, `insns ${c.insns}, blocks ${c.blocks}`)
  // Memory accesses counted from tests/guest/src/asm/aext.S (reads, writes):
  //   lr/sc loop, 1000 × (lr.d: R; sc.d: R+W)      2000, 1000
  //   sd before it, ld after                           1,    1
  //   lr.w/sc.w: sd, lr.w, sc.w, ld                    3,    2
  //   sd, lr.d, ld, lr.d, sc.d (the two failing SCs
  //   never reach memory in qemu)                      4,    2
  //   20 AMOs, each between a store and a load        40,   40
  // = 2048, 1045.  The runtime (rt.inc) prints 45 lines, 1369 bytes; 45 × 17
  // are hex digits and newlines, the other 604 go through rt_puts:
  //   rt_putc per byte: ld; sb, sd                  1369, 2738
  //   rt_puts × 45: 2 sd, 2 ld, lbu per byte + NUL   739,   90
  //   rt_puthex × 45: 3 sd, 3 ld                     135,  135
  //   SHOW × 44: 16 sd, 16 ld                        704,  704
  //   rt_flush once: ld, sd                            1,    1
  // = 2948, 3668.  Counting an AMO as a read only or a write only is off by 1000+.
  assert.equal(c.memReads, 2048n + 2948n, 'memory reads')
  assert.equal(c.memWrites, 1045n + 3668n, 'memory writes')
})

// Tiny hand-assembled programs: N times one memory instruction in a loop,
// optionally after starting a thread, which makes qemu switch to really
// atomic code and report an AMO as a single read-write access.
const N = 1000
const [SP, T0, T1, S0, S1, A0, A1, A2, A3, A4, A7, S2] = [2, 5, 6, 8, 9, 10, 11, 12, 13, 14, 17, 18]
const li = (rd: number, v: number) => A.addi(rd, 0, v)
const sw = (rs2: number, rs1: number, imm: number) => A.encS(0x23, 2, rs1, rs2, imm)
const bnez = (rs1: number, off: number) => A.setBImm(0x1063 | (rs1 << 15), off)
const amoaddD = (rd: number, rs2: number, rs1: number) =>
  (rs2 << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f
/** CLONE_VM | FS | FILES | SIGHAND | THREAD | SYSVSEM | CHILD_CLEARTID */
const CLONE_THREAD = 0x250f00

const OPS = [
  { name: 'nop', code: A.addi(0, 0, 0), reads: 0, writes: 0 },
  { name: 'ld', code: A.ld(T0, S2, 0), reads: 1, writes: 0 },
  { name: 'sd', code: A.sd(T0, S2, 0), reads: 0, writes: 1 },
  { name: 'amoadd.d', code: amoaddD(T0, T1, S2), reads: 1, writes: 1 },
]

function program(op: number, threaded: boolean): number[] {
  const code = [A.addi(S0, SP, -16), A.addi(S2, SP, -8)] // a futex word, a doubleword to work on
  if (threaded) {
    code.push(
      // clone(CLONE_THREAD, 0, 0, 0, s0) with *s0 = 1; the child exit(0)s at once
      ...[li(T0, 1), sw(T0, S0, 0), ...A.li32(A0, CLONE_THREAD), li(A1, 0), li(A2, 0), li(A3, 0)],
      ...[A.addi(A4, S0, 0), li(A7, 220), A.ECALL, bnez(A0, 12), li(A7, 93), A.ECALL],
      // futex(s0, FUTEX_WAIT, 1, 0): returns once the child is gone and the kernel cleared *s0
      ...[A.addi(A0, S0, 0), li(A1, 0), li(A2, 1), li(A3, 0), li(A7, 98), A.ECALL],
    )
  }
  // s1 = N; do op while (--s1); exit_group(0)
  code.push(li(S1, N), op, A.addi(S1, S1, -1), bnez(S1, -8), li(A0, 0), li(A7, 94), A.ECALL)
  return code
}

/** A static ELF executable: the code right after the headers, in one read+execute page at 0x10000. */
function elf(code: number[]): Uint8Array {
  const base = 0x10000
  const headers = 64 + 56
  const f = new Uint8Array(headers + 4 * code.length)
  const v = new DataView(f.buffer)
  f.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]) // ELF, 64-bit, little-endian, version 1
  v.setUint16(16, 2, true) // ET_EXEC
  v.setUint16(18, 243, true) // EM_RISCV
  v.setUint32(20, 1, true)
  v.setBigUint64(24, BigInt(base + headers), true) // entry
  v.setBigUint64(32, 64n, true) // program headers
  v.setUint16(52, 64, true)
  v.setUint16(54, 56, true)
  v.setUint16(56, 1, true)
  v.setUint32(64, 1, true) // PT_LOAD
  v.setUint32(68, 5, true) // R+X
  v.setBigUint64(80, BigInt(base), true)
  v.setBigUint64(88, BigInt(base), true)
  v.setBigUint64(96, BigInt(f.length), true)
  v.setBigUint64(104, BigInt(f.length), true)
  v.setBigUint64(112, 0x1000n, true)
  for (const [i, word] of code.entries()) v.setUint32(headers + 4 * i, word, true)
  return f
}

const dir = mkdtempSync(join(tmpdir(), 'rvscope-qemu-count-'))
after(() => rmSync(dir, { recursive: true, force: true }))

for (const threaded of [false, true]) {
  for (const op of OPS) {
    const name = `${op.name} loop${threaded ? ' after starting a thread' : ''}`
    test(`${name}: ${N} × (${op.reads} read, ${op.writes} write)`, async (t) => {
      if (!ready(t)) return
      const path = join(dir, `${op.name}${threaded ? '-threaded' : ''}`)
      writeFileSync(path, elf(program(op.code, threaded)), { mode: 0o755 })
      // Without a thread: 2 + 1 + 3N + 3 instructions; blocks: the first one
      // up to the bnez, N - 1 more loop iterations, the exit.  With one: the
      // parent runs 12 (to the clone ecall) + 1 (bnez) + 6 (futex) more
      // instructions in 3 more blocks, the child 3 in 2 blocks, and sw writes.
      const expected = threaded
        ? counts(3 * N + 26, N + 6, N * op.reads, 1 + N * op.writes)
        : counts(3 * N + 6, N + 1, N * op.reads, N * op.writes)
      assert.deepStrictEqual(await qemuCounts(path, [], {}), expected)
    })
  }
}
