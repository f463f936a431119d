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
  DIRECT = 0o40000,
  LARGEFILE = 0o100000,
  DIRECTORY = 0o200000,
  NOFOLLOW = 0o400000,
  NOATIME = 0o1000000,
  CLOEXEC = 0o2000000,
  PATH = 0o10000000,
}

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
  abstract read(len: number): ReadResult
  abstract write(data: Uint8Array): WriteResult
  /** Readiness for poll: [readable, writable, hangup]. */
  poll(): [boolean, boolean, boolean] {
    return [true, true, false]
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
    super(flags)
    if (path !== undefined) this.path = path
    this.pos = tracked ? 0n : undefined
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
      if (err === -E.AGAIN && !(this.flags & O.NONBLOCK)) return new Block(() => true, () => this.read(len))
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
          done += fs.writeSync(this.fd, data, done, data.length - done, at === undefined ? null : Number(at) + done)
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
    this.pos = p
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
      return fs.writeSync(this.fd, data, 0, data.length, Number(pos))
    } catch (e) {
      return hostErrno(e)
    }
  }

  override poll(): [boolean, boolean, boolean] {
    return [canRead(this.flags), canWrite(this.flags), false]
  }

  override hostFd(): number {
    return this.fd
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

/** The shared buffer of a pipe between guest processes. */
export class Pipe {
  chunks: Uint8Array[] = []
  size = 0
  readers = 0
  writers = 0
  /** Pipe capacity (F_GETPIPE_SZ); writers of more than this block until readers drain it. */
  static readonly CAPACITY = 65536
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
    if (p.size === 0) {
      if (p.writers === 0) return new Uint8Array(0)
      if (this.flags & O.NONBLOCK) return -E.AGAIN
      return new Block(
        () => p.size > 0 || p.writers === 0,
        () => this.read(len),
      )
    }
    const n = Math.min(len, p.size)
    const out = new Uint8Array(n)
    let o = 0
    while (o < n) {
      const c = p.chunks[0]!
      const take = Math.min(c.length, n - o)
      out.set(c.subarray(0, take), o)
      o += take
      if (take === c.length) p.chunks.shift()
      else p.chunks[0] = c.subarray(take)
    }
    p.size -= n
    return out
  }

  write(data: Uint8Array): WriteResult {
    if (!this.isWriter) return -E.BADF
    const p = this.pipe
    if (p.readers === 0) return -E.PIPE
    if (p.size >= Pipe.CAPACITY && data.length > 0) {
      if (this.flags & O.NONBLOCK) return -E.AGAIN
      return new Block(
        () => p.size < Pipe.CAPACITY || p.readers === 0,
        () => this.write(data),
      )
    }
    const n = Math.min(data.length, Math.max(Pipe.CAPACITY - p.size, 0))
    p.chunks.push(data.slice(0, n))
    p.size += n
    return n
  }

  override poll(): [boolean, boolean, boolean] {
    const p = this.pipe
    if (this.isWriter) return [false, p.size < Pipe.CAPACITY || p.readers === 0, p.readers === 0]
    return [p.size > 0 || p.writers === 0, false, p.writers === 0 && p.size === 0]
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
    const out = this.data.subarray(this.pos, this.pos + len)
    this.pos += out.length
    return out.slice()
  }
  write(): WriteResult {
    return -E.BADF
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
}

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
