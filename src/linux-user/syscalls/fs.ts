/**
 * File-system system calls that work on paths: open, the stat family,
 * directories (getdents64, mkdir, unlink, rename, chdir), links, modes,
 * owners, times, statfs and extended attributes. Guest paths go through the
 * -L prefix lookup (paths.ts) and the engine's /proc (procfs.ts); host
 * errors map to Linux errno values. Descriptor I/O is in fs-io.ts.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { E, hostErrno } from '../errno.js'
import {
  type DirEntry,
  HostFile,
  hostDirStream,
  MemFile,
  O,
  type OpenFile,
  PipeEnd,
  type ReadResult,
  S,
  type StatInfo,
  type WriteResult,
} from '../fd.js'
import { hostPathFor, joinPath } from '../paths.js'
import { encode, getU64, i64, int, readString, Struct, type Sys, type SyscallTable, size } from './context.js'
import { linkStat, type ProcNode, procDirStream, procLookup } from './procfs.js'
import { CLOCK_REALTIME, clockNs } from './time.js'

export const AT_FDCWD = -100
const AT_SYMLINK_NOFOLLOW = 0x100
const AT_REMOVEDIR = 0x200
const AT_SYMLINK_FOLLOW = 0x400
const AT_NO_AUTOMOUNT = 0x800
const AT_EMPTY_PATH = 0x1000
const AT_STATX_SYNC_TYPE = 0x6000
const AT_EACCESS = 0x200

/** Host path for a guest path relative to `dirfd`, or a negative errno. */
export function resolveAt(s: Sys, dirfd: number, guestPath: string): string | number {
  if (guestPath.startsWith('/') || dirfd === AT_FDCWD) return hostPathFor(s.k.paths, s.p.cwd, guestPath)
  const dir = s.p.fds.get(dirfd)
  if (dir === undefined) return -E.BADF
  if (dir.path === undefined) return -E.NOTDIR
  return joinPath(dir.path, guestPath)
}

/** A looked-up guest path: the host path to use, and the engine's own /proc entry when it is one. */
export interface Lookup {
  host: string
  node?: Exclude<ProcNode, { kind: 'host' }>
}

/**
 * Look a guest path up. `follow`: whether a link in the last component is
 * followed (only matters for the engine's /proc links and /dev aliases).
 */
export function lookup(s: Sys, dirfd: number, guestPath: string, follow = true): Lookup | number {
  if (guestPath === '') return -E.NOENT
  const host = resolveAt(s, dirfd, guestPath)
  if (typeof host === 'number') return host
  if (!host.startsWith('/proc') && !host.startsWith('/dev/')) return { host }
  const norm = path.posix.normalize(host).replace(/(.)\/$/, '$1')
  if (norm !== '/proc' && !norm.startsWith('/proc/') && !norm.startsWith('/dev/')) return { host }
  const node = procLookup(s, norm, follow)
  if (typeof node === 'number') return node
  if (node === undefined) return { host }
  if (node.kind === 'host') return { host: node.host }
  return { host: node.host, node }
}

/** The open file `fd` names, or -EBADF. */
export function fileOf(s: Sys, fd: number): OpenFile | number {
  return s.p.fds.get(fd) ?? -E.BADF
}

/** Read a path argument; `null` when the pointer is NULL. */
function pathArg(s: Sys, addr: bigint): string | null {
  return addr === 0n ? null : readString(s.mem, addr)
}

let hostUmaskCleared = false
/** The guest's umask is applied by the engine: the host's must not apply a second one. */
function clearHostUmask(): void {
  if (hostUmaskCleared) return
  process.umask(0)
  hostUmaskCleared = true
}

/** Run a host call, mapping an exception to a negative errno. */
function host(f: () => unknown): number {
  try {
    f()
    return 0
  } catch (e) {
    return hostErrno(e)
  }
}

// ---- open ---------------------------------------------------------------

/** The host's O_PATH and __O_TMPFILE (Node has no constants; the values are the same on every Linux port). */
const HOST_O_PATH = 0o10000000
const HOST_O_TMPFILE = 0o20000000

/** Host open(2) flags for Linux ones. */
export function hostOpenFlags(flags: number): number {
  const c = fs.constants
  if (flags & O.PATH)
    return HOST_O_PATH | (flags & O.DIRECTORY ? c.O_DIRECTORY : 0) | (flags & O.NOFOLLOW ? c.O_NOFOLLOW : 0)
  let h = flags & O.ACCMODE
  if (flags & O.CREAT) h |= c.O_CREAT
  if (flags & O.EXCL) h |= c.O_EXCL
  if (flags & O.NOCTTY) h |= c.O_NOCTTY
  if (flags & O.TRUNC) h |= c.O_TRUNC
  // O_APPEND stays with the engine (HostFile writes at the end itself): F_SETFL can then take it back.
  if (flags & O.NONBLOCK) h |= c.O_NONBLOCK
  if (flags & O.DIRECTORY) h |= c.O_DIRECTORY
  if (flags & O.NOFOLLOW) h |= c.O_NOFOLLOW
  if ((flags & O.SYNC) === O.SYNC) h |= c.O_SYNC
  else if (flags & O.DSYNC) h |= c.O_DSYNC
  if (flags & O.NOATIME) h |= c.O_NOATIME
  if (flags & (O.TMPFILE & ~O.DIRECTORY)) h |= HOST_O_TMPFILE | c.O_DIRECTORY
  // O_DIRECT is not passed on: the engine's buffers have no alignment guarantee.
  return h
}

