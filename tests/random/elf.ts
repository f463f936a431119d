/**
 * The ELF path of the random tester: a job becomes a tiny static RISC-V
 * Linux executable, built here byte by byte (no toolchain at test time):
 *
 *   text (0x10000): prologue — load x1..x31, f0..f31 and fcsr from the
 *                   init record; the stream, with a checkpoint after every
 *                   segment that stores x1..x30, fcsr and f0..f31 into the
 *                   next dump record (restoring the registers it borrows);
 *                   after the last one write(1, data region + init + dump
 *                   records) and exit_group(0).
 *   data (DATA_BASE): the 8 KiB data region, the init record, the dump records.
 *
 * It runs under qemu-riscv64 (the reference for Zba/Zbb/Zbc/Zbs, and a
 * second reference for everything else) and under rvscope's linux-user
 * (in-process, through the Kernel API, with the guest's stdout captured).
 *
 * Diagnostic builds, used to locate a difference, also copy the data
 * region into every record, and can add a checkpoint after every group of
 * one segment (out of line, so that short branches across them stay in range).
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Log } from '../../src/core/log.js'
import { DEFAULT_EXTS } from '../../src/target/riscv/cpu.js'
import * as A from './asm.js'
import { DATA_BASE, DATA_SIZE, type Job, type Layout, layout, POINTERS, PTR_D } from './generate.js'
import { type Accel, backendFor } from './rvscope-runner.js'

export const TEXT_BASE = 0x10000
/** Registers of a record: x0..x31 at 8*i (x0 and x31 not stored), fcsr at 256, f0..f31 at 264 + 8*i. */
const REGS = 520
export const INIT_ADDR = DATA_BASE + DATA_SIZE
export const DUMP_ADDR = INIT_ADDR + 1024

const T = 5 // t0: the scratch register of checkpoints (saved first, restored last)

export interface BuildOptions {
  /** Copy the data region into every record (after the registers). */
  withData?: boolean
  /** Also dump the state after every group of this segment. */
  diagSeg?: number
}

const recordSize = (o: BuildOptions): number => REGS + (o.withData ? DATA_SIZE : 0)

function prologue(): number[] {
  const c = [...A.li32(PTR_D, INIT_ADDR)]
  for (let i = 0; i < 32; i++) c.push(A.fld(i, PTR_D, 264 + 8 * i))
  c.push(A.ld(T, PTR_D, 256), A.csrrw(0, 3, T))
  for (let i = 1; i < 31; i++) c.push(A.ld(i, PTR_D, 8 * i))
  c.push(A.ld(PTR_D, PTR_D, 8 * PTR_D))
  return c
}

const bne = (rs1: number, rs2: number, off: number): number =>
  A.setBImm(0x1063 | (rs1 << 15) | (rs2 << 20), off)

function checkpoint(k: number, last: boolean, records: number, o: BuildOptions): number[] {
  const size = recordSize(o)
  const c = [...A.li32(PTR_D, DUMP_ADDR + k * size)]
  for (let i = 1; i < 31; i++) c.push(A.sd(i, PTR_D, 8 * i))
  c.push(A.csrrs(T, 3, 0), A.sd(T, PTR_D, 256))
  for (let i = 0; i < 32; i++) c.push(A.fsd(i, PTR_D, 264 + 8 * i))
  if (o.withData) {
    // Copy the data region after the registers (t0 = src, t1 = dst, t2 = end, t3 = word), then reload those four.
    c.push(...A.li32(5, DATA_BASE), A.addi(6, PTR_D, REGS), ...A.li32(7, DATA_BASE + DATA_SIZE))
    c.push(A.ld(28, 5, 0), A.sd(28, 6, 0), A.addi(5, 5, 8), A.addi(6, 6, 8), bne(5, 7, -16))
    for (const r of [6, 7, 28]) c.push(A.ld(r, PTR_D, 8 * r))
  }
  if (!last) {
    c.push(A.ld(T, PTR_D, 8 * T), ...A.li32(PTR_D, POINTERS[PTR_D]!))
    return c
  }
  // write(1, DATA_BASE, everything) ; exit_group(0)
  c.push(
    ...A.li32(11, DATA_BASE),
    ...A.li32(12, DUMP_ADDR + records * size - DATA_BASE),
    A.addi(10, 0, 1),
    A.addi(17, 0, 64),
    A.ECALL,
    A.addi(10, 0, 0),
    A.addi(17, 0, 94),
    A.ECALL,
  )
  return c
}

/** What each dump record belongs to: the end of segment `seg`, or (diagnostic builds) group `grp` of it. */
export interface RecordSite {
  seg: number
  grp: number
  /** The record of a segment's end (every build has those). */
  end: boolean
}

