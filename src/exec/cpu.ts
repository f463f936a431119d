/**
 * A virtual CPU as the execution engine sees it: register slots in the
 * arena, the PC, the address space it runs in, and exit information.
 * Target-neutral: the slot count and meaning come from the target.
 */

import { type ExecState, FRAME_EXIT_REQUEST } from '../backend/backend.js'
import type { Arena } from '../core/arena.js'
import type { PagedMemory } from '../core/paged-memory.js'
import { PAGE_SHIFT } from '../core/types.js'
import type { Cell } from '../ir/ir.js'
import type { TbCache } from './tb-cache.js'

export class Cpu implements ExecState {
  regs: BigUint64Array
  pc = 0n
  excCause = 0
  excTval = 0n
  excPermission = false
  blockInsns = 0
  pinnedNow: number | undefined = undefined
  /** Instructions retired before the current block (a number: exact up to 2^53, and cheap to count). */
  retired = 0
  /** Byte offset of the register slots in the arena's memory (where the wasm backend reaches them). */
  readonly regsOffset: number
  /** This CPU's index among the live vCPUs (plugins' vcpu_index; set by whoever schedules CPUs). */
  vcpuIndex = 0
  private bytes: DataView
  private readonly frame: number
  private readonly unsubscribe: () => void

  constructor(
    readonly arena: Arena,
    readonly slots: number,
    public mem: PagedMemory,
    /** Translations of `mem`; shared by every CPU running in that address space. */
    public tbs: TbCache,
  ) {
    if (slots * 8 > FRAME_EXIT_REQUEST) throw new Error(`${slots} register slots do not fit a frame`)
    this.frame = arena.allocFrame()
    this.regsOffset = this.frame << PAGE_SHIFT
    this.regs = this.view()
    this.bytes = new DataView(arena.memory.buffer)
    this.exitRequest = false
    this.unsubscribe = arena.onGrow(() => {
      this.regs = this.view()
      this.bytes = new DataView(arena.memory.buffer)
    })
  }

  private view(): BigUint64Array {
    return new BigUint64Array(this.arena.memory.buffer, this.frame << PAGE_SHIFT, this.slots)
  }

  /**
   * Set to make the dispatch loop return after the current block (e.g.
   * plugin work waiting for quiescence). Kept in the register frame, where
   * engines running chains of blocks see it.
   */
  get exitRequest(): boolean {
    return this.bytes.getInt32(this.regsOffset + FRAME_EXIT_REQUEST, true) !== 0
  }

  set exitRequest(on: boolean) {
    this.bytes.setInt32(this.regsOffset + FRAME_EXIT_REQUEST, on ? 1 : 0, true)
  }

  instret(): bigint {
    return BigInt(this.retired + this.blockInsns)
  }

  now(): number {
    return this.pinnedNow ?? performance.now()
  }

  private cellAddr(cell: Cell): number {
    return this.bytes.getUint32(cell.base, true) + this.vcpuIndex * cell.stride + cell.offset
  }

  cellGet(cell: Cell): bigint {
    return this.bytes.getBigUint64(this.cellAddr(cell), true)
  }

  cellSet(cell: Cell, value: bigint): void {
    this.bytes.setBigUint64(this.cellAddr(cell), value, true)
  }

  flushCode(): void {
    this.tbs.flush()
  }

  /** Copy registers and PC from another CPU (fork, clone). */
  copyFrom(other: Cpu): void {
    this.regs.set(other.regs)
    this.pc = other.pc
  }

  /** Give the register frame back to the arena (thread exit). */
  dispose(): void {
    this.unsubscribe()
    this.arena.release(this.frame)
  }
}
