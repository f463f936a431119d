/**
 * How a system call waits. A handler that cannot complete now returns a
 * `Block`: the thread sleeps until `ready()` holds (polled by the scheduler
 * after other threads ran) or the deadline passes, then `finish()` computes
 * the result, which may be another Block. Deterministic: no host callbacks.
 */
import type { SyscallResult } from './syscall-types.js'

export class Block<T = SyscallResult> {
  constructor(
    /** True once the call can complete. */
    readonly ready: () => boolean,
    /** Completes the call; runs only after `ready()` or the deadline. */
    readonly finish: (timedOut: boolean) => T | Block<T>,
    /** Host time (ms, performance.now()) after which `finish(true)` runs anyway. */
    readonly deadline?: number,
    /** Whether a signal interrupts the wait (EINTR or restart). */
    readonly interruptible = true,
    /** Whether SA_RESTART handlers restart the call after a signal (read/write/wait yes; sleeps no). */
    readonly restartable = true,
  ) {}

  /**
   * Called when the wait ends without `finish()`: a signal interrupted it or
   * the thread died. Undoes what the call registered (a futex waiter) or
   * reports partial progress (nanosleep's remaining time); the call then
   * returns -EINTR or restarts, as the scheduler decides.
   */
  cancel?: (() => void) | undefined

  /** Set `cancel` (chainable). */
  onCancel(f: () => void): this {
    this.cancel = f
    return this
  }

  /** The same wait, with its eventual result transformed by `f`. */
  map<U>(f: (r: T) => U | Block<U>): Block<U> {
    const b = new Block<U>(
      this.ready,
      (timedOut) => {
        const r = this.finish(timedOut)
        return r instanceof Block ? r.map(f) : f(r)
      },
      this.deadline,
      this.interruptible,
      this.restartable,
    )
    b.cancel = this.cancel
    return b
  }
}

/** Apply `f` to a result now, or when the wait ends. */
export function andThen<T, U>(r: T | Block<T>, f: (r: T) => U | Block<U>): U | Block<U> {
  return r instanceof Block ? r.map(f) : f(r)
}
