/**
 * Random instruction streams for the differential tester.
 *
 * A stream is drawn from the decode tables (every row of the chosen
 * extensions is reachable; `rowCoverage` checks that) with the constraints
 * that keep two correct emulators in lockstep:
 *
 * - Control flow only goes forward and stays inside its *segment*: streams
 *   are cut into segments whose ends are sync points that every execution
 *   reaches (the state is compared there). Branches and jal/c.j are patched
 *   to a group boundary at most 9 groups ahead; jalr, c.jr and c.jalr are
 *   emitted as macros (`auipc rX,0` [+ `addi`] + the jump) so that their
 *   register target is exact.
 * - No ecall/ebreak/c.ebreak/fence.i, no counters: CSR instructions only
 *   touch fflags/frm/fcsr, and only in ways that leave frm a valid rounding
 *   mode (csrrw/csrrs of frm/fcsr from a register get an `addi` that sets
 *   that register first), so that dynamic rounding never traps.
 * - Memory is reached only through reserved data pointers that nothing else
 *   writes: x2 (sp, for the c.*sp forms), x9 (s1, for c.lw & co. and
 *   lr.w/sc.w) and x31 (lr.d/sc.d). Every 12-bit offset from any of them
 *   stays inside the 8 KiB data region; all three are 8-aligned, so AMOs
 *   and LR/SC are naturally aligned. LR/SC of the two sizes use different
 *   pointers so an SC never pairs with an LR of another size (mixed-size
 *   pairs are implementation-defined: QEMU compares values, rvscope also
 *   checks the size). c.addi16sp comes as a pair that restores sp.
 * - FP static rounding modes are 0..4 or 7 (5 and 6 are reserved).
 *
 * To make interesting cases common: in half of the jobs operands come from a
 * small register pool (dependency chains, rd = rs aliasing); one load/store
 * in five straddles the page boundary in the middle of the data region;
 * jalr/c.jr targets are odd half of the time (the jump clears bit 0); the
 * initial state mixes special values (0, ±1, INT_MIN/MAX, 32-bit edges, NaNs
 * with payloads, sNaNs, ±inf, subnormals, boxed and unboxed singles).
 *
 * Two profiles:
 * - `qemu`: used with qemu-riscv64 7.2 (ELF path). Only ctzw gets a guard
 *   (see genGroup: qemu 7.2 computes it wrongly for some inputs).
 * - `unicorn`: Unicorn 2.0.1 is QEMU 5.0, which predates NaN-boxing (single
 *   results are written with the upper 32 bits clear and single inputs are
 *   not checked) and implements fmin/fmax with IEEE 754-2008 minNum/maxNum
 *   (an sNaN input gives the canonical NaN instead of the other operand).
 *   So each FP register gets a fixed type for the whole job (S or D):
 *   single-precision operations read and write only S registers, double
 *   ones only D registers, fsd/fmv.x.d/fld/fmv.d.x only D registers; the
 *   comparison then checks S registers as NaN-boxed low words. fmin/fmax
 *   read only registers that cannot hold an sNaN (written by FP arithmetic
 *   on every path, or initialised without one).
 */
import { type CompiledRow, compileTables, Decoder } from '../../src/target/riscv/decode/decoder.js'
import { randomEncoding } from '../../src/target/riscv/decode/encode.js'
import type { Args, Ext, InsnRow } from '../../src/target/riscv/decode/table.js'
import { allTables } from '../../src/target/riscv/decode/tables.js'
import * as A from './asm.js'
import { Rng } from './rng.js'

export type Profile = 'unicorn' | 'qemu'
export type FType = 's' | 'd'

/** Data region: 8 KiB; the pointers sit where every 12-bit offset (±2 KiB, +8 bytes) stays inside. */
export const DATA_BASE = 0x2000_0000
export const DATA_SIZE = 0x2000
/** Code of the in-process / Unicorn layout. */
export const CODE_BASE = 0x0001_0000
/** Reserved data pointers and their addresses. */
export const PTR_SP = 2
export const PTR_W = 9
export const PTR_D = 31
export const POINTERS: Readonly<Record<number, number>> = {
  [PTR_SP]: DATA_BASE + 0x1000,
  [PTR_W]: DATA_BASE + 0x0c08,
  [PTR_D]: DATA_BASE + 0x1408,
}
export const RESERVED: ReadonlySet<number> = new Set([PTR_SP, PTR_W, PTR_D])

/** Extensions Unicorn 2.0.1 implements (QEMU 5.0 RISC-V: RV64GC + Zicsr/Zifencei). */
export const UNICORN_EXTS: readonly Ext[] = ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei', 'zihintpause']
/** qemu-riscv64 7.2 adds Zba/Zbb/Zbc/Zbs (no Zicond: that has no reference here). */
export const QEMU_EXTS: readonly Ext[] = [...UNICORN_EXTS, 'zba', 'zbb', 'zbc', 'zbs']

