/** Shared types of the system-call layer. */
import type { Block } from './block.js'

/**
 * A handler's result: the value for a0 (negative errno for errors, as the
 * raw syscall ABI has it), a Block to wait, or NO_RETURN when the call
 * replaced the thread's state itself (exit, execve, rt_sigreturn).
 */
export type SyscallResult = bigint | number | Block<bigint | number> | typeof NO_RETURN

export const NO_RETURN: unique symbol = Symbol('no-return')
