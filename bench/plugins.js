#!/usr/bin/env node
// Plugin-overhead benchmark: the same guest programs run uninstrumented and
// under plugins of increasing cost, with rvscope (TypeScript plugins from
// contrib/plugins) and with qemu-riscv64 (bench/qemu/plugins.c, one C plugin
// with a mode per configuration, built into .cache/bench/qemu-plugins.so).
// Prints wall-time medians, rvscope's guest MIPS (retired instructions from
// its -stats count / wall time), each rvscope configuration's time relative
// to uninstrumented rvscope and to qemu with the matching plugin, and the
// targets set for those ratios. Instruction (and memory access) counts of
// the counting plugins are checked against qemu's and against rvscope's own
// -stats count on every run; a mismatch stops the benchmark.
//
// Usage: node bench/plugins.js [--runs N] [--fast-runs M] [--scale F] [--only name,name]
//                              [--config key,key] [--accel interp|js|wasm] [--no-snapshot]
// execlog runs N times (default 3), the other configurations M times
// (default 3N: they take a second or two, and medians of more runs resist
// the noise of a loaded machine better).
// --scale 1 is about 30-35 million guest instructions per program (much
// less than bench/run.js's scale 1, as execlog runs at a few MIPS in both
// emulators); --runs 3 takes about 4 minutes on 2 cores. --config picks configurations by key (none, empty,
// insn-inline, insn-cb, bb-cb, mem-cb, execlog; none is always run).
// rvscope runs from a copy of dist/ and bin/ taken at start-up
// (.cache/bench/rvscope-snapshot/), so that a rebuild during the benchmark
// changes nothing; --no-snapshot runs bin/rvscope-riscv64.js directly.
// rvscope runs with -compat qemu-7.2 so that both emulators execute the very
// same instructions (glibc's start-up takes another path where qemu 7.2 has
// no rseq), which the count checks need.
// Needs qemu-riscv64, riscv64-linux-gnu-gcc and gcc.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { flag, have, list, median, opt, out, root } from './common.js'

const runs = Number(opt('--runs', '3'))
const fastRuns = Number(opt('--fast-runs', String(3 * runs)))
const scale = Number(opt('--scale', '1'))
const only = list('--only')
const onlyConfigs = list('--config')
const accel = opt('--accel', undefined)
const snapshot = !flag('--no-snapshot')

const n = (v) => String(Math.max(1, Math.round(v * scale)))
const allPrograms = [
  { name: 'sort-hash', src: 'sort-hash.c', args: () => [n(60000), '3'] },
  { name: 'branchy', src: 'branchy.c', args: () => ['9', n(40000)] },
]
const programs = allPrograms.filter((p) => only.length === 0 || only.includes(p.name))

const plugin = (file) => join(root, 'contrib', 'plugins', file)
const countLine = (re) => (text) => {
  const m = re.exec(text)
  return m ? BigInt(m[1]) : undefined
}
const qemuInsns = countLine(/^insns: (\d+)$/m)
const memAccesses = countLine(/^mem accesses: (\d+)$/m)