/**
 * F_GETFL of a fresh description: the open flags less those that only act at
 * open time (do_dentry_open). The kernel adds O_LARGEFILE, but QEMU on an
 * x86-64 host cannot translate it (glibc defines it as 0 there), so guests
 * under QEMU never see it; neither do they here.
 */
export function statusFlags(flags: number): number {
  if (flags & O.PATH) return flags & (O.PATH | O.DIRECTORY | O.NOFOLLOW)
  return flags & ~(O.CREAT | O.EXCL | O.NOCTTY | O.TRUNC | O.CLOEXEC | O.LARGEFILE)
}

/** Open a host file and wrap it: directories get a directory stream, regular files a tracked offset. */
export function openHost(hostPath: string, flags: number, mode: number): OpenFile | number {
  if (flags & O.CREAT || (flags & O.TMPFILE) === O.TMPFILE) clearHostUmask()
  let fd: number
  try {
    fd = fs.openSync(hostPath, hostOpenFlags(flags), mode)
  } catch (e) {
    return hostErrno(e)
  }
  let type = 0
  try {
    type = Number(fs.fstatSync(fd).mode) & S.IFMT
  } catch {
    // fstat of a just-opened descriptor does not fail; treat as a plain file if it does.
  }
  const file = new HostFile(fd, statusFlags(flags), hostPath, false, type === S.IFREG && !(flags & O.PATH))
  if (type === S.IFDIR) file.dir = hostDirStream(fd)
  return file
}

/** A directory of the engine's /proc (/proc/self/fd). */
class ProcDir extends MemFile {
  constructor(node: Extract<ProcNode, { kind: 'dir' }>) {
    super(new Uint8Array(0), node.guest)
    this.dir = procDirStream(node.list)
    this.statPath = node.host
  }
  readonly statPath: string
  override read(): ReadResult {
    return -E.ISDIR
  }
  override write(): WriteResult {
    return -E.BADF
  }
  override seek(offset: bigint, whence: number): bigint | number {
    return this.dir!.seek(offset, whence)
  }
  override stat(): StatInfo | number {
    try {
      return fs.statSync(this.statPath, { bigint: true })
    } catch (e) {
      return hostErrno(e)
    }
  }
}

/** Open what an emulated /proc entry stands for. */
function openProc(node: NonNullable<Lookup['node']>, flags: number): OpenFile | number {
  const acc = flags & O.ACCMODE
  switch (node.kind) {
    case 'file':
      // Mode 0444: only root may open it for writing (and then cannot write).
      if (acc !== O.RDONLY && process.getuid?.() !== 0) return -E.ACCES
      if (flags & O.DIRECTORY) return -E.NOTDIR
      return new MemFile(node.content(), node.host)
    case 'dir':
      if (acc !== O.RDONLY) return -E.ISDIR
      return new ProcDir(node)
    case 'link':
      if (flags & O.NOFOLLOW && !(flags & O.PATH)) return -E.LOOP
      return node.open(flags)
  }
}

function openat(s: Sys, a: readonly bigint[]): number {
  const dirfd = int(a[0]!)
  const name = readString(s.mem, a[1]!)
  const flags = int(a[2]!)
  const mode = flags & O.CREAT || (flags & O.TMPFILE) === O.TMPFILE ? int(a[3]!) & ~s.p.umask & 0o7777 : 0
  const where = lookup(s, dirfd, name, !(flags & O.NOFOLLOW))
  if (typeof where === 'number') return where
  let file: OpenFile | number
  if (where.node !== undefined) {
    file = openProc(where.node, flags)
    if (typeof file !== 'number') file.flags = statusFlags(flags)
  } else file = openHost(where.host, flags, mode)
  if (typeof file === 'number') return file
  const fd = s.p.fds.install(file, (flags & O.CLOEXEC) !== 0)
  if (fd < 0 && file.refs === 0) file.release()
  return fd
}

// ---- stat family ------------------------------------------------------------

const sec = (ns: bigint): bigint => (ns < 0n ? -((-ns + 999_999_999n) / 1_000_000_000n) : ns / 1_000_000_000n)
const nsec = (ns: bigint): bigint => ns - sec(ns) * 1_000_000_000n

/**
 * Nanoseconds the host could not take: Node sets file times to the
 * microsecond, so each time utimensat sets is remembered here with what
 * the host was given (by device and inode); while the host still shows
 * that value, the guest sees its own nanoseconds, for the rest of the run.
 */
const preciseTimes = new Map<string, { atime?: [bigint, bigint]; mtime?: [bigint, bigint] }>()

/** `ns` (what the host shows) as the guest set it, if it set it and nothing changed it since. */
function guestTime(st: StatInfo, which: 'atime' | 'mtime', ns: bigint): bigint {
  const kept = preciseTimes.get(`${st.dev}:${st.ino}`)?.[which]
  return kept !== undefined && kept[0] === ns ? kept[1] : ns
}

/** `st` with the access and modification times the guest set (see preciseTimes). */
function withGuestTimes(st: StatInfo): StatInfo {
  if (preciseTimes.size === 0) return st
  return { ...st, atimeNs: guestTime(st, 'atime', st.atimeNs), mtimeNs: guestTime(st, 'mtime', st.mtimeNs) }
}