/**
 * Rows Unicorn 2.0.1 gets wrong, left to the qemu profile (QEMU 7.2 is
 * right):
 * - amomin.w/amomax.w/amominu.w/amomaxu.w: QEMU 5.0's non-parallel atomic
 *   min/max (do_nonatomic_op_i64) loads the memory word zero-extended and
 *   compares it with the untruncated 64-bit rs2, e.g. amomax.w with memory
 *   0x00000001 and rs2 0x0d8d0d2da0000407 stores 0xa0000407 (fixed in QEMU
 *   5.1 by "tcg: Fix do_nonatomic_op_* vs signed operations").
 */
export const UNICORN_BROKEN_ROWS: ReadonlySet<string> = new Set([
  'amomin.w',
  'amomax.w',
  'amominu.w',
  'amomaxu.w',
])

/** Never generated: they leave the stream or have host-visible effects. */
const EXCLUDED = new Set(['ecall', 'ebreak', 'fence.i'])

const LOADS: Record<string, number> = { lb: 1, lh: 2, lw: 4, ld: 8, lbu: 1, lhu: 2, lwu: 4, flw: 4, fld: 8 }
const STORES: Record<string, number> = { sb: 1, sh: 2, sw: 4, sd: 8, fsw: 4, fsd: 8 }
const BRANCHES = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'])
const FP_CSRS = [1, 2, 3]

/** FP operand types of an instruction: 'any' reads only the low word (same in every model). */
interface FpRoles {
  fd?: FType
  fs: (FType | 'any')[]
}

type Kind = 'plain' | 'load' | 'store' | 'amo' | 'lr' | 'sc' | 'csr' | 'branch' | 'jal' | 'jalr' | 'addi16sp'

export interface RowInfo {
  c: CompiledRow
  name: string
  /** Semantic (expansion) name. */
  sem: string
  ext: Ext
  kind: Kind
  /** Operand tokens of the semantic row's asm syntax. */
  tokens: string[]
  fp: FpRoles
  compressed: boolean
}

const compiled = compileTables(allTables)
const byName = new Map<string, InsnRow>()
for (const t of allTables) for (const r of t.rows) byName.set(r.name, r)
/** Every table enabled: the generator's own check that an encoding is the row it wants. */
export const fullDecoder = new Decoder(new Set(allTables.map((t) => t.ext)))

function fpRoles(sem: string, tokens: string[]): FpRoles {
  const isFp = tokens.some((t) => t.startsWith('f'))
  if (!isFp) return { fs: [] }
  const fixed: Record<string, FpRoles> = {
    flw: { fd: 's', fs: [] },
    fld: { fd: 'd', fs: [] },
    fsw: { fs: ['any'] },
    fsd: { fs: ['d'] },
    'fmv.x.w': { fs: ['any'] },
    'fmv.w.x': { fd: 's', fs: [] },
    'fmv.x.d': { fs: ['d'] },
    'fmv.d.x': { fd: 'd', fs: [] },
  }
  if (fixed[sem]) return fixed[sem]!
  const parts = sem.split('.')
  const isT = (p: string | undefined): p is FType => p === 's' || p === 'd'
  if (parts[0] === 'fcvt') {
    const r: FpRoles = { fs: [] }
    if (isT(parts[1])) r.fd = parts[1]
    if (isT(parts[2])) r.fs = [parts[2]]
    return r
  }
  const t = parts[parts.length - 1]
  if (!isT(t)) throw new Error(`cannot type the FP operands of ${sem}`)
  const r: FpRoles = { fs: tokens.filter((k) => /^fs\d$/.test(k)).map(() => t) }
  if (tokens.includes('fd')) r.fd = t
  return r
}

function kindOf(name: string, sem: string): Kind {
  if (name === 'c.addi16sp') return 'addi16sp'
  if (sem in LOADS) return 'load'
  if (sem in STORES) return 'store'
  if (sem.startsWith('lr.')) return 'lr'
  if (sem.startsWith('sc.')) return 'sc'
  if (sem.startsWith('amo')) return 'amo'
  if (sem.startsWith('csrr')) return 'csr'
  if (BRANCHES.has(sem)) return 'branch'
  if (sem === 'jal') return 'jal'
  if (sem === 'jalr') return 'jalr'
  return 'plain'
}

