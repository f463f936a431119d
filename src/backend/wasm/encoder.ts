/**
 * A small WebAssembly binary emitter: a growable byte buffer, LEB128
 * numbers, function bodies with the instructions the code generator uses,
 * and a module builder that lays out the type, import, function, export and
 * code sections.
 *
 * Used by the wasm backend (`wasmgen.ts`) to turn IR blocks into modules;
 * a `ModuleBuilder` is filled once and `finish()`ed into bytes that are then
 * compiled with `WebAssembly.Module`. Modules are built for every batch of
 * translated blocks, so the emitter writes into `Uint8Array`s: each body
 * grows its own buffer (its local declarations included), and `finish()`
 * sizes the sections first and copies every body once, straight into the
 * module's bytes. Nothing here depends on the IR.
 */

/** Value types. */
export const enum ValType {
  I32 = 0x7f,
  I64 = 0x7e,
}

/** The opcodes the code generator emits (single-byte ones, plus the 0xC0.. sign-extension ops). */
export const enum W {
  Unreachable = 0x00,
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  Else = 0x05,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  BrTable = 0x0e,
  Return = 0x0f,
  Call = 0x10,
  CallIndirect = 0x11,
  Drop = 0x1a,
  Select = 0x1b,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  GlobalGet = 0x23,
  GlobalSet = 0x24,
  I32Load = 0x28,
  I64Load = 0x29,
  I64Load8S = 0x30,
  I64Load8U = 0x31,
  I64Load16S = 0x32,
  I64Load16U = 0x33,
  I64Load32S = 0x34,
  I64Load32U = 0x35,
  I32Store = 0x36,
  I64Store = 0x37,
  I64Store8 = 0x3c,
  I64Store16 = 0x3d,
  I64Store32 = 0x3e,
  I32Const = 0x41,
  I64Const = 0x42,
  I32Eqz = 0x45,
  I32Eq = 0x46,
  I32Ne = 0x47,
  I32LtU = 0x49,
  I32GtU = 0x4b,
  I32LeU = 0x4d,
  I64Eqz = 0x50,
  I64Eq = 0x51,
  I64Ne = 0x52,
  I64LtS = 0x53,
  I64LtU = 0x54,
  I64GtS = 0x55,
  I64GtU = 0x56,
  I64GeS = 0x59,
  I64GeU = 0x5a,
  I32Add = 0x6a,
  I32Mul = 0x6c,
  I32And = 0x71,
  I32Shl = 0x74,
  I32ShrU = 0x76,
  I64Clz = 0x79,
  I64Ctz = 0x7a,
  I64Popcnt = 0x7b,
  I64Add = 0x7c,
  I64Sub = 0x7d,
  I64Mul = 0x7e,
  I64DivS = 0x7f,
  I64DivU = 0x80,
  I64RemS = 0x81,
  I64RemU = 0x82,
  I64And = 0x83,
  I64Or = 0x84,
  I64Xor = 0x85,
  I64Shl = 0x86,
  I64ShrS = 0x87,
  I64ShrU = 0x88,
  I64Rotl = 0x89,
  I64Rotr = 0x8a,
  F64Sqrt = 0x9f,
  F64Add = 0xa0,
  F64Sub = 0xa1,
  F64Mul = 0xa2,
  F64Div = 0xa3,
  I32WrapI64 = 0xa7,
  I64ExtendI32U = 0xad,
  I64ReinterpretF64 = 0xbd,
  F64ReinterpretI64 = 0xbf,
  I64Extend8S = 0xc2,
  I64Extend16S = 0xc3,
  I64Extend32S = 0xc4,
}

/** Block type of a structured instruction without a result. */
export const BLOCK_VOID = 0x40

/**
 * A byte buffer that doubles its capacity as it fills. `buf` is replaced when
 * it grows, so take it (and `view()`) only after the last write they should see.
 */
export class ByteWriter {
  /** The storage; bytes from `length` on are unused. */
  buf: Uint8Array
  /** Bytes written so far. */
  length = 0

  /** `capacity`: initial size in bytes; the default suits a short function body. */
  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity)
  }

  /** Make room for `n` more bytes, so that up to `n` can be stored into `buf` directly. */
  reserve(n: number): void {
    if (this.length + n > this.buf.length) this.grow(n)
  }

  private grow(n: number): void {
    const buf = new Uint8Array(Math.max(this.buf.length * 2, this.length + n))
    buf.set(this.buf.subarray(0, this.length))
    this.buf = buf
  }

  byte(b: number): void {
    if (this.length === this.buf.length) this.grow(1)
    this.buf[this.length++] = b
  }

  /** Append all of `bytes`. */
  set(bytes: ArrayLike<number>): void {
    this.reserve(bytes.length)
    this.buf.set(bytes, this.length)
    this.length += bytes.length
  }

  /** The bytes written so far (a view of `buf`). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length)
  }
}

/** Append the unsigned LEB128 encoding of `v` (a non-negative safe integer: at most 8 bytes). */
export function uleb(out: ByteWriter, v: number): void {
  out.reserve(8)
  const buf = out.buf
  let i = out.length
  while (v > 0x7f) {
    // `&` takes the low 32 bits exactly, so the low 7 are right for any safe integer.
    buf[i++] = (v & 0x7f) | 0x80
    v = Math.floor(v / 128)
  }
  buf[i++] = v
  out.length = i
}

