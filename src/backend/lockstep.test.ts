/**
 * The lockstep engine: with a faithful subject it leaves exactly what a
 * plain run leaves (registers, memory, cells, exits, including a block
 * that faults after a store), and with a deliberately wrong subject it
 * stops with a LockstepMismatch naming the block and what differs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Arena } from '../core/arena.js'
import { Access } from '../core/errors.js'
import { PagedMemory, Prot } from '../core/paged-memory.js'
import { PAGE_SHIFT } from '../core/types.js'
import { Cpu } from '../exec/cpu.js'
import { TbCache } from '../exec/tb-cache.js'
import { IrBuilder } from '../ir/builder.js'
import { type Cell, type Helper, HelperEffect, type IrBlock, Op } from '../ir/ir.js'
import { CSR_READ, helper_csr } from '../target/riscv/trans/helpers.js'
import { type Backend, type ExecFn, type ExecState, ExitKind } from './backend.js'
import { interpBackend } from './interp/interp.js'
import { LockstepMismatch, lockstep } from './lockstep.js'
import { wasmBackend } from './wasm/wasmgen.js'

const CODE = 0x10000n
const DATA = 0x20000n
/** Unmapped: loads and stores there fault. */
const HOLE = 0x40000n
/** Mapped write-only. */
const WONLY = 0x50000n
const SLOTS = 8
/** The initial 8 bytes at DATA + a (a multiple of 8). */
const init = (a: bigint): bigint => 0x1111111100000000n + a

function machine(): { cpu: Cpu; mem: PagedMemory; arena: Arena } {
  const arena = new Arena(1 << 20)
  const mem = new PagedMemory(arena)
  mem.map(DATA, 0x2000n, Prot.RW)
  mem.map(DATA + 0x2000n, 0x1000n, Prot.R)
  mem.map(WONLY, 0x1000n, Prot.W)
  return { cpu: new Cpu(arena, SLOTS, mem, new TbCache(interpBackend)), mem, arena }
}

const insns = (n: number): IrBlock['insns'] =>
  Array.from({ length: n }, (_, i) => ({ pc: CODE + BigInt(4 * i), len: 4, bits: 0 }))

/** A subject that runs the interpreter and then does something wrong to the state. */
function wrong(name: string, spoil: (st: ExecState) => void): Backend {
  return {
    name,
    prepare: (tb) => {
      const fn = interpBackend.prepare(tb)
      return (st) => {
        const exit = fn(st)
        spoil(st)
        return exit
      }
    },
  }
}

/**
 * A read-modify-write block: insn 0 stores reg1 + 1 to [reg2] and sets
 * reg3; insn 1 increments the 8 bytes at [reg2 + 8]; insn 2 loads from
 * [reg4] (which may fault) into reg5; insn 3 stores a byte to [reg6].
 */
function rmwBlock(): IrBlock {
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  b.store(b.getReg(2), b.bin(Op.Add, b.getReg(1), b.const(1n)), 8)
  b.setReg(3, b.const(0x33n))
  b.insnStart(CODE + 4n, 1)
  const p = b.bin(Op.Add, b.getReg(2), b.const(8n))
  b.store(p, b.bin(Op.Add, b.load(p, 8, false), b.const(1n)), 8)
  b.insnStart(CODE + 8n, 2)
  b.setReg(5, b.load(b.getReg(4), 4, true))
  b.insnStart(CODE + 12n, 3)
  b.store(b.getReg(6), b.const(0x5an), 1)
  b.goto(CODE + 16n)
  return b.finish(CODE, 16, insns(4))
}

function bytes8(v: bigint): Uint8Array {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, v, true)
  return b
}

interface Result {
  exit: ExitKind
  pc: bigint
  insns: number
  regs: bigint[]
  mem: Uint8Array
  wonly: Uint8Array
  exc?: [number, bigint, boolean]
}

/** Run `fn` `times` times on a fresh machine set up with `regs` and some data; everything it leaves. */
function runOn(fn: ExecFn, regs: bigint[], times = 1): Result {
  const { cpu, mem } = machine()
  for (let a = 0n; a < 0x3000n; a += 8n) mem.write(DATA + a, bytes8(init(a)), true)
  regs.forEach((v, i) => {
    cpu.regs[i] = v
  })
  let exit = ExitKind.Jump
  for (let i = 0; i < times; i++) exit = fn(cpu)
  return {
    exit,
    pc: cpu.pc,
    insns: cpu.blockInsns,
    regs: [...cpu.regs],
    mem: mem.read(DATA, 0x3000),
    wonly: mem.read(WONLY, 16, Access.Any),
    ...(exit === ExitKind.Exception ? { exc: [cpu.excCause, cpu.excTval, cpu.excPermission] } : {}),
  }
}

