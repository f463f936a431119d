/** Signal system calls: actions, masks, sending, waiting and rt_sigreturn. */
import { Block } from '../block.js'
import { E } from '../errno.js'
import type { Process, Thread } from '../process.js'
import { NSIG, SiCode, Sig, type SigInfo } from '../signal-types.js'
import {
  dequeueFrom,
  hasDeliverable,
  onAltStack,
  pendingSet,
  SS_DISABLE,
  SS_ONSTACK,
  sendToProcess,
  sendToThread,
  sigreturn,
  UNBLOCKABLE,
  writeSiginfo,
} from '../signals.js'
import { NO_RETURN } from '../syscall-types.js'
import { getU32, getU64, i64, int, putU64, Struct, type Sys, type SyscallTable } from './context.js'

const SIG_BLOCK = 0
const SIG_UNBLOCK = 1
const SIG_SETMASK = 2

/** struct sigaction (riscv64 kernel ABI): handler, flags, restorer, mask. */
function rtSigaction(s: Sys, a: readonly bigint[]): number {
  const sig = int(a[0]!)
  const act = a[1]!
  const old = a[2]!
  if (sig < 1 || sig > NSIG || int(a[3]!) !== 8) return -E.INVAL
  const cur = s.p.actions[sig]!
  if (old !== 0n) {
    putU64(s.mem, old, cur.handler)
    putU64(s.mem, old + 8n, cur.flags)
    putU64(s.mem, old + 16n, cur.restorer)
    putU64(s.mem, old + 24n, cur.mask)
  }
  if (act !== 0n) {
    if (sig === Sig.KILL || sig === Sig.STOP) return -E.INVAL
    s.p.actions[sig] = {
      handler: getU64(s.mem, act),
      flags: getU64(s.mem, act + 8n),
      restorer: getU64(s.mem, act + 16n),
      mask: getU64(s.mem, act + 24n),
    }
    // Setting SIG_IGN discards pending instances (POSIX).
    if (s.p.actions[sig]!.handler === 1n) {
      s.p.pending = s.p.pending.filter((i) => i.signo !== sig)
      for (const t of s.p.threads) t.pending = t.pending.filter((i) => i.signo !== sig || i.forced)
    }
  }
  return 0
}

function rtSigprocmask(s: Sys, a: readonly bigint[]): number {
  const how = int(a[0]!)
  const set = a[1]!
  const old = a[2]!
  if (int(a[3]!) !== 8) return -E.INVAL
  const cur = s.t.sigmask
  if (set !== 0n) {
    const v = getU64(s.mem, set)
    if (how === SIG_BLOCK) s.t.sigmask = cur | v
    else if (how === SIG_UNBLOCK) s.t.sigmask = cur & ~v
    else if (how === SIG_SETMASK) s.t.sigmask = v
    else return -E.INVAL
    s.t.sigmask &= ~UNBLOCKABLE
  }
  if (old !== 0n) putU64(s.mem, old, cur)
  return 0
}

const uid = (): number => process.getuid?.() ?? 0

/** Read a sigset_t argument of `size` bytes (must be 8). */
function readSet(s: Sys, addr: bigint, size: bigint): bigint | number {
  if (size !== 8n) return -E.INVAL
  return getU64(s.mem, addr)
}

/** Processes kill(pid) targets: one (pid > 0), the caller's group (0), every other one (-1), a group (< -1). */
function killTargets(s: Sys, pid: number): Process[] | number {
  const live = [...s.k.processes.values()].filter((p) => !p.reaped)
  if (pid > 0) {
    const p = s.k.findProcess(pid) ?? s.k.findThread(pid)?.proc
    return p === undefined || p.reaped ? -E.SRCH : [p]
  }
  if (pid === -1) return live.filter((p) => p !== s.p && !p.zombie)
  const pgid = pid === 0 ? s.p.pgid : -pid
  const group = live.filter((p) => p.pgid === pgid)
  return group.length === 0 ? -E.SRCH : group
}

