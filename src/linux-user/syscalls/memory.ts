/** Memory-management system calls: brk, mmap, munmap, mprotect, mremap, madvise and friends. */
import { Access } from '../../core/errors.js'
import { Prot } from '../../core/paged-memory.js'
import { PAGE_SIZE } from '../../core/types.js'
import { E } from '../errno.js'
import type { OpenFile } from '../fd.js'
import { MMAP_BASE, MMAP_LIMIT } from '../layout.js'
import type { Mm } from '../process.js'
import { i64, int, type Sys, type SyscallTable } from './context.js'

const PAGE = BigInt(PAGE_SIZE)
const pageUp = (v: bigint): bigint => (v + PAGE - 1n) & ~(PAGE - 1n)

/** mmap flags (asm-generic/mman-common.h). */
const MAP_SHARED = 0x01
const MAP_PRIVATE = 0x02
const MAP_TYPE = 0x0f
const MAP_FIXED = 0x10
const MAP_ANONYMOUS = 0x20
const MAP_FIXED_NOREPLACE = 0x100000
const MREMAP_MAYMOVE = 1
const MREMAP_FIXED = 2

/**
 * Pick an address for a mapping of `len` bytes: the hint when it is free,
 * else first fit from the moving cursor, wrapping around to MMAP_BASE.
 */
function placeMapping(s: Sys, hint: bigint, len: bigint): bigint | undefined {
  if (hint !== 0n && (hint & (PAGE - 1n)) === 0n && hint + len <= MMAP_LIMIT && s.mem.isFree(hint, len))
    return hint
  const mm = s.p.mm
  const at = s.mem.findFree(len, mm.mmapNext, MMAP_LIMIT) ?? s.mem.findFree(len, MMAP_BASE, MMAP_LIMIT)
  if (at !== undefined && at >= mm.mmapNext) mm.mmapNext = at + len
  return at
}

/** Translations of the range are stale once it is remapped, unmapped or its permissions change. */
function codeChanged(s: Sys, addr: bigint, len: bigint): void {
  s.p.mm.tbs.invalidate(addr, len)
}

/**
 * A MAP_SHARED mapping of a file. Its pages are written back to the file
 * before every system call and re-read after it, so that the mapping and
 * read()/write() (of any process) agree whenever the guest can look, as
 * they do through Linux's page cache.
 */
interface SharedFileMapping {
  start: bigint
  len: bigint
  file: OpenFile
  offset: bigint
}

const sharedFiles = new WeakMap<Mm, SharedFileMapping[]>()

function fileSize(f: OpenFile): bigint {
  const st = f.stat()
  return typeof st === 'number' ? 0n : st.size
}

/** Write every shared file mapping of `mm` back to its file (the part inside the file: mappings never extend files). */
export function writeBackSharedFiles(mm: Mm): void {
  for (const m of sharedFiles.get(mm) ?? []) {
    const n = fileSize(m.file) - m.offset
    const len = n < m.len ? n : m.len
    if (len <= 0n) continue
    m.file.pwrite(mm.mem.read(m.start, Number(len), Access.Any), m.offset)
  }
}

/** Re-read every shared file mapping of `mm` from its file. */
export function refreshSharedFiles(mm: Mm): void {
  for (const m of sharedFiles.get(mm) ?? []) {
    const data = m.file.pread(Number(m.len), m.offset)
    if (typeof data !== 'number' && data.length > 0) mm.mem.write(m.start, data, true)
  }
}

/** Whether `mm` has shared file mappings (the system-call path checks this before syncing). */
export const hasSharedFiles = (mm: Mm): boolean => (sharedFiles.get(mm)?.length ?? 0) > 0

/** Forget the shared file mappings overlapping [start, start+len), writing them back first. */
function dropSharedFiles(mm: Mm, start: bigint, len: bigint): void {
  const list = sharedFiles.get(mm)
  if (list === undefined || list.length === 0) return
  writeBackSharedFiles(mm)
  const keep: SharedFileMapping[] = []
  for (const m of list) {
    const end = start + len
    if (m.start + m.len <= start || m.start >= end) {
      keep.push(m)
      continue
    }
    // Keep the parts outside the range (partial munmap), each holding the file.
    if (m.start < start) keep.push({ ...m, len: start - m.start })
    if (m.start + m.len > end)
      keep.push({ ...m, start: end, len: m.start + m.len - end, offset: m.offset + (end - m.start) })
    const parts = (m.start < start ? 1 : 0) + (m.start + m.len > end ? 1 : 0)
    m.file.refs += parts - 1
    if (m.file.refs === 0) m.file.release()
  }
  sharedFiles.set(mm, keep)
}

