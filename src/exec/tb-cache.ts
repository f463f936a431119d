/**
 * Translated blocks of one address space, keyed by guest PC, each with the
 * function its backend prepared for it, and indexed by page so that
 * unmapping or remapping a range drops exactly the blocks translated from
 * it (a block never extends past the page it starts in, except for an
 * instruction crossing into the next one, which is indexed under both).
 *
 * User mode invalidates ranges on munmap/mprotect/mmap/mremap over mapped
 * pages and flushes everything on fence.i, the flush-icache system call and
 * execve.
 */
import type { Backend, BlockChain, ExecFn } from '../backend/backend.js'
import { PAGE_SHIFT } from '../core/types.js'
import type { IrBlock } from '../ir/ir.js'

export interface TbEntry {
  readonly ir: IrBlock
  readonly run: ExecFn
  /** False once invalidated: chained links to it must not be followed. */
  valid: boolean
  /** The blocks this one last continued to (see cpu-loop.ts). */
  link0?: TbEntry | undefined
  link1?: TbEntry | undefined
}

export class TbCache {
  private map = new Map<number, TbEntry>()
  /** Page number → PCs of the blocks with code in that page. */
  private pages = new Map<number, Set<number>>()
  /** Number of flushes and invalidated blocks, for statistics. */
  flushes = 0
  invalidated = 0
  /** Told after every flush (instrumentation's flush callbacks). */
  onFlush: (() => void) | undefined
  /** The backend's chain of these blocks, if it runs blocks one after another itself. */
  readonly chain: BlockChain | undefined

  constructor(readonly backend: Backend) {
    this.chain = backend.newChain?.()
  }

  get(pc: bigint): TbEntry | undefined {
    return this.map.get(Number(pc))
  }

  /** Prepare `ir` with the backend and cache it under its PC. */
  add(ir: IrBlock): TbEntry {
    const e: TbEntry = { ir, run: this.backend.prepare(ir), valid: true }
    const pc = Number(ir.pc)
    this.map.set(pc, e)
    const first = Math.floor(pc / 2 ** PAGE_SHIFT)
    const last = Math.floor((pc + Math.max(ir.size, 1) - 1) / 2 ** PAGE_SHIFT)
    for (let p = first; p <= last; p++) {
      const set = this.pages.get(p)
      if (set === undefined) this.pages.set(p, new Set([pc]))
      else set.add(pc)
    }
    return e
  }

  /** Drop the blocks with code in [start, start+len). */
  invalidate(start: bigint, len: bigint): void {
    if (this.map.size === 0 || len <= 0n) return
    const first = Number(start >> BigInt(PAGE_SHIFT))
    const last = Number((start + len - 1n) >> BigInt(PAGE_SHIFT))
    if (last - first > this.pages.size) {
      for (const p of [...this.pages.keys()]) if (p >= first && p <= last) this.dropPage(p)
    } else {
      for (let p = first; p <= last; p++) this.dropPage(p)
    }
  }

  private dropPage(page: number): void {
    const set = this.pages.get(page)
    if (set === undefined) return
    this.pages.delete(page)
    for (const pc of set) {
      const e = this.map.get(pc)
      if (e === undefined) continue
      this.drop(pc, e)
    }
  }

  private drop(pc: number, e: TbEntry): void {
    e.valid = false
    this.map.delete(pc)
    this.chain?.drop(e.ir)
    this.invalidated++
  }

  /**
   * A store of up to 8 bytes at `addr` changes guest code: drop the blocks
   * whose bytes it overlaps (exactly those: others on the page stay).
   * Returns whether the page still holds blocks.
   */
  invalidateStore(addr: number): boolean {
    const page = Math.floor(addr / 2 ** PAGE_SHIFT)
    const set = this.pages.get(page)
    if (set === undefined) return false
    for (const pc of set) {
      const e = this.map.get(pc)
      if (e === undefined) {
        // Dropped through the other page it spans.
        set.delete(pc)
      } else if (pc < addr + 8 && addr < pc + Math.max(e.ir.size, 1)) {
        this.drop(pc, e)
        set.delete(pc)
      }
    }
    // A block crossing into this page from the previous one is indexed under both.
    if (set.size === 0) this.pages.delete(page)
    return set.size > 0
  }

  /** Drop every block. */
  flush(): void {
    if (this.map.size === 0) return
    for (const e of this.map.values()) e.valid = false
    this.map = new Map()
    this.pages = new Map()
    this.chain?.flush()
    this.flushes++
    this.onFlush?.()
  }

  /** The address space is gone: give the chain's storage back (the cache is unusable afterwards). */
  destroy(): void {
    this.chain?.release()
  }

  get size(): number {
    return this.map.size
  }
}