/** The rows a stream over `exts` draws from (compressed FP rows need D too, as the decoder requires). */
export function rowsFor(exts: readonly Ext[], profile: Profile = 'qemu'): RowInfo[] {
  const on = new Set(exts)
  const out: RowInfo[] = []
  for (const c of compiled) {
    const name = c.row.name
    const sem = c.semantic
    if (!on.has(c.ext) || EXCLUDED.has(sem)) continue
    if (profile === 'unicorn' && UNICORN_BROKEN_ROWS.has(name)) continue
    const semRow = byName.get(sem)
    if (semRow === undefined) throw new Error(`row ${name} expands to unknown ${sem}`)
    if (c.row.expands !== undefined) {
      const semExt = compiled.find((r) => r.row.name === sem)!.ext
      if (!on.has(semExt) && semExt !== 'i') continue
    }
    const tokens = (semRow.asm ?? '').split(',').filter((t) => t !== '')
    out.push({
      c,
      name,
      sem,
      ext: c.ext,
      kind: kindOf(name, sem),
      tokens,
      fp: fpRoles(sem, tokens),
      compressed: c.width === 16,
    })
  }
  return out
}

// ---- streams ----------------------------------------------------------

/** Where a patched offset points: group `group` of the same segment (== length: the segment's end). */
export interface Fixup {
  kind: 'b' | 'j' | 'cb' | 'cj' | 'i'
  group: number
  /** The offset is relative to the instruction this many instructions earlier in the group (auipc). */
  anchorBack: number
  /** Added to the offset: 1 makes a jalr/c.jr target odd (the jump clears bit 0). */
  plus?: number
}

export interface Insn {
  bits: number
  len: 2 | 4
  /** Row name (or 'auipc'/'addi' for macro glue), for statistics and reports. */
  name: string
  fix?: Fixup
}

export type Group = Insn[]
export type Segment = Group[]

export interface InitState {
  x: bigint[]
  f: bigint[]
  fcsr: number
  data: Uint8Array
}

export interface Job {
  seed: number
  profile: Profile
  exts: Ext[]
  segments: Segment[]
  init: InitState
  /** unicorn profile: the type of each FP register (S registers compare as boxed low words). */
  ftypes?: FType[]
  /** Generated instructions (macro glue included). */
  count: number
}

export interface GenOptions {
  exts: readonly Ext[]
  profile: Profile
  /** Number of instructions to generate (macro glue included). */
  insns: number
  /** Groups per segment (sync interval), inclusive range. */
  segment?: [number, number]
}

interface Gen {
  rng: Rng
  profile: Profile
  rows: RowInfo[]
  ftypes: FType[] | undefined
  /** FP registers that may hold an sNaN (unicorn profile). */
  dirty: number
  /** Registers operands are drawn from in this job, if restricted. */
  pool: number[] | undefined
}

const BOX = 0xffff_ffff_0000_0000n

/** Typed FP register check (unicorn profile). */
function fpOk(g: Gen, r: number, want: FType | 'any' | undefined): boolean {
  if (g.ftypes === undefined || want === undefined || want === 'any') return true
  return g.ftypes[r] === want
}

/** Does `bits` decode as `info`'s row, with operands that satisfy the constraints? */
function acceptable(g: Gen, info: RowInfo, bits: number): Args | undefined {
  const d = fullDecoder.decode(bits, info.compressed ? 2 : 4)
  if (d === undefined || d.row.row !== info.c.row) return undefined
  const a = d.args
  const t = info.tokens
  if (t.includes('rd') && RESERVED.has(a.rd)) return undefined
  if (t.includes('rm') && (a.rm === 5 || a.rm === 6)) return undefined
  if (g.ftypes !== undefined) {
    if (t.includes('fd') && !fpOk(g, a.rd, info.fp.fd)) return undefined
    const srcs = [a.rs1, a.rs2, a.rs3]
    let k = 0
    for (const [i, tok] of ['fs1', 'fs2', 'fs3'].entries()) {
      if (!t.includes(tok)) continue
      if (!fpOk(g, srcs[i]!, info.fp.fs[k++])) return undefined
      if ((info.sem.startsWith('fmin') || info.sem.startsWith('fmax')) && g.dirty & (1 << srcs[i]!))
        return undefined
    }
  }
  switch (info.kind) {
    case 'load':
    case 'store':
    case 'amo':
      if (!RESERVED.has(a.rs1)) return undefined
      break
    case 'lr':
    case 'sc':
      if (a.rs1 !== (info.sem.endsWith('.w') ? PTR_W : PTR_D)) return undefined
      break
    case 'csr':
      if (!FP_CSRS.includes(a.csr)) return undefined
      break
  }
  return a
}

/** Register fields (bit positions) per format, for the register pool. */
const POOL_FIELDS: Partial<Record<string, number[]>> = {
  r: [7, 15, 20],
  rm: [7, 15, 20],
  amo: [7, 15, 20],
  csr: [7, 15],
  r4: [7, 15, 20, 27],
  i: [7, 15],
  sh6: [7, 15],
  sh5: [7, 15],
  s: [15, 20],
  b: [15, 20],
  u: [7],
  j: [7],
}

