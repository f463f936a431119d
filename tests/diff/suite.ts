// The differential suite shared by the guest corpus and the Debian
// programs: for every case, (a) rvscope's stdout, stderr, exit status and
// output files must equal the recorded expectation; (b) when qemu-riscv64 is
// on PATH it is run live too and must still produce the expectation, so a
// stale or wrong expectation cannot hide. Without qemu-riscv64 (or a needed
// sysroot) a side is skipped with a notice, except under CI=true where that
// is a failure. RVSCOPE_DIFF_SELFTEST=1 (see run.ts) runs qemu on both
// sides to check this harness itself.

import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { GuestCase } from '../guest/cases.js'
import {
  comparable,
  DEFAULT_TIMEOUT_MS,
  type Emulator,
  expectedPath,
  type GuestResult,
  loadExpected,
  qemuAvailable,
  resolveSysroot,
  runGuest,
  selfTest,
} from './run.js'

const inCI = process.env.CI === 'true'

export interface SuiteOptions {
  title: string
  cases: GuestCase[]
  /** Directory of `<name>.json` expectations. */
  expectedDir: string
  /** Command that records expectations, for the failure message. */
  acceptCommand: string
  /** How to get a missing sysroot, for the skip notice. */
  sysrootHint: string
}

export function diffSuite(o: SuiteOptions): void {
  const haveQemu = qemuAvailable()
  if (!haveQemu) {
    process.stderr.write(
      `\n*** qemu-riscv64 is not on PATH: the live qemu half of "${o.title}" is ${inCI ? 'REQUIRED in CI and will FAIL.' : 'SKIPPED.'}` +
        '\n*** Install it with: apt-get install qemu-user\n\n',
    )
  }
  if (selfTest())
    process.stderr.write('\n*** RVSCOPE_DIFF_SELFTEST=1: the "rvscope" side runs qemu-riscv64.\n\n')

  /** Why a side cannot run on this machine, if it cannot. */
  const missingPrerequisite = (c: GuestCase, emulator: Emulator): string | undefined => {
    if ((emulator === 'qemu' || selfTest()) && !qemuAvailable(c))
      return c.reference === 'qemu-10'
        ? 'QEMU 10 qemu-riscv64 is missing (bash tools/fetch-qemu-user.sh)'
        : 'qemu-riscv64 is not on PATH'
    if (c.sysroot && !existsSync(resolveSysroot(c.sysroot)))
      return `sysroot ${resolveSysroot(c.sysroot)} is missing (${o.sysrootHint})`
    return undefined
  }

  const check = async (emulator: Emulator, c: GuestCase, expected: GuestResult): Promise<void> => {
    const result = await runGuest(emulator, c)
    assert.equal(result.timedOut, false, `${c.name} timed out under ${emulator}`)
    assert.deepStrictEqual(
      comparable(result, c),
      comparable(expected, c),
      `${c.name} under ${emulator} differs from ${expectedPath(c.name, o.expectedDir)}`,
    )
  }

  const runSide = (t: { skip(msg?: string): void }, emulator: Emulator, c: GuestCase): boolean => {
    const missing = missingPrerequisite(c, emulator)
    if (missing === undefined) return true
    if (inCI) assert.fail(`${missing} (required when CI=true)`)
    process.stderr.write(`NOTICE: ${c.name} under ${emulator} skipped: ${missing}\n`)
    t.skip(missing)
    return false
  }

  describe(o.title, { concurrency: 2 }, () => {
    for (const c of o.cases) {
      const perRun = c.timeoutMs ?? DEFAULT_TIMEOUT_MS
      test(c.name, { timeout: 2 * perRun + 10_000 }, async (t) => {
        const expected = loadExpected(c.name, o.expectedDir)
        assert.ok(
          expected,
          `no expected result for ${c.name}: record it with \`${o.acceptCommand} ${c.name}\``,
        )
        if (c.sameAs) {
          assert.deepStrictEqual(
            expected,
            loadExpected(c.sameAs, o.expectedDir),
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

    test('every expected file belongs to a case', () => {
      const names = new Set(o.cases.map((c) => c.name))
      assert.equal(names.size, o.cases.length, 'case names must be unique')
      const orphans = readdirSync(o.expectedDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
        .filter((n) => !names.has(n))
      assert.deepStrictEqual(orphans, [])
    })
  })
}
