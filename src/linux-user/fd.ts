/**
 * Open file descriptions and per-process descriptor tables.
 *
 * An `OpenFile` is shared by every descriptor that refers to it (dup, fork),
 * as in the kernel; it is closed when the last one goes. Host files keep
 * their offset in the host descriptor, so sharing works for free. Pipes
 * between guest processes are internal buffers, so `a | b` inside one
 * engine never touches host pipes.
 */
import * as fs from 'node:fs'
import { Block } from './block.js'
import { E, hostErrno } from './errno.js'

/** Linux open(2) flags (asm-generic/fcntl.h). */
export const enum O {
  RDONLY = 0,
  WRONLY = 1,
  RDWR = 2,
  ACCMODE = 3,
  CREAT = 0o100,
  EXCL = 0o200,
  NOCTTY = 0o400,
  TRUNC = 0o1000,
  APPEND = 0o2000,
  NONBLOCK = 0o4000,
  DSYNC = 0o10000,
  ASYNC = 0o20000,
  DIRECT = 0o40000,
  LARGEFILE = 0o100000,
  DIRECTORY = 0o200000,
  NOFOLLOW = 0o400000,
  NOATIME = 0o1000000,
  CLOEXEC = 0o2000000,
  SYNC = 0o4010000,
  PATH = 0o10000000,
  TMPFILE = 0o20200000,
}

/** File type bits of st_mode. */
export const enum S {
  IFMT = 0o170000,
  IFSOCK = 0o140000,
  IFLNK = 0o120000,
  IFREG = 0o100000,
  IFBLK = 0o60000,
  IFDIR = 0o40000,
  IFCHR = 0o20000,
  IFIFO = 0o10000,
}

/** poll(2) event bits (asm-generic/poll.h). */
export const enum Poll {
  IN = 0x1,
  PRI = 0x2,
  OUT = 0x4,
  ERR = 0x8,
  HUP = 0x10,
  NVAL = 0x20,
  RDNORM = 0x40,
  RDBAND = 0x80,
  WRNORM = 0x100,
  WRBAND = 0x200,
  RDHUP = 0x2000,
}

/** What poll reports for files that are always ready (regular files, most devices). */
export const DEFAULT_POLLMASK = Poll.IN | Poll.OUT | Poll.RDNORM | Poll.WRNORM

/** linux_dirent64 d_type values. */
export const enum DT {
  UNKNOWN = 0,
  FIFO = 1,
  CHR = 2,
  DIR = 4,
  BLK = 6,
  REG = 8,
  LNK = 10,
  SOCK = 12,
}

/**
 * stat(2) fields in the units Linux reports them (times in nanoseconds).
 * Node's fs.BigIntStats has exactly these, so host results pass through.
 */
export interface StatInfo {
  dev: bigint
  ino: bigint
  mode: bigint
  nlink: bigint
  uid: bigint
  gid: bigint
  rdev: bigint
  size: bigint
  blksize: bigint
  blocks: bigint
  atimeNs: bigint
  mtimeNs: bigint
  ctimeNs: bigint
  birthtimeNs: bigint
}

/** stat(2) of an object on one of the kernel's internal file systems (pipefs, sockfs): owned by the caller. */
export function anonInodeStat(dev: bigint, ino: bigint, mode: number, createdNs: bigint): StatInfo {
  return {
    dev,
    ino,
    mode: BigInt(mode),
    nlink: 1n,
    uid: BigInt(process.getuid?.() ?? 0),
    gid: BigInt(process.getgid?.() ?? 0),
    rdev: 0n,
    size: 0n,
    blksize: 4096n,
    blocks: 0n,
    atimeNs: createdNs,
    mtimeNs: createdNs,
    ctimeNs: createdNs,
    birthtimeNs: 0n,
  }
}

/** One directory entry as getdents64 reports it; `name` holds the raw bytes. */
export interface DirEntry {
  name: Uint8Array
  type: DT
  ino?: bigint
}

