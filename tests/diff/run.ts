// Runs one guest test case under rvscope or qemu-riscv64 and collects what
// can be compared: stdout, stderr, exit status (128+signal when killed) and
// the files the case lists.  Shared by tests/diff/guest.test.ts and
// tools/accept-guest.js so that expected outputs are recorded exactly the way
// they are checked.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GuestCase } from '../guest/cases.js'

export type Emulator = 'rvscope' | 'qemu'

export interface GuestResult {
  stdout: string
  stderr: string
  /** exit code, or 128 + signal number when the emulator process was killed */
  status: number
  /** contents of the case's listed files, null when a file does not exist */
  files: Record<string, string | null>
}

export interface RunResult extends GuestResult {
  timedOut: boolean
}

/** Default per-run time limit.  Generous because rvscope is an interpreter;
 * every program takes well under a second under qemu. */
export const DEFAULT_TIMEOUT_MS = 60_000

/** Output beyond this is a runaway program; the run is stopped. */
const MAX_OUTPUT_BYTES = 8 << 20

/** Found by walking up from this file (it runs from dist/tests/diff/). */
export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)))

function findRepoRoot(start: string): string {
  let dir = start
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tests', 'guest'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`)
    dir = parent
  }
}

/** '$CROSS' in a case's sysroot: the Debian cross sysroot (package libc6-riscv64-cross). */
export const CROSS_SYSROOT = '/usr/riscv64-linux-gnu'

/** A case's sysroot as an absolute path: `$CROSS…`, or relative to the repository root. */
export function resolveSysroot(sysroot: string): string {
  return sysroot.startsWith('$CROSS')
    ? CROSS_SYSROOT + sysroot.slice('$CROSS'.length)
    : resolve(repoRoot, sysroot)
}

/** Directory of the expected results of the guest corpus. */
export const GUEST_EXPECTED = join(repoRoot, 'tests', 'guest', 'expected')

export function expectedPath(name: string, dir: string = GUEST_EXPECTED): string {
  return join(dir, `${name}.json`)
}

export function loadExpected(name: string, dir: string = GUEST_EXPECTED): GuestResult | undefined {
  const file = expectedPath(name, dir)
  if (!existsSync(file)) return undefined
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<GuestResult>
  return {
    stdout: raw.stdout ?? '',
    stderr: raw.stderr ?? '',
    status: raw.status ?? 0,
    files: raw.files ?? {},
  }
}

/** The JSON text stored for a result (stable key order, trailing newline). */
export function formatExpected(r: GuestResult): string {
  const { stdout, stderr, status, files } = r
  return `${JSON.stringify({ stdout, stderr, status, files }, null, 2)}\n`
}

/** The environment of the emulator process.  qemu-riscv64 hands its own
 * environment to the guest, and rvscope mirrors that, so a fixed minimal
 * environment is the only way to give both the same guest environment. */
export function guestEnvironment(c: GuestCase): Record<string, string> {
  return { PATH: '/usr/bin:/bin', LANG: 'C', ...(c.env ?? {}) }
}

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/** QEMU 10.0's qemu-riscv64, fetched by tools/fetch-qemu-user.sh. */
export const QEMU_10 = join(repoRoot, '.cache', 'qemu-user', 'qemu-riscv64')

/** The qemu-riscv64 that is the reference for `c`, or undefined when it is not installed. */
export function qemuFor(c: Pick<GuestCase, 'reference'> = {}): string | undefined {
  if (c.reference === 'qemu-10') return existsSync(QEMU_10) ? QEMU_10 : undefined
  return findOnPath('qemu-riscv64')
}

export function qemuAvailable(c: Pick<GuestCase, 'reference'> = {}): boolean {
  return qemuFor(c) !== undefined
}

/**
 * RVSCOPE_DIFF_SELFTEST=1 makes the "rvscope" side run qemu-riscv64 instead.
 * It exists only to check the runner and the expected outputs themselves
 * (both sides must then pass) while rvscope cannot run the programs yet.
 */
