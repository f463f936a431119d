/**
 * Helpers the RISC-V semantics call for work that is not worth IR ops:
 * CSR access, fence.i, alignment checks. Each declares its effects.
 */
import { GuestTrap } from '../../../core/errors.js'
import { type Helper, HelperEffect } from '../../../ir/ir.js'
import { Cause, Csr, Slot } from '../cpu.js'

/** Trap with instruction-address-misaligned if a jump target is not 4-byte aligned (no C extension). */
export const helper_check_target: Helper = {
  name: 'check_target',
  effects: HelperEffect.Traps,
  fn: (_ctx, target) => {
    if ((target & 2n) !== 0n) throw new GuestTrap(Cause.InsnMisaligned, target)
    return undefined
  },
}

export const helper_fence_i: Helper = {
  name: 'fence_i',
  effects: HelperEffect.None,
  fn: (ctx) => {
    ctx.flushCode()
    return undefined
  },
}

/** CSR operation selector packed into the helper's first argument. */
export const enum CsrOp {
  Write = 0,
  Set = 1,
  Clear = 2,
}
/** Flags in the first argument: whether the instruction reads and/or writes the CSR (Zicsr side-effect rules). */
export const CSR_READ = 1 << 14
export const CSR_WRITE = 1 << 15

/** rdtime ticks per millisecond: 10 MHz, the timebase of QEMU's `virt` board. */
const TICKS_PER_MS = 10_000

/**
 * csrr{w,s,c}: arg a = csr | op << 12 | CSR_READ | CSR_WRITE, b = operand,
 * c = instruction bits (tval on an illegal access). Returns the old value.
 */
export const helper_csr: Helper = {
  name: 'csr',
  effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs | HelperEffect.Traps,
  fn: (ctx, packed, operand, bits) => {
    const p = Number(packed)
    const csr = p & 0xfff
    const op = ((p >> 12) & 3) as CsrOp
    const illegal = (): never => {
      throw new GuestTrap(Cause.IllegalInsn, bits)
    }
    let old: bigint
    const fcsr = ctx.regs[Slot.Fcsr]!
    switch (csr) {
      case Csr.Fflags:
        old = fcsr & 0x1fn
        break
      case Csr.Frm:
        old = (fcsr >> 5n) & 7n
        break
      case Csr.Fcsr:
        old = fcsr & 0xffn
        break
      case Csr.Cycle:
      case Csr.Instret:
        old = ctx.instret()
        break
      case Csr.Time:
        // Through the context's clock, which lockstep runs pin for a block.
        old = BigInt(Math.floor(ctx.now() * TICKS_PER_MS))
        break
      default:
        return illegal()
    }
    if (p & CSR_WRITE) {
      // Counters are read-only (cycle/time/instret: top two CSR bits 11).
      if (csr >> 10 === 3) illegal()
      const v = op === CsrOp.Write ? operand : op === CsrOp.Set ? old | operand : old & ~operand
      if (csr === Csr.Fflags) ctx.regs[Slot.Fcsr] = (fcsr & ~0x1fn) | (v & 0x1fn)
      else if (csr === Csr.Frm) ctx.regs[Slot.Fcsr] = (fcsr & 0x1fn) | ((v & 7n) << 5n)
      else ctx.regs[Slot.Fcsr] = v & 0xffn
    }
    return old
  },
}

/** Trap with `cause` (tval = address) unless addr & mask == 0. Args: addr, mask, cause. */
export const helper_check_align: Helper = {
  name: 'check_align',
  effects: HelperEffect.Traps,
  fn: (_ctx, addr, mask, cause) => {
    if ((addr & mask) !== 0n) throw new GuestTrap(Number(cause), addr)
    return undefined
  },
}
