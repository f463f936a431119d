/**
 * The wasm binary emitter: LEB128 encodings against known byte sequences,
 * small modules that must validate and compute what they say, and a large
 * module compared byte for byte with a plain reference encoding.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  BLOCK_VOID,
  ByteWriter,
  FuncBody,
  ModuleBuilder,
  sleb,
  sleb32,
  uleb,
  ulebSize,
  ValType,
  W,
} from './encoder.js'

const bytes = (fn: (out: ByteWriter) => void): number[] => {
  const out = new ByteWriter(1)
  fn(out)
  return [...out.view()]
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

test('unsigned LEB128 sizes', () => {
  for (const v of [0, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32, 2 ** 53 - 1])
    assert.equal(ulebSize(v), bytes((o) => uleb(o, v)).length, String(v))
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
  // Either side of the largest safe integer, where the encoding leaves doubles for bigints.
  assert.deepEqual(
    bytes((o) => sleb(o, (1n << 53n) - 1n)),
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, 1n << 53n)),
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10],
  )
  assert.deepEqual(
    bytes((o) => sleb(o, -(1n << 53n))),
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70],
  )
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

test('the byte writer grows by doubling and past it', () => {
  const w = new ByteWriter(1)
  w.byte(1)
  w.byte(2)
  assert.equal(w.buf.length, 2)
  w.set(new Uint8Array(10).fill(3))
  assert.equal(w.buf.length, 12)
  w.byte(4)
  assert.equal(w.buf.length, 24)
  assert.deepEqual([...w.view()], [1, 2, ...new Array(10).fill(3), 4])
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

// ---- a reference encoding: the plain number[] algorithm ----

type Insn =
  | { k: 'op'; o: W }
  | { k: 'opU'; o: W; imm: number }
  | { k: 'i32'; v: number }
  | { k: 'i64'; v: bigint }
  | { k: 'mem'; o: W; align: number; offset: number }
  | { k: 'structured'; o: W.If | W.Block | W.Loop; type: number }
  | { k: 'brTable'; labels: number[]; dflt: number }
  | { k: 'callIndirect'; type: number }

function refUleb(out: number[], v: number): void {
  do {
    let b = v % 128
    v = Math.floor(v / 128)
    if (v !== 0) b |= 0x80
    out.push(b)
  } while (v !== 0)
}

function refSleb(out: number[], v: bigint): void {
  for (;;) {
    const b = Number(v & 0x7fn)
    v >>= 7n
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b)
      return
    }
    out.push(b | 0x80)
  }
}

function refInsn(out: number[], i: Insn): void {
  switch (i.k) {
    case 'op':
      out.push(i.o)
      break
    case 'opU':
      out.push(i.o)
      refUleb(out, i.imm)
      break
    case 'i32':
      out.push(W.I32Const)
      refSleb(out, BigInt(i.v | 0))
      break
    case 'i64':
      out.push(W.I64Const)
      refSleb(out, BigInt.asIntN(64, i.v))
      break
    case 'mem':
      out.push(i.o, i.align)
      refUleb(out, i.offset)
      break
    case 'structured':
      out.push(i.o, i.type)
      break
    case 'brTable':
      out.push(W.BrTable)
      refUleb(out, i.labels.length)
      for (const l of i.labels) refUleb(out, l)
      refUleb(out, i.dflt)
      break
    case 'callIndirect':
      out.push(W.CallIndirect)
      refUleb(out, i.type)
      out.push(0)
      break
  }
}

function applyInsn(f: FuncBody, i: Insn): void {
  switch (i.k) {
    case 'op':
      f.op(i.o)
      break
    case 'opU':
      f.opU(i.o, i.imm)
      break
    case 'i32':
      f.i32(i.v)
      break
    case 'i64':
      f.i64(i.v)
      break
    case 'mem':
      f.mem(i.o, i.align, i.offset)
      break
    case 'structured':
      f.structured(i.o, i.type as ValType)
      break
    case 'brTable':
      f.brTable(i.labels, i.dflt)
      break
    case 'callIndirect':
      f.callIndirect(i.type)
      break
  }
}

interface RefModule {
  types: { params: ValType[]; results: ValType[] }[]
  funcImports: { module: string; name: string; type: number }[]
  globals: { name: string; type: ValType; mutable: boolean }[]
  funcs: { type: number; locals: ValType[]; code: Insn[] }[]
  exports: { name: string; func: number }[]
}

function refName(out: number[], s: string): void {
  const b = new TextEncoder().encode(s)
  refUleb(out, b.length)
  out.push(...b)
}

/** The module of `m` (imports in the order `build` adds them) section by section, each copied after its size. */
function refEncode(m: RefModule): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
  const section = (id: number, items: unknown[], fill: (s: number[]) => void) => {
    if (items.length === 0) return
    const s: number[] = []
    refUleb(s, items.length)
    fill(s)
    out.push(id)
    refUleb(out, s.length)
    for (const b of s) out.push(b)
  }
  section(1, m.types, (s) => {
    for (const t of m.types) {
      s.push(0x60)
      refUleb(s, t.params.length)
      s.push(...t.params)
      refUleb(s, t.results.length)
      s.push(...t.results)
    }
  })
  section(2, [0, 0, ...m.globals, ...m.funcImports], (s) => {
    refName(s, 'e')
    refName(s, 'mem')
    s.push(0x02, 0x00, 0x00)
    refName(s, 'e')
    refName(s, 'tab')
    s.push(0x01, 0x70, 0x00, 0x00)
    for (const g of m.globals) {
      refName(s, 'e')
      refName(s, g.name)
      s.push(0x03, g.type, g.mutable ? 1 : 0)
    }
    for (const f of m.funcImports) {
      refName(s, f.module)
      refName(s, f.name)
      s.push(0x00)
      refUleb(s, f.type)
    }
  })
  section(3, m.funcs, (s) => {
    for (const f of m.funcs) refUleb(s, f.type)
  })
  section(7, m.exports, (s) => {
    for (const e of m.exports) {
      refName(s, e.name)
      s.push(0x00)
      refUleb(s, e.func)
    }
  })
  section(10, m.funcs, (s) => {
    for (const f of m.funcs) {
      const body: number[] = []
      const runs: [number, ValType][] = []
      for (const t of f.locals) {
        const last = runs[runs.length - 1]
        if (last !== undefined && last[1] === t) last[0]++
        else runs.push([1, t])
      }
      refUleb(body, runs.length)
      for (const [n, t] of runs) {
        refUleb(body, n)
        body.push(t)
      }
      for (const i of f.code) refInsn(body, i)
      body.push(W.End)
      refUleb(s, body.length)
      for (const b of body) s.push(b)
    }
  })
  return Uint8Array.from(out)
}

