/**
 * Dispatch inside wasm and hot regions, through the real dispatch loop:
 * a small loop of IR blocks runs under the interpreter and under the
 * tiered wasm backend (whose chain and regions take over once the blocks
 * are hot), with the budget cut small so that every stop is compared:
 * where each run of the loop stops, registers, retired counts, the memory
 * written, a fault inside a region, an exit requested mid-region and a
 * region dropped while it runs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Arena } from '../../core/arena.js'
import { PagedMemory, Prot } from '../../core/paged-memory.js'
import { Cpu } from '../../exec/cpu.js'
import { cpuLoop, LoopExit } from '../../exec/cpu-loop.js'
import { TbCache } from '../../exec/tb-cache.js'
import { IrBuilder } from '../../ir/builder.js'
import { type Helper, HelperEffect, type IrBlock, Op } from '../../ir/ir.js'
import type { Backend } from '../backend.js'
import { interpBackend } from '../interp/interp.js'
import { compileModule, formRegions, tieredWasm } from './wasmgen.js'

const A = 0x10000n
const B = 0x10008n
const C = 0x10010n
const DATA = 0x20000n

const insns = (pc: bigint, n: number): IrBlock['insns'] =>
  Array.from({ length: n }, (_, i) => ({ pc: pc + BigInt(4 * i), len: 4, bits: 0 }))

/** What the test's helper does at each call: told the CPU and the value of r1. */
type Hook = (cpu: Cpu, r1: bigint) => void

/** What A adds to r1 when translated (tests that rewrite A change it, as guest code patching an immediate would). */
let step = 1n

/**
 * A: r1 += 1; r2 += r1; branch to B while r1 < r3, else to C.
 * B: r4 ^= r1 << 7; store r4 at DATA + (r1 >> 4) * 4096 (the fourth page is read-only);
 *    call the hook; back to A.
 * C: raise cause 8 (an ecall).
 */
function program(hook: Hook): Map<bigint, () => IrBlock> {
  const helper: Helper = {
    name: 'hook',
    effects: HelperEffect.ReadsRegs | HelperEffect.WritesRegs,
    fn: (ctx, r1) => {
      hook(ctx as Cpu, r1)
      return 0n
    },
  }
  const a = () => {
    const b = new IrBuilder()
    b.insnStart(A, 0)
    const r1 = b.bin(Op.Add, b.getReg(1), b.const(step))
    b.setReg(1, r1)
    b.insnStart(A + 4n, 1)
    b.setReg(2, b.bin(Op.Add, b.getReg(2), r1))
    b.brCond(b.bin(Op.LtU, r1, b.getReg(3)), B)
    b.goto(C)
    return b.finish(A, 8, insns(A, 2))
  }
  const bb = () => {
    const b = new IrBuilder()
    b.insnStart(B, 0)
    const r1 = b.getReg(1)
    const r4 = b.bin(Op.Xor, b.getReg(4), b.bin(Op.Shl, r1, b.const(7n)))
    b.setReg(4, r4)
    b.insnStart(B + 4n, 1)
    const addr = b.bin(Op.Add, b.const(DATA), b.bin(Op.Shl, b.bin(Op.Shr, r1, b.const(4n)), b.const(12n)))
    b.store(addr, r4, 8)
    b.callVoid(helper, r1)
    b.goto(A)
    return b.finish(B, 8, insns(B, 2))
  }
  const c = () => {
    const b = new IrBuilder()
    b.insnStart(C, 0)
    b.raise(8, 0n)
    return b.finish(C, 4, insns(C, 1))
  }
  return new Map([
    [A, a],
    [B, bb],
    [C, c],
  ])
}

interface Stop {
  exit: LoopExit
  pc: bigint
  retired: number
  regs: bigint[]
  cause?: number
  tval?: bigint
}

/** Run the program from A with r3 = `bound` in budgets of `budget` until an exception; every stop and the data written. */
function run(backend: Backend, bound: bigint, budget: number, hook: Hook = () => {}) {
  const arena = new Arena(1 << 20)
  const mem = new PagedMemory(arena)
  mem.map(DATA, 0x3000n, Prot.RW)
  mem.map(DATA + 0x3000n, 0x1000n, Prot.R)
  const cpu = new Cpu(arena, 8, mem, new TbCache(backend))
  const blocks = program(hook)
  const translator = { translate: (_m: PagedMemory, pc: bigint) => blocks.get(pc)!() }
  cpu.pc = A
  cpu.regs[3] = bound
  step = 1n
  const stops: Stop[] = []
  for (let n = 0; n < 100000; n++) {
    const exit = cpuLoop(cpu, translator, budget, {})
    cpu.exitRequest = false
    stops.push({
      exit,
      pc: cpu.pc,
      retired: cpu.retired,
      regs: [...cpu.regs],
      ...(exit === LoopExit.Exception ? { cause: cpu.excCause, tval: cpu.excTval } : {}),
    })
    if (exit === LoopExit.Exception) break
  }
  const data: bigint[] = []
  for (let off = 0n; off < 0x3000n; off += 0x1000n) data.push(mem.load(DATA + off, 8))
  return { stops, data, cpu }
}

