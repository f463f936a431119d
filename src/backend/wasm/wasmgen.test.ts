/**
 * The wasm backend against the reference interpreter: every IR op on
 * edge-case and random operands, memory access through the TLB (hits,
 * misses, page-crossing, faults, copy-on-write after fork, invalidation),
 * helpers and every kind of block exit, each compared field by field with
 * what the interpreter leaves in the CPU.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Arena } from '../../core/arena.js'
import { GuestTrap } from '../../core/errors.js'
import { PagedMemory, Prot, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_WRITE_OFFSET } from '../../core/paged-memory.js'
import { Cpu } from '../../exec/cpu.js'
import { TbCache } from '../../exec/tb-cache.js'
import { IrBuilder } from '../../ir/builder.js'
import { BIN_OPS, type Helper, HelperEffect, type IrBlock, Op, UN_OPS } from '../../ir/ir.js'
import { type Backend, ExitKind } from '../backend.js'
import { interpBackend } from '../interp/interp.js'
import { compileModule, tieredWasm, wasmBackend } from './wasmgen.js'

const MIN = 1n << 63n
const EDGES = [
  0n,
  1n,
  2n,
  63n,
  64n,
  65n,
  127n,
  128n,
  255n,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  1n << 32n,
  MIN - 1n,
  MIN,
  MIN + 1n,
  (1n << 64n) - 2n,
  (1n << 64n) - 1n,
  0x0123456789abcdefn,
]

let seed = 0x9e3779b97f4a7c15n
/** A deterministic 64-bit pseudo-random value (xorshift64). */
function rand(): bigint {
  seed ^= (seed << 13n) & 0xffffffffffffffffn
  seed ^= seed >> 7n
  seed ^= (seed << 17n) & 0xffffffffffffffffn
  return seed
}
/** Operand values: the edge cases, random values, random small ones (shift counts, sign bits) and everyday binary64 numbers. */
function operands(n: number): bigint[] {
  const out = [
    ...EDGES,
    ...[1, -0.1, 3.75, 1e300, -1e-300, 0.5].map((x) => new BigUint64Array(new Float64Array([x]).buffer)[0]!),
  ]
  for (let i = 0; i < n; i++) out.push(i % 3 === 0 ? rand() & 0x7fn : rand())
  return out
}

const CODE = 0x10000n
const DATA = 0x20000n

function machine(backend: Backend = interpBackend): { cpu: Cpu; mem: PagedMemory; arena: Arena } {
  const arena = new Arena(1 << 20)
  const mem = new PagedMemory(arena)
  mem.map(DATA, 0x3000n, Prot.RW)
  mem.map(DATA + 0x3000n, 0x1000n, Prot.R)
  return { cpu: new Cpu(arena, 8, mem, new TbCache(backend)), mem, arena }
}

const insns = (n: number): IrBlock['insns'] =>
  Array.from({ length: n }, (_, i) => ({ pc: CODE + BigInt(4 * i), len: 4, bits: 0 }))

/** Run `tb` once with the interpreter and once with wasm from the same registers and memory (filled by `setup`); compare everything. */
function same(
  tb: IrBlock,
  regs: bigint[],
  prepared: ReturnType<Backend['prepare']>,
  setup?: (mem: PagedMemory) => void,
): void {
  const results = [interpBackend.prepare(tb), prepared].map((fn) => {
    const { cpu, mem } = machine()
    setup?.(mem)
    regs.forEach((v, i) => {
      cpu.regs[i] = v
    })
    const exit = fn(cpu)
    return {
      exit,
      pc: cpu.pc,
      insns: cpu.blockInsns,
      regs: [...cpu.regs],
      ...(exit === ExitKind.Exception
        ? { cause: cpu.excCause, tval: cpu.excTval, perm: cpu.excPermission }
        : {}),
    }
  })
  assert.deepEqual(results[1], results[0])
}

