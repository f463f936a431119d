/**
 * Plugins see what QEMU's plugins see. On the guest corpus:
 * - instruction, block, memory-read and memory-write counts from
 *   fixtures/count.ts (inline ops) equal those of qemu/count.c (callbacks)
 *   loaded into Debian's qemu-riscv64 7.2, under `-compat qemu-7.2`;
 * - instruction and block counts equal QEMU 10.0's (which has no plugin
 *   support: its `-d exec,nochain` trace lines are counted), under
 *   `-compat qemu-10`, and the default mode counts one instruction more
 *   per glibc start-up (glibc storing that set_robust_list worked, which
 *   QEMU refuses);
 * - register values read by a plugin before every instruction equal the
 *   state `qemu-riscv64 -singlestep -d cpu,fpu,nochain` prints;
 * - contrib/plugins/execlog.ts's PC sequence equals
 *   `qemu-riscv64 -singlestep -d exec,nochain`.
 *
 * rvscope runs with `-compat qemu-7.2` (the same system calls missing,
 * the same translator page-end rule), so that start-up work and block
 * boundaries are those of that QEMU. Programs whose counts depend on
 * scheduling, the file system, the environment, or that fork (QEMU counts
 * each process in its own plugin instance) are left out.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, test } from 'node:test'
import { execLog, needQemu10, qemu10Counts, runWithLog } from '../qemu-reference.js'
import { buildQemuCountPlugin } from './qemu-count.js'

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..')
const guest = (name: string) => join(root, 'tests', 'guest', 'bin', name)
const fixture = (name: string) => join(root, 'tests', 'plugins', 'fixtures', name)
const sysroot = join(root, '.cache', 'debian-riscv64', 'sysroot')
const dir = mkdtempSync(join(tmpdir(), 'rvscope-fidelity-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const inCI = process.env.CI === 'true'

/** Deterministic programs of the corpus (static, or dynamic with the Debian sysroot). */
const COUNTED = [
  'asm-aext',
  'asm-fpu',
  'asm-hello',
  'asm-mext',
  'asm-rv64i',
  'asm-rvc',
  'asm-smc',
  'asm-zbx',
  'asm-zicond-ref',
  'cxx',
  'exec',
  'exit42',
  'hello',
  'intarith',
  'libm',
  'malloc',
  'mmap',
  'setjmp',
  'signals',
  'stdin',
  'strings',
  'sys',
]
const COUNTED_DYNAMIC = ['hello-dyn', 'cxx-dyn']

/** Run a command with stdin closed and the log in a file; returns the log. */
const runLogged = (cmd: string, args: string[], log: string): string => runWithLog(cmd, args, log, dir)

const rvscopeArgs = (...args: string[]) => [
  join(root, 'bin', 'rvscope-riscv64.js'),
  '-compat',
  'qemu-7.2',
  ...args,
]

function needQemu(
  t: { skip(msg: string): void },
  plugin: string | undefined,
  what: string,
): plugin is string {
  if (plugin !== undefined) return true
  if (inCI)
    assert.fail(`gcc and qemu-riscv64 are required under CI for ${what} (apt-get install gcc qemu-user)`)
  process.stderr.write(`NOTICE: gcc or qemu-riscv64 missing: ${what} SKIPPED\n`)
  t.skip('gcc or qemu-riscv64 missing')
  return false
}

for (const name of [...COUNTED, ...COUNTED_DYNAMIC]) {
  const dynamic = COUNTED_DYNAMIC.includes(name)
  test(`counts of ${name} equal QEMU's`, { timeout: 300_000 }, async (t) => {
    const so = await buildQemuCountPlugin()
    if (!needQemu(t, so, 'plugin count comparisons')) return
    if (dynamic && !existsSync(sysroot)) {
      if (inCI) assert.fail('the Debian sysroot is required under CI (bash tools/fetch-debian-riscv64.sh)')
      t.skip('no Debian sysroot')
      return
    }
    const lib = dynamic ? ['-L', sysroot] : []
    const log = join(dir, `${name}.log`)
    const q = runLogged('qemu-riscv64', [...lib, '-plugin', so, '-d', 'plugin', '-D', log, guest(name)], log)
    const r = runLogged(
      process.execPath,
      rvscopeArgs(...lib, '-plugin', fixture('count.ts'), '-d', 'plugin', '-D', log, guest(name)),
      log,
    )
    assert.match(q, /^insns: \d+\nblocks: \d+\nmem_reads: \d+\nmem_writes: \d+\n$/)
    assert.equal(r, q)
  })
}

/**
 * The static programs of COUNTED whose counts do not depend on where
 * mappings land: QEMU 10 places them at randomized host addresses, and
 * `mmap` takes a few instructions more or fewer from run to run there.
 */
const COUNTED_QEMU_10 = COUNTED.filter((n) => n !== 'mmap')
/** Static programs whose start-up is glibc's. */
const GLIBC_STATIC = new Set(COUNTED_QEMU_10.filter((n) => !n.startsWith('asm-')))

/** insns and blocks from fixtures/count.ts under rvscope with `compat` (empty environment, as qemu10Counts). */
function rvscopeCounts(name: string, compat: string): { insns: number; blocks: number } {
  const opts = [
    join(root, 'bin', 'rvscope-riscv64.js'),
    '-compat',
    compat,
    '-plugin',
    fixture('count.ts'),
    '-d',
    'plugin',
  ]
  const text = execLog(process.execPath, opts, guest(name), dir, `${name}.${compat}`)
  const get = (key: string) => Number(new RegExp(`^${key}: (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
  return { insns: get('insns'), blocks: get('blocks') }
}

for (const name of COUNTED_QEMU_10) {
  test(`instruction and block counts of ${name} equal QEMU 10's under -compat qemu-10`, {
    timeout: 300_000,
  }, async (t) => {
    if (!needQemu10(t)) return
    const q = await qemu10Counts(guest(name), dir)
    assert.ok(q.insns > 0, 'QEMU 10 executed nothing')
    assert.deepEqual(rvscopeCounts(name, 'qemu-10'), q)
    if (GLIBC_STATIC.has(name)) {
      const linux = rvscopeCounts(name, 'linux')
      assert.equal(linux.insns, q.insns + 1, 'default mode: one instruction more for glibc start-up')
    }
  })
}

