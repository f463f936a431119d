/**
 * System information, resource and scheduling calls: uname, getrandom,
 * prlimit, sysinfo, umask, prctl, capabilities, personality, membarrier,
 * rseq, riscv_hwprobe, sched_*, getrusage, times, priorities.
 */
import * as os from 'node:os'
import type { Ext } from '../../target/riscv/decode/table.js'
import { E } from '../errno.js'
import type { Process } from '../process.js'
import {
  encode,
  getU32,
  getU64,
  int,
  putU32,
  putU64,
  readString,
  Struct,
  type Sys,
  type SyscallTable,
  size,
} from './context.js'

/** riscv_hwprobe keys (Linux's asm/hwprobe.h) answered, 0 to 6: what QEMU 10 answers too. */
const enum HwprobeKey {
  MVendorId = 0,
  MArchId = 1,
  MImpId = 2,
  BaseBehavior = 3,
  ImaExt0 = 4,
  CpuPerf0 = 5,
  ZicbozBlockSize = 6,
}
/** IMA_EXT_0 bit of each extension rvscope implements (FD stands for F and D together). */
const IMA_EXT_0_BITS: [Ext | 'fd', bigint][] = [
  ['fd', 0n],
  ['c', 1n],
  ['zba', 3n],
  ['zbb', 4n],
  ['zbs', 5n],
  ['zbc', 7n],
  ['zicond', 35n],
  ['zihintpause', 36n],
]
const HWPROBE_BASE_BEHAVIOR_IMA = 1n
/** Misaligned accesses are as fast as aligned ones (they are emulated in one step), as QEMU reports. */
const HWPROBE_MISALIGNED_FAST = 3n

/** What riscv_hwprobe reports for `key`, or undefined for a key it does not know. */
export function hwprobeValue(exts: ReadonlySet<Ext>, key: bigint): bigint | undefined {
  switch (key) {
    case BigInt(HwprobeKey.MVendorId):
    case BigInt(HwprobeKey.MArchId):
    case BigInt(HwprobeKey.MImpId):
      return 0n
    case BigInt(HwprobeKey.BaseBehavior):
      return exts.has('i') && exts.has('m') && exts.has('a') ? HWPROBE_BASE_BEHAVIOR_IMA : 0n
    case BigInt(HwprobeKey.ImaExt0): {
      let v = 0n
      for (const [e, bit] of IMA_EXT_0_BITS)
        if (e === 'fd' ? exts.has('f') && exts.has('d') : exts.has(e)) v |= 1n << bit
      return v
    }
    case BigInt(HwprobeKey.CpuPerf0):
      return HWPROBE_MISALIGNED_FAST
    case BigInt(HwprobeKey.ZicbozBlockSize):
      return 0n // no Zicboz
    default:
      return undefined
  }
}

/**
 * riscv_hwprobe(pairs, pair_count, cpusetsize, cpus, flags): fills each
 * {key, value} pair; an unknown key becomes -1 with value 0. Every hart is
 * alike, so the CPU set only has to be valid (not empty). The
 * RISCV_HWPROBE_WHICH_CPUS flag and the keys past ZICBOZ_BLOCK_SIZE (Linux
 * 6.8+) are not answered yet: flags other than 0 give EINVAL, as under QEMU 10.
 */
function riscvHwprobe(s: Sys, a: readonly bigint[]): number {
  const [pairs, count, setSize, cpus, flags] = a as [bigint, bigint, bigint, bigint, bigint]
  if (flags !== 0n) return -E.INVAL
  if (setSize !== 0n || cpus !== 0n) {
    if (setSize === 0n || cpus === 0n) return -E.INVAL
    const set = s.mem.read(cpus, Number(setSize > 1024n ? 1024n : setSize))
    if (set.every((b) => b === 0)) return -E.INVAL
  }
  for (let i = 0n; i < count; i++) {
    const at = pairs + i * 16n
    const value = hwprobeValue(s.k.opts.exts, BigInt.asIntN(64, getU64(s.mem, at)))
    if (value === undefined) putU64(s.mem, at, 0xffff_ffff_ffff_ffffn)
    putU64(s.mem, at + 8n, value ?? 0n)
  }
  return 0
}

