/**
 * The random differential tester: generates jobs, runs them under rvscope
 * and a reference, compares, and on a difference narrows it down to one
 * instruction and prints a report with the command that replays the job.
 *
 * References:
 * - `unicorn`: Unicorn 2.0.1 (QEMU 5.0), against the in-process rvscope
 *   runner (translateBlock + interpret, or the js backend). States are
 *   compared at every sync point; a difference is re-run one instruction at
 *   a time on both sides to find the instruction. Known Unicorn quirks that
 *   depend on run-time values are recognised there, checked, and the job
 *   resumes after them (explainQuirk).
 * - `qemu`: qemu-riscv64 7.2 running a generated ELF, against rvscope's
 *   linux-user running the same ELF in this process. Register dumps are
 *   compared at every checkpoint and the data region at the end; a
 *   difference is located with diagnostic builds that also dump the data
 *   region, first at every segment end, then after every group of the
 *   segment that differs.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { F_NAMES, X_NAMES } from '../../src/target/riscv/cpu.js'
import type { Ext } from '../../src/target/riscv/decode/table.js'
import { Disassembler } from '../../src/target/riscv/disasm.js'
import {
  type BuildOptions,
  buildElf,
  type Dump,
  ElfDir,
  type ElfImage,
  type ElfRun,
  elfLayout,
  parseDump,
  runQemu,
  runRvscopeLinux,
} from './elf.js'
import {
  DATA_BASE,
  DATA_SIZE,
  generateJob,
  type InitState,
  type Job,
  type Layout,
  layout,
  PTR_SP,
  rowCoverage,
  streamBase,
} from './generate.js'
import { Rng } from './rng.js'
import { type Accel, type RunResult, RvscopeRunner, type State } from './rvscope-runner.js'
import { runUnicorn, type UnicornResult } from './unicorn.js'

export type Ref = 'unicorn' | 'qemu'

export interface DiffOptions {
  ref: Ref
  exts: Ext[]
  /** Total instructions to generate. */
  insns: number
  /** Instructions per job (default: 300 for unicorn, 3000 for qemu). */
  jobInsns?: number
  /** Groups per segment (sync interval). */
  segment?: [number, number]
  seed: number
  /** Run exactly one job with this seed instead. */
  jobSeed?: number
  /** Jobs per Unicorn process / qemu processes in flight. */
  batch?: number
  /** rvscope backend (default interp: translateBlock + interpret). */
  accel?: Accel
  /** Stop after this many mismatches (default 1). */
  maxMismatches?: number
  log?: (line: string) => void
  /** Called after every batch. */
  progress?: (r: DiffResult) => void
}

export interface Mismatch {
  jobSeed: number
  /** Name of the row found responsible (or '?'). */
  insn: string
  report: string
}

export interface DiffResult {
  jobs: number
  generated: number
  /** Instructions rvscope executed (forward branches skip some). */
  executed: number
  mismatches: Mismatch[]
  rows: Map<string, number>
  /** Reference quirks tolerated (see explainQuirk), by kind. */
  quirks: Map<string, number>
  ms: number
}

const BOX = 0xffff_ffff_0000_0000n
const disasm = new Disassembler()
const hex = (v: bigint | number, w = 16): string =>
  `0x${BigInt.asUintN(64, BigInt(v)).toString(16).padStart(w, '0')}`

export function defaultJobInsns(ref: Ref): number {
  return ref === 'unicorn' ? 300 : 3000
}

/** The command that replays one job. */
export function reproCommand(o: DiffOptions, jobSeed: number): string {
  const seg = o.segment ? ` --segment ${o.segment[0]},${o.segment[1]}` : ''
  const accel = o.accel && o.accel !== 'interp' ? ` --accel ${o.accel}` : ''
  return `node tools/random-diff.js --ref ${o.ref} --ext ${o.exts.join(',')} --job-seed ${jobSeed} --job-insns ${o.jobInsns ?? defaultJobInsns(o.ref)}${seg}${accel}`
}

function makeJob(o: DiffOptions, jobSeed: number): Job {
  return generateJob(new Rng(jobSeed), {
    exts: o.exts,
    profile: o.ref,
    insns: o.jobInsns ?? defaultJobInsns(o.ref),
    ...(o.segment ? { segment: o.segment } : {}),
  })
}

// ---- state comparison -------------------------------------------------