// target: the ratio's goal, `of` 'base' (rvscope uninstrumented) or 'qemu' (qemu, same plugin mode).
// count: what the plugin counts ('insns' or 'mem'), with parsers of each emulator's log.
const configs = [
  { key: 'none', label: 'uninstrumented' },
  {
    key: 'empty',
    label: 'empty plugin (tb trans cb only)',
    file: plugin('empty.ts'),
    args: [],
    mode: 'empty',
  },
  {
    key: 'insn-inline',
    label: 'insn count, inline',
    file: plugin('insn.ts'),
    args: ['inline=on'],
    mode: 'insn-inline',
    count: 'insns',
    rvCount: countLine(/^total insns: (\d+)$/m),
    qemuCount: qemuInsns,
    target: { of: 'base', max: 1.2 },
  },
  {
    key: 'insn-cb',
    label: 'insn count, cb per insn',
    file: plugin('insn.ts'),
    args: [],
    mode: 'insn-cb',
    count: 'insns',
    rvCount: countLine(/^total insns: (\d+)$/m),
    qemuCount: qemuInsns,
    target: { of: 'qemu', max: 0.5 },
  },
  {
    key: 'bb-cb',
    label: 'bb count, cb per block',
    file: plugin('bb.ts'),
    args: [],
    mode: 'bb-cb',
    count: 'insns',
    rvCount: countLine(/^Total: bb's: \d+, insns: (\d+)$/m),
    qemuCount: qemuInsns,
    target: { of: 'qemu', max: 1.0 },
  },
  {
    key: 'mem-cb',
    label: 'mem cb per access (RW)',
    file: plugin('mem.ts'),
    args: ['callback=on'],
    mode: 'mem-cb',
    count: 'mem',
    rvCount: memAccesses,
    qemuCount: memAccesses,
  },
  {
    key: 'execlog',
    label: 'execlog to /dev/null',
    file: plugin('execlog.ts'),
    args: [],
    mode: 'execlog',
    target: { of: 'qemu', max: 0.2 },
    slow: true,
  },
].filter((c) => c.key === 'none' || onlyConfigs.length === 0 || onlyConfigs.includes(c.key))

const notes = []
for (const c of [...configs]) {
  if (c.file !== undefined && !existsSync(c.file)) {
    notes.push(`${c.key}: left out, ${c.file.slice(root.length + 1)} does not exist`)
    configs.splice(configs.indexOf(c), 1)
  }
}

for (const [cmd, pkg] of [
  ['qemu-riscv64', 'qemu-user'],
  ['riscv64-linux-gnu-gcc', 'gcc-riscv64-linux-gnu'],
  ['gcc', 'gcc'],
]) {
  if (!have(cmd)) {
    console.error(`bench: ${cmd} is not installed (apt-get install ${pkg})`)
    process.exit(1)
  }
}

const newer = (target, source) => existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs

mkdirSync(out, { recursive: true })
for (const p of allPrograms) {
  const src = join(root, 'bench', 'src', p.src)
  const bin = join(out, p.name)
  if (!newer(bin, src)) execFileSync('riscv64-linux-gnu-gcc', ['-O2', '-static', '-o', bin, src, '-lm'])
  p.cmd = [bin]
}
const qemuPluginSrc = join(root, 'bench', 'qemu', 'plugins.c')
const qemuPluginHeader = join(root, 'tests', 'plugins', 'qemu', 'qemu-plugin-7.2.h')
const qemuPlugin = join(out, 'qemu-plugins.so')
if (!newer(qemuPlugin, qemuPluginSrc) || !newer(qemuPlugin, qemuPluginHeader))
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', '-o', qemuPlugin, qemuPluginSrc])

const logDir = mkdtempSync(join(tmpdir(), 'rvscope-bench-plugins-'))
process.on('exit', () => rmSync(logDir, { recursive: true, force: true }))

function run(cmd, args) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const secs = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0)
    throw new Error(`${cmd.join(' ')} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`)
  return { secs, stdout: r.stdout, stderr: r.stderr }
}

// rvscope's command: from a snapshot of the build, checked by running a tiny
// program with a plugin (retried: the copy may have caught a rebuild midway).
function rvscopeCommand() {
  const opts = ['-stats', '-compat', 'qemu-7.2', ...(accel ? ['-accel', accel] : [])]
  if (!snapshot) return [process.execPath, join(root, 'bin', 'rvscope-riscv64.js'), ...opts]
  const snap = join(out, 'rvscope-snapshot')
  const cmd = [process.execPath, join(snap, 'bin', 'rvscope-riscv64.js'), ...opts]
  for (let attempt = 1; ; attempt++) {
    rmSync(snap, { recursive: true, force: true })
    cpSync(join(root, 'dist', 'src'), join(snap, 'dist', 'src'), { recursive: true })
    cpSync(join(root, 'bin'), join(snap, 'bin'), { recursive: true })
    try {
      const probe = configs.find((c) => c.file !== undefined)
      run(cmd, [...(probe ? ['-plugin', probe.file] : []), join(out, 'sort-hash'), '10', '1'])
      return cmd
    } catch (e) {
      if (attempt === 3) throw e
      console.error(
        `bench: the snapshot of dist/ does not run (a rebuild in progress?), retrying: ${e.message}`,
      )
      spawnSync('sleep', ['10'])
    }
  }
}
const rvscope = rvscopeCommand()

