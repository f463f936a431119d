/**
 * Semantics of the trickier instructions of every extension, through the
 * real pipeline: words assembled from the decode rows into a code page,
 * translated with translateBlock and executed by the reference interpreter,
 * then again by the JS and wasm backends, which must agree. Each case sets registers,
 * runs to the end of its code and checks registers, memory, fcsr or the trap.
 */
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { type Backend, ExitKind } from '../../../backend/backend.js'
import { interpBackend } from '../../../backend/interp/interp.js'
import { jsBackend } from '../../../backend/js/jsgen.js'
import { wasmBackend } from '../../../backend/wasm/wasmgen.js'
import { Arena } from '../../../core/arena.js'
import { PagedMemory, Prot } from '../../../core/paged-memory.js'
import { Cpu } from '../../../exec/cpu.js'
import { TbCache } from '../../../exec/tb-cache.js'
import { Cause, DEFAULT_EXTS, Slot } from '../cpu.js'
import { compileTables, Decoder } from '../decode/decoder.js'
import type { Args, Ext } from '../decode/table.js'
import { allTables } from '../decode/tables.js'
import { translateBlock } from '../translate.js'

// ---- a tiny assembler over the decode rows ----

const ROWS = new Map(compileTables(allTables).map((r) => [r.row.name, r]))

/** Operand fields at their standard positions (R, R4, I, AMO and shift-immediate formats). */
const FIELDS: Record<keyof Omit<Args, 'csr'>, [shift: number, bits: number]> = {
  rd: [7, 5],
  rs1: [15, 5],
  rs2: [20, 5],
  rs3: [27, 5],
  rm: [12, 3],
  imm: [20, 12],
  aq: [26, 1],
  rl: [25, 1],
}

/** Encode a 32-bit instruction; every given field must fall in the row's operand bits. */
function asm(name: string, ops: Partial<Omit<Args, 'csr'>> = {}): number {
  const row = ROWS.get(name)
  assert.ok(row !== undefined && row.width === 32, `no 32-bit row ${name}`)
  let w = row.match
  for (const [k, v] of Object.entries(ops) as [keyof typeof FIELDS, number][]) {
    const [shift, bits] = FIELDS[k]
    const field = ((v & ((1 << bits) - 1)) << shift) >>> 0
    const fieldMask = (((1 << bits) - 1) << shift) >>> 0
    assert.equal((fieldMask & row.mask) >>> 0 === 0 || k === 'imm', true, `${name} has no ${k} field`)
    assert.equal((field & row.mask) >>> 0, 0, `${name}: ${k}=${v} overlaps fixed bits`)
    w = (w | field) >>> 0
  }
  return w
}

// ---- running code ----

const CODE = 0x10000n
const DATA = 0x20000n
const A0 = 10
const A1 = 11
const A2 = 12
const A3 = 13
const A4 = 14

interface Setup {
  x?: Record<number, bigint>
  f?: Record<number, bigint>
  fcsr?: bigint
  /** Initial data: [address, size, value]. */
  mem?: [bigint, 1 | 2 | 4 | 8, bigint][]
  exts?: readonly Ext[]
}

interface Outcome {
  x(r: number): bigint
  f(r: number): bigint
  fcsr: bigint
  load(addr: bigint, size: 1 | 2 | 4 | 8): bigint
  /** The exception that stopped execution before the end of the code, if any. */
  trap?: { cause: number; tval: bigint; pc: bigint }
}

/** The backend of the running suite (set by its `before` hook). */
let backend: Backend = interpBackend

