// The wasm backend (-accel wasm) must give the recorded results on the whole
// guest corpus: every case of tests/guest/cases.ts, compared with its
// expectation as the differential suite does. Cases that need a missing
// sysroot are skipped with a notice.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, test } from 'node:test'
import { guestCases } from '../guest/cases.js'
import { comparable, DEFAULT_TIMEOUT_MS, loadExpected, resolveSysroot, runGuest } from './run.js'

describe('guest programs under -accel wasm', { concurrency: 4 }, () => {
  for (const c of guestCases) {
    const missing = c.sysroot !== undefined && !existsSync(resolveSysroot(c.sysroot))
    test(c.name, {
      timeout: 2 * (c.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      skip: missing && `sysroot ${c.sysroot} is missing`,
    }, async () => {
      const expected = loadExpected(c.name)
      assert.ok(expected, `no expected result for ${c.name}`)
      const r = await runGuest('rvscope', c, { rvscopeFlags: ['-accel', 'wasm'] })
      assert.equal(r.timedOut, false)
      assert.deepStrictEqual(comparable(r, c), comparable(expected, c))
    })
  }
})
