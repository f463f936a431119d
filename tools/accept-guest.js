#!/usr/bin/env node
// accept-guest.js: records the expected results of guest test cases
// (tests/guest/expected/<name>.json) by running them under qemu-riscv64,
// exactly as tests/diff/guest.test.ts runs them.  Each case is run twice and
// only written when both runs agree, so a nondeterministic program is caught
// here rather than as a flaky test.
//
//   node tools/accept-guest.js            record every case qemu can run
//   node tools/accept-guest.js NAME…      record the named cases
//   node tools/accept-guest.js --check …  compare with the files, write nothing
//
// Cases marked `qemu: false` are never overwritten: their expectations are
// written by hand (the case list says how they were derived).
// Needs `npm run build` first: it uses the compiled case list and runner.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const compiledCases = join(root, 'dist', 'tests', 'guest', 'cases.js')
const compiledRunner = join(root, 'dist', 'tests', 'diff', 'run.js')

if (!existsSync(compiledCases) || !existsSync(compiledRunner)) {
  console.error('accept-guest: compiled test sources not found; run `npm run build` first')
  process.exit(2)
}
for (const [src, out] of [
  [join(root, 'tests', 'guest', 'cases.ts'), compiledCases],
  [join(root, 'tests', 'diff', 'run.ts'), compiledRunner],
]) {
  if (statSync(src).mtimeMs > statSync(out).mtimeMs)
    console.error(`accept-guest: warning: ${out} is older than ${src}; run \`npm run build\``)
}

const { guestCases } = await import(pathToFileURL(compiledCases).href)
const run = await import(pathToFileURL(compiledRunner).href)

if (!run.qemuAvailable()) {
  console.error('accept-guest: qemu-riscv64 is not on PATH (apt-get install qemu-user)')
  process.exit(2)
}

const argv = process.argv.slice(2)
const checkOnly = argv.includes('--check')
const names = argv.filter((a) => a !== '--check')
const byName = new Map(guestCases.map((c) => [c.name, c]))
for (const n of names) {
  if (!byName.has(n)) {
    console.error(`accept-guest: no case named '${n}'`)
    process.exit(2)
  }
}
const explicit = names.length > 0
const selected = explicit ? names.map((n) => byName.get(n)) : guestCases

let failures = 0
const runnable = []
for (const c of selected) {
  if (c.qemu === false) {
    const msg = `${c.name}: qemu-riscv64 cannot run it; edit ${run.expectedPath(c.name)} by hand`
    if (explicit && !checkOnly) {
      console.error(`accept-guest: refusing to record ${msg}`)
      failures++
    } else {
      console.log(`skip   ${msg}`)
    }
    continue
  }
  if (!run.qemuAvailable(c)) {
    console.error(`accept-guest: ${c.name} needs QEMU 10 (bash tools/fetch-qemu-user.sh)`)
    failures++
    continue
  }
  runnable.push(c)
}

const once = async (c) => {
  const r = await run.runGuest('qemu', c)
  if (r.timedOut) throw new Error(`${c.name} timed out`)
  return run.comparable(r, c)
}

// Two at a time: the test machines have two cores.
await run.mapLimit(runnable, 2, async (c) => {
  try {
    const first = await once(c)
    const second = await once(c)
    if (!isDeepStrictEqual(first, second)) {
      console.error(`FAIL   ${c.name}: two qemu runs differ, the program is not deterministic`)
      failures++
      return
    }
    const file = run.expectedPath(c.name)
    const text = run.formatExpected(first)
    const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined
    if (checkOnly) {
      if (old === text) console.log(`same   ${c.name}`)
      else {
        console.error(`DIFF   ${c.name}: qemu result differs from ${file}`)
        failures++
      }
    } else if (old === text) {
      console.log(`same   ${c.name}`)
    } else {
      writeFileSync(file, text)
      console.log(`${old === undefined ? 'new   ' : 'update'} ${c.name} (status ${first.status})`)
    }
  } catch (e) {
    console.error(`FAIL   ${c.name}: ${e instanceof Error ? e.message : e}`)
    failures++
  }
})

process.exitCode = failures ? 1 : 0
