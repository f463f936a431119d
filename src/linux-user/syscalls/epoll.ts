/**
 * epoll, in the engine: an epoll descriptor keeps an interest list of
 * (descriptor, file) entries and epoll_pwait reports their poll(2)
 * readiness, the same pollMask that ppoll uses. Level-triggered as Linux is
 * by default; EPOLLET reports only readiness bits that were not there at the
 * previous look, and EPOLLONESHOT disables an entry once it reported until
 * EPOLL_CTL_MOD re-arms it. An entry goes away when its descriptor is closed
 * (Linux drops it when the file is released; the difference shows only with
 * dup'ed descriptors).
 */
import { Block } from '../block.js'
import { E } from '../errno.js'
import { O, OpenFile, PipeEnd, Poll, type ReadResult, S, type WriteResult } from '../fd.js'
import { UNBLOCKABLE } from '../signals.js'
import { getU64, int, Struct, type Sys, type SyscallTable } from './context.js'
import { SocketEnd } from './socket.js'

const EPOLL_CTL_ADD = 1
const EPOLL_CTL_DEL = 2
const EPOLL_CTL_MOD = 3
const EPOLLEXCLUSIVE = 1 << 28
const EPOLLONESHOT = 1 << 30
const EPOLLET = 1 << 31
/** struct epoll_event is not packed on riscv64: u32 events, 4 bytes padding, u64 data. */
const EVENT_SIZE = 16
/** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const MAX_EVENTS = Math.floor(0x7fff_ffff / EVENT_SIZE)

interface Interest {
  file: OpenFile
  events: number
  data: bigint
  /** Readiness and buffered bytes at the previous look (EPOLLET reports only changes). */
  last: number
  lastQueued: number
  /** An EPOLLONESHOT entry that reported and waits for EPOLL_CTL_MOD. */
  disabled: boolean
}

/** Bytes waiting to be read in a pipe or socket: their growth is a new edge. */
function queued(f: OpenFile): number {
  if (f instanceof PipeEnd) return f.isWriter ? 0 : f.pipe.size
  if (f instanceof SocketEnd) return f.rx.size
  return 0
}

class EpollFile extends OpenFile {
  readonly items = new Map<number, Interest>()

  read(_len: number): ReadResult {
    return -E.INVAL
  }
  write(_data: Uint8Array): WriteResult {
    return -E.INVAL
  }

  /** Entries ready now, as [fd, revents]; `commit` consumes edge and one-shot state. */
  collect(s: Sys, max: number, commit: boolean): [Interest, number][] {
    const out: [Interest, number][] = []
    for (const [fd, it] of this.items) {
      if (s.p.fds.get(fd) !== it.file) {
        this.items.delete(fd)
        continue
      }
      if (it.disabled || out.length >= max) continue
      const m = it.file.pollMask() & (it.events | Poll.ERR | Poll.HUP)
      const q = queued(it.file)
      const edge = (m & ~it.last) !== 0 || (m & Poll.IN && q > it.lastQueued)
      const report = it.events & EPOLLET && !edge ? 0 : m
      if (commit) {
        it.last = m
        it.lastQueued = q
      }
      if (report === 0) continue
      out.push([it, report])
      if (commit && it.events & EPOLLONESHOT) it.disabled = true
    }
    return out
  }

  /** An epoll descriptor is itself readable while some entry is ready (ep_eventpoll_poll). */
  override pollMask(): number {
    for (const it of this.items.values()) {
      if (!it.disabled && it.file.pollMask() & (it.events | Poll.ERR | Poll.HUP)) return Poll.IN | Poll.RDNORM
    }
    return 0
  }

  override linkName(): string {
    return 'anon_inode:[eventpoll]'
  }
}

function epollCreate1(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[0]!)
  if (flags & ~O.CLOEXEC) return -E.INVAL
  return s.p.fds.install(new EpollFile(O.RDWR), (flags & O.CLOEXEC) !== 0)
}