/** Unicorn (QEMU 5.0) does not NaN-box single results: S registers compare as boxed low words. */
function normalize(job: Job, s: State): State {
  if (job.ftypes === undefined) return s
  return { ...s, f: s.f.map((v, i) => (job.ftypes![i] === 's' ? BOX | (v & 0xffff_ffffn) : v)) }
}

interface FieldDiff {
  field: string
  ref: string
  got: string
  /** Register slot: x0..x31 = 0..31, f0..f31 = 32..63, fcsr 64, pc 65, data 66. */
  slot: number
}

function diffStates(ref: State, got: State): FieldDiff[] {
  const d: FieldDiff[] = []
  if (ref.pc !== got.pc) d.push({ field: 'pc', ref: hex(ref.pc), got: hex(got.pc), slot: 65 })
  for (let i = 1; i < 32; i++)
    if (ref.x[i] !== got.x[i])
      d.push({ field: `x${i}/${X_NAMES[i]}`, ref: hex(ref.x[i]!), got: hex(got.x[i]!), slot: i })
  for (let i = 0; i < 32; i++)
    if (ref.f[i] !== got.f[i])
      d.push({ field: `f${i}/${F_NAMES[i]}`, ref: hex(ref.f[i]!), got: hex(got.f[i]!), slot: 32 + i })
  if (ref.fcsr !== got.fcsr)
    d.push({
      field: 'fcsr',
      ref: `0x${ref.fcsr.toString(16)} (frm ${ref.fcsr >> 5}, fflags ${fflags(ref.fcsr)})`,
      got: `0x${got.fcsr.toString(16)} (frm ${got.fcsr >> 5}, fflags ${fflags(got.fcsr)})`,
      slot: 64,
    })
  if (ref.data !== got.data)
    d.push({ field: 'data region', ref: `sha1 ${ref.data}`, got: `sha1 ${got.data}`, slot: 66 })
  return d
}

const fflags = (v: number): string =>
  ['NX', 'UF', 'OF', 'DZ', 'NV'].filter((_, i) => v & (1 << i)).join('|') || '-'

function formatState(s: { x: bigint[]; f: bigint[]; fcsr: number }, indent = '    '): string {
  const lines: string[] = []
  for (let i = 0; i < 32; i += 4)
    lines.push(
      indent +
        [0, 1, 2, 3].map((j) => `${`x${i + j}/${X_NAMES[i + j]}`.padEnd(9)} ${hex(s.x[i + j]!)}`).join('  '),
    )
  for (let i = 0; i < 32; i += 4)
    lines.push(
      indent +
        [0, 1, 2, 3].map((j) => `${`f${i + j}/${F_NAMES[i + j]}`.padEnd(9)} ${hex(s.f[i + j]!)}`).join('  '),
    )
  lines.push(`${indent}fcsr 0x${s.fcsr.toString(16)} (frm ${s.fcsr >> 5}, fflags ${fflags(s.fcsr)})`)
  return lines.join('\n')
}

function describeInsn(lay: Layout, pc: bigint): { text: string; name: string } {
  const i = lay.insns.findIndex((e) => BigInt(e.pc) === pc)
  if (i < 0) return { text: `(no stream instruction at ${hex(pc, 0)})`, name: '?' }
  const { insn } = lay.insns[i]!
  const bits =
    insn.len === 2 ? insn.bits.toString(16).padStart(4, '0') : (insn.bits >>> 0).toString(16).padStart(8, '0')
  return {
    text: `${hex(pc, 0)}: ${bits}  ${disasm.disassemble(insn.bits, insn.len, pc)}   [row ${insn.name}, stream insn #${i}]`,
    name: insn.name,
  }
}

function initState(init: InitState, pc: number): State {
  return {
    pc: BigInt(pc),
    x: init.x,
    f: init.f,
    fcsr: init.fcsr,
    data: createHash('sha1').update(init.data).digest('hex'),
  }
}

/** The differing fields, one per line. */
function diffLines(d: FieldDiff[], refName: string): string {
  const w = Math.max(...d.map((x) => x.field.length))
  return d.map((x) => `    ${x.field.padEnd(w)}  ${refName}: ${x.ref}   rvscope: ${x.got}`).join('\n')
}