const setSImm = (w: number, imm: number): number =>
  ((w & 0x01fff07f) | (((imm >> 5) & 0x7f) << 25) | ((imm & 0x1f) << 7)) >>> 0

/** Nudge the fields that rejection alone would rarely get right (pointer base, CSR number, rounding mode). */
function patch(g: Gen, info: RowInfo, bits: number): number {
  const rng = g.rng
  if (info.compressed) {
    // c.lw/c.ld/c.sw/c.sd/c.fld/c.fsd: rs1' (bits 9:7) is x9.
    if (
      (info.kind === 'load' || info.kind === 'store') &&
      !['clwsp', 'cldsp', 'cswsp', 'csdsp'].includes(info.c.row.format)
    )
      return (bits & ~0x380) | ((PTR_W - 8) << 7)
    return bits
  }
  let w = bits
  const setField = (at: number, r: number): void => {
    w = ((w & ~(31 << at)) | (r << at)) >>> 0
  }
  // Register pool: operands drawn from a few registers make dependency chains and rd = rs aliasing common.
  if (g.pool !== undefined) {
    for (const at of POOL_FIELDS[info.c.row.format] ?? [])
      if ((info.c.mask & (31 << at)) === 0) setField(at, rng.pick(g.pool))
  }
  if (info.kind === 'load' || info.kind === 'store' || info.kind === 'amo') {
    const p = rng.pick([PTR_SP, PTR_W, PTR_D])
    setField(15, p)
    // Sometimes straddle the page boundary in the middle of the data region.
    if (info.kind !== 'amo' && rng.chance(0.2)) {
      const size = LOADS[info.sem] ?? STORES[info.sem]!
      const imm = DATA_BASE + 0x1000 - POINTERS[p]! - rng.range(1, Math.max(1, size - 1))
      w = info.kind === 'load' ? A.setIImm(w, imm) : setSImm(w, imm)
    }
  }
  if (info.kind === 'lr' || info.kind === 'sc') setField(15, info.sem.endsWith('.w') ? PTR_W : PTR_D)
  if (info.kind === 'csr') w = ((w & 0xfffff) | (rng.pick(FP_CSRS) << 20)) >>> 0
  if (info.tokens.includes('rm')) w = ((w & ~(7 << 12)) | (rng.pick([0, 1, 2, 3, 4, 7]) << 12)) >>> 0
  return w
}

/** A random acceptable encoding of `info` (or undefined if the constraints make it too rare now). */
function encode(g: Gen, info: RowInfo, extra?: (a: Args) => boolean): { bits: number; a: Args } | undefined {
  for (let i = 0; i < 400; i++) {
    const bits = patch(g, info, randomEncoding(info.c, g.rng.fn))
    const a = acceptable(g, info, bits)
    if (a !== undefined && (extra === undefined || extra(a))) return { bits, a }
  }
  return undefined
}

/** Names of macro glue instructions (not rows of their own in the coverage count). */
export const GLUE_AUIPC = '(auipc)'
export const GLUE_ADDI = '(addi)'
export const GLUE_ADDIW = '(sext.w)'

const insn = (bits: number, name: string, len: 2 | 4 = 4, fix?: Fixup): Insn =>
  fix === undefined ? { bits, len, name } : { bits, len, name, fix }

/** Track which FP registers may hold an sNaN after `info` wrote its destination. */
function updateDirty(g: Gen, info: RowInfo, a: Args): void {
  if (g.ftypes === undefined || !info.tokens.includes('fd')) return
  const bit = 1 << a.rd
  const s = info.sem
  let dirty: boolean
  if (s.startsWith('fsgnj')) dirty = (g.dirty & (1 << a.rs1)) !== 0
  else dirty = info.kind === 'load' || s.startsWith('fmv.')
  g.dirty = dirty ? g.dirty | bit : g.dirty & ~bit
}

/** Registers a macro may clobber as scratch: not reserved, not x0. */
function scratchReg(g: Gen): number {
  for (;;) {
    const r = g.rng.range(1, 31)
    if (!RESERVED.has(r)) return r
  }
}

/**
 * One group for `info` at group index `i` of a segment of `len` groups, or
 * undefined when the row cannot be placed here.
 */
