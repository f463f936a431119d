/**
 * Descriptor I/O system calls: read/write and their vector and positional
 * forms, lseek, descriptor management (close, close_range, dup, dup3,
 * fcntl, flock), pipes, readiness (ppoll, pselect6), in-kernel copies
 * (sendfile, splice, tee, copy_file_range), sizes and syncing, memfd and
 * ioctl. Waits are Blocks (block.ts); a write to a pipe nobody reads raises
 * SIGPIPE as well as failing with EPIPE.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import { isatty } from 'node:tty'
import { andThen, Block } from '../block.js'
import { E, hostErrno } from '../errno.js'
import { HostFile, MAX_FDS, O, type OpenFile, Pipe, PipeEnd, Poll, S, type StatInfo } from '../fd.js'
import { UNBLOCKABLE } from '../signals.js'
import {
  getU32,
  getU64,
  i64,
  int,
  putU32,
  putU64,
  readString,
  Struct,
  type Sys,
  type SyscallTable,
  size,
} from './context.js'

type Result = number | bigint | Block<number | bigint>

const canRead = (f: OpenFile) => (f.flags & O.ACCMODE) !== O.WRONLY && !(f.flags & O.PATH)
const canWrite = (f: OpenFile) => (f.flags & O.ACCMODE) !== O.RDONLY && !(f.flags & O.PATH)

/** The open file `fd` names, or -EBADF. */
function fileOf(s: Sys, fd: number): OpenFile | number {
  const f = s.p.fds.get(fd)
  if (f === undefined) return -E.BADF
  return f
}

// ---- read and write -------------------------------------------------------

function read(s: Sys, a: readonly bigint[]): Result {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  const buf = a[1]!
  return andThen(f.read(size(a[2]!)), (r) => {
    if (typeof r === 'number') return r
    s.mem.write(buf, r)
    return r.length
  })
}

function write(s: Sys, a: readonly bigint[]): Result {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  const n = size(a[2]!)
  const data = n === 0 ? new Uint8Array(0) : s.mem.read(a[1]!, n)
  return f.write(data)
}

/** iovec arrays: (base, len) pairs; -EINVAL for a bad count. */
function readIov(s: Sys, iov: bigint, cntRaw: bigint): [bigint, number][] | number {
  const cnt = int(cntRaw)
  if (cnt < 0 || cnt > 1024) return -E.INVAL
  const out: [bigint, number][] = []
  let total = 0
  for (let i = 0; i < cnt; i++) {
    const len = getU64(s.mem, iov + BigInt(16 * i + 8))
    if (len > 0x7fff_ffff_ffff_ffffn) return -E.INVAL
    const n = Math.min(size(len), 0x7fff_f000 - total)
    total += n
    out.push([getU64(s.mem, iov + BigInt(16 * i)), n])
  }
  return out
}

/** The bytes an iovec array names, in one buffer. */
function gather(s: Sys, iov: [bigint, number][]): Uint8Array {
  const total = iov.reduce((n, [, len]) => n + len, 0)
  const data = new Uint8Array(total)
  let o = 0
  for (const [base, len] of iov) {
    if (len > 0) data.set(s.mem.read(base, len), o)
    o += len
  }
  return data
}

/** Spread `data` over an iovec array; returns its length. */
function scatter(s: Sys, iov: [bigint, number][], data: Uint8Array): number {
  let o = 0
  for (const [base, len] of iov) {
    if (o >= data.length) break
    const part = data.subarray(o, o + len)
    s.mem.write(base, part)
    o += part.length
  }
  return data.length
}

const ioTotal = (iov: [bigint, number][]): number => iov.reduce((n, [, len]) => n + len, 0)

function readv(s: Sys, a: readonly bigint[]): Result {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const iov = readIov(s, a[1]!, a[2]!)
  if (typeof iov === 'number') return iov
  if (f.flags & O.PATH) return -E.BADF
  return andThen(f.read(ioTotal(iov)), (r) => (typeof r === 'number' ? r : scatter(s, iov, r)))
}

function writev(s: Sys, a: readonly bigint[]): Result {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const iov = readIov(s, a[1]!, a[2]!)
  if (typeof iov === 'number') return iov
  if (f.flags & O.PATH) return -E.BADF
  return f.write(gather(s, iov))
}

/** Checks common to the positional calls: readable/writable, a seekable file, a valid position. */
function positional(f: OpenFile, pos: bigint, writing: boolean): number {
  if (writing ? !canWrite(f) : !canRead(f)) return -E.BADF
  if (f instanceof PipeEnd) return -E.SPIPE
  if (pos < 0n) return -E.INVAL
  if (f.dir !== undefined) return writing ? -E.BADF : -E.ISDIR
  return 0
}

function preadAt(f: OpenFile, len: number, pos: bigint): Uint8Array | number {
  const bad = positional(f, pos, false)
  return bad < 0 ? bad : f.pread(len, pos)
}

function pwriteAt(f: OpenFile, data: Uint8Array, pos: bigint): number {
  const bad = positional(f, pos, true)
  return bad < 0 ? bad : f.pwrite(data, pos)
}

