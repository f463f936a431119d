#!/usr/bin/env node
// Start-up benchmark: process start to exit of a static hello world (and,
// with --python, Debian's `python3 -B -c 'print(1)'`) under rvscope and
// qemu-riscv64, beside a bare `node -e 0`, the floor for any Node program.
// The cases run in turn, N rounds, so that a change in machine load hits
// them alike; prints each case's median, min and max wall time in ms.
//
// Usage: node bench/startup.js [--runs N] [--python] [--accel engine]
// qemu-riscv64 cases are left out when it is not installed; the python3
// cases need the Debian sysroot (bash tools/fetch-debian-riscv64.sh).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { flag, have, median, opt, root, sysroot } from './common.js'

const rvscope = join(root, 'bin', 'rvscope-riscv64.js')
const runs = Number(opt('--runs', '10'))
const accel = opt('--accel', undefined)
const python = flag('--python')

const haveQemu = have('qemu-riscv64')
if (!haveQemu)
  console.error('startup: qemu-riscv64 is not installed (apt-get install qemu-user); its cases are left out')

const hello = join(root, 'tests', 'guest', 'bin', 'hello')
const guests = [{ name: 'hello', args: [hello] }]
if (python) {
  if (existsSync(join(sysroot, 'usr', 'bin', 'python3')))
    guests.push({
      name: 'python3',
      sysroot,
      args: [join(sysroot, 'usr', 'bin', 'python3'), '-B', '-c', 'print(1)'],
    })
  else console.error('startup: no Debian sysroot (bash tools/fetch-debian-riscv64.sh); python3 left out')
}

const cases = [{ name: 'node -e 0', cmd: [process.execPath, '-e', '0'] }]
for (const g of guests) {
  const prefix = g.sysroot !== undefined ? ['-L', g.sysroot] : []
  const rvFlags = accel !== undefined ? ['-accel', accel] : []
  cases.push({
    name: `rvscope ${g.name}`,
    cmd: [process.execPath, rvscope, ...rvFlags, ...prefix, ...g.args],
  })
  if (haveQemu) cases.push({ name: `qemu ${g.name}`, cmd: ['qemu-riscv64', ...prefix, ...g.args] })
}

const times = cases.map(() => [])
for (let r = 0; r < runs; r++) {
  cases.forEach((c, i) => {
    const t0 = process.hrtime.bigint()
    const res = spawnSync(c.cmd[0], c.cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (res.status !== 0) {
      console.error(`startup: ${c.name} exited with ${res.status ?? res.signal}:\n${res.stderr}`)
      process.exit(1)
    }
    times[i].push(ms)
  })
}

const f = (v) => v.toFixed(0).padStart(7)
console.log(
  `${'case'.padEnd(18)} median     min     max   (ms, ${runs} runs${accel ? `, -accel ${accel}` : ''})`,
)
for (const [i, c] of cases.entries())
  console.log(
    `${c.name.padEnd(18)}${f(median(times[i]))} ${f(Math.min(...times[i]))} ${f(Math.max(...times[i]))}`,
  )