const hot = () => tieredWasm(interpBackend, 2, 2, 1)

test('blocks joined by jumps form regions, never across address spaces or past the size bound', () => {
  const blocks = [...program(() => {}).values()].map((f) => f())
  const r = formRegions(blocks)
  // A and B jump to each other and A to C: one region.
  assert.equal(new Set(r).size, 1)
  // The same code in two address spaces: two regions.
  const twice = [...blocks, ...[...program(() => {}).values()].map((f) => f())]
  const r2 = formRegions(twice, (i) => (i < 3 ? 'one' : 'two'))
  assert.equal(new Set(r2.slice(0, 3)).size, 1)
  assert.equal(new Set(r2.slice(3)).size, 1)
  assert.notEqual(r2[0], r2[3])
  // A chain of 100 blocks each jumping to the next: regions of at most 48.
  const chain = Array.from({ length: 100 }, (_, i) => {
    const b = new IrBuilder()
    const pc = 0x40000n + BigInt(4 * i)
    b.insnStart(pc, 0)
    b.goto(pc + 4n)
    return b.finish(pc, 4, insns(pc, 1))
  })
  const sizes = new Map<number, number>()
  for (const g of formRegions(chain)) sizes.set(g, (sizes.get(g) ?? 0) + 1)
  assert.ok(Math.max(...sizes.values()) <= 48)
  assert.ok(WebAssembly.validate(compileModule(chain, formRegions(chain)).bytes))
  assert.ok(WebAssembly.validate(compileModule(blocks, r).bytes))
})

test('chained and region execution stops where the interpreter does, for every budget', () => {
  for (const budget of [1, 2, 3, 5, 7, 13, 100, 1 << 20]) {
    const ref = run(interpBackend, 40n, budget)
    const got = run(hot(), 40n, budget)
    assert.deepEqual(got.stops, ref.stops, `budget ${budget}`)
    assert.deepEqual(got.data, ref.data)
    const last = ref.stops.at(-1)!
    assert.equal(last.exit, LoopExit.Exception)
    assert.equal(last.pc, C)
    assert.equal(last.regs[1], 40n)
    assert.equal(last.regs[2], (40n * 41n) / 2n)
  }
})

test('a fault inside a region has the faulting PC, registers and retired count of that instruction', () => {
  for (const budget of [3, 1 << 20]) {
    const ref = run(interpBackend, 1000n, budget)
    const got = run(hot(), 1000n, budget)
    assert.deepEqual(got.stops, ref.stops)
    const last = got.stops.at(-1)!
    // r1 = 48 stores into the read-only page.
    assert.equal(last.cause, 15)
    assert.equal(last.tval, DATA + 0x3000n)
    assert.equal(last.pc, B + 4n)
    assert.equal(last.regs[1], 48n)
    // 47 full rounds of A and B (4 instructions), then A and B's first instruction.
    assert.equal(last.retired, 47 * 4 + 3)
  }
})

test('an exit requested from inside a block stops the chain after that block', () => {
  const request: Hook = (cpu, r1) => {
    if (r1 % 9n === 0n) cpu.exitRequest = true
  }
  const ref = run(interpBackend, 40n, 1 << 20, request)
  const got = run(hot(), 40n, 1 << 20, request)
  assert.deepEqual(got.stops, ref.stops)
  // At r1 = 9, 18, 27 and 36, then the ecall.
  assert.equal(got.stops.length, 5)
})

test('a region dropped while it runs is left at its next jump and compiled again', () => {
  // At r1 = 20 and 30, B changes A's step and drops A's translation alone (as a store into A's bytes
  // would): the region holding both is stale from then on, B's copy of A included, though B stays.
  const drop: Hook = (cpu, r1) => {
    if (r1 === 20n || r1 === 30n) {
      step += 1n
      cpu.tbs.invalidateStore(Number(A))
    }
  }
  const ref = run(interpBackend, 40n, 1 << 20, drop)
  const got = run(hot(), 40n, 1 << 20, drop)
  // The region stops at the jump after each drop (an extra return from the loop, at A); the run is the same.
  assert.deepEqual(got.stops.at(-1), ref.stops.at(-1))
  assert.deepEqual(got.data, ref.data)
  assert.deepEqual(
    got.stops.slice(0, -1).map((s) => [s.exit, s.pc, s.regs[1]]),
    [
      [LoopExit.Budget, A, 20n],
      [LoopExit.Budget, A, 30n],
    ],
  )
  assert.equal(got.cpu.tbs.invalidated, 2)
})
