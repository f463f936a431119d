/**
 * The binary64 fast paths (`fp-fast.ts`) against their helpers: each
 * arithmetic instruction is translated once, compiled by the wasm backend
 * (which takes fast paths) and run by the interpreter (which always calls
 * the helper), then both run on the same operands and fcsr, drawn to reach
 * the edges of every condition: exponents next to each range limit, zeros,
 * subnormals, infinities and NaNs; exact and inexact results; fused
 * multiply-adds with cancellation and with sums next to rounding ties; NX
 * set and clear; frm RNE, another mode, and reserved. Results, fcsr and traps
 * must be equal, and the fast path must have run on a good share of cases
 * (counted through a wrapper around the helper of the compiled copy).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Rng } from '../../../../tests/random/rng.js'
import { type Backend, ExitKind } from '../../../backend/backend.js'
import { interpBackend } from '../../../backend/interp/interp.js'
import { fromF, toF } from '../../../backend/ops.js'
import { wasmBackend } from '../../../backend/wasm/wasmgen.js'
import { Arena } from '../../../core/arena.js'
import { PagedMemory, Prot } from '../../../core/paged-memory.js'
import { Cpu } from '../../../exec/cpu.js'
import { TbCache } from '../../../exec/tb-cache.js'
import { type Helper, type IrBlock, Op } from '../../../ir/ir.js'
import { DEFAULT_EXTS, Slot } from '../cpu.js'
import { Decoder } from '../decode/decoder.js'
import { translateBlock } from '../translate.js'

const CODE = 0x10000n
const CASES = 50000
const [FD, FA, FB, FC] = [10, 11, 12, 13]
const NX = 1n
const RNE = 0
const DYN = 7

const rng = new Rng(0x5eed_f00d)

/** A biased exponent field: next to a limit some condition uses, or anywhere. */
function exponent(): number {
  const limits = [-1074, -1022, -1021, -968, -960, 0, 995, 1000, 1020, 1021, 1023].map((e) => e + 1023)
  switch (rng.int(8)) {
    case 0:
      return rng.pick([0, 1, 2, 2045, 2046, 2047])
    case 1:
    case 2:
      return Math.min(Math.max(rng.pick(limits) + rng.range(-3, 3), 0), 2047)
    case 3:
      return rng.range(1023 - 40, 1023 + 40)
    default:
      return rng.range(1023 - 300, 1023 + 300)
  }
}

/** A fraction field: random, empty, full, or with few significant bits (exact results). */
function fraction(): bigint {
  const r = rng.u64() & ((1n << 52n) - 1n)
  switch (rng.int(6)) {
    case 0:
      return 0n
    case 1:
      return (1n << 52n) - 1n
    case 2:
      return r & ~((1n << BigInt(rng.range(40, 52))) - 1n)
    default:
      return r
  }
}

const operand = (): bigint => (rng.chance(0.5) ? 1n << 63n : 0n) | (BigInt(exponent()) << 52n) | fraction()

const num = toF
const bits = fromF
/** `b` moved by up to `n` units in the last place. */
const nudge = (b: bigint, n: number): bigint => BigInt.asUintN(64, b + BigInt(rng.range(-n, n)))

/** Operands for `name`: independent, or related so that results are exact, cancel or sit next to ties. */
function operands(name: string): [bigint, bigint, bigint] {
  let [a, b, c] = [operand(), operand(), operand()]
  const kind = rng.int(4)
  if (name.includes('mad') || name.includes('msub')) {
    const p = num(a) * num(b)
    // The addend: cancelling the product, next to it, or a power of two away from it.
    if (kind === 0) c = nudge(bits(-p), 2)
    else if (kind === 1) c = nudge(bits(p * 2 ** rng.range(-60, 60)), 3)
    else if (kind === 2) c = bits(-p * 2 ** rng.range(-2, 2)) ^ BigInt(rng.int(2))
  } else if (name.startsWith('fdiv') && kind === 0) {
    // An exact quotient: a = b × small integer.
    a = bits(num(b) * rng.range(1, 64))
  } else if (name.startsWith('fsqrt')) {
    // Mostly positive; sometimes a perfect square, or next to one.
    if (rng.chance(0.8)) a &= ~(1n << 63n)
    if (kind === 0) {
      const r = num(b) * 2 ** -rng.range(0, 500)
      a = nudge(bits(r * r), rng.int(2))
    }
  } else if ((name.startsWith('fadd') || name.startsWith('fsub')) && kind === 0) {
    b = nudge(a ^ (rng.chance(0.5) ? 1n << 63n : 0n), 4)
  }
  return [a, b, c]
}

interface Case {
  name: string
  word: number
}