/** Length in bytes of the unsigned LEB128 encoding of `v`. */
export function ulebSize(v: number): number {
  let n = 1
  for (; v > 0x7f; n++) v = Math.floor(v / 128)
  return n
}

/** Signed LEB128 of a safe integer, in doubles (a 54-bit signed value takes at most 8 bytes). */
function slebSafe(out: ByteWriter, v: number): void {
  out.reserve(8)
  const buf = out.buf
  let i = out.length
  for (;;) {
    const b = v & 0x7f
    // Exact floor division by a power of two: an arithmetic shift right by 7.
    v = Math.floor(v / 128)
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      buf[i++] = b
      break
    }
    buf[i++] = b | 0x80
  }
  out.length = i
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Append the signed LEB128 encoding of `v` (any bigint; callers pass values that fit the target type). */
export function sleb(out: ByteWriter, v: bigint): void {
  if (v >= -MAX_SAFE && v <= MAX_SAFE) {
    slebSafe(out, Number(v))
    return
  }
  for (;;) {
    const b = Number(v & 0x7fn)
    v >>= 7n
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.byte(b)
      return
    }
    out.byte(b | 0x80)
  }
}

/** Signed LEB128 of a 32-bit integer (`v` is wrapped to 32 bits first), in int32 arithmetic: at most 5 bytes. */
export function sleb32(out: ByteWriter, v: number): void {
  out.reserve(5)
  const buf = out.buf
  let i = out.length
  v |= 0
  for (;;) {
    const b = v & 0x7f
    v >>= 7
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      buf[i++] = b
      break
    }
    buf[i++] = b | 0x80
  }
  out.length = i
}

/**
 * A function body under construction: locals are declared up front, then
 * instructions appended. The closing `end` is added when the module is
 * finished.
 */
export class FuncBody {
  /** The body in the code section's format so far: the local declarations (run-length), then the instructions. */
  readonly code = new ByteWriter()

  /** `locals`: the types of the locals declared after the parameters (numbered after them); read here, once. */
  constructor(readonly locals: readonly ValType[]) {
    let runs = 0
    for (let i = 0; i < locals.length; i++) if (i === 0 || locals[i] !== locals[i - 1]) runs++
    uleb(this.code, runs)
    for (let i = 0; i < locals.length; ) {
      const t = locals[i]!
      let n = 1
      while (locals[i + n] === t) n++
      uleb(this.code, n)
      this.code.byte(t)
      i += n
    }
  }

  op(o: W): this {
    this.code.byte(o)
    return this
  }

  /** An instruction with one unsigned immediate (local/global index, call target, branch depth). */
  opU(o: W, imm: number): this {
    this.code.byte(o)
    uleb(this.code, imm)
    return this
  }

  /** `br_table`: branch to `labels[i]` for operand i, else to `dflt`. */
  brTable(labels: number[], dflt: number): this {
    this.opU(W.BrTable, labels.length)
    for (const l of labels) uleb(this.code, l)
    uleb(this.code, dflt)
    return this
  }

  /** `call_indirect` through table 0 with function type `type`. */
  callIndirect(type: number): this {
    this.opU(W.CallIndirect, type)
    this.code.byte(0)
    return this
  }

  i32(v: number): this {
    this.code.byte(W.I32Const)
    sleb32(this.code, v)
    return this
  }

  /** `i64.const` of `v` wrapped to 64 bits. */
  i64(v: bigint): this {
    this.code.byte(W.I64Const)
    // Most constants fit 32 bits: those skip the 64-bit wrap and the bigint arithmetic.
    if (v >= -0x80000000n && v <= 0x7fffffffn) sleb32(this.code, Number(v))
    else sleb(this.code, BigInt.asIntN(64, v))
    return this
  }

  /** A load or store with alignment exponent `align` and constant byte offset. */
  mem(o: W, align: number, offset = 0): this {
    this.code.byte(o)
    this.code.byte(align)
    uleb(this.code, offset)
    return this
  }

  /** `if` / `block` / `loop` with a result type (or `BLOCK_VOID`). */
  structured(o: W.If | W.Block | W.Loop, type: ValType | typeof BLOCK_VOID): this {
    this.code.byte(o)
    this.code.byte(type)
    return this
  }

  /** Length in bytes of the finished body (with its `end`). */
  encodedLength(): number {
    return this.code.length + 1
  }

  /** Append the finished body: `code`, then `end`. */
  encodeTo(out: ByteWriter): void {
    out.set(this.code.view())
    out.byte(W.End)
  }
}

interface FuncType {
  params: ValType[]
  results: ValType[]
}

type Import =
  | { module: string; name: string; kind: 'func'; type: number }
  | { module: string; name: string; kind: 'memory' }
  | { module: string; name: string; kind: 'global'; type: ValType; mutable: boolean }
  | { module: string; name: string; kind: 'table' }

