/**
 * Clocks, sleeps, time queries and timers: setitimer/getitimer and the
 * POSIX timers (timer_create…). Timers live in the kernel's timer list,
 * which the scheduler checks between time slices (and sleeps on when every
 * thread waits), so a signal from a timer arrives at a slice boundary.
 */
import { Block } from '../block.js'
import { E } from '../errno.js'
import type { KTimer, PosixTimer, Process } from '../process.js'
import { SiCode, Sig, type SigInfo } from '../signal-types.js'
import { sendToProcess, sendToThread } from '../signals.js'
import { getU32, getU64, i64, int, putU32, Struct, type Sys, type SyscallTable } from './context.js'

export const CLOCK_REALTIME = 0
const CLOCK_MONOTONIC = 1
const CLOCK_PROCESS_CPUTIME_ID = 2
const CLOCK_THREAD_CPUTIME_ID = 3
const CLOCK_MONOTONIC_RAW = 4
const CLOCK_REALTIME_COARSE = 5
const CLOCK_MONOTONIC_COARSE = 6
const CLOCK_BOOTTIME = 7
const TIMER_ABSTIME = 1

const startWall = BigInt(Date.now()) * 1_000_000n
const startMono = process.hrtime.bigint()
/** Nanoseconds on `clock`, or undefined for an unknown clock. */
export function clockNs(clock: number): bigint | undefined {
  const mono = process.hrtime.bigint()
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return startWall + (mono - startMono)
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      return mono
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return BigInt(process.cpuUsage().user) * 1000n
    default:
      return undefined
  }
}

const timespec = (ns: bigint): Uint8Array =>
  new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, ns % 1_000_000_000n).bytes

function readTimespec(s: Sys, addr: bigint): bigint | number {
  const sec = i64(getU64(s.mem, addr))
  const nsec = i64(getU64(s.mem, addr + 8n))
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -E.INVAL
  return sec * 1_000_000_000n + nsec
}

/**
 * Sleep until `targetNs` on `clock`; a signal handler interrupts it with
 * -EINTR (never restarted), the time left written to `rem` when not 0.
 */
function sleepUntil(s: Sys, clock: number, targetNs: bigint, rem: bigint): number | Block<number> {
  const now = clockNs(clock)!
  if (targetNs <= now) return 0
  const deadline = performance.now() + Number(targetNs - now) / 1e6
  const b = new Block<number>(
    () => false,
    () => 0,
    deadline,
    true,
    false,
  )
  if (rem !== 0n) {
    const mem = s.mem
    b.onCancel(() => {
      const left = targetNs - clockNs(clock)!
      try {
        mem.write(rem, timespec(left > 0n ? left : 0n))
      } catch {
        // nanosleep's rem is best effort once the sleep is over.
      }
    })
  }
  return b
}

// ---- timers ----------------------------------------------------------------

const NS_PER_MS = 1e6
const msOf = (ns: bigint): number => Number(ns) / NS_PER_MS
const nsOf = (ms: number): bigint => BigInt(Math.max(0, Math.round(ms * NS_PER_MS)))

/** Time left and interval of a timer, in ns (0, 0 when disarmed). */
function timerState(tm: KTimer | undefined): [bigint, bigint] {
  if (tm === undefined) return [0n, 0n]
  const left = nsOf(tm.deadline - performance.now())
  // An armed timer never reports 0 left (that would read as disarmed).
  return [left > 0n ? left : 1n, nsOf(tm.interval)]
}

const ITIMER_SIGNALS = [Sig.ALRM, Sig.VTALRM, Sig.PROF]

function readTimeval(s: Sys, addr: bigint): bigint | number {
  const sec = i64(getU64(s.mem, addr))
  const usec = i64(getU64(s.mem, addr + 8n))
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) return -E.INVAL
  return sec * 1_000_000_000n + usec * 1000n
}

/** struct timeval of ns, rounded up to whole microseconds (as the kernel reports itimers). */
const timeval = (ns: bigint): [bigint, bigint] => {
  const us = (ns + 999n) / 1000n
  return [us / 1_000_000n, us % 1_000_000n]
}

function writeItimerval(s: Sys, addr: bigint, [value, interval]: [bigint, bigint]): void {
  const [is, ius] = timeval(interval)
  const [vs, vus] = timeval(value)
  s.mem.write(addr, new Struct(32).u64(0, is).u64(8, ius).u64(16, vs).u64(24, vus).bytes)
}

