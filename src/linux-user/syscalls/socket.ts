/**
 * AF_UNIX socket pairs, in the engine: socketpair(2) of SOCK_STREAM,
 * SOCK_DGRAM and SOCK_SEQPACKET, with shutdown, send/recv (to/from, msg),
 * getsockopt/setsockopt of the SOL_SOCKET basics and the unnamed local and
 * peer addresses. Enough for socket.socketpair() and for programs that use
 * a pair as a bidirectional pipe between threads or a forked child. There is
 * no network and no socket namespace: socket(2) answers EAFNOSUPPORT, and the
 * calls that need an address (bind, connect, ...) ENOTSOCK on other files
 * and EOPNOTSUPP on a pair. No ancillary data (SCM_RIGHTS) is passed.
 */
import { Block } from '../block.js'
import { E } from '../errno.js'
import {
  anonInodeStat,
  O,
  OpenFile,
  Poll,
  type ReadResult,
  S,
  type StatInfo,
  type WriteResult,
} from '../fd.js'
import { getU32, getU64, int, putU32, Struct, type Sys, type SyscallTable, size } from './context.js'
import { installPair } from './fs-io.js'

const AF_UNIX = 1
const AF_INET = 2
const AF_INET6 = 10
const SOCK_STREAM = 1
const SOCK_DGRAM = 2
const SOCK_SEQPACKET = 5
const SOCK_NONBLOCK = 0o4000
const SOCK_CLOEXEC = 0o2000000
const MSG_PEEK = 0x2
const MSG_TRUNC = 0x20
const MSG_DONTWAIT = 0x40
const SOL_SOCKET = 1
const SHUT_RD = 1
const SHUT_WR = 2

/** Errors errno.ts does not name (asm-generic/errno.h). */
const EMSGSIZE = 90
const ENOPROTOOPT = 92
const EPROTONOSUPPORT = 93
const ESOCKTNOSUPPORT = 94

/** Default send/receive buffer (net.core.[rw]mem_default), which SO_SNDBUF/SO_RCVBUF report. */
const SOCK_BUF = 212992

let nextSockIno = 2_000_000n

/**
 * One direction of a pair: the messages queued for the receiving end.
 * Stream sockets read across message boundaries, datagram and seqpacket
 * ones one message at a time. `eof` is set once the sender can send no more
 * (its shutdown(SHUT_WR) or close) or the receiver shut its reading side.
 */
class SockQueue {
  msgs: Uint8Array[] = []
  size = 0
  eof = false
  /** Set when the receiving end is gone or shut for reading: sends fail with EPIPE. */
  closed = false
}

export class SocketEnd extends OpenFile {
  readonly ino = nextSockIno++
  readonly createdNs = BigInt(Date.now()) * 1_000_000n
  constructor(
    readonly type: number,
    readonly rx: SockQueue,
    readonly tx: SockQueue,
    flags: number,
  ) {
    super(flags)
  }

  private get stream(): boolean {
    return this.type === SOCK_STREAM
  }

  read(len: number): ReadResult {
    return this.recv(len, 0).data
  }

  /** unix_stream_recvmsg / unix_dgram_recvmsg: the bytes and whether a datagram was cut short. */
  recv(len: number, flags: number): { data: ReadResult; trunc: number } {
    const q = this.rx
    if (q.msgs.length === 0) {
      if (q.eof) return { data: new Uint8Array(0), trunc: 0 }
      if (this.flags & O.NONBLOCK || flags & MSG_DONTWAIT) return { data: -E.AGAIN, trunc: 0 }
      let trunc = 0
      const data = new Block<Uint8Array | number>(
        () => q.msgs.length > 0 || q.eof,
        () => {
          const r = this.recv(len, flags)
          trunc = r.trunc
          return r.data as Uint8Array | number
        },
      )
      return {
        data,
        get trunc() {
          return trunc
        },
      }
    }
    if (!this.stream) {
      const m = q.msgs[0]!
      if (!(flags & MSG_PEEK)) {
        q.msgs.shift()
        q.size -= m.length
      }
      return { data: m.slice(0, len), trunc: m.length > len ? m.length : 0 }
    }
    const out = new Uint8Array(Math.min(len, q.size))
    let o = 0
    let i = 0
    while (o < out.length) {
      const m = q.msgs[i]!
      const part = Math.min(m.length, out.length - o)
      out.set(m.subarray(0, part), o)
      o += part
      if (flags & MSG_PEEK) i++
      else if (part === m.length) q.msgs.shift()
      else q.msgs[0] = m.subarray(part)
    }
    if (!(flags & MSG_PEEK)) q.size -= out.length
    return { data: out, trunc: 0 }
  }