/** struct stat for riscv64 (asm-generic/stat.h), 128 bytes. */
export function encodeStat(st: StatInfo): Uint8Array {
  st = withGuestTimes(st)
  const b = new Struct(128)
  b.u64(0, st.dev).u64(8, st.ino).u32(16, st.mode).u32(20, st.nlink).u32(24, st.uid).u32(28, st.gid)
  b.u64(32, st.rdev).u64(48, st.size).u32(56, st.blksize).u64(64, st.blocks)
  b.u64(72, sec(st.atimeNs)).u64(80, nsec(st.atimeNs))
  b.u64(88, sec(st.mtimeNs)).u64(96, nsec(st.mtimeNs))
  b.u64(104, sec(st.ctimeNs)).u64(112, nsec(st.ctimeNs))
  return b.bytes
}

/** Major and minor of a dev_t as glibc encodes it (gnu_dev_major/minor). */
export function devSplit(dev: bigint): [number, number] {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn)
  return [Number(BigInt.asUintN(32, major)), Number(BigInt.asUintN(32, minor))]
}

export const STATX_BASIC_STATS = 0x7ff
export const STATX_BTIME = 0x800
export const STATX_MNT_ID = 0x1000
const STATX_RESERVED = 0x8000_0000
const STATX_ATTR_MOUNT_ROOT = 0x2000

/** What statx adds to the basic stats: the mask, attributes, attributes_mask and mount id. */
export interface StatxExtra {
  mask: number
  attributes: bigint
  attributesMask: bigint
  mntId: bigint
}

/** struct statx (include/uapi/linux/stat.h), 256 bytes. */
export function encodeStatx(st: StatInfo, x: StatxExtra): Uint8Array {
  st = withGuestTimes(st)
  const b = new Struct(256)
  const ts = (off: number, ns: bigint) => b.u64(off, sec(ns)).u32(off + 8, nsec(ns))
  b.u32(0, x.mask).u32(4, st.blksize).u64(8, x.attributes).u32(16, st.nlink).u32(20, st.uid).u32(24, st.gid)
  b.u16(28, Number(st.mode & 0xffffn))
    .u64(32, st.ino)
    .u64(40, st.size)
    .u64(48, st.blocks)
    .u64(56, x.attributesMask)
  ts(64, st.atimeNs)
  if (x.mask & STATX_BTIME) ts(80, st.birthtimeNs)
  ts(96, st.ctimeNs)
  ts(112, st.mtimeNs)
  const [rmaj, rmin] = devSplit(st.rdev)
  const [dmaj, dmin] = devSplit(st.dev)
  b.u32(128, rmaj).u32(132, rmin).u32(136, dmaj).u32(140, dmin).u64(144, x.mntId)
  return b.bytes
}

/** File-system facts per device: what statx and the xattr calls need beyond stat. */
interface FsFacts {
  type: bigint
  btime: boolean
  attributesMask: bigint
  xattr: boolean
  mntId: bigint
  /** Inodes that are mount roots on this device. */
  roots: Set<bigint>
}

const FS_EXT4 = 0xef53n
const FS_TMPFS = 0x01021994n
/** File systems that keep birth times and extended attributes. */
const BTIME_FS = new Set([FS_EXT4, FS_TMPFS, 0x58465342n, 0x9123683en, 0xf2f52010n, 0xca451a4en])
const XATTR_FS = new Set([...BTIME_FS, 0x794c7630n, 0x65735546n, 0x73717368n, 0x2fc12fc1n])
/** STATX_ATTR_AUTOMOUNT | MOUNT_ROOT | DAX: what the VFS adds for every file system. */
const GENERIC_ATTRS = 0x203000n
/** Attribute flags a file system declares it supports (ext4: compressed, immutable, append, nodump, encrypted, verity). */
const FS_ATTRS: Record<string, bigint> = { [String(FS_EXT4)]: 0x100874n, [String(FS_TMPFS)]: 0x70n }

const fsFacts = new Map<bigint, FsFacts>()
let mountInfo: { id: bigint; dev: string; point: string }[] | undefined

function mounts(): { id: bigint; dev: string; point: string }[] {
  if (mountInfo === undefined) {
    mountInfo = []
    try {
      for (const line of fs.readFileSync('/proc/self/mountinfo', 'latin1').split('\n')) {
        const f = line.split(' ')
        if (f.length < 5) continue
        mountInfo.push({
          id: BigInt(f[0]!),
          dev: f[2]!,
          point: f[4]!.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(Number.parseInt(o, 8))),
        })
      }
    } catch {
      // No mountinfo: mount ids stay 0.
    }
  }
  return mountInfo
}

function factsFor(st: StatInfo, hostPath: string): FsFacts {
  let f = fsFacts.get(st.dev)
  if (f !== undefined) return f
  let type = 0n
  try {
    type = fs.statfsSync(hostPath, { bigint: true }).type
  } catch {
    // Unknown file system: generic answers.
  }
  const [maj, min] = devSplit(st.dev)
  const dev = `${maj}:${min}`
  const mine = mounts().filter((m) => m.dev === dev)
  const roots = new Set<bigint>()
  for (const m of mine) {
    try {
      const r = fs.statSync(m.point, { bigint: true })
      if (r.dev === st.dev) roots.add(r.ino)
    } catch {
      // Mount point not reachable from here.
    }
  }
  f = {
    type,
    btime: BTIME_FS.has(type),
    attributesMask: GENERIC_ATTRS | (FS_ATTRS[String(type)] ?? 0n),
    xattr: XATTR_FS.has(type),
    mntId: mine[0]?.id ?? 0n,
    roots,
  }
  fsFacts.set(st.dev, f)
  return f
}

