#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Usage: node tools/run-tests.js [name-filter…]  (after `npm run build`)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const dist = join(root, 'dist')

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) collect(p, out)
    else if (name.endsWith('.test.js')) out.push(p)
  }
  return out
}

const filters = process.argv.slice(2)
const files = collect(dist, [])
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
if (files.length === 0) {
  console.error('no test files found under dist/: run `npm run build` first')
  process.exit(1)
}
console.error(`running ${files.length} test files: ${files.map((f) => relative(dist, f)).join(', ')}`)
// Human-readable progress on stdout; a TAP copy for the closing summary line.
const tmp = mkdtempSync(join(tmpdir(), 'rvscope-tests-'))
const tap = join(tmp, 'results.tap')
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
)
const count = (key) => {
  try {
    const m = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(readFileSync(tap, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}
const [pass, fail, skipped] = [count('pass'), count('fail'), count('skipped')]
rmSync(tmp, { recursive: true, force: true })
console.log(`${pass} passed, ${fail} failed, ${skipped} skipped`)
process.exit(r.status === 0 && fail === 0 ? 0 : 1)
