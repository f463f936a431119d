/**
 * Tiering: a block runs in the interpreter until it has run `threshold`
 * times, then is compiled by the faster backend. Most start-up code runs
 * once or twice, and interpreting it costs less than compiling it.
 */
import type { Backend, ExecFn } from './backend.js'

export function tiered(cold: Backend, hot: Backend, threshold: number): Backend {
  return {
    name: hot.name,
    prepare: (tb) => {
      let runs = 0
      const slow = cold.prepare(tb)
      let fast: ExecFn | undefined
      return (st) => {
        if (fast !== undefined) return fast(st)
        if (++runs < threshold) return slow(st)
        fast = hot.prepare(tb)
        return fast(st)
      }
    },
  }
}
