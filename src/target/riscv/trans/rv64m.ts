/** Semantics of the M extension. Division never traps (ISA manual, "Division operations" table). */
import { Op } from '../../../ir/ir.js'
import { gen_arith, gen_rx, gen_wx, type TransFn } from './context.js'

/** 32-bit division: operands extended per signedness, result sign-extended. */
const gen_divw =
  (op: Op.DivS | Op.DivU | Op.RemS | Op.RemU): TransFn =>
  (t, a) => {
    const ext = op === Op.DivS || op === Op.RemS ? Op.Sext32 : Op.Zext32
    const v = t.b.bin(op, t.b.un(ext, gen_rx(t, a.rs1)), t.b.un(ext, gen_rx(t, a.rs2)))
    gen_wx(t, a.rd, t.b.un(Op.Sext32, v))
    return true
  }

export const trans_rv64m: Record<string, TransFn> = {
  mul: gen_arith(Op.Mul),
  mulh: gen_arith(Op.MulHS),
  mulhsu: gen_arith(Op.MulHSU),
  mulhu: gen_arith(Op.MulHU),
  div: gen_arith(Op.DivS),
  divu: gen_arith(Op.DivU),
  rem: gen_arith(Op.RemS),
  remu: gen_arith(Op.RemU),
  mulw: gen_arith(Op.Mul, Op.Sext32),
  divw: gen_divw(Op.DivS),
  divuw: gen_divw(Op.DivU),
  remw: gen_divw(Op.RemS),
  remuw: gen_divw(Op.RemU),
}