export interface ElfImage {
  elf: Uint8Array
  lay: Layout
  records: number
  sites: RecordSite[]
  opts: BuildOptions
}

/**
 * The text of the ELF, or with `nops` the same layout with checkpoints as
 * nops (the in-process runner's view of it).
 */
export function elfLayout(
  job: Job,
  nops = false,
  o: BuildOptions = {},
): { lay: Layout; sites: RecordSite[] } {
  const n = job.segments.length
  const records = n + (o.diagSeg === undefined ? 0 : job.segments[o.diagSeg]!.length - 1)
  const sites: RecordSite[] = []
  const outOfLine: { at: number; code: number[] }[] = []
  const nop = A.addi(0, 0, 0)
  const lay = layout(job, TEXT_BASE, prologue(), (k, g, addr) => {
    const end = g === job.segments[k]!.length - 1
    if (!end && k !== o.diagSeg) return []
    const c = checkpoint(sites.length, end && k === n - 1, records, o)
    sites.push({ seg: k, grp: g, end })
    if (nops) return end ? c.map(() => nop) : [nop]
    if (end) return c
    outOfLine.push({ at: addr, code: c })
    return [nop]
  })
  if (outOfLine.length === 0) return { lay, sites }
  // The out-of-line checkpoints go after the exit code: jal there, jal back.
  const words: number[] = []
  const inline: [number, number][] = []
  let pc = TEXT_BASE + lay.code.length
  for (const ool of outOfLine) {
    inline.push([ool.at, A.setJImm(0x6f, pc - ool.at)])
    words.push(...ool.code)
    pc += 4 * ool.code.length
    words.push(A.setJImm(0x6f, ool.at + 4 - pc))
    pc += 4
  }
  const code = new Uint8Array(lay.code.length + 4 * words.length)
  code.set(lay.code)
  const dv = new DataView(code.buffer)
  for (const [i, w] of words.entries()) dv.setUint32(lay.code.length + 4 * i, w, true)
  for (const [at, w] of inline) dv.setUint32(at - TEXT_BASE, w, true)
  return { lay: { ...lay, code }, sites }
}

function initRecord(x: bigint[], f: bigint[], fcsr: number): Uint8Array {
  const b = new Uint8Array(REGS)
  const dv = new DataView(b.buffer)
  for (let i = 0; i < 32; i++) dv.setBigUint64(8 * i, x[i]!, true)
  dv.setBigUint64(256, BigInt(fcsr), true)
  for (let i = 0; i < 32; i++) dv.setBigUint64(264 + 8 * i, f[i]!, true)
  return b
}

export function buildElf(job: Job, o: BuildOptions = {}): ElfImage {
  const { lay, sites } = elfLayout(job, false, o)
  const records = sites.length
  const text = lay.code
  const textOff = 0x1000
  const dataOff = textOff + Math.ceil(text.length / 0x1000) * 0x1000
  const dataFile = new Uint8Array(DATA_SIZE + 1024)
  dataFile.set(job.init.data, 0)
  dataFile.set(initRecord(job.init.x, job.init.f, job.init.fcsr), DATA_SIZE)
  const elf = new Uint8Array(dataOff + dataFile.length)
  const dv = new DataView(elf.buffer)
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0)
  dv.setUint16(16, 2, true) // ET_EXEC
  dv.setUint16(18, 243, true) // EM_RISCV
  dv.setUint32(20, 1, true)
  dv.setBigUint64(24, BigInt(TEXT_BASE), true) // entry: the prologue
  dv.setBigUint64(32, 64n, true) // phoff
  dv.setUint32(48, 0x5, true) // RVC | double-float ABI
  dv.setUint16(52, 64, true)
  dv.setUint16(54, 56, true)
  dv.setUint16(56, 2, true)
  dv.setUint16(58, 64, true)
  const phdr = (
    i: number,
    flags: number,
    off: number,
    vaddr: number,
    filesz: number,
    memsz: number,
  ): void => {
    const at = 64 + 56 * i
    dv.setUint32(at, 1, true) // PT_LOAD
    dv.setUint32(at + 4, flags, true)
    dv.setBigUint64(at + 8, BigInt(off), true)
    dv.setBigUint64(at + 16, BigInt(vaddr), true)
    dv.setBigUint64(at + 24, BigInt(vaddr), true)
    dv.setBigUint64(at + 32, BigInt(filesz), true)
    dv.setBigUint64(at + 40, BigInt(memsz), true)
    dv.setBigUint64(at + 48, 0x1000n, true)
  }
  phdr(0, 5, textOff, TEXT_BASE, text.length, text.length)
  phdr(1, 6, dataOff, DATA_BASE, dataFile.length, DUMP_ADDR + records * recordSize(o) - DATA_BASE)
  elf.set(text, textOff)
  elf.set(dataFile, dataOff)
  return { elf, lay, records, sites, opts: o }
}