  write(data: Uint8Array): WriteResult {
    return this.send(data, 0)
  }

  /** A stream send queues what fits and waits for room for the rest; a datagram goes whole or waits. */
  send(data: Uint8Array, flags: number, done = 0): WriteResult {
    const q = this.tx
    if (q.eof || q.closed) return done > 0 ? done : -E.PIPE
    const nonblock = (this.flags & O.NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0
    if (!this.stream) {
      if (data.length > SOCK_BUF) return -EMSGSIZE
      if (q.size + data.length > SOCK_BUF && q.size > 0) {
        if (nonblock) return -E.AGAIN
        return new Block<number>(
          () => q.size + data.length <= SOCK_BUF || q.size === 0 || q.closed,
          () => this.send(data, flags),
        )
      }
      q.msgs.push(data.slice())
      q.size += data.length
      return data.length
    }
    const room = Math.max(SOCK_BUF - q.size, 0)
    const n = Math.min(room, data.length - done)
    if (n > 0) {
      q.msgs.push(data.slice(done, done + n))
      q.size += n
      done += n
    }
    if (done === data.length) return done
    if (nonblock) return done > 0 ? done : -E.AGAIN
    return new Block<number>(
      () => q.size < SOCK_BUF || q.closed,
      () => this.send(data, flags, done),
    )
  }

  shutdown(how: number): void {
    if (how !== SHUT_RD) this.tx.eof = true
    if (how !== SHUT_WR) {
      this.rx.eof = true
      this.rx.closed = true
    }
  }

  /** unix_poll / unix_dgram_poll. */
  override pollMask(): number {
    let m = 0
    const rdShut = this.rx.eof
    const wrShut = this.tx.eof || this.tx.closed
    if (rdShut && wrShut) m |= Poll.HUP
    if (rdShut) m |= Poll.RDHUP | Poll.IN | Poll.RDNORM
    if (this.rx.msgs.length > 0) m |= Poll.IN | Poll.RDNORM
    if (!wrShut && this.tx.size < SOCK_BUF) m |= Poll.OUT | Poll.WRNORM | Poll.WRBAND
    return m
  }

  override stat(): StatInfo {
    // sockfs: mode 0777 on an internal device (0:8 on typical kernels).
    return anonInodeStat(8n, this.ino, S.IFSOCK | 0o777, this.createdNs)
  }

  override linkName(): string {
    return `socket:[${this.ino}]`
  }

  /** Closing one end is a full shutdown: the peer reads EOF and its sends fail with EPIPE. */
  override release(): void {
    this.shutdown(SHUT_RD | SHUT_WR)
  }
}

function socketOf(s: Sys, fd: number): SocketEnd | number {
  const f = s.p.fds.get(fd)
  if (f === undefined) return -E.BADF
  return f instanceof SocketEnd ? f : -E.NOTSOCK
}

function socket(_s: Sys, _a: readonly bigint[]): number {
  return -E.AFNOSUPPORT
}

function socketpair(s: Sys, a: readonly bigint[]): number {
  const domain = int(a[0]!)
  const rawType = int(a[1]!)
  const type = rawType & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)
  const proto = int(a[2]!)
  if (domain === AF_INET || domain === AF_INET6) return -E.OPNOTSUPP
  if (domain !== AF_UNIX) return -E.AFNOSUPPORT
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM && type !== SOCK_SEQPACKET) return -ESOCKTNOSUPPORT
  if (proto !== 0 && proto !== AF_UNIX) return -EPROTONOSUPPORT
  const keep = rawType & SOCK_NONBLOCK ? O.NONBLOCK : 0
  const ab = new SockQueue()
  const ba = new SockQueue()
  const x = new SocketEnd(type, ba, ab, O.RDWR | keep)
  const y = new SocketEnd(type, ab, ba, O.RDWR | keep)
  return installPair(s, x, y, (rawType & SOCK_CLOEXEC) !== 0, a[3]!)
}

