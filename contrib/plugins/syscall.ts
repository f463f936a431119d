/**
 * syscall: count or trace the guest's system calls (QEMU's syscall test
 * plugin). By default it counts calls and failed calls (negative results)
 * per system call number and prints, at exit, the table
 * `syscall no.  calls  errors` sorted by calls, most called first.
 *
 * Options (as QEMU's): print=on|off (instead of counting, print
 * `syscall #N` as each call starts and `syscall #N returned -> R` as it
 * returns), log_writes=on|off (hex-dump the buffer of every write(2) as
 * the call starts, 16 bytes a line with their printable characters).
 *
 * It also filters one magic call, as QEMU's does to test syscall filters:
 * system call 4096 with first argument 0x66CCFF does not run and returns
 * 0xFFCC66 (with print=on it says `magic syscall filtered, set magic
 * return`).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface Stats {
  readonly num: bigint
  calls: bigint
  errors: bigint
}

/** write(2) numbers by QEMU target name; -1: the plugin does not know it. */
const WRITE_SYSNO: Readonly<Record<string, number>> = {
  aarch64: 64,
  aarch64_be: 64,
  alpha: 4,
  arm: 4,
  armeb: 4,
  hexagon: 64,
  i386: 4,
  m68k: 4,
  microblaze: 4,
  microblazeel: 4,
  mips: 1,
  mips64: 1,
  mips64el: 1,
  mipsel: 1,
  mipsn32: 1,
  mipsn32el: 1,
  ppc: 4,
  ppc64: 4,
  ppc64le: 4,
  riscv32: 64,
  riscv64: 64,
  sparc: 4,
  sparc32plus: 4,
  sparc64: 4,
  x86_64: 1,
  xtensa: 13,
  xtensaeb: 13,
}

const MAGIC_SYSCALL = 4096n
const MAGIC_ARG = 0x66ccffn
const MAGIC_RETURN = 0xffcc66n

/** Counting mode's table; undefined with print=on. */
let statistics: Map<bigint, Stats> | undefined
let logWrites = false
let writeSysno = -1n

function entryFor(stats: Map<bigint, Stats>, num: bigint): Stats {
  let e = stats.get(num)
  if (e === undefined) {
    e = { num, calls: 0n, errors: 0n }
    stats.set(num, e)
  }
  return e
}

/** Printable as itself in the dump: ASCII graphic characters (not space). */
const isGraph = (b: number): boolean => b > 0x20 && b < 0x7f

function hexdump(data: Uint8Array): string {
  let out = ''
  for (let row = 0; row < data.length; row += 16) {
    const bytes = data.subarray(row, row + 16)
    for (let col = 0; col < 16; col++)
      out += col < bytes.length ? `${bytes[col]!.toString(16).padStart(2, '0')} ` : '   '
    out += ' | '
    for (const b of bytes) out += isGraph(b) ? String.fromCharCode(b) : '.'
    out += '\n'
  }
  return out
}

function onSyscall(_id: qp.PluginId, _vcpu: number, num: bigint, _a1: bigint, a2: bigint, a3: bigint): void {
  // The C API passes the number as int64_t.
  const n = BigInt.asIntN(64, num)
  if (statistics !== undefined) entryFor(statistics, n).calls++
  else qp.outs(`syscall #${n}\n`)
  if (logWrites && n === writeSysno) {
    let data: Uint8Array
    try {
      data = qp.readMemoryVaddr(a2, Number(a3))
    } catch {
      process.stderr.write(`Error reading memory from vaddr ${a2}\n`)
      return
    }
    qp.outs(hexdump(data))
  }
}

function onSyscallRet(_id: qp.PluginId, _vcpu: number, num: bigint, ret: bigint): void {
  // The C API passes both as int64_t: a negative result is an error.
  const n = BigInt.asIntN(64, num)
  const r = BigInt.asIntN(64, ret)
  if (statistics !== undefined) {
    if (r < 0n) entryFor(statistics, n).errors++
  } else {
    qp.outs(`syscall #${n} returned -> ${r}\n`)
  }
}

function onSyscallFilter(_id: qp.PluginId, _vcpu: number, num: bigint, a1: bigint): bigint | undefined {
  if (num !== MAGIC_SYSCALL || a1 !== MAGIC_ARG) return undefined
  if (statistics === undefined) qp.outs('magic syscall filtered, set magic return\n')
  return MAGIC_RETURN
}

function atExit(): void {
  if (statistics === undefined) return
  // Most calls first; equal counts by number (QEMU leaves their order to its hash table).
  const entries = [...statistics.values()].sort((a, b) =>
    a.calls !== b.calls ? (a.calls > b.calls ? -1 : 1) : a.num < b.num ? -1 : 1,
  )
  let out = 'syscall no.  calls  errors\n'
  for (const e of entries) out += `${String(e.num).padEnd(13)}${String(e.calls).padEnd(6)} ${e.errors}\n`
  qp.outs(out)
  statistics = undefined
}

export const install: qp.PluginInstall = (id, info, args) => {
  let doPrint = false
  for (const a of args) {
    if (a.name === 'print' || a.name === 'log_writes') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      if (a.name === 'print') doPrint = v
      else logWrites = v
    } else {
      return `unsupported argument: ${a.text}`
    }
  }
  if (!doPrint) statistics = new Map()
  if (logWrites) {
    const n = WRITE_SYSNO[info.targetName]
    if (n === undefined) return 'write syscall number not found'
    writeSysno = BigInt(n)
  }
  qp.registerVcpuSyscallCb(id, onSyscall)
  qp.registerVcpuSyscallRetCb(id, onSyscallRet)
  qp.registerVcpuSyscallFilterCb(id, onSyscallFilter)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
