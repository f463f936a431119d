// Differential tests over the project's guest-program corpus
// (tests/guest/cases.ts); see suite.ts for what is compared.
import { guestCases } from '../guest/cases.js'
import { GUEST_EXPECTED } from './run.js'
import { diffSuite } from './suite.js'

diffSuite({
  title: 'guest programs',
  cases: guestCases,
  expectedDir: GUEST_EXPECTED,
  acceptCommand: 'node tools/accept-guest.js',
  sysrootHint: 'Debian package libc6-riscv64-cross',
})
