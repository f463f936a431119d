/**
 * Builds an IrBlock op by op. One builder per translation; every emitter
 * returns the temporary it defines.
 */
import {
  type BinOp,
  type FastPath,
  type Helper,
  type IrBlock,
  type IrOp,
  Op,
  type StoreOp,
  type Temp,
  type UnOp,
} from './ir.js'

export class IrBuilder {
  /** The ops emitted so far (those of a fast path while one is being built). */
  ops: IrOp[] = []
  private nextTemp = 0

  private temp(): Temp {
    return this.nextTemp++
  }

  const(imm: bigint): Temp {
    const d = this.temp()
    this.ops.push({ op: Op.Const, d, imm: BigInt.asUintN(64, imm) })
    return d
  }

  bin(op: BinOp['op'], a: Temp, b: Temp): Temp {
    const d = this.temp()
    this.ops.push({ op, d, a, b } as BinOp)
    return d
  }

  un(op: UnOp['op'], a: Temp): Temp {
    const d = this.temp()
    this.ops.push({ op, d, a } as UnOp)
    return d
  }

  select(c: Temp, a: Temp, b: Temp): Temp {
    const d = this.temp()
    this.ops.push({ op: Op.Select, d, c, a, b })
    return d
  }

  getReg(reg: number): Temp {
    const d = this.temp()
    this.ops.push({ op: Op.GetReg, d, reg })
    return d
  }

  setReg(reg: number, a: Temp): void {
    this.ops.push({ op: Op.SetReg, reg, a })
  }

  load(a: Temp, size: 1 | 2 | 4 | 8, signed: boolean, pred?: Temp): Temp {
    const d = this.temp()
    this.ops.push(
      pred === undefined ? { op: Op.Load, d, a, size, signed } : { op: Op.Load, d, a, size, signed, pred },
    )
    return d
  }

  store(a: Temp, b: Temp, size: 1 | 2 | 4 | 8, pred?: Temp, shown?: Temp): void {
    const o: StoreOp = { op: Op.Store, a, b, size }
    if (pred !== undefined) o.pred = pred
    if (shown !== undefined) o.shown = shown
    this.ops.push(o)
  }

  /** Call a helper that returns a value. */
  call(helper: Helper, ...args: Temp[]): Temp {
    const d = this.temp()
    this.ops.push({ op: Op.Call, d, helper, args })
    return d
  }

  /**
   * Call a helper that returns a value, with a fast path (`FastPath`): `fast`
   * emits its ops through this builder and says which temps are its outcome.
   */
  callFast(helper: Helper, args: Temp[], fast: () => Omit<FastPath, 'ops'>): Temp {
    const outer = this.ops
    this.ops = []
    let path: FastPath
    try {
      path = { ...fast(), ops: this.ops }
    } finally {
      this.ops = outer
    }
    const d = this.temp()
    this.ops.push({ op: Op.Call, d, helper, args, fast: path })
    return d
  }

  /** Call a helper for its effects only. */
  callVoid(helper: Helper, ...args: Temp[]): void {
    this.ops.push({ op: Op.Call, d: -1, helper, args })
  }

  insnStart(pc: bigint, index: number): void {
    this.ops.push({ op: Op.InsnStart, pc, index })
  }

  brCond(c: Temp, target: bigint): void {
    this.ops.push({ op: Op.BrCond, c, target: BigInt.asUintN(64, target) })
  }

  goto(target: bigint): void {
    this.ops.push({ op: Op.Goto, target: BigInt.asUintN(64, target) })
  }

  gotoInd(a: Temp): void {
    this.ops.push({ op: Op.GotoInd, a })
  }

  raise(cause: number, tval: bigint): void {
    this.ops.push({ op: Op.Raise, cause, a: this.const(tval) })
  }

  finish(pc: bigint, size: number, insns: IrBlock['insns']): IrBlock {
    return { pc, size, insns, ops: this.ops, temps: this.nextTemp }
  }
}
