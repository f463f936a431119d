/**
 * What a `trans_<insn>` function works with, and the `gen_*` building blocks
 * most of them are one line over.
 *
 * A trans function receives the decoded operands, checks its guards first,
 * and returns false (emitting nothing) when the encoding is illegal in the
 * current configuration. Register writes come after the instruction's last
 * op that may fault, so that a fault leaves the state precise.
 */
import type { IrBuilder } from '../../../ir/builder.js'
import { type BinOp, Op, type Temp, type UnOp } from '../../../ir/ir.js'
import { Cause, Slot } from '../cpu.js'
import type { Args, Ext } from '../decode/table.js'

export interface TransCtx {
  readonly b: IrBuilder
  /** Address of this instruction. */
  readonly pc: bigint
  /** Address of the next instruction (pc + length). */
  readonly next: bigint
  /** Raw instruction bits (tval of an illegal-instruction trap). */
  readonly bits: number
  readonly exts: ReadonlySet<Ext>
  /** Set when the instruction emitted a block terminator. */
  ended: boolean
}

export type TransFn = (t: TransCtx, a: Args) => boolean

/** Value of integer register r (x0 reads as zero). */
export const gen_rx = (t: TransCtx, r: number): Temp => (r === 0 ? t.b.const(0n) : t.b.getReg(Slot.X0 + r))

/** Write integer register r (writes to x0 are discarded). */
export const gen_wx = (t: TransCtx, r: number, v: Temp): void => {
  if (r !== 0) t.b.setReg(Slot.X0 + r, v)
}

export const gen_imm = (t: TransCtx, v: number | bigint): Temp => t.b.const(BigInt(v))

/** rd = rs1 op rs2 */
export const gen_arith =
  (op: BinOp['op'], post?: UnOp['op']): TransFn =>
  (t, a) => {
    const v = t.b.bin(op, gen_rx(t, a.rs1), gen_rx(t, a.rs2))
    gen_wx(t, a.rd, post === undefined ? v : t.b.un(post, v))
    return true
  }

/** rd = rs1 op imm */
export const gen_arith_imm =
  (op: BinOp['op'], post?: UnOp['op']): TransFn =>
  (t, a) => {
    const v = t.b.bin(op, gen_rx(t, a.rs1), gen_imm(t, a.imm))
    gen_wx(t, a.rd, post === undefined ? v : t.b.un(post, v))
    return true
  }

/** rd = op(rs1) */
export const gen_unary =
  (op: UnOp['op']): TransFn =>
  (t, a) => {
    gen_wx(t, a.rd, t.b.un(op, gen_rx(t, a.rs1)))
    return true
  }

/** Effective address rs1 + imm. */
export const gen_addr = (t: TransCtx, a: Args): Temp =>
  a.imm === 0 ? gen_rx(t, a.rs1) : t.b.bin(Op.Add, gen_rx(t, a.rs1), gen_imm(t, a.imm))

/** Raise an illegal-instruction exception for this instruction and end the block. */
export const gen_illegal = (t: TransCtx): void => {
  t.b.raise(Cause.IllegalInsn, BigInt(t.bits >>> 0))
  t.ended = true
}