test('a faithful subject leaves what a plain run leaves, faults after stores included', () => {
  const tb = rmwBlock()
  const cases: [string, bigint[]][] = [
    ['no fault', [0n, 7n, DATA + 0x100n, 0n, DATA + 0x10n, 0n, DATA + 0x11n]],
    ['byte store to a write-only page', [0n, 7n, DATA + 0x100n, 0n, DATA, 0n, WONLY + 9n]],
    ['store to a write-only page, then a load from it faults', [0n, 7n, WONLY, 0n, DATA, 0n, DATA]],
    // Insn 2 faults after insns 0 and 1 stored: the journal must undo both before the subject runs,
    // or the subject's increment would apply twice.
    ['load fault after two stores', [0n, 7n, DATA + 0x100n, 0n, HOLE, 0n, DATA]],
    ['store fault on a read-only page', [0n, 1n, DATA + 0x200n, 0n, DATA, 0n, DATA + 0x2000n]],
    ['store fault crossing into a read-only page', [0n, 1n, DATA + 0x1ffcn, 0n, DATA, 0n, DATA]],
    ['store fault in the first instruction', [0n, 1n, HOLE + 8n, 0n, DATA, 0n, DATA]],
  ]
  for (const subject of [interpBackend, wasmBackend]) {
    const engine = lockstep(interpBackend, subject)
    for (const [name, regs] of cases) {
      const plain = runOn(interpBackend.prepare(tb), regs, 3)
      assert.deepEqual(runOn(engine.prepare(tb), regs, 3), plain, `${subject.name}: ${name}`)
    }
  }
  // The cases do what they say.
  const outcome = (k: number) => {
    const r = runOn(interpBackend.prepare(tb), cases[k]![1], 1)
    return [r.exit, r.pc, r.insns, r.exc, r.wonly[0], r.wonly[9]]
  }
  assert.deepEqual(outcome(0), [ExitKind.Jump, CODE + 16n, 4, undefined, 0, 0])
  assert.deepEqual(outcome(1), [ExitKind.Jump, CODE + 16n, 4, undefined, 0, 0x5a])
  assert.deepEqual(outcome(2), [ExitKind.Exception, CODE + 4n, 2, [13, WONLY + 8n, true], 8, 0])
  assert.deepEqual(outcome(3), [ExitKind.Exception, CODE + 8n, 3, [13, HOLE, false], 0, 0])
  assert.deepEqual(outcome(4), [ExitKind.Exception, CODE + 12n, 4, [15, DATA + 0x2000n, true], 0, 0])
  assert.deepEqual(outcome(5), [ExitKind.Exception, CODE, 1, [15, DATA + 0x2003n, true], 0, 0])
  assert.deepEqual(outcome(6), [ExitKind.Exception, CODE, 1, [15, HOLE + 8n, false], 0, 0])
})

test('the subject runs on memory as it was before the block', () => {
  const tb = rmwBlock()
  const seen: bigint[] = []
  const spy: Backend = {
    name: 'spy',
    prepare: (block) => {
      const fn = interpBackend.prepare(block)
      return (st) => {
        seen.push(st.mem.load(DATA + 0x100n, 8), st.mem.load(DATA + 0x108n, 8))
        return fn(st)
      }
    },
  }
  const r = runOn(lockstep(interpBackend, spy).prepare(tb), [0n, 7n, DATA + 0x100n, 0n, HOLE, 0n, DATA])
  assert.deepEqual(seen, [init(0x100n), init(0x108n)])
  assert.equal(r.exit, ExitKind.Exception)
  const dv = new DataView(r.mem.buffer)
  assert.equal(dv.getBigUint64(0x100, true), 8n)
  assert.equal(dv.getBigUint64(0x108, true), init(0x108n) + 1n)
})