/** statx's extra fields for a file (host path for file-system facts). */
export function statxExtra(st: StatInfo, hostPath: string, want: number): StatxExtra {
  const f = factsFor(st, hostPath)
  const btime = (want & STATX_BTIME) !== 0 && (f.btime || st.birthtimeNs !== 0n)
  return {
    mask: STATX_BASIC_STATS | STATX_MNT_ID | (btime ? STATX_BTIME : 0),
    attributes: f.roots.has(st.ino) ? BigInt(STATX_ATTR_MOUNT_ROOT) : 0n,
    attributesMask: f.attributesMask,
    mntId: f.mntId,
  }
}

/** stat(2) of a descriptor. */
export function statFd(f: OpenFile): StatInfo | number {
  return f.stat()
}

export function safeStat(hostPath: string, follow: boolean): StatInfo | number {
  try {
    return follow ? fs.statSync(hostPath, { bigint: true }) : fs.lstatSync(hostPath, { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
}

/** Host path standing for an open file (for file-system facts). */
function fdHostPath(f: OpenFile): string {
  const h = f.hostFd()
  if (h !== undefined) return `/proc/self/fd/${h}`
  return f instanceof ProcDir ? f.statPath : (f.path ?? '/proc/self')
}

/** Stat a guest path (or, with AT_EMPTY_PATH and "", the descriptor): the result and a host path for it. */
function statAt(s: Sys, dirfd: number, name: string | null, flags: number): [StatInfo, string] | number {
  if ((name === '' || name === null) && flags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) {
      const st = safeStat(s.p.cwd, true)
      return typeof st === 'number' ? st : [st, s.p.cwd]
    }
    const f = fileOf(s, dirfd)
    if (typeof f === 'number') return f
    const st = f.stat()
    return typeof st === 'number' ? st : [st, fdHostPath(f)]
  }
  if (name === null) return -E.FAULT
  const follow = !(flags & AT_SYMLINK_NOFOLLOW)
  const where = lookup(s, dirfd, name, follow)
  if (typeof where === 'number') return where
  const node = where.node
  let st: StatInfo | number
  if (node?.kind === 'link') st = follow ? node.stat() : linkStat(node)
  else st = safeStat(where.host, follow)
  return typeof st === 'number' ? st : [st, where.host]
}

function newfstatat(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[3]!)
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) return -E.INVAL
  const r = statAt(s, int(a[0]!), readString(s.mem, a[1]!), flags)
  if (typeof r === 'number') return r
  s.mem.write(a[2]!, encodeStat(r[0]))
  return 0
}

function fstat(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  const st = f.stat()
  if (typeof st === 'number') return st
  s.mem.write(a[1]!, encodeStat(st))
  return 0
}

function statx(s: Sys, a: readonly bigint[]): number {
  const dirfd = int(a[0]!)
  const flags = int(a[2]!)
  const want = int(a[3]!)
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return -E.INVAL
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || want & STATX_RESERVED) return -E.INVAL
  const r = statAt(s, dirfd, pathArg(s, a[1]!), flags)
  if (typeof r === 'number') return r
  s.mem.write(a[4]!, encodeStatx(r[0], statxExtra(r[0], r[1], want)))
  return 0
}

/** struct statfs for riscv64 (asm-generic/statfs.h, 64-bit words), 120 bytes. */
export function encodeStatfs(
  sf: fs.BigIntStatsFs,
  fsid: [number, number],
  namelen: bigint,
  flags: bigint,
): Uint8Array {
  const b = new Struct(120)
  b.u64(0, sf.type).u64(8, sf.bsize).u64(16, sf.blocks).u64(24, sf.bfree).u64(32, sf.bavail).u64(40, sf.files)
  b.u64(48, sf.ffree).u32(56, fsid[0]).u32(60, fsid[1]).u64(64, namelen).u64(72, sf.bsize).u64(80, flags)
  return b.bytes
}

/** ST_* mount flags of the mount holding a device, from its mount options (statfs f_flags). */
function mountFlags(dev: bigint): bigint {
  const [maj, min] = devSplit(dev)
  const m = mounts().find((x) => x.dev === `${maj}:${min}`)
  let opts: string[] = []
  if (m !== undefined) {
    try {
      const line = fs
        .readFileSync('/proc/self/mountinfo', 'latin1')
        .split('\n')
        .find((l) => l.startsWith(`${m.id} `))
      opts = (line?.split(' ')[5] ?? '').split(',')
    } catch {
      // No options known.
    }
  }
  const bits: Record<string, number> = {
    ro: 1,
    nosuid: 2,
    nodev: 4,
    noexec: 8,
    sync: 16,
    mand: 64,
    noatime: 1024,
    nodiratime: 2048,
    relatime: 4096,
  }
  let f = 0x20 // ST_VALID
  for (const o of opts) f |= bits[o] ?? 0
  return BigInt(f)
}

