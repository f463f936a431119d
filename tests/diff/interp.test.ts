// The reference interpreter (-accel interp) must give the recorded results
// too: the corpus programs that exercise every extension, run on the engine
// that the faster backends are checked against.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { guestCases } from '../guest/cases.js'
import { comparable, loadExpected, runGuest } from './run.js'

const SUBSET = [
  'asm-rv64i',
  'asm-rvc',
  'asm-mext',
  'asm-aext',
  'asm-fpu',
  'asm-zbx',
  'asm-zicond',
  'asm-smc',
  'hello',
  'intarith',
  'libm',
  'signals',
]

for (const name of SUBSET) {
  const c = guestCases.find((x) => x.name === name)
  test(`${name} under -accel interp`, { timeout: 120_000 }, async () => {
    assert.ok(c, `no guest case ${name}`)
    const expected = loadExpected(name)
    assert.ok(expected, `no expected result for ${name}`)
    const r = await runGuest('rvscope', c, { rvscopeFlags: ['-accel', 'interp'] })
    assert.equal(r.timedOut, false)
    assert.deepStrictEqual(comparable(r, c), comparable(expected, c))
  })
}
