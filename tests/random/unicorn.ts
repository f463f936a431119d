/**
 * Driver of tests/random/unicorn_runner.py: one Python process per batch of
 * jobs, JSON lines both ways.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DATA_BASE, type InitState } from './generate.js'
import type { RunError, State } from './rvscope-runner.js'

/** Found by walking up from this file (it runs from dist/tests/random/). */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tests', 'random'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the repository root')
    dir = parent
  }
})()

export const RUNNER = join(repoRoot, 'tests', 'random', 'unicorn_runner.py')
/** Debian's python3 has the unicorn module; RVSCOPE_PYTHON overrides. */
export const PYTHON =
  process.env.RVSCOPE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')

/** Why Unicorn cannot be used here, or undefined if it can. */
export function unicornMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import unicorn, unicorn.riscv_const; print(unicorn.__version__)'], {
    encoding: 'utf8',
  })
  if (r.error) return `${PYTHON} cannot be run (${r.error.message})`
  if (r.status !== 0) return `${PYTHON} has no unicorn module (Debian: apt-get install python3-unicorn)`
  return undefined
}

export interface UnicornJob {
  id: number
  codeBase: number
  code: Uint8Array
  start: number
  syncs: number[]
  init: InitState
  step?: boolean
  maxSteps?: number
  /** Step mode: keep the whole data region in every state (for reports). */
  fullData?: boolean
}

export interface UnicornResult {
  id: number
  states: State[]
  error?: RunError
}

const hex = (v: bigint): string => `0x${v.toString(16)}`

interface RawState {
  pc: string
  x: string[]
  f: string[]
  fcsr: number
  data: string
  bytes?: string
}

const parseState = (s: RawState): State => ({
  pc: BigInt(s.pc),
  x: s.x.map((v) => BigInt(v)),
  f: s.f.map((v) => BigInt(v)),
  fcsr: s.fcsr,
  data: s.data,
  ...(s.bytes !== undefined ? { bytes: new Uint8Array(Buffer.from(s.bytes, 'base64')) } : {}),
})

/**
 * Run jobs in one Unicorn process; results in job order. Input and output go
 * through files so that the child never waits for this process's event loop
 * (the caller runs rvscope synchronously meanwhile).
 */
export function runUnicorn(jobs: UnicornJob[]): Promise<UnicornResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rvscope-unicorn-'))
  const input = join(dir, 'jobs.jsonl')
  const output = join(dir, 'results.jsonl')
  writeFileSync(input, `${jobs.map(jobJson).join('\n')}\n`)
  return new Promise<UnicornResult[]>((resolve, reject) => {
    const child = spawn(PYTHON, [RUNNER, input, output], { stdio: ['ignore', 'ignore', 'pipe'] })
    const err: Buffer[] = []
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`unicorn_runner.py exited with ${code}: ${Buffer.concat(err).toString('utf8')}`))
        return
      }
      const lines = readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
      const results = lines.map((l) => {
        const r = JSON.parse(l) as {
          id: number
          segs?: RawState[]
          steps?: RawState[]
          error?: { msg: string; pc: string }
        }
        const res: UnicornResult = { id: r.id, states: (r.segs ?? r.steps ?? []).map(parseState) }
        if (r.error) res.error = { msg: r.error.msg, pc: BigInt(r.error.pc) }
        return res
      })
      if (results.length !== jobs.length) {
        reject(new Error(`unicorn_runner.py answered ${results.length} of ${jobs.length} jobs`))
        return
      }
      resolve(results)
    })
  }).finally(() => rmSync(dir, { recursive: true, force: true }))
}

const jobJson = (j: UnicornJob): string =>
  JSON.stringify({
    id: j.id,
    code_base: j.codeBase,
    code: Buffer.from(j.code).toString('base64'),
    data_base: DATA_BASE,
    data: Buffer.from(j.init.data).toString('base64'),
    x: j.init.x.map(hex),
    f: j.init.f.map(hex),
    fcsr: j.init.fcsr,
    start: j.start,
    syncs: j.syncs,
    step: j.step ?? false,
    max_steps: j.maxSteps ?? 1_000_000,
    full_data: j.fullData ?? false,
  })
