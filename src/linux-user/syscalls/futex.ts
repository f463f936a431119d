/**
 * futex(2) and the robust futex list.
 *
 * Waiters form one FIFO list for the whole engine. A waiter is found by
 * (address space, address); for the non-private operations a waiter in
 * another address space also matches when both words live in the same
 * arena frame (a MAP_SHARED page seen by several processes). A copy-on-
 * write frame still shared after fork can match that way too: that is a
 * spurious wake-up, which futex users must tolerate anyway.
 *
 * A waiting thread returns a Block polling its waiter's `woken` flag, which
 * FUTEX_WAKE and friends set: no host callbacks, so scheduling stays
 * deterministic.
 *
 * Priority-inheritance futexes are implemented without the priority part
 * (the scheduler has no priorities): FUTEX_LOCK_PI, FUTEX_LOCK_PI2,
 * FUTEX_TRYLOCK_PI and FUTEX_UNLOCK_PI hand the lock over in FIFO order.
 * FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI return -ENOSYS.
 */
import { Access } from '../../core/errors.js'
import { Block } from '../block.js'
import { E } from '../errno.js'
import type { Kernel } from '../kernel.js'
import type { Mm, Thread } from '../process.js'
import { getU32, getU64, i64, int, type Sys, type SyscallTable } from './context.js'
import { clockNs } from './time.js'

const FUTEX_WAIT = 0
const FUTEX_WAKE = 1
const FUTEX_FD = 2
const FUTEX_REQUEUE = 3
const FUTEX_CMP_REQUEUE = 4
const FUTEX_WAKE_OP = 5
const FUTEX_LOCK_PI = 6
const FUTEX_UNLOCK_PI = 7
const FUTEX_TRYLOCK_PI = 8
const FUTEX_WAIT_BITSET = 9
const FUTEX_WAKE_BITSET = 10
const FUTEX_WAIT_REQUEUE_PI = 11
const FUTEX_CMP_REQUEUE_PI = 12
const FUTEX_LOCK_PI2 = 13
const FUTEX_PRIVATE_FLAG = 128
const FUTEX_CLOCK_REALTIME = 256
const BITSET_MATCH_ANY = 0xffff_ffff

export const FUTEX_WAITERS = 0x8000_0000
export const FUTEX_OWNER_DIED = 0x4000_0000
export const FUTEX_TID_MASK = 0x3fff_ffff

const CLOCK_REALTIME = 0
const CLOCK_MONOTONIC = 1

interface Waiter {
  mm: Mm
  addr: bigint
  /** Arena offset of the word, for non-private operations. */
  phys: number | undefined
  bitset: number
  t: Thread
  woken: boolean
  /** Waits in FUTEX_LOCK_PI: woken means the lock is now its own. */
  pi: boolean
}

export class FutexTable {
  private waiters: Waiter[] = []

  private static matches(w: Waiter, mm: Mm, addr: bigint, phys: number | undefined): boolean {
    if (w.mm === mm) return w.addr === addr
    return phys !== undefined && w.phys === phys
  }

  /** Queue a waiter at the end of the list. */
  add(w: Waiter): void {
    this.waiters.push(w)
  }

  remove(w: Waiter): void {
    const i = this.waiters.indexOf(w)
    if (i >= 0) this.waiters.splice(i, 1)
  }

  /** Wake up to `n` waiters of the word whose bitset intersects `bitset`, oldest first. Returns how many. */
  wake(mm: Mm, addr: bigint, phys: number | undefined, n: number, bitset: number, pi = false): number {
    let woken = 0
    this.waiters = this.waiters.filter((w) => {
      if (woken >= n || w.pi !== pi || !FutexTable.matches(w, mm, addr, phys) || (w.bitset & bitset) === 0)
        return true
      w.woken = true
      woken++
      return false
    })
    return woken
  }