/** Differing 8-byte words of the data region (address, before, reference, rvscope). */
function dataDiff(
  ref: Uint8Array,
  got: Uint8Array,
  before: Uint8Array | undefined,
  refName: string,
): string[] {
  const out: string[] = []
  const word = (b: Uint8Array, i: number): string =>
    hex(new DataView(b.buffer, b.byteOffset).getBigUint64(i, true))
  for (let i = 0; i < DATA_SIZE; i += 8) {
    let same = true
    for (let j = i; j < i + 8; j++) if (ref[j] !== got[j]) same = false
    if (same) continue
    if (out.length >= 8) {
      out.push('    ...')
      break
    }
    const prev = before ? `before ${word(before, i)}  ` : ''
    out.push(`    mem ${hex(DATA_BASE + i, 0)}: ${prev}${refName} ${word(ref, i)}  rvscope ${word(got, i)}`)
  }
  return out
}

// ---- the unicorn path -------------------------------------------------

function compareRuns(
  job: Job,
  ref: UnicornResult | { states: State[]; error?: { msg: string; pc: bigint } },
  got: RunResult,
) {
  const n = Math.max(ref.states.length, got.states.length)
  for (let k = 0; k < n; k++) {
    const r = ref.states[k]
    const g = got.states[k]
    if (r === undefined || g === undefined) return { index: k, diffs: undefined }
    const d = diffStates(normalize(job, r), g)
    if (d.length > 0) return { index: k, diffs: d }
  }
  if (ref.error !== undefined || got.error !== undefined) return { index: n, diffs: undefined }
  return undefined
}

/** Where a (re)started run begins: the whole job, or the rest of it after a tolerated quirk. */
interface Resume {
  start: number
  init: InitState
  syncs: number[]
}

const uniJob = (lay: Layout, r: Resume, extra: { step?: boolean; fullData?: boolean } = {}) => ({
  id: 0,
  codeBase: lay.start,
  code: lay.code,
  start: r.start,
  syncs: r.syncs,
  init: r.init,
  ...extra,
})

/**
 * Known Unicorn 2.0.1 (QEMU 5.0) deviations from the ISA manual that depend
 * on run-time values, so the generator cannot steer around them. A
 * difference explained here is checked to be exactly the quirk (rvscope
 * then being the one that follows the manual) and the job resumes from
 * rvscope's state after the instruction.
 *
 * - fma-infzero-qnan: fmadd/fmsub/fnmadd/fnmsub with multiplicands ∞ and 0
 *   and a quiet-NaN addend must raise NV ("even when the addend is a quiet
 *   NaN", F chapter); QEMU 5.0 in default-NaN mode returns the canonical
 *   NaN without raising it. Result registers must agree; fcsr must differ
 *   only in NV.
 */
function explainQuirk(
  lay: Layout,
  before: State,
  ref: State,
  got: State,
  diffs: FieldDiff[],
): string | undefined {
  const e = lay.insns.find((i) => BigInt(i.pc) === before.pc)
  if (e === undefined) return undefined
  const name = e.insn.name
  const m = /^f(n?)m(add|sub)\.([sd])$/.exec(name)
  if (m) {
    if (diffs.length !== 1 || diffs[0]!.slot !== 64) return undefined
    if ((ref.fcsr | 0x10) !== got.fcsr || ref.fcsr & 0x10) return undefined
    const bits = e.insn.bits
    const rs1 = (bits >>> 15) & 31
    const rs2 = (bits >>> 20) & 31
    const rs3 = bits >>> 27
    const single = m[3] === 's'
    const val = (r: number): bigint => (single ? before.f[r]! & 0xffff_ffffn : before.f[r]!)
    const [expMask, fracMask, quiet] = single
      ? [0x7f80_0000n, 0x7f_ffffn, 0x40_0000n]
      : [0x7ff0_0000_0000_0000n, 0xf_ffff_ffff_ffffn, 1n << 51n]
    const isInf = (v: bigint) => (v & expMask) === expMask && (v & fracMask) === 0n
    const isZero = (v: bigint) => (v & (expMask | fracMask)) === 0n
    const isQnan = (v: bigint) => (v & expMask) === expMask && (v & quiet) !== 0n
    // Unboxed single inputs do not reach here (unicorn profile: boxed S registers only).
    const a = val(rs1)
    const b = val(rs2)
    if (((isInf(a) && isZero(b)) || (isZero(a) && isInf(b))) && isQnan(val(rs3))) return 'fma-infzero-qnan'
  }
  return undefined
}

