/**
 * The text forms of a codegen-baseline block (tests/codegen/blocks.ts), as
 * saved in tests/codegen/expected/<name>.{ir,wat,js}:
 *
 *   .ir   the guest code (disassembled) and the IR (formatBlock)
 *   .wat  the module compileModule([block]) builds, printed by wabt, after
 *         its exit table, helper imports and instrumentation sites
 *   .js   the JavaScript backend's function body (blockSource), after the
 *         helpers and sites its H[] table holds
 *
 * Everything printed comes from the block alone (no paths, addresses of
 * host objects or generated names), so the text is the same on every run
 * and machine. Used by codegen.test.ts and tools/accept-codegen.js.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import wabtInit from 'wabt'
import { blockSource } from '../../src/backend/js/jsgen.js'
import { compileModule } from '../../src/backend/wasm/wasmgen.js'
import type { Cell, IrBlock } from '../../src/ir/ir.js'
import { formatBlock } from '../../src/ir/print.js'
import { Disassembler } from '../../src/target/riscv/disasm.js'
import { buildBlock, type CodegenCase, decoder } from './blocks.js'

/** The saved forms, by file extension. */
export const FORMS = ['ir', 'wat', 'js'] as const
export type Form = (typeof FORMS)[number]
export type Rendered = Record<Form, string>

export const ACCEPT_COMMAND = 'node tools/accept-codegen.js'

/** Found by walking up from this file (it runs from dist/tests/codegen/). */
function findRepoRoot(start: string): string {
  let dir = start
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tests', 'codegen'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`)
    dir = parent
  }
}

export const EXPECTED_DIR: string = join(
  findRepoRoot(dirname(fileURLToPath(import.meta.url))),
  'tests',
  'codegen',
  'expected',
)

export const expectedPath = (name: string, form: Form): string => join(EXPECTED_DIR, `${name}.${form}`)

let wabt: ReturnType<typeof wabtInit> | undefined

/** wabt's text of a wasm module: numeric indices only, no folding, exports as separate fields. */
export async function wasmText(bytes: Uint8Array): Promise<string> {
  wabt ??= wabtInit()
  const m = (await wabt).readWasm(bytes, {
    readDebugNames: false,
    sign_extension: true,
    mutable_globals: true,
  })
  try {
    return m.toText({ foldExprs: false, inlineExport: false })
  } finally {
    m.destroy()
  }
}

const hex = (v: bigint): string => `0x${v.toString(16)}`
const disassembler = new Disassembler(decoder)

function irText(c: CodegenCase, tb: IrBlock): string {
  const head = [
    `# codegen baseline '${c.name}': ${c.what}`,
    `# guest code (${ACCEPT_COMMAND} rewrites this file):`,
  ]
  for (const i of tb.insns) {
    const bits = i.bits.toString(16).padStart(i.len * 2, '0')
    head.push(
      `#   ${hex(i.pc)}  ${bits.padEnd(8)}  ${disassembler.disassemble(i.bits, i.len as 2 | 4, i.pc)}`,
    )
  }
  return `${head.join('\n')}\n${formatBlock(tb)}`
}

async function watText(c: CodegenCase, tb: IrBlock): Promise<string> {
  const m = compileModule([tb])
  const head = [
    `;; codegen baseline '${c.name}': compileModule([block]) as wabt prints it (${ACCEPT_COMMAND} rewrites this file)`,
    ';; f0 leaves the next PC in global 3 (npc) and returns the instructions reached;',
    ';; an exception returns (cause + 1) << 16 | instructions reached, the faulting PC in npc, tval in global 1',
  ]
  for (const [i, h] of m.helpers.entries()) head.push(`;; import h${i}: helper ${h.name}`)
  for (const [i, s] of m.sites.entries()) head.push(`;; ins site ${i}: ${s.name}`)
  return `${head.join('\n')}\n${await wasmText(m.bytes)}`
}

/** What blockSource put in its H[] table: helpers and sites (named) or cells. */
function tableEntry(h: unknown): string {
  if (typeof h === 'object' && h !== null && 'name' in h) return String(h.name)
  if (typeof h === 'object' && h !== null && 'base' in h) {
    const c = h as Cell
    return `cell [*${c.base} + vcpu*${c.stride} + ${c.offset}]`
  }
  throw new Error(`unexpected entry in blockSource's table: ${String(h)}`)
}