// One configuration's command lines; counting plugins log to files, the others to /dev/null.
function commands(c, p) {
  if (c.key === 'none') return { rv: [...rvscope, ...p.cmd], qemu: ['qemu-riscv64', ...p.cmd] }
  const rvLog = c.count ? join(logDir, 'rvscope.log') : '/dev/null'
  const qLog = c.count ? join(logDir, 'qemu.log') : '/dev/null'
  return {
    rv: [...rvscope, '-plugin', [c.file, ...c.args].join(','), '-d', 'plugin', '-D', rvLog, ...p.cmd],
    qemu: ['qemu-riscv64', '-plugin', `${qemuPlugin},mode=${c.mode}`, '-d', 'plugin', '-D', qLog, ...p.cmd],
    rvLog,
    qLog,
  }
}

// Warm-up: every plugin loaded once (rvscope caches transpiled TypeScript).
// execlog's logs of a short run are compared line by line instead: the
// same instructions (vCPU, PC, opcode) in the same order in both.
for (const c of configs) {
  if (c.file === undefined) continue
  const small = { cmd: [join(out, 'sort-hash')] }
  if (c.key !== 'execlog') {
    run(commands(c, small).rv, ['10', '1'])
    continue
  }
  const logs = []
  for (const who of ['rv', 'qemu']) {
    const log = join(logDir, `execlog-${who}.log`)
    const cmd = commands(c, small)[who].map((a) => (a === '/dev/null' ? log : a))
    run(cmd, ['10', '1'])
    logs.push(readFileSync(log, 'utf8').split('\n').filter(Boolean))
  }
  const key = (line) => line.split(', ').slice(0, 3).join(', ')
  const [rl, ql] = logs
  const bad = rl.findIndex((l, i) => key(l) !== key(ql[i] ?? ''))
  if (rl.length !== ql.length || bad >= 0)
    throw new Error(
      `execlog: LOGS DIFFER: rvscope ${rl.length} lines, qemu ${ql.length}` +
        (bad >= 0 ? `; line ${bad + 1}:\n  ${rl[bad]}\n  ${ql[bad]}` : ''),
    )
  notes.push(`execlog: logs of sort-hash 10 1 agree (vCPU, PC, opcode of ${rl.length} lines)`)
}

