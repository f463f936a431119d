/**
 * Loads a RISC-V ELF program (and its PT_INTERP dynamic loader) into a fresh
 * address space and builds the initial stack: argc, argv, envp and the
 * auxiliary vector as the Linux kernel lays them out (fs/binfmt_elf.c).
 */

import { UserError } from '../core/errors.js'
import type { PagedMemory } from '../core/paged-memory.js'
import { Prot } from '../core/paged-memory.js'
import { PAGE_SIZE } from '../core/types.js'
import { type ElfFile, type ElfSymbol, ElfType, PFlag, PType, parseElf, readSymbols } from './elf.js'
import { BRK_RESERVE, MMAP_BASE, MMAP_LIMIT, STACK_SIZE } from './layout.js'
import { VDSO_IMAGE_BASE64, VDSO_RELOCS, VDSO_RT_SIGRETURN } from './vdso/image.js'

/** Auxiliary vector tags (include/uapi/linux/auxvec.h). */
export const enum At {
  Null = 0,
  Phdr = 3,
  Phent = 4,
  Phnum = 5,
  Pagesz = 6,
  Base = 7,
  Flags = 8,
  Entry = 9,
  Uid = 11,
  Euid = 12,
  Gid = 13,
  Egid = 14,
  Hwcap = 16,
  Clktck = 17,
  Secure = 23,
  Random = 25,
  Hwcap2 = 26,
  Execfn = 31,
  SysinfoEhdr = 33,
}

const PAGE = BigInt(PAGE_SIZE)
const pageDown = (v: bigint): bigint => v & ~(PAGE - 1n)
const pageUp = (v: bigint): bigint => (v + PAGE - 1n) & ~(PAGE - 1n)

const protOf = (flags: number): Prot =>
  ((flags & PFlag.R ? Prot.R : 0) | (flags & PFlag.W ? Prot.W : 0) | (flags & PFlag.X ? Prot.X : 0)) as Prot

export interface ImageInfo {
  bias: bigint
  entry: bigint
  /** Address of the program headers in guest memory. */
  phdr: bigint
  /** End of the highest segment (initial program break for the main image). */
  end: bigint
  /** Extent of the executable segments (start_code, end_code). */
  codeStart: bigint
  codeEnd: bigint
  symbols: ElfSymbol[]
}

/** Map the PT_LOAD segments of `elf` at `bias` (ET_DYN) or at their addresses (ET_EXEC). */
export function mapImage(mm: PagedMemory, elf: ElfFile, bias: bigint): ImageInfo {
  const loads = elf.phdrs.filter((p) => p.type === PType.Load)
  let end = 0n
  let codeStart = 0n
  let codeEnd = 0n
  const mapped = new Map<bigint, Prot>()
  for (const ph of loads) {
    if (ph.flags & PFlag.X) {
      if (codeEnd === 0n || ph.vaddr + bias < codeStart) codeStart = ph.vaddr + bias
      if (ph.vaddr + bias + BigInt(ph.filesz) > codeEnd) codeEnd = ph.vaddr + bias + BigInt(ph.filesz)
    }
    const start = pageDown(ph.vaddr + bias)
    const stop = pageUp(ph.vaddr + bias + ph.memsz)
    const prot = protOf(ph.flags)
    for (let a = start; a < stop; a += PAGE) {
      const prev = mapped.get(a)
      if (prev === undefined) mm.map(a, PAGE, prot)
      else mm.protect(a, PAGE, (prev | prot) as Prot)
      mapped.set(a, ((prev ?? 0) | prot) as Prot)
    }
    mm.write(ph.vaddr + bias, elf.bytes.subarray(ph.offset, ph.offset + ph.filesz), true)
    if (ph.vaddr + bias + ph.memsz > end) end = ph.vaddr + bias + ph.memsz
  }
  const first = loads[0]!
  const phdrSeg = elf.phdrs.find((p) => p.type === PType.Phdr)
  const phdr =
    phdrSeg !== undefined
      ? phdrSeg.vaddr + bias
      : first.vaddr - BigInt(first.offset) + BigInt(elf.phoff) + bias
  return { bias, entry: elf.entry + bias, phdr, end, codeStart, codeEnd, symbols: readSymbols(elf, bias) }
}