interface StepDiff {
  index: number
  before: State
  ref: UnicornResult
  got: RunResult
  diffs: FieldDiff[] | undefined
}

/** Single-step both from `r` and find the first differing instruction (undefined: they agree). */
async function stepCompare(
  job: Job,
  lay: Layout,
  r: Resume,
  runner: RvscopeRunner,
): Promise<StepDiff | undefined> {
  const [ref] = await runUnicorn([uniJob(lay, r, { step: true, fullData: true })])
  const got = runner.run(lay.code, lay.start, r.start, r.syncs, r.init, { step: true, fullData: true })
  const c = compareRuns(job, ref!, got)
  if (c === undefined) return undefined
  const before = c.index === 0 ? initState(r.init, r.start) : got.states[c.index - 1]!
  return { index: c.index, before, ref: ref!, got, diffs: c.diffs }
}

/**
 * Check a job whose block-mode runs differed: find the instruction, resume
 * past known quirks, and return a mismatch report if a real difference remains.
 */
async function checkUnicornJob(
  o: DiffOptions,
  jobSeed: number,
  job: Job,
  lay: Layout,
  runner: RvscopeRunner,
  res: DiffResult,
): Promise<Mismatch | undefined> {
  const head = `MISMATCH rvscope vs Unicorn 2.0.1, extensions ${o.exts.join(',')}, job seed ${jobSeed} (run seed ${o.seed})`
  const repro = `  reproduce: ${reproCommand(o, jobSeed)}`
  let r: Resume = { start: lay.start, init: job.init, syncs: lay.syncs }
  let offset = 0
  for (;;) {
    const d = await stepCompare(job, lay, r, runner)
    if (d === undefined) {
      // Single-stepping agrees: the difference needs multi-instruction blocks.
      const blockRef = (await runUnicorn([uniJob(lay, r)]))[0]!
      const blockGot = runner.run(lay.code, lay.start, r.start, r.syncs, r.init)
      const cb = compareRuns(job, blockRef, blockGot)
      if (cb === undefined) return undefined
      const seg = lay.syncs.length - r.syncs.length + cb.index
      const insns = lay.insns
        .filter((e) => e.seg === seg)
        .map((e) => `    ${describeInsn(lay, BigInt(e.pc)).text}`)
      return {
        jobSeed,
        insn: '?',
        report: [
          head,
          `  one instruction per block agrees with Unicorn; whole blocks differ at sync point ${seg} (${hex(lay.syncs[seg] ?? 0, 0)}):`,
          cb.diffs
            ? diffLines(cb.diffs, 'unicorn')
            : `  unicorn error: ${blockRef.error?.msg}; rvscope error: ${blockGot.error?.msg}`,
          '  instructions of that segment:',
          ...insns,
          repro,
        ].join('\n'),
      }
    }
    const refAfter = d.ref.states[d.index]
    const gotAfter = d.got.states[d.index]
    const quirk =
      d.diffs && refAfter && gotAfter
        ? explainQuirk(lay, d.before, normalize(job, refAfter), gotAfter, d.diffs)
        : undefined
    if (quirk !== undefined && gotAfter?.bytes) {
      res.quirks.set(quirk, (res.quirks.get(quirk) ?? 0) + 1)
      offset += d.index + 1
      const start = Number(gotAfter.pc)
      r = {
        start,
        init: { x: gotAfter.x, f: gotAfter.f, fcsr: gotAfter.fcsr, data: gotAfter.bytes },
        syncs: r.syncs.filter((s) => s >= start),
      }
      continue
    }
    const at = describeInsn(lay, d.before.pc)
    const lines = [head, `  at executed instruction ${offset + d.index}: ${at.text}`]
    if (d.diffs) {
      lines.push('  after it:', diffLines(d.diffs, 'unicorn'))
      if (refAfter?.bytes && gotAfter?.bytes)
        lines.push(...dataDiff(refAfter.bytes, gotAfter.bytes, d.before.bytes ?? r.init.data, 'unicorn'))
    } else {
      const { ref, got } = d
      lines.push(
        `  unicorn: ${ref.error ? `${ref.error.msg} at ${hex(ref.error.pc, 0)}` : `${ref.states.length} steps, no error`}`,
      )
      lines.push(
        `  rvscope: ${got.error ? `${got.error.msg} at ${hex(got.error.pc, 0)}` : `${got.states.length} steps, no error`}`,
      )
    }
    lines.push('  state before it (both agree):', formatState(d.before), repro)
    return { jobSeed, insn: at.name, report: lines.join('\n') }
  }
}