/** QEMU's `-d cpu,fpu` states: one map of register name (ABI) → value per instruction. */
function qemuStates(log: string): Map<string, bigint>[] {
  const states: Map<string, bigint>[] = []
  let cur: Map<string, bigint> | undefined
  for (const line of log.split('\n')) {
    if (line.startsWith(' pc ')) {
      cur = new Map([['pc', BigInt(`0x${line.slice(4).trim()}`)]])
      states.push(cur)
      continue
    }
    if (cur === undefined) continue
    for (const m of line.matchAll(/[xf]\d+\/(\w+)\s+([0-9a-f]{16})/g)) cur.set(m[1]!, BigInt(`0x${m[2]}`))
  }
  return states
}

/** The probe's `regs` output: register names, then one line of values per instruction. */
function probeStates(log: string): Map<string, bigint>[] {
  const lines = log.split('\n')
  const names = lines
    .find((l) => l.startsWith('registers: '))!
    .slice(11)
    .split(' ')
    .map((n) => n.split(':')[0]!)
  return lines
    .filter((l) => l.startsWith('0x'))
    .map((l) => new Map(l.split(' ').map((v, i) => [names[i]!, BigInt(v)])))
}

// Assembly programs: glibc's start-up reads AT_RANDOM, whose bytes differ from run to run.
for (const name of ['asm-fpu', 'asm-aext', 'asm-mext', 'asm-zbx']) {
  test(`registers seen by a plugin before each instruction of ${name} equal QEMU's single-step state`, {
    timeout: 300_000,
  }, (t) => {
    if (
      !needQemu(t, spawnSync('qemu-riscv64', ['-version']).error ? undefined : 'qemu', 'register comparisons')
    )
      return
    const log = join(dir, `${name}.regs`)
    const q = qemuStates(
      runLogged('qemu-riscv64', ['-singlestep', '-d', 'cpu,fpu,nochain', '-D', log, guest(name)], log),
    )
    const r = probeStates(
      runLogged(
        process.execPath,
        rvscopeArgs('-plugin', `${fixture('probe.ts')},mode=regs`, '-d', 'plugin', '-D', log, guest(name)),
        log,
      ),
    )
    assert.ok(q.length > 100, `qemu states: ${q.length}`)
    assert.equal(r.length, q.length, 'instructions executed')
    // Thread ids differ between the two runs: the tid set_tid_address (a7 = 96) returns maps to QEMU's.
    let ourTid: bigint | undefined
    let qemuTid: bigint | undefined
    for (let i = 0; i < q.length; i++) {
      if (
        i > 0 &&
        ourTid === undefined &&
        r[i - 1]!.get('a7') === 96n &&
        r[i]!.get('a0') !== q[i]!.get('a0')
      ) {
        ourTid = r[i]!.get('a0')
        qemuTid = q[i]!.get('a0')
      }
      for (const [reg, v] of q[i]!) {
        const ours = r[i]!.get(reg)
        if (ours !== v && !(ours === ourTid && v === qemuTid))
          assert.fail(
            `instruction ${i} (pc 0x${q[i]!.get('pc')!.toString(16)}): ${reg} is 0x${ours?.toString(16)}, QEMU 0x${v.toString(16)}`,
          )
      }
    }
  })
}

/** PCs of QEMU's `-d exec,nochain` trace under -singlestep: one per instruction. */
const tracePcs = (log: string): string[] =>
  [...log.matchAll(/^Trace \d+: \S+ \[[0-9a-f]+\/([0-9a-f]+)\//gm)].map((m) =>
    BigInt(`0x${m[1]}`).toString(16),
  )

/** PCs of execlog lines (`vcpu, 0xPC, 0xOPCODE, "disassembly"...`). */
const execlogPcs = (log: string): string[] =>
  [...log.matchAll(/^\d+, 0x([0-9a-f]+), 0x[0-9a-f]+, "/gm)].map((m) => BigInt(`0x${m[1]}`).toString(16))

for (const name of ['hello', 'asm-rvc', 'setjmp']) {
  test(`execlog's PC sequence for ${name} equals qemu-riscv64 -singlestep -d exec,nochain`, {
    timeout: 300_000,
  }, (t) => {
    if (
      !needQemu(t, spawnSync('qemu-riscv64', ['-version']).error ? undefined : 'qemu', 'execlog comparisons')
    )
      return
    const log = join(dir, `${name}.exec`)
    const q = tracePcs(
      runLogged('qemu-riscv64', ['-singlestep', '-d', 'exec,nochain', '-D', log, guest(name)], log),
    )
    const r = execlogPcs(
      runLogged(
        process.execPath,
        rvscopeArgs(
          '-plugin',
          join(root, 'dist', 'contrib', 'plugins', 'execlog.js'),
          '-d',
          'plugin',
          '-D',
          log,
          guest(name),
        ),
        log,
      ),
    )
    assert.ok(q.length > 10, `qemu trace: ${q.length}`)
    const first = q.findIndex((pc, i) => r[i] !== pc)
    assert.equal(
      first,
      -1,
      `first difference at instruction ${first}: rvscope 0x${r[first]}, QEMU 0x${q[first]}`,
    )
    assert.equal(r.length, q.length)
  })
}