function pread64(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const r = preadAt(f, size(a[2]!), i64(a[3]!))
  if (typeof r === 'number') return r
  s.mem.write(a[1]!, r)
  return r.length
}

function pwrite64(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const n = size(a[2]!)
  return pwriteAt(f, n === 0 ? new Uint8Array(0) : s.mem.read(a[1]!, n), i64(a[3]!))
}

/**
 * preadv2/pwritev2 flags (RWF_*): QEMU 7.2 passes none of them on and fails
 * with EOPNOTSUPP, so guests under it never get them to work; neither here.
 */
const rwfSupported = (flags: number): boolean => flags === 0

function preadv2(s: Sys, a: readonly bigint[]): Result {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const iov = readIov(s, a[1]!, a[2]!)
  if (typeof iov === 'number') return iov
  const flags = int(a[5]!)
  if (!rwfSupported(flags)) return -E.OPNOTSUPP
  const pos = i64(a[3]!)
  if (pos === -1n) return readv(s, a)
  const r = preadAt(f, ioTotal(iov), pos)
  return typeof r === 'number' ? r : scatter(s, iov, r)
}

function pwritev2(s: Sys, a: readonly bigint[]): Result {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const iov = readIov(s, a[1]!, a[2]!)
  if (typeof iov === 'number') return iov
  const flags = int(a[5]!)
  if (!rwfSupported(flags)) return -E.OPNOTSUPP
  const pos = i64(a[3]!)
  if (pos === -1n) return writev(s, a)
  return pwriteAt(f, gather(s, iov), pos)
}

function lseek(s: Sys, a: readonly bigint[]): bigint | number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const whence = int(a[2]!)
  if (whence < 0 || whence > 4) return -E.INVAL
  if (whence > 2) return seekData(f, i64(a[1]!), whence)
  return f.seek(i64(a[1]!), whence)
}

/** SEEK_DATA/SEEK_HOLE without host help: the whole file is data, its end the only hole. */
function seekData(f: OpenFile, off: bigint, whence: number): bigint | number {
  const st = f.stat()
  if (typeof st === 'number') return st
  if ((Number(st.mode) & S.IFMT) !== S.IFREG) return f instanceof PipeEnd ? -E.SPIPE : -E.INVAL
  if (off < 0n || off >= st.size) return -E.NXIO
  return f.seek(whence === 3 ? off : st.size, 0)
}

// ---- descriptors ------------------------------------------------------------

function close(s: Sys, a: readonly bigint[]): number {
  return s.p.fds.close(int(a[0]!))
}

const CLOSE_RANGE_UNSHARE = 2
const CLOSE_RANGE_CLOEXEC = 4

function closeRange(s: Sys, a: readonly bigint[]): number {
  const first = Number(BigInt.asUintN(32, a[0]!))
  const last = Number(BigInt.asUintN(32, a[1]!))
  const flags = int(a[2]!)
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -E.INVAL
  for (const fd of s.p.fds.list()) {
    if (fd < first || fd > last) continue
    if (flags & CLOSE_RANGE_CLOEXEC) s.p.fds.setCloexec(fd, true)
    else s.p.fds.close(fd)
  }
  return 0
}

function dup(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  return s.p.fds.install(f, false)
}

function dup3(s: Sys, a: readonly bigint[]): number {
  const oldfd = int(a[0]!)
  const newfd = int(a[1]!)
  const flags = int(a[2]!)
  if (flags & ~O.CLOEXEC) return -E.INVAL
  if (oldfd === newfd) return -E.INVAL
  const f = fileOf(s, oldfd)
  if (typeof f === 'number') return f
  if (newfd < 0 || newfd >= MAX_FDS) return -E.BADF
  s.p.fds.place(newfd, f, (flags & O.CLOEXEC) !== 0)
  return newfd
}

const F = {
  DUPFD: 0,
  GETFD: 1,
  SETFD: 2,
  GETFL: 3,
  SETFL: 4,
  GETLK: 5,
  SETLK: 6,
  SETLKW: 7,
  SETOWN: 8,
  GETOWN: 9,
  SETSIG: 10,
  GETSIG: 11,
  SETOWN_EX: 15,
  GETOWN_EX: 16,
  OFD_GETLK: 36,
  OFD_SETLK: 37,
  OFD_SETLKW: 38,
  SETLEASE: 1024,
  GETLEASE: 1025,
  NOTIFY: 1026,
  DUPFD_CLOEXEC: 1030,
  SETPIPE_SZ: 1031,
  GETPIPE_SZ: 1032,
  ADD_SEALS: 1033,
  GET_SEALS: 1034,
} as const

/** Status flags F_SETFL may change (SETFL_MASK). */
const SETFL_MASK = O.APPEND | O.NONBLOCK | O.ASYNC | O.DIRECT | O.NOATIME
const F_RDLCK = 0
const F_WRLCK = 1
const F_UNLCK = 2
const F_SEAL_SEAL = 1
const F_SEAL_ALL = 0x3f

