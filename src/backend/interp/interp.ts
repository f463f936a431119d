/**
 * The reference backend: executes IR blocks op by op with bigint values.
 *
 * It is the oracle the other backends are checked against, so it favours
 * the obvious reading of each op (docs/ir.md) over speed. Faults thrown by
 * guest memory or helpers become an exception exit with the state precise
 * at the start of the faulting instruction.
 */
import { type IrBlock, Op } from '../../ir/ir.js'
import { type Backend, type ExecState, ExitKind, exitForError } from '../backend.js'
import * as O from '../ops.js'

const M64 = (1n << 64n) - 1n
const u = (v: bigint): bigint => BigInt.asUintN(64, v)
const s = (v: bigint): bigint => BigInt.asIntN(64, v)

let temps: bigint[] = []

export function interpret(block: IrBlock, st: ExecState): ExitKind {
  const ops = block.ops
  if (temps.length < block.temps) temps = new Array<bigint>(block.temps * 2).fill(0n)
  const t = temps
  let pc = block.pc
  st.blockInsns = 0
  try {
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!
      switch (o.op) {
        case Op.Const:
          t[o.d] = o.imm
          break
        case Op.Mov:
          t[o.d] = t[o.a]!
          break
        case Op.GetReg:
          t[o.d] = st.regs[o.reg]!
          break
        case Op.SetReg:
          st.regs[o.reg] = t[o.a]!
          break
        case Op.Add:
          t[o.d] = u(t[o.a]! + t[o.b]!)
          break
        case Op.Sub:
          t[o.d] = u(t[o.a]! - t[o.b]!)
          break
        case Op.Mul:
          t[o.d] = u(t[o.a]! * t[o.b]!)
          break
        case Op.MulHS:
          t[o.d] = O.mulhs(t[o.a]!, t[o.b]!)
          break
        case Op.MulHU:
          t[o.d] = O.mulhu(t[o.a]!, t[o.b]!)
          break
        case Op.MulHSU:
          t[o.d] = O.mulhsu(t[o.a]!, t[o.b]!)
          break
        case Op.DivS:
          t[o.d] = O.divs(t[o.a]!, t[o.b]!)
          break
        case Op.DivU:
          t[o.d] = O.divu(t[o.a]!, t[o.b]!)
          break
        case Op.RemS:
          t[o.d] = O.rems(t[o.a]!, t[o.b]!)
          break
        case Op.RemU:
          t[o.d] = O.remu(t[o.a]!, t[o.b]!)
          break
        case Op.And:
          t[o.d] = t[o.a]! & t[o.b]!
          break
        case Op.Or:
          t[o.d] = t[o.a]! | t[o.b]!
          break
        case Op.Xor:
          t[o.d] = t[o.a]! ^ t[o.b]!
          break
        case Op.Shl:
          t[o.d] = u(t[o.a]! << (t[o.b]! & 63n))
          break
        case Op.Shr:
          t[o.d] = t[o.a]! >> (t[o.b]! & 63n)
          break
        case Op.Sar:
          t[o.d] = u(s(t[o.a]!) >> (t[o.b]! & 63n))
          break
        case Op.Rotl:
          t[o.d] = O.rotl(t[o.a]!, t[o.b]!)
          break
        case Op.Rotr:
          t[o.d] = O.rotr(t[o.a]!, t[o.b]!)
          break
        case Op.Eq:
          t[o.d] = t[o.a]! === t[o.b]! ? 1n : 0n
          break
        case Op.Ne:
          t[o.d] = t[o.a]! !== t[o.b]! ? 1n : 0n
          break
        case Op.LtS:
          t[o.d] = s(t[o.a]!) < s(t[o.b]!) ? 1n : 0n
          break
        case Op.LtU:
          t[o.d] = t[o.a]! < t[o.b]! ? 1n : 0n
          break
        case Op.GeS:
          t[o.d] = s(t[o.a]!) >= s(t[o.b]!) ? 1n : 0n
          break
        case Op.GeU:
          t[o.d] = t[o.a]! >= t[o.b]! ? 1n : 0n
          break
        case Op.MinS:
          t[o.d] = s(t[o.a]!) < s(t[o.b]!) ? t[o.a]! : t[o.b]!
          break
        case Op.MinU:
          t[o.d] = t[o.a]! < t[o.b]! ? t[o.a]! : t[o.b]!
          break
        case Op.MaxS:
          t[o.d] = s(t[o.a]!) > s(t[o.b]!) ? t[o.a]! : t[o.b]!
          break
        case Op.MaxU:
          t[o.d] = t[o.a]! > t[o.b]! ? t[o.a]! : t[o.b]!
          break
        case Op.FAdd:
          t[o.d] = O.fadd(t[o.a]!, t[o.b]!)
          break
        case Op.FSub:
          t[o.d] = O.fsub(t[o.a]!, t[o.b]!)
          break
        case Op.FMul:
          t[o.d] = O.fmul(t[o.a]!, t[o.b]!)
          break
        case Op.FDiv:
          t[o.d] = O.fdiv(t[o.a]!, t[o.b]!)
          break
        case Op.FSqrt:
          t[o.d] = O.fsqrt(t[o.a]!)
          break
        case Op.Neg:
          t[o.d] = u(-t[o.a]!)
          break
        case Op.Not:
          t[o.d] = t[o.a]! ^ M64
          break
        case Op.Clz:
          t[o.d] = O.clz(t[o.a]!)
          break
        case Op.Ctz:
          t[o.d] = O.ctz(t[o.a]!)
          break
        case Op.Cpop:
          t[o.d] = O.cpop(t[o.a]!)
          break
        case Op.Sext8:
          t[o.d] = u(BigInt.asIntN(8, t[o.a]!))
          break
        case Op.Sext16:
          t[o.d] = u(BigInt.asIntN(16, t[o.a]!))
          break
        case Op.Sext32:
          t[o.d] = u(BigInt.asIntN(32, t[o.a]!))
          break
        case Op.Zext8:
          t[o.d] = t[o.a]! & 0xffn
          break
        case Op.Zext16:
          t[o.d] = t[o.a]! & 0xffffn
          break
        case Op.Zext32:
          t[o.d] = t[o.a]! & 0xffffffffn
          break
        case Op.Bswap:
          t[o.d] = O.bswap(t[o.a]!)
          break
        case Op.Select:
          t[o.d] = t[o.c]! !== 0n ? t[o.a]! : t[o.b]!
          break
        case Op.Load: {
          if (o.pred !== undefined && t[o.pred] === 0n) {
            t[o.d] = 0n
            break
          }
          const v = st.mem.load(t[o.a]!, o.size)
          t[o.d] = o.signed && o.size < 8 ? u(BigInt.asIntN(o.size * 8, v)) : v
          break
        }
        case Op.Store:
          if (o.pred === undefined || t[o.pred] !== 0n) st.mem.store(t[o.a]!, o.size, t[o.b]!)
          break
        case Op.CellLoad:
          t[o.d] = st.cellGet(o.cell)
          break
        case Op.CellStore:
          st.cellSet(o.cell, t[o.a]!)
          break
        case Op.Instrument: {
          if (o.c >= 0 && t[o.c] === 0n) break
          const to = o.site.call(st, o.a < 0 ? 0n : t[o.a]!, o.v < 0 ? 0n : t[o.v]!)
          if (o.redirect && to !== undefined) {
            st.pc = to
            st.blockInsns = o.retired
            return ExitKind.Jump
          }
          break
        }
        case Op.Call: {
          const a = o.args
          const r = o.helper.fn(st, t[a[0]!] ?? 0n, t[a[1]!] ?? 0n, t[a[2]!] ?? 0n, t[a[3]!] ?? 0n)
          if (o.d >= 0) t[o.d] = r ?? 0n
          break
        }
        case Op.InsnStart:
          pc = o.pc
          st.blockInsns = o.index + 1
          break
        case Op.BrCond:
          if (t[o.c]! !== 0n) {
            st.pc = o.target
            return ExitKind.Jump
          }
          break
        case Op.Goto:
          st.pc = o.target
          return ExitKind.Jump
        case Op.GotoInd:
          st.pc = t[o.a]!
          return ExitKind.Jump
        case Op.Raise:
          st.pc = pc
          st.excCause = o.cause
          st.excTval = t[o.a]!
          st.excPermission = false
          return ExitKind.Exception
      }
    }
  } catch (e) {
    return exitForError(st, e, pc)
  }
  throw new Error(`IR block at 0x${block.pc.toString(16)} has no terminator`)
}

export const interpBackend: Backend = {
  name: 'interp',
  prepare: (tb) => (st) => interpret(tb, st),
}