/** struct utsname: six 65-byte fields. */
function uname(s: Sys, a: readonly bigint[]): number {
  const fields = ['Linux', os.hostname(), '6.1.0', '#1 SMP', 'riscv64', '(none)']
  const out = new Uint8Array(65 * 6)
  for (const [i, f] of fields.entries()) out.set(encode(f).subarray(0, 64), 65 * i)
  s.mem.write(a[0]!, out)
  return 0
}

const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn
/** Default limits (soft, hard) per resource, as a typical Linux login session has them. */
const LIMITS: Record<number, [bigint, bigint]> = {
  0: [RLIM_INFINITY, RLIM_INFINITY], // CPU
  1: [RLIM_INFINITY, RLIM_INFINITY], // FSIZE
  2: [RLIM_INFINITY, RLIM_INFINITY], // DATA
  3: [8n << 20n, RLIM_INFINITY], // STACK
  4: [0n, RLIM_INFINITY], // CORE
  5: [RLIM_INFINITY, RLIM_INFINITY], // RSS
  6: [63_000n, 63_000n], // NPROC
  7: [1024n, 1024n], // NOFILE
  8: [8n << 20n, 8n << 20n], // MEMLOCK
  9: [RLIM_INFINITY, RLIM_INFINITY], // AS
}

/** RLIMIT_CORE soft limit: a signal's default core dump sets WCOREDUMP only when it is not 0. */
export function coreLimit(): bigint {
  return LIMITS[4]![0]
}

function prlimit64(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!)
  const res = int(a[1]!)
  // Limits are engine-wide: every guest process sees the same ones.
  if (pid !== 0 && s.k.findProcess(pid) === undefined && s.k.findThread(pid) === undefined) return -E.SRCH
  const lim = LIMITS[res]
  if (lim === undefined) return -E.INVAL
  if (a[3] !== 0n) {
    putU64(s.mem, a[3]!, lim[0])
    putU64(s.mem, a[3]! + 8n, lim[1])
  }
  if (a[2] !== 0n) {
    const soft = getU64(s.mem, a[2]!)
    const hard = getU64(s.mem, a[2]! + 8n)
    if (soft > hard) return -E.INVAL
    LIMITS[res] = [soft, hard]
  }
  return 0
}

function getrandom(s: Sys, a: readonly bigint[]): number {
  const n = size(a[1]!)
  s.mem.write(a[0]!, s.k.randomBytes(n))
  return n
}

function sysinfo(s: Sys, a: readonly bigint[]): number {
  const b = new Struct(112)
  const load = os.loadavg().map((l) => BigInt(Math.round(l * 65536)))
  b.u64(0, Math.floor(os.uptime())).u64(8, load[0]!).u64(16, load[1]!).u64(24, load[2]!)
  b.u64(32, os.totalmem()).u64(40, os.freemem()).u16(80, 1).u32(104, 1)
  b.u16(80, Math.min(s.k.processes.size, 65535))
  s.mem.write(a[0]!, b.bytes)
  return 0
}