/** Pipe sizes F_SETPIPE_SZ grants: a power-of-two number of pages, at least one, at most /proc/sys/fs/pipe-max-size. */
export function pipeSize(req: number): number | undefined {
  if (req > 1 << 20) return undefined
  let n = 4096
  while (n < req) n *= 2
  return n
}

/**
 * Record locks: taken and released without conflicts (every lock is granted,
 * F_GETLK reports the range unlocked), after the kernel's argument checks.
 */
function recordLock(s: Sys, f: OpenFile, cmd: number, arg: bigint): number {
  if (f.flags & O.PATH) return -E.BADF
  const type = Number(BigInt.asIntN(16, s.mem.load(arg, 2)))
  const whence = Number(BigInt.asIntN(16, s.mem.load(arg + 2n, 2)))
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -E.INVAL
  if (whence < 0 || whence > 2) return -E.INVAL
  const ofd = cmd === F.OFD_GETLK || cmd === F.OFD_SETLK || cmd === F.OFD_SETLKW
  if (ofd && getU32(s.mem, arg + 24n) !== 0) return -E.INVAL
  if (cmd === F.GETLK || cmd === F.OFD_GETLK) {
    if (type === F_UNLCK) return -E.INVAL
    s.mem.store(arg, 2, BigInt(F_UNLCK))
    return 0
  }
  if (type === F_RDLCK && !canRead(f)) return -E.BADF
  if (type === F_WRLCK && !canWrite(f)) return -E.BADF
  return 0
}

function fcntl(s: Sys, a: readonly bigint[]): number {
  const fd = int(a[0]!)
  const f = fileOf(s, fd)
  if (typeof f === 'number') return f
  const cmd = int(a[1]!)
  const arg = a[2]!
  switch (cmd) {
    case F.DUPFD:
    case F.DUPFD_CLOEXEC: {
      const min = int(arg)
      if (min < 0 || min >= MAX_FDS) return -E.INVAL
      return s.p.fds.install(f, cmd === F.DUPFD_CLOEXEC, min)
    }
    case F.GETFD:
      return s.p.fds.entry(fd)!.cloexec ? 1 : 0
    case F.SETFD:
      return s.p.fds.setCloexec(fd, (int(arg) & 1) !== 0)
    case F.GETFL:
      return f.flags
    case F.SETFL:
      if (f.flags & O.PATH) return -E.BADF
      f.flags = (f.flags & ~SETFL_MASK) | (int(arg) & SETFL_MASK & ~O.DIRECT)
      return 0
    case F.GETLK:
    case F.SETLK:
    case F.SETLKW:
    case F.OFD_GETLK:
    case F.OFD_SETLK:
    case F.OFD_SETLKW:
      return recordLock(s, f, cmd, arg)
    case F.GETOWN:
    case F.GETSIG:
    case F.GETLEASE:
      return cmd === F.GETLEASE ? F_UNLCK : 0
    case F.SETOWN:
    case F.SETSIG:
      return 0
    case F.GETOWN_EX:
      s.mem.write(arg, new Uint8Array(8))
      return 0
    case F.SETOWN_EX:
      return 0
    case F.SETLEASE:
    case F.NOTIFY:
      return -E.INVAL
    case F.GETPIPE_SZ:
      return f instanceof PipeEnd ? f.pipe.capacity : -E.BADF
    case F.SETPIPE_SZ: {
      if (!(f instanceof PipeEnd)) return -E.BADF
      const n = pipeSize(Number(BigInt.asUintN(32, arg)))
      if (n === undefined) return -E.PERM
      if (n / 4096 < f.pipe.bufs.length) return -E.BUSY
      f.pipe.capacity = n
      return n
    }
    case F.GET_SEALS:
      return f.seals ?? -E.INVAL
    case F.ADD_SEALS: {
      if (f.seals === undefined) return -E.INVAL
      const add = int(arg)
      if (add & ~F_SEAL_ALL) return -E.INVAL
      if (!canWrite(f)) return -E.PERM
      if (f.seals & F_SEAL_SEAL) return -E.PERM
      f.seals |= add
      return 0
    }
    default:
      return -E.INVAL
  }
}

const LOCK_SH = 1
const LOCK_EX = 2
const LOCK_NB = 4
const LOCK_UN = 8

/** flock: advisory locks are granted at once (nothing else in the engine holds them). */
function flock(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  const op = int(a[1]!) & ~LOCK_NB
  if (op !== LOCK_SH && op !== LOCK_EX && op !== LOCK_UN) return -E.INVAL
  return 0
}

// ---- pipes ------------------------------------------------------------------

function pipe2(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[1]!)
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | O.DIRECT)) return -E.INVAL
  const pipe = new Pipe()
  pipe.packets = (flags & O.DIRECT) !== 0
  const keep = flags & (O.NONBLOCK | O.DIRECT)
  const r = new PipeEnd(pipe, false, O.RDONLY | keep)
  const w = new PipeEnd(pipe, true, O.WRONLY | keep)
  return installPair(s, r, w, (flags & O.CLOEXEC) !== 0, a[0]!)
}

