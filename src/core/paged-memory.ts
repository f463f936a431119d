/**
 * A guest virtual address space made of 4 KiB pages, each backed by a frame
 * of the engine's arena, with per-page permissions.
 *
 * Used by user mode (one per guest process) as its whole memory, and by the
 * backends for every guest load, store and instruction fetch. Frames are
 * allocated on first write (untouched pages share the zero frame), and
 * `fork()` shares frames copy-on-write.
 *
 * Page table: two levels of Int32Array covering `ADDR_BITS` of address;
 * an entry is `frame << 6 | flags`.
 *
 * Software TLB: for the wasm backend, which reaches guest RAM without
 * calling back into JavaScript, an address space can hold two
 * direct-mapped tables in the arena (`tlbOffset`, allocated on first use):
 * reads at offset 0, writes at `TLB_WRITE_OFFSET`, `TLB_ENTRIES` entries of
 * `TLB_ENTRY_BYTES` each: the page number as a 64-bit tag (all ones: empty)
 * and the host byte offset of its frame as a 32-bit word at byte 8. The
 * slow path fills entries (`tlbFill`); every page-table change drops the
 * entry of that page, so a hit is always what `translate` would return.
 * Pages still to be copied on write never enter the write table.
 */
import type { Arena } from './arena.js'
import { Access, MemFault } from './errors.js'
import { PAGE_SHIFT, PAGE_SIZE } from './types.js'

/** Guest virtual address bits covered by the page table. */
export const ADDR_BITS = 40
export const ADDR_LIMIT = 1n << BigInt(ADDR_BITS)
const ADDR_LIMIT_N = 2 ** ADDR_BITS
const L2_BITS = 14
const L2_SIZE = 1 << L2_BITS
const L1_SIZE = 1 << (ADDR_BITS - PAGE_SHIFT - L2_BITS)

/** Page protection bits, numerically equal to Linux PROT_READ/WRITE/EXEC. */
export const enum Prot {
  None = 0,
  R = 1,
  W = 2,
  X = 4,
  RW = 3,
  RX = 5,
  RWX = 7,
}

const MAPPED = 8
/** Frame shared with another address space (or the zero frame): copy before writing. */
const COW = 16
/** MAP_SHARED: forks keep writing to the same frame. */
const SHARED = 32
/** The page holds translated code: writes to it are reported (`onCodeWrite`) and bypass the write TLB. */
const CODE = 64
const FLAG_BITS = 7
const PROT_MASK = 7

/** Entries of each software TLB (a power of two: indexed by the low page-number bits). */
export const TLB_ENTRIES = 8192
/** Bytes per TLB entry: 8-byte tag, 4-byte frame offset, padding. */
export const TLB_ENTRY_BYTES = 16
/** Offset of the write TLB from the read TLB. */
export const TLB_WRITE_OFFSET = TLB_ENTRIES * TLB_ENTRY_BYTES
const TLB_BYTES = 2 * TLB_WRITE_OFFSET

/** TLB areas given back by destroyed address spaces, per arena (arena areas are never freed). */
const tlbPool = new WeakMap<Arena, number[]>()

export class PagedMemory {
  private readonly l1: (Int32Array | undefined)[] = new Array(L1_SIZE)
  /** Number of mapped pages per level-2 table, to skip empty regions fast. */
  private readonly l1Count = new Int32Array(L1_SIZE)
  private dv: DataView
  private u8: Uint8Array
  private readonly unsubscribe: () => void
  /** Byte offset of the software TLB in the arena; -1 until first asked for. */
  private tlb = -1

  constructor(readonly arena: Arena) {
    this.dv = arena.dv
    this.u8 = arena.u8
    this.unsubscribe = arena.onGrow(() => {
      this.dv = arena.dv
      this.u8 = arena.u8
    })
  }

  // ---- page table -------------------------------------------------------

  private entry(page: number): number {
    const t = this.l1[page >>> L2_BITS]
    return t === undefined ? 0 : t[page & (L2_SIZE - 1)]!
  }

