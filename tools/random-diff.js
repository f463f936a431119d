#!/usr/bin/env node
// Random differential testing of rvscope's instruction semantics against a
// reference emulator (see tests/random/diff.ts). Run `npm run build` first.
//
//   node tools/random-diff.js --insns 10000000 --seed 42 --ext i,m,a,c
//   node tools/random-diff.js --ref qemu --ext i,zba,zbb,zbc,zbs
//   node tools/random-diff.js --ref unicorn --ext i,m --job-seed 123 --job-insns 300   (replay one job)
//
// Options:
//   --ref unicorn|qemu     reference: Unicorn 2.0.1 in-process-style runs (default; RV64GC only)
//                          or qemu-riscv64 7.2 on generated ELF files (default when a Zb* extension is asked for)
//   --ext LIST             extensions to draw instructions from (default i,m,a,f,d,c,zicsr,zihintpause)
//   --insns N              instructions to generate in total (default 100000)
//   --seed N               run seed (default: random, printed)
//   --job-insns N          instructions per job (default 300 unicorn, 3000 qemu)
//   --segment MIN,MAX      groups between sync points (default 8,40)
//   --job-seed N           run exactly one job with this seed (what a mismatch report prints)
//   --accel interp|js|wasm rvscope backend (default interp)
//   --keep-going N         collect up to N mismatches instead of stopping at the first
//   --print                print the generated stream(s) of --job-seed and exit
import { existsSync } from 'node:fs'

const dist = new URL('../dist/tests/random/diff.js', import.meta.url)
if (!existsSync(dist)) {
  console.error('random-diff: dist/tests/random/diff.js is missing: run `npm run build` first')
  process.exit(2)
}
const { runDiff, reproCommand, printJob } = await import(dist.href)

function usage(msg) {
  console.error(`random-diff: ${msg}\n(see the comment at the top of tools/random-diff.js)`)
  process.exit(2)
}

const args = process.argv.slice(2)
const o = { exts: undefined, insns: 100_000, seed: undefined, maxMismatches: 1 }
let print = false
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  const val = () => {
    const v = args[++i]
    if (v === undefined) usage(`${a} needs a value`)
    return v
  }
  const num = () => {
    const v = Number(val())
    if (!Number.isInteger(v) || v < 0) usage(`${a} needs a non-negative integer`)
    return v
  }
  switch (a) {
    case '--ref':
      o.ref = val()
      if (o.ref !== 'unicorn' && o.ref !== 'qemu') usage('--ref is unicorn or qemu')
      break
    case '--ext':
      o.exts = val().split(',').filter(Boolean)
      break
    case '--insns':
      o.insns = num()
      break
    case '--seed':
      o.seed = num()
      break
    case '--job-insns':
      o.jobInsns = num()
      break
    case '--job-seed':
      o.jobSeed = num()
      break
    case '--segment': {
      const [lo, hi] = val().split(',').map(Number)
      if (!(lo >= 1 && hi >= lo)) usage('--segment MIN,MAX')
      o.segment = [lo, hi]
      break
    }
    case '--accel':
      o.accel = val()
      if (!['interp', 'js', 'wasm'].includes(o.accel)) usage('--accel is interp, js or wasm')
      break
    case '--keep-going':
      o.maxMismatches = num()
      break
    case '--print':
      print = true
      break
    case '-h':
    case '--help':
      usage('usage')
      break
    default:
      usage(`unknown option ${a}`)
  }
}
o.exts ??= ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zihintpause']
o.ref ??= o.exts.some((e) => e.startsWith('zb')) ? 'qemu' : 'unicorn'
o.seed ??= Math.floor(Math.random() * 2 ** 32)

if (print) {
  if (o.jobSeed === undefined) usage('--print needs --job-seed')
  process.stdout.write(printJob(o, o.jobSeed))
  process.exit(0)
}

console.error(
  `random-diff: ref ${o.ref}, extensions ${o.exts.join(',')}, ` +
    (o.jobSeed !== undefined ? `job seed ${o.jobSeed}` : `${o.insns} instructions, seed ${o.seed}`),
)
let lastReport = 0
const t0 = Date.now()
o.log = (line) => console.log(line)
const res = await runDiff({
  ...o,
  progress: (r) => {
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now()
      console.error(
        `  ${r.generated} instructions, ${r.jobs} jobs, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      )
    }
  },
})
const secs = (res.ms / 1000).toFixed(1)
console.error(
  `random-diff: ${res.generated} instructions generated (${res.executed} executed) in ${res.jobs} jobs, ${secs} s, ` +
    `${res.mismatches.length} mismatch(es)`,
)
for (const [quirk, n] of res.quirks) console.error(`  tolerated reference quirk ${quirk}: ${n} time(s)`)
if (res.mismatches.length > 0) {
  const byInsn = new Map()
  for (const m of res.mismatches) byInsn.set(m.insn, [...(byInsn.get(m.insn) ?? []), m.jobSeed])
  for (const [insn, seeds] of byInsn) console.error(`  ${insn}: job seeds ${seeds.join(' ')}`)
  console.error(`  first: ${reproCommand(o, res.mismatches[0].jobSeed)}`)
  process.exit(1)
}