export function selfTest(): boolean {
  return process.env.RVSCOPE_DIFF_SELFTEST === '1'
}

/** Command line (program and arguments) for running a case. */
export function commandFor(emulator: Emulator, c: GuestCase, rvscopeFlags: string[] = []): string[] {
  const flags: string[] = []
  if (c.sysroot) flags.push('-L', resolveSysroot(c.sysroot))
  for (const [k, v] of Object.entries(c.env ?? {})) flags.push('-E', `${k}=${v}`)
  const program = resolve(repoRoot, c.program)
  const guest = [...flags, program, ...(c.args ?? [])]
  if (emulator === 'qemu' || selfTest()) {
    const qemu = qemuFor(c)
    if (!qemu)
      throw new Error(
        c.reference === 'qemu-10'
          ? `${QEMU_10} is missing (bash tools/fetch-qemu-user.sh)`
          : 'qemu-riscv64 is not on PATH',
      )
    return [qemu, ...guest]
  }
  return [process.execPath, join(repoRoot, 'bin', 'rvscope-riscv64.js'), ...rvscopeFlags, ...guest]
}

function signalNumber(signal: NodeJS.Signals): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0
}

/**
 * Runs a case in a fresh, empty temporary working directory (nothing is
 * copied there; the program path is absolute) and returns its result.
 */
export async function runGuest(
  emulator: Emulator,
  c: GuestCase,
  opts: { timeoutMs?: number; rvscopeFlags?: string[] } = {},
): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? c.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const cwd = mkdtempSync(join(tmpdir(), 'rvscope-guest-'))
  try {
    const [command, ...args] = commandFor(emulator, c, opts.rvscopeFlags)
    // The shell only sets RLIMIT_CORE to 0 (a guest killed by a signal must
    // not leave core files around or spend time writing them, whatever the
    // caller's limit is) and then execs the emulator.  dash exports PWD, so
    // that is removed again to keep the guest environment exact.
    const child = spawn('/bin/sh', ['-c', 'ulimit -c 0; unset PWD; exec "$@"', 'sh', command, ...args], {
      cwd,
      env: guestEnvironment(c),
      stdio: ['pipe', 'pipe', 'pipe'],
      // own process group, so that a timeout also kills forked guest processes
      detached: true,
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let outputBytes = 0
    let timedOut = false
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // the group is already gone
      }
    }
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length
      if (outputBytes > MAX_OUTPUT_BYTES) killGroup()
      else into.push(chunk)
    }
    child.stdout.on('data', collect(out))
    child.stderr.on('data', collect(err))
    // A program that exits without reading its input closes the pipe early.
    child.stdin.on('error', () => {})
    child.stdin.end(c.stdin ?? '')
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, timeoutMs)
    // Both listeners are attached before waiting: 'close' can follow 'exit'
    // within the same turn of the event loop.
    const exited = new Promise<number>((resolveStatus, reject) => {
      child.on('error', reject)
      child.on('exit', (code, signal) => {
        // Leftover guest processes would keep the output pipes open (unless the case waits for them).
        if (!c.waitForOrphans) killGroup()
        resolveStatus(code ?? 128 + (signal ? signalNumber(signal) : 0))
      })
    })
    const closed = new Promise<void>((resolveClose) => child.on('close', () => resolveClose()))
    const status = await exited
    await closed
    clearTimeout(timer)
    const files: Record<string, string | null> = {}
    for (const name of c.files ?? []) {
      const path = join(cwd, name)
      files[name] = existsSync(path) ? readFileSync(path, 'utf8') : null
    }
    return {
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      status,
      files,
      timedOut,
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
}

/** The part of a result that is compared against the expected JSON. */
export function comparable(r: GuestResult, c: GuestCase): GuestResult {
  return {
    stdout: r.stdout,
    stderr: c.ignoreStderr ? '' : r.stderr,
    status: r.status,
    files: r.files,
  }
}

/** Runs cases with at most `limit` in flight, preserving order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  })
  await Promise.all(workers)
  return results
}