test('a wrong register is reported with the block, both states and only the differing slots', () => {
  const tb = rmwBlock()
  const bad = wrong('bad', (st) => {
    st.regs[5] = st.regs[5]! ^ 0x10n
  })
  const regs = [0n, 7n, DATA + 0x100n, 0n, DATA + 0x10n, 0n, DATA + 0x11n]
  assert.throws(
    () => runOn(lockstep(interpBackend, bad).prepare(tb), regs),
    (e: unknown) => {
      assert.ok(e instanceof LockstepMismatch)
      assert.ok(e instanceof Error)
      const m = e.message
      assert.match(m, /bad differs from interp after the block at 0x0000000000010000 \(4 instructions\)/)
      assert.match(m, /interp \(reference\) +bad \(subject\)/)
      assert.match(m, /^\* slot 5 +0x0000000000000010 +0x0000000000000000$/m)
      assert.match(m, /^ {2}pc +0x0000000000010010 +0x0000000000010010$/m)
      assert.match(m, /^ {2}exit +jump +jump$/m)
      assert.doesNotMatch(m, /slot [0-46-7]\b/)
      assert.doesNotMatch(m, /mem /)
      return true
    },
  )
  // Names and disassembly come from the options.
  assert.throws(
    () =>
      runOn(
        lockstep(interpBackend, bad, {
          slotName: (i) => `x${i}`,
          disassemble: (i) => `insn@${i.pc.toString(16)}`,
        }).prepare(tb),
        regs,
      ),
    /0x0000000000010000: insn@10000\n[\s\S]*0x000000000001000c: insn@1000c\n[\s\S]*\* x5 /,
  )
})

test('a wrong or extra store is reported with the differing bytes', () => {
  const tb = rmwBlock()
  const regs = [0n, 7n, DATA + 0x100n, 0n, DATA + 0x10n, 0n, DATA + 0x11n]
  const extra = wrong('extra', (st) => st.mem.store(DATA + 0x10an, 2, 0xbeefn))
  assert.throws(
    () => runOn(lockstep(interpBackend, extra).prepare(tb), regs),
    (e: unknown) => {
      assert.ok(e instanceof LockstepMismatch)
      // The reference left 0x1111111100000109 at 0x20108 (bytes 09 01 00 00 11 11 11 11); the subject wrote ef be at 0x2010a.
      assert.match(e.message, /^\* mem 0x2010a\.\.0x2010b +00 00 +ef be$/m)
      assert.doesNotMatch(e.message, /slot/)
      return true
    },
  )
  // A byte store that went to the wrong place: the reference's byte is missing.
  const misplaced = wrong('misplaced', (st) => st.mem.store(DATA + 0x11n, 1, 0x10n))
  assert.throws(() => runOn(lockstep(interpBackend, misplaced).prepare(tb), regs), /\* mem 0x20011 +5a +10$/m)
})

test('a long memory difference is listed in rows of 8 bytes, up to 32 rows', () => {
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  for (let k = 0n; k < 40n; k++) b.store(b.const(DATA + 8n * k), b.const(k), 8)
  b.goto(CODE + 4n)
  const tb = b.finish(CODE, 4, insns(1))
  const scribble = wrong('scribble', (st) => {
    for (let k = 0n; k < 40n; k++) st.mem.store(DATA + 8n * k, 8, ~k)
  })
  assert.throws(
    () => runOn(lockstep(interpBackend, scribble).prepare(tb), []),
    (e: unknown) => {
      assert.ok(e instanceof LockstepMismatch)
      const rows = e.message.split('\n').filter((l) => l.startsWith('* mem '))
      assert.equal(rows.length, 32)
      assert.match(rows[1]!, /^\* mem 0x20008\.\.0x2000f +01 00 00 00 00 00 00 00 +fe ff ff ff ff ff ff ff$/)
      assert.match(e.message, /\(64 more bytes differ\)$/)
      return true
    },
  )
})

test('differing exits and exceptions are reported', () => {
  const tb = rmwBlock()
  const jumpy = wrong('jumpy', (st) => {
    st.pc += 4n
  })
  assert.throws(
    () => runOn(lockstep(interpBackend, jumpy).prepare(tb), [0n, 7n, DATA, 0n, DATA, 0n, DATA]),
    /\* pc +0x0000000000010010 +0x0000000000010014$/m,
  )
  const lenient = wrong('lenient', (st) => {
    st.excPermission = true
  })
  assert.throws(
    () => runOn(lockstep(interpBackend, lenient).prepare(tb), [0n, 7n, DATA, 0n, HOLE, 0n, DATA]),
    (e: unknown) => {
      assert.ok(e instanceof LockstepMismatch)
      assert.match(e.message, /^ {2}exit +exception +exception$/m)
      assert.match(e.message, /^ {2}cause +13 +13$/m)
      assert.match(e.message, /^\* permission +false +true$/m)
      return true
    },
  )
  const swallow: Backend = {
    name: 'swallow',
    prepare: (block) => {
      const fn = interpBackend.prepare(block)
      return (st) => {
        fn(st)
        st.pc = CODE + 16n
        return ExitKind.Jump
      }
    },
  }
  assert.throws(
    () => runOn(lockstep(interpBackend, swallow).prepare(tb), [0n, 7n, DATA, 0n, HOLE, 0n, DATA]),
    /^\* exit +exception +jump\n\* pc +0x0000000000010008 +0x0000000000010010\n {2}instructions +3 +3\n\* cause +13 +-\n\* tval +0x0000000000040000 +-$/m,
  )
})

