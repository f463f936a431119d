/** Semantics of Zicsr. User mode knows the FP CSRs and the read-only counters; others are illegal. */
import { Csr } from '../cpu.js'
import { gen_illegal, gen_imm, gen_rx, gen_wx, type TransFn } from './context.js'
import { CSR_READ, CSR_WRITE, CsrOp, helper_csr } from './helpers.js'

const FP_CSRS: readonly number[] = [Csr.Fflags, Csr.Frm, Csr.Fcsr]

const gen_csr =
  (op: CsrOp, immediate: boolean): TransFn =>
  (t, a) => {
    if (FP_CSRS.includes(a.csr) && !t.exts.has('f')) {
      gen_illegal(t)
      return true
    }
    // csrrw with rd = x0 does not read; csrrs/csrrc with rs1 = x0 (or uimm 0) do not write.
    const reads = op !== CsrOp.Write || a.rd !== 0
    const writes = op === CsrOp.Write || a.rs1 !== 0
    const packed = a.csr | (op << 12) | (reads ? CSR_READ : 0) | (writes ? CSR_WRITE : 0)
    const operand = immediate ? gen_imm(t, a.rs1) : gen_rx(t, a.rs1)
    const old = t.b.call(helper_csr, gen_imm(t, packed), operand, gen_imm(t, t.bits >>> 0))
    gen_wx(t, a.rd, old)
    // A CSR access ends the block, as in QEMU (whose block counts plugins compare with).
    t.b.goto(t.next)
    t.ended = true
    return true
  }

export const trans_zicsr: Record<string, TransFn> = {
  csrrw: gen_csr(CsrOp.Write, false),
  csrrs: gen_csr(CsrOp.Set, false),
  csrrc: gen_csr(CsrOp.Clear, false),
  csrrwi: gen_csr(CsrOp.Write, true),
  csrrsi: gen_csr(CsrOp.Set, true),
  csrrci: gen_csr(CsrOp.Clear, true),
}