function kill(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!)
  const sig = int(a[1]!)
  if (sig < 0 || sig > NSIG) return -E.INVAL
  if (pid === -0x8000_0000) return -E.SRCH
  const targets = killTargets(s, pid)
  if (typeof targets === 'number') return targets
  if (pid === -1 && targets.length === 0) return -E.SRCH
  if (sig === 0) return 0
  for (const p of targets) sendToProcess(s.k, p, { signo: sig, code: SiCode.USER, pid: s.p.pid, uid: uid() })
  return 0
}

/** The thread `tid` (of process `tgid` when given). */
function threadOf(s: Sys, tgid: number | undefined, tid: number): Thread | number {
  if (tid <= 0 || (tgid !== undefined && tgid <= 0)) return -E.INVAL
  const t = s.k.findThread(tid)
  if (t === undefined || (tgid !== undefined && t.proc.pid !== tgid)) return -E.SRCH
  return t
}

function tgkill(s: Sys, tgid: number | undefined, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -E.INVAL
  const t = threadOf(s, tgid, tid)
  if (typeof t === 'number') return t
  if (sig === 0) return 0
  sendToThread(t, { signo: sig, code: SiCode.TKILL, pid: s.p.pid, uid: uid() }, s.k)
  return 0
}

/** siginfo from sigqueue: the caller chooses si_code (negative unless it signals itself) and the value. */
function readUserInfo(s: Sys, sig: number, addr: bigint, self: boolean): SigInfo | number {
  const code = getU32(s.mem, addr + 8n) | 0
  if ((code >= 0 || code === SiCode.TKILL) && !self) return -E.PERM
  return {
    signo: sig,
    code,
    errno: getU32(s.mem, addr + 4n) | 0,
    pid: getU32(s.mem, addr + 16n) | 0,
    uid: getU32(s.mem, addr + 20n),
    value: getU64(s.mem, addr + 24n),
  }
}

function rtSigqueueinfo(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!)
  const sig = int(a[1]!)
  if (sig < 0 || sig > NSIG) return -E.INVAL
  const p = s.k.findProcess(pid) ?? s.k.findThread(pid)?.proc
  if (pid <= 0 || p === undefined || p.reaped) return -E.SRCH
  const info = readUserInfo(s, sig, a[2]!, p === s.p)
  if (typeof info === 'number') return info
  if (sig !== 0) sendToProcess(s.k, p, info)
  return 0
}

function rtTgsigqueueinfo(s: Sys, a: readonly bigint[]): number {
  const sig = int(a[2]!)
  if (sig < 0 || sig > NSIG) return -E.INVAL
  const t = threadOf(s, int(a[0]!), int(a[1]!))
  if (typeof t === 'number') return t
  const info = readUserInfo(s, sig, a[3]!, t.proc === s.p)
  if (typeof info === 'number') return info
  if (sig !== 0) sendToThread(t, info, s.k)
  return 0
}

const SS_AUTODISARM = 1 << 31
const MINSIGSTKSZ = 2048n

/** sigaltstack(ss, old_ss): stack_t is { ss_sp, ss_flags (int), ss_size }. */
function sigaltstack(s: Sys, a: readonly bigint[]): number {
  const t = s.t
  const sp = t.cpu.regs[2]!
  const on = onAltStack(t, sp)
  const cur = t.altstack
  const newAddr = a[0]!
  let next: typeof cur | undefined
  if (newAddr !== 0n) {
    const ssSp = getU64(s.mem, newAddr)
    const flags = getU32(s.mem, newAddr + 8n) | 0
    const size = getU64(s.mem, newAddr + 16n)
    if (on) return -E.PERM
    const mode = flags & ~SS_AUTODISARM
    if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return -E.INVAL
    if (mode === SS_DISABLE) next = { sp: 0n, size: 0n, flags: SS_DISABLE }
    else {
      if (size < MINSIGSTKSZ) return -E.NOMEM
      next = { sp: ssSp, size, flags: flags & SS_AUTODISARM }
    }
  }
  if (a[1]! !== 0n) {
    const flags = cur.size === 0n ? SS_DISABLE : (on ? SS_ONSTACK : 0) | (cur.flags & SS_AUTODISARM)
    s.mem.write(a[1]!, new Struct(24).u64(0, cur.sp).u32(8, flags).u64(16, cur.size).bytes)
  }
  if (next !== undefined) t.altstack = next
  return 0
}

