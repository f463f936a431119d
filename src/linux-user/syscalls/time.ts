/** Clocks, sleeps and time queries. */
import { Block } from '../block.js'
import { E } from '../errno.js'
import { getU64, i64, int, Struct, type Sys, type SyscallTable } from './context.js'

const CLOCK_REALTIME = 0
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

const timespec = (ns: bigint): Uint8Array => new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, ns % 1_000_000_000n).bytes

function readTimespec(s: Sys, addr: bigint): bigint | number {
  const sec = i64(getU64(s.mem, addr))
  const nsec = i64(getU64(s.mem, addr + 8n))
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -E.INVAL
  return sec * 1_000_000_000n + nsec
}

/** Sleep until `targetNs` on `clock`; a signal handler interrupts it with -EINTR (never restarted). */
function sleepUntil(clock: number, targetNs: bigint): number | Block<number> {
  const now = clockNs(clock)!
  if (targetNs <= now) return 0
  const deadline = performance.now() + Number(targetNs - now) / 1e6
  return new Block<number>(() => false, () => 0, deadline, true, false)
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
      if (a[0] !== 0n) s.mem.write(a[0]!, new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, (ns % 1_000_000_000n) / 1000n).bytes)
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
      return sleepUntil(CLOCK_MONOTONIC, clockNs(CLOCK_MONOTONIC)! + d)
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
      const target = int(a[1]!) & TIMER_ABSTIME ? d : clockNs(clock)! + d
      return sleepUntil(clock, target)
    },
    args: 'ddxx',
  },
}