/**
 * The read position of a directory: a snapshot of its entries taken on the
 * first getdents64 and again after a rewind (lseek to 0). Offsets are entry
 * indexes, so d_off values let telldir/seekdir continue where they left off.
 */
export class DirStream {
  /** Index of the next entry to report. */
  pos = 0
  private entries: DirEntry[] | undefined

  constructor(
    /** Lists the directory ('.' and '..' first). */
    private readonly list: () => DirEntry[] | number,
    /** Inode number of an entry (asked only for entries actually reported). */
    private readonly inode: (e: DirEntry) => bigint,
  ) {}

  /** All entries of the current snapshot, listing the directory if needed. */
  snapshot(): DirEntry[] | number {
    if (this.entries === undefined) {
      const l = this.list()
      if (typeof l === 'number') return l
      this.entries = l
    }
    return this.entries
  }

  inoOf(e: DirEntry): bigint {
    e.ino ??= this.inode(e)
    return e.ino
  }

  seek(offset: bigint, whence: number): bigint | number {
    const base = whence === 0 ? 0n : whence === 1 ? BigInt(this.pos) : -1n
    if (base < 0n) return -E.INVAL
    const p = base + offset
    if (p < 0n || p > 0x7fff_ffffn) return -E.INVAL
    this.pos = Number(p)
    if (this.pos === 0) this.entries = undefined
    return p
  }
}

const dec = new TextDecoder()
const enc = new TextEncoder()

function dtypeOf(d: fs.Dirent<Buffer> | fs.Dirent): DT {
  if (d.isFile()) return DT.REG
  if (d.isDirectory()) return DT.DIR
  if (d.isSymbolicLink()) return DT.LNK
  if (d.isFIFO()) return DT.FIFO
  if (d.isSocket()) return DT.SOCK
  if (d.isCharacterDevice()) return DT.CHR
  if (d.isBlockDevice()) return DT.BLK
  return DT.UNKNOWN
}

/** A directory stream over an open host directory, in the host's own order. */
export function hostDirStream(hostFd: number): DirStream {
  // The descriptor's /proc link names the very directory that was opened, even if it was renamed since.
  const base = `/proc/self/fd/${hostFd}`
  return new DirStream(
    () => {
      const out: DirEntry[] = [
        { name: enc.encode('.'), type: DT.DIR },
        { name: enc.encode('..'), type: DT.DIR },
      ]
      try {
        const d = fs.opendirSync(base, { encoding: 'buffer' as BufferEncoding, bufferSize: 256 })
        try {
          for (let e = d.readSync(); e !== null; e = d.readSync()) {
            const name = e.name as unknown as Buffer
            out.push({ name: new Uint8Array(name.buffer, name.byteOffset, name.length), type: dtypeOf(e) })
          }
        } finally {
          d.closeSync()
        }
      } catch (e) {
        return hostErrno(e)
      }
      return out
    },
    (e) => {
      try {
        if (e.name.length === 1 && e.name[0] === 0x2e) return fs.fstatSync(hostFd, { bigint: true }).ino
        const p = Buffer.concat([Buffer.from(`${base}/`), e.name])
        return fs.lstatSync(p, { bigint: true }).ino
      } catch {
        // Removed since the listing: Linux would not report it; an inode of 0 is the closest we can say.
        return 0n
      }
    },
  )
}

/** Host file-type of a stat result, for poll and seek decisions. */
const typeOf = (st: { mode: bigint | number }): number => Number(st.mode) & S.IFMT

/** Result of a read: bytes, a negative errno, or a wait. */
export type ReadResult = Uint8Array | number | Block<Uint8Array | number>
/** Result of a write: bytes written, a negative errno, or a wait. */
export type WriteResult = number | Block<number>

