/**
 * PC-trace comparison with QEMU: the same program under qemu-riscv64
 * `-one-insn-per-tb -d exec,nochain` and rvscope with the same options
 * executes exactly the same sequence of instruction addresses, against
 * both references: QEMU 10.0 with rvscope's `-compat qemu-10` (a vDSO,
 * glibc's start-up looking its symbols up, signal handlers returning
 * through it) and QEMU 7.2 with `-compat qemu-7.2` (no vDSO). Programs
 * without libc behave the same in every mode and also run in rvscope's
 * default one.
 *
 * Needs the references (see tests/qemu-reference.ts); skips with a notice
 * without them, fails under CI=true.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  assertSameTrace,
  execLog,
  haveQemu72,
  need,
  needQemu10,
  QEMU_10,
  RVSCOPE,
  repoRoot,
  tracePcs,
} from '../qemu-reference.js'

const bin = (name: string) => join(repoRoot, 'tests', 'guest', 'bin', name)

/** Programs whose traces are compared: assembly without libc first, then glibc start-up, stdio and signals. */
const PROGRAMS: { name: string; libc?: boolean }[] = [
  { name: 'asm-hello' },
  { name: 'asm-rv64i' },
  { name: 'asm-rvc' },
  { name: 'asm-mext' },
  { name: 'asm-aext' },
  { name: 'asm-fpu' },
  { name: 'asm-zbx' },
  { name: 'hello', libc: true },
  { name: 'intarith', libc: true },
  { name: 'signals', libc: true },
]

const REFERENCES = [
  { label: 'QEMU 10', cmd: QEMU_10, step: '-one-insn-per-tb', compat: 'qemu-10', have: needQemu10 },
  {
    label: 'QEMU 7.2',
    cmd: 'qemu-riscv64',
    // 7.2's name for -one-insn-per-tb (rvscope takes both).
    step: '-singlestep',
    compat: 'qemu-7.2',
    have: (t: { skip(msg: string): void }) =>
      need(t, haveQemu72, 'qemu-riscv64 7.2', 'apt-get install qemu-user'),
  },
]

for (const ref of REFERENCES) {
  for (const p of PROGRAMS) {
    const modes = p.libc ? [ref.compat] : [ref.compat, 'linux']
    for (const compat of modes) {
      test(`PC trace of ${p.name} under -compat ${compat} equals ${ref.label}'s`, {
        timeout: 180_000,
      }, (t) => {
        if (!ref.have(t)) return
        const prog = bin(p.name)
        if (!existsSync(prog)) throw new Error(`${prog} is missing`)
        const dir = mkdtempSync(join(tmpdir(), 'rvscope-trace-'))
        try {
          const opts = [ref.step, '-d', 'exec,nochain']
          const q = tracePcs(execLog(ref.cmd, opts, prog, dir, 'qemu'))
          const r = tracePcs(
            execLog(process.execPath, [RVSCOPE, '-compat', compat, ...opts], prog, dir, 'rvscope'),
          )
          assertSameTrace(q, r, ref.label)
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      })
    }
  }
}