/**
 * Install two new open files (pipe2, socketpair) and store their descriptors
 * as two ints at `addr`; on failure nothing stays installed or open.
 */
export function installPair(s: Sys, x: OpenFile, y: OpenFile, cloexec: boolean, addr: bigint): number {
  const xfd = s.p.fds.install(x, cloexec)
  if (xfd < 0) {
    x.release()
    y.release()
    return xfd
  }
  const yfd = s.p.fds.install(y, cloexec)
  if (yfd < 0) {
    s.p.fds.close(xfd)
    y.release()
    return yfd
  }
  try {
    putU32(s.mem, addr, xfd)
    putU32(s.mem, addr + 4n, yfd)
  } catch (e) {
    s.p.fds.close(xfd)
    s.p.fds.close(yfd)
    throw e
  }
  return 0
}

// ---- readiness ----------------------------------------------------------------

/** Read struct timespec: ns, or undefined for NULL, or -EINVAL. */
function readTimeout(s: Sys, addr: bigint): bigint | undefined | number {
  if (addr === 0n) return undefined
  const sec = i64(getU64(s.mem, addr))
  const ns = i64(getU64(s.mem, addr + 8n))
  if (sec < 0n || ns < 0n || ns >= 1_000_000_000n) return -E.INVAL
  return sec * 1_000_000_000n + ns
}

/**
 * The shared shape of ppoll and pselect6: check now; if nothing is ready and
 * time remains, install the temporary signal mask and wait (a Block that a
 * signal interrupts with EINTR, never restarted), then restore the mask.
 * Linux writes the time left back to the timeout.
 */
function waitReady(
  s: Sys,
  check: (commit: boolean) => number,
  timeoutAddr: bigint,
  timeoutNs: bigint | undefined,
  mask: bigint | undefined,
): Result {
  const n = check(true)
  if (n !== 0 || timeoutNs === 0n) return n
  const t = s.t
  const deadline = timeoutNs === undefined ? undefined : performance.now() + Number(timeoutNs) / 1e6
  const swapped = mask !== undefined
  if (swapped) {
    t.savedMask = t.sigmask
    t.sigmask = mask & ~UNBLOCKABLE
  }
  return new Block<number>(
    () => check(false) !== 0,
    (timedOut) => {
      if (swapped && t.savedMask !== undefined) {
        t.sigmask = t.savedMask
        t.savedMask = undefined
      }
      const r = timedOut ? 0 : check(true)
      if (r === 0 && timedOut) check(true)
      if (deadline !== undefined && timeoutAddr !== 0n) {
        const left = Math.max(0, Math.round((deadline - performance.now()) * 1e6))
        const ns = timedOut ? 0n : BigInt(left)
        s.mem.write(timeoutAddr, new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, ns % 1_000_000_000n).bytes)
      }
      return r
    },
    deadline,
    true,
    false,
  )
}

/** poll(2) revents of a descriptor for the requested events (POLLERR/POLLHUP always count; POLLNVAL if closed). */
export function revents(f: OpenFile | undefined, events: number): number {
  if (f === undefined) return Poll.NVAL
  return f.pollMask() & (events | Poll.ERR | Poll.HUP)
}

function readSigmask(s: Sys, addr: bigint, sz: bigint): bigint | undefined | number {
  if (addr === 0n) return undefined
  if (sz !== 8n) return -E.INVAL
  return getU64(s.mem, addr)
}

function ppoll(s: Sys, a: readonly bigint[]): Result {
  const nfds = Number(BigInt.asUintN(32, a[1]!))
  if (nfds > MAX_FDS) return -E.INVAL
  const timeout = readTimeout(s, a[2]!)
  if (typeof timeout === 'number') return timeout
  const mask = readSigmask(s, a[3]!, a[4]!)
  if (typeof mask === 'number') return mask
  const base = a[0]!
  const raw = nfds === 0 ? new Uint8Array(0) : s.mem.read(base, nfds * 8)
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const check = (commit: boolean): number => {
    let n = 0
    for (let i = 0; i < nfds; i++) {
      const fd = dv.getInt32(i * 8, true)
      const r = fd < 0 ? 0 : revents(s.p.fds.get(fd), dv.getUint16(i * 8 + 4, true))
      if (r !== 0) n++
      if (commit) dv.setUint16(i * 8 + 6, r, true)
    }
    if (commit && nfds > 0) s.mem.write(base, raw)
    return n
  }
  return waitReady(s, check, timeout === undefined || timeout === 0n ? 0n : a[2]!, timeout, mask)
}

const POLLIN_SET = Poll.RDNORM | Poll.RDBAND | Poll.IN | Poll.HUP | Poll.ERR
const POLLOUT_SET = Poll.WRBAND | Poll.WRNORM | Poll.OUT | Poll.ERR
const POLLEX_SET = Poll.PRI

