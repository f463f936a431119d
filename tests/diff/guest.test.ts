// Differential tests over the guest-program corpus (tests/guest/cases.ts).
// For every case: (a) rvscope's stdout, stderr, exit status and output files
// must equal the recorded expectation in tests/guest/expected/<name>.json;
// (b) when qemu-riscv64 is on PATH it is run live too and must still produce
// the expectation, so a stale or wrong expectation cannot hide.  Without
// qemu-riscv64, (b) is skipped with a notice, except under CI=true where
// that is a failure.  RVSCOPE_DIFF_SELFTEST=1 (see run.ts) runs qemu on both
// sides to check this harness itself.

import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { type GuestCase, guestCases } from '../guest/cases.js'
import {
  comparable,
  DEFAULT_TIMEOUT_MS,
  type Emulator,
  expectedPath,
  type GuestResult,
  loadExpected,
  qemuAvailable,
  repoRoot,
  resolveSysroot,
  runGuest,
  selfTest,
} from './run.js'

const inCI = process.env.CI === 'true'
const haveQemu = qemuAvailable()

if (!haveQemu) {
  process.stderr.write(
    '\n*** qemu-riscv64 is not on PATH: the live qemu half of the guest differential tests is ' +
      (inCI ? 'REQUIRED in CI and will FAIL.' : 'SKIPPED.') +
      '\n*** Install it with: apt-get install qemu-user\n\n',
  )
}
if (selfTest()) {
  process.stderr.write('\n*** RVSCOPE_DIFF_SELFTEST=1: the "rvscope" side runs qemu-riscv64.\n\n')
}

/** Why a case cannot run on this machine, if it cannot. */
function missingPrerequisite(c: GuestCase, emulator: Emulator): string | undefined {
  if ((emulator === 'qemu' || selfTest()) && !haveQemu) return 'qemu-riscv64 is not on PATH'
  if (c.sysroot && !existsSync(resolveSysroot(c.sysroot)))
    return `sysroot ${resolveSysroot(c.sysroot)} is missing (Debian package libc6-riscv64-cross)`
  return undefined
}

async function check(emulator: Emulator, c: GuestCase, expected: GuestResult): Promise<void> {
  const result = await runGuest(emulator, c)
  assert.equal(result.timedOut, false, `${c.name} timed out under ${emulator}`)
  assert.deepStrictEqual(
    comparable(result, c),
    comparable(expected, c),
    `${c.name} under ${emulator} differs from ${expectedPath(c.name)}`,
  )
}

function runSide(t: { skip(msg?: string): void }, emulator: Emulator, c: GuestCase) {
  const missing = missingPrerequisite(c, emulator)
  if (missing && !inCI) {
    t.skip(missing)
    return undefined
  }
  if (missing) assert.fail(`${missing} (required when CI=true)`)
  return emulator
}

describe('guest programs', { concurrency: 2 }, () => {
  for (const c of guestCases) {
    const perRun = c.timeoutMs ?? DEFAULT_TIMEOUT_MS
    test(c.name, { timeout: 2 * perRun + 10_000 }, async (t) => {
      const expected = loadExpected(c.name)
      assert.ok(
        expected,
        `no expected result for ${c.name}: record it with \`node tools/accept-guest.js ${c.name}\``,
      )
      if (c.sameAs) {
        assert.deepStrictEqual(
          expected,
          loadExpected(c.sameAs),
          `${c.name}'s expected result must equal ${c.sameAs}'s`,
        )
      }
      await t.test('rvscope', async (st) => {
        if (selfTest() && c.qemu === false) {
          st.skip('self-test: qemu-riscv64 stands in for rvscope and cannot run this program')
          return
        }
        if (runSide(st, 'rvscope', c)) await check('rvscope', c, expected)
      })
      await t.test('qemu-riscv64', async (st) => {
        if (c.qemu === false) {
          st.skip('qemu-riscv64 7.2 cannot run this program')
          return
        }
        if (runSide(st, 'qemu', c)) await check('qemu', c, expected)
      })
    })
  }
})

test('every expected file belongs to a case', () => {
  const names = new Set(guestCases.map((c) => c.name))
  assert.equal(names.size, guestCases.length, 'case names must be unique')
  const dir = join(repoRoot, 'tests', 'guest', 'expected')
  const orphans = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((n) => !names.has(n))
  assert.deepStrictEqual(orphans, [])
})