  /** Wake `nWake` waiters of the first word and move up to `nRequeue` others to the second. */
  requeue(
    mm: Mm,
    addr: bigint,
    phys: number | undefined,
    nWake: number,
    nRequeue: number,
    addr2: bigint,
    phys2: number | undefined,
  ): number {
    let woken = 0
    let moved = 0
    this.waiters = this.waiters.filter((w) => {
      if (w.pi || !FutexTable.matches(w, mm, addr, phys)) return true
      if (woken < nWake) {
        w.woken = true
        woken++
        return false
      }
      if (moved < nRequeue) {
        w.mm = mm
        w.addr = addr2
        w.phys = phys2
        moved++
      }
      return true
    })
    return woken + moved
  }

  /** Number of waiters of a word (PI: whether FUTEX_WAITERS stays set). */
  count(mm: Mm, addr: bigint, phys: number | undefined, pi: boolean): number {
    return this.waiters.filter((w) => w.pi === pi && FutexTable.matches(w, mm, addr, phys)).length
  }

  /** Hand a PI lock to its oldest waiter; returns the waiter or undefined. */
  takePiWaiter(mm: Mm, addr: bigint, phys: number | undefined): Waiter | undefined {
    const i = this.waiters.findIndex((w) => w.pi && FutexTable.matches(w, mm, addr, phys))
    if (i < 0) return undefined
    const w = this.waiters.splice(i, 1)[0]!
    w.woken = true
    return w
  }
}

/** Arena offset of the futex word (shared operations), or undefined for private ones. */
function physOf(s: Sys, addr: bigint, priv: boolean): number | undefined {
  if (priv) return undefined
  return s.mem.translate(Number(addr), Access.Read)
}

/** Host deadline (performance.now() ms) for a timeout, or undefined for none; a negative errno for a bad timespec. */
function deadlineOf(s: Sys, ts: bigint, absolute: boolean, clock: number): number | undefined {
  if (ts === 0n) return undefined
  const sec = i64(getU64(s.mem, ts))
  const nsec = i64(getU64(s.mem, ts + 8n))
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -E.INVAL
  const ns = sec * 1_000_000_000n + nsec
  const rel = absolute ? ns - clockNs(clock)! : ns
  return performance.now() + Math.max(0, Number(rel) / 1e6)
}

function waitOn(
  s: Sys,
  addr: bigint,
  val: number,
  bitset: number,
  deadline: number | undefined,
  priv: boolean,
): number | Block<number> {
  if (getU32(s.mem, addr) !== val) return -E.AGAIN
  const k = s.k
  const w: Waiter = { mm: s.p.mm, addr, phys: physOf(s, addr, priv), bitset, t: s.t, woken: false, pi: false }
  // Without a timeout an SA_RESTART handler restarts the wait (-ERESTARTSYS); with one, -EINTR.
  return waitFor(k, w, deadline, deadline === undefined)
}

/** Queue waiter `w` and block until it is woken (0) or `deadline` passes (-ETIMEDOUT). */
function waitFor(k: Sys['k'], w: Waiter, deadline: number | undefined, restartable: boolean): Block<number> {
  k.futexes.add(w)
  return new Block<number>(
    () => w.woken,
    () => {
      if (w.woken) return 0
      k.futexes.remove(w)
      return -E.TIMEDOUT
    },
    deadline,
    true,
    restartable,
  ).onCancel(() => k.futexes.remove(w))
}

/** FUTEX_WAKE_OP's operation on the second word; returns the old value or a negative errno. */
function wakeOp(s: Sys, addr2: bigint, encoded: number): { old: number; cond: boolean } | number {
  let op = (encoded >>> 28) & 0xf
  const cmp = (encoded >>> 24) & 0xf
  let oparg = (((encoded >>> 12) & 0xfff) << 20) >> 20
  const cmparg = ((encoded & 0xfff) << 20) >> 20
  if (op & 8) {
    oparg = 1 << (oparg & 31)
    op &= 7
  }
  const old = getU32(s.mem, addr2)
  let v: number
  switch (op) {
    case 0:
      v = oparg
      break
    case 1:
      v = old + oparg
      break
    case 2:
      v = old | oparg
      break
    case 3:
      v = old & ~oparg
      break
    case 4:
      v = old ^ oparg
      break
    default:
      return -E.NOSYS
  }
  const o = old | 0
  let cond: boolean
  switch (cmp) {
    case 0:
      cond = o === cmparg
      break
    case 1:
      cond = o !== cmparg
      break
    case 2:
      cond = o < cmparg
      break
    case 3:
      cond = o <= cmparg
      break
    case 4:
      cond = o > cmparg
      break
    case 5:
      cond = o >= cmparg
      break
    default:
      return -E.NOSYS
  }
  s.mem.store(addr2, 4, BigInt(v >>> 0))
  return { old, cond }
}

