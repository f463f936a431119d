/**
 * The two qemu-riscv64 builds the differential tests compare against, and
 * what they tell without plugins: Debian bookworm's QEMU 7.2 (on PATH,
 * package qemu-user; it loads the C counting plugin) and Debian trixie's
 * QEMU 10.0 (statically linked, no plugin support, fetched by
 * tools/fetch-qemu-user.sh into .cache/qemu-user/). From QEMU 10 the tests
 * take executed PC sequences (`-one-insn-per-tb -d exec,nochain`: one line
 * per instruction) and block counts (`-d exec,nochain`: one line per block
 * run).
 *
 * QEMU 10 places mappings wherever the host's mmap puts them (randomized),
 * so PCs inside the vDSO are compared as offsets in it: for static
 * programs every executed address above 4 GiB is in the vDSO, under both
 * emulators.
 */
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { QEMU_10, qemuAvailable, repoRoot } from './diff/run.js'

export { QEMU_10, repoRoot }
export const haveQemu10 = qemuAvailable({ reference: 'qemu-10' })
export const haveQemu72 = qemuAvailable()
export const RVSCOPE = join(repoRoot, 'bin', 'rvscope-riscv64.js')

/**
 * True when the reference is there; otherwise a notice and a skip, or a
 * failure under CI=true.
 */
export function need(t: { skip(msg: string): void }, have: boolean, what: string, install: string): boolean {
  if (have) return true
  if (process.env.CI === 'true') assert.fail(`${what} is required under CI (${install})`)
  process.stderr.write(`NOTICE: ${what} missing (${install}): comparison SKIPPED\n`)
  t.skip(`${what} missing`)
  return false
}

export const needQemu10 = (t: { skip(msg: string): void }): boolean =>
  need(t, haveQemu10, 'QEMU 10 qemu-riscv64', 'bash tools/fetch-qemu-user.sh')

/** Executed addresses from a `-d exec,nochain` log, vDSO addresses as `vdso+OFFSET`. */
export function tracePcs(log: string): string[] {
  return [...log.matchAll(/^Trace \d+: \S+ \[[0-9a-f]+\/([0-9a-f]+)\//gm)].map((m) => {
    const pc = BigInt(`0x${m[1]}`)
    return pc >= 1n << 32n ? `vdso+${(pc & 0xfffn).toString(16)}` : pc.toString(16)
  })
}

/**
 * Runs `cmd ...options -D LOG prog` with an empty environment and stdin
 * closed, in `dir`, and returns the log's text.
 */
export function execLog(cmd: string, options: string[], prog: string, dir: string, tag: string): string {
  const log = join(dir, `${tag}.log`)
  return runWithLog(cmd, [...options, '-D', log, prog], log, dir, {})
}

/**
 * Runs `cmd args` in `dir` with stdin closed and `env` (default: this
 * process's), expecting it to write the log file `log` (its -D); returns
 * the log's text and removes the file.
 */
export function runWithLog(
  cmd: string,
  args: string[],
  log: string,
  dir: string,
  env?: NodeJS.ProcessEnv,
): string {
  const r = spawnSync(cmd, args, {
    env: env ?? process.env,
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 300_000,
  })
  assert.ok(r.error === undefined, `${cmd} failed to start: ${r.error}`)
  assert.ok(existsSync(log), `${cmd} ${args.join(' ')} wrote no log; stderr:\n${r.stderr}`)
  const text = readFileSync(log, 'utf8')
  rmSync(log)
  return text
}

/**
 * Counts the `Trace` lines of `cmd ...options -D FIFO prog` as they are
 * written (a single-stepped log of millions of instructions would be
 * gigabytes on disk). Empty environment, stdin closed, in `dir`.
 */
export async function countTraceLines(
  cmd: string,
  options: string[],
  prog: string,
  dir: string,
): Promise<number> {
  const fifo = join(dir, `trace-${process.pid}-${fifoSeq++}.fifo`)
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, `mkfifo ${fifo} failed`)
  try {
    const child = spawn(cmd, [...options, '-D', fifo, prog], {
      env: {},
      cwd: dir,
      stdio: ['ignore', 'ignore', 'ignore'],
    })
    const exited = new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', () => resolve())
    })
    let count = 0
    let atLineStart = true
    for await (const chunk of createReadStream(fifo) as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        if (atLineStart && chunk[i] === 0x54 /* T */) count++
        atLineStart = chunk[i] === 0x0a
      }
    }
    await exited
    return count
  } finally {
    rmSync(fifo, { force: true })
  }
}
let fifoSeq = 0

/** Instructions and blocks QEMU 10 executes for `prog` (two runs: one instruction per block, then as translated). */
export async function qemu10Counts(prog: string, dir: string): Promise<{ insns: number; blocks: number }> {
  return {
    insns: await countTraceLines(QEMU_10, ['-one-insn-per-tb', '-d', 'exec,nochain'], prog, dir),
    blocks: await countTraceLines(QEMU_10, ['-d', 'exec,nochain'], prog, dir),
  }
}

/** Compares two PC sequences and fails at the first difference, showing the neighbourhood. */
export function assertSameTrace(ref: string[], ours: string[], refName: string): void {
  assert.ok(ref.length > 0, `${refName} produced no trace`)
  const n = Math.min(ref.length, ours.length)
  let i = 0
  while (i < n && ref[i] === ours[i]) i++
  if (i < n || ref.length !== ours.length) {
    const around = (xs: string[]) => xs.slice(Math.max(0, i - 3), i + 3).join(' ')
    assert.fail(
      `traces differ at step ${i} of ${ref.length} (rvscope has ${ours.length} steps)\n ${refName}: ${around(ref)}\n rvscope: ${around(ours)}`,
    )
  }
}
