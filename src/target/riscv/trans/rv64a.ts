/**
 * Semantics of the A extension. Guest threads never run concurrently inside
 * the engine, so an AMO's load-op-store is atomic as emitted. LR records the
 * address and loaded value; SC succeeds if both still match (as QEMU's
 * cmpxchg-based SC does). Every access is an IR load or store, so memory
 * callbacks see them all.
 */
import { type BinOp, Op } from '../../../ir/ir.js'
import { Cause, RES_NONE, Slot } from '../cpu.js'
import { gen_imm, gen_rx, gen_wx, type TransFn } from './context.js'
import { helper_check_align } from './helpers.js'

type Size = 4 | 8

/** AMOs and LR/SC require natural alignment: misaligned addresses raise an address-misaligned exception. */
const gen_aligned_addr = (t: Parameters<TransFn>[0], rs1: number, size: Size, cause: Cause) => {
  const addr = gen_rx(t, rs1)
  t.b.callVoid(helper_check_align, addr, gen_imm(t, size - 1), gen_imm(t, cause))
  return addr
}

const gen_lr =
  (size: Size): TransFn =>
  (t, a) => {
    const addr = gen_aligned_addr(t, a.rs1, size, Cause.LoadMisaligned)
    const v = t.b.load(addr, size, true)
    t.b.setReg(Slot.ResAddr, addr)
    t.b.setReg(Slot.ResVal, v)
    t.b.setReg(Slot.ResSize, gen_imm(t, size))
    gen_wx(t, a.rd, v)
    return true
  }

/**
 * SC: if the reservation covers `addr`, a compare-and-swap against the
 * value LR saw (as QEMU's cmpxchg-based SC: it needs write access and is
 * reported to memory callbacks as a read and a write even when the compare
 * fails); otherwise no access at all. rd = 0 on success, 1 on failure; the
 * reservation is dropped either way.
 */
const gen_sc =
  (size: Size): TransFn =>
  (t, a) => {
    const b = t.b
    const addr = gen_aligned_addr(t, a.rs1, size, Cause.StoreMisaligned)
    const reserved = b.bin(
      Op.And,
      b.bin(Op.Eq, addr, b.getReg(Slot.ResAddr)),
      b.bin(Op.Eq, b.getReg(Slot.ResSize), gen_imm(t, size)),
    )
    // Loaded as LR loads (sign-extended for .w), to compare with the value it saw.
    const old = b.load(addr, size, true, reserved)
    const src = gen_rx(t, a.rs2)
    const ok = b.bin(Op.And, reserved, b.bin(Op.Eq, old, b.getReg(Slot.ResVal)))
    b.store(addr, b.select(ok, src, old), size, reserved, src)
    b.setReg(Slot.ResAddr, gen_imm(t, RES_NONE))
    gen_wx(t, a.rd, b.bin(Op.Xor, ok, gen_imm(t, 1)))
    return true
  }

/** For 32-bit AMOs, comparisons see the low words as signed or unsigned 32-bit values. */
const gen_amo =
  (size: Size, op: BinOp['op'] | 'swap', ext?: Op.Sext32 | Op.Zext32): TransFn =>
  (t, a) => {
    const addr = gen_aligned_addr(t, a.rs1, size, Cause.StoreMisaligned)
    const old = t.b.load(addr, size, true)
    let src = gen_rx(t, a.rs2)
    let cur = old
    if (size === 4 && ext !== undefined) {
      src = t.b.un(ext, src)
      cur = t.b.un(ext, old)
    }
    const v = op === 'swap' ? src : t.b.bin(op, cur, src)
    t.b.store(addr, v, size)
    gen_wx(t, a.rd, old)
    return true
  }

const amos = (w: 'w' | 'd', size: Size): Record<string, TransFn> => ({
  [`lr.${w}`]: gen_lr(size),
  [`sc.${w}`]: gen_sc(size),
  [`amoswap.${w}`]: gen_amo(size, 'swap'),
  [`amoadd.${w}`]: gen_amo(size, Op.Add),
  [`amoxor.${w}`]: gen_amo(size, Op.Xor),
  [`amoand.${w}`]: gen_amo(size, Op.And),
  [`amoor.${w}`]: gen_amo(size, Op.Or),
  [`amomin.${w}`]: gen_amo(size, Op.MinS, Op.Sext32),
  [`amomax.${w}`]: gen_amo(size, Op.MaxS, Op.Sext32),
  [`amominu.${w}`]: gen_amo(size, Op.MinU, Op.Zext32),
  [`amomaxu.${w}`]: gen_amo(size, Op.MaxU, Op.Zext32),
})

export const trans_rv64a: Record<string, TransFn> = { ...amos('w', 4), ...amos('d', 8) }
