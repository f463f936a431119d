/**
 * The plugin API end to end, through the probe plugin (fixtures/probe.ts)
 * on real guest programs: every kind of callback and inline operation,
 * register and memory access, PC redirection, syscall filtering,
 * discontinuities, uninstall; and every kind of misuse, which must end the
 * run with status 1 and one line naming the plugin and the event.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { guest, type Output, root, tempDir } from './harness.js'

const probe = join(root, 'tests', 'plugins', 'fixtures', 'probe.ts')
const sysroot = join(root, '.cache', 'debian-riscv64', 'sysroot')
const dir = tempDir('rvscope-plugin-api-')

function rvscope(...args: string[]): Output {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rvscope-riscv64.js'), ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    maxBuffer: 256 << 20,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const withProbe = (mode: string, prog: string, ...extra: string[]): Output =>
  rvscope('-plugin', `${probe},mode=${mode}`, '-d', 'plugin', ...extra, guest(prog))

/** Status 1 and a single `rvscope-riscv64: plugin NAME: ...` line matching `pattern`, no stack trace. */
function pluginError(r: Output, pattern: RegExp): void {
  assert.equal(r.status, 1, `exit status; stderr:\n${r.stderr}`)
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.startsWith('rvscope-riscv64:'))
  assert.equal(lines.length, 1, `one error line expected in:\n${r.stderr}`)
  assert.match(lines[0]!, /^rvscope-riscv64: plugin [\w.-]+: /)
  assert.match(lines[0]!, pattern)
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
}

test('a missing plugin file', () => {
  pluginError(rvscope('-plugin', 'nothere.ts', guest('hello')), /nothere\.ts: load: no such file/)
})

test('a plugin with a syntax error names the file and line', () => {
  const f = join(dir, 'broken.ts')
  writeFileSync(f, 'export const version = 7\nexport function install( {\n')
  pluginError(rvscope('-plugin', f, guest('hello')), /broken\.ts: load: .*broken\.ts:\d+:\d+: /)
})

test('TypeScript plugins load directly or through module hooks, with the same result', () => {
  // Counts translated blocks; `tally` comes from a sibling module in one copy (which needs the
  // module hooks) and is declared inline in the other (loaded without them).
  const plugin = (tally: string) => `import * as qp from 'rvscope/plugin'
${tally}
export const version = qp.PLUGIN_VERSION
export const install: qp.PluginInstall = (id) => {
  qp.registerVcpuTbTransCb(id, () => { tally.n++ })
  qp.registerAtexitCb(id, () => qp.outs(\`blocks translated: \${tally.n > 0}\\n\`))
  return undefined
}
`
  writeFileSync(join(dir, 'tally.ts'), 'export const tally = { n: 0 }\n')
  writeFileSync(join(dir, 'sibling.ts'), plugin("import { tally } from './tally.js'"))
  writeFileSync(join(dir, 'inline.ts'), plugin('const tally = { n: 0 }'))
  for (const name of ['sibling.ts', 'inline.ts']) {
    const r = rvscope('-plugin', join(dir, name), '-d', 'plugin', guest('hello'))
    assert.equal(r.status, 0, `${name}: ${r.stderr}`)
    assert.match(r.stderr, /blocks translated: true/, name)
  }
})

test('a plugin without a version or install export', () => {
  const f = join(dir, 'noversion.js')
  writeFileSync(f, 'export function install() {}\n')
  pluginError(rvscope('-plugin', f, guest('hello')), /does not export 'version'/)
  const g = join(dir, 'noinstall.js')
  writeFileSync(g, 'export const version = 7\n')
  pluginError(rvscope('-plugin', g, guest('hello')), /does not export an 'install' function/)
})

test('a plugin for another API version is refused', () => {
  const f = join(dir, 'old.js')
  writeFileSync(f, 'export const version = 1\nexport function install() {}\n')
  pluginError(
    rvscope('-plugin', f, guest('hello')),
    /written for API version 1; this rvscope supports 7\.\.7/,
  )
})

test('a plugin that refuses its arguments', () => {
  pluginError(
    rvscope('-plugin', `${probe},mode=bogus`, guest('hello')),
    /probe\.ts: install: unknown mode 'bogus'/,
  )
})

test('an install that throws', () => {
  pluginError(
    withProbe('install-throws', 'hello'),
    /install threw: Error: install exploded \(at .*probe\.ts:\d+:\d+\)/,
  )
})

