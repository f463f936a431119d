/**
 * The decoder derived from the decode tables: buckets rows by major opcode,
 * tries the most specific pattern first, and honours the enabled extension
 * set (a row of a disabled extension decodes as illegal).
 */

import { type Args, compilePattern, type DecodeTable, type Ext, formats, type InsnRow } from './table.js'
import { allTables } from './tables.js'

export interface CompiledRow {
  row: InsnRow
  ext: Ext
  mask: number
  match: number
  width: 16 | 32
  /** Name of the semantics (`trans_`) function: the expansion for compressed rows. */
  semantic: string
}

export interface Decoded {
  row: CompiledRow
  args: Args
  /** Length in bytes. */
  len: 2 | 4
  bits: number
}

/** Compile every row of the given tables (used by the decoder and by the table tests). */
export function compileTables(tables: readonly DecodeTable[]): CompiledRow[] {
  const out: CompiledRow[] = []
  for (const t of tables) {
    for (const row of t.rows) {
      const { mask, match, width } = compilePattern(row.pattern)
      out.push({ row, ext: t.ext, mask, match, width, semantic: row.expands ?? row.name })
    }
  }
  return out
}

const popcount = (v: number): number => {
  let n = 0
  for (let x = v >>> 0; x; x &= x - 1) n++
  return n
}

/** Bucket keys: the 7-bit major opcode for 32-bit insns, quadrant and funct3 for 16-bit ones. */
const key32 = (w: number): number => w & 0x7f
const key16 = (w: number): number => ((w >>> 13) << 2) | (w & 3)

export class Decoder {
  private readonly b32 = new Map<number, CompiledRow[]>()
  private readonly b16 = new Map<number, CompiledRow[]>()
  private readonly extOf = new Map<string, Ext>()

  constructor(
    readonly enabled: ReadonlySet<Ext>,
    tables: readonly DecodeTable[] = allTables,
  ) {
    const rows = compileTables(tables).sort((x, y) => popcount(y.mask) - popcount(x.mask))
    for (const r of rows) {
      this.extOf.set(r.row.name, r.ext)
      if (r.width === 32) {
        // Every 32-bit pattern fixes its major opcode bits, so one bucket per opcode suffices.
        if ((r.mask & 0x7f) !== 0x7f) throw new Error(`decode row ${r.row.name} leaves opcode bits open`)
        const k = key32(r.match)
        this.b32.set(k, [...(this.b32.get(k) ?? []), r])
      } else {
        if ((r.mask & 0xe003) !== 0xe003)
          throw new Error(`decode row ${r.row.name} leaves funct3/quadrant bits open`)
        const k = key16(r.match)
        this.b16.set(k, [...(this.b16.get(k) ?? []), r])
      }
    }
  }

  /** Decode one instruction; undefined means illegal (unknown, reserved, or extension disabled). */
  decode(bits: number, len: 2 | 4): Decoded | undefined {
    const w = bits >>> 0
    const bucket = len === 4 ? this.b32.get(key32(w)) : this.b16.get(key16(w))
    if (bucket === undefined) return undefined
    for (const r of bucket) {
      if ((w & r.mask) >>> 0 !== r.match) continue
      if (!this.enabled.has(r.ext)) return undefined
      const args = formats[r.row.format](w)
      if (r.row.reserved?.(args)) return undefined
      // A compressed instruction is only legal when the extension of its expansion is enabled too (c.fld needs D).
      if (r.row.expands !== undefined) {
        const e = this.extOf.get(r.row.expands)
        if (e === undefined || !this.enabled.has(e)) return undefined
      }
      return { row: r, args, len, bits: w }
    }
    return undefined
  }

  /** The row of a standard instruction by mnemonic (for disassembling compressed expansions). */
  rowByName(name: string): InsnRow | undefined {
    for (const rows of this.b32.values()) for (const r of rows) if (r.row.name === name) return r.row
    return undefined
  }
}

/** Length in bytes of the instruction whose first parcel is `lo16` (ISA manual, "Base instruction-length encoding"). */
export const insnLength = (lo16: number): 2 | 4 | undefined =>
  (lo16 & 3) !== 3 ? 2 : (lo16 & 0x1c) !== 0x1c ? 4 : undefined