function pselect6(s: Sys, a: readonly bigint[]): Result {
  let nfds = int(a[0]!)
  if (nfds < 0) return -E.INVAL
  nfds = Math.min(nfds, MAX_FDS)
  const timeout = readTimeout(s, a[4]!)
  if (typeof timeout === 'number') return timeout
  let mask: bigint | undefined
  if (a[5] !== 0n) {
    const m = readSigmask(s, getU64(s.mem, a[5]!), getU64(s.mem, a[5]! + 8n))
    if (typeof m === 'number') return m
    mask = m
  }
  const words = Math.ceil(nfds / 64)
  const sets = [a[1]!, a[2]!, a[3]!].map((addr) => {
    if (addr === 0n || words === 0) return undefined
    const b = s.mem.read(addr, words * 8)
    return { addr, bits: new DataView(b.buffer, b.byteOffset, b.byteLength), bytes: b }
  })
  const isSet = (k: number, fd: number) => {
    const st = sets[k]
    return st !== undefined && (st.bits.getUint8(fd >> 3) & (1 << (fd & 7))) !== 0
  }
  for (let fd = 0; fd < nfds; fd++) {
    if ((isSet(0, fd) || isSet(1, fd) || isSet(2, fd)) && s.p.fds.get(fd) === undefined) return -E.BADF
  }
  const check = (commit: boolean): number => {
    let n = 0
    const out = sets.map((st) => (st === undefined ? undefined : new Uint8Array(st.bytes.length)))
    for (let fd = 0; fd < nfds; fd++) {
      const want = [isSet(0, fd), isSet(1, fd), isSet(2, fd)]
      if (!want[0] && !want[1] && !want[2]) continue
      const m = s.p.fds.get(fd)!.pollMask()
      const got = [
        want[0] && (m & POLLIN_SET) !== 0,
        want[1] && (m & POLLOUT_SET) !== 0,
        want[2] && (m & POLLEX_SET) !== 0,
      ]
      got.forEach((g, k) => {
        if (!g) return
        n++
        out[k]![fd >> 3]! |= 1 << (fd & 7)
      })
    }
    if (commit) {
      out.forEach((b, k) => {
        if (b !== undefined) s.mem.write(sets[k]!.addr, b)
      })
    }
    return n
  }
  return waitReady(s, check, timeout === undefined || timeout === 0n ? 0n : a[4]!, timeout, mask)
}

// ---- in-kernel copies ---------------------------------------------------------

const SPLICE_F_NONBLOCK = 2

/**
 * Move up to `len` bytes from `src` to `dst` (sendfile, splice): reads at
 * `srcPos` or the current offset, writes at `dstPos` or the current offset.
 * A pipe destination takes no more than fits; waits for data or room unless
 * `nonblock`. Returns the bytes moved.
 */
function transfer(
  src: OpenFile,
  dst: OpenFile,
  len: number,
  srcPos: bigint | undefined,
  dstPos: bigint | undefined,
  nonblock: boolean,
): number | Block<number> {
  const retry = (ready: () => boolean) =>
    new Block<number>(ready, () => transfer(src, dst, len, srcPos, dstPos, nonblock))
  let n = len
  if (dst instanceof PipeEnd) {
    const p = dst.pipe
    if (p.readers === 0) return -E.PIPE
    if (p.free === 0)
      return nonblock || dst.flags & O.NONBLOCK ? -E.AGAIN : retry(() => p.free > 0 || p.readers === 0)
    n = Math.min(n, p.free)
  }
  if (src instanceof PipeEnd) {
    const p = src.pipe
    if (p.size === 0) {
      if (p.writers === 0) return 0
      return nonblock || src.flags & O.NONBLOCK ? -E.AGAIN : retry(() => p.size > 0 || p.writers === 0)
    }
  }
  if (n === 0) return 0
  const got: ReturnType<OpenFile['read']> = srcPos !== undefined ? src.pread(n, srcPos) : src.read(n)
  return andThen(got, (data): number | Block<number> => {
    if (typeof data === 'number') return data
    if (data.length === 0) return 0
    const put = dstPos !== undefined ? dst.pwrite(data, dstPos) : dst.write(data)
    return andThen(put, (w) => {
      // A short write after a read that moved the source's offset: give the rest back.
      if (srcPos === undefined && w >= 0 && w < data.length && !(src instanceof PipeEnd))
        src.seek(BigInt(w - data.length), 1)
      return w
    })
  })
}

/** Read an optional loff_t pointer: undefined for NULL, -EINVAL for a negative offset. */
function readOffset(s: Sys, addr: bigint): bigint | undefined | number {
  if (addr === 0n) return undefined
  const v = i64(getU64(s.mem, addr))
  return v < 0n ? -E.INVAL : v
}

/** Files sendfile and copy_file_range read from or write to: no directories, no O_PATH. */
function copyEnds(s: Sys, inFd: number, outFd: number): [OpenFile, OpenFile] | number {
  const src = fileOf(s, inFd)
  if (typeof src === 'number') return src
  const dst = fileOf(s, outFd)
  if (typeof dst === 'number') return dst
  if (!canRead(src) || !canWrite(dst)) return -E.BADF
  return [src, dst]
}

const fileType = (f: OpenFile): number => {
  const st = f.stat()
  return typeof st === 'number' ? 0 : Number(st.mode) & S.IFMT
}

