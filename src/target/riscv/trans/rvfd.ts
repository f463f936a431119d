/**
 * Semantics of the F and D computational instructions: arithmetic, fused
 * multiply-add, min/max, comparisons, classification and conversions (ISA
 * manual, "F" and "D" chapters). Each is one call of a helper from
 * `fp-helpers.ts`, which unboxes, computes with the softfloat unit, boxes,
 * resolves the rounding mode and accrues fflags. Loads, stores, moves and
 * sign injection are in `rvfd-move.ts`.
 */
import type { Helper, Temp } from '../../../ir/ir.js'
import type { Args } from '../decode/table.js'
import { gen_imm, gen_rx, gen_wx, type TransFn } from './context.js'
import { type FastD, fastPathD, fastRm } from './fp-fast.js'
import { FP_HELPERS, reservedStaticRm } from './fp-helpers.js'
import { gen_rf, gen_wf } from './rvfd-move.js'

/** Register file of an operand or result. */
type File = 'f' | 'x'

/** Source register fields, in operand order. */
const SOURCES = ['rs1', 'rs2', 'rs3'] as const satisfies readonly (keyof Args)[]

/**
 * rd = helper(operands). With `rm`, the instruction has a rounding-mode
 * field: reserved static modes 5 and 6 are illegal at translation (the
 * helper checks DYN at run time) and the instruction word goes first.
 */
const gen_fp =
  (helper: Helper, srcs: readonly File[], dst: File, rm: boolean, fast?: FastD): TransFn =>
  (t, a) => {
    if (rm && reservedStaticRm(a.rm)) return false
    const ops: Temp[] = srcs.map((f, i) => (f === 'f' ? gen_rf : gen_rx)(t, a[SOURCES[i]!]))
    const args = rm ? [gen_imm(t, t.bits >>> 0), ...ops] : ops
    const v =
      fast !== undefined && fastRm(a.rm)
        ? t.b.callFast(helper, args, () => fastPathD(t, fast, a.rm, t.bits, ops))
        : t.b.call(helper, ...args)
    ;(dst === 'f' ? gen_wf : gen_wx)(t, a.rd, v)
    return true
  }

/** An instruction with a rounding-mode field, with a binary64 fast path if `fast` is given. */
const rounded = (helper: Helper, srcs: readonly File[], dst: File, fast?: FastD): TransFn =>
  gen_fp(helper, srcs, dst, true, fast)
/** An instruction without one (min/max, comparisons, fclass). */
const unrounded = (helper: Helper, srcs: readonly File[], dst: File): TransFn =>
  gen_fp(helper, srcs, dst, false)

const F1: readonly File[] = ['f']
const F2: readonly File[] = ['f', 'f']
const F3: readonly File[] = ['f', 'f', 'f']
const X1: readonly File[] = ['x']

/** Integer types of fcvt, in rs2-field order (the helpers select by that field). */
const INT_TYPES = ['w', 'wu', 'l', 'lu'] as const

function fpTrans(x: 's' | 'd'): Record<string, TransFn> {
  const h = FP_HELPERS[x]
  // Fast paths exist for binary64 only.
  const fast = (kind: FastD): FastD | undefined => (x === 'd' ? kind : undefined)
  const other = x === 's' ? 'd' : 's'
  const convert = rounded(h.convert, F1, 'f')
  const table: Record<string, TransFn> = {
    [`fadd.${x}`]: rounded(h.add, F2, 'f', fast('add')),
    [`fsub.${x}`]: rounded(h.sub, F2, 'f', fast('sub')),
    [`fmul.${x}`]: rounded(h.mul, F2, 'f', fast('mul')),
    [`fdiv.${x}`]: rounded(h.div, F2, 'f', fast('div')),
    [`fsqrt.${x}`]: rounded(h.sqrt, F1, 'f', fast('sqrt')),
    [`fmadd.${x}`]: rounded(h.muladd, F3, 'f', fast('muladd')),
    [`fmsub.${x}`]: rounded(h.muladd, F3, 'f', fast('muladd')),
    [`fnmsub.${x}`]: rounded(h.muladd, F3, 'f', fast('muladd')),
    [`fnmadd.${x}`]: rounded(h.muladd, F3, 'f', fast('muladd')),
    [`fmin.${x}`]: unrounded(h.min, F2, 'f'),
    [`fmax.${x}`]: unrounded(h.max, F2, 'f'),
    [`feq.${x}`]: unrounded(h.eq, F2, 'x'),
    [`flt.${x}`]: unrounded(h.lt, F2, 'x'),
    [`fle.${x}`]: unrounded(h.le, F2, 'x'),
    [`fclass.${x}`]: unrounded(h.classify, F1, 'x'),
    // fcvt.s.d and fcvt.d.s belong to D (the F decode table carries fcvt.s.d).
    [`fcvt.${x}.${other}`]: (t, a) => t.exts.has('d') && convert(t, a),
  }
  for (const i of INT_TYPES) {
    table[`fcvt.${i}.${x}`] = rounded(h.toInt, F1, 'x')
    table[`fcvt.${x}.${i}`] = rounded(h.fromInt, X1, 'f')
  }
  return table
}

/** Trans functions of the F/D computational instructions. */
export const trans_rvfd: Record<string, TransFn> = { ...fpTrans('s'), ...fpTrans('d') }