function statfsOf(s: Sys, hostPath: string, out: bigint): number {
  let sf: fs.BigIntStatsFs
  let st: fs.BigIntStats
  try {
    sf = fs.statfsSync(hostPath, { bigint: true })
    st = fs.statSync(hostPath, { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
  // f_fsid: most file systems report the encoded device number (ext4 and tmpfs derive it from a UUID instead).
  const [maj, min] = devSplit(st.dev)
  const fsid: [number, number] = [((min & 0xff) | (maj << 8) | ((min & ~0xff) << 12)) >>> 0, 0]
  s.mem.write(out, encodeStatfs(sf, fsid, 255n, mountFlags(st.dev)))
  return 0
}

function statfs(s: Sys, a: readonly bigint[]): number {
  const where = lookup(s, AT_FDCWD, readString(s.mem, a[0]!))
  if (typeof where === 'number') return where
  return statfsOf(s, where.host, a[1]!)
}

function fstatfs(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  return statfsOf(s, fdHostPath(f), a[1]!)
}

// ---- directories --------------------------------------------------------

const align8 = (n: number): number => (n + 7) & ~7

/**
 * Encode linux_dirent64 records (d_ino u64, d_off s64, d_reclen u16, d_type u8,
 * name, NUL, padded to 8) for entries from `start` while they fit in `cap`
 * bytes. d_off is the index of the following entry. Returns the bytes and the
 * index of the first entry not encoded.
 */
export function encodeDirents(
  entries: readonly DirEntry[],
  start: number,
  cap: number,
  ino: (e: DirEntry) => bigint,
): { bytes: Uint8Array; next: number } {
  let total = 0
  let i = start
  for (; i < entries.length; i++) {
    const len = align8(19 + entries[i]!.name.length + 1)
    if (total + len > cap) break
    total += len
  }
  const b = new Struct(total)
  let o = 0
  for (let j = start; j < i; j++) {
    const e = entries[j]!
    const len = align8(19 + e.name.length + 1)
    b.u64(o, ino(e))
      .u64(o + 8, j + 1)
      .u16(o + 16, len)
    b.bytes[o + 18] = e.type
    b.bytes.set(e.name, o + 19)
    o += len
  }
  return { bytes: b.bytes, next: i }
}

function getdents64(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  if (f.dir === undefined) return -E.NOTDIR
  const list = f.dir.snapshot()
  if (typeof list === 'number') return list
  const d = f.dir
  if (d.pos >= list.length) return 0
  const { bytes, next } = encodeDirents(list, d.pos, Math.min(size(a[2]!), 1 << 20), (e) => d.inoOf(e))
  if (bytes.length === 0) return -E.INVAL
  s.mem.write(a[1]!, bytes)
  d.pos = next
  return bytes.length
}

function mkdirat(s: Sys, a: readonly bigint[]): number {
  const where = lookup(s, int(a[0]!), readString(s.mem, a[1]!))
  if (typeof where === 'number') return where
  clearHostUmask()
  const mode = int(a[2]!) & ~s.p.umask & 0o7777
  return host(() => fs.mkdirSync(where.host, mode))
}

function unlinkat(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[2]!)
  if (flags & ~AT_REMOVEDIR) return -E.INVAL
  const where = lookup(s, int(a[0]!), readString(s.mem, a[1]!), false)
  if (typeof where === 'number') return where
  return host(() => (flags & AT_REMOVEDIR ? fs.rmdirSync(where.host) : fs.unlinkSync(where.host)))
}

function symlinkat(s: Sys, a: readonly bigint[]): number {
  const target = readString(s.mem, a[0]!)
  const where = lookup(s, int(a[1]!), readString(s.mem, a[2]!), false)
  if (typeof where === 'number') return where
  if (target === '') return -E.NOENT
  return host(() => fs.symlinkSync(target, where.host))
}

function linkat(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[4]!)
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -E.INVAL
  const oldName = readString(s.mem, a[1]!)
  // linkat(fd, "", ..., AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH and a host linkat the engine cannot call.
  if (oldName === '' && flags & AT_EMPTY_PATH) return -E.NOENT
  const from = lookup(s, int(a[0]!), oldName, false)
  if (typeof from === 'number') return from
  const to = lookup(s, int(a[2]!), readString(s.mem, a[3]!), false)
  if (typeof to === 'number') return to
  let src = from.host
  if (flags & AT_SYMLINK_FOLLOW) {
    try {
      src = fs.realpathSync(src)
    } catch (e) {
      return hostErrno(e)
    }
  }
  return host(() => fs.linkSync(src, to.host))
}

const RENAME_NOREPLACE = 1
const RENAME_EXCHANGE = 2
const RENAME_WHITEOUT = 4

function renameat2(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[4]!)
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -E.INVAL
  if (flags & RENAME_NOREPLACE && flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) return -E.INVAL
  const from = lookup(s, int(a[0]!), readString(s.mem, a[1]!), false)
  if (typeof from === 'number') return from
  const to = lookup(s, int(a[2]!), readString(s.mem, a[3]!), false)
  if (typeof to === 'number') return to
  // Exchanging and whiteouts need renameat2 on the host, which Node cannot call.
  if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) return -E.INVAL
  if (flags & RENAME_NOREPLACE) {
    const src = safeStat(from.host, false)
    if (typeof src === 'number') return src
    if (typeof safeStat(to.host, false) !== 'number') return -E.EXIST
  }
  return host(() => fs.renameSync(from.host, to.host))
}

function renameat(s: Sys, a: readonly bigint[]): number {
  return renameat2(s, [a[0]!, a[1]!, a[2]!, a[3]!, 0n])
}