export abstract class OpenFile {
  refs = 0
  /** File status flags (O_APPEND, O_NONBLOCK, access mode) as fcntl(F_GETFL) reports them. */
  flags: number
  constructor(flags: number) {
    this.flags = flags
  }
  /** Host path, for fstat/fchdir/openat and /proc/self/fd. */
  path?: string
  /** Set on directories: what getdents64 reads. */
  dir?: DirStream
  /** memfd seals (F_ADD_SEALS); undefined where sealing is not supported. */
  seals?: number
  abstract read(len: number): ReadResult
  abstract write(data: Uint8Array): WriteResult
  /** Readiness for poll: [readable, writable, hangup]. */
  poll(): [boolean, boolean, boolean] {
    return [true, true, false]
  }
  /** poll(2) revents bits this file has now (before masking by the requested events). */
  pollMask(): number {
    const [r, w, h] = this.poll()
    return (r ? Poll.IN | Poll.RDNORM : 0) | (w ? Poll.OUT | Poll.WRNORM : 0) | (h ? Poll.HUP : 0)
  }
  /** fstat(2): the host's view when there is a host file, else what the engine makes up. */
  stat(): StatInfo | number {
    try {
      const h = this.hostFd()
      if (h !== undefined) return fs.fstatSync(h, { bigint: true })
      if (this.path !== undefined) return fs.statSync(this.path, { bigint: true })
    } catch (e) {
      return hostErrno(e)
    }
    return -E.BADF
  }
  /** What readlink(/proc/self/fd/N) shows; undefined: ask the host about hostFd(). */
  linkName(): string | undefined {
    return this.path
  }
  truncate(_len: bigint): number {
    return -E.INVAL
  }
  /** fsync (data only: fdatasync). */
  sync(_dataOnly: boolean): number {
    return -E.INVAL
  }
  seek(_offset: bigint, _whence: number): bigint | number {
    return -E.SPIPE
  }
  pread(_len: number, _pos: bigint): Uint8Array | number {
    return -E.SPIPE
  }
  pwrite(_data: Uint8Array, _pos: bigint): number {
    return -E.SPIPE
  }
  /** Host descriptor, when there is one (fstat, ftruncate, fsync, ioctl on a tty). */
  hostFd(): number | undefined {
    return undefined
  }
  /** Called when the last descriptor referring to this description is closed. */
  release(): void {}
}

const canRead = (flags: number) => (flags & O.ACCMODE) !== O.WRONLY
const canWrite = (flags: number) => (flags & O.ACCMODE) !== O.RDONLY

/**
 * A file or device of the host. Reads and writes use the host descriptor's
 * own offset until the guest seeks (Node has no lseek); from then on the
 * offset is tracked here and I/O is positional. Regular files opened by the
 * guest start tracked, so lseek works from the start.
 */
export class HostFile extends OpenFile {
  /** Tracked offset, or undefined while the host descriptor's offset is used. */
  pos: bigint | undefined

  constructor(
    readonly fd: number,
    flags: number,
    path?: string,
    /** stdin/stdout/stderr of the engine: never closed on the host. */
    readonly inherited = false,
    tracked = false,
  ) {
    super(inherited ? (hostStatusFlags(fd) ?? flags) : flags)
    if (path !== undefined) this.path = path
    this.pos = tracked ? 0n : undefined
  }

  private kind: number | undefined
  /** S_IFMT of the host file (cached: a descriptor's file type never changes). */
  fileType(): number {
    if (this.kind === undefined) {
      try {
        this.kind = typeOf(fs.fstatSync(this.fd))
      } catch {
        this.kind = 0
      }
    }
    return this.kind
  }

  read(len: number): ReadResult {
    if (!canRead(this.flags)) return -E.BADF
    const buf = new Uint8Array(Math.min(len, 1 << 24))
    try {
      const n = fs.readSync(this.fd, buf, 0, buf.length, this.pos ?? null)
      if (this.pos !== undefined) this.pos += BigInt(n)
      return buf.subarray(0, n)
    } catch (e) {
      const err = hostErrno(e)
      // A non-blocking host descriptor (a terminal shared with the parent shell): wait, unless the guest asked for O_NONBLOCK.
      if (err === -E.AGAIN && !(this.flags & O.NONBLOCK))
        return new Block(
          () => true,
          () => this.read(len),
        )
      return err
    }
  }

