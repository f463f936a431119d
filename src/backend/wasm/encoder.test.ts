/**
 * The wasm binary emitter: LEB128 encodings against known byte sequences,
 * and small modules that must validate and compute what they say.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FuncBody, ModuleBuilder, sleb, sleb32, uleb, ValType, W } from './encoder.js'

const bytes = (fn: (out: number[]) => void): number[] => {
  const out: number[] = []
  fn(out)
  return out
}

test('unsigned LEB128', () => {
  assert.deepEqual(
    bytes((o) => uleb(o, 0)),
    [0],
  )
  assert.deepEqual(
    bytes((o) => uleb(o, 127)),
    [0x7f],
  )
  assert.deepEqual(
    bytes((o) => uleb(o, 128)),
    [0x80, 0x01],
  )
  assert.deepEqual(
    bytes((o) => uleb(o, 624485)),
    [0xe5, 0x8e, 0x26],
  )
  assert.deepEqual(
    bytes((o) => uleb(o, 2 ** 32)),
    [0x80, 0x80, 0x80, 0x80, 0x10],
  )
})

test('signed LEB128', () => {
  assert.deepEqual(
    bytes((o) => sleb(o, 0n)),
    [0],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, -1n)),
    [0x7f],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, 63n)),
    [0x3f],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, 64n)),
    [0xc0, 0x00],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, -64n)),
    [0x40],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, -65n)),
    [0xbf, 0x7f],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, -123456n)),
    [0xc0, 0xbb, 0x78],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, -(1n << 63n))),
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f],
  )
  assert.equal(bytes((o) => sleb(o, (1n << 63n) - 1n)).length, 10)
})

test('32-bit signed LEB128 agrees with the bigint one', () => {
  const values = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8193, 0x7fffffff, -0x80000000]
  for (let i = 0; i < 200; i++) values.push((Math.random() * 2 ** 32) | 0)
  for (const v of values)
    assert.deepEqual(
      bytes((o) => sleb32(o, v)),
      bytes((o) => sleb(o, BigInt(v))),
      String(v),
    )
})

test('a module with an i64 function validates and runs', () => {
  const m = new ModuleBuilder()
  const t = m.type([ValType.I64, ValType.I64], [ValType.I64])
  const f = new FuncBody([ValType.I64])
  // (a + b) * 3 through a local, plus a constant that needs a long encoding.
  f.opU(W.LocalGet, 0).opU(W.LocalGet, 1).op(W.I64Add).opU(W.LocalTee, 2)
  f.opU(W.LocalGet, 2)
    .op(W.I64Add)
    .opU(W.LocalGet, 2)
    .op(W.I64Add)
    .i64(-(1n << 40n))
    .op(W.I64Add)
  m.export('f', m.func(t, f))
  const wasm = m.finish()
  assert.ok(WebAssembly.validate(wasm))
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm))
  const fn = inst.exports.f as (a: bigint, b: bigint) => bigint
  assert.equal(fn(5n, 6n), 33n - (1n << 40n))
})

test('imports of memory, globals and functions', () => {
  const m = new ModuleBuilder()
  const tCb = m.type([ValType.I64], [ValType.I64])
  const tF = m.type([ValType.I32], [ValType.I32])
  m.importMemory('e', 'mem')
  m.importGlobal('e', 'g', ValType.I32, true)
  const cb = m.importFunc('e', 'cb', tCb)
  const f = new FuncBody([])
  // g = param; mem[param] = cb(mem[param + 8]) as i32 word; return 7
  f.opU(W.LocalGet, 0).opU(W.GlobalSet, 0)
  f.opU(W.LocalGet, 0).opU(W.LocalGet, 0).mem(W.I64Load, 3, 8).opU(W.Call, cb).mem(W.I64Store32, 2, 0)
  f.i32(7)
  m.export('f', m.func(tF, f))
  const wasm = m.finish()
  assert.ok(WebAssembly.validate(wasm))
  const memory = new WebAssembly.Memory({ initial: 1 })
  const g = new WebAssembly.Global({ value: 'i32', mutable: true }, 0)
  const dv = new DataView(memory.buffer)
  dv.setBigUint64(72, 41n, true)
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    e: { mem: memory, g, cb: (x: bigint) => x + 1n },
  })
  assert.equal((inst.exports.f as (p: number) => number)(64), 7)
  assert.equal(g.value, 64)
  assert.equal(dv.getUint32(64, true), 42)
})