/**
 * rt_sigsuspend: wait with a temporary mask until a signal is delivered.
 * The old mask goes to t.savedMask, which the handler frame saves (so that
 * rt_sigreturn restores it); the call returns -EINTR.
 */
function rtSigsuspend(s: Sys, a: readonly bigint[]): number | Block<number> {
  const set = readSet(s, a[0]!, a[1]!)
  if (typeof set === 'number') return set
  const t = s.t
  t.savedMask = t.savedMask ?? t.sigmask
  t.sigmask = set & ~UNBLOCKABLE
  if (hasDeliverable(t)) return -E.INTR
  return new Block<number>(
    () => false,
    () => -E.INTR,
    undefined,
    true,
    false,
  )
}

function rtSigpending(s: Sys, a: readonly bigint[]): number {
  if (a[1]! > 8n) return -E.INVAL
  const set = pendingSet(s.t) & s.t.sigmask
  const bytes = new Struct(8).u64(0, set).bytes.subarray(0, Number(a[1]!))
  s.mem.write(a[0]!, bytes)
  return 0
}

/** rt_sigtimedwait(set, info, timeout, sigsetsize): take a pending signal of `set` without running its handler. */
function rtSigtimedwait(s: Sys, a: readonly bigint[]): number | Block<number> {
  const set = readSet(s, a[0]!, a[3]!)
  if (typeof set === 'number') return set
  const want = set & ~UNBLOCKABLE
  const infoAddr = a[1]!
  const t = s.t
  const take = (): number | undefined => {
    const info = dequeueFrom(t, want)
    if (info === undefined) return undefined
    if (infoAddr !== 0n) {
      const buf = new DataView(new ArrayBuffer(128))
      writeSiginfo(buf, 0, info)
      s.mem.write(infoAddr, new Uint8Array(buf.buffer))
    }
    return info.signo
  }
  const now = take()
  if (now !== undefined) return now
  let deadline: number | undefined
  if (a[2]! !== 0n) {
    const sec = i64(getU64(s.mem, a[2]!))
    const nsec = i64(getU64(s.mem, a[2]! + 8n))
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -E.INVAL
    const ms = Number(sec * 1_000_000_000n + nsec) / 1e6
    if (ms === 0) return -E.AGAIN
    deadline = performance.now() + ms
  }
  return new Block<number>(
    () => (pendingSet(t) & want) !== 0n,
    (timedOut) => take() ?? (timedOut ? -E.AGAIN : -E.INTR),
    deadline,
    true,
    false,
  )
}

export const signalSyscalls: SyscallTable = {
  129: { name: 'kill', fn: kill, args: 'dd' },
  130: { name: 'tkill', fn: (s, a) => tgkill(s, undefined, int(a[0]!), int(a[1]!)), args: 'dd' },
  131: { name: 'tgkill', fn: (s, a) => tgkill(s, int(a[0]!), int(a[1]!), int(a[2]!)), args: 'ddd' },
  132: { name: 'sigaltstack', fn: sigaltstack, args: 'xx' },
  133: { name: 'rt_sigsuspend', fn: rtSigsuspend, args: 'xu' },
  136: { name: 'rt_sigpending', fn: rtSigpending, args: 'xu' },
  137: { name: 'rt_sigtimedwait', fn: rtSigtimedwait, args: 'xxxu' },
  138: { name: 'rt_sigqueueinfo', fn: rtSigqueueinfo, args: 'ddx' },
  240: { name: 'rt_tgsigqueueinfo', fn: rtTgsigqueueinfo, args: 'dddx' },
  134: { name: 'rt_sigaction', fn: rtSigaction, args: 'dxxu' },
  135: { name: 'rt_sigprocmask', fn: rtSigprocmask, args: 'dxxu' },
  139: {
    name: 'rt_sigreturn',
    fn: (s) => {
      sigreturn(s.k, s.t)
      return NO_RETURN
    },
    args: '',
  },
}
