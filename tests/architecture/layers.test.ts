/**
 * The one-way import rule between layers (STYLE: core → ir → target →
 * backend → exec → linux-user | hw → plugins → cli | web): a file may import
 * only from its own layer or a lower one; linux-user and hw never import
 * each other; the layers below linux-user compile without Node (no `node:`
 * imports), so they can run in a browser.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..')
const src = join(root, 'src')

const RANK: Record<string, number> = {
  core: 0,
  ir: 1,
  target: 2,
  backend: 3,
  exec: 4,
  'linux-user': 5,
  hw: 5,
  plugins: 6,
  cli: 7,
  web: 7,
}
/** Layers that must not depend on Node.js. */
const PORTABLE = new Set(['core', 'ir', 'target', 'backend', 'exec'])

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) files(p, out)
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

const layerOf = (file: string): string => relative(src, file).split('/')[0]!

test('every source file lives in a known layer', () => {
  for (const f of files(src))
    assert.ok(layerOf(f) in RANK, `${relative(root, f)} is outside the known layers`)
})

test('imports only go down the layers', () => {
  const problems: string[] = []
  const importRe = /^\s*(?:import|export)\b[^'"]*from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm
  for (const f of files(src)) {
    const from = layerOf(f)
    const text = readFileSync(f, 'utf8')
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2]!
      if (spec.startsWith('node:')) {
        if (PORTABLE.has(from))
          problems.push(`${relative(root, f)}: imports ${spec}, but ${from} must not depend on Node`)
        continue
      }
      if (!spec.startsWith('.')) continue
      const to = layerOf(resolve(dirname(f), spec))
      if (!(to in RANK)) continue
      const cross = (from === 'linux-user' && to === 'hw') || (from === 'hw' && to === 'linux-user')
      if (RANK[to]! > RANK[from]! || cross)
        problems.push(`${relative(root, f)}: ${from} imports ${to} (${spec})`)
    }
  }
  assert.deepEqual(problems, [])
})