function genGroup(g: Gen, info: RowInfo, i: number, len: number): Group | undefined {
  const rng = g.rng
  const target = (): number => rng.range(i + 1, Math.min(len, i + 9))
  switch (info.kind) {
    case 'branch':
    case 'jal': {
      const e = encode(g, info)
      if (e === undefined) return undefined
      const kind = info.compressed ? (info.kind === 'jal' ? 'cj' : 'cb') : info.kind === 'jal' ? 'j' : 'b'
      return [insn(e.bits, info.name, info.compressed ? 2 : 4, { kind, group: target(), anchorBack: 0 })]
    }
    case 'jalr': {
      const rx = scratchReg(g)
      const t = target()
      if (info.compressed) {
        // auipc rx,0; addi rx,rx,target-auipc; c.jr/c.jalr rx
        const jump = info.name === 'c.jr' ? A.cJr(rx) : A.cJalr(rx)
        return [
          insn(A.auipc(rx, 0), GLUE_AUIPC),
          insn(A.addi(rx, rx, 0), GLUE_ADDI, 4, { kind: 'i', group: t, anchorBack: 1, plus: rng.int(2) }),
          insn(jump, info.name, 2),
        ]
      }
      const e = encode(g, info)
      if (e === undefined) return undefined
      const bits = ((e.bits & ~(31 << 15)) | (rx << 15)) >>> 0
      return [
        insn(A.auipc(rx, 0), GLUE_AUIPC),
        insn(bits, info.name, 4, { kind: 'i', group: t, anchorBack: 1, plus: rng.int(2) }),
      ]
    }
    case 'addi16sp': {
      const imm = rng.pick([-1, 1]) * 16 * rng.range(1, 31)
      const out: Group = [insn(A.cAddi16sp(imm), info.name, 2)]
      // Sometimes an sp-relative access (or anything else) while sp is moved.
      if (rng.chance(0.5)) {
        const mem = g.rows.filter((r) => r.kind === 'load' || r.kind === 'store' || r.kind === 'plain')
        if (mem.length > 0) {
          const inner = genGroup(g, rng.pick(mem), 0, 1)
          if (inner !== undefined) out.push(...inner)
        }
      }
      out.push(insn(A.cAddi16sp(-imm), info.name, 2))
      return out
    }
    case 'csr': {
      const e = encode(g, info)
      if (e === undefined) return undefined
      const { a } = e
      const name = info.sem
      const imm = name.endsWith('i')
      const op = name.slice(4, 5) as 'w' | 's' | 'c'
      const frmBits = (v: number): number => (a.csr === 2 ? v & 7 : (v >> 5) & 7)
      if (a.csr === 1 || op === 'c') return [insn(e.bits, info.name)]
      if (imm) {
        // zimm is 5 bits: for fcsr it never reaches frm.
        if (a.csr === 3) return [insn(e.bits, info.name)]
        const ok = op === 'w' ? (a.rs1 & 7) <= 4 : (a.rs1 & 7) === 0
        return ok ? [insn(e.bits, info.name)] : undefined
      }
      if (a.rs1 === 0) return [insn(e.bits, info.name)]
      if (RESERVED.has(a.rs1)) return undefined
      // Set rs1 first so that the new frm is valid whatever frm was.
      let v: number
      do v = rng.range(-2048, 2047)
      while (op === 'w' ? frmBits(v) > 4 : frmBits(v) !== 0)
      return [insn(A.addi(a.rs1, 0, v), GLUE_ADDI), insn(e.bits, info.name)]
    }
    default: {
      const e = encode(g, info)
      if (e === undefined) return undefined
      updateDirty(g, info, e.a)
      const one = insn(e.bits, info.name, info.compressed ? 2 : 4)
      // qemu-riscv64 7.2 computes ctzw as the 64-bit ctz when the low word is 0 and the high word is not
      // (ctzw of 0x0000460000000000 gives 41, not 32). Sign-extending the source first (sext.w, as
      // addiw rs1,rs1,0) keeps both models on the defined path and still leaves upper bits set when the
      // low word is not 0. The reserved pointers have non-zero low words.
      if (info.name === 'ctzw' && g.profile === 'qemu' && !RESERVED.has(e.a.rs1))
        return [insn(A.encI(0x1b, 0, e.a.rs1, e.a.rs1, 0), GLUE_ADDIW), one]
      return [one]
    }
  }
}

/** Relative weight of a row: control flow skips code, so it is drawn less often. */
const weight = (r: RowInfo): number =>
  r.kind === 'branch' || r.kind === 'jal' || r.kind === 'jalr' ? 0.35 : 1

function pickRow(rng: Rng, rows: RowInfo[], total: number): RowInfo {
  let x = rng.float() * total
  for (const r of rows) {
    x -= weight(r)
    if (x < 0) return r
  }
  return rows[rows.length - 1]!
}

// ---- initial state ----------------------------------------------------

