// What the benchmark scripts share: the project's paths, their option
// parsing, tool checks and medians.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** Where guest programs and the QEMU plugin are built. */
export const out = join(root, '.cache', 'bench')
/** The Debian riscv64 sysroot (bash tools/fetch-debian-riscv64.sh). */
export const sysroot = join(root, '.cache', 'debian-riscv64', 'sysroot')

const argv = process.argv.slice(2)
/** The value after `--name` on the command line, or `dflt`. */
export const opt = (name, dflt) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : dflt
}
/** Whether `--name` is on the command line. */
export const flag = (name) => argv.includes(name)
/** A comma-separated option as a list (empty when absent). */
export const list = (name) => opt(name, '')?.split(',').filter(Boolean) ?? []

/** Whether `cmd` is on the PATH. */
export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
}

/** The middle value (the mean of the middle two for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
