/**
 * The dispatch loop: find or translate the block at the PC, run it, repeat,
 * until an exception (including system calls) or the instruction budget
 * runs out. Target-neutral: translation comes from a `Translator`.
 */
import { ExitKind } from '../backend/backend.js'
import type { PagedMemory } from '../core/paged-memory.js'
import type { IrBlock } from '../ir/ir.js'
import type { Cpu } from './cpu.js'

export interface Translator {
  translate(mem: PagedMemory, pc: bigint): IrBlock
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

/** Run `cpu` for at least `budget` instructions (whole blocks) or until an exception. */
export function cpuLoop(cpu: Cpu, translator: Translator, budget: number, hooks: LoopHooks): LoopExit {
  while (budget > 0) {
    let tb = cpu.tbs.get(cpu.pc)
    if (tb === undefined) {
      tb = cpu.tbs.add(translator.translate(cpu.mem, cpu.pc))
      hooks.onTranslate?.(tb.ir, cpu)
    }
    hooks.onExec?.(tb.ir, cpu)
    const exit = tb.run(cpu)
    if (exit === ExitKind.Exception) {
      // The faulting (or trapping) instruction did not retire.
      cpu.retired += BigInt(cpu.blockInsns - 1)
      cpu.blockInsns = 0
      return LoopExit.Exception
    }
    cpu.retired += BigInt(cpu.blockInsns)
    budget -= cpu.blockInsns
    cpu.blockInsns = 0
  }
  return LoopExit.Budget
}
