/**
 * Semantics of Zicond (ISA manual, "Zicond" chapter): czero.eqz gives 0 if
 * rs2 is zero, else rs1; czero.nez gives 0 if rs2 is non-zero, else rs1.
 */
import { gen_rx, gen_wx, type TransFn } from './context.js'

const gen_czero =
  (zeroWhenNonZero: boolean): TransFn =>
  (t, a) => {
    const x = gen_rx(t, a.rs1)
    const c = gen_rx(t, a.rs2)
    const zero = t.b.const(0n)
    gen_wx(t, a.rd, zeroWhenNonZero ? t.b.select(c, zero, x) : t.b.select(c, x, zero))
    return true
  }

/** Trans functions of Zicond. */
export const trans_zicond: Record<string, TransFn> = {
  'czero.eqz': gen_czero(false),
  'czero.nez': gen_czero(true),
}
