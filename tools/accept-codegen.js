#!/usr/bin/env node
// accept-codegen.js: records the codegen baselines,
// tests/codegen/expected/<name>.{ir,wat,js}: the IR, wasm text and
// JavaScript generated for the blocks of tests/codegen/blocks.ts, exactly as
// tests/codegen/codegen.test.ts generates them to compare.  Run it when a
// change to the translator or a backend is meant to change generated code,
// and review the baselines' diff along with the change.
//
//   node tools/accept-codegen.js            record every case
//   node tools/accept-codegen.js NAME…      record the named cases
//   node tools/accept-codegen.js --check …  compare with the files, write nothing
//   node tools/accept-codegen.js --prune    also delete files of cases that are gone
//
// Needs `npm run build` first: it uses the compiled blocks and renderer.

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const compiledBlocks = join(root, 'dist', 'tests', 'codegen', 'blocks.js')
const compiledRender = join(root, 'dist', 'tests', 'codegen', 'render.js')

if (!existsSync(compiledBlocks) || !existsSync(compiledRender)) {
  console.error('accept-codegen: compiled test sources not found; run `npm run build` first')
  process.exit(2)
}
for (const [src, out] of [
  [join(root, 'tests', 'codegen', 'blocks.ts'), compiledBlocks],
  [join(root, 'tests', 'codegen', 'render.ts'), compiledRender],
]) {
  if (statSync(src).mtimeMs > statSync(out).mtimeMs)
    console.error(`accept-codegen: warning: ${out} is older than ${src}; run \`npm run build\``)
}

const { codegenCases } = await import(pathToFileURL(compiledBlocks).href)
const { EXPECTED_DIR, FORMS, expectedPath, render, unifiedDiff } = await import(
  pathToFileURL(compiledRender).href
)

const argv = process.argv.slice(2)
const checkOnly = argv.includes('--check')
const prune = argv.includes('--prune')
const names = argv.filter((a) => !a.startsWith('--'))
for (const a of argv) {
  if (a.startsWith('--') && a !== '--check' && a !== '--prune') {
    console.error(`accept-codegen: unknown option ${a}`)
    process.exit(2)
  }
}
const byName = new Map(codegenCases.map((c) => [c.name, c]))
for (const n of names) {
  if (!byName.has(n)) {
    console.error(`accept-codegen: no case named '${n}' (cases: ${[...byName.keys()].join(', ')})`)
    process.exit(2)
  }
}
const selected = names.length > 0 ? names.map((n) => byName.get(n)) : codegenCases

let differing = 0
if (!checkOnly) mkdirSync(EXPECTED_DIR, { recursive: true })
for (const c of selected) {
  const fresh = await render(c)
  for (const form of FORMS) {
    const file = expectedPath(c.name, form)
    const label = `${c.name}.${form}`
    const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined
    if (old === fresh[form]) {
      console.log(`same   ${label}`)
    } else if (checkOnly) {
      console.error(
        old === undefined ? `MISSING ${label}` : `DIFF   ${label}\n${unifiedDiff(old, fresh[form], label)}`,
      )
      differing++
    } else {
      writeFileSync(file, fresh[form])
      console.log(`${old === undefined ? 'new   ' : 'update'} ${label}`)
    }
  }
}

// Files no case produces any more.
const known = new Set(codegenCases.flatMap((c) => FORMS.map((f) => `${c.name}.${f}`)))
for (const f of existsSync(EXPECTED_DIR) ? readdirSync(EXPECTED_DIR).sort() : []) {
  if (known.has(f)) continue
  if (prune && !checkOnly) {
    unlinkSync(join(EXPECTED_DIR, f))
    console.log(`delete ${f}`)
  } else {
    console.error(`stray  ${f}: no case produces it (--prune deletes it)`)
    if (checkOnly) differing++
  }
}

process.exitCode = differing ? 1 : 0