  private setEntry(page: number, e: number): void {
    const hi = page >>> L2_BITS
    let t = this.l1[hi]
    if (t === undefined) {
      if (e === 0) return
      t = this.l1[hi] = new Int32Array(L2_SIZE)
    }
    const old = t[page & (L2_SIZE - 1)]!
    if ((old & MAPPED) !== (e & MAPPED)) this.l1Count[hi]! += e & MAPPED ? 1 : -1
    t[page & (L2_SIZE - 1)] = e
    if (this.tlb >= 0) this.tlbDrop(page)
  }

  // ---- translated code ----------------------------------------------------

  /**
   * Told when a guest store (or a system call writing guest memory) is
   * about to change a byte of a page marked as holding translated code,
   * with the byte's address; it drops the affected translations and calls
   * `unmarkCode` once the page has none left.
   */
  onCodeWrite: ((addr: number) => void) | undefined

  /** Mark the pages of [addr, addr+len) as holding translated code (self-modifying code is then detected). */
  markCode(addr: bigint, len: number): void {
    const first = Number(addr >> 12n)
    const last = Number((addr + BigInt(Math.max(len, 1)) - 1n) >> 12n)
    for (let p = first; p <= last; p++) {
      const e = this.entry(p)
      // setEntry also drops the page from the TLBs, so stores to it take the slow path.
      if (e & MAPPED && !(e & CODE)) this.setEntry(p, e | CODE)
    }
  }

  /** The page holding `addr` has no translations left. */
  unmarkCode(addr: number): void {
    const page = Math.floor(addr / PAGE_SIZE)
    const e = this.entry(page)
    if (e & CODE) this.setEntry(page, e & ~CODE)
  }

  // ---- software TLB -----------------------------------------------------

  /** Byte offset of this address space's TLB in the arena (allocated, empty, on first use). */
  get tlbOffset(): number {
    if (this.tlb < 0) {
      this.tlb = tlbPool.get(this.arena)?.pop() ?? this.arena.allocContiguous(TLB_BYTES)
      this.refreshViews()
      this.tlbFlush()
    }
    return this.tlb
  }

  /** Empty both tables. */
  private tlbFlush(): void {
    this.u8.fill(0xff, this.tlb, this.tlb + TLB_BYTES)
  }