/** Span of an image's segments, to reserve room for an ET_DYN image. */
function imageSpan(elf: ElfFile): { lo: bigint; hi: bigint } {
  let lo = -1n
  let hi = 0n
  for (const p of elf.phdrs) {
    if (p.type !== PType.Load) continue
    const s = pageDown(p.vaddr)
    if (lo < 0n || s < lo) lo = s
    const e = pageUp(p.vaddr + p.memsz)
    if (e > hi) hi = e
  }
  return { lo, hi }
}

export interface LoadRequest {
  /** Path as the guest named it (AT_EXECFN, /proc/self/exe). */
  guestPath: string
  image: Uint8Array
  argv: string[]
  envp: string[]
  /** Reads the dynamic loader named by PT_INTERP (sysroot lookup is the caller's job). */
  readInterp(path: string): { hostPath: string; bytes: Uint8Array }
  hwcap: bigint
  uid: number
  gid: number
  /** 16 bytes for AT_RANDOM. */
  random: Uint8Array
  /**
   * Map the vDSO (src/linux-user/vdso) and name it in AT_SYSINFO_EHDR, as
   * Linux and QEMU 8.0+ do; otherwise a bare signal-return page, as QEMU 7.2.
   */
  vdso: boolean
}

export interface LoadResult {
  entry: bigint
  sp: bigint
  brk: bigint
  main: ImageInfo
  interp?: ImageInfo
  /** The signal-return trampoline: __vdso_rt_sigreturn, or the start of its own page. */
  sigtramp: bigint
  /** The vDSO's load address, when mapped. */
  vdso?: ImageInfo
  /** Where the next mmap without a hint starts looking. */
  mmapNext: bigint
}

/** The signal-return trampoline: li a7, 139 (rt_sigreturn); ecall. */
const SIGTRAMP = new Uint8Array([0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00])

/** Load a program and its interpreter into `mm` (which must be empty) and build the initial stack. */
export function loadProgram(mm: PagedMemory, req: LoadRequest): LoadResult {
  const elf = parseElf(req.guestPath, req.image)
  let cursor = MMAP_BASE
  /** First fit at or above the cursor, which then moves past the allocation (QEMU's mmap_next_start). */
  const place = (len: bigint, what: string): bigint => {
    const at = mm.findFree(len, cursor, MMAP_LIMIT)
    if (at === undefined) throw new UserError(`${req.guestPath}: no room for ${what}`)
    cursor = at + len
    return at
  }
  let bias = 0n
  let brkReserve = 0n
  if (elf.type === ElfType.Dyn) {
    const { lo, hi } = imageSpan(elf)
    brkReserve = elf.interp !== undefined ? BRK_RESERVE : 0n
    bias = place(hi - lo + brkReserve, 'the program') - lo
  }
  const main = mapImage(mm, elf, bias)
  const stackBottom = place(STACK_SIZE + PAGE, 'the stack')
  mm.map(stackBottom, PAGE, Prot.None)
  mm.map(stackBottom + PAGE, STACK_SIZE, Prot.RW)
  let interp: ImageInfo | undefined
  if (elf.interp !== undefined) {
    const { hostPath, bytes } = req.readInterp(elf.interp)
    const ie = parseElf(hostPath, bytes)
    if (ie.type !== ElfType.Dyn)
      throw new UserError(`${hostPath}: the dynamic loader must be position independent`)
    const { lo, hi } = imageSpan(ie)
    interp = mapImage(mm, ie, place(hi - lo, 'the dynamic loader') - lo)
  }
  // Where QEMU maps the vDSO, or its trampoline page without one: after the dynamic loader.
  let sigtramp: bigint
  let vdso: ImageInfo | undefined
  if (req.vdso) {
    vdso = mapVdso(mm, place(pageUp(BigInt(vdsoImage().length)), 'the vDSO'))
    sigtramp = vdso.bias + BigInt(VDSO_RT_SIGRETURN)
  } else {
    sigtramp = place(PAGE, 'the signal trampoline')
    mm.map(sigtramp, PAGE, Prot.RX)
    mm.write(sigtramp, SIGTRAMP, true)
  }
  const sp = buildStack(mm, req, elf, main, stackBottom + PAGE + STACK_SIZE, interp, vdso)
  const result: LoadResult = {
    entry: interp?.entry ?? main.entry,
    sp,
    brk: pageUp(main.end),
    main,
    sigtramp,
    mmapNext: cursor,
  }
  if (interp !== undefined) result.interp = interp
  if (vdso !== undefined) result.vdso = vdso
  return result
}

