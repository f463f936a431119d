/**
 * PC-trace comparison with QEMU: the same program under
 * `qemu-riscv64 -singlestep -d exec,nochain` and
 * `rvscope-riscv64 -one-insn-per-tb -d exec,nochain` must execute exactly
 * the same sequence of instruction addresses.
 *
 * Needs qemu-riscv64 (Debian qemu-user); skips with a notice without it,
 * fails under CI=true.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { test } from 'node:test'

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..')
const bin = (name: string) => join(root, 'tests', 'guest', 'bin', name)
const haveQemu = spawnSync('sh', ['-c', 'command -v qemu-riscv64']).status === 0

/** Programs whose traces are compared, with arguments. Bare-metal style ones first, then glibc start-up code. */
const PROGRAMS: { name: string; args?: string[]; compat?: boolean }[] = [
  { name: 'asm-hello' },
  { name: 'asm-rv64i' },
  { name: 'asm-rvc' },
  { name: 'asm-mext' },
  { name: 'asm-aext' },
  { name: 'asm-fpu' },
  { name: 'asm-zbx' },
  { name: 'hello', compat: true },
  { name: 'intarith', compat: true },
]

function pcs(log: string): string[] {
  return [...readFileSync(log, 'utf8').matchAll(/^Trace \d+: \S+ \[[0-9a-f]+\/([0-9a-f]{16})\//gm)].map(
    (m) => m[1]!,
  )
}

function trace(cmd: string, args: string[], dir: string, tag: string): string[] {
  const log = join(dir, `${tag}.log`)
  const r = spawnSync(cmd, [...args.slice(0, -1), '-D', log, args[args.length - 1]!], {
    env: {},
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  })
  assert.ok(r.error === undefined, `${cmd} failed to start: ${r.error}`)
  return pcs(log)
}

for (const p of PROGRAMS) {
  test(`PC trace of ${p.name} equals qemu-riscv64 -singlestep`, { timeout: 180_000 }, (t) => {
    if (!haveQemu) {
      if (process.env.CI === 'true')
        assert.fail('qemu-riscv64 is required under CI (apt-get install qemu-user)')
      process.stderr.write('NOTICE: qemu-riscv64 not found; PC-trace comparison skipped\n')
      t.skip('qemu-riscv64 missing')
      return
    }
    const prog = bin(p.name)
    assert.ok(existsSync(prog), `${prog} is missing`)
    const dir = mkdtempSync(join(tmpdir(), 'rvscope-trace-'))
    try {
      const q = trace('qemu-riscv64', ['-singlestep', '-d', 'exec,nochain', prog], dir, 'qemu')
      const compat = p.compat ? ['-compat', 'qemu-7.2'] : []
      const r = trace(
        process.execPath,
        [join(root, 'bin', 'rvscope-riscv64.js'), ...compat, '-one-insn-per-tb', '-d', 'exec,nochain', prog],
        dir,
        'rvscope',
      )
      assert.ok(q.length > 0, 'qemu produced no trace')
      const n = Math.min(q.length, r.length)
      let i = 0
      while (i < n && q[i] === r[i]) i++
      if (i < n || q.length !== r.length) {
        const around = (xs: string[]) => xs.slice(Math.max(0, i - 3), i + 3).join(' ')
        assert.fail(
          `traces differ at step ${i} of ${q.length} (rvscope has ${r.length} steps)\n qemu:    ${around(q)}\n rvscope: ${around(r)}`,
        )
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}