function mmap(s: Sys, a: readonly bigint[]): bigint | number {
  const [addr, lenRaw, protRaw, flagsRaw, fdRaw, offRaw] = a as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ]
  const prot = Number(protRaw) & 7
  const flags = Number(flagsRaw)
  const fd = int(fdRaw)
  const off = i64(offRaw)
  if (lenRaw === 0n) return -E.INVAL
  const len = pageUp(lenRaw)
  if (len === 0n || len > MMAP_LIMIT) return -E.NOMEM
  if ((off & (PAGE - 1n)) !== 0n || off < 0n) return -E.INVAL
  const type = flags & MAP_TYPE
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== 3) return -E.INVAL
  let data: Uint8Array | undefined
  let file: OpenFile | undefined
  if (!(flags & MAP_ANONYMOUS)) {
    const f = s.p.fds.get(fd)
    if (f === undefined) return -E.BADF
    file = f
    if (f.hostFd() === undefined && f.pread(0, 0n) === -E.SPIPE) return -E.ACCES
    const r = f.pread(Number(len), off)
    if (typeof r === 'number') return r
    data = r
  }
  let at: bigint
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if ((addr & (PAGE - 1n)) !== 0n) return -E.INVAL
    if (addr + len > MMAP_LIMIT) return -E.NOMEM
    if (flags & MAP_FIXED_NOREPLACE && !s.mem.isFree(addr, len)) return -E.EXIST
    at = addr
  } else {
    const p = placeMapping(s, addr, len)
    if (p === undefined) return -E.NOMEM
    at = p
  }
  const replacing = !s.mem.isFree(at, len)
  if (replacing) dropSharedFiles(s.p.mm, at, len)
  s.mem.map(at, len, prot as Prot, type === MAP_SHARED)
  if (data !== undefined && data.length > 0) s.mem.write(at, data, true)
  if (replacing) codeChanged(s, at, len)
  if (type === MAP_SHARED && file !== undefined) {
    file.refs++
    const list = sharedFiles.get(s.p.mm) ?? []
    list.push({ start: at, len, file, offset: off })
    sharedFiles.set(s.p.mm, list)
  }
  return at
}

function munmap(s: Sys, a: readonly bigint[]): number {
  const [addr, lenRaw] = a as [bigint, bigint]
  if ((addr & (PAGE - 1n)) !== 0n || lenRaw === 0n) return -E.INVAL
  const len = pageUp(lenRaw)
  if (addr + len > MMAP_LIMIT) return -E.INVAL
  dropSharedFiles(s.p.mm, addr, len)
  s.mem.unmap(addr, len)
  codeChanged(s, addr, len)
  return 0
}

function mprotect(s: Sys, a: readonly bigint[]): number {
  const [addr, lenRaw, protRaw] = a as [bigint, bigint, bigint]
  if ((addr & (PAGE - 1n)) !== 0n) return -E.INVAL
  const len = pageUp(lenRaw)
  if (len === 0n) return 0
  if (addr + len > MMAP_LIMIT || !s.mem.protect(addr, len, (Number(protRaw) & 7) as Prot)) return -E.NOMEM
  codeChanged(s, addr, len)
  return 0
}

function mremap(s: Sys, a: readonly bigint[]): bigint | number {
  const [oldAddr, oldLenRaw, newLenRaw, flagsRaw, newAddrRaw] = a as [bigint, bigint, bigint, bigint, bigint]
  const flags = Number(flagsRaw)
  if ((oldAddr & (PAGE - 1n)) !== 0n) return -E.INVAL
  const oldLen = pageUp(oldLenRaw)
  const newLen = pageUp(newLenRaw)
  if (newLen === 0n) return -E.INVAL
  if (!s.mem.isMapped(oldAddr, oldLen === 0n ? PAGE : oldLen)) return -E.FAULT
  const prot = s.mem.protOf(oldAddr) ?? Prot.None
  if (flags & MREMAP_FIXED) {
    if (!(flags & MREMAP_MAYMOVE) || (newAddrRaw & (PAGE - 1n)) !== 0n) return -E.INVAL
    s.mem.unmap(newAddrRaw, newLen)
    moveRange(s, oldAddr, oldLen, newAddrRaw, newLen, prot)
    return newAddrRaw
  }
  if (newLen <= oldLen) {
    if (newLen < oldLen) s.mem.unmap(oldAddr + newLen, oldLen - newLen)
    codeChanged(s, oldAddr + newLen, oldLen - newLen)
    return oldAddr
  }
  if (s.mem.isFree(oldAddr + oldLen, newLen - oldLen)) {
    s.mem.map(oldAddr + oldLen, newLen - oldLen, prot)
    return oldAddr
  }
  if (!(flags & MREMAP_MAYMOVE)) return -E.NOMEM
  const to = placeMapping(s, 0n, newLen)
  if (to === undefined) return -E.NOMEM
  moveRange(s, oldAddr, oldLen, to, newLen, prot)
  return to
}