const INT_SPECIALS: bigint[] = [
  0n,
  1n,
  2n,
  0xffff_ffff_ffff_ffffn,
  0x8000_0000_0000_0000n,
  0x7fff_ffff_ffff_ffffn,
  0xffff_ffff_8000_0000n,
  0x0000_0000_8000_0000n,
  0x0000_0000_7fff_ffffn,
  0x0000_0000_ffff_ffffn,
  0xffff_ffff_0000_0000n,
  0x0000_0000_0000_003fn,
  0x0000_0000_0000_0040n,
  0x0000_0000_0000_001fn,
  0x8000_0000_0000_0001n,
  0xffff_ffff_ffff_fffen,
  0x0000_0000_0000_ff80n,
  0x5555_5555_5555_5555n,
  0xaaaa_aaaa_aaaa_aaaan,
]

export function randomInt(rng: Rng): bigint {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return rng.pick(INT_SPECIALS)
    case 2:
      return BigInt.asUintN(64, BigInt(rng.range(-300, 300)))
    case 3:
      return BigInt.asUintN(64, BigInt(rng.u32() | 0))
    case 4:
      return BigInt.asUintN(
        64,
        (1n << BigInt(rng.int(64))) * (rng.chance(0.3) ? -1n : 1n) + BigInt(rng.range(-1, 1)),
      )
    default:
      return rng.u64()
  }
}

const F32_SPECIALS = [
  0x0000_0000, 0x8000_0000, 0x3f80_0000, 0xbf80_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0xffc0_0000,
  0x7fc1_2345, 0xffd5_5555, 0x7f80_0001, 0x7fa0_0000, 0xff80_1234, 0x0000_0001, 0x807f_ffff, 0x0080_0000,
  0x7f7f_ffff, 0xff7f_ffff, 0x4f00_0000, 0xcf00_0000, 0x5f00_0000, 0xdf00_0000, 0x4f80_0000, 0x3f00_0000,
  0x4b00_0000, 0x3fc0_0000, 0xbfc0_0000, 0x4040_0000, 0x3eaa_aaab, 0x3400_0000,
]
const F64_SPECIALS: bigint[] = [
  0x0000_0000_0000_0000n,
  0x8000_0000_0000_0000n,
  0x3ff0_0000_0000_0000n,
  0xbff0_0000_0000_0000n,
  0x7ff0_0000_0000_0000n,
  0xfff0_0000_0000_0000n,
  0x7ff8_0000_0000_0000n,
  0xfff8_0000_0000_0000n,
  0x7ff8_0000_dead_beefn,
  0x7ff0_0000_0000_0001n,
  0x7ff4_0000_0000_0000n,
  0xfff0_0000_1234_5678n,
  0x0000_0000_0000_0001n,
  0x800f_ffff_ffff_ffffn,
  0x0010_0000_0000_0000n,
  0x7fef_ffff_ffff_ffffn,
  0x41e0_0000_0000_0000n,
  0xc1e0_0000_0000_0000n,
  0x43e0_0000_0000_0000n,
  0xc3e0_0000_0000_0000n,
  0x41f0_0000_0000_0000n,
  0x43f0_0000_0000_0000n,
  0x3fe0_0000_0000_0000n,
  0x4330_0000_0000_0000n,
  0x3ff8_0000_0000_0000n,
  0xbff8_0000_0000_0000n,
  0x3fd5_5555_5555_5555n,
  0x3690_0000_0000_0000n,
  0x47ef_ffff_e000_0000n,
  0x3810_0000_0000_0000n,
  0x36a0_0000_0000_0000n,
]

export function randomF32(rng: Rng): number {
  switch (rng.int(4)) {
    case 0:
    case 1:
      return rng.pick(F32_SPECIALS)
    case 2: {
      // A "nice" value: small exponent range, few mantissa bits.
      const e = rng.range(100, 154)
      return ((rng.chance(0.5) ? 0x8000_0000 : 0) | (e << 23) | (rng.u32() & 0x7f_0000)) >>> 0
    }
    default:
      return rng.u32()
  }
}

export function randomF64(rng: Rng): bigint {
  switch (rng.int(4)) {
    case 0:
    case 1:
      return rng.pick(F64_SPECIALS)
    case 2: {
      const e = BigInt(rng.range(1000, 1080))
      return (
        ((rng.chance(0.5) ? 1n : 0n) << 63n) | (e << 52n) | (BigInt((rng.u32() & 0xfff0_0000) >>> 0) << 20n)
      )
    }
    default:
      return rng.u64()
  }
}

const isSnan32 = (v: number): boolean =>
  (v & 0x7f80_0000) === 0x7f80_0000 && (v & 0x7f_ffff) !== 0 && (v & 0x40_0000) === 0
const isSnan64 = (v: bigint): boolean =>
  (v & 0x7ff0_0000_0000_0000n) === 0x7ff0_0000_0000_0000n &&
  (v & 0xf_ffff_ffff_ffffn) !== 0n &&
  (v & (1n << 51n)) === 0n