function sendfile(s: Sys, a: readonly bigint[]): Result {
  const ends = copyEnds(s, int(a[1]!), int(a[0]!))
  if (typeof ends === 'number') return ends
  const [src, dst] = ends
  if (dst.flags & O.APPEND) return -E.INVAL
  const off = readOffset(s, a[2]!)
  if (typeof off === 'number') return off
  if (off !== undefined && src instanceof PipeEnd) return -E.SPIPE
  if (src.dir !== undefined) return -E.INVAL
  const count = Math.min(size(a[3]!), 0x7fff_f000)
  return andThen(transfer(src, dst, count, off, undefined, false), (n) => {
    if (off !== undefined && n > 0) putU64(s.mem, a[2]!, off + BigInt(n))
    return n
  })
}

function splice(s: Sys, a: readonly bigint[]): Result {
  const src = fileOf(s, int(a[0]!))
  if (typeof src === 'number') return src
  const dst = fileOf(s, int(a[2]!))
  if (typeof dst === 'number') return dst
  const flags = int(a[5]!)
  if (!canRead(src) || !canWrite(dst)) return -E.BADF
  const srcPipe = src instanceof PipeEnd
  const dstPipe = dst instanceof PipeEnd
  if (!srcPipe && !dstPipe) return -E.INVAL
  if ((srcPipe && a[1] !== 0n) || (dstPipe && a[3] !== 0n)) return -E.SPIPE
  if (srcPipe && dstPipe && src.pipe === dst.pipe) return -E.INVAL
  if (dst.flags & O.APPEND && !dstPipe) return -E.INVAL
  const inOff = readOffset(s, a[1]!)
  if (typeof inOff === 'number') return inOff
  const outOff = readOffset(s, a[3]!)
  if (typeof outOff === 'number') return outOff
  if ((inOff !== undefined && src.dir !== undefined) || src.dir !== undefined || dst.dir !== undefined)
    return -E.INVAL
  const len = Math.min(size(a[4]!), 0x7fff_f000)
  return andThen(transfer(src, dst, len, inOff, outOff, (flags & SPLICE_F_NONBLOCK) !== 0), (n) => {
    if (n > 0 && inOff !== undefined) putU64(s.mem, a[1]!, inOff + BigInt(n))
    if (n > 0 && outOff !== undefined) putU64(s.mem, a[3]!, outOff + BigInt(n))
    return n
  })
}

/** tee: copy what one pipe holds into another without consuming it. */
function tee(s: Sys, a: readonly bigint[]): Result {
  const src = fileOf(s, int(a[0]!))
  if (typeof src === 'number') return src
  const dst = fileOf(s, int(a[1]!))
  if (typeof dst === 'number') return dst
  if (!(src instanceof PipeEnd) || !(dst instanceof PipeEnd) || src.isWriter || !dst.isWriter) return -E.INVAL
  if (src.pipe === dst.pipe) return -E.INVAL
  const len = size(a[2]!)
  const nonblock = (int(a[3]!) & SPLICE_F_NONBLOCK) !== 0
  const attempt = (): number | Block<number> => {
    const from = src.pipe
    const to = dst.pipe
    if (to.readers === 0) return -E.PIPE
    if (from.size === 0) {
      if (from.writers === 0) return 0
      if (nonblock) return -E.AGAIN
      return new Block<number>(() => from.size > 0 || from.writers === 0, attempt)
    }
    if (to.free === 0) {
      if (nonblock) return -E.AGAIN
      return new Block<number>(() => to.free > 0 || to.readers === 0, attempt)
    }
    const n = Math.min(len, from.size, to.free)
    if (n === 0) return 0
    to.put(from.take(n, true))
    return n
  }
  return attempt()
}

function copyFileRange(s: Sys, a: readonly bigint[]): Result {
  if (int(a[5]!) !== 0) return -E.INVAL
  const ends = copyEnds(s, int(a[0]!), int(a[2]!))
  if (typeof ends === 'number') return ends
  const [src, dst] = ends
  if (dst.flags & O.APPEND) return -E.BADF
  const ts = fileType(src)
  const td = fileType(dst)
  if (ts === S.IFDIR || td === S.IFDIR) return -E.ISDIR
  if (ts !== S.IFREG || td !== S.IFREG) return -E.INVAL
  const inOff = readOffset(s, a[1]!)
  if (typeof inOff === 'number') return inOff
  const outOff = readOffset(s, a[3]!)
  if (typeof outOff === 'number') return outOff
  const inPos = inOff ?? (src.seek(0n, 1) as bigint)
  const outPos = outOff ?? (dst.seek(0n, 1) as bigint)
  const len = Math.min(size(a[4]!), 1 << 24)
  const a1 = src.stat() as StatInfo
  const a2 = dst.stat() as StatInfo
  if (a1.ino === a2.ino && a1.dev === a2.dev && inPos < outPos + BigInt(len) && outPos < inPos + BigInt(len))
    return -E.INVAL
  // Without an offset pointer, read and write at the current offsets: a descriptor inherited from
  // the parent shell (cat FILE >> out) must advance the host offset it shares, which a positional
  // write followed by a tracked seek would leave behind.
  return andThen(transfer(src, dst, len, inOff, outOff, false), (n) => {
    if (n > 0 && inOff !== undefined) putU64(s.mem, a[1]!, inOff + BigInt(n))
    if (n > 0 && outOff !== undefined) putU64(s.mem, a[3]!, outOff + BigInt(n))
    return n
  })
}

