/**
 * Runs a program under qemu-riscv64 with the counting plugin
 * tests/plugins/qemu/count.c (built on demand with gcc into
 * .cache/qemu-plugins/) and returns what it counted: executed instructions,
 * translation blocks, memory reads and memory writes.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/** Found by walking up from this file (it runs from dist/tests/plugins/). */
const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
  return dir
})()

const SOURCE = join(repoRoot, 'tests', 'plugins', 'qemu', 'count.c')
/** The plugin API's declarations, included by count.c. */
const HEADER = join(repoRoot, 'tests', 'plugins', 'qemu', 'qemu-plugin-7.2.h')
const PLUGIN = join(repoRoot, '.cache', 'qemu-plugins', 'count.so')

const onPath = (command: string): boolean =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)))

let built: Promise<string | undefined> | undefined

/**
 * Compiles count.c into .cache/qemu-plugins/count.so unless that is newer
 * than count.c and the header it includes; returns its path, or undefined without gcc or qemu-riscv64.
 */
export async function buildQemuCountPlugin(): Promise<string | undefined> {
  built ??= build()
  return built
}

async function build(): Promise<string | undefined> {
  if (!onPath('gcc') || !onPath('qemu-riscv64')) return undefined
  if (existsSync(PLUGIN)) {
    const builtAt = statSync(PLUGIN).mtimeMs
    if ([SOURCE, HEADER].every((f) => builtAt >= statSync(f).mtimeMs)) return PLUGIN
  }
  mkdirSync(dirname(PLUGIN), { recursive: true })
  // Built under a private name and renamed, so that concurrent test
  // processes never load a half-written file.
  const tmp = `${PLUGIN}.${process.pid}.tmp`
  try {
    await promisify(execFile)('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', '-o', tmp, SOURCE])
  } catch (e) {
    rmSync(tmp, { force: true })
    const stderr = (e as { stderr?: string }).stderr ?? String(e)
    throw new Error(`gcc failed to build ${SOURCE}:\n${stderr}`)
  }
  renameSync(tmp, PLUGIN)
  return PLUGIN
}

export interface Counts {
  insns: bigint
  blocks: bigint
  memReads: bigint
  memWrites: bigint
}

/** The four lines the plugin prints at exit ("insns: N" and so on). */
export function parseCounts(text: string): Counts {
  const get = (name: string): bigint => {
    const m = new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)
    if (!m) throw new Error(`no "${name}: N" line in the counting plugin's output:\n${text}`)
    return BigInt(m[1]!)
  }
  return {
    insns: get('insns'),
    blocks: get('blocks'),
    memReads: get('mem_reads'),
    memWrites: get('mem_writes'),
  }
}

/**
 * Runs `qemu-riscv64 [-L sysroot] -plugin count.so prog ...args` with stdin
 * closed, the guest's output discarded and, unless opts.env is given, an
 * empty environment (qemu hands its own to the guest), and returns the counts.
 */
export async function qemuCounts(
  prog: string,
  args: string[],
  opts: { sysroot?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<Counts> {
  const plugin = await buildQemuCountPlugin()
  if (plugin === undefined) throw new Error('gcc and qemu-riscv64 are needed to count with the qemu plugin')
  const dir = mkdtempSync(join(tmpdir(), 'rvscope-qemu-count-'))
  try {
    const log = join(dir, 'plugin.log')
    const sysroot = opts.sysroot === undefined ? [] : ['-L', opts.sysroot]
    const child = spawn(
      'qemu-riscv64',
      [...sysroot, '-plugin', plugin, '-d', 'plugin', '-D', log, prog, ...args],
      { cwd: opts.cwd ?? dir, env: opts.env ?? {}, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    const status = await new Promise<string>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code, signal) => resolve(signal ?? `exit status ${code}`))
    }).finally(() => clearTimeout(timer))
    const text = existsSync(log) ? readFileSync(log, 'utf8') : ''
    try {
      return parseCounts(text)
    } catch (e) {
      throw new Error(`${(e as Error).message}\n(qemu-riscv64 ${prog}: ${status}; stderr: ${stderr})`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
