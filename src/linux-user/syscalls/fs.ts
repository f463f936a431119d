/**
 * File-system and descriptor system calls. Guest paths go through the
 * -L prefix lookup (paths.ts); host errors map to Linux errno values.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { isatty } from 'node:tty'
import { andThen } from '../block.js'
import { E, hostErrno } from '../errno.js'
import { HostFile, O, type OpenFile } from '../fd.js'
import { hostPathFor } from '../paths.js'
import { encode, getU64, int, i64, readString, size, Struct, type Sys, type SyscallTable } from './context.js'

export const AT_FDCWD = -100
const AT_SYMLINK_NOFOLLOW = 0x100
const AT_EMPTY_PATH = 0x1000

/** Host path for a guest path relative to `dirfd`, or a negative errno. */
export function resolveAt(s: Sys, dirfd: number, guestPath: string): string | number {
  if (guestPath.startsWith('/') || dirfd === AT_FDCWD) return hostPathFor(s.k.paths, s.p.cwd, guestPath)
  const dir = s.p.fds.get(dirfd)
  if (dir === undefined) return -E.BADF
  if (dir.path === undefined) return -E.NOTDIR
  return path.resolve(dir.path, guestPath)
}

/** Host open(2) flags for Linux ones. */
function hostOpenFlags(flags: number): number {
  const c = fs.constants
  let h = flags & O.ACCMODE
  if (flags & O.CREAT) h |= c.O_CREAT
  if (flags & O.EXCL) h |= c.O_EXCL
  if (flags & O.NOCTTY) h |= c.O_NOCTTY
  if (flags & O.TRUNC) h |= c.O_TRUNC
  if (flags & O.APPEND) h |= c.O_APPEND
  if (flags & O.DIRECTORY) h |= c.O_DIRECTORY
  if (flags & O.NOFOLLOW) h |= c.O_NOFOLLOW
  if (flags & O.DSYNC) h |= c.O_DSYNC
  return h
}

function openat(s: Sys, a: readonly bigint[]): number {
  const dirfd = int(a[0]!)
  const name = readString(s.mem, a[1]!)
  const flags = int(a[2]!)
  const mode = int(a[3]!) & ~s.p.umask & 0o7777
  const special = openSpecial(s, name)
  if (special !== undefined) return typeof special === 'number' ? special : s.p.fds.install(special, (flags & O.CLOEXEC) !== 0)
  const host = resolveAt(s, dirfd, name)
  if (typeof host === 'number') return host
  let fd: number
  try {
    fd = fs.openSync(host, hostOpenFlags(flags), mode)
  } catch (e) {
    return hostErrno(e)
  }
  let regular = false
  try {
    regular = fs.fstatSync(fd).isFile()
  } catch {
    // fstat of a just-opened descriptor does not fail; treat as non-regular if it does.
  }
  const keep = flags & (O.ACCMODE | O.APPEND | O.NONBLOCK | O.DIRECTORY | O.NOFOLLOW | O.LARGEFILE | O.DSYNC)
  const file = new HostFile(fd, keep | O.LARGEFILE, host, false, regular)
  return s.p.fds.install(file, (flags & O.CLOEXEC) !== 0)
}

/** Files the engine answers itself, as QEMU's linux-user does (/proc/self/…). */
function openSpecial(_s: Sys, _name: string): OpenFile | number | undefined {
  return undefined
}

function read(s: Sys, a: readonly bigint[]) {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const buf = a[1]!
  return andThen(f.read(size(a[2]!)), (r) => {
    if (typeof r === 'number') return r
    s.mem.write(buf, r)
    return r.length
  })
}

function write(s: Sys, a: readonly bigint[]) {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const n = size(a[2]!)
  const data = n === 0 ? new Uint8Array(0) : s.mem.read(a[1]!, n)
  return andThen(f.write(data), (r) => r)
}

/** iovec arrays: (base, len) pairs. */
function readIov(s: Sys, iov: bigint, cnt: number): [bigint, number][] {
  const out: [bigint, number][] = []
  for (let i = 0; i < cnt; i++) out.push([getU64(s.mem, iov + BigInt(16 * i)), size(getU64(s.mem, iov + BigInt(16 * i + 8)))])
  return out
}

function writev(s: Sys, a: readonly bigint[]) {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const cnt = int(a[2]!)
  if (cnt < 0 || cnt > 1024) return -E.INVAL
  const parts = readIov(s, a[1]!, cnt).map(([base, len]) => (len === 0 ? new Uint8Array(0) : s.mem.read(base, len)))
  const total = parts.reduce((n, p) => n + p.length, 0)
  const data = new Uint8Array(total)
  let o = 0
  for (const p of parts) {
    data.set(p, o)
    o += p.length
  }
  return andThen(f.write(data), (r) => r)
}

function readv(s: Sys, a: readonly bigint[]) {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const cnt = int(a[2]!)
  if (cnt < 0 || cnt > 1024) return -E.INVAL
  const iov = readIov(s, a[1]!, cnt)
  const total = iov.reduce((n, [, len]) => n + len, 0)
  return andThen(f.read(total), (r) => {
    if (typeof r === 'number') return r
    let o = 0
    for (const [base, len] of iov) {
      if (o >= r.length) break
      const part = r.subarray(o, o + len)
      s.mem.write(base, part)
      o += part.length
    }
    return r.length
  })
}

