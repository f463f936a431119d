/**
 * The JavaScript backend: compiles each IR block into a JavaScript function
 * (one `let` per temporary, bigint arithmetic wrapped in
 * `BigInt.asUintN(64, …)`, which V8 compiles to plain 64-bit machine
 * arithmetic), and lets V8 optimize it.
 *
 * Same exit protocol and op definitions as the interpreter; registers are
 * read and written in the state's register array directly, so the state is
 * precise at every faulting op without spills. The register array is
 * re-read after ops that may grow the arena (stores, helper calls), since
 * growth replaces the views.
 */
import { type IrBlock, type IrOp, Op } from '../../ir/ir.js'
import { type Backend, type ExecFn, type ExecState, type ExitKind, exitForError } from '../backend.js'
import * as ops from '../ops.js'

const U = 'BigInt.asUintN(64,'
const S = 'BigInt.asIntN(64,'

const lit = (v: bigint): string => `0x${v.toString(16)}n`

/** JavaScript for one op; `t(n)` names a temporary. */
function emitOp(o: IrOp, objIndex: (h: unknown) => number, pcOf: (ic: string) => string): string {
  const t = (n: number) => `t${n}`
  switch (o.op) {
    case Op.Const:
      return `${t(o.d)}=${lit(o.imm)};`
    case Op.Mov:
      return `${t(o.d)}=${t(o.a)};`
    case Op.GetReg:
      return `${t(o.d)}=r[${o.reg}];`
    case Op.SetReg:
      return `r[${o.reg}]=${t(o.a)};`
    case Op.Add:
      return `${t(o.d)}=${U}${t(o.a)}+${t(o.b)});`
    case Op.Sub:
      return `${t(o.d)}=${U}${t(o.a)}-${t(o.b)});`
    case Op.Mul:
      return `${t(o.d)}=${U}${t(o.a)}*${t(o.b)});`
    case Op.And:
      return `${t(o.d)}=${t(o.a)}&${t(o.b)};`
    case Op.Or:
      return `${t(o.d)}=${t(o.a)}|${t(o.b)};`
    case Op.Xor:
      return `${t(o.d)}=${t(o.a)}^${t(o.b)};`
    case Op.Shl:
      return `${t(o.d)}=${U}${t(o.a)}<<(${t(o.b)}&63n));`
    case Op.Shr:
      return `${t(o.d)}=${t(o.a)}>>(${t(o.b)}&63n);`
    case Op.Sar:
      return `${t(o.d)}=${U}${S}${t(o.a)})>>(${t(o.b)}&63n));`
    case Op.Eq:
      return `${t(o.d)}=${t(o.a)}===${t(o.b)}?1n:0n;`
    case Op.Ne:
      return `${t(o.d)}=${t(o.a)}!==${t(o.b)}?1n:0n;`
    case Op.LtU:
      return `${t(o.d)}=${t(o.a)}<${t(o.b)}?1n:0n;`
    case Op.GeU:
      return `${t(o.d)}=${t(o.a)}>=${t(o.b)}?1n:0n;`
    case Op.LtS:
      return `${t(o.d)}=${S}${t(o.a)})<${S}${t(o.b)})?1n:0n;`
    case Op.GeS:
      return `${t(o.d)}=${S}${t(o.a)})>=${S}${t(o.b)})?1n:0n;`
    case Op.MinU:
      return `${t(o.d)}=${t(o.a)}<${t(o.b)}?${t(o.a)}:${t(o.b)};`
    case Op.MaxU:
      return `${t(o.d)}=${t(o.a)}>${t(o.b)}?${t(o.a)}:${t(o.b)};`
    case Op.MinS:
      return `${t(o.d)}=${S}${t(o.a)})<${S}${t(o.b)})?${t(o.a)}:${t(o.b)};`
    case Op.MaxS:
      return `${t(o.d)}=${S}${t(o.a)})>${S}${t(o.b)})?${t(o.a)}:${t(o.b)};`
    case Op.MulHS:
    case Op.MulHU:
    case Op.MulHSU:
    case Op.DivS:
    case Op.DivU:
    case Op.RemS:
    case Op.RemU:
    case Op.Rotl:
    case Op.Rotr:
    case Op.FAdd:
    case Op.FSub:
    case Op.FMul:
    case Op.FDiv:
      return `${t(o.d)}=O.${BIN_FN[o.op]}(${t(o.a)},${t(o.b)});`
    case Op.Clz:
    case Op.Ctz:
    case Op.Cpop:
    case Op.Bswap:
    case Op.FSqrt:
      return `${t(o.d)}=O.${UN_FN[o.op]}(${t(o.a)});`
    case Op.Neg:
      return `${t(o.d)}=${U}-${t(o.a)});`
    case Op.Not:
      return `${t(o.d)}=${t(o.a)}^0xffffffffffffffffn;`
    case Op.Sext8:
      return `${t(o.d)}=${U}BigInt.asIntN(8,${t(o.a)}));`
    case Op.Sext16:
      return `${t(o.d)}=${U}BigInt.asIntN(16,${t(o.a)}));`
    case Op.Sext32:
      return `${t(o.d)}=${U}BigInt.asIntN(32,${t(o.a)}));`
    case Op.Zext8:
      return `${t(o.d)}=${t(o.a)}&0xffn;`
    case Op.Zext16:
      return `${t(o.d)}=${t(o.a)}&0xffffn;`
    case Op.Zext32:
      return `${t(o.d)}=${t(o.a)}&0xffffffffn;`
    case Op.Select:
      return `${t(o.d)}=${t(o.c)}!==0n?${t(o.a)}:${t(o.b)};`
    case Op.Load: {
      const v = `mem.load(${t(o.a)},${o.size})`
      const x = o.signed && o.size < 8 ? `${U}BigInt.asIntN(${o.size * 8},${v}))` : v
      return o.pred === undefined ? `${t(o.d)}=${x};` : `${t(o.d)}=${t(o.pred)}!==0n?${x}:0n;`
    }
    case Op.Store: {
      const store = `mem.store(${t(o.a)},${o.size},${t(o.b)});r=st.regs;`
      return o.pred === undefined ? store : `if(${t(o.pred)}!==0n){${store}}`
    }
    case Op.CellLoad:
      return `${t(o.d)}=st.cellGet(H[${objIndex(o.cell)}]);`
    case Op.CellStore:
      return `st.cellSet(H[${objIndex(o.cell)}],${t(o.a)});`
    case Op.Instrument: {
      const arg = (x: number) => (x < 0 ? '0n' : t(x))
      const call = `H[${objIndex(o.site)}].call(st,${arg(o.a)},${arg(o.v)})`
      const body = o.redirect
        ? `{st.blockInsns=ic;const to=${call};r=st.regs;if(to!==undefined){st.pc=to;st.blockInsns=${o.retired};return 0;}}`
        : `{st.blockInsns=ic;${call};r=st.regs;}`
      return o.c < 0 ? body : `if(${t(o.c)}!==0n)${body}`
    }
    case Op.Call: {
      const args = [0, 1, 2, 3].map((i) => (o.args[i] === undefined ? '0n' : t(o.args[i]!))).join(',')
      const call = `H[${objIndex(o.helper)}].fn(st,${args})`
      return `st.blockInsns=ic;${o.d >= 0 ? `${t(o.d)}=${call}??0n;` : `${call};`}r=st.regs;`
    }
    case Op.InsnStart:
      return `ic=${o.index + 1};`
    case Op.BrCond:
      return `if(${t(o.c)}!==0n){st.pc=${lit(o.target)};st.blockInsns=ic;return 0;}`
    case Op.Goto:
      return `st.pc=${lit(o.target)};st.blockInsns=ic;return 0;`
    case Op.GotoInd:
      return `st.pc=${t(o.a)};st.blockInsns=ic;return 0;`
    case Op.Raise:
      return `st.pc=${pcOf('ic')};st.excCause=${o.cause};st.excTval=${t(o.a)};st.excPermission=false;st.blockInsns=ic;return 1;`
  }
}