/** Run `words` from CODE until execution falls off their end (the zero parcel after them is illegal). */
function run(words: number[], setup: Setup = {}): Outcome {
  const arena = new Arena(1 << 20)
  const mem = new PagedMemory(arena)
  mem.map(CODE, 4096n, Prot.RX)
  mem.map(DATA, 4096n, Prot.RW)
  const code = new DataView(new ArrayBuffer(words.length * 4))
  for (const [i, w] of words.entries()) code.setUint32(i * 4, w, true)
  mem.write(CODE, new Uint8Array(code.buffer), true)
  for (const [addr, size, v] of setup.mem ?? []) mem.store(addr, size, v)
  const cpu = new Cpu(arena, Slot.Count, mem, new TbCache(backend))
  for (const [r, v] of Object.entries(setup.x ?? {})) cpu.regs[Slot.X0 + Number(r)] = BigInt.asUintN(64, v)
  for (const [r, v] of Object.entries(setup.f ?? {})) cpu.regs[Slot.F0 + Number(r)] = BigInt.asUintN(64, v)
  cpu.regs[Slot.Fcsr] = setup.fcsr ?? 0n
  const decoder = new Decoder(new Set(setup.exts ?? DEFAULT_EXTS))
  const end = CODE + BigInt(words.length * 4)
  cpu.pc = CODE
  for (let blocks = 0; blocks < 1000; blocks++) {
    const tb = translateBlock(mem, decoder, cpu.pc, { maxInsns: 16 })
    if (backend.prepare(tb)(cpu) !== ExitKind.Exception) continue
    const finished = cpu.pc === end && cpu.excCause === Cause.IllegalInsn && cpu.excTval === 0n
    return {
      x: (r) => cpu.regs[Slot.X0 + r]!,
      f: (r) => cpu.regs[Slot.F0 + r]!,
      fcsr: cpu.regs[Slot.Fcsr]!,
      load: (addr, size) => mem.load(addr, size),
      trap: finished ? undefined : { cause: cpu.excCause, tval: cpu.excTval, pc: cpu.pc },
    }
  }
  throw new Error('code did not terminate')
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v)
const sext32 = (v: bigint): bigint => u64(BigInt.asIntN(32, v))

/** rd = op(rs1 = a, rs2 = b): the result for each [a, b, expected]. */
function binCases(name: string, cases: [bigint, bigint, bigint][], exts?: readonly Ext[]): void {
  for (const [a, b, want] of cases) {
    const r = run([asm(name, { rd: A0, rs1: A1, rs2: A2 })], {
      x: { [A1]: a, [A2]: b },
      ...(exts ? { exts } : {}),
    })
    assert.equal(r.trap, undefined, `${name} trapped`)
    assert.equal(r.x(A0), u64(want), `${name}(0x${u64(a).toString(16)}, 0x${u64(b).toString(16)})`)
  }
}

/** rd = op(rs1 = a, imm): for each [a, imm, expected]. */
function immCases(name: string, cases: [bigint, number, bigint][]): void {
  for (const [a, imm, want] of cases) {
    const r = run([asm(name, { rd: A0, rs1: A1, imm })], { x: { [A1]: a } })
    assert.equal(r.trap, undefined, `${name} trapped`)
    assert.equal(r.x(A0), u64(want), `${name}(0x${u64(a).toString(16)}, ${imm})`)
  }
}

/** rd = op(rs1 = a): for each [a, expected]. */
function unCases(name: string, cases: [bigint, bigint][]): void {
  for (const [a, want] of cases) {
    const r = run([asm(name, { rd: A0, rs1: A1 })], { x: { [A1]: a } })
    assert.equal(r.trap, undefined, `${name} trapped`)
    assert.equal(r.x(A0), u64(want), `${name}(0x${u64(a).toString(16)})`)
  }
}

// ---- FP values ----

const f64Bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!
const f32Raw = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]!)
/** A NaN-boxed single. */
const f32Bits = (x: number): bigint => 0xffff_ffff_0000_0000n | f32Raw(x)
const BOXED_CANONICAL_NAN = 0xffff_ffff_7fc0_0000n
const D_CANONICAL_NAN = 0x7ff8_0000_0000_0000n
const NX = 1n
const DZ = 8n
const NV = 16n
const RM = { rne: 0, rtz: 1, rdn: 2, rup: 3, rmm: 4, dyn: 7 } as const
const frm = (rm: number): bigint => BigInt(rm) << 5n