/** Binary64 instructions by name: [major opcode, funct7] (R format) or [major opcode] (R4 format, fmt D). */
const ENCODING: Record<string, [number, number?]> = {
  'fadd.d': [0x53, 0x01],
  'fsub.d': [0x53, 0x05],
  'fmul.d': [0x53, 0x09],
  'fdiv.d': [0x53, 0x0d],
  'fsqrt.d': [0x53, 0x2d],
  'fmadd.d': [0x43],
  'fmsub.d': [0x47],
  'fnmsub.d': [0x4b],
  'fnmadd.d': [0x4f],
}

/** fd = op(fa, fb[, fc]) with rounding field `rm` (fsqrt has rs2 = 0). */
function encode(name: string, rm: number): number {
  const [opcode, funct7] = ENCODING[name]!
  const rs2 = name === 'fsqrt.d' ? 0 : FB
  const top = funct7 === undefined ? (FC << 27) | (1 << 25) : funct7 << 25
  return (top | (rs2 << 20) | (FA << 15) | (rm << 12) | (FD << 7) | opcode) >>> 0
}

/** The block of `word` followed by an illegal parcel (which ends every run with an exception). */
function block(mem: PagedMemory, word: number): IrBlock {
  const code = new Uint8Array(8)
  new DataView(code.buffer).setUint32(0, word, true)
  mem.write(CODE, code, true)
  return translateBlock(mem, new Decoder(new Set(DEFAULT_EXTS)), CODE, { maxInsns: 4 })
}

/** `tb` with its helper call replaced by one that counts calls in `count`. */
function counting(tb: IrBlock, count: { calls: number }): IrBlock {
  return {
    ...tb,
    ops: tb.ops.map((o) => {
      if (o.op !== Op.Call) return o
      const h = o.helper
      const helper: Helper = {
        name: h.name,
        effects: h.effects,
        fn: (ctx, a, b, c, d) => {
          count.calls++
          return h.fn(ctx, a, b, c, d)
        },
      }
      return { ...o, helper }
    }),
  }
}

function machine(backend: Backend): { cpu: Cpu; mem: PagedMemory } {
  const arena = new Arena(1 << 20)
  const mem = new PagedMemory(arena)
  mem.map(CODE, 4096n, Prot.RX)
  return { cpu: new Cpu(arena, Slot.Count, mem, new TbCache(backend)), mem }
}

test('binary64 fast paths give the helpers’ results, flags and traps', () => {
  const cases: Case[] = []
  for (const name of Object.keys(ENCODING))
    for (const rm of [RNE, DYN]) cases.push({ name: `${name} rm=${rm}`, word: encode(name, rm) })
  const ref = machine(interpBackend)
  const jit = machine(wasmBackend)
  for (const { name, word } of cases) {
    const tb = block(ref.mem, word)
    block(jit.mem, word)
    assert.ok(
      tb.ops.some((o) => o.op === Op.Call && o.fast !== undefined),
      `${name}: no fast path`,
    )
    const count = { calls: 0 }
    const runRef = interpBackend.prepare(tb)
    const runJit = wasmBackend.prepare(counting(tb, count))
    for (let i = 0; i < CASES; i++) {
      const [a, b, c] = operands(name)
      const frm = rng.pick([0n, 0n, 0n, 0n, 0n, 1n, 3n, 5n])
      const fcsr = (frm << 5n) | (rng.chance(0.7) ? NX : 0n) | (rng.chance(0.2) ? BigInt(rng.int(32)) : 0n)
      const outcome = (cpu: Cpu, run: (cpu: Cpu) => ExitKind) => {
        cpu.regs[Slot.F0 + FA] = a
        cpu.regs[Slot.F0 + FB] = b
        cpu.regs[Slot.F0 + FC] = c
        cpu.regs[Slot.F0 + FD] = 0x1234n
        cpu.regs[Slot.Fcsr] = fcsr
        cpu.pc = CODE
        assert.equal(run(cpu), ExitKind.Exception)
        return { fd: cpu.regs[Slot.F0 + FD]!, fcsr: cpu.regs[Slot.Fcsr]!, pc: cpu.pc, cause: cpu.excCause }
      }
      const want = outcome(ref.cpu, runRef)
      const got = outcome(jit.cpu, runJit)
      const hex = (v: bigint) => `0x${v.toString(16)}`
      assert.deepEqual(got, want, `${name}(${hex(a)}, ${hex(b)}, ${hex(c)}) fcsr ${hex(fcsr)}`)
    }
    // Both ways must be well exercised: operands and fcsr outside the fast path, and inside it.
    const fast = 1 - count.calls / CASES
    assert.ok(fast > 0.15 && fast < 0.95, `${name}: fast path taken in ${(fast * 100).toFixed(1)}% of cases`)
  }
})
