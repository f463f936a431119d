/** Semantics of RV64I (and the Zifencei / Zihintpause fences). */
import { type BinOp, Op } from '../../../ir/ir.js'
import { Cause } from '../cpu.js'
import type { Args } from '../decode/table.js'
import {
  gen_addr,
  gen_arith,
  gen_arith_imm,
  gen_imm,
  gen_rx,
  gen_wx,
  type TransCtx,
  type TransFn,
} from './context.js'
import { helper_check_target, helper_fence_i } from './helpers.js'

/** Jump targets must be 4-byte aligned without the C extension (instruction-address-misaligned exception). */
const misaligned = (t: TransCtx, target: bigint): boolean => !t.exts.has('c') && (target & 2n) !== 0n

const gen_branch =
  (cmp: BinOp['op']): TransFn =>
  (t, a) => {
    const target = t.pc + BigInt(a.imm)
    const c = t.b.bin(cmp, gen_rx(t, a.rs1), gen_rx(t, a.rs2))
    if (misaligned(t, target)) {
      // The trap is taken only if the branch is, at the branch (tval = target).
      t.b.callVoid(helper_check_target, t.b.select(c, t.b.const(target), t.b.const(0n)))
    } else {
      t.b.brCond(c, target)
    }
    t.b.goto(t.next)
    t.ended = true
    return true
  }

const gen_load =
  (size: 1 | 2 | 4 | 8, signed: boolean): TransFn =>
  (t, a) => {
    gen_wx(t, a.rd, t.b.load(gen_addr(t, a), size, signed))
    return true
  }

const gen_store =
  (size: 1 | 2 | 4 | 8): TransFn =>
  (t, a) => {
    t.b.store(gen_addr(t, a), gen_rx(t, a.rs2), size)
    return true
  }

/** 32-bit shifts: operate on the low word, sign-extend the result. */
const gen_shiftw =
  (op: Op.Shl | Op.Shr | Op.Sar, fromImm: boolean): TransFn =>
  (t, a) => {
    const src = gen_rx(t, a.rs1)
    const x = op === Op.Shl ? src : t.b.un(op === Op.Sar ? Op.Sext32 : Op.Zext32, src)
    const sh = fromImm ? gen_imm(t, a.imm) : t.b.bin(Op.And, gen_rx(t, a.rs2), gen_imm(t, 31))
    gen_wx(t, a.rd, t.b.un(Op.Sext32, t.b.bin(op, x, sh)))
    return true
  }

const nop: TransFn = () => true

export const trans_rv64i: Record<string, TransFn> = {
  lui: (t, a) => {
    gen_wx(t, a.rd, gen_imm(t, a.imm))
    return true
  },
  auipc: (t, a) => {
    gen_wx(t, a.rd, gen_imm(t, t.pc + BigInt(a.imm)))
    return true
  },
  jal: (t, a) => {
    const target = t.pc + BigInt(a.imm)
    if (misaligned(t, target)) {
      t.b.raise(Cause.InsnMisaligned, target)
    } else {
      gen_wx(t, a.rd, gen_imm(t, t.next))
      t.b.goto(target)
    }
    t.ended = true
    return true
  },
  jalr: (t, a: Args) => {
    // Compute the target before writing rd: rd may be rs1.
    const target = t.b.bin(Op.And, gen_addr(t, a), gen_imm(t, -2))
    if (!t.exts.has('c')) t.b.callVoid(helper_check_target, target)
    gen_wx(t, a.rd, gen_imm(t, t.next))
    t.b.gotoInd(target)
    t.ended = true
    return true
  },
  beq: gen_branch(Op.Eq),
  bne: gen_branch(Op.Ne),
  blt: gen_branch(Op.LtS),
  bge: gen_branch(Op.GeS),
  bltu: gen_branch(Op.LtU),
  bgeu: gen_branch(Op.GeU),
  lb: gen_load(1, true),
  lh: gen_load(2, true),
  lw: gen_load(4, true),
  ld: gen_load(8, false),
  lbu: gen_load(1, false),
  lhu: gen_load(2, false),
  lwu: gen_load(4, false),
  sb: gen_store(1),
  sh: gen_store(2),
  sw: gen_store(4),
  sd: gen_store(8),
  addi: gen_arith_imm(Op.Add),
  slti: gen_arith_imm(Op.LtS),
  sltiu: gen_arith_imm(Op.LtU),
  xori: gen_arith_imm(Op.Xor),
  ori: gen_arith_imm(Op.Or),
  andi: gen_arith_imm(Op.And),
  slli: gen_arith_imm(Op.Shl),
  srli: gen_arith_imm(Op.Shr),
  srai: gen_arith_imm(Op.Sar),
  add: gen_arith(Op.Add),
  sub: gen_arith(Op.Sub),
  sll: gen_arith(Op.Shl),
  slt: gen_arith(Op.LtS),
  sltu: gen_arith(Op.LtU),
  xor: gen_arith(Op.Xor),
  srl: gen_arith(Op.Shr),
  sra: gen_arith(Op.Sar),
  or: gen_arith(Op.Or),
  and: gen_arith(Op.And),
  // User mode has one hart with a coherent memory model inside the engine: ordering fences are no-ops.
  fence: nop,
  pause: nop,
  'fence.i': (t) => {
    t.b.callVoid(helper_fence_i)
    t.b.goto(t.next)
    t.ended = true
    return true
  },
  ecall: (t) => {
    t.b.raise(Cause.EcallU, 0n)
    t.ended = true
    return true
  },
  ebreak: (t) => {
    t.b.raise(Cause.Breakpoint, t.pc)
    t.ended = true
    return true
  },
  addiw: gen_arith_imm(Op.Add, Op.Sext32),
  slliw: gen_shiftw(Op.Shl, true),
  srliw: gen_shiftw(Op.Shr, true),
  sraiw: gen_shiftw(Op.Sar, true),
  addw: gen_arith(Op.Add, Op.Sext32),
  subw: gen_arith(Op.Sub, Op.Sext32),
  sllw: gen_shiftw(Op.Shl, false),
  srlw: gen_shiftw(Op.Shr, false),
  sraw: gen_shiftw(Op.Sar, false),
}
