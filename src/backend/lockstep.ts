/**
 * `-accel lockstep`: every block runs in two backends, the reference (the
 * interpreter, the oracle) and the subject (the engine under test), and
 * execution stops at the first block whose resulting state differs.
 *
 * Per block run:
 *  1. The reference runs on a shadow of the CPU: a copy of the register
 *     slots and the PC, and the real guest memory behind a wrapper that
 *     journals every store (and every instrumentation cell write) with the
 *     bytes it overwrote. Loads, and the faults of loads and stores, are the
 *     real ones. `flushCode` does nothing there (the subject run flushes).
 *  2. What the reference left is recorded: exit, PC, exception, instruction
 *     count, every slot, and the bytes now at every journaled store.
 *  3. The journal is undone in reverse order, so memory (and cells) are
 *     exactly as before the block, even when the block faulted midway
 *     after a store.
 *  4. The subject runs on the real state.
 *  5. Both results are compared: exit kind, PC, instruction count, the
 *     exception (cause, tval, permission) when there is one, every slot, and
 *     memory at the journaled addresses. A difference throws
 *     `LockstepMismatch`, whose message shows the block and both states.
 *
 * Clock: the time CSR reads the host clock, which would differ between the
 * two runs. Helpers read it only through `HelperContext.now()`; the
 * shadow's `now()` reads the real clock at the block's first read and keeps
 * returning that value, and the subject runs with `ExecState.pinnedNow` set
 * to it (the Cpu's `now()` returns the pin while one is set), so
 * both runs read the same time (time standing still within one block is
 * still a valid, monotonic clock). `cycle`/`instret` are exact already: the
 * shadow's `instret()` counts its own progress in the block.
 *
 * Limits: only addresses the reference stored to are compared, so a store
 * the subject makes elsewhere goes unnoticed until something loads it.
 * Instrumentation callbacks (plugins) would run twice, so the command line
 * refuses lockstep with plugins.
 */
import { Access, MemFault } from '../core/errors.js'
import type { BlockInsn, Cell, IrBlock } from '../ir/ir.js'
import { type Backend, type ExecState, ExitKind } from './backend.js'

/** Guest memory as lockstep needs it: besides loads and stores, PagedMemory's byte copies (for the journal). */
export interface JournalMemory {
  load(addr: bigint, size: number): bigint
  store(addr: bigint, size: number, value: bigint): void
  /** Copy bytes out; `Access.Any` ignores protection (the page must be mapped). */
  read(addr: bigint, len: number, access: Access): Uint8Array
  /** Copy bytes in; `force` ignores write protection. */
  write(addr: bigint, data: Uint8Array, force?: boolean): void
}

/** The state the lockstep engine runs on: an ExecState over journal-capable memory (a Cpu). */
export type LockstepState = ExecState & { readonly mem: JournalMemory }

export interface LockstepOptions {
  /** The name of a register slot in reports (default: `slot N`). */
  slotName?: (slot: number) => string
  /** Disassembly of a block's instruction, listed in reports. */
  disassemble?: (insn: BlockInsn) => string
}

/** The reference and the subject left different states after a block. */
export class LockstepMismatch extends Error {
  override readonly name = 'LockstepMismatch'
}

interface Outcome {
  exit: ExitKind
  pc: bigint
  blockInsns: number
  excCause: number
  excTval: bigint
  excPermission: boolean
  regs: BigUint64Array
}

/** The `size` bytes at `addr` as a little-endian value, whatever the page's protection (it must be mapped). */
function peek(m: JournalMemory, addr: bigint, size: number): bigint {
  try {
    return m.load(addr, size)
  } catch (e) {
    if (!(e instanceof MemFault)) throw e
  }
  // Not readable (e.g. a write-only page).
  const b = m.read(addr, size, Access.Any)
  let v = 0n
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!)
  return v
}