  write(data: Uint8Array): WriteResult {
    if (!canWrite(this.flags)) return -E.BADF
    try {
      let at = this.pos
      if (at !== undefined && this.flags & O.APPEND) at = fs.fstatSync(this.fd, { bigint: true }).size
      let done = 0
      while (done < data.length) {
        try {
          done += fs.writeSync(
            this.fd,
            data,
            done,
            data.length - done,
            at === undefined ? null : Number(at) + done,
          )
        } catch (e) {
          // The host descriptor may be non-blocking (shared terminal): retry, the guest sees a blocking write.
          if (hostErrno(e) !== -E.AGAIN) throw e
        }
      }
      if (at !== undefined) this.pos = at + BigInt(done)
      return done
    } catch (e) {
      return hostErrno(e)
    }
  }

  override seek(offset: bigint, whence: number): bigint | number {
    if (this.dir !== undefined) return this.dir.seek(offset, whence)
    let st: fs.BigIntStats
    try {
      st = fs.fstatSync(this.fd, { bigint: true })
    } catch (e) {
      return hostErrno(e)
    }
    if (st.isFIFO() || st.isSocket()) return -E.SPIPE
    if (st.isCharacterDevice()) return 0n
    const cur = this.pos ?? hostTell(this.fd)
    const base = whence === 0 ? 0n : whence === 1 ? cur : whence === 2 ? st.size : -1n
    if (base < 0n) return -E.INVAL
    const p = base + offset
    if (p < 0n) return -E.INVAL
    // A seek that does not move (ftell, lseek(fd, 0, SEEK_CUR)) keeps using the host offset: a descriptor
    // inherited from the parent shell must keep advancing the offset it shares with it.
    if (this.pos !== undefined || p !== cur) this.pos = p
    return p
  }

  override pread(len: number, pos: bigint): Uint8Array | number {
    const buf = new Uint8Array(Math.min(len, 1 << 24))
    try {
      const n = fs.readSync(this.fd, buf, 0, buf.length, pos)
      return buf.subarray(0, n)
    } catch (e) {
      return hostErrno(e)
    }
  }

  override pwrite(data: Uint8Array, pos: bigint): number {
    try {
      // With O_APPEND, pwrite writes at the end whatever the position (a Linux quirk, pwrite(2) BUGS).
      if (this.flags & O.APPEND && this.pos !== undefined) pos = fs.fstatSync(this.fd, { bigint: true }).size
      return fs.writeSync(this.fd, data, 0, data.length, Number(pos))
    } catch (e) {
      return hostErrno(e)
    }
  }

  override poll(): [boolean, boolean, boolean] {
    return [canRead(this.flags), canWrite(this.flags), false]
  }

  override pollMask(): number {
    const t = this.fileType()
    // Files and devices without a poll method are always ready (DEFAULT_POLLMASK); for the rest
    // (host pipes, sockets, terminals) the host cannot be asked without blocking: assume ready as opened.
    if (t === S.IFREG || t === S.IFDIR || t === S.IFBLK) return DEFAULT_POLLMASK
    return super.pollMask()
  }

  override hostFd(): number {
    return this.fd
  }

  override linkName(): string | undefined {
    return undefined
  }

  override truncate(len: bigint): number {
    try {
      fs.ftruncateSync(this.fd, Number(len))
      return 0
    } catch (e) {
      return hostErrno(e)
    }
  }

  override sync(dataOnly: boolean): number {
    try {
      if (dataOnly) fs.fdatasyncSync(this.fd)
      else fs.fsyncSync(this.fd)
      return 0
    } catch (e) {
      return hostErrno(e)
    }
  }

  override release(): void {
    if (this.inherited) return
    try {
      fs.closeSync(this.fd)
    } catch {
      // Nothing the guest could observe: its close() already succeeded.
    }
  }
}