const BIN_FN: Partial<Record<Op, keyof typeof ops>> = {
  [Op.MulHS]: 'mulhs',
  [Op.MulHU]: 'mulhu',
  [Op.MulHSU]: 'mulhsu',
  [Op.DivS]: 'divs',
  [Op.DivU]: 'divu',
  [Op.RemS]: 'rems',
  [Op.RemU]: 'remu',
  [Op.Rotl]: 'rotl',
  [Op.Rotr]: 'rotr',
  [Op.FAdd]: 'fadd',
  [Op.FSub]: 'fsub',
  [Op.FMul]: 'fmul',
  [Op.FDiv]: 'fdiv',
}
const UN_FN: Partial<Record<Op, keyof typeof ops>> = {
  [Op.Clz]: 'clz',
  [Op.Ctz]: 'ctz',
  [Op.Cpop]: 'cpop',
  [Op.Bswap]: 'bswap',
  [Op.FSqrt]: 'fsqrt',
}

/** The JavaScript source of a block's function body (exposed for the codegen baselines). */
export function blockSource(tb: IrBlock, helpers: unknown[] = []): string {
  const objIndex = (h: unknown): number => {
    let i = helpers.indexOf(h)
    if (i < 0) i = helpers.push(h) - 1
    return i
  }
  // PC of the instruction with 1-based index `ic` (0 before the first InsnStart: the block's PC).
  const pcOf = (ic: string) => `P[${ic}>0?${ic}-1:0]`
  const lines = tb.ops.map((o) => emitOp(o, objIndex, pcOf))
  const temps = tb.temps > 0 ? `let ${Array.from({ length: tb.temps }, (_, i) => `t${i}=0n`).join(',')};` : ''
  return [
    'let r=st.regs;const mem=st.mem;let ic=0;',
    temps,
    'try{',
    ...lines,
    '}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}',
    `throw new Error('block without terminator');`,
  ].join('\n')
}

type Factory = (O: typeof ops, H: unknown[], P: bigint[], F: typeof exitForError) => ExecFn

export function compileBlock(tb: IrBlock): ExecFn {
  const helpers: unknown[] = []
  const body = blockSource(tb, helpers)
  const pcs = tb.insns.length > 0 ? tb.insns.map((i) => i.pc) : [tb.pc]
  const factory = new Function(
    'O',
    'H',
    'P',
    'F',
    `return function tb_${tb.pc.toString(16)}(st){\n${body}\n}`,
  ) as Factory
  return factory(ops, helpers, pcs, exitForError)
}

export const jsBackend: Backend = {
  name: 'js',
  prepare: compileBlock,
}

export type { ExecState, ExitKind }
