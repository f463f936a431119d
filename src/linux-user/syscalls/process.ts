/** Process and thread system calls: identity, exit, and (with clone/execve/wait4) life cycle. */
import { NO_RETURN } from '../syscall-types.js'
import { int, type Sys, type SyscallTable } from './context.js'

function exitGroup(s: Sys, a: readonly bigint[]): typeof NO_RETURN {
  s.k.exitProcess(s.p, (int(a[0]!) & 0xff) << 8)
  return NO_RETURN
}

const uid = (): number => process.getuid?.() ?? 0
const gid = (): number => process.getgid?.() ?? 0

export const processSyscalls: SyscallTable = {
  94: { name: 'exit_group', fn: exitGroup, args: 'd' },
  96: {
    name: 'set_tid_address',
    fn: (s, a) => {
      s.t.clearChildTid = a[0]!
      return s.t.tid
    },
    args: 'x',
  },
  99: {
    name: 'set_robust_list',
    fn: (s, a) => {
      s.t.robustList = a[0]!
      s.t.robustListLen = a[1]!
      return 0
    },
    args: 'xu',
  },
  172: { name: 'getpid', fn: (s) => s.p.pid, args: '' },
  173: { name: 'getppid', fn: (s) => s.p.ppid, args: '' },
  174: { name: 'getuid', fn: uid, args: '' },
  175: { name: 'geteuid', fn: uid, args: '' },
  176: { name: 'getgid', fn: gid, args: '' },
  177: { name: 'getegid', fn: gid, args: '' },
  178: { name: 'gettid', fn: (s) => s.t.tid, args: '' },
}