function shutdown(s: Sys, a: readonly bigint[]): number {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  const how = int(a[1]!)
  if (how < 0 || how > 2) return -E.INVAL
  sk.shutdown(how + 1)
  return 0
}

/** An unnamed AF_UNIX address: just the family (addrlen 2), truncated to the caller's buffer. */
function putUnnamed(s: Sys, addr: bigint, lenAddr: bigint): void {
  if (addr === 0n || lenAddr === 0n) return
  const room = getU32(s.mem, lenAddr)
  const sa = new Struct(2).u16(0, AF_UNIX).bytes
  if (room > 0) s.mem.write(addr, sa.subarray(0, Math.min(room, 2)))
  putU32(s.mem, lenAddr, 2)
}

function sockname(s: Sys, a: readonly bigint[]): number {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  if (int(BigInt(getU32(s.mem, a[2]!))) < 0) return -E.INVAL
  putUnnamed(s, a[1]!, a[2]!)
  return 0
}

function sendto(s: Sys, a: readonly bigint[]): WriteResult {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  const data = s.mem.read(a[1]!, size(a[2]!))
  return sk.send(data, int(a[3]!))
}

function recvfrom(s: Sys, a: readonly bigint[]): number | Block<number> {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  const buf = a[1]!
  const flags = int(a[3]!)
  // The peer of a pair has no address: unix_copy_addr reports a zero-length name.
  const done = (r: Uint8Array | number, trunc: number): number => {
    if (typeof r === 'number') return r
    s.mem.write(buf, r)
    if (a[4]! !== 0n && a[5]! !== 0n) putU32(s.mem, a[5]!, 0)
    return flags & MSG_TRUNC && trunc > 0 ? trunc : r.length
  }
  const r = sk.recv(size(a[2]!), flags)
  return r.data instanceof Block ? r.data.map((v) => done(v, r.trunc)) : done(r.data, r.trunc)
}

/** The iovec of a struct msghdr (name, namelen, iov, iovlen, control, controllen, flags). */
function readMsg(s: Sys, addr: bigint) {
  const iov = getU64(s.mem, addr + 16n)
  const iovlen = Number(getU64(s.mem, addr + 24n))
  if (iovlen > 1024) return -E.INVAL
  const parts: [bigint, number][] = []
  for (let i = 0; i < iovlen; i++) {
    parts.push([getU64(s.mem, iov + BigInt(i) * 16n), size(getU64(s.mem, iov + BigInt(i) * 16n + 8n))])
  }
  return parts
}

function sendmsg(s: Sys, a: readonly bigint[]): WriteResult {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  const parts = readMsg(s, a[1]!)
  if (typeof parts === 'number') return parts
  const total = parts.reduce((n, [, len]) => n + len, 0)
  const data = new Uint8Array(total)
  let o = 0
  for (const [base, len] of parts) {
    data.set(s.mem.read(base, len), o)
    o += len
  }
  return sk.send(data, int(a[2]!))
}