function lockPi(
  s: Sys,
  addr: bigint,
  deadline: number | undefined,
  priv: boolean,
  tryOnly: boolean,
): number | Block<number> {
  const tid = s.t.tid
  const v = getU32(s.mem, addr)
  const owner = v & FUTEX_TID_MASK
  const mm = s.p.mm
  const phys = physOf(s, addr, priv)
  const k = s.k
  if (owner === 0) {
    const waiters = k.futexes.count(mm, addr, phys, true) > 0
    s.mem.store(addr, 4, BigInt(((v & FUTEX_OWNER_DIED) | tid | (waiters ? FUTEX_WAITERS : 0)) >>> 0))
    return 0
  }
  if (owner === tid) return -E.DEADLK
  if (tryOnly) return -E.AGAIN
  // The owner is gone without the robust list releasing the lock.
  if (k.findThread(owner) === undefined) return -E.SRCH
  s.mem.store(addr, 4, BigInt((v | FUTEX_WAITERS) >>> 0))
  const w: Waiter = { mm, addr, phys, bitset: BITSET_MATCH_ANY, t: s.t, woken: false, pi: true }
  return waitFor(k, w, deadline, true)
}

function unlockPi(s: Sys, addr: bigint, priv: boolean): number {
  const v = getU32(s.mem, addr)
  if ((v & FUTEX_TID_MASK) !== s.t.tid) return -E.PERM
  const mm = s.p.mm
  const phys = physOf(s, addr, priv)
  const next = s.k.futexes.takePiWaiter(mm, addr, phys)
  if (next === undefined) {
    s.mem.store(addr, 4, 0n)
    return 0
  }
  const more = s.k.futexes.count(mm, addr, phys, true) > 0
  s.mem.store(addr, 4, BigInt((next.t.tid | (more ? FUTEX_WAITERS : 0)) >>> 0))
  return 0
}