  /** Drop the entries that may hold `page`. */
  private tlbDrop(page: number): void {
    const at = this.tlb + (page & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES
    this.dv.setInt32(at, -1, true)
    this.dv.setInt32(at + 4, -1, true)
    this.dv.setInt32(at + TLB_WRITE_OFFSET, -1, true)
    this.dv.setInt32(at + TLB_WRITE_OFFSET + 4, -1, true)
  }

  /**
   * Enter the page holding `addr` in the read or write TLB if that access is
   * permitted there without work (for writes: the frame is not shared
   * copy-on-write). Called by the wasm backend after a slow-path access.
   */
  tlbFill(addr: number, access: Access.Read | Access.Write): void {
    const page = Math.floor(addr / PAGE_SIZE)
    const e = this.entry(page)
    if (!(e & MAPPED) || (e & access) !== access || (access === Access.Write && e & (COW | CODE))) return
    const tlb = this.tlbOffset
    const at =
      tlb + (access === Access.Write ? TLB_WRITE_OFFSET : 0) + (page & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES
    this.dv.setInt32(at, page, true)
    this.dv.setInt32(at + 4, 0, true)
    this.dv.setInt32(at + 8, (e >>> FLAG_BITS) << PAGE_SHIFT, true)
  }

  private static pageRange(addr: bigint, len: bigint): [number, number] {
    if (addr < 0n || len < 0n || addr + len > ADDR_LIMIT)
      throw new RangeError('address range outside the address space')
    const first = Number(addr >> 12n)
    const end = Number((addr + len + BigInt(PAGE_SIZE - 1)) >> 12n)
    return [first, end]
  }

  private dropPage(page: number): void {
    const e = this.entry(page)
    if (e & MAPPED) this.arena.release(e >>> FLAG_BITS)
    this.setEntry(page, 0)
  }

  /** Map fresh zero-filled pages over [addr, addr+len), replacing what was there. */
  map(addr: bigint, len: bigint, prot: Prot, shared = false): void {
    const [first, end] = PagedMemory.pageRange(addr, len)
    for (let p = first; p < end; p++) {
      this.dropPage(p)
      if (shared) {
        // Shared pages need their own frame now: forks must see the same one.
        this.setEntry(p, (this.arena.allocFrame() << FLAG_BITS) | MAPPED | SHARED | prot)
      } else {
        this.setEntry(p, MAPPED | COW | prot)
      }
    }
  }

  /** Unmap [addr, addr+len); unmapped pages in the range are ignored (as munmap). */
  unmap(addr: bigint, len: bigint): void {
    const [first, end] = PagedMemory.pageRange(addr, len)
    for (let p = first; p < end; p++) this.dropPage(p)
  }

  /** Change permissions; returns false (and changes nothing) if a page in the range is unmapped. */
  protect(addr: bigint, len: bigint, prot: Prot): boolean {
    const [first, end] = PagedMemory.pageRange(addr, len)
    for (let p = first; p < end; p++) if (!(this.entry(p) & MAPPED)) return false
    for (let p = first; p < end; p++) this.setEntry(p, (this.entry(p) & ~PROT_MASK) | prot)
    return true
  }

  /** Protection of the page holding `addr`, or undefined if unmapped. */
  protOf(addr: bigint): Prot | undefined {
    if (addr < 0n || addr >= ADDR_LIMIT) return undefined
    const e = this.entry(Number(addr >> 12n))
    return e & MAPPED ? ((e & PROT_MASK) as Prot) : undefined
  }

  /** True if every page of the range is mapped. */
  isMapped(addr: bigint, len: bigint): boolean {
    const [first, end] = PagedMemory.pageRange(addr, len)
    for (let p = first; p < end; p++) if (!(this.entry(p) & MAPPED)) return false
    return true
  }

  /** True if no page of the range is mapped. */
  isFree(addr: bigint, len: bigint): boolean {
    if (addr < 0n || addr + len > ADDR_LIMIT) return false
    const [first, end] = PagedMemory.pageRange(addr, len)
    for (let p = first; p < end; ) {
      if (this.l1Count[p >>> L2_BITS] === 0) {
        p = ((p >>> L2_BITS) + 1) << L2_BITS
        continue
      }
      if (this.entry(p) & MAPPED) return false
      p++
    }
    return true
  }

  /**
   * Lowest free, page-aligned range of `len` bytes at or above `from` and
   * below `limit`; undefined if none.
   */
  findFree(len: bigint, from: bigint, limit: bigint = ADDR_LIMIT): bigint | undefined {
    const pages = Number((len + BigInt(PAGE_SIZE - 1)) >> 12n)
    let p = Number(from >> 12n)
    const endPage = Number(limit >> 12n)
    let run = 0
    let start = p
    while (p < endPage) {
      if (this.l1Count[p >>> L2_BITS] === 0) {
        const next = ((p >>> L2_BITS) + 1) << L2_BITS
        run += next - p
        p = next
      } else if (this.entry(p) & MAPPED) {
        p++
        run = 0
        start = p
        continue
      } else {
        run++
        p++
      }
      if (run >= pages) return BigInt(start) << 12n
    }
    return undefined
  }

  /**
   * Move the pages of [from, from+len) to [to, to+len) (mremap); the
   * destination range must have been unmapped by the caller.
   */
  move(from: bigint, to: bigint, len: bigint): void {
    const [f0, f1] = PagedMemory.pageRange(from, len)
    const t0 = Number(to >> 12n)
    const entries: number[] = []
    for (let p = f0; p < f1; p++) {
      entries.push(this.entry(p))
      this.setEntry(p, 0)
    }
    for (let i = 0; i < entries.length; i++) this.setEntry(t0 + i, entries[i]!)
  }

  /** A copy-on-write clone of this address space (fork). */
  fork(): PagedMemory {
    const child = new PagedMemory(this.arena)
    for (let hi = 0; hi < L1_SIZE; hi++) {
      const t = this.l1[hi]
      if (t === undefined || this.l1Count[hi] === 0) continue
      const ct = new Int32Array(L2_SIZE)
      for (let i = 0; i < L2_SIZE; i++) {
        let e = t[i]!
        if (!(e & MAPPED)) continue
        this.arena.retain(e >>> FLAG_BITS)
        if (!(e & SHARED)) {
          e |= COW
          t[i] = e
        }
        ct[i] = e
      }
      child.l1[hi] = ct
      child.l1Count[hi] = this.l1Count[hi]!
    }
    // Private pages just became copy-on-write: they must leave the write TLB.
    if (this.tlb >= 0) this.tlbFlush()
    return child
  }

  /** Release every frame (process exit or execve); the address space is unusable afterwards. */
  destroy(): void {
    this.unsubscribe()
    if (this.tlb >= 0) {
      const pool = tlbPool.get(this.arena)
      if (pool === undefined) tlbPool.set(this.arena, [this.tlb])
      else pool.push(this.tlb)
      this.tlb = -1
    }
    for (let hi = 0; hi < L1_SIZE; hi++) {
      const t = this.l1[hi]
      if (t === undefined) continue
      for (let i = 0; i < L2_SIZE; i++) if (t[i]! & MAPPED) this.arena.release(t[i]! >>> FLAG_BITS)
      this.l1[hi] = undefined
      this.l1Count[hi] = 0
    }
  }

  /** Every mapped page as [page number, prot], in address order (for /proc/self/maps). */
  *mappedPages(): Generator<[number, Prot]> {
    for (let hi = 0; hi < L1_SIZE; hi++) {
      const t = this.l1[hi]
      if (t === undefined || this.l1Count[hi] === 0) continue
      for (let i = 0; i < L2_SIZE; i++)
        if (t[i]! & MAPPED) yield [(hi << L2_BITS) | i, (t[i]! & PROT_MASK) as Prot]
    }
  }

  // ---- translation ------------------------------------------------------

  /**
   * Host offset of `addr` for an access of kind `access` that stays within
   * one page; throws MemFault when the page is unmapped or not permitted.
   * Performs copy-on-write for writes.
   */
  translate(addr: number, access: Access): number {
    const page = Math.floor(addr / PAGE_SIZE)
    const t = this.l1[page >>> L2_BITS]
    let e = t === undefined ? 0 : t[page & (L2_SIZE - 1)]!
    if ((e & access) !== access || !(e & MAPPED)) throw new MemFault(access, BigInt(addr), (e & MAPPED) !== 0)
    if (access === Access.Write && e & CODE) {
      // A store into translated code: its translations go (the write itself proceeds).
      this.onCodeWrite?.(addr)
      e = this.entry(page)
    }
    if (access === Access.Write && e & COW)
      return (this.unshare(page, e) << PAGE_SHIFT) + (addr & (PAGE_SIZE - 1))
    return ((e >>> FLAG_BITS) << PAGE_SHIFT) + (addr & (PAGE_SIZE - 1))
  }

  private unshare(page: number, e: number): number {
    const old = e >>> FLAG_BITS
    let frame = old
    if (old === 0 || this.arena.refCount(old) > 1) {
      frame = this.arena.allocFrame()
      if (old !== 0) this.arena.u8.copyWithin(frame << PAGE_SHIFT, old << PAGE_SHIFT, (old + 1) << PAGE_SHIFT)
      this.arena.release(old)
      this.refreshViews()
    }
    this.setEntry(page, (frame << FLAG_BITS) | (e & (PROT_MASK | MAPPED | SHARED | CODE)))
    return frame
  }

  private refreshViews(): void {
    this.dv = this.arena.dv
    this.u8 = this.arena.u8
  }

  private static toNumber(addr: bigint, access: Access): number {
    if (addr >= ADDR_LIMIT || addr < 0n) throw new MemFault(access, addr, false)
    return Number(addr)
  }

  /** Load `size` (1, 2, 4, 8) bytes little-endian, zero-extended. */
  load(addr: bigint, size: number): bigint {
    const a = PagedMemory.toNumber(addr, Access.Read)
    if ((a & (PAGE_SIZE - 1)) + size > PAGE_SIZE) return this.loadSlow(a, size, Access.Read)
    const h = this.translate(a, Access.Read)
    switch (size) {
      case 1:
        return BigInt(this.u8[h]!)
      case 2:
        return BigInt(this.dv.getUint16(h, true))
      case 4:
        return BigInt(this.dv.getUint32(h, true))
      default:
        return this.dv.getBigUint64(h, true)
    }
  }

  private loadSlow(a: number, size: number, access: Access): bigint {
    // Check both pages before reading so that a fault leaves nothing half done.
    this.translate(a, access)
    this.translate(a + size - 1, access)
    let v = 0n
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.u8[this.translate(a + i, access)]!)
    return v
  }

  /** Store the low `size` bytes of `value` little-endian. */
  store(addr: bigint, size: number, value: bigint): void {
    const a = PagedMemory.toNumber(addr, Access.Write)
    if ((a & (PAGE_SIZE - 1)) + size > PAGE_SIZE) {
      this.translate(a, Access.Write)
      this.translate(a + size - 1, Access.Write)
      for (let i = 0; i < size; i++)
        this.u8[this.translate(a + i, Access.Write)] = Number((value >> BigInt(8 * i)) & 0xffn)
      return
    }
    const h = this.translate(a, Access.Write)
    switch (size) {
      case 1:
        this.u8[h] = Number(value & 0xffn)
        break
      case 2:
        this.dv.setUint16(h, Number(value & 0xffffn), true)
        break
      case 4:
        this.dv.setUint32(h, Number(value & 0xffffffffn), true)
        break
      default:
        this.dv.setBigUint64(h, BigInt.asUintN(64, value), true)
    }
  }

  /** Fetch a 16-bit instruction parcel (needs execute permission). */
  fetch16(addr: bigint): number {
    const a = PagedMemory.toNumber(addr, Access.Exec)
    return this.dv.getUint16(this.translate(a, Access.Exec), true)
  }

  // ---- bulk access (system calls, loaders) ------------------------------

  /** Copy `len` guest bytes out; faults like a guest read (the caller maps it to EFAULT). */
  read(addr: bigint, len: number, access: Access = Access.Read): Uint8Array {
    const out = new Uint8Array(len)
    let a = PagedMemory.toNumber(addr, access)
    let done = 0
    while (done < len) {
      const n = Math.min(len - done, PAGE_SIZE - (a & (PAGE_SIZE - 1)))
      const h = this.translate(a, access)
      out.set(this.u8.subarray(h, h + n), done)
      done += n
      a += n
    }
    return out
  }

  /** Copy bytes in; `force` ignores write protection (loaders filling read-only segments). */
  write(addr: bigint, data: Uint8Array, force = false): void {
    let a = PagedMemory.toNumber(addr, Access.Write)
    if (a + data.length > ADDR_LIMIT_N) throw new MemFault(Access.Write, addr, false)
    let done = 0
    while (done < data.length) {
      const n = Math.min(data.length - done, PAGE_SIZE - (a & (PAGE_SIZE - 1)))
      let h: number
      if (force) {
        const page = Math.floor(a / PAGE_SIZE)
        const e = this.entry(page)
        if (!(e & MAPPED)) throw new MemFault(Access.Write, BigInt(a), false)
        h = e & COW ? this.unshare(page, e) << PAGE_SHIFT : (e >>> FLAG_BITS) << PAGE_SHIFT
        h += a & (PAGE_SIZE - 1)
      } else {
        h = this.translate(a, Access.Write)
      }
      this.u8.set(data.subarray(done, done + n), h)
      done += n
      a += n
    }
  }

  /** Read a NUL-terminated string (without the NUL), at most `max` bytes. */
  readCString(addr: bigint, max = 1 << 20): Uint8Array {
    const chunks: Uint8Array[] = []
    let a = PagedMemory.toNumber(addr, Access.Read)
    let total = 0
    while (total < max) {
      const h = this.translate(a, Access.Read)
      const n = PAGE_SIZE - (a & (PAGE_SIZE - 1))
      const slice = this.u8.subarray(h, h + n)
      const z = slice.indexOf(0)
      if (z >= 0) {
        chunks.push(slice.slice(0, z))
        total += z
        break
      }
      chunks.push(slice.slice())
      total += n
      a += n
    }
    if (chunks.length === 1) return chunks[0]!
    const out = new Uint8Array(total)
    let o = 0
    for (const c of chunks) {
      out.set(c, o)
      o += c.length
    }
    return out
  }

  /** Fill [addr, addr+len) with zeros (e.g. the BSS part of a segment), ignoring write protection. */
  zero(addr: bigint, len: number): void {
    this.write(addr, new Uint8Array(len), true)
  }
}