// ---- sizes and syncing ------------------------------------------------------------

function ftruncate(s: Sys, a: readonly bigint[]): number {
  const len = i64(a[1]!)
  if (len < 0n) return -E.INVAL
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  if (!canWrite(f) || fileType(f) !== S.IFREG) return -E.INVAL
  return f.truncate(len)
}

const FALLOC_FL_KEEP_SIZE = 1

/** fallocate: mode 0 extends the file with allocated zeros, KEEP_SIZE is accepted; other modes are not supported. */
function fallocate(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const mode = int(a[1]!)
  const off = i64(a[2]!)
  const len = i64(a[3]!)
  if (off < 0n || len <= 0n) return -E.INVAL
  if (!canWrite(f)) return -E.BADF
  const t = fileType(f)
  if (f instanceof PipeEnd || t === S.IFIFO) return -E.SPIPE
  if (t === S.IFDIR) return -E.ISDIR
  if (t !== S.IFREG) return -E.NODEV
  if (mode === FALLOC_FL_KEEP_SIZE) return 0
  if (mode !== 0) return -E.OPNOTSUPP
  const st = f.stat()
  if (typeof st === 'number') return st
  const end = off + len
  if (end <= st.size) return 0
  // Written zeros are allocated blocks, as fallocate's are; very large ranges are only sized.
  if (end - st.size <= 64n << 20n) {
    const zeros = new Uint8Array(1 << 20)
    for (let p = st.size; p < end; ) {
      const n = Number(end - p < BigInt(zeros.length) ? end - p : BigInt(zeros.length))
      const w = f.pwrite(zeros.subarray(0, n), p)
      if (w < 0) return w
      p += BigInt(w)
    }
    return 0
  }
  return f.truncate(end)
}

function fsync(dataOnly: boolean) {
  return (s: Sys, a: readonly bigint[]): number => {
    const f = fileOf(s, int(a[0]!))
    if (typeof f === 'number') return f
    if (f.flags & O.PATH) return -E.BADF
    return f.sync(dataOnly)
  }
}

/** Calls that only check their descriptor: hints and write-back requests. */
function hint(check: (f: OpenFile, a: readonly bigint[]) => number = () => 0) {
  return (s: Sys, a: readonly bigint[]): number => {
    const f = fileOf(s, int(a[0]!))
    if (typeof f === 'number') return f
    if (f.flags & O.PATH) return -E.BADF
    return check(f, a)
  }
}

// ---- memfd ------------------------------------------------------------------------

const MFD_CLOEXEC = 1
const MFD_ALLOW_SEALING = 2
const MFD_ALL = 0x1f
let memfdCount = 0

/** memfd_create's file: a host temporary file, unlinked at once, that looks like the anonymous shmem file it stands for. */
class MemfdFile extends HostFile {
  constructor(
    fd: number,
    readonly name: string,
  ) {
    super(fd, O.RDWR, undefined, false, true)
  }
  override linkName(): string {
    return `/memfd:${this.name} (deleted)`
  }
  override stat(): StatInfo | number {
    const st = super.stat()
    if (typeof st === 'number') return st
    return { ...st, mode: BigInt(S.IFREG | 0o777), nlink: 0n }
  }
}

function memfdCreate(s: Sys, a: readonly bigint[]): number {
  const name = readString(s.mem, a[0]!)
  const flags = int(a[1]!)
  if (flags & ~MFD_ALL || Buffer.byteLength(name) > 249) return -E.INVAL
  const tmp = `${os.tmpdir()}/rvscope-memfd-${process.pid}-${memfdCount++}`
  let fd: number
  try {
    fd = fs.openSync(tmp, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600)
    fs.unlinkSync(tmp)
  } catch (e) {
    return hostErrno(e)
  }
  const f = new MemfdFile(fd, name)
  f.seals = flags & MFD_ALLOW_SEALING ? 0 : F_SEAL_SEAL
  const r = s.p.fds.install(f, (flags & MFD_CLOEXEC) !== 0)
  if (r < 0) f.release()
  return r
}

// ---- ioctl ------------------------------------------------------------------------

const TCGETS = 0x5401
const TIOCGWINSZ = 0x5413
const FIONREAD = 0x541b
const FIONBIO = 0x5421
const FIONCLEX = 0x5450
const FIOCLEX = 0x5451

