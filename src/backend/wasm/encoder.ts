/**
 * A small WebAssembly binary emitter: LEB128 numbers, a byte buffer with the
 * instructions the code generator uses, and a module builder that lays out
 * the type, import, function, export and code sections.
 *
 * Used by the wasm backend (`wasmgen.ts`) to turn IR blocks into modules;
 * a `ModuleBuilder` is filled once and `finish()`ed into bytes that are then
 * compiled with `WebAssembly.Module`. Nothing here depends on the IR.
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
  I32WrapI64 = 0xa7,
  I64ExtendI32U = 0xad,
  I64Extend8S = 0xc2,
  I64Extend16S = 0xc3,
  I64Extend32S = 0xc4,
}

/** Block type of a structured instruction without a result. */
export const BLOCK_VOID = 0x40

/** Append the unsigned LEB128 encoding of `v` (a non-negative safe integer). */
export function uleb(out: number[], v: number): void {
  do {
    let b = v % 128
    v = Math.floor(v / 128)
    if (v !== 0) b |= 0x80
    out.push(b)
  } while (v !== 0)
}

/** Append the signed LEB128 encoding of `v` (any bigint; callers pass values that fit the target type). */
export function sleb(out: number[], v: bigint): void {
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

/** Signed LEB128 of a 32-bit integer, without going through bigint (the common case). */
export function sleb32(out: number[], v: number): void {
  v |= 0
  for (;;) {
    const b = v & 0x7f
    v >>= 7
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b)
      return
    }
    out.push(b | 0x80)
  }
}

/** A function body under construction: locals are declared up front, then instructions appended. */
export class FuncBody {
  readonly code: number[] = []

  /** `locals`: the types of the locals declared after the parameters (numbered after them). */
  constructor(readonly locals: ValType[]) {}

  op(o: W): this {
    this.code.push(o)
    return this
  }

  /** An instruction with one unsigned immediate (local/global index, call target, branch depth). */
  opU(o: W, imm: number): this {
    this.code.push(o)
    uleb(this.code, imm)
    return this
  }

  /** `br_table`: branch to `labels[i]` for operand i, else to `dflt`. */
  brTable(labels: number[], dflt: number): this {
    this.code.push(W.BrTable)
    uleb(this.code, labels.length)
    for (const l of labels) uleb(this.code, l)
    uleb(this.code, dflt)
    return this
  }

  /** `call_indirect` through table 0 with function type `type`. */
  callIndirect(type: number): this {
    this.opU(W.CallIndirect, type)
    this.code.push(0)
    return this
  }

  i32(v: number): this {
    this.code.push(W.I32Const)
    sleb32(this.code, v)
    return this
  }

  i64(v: bigint): this {
    this.code.push(W.I64Const)
    sleb(this.code, BigInt.asIntN(64, v))
    return this
  }

  /** A load or store with alignment exponent `align` and constant byte offset. */
  mem(o: W, align: number, offset = 0): this {
    this.code.push(o, align)
    uleb(this.code, offset)
    return this
  }

  /** `if` / `block` / `loop` with a result type (or `BLOCK_VOID`). */
  structured(o: W.If | W.Block | W.Loop, type: ValType | typeof BLOCK_VOID): this {
    this.code.push(o, type)
    return this
  }

  /** The body in the code section's format: local declarations (run-length), code, `end`. */
  encode(): number[] {
    const out: number[] = []
    const runs: [number, ValType][] = []
    for (const t of this.locals) {
      const last = runs[runs.length - 1]
      if (last !== undefined && last[1] === t) last[0]++
      else runs.push([1, t])
    }
    uleb(out, runs.length)
    for (const [n, t] of runs) {
      uleb(out, n)
      out.push(t)
    }
    for (const b of this.code) out.push(b)
    out.push(W.End)
    return out
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

  /** Define a function; returns its function index. */
  func(type: number, body: FuncBody): number {
    this.funcs.push({ type, body })
    return this.importedFuncs + this.funcs.length - 1
  }

  export(name: string, func: number): void {
    this.exports.push({ name, func })
  }

  /** The module's bytes. */
  finish(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
    const section = (id: number, count: number, fill: (s: number[]) => void) => {
      if (count === 0) return
      const s: number[] = []
      uleb(s, count)
      fill(s)
      out.push(id)
      uleb(out, s.length)
      for (const b of s) out.push(b)
    }
    const name = (s: number[], str: string) => {
      const bytes = new TextEncoder().encode(str)
      uleb(s, bytes.length)
      for (const b of bytes) s.push(b)
    }
    section(1, this.types.length, (s) => {
      for (const t of this.types) {
        s.push(0x60)
        uleb(s, t.params.length)
        s.push(...t.params)
        uleb(s, t.results.length)
        s.push(...t.results)
      }
    })
    section(2, this.imports.length, (s) => {
      for (const im of this.imports) {
        name(s, im.module)
        name(s, im.name)
        if (im.kind === 'func') {
          s.push(0x00)
          uleb(s, im.type)
        } else if (im.kind === 'memory') {
          // No declared limits beyond the minimum: the importer's memory decides.
          s.push(0x02, 0x00, 0x00)
        } else if (im.kind === 'table') {
          // funcref, no limits beyond the minimum.
          s.push(0x01, 0x70, 0x00, 0x00)
        } else {
          s.push(0x03, im.type, im.mutable ? 1 : 0)
        }
      }
    })
    section(3, this.funcs.length, (s) => {
      for (const f of this.funcs) uleb(s, f.type)
    })
    section(7, this.exports.length, (s) => {
      for (const e of this.exports) {
        name(s, e.name)
        s.push(0x00)
        uleb(s, e.func)
      }
    })
    section(10, this.funcs.length, (s) => {
      for (const f of this.funcs) {
        const body = f.body.encode()
        uleb(s, body.length)
        for (const b of body) s.push(b)
      }
    })
    return Uint8Array.from(out)
  }
}
