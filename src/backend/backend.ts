/**
 * What every backend provides and what it needs from the running CPU.
 *
 * A backend turns a translated IR block into an `ExecFn` once (at
 * translation time); the dispatch loop calls that function every time the
 * block runs. Both backends share the exit protocol below and the op
 * definitions in `ops.ts`.
 */
import { Access, GuestTrap, MemFault } from '../core/errors.js'
import type { HelperContext, IrBlock } from '../ir/ir.js'

/** How a block was left. */
export const enum ExitKind {
  /** Continue at `state.pc`. */
  Jump = 0,
  /** Architectural exception: `state.excCause`, `state.excTval`, PC of the faulting instruction in `state.pc`. */
  Exception = 1,
}

/** What a backend needs from the running CPU, besides the helper context. */
export interface ExecState extends HelperContext {
  pc: bigint
  excCause: number
  excTval: bigint
  /** For memory faults: true if the page was mapped but the access not permitted. */
  excPermission: boolean
  /** Instructions of the current block started so far (set by the backend). */
  blockInsns: number
  /**
   * While defined, `now()` returns this instead of reading the host clock:
   * the lockstep engine pins the clock for a block so that its reference
   * and subject runs read the same time.
   */
  pinnedNow: number | undefined
}

export type ExecFn = (st: ExecState) => ExitKind

export interface Backend {
  /** `-accel` name. */
  readonly name: string
  /** Prepare a block for execution; called once per translation. */
  prepare(tb: IrBlock): ExecFn
  /** A new chain for one translation cache, if this backend can run its blocks one after another itself. */
  newChain?(): BlockChain
}

/**
 * Blocks of one translation cache that a backend runs one after another
 * without returning to the dispatch loop in between (the wasm backend's
 * dispatch loop inside wasm). The dispatch loop hands a block over with
 * `enter`; the chain then follows jumps for as long as the next block is
 * one it holds, the budget lasts and no exit is requested.
 */
export interface BlockChain {
  /**
   * Whether `tb` (prepared by this backend) can start a run now; if so it
   * is made reachable, so that `run` from its PC starts with it.
   */
  enter(tb: IrBlock, st: ExecState): boolean
  /**
   * Run from `st.pc` (a block just entered) for at least `budget`
   * instructions, whole blocks, until the next block is not in the chain,
   * an exception, or an exit request. Follows the block exit protocol as if
   * the blocks run were one: `st.blockInsns` counts every instruction
   * started, the faulting one included.
   */
  run(st: ExecState, budget: number): ExitKind
  /** `tb` was dropped from the translation cache. */
  drop(tb: IrBlock): void
  /** Every block was dropped. */
  flush(): void
  /** The translation cache is gone: give storage back. */
  release(): void
}

/**
 * Byte offset, within a CPU's register frame (a page of the arena, see
 * Cpu), of a 32-bit word that is non-zero while the CPU is asked to leave
 * its dispatch loop; chains check it between blocks.
 */
export const FRAME_EXIT_REQUEST = 4088

/** Memory-fault causes by access kind (RISC-V page-fault codes). */
const FAULT_CAUSE: Record<number, number> = { [Access.Read]: 13, [Access.Write]: 15, [Access.Exec]: 12 }

/**
 * Turn an error thrown while running a block into an exception exit at
 * `pc` (the faulting instruction). Errors that are not guest faults are
 * engine bugs and propagate.
 */
export function exitForError(st: ExecState, e: unknown, pc: bigint): ExitKind {
  st.pc = pc
  if (e instanceof MemFault) {
    st.excCause = FAULT_CAUSE[e.access]!
    st.excTval = e.addr
    st.excPermission = e.permission
    return ExitKind.Exception
  }
  if (e instanceof GuestTrap) {
    st.excCause = e.cause
    st.excTval = e.tval
    st.excPermission = false
    return ExitKind.Exception
  }
  throw e
}