/** The same module through the ModuleBuilder. */
function build(m: RefModule): { bytes: Uint8Array; bodies: FuncBody[] } {
  const b = new ModuleBuilder()
  for (const t of m.types) b.type(t.params, t.results)
  b.importMemory('e', 'mem')
  b.importTable('e', 'tab')
  for (const g of m.globals) b.importGlobal('e', g.name, g.type, g.mutable)
  for (const f of m.funcImports) b.importFunc(f.module, f.name, f.type)
  const bodies = m.funcs.map((f) => {
    const body = new FuncBody(f.locals)
    for (const i of f.code) applyInsn(body, i)
    b.func(f.type, body)
    return body
  })
  for (const e of m.exports) b.export(e.name, e.func)
  return { bytes: b.finish(), bodies }
}

test('a large module matches the reference encoding byte for byte', () => {
  // A fixed xorshift generator, so that a failure reproduces.
  let seed = 0x2545f491
  const rand = (n: number) => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) % n
  }
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!
  // Unsigned immediates taking 1 to 5 bytes, at each length's edges.
  const U = [
    0,
    1,
    63,
    64,
    127,
    128,
    255,
    8191,
    16383,
    16384,
    2 ** 21 - 1,
    2 ** 21,
    2 ** 28 - 1,
    2 ** 28,
    2 ** 32 - 1,
  ]
  const I32 = [
    0,
    1,
    -1,
    63,
    64,
    -64,
    -65,
    8191,
    8192,
    -8193,
    2 ** 20,
    -(2 ** 27),
    0x7fffffff,
    -0x80000000,
    0xffffffff,
  ]
  const I64 = [
    0n,
    -1n,
    63n,
    64n,
    -65n,
    0x7fffffffn,
    0x80000000n,
    -0x80000001n,
    0xffffffffn,
    (1n << 53n) - 1n,
    1n << 53n,
    -(1n << 53n) - 1n,
    0x00ff00ff00ff00ffn,
    (1n << 63n) - 1n,
    -(1n << 63n),
    (1n << 64n) - 1n,
    0x3ffff7fd2000n,
  ]
  const plain = [W.I64Add, W.I64Xor, W.Drop, W.Select, W.I32WrapI64, W.I64Extend32S, W.Else, W.End, W.Return]
  const insn = (): Insn => {
    switch (rand(9)) {
      case 0:
        return { k: 'op', o: pick(plain) }
      case 1:
        return { k: 'opU', o: pick([W.LocalGet, W.LocalSet, W.GlobalGet, W.Call, W.Br]), imm: pick(U) }
      case 2:
        return { k: 'i32', v: pick(I32) }
      case 3: {
        const v =
          rand(2) === 0 ? pick(I64) : (BigInt(rand(2 ** 30)) << BigInt(rand(40))) - BigInt(rand(2 ** 20))
        return { k: 'i64', v }
      }
      case 4:
        return { k: 'mem', o: pick([W.I64Load, W.I64Store32, W.I32Load]), align: rand(4), offset: pick(U) }
      case 5:
        return {
          k: 'structured',
          o: pick([W.If, W.Block, W.Loop] as const),
          type: pick([BLOCK_VOID, ValType.I64]),
        }
      case 6:
        return { k: 'brTable', labels: Array.from({ length: rand(140) }, () => pick(U)), dflt: pick(U) }
      case 7:
        return { k: 'callIndirect', type: rand(3) }
      default:
        return { k: 'opU', o: W.LocalGet, imm: rand(300) }
    }
  }
  const m: RefModule = {
    types: [
      { params: [ValType.I32, ValType.I32], results: [ValType.I32] },
      { params: [], results: [] },
      { params: new Array<ValType>(130).fill(ValType.I64), results: [ValType.I64] },
    ],
    funcImports: Array.from({ length: 140 }, (_, i) => ({ module: 'e', name: `h${i}`, type: i % 3 })),
    globals: [
      { name: 'ic', type: ValType.I32, mutable: true },
      { name: 'val', type: ValType.I64, mutable: false },
    ],
    funcs: [],
    exports: [],
  }
  // Sizes from empty to well over 64 KiB; locals from none to 200-long runs.
  const sizes = [0, 1, 3, 10, 50, 200, 1000, 5000, 25000]
  for (let i = 0; i < 150; i++) {
    const locals: ValType[] = []
    for (let r = rand(4); r > 0; r--)
      locals.push(...new Array<ValType>(pick([1, 2, 127, 128, 200])).fill(pick([ValType.I32, ValType.I64])))
    m.funcs.push({
      type: rand(3),
      locals,
      code: Array.from({ length: i < sizes.length ? sizes[i]! : rand(40) }, insn),
    })
  }
  m.exports = m.funcs.map((_, i) => ({ name: i === 7 ? 'f\u00e9\u{1f600}' : `f${i}`, func: 140 + i }))
  const { bytes, bodies } = build(m)
  assert.ok(Math.max(...bodies.map((b) => b.encodedLength())) > 65536)
  const ref = refEncode(m)
  let diff = 0
  while (diff < ref.length && bytes[diff] === ref[diff]) diff++
  assert.equal(diff, ref.length, `first difference at byte ${diff}`)
  assert.equal(bytes.length, ref.length)
  assert.equal(bytes.buffer.byteLength, bytes.length)
})
