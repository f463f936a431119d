/**
 * Translated blocks of one address space, keyed by guest PC, each with the
 * function its backend prepared for it.
 *
 * User mode flushes it whenever code may have changed (fence.i, the
 * flush-icache system call, munmap/mprotect/mmap over mapped pages, execve).
 */
import type { Backend, ExecFn } from '../backend/backend.js'
import type { IrBlock } from '../ir/ir.js'

export interface TbEntry {
  readonly ir: IrBlock
  readonly run: ExecFn
}

export class TbCache {
  private map = new Map<number, TbEntry>()
  /** Number of flushes, for statistics. */
  flushes = 0

  constructor(readonly backend: Backend) {}

  get(pc: bigint): TbEntry | undefined {
    return this.map.get(Number(pc))
  }

  /** Prepare `ir` with the backend and cache it under its PC. */
  add(ir: IrBlock): TbEntry {
    const e = { ir, run: this.backend.prepare(ir) }
    this.map.set(Number(ir.pc), e)
    return e
  }

  flush(): void {
    if (this.map.size === 0) return
    this.map = new Map()
    this.flushes++
  }

  get size(): number {
    return this.map.size
  }
}