/**
 * The file status flags of a host descriptor (F_GETFL), read from /proc; the
 * host's asm-generic encoding is Linux's. O_CLOEXEC is a descriptor flag, not
 * part of them; O_LARGEFILE is left out as QEMU on an x86-64 host leaves it out.
 */
function hostStatusFlags(fd: number): number | undefined {
  try {
    const info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1')
    const m = /^flags:\s*([0-7]+)/m.exec(info)
    return m ? Number.parseInt(m[1]!, 8) & ~(O.CLOEXEC | O.LARGEFILE) : undefined
  } catch {
    return undefined
  }
}

/** The host offset of a descriptor, read from /proc (Linux hosts); 0 if unknown. */
function hostTell(fd: number): bigint {
  try {
    const info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1')
    const m = /^pos:\s*(\d+)/m.exec(info)
    return m ? BigInt(m[1]!) : 0n
  } catch {
    return 0n
  }
}

/** Writes up to this size are atomic (POSIX PIPE_BUF). */
export const PIPE_BUF = 4096
/** Size of one pipe buffer: a pipe holds whole pages, as Linux's does. */
const PIPE_PAGE = 4096

let nextPipeIno = 1_000_000n

/** One page of a pipe: `len` bytes at `off` in `data`. */
interface PipeBuf {
  data: Uint8Array
  off: number
  len: number
}

/**
 * The shared buffer of a pipe between guest processes, as Linux keeps it: a
 * ring of page-sized buffers (16 by default). A write fills fresh pages,
 * after first appending what does not make up a whole page to the last one
 * if it fits there; a pipe is full when every page is in use, however little
 * each holds. Readiness and the amount a non-blocking write takes follow
 * from that (fs/pipe.c, pipe_write).
 */
export class Pipe {
  bufs: PipeBuf[] = []
  size = 0
  readers = 0
  writers = 0
  /** Default pipe capacity (F_GETPIPE_SZ). */
  static readonly CAPACITY = 65536
  /** Pages the pipe may hold (F_SETPIPE_SZ changes it). */
  slots = Pipe.CAPACITY / PIPE_PAGE
  /** Packet mode (O_DIRECT): no merging of writes. */
  packets = false
  /** Inode number in pipefs, as fstat and /proc/self/fd show it. */
  readonly ino = nextPipeIno++
  readonly createdNs = BigInt(Date.now()) * 1_000_000n

  /** Capacity in bytes (F_GETPIPE_SZ). */
  get capacity(): number {
    return this.slots * PIPE_PAGE
  }
  set capacity(bytes: number) {
    this.slots = Math.max(1, Math.ceil(bytes / PIPE_PAGE))
  }

  get full(): boolean {
    return this.bufs.length >= this.slots
  }

  /** Bytes that fit in fresh pages now. */
  get free(): number {
    return Math.max(this.slots - this.bufs.length, 0) * PIPE_PAGE
  }

  /** Remove (or, with `peek`, copy) the first `n` buffered bytes (n <= size). */
  take(n: number, peek = false): Uint8Array {
    const out = new Uint8Array(n)
    let o = 0
    let i = 0
    while (o < n) {
      const b = this.bufs[i]!
      const part = Math.min(b.len, n - o)
      out.set(b.data.subarray(b.off, b.off + part), o)
      o += part
      if (peek) i++
      else if (part === b.len) this.bufs.shift()
      else {
        b.off += part
        b.len -= part
      }
    }
    if (!peek) this.size -= n
    return out
  }

  /** Append `data` (which must fit in `free`) in fresh pages. */
  put(data: Uint8Array): void {
    for (let o = 0; o < data.length; o += PIPE_PAGE) this.pushPage(data.subarray(o, o + PIPE_PAGE))
  }

  private pushPage(chunk: Uint8Array): void {
    const data = new Uint8Array(PIPE_PAGE)
    data.set(chunk)
    this.bufs.push({ data, off: 0, len: chunk.length })
    this.size += chunk.length
  }