/** The magic number and version 1 that open a module. */
const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

const utf8 = new TextEncoder()

/** A name: its UTF-8 length, then the bytes (ASCII, the usual case, written without encoding first). */
function writeName(out: ByteWriter, str: string): void {
  for (let i = 0; i < str.length; i++)
    if (str.charCodeAt(i) > 0x7f) {
      const bytes = utf8.encode(str)
      uleb(out, bytes.length)
      out.set(bytes)
      return
    }
  uleb(out, str.length)
  out.reserve(str.length)
  for (let i = 0; i < str.length; i++) out.buf[out.length++] = str.charCodeAt(i)
}

/**
 * Collects the parts of one module. Imported functions must all be added
 * before the first defined function, since function indices count imports
 * first.
 */
export class ModuleBuilder {
  private readonly types: FuncType[] = []
  private readonly imports: Import[] = []
  private readonly funcs: { type: number; body: FuncBody }[] = []
  private readonly exports: { name: string; func: number }[] = []
  private importedFuncs = 0
  private importedGlobals = 0

  /** Index of the function type (params) → (results), added if new. */
  type(params: ValType[], results: ValType[]): number {
    const i = this.types.findIndex(
      (t) =>
        t.params.length === params.length &&
        t.results.length === results.length &&
        t.params.every((p, k) => p === params[k]) &&
        t.results.every((r, k) => r === results[k]),
    )
    if (i >= 0) return i
    return this.types.push({ params, results }) - 1
  }

  /** Import a function; returns its function index. */
  importFunc(module: string, name: string, type: number): number {
    if (this.funcs.length > 0) throw new Error('imports must precede defined functions')
    this.imports.push({ module, name, kind: 'func', type })
    return this.importedFuncs++
  }

  /** Import a linear memory (the only one of the module). */
  importMemory(module: string, name: string): void {
    this.imports.push({ module, name, kind: 'memory' })
  }

  /** Import a function table (the only one of the module; `call_indirect` uses table 0). */
  importTable(module: string, name: string): void {
    this.imports.push({ module, name, kind: 'table' })
  }

  /** Import a global; returns its global index. */
  importGlobal(module: string, name: string, type: ValType, mutable: boolean): number {
    this.imports.push({ module, name, kind: 'global', type, mutable })
    return this.importedGlobals++
  }

  /** Define a function; returns its function index. The body is read when the module is finished. */
  func(type: number, body: FuncBody): number {
    this.funcs.push({ type, body })
    return this.importedFuncs + this.funcs.length - 1
  }

  export(name: string, func: number): void {
    this.exports.push({ name, func })
  }

  /** The module's bytes (a new array of exactly the module's size). */
  finish(): Uint8Array {
    // The sections before the code section are small: each is written out,
    // then copied after its id and size.
    const head = new ByteWriter(1024)
    head.set(PREAMBLE)
    const s = new ByteWriter(1024)
    const section = (id: number, count: number, fill: () => void) => {
      if (count === 0) return
      s.length = 0
      uleb(s, count)
      fill()
      head.byte(id)
      uleb(head, s.length)
      head.set(s.view())
    }
    section(1, this.types.length, () => {
      for (const t of this.types) {
        s.byte(0x60)
        uleb(s, t.params.length)
        s.set(t.params)
        uleb(s, t.results.length)
        s.set(t.results)
      }
    })
    section(2, this.imports.length, () => {
      for (const im of this.imports) {
        writeName(s, im.module)
        writeName(s, im.name)
        if (im.kind === 'func') {
          s.byte(0x00)
          uleb(s, im.type)
        } else if (im.kind === 'memory') {
          // No declared limits beyond the minimum: the importer's memory decides.
          s.set([0x02, 0x00, 0x00])
        } else if (im.kind === 'table') {
          // funcref, no limits beyond the minimum.
          s.set([0x01, 0x70, 0x00, 0x00])
        } else {
          s.set([0x03, im.type, im.mutable ? 1 : 0])
        }
      }
    })
    section(3, this.funcs.length, () => {
      for (const f of this.funcs) uleb(s, f.type)
    })
    section(7, this.exports.length, () => {
      for (const e of this.exports) {
        writeName(s, e.name)
        s.byte(0x00)
        uleb(s, e.func)
      }
    })
    if (this.funcs.length === 0) return head.view().slice()
    // The code section, sized first so that the result is allocated once and
    // each body copied into it once.
    let codeSize = ulebSize(this.funcs.length)
    for (const f of this.funcs) {
      const n = f.body.encodedLength()
      codeSize += ulebSize(n) + n
    }
    const out = new ByteWriter(head.length + 1 + ulebSize(codeSize) + codeSize)
    out.set(head.view())
    out.byte(10)
    uleb(out, codeSize)
    uleb(out, this.funcs.length)
    for (const f of this.funcs) {
      uleb(out, f.body.encodedLength())
      f.body.encodeTo(out)
    }
    return out.buf
  }
}
