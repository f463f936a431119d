/**
 * System-call dispatch: looks the number up in the merged table of every
 * family, logs under -strace, turns bad guest pointers into -EFAULT and
 * unknown numbers into -ENOSYS (reported once under -d unimp).
 */
import { MemFault } from '../../core/errors.js'
import { Block } from '../block.js'
import { E } from '../errno.js'
import type { Kernel } from '../kernel.js'
import { formatRet } from '../kernel.js'
import type { Thread } from '../process.js'
import { SiCode, Sig } from '../signal-types.js'
import { sendToThread } from '../signals.js'
import { NO_RETURN, type SyscallResult } from '../syscall-types.js'
import { readString, type Sys, type SyscallTable } from './context.js'
import { epollSyscalls } from './epoll.js'
import { fsSyscalls } from './fs.js'
import { fsIoSyscalls } from './fs-io.js'
import { futexSyscalls } from './futex.js'
import { hasSharedFiles, memorySyscalls, refreshSharedFiles, writeBackSharedFiles } from './memory.js'
import { miscSyscalls } from './misc.js'
import { syscallName } from './names.js'
import { processSyscalls } from './process.js'
import { signalSyscalls } from './signal.js'
import { socketSyscalls } from './socket.js'
import { timeSyscalls } from './time.js'

const TABLE: SyscallTable = {
  ...fsSyscalls,
  ...fsIoSyscalls,
  ...memorySyscalls,
  ...processSyscalls,
  ...futexSyscalls,
  ...signalSyscalls,
  ...timeSyscalls,
  ...miscSyscalls,
  ...socketSyscalls,
  ...epollSyscalls,
}

export function dispatchSyscall(k: Kernel, t: Thread, nr: number, a: bigint[]): SyscallResult {
  // Calls the -compat profile refuses are looked up as unknown ones.
  const def = k.compat.enosys.has(nr) ? undefined : TABLE[nr]
  const strace = k.log.on.has('strace')
  const s: Sys = { k, t, p: t.proc, mem: t.cpu.mem }
  if (strace) k.log.write(`${t.proc.pid} ${syscallName(nr)}(${formatArgs(s, def?.args, a)})`)
  // MAP_SHARED file mappings and file I/O agree at every system call (see memory.ts).
  const shared = hasSharedFiles(t.proc.mm)
  if (shared) writeBackSharedFiles(t.proc.mm)
  let r: SyscallResult
  if (def === undefined) {
    k.reportUnimplemented(nr)
    r = -E.NOSYS
  } else {
    try {
      r = def.fn(s, a)
    } catch (e) {
      if (!(e instanceof MemFault)) throw e
      r = -E.FAULT
    }
  }
  if (SIGPIPE_CALLS.has(nr)) r = raiseSigpipe(s, nr, a, r)
  if (shared && !t.proc.zombie) refreshSharedFiles(t.proc.mm)
  if (strace) {
    if (r instanceof Block) k.log.write(' ...\n')
    else if (r !== NO_RETURN) k.log.write(` = ${formatRet(r)}\n`)
    else k.log.write('\n')
  }
  return r
}

/** Calls whose -EPIPE (a pipe or socket with no reader) comes with SIGPIPE. */
const SIGPIPE_CALLS = new Set([64, 66, 68, 70, 71, 76, 77, 206, 211, 269, 287])
const MSG_NOSIGNAL = 0x4000n

/** Send SIGPIPE to the calling thread when a write-like call fails with EPIPE (now or when its wait ends). */
function raiseSigpipe(s: Sys, nr: number, a: bigint[], r: SyscallResult): SyscallResult {
  // sendto/sendmmsg take flags in a3, sendmsg in a2.
  const flags = nr === 206 || nr === 269 ? a[3]! : nr === 211 ? a[2]! : 0n
  if (flags & MSG_NOSIGNAL) return r
  const check = (v: bigint | number): bigint | number => {
    if (BigInt(v) === BigInt(-E.PIPE))
      sendToThread(
        s.t,
        { signo: Sig.PIPE, code: SiCode.USER, pid: s.p.pid, uid: process.getuid?.() ?? 0 },
        s.k,
      )
    return v
  }
  if (r instanceof Block) return r.map(check)
  if (r === NO_RETURN) return r
  return check(r)
}

function formatArgs(s: Sys, kinds: string | undefined, a: bigint[]): string {
  const spec = kinds ?? 'xxxxxx'
  const out: string[] = []
  for (let i = 0; i < spec.length; i++) {
    const v = a[i]!
    switch (spec[i]) {
      case 'd':
        out.push(String(BigInt.asIntN(64, v)))
        break
      case 'u':
        out.push(String(v))
        break
      case 'o':
        out.push(`0${v.toString(8)}`)
        break
      case 'a':
        out.push(BigInt.asIntN(32, v) === -100n ? 'AT_FDCWD' : String(BigInt.asIntN(32, v)))
        break
      case 's':
        try {
          out.push(JSON.stringify(readString(s.mem, v)))
        } catch {
          out.push(`0x${v.toString(16)}`)
        }
        break
      default:
        out.push(`0x${v.toString(16)}`)
    }
  }
  return out.join(',')
}