function mknodat(s: Sys, a: readonly bigint[]): number {
  const mode = int(a[2]!)
  const type = mode & S.IFMT
  if (
    type !== 0 &&
    type !== S.IFREG &&
    type !== S.IFCHR &&
    type !== S.IFBLK &&
    type !== S.IFIFO &&
    type !== S.IFSOCK
  )
    return -E.INVAL
  const where = lookup(s, int(a[0]!), readString(s.mem, a[1]!), false)
  if (typeof where === 'number') return where
  if (typeof safeStat(where.host, false) !== 'number') return -E.EXIST
  if (type === 0 || type === S.IFREG) {
    const f = openHost(where.host, O.WRONLY | O.CREAT | O.EXCL, mode & ~s.p.umask & 0o7777)
    if (typeof f === 'number') return f
    f.release()
    return 0
  }
  // Devices need CAP_MKNOD; FIFOs and sockets need a host mknod, which Node cannot call.
  return type === S.IFCHR || type === S.IFBLK ? -E.PERM : -E.NOSYS
}

function getcwd(s: Sys, a: readonly bigint[]): bigint | number {
  const bytes = encode(`${s.p.cwd}\0`)
  if (BigInt(bytes.length) > a[1]!) return -E.RANGE
  s.mem.write(a[0]!, bytes)
  return bytes.length
}

/** Make `hostDir` the working directory: it must be a searchable directory; kept with symlinks resolved, as getcwd shows it. */
function changeDir(s: Sys, hostDir: string): number {
  try {
    if (!fs.statSync(hostDir).isDirectory()) return -E.NOTDIR
    fs.accessSync(hostDir, fs.constants.X_OK)
    s.p.cwd = fs.realpathSync(hostDir)
    return 0
  } catch (e) {
    return hostErrno(e)
  }
}

function chdir(s: Sys, a: readonly bigint[]): number {
  const where = lookup(s, AT_FDCWD, readString(s.mem, a[0]!))
  if (typeof where === 'number') return where
  if (where.node?.kind === 'link') {
    const st = where.node.stat()
    if (typeof st === 'number') return st
    return changeDir(s, where.node.target)
  }
  return changeDir(s, where.host)
}

function fchdir(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.dir === undefined || f.path === undefined) return -E.NOTDIR
  const h = f.hostFd()
  // Through the descriptor's /proc link: the directory itself, even if it moved since it was opened.
  return changeDir(s, h !== undefined ? `/proc/self/fd/${h}` : f.path)
}

// ---- links and access ---------------------------------------------------

function readlinkat(s: Sys, a: readonly bigint[]): number {
  const bufsiz = int(a[3]!)
  if (bufsiz <= 0) return -E.INVAL
  const name = readString(s.mem, a[1]!)
  if (name === '') return -E.NOENT
  const where = lookup(s, int(a[0]!), name, false)
  if (typeof where === 'number') return where
  let target: Uint8Array
  if (where.node?.kind === 'link') target = encode(where.node.target)
  else if (where.node !== undefined) return -E.INVAL
  else {
    try {
      target = fs.readlinkSync(where.host, { encoding: 'buffer' })
    } catch (e) {
      return hostErrno(e)
    }
  }
  const bytes = target.subarray(0, bufsiz)
  s.mem.write(a[2]!, bytes)
  return bytes.length
}

function faccessat2(s: Sys, a: readonly bigint[]): number {
  const mode = int(a[2]!)
  const flags = int(a[3]!)
  if (mode & ~7) return -E.INVAL
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.INVAL
  const name = readString(s.mem, a[1]!)
  let hostPath: string
  if (name === '' && flags & AT_EMPTY_PATH) {
    const f = fileOf(s, int(a[0]!))
    if (typeof f === 'number') return f
    hostPath = fdHostPath(f)
  } else {
    const where = lookup(s, int(a[0]!), name, !(flags & AT_SYMLINK_NOFOLLOW))
    if (typeof where === 'number') return where
    if (where.node?.kind === 'link' && !(flags & AT_SYMLINK_NOFOLLOW)) {
      const st = where.node.stat()
      if (typeof st === 'number') return st
      hostPath = where.node.target
    } else hostPath = where.host
    // With AT_SYMLINK_NOFOLLOW a symbolic link is checked itself, and links grant everything.
    if (flags & AT_SYMLINK_NOFOLLOW) {
      const st = safeStat(hostPath, false)
      if (typeof st === 'number') return st
      if ((Number(st.mode) & S.IFMT) === S.IFLNK) return 0
    }
  }
  return host(() => fs.accessSync(hostPath, mode))
}

function faccessat(s: Sys, a: readonly bigint[]): number {
  return faccessat2(s, [a[0]!, a[1]!, a[2]!, 0n])
}

// ---- modes, owners, times -------------------------------------------------

function fchmod(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  const h = f.hostFd()
  // The engine's pipes accept (and forget) a mode, as pipefs inodes take one.
  if (h === undefined) return f instanceof PipeEnd ? 0 : -E.PERM
  return host(() => fs.fchmodSync(h, int(a[1]!) & 0o7777))
}

function fchmodat(s: Sys, a: readonly bigint[]): number {
  const where = lookup(s, int(a[0]!), readString(s.mem, a[1]!))
  if (typeof where === 'number') return where
  const target = where.node?.kind === 'link' ? where.node.target : where.host
  return host(() => fs.chmodSync(target, int(a[2]!) & 0o7777))
}

function fchown(s: Sys, a: readonly bigint[]): number {
  const f = fileOf(s, int(a[0]!))
  if (typeof f === 'number') return f
  if (f.flags & O.PATH) return -E.BADF
  const h = f.hostFd()
  if (h === undefined) return f instanceof PipeEnd ? 0 : -E.PERM
  return host(() => fs.fchownSync(h, int(a[1]!), int(a[2]!)))
}