let vdsoElf: ElfFile | undefined
/** The vDSO image as linked (at address 0), decoded and parsed once. */
function vdsoFile(): ElfFile {
  vdsoElf ??= parseElf(
    '[vdso]',
    Uint8Array.from(atob(VDSO_IMAGE_BASE64), (c) => c.charCodeAt(0)),
  )
  return vdsoElf
}
/** The vDSO image's bytes as linked. */
export const vdsoImage = (): Uint8Array => vdsoFile().bytes

/**
 * Map the vDSO at `base`, read-only and executable, with the load address
 * added to its address fields (program headers, dynamic entries, dynamic
 * symbols) as QEMU's loader does, so that glibc finds an image linked where
 * it lies.
 */
function mapVdso(mm: PagedMemory, base: bigint): ImageInfo {
  const bytes = vdsoImage().slice()
  const dv = new DataView(bytes.buffer)
  for (const o of VDSO_RELOCS) dv.setBigUint64(o, dv.getBigUint64(o, true) + base, true)
  mm.map(base, pageUp(BigInt(bytes.length)), Prot.RX)
  mm.write(base, bytes, true)
  const elf = vdsoFile()
  return {
    bias: base,
    entry: base,
    phdr: base + BigInt(elf.phoff),
    end: base + BigInt(bytes.length),
    codeStart: base,
    codeEnd: base + BigInt(bytes.length),
    symbols: readSymbols(elf, base),
  }
}

/**
 * The initial stack, laid out as Linux and QEMU do: at the top 8 zero
 * bytes, below them the strings (argv, envp, then the executable's name,
 * contiguous and in that order), 16 random bytes at the next 16-byte
 * boundary, then argc, argv[], envp[] and the auxiliary vector, 16-byte
 * aligned.
 */
function buildStack(
  mm: PagedMemory,
  req: LoadRequest,
  elf: ElfFile,
  main: ImageInfo,
  top: bigint,
  interp?: ImageInfo,
  vdso?: ImageInfo,
): bigint {
  const enc = new TextEncoder()
  const strings = [...req.argv, ...req.envp, req.guestPath].map((s) => enc.encode(`${s}\0`))
  const total = strings.reduce((n, b) => n + b.length, 0)
  let p = top - 8n - BigInt(total)
  const addrs: bigint[] = []
  let o = p
  for (const b of strings) {
    mm.write(o, b)
    addrs.push(o)
    o += BigInt(b.length)
  }
  const argAddrs = addrs.slice(0, req.argv.length)
  const envAddrs = addrs.slice(req.argv.length, req.argv.length + req.envp.length)
  const execfn = addrs[addrs.length - 1]!
  p = (p & ~15n) - 16n
  const random = p
  mm.write(random, req.random)
  // The order of QEMU's create_elf_tables (no AT_PLATFORM for RISC-V, AT_RANDOM before AT_SECURE, AT_SYSINFO_EHDR last).
  const auxv: [number, bigint][] = [
    [At.Phdr, main.phdr],
    [At.Phent, BigInt(elf.phentsize)],
    [At.Phnum, BigInt(elf.phnum)],
    [At.Pagesz, PAGE],
    [At.Base, interp?.bias ?? 0n],
    [At.Flags, 0n],
    [At.Entry, main.entry],
    [At.Uid, BigInt(req.uid)],
    [At.Euid, BigInt(req.uid)],
    [At.Gid, BigInt(req.gid)],
    [At.Egid, BigInt(req.gid)],
    [At.Hwcap, req.hwcap],
    [At.Clktck, 100n],
    [At.Random, random],
    [At.Secure, 0n],
    [At.Execfn, execfn],
    ...(vdso === undefined ? [] : [[At.SysinfoEhdr, vdso.bias] as [number, bigint]]),
    [At.Null, 0n],
  ]
  const words = 1 + argAddrs.length + 1 + envAddrs.length + 1 + auxv.length * 2
  p = (p - BigInt(words * 8)) & ~15n
  const buf = new DataView(new ArrayBuffer(words * 8))
  let w = 0
  const put = (v: bigint) => {
    buf.setBigUint64(w, v, true)
    w += 8
  }
  put(BigInt(req.argv.length))
  for (const a of argAddrs) put(a)
  put(0n)
  for (const e of envAddrs) put(e)
  put(0n)
  for (const [k, v] of auxv) {
    put(BigInt(k))
    put(v)
  }
  mm.write(p, new Uint8Array(buf.buffer))
  return p
}