/** Arm (or with value 0 disarm) ITIMER_REAL/VIRTUAL/PROF of `p`. VIRTUAL and PROF run on wall time. */
function armItimer(s: Sys, p: Process, which: number, valueNs: bigint, intervalNs: bigint): void {
  const old = p.itimers[which]
  if (old !== undefined) s.k.removeTimer(old)
  p.itimers[which] = undefined
  if (valueNs === 0n) return
  const k = s.k
  const tm: KTimer = {
    deadline: performance.now() + msOf(valueNs),
    interval: msOf(intervalNs),
    fire: () => {
      if (tm.interval === 0 && p.itimers[which] === tm) p.itimers[which] = undefined
      sendToProcess(k, p, { signo: ITIMER_SIGNALS[which]!, code: SiCode.KERNEL })
    },
  }
  p.itimers[which] = tm
  k.addTimer(tm)
}

function setitimer(s: Sys, a: readonly bigint[]): number {
  const which = int(a[0]!)
  if (which < 0 || which > 2) return -E.INVAL
  let value = 0n
  let interval = 0n
  if (a[1]! !== 0n) {
    const i = readTimeval(s, a[1]!)
    const v = readTimeval(s, a[1]! + 16n)
    if (typeof i === 'number') return i
    if (typeof v === 'number') return v
    value = v
    interval = i
  }
  if (a[2]! !== 0n) writeItimerval(s, a[2]!, timerState(s.p.itimers[which]))
  armItimer(s, s.p, which, value, interval)
  return 0
}

function getitimer(s: Sys, a: readonly bigint[]): number {
  const which = int(a[0]!)
  if (which < 0 || which > 2) return -E.INVAL
  writeItimerval(s, a[1]!, timerState(s.p.itimers[which]))
  return 0
}

const SIGEV_SIGNAL = 0
const SIGEV_NONE = 1
const SIGEV_THREAD_ID = 4
const TIMER_CLOCKS = new Set([
  CLOCK_REALTIME,
  CLOCK_MONOTONIC,
  CLOCK_PROCESS_CPUTIME_ID,
  CLOCK_THREAD_CPUTIME_ID,
  CLOCK_BOOTTIME,
])

function timerCreate(s: Sys, a: readonly bigint[]): number {
  const clock = int(a[0]!)
  if (!TIMER_CLOCKS.has(clock)) return -E.INVAL
  const p = s.p
  let id = 0
  while (p.posixTimers.has(id)) id++
  const pt: PosixTimer = {
    id,
    clock,
    notify: SIGEV_SIGNAL,
    signo: Sig.ALRM,
    value: BigInt(id),
    tid: 0,
    overrun: 0,
  }
  if (a[1]! !== 0n) {
    pt.value = getU64(s.mem, a[1]!)
    pt.signo = getU32(s.mem, a[1]! + 8n) | 0
    pt.notify = getU32(s.mem, a[1]! + 12n) | 0
    pt.tid = getU32(s.mem, a[1]! + 16n) | 0
    if (pt.notify !== SIGEV_SIGNAL && pt.notify !== SIGEV_NONE && pt.notify !== SIGEV_THREAD_ID)
      return -E.INVAL
    if (pt.notify !== SIGEV_NONE && (pt.signo < 1 || pt.signo > 64)) return -E.INVAL
    if (pt.notify === SIGEV_THREAD_ID && !p.threads.some((t) => t.tid === pt.tid)) return -E.INVAL
  }
  putU32(s.mem, a[2]!, id)
  p.posixTimers.set(id, pt)
  return 0
}

/** A POSIX timer expired `count` times: queue its signal, or count an overrun if one is still pending. */
function firePosix(s: Sys, p: Process, pt: PosixTimer, count: number): void {
  if (pt.notify === SIGEV_NONE) return
  const queued = [...p.pending, ...p.threads.flatMap((t) => t.pending)].find((i) => i.timer === pt)
  if (queued !== undefined) {
    queued.overrun = (queued.overrun ?? 0) + count
    pt.overrun = queued.overrun
    return
  }
  pt.overrun = count - 1
  const info: SigInfo = {
    signo: pt.signo,
    code: SiCode.TIMER,
    timerId: pt.id,
    overrun: count - 1,
    value: pt.value,
    timer: pt,
  }
  const target = pt.notify === SIGEV_THREAD_ID ? p.threads.find((t) => t.tid === pt.tid) : undefined
  if (target !== undefined) sendToThread(target, info, s.k)
  else sendToProcess(s.k, p, info)
}