export interface DumpRecord {
  x: bigint[]
  f: bigint[]
  fcsr: number
  /** The data region at that checkpoint (builds `withData`). */
  data?: Uint8Array
}

export interface Dump {
  /** The data region at the end. */
  data: Uint8Array
  records: DumpRecord[]
}

export function parseDump(out: Uint8Array, img: { records: number; opts: BuildOptions }): Dump | string {
  const size = recordSize(img.opts)
  const want = DUMP_ADDR + img.records * size - DATA_BASE
  if (out.length !== want) return `dump has ${out.length} bytes, expected ${want}`
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength)
  const recs: DumpRecord[] = []
  for (let k = 0; k < img.records; k++) {
    const o = DUMP_ADDR - DATA_BASE + k * size
    const x = Array.from({ length: 32 }, (_, i) => dv.getBigUint64(o + 8 * i, true))
    x[0] = 0n
    x[PTR_D] = BigInt(POINTERS[PTR_D]!)
    const f = Array.from({ length: 32 }, (_, i) => dv.getBigUint64(o + 264 + 8 * i, true))
    const r: DumpRecord = { x, f, fcsr: Number(dv.getBigUint64(o + 256, true)) }
    if (img.opts.withData) r.data = out.slice(o + REGS, o + REGS + DATA_SIZE)
    recs.push(r)
  }
  return { data: out.slice(0, DATA_SIZE), records: recs }
}

export interface ElfRun {
  status: number
  out: Uint8Array
  err: string
}

export const QEMU_CPU = 'rv64,zba=true,zbb=true,zbc=true,zbs=true'

/** qemu-riscv64 with stdout to a file (no pipe to drain while rvscope runs in this process). */
export function runQemu(path: string, timeoutMs = 60_000): Promise<ElfRun> {
  const outPath = `${path}.out`
  const fd = openSync(outPath, 'w')
  return new Promise<ElfRun>((resolve, reject) => {
    const child = spawn('qemu-riscv64', ['-cpu', QEMU_CPU, path], { stdio: ['ignore', fd, 'pipe'] })
    const err: Buffer[] = []
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stderr!.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        status: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
        out: new Uint8Array(readFileSync(outPath)),
        err: Buffer.concat(err).toString('utf8') + (signal ? ` (killed by ${signal})` : ''),
      })
    })
  }).finally(() => closeSync(fd))
}

/**
 * linux-user, loaded on first use (the Unicorn path does not need it), and
 * an open file that keeps the guest's stdout in memory.
 */
async function linuxUser() {
  const { Kernel } = await import('../../src/linux-user/kernel.js')
  const { OpenFile } = await import('../../src/linux-user/fd.js')
  const WRONLY = 1
  const EBADF = 9
  class Capture extends OpenFile {
    readonly chunks: Uint8Array[] = []
    constructor() {
      super(WRONLY)
    }
    read(): number {
      return -EBADF
    }
    write(data: Uint8Array): number {
      this.chunks.push(data.slice())
      return data.length
    }
  }
  return { Kernel, Capture }
}
let linux: Awaited<ReturnType<typeof linuxUser>> | undefined

/** Run the ELF under rvscope's linux-user in this process. */
export async function runRvscopeLinux(path: string, accel: Accel = 'interp'): Promise<ElfRun> {
  linux ??= await linuxUser()
  const { Kernel, Capture } = linux
  let log = ''
  const k = new Kernel({
    log: new Log((t) => {
      log += t
    }),
    exts: new Set(DEFAULT_EXTS),
    maxInsnsPerTb: 512,
    backend: backendFor(accel),
    seed: 1n,
  })
  const cap = new Capture()
  let status: number
  try {
    k.start(path, [path], [])
    k.init.fds.place(1, cap, false)
    status = k.run()
  } catch (e) {
    return { status: -1, out: new Uint8Array(), err: `${log}rvscope threw: ${(e as Error).stack ?? e}` }
  }
  return { status, out: new Uint8Array(Buffer.concat(cap.chunks)), err: log }
}

/** A temporary directory for ELF files, removed by `dispose`. */
export class ElfDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'rvscope-random-'))
  private n = 0
  write(elf: Uint8Array): string {
    const p = join(this.dir, `job${this.n++}.elf`)
    writeFileSync(p, elf, { mode: 0o755 })
    return p
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