export const miscSyscalls: SyscallTable = {
  160: { name: 'uname', fn: uname, args: 'x' },
  166: {
    name: 'umask',
    fn: (s, a) => {
      const old = s.p.umask
      s.p.umask = int(a[0]!) & 0o777
      return old
    },
    args: 'o',
  },
  261: { name: 'prlimit64', fn: prlimit64, args: 'ddxx' },
  163: { name: 'getrlimit', fn: (s, a) => prlimit64(s, [0n, a[0]!, 0n, a[1]!]), args: 'dx' },
  278: { name: 'getrandom', fn: getrandom, args: 'xuu' },
  179: { name: 'sysinfo', fn: sysinfo, args: 'x' },
  164: { name: 'setrlimit', fn: (s, a) => prlimit64(s, [0n, a[0]!, a[1]!, 0n]), args: 'dx' },
  167: { name: 'prctl', fn: prctl, args: 'dxxxx' },
  90: { name: 'capget', fn: capget, args: 'xx' },
  91: { name: 'capset', fn: capset, args: 'xx' },
  92: {
    name: 'personality',
    fn: (s, a) => {
      const old = s.p.personality
      const v = Number(a[0]! & 0xffff_ffffn)
      if (v !== 0xffff_ffff) s.p.personality = v
      return old
    },
    args: 'x',
  },
  283: { name: 'membarrier', fn: membarrier, args: 'ddd' },
  // glibc registers rseq when the kernel has it; without it, it falls back.
  293: { name: 'rseq', fn: () => -E.NOSYS, args: 'xudx' },
  258: { name: 'riscv_hwprobe', fn: riscvHwprobe, args: 'xuuxu' },
  118: {
    name: 'sched_setparam',
    fn: (s, a) => schedTarget(s, a[0]!) ?? (getU32(s.mem, a[1]!) === 0 ? 0 : -E.INVAL),
    args: 'dx',
  },
  119: { name: 'sched_setscheduler', fn: schedSetscheduler, args: 'ddx' },
  120: { name: 'sched_getscheduler', fn: (s, a) => schedTarget(s, a[0]!) ?? SCHED_OTHER, args: 'd' },
  121: {
    name: 'sched_getparam',
    fn: (s, a) => {
      const e = schedTarget(s, a[0]!)
      if (e !== undefined) return e
      putU32(s.mem, a[1]!, 0)
      return 0
    },
    args: 'dx',
  },
  122: { name: 'sched_setaffinity', fn: schedSetaffinity, args: 'dux' },
  123: { name: 'sched_getaffinity', fn: schedGetaffinity, args: 'dux' },
  // Returning lets the scheduler run another thread (it switches after every system call).
  124: { name: 'sched_yield', fn: () => 0, args: '' },
  125: { name: 'sched_get_priority_max', fn: (_s, a) => priorityRange(int(a[0]!), 99), args: 'd' },
  126: { name: 'sched_get_priority_min', fn: (_s, a) => priorityRange(int(a[0]!), 1), args: 'd' },
  127: {
    name: 'sched_rr_get_interval',
    fn: (s, a) => {
      const e = schedTarget(s, a[0]!)
      if (e !== undefined) return e
      s.mem.write(a[1]!, new Struct(16).u64(0, 0).u64(8, 100_000_000).bytes)
      return 0
    },
    args: 'dx',
  },
  140: { name: 'setpriority', fn: setpriority, args: 'ddd' },
  141: { name: 'getpriority', fn: getpriority, args: 'dd' },
  153: { name: 'times', fn: times, args: 'x' },
  165: { name: 'getrusage', fn: getrusage, args: 'dx' },
  168: {
    name: 'getcpu',
    fn: (s, a) => {
      if (a[0] !== 0n) putU32(s.mem, a[0]!, 0)
      if (a[1] !== 0n) putU32(s.mem, a[1]!, 0)
      return 0
    },
    args: 'xxx',
  },
}

// ---- prctl, capabilities, membarrier -----------------------------------------

const PR_SET_PDEATHSIG = 1
const PR_GET_PDEATHSIG = 2
const PR_GET_DUMPABLE = 3
const PR_SET_DUMPABLE = 4
const PR_SET_NAME = 15
const PR_GET_NAME = 16
const PR_SET_CHILD_SUBREAPER = 36
const PR_GET_CHILD_SUBREAPER = 37
const PR_SET_NO_NEW_PRIVS = 38
const PR_GET_NO_NEW_PRIVS = 39

function prctl(s: Sys, a: readonly bigint[]): number {
  const opt = int(a[0]!)
  switch (opt) {
    case PR_SET_NAME: {
      const bytes = s.mem.read(a[1]!, 16)
      const end = bytes.indexOf(0)
      s.t.comm = readString(s.mem, a[1]!).slice(0, end < 0 || end > 15 ? 15 : end)
      return 0
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(16)
      out.set(encode(s.t.comm).subarray(0, 15))
      s.mem.write(a[1]!, out)
      return 0
    }
    case PR_SET_PDEATHSIG: {
      const sig = int(a[1]!)
      if (sig < 0 || sig > 64) return -E.INVAL
      s.p.pdeathsig = sig
      return 0
    }
    case PR_GET_PDEATHSIG:
      putU32(s.mem, a[1]!, s.p.pdeathsig)
      return 0
    case PR_GET_DUMPABLE:
      return 1
    case PR_SET_DUMPABLE:
      return a[1]! <= 1n ? 0 : -E.INVAL
    case PR_SET_CHILD_SUBREAPER:
      return 0
    case PR_GET_CHILD_SUBREAPER:
      putU32(s.mem, a[1]!, 0)
      return 0
    case PR_SET_NO_NEW_PRIVS:
      return a[1]! === 1n ? 0 : -E.INVAL
    case PR_GET_NO_NEW_PRIVS:
      return 0
    default:
      return -E.INVAL
  }
}