function timerSettime(s: Sys, a: readonly bigint[]): number {
  const p = s.p
  const pt = p.posixTimers.get(int(a[0]!))
  if (pt === undefined) return -E.INVAL
  const flags = int(a[1]!)
  const interval = readTimespec(s, a[2]!)
  const value = readTimespec(s, a[2]! + 16n)
  if (typeof interval === 'number') return interval
  if (typeof value === 'number') return value
  if (a[3]! !== 0n) writeItimerspec(s, a[3]!, timerState(pt.timer))
  if (pt.timer !== undefined) s.k.removeTimer(pt.timer)
  pt.timer = undefined
  if (value === 0n) return 0
  const rel = flags & TIMER_ABSTIME ? value - clockNs(pt.clock)! : value
  const k = s.k
  const tm: KTimer = {
    deadline: performance.now() + Math.max(0, msOf(rel)),
    interval: msOf(interval),
    fire: (count) => {
      if (tm.interval === 0 && pt.timer === tm) pt.timer = undefined
      firePosix(s, p, pt, count)
    },
  }
  pt.timer = tm
  k.addTimer(tm)
  return 0
}

function writeItimerspec(s: Sys, addr: bigint, [value, interval]: [bigint, bigint]): void {
  const b = new Struct(32)
  b.u64(0, interval / 1_000_000_000n).u64(8, interval % 1_000_000_000n)
  b.u64(16, value / 1_000_000_000n).u64(24, value % 1_000_000_000n)
  s.mem.write(addr, b.bytes)
}

function timerGettime(s: Sys, a: readonly bigint[]): number {
  const pt = s.p.posixTimers.get(int(a[0]!))
  if (pt === undefined) return -E.INVAL
  writeItimerspec(s, a[1]!, timerState(pt.timer))
  return 0
}

function timerDelete(s: Sys, a: readonly bigint[]): number {
  const p = s.p
  const pt = p.posixTimers.get(int(a[0]!))
  if (pt === undefined) return -E.INVAL
  if (pt.timer !== undefined) s.k.removeTimer(pt.timer)
  p.posixTimers.delete(pt.id)
  // Its pending signal goes with it.
  p.pending = p.pending.filter((i) => i.timer !== pt)
  for (const t of p.threads) t.pending = t.pending.filter((i) => i.timer !== pt)
  return 0
}

export const timeSyscalls: SyscallTable = {
  113: {
    name: 'clock_gettime',
    fn: (s, a) => {
      const ns = clockNs(int(a[0]!))
      if (ns === undefined) return -E.INVAL
      s.mem.write(a[1]!, timespec(ns))
      return 0
    },
    args: 'dx',
  },
  114: {
    name: 'clock_getres',
    fn: (s, a) => {
      if (clockNs(int(a[0]!)) === undefined) return -E.INVAL
      if (a[1] !== 0n) s.mem.write(a[1]!, timespec(1n))
      return 0
    },
    args: 'dx',
  },
  169: {
    name: 'gettimeofday',
    fn: (s, a) => {
      const ns = clockNs(CLOCK_REALTIME)!
      if (a[0] !== 0n)
        s.mem.write(
          a[0]!,
          new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, (ns % 1_000_000_000n) / 1000n).bytes,
        )
      if (a[1] !== 0n) s.mem.write(a[1]!, new Uint8Array(8))
      return 0
    },
    args: 'xx',
  },
  101: {
    name: 'nanosleep',
    fn: (s, a) => {
      const d = readTimespec(s, a[0]!)
      if (typeof d === 'number') return d
      return sleepUntil(s, CLOCK_MONOTONIC, clockNs(CLOCK_MONOTONIC)! + d, a[1]!)
    },
    args: 'xx',
  },
  115: {
    name: 'clock_nanosleep',
    fn: (s, a) => {
      const clock = int(a[0]!)
      if (clockNs(clock) === undefined) return -E.INVAL
      const d = readTimespec(s, a[2]!)
      if (typeof d === 'number') return d
      const abs = (int(a[1]!) & TIMER_ABSTIME) !== 0
      return sleepUntil(s, clock, abs ? d : clockNs(clock)! + d, abs ? 0n : a[3]!)
    },
    args: 'ddxx',
  },
  102: { name: 'getitimer', fn: getitimer, args: 'dx' },
  103: { name: 'setitimer', fn: setitimer, args: 'dxx' },
  107: { name: 'timer_create', fn: timerCreate, args: 'dxx' },
  108: { name: 'timer_gettime', fn: timerGettime, args: 'dx' },
  109: {
    name: 'timer_getoverrun',
    fn: (s, a) => s.p.posixTimers.get(int(a[0]!))?.overrun ?? -E.INVAL,
    args: 'd',
  },
  110: { name: 'timer_settime', fn: timerSettime, args: 'ddxx' },
  111: { name: 'timer_delete', fn: timerDelete, args: 'd' },
}
