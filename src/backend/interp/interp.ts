/**
 * The reference backend: executes IR blocks op by op with bigint values.
 *
 * It is the oracle the wasm backend is checked against, so it favours the
 * obvious reading of each op (docs/ir.md) over speed. Faults thrown by guest
 * memory or helpers become an exception exit with the state precise at the
 * start of the faulting instruction.
 */
import { Access, GuestTrap, MemFault } from '../../core/errors.js'
import { type HelperContext, type IrBlock, Op } from '../../ir/ir.js'

/** How a block was left. */
export const enum ExitKind {
  /** Continue at `state.pc`. */
  Jump = 0,
  /** Architectural exception: `state.excCause`, `state.excTval`, PC of the faulting instruction in `state.pc`. */
  Exception = 1,
}

/** What the backend needs from the running CPU, besides the helper context. */
export interface ExecState extends HelperContext {
  pc: bigint
  excCause: number
  excTval: bigint
  /** For memory faults: true if the page was mapped but the access not permitted. */
  excPermission: boolean
  /** Instructions of the current block started so far (set by the backend). */
  blockInsns: number
  readonly mem: HelperContext['mem']
}

const M64 = (1n << 64n) - 1n
const MIN64 = 1n << 63n
const scratch = new DataView(new ArrayBuffer(8))

const u = (v: bigint): bigint => BigInt.asUintN(64, v)
const s = (v: bigint): bigint => BigInt.asIntN(64, v)

/** Memory-fault causes by access kind (RISC-V page-fault codes; Linux maps both fault kinds to SIGSEGV). */
const FAULT_CAUSE: Record<number, number> = { [Access.Read]: 13, [Access.Write]: 15, [Access.Exec]: 12 }

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
          t[o.d] = u((s(t[o.a]!) * s(t[o.b]!)) >> 64n)
          break
        case Op.MulHU:
          t[o.d] = (t[o.a]! * t[o.b]!) >> 64n
          break
        case Op.MulHSU:
          t[o.d] = u((s(t[o.a]!) * t[o.b]!) >> 64n)
          break
        case Op.DivS: {
          const a = t[o.a]!
          const b = t[o.b]!
          t[o.d] = b === 0n ? M64 : a === MIN64 && b === M64 ? a : u(s(a) / s(b))
          break
        }
        case Op.DivU: {
          const b = t[o.b]!
          t[o.d] = b === 0n ? M64 : t[o.a]! / b
          break
        }
        case Op.RemS: {
          const a = t[o.a]!
          const b = t[o.b]!
          t[o.d] = b === 0n ? a : a === MIN64 && b === M64 ? 0n : u(s(a) % s(b))
          break
        }
        case Op.RemU: {
          const b = t[o.b]!
          t[o.d] = b === 0n ? t[o.a]! : t[o.a]! % b
          break
        }
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
        case Op.Rotl: {
          const sh = t[o.b]! & 63n
          const a = t[o.a]!
          t[o.d] = u((a << sh) | (a >> ((64n - sh) & 63n)))
          break
        }
        case Op.Rotr: {
          const sh = t[o.b]! & 63n
          const a = t[o.a]!
          t[o.d] = u((a >> sh) | (a << ((64n - sh) & 63n)))
          break
        }
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
        case Op.Neg:
          t[o.d] = u(-t[o.a]!)
          break
        case Op.Not:
          t[o.d] = t[o.a]! ^ M64
          break
        case Op.Clz: {
          const a = t[o.a]!
          t[o.d] = a === 0n ? 64n : BigInt(64 - a.toString(2).length)
          break
        }
        case Op.Ctz: {
          const a = t[o.a]!
          t[o.d] = a === 0n ? 64n : BigInt((a & -a).toString(2).length - 1)
          break
        }
        case Op.Cpop: {
          let n = 0
          for (const ch of t[o.a]!.toString(2)) if (ch === '1') n++
          t[o.d] = BigInt(n)
          break
        }
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
          scratch.setBigUint64(0, t[o.a]!, true)
          t[o.d] = scratch.getBigUint64(0, false)
          break
        case Op.Select:
          t[o.d] = t[o.c]! !== 0n ? t[o.a]! : t[o.b]!
          break
        case Op.Load: {
          const v = st.mem.load(t[o.a]!, o.size)
          t[o.d] = o.signed && o.size < 8 ? u(BigInt.asIntN(o.size * 8, v)) : v
          break
        }
        case Op.Store:
          st.mem.store(t[o.a]!, o.size, t[o.b]!)
          break
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
    st.pc = pc
    if (e instanceof MemFault) {
      st.excCause = FAULT_CAUSE[e.access]!
      st.excTval = e.addr
      st.excPermission = e.permission
      return ExitKind.Exception
    }
    if (e instanceof GuestTrap) {
      st.excCause = e.cause
      st.excTval = e.tval
      st.excPermission = false
      return ExitKind.Exception
    }
    throw e
  }
  throw new Error(`IR block at 0x${block.pc.toString(16)} has no terminator`)
}
