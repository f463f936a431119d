/**
 * The dispatch loop: find or translate the block at the PC, run it, repeat,
 * until an exception (including system calls) or the instruction budget
 * runs out. Target-neutral: translation comes from a `Translator`.
 *
 * Blocks are chained: each entry remembers the entries it last continued
 * to (one per exit PC seen, two at most), so hot loops skip the cache
 * lookup. A link is followed only while its target is still valid. A
 * backend with its own chain (BlockChain) runs from a block it compiled
 * until it reaches one it did not; the loop then carries on here.
 */
import { ExitKind } from '../backend/backend.js'
import type { PagedMemory } from '../core/paged-memory.js'
import type { IrBlock } from '../ir/ir.js'
import type { Cpu } from './cpu.js'
import type { TbEntry } from './tb-cache.js'

export interface Translator {
  /** Translate the block at `pc` of `mem`, for `cpu` (whose context instrumentation may use). */
  translate(mem: PagedMemory, pc: bigint, cpu: Cpu): IrBlock
}

/** Observers for `-d in_asm`, `-d exec`, `-d cpu`; absent ones cost nothing. */
export interface LoopHooks {
  onTranslate?(tb: IrBlock, cpu: Cpu): void
  onExec?(tb: IrBlock, cpu: Cpu): void
}

export const enum LoopExit {
  /** The budget ran out; `cpu.pc` is where to continue. */
  Budget = 0,
  /** An exception is pending in `cpu.excCause`/`excTval` at `cpu.pc`. */
  Exception = 1,
}

function lookup(cpu: Cpu, translator: Translator, hooks: LoopHooks): TbEntry {
  let tb = cpu.tbs.get(cpu.pc)
  if (tb === undefined) {
    tb = cpu.tbs.add(translator.translate(cpu.mem, cpu.pc, cpu))
    // Stores into these bytes from now on drop the block (self-modifying and generated code).
    cpu.mem.markCode(tb.ir.pc, tb.ir.size)
    hooks.onTranslate?.(tb.ir, cpu)
  }
  return tb
}

/** Run `cpu` for at least `budget` instructions (whole blocks) or until an exception. */
export function cpuLoop(cpu: Cpu, translator: Translator, budget: number, hooks: LoopHooks): LoopExit {
  // -d exec/cpu must see every block: no chaining then (as QEMU's nochain).
  const chain = hooks.onExec === undefined
  // A backend that runs its compiled blocks one after another itself takes over from them.
  const direct = chain ? cpu.tbs.chain : undefined
  let tb = lookup(cpu, translator, hooks)
  for (;;) {
    hooks.onExec?.(tb.ir, cpu)
    const exit = direct?.enter(tb.ir, cpu) === true ? direct.run(cpu, budget) : tb.run(cpu)
    if (exit === ExitKind.Exception) {
      // The faulting (or trapping) instruction did not retire.
      cpu.retired += cpu.blockInsns - 1
      cpu.blockInsns = 0
      return LoopExit.Exception
    }
    cpu.retired += cpu.blockInsns
    budget -= cpu.blockInsns
    cpu.blockInsns = 0
    if (budget <= 0 || cpu.exitRequest) return LoopExit.Budget
    const pc = cpu.pc
    let next: TbEntry | undefined
    if (chain) {
      if (tb.link0 !== undefined && tb.link0.ir.pc === pc && tb.link0.valid) next = tb.link0
      else if (tb.link1 !== undefined && tb.link1.ir.pc === pc && tb.link1.valid) next = tb.link1
    }
    if (next === undefined) {
      next = lookup(cpu, translator, hooks)
      if (chain) {
        // Keep the most recent two successors.
        tb.link1 = tb.link0
        tb.link0 = next
      }
    }
    tb = next
  }
}
