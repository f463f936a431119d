/**
 * Text form of IR blocks, for `-d op` and the codegen baselines:
 * one op per line, `tN` for temporaries, `rN` for register slots.
 */
import { type Cell, type IrBlock, type IrOp, Op, SiteRegs } from './ir.js'

/** How an instrument op's register access is printed. */
const REGS: Record<SiteRegs, string> = {
  [SiteRegs.None]: '',
  [SiteRegs.Read]: ' reads regs',
  [SiteRegs.ReadWrite]: ' reads/writes regs',
}

const NAMES: Record<Op, string> = {
  [Op.Add]: 'add',
  [Op.Sub]: 'sub',
  [Op.Mul]: 'mul',
  [Op.MulHS]: 'mulhs',
  [Op.MulHU]: 'mulhu',
  [Op.MulHSU]: 'mulhsu',
  [Op.DivS]: 'divs',
  [Op.DivU]: 'divu',
  [Op.RemS]: 'rems',
  [Op.RemU]: 'remu',
  [Op.And]: 'and',
  [Op.Or]: 'or',
  [Op.Xor]: 'xor',
  [Op.Shl]: 'shl',
  [Op.Shr]: 'shr',
  [Op.Sar]: 'sar',
  [Op.Rotl]: 'rotl',
  [Op.Rotr]: 'rotr',
  [Op.Eq]: 'eq',
  [Op.Ne]: 'ne',
  [Op.LtS]: 'lts',
  [Op.LtU]: 'ltu',
  [Op.GeS]: 'ges',
  [Op.GeU]: 'geu',
  [Op.MinS]: 'mins',
  [Op.MinU]: 'minu',
  [Op.MaxS]: 'maxs',
  [Op.MaxU]: 'maxu',
  [Op.FAdd]: 'fadd',
  [Op.FSub]: 'fsub',
  [Op.FMul]: 'fmul',
  [Op.FDiv]: 'fdiv',
  [Op.FSqrt]: 'fsqrt',
  [Op.Mov]: 'mov',
  [Op.Neg]: 'neg',
  [Op.Not]: 'not',
  [Op.Clz]: 'clz',
  [Op.Ctz]: 'ctz',
  [Op.Cpop]: 'cpop',
  [Op.Sext8]: 'sext8',
  [Op.Sext16]: 'sext16',
  [Op.Sext32]: 'sext32',
  [Op.Zext8]: 'zext8',
  [Op.Zext16]: 'zext16',
  [Op.Zext32]: 'zext32',
  [Op.Bswap]: 'bswap',
  [Op.Const]: 'const',
  [Op.Select]: 'select',
  [Op.GetReg]: 'getreg',
  [Op.SetReg]: 'setreg',
  [Op.Load]: 'load',
  [Op.Store]: 'store',
  [Op.Call]: 'call',
  [Op.InsnStart]: 'insn_start',
  [Op.BrCond]: 'brcond',
  [Op.Goto]: 'goto',
  [Op.GotoInd]: 'goto_ind',
  [Op.Raise]: 'raise',
  [Op.CellLoad]: 'cell_load',
  [Op.CellStore]: 'cell_store',
  [Op.Instrument]: 'instrument',
}

const hex = (v: bigint): string => `0x${v.toString(16)}`
const cell = (c: Cell): string => `[*${c.base} + vcpu*${c.stride} + ${c.offset}]`

export function formatOp(o: IrOp): string {
  const n = NAMES[o.op]
  switch (o.op) {
    case Op.Const:
      return `t${o.d} = const ${hex(o.imm)}`
    case Op.GetReg:
      return `t${o.d} = getreg r${o.reg}`
    case Op.SetReg:
      return `setreg r${o.reg}, t${o.a}`
    case Op.Select:
      return `t${o.d} = select t${o.c} ? t${o.a} : t${o.b}`
    case Op.Load:
      return `t${o.d} = load.${o.signed ? 's' : 'u'}${o.size * 8} [t${o.a}]${o.pred === undefined ? '' : ` if t${o.pred}`}`
    case Op.Store:
      return `store.${o.size * 8} [t${o.a}], t${o.b}${o.pred === undefined ? '' : ` if t${o.pred}`}${o.shown === undefined ? '' : ` (shows t${o.shown})`}`
    case Op.CellLoad:
      return `t${o.d} = cell_load ${cell(o.cell)}`
    case Op.CellStore:
      return `cell_store ${cell(o.cell)}, t${o.a}`
    case Op.Instrument: {
      const t = (x: number) => (x < 0 ? '0' : `t${x}`)
      const cond = o.c < 0 ? '' : ` if t${o.c}`
      return `instrument ${o.site.name}(${t(o.a)}, ${t(o.v)})${cond}${REGS[o.regs]}${o.redirect ? ` may redirect (retired ${o.retired})` : ''}`
    }
    case Op.Call: {
      const call = `${o.d >= 0 ? `t${o.d} = ` : ''}call ${o.helper.name}(${o.args.map((a) => `t${a}`).join(', ')})`
      if (o.fast === undefined) return call
      // The fast path's ops first, marked, then what replaces the call when it applies.
      const { ops, ok, result } = o.fast
      return [...ops.map((x) => `  | ${formatOp(x)}`), `${call} unless t${ok} (t${o.d} = t${result})`].join(
        '\n ',
      )
    }
    case Op.InsnStart:
      return `---- ${hex(o.pc)} (insn ${o.index})`
    case Op.BrCond:
      return `brcond t${o.c}, ${hex(o.target)}`
    case Op.Goto:
      return `goto ${hex(o.target)}`
    case Op.GotoInd:
      return `goto_ind t${o.a}`
    case Op.Raise:
      return `raise ${o.cause}, t${o.a}`
    default:
      return 'b' in o ? `t${o.d} = ${n} t${o.a}, t${o.b}` : `t${o.d} = ${n} t${o.a}`
  }
}

export function formatBlock(tb: IrBlock): string {
  return `IR block ${hex(tb.pc)} (${tb.insns.length} insns, ${tb.size} bytes, ${tb.temps} temps)\n${tb.ops.map((o) => ` ${formatOp(o)}`).join('\n')}\n`
}