/** Store `value` at `addr` whatever the page's protection (it must be mapped). */
function poke(m: JournalMemory, addr: bigint, size: number, value: bigint): void {
  try {
    m.store(addr, size, value)
    return
  } catch (e) {
    if (!(e instanceof MemFault)) throw e
  }
  const b = new Uint8Array(size)
  for (let i = 0; i < size; i++) b[i] = Number((value >> BigInt(8 * i)) & 0xffn)
  m.write(addr, b, true)
}

/** The reference's view of the CPU during one block: copied registers, journaled memory and cells. */
class Shadow implements ExecState {
  regs = new BigUint64Array(0)
  /** `regs` as 32-bit halves, for comparing without making bigints. */
  words = new Uint32Array(0)
  pc = 0n
  excCause = 0
  excTval = 0n
  excPermission = false
  blockInsns = 0
  pinnedNow: number | undefined = undefined
  /** The store journal: address, size and overwritten value of the first `stores` stores (arrays reused). */
  stores = 0
  readonly addrs: bigint[] = []
  readonly sizes: number[] = []
  readonly olds: bigint[] = []
  cells: { cell: Cell; old: bigint }[] = []
  private real!: LockstepState
  private startInsns = 0

  readonly mem = {
    load: (addr: bigint, size: number): bigint => this.real.mem.load(addr, size),
    store: (addr: bigint, size: number, value: bigint): void => {
      const m = this.real.mem
      let old: bigint
      try {
        old = peek(m, addr, size)
      } catch (e) {
        if (!(e instanceof MemFault)) throw e
        // Nothing mapped there: the store itself raises the precise fault.
        m.store(addr, size, value)
        throw new Error(`lockstep: a store to unmapped 0x${addr.toString(16)} succeeded`)
      }
      // A store that faults writes nothing (both pages are checked first), so only successful ones are journaled.
      m.store(addr, size, value)
      const k = this.stores++
      this.addrs[k] = addr
      this.sizes[k] = size
      this.olds[k] = old
    },
  }

  /** Start a block from `st`'s registers and PC. */
  begin(st: LockstepState): void {
    this.real = st
    if (this.regs.length !== st.regs.length) {
      this.regs = new BigUint64Array(st.regs.length)
      this.words = new Uint32Array(this.regs.buffer)
    }
    this.regs.set(st.regs)
    this.pc = st.pc
    this.excCause = st.excCause
    this.excTval = st.excTval
    this.excPermission = st.excPermission
    this.blockInsns = this.startInsns = st.blockInsns
    this.pinnedNow = undefined
    this.stores = 0
    if (this.cells.length > 0) this.cells = []
  }

  instret(): bigint {
    return this.real.instret() + BigInt(this.blockInsns - this.startInsns)
  }

  now(): number {
    // The first read of the block pins the clock for the rest of it and for the subject's run.
    if (this.pinnedNow === undefined) this.pinnedNow = this.real.now()
    return this.pinnedNow
  }

  flushCode(): void {
    // The subject's run of the same block flushes the real translations.
  }

  cellGet(cell: Cell): bigint {
    return this.real.cellGet(cell)
  }

  cellSet(cell: Cell, value: bigint): void {
    this.cells.push({ cell, old: this.real.cellGet(cell) })
    this.real.cellSet(cell, value)
  }

  /** Put memory and cells back as they were before the block. */
  undo(): void {
    const m = this.real.mem
    for (let k = this.stores - 1; k >= 0; k--) poke(m, this.addrs[k]!, this.sizes[k]!, this.olds[k]!)
    for (let i = this.cells.length - 1; i >= 0; i--)
      this.real.cellSet(this.cells[i]!.cell, this.cells[i]!.old)
  }
}

