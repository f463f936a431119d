// The other engines must give the recorded results too (the default, wasm,
// runs the corpus in guest.test.ts): the JavaScript backend on every guest
// case, and the reference interpreter on the instruction-heavy ones.
// Cases whose sysroot is missing are skipped with a notice (failed under
// CI=true, as in the differential suite).
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, test } from 'node:test'
import { guestCases } from '../guest/cases.js'
import { comparable, DEFAULT_TIMEOUT_MS, loadExpected, resolveSysroot, runGuest } from './run.js'

const INTERP_SUBSET = new Set([
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
])

for (const accel of ['js', 'interp'] as const) {
  describe(`guest programs under -accel ${accel}`, { concurrency: 2 }, () => {
    for (const c of guestCases) {
      if (accel === 'interp' && !INTERP_SUBSET.has(c.name)) continue
      test(c.name, { timeout: 2 * (c.timeoutMs ?? DEFAULT_TIMEOUT_MS) }, async (t) => {
        if (c.sysroot !== undefined && !existsSync(resolveSysroot(c.sysroot))) {
          if (process.env.CI === 'true')
            assert.fail(`sysroot ${c.sysroot} is missing (required when CI=true)`)
          process.stderr.write(
            `NOTICE: ${c.name} under -accel ${accel} skipped: sysroot ${c.sysroot} is missing\n`,
          )
          t.skip('sysroot missing')
          return
        }
        const expected = loadExpected(c.name)
        assert.ok(expected, `no expected result for ${c.name}`)
        const r = await runGuest('rvscope', c, { rvscopeFlags: ['-accel', accel] })
        assert.equal(r.timedOut, false)
        assert.deepStrictEqual(comparable(r, c), comparable(expected, c))
      })
    }
  })
}