function randomData(rng: Rng): Uint8Array {
  const d = new Uint8Array(DATA_SIZE)
  const dv = new DataView(d.buffer)
  for (let i = 0; i < DATA_SIZE; i += 4) dv.setUint32(i, rng.u32(), true)
  // Sprinkle special values (aligned and not) over the region.
  for (let k = 0; k < 400; k++) {
    const at = rng.int(DATA_SIZE - 8) & (rng.chance(0.7) ? ~7 : ~0)
    const c = rng.int(3)
    if (c === 0) dv.setBigUint64(at, randomInt(rng), true)
    else if (c === 1) dv.setBigUint64(at, randomF64(rng), true)
    else dv.setUint32(at, randomF32(rng), true)
  }
  return d
}

function fTypes(rng: Rng): FType[] {
  for (;;) {
    const t: FType[] = Array.from({ length: 32 }, () => (rng.chance(0.5) ? 's' : 'd'))
    const count = (lo: number, hi: number, ty: FType) => t.slice(lo, hi).filter((x) => x === ty).length
    if (count(8, 16, 's') >= 2 && count(8, 16, 'd') >= 2 && count(0, 32, 's') >= 6 && count(0, 32, 'd') >= 6)
      return t
  }
}

/** A few registers (not the reserved pointers; in the unicorn profile at least two FP registers of each type). */
function registerPool(rng: Rng, ftypes: FType[] | undefined): number[] {
  const pool = new Set<number>()
  const add = (ok: (r: number) => boolean, n: number): void => {
    for (let k = 0; k < n; ) {
      const r = rng.int(32)
      if (RESERVED.has(r) || !ok(r)) continue
      pool.add(r)
      k++
    }
  }
  add(() => true, rng.range(3, 8))
  if (ftypes !== undefined) {
    add((r) => ftypes[r] === 's', 2)
    add((r) => ftypes[r] === 'd', 2)
  }
  return [...pool]
}

// ---- jobs -------------------------------------------------------------

export function generateJob(rng: Rng, opts: GenOptions): Job {
  const seed = rng.seed
  const rows = rowsFor(opts.exts, opts.profile)
  if (rows.length === 0) throw new Error(`no instructions in extensions ${opts.exts.join(',')}`)
  if (opts.profile === 'unicorn') {
    const bad = opts.exts.filter((e) => !UNICORN_EXTS.includes(e))
    if (bad.length > 0)
      throw new Error(`Unicorn 2.0.1 does not implement ${bad.join(',')}: use the qemu profile`)
  }
  const ftypes = opts.profile === 'unicorn' ? fTypes(rng) : undefined
  // Initial state.
  const x: bigint[] = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0n : randomInt(rng)))
  for (const [r, v] of Object.entries(POINTERS)) x[Number(r)] = BigInt(v)
  let dirty = 0
  const f: bigint[] = Array.from({ length: 32 }, (_, r) => {
    const single = ftypes !== undefined ? ftypes[r] === 's' : rng.chance(0.5)
    if (single) {
      const v = randomF32(rng)
      if (isSnan32(v)) dirty |= 1 << r
      // qemu profile: sometimes an improperly boxed single (reads as the canonical NaN).
      if (ftypes === undefined && rng.chance(0.15))
        return (BigInt(rng.chance(0.5) ? 0 : rng.u32() & 0x7fff_ffff) << 32n) | BigInt(v)
      return BOX | BigInt(v)
    }
    const v = randomF64(rng)
    if (isSnan64(v)) dirty |= 1 << r
    return v
  })
  const fcsr = (rng.range(0, 4) << 5) | rng.int(32)
  const init: InitState = { x, f, fcsr, data: randomData(rng) }

  const pool = rng.chance(0.5) ? registerPool(rng, ftypes) : undefined
  const g: Gen = { rng, profile: opts.profile, rows, ftypes, dirty, pool }
  const total = rows.reduce((s, r) => s + weight(r), 0)
  // Default sync interval: 8..40 groups, in one job of five up to 200 (longer blocks).
  const [segMin, segMax] = opts.segment ?? (rng.chance(0.2) ? [40, 200] : [8, 40])
  const segments: Segment[] = []
  let count = 0
  while (count < opts.insns) {
    const len = rng.range(segMin, segMax)
    const seg: Segment = []
    // Dirty sets flowing into each group along forward branches (unicorn profile).
    const joins = new Map<number, number>()
    for (let i = 0; i < len && count < opts.insns; i++) {
      g.dirty |= joins.get(i) ?? 0
      let grp: Group | undefined
      for (let tries = 0; grp === undefined; tries++) {
        if (tries > 1000) throw new Error('generator cannot place any row')
        grp = genGroup(g, pickRow(rng, rows, total), i, len)
      }
      for (const ins of grp) if (ins.fix) joins.set(ins.fix.group, (joins.get(ins.fix.group) ?? 0) | g.dirty)
      seg.push(grp)
      count += grp.length
    }
    // Branches to the segment's end join the next segment's start.
    for (const [at, d] of joins) if (at >= seg.length) g.dirty |= d
    segments.push(seg)
  }
  // A branch may target the end of a segment that was cut short: clamp to its length.
  for (const seg of segments)
    for (const grp of seg)
      for (const ins of grp) if (ins.fix && ins.fix.group > seg.length) ins.fix.group = seg.length
  return {
    seed,
    profile: opts.profile,
    exts: [...opts.exts],
    segments,
    init,
    ...(ftypes ? { ftypes } : {}),
    count,
  }
}

