/**
 * Translated blocks of one address space, keyed by guest PC.
 *
 * User mode flushes it whenever code may have changed (fence.i, the
 * flush-icache system call, munmap/mprotect/mmap over mapped pages, execve).
 */
import type { IrBlock } from '../ir/ir.js'

export class TbCache {
  private map = new Map<bigint, IrBlock>()
  /** Number of flushes, for statistics. */
  flushes = 0

  get(pc: bigint): IrBlock | undefined {
    return this.map.get(pc)
  }

  set(pc: bigint, tb: IrBlock): void {
    this.map.set(pc, tb)
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