function jsText(c: CodegenCase, tb: IrBlock): string {
  const table: unknown[] = []
  const body = blockSource(tb, table)
  const head = [`// codegen baseline '${c.name}': blockSource(block) (${ACCEPT_COMMAND} rewrites this file)`]
  for (const [i, h] of table.entries()) head.push(`// H[${i}]: ${tableEntry(h)}`)
  return `${head.join('\n')}\n${body}\n`
}

/** Every saved form of a case, freshly generated. */
export async function render(c: CodegenCase): Promise<Rendered> {
  const tb = buildBlock(c)
  return { ir: irText(c, tb), wat: await watText(c, tb), js: jsText(c, tb) }
}

/**
 * A unified-style diff of `expected` → `actual` (`-` saved, `+` fresh, three
 * lines of context), at most `maxLines` lines of it: enough to see the first
 * changes of a large file.
 */
export function unifiedDiff(expected: string, actual: string, label: string, maxLines = 60): string {
  const a = expected.split('\n')
  const b = actual.split('\n')
  // Trim the common head and tail, then an LCS table over what is left.
  let lo = 0
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++
  let ea = a.length
  let eb = b.length
  while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) {
    ea--
    eb--
  }
  const n = ea - lo
  const m = eb - lo
  type Line = { tag: ' ' | '-' | '+'; text: string; ai: number; bi: number }
  const lines: Line[] = []
  if (n * m <= 4_000_000) {
    const w = m + 1
    const lcs = new Uint32Array((n + 1) * w)
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] =
          a[lo + i] === b[lo + j]
            ? lcs[(i + 1) * w + j + 1]! + 1
            : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!)
    let i = 0
    let j = 0
    while (i < n || j < m) {
      if (i < n && j < m && a[lo + i] === b[lo + j]) {
        lines.push({ tag: ' ', text: a[lo + i]!, ai: lo + i++, bi: lo + j++ })
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        lines.push({ tag: '-', text: a[lo + i]!, ai: lo + i++, bi: lo + j })
      } else {
        lines.push({ tag: '+', text: b[lo + j]!, ai: lo + i, bi: lo + j++ })
      }
    }
  } else {
    for (let i = lo; i < ea; i++) lines.push({ tag: '-', text: a[i]!, ai: i, bi: lo })
    for (let j = lo; j < eb; j++) lines.push({ tag: '+', text: b[j]!, ai: ea, bi: j })
  }
  // Context: up to three unchanged lines each side, from the common head and tail too.
  const ctx = 3
  const before: Line[] = []
  for (let i = Math.max(0, lo - ctx); i < lo; i++) before.push({ tag: ' ', text: a[i]!, ai: i, bi: i })
  const after: Line[] = []
  for (let k = 0; k < ctx && ea + k < a.length; k++)
    after.push({ tag: ' ', text: a[ea + k]!, ai: ea + k, bi: eb + k })
  const all = [...before, ...lines, ...after]
  // Hunks: changed lines with their context, split where more than 2*ctx unchanged lines separate them.
  const out = [`--- ${label} (saved)`, `+++ ${label} (generated now)`]
  const changed = lines.filter((l) => l.tag !== ' ').length
  let k = 0
  let shown = 0
  let shownChanged = 0
  while (k < all.length) {
    const first = all.findIndex((l, idx) => idx >= k && l.tag !== ' ')
    if (first < 0) break
    let last = first
    for (let idx = first + 1; idx < all.length && idx - last <= 2 * ctx; idx++)
      if (all[idx]!.tag !== ' ') last = idx
    const start = Math.max(k, first - ctx)
    const end = Math.min(all.length, last + ctx + 1)
    const hunk = all.slice(start, end)
    const oldLen = hunk.filter((l) => l.tag !== '+').length
    const newLen = hunk.filter((l) => l.tag !== '-').length
    out.push(`@@ -${hunk[0]!.ai + 1},${oldLen} +${hunk[0]!.bi + 1},${newLen} @@`)
    for (const l of hunk) {
      if (shown === maxLines) {
        out.push(`… (cut at ${maxLines} lines: ${changed - shownChanged} more changed lines not shown)`)
        return out.join('\n')
      }
      out.push(`${l.tag}${l.text}`)
      shown++
      if (l.tag !== ' ') shownChanged++
    }
    k = end
  }
  return out.join('\n')
}