/** The binary64 ops, whose NaN results have unspecified bits (docs/ir.md). */
const FLOAT_OPS = new Set<Op>([Op.FAdd, Op.FSub, Op.FMul, Op.FDiv, Op.FSqrt])
const isNaN64 = (v: bigint): boolean => (v & ((1n << 63n) - 1n)) > 0x7ffn << 52n

/** Check `got` against the interpreter's `want` for op `op`: any NaN stands for a NaN from a binary64 op. */
function agrees(op: Op, got: bigint, want: bigint, what: string): void {
  if (FLOAT_OPS.has(op) && isNaN64(want))
    assert.ok(isNaN64(got), `${what}: 0x${got.toString(16)} is not a NaN`)
  else assert.equal(got, want, what)
}

test('binary ops agree with the interpreter', () => {
  const vals = operands(40)
  for (const op of BIN_OPS) {
    const b = new IrBuilder()
    b.insnStart(CODE, 0)
    b.setReg(3, b.bin(op, b.getReg(1), b.getReg(2)))
    b.goto(CODE + 4n)
    const tb = b.finish(CODE, 4, insns(1))
    const wasm = wasmBackend.prepare(tb)
    const interp = interpBackend.prepare(tb)
    const { cpu } = machine()
    for (const x of vals) {
      for (const y of vals) {
        cpu.regs[1] = x
        cpu.regs[2] = y
        interp(cpu)
        const want = cpu.regs[3]!
        cpu.regs[3] = 0n
        assert.equal(wasm(cpu), ExitKind.Jump)
        agrees(op, cpu.regs[3]!, want, `op ${op}(0x${x.toString(16)}, 0x${y.toString(16)})`)
        assert.equal(cpu.pc, CODE + 4n)
        assert.equal(cpu.blockInsns, 1)
      }
    }
  }
})

test('unary ops, constants and select agree with the interpreter', () => {
  const vals = operands(200)
  for (const op of UN_OPS) {
    const b = new IrBuilder()
    b.insnStart(CODE, 0)
    b.setReg(3, b.un(op, b.getReg(1)))
    b.goto(CODE + 4n)
    const tb = b.finish(CODE, 4, insns(1))
    const wasm = wasmBackend.prepare(tb)
    const interp = interpBackend.prepare(tb)
    const { cpu } = machine()
    for (const x of vals) {
      cpu.regs[1] = x
      interp(cpu)
      const want = cpu.regs[3]!
      cpu.regs[3] = 0n
      wasm(cpu)
      agrees(op, cpu.regs[3]!, want, `op ${op}(0x${x.toString(16)})`)
    }
  }
  for (const c of [0n, 1n, MIN, (1n << 64n) - 1n]) {
    const b = new IrBuilder()
    b.insnStart(CODE, 0)
    b.setReg(3, b.select(b.getReg(1), b.const(0xdeadbeefcafef00dn), b.const(-5n)))
    b.goto(CODE + 4n)
    same(b.finish(CODE, 4, insns(1)), [0n, c], wasmBackend.prepare(b.finish(CODE, 4, insns(1))))
  }
})

/** A block of loads and stores: reg1 = address; each access of every size and signedness. */
function memoryBlock(): IrBlock {
  const b = new IrBuilder()
  let i = 0
  const a = () => {
    b.insnStart(CODE + BigInt(4 * i), i)
    i++
    return b.getReg(1)
  }
  for (const size of [1, 2, 4, 8] as const) {
    b.setReg(2, b.load(a(), size, false))
    b.setReg(3, b.load(a(), size, true))
    b.store(a(), b.bin(Op.Add, b.getReg(3), b.const(0x0102030405060708n)), size)
    b.setReg(4, b.load(a(), 8, false))
  }
  b.goto(CODE + BigInt(4 * i))
  return b.finish(CODE, 4 * i, insns(i))
}