const LINUX_CAPABILITY_VERSION_1 = 0x19980330
const LINUX_CAPABILITY_VERSION_2 = 0x20071026
const LINUX_CAPABILITY_VERSION_3 = 0x20080522

/** Capabilities of a process: all of them for root, none otherwise (no file capabilities). */
function capWords(): [number, number] {
  return (process.getuid?.() ?? 0) === 0 ? [0xffff_ffff, 0x1ff] : [0, 0]
}

function capHeader(s: Sys, hdr: bigint): number | undefined {
  const version = getU32(s.mem, hdr)
  const pid = getU32(s.mem, hdr + 4n) | 0
  if (
    version !== LINUX_CAPABILITY_VERSION_1 &&
    version !== LINUX_CAPABILITY_VERSION_2 &&
    version !== LINUX_CAPABILITY_VERSION_3
  ) {
    putU32(s.mem, hdr, LINUX_CAPABILITY_VERSION_3)
    return -E.INVAL
  }
  if (pid < 0) return -E.INVAL
  if (pid !== 0 && s.k.findProcess(pid) === undefined && s.k.findThread(pid) === undefined) return -E.SRCH
  return version === LINUX_CAPABILITY_VERSION_1 ? 1 : 2
}

function capget(s: Sys, a: readonly bigint[]): number {
  const words = capHeader(s, a[0]!)
  if (words === undefined || words < 0) return words ?? -E.INVAL
  if (a[1] === 0n) return 0
  const caps = capWords()
  const b = new Struct(12 * words)
  for (let i = 0; i < words; i++)
    b.u32(12 * i, caps[i]!)
      .u32(12 * i + 4, caps[i]!)
      .u32(12 * i + 8, 0)
  s.mem.write(a[1]!, b.bytes)
  return 0
}

/** capset: only the current set (no change) is accepted. */
function capset(s: Sys, a: readonly bigint[]): number {
  const words = capHeader(s, a[0]!)
  if (words === undefined || words < 0) return words ?? -E.INVAL
  const caps = capWords()
  for (let i = 0; i < words; i++) {
    const eff = getU32(s.mem, a[1]! + BigInt(12 * i))
    const perm = getU32(s.mem, a[1]! + BigInt(12 * i + 4))
    if ((eff | perm) & ~caps[i]!) return -E.PERM
  }
  return 0
}

const MEMBARRIER_CMD_QUERY = 0
/** GLOBAL, GLOBAL_EXPEDITED, REGISTER_GLOBAL_EXPEDITED, PRIVATE_EXPEDITED, REGISTER_PRIVATE_EXPEDITED. */
const MEMBARRIER_SUPPORTED = 1 | 2 | 4 | 8 | 16

/** membarrier: the engine runs one thread at a time, so every barrier is already there. */
function membarrier(_s: Sys, a: readonly bigint[]): number {
  const cmd = int(a[0]!)
  if (int(a[1]!) !== 0) return -E.INVAL
  if (cmd === MEMBARRIER_CMD_QUERY) return MEMBARRIER_SUPPORTED
  if (cmd < 0 || (cmd & (cmd - 1)) !== 0 || !(cmd & MEMBARRIER_SUPPORTED)) return -E.INVAL
  return 0
}

// ---- scheduling ------------------------------------------------------------

const SCHED_OTHER = 0
const SCHED_FIFO = 1
const SCHED_RR = 2
const SCHED_BATCH = 3
const SCHED_IDLE = 5

/** -ESRCH for a pid naming no thread or process, -EINVAL for a negative one, undefined when fine. */
function schedTarget(s: Sys, pid: bigint): number | undefined {
  const id = int(pid)
  if (id < 0) return -E.INVAL
  if (id === 0) return undefined
  return s.k.findThread(id) !== undefined || s.k.findProcess(id)?.zombie === false ? undefined : -E.SRCH
}

function priorityRange(policy: number, rt: number): number {
  if (policy === SCHED_FIFO || policy === SCHED_RR) return rt
  if (policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE) return 0
  return -E.INVAL
}

