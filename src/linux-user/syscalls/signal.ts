/** Signal system calls: actions, masks, sending, waiting and rt_sigreturn. */
import { E } from '../errno.js'
import { NO_RETURN } from '../syscall-types.js'
import { NSIG, Sig } from '../signal-types.js'
import { sigreturn, UNBLOCKABLE } from '../signals.js'
import { getU64, int, putU64, type Sys, type SyscallTable } from './context.js'

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

export const signalSyscalls: SyscallTable = {
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