const started = Date.now()
const load0 = loadavg()[0]
const results = new Map() // `${program} ${config}` -> { q: [], r: [], runSecs: [], insns, count }
const runsOf = (c) => (c.slow ? runs : fastRuns)
for (let i = 0; i < Math.max(runs, fastRuns); i++) {
  for (const p of programs) {
    const args = p.args()
    for (const c of configs) {
      if (i >= runsOf(c)) continue
      const k = `${p.name} ${c.key}`
      if (!results.has(k)) results.set(k, { q: [], r: [], runSecs: [], insns: 0n, count: undefined })
      const res = results.get(k)
      const cmd = commands(c, p)
      const qr = run(cmd.qemu, args)
      const qText = c.count ? readFileSync(cmd.qLog, 'utf8') : ''
      const rr = run(cmd.rv, args)
      const rText = c.count ? readFileSync(cmd.rvLog, 'utf8') : ''
      if (rr.stdout !== qr.stdout)
        throw new Error(`${k}: output differs from qemu-riscv64:\n${rr.stdout}\nvs\n${qr.stdout}`)
      const m = /(\d+) instructions in ([\d.]+) s/.exec(rr.stderr)
      if (!m) throw new Error(`${k}: no -stats line in rvscope's stderr:\n${rr.stderr}`)
      res.insns = BigInt(m[1])
      res.q.push(qr.secs)
      res.r.push(rr.secs)
      res.runSecs.push(Number(m[2]))
      if (c.count) {
        const rc = c.rvCount(rText)
        const qc = c.qemuCount(qText)
        const what = c.count === 'insns' ? 'instruction' : 'memory access'
        if (rc === undefined || qc === undefined)
          throw new Error(`${k}: COUNT MISSING: rvscope log:\n${rText}\nqemu log:\n${qText}`)
        if (rc !== qc)
          throw new Error(`${k}: ${what.toUpperCase()} COUNT MISMATCH: rvscope ${rc}, qemu ${qc}`)
        if (c.count === 'insns' && rc !== res.insns)
          throw new Error(`${k}: INSTRUCTION COUNT MISMATCH: plugin ${rc}, rvscope -stats ${res.insns}`)
        if (res.count !== undefined && res.count !== rc)
          throw new Error(`${k}: ${what} count differs between runs: ${res.count}, ${rc}`)
        res.count = rc
      }
      process.stderr.write(
        `run ${i + 1}/${runsOf(c)} ${k}: qemu ${qr.secs.toFixed(2)} s, rvscope ${rr.secs.toFixed(2)} s${c.count ? `, ${c.count} ${res.count} (agree)` : ''}\n`,
      )
    }
  }
}
const elapsed = (Date.now() - started) / 1000

const f2 = (x) => x.toFixed(2)
const ratio = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
console.log(
  `rvscope plugin overhead vs qemu-riscv64 ${spawnSync('qemu-riscv64', ['--version'], { encoding: 'utf8' })
    .stdout.split('\n')[0]
    .replace(/^qemu-riscv64 version /, '')}` +
    ` (medians of ${fastRuns} runs, execlog ${runs}; wall time incl. start-up; scale ${scale}; rvscope -compat qemu-7.2${accel ? ` -accel ${accel}` : ''})`,
)
console.log(
  '| program | configuration | counted | qemu s | qemu ×uninstr | rvscope s | rvscope run s | rvscope MIPS | rvscope ×uninstr | run ×uninstr | rvscope/qemu | target | met |',
)
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|')
for (const p of programs) {
  const base = results.get(`${p.name} none`)
  const baseQ = median(base.q)
  const baseR = median(base.r)
  const baseRun = median(base.runSecs)
  for (const c of configs) {
    const res = results.get(`${p.name} ${c.key}`)
    const qs = median(res.q)
    const rs = median(res.r)
    const vsBase = rs / baseR
    const vsQemu = rs / qs
    let target = ''
    let met = ''
    if (c.target) {
      const got = c.target.of === 'base' ? vsBase : vsQemu
      target = `${c.target.of === 'base' ? 'rvscope ×uninstr' : 'rvscope/qemu'} ≤ ${c.target.max}`
      met = got <= c.target.max ? 'yes' : 'no'
    }
    const counted =
      res.count === undefined ? '' : `${res.count} ${c.count === 'insns' ? 'insns' : 'accesses'}`
    console.log(
      `| ${p.name} | ${c.label} | ${counted} | ${f2(qs)} | ${c.key === 'none' ? '' : ratio(qs / baseQ)} | ${f2(rs)} | ${f2(median(res.runSecs))} | ${(Number(res.insns) / rs / 1e6).toFixed(1)} | ${c.key === 'none' ? '' : ratio(vsBase)} | ${c.key === 'none' ? '' : ratio(median(res.runSecs) / baseRun)} | ${ratio(vsQemu)} | ${target} | ${met} |`,
    )
  }
}
console.log('')
console.log(
  'rvscope run s: the guest run alone, from rvscope -stats (no Node start-up, no plugin loading); ' +
    'run ×uninstr compares those. Targets are checked against the wall-time ratios. ' +
    'Counted: what the counting plugins reported, equal in both emulators and to rvscope -stats on every run.',
)
for (const note of notes) console.log(`note: ${note}`)
console.log(
  `elapsed ${elapsed.toFixed(0)} s; load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`,
)