function schedSetscheduler(s: Sys, a: readonly bigint[]): number {
  const e = schedTarget(s, a[0]!)
  if (e !== undefined) return e
  const policy = int(a[1]!) & ~0x4000_0000 // SCHED_RESET_ON_FORK
  const prio = getU32(s.mem, a[2]!)
  if (policy === SCHED_FIFO || policy === SCHED_RR) return (process.getuid?.() ?? 0) === 0 ? 0 : -E.PERM
  if (policy !== SCHED_OTHER && policy !== SCHED_BATCH && policy !== SCHED_IDLE) return -E.INVAL
  return prio === 0 ? 0 : -E.INVAL
}

/** The engine presents one CPU. */
function schedGetaffinity(s: Sys, a: readonly bigint[]): number {
  const e = schedTarget(s, a[0]!)
  if (e !== undefined) return e
  const len = a[1]!
  if (len < 8n || len & 7n) return -E.INVAL
  putU64(s.mem, a[2]!, 1n)
  return 8
}

function schedSetaffinity(s: Sys, a: readonly bigint[]): number {
  const e = schedTarget(s, a[0]!)
  if (e !== undefined) return e
  if (a[1]! === 0n) return -E.INVAL
  const first = s.mem.read(a[2]!, 1)[0]!
  return first & 1 ? 0 : -E.INVAL
}

const PRIO_PROCESS = 0
const PRIO_PGRP = 1
const PRIO_USER = 2

function priorityTargets(s: Sys, which: number, who: number): Process[] | number {
  const live = [...s.k.processes.values()].filter((p) => !p.zombie)
  switch (which) {
    case PRIO_PROCESS: {
      if (who === 0) return [s.p]
      const p = s.k.findProcess(who) ?? s.k.findThread(who)?.proc
      return p === undefined || p.zombie ? [] : [p]
    }
    case PRIO_PGRP:
      return live.filter((p) => p.pgid === (who === 0 ? s.p.pgid : who))
    case PRIO_USER:
      return who === 0 || who === (process.getuid?.() ?? 0) ? live : []
    default:
      return -E.INVAL
  }
}

/** getpriority returns 20 - nice (the raw system call never returns a negative success). */
function getpriority(s: Sys, a: readonly bigint[]): number {
  const ps = priorityTargets(s, int(a[0]!), int(a[1]!))
  if (typeof ps === 'number') return ps
  if (ps.length === 0) return -E.SRCH
  return 20 - Math.min(...ps.map((p) => p.nice))
}

/** setpriority: raising the nice value is allowed; lowering it needs root. */
function setpriority(s: Sys, a: readonly bigint[]): number {
  const ps = priorityTargets(s, int(a[0]!), int(a[1]!))
  if (typeof ps === 'number') return ps
  if (ps.length === 0) return -E.SRCH
  const nice = Math.max(-20, Math.min(19, int(a[2]!)))
  const root = (process.getuid?.() ?? 0) === 0
  for (const p of ps) if (nice < p.nice && !root) return -E.ACCES
  for (const p of ps) p.nice = nice
  return 0
}

// ---- usage -------------------------------------------------------------------

const RUSAGE_SELF = 0
const RUSAGE_CHILDREN = -1
const RUSAGE_THREAD = 1
const startMs = performance.now()

/** Host CPU time of the engine, split as (user, system) µs: the engine's whole process for RUSAGE_SELF. */
function cpuUsage(): { user: number; system: number } {
  return process.cpuUsage()
}

function getrusage(s: Sys, a: readonly bigint[]): number {
  const who = int(a[0]!)
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -E.INVAL
  const b = new Struct(144)
  if (who !== RUSAGE_CHILDREN) {
    const u = cpuUsage()
    b.u64(0, Math.floor(u.user / 1e6))
      .u64(8, u.user % 1e6)
      .u64(16, Math.floor(u.system / 1e6))
      .u64(24, u.system % 1e6)
    b.u64(32, Math.floor(process.memoryUsage.rss() / 1024))
  }
  s.mem.write(a[1]!, b.bytes)
  return 0
}

/** times(): CPU times in clock ticks (100 Hz); returns ticks since an arbitrary point. */
function times(s: Sys, a: readonly bigint[]): number {
  if (a[0] !== 0n) {
    const u = cpuUsage()
    s.mem.write(
      a[0]!,
      new Struct(32).u64(0, Math.floor(u.user / 10_000)).u64(8, Math.floor(u.system / 10_000)).bytes,
    )
  }
  return Math.floor((performance.now() - startMs) / 10) + 100_000
}