test('a callback that throws stops the run, keeping the guest output so far', () => {
  const r = withProbe('callback-throws', 'hello')
  pluginError(r, /insn exec callback threw: Error: callback exploded/)
  assert.doesNotMatch(r.stderr, /atexit ran/)
})

test('a block handle used after its callback', () => {
  pluginError(
    withProbe('stale-handle', 'hello'),
    /tb_trans callback threw: .*used after its translation callback/,
  )
})

test('a register read without rights', () => {
  pluginError(withProbe('no-rights', 'hello'), /readRegister\(pc\): .*registered with NO_REGS/)
})

test('u64Add adds modulo 2^64 on every path', () => {
  const r = withProbe('u64-add', 'hello')
  assert.equal(r.status, 0, r.stderr)
  // From 0xfffffffe: +1, +1 (carry into the high word), +5, +0xffffffff, +2^40, +(2^64 - 1) (that is, -1), +0.
  assert.match(r.stderr, /u64 ffffffff 100000000 100000005 200000004 10200000004 10200000003 10200000003\n/)
})

test('a scoreboard used after it was freed', () => {
  pluginError(
    withProbe('freed-scoreboard', 'hello'),
    /atexit callback threw: .*scoreboard used after scoreboardFree/,
  )
})

test('memory callbacks report the value of each access as it was then', () => {
  const r = withProbe('memvalues', 'hello')
  assert.equal(r.status, 0, r.stderr)
  const m = r.stderr.match(/checked (\d+) accesses \((\d+) loads, (\d+) stores\)/)
  assert.ok(m, r.stderr)
  assert.ok(Number(m[2]) > 1000 && Number(m[3]) > 500, m[0])
})

test('memory values of atomics (LR/SC, AMOs)', () => {
  const r = withProbe('memvalues', 'asm-aext')
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /checked \d+ accesses/)
})

test('syscall, return and filter callbacks', () => {
  const r = withProbe('syscalls', 'hello')
  assert.equal(r.status, 0, r.stderr)
  const calls = r.stderr.match(/calls (.*)\n/)![1]!.split(' ')
  assert.ok(calls.includes('64(1)') && calls.includes('64(2)'), calls.join(' '))
  assert.equal(calls.at(-1), '94(0)')
  // exit_group does not return.
  assert.match(r.stderr, new RegExp(`returns ${calls.length - 1}\\n`))
  assert.match(r.stdout, /Hello, world!/)
  const f = withProbe('syscalls,filter=on', 'hello')
  assert.equal(f.status, 0, f.stderr)
  assert.equal(f.stdout, '', 'writes to fd 1 were filtered out')
  assert.match(f.stderr, /this line goes to stderr/)
})

test('writing a register from a syscall callback', () => {
  assert.equal(withProbe('write-reg', 'hello').status, 7)
})

test('conditional callbacks and inline ops agree with the block count', () => {
  const r = withProbe('cond', 'hello')
  assert.equal(r.status, 0, r.stderr)
  const m = r.stderr.match(/blocks=(\d+) flag=(\d+) (.*)\n/)
  assert.ok(m, r.stderr)
  const n = Number(m[1])
  const hits = Object.fromEntries(
    m[3]!
      .split(' ')
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k, Number(v)]),
  )
  assert.equal(m[2], '42')
  // The condition compares the counter before this block's increment: 0, 1, ..., n-1 against 100.
  assert.deepEqual(hits, {
    eq: 1,
    ne: n - 1,
    lt: 100,
    le: 101,
    gt: n - 101,
    ge: n - 100,
    always: n,
    never: 0,
  })
})

test('setPc from an RW_REGS_PC callback skips an instruction', () => {
  // exit42 does `li a0,42` at 0x1057a before calling exit: skipped, exit gets printf's result (its length).
  const r = withProbe('set-pc,skip=0x1057a', 'exit42')
  assert.equal(r.status, 'calling exit(42) with this line still buffered'.length, r.stderr)
  assert.equal(withProbe('set-pc,skip=0', 'exit42').status, 42)
})

test('a translation callback registered late applies to code translated before', () => {
  const r = withProbe('late', 'hello')
  assert.equal(r.status, 0, r.stderr)
  const m = r.stderr.match(/late inline (\d+) callback (\d+)/)
  assert.ok(m, r.stderr)
  assert.ok(Number(m[1]) > 100, m[0])
  assert.equal(m[1], m[2])
})