/** struct stat for riscv64 (asm-generic/stat.h), 128 bytes. */
export function encodeStat(st: fs.BigIntStats): Uint8Array {
  const b = new Struct(128)
  b.u64(0, st.dev).u64(8, st.ino).u32(16, st.mode).u32(20, st.nlink).u32(24, st.uid).u32(28, st.gid)
  b.u64(32, st.rdev).u64(48, st.size).u32(56, st.blksize).u64(64, st.blocks)
  b.u64(72, st.atimeNs / 1_000_000_000n).u64(80, st.atimeNs % 1_000_000_000n)
  b.u64(88, st.mtimeNs / 1_000_000_000n).u64(96, st.mtimeNs % 1_000_000_000n)
  b.u64(104, st.ctimeNs / 1_000_000_000n).u64(112, st.ctimeNs % 1_000_000_000n)
  return b.bytes
}

/** stat(2) of a descriptor: host fstat, or what the engine knows about its own files. */
export function statFd(f: OpenFile): fs.BigIntStats | number {
  const h = f.hostFd()
  try {
    if (h !== undefined) return fs.fstatSync(h, { bigint: true })
    if (f.path !== undefined) return fs.statSync(f.path, { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
  return -E.BADF
}

function fstat(s: Sys, a: readonly bigint[]): number {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const st = statFd(f)
  if (typeof st === 'number') return st
  s.mem.write(a[1]!, encodeStat(st))
  return 0
}

function newfstatat(s: Sys, a: readonly bigint[]): number {
  const dirfd = int(a[0]!)
  const name = readString(s.mem, a[1]!)
  const flags = int(a[3]!)
  let st: fs.BigIntStats | number
  if (name === '' && flags & AT_EMPTY_PATH) {
    const f = dirfd === AT_FDCWD ? undefined : s.p.fds.get(dirfd)
    st = f === undefined ? (dirfd === AT_FDCWD ? safeStat(s.p.cwd, true) : -E.BADF) : statFd(f)
  } else {
    if (name === '') return -E.NOENT
    const host = resolveAt(s, dirfd, name)
    if (typeof host === 'number') return host
    st = safeStat(host, !(flags & AT_SYMLINK_NOFOLLOW))
  }
  if (typeof st === 'number') return st
  s.mem.write(a[2]!, encodeStat(st))
  return 0
}

export function safeStat(host: string, follow: boolean): fs.BigIntStats | number {
  try {
    return follow ? fs.statSync(host, { bigint: true }) : fs.lstatSync(host, { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
}

function close(s: Sys, a: readonly bigint[]): number {
  return s.p.fds.close(int(a[0]!))
}

function lseek(s: Sys, a: readonly bigint[]): bigint | number {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const whence = int(a[2]!)
  if (whence < 0 || whence > 2) return -E.INVAL
  return f.seek(i64(a[1]!), whence)
}

const TCGETS = 0x5401n
const TIOCGWINSZ = 0x5413n

function ioctl(s: Sys, a: readonly bigint[]): number {
  const f = s.p.fds.get(int(a[0]!))
  if (f === undefined) return -E.BADF
  const h = f.hostFd()
  const isTty = h !== undefined && isHostTty(h)
  switch (a[1]) {
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

function isHostTty(fd: number): boolean {
  return isatty(fd)
}

function getcwd(s: Sys, a: readonly bigint[]): bigint | number {
  const bytes = encode(`${s.p.cwd}\0`)
  if (BigInt(bytes.length) > a[1]!) return -E.RANGE
  s.mem.write(a[0]!, bytes)
  return bytes.length
}

function readlinkat(s: Sys, a: readonly bigint[]): number {
  const name = readString(s.mem, a[1]!)
  let target: string
  if (name === '/proc/self/exe' || name === `/proc/${s.p.pid}/exe`) {
    target = s.p.exeHostPath
  } else {
    const host = resolveAt(s, int(a[0]!), name)
    if (typeof host === 'number') return host
    try {
      target = fs.readlinkSync(host)
    } catch (e) {
      return hostErrno(e)
    }
  }
  const bytes = encode(target).subarray(0, size(a[3]!))
  s.mem.write(a[2]!, bytes)
  return bytes.length
}

function faccessat(s: Sys, a: readonly bigint[]): number {
  const host = resolveAt(s, int(a[0]!), readString(s.mem, a[1]!))
  if (typeof host === 'number') return host
  try {
    fs.accessSync(host, int(a[2]!) & 7)
    return 0
  } catch (e) {
    return hostErrno(e)
  }
}

export const fsSyscalls: SyscallTable = {
  17: { name: 'getcwd', fn: getcwd, args: 'xu' },
  48: { name: 'faccessat', fn: faccessat, args: 'asd' },
  56: { name: 'openat', fn: openat, args: 'asxo' },
  57: { name: 'close', fn: close, args: 'd' },
  62: { name: 'lseek', fn: lseek, args: 'ddd' },
  63: { name: 'read', fn: read, args: 'dxu' },
  64: { name: 'write', fn: write, args: 'dxu' },
  65: { name: 'readv', fn: readv, args: 'dxd' },
  66: { name: 'writev', fn: writev, args: 'dxd' },
  29: { name: 'ioctl', fn: ioctl, args: 'dxx' },
  78: { name: 'readlinkat', fn: readlinkat, args: 'asxu' },
  79: { name: 'newfstatat', fn: newfstatat, args: 'asxx' },
  80: { name: 'fstat', fn: fstat, args: 'dx' },
  439: { name: 'faccessat2', fn: faccessat, args: 'asdx' },
}
