// The whole guest corpus under -accel lockstep: every block runs in the
// reference interpreter and in the default (tiered wasm) engine, and the
// run stops with status 1 and a LockstepMismatch report at the first block
// whose results differ. Each case must give its recorded result, so a
// mismatch shows up as a wrong status and stderr (the report). Cases whose
// sysroot is missing are skipped with a notice (failed under CI=true, as in
// the differential suite).
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, test } from 'node:test'
import { guestCases } from '../guest/cases.js'
import { comparable, DEFAULT_TIMEOUT_MS, loadExpected, resolveSysroot, runGuest } from './run.js'

describe('guest programs under -accel lockstep', { concurrency: 2 }, () => {
  for (const c of guestCases) {
    test(c.name, { timeout: 3 * (c.timeoutMs ?? DEFAULT_TIMEOUT_MS) }, async (t) => {
      if (c.sysroot !== undefined && !existsSync(resolveSysroot(c.sysroot))) {
        if (process.env.CI === 'true') assert.fail(`sysroot ${c.sysroot} is missing (required when CI=true)`)
        process.stderr.write(
          `NOTICE: ${c.name} under -accel lockstep skipped: sysroot ${c.sysroot} is missing\n`,
        )
        t.skip('sysroot missing')
        return
      }
      const expected = loadExpected(c.name)
      assert.ok(expected, `no expected result for ${c.name}`)
      const r = await runGuest('rvscope', c, {
        rvscopeFlags: ['-accel', 'lockstep'],
        timeoutMs: 2 * (c.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      })
      assert.equal(r.timedOut, false)
      // A mismatch report goes to stderr even for cases whose stderr is not compared.
      assert.doesNotMatch(r.stderr, /lockstep: .* differs from /, 'the engines disagreed')
      assert.deepStrictEqual(comparable(r, c), comparable(expected, c))
    })
  }
})