  /**
   * pipe_write's first step: the part of a `total`-byte write that does not
   * fill whole pages goes into the last page if it has room. Returns the
   * bytes taken from the start of `data`.
   */
  merge(data: Uint8Array): number {
    const chars = data.length % PIPE_PAGE
    const last = this.bufs[this.bufs.length - 1]
    if (chars === 0 || last === undefined || this.packets || last.off + last.len + chars > PIPE_PAGE) return 0
    last.data.set(data.subarray(0, chars), last.off + last.len)
    last.len += chars
    this.size += chars
    return chars
  }

  /** Fill fresh pages from `data[done..]` while there are free ones; returns the new `done`. */
  fill(data: Uint8Array, done: number): number {
    while (done < data.length && !this.full) {
      const n = Math.min(PIPE_PAGE, data.length - done)
      this.pushPage(data.subarray(done, done + n))
      done += n
    }
    return done
  }
}

export class PipeEnd extends OpenFile {
  constructor(
    readonly pipe: Pipe,
    readonly isWriter: boolean,
    flags: number,
  ) {
    super(flags)
    if (isWriter) pipe.writers++
    else pipe.readers++
  }

  read(len: number): ReadResult {
    if (this.isWriter) return -E.BADF
    const p = this.pipe
    if (len === 0) return new Uint8Array(0)
    if (p.size === 0) {
      if (p.writers === 0) return new Uint8Array(0)
      if (this.flags & O.NONBLOCK) return -E.AGAIN
      return new Block(
        () => p.size > 0 || p.writers === 0,
        () => this.read(len),
      )
    }
    return p.take(Math.min(len, p.size))
  }

  /**
   * pipe_write: merge the odd part into the last page, then fill fresh
   * pages; a blocking write returns once everything is in (or the readers
   * are gone), a non-blocking one with what fitted, or EAGAIN.
   */
  write(data: Uint8Array): WriteResult {
    if (!this.isWriter) return -E.BADF
    const p = this.pipe
    if (p.readers === 0) return -E.PIPE
    if (data.length === 0) return 0
    const done = p.bufs.length > 0 ? p.merge(data) : 0
    return this.writeFrom(data, done)
  }

  private writeFrom(data: Uint8Array, start: number): WriteResult {
    const p = this.pipe
    if (p.readers === 0) return start > 0 ? start : -E.PIPE
    const done = p.fill(data, start)
    if (done === data.length) return done
    if (this.flags & O.NONBLOCK) return done > 0 ? done : -E.AGAIN
    return new Block<number>(
      () => !p.full || p.readers === 0,
      () => this.writeFrom(data, done),
    )
  }

  override poll(): [boolean, boolean, boolean] {
    const p = this.pipe
    if (this.isWriter) return [false, !p.full || p.readers === 0, p.readers === 0]
    return [p.size > 0 || p.writers === 0, false, p.writers === 0]
  }

  override pollMask(): number {
    const p = this.pipe
    // pipe_poll: readers see POLLHUP once every writer is gone, writers POLLERR once every reader is.
    if (this.isWriter) return (p.full ? 0 : Poll.OUT | Poll.WRNORM) | (p.readers === 0 ? Poll.ERR : 0)
    return (p.size > 0 ? Poll.IN | Poll.RDNORM : 0) | (p.writers === 0 ? Poll.HUP : 0)
  }

  override stat(): StatInfo {
    // pipefs: an anonymous FIFO, mode 0600, on an internal device (0:13 on typical kernels).
    return anonInodeStat(13n, this.pipe.ino, S.IFIFO | 0o600, this.pipe.createdNs)
  }

  override linkName(): string {
    return `pipe:[${this.pipe.ino}]`
  }

  override release(): void {
    if (this.isWriter) this.pipe.writers--
    else this.pipe.readers--
  }
}

