#!/usr/bin/env node
// Regenerates tests/debian/expected/<name>.json for the cases in
// tests/debian/cases.ts by running each one under qemu-riscv64, the reference
// rvscope must match.
//
// Usage: node tools/accept-debian.js [case-name...]   (default: every case)
//
// Each case runs in a fresh empty directory with PATH=/usr/bin:/bin, LANG=C
// and its own env, as `qemu-riscv64 -L <sysroot> <program> <args>`. A case is
// refused (its expected file left as it was, exit status 1) when it is not
// reproducible: two runs differ, it times out or dies by a signal, it prints
// something that is not UTF-8 text or that names the directories it ran in,
// or it execs another program, which qemu-riscv64 would run as a host
// program instead of a guest one.

import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const CASES_TS = join(ROOT, 'tests/debian/cases.ts')
const EXPECTED = join(ROOT, 'tests/debian/expected')
const QEMU = 'qemu-riscv64'
const BASE_ENV = { PATH: '/usr/bin:/bin', LANG: 'C' }
const DEFAULT_TIMEOUT_MS = 30000

function fail(message) {
  console.error(`accept-debian: ${message}`)
  process.exit(1)
}

// The cases module only has a type import, so transpiling it alone (no build
// of the whole tree) is enough to load it.
async function loadCases() {
  const { outputText } = ts.transpileModule(readFileSync(CASES_TS, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  })
  const mod = await import(`data:text/javascript,${encodeURIComponent(outputText)}`)
  return mod.debianCases
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function text(buf, what) {
  try {
    return utf8.decode(buf)
  } catch {
    throw new Error(`${what} is not UTF-8 text`)
  }
}

/** One run in a fresh directory; with `traceFile`, qemu logs syscalls there. */
function runOnce(c, traceFile) {
  const dir = mkdtempSync(join(tmpdir(), 'rvscope-debian-'))
  try {
    const trace = traceFile ? ['-strace', '-D', traceFile] : []
    const args = [...trace, '-L', join(ROOT, c.sysroot), join(ROOT, c.program), ...(c.args ?? [])]
    const r = spawnSync(QEMU, args, {
      cwd: dir,
      env: { ...BASE_ENV, ...c.env },
      input: c.stdin ?? '',
      timeout: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBuffer: 64 << 20,
    })
    if (r.error) throw new Error(`${QEMU} failed: ${r.error.message}`)
    if (r.signal) throw new Error(`killed by ${r.signal}`)
    const files = {}
    for (const name of c.files ?? []) {
      const path = join(dir, name)
      files[name] = existsSync(path) ? text(readFileSync(path), `file ${name}`) : null
    }
    const result = {
      stdout: text(r.stdout, 'stdout'),
      stderr: text(r.stderr, 'stderr'),
      status: r.status,
      files,
    }
    const all = JSON.stringify(result)
    for (const place of [dir, ROOT]) {
      if (all.includes(place)) throw new Error(`output names ${place}, so it differs from machine to machine`)
    }
    return result
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// A successful execve has no "= result" in qemu's trace: the process image is
// gone. Failed attempts (busybox trying /proc/self/exe first) are fine.
function execsAnotherProgram(c) {
  const traceDir = mkdtempSync(join(tmpdir(), 'rvscope-debian-trace-'))
  try {
    const traceFile = join(traceDir, 'strace.log')
    runOnce(c, traceFile)
    const log = existsSync(traceFile) ? readFileSync(traceFile, 'latin1') : ''
    return log.split('\n').find((line) => line.includes(' execve(') && !line.includes(' = -1 errno='))
  } finally {
    rmSync(traceDir, { recursive: true, force: true })
  }
}

function accept(c) {
  const first = runOnce(c)
  const second = runOnce(c)
  if (JSON.stringify(first) !== JSON.stringify(second)) throw new Error('two runs gave different results')
  const exec = execsAnotherProgram(c)
  if (exec) throw new Error(`execs another program (${exec.trim().slice(0, 120)})`)
  return first
}

const cases = await loadCases()
const wanted = process.argv.slice(2)
const unknown = wanted.filter((n) => !cases.some((c) => c.name === n))
if (unknown.length > 0) fail(`no such case: ${unknown.join(', ')}`)
const selected = wanted.length > 0 ? cases.filter((c) => wanted.includes(c.name)) : cases

const probe = spawnSync(QEMU, ['--version'])
if (probe.error || probe.status !== 0) fail(`${QEMU} not found: install Debian's qemu-user package`)
for (const c of selected) {
  if (!c.sysroot || !existsSync(join(ROOT, c.sysroot, 'usr'))) {
    fail(`sysroot ${c.sysroot} is missing: run tools/fetch-debian-riscv64.sh first`)
  }
  if (!existsSync(join(ROOT, c.program))) fail(`${c.name}: ${c.program} does not exist in the sysroot`)
}

mkdirSync(EXPECTED, { recursive: true })
const refused = []
for (const c of selected) {
  try {
    const result = accept(c)
    writeFileSync(join(EXPECTED, `${c.name}.json`), `${JSON.stringify(result, null, 2)}\n`)
    console.log(`ok       ${c.name} (status ${result.status})`)
  } catch (e) {
    refused.push(c.name)
    console.log(`REFUSED  ${c.name}: ${e.message}`)
  }
}

// Expected files of cases that no longer exist would only mislead the runner.
if (wanted.length === 0) {
  const names = new Set(cases.map((c) => `${c.name}.json`))
  for (const f of readdirSync(EXPECTED)) {
    if (f.endsWith('.json') && !names.has(f)) {
      unlinkSync(join(EXPECTED, f))
      console.log(`removed  ${f}`)
    }
  }
}

console.log(`${selected.length - refused.length} accepted, ${refused.length} refused`)
if (refused.length > 0) process.exit(1)
