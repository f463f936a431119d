/**
 * Consistency of the decode tables: patterns overlap only where an `unless`
 * list says which row wins, every row round-trips through the random
 * encoder and the decoder, and rows and trans functions match one to one.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { transTable } from '../trans/index.js'
import { type CompiledRow, compileTables, Decoder } from './decoder.js'
import { randomEncoding } from './encode.js'
import { allTables } from './tables.js'

const rows = compileTables(allTables)
const decoder = new Decoder(new Set(allTables.map((t) => t.ext)))

/** Whether some word matches both patterns. */
const overlaps = (x: CompiledRow, y: CompiledRow): boolean =>
  x.width === y.width && (x.mask & y.mask & (x.match ^ y.match)) >>> 0 === 0

/** Whether every word matching `inner` matches `outer`, and `inner` fixes strictly more bits. */
const strictlyInside = (inner: CompiledRow, outer: CompiledRow): boolean =>
  (inner.mask & outer.mask) >>> 0 === outer.mask &&
  inner.mask !== outer.mask &&
  (inner.match & outer.mask) >>> 0 === outer.match

const lists = (x: CompiledRow, y: CompiledRow): boolean => x.row.unless?.includes(y.row.name) ?? false

/** A small deterministic PRNG (mulberry32) so that failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 15), z | 1)
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61)
    return ((z ^ (z >>> 14)) >>> 0) / 2 ** 32
  }
}

test('row names are unique', () => {
  const seen = new Set<string>()
  for (const r of rows) {
    assert.ok(!seen.has(r.row.name), `duplicate row ${r.row.name}`)
    seen.add(r.row.name)
  }
})

test('overlapping rows are resolved by unless, towards the more specific row', () => {
  const problems: string[] = []
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const x = rows[i]!
      const y = rows[j]!
      if (!overlaps(x, y)) continue
      const pair = `${x.row.name} (${x.row.pattern}) and ${y.row.name} (${y.row.pattern})`
      if (lists(x, y) && lists(y, x)) problems.push(`${pair} list each other in unless`)
      else if (lists(x, y)) {
        if (!strictlyInside(y, x))
          problems.push(`${x.row.name} yields to ${y.row.name}, which is not more specific`)
      } else if (lists(y, x)) {
        if (!strictlyInside(x, y))
          problems.push(`${y.row.name} yields to ${x.row.name}, which is not more specific`)
      } else problems.push(`${pair} overlap without an unless entry`)
    }
  }
  assert.deepEqual(problems, [])
})

test('every unless entry names an existing, overlapping row', () => {
  for (const r of rows) {
    for (const name of r.row.unless ?? []) {
      const other = rows.find((o) => o.row.name === name)
      assert.ok(other !== undefined, `${r.row.name}: unless names unknown row ${name}`)
      assert.ok(overlaps(r, other), `${r.row.name}: unless names ${name}, which it does not overlap`)
    }
  }
})

test('random encodings of every row decode as that row', () => {
  const rand = prng(0x5eed)
  for (const r of rows) {
    for (let i = 0; i < 200; i++) {
      const w = randomEncoding(r, rand)
      assert.equal(
        (w & r.mask) >>> 0 === r.match,
        true,
        `${r.row.name}: 0x${w.toString(16)} outside its pattern`,
      )
      const d = decoder.decode(w, r.width === 16 ? 2 : 4)
      assert.equal(d?.row.row.name, r.row.name, `0x${w.toString(16)} encoded for ${r.row.name}`)
    }
  }
})

test('every row has a trans function', () => {
  const missing = rows
    .filter((r) => transTable[r.semantic] === undefined)
    .map((r) => `${r.ext}: ${r.row.name}`)
  assert.deepEqual(missing, [])
})

test('every trans function has a row', () => {
  const semantics = new Set(rows.map((r) => r.semantic))
  assert.deepEqual(
    Object.keys(transTable).filter((name) => !semantics.has(name)),
    [],
  )
})
