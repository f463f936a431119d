#!/usr/bin/env node
// Side-by-side benchmark: CPU-bound guest programs under rvscope and
// qemu-riscv64 in the same run. Prints wall-time medians, rvscope's guest
// MIPS (from its -stats count) and the time ratio rvscope / qemu.
//
// Usage: node bench/run.js [--runs N] [--scale F] [--only name,name] [--accel interp|wasm]
// Needs qemu-riscv64 and riscv64-linux-gnu-gcc (programs are built into .cache/bench/);
// the lua case needs the Debian sysroot (bash tools/fetch-debian-riscv64.sh).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { have, list, median, opt, out, root, sysroot } from './common.js'

const runs = Number(opt('--runs', '3'))
const scale = Number(opt('--scale', '1'))
const only = list('--only')
const accel = opt('--accel', undefined)

const n = (v) => String(Math.max(1, Math.round(v * scale)))
const programs = [
  { name: 'sort-hash', src: 'sort-hash.c', args: () => [n(200000), '3'], kind: 'integer' },
  { name: 'branchy', src: 'branchy.c', args: () => ['9', n(600000)], kind: 'branchy' },
  { name: 'memory', src: 'memory.c', args: () => [n(1 << 20), '6'], kind: 'memory-bound' },
  { name: 'fp', src: 'fp.c', args: () => [n(200000)], kind: 'floating point' },
  {
    name: 'lua',
    lua: true,
    args: () => [
      '-e',
      `local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end print(fib(${Math.round(29 + Math.log2(Math.max(scale, 1 / 1024)))}))`,
    ],
    kind: 'lua5.4 (Debian)',
  },
].filter((p) => only.length === 0 || only.includes(p.name))

if (!have('qemu-riscv64')) {
  console.error('bench: qemu-riscv64 is not installed (apt-get install qemu-user)')
  process.exit(1)
}

mkdirSync(out, { recursive: true })
for (const p of programs) {
  if (p.lua) continue
  const src = join(root, 'bench', 'src', p.src)
  const bin = join(out, p.name)
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    if (!have('riscv64-linux-gnu-gcc')) {
      console.error('bench: riscv64-linux-gnu-gcc is not installed (apt-get install gcc-riscv64-linux-gnu)')
      process.exit(1)
    }
    execFileSync('riscv64-linux-gnu-gcc', ['-O2', '-static', '-o', bin, src, '-lm'])
  }
  p.cmd = [bin]
}
for (const p of programs.filter((p) => p.lua)) {
  const lua = join(sysroot, 'usr', 'bin', 'lua5.4')
  if (!existsSync(lua)) {
    console.error('bench: skipping lua (no Debian sysroot: bash tools/fetch-debian-riscv64.sh)')
    programs.splice(programs.indexOf(p), 1)
    continue
  }
  p.cmd = ['-L', sysroot, lua]
}

function time(cmd, args) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const secs = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return { secs, stdout: r.stdout, stderr: r.stderr }
}

const rvscope = [
  process.execPath,
  join(root, 'bin', 'rvscope-riscv64.js'),
  '-stats',
  ...(accel ? ['-accel', accel] : []),
]
const rows = []
for (const p of programs) {
  const args = p.args()
  const q = []
  const r = []
  let insns = 0
  for (let i = 0; i < runs; i++) {
    const qr = time(['qemu-riscv64', ...p.cmd], args)
    q.push(qr.secs)
    const rr = time([...rvscope, ...p.cmd], args)
    r.push(rr.secs)
    if (rr.stdout !== qr.stdout)
      throw new Error(`${p.name}: output differs from qemu-riscv64:\n${rr.stdout}\nvs\n${qr.stdout}`)
    const m = /(\d+) instructions/.exec(rr.stderr)
    insns = m ? Number(m[1]) : 0
  }
  const qs = median(q)
  const rs = median(r)
  rows.push({
    name: p.name,
    kind: p.kind,
    insns,
    qemu: qs,
    rvscope: rs,
    mips: insns / rs / 1e6,
    ratio: rs / qs,
  })
}

const geomean = Math.exp(rows.reduce((s, r) => s + Math.log(r.ratio), 0) / rows.length)
console.log(`rvscope vs qemu-riscv64 (${runs} runs each, medians, wall time incl. start-up; scale ${scale})`)
console.log('| program | kind | guest insns | qemu s | rvscope s | rvscope MIPS | rvscope/qemu |')
console.log('|---|---|---:|---:|---:|---:|---:|')
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.kind} | ${r.insns} | ${r.qemu.toFixed(3)} | ${r.rvscope.toFixed(3)} | ${r.mips.toFixed(1)} | ${r.ratio.toFixed(1)} |`,
  )
console.log(`| geomean | | | | | | ${geomean.toFixed(1)} |`)
