/**
 * Loads a RISC-V ELF program (and its PT_INTERP dynamic loader) into a fresh
 * address space and builds the initial stack: argc, argv, envp and the
 * auxiliary vector as the Linux kernel lays them out (fs/binfmt_elf.c).
 */
import type { PagedMemory } from '../core/paged-memory.js'
import { Prot } from '../core/paged-memory.js'
import { UserError } from '../core/errors.js'
import { PAGE_SIZE } from '../core/types.js'
import { ElfType, type ElfFile, type ElfSymbol, PFlag, PType, parseElf, readSymbols } from './elf.js'
import { MMAP_BASE, PIE_BASE, STACK_SIZE, STACK_TOP } from './layout.js'

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
  Platform = 15,
  Hwcap = 16,
  Clktck = 17,
  Secure = 23,
  Random = 25,
  Hwcap2 = 26,
  Execfn = 31,
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
  symbols: ElfSymbol[]
}

/** Map the PT_LOAD segments of `elf` at `bias` (ET_DYN) or at their addresses (ET_EXEC). */
export function mapImage(mm: PagedMemory, elf: ElfFile, bias: bigint): ImageInfo {
  const loads = elf.phdrs.filter((p) => p.type === PType.Load)
  let end = 0n
  const mapped = new Map<bigint, Prot>()
  for (const ph of loads) {
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
  const phdr = phdrSeg !== undefined ? phdrSeg.vaddr + bias : first.vaddr - BigInt(first.offset) + BigInt(elf.phoff) + bias
  return { bias, entry: elf.entry + bias, phdr, end, symbols: readSymbols(elf, bias) }
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
}

export interface LoadResult {
  entry: bigint
  sp: bigint
  brk: bigint
  main: ImageInfo
  interp?: ImageInfo
}

/** Load a program and its interpreter into `mm` (which must be empty) and build the initial stack. */
export function loadProgram(mm: PagedMemory, req: LoadRequest): LoadResult {
  const elf = parseElf(req.guestPath, req.image)
  let bias = 0n
  if (elf.type === ElfType.Dyn) {
    const { lo } = imageSpan(elf)
    bias = PIE_BASE - lo
  }
  const main = mapImage(mm, elf, bias)
  let interp: ImageInfo | undefined
  if (elf.interp !== undefined) {
    const { hostPath, bytes } = req.readInterp(elf.interp)
    const ie = parseElf(hostPath, bytes)
    if (ie.type !== ElfType.Dyn) throw new UserError(`${hostPath}: the dynamic loader must be position independent`)
    const { lo, hi } = imageSpan(ie)
    const at = mm.findFree(hi - lo, MMAP_BASE)
    if (at === undefined) throw new UserError(`${req.guestPath}: no room for the dynamic loader`)
    interp = mapImage(mm, ie, at - lo)
  }
  mm.map(STACK_TOP - STACK_SIZE, STACK_SIZE, Prot.RW)
  const sp = buildStack(mm, req, elf, main, interp)
  const result: LoadResult = { entry: interp?.entry ?? main.entry, sp, brk: pageUp(main.end), main }
  if (interp !== undefined) result.interp = interp
  return result
}

function buildStack(mm: PagedMemory, req: LoadRequest, elf: ElfFile, main: ImageInfo, interp?: ImageInfo): bigint {
  const enc = new TextEncoder()
  let p = STACK_TOP
  const pushBytes = (b: Uint8Array): bigint => {
    p -= BigInt(b.length)
    mm.write(p, b)
    return p
  }
  const pushString = (s: string): bigint => pushBytes(enc.encode(`${s}\0`))
  const execfn = pushString(req.guestPath)
  const envAddrs = req.envp.map(pushString)
  const argAddrs = req.argv.map(pushString)
  const platform = pushString('riscv64')
  p &= ~15n
  const random = pushBytes(req.random)
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
    [At.Secure, 0n],
    [At.Random, random],
    [At.Execfn, execfn],
    [At.Platform, platform],
    [At.Null, 0n],
  ]
  const words = 1 + argAddrs.length + 1 + envAddrs.length + 1 + auxv.length * 2
  p -= BigInt(words * 8)
  p &= ~15n
  const buf = new DataView(new ArrayBuffer(words * 8))
  let o = 0
  const put = (v: bigint) => {
    buf.setBigUint64(o, v, true)
    o += 8
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