/** fd = op(fs1, fs2) with rounding mode `rm`, on a fresh fcsr. */
function fp2(name: string, a: bigint, b: bigint, rm: number = RM.dyn, fcsr = 0n): Outcome {
  const rmField = ROWS.get(name)!.row.format === 'rm' ? { rm } : {}
  return run([asm(name, { rd: A0, rs1: A1, rs2: A2, ...rmField })], { f: { [A1]: a, [A2]: b }, fcsr })
}

function suite(): void {
  describe('M', () => {
    test('division by zero and overflow follow the ISA table', () => {
      const MIN = 1n << 63n
      binCases('div', [
        [7n, 0n, -1n],
        [MIN, -1n, MIN],
        [-7n, 2n, -3n],
      ])
      binCases('divu', [[7n, 0n, -1n]])
      binCases('rem', [
        [7n, 0n, 7n],
        [MIN, -1n, 0n],
        [-7n, 2n, -1n],
      ])
      binCases('remu', [[7n, 0n, 7n]])
    })

    test('W divisions use the low words and sign-extend', () => {
      binCases('divw', [
        [0x1234_5678_8000_0000n, -1n, 0xffff_ffff_8000_0000n],
        [-7n, 2n, -3n],
        [5n, 0n, -1n],
      ])
      binCases('remw', [
        [0x8000_0000n, -1n, 0n],
        [-7n, 2n, -1n],
      ])
      // rs2's low word is zero: division by zero despite the upper bits.
      binCases('divuw', [[0xffff_ffff_0000_0005n, 0x1_0000_0000n, -1n]])
      binCases('remuw', [
        [0xffff_ffff_8000_0005n, 0x1_0000_0000n, 0xffff_ffff_8000_0005n],
        [0x8000_0005n, 0x10n, 5n],
      ])
    })

    test('high multiplications', () => {
      const MIN = 1n << 63n
      binCases('mulh', [
        [-1n, -1n, 0n],
        [MIN, MIN, 1n << 62n],
        [MIN, 1n, -1n],
      ])
      binCases('mulhu', [[-1n, -1n, -2n]])
      binCases('mulhsu', [
        [-1n, -1n, -1n],
        [2n, -1n, 1n],
      ])
      binCases('mulw', [[0x7fff_ffffn, 2n, -2n]])
    })
  })

  describe('I', () => {
    test('W shifts take the amount mod 32 and sign-extend', () => {
      binCases('sllw', [[1n, 33n, 2n]])
      binCases('srlw', [[0xffff_ffff_8000_0000n, 63n, 1n]])
      binCases('sraw', [[0x8000_0000n, 36n, 0xffff_ffff_f800_0000n]])
      immCases('slliw', [[1n, 31, 0xffff_ffff_8000_0000n]])
      immCases('srliw', [[-16n, 4, 0x0fff_ffffn]])
      immCases('sraiw', [[0x8000_0000n, 31, -1n]])
      binCases('addw', [[0x7fff_ffffn, 1n, 0xffff_ffff_8000_0000n]])
    })

    test('64-bit shifts take the amount mod 64', () => {
      binCases('sll', [[1n, 65n, 2n]])
      binCases('sra', [[1n << 63n, 127n, -1n]])
      immCases('srai', [[1n << 63n, 63, -1n]])
    })
  })

  describe('A', () => {
    /** The AMO on the doubleword `old` at DATA with rs2 = `src`. */
    const amo = (name: string, old: bigint, src: bigint) =>
      run([asm(name, { rd: A0, rs1: A2, rs2: A1 })], { x: { [A1]: src, [A2]: DATA }, mem: [[DATA, 8, old]] })

    test('32-bit min/max compare the low words signed or unsigned', () => {
      const cases: [string, bigint][] = [
        ['amomin.w', 0x8000_0000n],
        ['amominu.w', 1n],
        ['amomax.w', 1n],
        ['amomaxu.w', 0x8000_0000n],
      ]
      for (const [name, stored] of cases) {
        const r = amo(name, 0x1111_1111_8000_0000n, 0xffff_ffff_0000_0001n)
        assert.equal(r.x(A0), 0xffff_ffff_8000_0000n, `${name} returns the old word sign-extended`)
        assert.equal(r.load(DATA, 8), 0x1111_1111_0000_0000n | stored, `${name} stores the low word only`)
      }
    })

    test('amoadd.w wraps within the word', () => {
      const r = amo('amoadd.w', 0x1111_1111_ffff_ffffn, 1n)
      assert.equal(r.x(A0), u64(-1n))
      assert.equal(r.load(DATA, 8), 0x1111_1111_0000_0000n)
    })

    test('64-bit min is signed', () => {
      const r = amo('amomin.d', u64(-5n), 3n)
      assert.equal(r.x(A0), u64(-5n))
      assert.equal(r.load(DATA, 8), u64(-5n))
    })

    test('sc succeeds once after lr, then fails', () => {
      const r = run(
        [
          asm('lr.w', { rd: A0, rs1: A2 }),
          asm('sc.w', { rd: A3, rs1: A2, rs2: A1 }),
          asm('sc.w', { rd: A4, rs1: A2, rs2: A0 }),
        ],
        { x: { [A1]: 42n, [A2]: DATA }, mem: [[DATA, 4, 0x8000_0000n]] },
      )
      assert.equal(r.x(A0), 0xffff_ffff_8000_0000n, 'lr.w sign-extends')
      assert.equal(r.x(A3), 0n, 'first sc succeeds')
      assert.equal(r.x(A4), 1n, 'second sc fails')
      assert.equal(r.load(DATA, 4), 42n)
    })

    test('sc fails without a reservation or at another address', () => {
      const r = run([asm('sc.d', { rd: A3, rs1: A2, rs2: A1 })], { x: { [A1]: 42n, [A2]: DATA } })
      assert.equal(r.x(A3), 1n)
      assert.equal(r.load(DATA, 8), 0n)
      const r2 = run([asm('lr.d', { rd: A0, rs1: A2 }), asm('sc.d', { rd: A3, rs1: A4, rs2: A1 })], {
        x: { [A1]: 42n, [A2]: DATA, [A4]: DATA + 8n },
      })
      assert.equal(r2.x(A3), 1n)
      assert.equal(r2.load(DATA + 8n, 8), 0n)
    })

    test('misaligned lr traps with the address', () => {
      const r = run([asm('lr.w', { rd: A0, rs1: A2 })], { x: { [A2]: DATA + 2n } })
      assert.deepEqual(r.trap, { cause: Cause.LoadMisaligned, tval: DATA + 2n, pc: CODE })
    })
  })

  describe('Zba', () => {
    test('shift-and-add, with and without .uw', () => {
      binCases('add.uw', [[0xffff_ffff_8000_0000n, 1n, 0x8000_0001n]])
      binCases('sh1add', [[3n, 10n, 16n]])
      binCases('sh2add', [[3n, 10n, 22n]])
      binCases('sh3add', [[-1n, 0n, -8n]])
      binCases('sh1add.uw', [[0x1_0000_0003n, 10n, 16n]])
      binCases('sh2add.uw', [[0xffff_ffff_0000_0001n, 1n, 5n]])
      binCases('sh3add.uw', [[-1n, 0n, 0x7_ffff_fff8n]])
      immCases('slli.uw', [
        [0xffff_ffff_8000_0001n, 4, 0x8_0000_0010n],
        [0x8000_0001n, 40, 1n << 40n],
      ])
    })
  })

  describe('Zbb', () => {
    test('logic with negation', () => {
      binCases('andn', [[0b1100n, 0b1010n, 0b0100n]])
      binCases('orn', [[0b1100n, 0b1010n, ~0b0010n]])
      binCases('xnor', [[0b1100n, 0b1010n, ~0b0110n]])
    })

    test('counts, 64-bit and word', () => {
      unCases('clz', [
        [1n, 63n],
        [0n, 64n],
        [-1n, 0n],
      ])
      unCases('clzw', [
        [0xffff_ffff_0000_0001n, 31n],
        [0xffff_ffff_0000_0000n, 32n],
        [0x8000_0000n, 0n],
      ])
      unCases('ctz', [
        [0n, 64n],
        [1n << 63n, 63n],
      ])
      unCases('ctzw', [
        [1n << 32n, 32n],
        [0x80n, 7n],
      ])
      unCases('cpop', [[-1n, 64n]])
      unCases('cpopw', [[0xffff_ffff_0000_0003n, 2n]])
    })

    test('min/max signed and unsigned', () => {
      binCases('max', [[-1n, 1n, 1n]])
      binCases('min', [[-1n, 1n, -1n]])
      binCases('maxu', [[-1n, 1n, -1n]])
      binCases('minu', [[-1n, 1n, 1n]])
    })

    test('sign and zero extension', () => {
      unCases('sext.b', [
        [0x80n, -128n],
        [0x17fn, 0x7fn],
      ])
      unCases('sext.h', [[0x1_8000n, -0x8000n]])
      unCases('zext.h', [[-0xedccn, 0x1234n]])
    })

    test('rotates', () => {
      binCases('rol', [
        [0x8000_0000_0000_0001n, 1n, 3n],
        [0x8000_0000_0000_0001n, 65n, 3n],
      ])
      binCases('ror', [[1n, 1n, 1n << 63n]])
      immCases('rori', [[0x12n, 4, 0x2000_0000_0000_0001n]])
      binCases('rolw', [
        [0xdead_beef_8000_0001n, 1n, 3n],
        [0x8000_0001n, 33n, 3n],
      ])
      binCases('rorw', [[1n, 1n, 0xffff_ffff_8000_0000n]])
      immCases('roriw', [[0xffff_ffff_1234_5678n, 8, 0x7812_3456n]])
    })

    test('orc.b and rev8', () => {
      unCases('orc.b', [[0x0012_0000_3400_0001n, 0x00ff_0000_ff00_00ffn]])
      unCases('rev8', [[0x0102_0304_0506_0708n, 0x0807_0605_0403_0201n]])
    })

    test('needs the extension', () => {
      const r = run([asm('clz', { rd: A0, rs1: A1 })], { exts: ['i', 'm'] })
      assert.equal(r.trap?.cause, Cause.IllegalInsn)
    })
  })

  describe('Zbc', () => {
    test('carry-less products', () => {
      const ones = -1n
      binCases('clmul', [
        [3n, 3n, 5n],
        [ones, ones, 0x5555_5555_5555_5555n],
      ])
      binCases('clmulh', [
        [1n << 63n, 1n << 63n, 1n << 62n],
        [ones, ones, 0x5555_5555_5555_5555n],
        [3n, 3n, 0n],
      ])
      binCases('clmulr', [
        [1n << 63n, 1n << 63n, 1n << 63n],
        [ones, ones, 0xaaaa_aaaa_aaaa_aaaan],
      ])
    })
  })

  describe('Zbs', () => {
    test('single-bit operations take the index mod 64', () => {
      binCases('bclr', [
        [-1n, 63n, (1n << 63n) - 1n],
        [-1n, 67n, ~8n],
      ])
      immCases('bclri', [[-1n, 0, -2n]])
      binCases('bext', [
        [0x10n, 4n, 1n],
        [0x10n, 68n, 1n],
        [0x10n, 3n, 0n],
      ])
      immCases('bexti', [[1n << 63n, 63, 1n]])
      binCases('binv', [
        [0n, 5n, 32n],
        [32n, 5n, 0n],
      ])
      immCases('binvi', [[0n, 63, 1n << 63n]])
      binCases('bset', [[0n, 64n, 1n]])
      immCases('bseti', [[0n, 32, 1n << 32n]])
    })
  })

  describe('Zicond', () => {
    test('czero', () => {
      binCases('czero.eqz', [
        [42n, 0n, 0n],
        [42n, 5n, 42n],
      ])
      binCases('czero.nez', [
        [42n, 0n, 42n],
        [42n, 1n << 63n, 0n],
      ])
    })
  })

  describe('F/D rounding', () => {
    // 1 + 2^-24 is halfway between 1 and the next single, 1 + 2^-23.
    const one = f32Bits(1)
    const half = f32Bits(2 ** -24)
    const up = 0xffff_ffff_3f80_0001n

    test('static rounding modes', () => {
      const want: [number, bigint][] = [
        [RM.rne, one],
        [RM.rtz, one],
        [RM.rdn, one],
        [RM.rup, up],
        [RM.rmm, up],
      ]
      for (const [rm, bits] of want) {
        const r = fp2('fadd.s', one, half, rm)
        assert.equal(r.f(A0), bits, `rm ${rm}`)
        assert.equal(r.fcsr, NX, 'inexact accrues')
      }
      // Negative: RDN goes away from zero, RUP towards it.
      assert.equal(fp2('fsub.s', f32Bits(-1), half, RM.rdn).f(A0), 0xffff_ffff_bf80_0001n)
      assert.equal(fp2('fsub.s', f32Bits(-1), half, RM.rup).f(A0), f32Bits(-1))
    })

    test('dynamic rounding mode comes from frm, and flags accrue next to it', () => {
      const r = fp2('fadd.s', one, half, RM.dyn, frm(RM.rup) | DZ)
      assert.equal(r.f(A0), up)
      assert.equal(r.fcsr, frm(RM.rup) | DZ | NX)
    })

    test('an invalid frm under DYN is an illegal instruction, changing nothing', () => {
      const insn = asm('fadd.d', { rd: A0, rs1: A1, rs2: A2, rm: RM.dyn })
      for (const mode of [5, 6, 7]) {
        const r = run([insn], { f: { [A0]: 123n, [A1]: f64Bits(1), [A2]: f64Bits(0.1) }, fcsr: frm(mode) })
        assert.deepEqual(r.trap, { cause: Cause.IllegalInsn, tval: BigInt(insn), pc: CODE })
        assert.equal(r.f(A0), 123n)
        assert.equal(r.fcsr, frm(mode))
      }
    })

    test('a reserved static rounding mode is an illegal instruction', () => {
      for (const rm of [5, 6]) {
        const insn = asm('fmul.d', { rd: A0, rs1: A1, rs2: A2, rm })
        const r = run([insn], { fcsr: frm(RM.rne) })
        assert.deepEqual(r.trap, { cause: Cause.IllegalInsn, tval: BigInt(insn), pc: CODE })
      }
      // Also where the result does not depend on the mode.
      const r = run([asm('fcvt.d.s', { rd: A0, rs1: A1, rm: 5 })])
      assert.equal(r.trap?.cause, Cause.IllegalInsn)
    })

    test('fcvt.w.d rounds per mode', () => {
      const cases: [number, number, bigint][] = [
        [2.5, RM.rne, 2n],
        [2.5, RM.rmm, 3n],
        [2.5, RM.rup, 3n],
        [2.5, RM.rdn, 2n],
        [-2.5, RM.rdn, -3n],
        [-2.5, RM.rtz, -2n],
        [-2.5, RM.rmm, -3n],
      ]
      for (const [x, rm, want] of cases) {
        const r = run([asm('fcvt.w.d', { rd: A0, rs1: A1, rm })], { f: { [A1]: f64Bits(x) } })
        assert.equal(r.x(A0), u64(want), `fcvt.w.d ${x} rm ${rm}`)
        assert.equal(r.fcsr, NX)
      }
    })

    test('arithmetic exceptions', () => {
      const r = fp2('fdiv.d', f64Bits(1), f64Bits(0), RM.rne)
      assert.equal(r.f(A0), f64Bits(Number.POSITIVE_INFINITY))
      assert.equal(r.fcsr, DZ)
      const q = run([asm('fsqrt.d', { rd: A0, rs1: A1, rm: RM.rne })], { f: { [A1]: f64Bits(-1) } })
      assert.equal(q.f(A0), D_CANONICAL_NAN)
      assert.equal(q.fcsr, NV)
    })
  })

  describe('F/D NaN boxing', () => {
    test('an improperly boxed operand reads as the canonical NaN', () => {
      const r = fp2('fadd.s', 0x3f80_0000n, f32Bits(1), RM.rne)
      assert.equal(r.f(A0), BOXED_CANONICAL_NAN)
      assert.equal(r.fcsr, 0n, 'a quiet NaN raises nothing')
      const c = run([asm('fclass.s', { rd: A0, rs1: A1 })], { f: { [A1]: 0x0000_0000_3f80_0000n } })
      assert.equal(c.x(A0), 1n << 9n, 'quiet NaN class')
    })

    test('single results are boxed', () => {
      const r = fp2('fmul.s', f32Bits(1.5), f32Bits(2), RM.rne)
      assert.equal(r.f(A0), f32Bits(3))
      const m = fp2('fmin.s', f32Bits(-0), f32Bits(0))
      assert.equal(m.f(A0), f32Bits(-0))
      const c = run([asm('fcvt.s.w', { rd: A0, rs1: A1, rm: RM.rne })], { x: { [A1]: -3n } })
      assert.equal(c.f(A0), f32Bits(-3))
    })

    test('fcvt between precisions canonicalizes NaNs', () => {
      const sNaN64 = 0x7ff0_0000_0000_0001n
      const r = run([asm('fcvt.s.d', { rd: A0, rs1: A1, rm: RM.rne })], { f: { [A1]: sNaN64 } })
      assert.equal(r.f(A0), BOXED_CANONICAL_NAN)
      assert.equal(r.fcsr, NV)
      const w = run([asm('fcvt.d.s', { rd: A0, rs1: A1, rm: RM.rne })], { f: { [A1]: f32Bits(0.1) } })
      assert.equal(w.f(A0), f64Bits(Math.fround(0.1)))
      assert.equal(w.fcsr, 0n)
    })

    test('fcvt.s.d needs D', () => {
      const r = run([asm('fcvt.s.d', { rd: A0, rs1: A1, rm: RM.rne })], { exts: ['i', 'f'] })
      assert.equal(r.trap?.cause, Cause.IllegalInsn)
    })
  })

  describe('F/D conversions to integers saturate', () => {
    const cvt = (name: string, bits: bigint, rm: number = RM.rtz) =>
      run([asm(name, { rd: A0, rs1: A1, rm })], { f: { [A1]: bits } })
    const cases: [string, bigint, bigint, bigint][] = [
      ['fcvt.w.s', BOXED_CANONICAL_NAN, 0x7fff_ffffn, NV],
      ['fcvt.w.s', f32Bits(Number.POSITIVE_INFINITY), 0x7fff_ffffn, NV],
      ['fcvt.w.s', f32Bits(Number.NEGATIVE_INFINITY), 0xffff_ffff_8000_0000n, NV],
      ['fcvt.wu.s', f32Bits(-1), 0n, NV],
      ['fcvt.wu.s', f32Bits(-0.5), 0n, NX],
      ['fcvt.wu.d', f64Bits(3e9), sext32(3_000_000_000n), 0n],
      ['fcvt.wu.d', f64Bits(5e9), u64(-1n), NV],
      ['fcvt.w.d', f64Bits(-3e9), 0xffff_ffff_8000_0000n, NV],
      ['fcvt.l.d', f64Bits(1e19), (1n << 63n) - 1n, NV],
      ['fcvt.l.d', f64Bits(-1e19), 1n << 63n, NV],
      ['fcvt.lu.d', f64Bits(2e19), u64(-1n), NV],
      ['fcvt.lu.d', D_CANONICAL_NAN, u64(-1n), NV],
      ['fcvt.l.s', f32Bits(-1.5), u64(-1n), NX],
      ['fcvt.lu.s', f32Bits(2 ** 63), 1n << 63n, 0n],
    ]
    for (const [name, bits, want, flags] of cases) {
      test(`${name} 0x${bits.toString(16)}`, () => {
        const r = cvt(name, bits)
        assert.equal(r.x(A0), want)
        assert.equal(r.fcsr, flags)
      })
    }
  })

  describe('F/D other operations', () => {
    test('fused multiply-add variants', () => {
      const want: [string, number][] = [
        ['fmadd.d', 7],
        ['fmsub.d', 5],
        ['fnmsub.d', -5],
        ['fnmadd.d', -7],
      ]
      for (const [name, v] of want) {
        const r = run([asm(name, { rd: A0, rs1: A1, rs2: A2, rs3: A3, rm: RM.rne })], {
          f: { [A1]: f64Bits(2), [A2]: f64Bits(3), [A3]: f64Bits(1) },
        })
        assert.equal(r.f(A0), f64Bits(v), name)
      }
      const s = run([asm('fnmadd.s', { rd: A0, rs1: A1, rs2: A2, rs3: A3, rm: RM.rne })], {
        f: { [A1]: f32Bits(2), [A2]: f32Bits(3), [A3]: f32Bits(1) },
      })
      assert.equal(s.f(A0), f32Bits(-7))
    })

    test('min/max: signed zeros and NaNs', () => {
      assert.equal(fp2('fmin.d', f64Bits(0), f64Bits(-0)).f(A0), f64Bits(-0))
      assert.equal(fp2('fmax.d', f64Bits(-0), f64Bits(0)).f(A0), f64Bits(0))
      const q = fp2('fmin.d', D_CANONICAL_NAN, f64Bits(1))
      assert.equal(q.f(A0), f64Bits(1))
      assert.equal(q.fcsr, 0n)
      const s = fp2('fmax.d', 0x7ff0_0000_0000_0001n, f64Bits(1))
      assert.equal(s.f(A0), f64Bits(1))
      assert.equal(s.fcsr, NV)
      assert.equal(fp2('fmax.d', D_CANONICAL_NAN, D_CANONICAL_NAN).f(A0), D_CANONICAL_NAN)
    })

    test('comparisons: quiet feq, signaling flt/fle', () => {
      const nan = D_CANONICAL_NAN
      const eq = fp2('feq.d', nan, f64Bits(1))
      assert.equal(eq.x(A0), 0n)
      assert.equal(eq.fcsr, 0n)
      const lt = fp2('flt.d', nan, f64Bits(1))
      assert.equal(lt.x(A0), 0n)
      assert.equal(lt.fcsr, NV)
      assert.equal(fp2('fle.d', f64Bits(-0), f64Bits(0)).x(A0), 1n)
      assert.equal(fp2('flt.s', f32Bits(1), f32Bits(2)).x(A0), 1n)
      assert.equal(fp2('feq.s', f32Bits(0), f32Bits(-0)).x(A0), 1n)
    })

    test('fclass', () => {
      const cls = (name: string, bits: bigint) =>
        run([asm(name, { rd: A0, rs1: A1 })], { f: { [A1]: bits } }).x(A0)
      assert.equal(cls('fclass.d', f64Bits(Number.NEGATIVE_INFINITY)), 1n)
      assert.equal(cls('fclass.d', f64Bits(-0)), 1n << 3n)
      assert.equal(cls('fclass.d', 1n), 1n << 5n)
      assert.equal(cls('fclass.d', 0x7ff0_0000_0000_0001n), 1n << 8n)
      assert.equal(cls('fclass.s', f32Bits(1)), 1n << 6n)
    })

    test('integer to FP conversions use the low word for W forms', () => {
      const cvt = (name: string, v: bigint, rm: number = RM.rne) =>
        run([asm(name, { rd: A0, rs1: A1, rm })], { x: { [A1]: v } })
      assert.equal(cvt('fcvt.d.w', 0x1234_5678_ffff_ffffn).f(A0), f64Bits(-1))
      assert.equal(cvt('fcvt.d.wu', 0x1234_5678_ffff_ffffn).f(A0), f64Bits(4294967295))
      assert.equal(cvt('fcvt.d.lu', -1n).f(A0), f64Bits(2 ** 64))
      const r = cvt('fcvt.s.l', (1n << 53n) + 1n, RM.rup)
      assert.equal(r.f(A0), f32Bits(2 ** 53 + 2 ** 30))
      assert.equal(r.fcsr, NX)
    })
  })
}

for (const b of [interpBackend, jsBackend, wasmBackend]) {
  describe(`${b.name} backend`, () => {
    before(() => {
      backend = b
    })
    suite()
  })
}