/** A read-only file whose content the engine makes up (/proc files). */
export class MemFile extends OpenFile {
  pos = 0
  constructor(
    readonly data: Uint8Array,
    path?: string,
  ) {
    super(O.RDONLY)
    if (path !== undefined) this.path = path
  }
  read(len: number): ReadResult {
    if (!canRead(this.flags)) return -E.BADF
    const out = this.data.subarray(this.pos, this.pos + len)
    this.pos += out.length
    return out.slice()
  }
  /** Made-up files cannot be written; opened for writing (by root), the write fails as /proc's do. */
  write(): WriteResult {
    return canWrite(this.flags) ? -E.INVAL : -E.BADF
  }
  override seek(offset: bigint, whence: number): bigint | number {
    const base = whence === 0 ? 0 : whence === 1 ? this.pos : whence === 2 ? this.data.length : -1
    if (base < 0 || base + Number(offset) < 0) return -E.INVAL
    this.pos = base + Number(offset)
    return BigInt(this.pos)
  }
  override pread(len: number, pos: bigint): Uint8Array | number {
    return this.data.slice(Number(pos), Number(pos) + len)
  }
  override pollMask(): number {
    return DEFAULT_POLLMASK
  }
}

/** Decode a raw directory-entry name (for messages and /proc listings). */
export const nameText = (b: Uint8Array): string => dec.decode(b)
/** Encode a name as directory-entry bytes. */
export const nameBytes = (s: string): Uint8Array => enc.encode(s)

export interface FdEntry {
  file: OpenFile
  cloexec: boolean
}

/** RLIMIT_NOFILE default. */
export const MAX_FDS = 1024

export class FdTable {
  private fds: (FdEntry | undefined)[] = []

  get(fd: number): OpenFile | undefined {
    return fd >= 0 ? this.fds[fd]?.file : undefined
  }

  entry(fd: number): FdEntry | undefined {
    return fd >= 0 ? this.fds[fd] : undefined
  }

  /** Install `file` at the lowest free descriptor >= min; returns it, or -EMFILE. */
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    let fd = min
    while (this.fds[fd] !== undefined) fd++
    if (fd >= MAX_FDS) return -E.MFILE
    this.place(fd, file, cloexec)
    return fd
  }

  /** Install at exactly `fd`, closing what was there (dup2). */
  place(fd: number, file: OpenFile, cloexec: boolean): void {
    file.refs++
    const old = this.fds[fd]
    this.fds[fd] = { file, cloexec }
    if (old !== undefined) FdTable.unref(old.file)
  }

  /** Set or clear FD_CLOEXEC; -EBADF if `fd` is not open. */
  setCloexec(fd: number, on: boolean): number {
    const e = this.entry(fd)
    if (e === undefined) return -E.BADF
    e.cloexec = on
    return 0
  }

  /** Highest open descriptor + 1 (a bound for loops over the table). */
  get size(): number {
    let n = this.fds.length
    while (n > 0 && this.fds[n - 1] === undefined) n--
    return n
  }

  close(fd: number): number {
    const e = this.entry(fd)
    if (e === undefined) return -E.BADF
    this.fds[fd] = undefined
    FdTable.unref(e.file)
    return 0
  }

  private static unref(f: OpenFile): void {
    if (--f.refs === 0) f.release()
  }

  /** A copy sharing every open file (fork). */
  clone(): FdTable {
    const t = new FdTable()
    this.fds.forEach((e, i) => {
      if (e !== undefined) t.place(i, e.file, e.cloexec)
    })
    return t
  }

  /** Close descriptors marked close-on-exec (execve). */
  closeOnExec(): void {
    this.fds.forEach((e, i) => {
      if (e?.cloexec) this.close(i)
    })
  }

  closeAll(): void {
    this.fds.forEach((e, i) => {
      if (e !== undefined) this.close(i)
    })
  }

  /** Open descriptor numbers, ascending. */
  list(): number[] {
    const out: number[] = []
    this.fds.forEach((e, i) => {
      if (e !== undefined) out.push(i)
    })
    return out
  }
}
