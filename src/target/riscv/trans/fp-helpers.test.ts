/**
 * The F/D helpers' plumbing, called directly: rounding-mode resolution, fflags
 * accrual next to frm and to flags already set, and the fcsr view following a
 * register file that is replaced (as when the memory holding it grows).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GuestTrap } from '../../../core/errors.js'
import type { HelperContext } from '../../../ir/ir.js'
import { Cause, Slot } from '../cpu.js'
import { FFlag, RoundingMode } from '../fpu/softfloat.js'
import { FP_HELPERS } from './fp-helpers.js'

const D = FP_HELPERS.d

/** An OP-FP instruction word with rounding-mode field `rm` (7 selects frm). */
const word = (rm: number): bigint => BigInt(((rm << 12) | 0x53) >>> 0)
const DYN = word(7)

/** fcsr with frm `rm` and fflags `flags`. */
const fcsr = (rm: number, flags = 0): bigint => BigInt((rm << 5) | flags)

const f64 = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!

function context(fcsrValue: bigint): HelperContext & { regs: BigUint64Array } {
  const regs = new BigUint64Array(Slot.Fcsr + 8)
  regs[Slot.Fcsr] = fcsrValue
  return { regs } as unknown as HelperContext & { regs: BigUint64Array }
}

// 1 + 2^-60 is inexact in binary64: it rounds to 1, or up to 1 + 2^-52.
const ONE = f64(1)
const TINY = f64(2 ** -60)
const ONE_UP = f64(1 + 2 ** -52)

test('DYN takes frm; raised flags accrue next to frm and earlier flags', () => {
  const ctx = context(fcsr(RoundingMode.RUP, FFlag.DZ))
  assert.equal(D.add.fn(ctx, DYN, ONE, TINY, 0n), ONE_UP)
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(RoundingMode.RUP, FFlag.DZ | FFlag.NX))
  // A static mode overrides frm; NX again leaves fcsr as it is.
  assert.equal(D.add.fn(ctx, word(RoundingMode.RNE), ONE, TINY, 0n), ONE)
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(RoundingMode.RUP, FFlag.DZ | FFlag.NX))
  // An operation without an rm field accrues too: flt with a NaN is invalid.
  assert.equal(D.lt.fn(ctx, f64(Number.NaN), ONE, 0n, 0n), 0n)
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(RoundingMode.RUP, FFlag.DZ | FFlag.NX | FFlag.NV))
  // An exact operation raises nothing.
  assert.equal(D.mul.fn(ctx, DYN, ONE, ONE, 0n), ONE)
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(RoundingMode.RUP, FFlag.DZ | FFlag.NX | FFlag.NV))
})

test('a reserved frm under DYN traps and leaves fcsr alone', () => {
  const ctx = context(fcsr(5))
  assert.throws(
    () => D.add.fn(ctx, DYN, ONE, TINY, 0n),
    (e: unknown) => e instanceof GuestTrap && e.cause === Cause.IllegalInsn && e.tval === DYN,
  )
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(5))
})

test('fcsr is read from, and flags written to, the current register file', () => {
  const ctx = context(fcsr(RoundingMode.RNE))
  assert.equal(D.add.fn(ctx, DYN, ONE, TINY, 0n), ONE)
  const first = ctx.regs
  ctx.regs = context(fcsr(RoundingMode.RUP)).regs
  assert.equal(D.add.fn(ctx, DYN, ONE, TINY, 0n), ONE_UP)
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(RoundingMode.RUP, FFlag.NX))
  assert.equal(first[Slot.Fcsr], fcsr(RoundingMode.RNE, FFlag.NX))
  // Comparisons read fcsr only when they raise a flag, from the current file too.
  ctx.regs = context(fcsr(RoundingMode.RDN, FFlag.NX)).regs
  assert.equal(D.le.fn(ctx, ONE, f64(Number.NaN), 0n, 0n), 0n)
  assert.equal(ctx.regs[Slot.Fcsr], fcsr(RoundingMode.RDN, FFlag.NX | FFlag.NV))
})
