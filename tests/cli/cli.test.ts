/**
 * The command line's contract: bad input gives one line on stderr naming
 * the file and the problem and exit status 1 (never a stack trace); the
 * guest's exit status, and 128+n for a signal, become the process's.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, test } from 'node:test'

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..')
const guest = (name: string) => join(root, 'tests', 'guest', 'bin', name)
const dir = mkdtempSync(join(tmpdir(), 'rvscope-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function rvscope(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rvscope-riscv64.js'), ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function oneLineError(r: ReturnType<typeof rvscope>, pattern: RegExp): void {
  assert.equal(r.status, 1, `exit status for: ${r.stderr}`)
  const lines = r.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`)
  assert.match(lines[0]!, /^rvscope-riscv64: /)
  assert.match(lines[0]!, pattern)
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
}

test('a file that is not ELF', () => {
  writeFileSync(join(dir, 'text'), 'hello\n')
  oneLineError(rvscope('text'), /text: not an ELF file/)
})

test('an ELF file for another machine', () => {
  const elf = readFileSync(guest('hello'))
  const x86 = Buffer.from(elf)
  x86.writeUInt16LE(62, 18)
  writeFileSync(join(dir, 'x86'), x86)
  oneLineError(rvscope('x86'), /x86: ELF file is for x86-64, not RISC-V/)
})

test('truncated headers and segments', () => {
  const elf = readFileSync(guest('hello'))
  writeFileSync(join(dir, 'short'), elf.subarray(0, 40))
  oneLineError(rvscope('short'), /short: truncated ELF header/)
  writeFileSync(join(dir, 'cut'), elf.subarray(0, 3000))
  oneLineError(rvscope('cut'), /cut: truncated ELF file/)
})

test('a missing program, a missing dynamic loader', () => {
  oneLineError(rvscope('nonexistent'), /nonexistent: no such file/)
  oneLineError(
    rvscope(guest('hello-dyn')),
    /hello-dyn: cannot load the dynamic loader \/lib\/ld-linux-riscv64-lp64d\.so\.1/,
  )
})

test('bad options', () => {
  oneLineError(rvscope('-frobnicate', guest('hello')), /unknown option '-frobnicate'/)
  oneLineError(rvscope(), /no program given/)
  oneLineError(rvscope('-d', 'bogus', guest('hello')), /unknown -d log item 'bogus'/)
  oneLineError(rvscope('-cpu', 'rv64,zzz=on', guest('hello')), /unknown CPU extension 'zzz'/)
  oneLineError(rvscope('-L'), /option -L needs an argument/)
})

test('help, version and item lists exit 0', () => {
  for (const args of [['-h'], ['-version'], ['-d', 'help'], ['-cpu', 'help']]) {
    const r = rvscope(...args)
    assert.equal(r.status, 0, args.join(' '))
    assert.ok(r.stdout.length > 0)
  }
})

test("the guest's exit status and signal deaths become the process's", () => {
  assert.equal(rvscope(guest('exit42')).status, 42)
  assert.equal(rvscope(guest('segv')).status, 139)
  assert.equal(rvscope(guest('asm-illegal')).status, 132)
})

test('-d int explains a fatal fault', () => {
  const r = rvscope('-d', 'int', guest('asm-illegal'))
  assert.equal(r.status, 132)
  assert.match(r.stderr, /exception 2 \(illegal instruction\) at pc 0x[0-9a-f]+/)
  assert.match(r.stderr, /killed by signal 4 \(Illegal instruction\)/)
})

test('-d unimp reports an unknown system call once', () => {
  const r = rvscope('-d', 'unimp', guest('sys'))
  // sys calls the unassigned number 4000 and expects ENOSYS.
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('Unsupported syscall'))
  assert.ok(lines.includes('Unsupported syscall: 4000'), r.stderr)
  assert.equal(new Set(lines).size, lines.length, 'each reported once')
})