function recvmsg(s: Sys, a: readonly bigint[]): number | Block<number> {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  const hdr = a[1]!
  const parts = readMsg(s, hdr)
  if (typeof parts === 'number') return parts
  const flags = int(a[2]!)
  const total = parts.reduce((n, [, len]) => n + len, 0)
  const done = (r: Uint8Array | number, trunc: number): number => {
    if (typeof r === 'number') return r
    let o = 0
    for (const [base, len] of parts) {
      if (o >= r.length) break
      const part = r.subarray(o, o + len)
      s.mem.write(base, part)
      o += part.length
    }
    // The peer of a pair has no address: unix_copy_addr reports a zero-length name.
    putU32(s.mem, hdr + 8n, 0)
    // No ancillary data: controllen 0; msg_flags reports a datagram cut short.
    s.mem.store(hdr + 40n, 8, 0n)
    putU32(s.mem, hdr + 48n, trunc > 0 ? MSG_TRUNC : 0)
    return flags & MSG_TRUNC && trunc > 0 ? trunc : r.length
  }
  const r = sk.recv(total, flags)
  return r.data instanceof Block ? r.data.map((v) => done(v, r.trunc)) : done(r.data, r.trunc)
}

/** SOL_SOCKET options a pair answers: SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_ACCEPTCONN, SO_DOMAIN. */
function sockopt(sk: SocketEnd, name: number): number | undefined {
  switch (name) {
    case 3:
      return sk.type
    case 4:
    case 30:
      return 0
    case 7:
    case 8:
      return SOCK_BUF
    case 39:
      return AF_UNIX
    default:
      return undefined
  }
}

function getsockopt(s: Sys, a: readonly bigint[]): number {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  const v = int(a[1]!) === SOL_SOCKET ? sockopt(sk, int(a[2]!)) : undefined
  if (v === undefined) return -ENOPROTOOPT
  const len = int(BigInt(getU32(s.mem, a[4]!)))
  if (len < 0) return -E.INVAL
  const n = Math.min(len, 4)
  s.mem.write(a[3]!, new Struct(4).u32(0, v).bytes.subarray(0, n))
  putU32(s.mem, a[4]!, n)
  return 0
}

function setsockopt(s: Sys, a: readonly bigint[]): number {
  const sk = socketOf(s, int(a[0]!))
  if (typeof sk === 'number') return sk
  // Accepted and ignored: buffer sizes and the like change nothing observable here.
  return int(a[1]!) === SOL_SOCKET ? 0 : -ENOPROTOOPT
}

/** Calls that need a socket namespace or a listening socket: no pair can do them. */
function unsupported(s: Sys, a: readonly bigint[]): number {
  const sk = socketOf(s, int(a[0]!))
  return typeof sk === 'number' ? sk : -E.OPNOTSUPP
}

export const socketSyscalls: SyscallTable = {
  198: { name: 'socket', fn: socket, args: 'ddd' },
  199: { name: 'socketpair', fn: socketpair, args: 'dddp' },
  200: { name: 'bind', fn: unsupported, args: 'dpu' },
  201: { name: 'listen', fn: unsupported, args: 'dd' },
  202: { name: 'accept', fn: unsupported, args: 'dpp' },
  203: { name: 'connect', fn: unsupported, args: 'dpu' },
  204: { name: 'getsockname', fn: sockname, args: 'dpp' },
  205: { name: 'getpeername', fn: sockname, args: 'dpp' },
  206: { name: 'sendto', fn: sendto, args: 'dpuxpu' },
  207: { name: 'recvfrom', fn: recvfrom, args: 'dpuxpp' },
  208: { name: 'setsockopt', fn: setsockopt, args: 'dddpu' },
  209: { name: 'getsockopt', fn: getsockopt, args: 'dddpp' },
  210: { name: 'shutdown', fn: shutdown, args: 'dd' },
  211: { name: 'sendmsg', fn: sendmsg, args: 'dpx' },
  212: { name: 'recvmsg', fn: recvmsg, args: 'dpx' },
}