function ioctl(s: Sys, a: readonly bigint[]): number {
  const fd = int(a[0]!)
  const f = fileOf(s, fd)
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  const h = f.hostFd()
  const isTty = h !== undefined && isatty(h)
  const req = Number(BigInt.asUintN(32, a[1]!))
  switch (req) {
    case FIOCLEX:
    case FIONCLEX:
      return s.p.fds.setCloexec(fd, req === FIOCLEX)
    case FIONBIO:
      if (getU32(s.mem, a[2]!) !== 0) f.flags |= O.NONBLOCK
      else f.flags &= ~O.NONBLOCK
      return 0
    case FIONREAD: {
      let n = 0
      const type = fileType(f)
      if (f instanceof PipeEnd) n = f.pipe.size
      else if (type === S.IFREG) {
        const st = f.stat() as StatInfo
        const pos = f.seek(0n, 1)
        n = typeof pos === 'bigint' && st.size > pos ? Number(st.size - pos) : 0
      } else if (!isTty && type !== S.IFIFO && type !== S.IFSOCK) return -E.NOTTY
      // Host terminals and pipes cannot be asked without blocking: report nothing buffered.
      putU32(s.mem, a[2]!, n)
      return 0
    }
    case TCGETS: {
      if (!isTty) return -E.NOTTY
      // A cooked terminal: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO…, as a fresh tty reports.
      const t = new Struct(60).u32(0, 0o2400).u32(4, 0o5).u32(8, 0o277).u32(12, 0o105073)
      s.mem.write(a[2]!, t.bytes)
      return 0
    }
    case TIOCGWINSZ: {
      if (!isTty) return -E.NOTTY
      const out = process.stdout
      const rows = out.isTTY ? out.rows : 24
      const cols = out.isTTY ? out.columns : 80
      s.mem.write(a[2]!, new Struct(8).u16(0, rows).u16(2, cols).bytes)
      return 0
    }
    default:
      return isTty ? -E.INVAL : -E.NOTTY
  }
}

export const fsIoSyscalls: SyscallTable = {
  23: { name: 'dup', fn: dup, args: 'd' },
  24: { name: 'dup3', fn: dup3, args: 'ddx' },
  25: { name: 'fcntl', fn: fcntl, args: 'ddx' },
  29: { name: 'ioctl', fn: ioctl, args: 'dxx' },
  32: { name: 'flock', fn: flock, args: 'dd' },
  46: { name: 'ftruncate', fn: ftruncate, args: 'dd' },
  47: { name: 'fallocate', fn: fallocate, args: 'dddd' },
  57: { name: 'close', fn: close, args: 'd' },
  59: { name: 'pipe2', fn: pipe2, args: 'xx' },
  62: { name: 'lseek', fn: lseek, args: 'ddd' },
  63: { name: 'read', fn: read, args: 'dxu' },
  64: { name: 'write', fn: write, args: 'dxu' },
  65: { name: 'readv', fn: readv, args: 'dxd' },
  66: { name: 'writev', fn: writev, args: 'dxd' },
  67: { name: 'pread64', fn: pread64, args: 'dxud' },
  68: { name: 'pwrite64', fn: pwrite64, args: 'dxud' },
  69: { name: 'preadv', fn: (s, a) => preadv2(s, [a[0]!, a[1]!, a[2]!, a[3]!, 0n, 0n]), args: 'dxdd' },
  70: { name: 'pwritev', fn: (s, a) => pwritev2(s, [a[0]!, a[1]!, a[2]!, a[3]!, 0n, 0n]), args: 'dxdd' },
  71: { name: 'sendfile', fn: sendfile, args: 'ddxu' },
  72: { name: 'pselect6', fn: pselect6, args: 'dxxxxx' },
  73: { name: 'ppoll', fn: ppoll, args: 'xuxxu' },
  76: { name: 'splice', fn: splice, args: 'dxdxux' },
  77: { name: 'tee', fn: tee, args: 'ddux' },
  81: { name: 'sync', fn: () => 0, args: '' },
  82: { name: 'fsync', fn: fsync(false), args: 'd' },
  83: { name: 'fdatasync', fn: fsync(true), args: 'd' },
  84: {
    name: 'sync_file_range',
    fn: hint((f, a) =>
      int(a[3]!) & ~7 || i64(a[1]!) < 0n || i64(a[2]!) < 0n ? -E.INVAL : f instanceof PipeEnd ? -E.SPIPE : 0,
    ),
    args: 'dddx',
  },
  213: { name: 'readahead', fn: hint((f) => (fileType(f) === S.IFREG ? 0 : -E.INVAL)), args: 'ddu' },
  223: {
    name: 'fadvise64',
    fn: hint((f, a) =>
      f instanceof PipeEnd || fileType(f) === S.IFIFO
        ? -E.SPIPE
        : int(a[3]!) < 0 || int(a[3]!) > 5 || i64(a[2]!) < 0n
          ? -E.INVAL
          : 0,
    ),
    args: 'dddd',
  },
  267: { name: 'syncfs', fn: hint(), args: 'd' },
  279: { name: 'memfd_create', fn: memfdCreate, args: 'sx' },
  285: { name: 'copy_file_range', fn: copyFileRange, args: 'dxdxux' },
  286: { name: 'preadv2', fn: preadv2, args: 'dxddxx' },
  287: { name: 'pwritev2', fn: pwritev2, args: 'dxddxx' },
  436: { name: 'close_range', fn: closeRange, args: 'uux' },
}
