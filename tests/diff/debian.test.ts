// Differential tests over real Debian trixie riscv64 programs (busybox,
// lua, coreutils, sqlite, xz, python; tests/debian/cases.ts); see suite.ts
// for what is compared. The programs come from the git-ignored sysroot that
// tools/fetch-debian-riscv64.sh builds.
import { join } from 'node:path'
import { debianCases } from '../debian/cases.js'
import { repoRoot } from './run.js'
import { diffSuite } from './suite.js'

diffSuite({
  title: 'Debian riscv64 programs',
  cases: debianCases,
  expectedDir: join(repoRoot, 'tests', 'debian', 'expected'),
  acceptCommand: 'node tools/accept-debian.js',
  sysrootHint: 'run bash tools/fetch-debian-riscv64.sh',
})