function epollOf(s: Sys, fd: number): EpollFile | number {
  const f = s.p.fds.get(fd)
  if (f === undefined) return -E.BADF
  return f instanceof EpollFile ? f : -E.INVAL
}

function epollCtl(s: Sys, a: readonly bigint[]): number {
  const f = s.p.fds.get(int(a[0]!))
  const op = int(a[1]!)
  const fd = int(a[2]!)
  const target = s.p.fds.get(fd)
  if (f === undefined || target === undefined) return -E.BADF
  // Regular files and directories have no poll method: ep_insert refuses them.
  const st = target.stat()
  const type = typeof st === 'number' ? 0 : Number(st.mode) & S.IFMT
  if (type === S.IFREG || type === S.IFDIR) return -E.PERM
  if (!(f instanceof EpollFile) || target === f) return -E.INVAL
  const ep = f
  let events = 0
  let data = 0n
  if (op !== EPOLL_CTL_DEL) {
    events = Number(BigInt.asUintN(32, BigInt(s.mem.load(a[3]!, 4))))
    data = getU64(s.mem, a[3]! + 8n)
    if (events & EPOLLEXCLUSIVE && op === EPOLL_CTL_MOD) return -E.INVAL
  }
  const it = ep.items.get(fd)
  const present = it !== undefined && s.p.fds.get(fd) === it.file
  switch (op) {
    case EPOLL_CTL_ADD:
      if (present) return -E.EXIST
      ep.items.set(fd, { file: target, events, data, last: 0, lastQueued: 0, disabled: false })
      return 0
    case EPOLL_CTL_DEL:
      if (!present) return -E.NOENT
      ep.items.delete(fd)
      return 0
    case EPOLL_CTL_MOD:
      if (!present) return -E.NOENT
      ep.items.set(fd, { file: target, events, data, last: 0, lastQueued: 0, disabled: false })
      return 0
    default:
      return -E.INVAL
  }
}

/**
 * epoll_pwait: report what is ready now; otherwise, with time left, wait
 * under the temporary signal mask (a signal interrupts with EINTR, never
 * restarted, as Linux does for epoll_wait).
 */
function epollPwait(s: Sys, a: readonly bigint[]): number | Block<number> {
  const ep = epollOf(s, int(a[0]!))
  if (typeof ep === 'number') return ep
  const out = a[1]!
  const max = int(a[2]!)
  const timeout = int(a[3]!)
  if (max <= 0 || max > MAX_EVENTS) return -E.INVAL
  let mask: bigint | undefined
  if (a[4]! !== 0n) {
    if (a[5]! !== 8n) return -E.INVAL
    mask = getU64(s.mem, a[4]!)
  }
  const report = (): number => {
    const ready = ep.collect(s, max, true)
    if (ready.length === 0) return 0
    const img = new Struct(ready.length * EVENT_SIZE)
    for (const [i, [it, ev]] of ready.entries()) img.u32(i * EVENT_SIZE, ev).u64(i * EVENT_SIZE + 8, it.data)
    s.mem.write(out, img.bytes)
    return ready.length
  }
  const n = report()
  if (n !== 0 || timeout === 0) return n
  const t = s.t
  const deadline = timeout < 0 ? undefined : performance.now() + timeout
  if (mask !== undefined) {
    t.savedMask = t.sigmask
    t.sigmask = mask & ~UNBLOCKABLE
  }
  return new Block<number>(
    () => ep.collect(s, max, false).length > 0,
    (timedOut) => {
      if (mask !== undefined && t.savedMask !== undefined) {
        t.sigmask = t.savedMask
        t.savedMask = undefined
      }
      return timedOut ? 0 : report()
    },
    deadline,
    true,
    false,
  )
}

export const epollSyscalls: SyscallTable = {
  20: { name: 'epoll_create1', fn: epollCreate1, args: 'x' },
  21: { name: 'epoll_ctl', fn: epollCtl, args: 'dddp' },
  22: { name: 'epoll_pwait', fn: epollPwait, args: 'dpddpu' },
}