test('life cycle and queries: flush, idle/resume, reset, vcpuForEach, scoreboards, addresses, time control', () => {
  const smc = withProbe('misc', 'asm-smc')
  assert.equal(smc.status, 0, smc.stderr)
  assert.match(
    smc.stderr,
    /time-first=true time-second=true for-each=0 path=asm-smc find=1234 haddr=true translate=true translate-unmapped=true\n/,
  )
  // asm-smc rewrites its code and runs fence.i: each flush is reported.
  const f = smc.stderr.match(/reset done, flushes (\d+) idles 0 resumes 0 signed (\d+) big-endian 0\n/)
  assert.ok(f && Number(f[1]) > 0, smc.stderr)
  assert.doesNotMatch(smc.stderr, /atexit after reset/)
  // sys sleeps: with nothing else to run, the vCPU goes idle and resumes.
  const sys = withProbe('misc', 'sys')
  assert.equal(sys.status, 0, sys.stderr)
  const i = sys.stderr.match(/reset done, flushes \d+ idles (\d+) resumes (\d+) signed (\d+)/)
  assert.ok(i && Number(i[1]) > 0 && i[1] === i[2] && Number(i[3]) > 0, sys.stderr)
})

test('discontinuities: signal handlers entered after faults and asynchronous signals', () => {
  const r = withProbe('discon', 'signals')
  assert.equal(r.status, 0, r.stderr)
  const d = [...r.stderr.matchAll(/discon type=(\d) from=0x([0-9a-f]+) to=0x([0-9a-f]+)/g)]
  assert.ok(
    d.some((x) => x[1] === '1'),
    'an interrupt (asynchronous signal)',
  )
  assert.ok(
    d.some((x) => x[1] === '2'),
    'an exception (fault signal)',
  )
  for (const x of d) assert.notEqual(x[2], x[3])
})

test('uninstall takes effect soon and calls back', () => {
  const r = withProbe('uninstall,after=100', 'hello')
  assert.equal(r.status, 0, r.stderr)
  const n = Number(r.stderr.match(/uninstalled after (\d+) blocks/)![1])
  // Callbacks may run until the next quiescent point, which comes within a few blocks.
  assert.ok(n >= 100 && n < 110, `${n}`)
})

test('registers: GDB names, features and exact values at every instruction on every engine', () => {
  const runs = [
    withProbe('regs', 'asm-fpu'),
    withProbe('regs', 'asm-fpu', '-accel', 'interp', '-one-insn-per-tb'),
    withProbe('regs', 'asm-fpu', '-accel', 'js'),
  ]
  for (const r of runs) assert.equal(r.status, runs[0]!.status, r.stderr.slice(-500))
  const names = runs[0]!.stderr.match(/registers: (.*)\n/)![1]!.split(' ')
  assert.equal(names[0], 'zero:cpu:ro')
  assert.ok(
    names.includes('a0:cpu') && names.includes('pc:cpu:ro') && names.includes('ft0:fpu'),
    names.join(' '),
  )
  assert.ok(
    names.includes('fcsr:fpu') && names.includes('instret:csr:ro') && names.includes('priv:virtual:ro'),
  )
  const lines = runs.map((r) => r.stderr.split('\n').filter((l) => l.startsWith('0x')))
  assert.ok(lines[0]!.length > 100)
  assert.deepEqual(lines[1], lines[0], 'interpreter, one instruction per block')
  assert.deepEqual(lines[2], lines[0], 'JavaScript backend')
})

test('translation details: bytes, sizes, disassembly, symbols, code range', {
  skip: !existsSync(sysroot),
}, () => {
  const r = rvscope(
    '-L',
    sysroot,
    '-plugin',
    `${probe},mode=insns,sym=main`,
    '-d',
    'plugin',
    guest('hello-dyn'),
  )
  assert.equal(r.status, 0, r.stderr)
  const insns = r.stderr.split('\n').filter((l) => /^0x[0-9a-f]+ [24] /.test(l))
  assert.ok(insns.length > 5, r.stderr)
  for (const l of insns) {
    const [, size, bytes] = l.split(' ')
    assert.equal(bytes!.length, Number(size) * 2, l)
  }
  assert.match(r.stderr, /code 0x[0-9a-f]+-0x[0-9a-f]+ entry 0x[0-9a-f]+ vcpus 1/)
})
