/**
 * Random encodings derived from the decode rows, for the table tests and
 * the random differential tester: a row's fixed bits with its operand bits
 * (the `.` positions) filled at random, kept only if the decoder maps the
 * word back to that row (not to a more specific row that shadows it, and
 * not to a reserved encoding).
 */
import { type CompiledRow, Decoder } from './decoder.js'
import { allTables } from './tables.js'

/** Every extension of every table enabled, so that only the patterns decide. */
const decoder = new Decoder(new Set(allTables.map((t) => t.ext)))

/** Give up after this many draws: a row that never decodes as itself is shadowed (the table tests catch it). */
const MAX_TRIES = 10_000

/** Random unsigned 32-bit value from a [0, 1) generator. */
const random32 = (rand: () => number): number => Math.floor(rand() * 2 ** 32) >>> 0

/**
 * A random word that decodes as `row` (16-bit rows: the low 16 bits).
 * `rand` returns uniform numbers in [0, 1), like Math.random. Throws if no
 * encoding is found, which means the row is (almost) entirely shadowed.
 */
export function randomEncoding(row: CompiledRow, rand: () => number): number {
  const width = row.width === 16 ? 0xffff : 0xffff_ffff
  for (let i = 0; i < MAX_TRIES; i++) {
    const w = ((row.match | (random32(rand) & ~row.mask)) & width) >>> 0
    const d = decoder.decode(w, row.width === 16 ? 2 : 4)
    if (d !== undefined && d.row.row === row.row) return w
  }
  throw new Error(`no random encoding of ${row.row.name} decodes as itself`)
}
