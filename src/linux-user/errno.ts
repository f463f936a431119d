/**
 * Linux error numbers (asm-generic/errno-base.h, errno.h) and the mapping
 * from Node's host error codes to them.
 */
export const enum E {
  PERM = 1,
  NOENT = 2,
  SRCH = 3,
  INTR = 4,
  IO = 5,
  NXIO = 6,
  TOOBIG = 7,
  NOEXEC = 8,
  BADF = 9,
  CHILD = 10,
  AGAIN = 11,
  NOMEM = 12,
  ACCES = 13,
  FAULT = 14,
  BUSY = 16,
  EXIST = 17,
  XDEV = 18,
  NODEV = 19,
  NOTDIR = 20,
  ISDIR = 21,
  INVAL = 22,
  NFILE = 23,
  MFILE = 24,
  NOTTY = 25,
  TXTBSY = 26,
  FBIG = 27,
  NOSPC = 28,
  SPIPE = 29,
  ROFS = 30,
  MLINK = 31,
  PIPE = 32,
  DOM = 33,
  RANGE = 34,
  DEADLK = 35,
  NAMETOOLONG = 36,
  NOSYS = 38,
  NOTEMPTY = 39,
  LOOP = 40,
  NODATA = 61,
  TIME = 62,
  OVERFLOW = 75,
  NOTSOCK = 88,
  OPNOTSUPP = 95,
  AFNOSUPPORT = 97,
  CONNREFUSED = 111,
  TIMEDOUT = 110,
  NOTSUP = 95,
}

/** Host error code (Node's `err.code`) to Linux errno. */
const HOST: Record<string, number> = {
  EPERM: E.PERM,
  ENOENT: E.NOENT,
  ESRCH: E.SRCH,
  EINTR: E.INTR,
  EIO: E.IO,
  ENXIO: E.NXIO,
  E2BIG: E.TOOBIG,
  ENOEXEC: E.NOEXEC,
  EBADF: E.BADF,
  ECHILD: E.CHILD,
  EAGAIN: E.AGAIN,
  ENOMEM: E.NOMEM,
  EACCES: E.ACCES,
  EFAULT: E.FAULT,
  EBUSY: E.BUSY,
  EEXIST: E.EXIST,
  EXDEV: E.XDEV,
  ENODEV: E.NODEV,
  ENOTDIR: E.NOTDIR,
  EISDIR: E.ISDIR,
  EINVAL: E.INVAL,
  ENFILE: E.NFILE,
  EMFILE: E.MFILE,
  ENOTTY: E.NOTTY,
  ETXTBSY: E.TXTBSY,
  EFBIG: E.FBIG,
  ENOSPC: E.NOSPC,
  ESPIPE: E.SPIPE,
  EROFS: E.ROFS,
  EMLINK: E.MLINK,
  EPIPE: E.PIPE,
  ENAMETOOLONG: E.NAMETOOLONG,
  ENOSYS: E.NOSYS,
  ENOTEMPTY: E.NOTEMPTY,
  ELOOP: E.LOOP,
  ENODATA: E.NODATA,
  EOVERFLOW: E.OVERFLOW,
  ENOTSUP: E.NOTSUP,
  EOPNOTSUPP: E.OPNOTSUPP,
}

/** Negative Linux errno for a host exception (EIO when unknown). */
export function hostErrno(err: unknown): number {
  const code = (err as { code?: unknown })?.code
  if (typeof code === 'string' && code in HOST) return -HOST[code]!
  if (typeof (err as { errno?: unknown })?.errno === 'number') {
    const n = -(err as { errno: number }).errno
    if (n > 0 && n < 4096) return -n
  }
  return -E.IO
}