function moveRange(s: Sys, from: bigint, oldLen: bigint, to: bigint, newLen: bigint, prot: Prot): void {
  const keep = oldLen < newLen ? oldLen : newLen
  s.mem.move(from, to, keep)
  if (oldLen > keep) s.mem.unmap(from + keep, oldLen - keep)
  if (newLen > keep) s.mem.map(to + keep, newLen - keep, prot)
  codeChanged(s, from, oldLen)
  codeChanged(s, to, newLen)
}

function brk(s: Sys, a: readonly bigint[]): bigint {
  const mm = s.p.mm
  const want = a[0]!
  // Linux returns the current break for requests it cannot satisfy (including 0).
  if (want < mm.brkStart) return mm.brk
  const oldTop = pageUp(mm.brk)
  const newTop = pageUp(want)
  if (newTop > oldTop) {
    if (!s.mem.isFree(oldTop, newTop - oldTop)) return mm.brk
    s.mem.map(oldTop, newTop - oldTop, Prot.RW)
  } else if (newTop < oldTop) {
    s.mem.unmap(newTop, oldTop - newTop)
  }
  // Bytes between the break and the end of its page read as zero after growing again (Linux clears them).
  if (want > mm.brk && mm.brk < oldTop) s.mem.zero(mm.brk, Number((want < oldTop ? want : oldTop) - mm.brk))
  mm.brk = want
  return want
}

const MADV_DONTNEED = 4n

export const memorySyscalls: SyscallTable = {
  214: { name: 'brk', fn: brk, args: 'x' },
  215: { name: 'munmap', fn: munmap, args: 'xu' },
  216: { name: 'mremap', fn: mremap, args: 'xuuxx' },
  222: { name: 'mmap', fn: mmap, args: 'xuxxdd' },
  226: { name: 'mprotect', fn: mprotect, args: 'xux' },
  227: { name: 'msync', fn: () => 0, args: 'xux' },
  228: { name: 'mlock', fn: () => 0, args: 'xu' },
  229: { name: 'munlock', fn: () => 0, args: 'xu' },
  230: { name: 'mlockall', fn: () => 0, args: 'x' },
  231: { name: 'munlockall', fn: () => 0, args: '' },
  232: {
    name: 'mincore',
    fn: (s, a) => {
      // Every mapped page counts as resident; a hole in the range is ENOMEM (as Linux).
      if ((a[0]! & (PAGE - 1n)) !== 0n) return -E.INVAL
      const len = pageUp(a[1]!)
      if (a[0]! + len > MMAP_LIMIT || !s.mem.isMapped(a[0]!, len === 0n ? 0n : len)) return -E.NOMEM
      s.mem.write(a[2]!, new Uint8Array(Number(len / PAGE)).fill(1))
      return 0
    },
    args: 'xux',
  },
  233: {
    name: 'madvise',
    fn: (s, a) => {
      // MADV_DONTNEED on private anonymous memory: the pages read as zero afterwards.
      if (a[2] === MADV_DONTNEED) {
        const len = pageUp(a[1]!)
        const prot = s.mem.protOf(a[0]!)
        if (prot !== undefined && s.mem.isMapped(a[0]!, len)) {
          for (let p = a[0]!; p < a[0]! + len; p += PAGE) s.mem.map(p, PAGE, s.mem.protOf(p) ?? prot)
        }
      }
      return 0
    },
    args: 'xud',
  },
  259: {
    name: 'riscv_flush_icache',
    fn: (s) => {
      s.p.mm.tbs.flush()
      return 0
    },
    args: 'xxx',
  },
}
