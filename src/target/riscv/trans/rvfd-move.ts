/**
 * Semantics of the F/D instructions that only move bits: loads, stores,
 * fmv between register files and sign injection. Single-precision values
 * are NaN-boxed in the 64-bit FP registers (ISA manual, "NaN boxing").
 */
import { Op, type Temp } from '../../../ir/ir.js'
import { Slot } from '../cpu.js'
import { gen_addr, gen_imm, gen_rx, gen_wx, type TransCtx, type TransFn } from './context.js'

const BOX = 0xffff_ffff_0000_0000n

export const gen_rf = (t: TransCtx, r: number): Temp => t.b.getReg(Slot.F0 + r)
export const gen_wf = (t: TransCtx, r: number, v: Temp): void => t.b.setReg(Slot.F0 + r, v)
/** NaN-box a 32-bit value (upper bits all ones). */
export const gen_box = (t: TransCtx, v: Temp): Temp => t.b.bin(Op.Or, t.b.un(Op.Zext32, v), gen_imm(t, BOX))
/** Unbox: the low word if properly boxed, else the canonical NaN. */
export const gen_unbox = (t: TransCtx, v: Temp): Temp => {
  const boxed = t.b.bin(Op.GeU, v, gen_imm(t, BOX))
  return t.b.select(boxed, t.b.un(Op.Zext32, v), gen_imm(t, 0x7fc00000))
}

/** Every F/D instruction needs its extension enabled (checked by the decoder) — no further guards here. */
const gen_fload =
  (size: 4 | 8): TransFn =>
  (t, a) => {
    const v = t.b.load(gen_addr(t, a), size, false)
    gen_wf(t, a.rd, size === 4 ? gen_box(t, v) : v)
    return true
  }

const gen_fstore =
  (size: 4 | 8): TransFn =>
  (t, a) => {
    t.b.store(gen_addr(t, a), gen_rf(t, a.rs2), size)
    return true
  }

/** fsgnj/fsgnjn/fsgnjx: sign from rs2 (plain, negated, xor), rest from rs1. */
const gen_fsgnj =
  (size: 4 | 8, mode: 'j' | 'n' | 'x'): TransFn =>
  (t, a) => {
    const sign = size === 4 ? 0x8000_0000n : 0x8000_0000_0000_0000n
    const x = size === 4 ? gen_unbox(t, gen_rf(t, a.rs1)) : gen_rf(t, a.rs1)
    const y = size === 4 ? gen_unbox(t, gen_rf(t, a.rs2)) : gen_rf(t, a.rs2)
    const signMask = gen_imm(t, sign)
    const ys = t.b.bin(Op.And, y, signMask)
    let s: Temp
    if (mode === 'j') s = ys
    else if (mode === 'n') s = t.b.bin(Op.Xor, ys, signMask)
    else s = t.b.bin(Op.Xor, t.b.bin(Op.And, x, signMask), ys)
    const mag = t.b.bin(Op.And, x, gen_imm(t, sign - 1n))
    const v = t.b.bin(Op.Or, mag, s)
    gen_wf(t, a.rd, size === 4 ? gen_box(t, v) : v)
    return true
  }

export const trans_rvfd_move: Record<string, TransFn> = {
  flw: gen_fload(4),
  fld: gen_fload(8),
  fsw: gen_fstore(4),
  fsd: gen_fstore(8),
  'fmv.x.w': (t, a) => {
    // The low word, sign-extended (whatever the upper bits hold: fmv.x.w does not unbox).
    gen_wx(t, a.rd, t.b.un(Op.Sext32, gen_rf(t, a.rs1)))
    return true
  },
  'fmv.w.x': (t, a) => {
    gen_wf(t, a.rd, gen_box(t, gen_rx(t, a.rs1)))
    return true
  },
  'fmv.x.d': (t, a) => {
    gen_wx(t, a.rd, gen_rf(t, a.rs1))
    return true
  },
  'fmv.d.x': (t, a) => {
    gen_wf(t, a.rd, gen_rx(t, a.rs1))
    return true
  },
  'fsgnj.s': gen_fsgnj(4, 'j'),
  'fsgnjn.s': gen_fsgnj(4, 'n'),
  'fsgnjx.s': gen_fsgnj(4, 'x'),
  'fsgnj.d': gen_fsgnj(8, 'j'),
  'fsgnjn.d': gen_fsgnj(8, 'n'),
  'fsgnjx.d': gen_fsgnj(8, 'x'),
}