function fchownat(s: Sys, a: readonly bigint[]): number {
  const flags = int(a[4]!)
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.INVAL
  const uid = int(a[2]!)
  const gid = int(a[3]!)
  const name = readString(s.mem, a[1]!)
  if (name === '' && flags & AT_EMPTY_PATH) {
    if (int(a[0]!) === AT_FDCWD) return host(() => fs.chownSync(s.p.cwd, uid, gid))
    return fchown(s, [a[0]!, a[2]!, a[3]!])
  }
  const where = lookup(s, int(a[0]!), name, !(flags & AT_SYMLINK_NOFOLLOW))
  if (typeof where === 'number') return where
  if (flags & AT_SYMLINK_NOFOLLOW) return host(() => fs.lchownSync(where.host, uid, gid))
  const target = where.node?.kind === 'link' ? where.node.target : where.host
  return host(() => fs.chownSync(target, uid, gid))
}

const UTIME_NOW = 0x3fffffffn
const UTIME_OMIT = 0x3ffffffen

/** One utimensat time: a value in ns, or 'now', or 'omit'. */
export type TimeSpec = bigint | 'now' | 'omit'

/** Read struct timespec[2] (NULL: both now); undefined for an invalid tv_nsec. */
function readTimes(s: Sys, addr: bigint): [TimeSpec, TimeSpec] | undefined {
  if (addr === 0n) return ['now', 'now']
  const one = (p: bigint): TimeSpec | undefined => {
    const sec = i64(getU64(s.mem, p))
    const ns = i64(getU64(s.mem, p + 8n))
    if (ns === UTIME_NOW) return 'now'
    if (ns === UTIME_OMIT) return 'omit'
    if (ns < 0n || ns >= 1_000_000_000n) return undefined
    return sec * 1_000_000_000n + ns
  }
  const at = one(addr)
  const mt = one(addr + 16n)
  return at === undefined || mt === undefined ? undefined : [at, mt]
}

/** The microsecond `ns` falls in (rounded toward minus infinity), in nanoseconds. */
const toMicros = (ns: bigint): bigint => (ns >= 0n ? ns / 1000n : -((-ns + 999n) / 1000n)) * 1000n

/**
 * Seconds as a decimal string that Node's utimes hands to the host exactly
 * at the microsecond `ns` falls in (rounded toward minus infinity).
 *
 * Node takes a time as a double and libuv truncates its fraction to whole
 * microseconds (toward zero, then normalized for negative times), so a value
 * half a microsecond past the wanted one, away from zero, survives the
 * double's rounding: exact for every time before 2106, where the double's
 * step is still under half a microsecond. A string, unlike a negative number,
 * also reaches the host as it is (Node replaces negative numbers with now).
 */
export function utimesSeconds(ns: bigint): string {
  const us = toMicros(ns) / 1000n
  const tenths = (us < 0n ? -us : us) * 10n + 5n
  return `${us < 0n ? '-' : ''}${tenths / 10_000_000n}.${(tenths % 10_000_000n).toString().padStart(7, '0')}`
}

/** Where utimensat applies: a path (following a final symlink or not) or an open host descriptor. */
export type TimesTarget = { path: string; follow: boolean } | { fd: number }

/**
 * Apply utimensat times to a host file with Node's own calls, no process
 * spawned. The host gets microseconds (what Node passes on); the guest
 * keeps seeing its nanoseconds (preciseTimes). An omitted time is read
 * first and written back as it was.
 */