// ---- layout -----------------------------------------------------------

export interface Layout {
  code: Uint8Array
  /** Address of the first stream instruction. */
  start: number
  /** Address reached at the end of each segment (the sync points). */
  syncs: number[]
  /** Every stream instruction with its address, segment and group. */
  insns: { pc: number; insn: Insn; seg: number; grp: number }[]
}

/**
 * Place the stream at `base` and patch its offsets. `between(k, g, addr)`
 * returns code inserted after group g of segment k (at `addr`); after the
 * last group it follows the sync point (checkpoints of the ELF path), so a
 * branch to the segment's end lands on it. `prefix` goes before the stream.
 */
export function layout(
  job: Job,
  base: number,
  prefix: number[] = [],
  between?: (k: number, g: number, addr: number) => number[],
): Layout {
  const bytes: number[] = []
  const put32 = (w: number) => bytes.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff)
  const put16 = (w: number) => bytes.push(w & 0xff, (w >>> 8) & 0xff)
  for (const w of prefix) put32(w)
  const start = base + bytes.length
  // First pass: addresses.
  const groupAddr: number[][] = []
  const syncs: number[] = []
  const extra: number[][][] = []
  let pc = start
  for (const [k, seg] of job.segments.entries()) {
    const addrs: number[] = []
    const ex: number[][] = []
    for (const [g, grp] of seg.entries()) {
      addrs.push(pc)
      for (const ins of grp) pc += ins.len
      if (g === seg.length - 1) {
        addrs.push(pc)
        syncs.push(pc)
      }
      const code = between?.(k, g, pc) ?? []
      ex.push(code)
      pc += code.length * 4
    }
    groupAddr.push(addrs)
    extra.push(ex)
  }
  // Second pass: patch and emit.
  const insns: Layout['insns'] = []
  pc = start
  for (const [k, seg] of job.segments.entries()) {
    for (const [g, grp] of seg.entries()) {
      const pcs: number[] = []
      for (const [j, ins] of grp.entries()) {
        pcs.push(pc)
        let bits = ins.bits
        if (ins.fix) {
          const anchor = pcs[j - ins.fix.anchorBack]!
          const off = groupAddr[k]![ins.fix.group]! - anchor + (ins.fix.plus ?? 0)
          if (ins.fix.kind === 'b') bits = A.setBImm(bits, off)
          else if (ins.fix.kind === 'j') bits = A.setJImm(bits, off)
          else if (ins.fix.kind === 'cb') bits = A.setCbImm(bits, off)
          else if (ins.fix.kind === 'cj') bits = A.setCjImm(bits, off)
          else bits = A.setIImm(bits, off)
        }
        const placed: Insn = { ...ins, bits }
        insns.push({ pc, insn: placed, seg: k, grp: g })
        if (ins.len === 2) put16(bits)
        else put32(bits)
        pc += ins.len
      }
      for (const w of extra[k]![g]!) put32(w)
      pc += extra[k]![g]!.length * 4
    }
  }
  return { code: Uint8Array.from(bytes), start, syncs, insns }
}

/**
 * Where the unicorn-path layout puts a job's stream: near the end of a page
 * (2-aligned with C, else 4-aligned), so that streams cross a page boundary
 * (rvscope ends blocks there; with C a 4-byte instruction may straddle it).
 */
export function streamBase(job: Job): number {
  const r = new Rng(job.seed ^ 0x5bd1e995)
  const align = job.exts.includes('c') ? 2 : 4
  return CODE_BASE + 0x1000 - align * (1 + r.int(0x700 / align))
}

/** How often each row was generated (to check that every row is reachable). */
export function rowCoverage(job: Job): Map<string, number> {
  const m = new Map<string, number>()
  for (const seg of job.segments)
    for (const grp of seg)
      for (const ins of grp) if (!ins.name.startsWith('(')) m.set(ins.name, (m.get(ins.name) ?? 0) + 1)
  return m
}