function futex(s: Sys, a: readonly bigint[]): number | Block<number> {
  const addr = a[0]!
  const op = int(a[1]!)
  const val = Number(BigInt.asUintN(32, a[2]!))
  const priv = (op & FUTEX_PRIVATE_FLAG) !== 0
  const realtime = (op & FUTEX_CLOCK_REALTIME) !== 0
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)
  if (
    realtime &&
    cmd !== FUTEX_WAIT &&
    cmd !== FUTEX_WAIT_BITSET &&
    cmd !== FUTEX_WAIT_REQUEUE_PI &&
    cmd !== FUTEX_LOCK_PI2
  )
    return -E.NOSYS
  if (addr & 3n) return -E.INVAL
  const val3 = Number(BigInt.asUintN(32, a[5]!))
  const mm = s.p.mm
  const k = s.k
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const bitset = cmd === FUTEX_WAIT ? BITSET_MATCH_ANY : val3
      if (bitset === 0) return -E.INVAL
      const deadline = deadlineOf(
        s,
        a[3]!,
        cmd === FUTEX_WAIT_BITSET,
        realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC,
      )
      if (deadline !== undefined && deadline < 0) return deadline
      return waitOn(s, addr, val, bitset, deadline, priv)
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
      const bitset = cmd === FUTEX_WAKE ? BITSET_MATCH_ANY : val3
      if (bitset === 0) return -E.INVAL
      return k.futexes.wake(mm, addr, physOf(s, addr, priv), Math.max(0, int(a[2]!)), bitset)
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
      const nWake = int(a[2]!)
      const nRequeue = int(a[3]!)
      if (nWake < 0 || nRequeue < 0) return -E.INVAL
      const addr2 = a[4]!
      if (addr2 & 3n) return -E.INVAL
      if (cmd === FUTEX_CMP_REQUEUE && getU32(s.mem, addr) !== val3) return -E.AGAIN
      return k.futexes.requeue(
        mm,
        addr,
        physOf(s, addr, priv),
        nWake,
        nRequeue,
        addr2,
        physOf(s, addr2, priv),
      )
    }
    case FUTEX_WAKE_OP: {
      const addr2 = a[4]!
      if (addr2 & 3n) return -E.INVAL
      const r = wakeOp(s, addr2, val3)
      if (typeof r === 'number') return r
      let n = k.futexes.wake(mm, addr, physOf(s, addr, priv), Math.max(0, int(a[2]!)), BITSET_MATCH_ANY)
      if (r.cond)
        n += k.futexes.wake(mm, addr2, physOf(s, addr2, priv), Math.max(0, int(a[3]!)), BITSET_MATCH_ANY)
      return n
    }
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2: {
      // LOCK_PI: absolute CLOCK_REALTIME timeout; LOCK_PI2: CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME.
      const clock = cmd === FUTEX_LOCK_PI || realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC
      const deadline = deadlineOf(s, a[3]!, true, clock)
      if (deadline !== undefined && deadline < 0) return deadline
      return lockPi(s, addr, deadline, priv, false)
    }
    case FUTEX_TRYLOCK_PI:
      return lockPi(s, addr, undefined, priv, true)
    case FUTEX_UNLOCK_PI:
      return unlockPi(s, addr, priv)
    case FUTEX_FD:
    case FUTEX_WAIT_REQUEUE_PI:
    case FUTEX_CMP_REQUEUE_PI:
      return -E.NOSYS
    default:
      return -E.NOSYS
  }
}

const ROBUST_LIST_LIMIT = 2048

/**
 * A thread ends: for each futex on its robust list (and the one in
 * list_op_pending) that it still owns, set FUTEX_OWNER_DIED, clear the tid
 * and wake one waiter, as the kernel's exit_robust_list does.
 */
export function releaseRobustList(k: Kernel, t: Thread): void {
  const head = t.robustList
  if (head === 0n) return
  t.robustList = 0n
  const mem = t.proc.mm.mem
  const mm = t.proc.mm
  // An entry's bit 0 marks a PI futex.
  const handle = (entry: bigint, offset: bigint): void => {
    const addr = BigInt.asUintN(64, (entry & ~1n) + offset)
    if (addr & 3n) return
    const v = getU32(mem, addr)
    if ((v & FUTEX_TID_MASK) !== t.tid) return
    const pi = (entry & 1n) !== 0n
    mem.store(addr, 4, BigInt(((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0))
    if (v & FUTEX_WAITERS) {
      const phys = mem.translate(Number(addr), Access.Read)
      if (pi) {
        const next = k.futexes.takePiWaiter(mm, addr, phys)
        if (next !== undefined) {
          const more = k.futexes.count(mm, addr, phys, true) > 0
          mem.store(addr, 4, BigInt((next.t.tid | FUTEX_OWNER_DIED | (more ? FUTEX_WAITERS : 0)) >>> 0))
        }
      } else {
        k.futexes.wake(mm, addr, phys, 1, BITSET_MATCH_ANY)
      }
    }
  }
  try {
    let entry = getU64(mem, head)
    const offset = i64(getU64(mem, head + 8n))
    const pending = getU64(mem, head + 16n)
    for (let n = 0; entry !== head && n < ROBUST_LIST_LIMIT; n++) {
      const next = getU64(mem, entry & ~1n)
      if (entry !== pending) handle(entry, offset)
      entry = next
    }
    if (pending !== 0n) handle(pending, offset)
  } catch {
    // A corrupt list ends the walk, as in the kernel.
  }
}

export const futexSyscalls: SyscallTable = {
  98: { name: 'futex', fn: futex, args: 'xdxxxx' },
}