test('both runs read the same clock and instruction count', () => {
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  // csrr x1, time (CSR 0xc01), twice; csrr x3, instret in the third instruction.
  b.setReg(1, b.call(helper_csr, b.const(BigInt(0xc01 | CSR_READ)), b.const(0n), b.const(0n)))
  b.insnStart(CODE + 4n, 1)
  b.setReg(2, b.call(helper_csr, b.const(BigInt(0xc01 | CSR_READ)), b.const(0n), b.const(0n)))
  b.insnStart(CODE + 8n, 2)
  b.setReg(3, b.call(helper_csr, b.const(BigInt(0xc02 | CSR_READ)), b.const(0n), b.const(0n)))
  b.goto(CODE + 12n)
  const tb = b.finish(CODE, 12, insns(3))
  for (const subject of [interpBackend, wasmBackend]) {
    const fn = lockstep(interpBackend, subject).prepare(tb)
    const { cpu } = machine()
    cpu.retired = 1000
    let last = 0n
    for (let i = 0; i < 200; i++) {
      assert.equal(fn(cpu), ExitKind.Jump)
      assert.equal(cpu.pinnedNow, undefined, 'the clock is released after the block')
      assert.ok(cpu.regs[1]! >= last, 'time does not go backwards')
      assert.equal(cpu.regs[2], cpu.regs[1], 'pinned within the block')
      assert.equal(cpu.regs[3], 1003n)
      last = cpu.regs[1]!
    }
    // Across blocks the clock moves on.
    const t0 = cpu.regs[1]!
    const until = performance.now() + 2
    while (performance.now() < until) {}
    fn(cpu)
    assert.ok(cpu.regs[1]! > t0)
  }
})

test('helpers see the shadow registers; fence.i flushes only once', () => {
  let flushes = 0
  const helper: Helper = {
    name: 'double',
    effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs,
    fn: (ctx) => {
      ctx.regs[4] = ctx.regs[4]! * 2n
      ctx.flushCode()
      return undefined
    },
  }
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  b.callVoid(helper)
  b.goto(CODE + 4n)
  const tb = b.finish(CODE, 4, insns(1))
  const { cpu } = machine()
  const realFlush = cpu.flushCode.bind(cpu)
  cpu.flushCode = () => {
    flushes++
    realFlush()
  }
  cpu.regs[4] = 3n
  lockstep(interpBackend, interpBackend).prepare(tb)(cpu)
  assert.equal(cpu.regs[4], 6n)
  assert.equal(flushes, 1)
})

test('instrumentation cells are journaled and compared', () => {
  const { cpu, arena } = machine()
  const base = arena.allocFrame() << PAGE_SHIFT
  arena.dv.setUint32(base, base + 64, true)
  const cell: Cell = { base, stride: 8, offset: 0 }
  // cell += 1, twice in one instruction.
  const tb: IrBlock = {
    pc: CODE,
    size: 4,
    insns: insns(1),
    temps: 5,
    ops: [
      { op: Op.InsnStart, pc: CODE, index: 0 },
      { op: Op.Const, d: 0, imm: 1n },
      { op: Op.CellLoad, d: 1, cell },
      { op: Op.Add, d: 2, a: 1, b: 0 },
      { op: Op.CellStore, cell, a: 2 },
      { op: Op.CellLoad, d: 3, cell },
      { op: Op.Add, d: 4, a: 3, b: 0 },
      { op: Op.CellStore, cell, a: 4 },
      { op: Op.Goto, target: CODE + 4n },
    ],
  }
  const fn = lockstep(interpBackend, wasmBackend).prepare(tb)
  for (let i = 0; i < 3; i++) fn(cpu)
  assert.equal(cpu.cellGet(cell), 6n)
  const off = wrong('off', (st) => st.cellSet(cell, st.cellGet(cell) + 1n))
  assert.throws(
    () => lockstep(interpBackend, off).prepare(tb)(cpu),
    /\* cell @\d+\+0 +0x0000000000000008 +0x0000000000000009$/m,
  )
})