export function setTimes(target: TimesTarget, times: [TimeSpec, TimeSpec]): number {
  const [at, mt] = times
  if (at === 'omit' && mt === 'omit') return 0
  let st: fs.BigIntStats
  try {
    st =
      'fd' in target
        ? fs.fstatSync(target.fd, { bigint: true })
        : target.follow
          ? fs.statSync(target.path, { bigint: true })
          : fs.lstatSync(target.path, { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
  const now = clockNs(CLOCK_REALTIME)!
  const exact = (t: TimeSpec, which: 'atime' | 'mtime', old: bigint) =>
    t === 'now' ? now : t === 'omit' ? guestTime(st, which, old) : t
  const a = exact(at, 'atime', st.atimeNs)
  const m = exact(mt, 'mtime', st.mtimeNs)
  const [sa, sm] = [utimesSeconds(a), utimesSeconds(m)]
  const r = host(() => {
    if ('fd' in target) fs.futimesSync(target.fd, sa, sm)
    else if (target.follow) fs.utimesSync(target.path, sa, sm)
    else fs.lutimesSync(target.path, sa, sm)
  })
  if (r === 0) preciseTimes.set(`${st.dev}:${st.ino}`, { atime: [toMicros(a), a], mtime: [toMicros(m), m] })
  return r
}

function utimensat(s: Sys, a: readonly bigint[]): number {
  const dirfd = int(a[0]!)
  const flags = int(a[3]!)
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.INVAL
  const times = readTimes(s, a[2]!)
  if (times === undefined) return -E.INVAL
  const name = pathArg(s, a[1]!)
  if (times[0] === 'omit' && times[1] === 'omit')
    return name === null && dirfd !== AT_FDCWD && s.p.fds.get(dirfd) === undefined ? -E.BADF : 0
  if (name === null || (name === '' && flags & AT_EMPTY_PATH)) {
    // futimens: the descriptor itself.
    if (name === null && flags & AT_SYMLINK_NOFOLLOW) return -E.INVAL
    if (dirfd === AT_FDCWD) return name === null ? -E.FAULT : setTimes({ path: s.p.cwd, follow: true }, times)
    const f = fileOf(s, dirfd)
    if (typeof f === 'number') return f
    const h = f.hostFd()
    if (h === undefined) return -E.BADF
    return setTimes({ fd: h }, times)
  }
  const follow = !(flags & AT_SYMLINK_NOFOLLOW)
  const where = lookup(s, dirfd, name, follow)
  if (typeof where === 'number') return where
  return setTimes(
    { path: where.node?.kind === 'link' && follow ? where.node.target : where.host, follow },
    times,
  )
}

function truncate(s: Sys, a: readonly bigint[]): number {
  const len = i64(a[1]!)
  if (len < 0n) return -E.INVAL
  const where = lookup(s, AT_FDCWD, readString(s.mem, a[0]!))
  if (typeof where === 'number') return where
  return host(() => fs.truncateSync(where.host, Number(len)))
}

// ---- extended attributes ---------------------------------------------------
//
// Node has no xattr calls. Files are answered as having no extended
// attributes where the host file system supports them (ENODATA, an empty
// list), and EOPNOTSUPP elsewhere; setting one is refused with EOPNOTSUPP.

function xattrTarget(
  s: Sys,
  a: readonly bigint[],
  kind: 'path' | 'lpath' | 'fd',
): [StatInfo, string] | number {
  if (kind === 'fd') {
    const f = fileOf(s, int(a[0]!))
    if (typeof f === 'number') return f
    const st = f.stat()
    return typeof st === 'number' ? st : [st, fdHostPath(f)]
  }
  return statAt(s, AT_FDCWD, readString(s.mem, a[0]!), kind === 'lpath' ? AT_SYMLINK_NOFOLLOW : 0)
}

function xattrCall(kind: 'path' | 'lpath' | 'fd', op: 'get' | 'list' | 'set' | 'remove') {
  return (s: Sys, a: readonly bigint[]): number => {
    const t = xattrTarget(s, a, kind)
    if (typeof t === 'number') return t
    if (op !== 'list') {
      const name = readString(s.mem, a[1]!)
      if (name.length === 0 || name.length > 255) return -E.RANGE
    }
    const supported = factsFor(t[0], t[1]).xattr
    switch (op) {
      case 'list':
        return supported ? 0 : -E.OPNOTSUPP
      case 'get':
      case 'remove':
        return supported ? -E.NODATA : -E.OPNOTSUPP
      case 'set':
        return -E.OPNOTSUPP
    }
  }
}

const XATTR_NAMES = [
  'setxattr',
  'lsetxattr',
  'fsetxattr',
  'getxattr',
  'lgetxattr',
  'fgetxattr',
  'listxattr',
  'llistxattr',
  'flistxattr',
  'removexattr',
  'lremovexattr',
  'fremovexattr',
]
const xattrSyscalls: SyscallTable = {}
XATTR_NAMES.forEach((name, i) => {
  const op = (['set', 'get', 'list', 'remove'] as const)[Math.floor(i / 3)]!
  const kind = (['path', 'lpath', 'fd'] as const)[i % 3]!
  xattrSyscalls[5 + i] = { name, fn: xattrCall(kind, op), args: kind === 'fd' ? 'dsxu' : 'ssxu' }
})

export const fsSyscalls: SyscallTable = {
  ...xattrSyscalls,
  17: { name: 'getcwd', fn: getcwd, args: 'xu' },
  33: { name: 'mknodat', fn: mknodat, args: 'asox' },
  34: { name: 'mkdirat', fn: mkdirat, args: 'aso' },
  35: { name: 'unlinkat', fn: unlinkat, args: 'asx' },
  36: { name: 'symlinkat', fn: symlinkat, args: 'sas' },
  37: { name: 'linkat', fn: linkat, args: 'asasx' },
  38: { name: 'renameat', fn: renameat, args: 'asas' },
  43: { name: 'statfs', fn: statfs, args: 'sx' },
  44: { name: 'fstatfs', fn: fstatfs, args: 'dx' },
  45: { name: 'truncate', fn: truncate, args: 'sd' },
  48: { name: 'faccessat', fn: faccessat, args: 'asd' },
  49: { name: 'chdir', fn: chdir, args: 's' },
  50: { name: 'fchdir', fn: fchdir, args: 'd' },
  52: { name: 'fchmod', fn: fchmod, args: 'do' },
  53: { name: 'fchmodat', fn: fchmodat, args: 'aso' },
  54: { name: 'fchownat', fn: fchownat, args: 'asddx' },
  55: { name: 'fchown', fn: fchown, args: 'ddd' },
  56: { name: 'openat', fn: openat, args: 'asxo' },
  61: { name: 'getdents64', fn: getdents64, args: 'dxu' },
  78: { name: 'readlinkat', fn: readlinkat, args: 'asxu' },
  79: { name: 'newfstatat', fn: newfstatat, args: 'asxx' },
  80: { name: 'fstat', fn: fstat, args: 'dx' },
  88: { name: 'utimensat', fn: utimensat, args: 'asxx' },
  276: { name: 'renameat2', fn: renameat2, args: 'asasx' },
  291: { name: 'statx', fn: statx, args: 'asxxx' },
  439: { name: 'faccessat2', fn: faccessat2, args: 'asdx' },
}