async function runUnicornDiff(
  o: DiffOptions,
  seeds: () => number | undefined,
  res: DiffResult,
): Promise<void> {
  const runner = new RvscopeRunner(o.accel)
  const batch = o.batch ?? 40
  const max = o.maxMismatches ?? 1
  for (;;) {
    const jobs: { seed: number; job: Job; lay: Layout }[] = []
    for (let i = 0; i < batch; i++) {
      const seed = seeds()
      if (seed === undefined) break
      const job = makeJob(o, seed)
      jobs.push({ seed, job, lay: layout(job, streamBase(job)) })
    }
    if (jobs.length === 0) return
    const pending = runUnicorn(
      jobs.map((j, id) => ({
        ...uniJob(j.lay, { start: j.lay.start, init: j.job.init, syncs: j.lay.syncs }),
        id,
      })),
    )
    // Keep a rejected promise from counting as unhandled while rvscope runs.
    pending.catch(() => {})
    const got = jobs.map((j) => runner.run(j.lay.code, j.lay.start, j.lay.start, j.lay.syncs, j.job.init))
    const refs = await pending
    for (const [i, j] of jobs.entries()) {
      res.jobs++
      res.generated += j.job.count
      res.executed += got[i]!.executed
      for (const [name, n] of rowCoverage(j.job)) res.rows.set(name, (res.rows.get(name) ?? 0) + n)
      if (compareRuns(j.job, refs[i]!, got[i]!) !== undefined) {
        const m = await checkUnicornJob(o, j.seed, j.job, j.lay, runner, res)
        if (m === undefined) continue
        res.mismatches.push(m)
        o.log?.(m.report)
        if (res.mismatches.length >= max) return
      }
    }
    o.progress?.(res)
  }
}

// ---- the qemu path ----------------------------------------------------

export function qemuMissing(): string | undefined {
  const r = spawnSync('qemu-riscv64', ['-version'], { encoding: 'utf8' })
  if (r.error) return 'qemu-riscv64 is not on PATH (Debian: apt-get install qemu-user)'
  return r.status === 0 ? undefined : 'qemu-riscv64 -version failed'
}

function dumpState(d: Dump, k: number): State {
  const r = d.records[k]!
  return {
    pc: 0n,
    x: r.x,
    f: r.f,
    fcsr: r.fcsr,
    data: r.data ? createHash('sha1').update(r.data).digest('hex') : '',
  }
}

/** Both emulators on one ELF file (qemu in a child process, rvscope in this one). */
async function runBoth(path: string, accel: Accel | undefined): Promise<[ElfRun, ElfRun]> {
  const ref = runQemu(path)
  ref.catch(() => {})
  const got = await runRvscopeLinux(path, accel)
  return [await ref, got]
}

/** First differing record (records of checkpoints that neither run reached are all zero and agree). */
function firstRecordDiff(rd: Dump, gd: Dump): { k: number; diffs: FieldDiff[] } | undefined {
  for (let k = 0; k < rd.records.length; k++) {
    const diffs = diffStates(dumpState(rd, k), dumpState(gd, k))
    if (diffs.length > 0) return { k, diffs }
  }
  return undefined
}

const reached = (d: Dump, k: number): boolean => d.records[k]!.x[PTR_SP] !== 0n

/** Run a diagnostic build on both; its dumps, or why not. */
async function runDiag(job: Job, b: BuildOptions, dir: ElfDir, accel: Accel | undefined) {
  const img = buildElf(job, b)
  const [r, g] = await runBoth(dir.write(img.elf), accel)
  const rd = parseDump(r.out, img)
  const gd = parseDump(g.out, img)
  if (r.status !== 0 || g.status !== 0 || typeof rd === 'string' || typeof gd === 'string')
    return {
      img,
      error: `diagnostic build: qemu exit ${r.status} ${typeof rd === 'string' ? rd : ''}, rvscope exit ${g.status} ${typeof gd === 'string' ? gd : ''}`,
    }
  return { img, rd, gd }
}

