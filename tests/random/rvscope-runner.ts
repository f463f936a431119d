/**
 * rvscope side of the Unicorn comparison: runs a job's stream in-process
 * through `translateBlock` + `interpret`, either in whole blocks (cut at the
 * segment sync points, which is where states are compared) or one
 * instruction per block, and reports states in the Unicorn runner's shape.
 * Every block is translated afresh (streams only go forward, so nothing
 * would be reused from a cache).
 */
import { createHash } from 'node:crypto'
import { type Backend, ExitKind } from '../../src/backend/backend.js'
import { interpBackend } from '../../src/backend/interp/interp.js'
import { jsBackend } from '../../src/backend/js/jsgen.js'
import { wasmBackend } from '../../src/backend/wasm/wasmgen.js'
import { Arena } from '../../src/core/arena.js'
import { Access, MemFault } from '../../src/core/errors.js'
import { PagedMemory, Prot } from '../../src/core/paged-memory.js'
import { Cpu } from '../../src/exec/cpu.js'
import { TbCache } from '../../src/exec/tb-cache.js'
import { DEFAULT_EXTS, RES_NONE, Slot } from '../../src/target/riscv/cpu.js'
import { Decoder } from '../../src/target/riscv/decode/decoder.js'
import { translateBlock } from '../../src/target/riscv/translate.js'
import { DATA_BASE, DATA_SIZE, type InitState } from './generate.js'

export interface State {
  pc: bigint
  x: bigint[]
  f: bigint[]
  fcsr: number
  /** sha1 of the data region (hex). */
  data: string
  /** The data region itself (step mode with `fullData`). */
  bytes?: Uint8Array
}

export interface RunError {
  msg: string
  pc: bigint
}

export interface RunResult {
  /** State at each sync point reached (block mode) or after each instruction (step mode). */
  states: State[]
  error?: RunError
  /** Instructions executed. */
  executed: number
}

const PAGE = 0x1000
const span = (base: number, size: number): [bigint, bigint] => {
  const lo = Math.floor(base / PAGE) * PAGE
  const hi = Math.ceil((base + size) / PAGE) * PAGE
  return [BigInt(lo), BigInt(Math.max(hi - lo, PAGE))]
}

/** Names of rvscope's exception causes, for reports. */
const CAUSES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store address misaligned',
  7: 'store access fault',
  8: 'ecall',
  12: 'instruction page fault',
  13: 'load page fault',
  15: 'store page fault',
}

export type Accel = 'interp' | 'js' | 'wasm'
export const backendFor = (a: Accel): Backend =>
  a === 'js' ? jsBackend : a === 'wasm' ? wasmBackend : interpBackend

export class RvscopeRunner {
  private readonly arena = new Arena(4 << 20)
  private readonly mem = new PagedMemory(this.arena)
  private readonly cpu: Cpu
  private readonly backend: Backend

  /** `interp` is translateBlock + interpret, the reference backend; `js` compiles blocks to JavaScript. */
  constructor(readonly accel: Accel = 'interp') {
    this.backend = backendFor(accel)
    this.cpu = new Cpu(this.arena, Slot.Count, this.mem, new TbCache(this.backend))
  }
  private readonly decoder = new Decoder(new Set(DEFAULT_EXTS))
  private mapped: [bigint, bigint][] = []

  private setup(code: Uint8Array, codeBase: number, init: InitState): void {
    for (const [lo, len] of this.mapped) this.mem.unmap(lo, len)
    const c = span(codeBase, code.length)
    const d = span(DATA_BASE, DATA_SIZE)
    this.mem.map(c[0], c[1], Prot.RX)
    this.mem.map(d[0], d[1], Prot.RW)
    this.mapped = [c, d]
    this.mem.write(BigInt(codeBase), code, true)
    this.mem.write(BigInt(DATA_BASE), init.data)
    const r = this.cpu.regs
    r.fill(0n)
    for (let i = 1; i < 32; i++) r[Slot.X0 + i] = init.x[i]!
    for (let i = 0; i < 32; i++) r[Slot.F0 + i] = init.f[i]!
    r[Slot.Fcsr] = BigInt(init.fcsr)
    r[Slot.ResAddr] = RES_NONE
    this.cpu.retired = 0
    this.cpu.blockInsns = 0
  }

  private state(full = false): State {
    const r = this.cpu.regs
    const bytes = this.mem.read(BigInt(DATA_BASE), DATA_SIZE)
    return {
      pc: this.cpu.pc,
      x: Array.from({ length: 32 }, (_, i) => r[Slot.X0 + i]!),
      f: Array.from({ length: 32 }, (_, i) => r[Slot.F0 + i]!),
      fcsr: Number(r[Slot.Fcsr]!),
      data: createHash('sha1').update(bytes).digest('hex'),
      ...(full ? { bytes } : {}),
    }
  }

  /**
   * Run `code` (placed at `codeBase`) from `start`. Block mode: whole blocks
   * (at most `maxInsns` instructions) that never cross a sync point; a state
   * at each sync point. Step mode: one instruction per block; a state after
   * each instruction until the last sync point.
   */
  run(
    code: Uint8Array,
    codeBase: number,
    start: number,
    syncs: number[],
    init: InitState,
    opts: { step?: boolean; maxInsns?: number; maxSteps?: number; fullData?: boolean } = {},
  ): RunResult {
    this.setup(code, codeBase, init)
    const cpu = this.cpu
    const mem = this.mem
    cpu.pc = BigInt(start)
    const states: State[] = []
    let executed = 0
    let limit = 0n
    const source = {
      fetch16: (a: bigint): number => {
        if (a >= limit) throw new MemFault(Access.Exec, a, false)
        return mem.fetch16(a)
      },
    }
    const stepTo = (until: bigint, maxInsns: number): RunError | undefined => {
      limit = until
      const tb = translateBlock(source, this.decoder, cpu.pc, { maxInsns })
      const exit = this.backend.prepare(tb)(cpu)
      if (exit === ExitKind.Exception) {
        executed += cpu.blockInsns - 1
        const cause = CAUSES[cpu.excCause] ?? `cause ${cpu.excCause}`
        return { msg: `${cause} (tval 0x${cpu.excTval.toString(16)})`, pc: cpu.pc }
      }
      executed += cpu.blockInsns
      if (cpu.pc > until || cpu.pc < BigInt(start))
        return { msg: `jumped out of the segment to 0x${cpu.pc.toString(16)}`, pc: cpu.pc }
      return undefined
    }
    if (opts.step) {
      const end = BigInt(syncs[syncs.length - 1]!)
      const max = opts.maxSteps ?? 1_000_000
      while (cpu.pc !== end && states.length < max) {
        const err = stepTo(end, 1)
        if (err) return { states, error: err, executed }
        states.push(this.state(opts.fullData))
      }
      return { states, executed }
    }
    for (const s of syncs) {
      const until = BigInt(s)
      let guard = 0
      while (cpu.pc !== until) {
        const err = stepTo(until, opts.maxInsns ?? 512)
        if (err) return { states, error: err, executed }
        if (++guard > 100_000) return { states, error: { msg: 'no progress', pc: cpu.pc }, executed }
      }
      states.push(this.state())
    }
    return { states, executed }
  }
}