test('loads and stores agree with the interpreter, including page crossings and faults', () => {
  const tb = memoryBlock()
  const offsets = [
    0n,
    8n,
    0xffdn,
    0xffen,
    0xfffn,
    0x1000n,
    0x1ffcn,
    0x2ff9n,
    0x2fffn,
    0x3000n,
    0x3ff8n,
    0x4000n,
  ]
  for (const off of offsets) {
    // Fresh prepared code each time, and the same code run twice: first misses, then hits in the TLB.
    const wasm = wasmBackend.prepare(tb)
    const fill = (m: PagedMemory) => {
      for (let j = 0n; j < 0x3000n; j += 8n) m.store(DATA + j, 8, j * 0x0101010101010101n)
    }
    same(tb, [0n, DATA + off, 0n, 0n, 0n], wasm, fill)
    // The same block twice in one address space: the second run hits in the TLB the first one filled.
    const twice = (fn: ReturnType<Backend['prepare']>) => {
      const { cpu, mem } = machine()
      fill(mem)
      cpu.regs[1] = DATA + off
      fn(cpu)
      fn(cpu)
      return [cpu.pc, cpu.blockInsns, [...cpu.regs], mem.read(DATA, 0x4000)]
    }
    assert.deepEqual(twice(wasm), twice(interpBackend.prepare(tb)))
  }
  // Addresses beyond the address space and wrapping ones fault like the interpreter.
  for (const addr of [1n << 40n, (1n << 64n) - 4n, MIN]) same(tb, [0n, addr], wasmBackend.prepare(tb))
})