async function diagnoseQemu(
  o: DiffOptions,
  jobSeed: number,
  job: Job,
  ref: ElfRun,
  got: ElfRun,
  img: ElfImage,
  dir: ElfDir,
): Promise<Mismatch> {
  const head = `MISMATCH rvscope linux-user vs qemu-riscv64 7.2 (ELF), extensions ${o.exts.join(',')}, job seed ${jobSeed} (run seed ${o.seed})`
  const repro = `  reproduce: ${reproCommand(o, jobSeed)}`
  const rd = parseDump(ref.out, img)
  const gd = parseDump(got.out, img)
  const fail = (lines: string[], insn = '?'): Mismatch => ({
    jobSeed,
    insn,
    report: [head, ...lines, repro].join('\n'),
  })
  if (ref.status !== 0 || got.status !== 0 || typeof rd === 'string' || typeof gd === 'string') {
    return fail([
      `  qemu: exit ${ref.status}${typeof rd === 'string' ? `, ${rd}` : ''} ${ref.err.trim()}`,
      `  rvscope: exit ${got.status}${typeof gd === 'string' ? `, ${gd}` : ''} ${got.err.trim()}`,
    ])
  }
  // 1. The segment: the first checkpoint whose registers differ, or (data only) a build that also dumps the data.
  let seg: number
  const first = firstRecordDiff(rd, gd)
  if (first !== undefined) {
    seg = img.sites[first.k]!.seg
  } else {
    const d = await runDiag(job, { withData: true }, dir, o.accel)
    if (d.error !== undefined)
      return fail([
        `  the data region differs at the end; ${d.error}`,
        ...dataDiff(rd.data, gd.data, undefined, 'qemu'),
      ])
    const fd = firstRecordDiff(d.rd!, d.gd!)
    if (fd === undefined)
      return fail([
        '  the data region differs at the end, but not in a build that dumps it at every checkpoint:',
        ...dataDiff(rd.data, gd.data, undefined, 'qemu'),
      ])
    seg = d.img.sites[fd.k]!.seg
  }
  // 2. The instruction: a checkpoint after every group of that segment (the data now compared at every
  //    checkpoint may move the first difference to an earlier segment: then diagnose that one).
  let d = await runDiag(job, { withData: true, diagSeg: seg }, dir, o.accel)
  let fd = d.error === undefined ? firstRecordDiff(d.rd!, d.gd!) : undefined
  for (let tries = 0; fd !== undefined && d.img.sites[fd.k]!.seg !== seg && tries < 3; tries++) {
    seg = d.img.sites[fd.k]!.seg
    d = await runDiag(job, { withData: true, diagSeg: seg }, dir, o.accel)
    fd = d.error === undefined ? firstRecordDiff(d.rd!, d.gd!) : undefined
  }
  if (fd === undefined) {
    const lay = elfLayout(job, true).lay
    return fail([
      `  differs in segment ${seg}${first ? ':' : ''}`,
      ...(first ? [diffLines(first.diffs, 'qemu')] : []),
      `  (not located further: ${d.error ?? 'the build with a checkpoint after every group agrees'})`,
      '  instructions of the segment:',
      ...lay.insns.filter((e) => e.seg === seg).map((e) => `    ${describeInsn(lay, BigInt(e.pc)).text}`),
    ])
  }
  const drd = d.rd!
  const dgd = d.gd!
  // The instructions between the last checkpoint both passed and the one that differs.
  let prevK = fd.k - 1
  while (prevK >= 0 && !reached(drd, prevK)) prevK--
  const site = d.img.sites[fd.k]!
  const prevSite = prevK >= 0 ? d.img.sites[prevK]! : undefined
  const from = prevSite?.seg === site.seg ? prevSite.grp + 1 : 0
  const window = d.img.lay.insns.filter((e) => e.seg === site.seg && e.grp >= from && e.grp <= site.grp)
  const real = window.filter((e) => !e.insn.name.startsWith('('))
  const lines = [
    `  in segment ${site.seg}, after ${window.length === 1 ? 'this instruction' : `these ${window.length} instructions`} (diagnostic build: a checkpoint after every group of the segment, addresses as in that build):`,
    ...window.map((e) => `    ${describeInsn(d.img.lay, BigInt(e.pc)).text}`),
  ]
  if (reached(drd, fd.k) !== reached(dgd, fd.k)) {
    lines.push(
      `  control flow differs: ${reached(drd, fd.k) ? 'qemu' : 'rvscope'} reached the checkpoint after them, ${reached(drd, fd.k) ? 'rvscope' : 'qemu'} jumped past it`,
    )
  } else {
    const regs = fd.diffs.filter((x) => x.slot !== 66)
    if (regs.length > 0) lines.push(diffLines(regs, 'qemu'))
    const rdata = drd.records[fd.k]!.data
    const gdata = dgd.records[fd.k]!.data
    if (rdata && gdata)
      lines.push(...dataDiff(rdata, gdata, prevK >= 0 ? drd.records[prevK]!.data : job.init.data, 'qemu'))
  }
  lines.push('  state before (both agree):', formatState(prevK >= 0 ? drd.records[prevK]! : job.init))
  return fail(lines, real.length === 1 ? real[0]!.insn.name : '?')
}