const hex = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`
const bytesHex = (b: number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join(' ')
/** Most memory rows listed in a report. */
const MAX_MEM_ROWS = 32

/**
 * An engine that runs every block in `reference` (on a shadow state) and
 * then in `subject` (on the real state), and throws LockstepMismatch at the
 * first block after which they disagree. Runs on `LockstepState`s (Cpu).
 */
export function lockstep(reference: Backend, subject: Backend, opts: LockstepOptions = {}): Backend {
  const shadow = new Shadow()
  /** The reference's value at each journaled store (reused). */
  const finals: bigint[] = []
  /** The last real register view seen, and as 32-bit halves. */
  let realRegs: BigUint64Array = new BigUint64Array(0)
  let realWords: Uint32Array = new Uint32Array(0)
  const slotName = opts.slotName ?? ((i: number) => `slot ${i}`)

  /** The report of a mismatch: the block, then both states side by side (only what differs, plus the exit). */
  const report = (
    tb: IrBlock,
    want: Outcome,
    got: Outcome,
    regs: number[],
    mem: [addr: number, want: number, got: number][],
    cells: [cell: Cell, want: bigint, got: bigint][],
  ): string => {
    const n = tb.insns.length
    let s = `lockstep: ${subject.name} differs from ${reference.name} after the block at ${hex(tb.pc)} (${n} instruction${n === 1 ? '' : 's'})\n`
    if (opts.disassemble !== undefined)
      for (const i of tb.insns) s += `  ${hex(i.pc)}: ${opts.disassemble(i)}\n`
    const rows: [string, string, string][] = []
    const exc = (o: Outcome) => o.exit === ExitKind.Exception
    const exitName = (o: Outcome) => (exc(o) ? 'exception' : 'jump')
    rows.push(['exit', exitName(want), exitName(got)])
    rows.push(['pc', hex(want.pc), hex(got.pc)])
    rows.push(['instructions', String(want.blockInsns), String(got.blockInsns)])
    if (exc(want) || exc(got)) {
      const show = (o: Outcome, f: (o: Outcome) => string) => (exc(o) ? f(o) : '-')
      rows.push(['cause', show(want, (o) => String(o.excCause)), show(got, (o) => String(o.excCause))])
      rows.push(['tval', show(want, (o) => hex(o.excTval)), show(got, (o) => hex(o.excTval))])
      rows.push([
        'permission',
        show(want, (o) => String(o.excPermission)),
        show(got, (o) => String(o.excPermission)),
      ])
    }
    for (const i of regs) rows.push([slotName(i), hex(want.regs[i]!), hex(got.regs[i]!)])
    // Differing bytes, in runs of consecutive addresses (at most 8 per row), in address order.
    let at = 0
    for (let memRows = 0; at < mem.length && memRows < MAX_MEM_ROWS; memRows++) {
      const start = mem[at]![0]
      let end = at + 1
      while (end < mem.length && mem[end]![0] === mem[end - 1]![0] + 1 && end - at < 8) end++
      const run = mem.slice(at, end)
      rows.push([
        `mem 0x${start.toString(16)}${run.length > 1 ? `..0x${(start + run.length - 1).toString(16)}` : ''}`,
        bytesHex(run.map((b) => b[1])),
        bytesHex(run.map((b) => b[2])),
      ])
      at = end
    }
    if (at < mem.length) rows.push([`(${mem.length - at} more bytes differ)`, '', ''])
    for (const [c, w, g] of cells) rows.push([`cell @${c.base}+${c.offset}`, hex(w), hex(g)])
    const w0 = Math.max(...rows.map((r) => r[0].length)) + 2
    const w1 = Math.max(reference.name.length + 12, ...rows.map((r) => r[1].length)) + 2
    const line = (a: string, b: string, c: string, mark: string) =>
      `${mark} ${a.padEnd(w0)}${b.padEnd(w1)}${c}`.trimEnd()
    s += `${line('', `${reference.name} (reference)`, `${subject.name} (subject)`, ' ')}\n`
    for (const [a, b, c] of rows) s += `${line(a, b, c, b === c ? ' ' : '*')}\n`
    return s.trimEnd()
  }

  return {
    name: 'lockstep',
    prepare: (tb) => {
      const ref = reference.prepare(tb)
      const sub = subject.prepare(tb)
      return (state) => {
        const st = state as LockstepState
        const sh = shadow
        sh.begin(st)
        let want: Outcome
        // What the reference left at each journaled store (in `stored`) and in each cell it wrote.
        const stored = finals
        let cellsWant: [Cell, bigint][] | undefined
        try {
          const exit = ref(sh)
          want = {
            exit,
            pc: sh.pc,
            blockInsns: sh.blockInsns,
            excCause: sh.excCause,
            excTval: sh.excTval,
            excPermission: sh.excPermission,
            regs: sh.regs,
          }
          for (let k = 0; k < sh.stores; k++) stored[k] = peek(st.mem, sh.addrs[k]!, sh.sizes[k]!)
          if (sh.cells.length > 0) {
            cellsWant = []
            for (const { cell } of sh.cells)
              if (!cellsWant.some((c) => c[0] === cell)) cellsWant.push([cell, st.cellGet(cell)])
          }
        } finally {
          sh.undo()
        }
        let exit: ExitKind
        st.pinnedNow = sh.pinnedNow
        try {
          exit = sub(st)
        } finally {
          st.pinnedNow = undefined
        }
        let differs =
          exit !== want.exit ||
          st.pc !== want.pc ||
          st.blockInsns !== want.blockInsns ||
          (exit === ExitKind.Exception &&
            (st.excCause !== want.excCause ||
              st.excTval !== want.excTval ||
              st.excPermission !== want.excPermission))
        // Registers, compared as 32-bit halves (no bigints made). Read st.regs now: a growing arena replaces the view.
        if (st.regs !== realRegs) {
          realRegs = st.regs
          realWords = new Uint32Array(realRegs.buffer, realRegs.byteOffset, realRegs.length * 2)
        }
        const ws = sh.words
        for (let i = 0; i < ws.length && !differs; i++) differs = ws[i] !== realWords[i]
        // Memory at every journaled store: each value read after the whole run, so each compares on its own.
        for (let k = 0; k < sh.stores && !differs; k++)
          differs = peek(st.mem, sh.addrs[k]!, sh.sizes[k]!) !== stored[k]
        const cells: [Cell, bigint, bigint][] = []
        for (const [cell, w] of cellsWant ?? []) {
          const g = st.cellGet(cell)
          if (g !== w) cells.push([cell, w, g])
        }
        if (cells.length > 0) differs = true
        if (differs) {
          const got: Outcome = {
            exit,
            pc: st.pc,
            blockInsns: st.blockInsns,
            excCause: st.excCause,
            excTval: st.excTval,
            excPermission: st.excPermission,
            regs: st.regs,
          }
          const regs: number[] = []
          for (let i = 0; i < want.regs.length; i++) if (want.regs[i] !== got.regs[i]) regs.push(i)
          // Differing bytes, each byte's last journaled value (all were read after the run, so they agree).
          const bytes = new Map<number, [number, number]>()
          for (let k = 0; k < sh.stores; k++) {
            const a = Number(sh.addrs[k]!)
            const g = peek(st.mem, sh.addrs[k]!, sh.sizes[k]!)
            for (let j = 0; j < sh.sizes[k]!; j++) {
              const shift = BigInt(8 * j)
              bytes.set(a + j, [Number((stored[k]! >> shift) & 0xffn), Number((g >> shift) & 0xffn)])
            }
          }
          const mem = [...bytes]
            .filter(([, [w, g]]) => w !== g)
            .map(([a, [w, g]]): [number, number, number] => [a, w, g])
            .sort((x, y) => x[0] - y[0])
          throw new LockstepMismatch(report(tb, want, got, regs, mem, cells))
        }
        return exit
      }
    },
  }
}
