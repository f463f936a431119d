/**
 * Codegen baselines: the IR, wasm text and JavaScript generated for the
 * blocks of blocks.ts must match tests/codegen/expected/<name>.{ir,wat,js}.
 * A mismatch prints a unified-style diff (saved → generated now); when the
 * change is intended, run `node tools/accept-codegen.js` (after
 * `npm run build`) and review the files' diff with the code change.
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { compileModule } from '../../src/backend/wasm/wasmgen.js'
import { buildBlock, codegenCases } from './blocks.js'
import { ACCEPT_COMMAND, EXPECTED_DIR, expectedPath, FORMS, render, unifiedDiff } from './render.js'

for (const c of codegenCases) {
  test(`codegen baseline ${c.name}`, async () => {
    const fresh = await render(c)
    const problems: string[] = []
    for (const form of FORMS) {
      const file = expectedPath(c.name, form)
      const label = `tests/codegen/expected/${c.name}.${form}`
      if (!existsSync(file)) {
        problems.push(`${label} is missing`)
        continue
      }
      const saved = readFileSync(file, 'utf8')
      if (saved !== fresh[form]) problems.push(unifiedDiff(saved, fresh[form], label))
    }
    if (problems.length > 0)
      assert.fail(
        `${problems.join('\n\n')}\n\nThe generated code of '${c.name}' changed. If that is intended, run ` +
          `\`${ACCEPT_COMMAND} ${c.name}\` (after \`npm run build\`) and commit the new baselines.`,
      )
  })
}

test('the generated wasm modules are valid', () => {
  for (const c of codegenCases)
    assert.ok(WebAssembly.validate(compileModule([buildBlock(c)]).bytes), `${c.name}: invalid module`)
})

test('rendering is deterministic', async () => {
  for (const c of codegenCases) assert.deepEqual(await render(c), await render(c), c.name)
})

test('every saved baseline belongs to a case', () => {
  const known = new Set(codegenCases.flatMap((c) => FORMS.map((f) => `${c.name}.${f}`)))
  const stray = readdirSync(EXPECTED_DIR).filter((f) => !known.has(f))
  assert.deepEqual(stray, [], `stray files in tests/codegen/expected (run \`${ACCEPT_COMMAND} --prune\`)`)
})

test('the diff shows the changed lines with context', () => {
  const old = 'a\nb\nc\nd\ne\nf\ng\n'
  const now = 'a\nb\nc\nD\ne\nf\ng\nh\n'
  assert.equal(
    unifiedDiff(old, now, 'x'),
    [
      '--- x (saved)',
      '+++ x (generated now)',
      '@@ -1,8 +1,9 @@',
      ' a',
      ' b',
      ' c',
      '-d',
      '+D',
      ' e',
      ' f',
      ' g',
      '+h',
      ' ',
    ].join('\n'),
  )
})