async function runQemuDiff(o: DiffOptions, seeds: () => number | undefined, res: DiffResult): Promise<void> {
  const dir = new ElfDir()
  const max = o.maxMismatches ?? 1
  const inFlight = o.batch ?? 4
  try {
    for (;;) {
      const jobs: { seed: number; job: Job; path: string; img: ElfImage }[] = []
      for (let i = 0; i < inFlight; i++) {
        const seed = seeds()
        if (seed === undefined) break
        const job = makeJob(o, seed)
        const img = buildElf(job)
        jobs.push({ seed, job, path: dir.write(img.elf), img })
      }
      if (jobs.length === 0) return
      const pending = Promise.all(jobs.map((j) => runQemu(j.path)))
      pending.catch(() => {})
      const got: ElfRun[] = []
      for (const j of jobs) got.push(await runRvscopeLinux(j.path, o.accel))
      const refs = await pending
      for (const [i, j] of jobs.entries()) {
        res.jobs++
        res.generated += j.job.count
        for (const [name, n] of rowCoverage(j.job)) res.rows.set(name, (res.rows.get(name) ?? 0) + n)
        const r = refs[i]!
        const g = got[i]!
        const same = r.status === 0 && g.status === 0 && Buffer.from(r.out).equals(Buffer.from(g.out))
        if (!same) {
          const m = await diagnoseQemu(o, j.seed, j.job, r, g, j.img, dir)
          res.mismatches.push(m)
          o.log?.(m.report)
          if (res.mismatches.length >= max) return
        } else {
          // Executed count from rvscope's in-process run would cost a second run; estimate from the stream.
          res.executed += j.job.count
        }
      }
      o.progress?.(res)
    }
  } finally {
    dir.dispose()
  }
}

// ---- entry point ------------------------------------------------------

/** The stream and initial state of one job, as text (`--print`). */
export function printJob(o: DiffOptions, jobSeed: number): string {
  const job = makeJob(o, jobSeed)
  const lay = o.ref === 'unicorn' ? layout(job, streamBase(job)) : elfLayout(job).lay
  const out = [
    `job seed ${jobSeed}, ${o.ref} profile, extensions ${o.exts.join(',')}, ${job.count} instructions`,
    'initial state:',
    formatState(job.init),
  ]
  if (job.ftypes) out.push(`    FP register types: ${job.ftypes.map((t, i) => `f${i}:${t}`).join(' ')}`)
  let seg = -1
  for (const e of lay.insns) {
    if (e.seg !== seg) {
      seg = e.seg
      out.push(`segment ${seg} (sync point at ${hex(lay.syncs[seg]!, 0)}):`)
    }
    out.push(`  ${describeInsn(lay, BigInt(e.pc)).text}`)
  }
  return `${out.join('\n')}\n`
}

export async function runDiff(o: DiffOptions): Promise<DiffResult> {
  const t0 = performance.now()
  const res: DiffResult = {
    jobs: 0,
    generated: 0,
    executed: 0,
    mismatches: [],
    rows: new Map(),
    quirks: new Map(),
    ms: 0,
  }
  const master = new Rng(o.seed)
  const per = o.jobInsns ?? defaultJobInsns(o.ref)
  let planned = 0
  let single = o.jobSeed
  const seeds = (): number | undefined => {
    if (o.jobSeed !== undefined) {
      const s = single
      single = undefined
      return s
    }
    if (planned >= o.insns) return undefined
    planned += per
    return master.u32()
  }
  if (o.ref === 'unicorn') await runUnicornDiff(o, seeds, res)
  else await runQemuDiff(o, seeds, res)
  res.ms = performance.now() - t0
  return res
}