test('the TLB never serves a page after a change of mapping', () => {
  const { cpu, mem } = machine()
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  b.setReg(2, b.load(b.getReg(1), 8, false))
  b.insnStart(CODE + 4n, 1)
  b.store(b.getReg(1), b.const(7n), 8)
  b.goto(CODE + 8n)
  const run = wasmBackend.prepare(b.finish(CODE, 8, insns(2)))
  cpu.regs[1] = DATA
  // The first store copies the zero page, which drops the page's read entry; the second run refills it.
  assert.equal(run(cpu), ExitKind.Jump)
  assert.equal(run(cpu), ExitKind.Jump)
  assert.equal(cpu.regs[2], 7n)
  const entry = mem.tlbOffset + ((Number(DATA) >>> 12) & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES
  assert.equal(cpu.arena.dv.getInt32(entry, true), Number(DATA) >>> 12, 'read TLB filled')
  assert.equal(cpu.arena.dv.getInt32(entry + TLB_WRITE_OFFSET, true), Number(DATA) >>> 12, 'write TLB filled')
  // Read-only now: the load still works, the store faults at the second instruction.
  mem.protect(DATA, 0x1000n, Prot.R)
  assert.equal(run(cpu), ExitKind.Exception)
  assert.deepEqual(
    [cpu.excCause, cpu.excTval, cpu.pc, cpu.blockInsns, cpu.excPermission],
    [15, DATA, CODE + 4n, 2, true],
  )
  // Unmapped: the load faults at the first instruction.
  mem.unmap(DATA, 0x1000n)
  assert.equal(run(cpu), ExitKind.Exception)
  assert.deepEqual(
    [cpu.excCause, cpu.excTval, cpu.pc, cpu.blockInsns, cpu.excPermission],
    [13, DATA, CODE, 1, false],
  )
  // Remapped: fresh zero page.
  mem.map(DATA, 0x1000n, Prot.RW)
  cpu.regs[2] = 1n
  assert.equal(run(cpu), ExitKind.Jump)
  assert.equal(cpu.regs[2], 0n)
  assert.equal(mem.load(DATA, 8), 7n)
})

test('writes after fork go to a private copy', () => {
  const { cpu, mem, arena } = machine()
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  b.store(b.getReg(1), b.getReg(2), 8)
  b.goto(CODE + 4n)
  const run = wasmBackend.prepare(b.finish(CODE, 4, insns(1)))
  cpu.regs[1] = DATA
  cpu.regs[2] = 1n
  run(cpu)
  const child = mem.fork()
  const childCpu = new Cpu(arena, 8, child, new TbCache(interpBackend))
  childCpu.regs[1] = DATA
  childCpu.regs[2] = 2n
  cpu.regs[2] = 3n
  run(cpu)
  assert.equal(mem.load(DATA, 8), 3n)
  assert.equal(child.load(DATA, 8), 1n)
  run(childCpu)
  assert.equal(mem.load(DATA, 8), 3n)
  assert.equal(child.load(DATA, 8), 2n)
})

test('helpers see arguments and the instruction count; their traps are precise', () => {
  const seen: bigint[] = []
  const helper: Helper = {
    name: 'probe',
    effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs | HelperEffect.Traps,
    fn: (ctx, a, b) => {
      seen.push(a, b, ctx.instret())
      if (a === 99n) throw new GuestTrap(2, 0x1234n)
      ctx.regs[5] = a + b
      return a * 2n
    },
  }
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  b.setReg(6, b.const(1n))
  b.insnStart(CODE + 4n, 1)
  b.setReg(3, b.call(helper, b.getReg(1), b.const(-1n)))
  b.insnStart(CODE + 8n, 2)
  b.setReg(4, b.getReg(5))
  b.goto(CODE + 12n)
  const tb = b.finish(CODE, 12, insns(3))
  for (const a of [5n, 99n]) {
    seen.length = 0
    same(tb, [0n, a], wasmBackend.prepare(tb))
    assert.deepEqual(seen.slice(0, 3), [a, (1n << 64n) - 1n, 2n])
  }
})

test('every kind of exit follows the protocol', () => {
  const b = new IrBuilder()
  b.insnStart(CODE, 0)
  b.brCond(b.bin(Op.Eq, b.getReg(1), b.const(1n)), 0x5000n)
  b.insnStart(CODE + 4n, 1)
  b.brCond(b.bin(Op.Eq, b.getReg(1), b.const(2n)), (1n << 64n) - 2n)
  b.insnStart(CODE + 8n, 2)
  const isThree = b.bin(Op.Eq, b.getReg(1), b.const(3n))
  b.setReg(2, isThree)
  b.brCond(isThree, CODE + 100n)
  b.insnStart(CODE + 12n, 3)
  b.brCond(b.bin(Op.Eq, b.getReg(1), b.const(4n)), CODE)
  b.insnStart(CODE + 16n, 4)
  b.brCond(b.bin(Op.Ne, b.getReg(1), b.const(5n)), CODE + 24n)
  b.insnStart(CODE + 20n, 5)
  b.raise(3, 0xfedcba9876543210n)
  const tb = b.finish(CODE, 24, insns(6))
  const wasm = wasmBackend.prepare(tb)
  for (const r of [1n, 2n, 3n, 4n, 5n, 6n]) same(tb, [0n, r], wasm)
  const g = new IrBuilder()
  g.insnStart(CODE, 0)
  g.gotoInd(g.bin(Op.Add, g.getReg(1), g.const(-4n)))
  const tg = g.finish(CODE, 4, insns(1))
  for (const r of [0n, 8n, MIN]) same(tg, [0n, r], wasmBackend.prepare(tg))
})

test('a module holds many blocks; tiering compiles batches and still agrees', () => {
  const blocks: IrBlock[] = []
  for (let k = 0; k < 10; k++) {
    const b = new IrBuilder()
    b.insnStart(CODE, 0)
    b.setReg(3, b.bin(Op.Add, b.getReg(1), b.const(BigInt(k))))
    b.goto(CODE + BigInt(k))
    blocks.push(b.finish(CODE, 4, insns(1)))
  }
  assert.ok(WebAssembly.validate(compileModule(blocks).bytes))
  const backend = tieredWasm(interpBackend, 2, 4, 3)
  const fns = blocks.map((tb) => backend.prepare(tb))
  const { cpu } = machine()
  for (let round = 0; round < 8; round++) {
    for (const [k, fn] of fns.entries()) {
      cpu.regs[1] = BigInt(round)
      assert.equal(fn(cpu), ExitKind.Jump)
      assert.equal(cpu.regs[3], BigInt(round + k))
      assert.equal(cpu.pc, CODE + BigInt(k))
    }
  }
})
