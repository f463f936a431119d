/**
 * What the plugin tests share: the repository's paths (guest programs,
 * contrib plugins compiled or as source), a temporary directory removed
 * after a file's tests, a runner of bin/rvscope-riscv64.js that collects the
 * plugins' output from a -D file while a few emulators run at a time, and
 * assertions on runs and their logs.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after } from 'node:test'
import { fileURLToPath } from 'node:url'

/** The repository (this file runs from dist/tests/plugins/). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** A guest program of tests/guest/bin/. */
export const guest = (name: string): string => join(root, 'tests', 'guest', 'bin', name)

/**
 * contrib/plugins/NAME as compiled with the tests (dist/): it loads faster
 * than the TypeScript source, which costs each run the compiler's start-up.
 */
export const contribPath = (name: string): string => join(root, 'dist', 'contrib', 'plugins', `${name}.js`)

/** contrib/plugins/NAME's TypeScript source, as users run it (transpiled when loaded). */
export const contribSource = (name: string): string => join(root, 'contrib', 'plugins', `${name}.ts`)

/** `-plugin PATH,OPT,...` for the compiled contrib/plugins/NAME. */
export const contribPlugin = (name: string, ...opts: string[]): readonly ['-plugin', string] => [
  '-plugin',
  [contribPath(name), ...opts].join(','),
]

/** `-plugin PATH,OPT,...` for contrib/plugins/NAME's source. */
export const contribSourcePlugin = (name: string, ...opts: string[]): readonly ['-plugin', string] => [
  '-plugin',
  [contribSource(name), ...opts].join(','),
]

/** A new temporary directory named PREFIX..., removed after this file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** How a run of rvscope ended and what it printed. */
export interface Output {
  status: number | null
  stdout: string
  stderr: string
}

/** A run with -d plugin -D FILE. */
export interface Run extends Output {
  /** What the plugins wrote (the -D file). */
  log: string
}

// A few emulators at a time: each is a Node process, loading plugins.
let running = 0
const waiting: (() => void)[] = []
const MAX_RUNNING = Math.max(2, availableParallelism())

async function slot(): Promise<void> {
  if (running < MAX_RUNNING) {
    running++
    return
  }
  await new Promise<void>((go) => waiting.push(go))
}

function release(): void {
  const next = waiting.shift()
  if (next !== undefined) next()
  else running--
}

export interface RunnerOptions {
  /** rvscope options given to every run, before `-d plugin -D FILE`. */
  options?: readonly string[]
  /** Kill a run (SIGKILL) that takes longer; by default runs are not timed. */
  timeoutMs?: number
}

export interface Runner {
  /** Run rvscope with `args` (options, plugins, then the program), once a slot is free. */
  rvscope(...args: string[]): Promise<Run>
  /** The same, started at once, outside the slots (for runs that wait for each other). */
  start(args: readonly string[]): Promise<Run>
}

/**
 * Runs rvscope in `dir` (its working directory, where the -D files go) with
 * an environment holding only PATH.
 */
export function runner(dir: string, opts: RunnerOptions = {}): Runner {
  let runs = 0
  const start = (args: readonly string[]): Promise<Run> => {
    const logFile = join(dir, `plugin-${runs++}.log`)
    return new Promise<Run>((done) => {
      const child = spawn(
        process.execPath,
        [
          join(root, 'bin', 'rvscope-riscv64.js'),
          ...(opts.options ?? []),
          '-d',
          'plugin',
          '-D',
          logFile,
          ...args,
        ],
        { cwd: dir, env: { PATH: '/usr/bin:/bin' } },
      )
      const timer =
        opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs)
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (t: string) => {
        stdout += t
      })
      child.stderr.setEncoding('utf8').on('data', (t: string) => {
        stderr += t
      })
      child.on('close', (status) => {
        clearTimeout(timer)
        let log = ''
        try {
          log = readFileSync(logFile, 'utf8')
        } catch {}
        done({ status, stdout, stderr, log })
      })
    })
  }
  const rvscope = async (...args: string[]): Promise<Run> => {
    await slot()
    try {
      return await start(args)
    } finally {
      release()
    }
  }
  return { rvscope, start }
}

/** Exit status 0 (`what` names the run in the message). */
export function ok(r: Run, what?: string): void {
  assert.equal(
    r.status,
    0,
    `${what === undefined ? '' : `${what}: `}exit status ${r.status}; stderr:\n${r.stderr}\nlog:\n${r.log.slice(-3000)}`,
  )
}

/**
 * Exit status 1 and a single `rvscope-riscv64: plugin FILE: install: ...`
 * line matching `pattern` (which names the option), no stack trace.
 */
export function refused(r: Run, file: string, pattern: RegExp): void {
  assert.equal(r.status, 1, `exit status; stderr:\n${r.stderr}`)
  const lines = r.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`)
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  assert.match(lines[0]!, new RegExp(`^rvscope-riscv64: plugin ${escaped}: install: `))
  assert.match(lines[0]!, pattern)
}

/** The numbers captured by `re` (which must match exactly once, as a multiline pattern) in `text`. */
export function one(text: string, re: RegExp): bigint[] {
  const all = [...text.matchAll(new RegExp(re.source, 'gm'))]
  assert.equal(all.length, 1, `${re} should match once in:\n${text.slice(0, 3000)}`)
  return all[0]!.slice(1).map((s) => BigInt(s))
}

/** Every match of `re` in `text`, as a multiline pattern. */
export const lines = (text: string, re: RegExp): RegExpMatchArray[] => [
  ...text.matchAll(new RegExp(re.source, 'gm')),
]
