/**
 * How the emulator lets instrumentation (the plugin runtime) see and
 * change execution: translated blocks pass through `instrument`, and the
 * emulator reports vCPU life cycle, system calls, discontinuities and
 * quiescent points. Defined here, below the emulators, so that they
 * depend on no plugin code.
 */
import type { IrBlock } from '../ir/ir.js'
import type { Cpu } from './cpu.js'

/** Discontinuity kinds, as the plugin API numbers them. */
export const enum Discon {
  Interrupt = 1,
  Exception = 2,
  HostCall = 4,
}

export interface Instrumentation {
  /** False when nothing is installed: the emulator may skip its calls. */
  readonly active: boolean
  /** A block `cpu` just translated, returned with instrumentation ops added. */
  instrument(tb: IrBlock, cpu: Cpu): IrBlock
  /** A vCPU was created (assigns `cpu.vcpuIndex`) / ends. */
  vcpuInit(cpu: Cpu): void
  vcpuExit(cpu: Cpu): void
  /** The vCPU has nothing to run / runs again. */
  idle(cpu: Cpu): void
  resume(cpu: Cpu): void
  /**
   * Before system call `num` (signed, as a7 holds it) with its eight argument registers; `pc` is the
   * PC the call returns to. Returns what filters decided: a result that
   * replaces the call, and/or a PC to continue at (the call is then skipped).
   */
  syscall(
    cpu: Cpu,
    pc: bigint,
    num: bigint,
    args: readonly bigint[],
  ): { result: bigint | undefined; redirect: bigint | undefined } | undefined
  /** A system call returned `ret` (signed: -errno for errors). */
  syscallRet(cpu: Cpu, pc: bigint, num: bigint, ret: bigint): void
  /** Control left the straight path: an exception or interrupt taken from `from` to `to`. */
  discon(cpu: Cpu, type: Discon, from: bigint, to: bigint): void
  /** No vCPU executes now: settle deferred work (the emulator reaches such points soon after requestQuiescence). */
  quiescent(): void
  /** The emulator dropped translations. */
  flushed(): void
  /** The guest has ended. */
  exit(): void
}
