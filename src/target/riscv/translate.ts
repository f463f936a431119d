/**
 * Translation of a block of RISC-V code into IR.
 *
 * A block is a straight-line run of instructions that ends after a branch,
 * jump, ecall/ebreak, fence.i or trap, after `maxInsns` instructions, or at
 * the end of the page it started in (so that invalidating a page drops
 * exactly its blocks). An instruction that cannot be fetched ends the block
 * before it; if it is the first one, the block raises the fetch fault.
 */
import { Access, MemFault } from '../../core/errors.js'
import { PAGE_SIZE } from '../../core/types.js'
import { IrBuilder } from '../../ir/builder.js'
import type { BlockInsn, IrBlock } from '../../ir/ir.js'
import { Cause } from './cpu.js'
import { type Decoder, insnLength } from './decode/decoder.js'
import type { Ext } from './decode/table.js'
import type { TransCtx } from './trans/context.js'
import { transTable } from './trans/index.js'

/** Instruction fetch: 16-bit parcels with execute permission. */
export interface CodeSource {
  fetch16(addr: bigint): number
}

export interface TranslateOptions {
  /** At most this many instructions per block (1 for -one-insn-per-tb). */
  maxInsns: number
  /**
   * End a block before an instruction in the last two bytes of its page
   * whatever its length, as QEMU 7.2 does (later QEMUs, and the default,
   * end it there only before an instruction that crosses into the next page).
   * Only block boundaries change, and with them plugins' block counts.
   */
  stopAtPageTail?: boolean
}

const fetchFaultCause = (f: MemFault): number => (f.permission ? Cause.InsnAccessFault : Cause.InsnPageFault)

export function translateBlock(
  code: CodeSource,
  decoder: Decoder,
  pc: bigint,
  opts: TranslateOptions,
): IrBlock {
  const b = new IrBuilder()
  const insns: BlockInsn[] = []
  const exts: ReadonlySet<Ext> = decoder.enabled
  const pageEnd = (pc | BigInt(PAGE_SIZE - 1)) + 1n
  let cur = pc
  for (;;) {
    if (insns.length >= opts.maxInsns || (insns.length > 0 && cur >= pageEnd)) {
      b.goto(cur)
      break
    }
    let bits: number
    let len: 2 | 4
    try {
      const lo = code.fetch16(cur)
      const l = insnLength(lo)
      if (l === undefined) {
        // Longer encodings (48-bit and up) are not implemented by any supported extension.
        b.insnStart(cur, insns.length)
        insns.push({ pc: cur, len: 2, bits: lo })
        b.raise(Cause.IllegalInsn, BigInt(lo))
        break
      }
      len = l
      // Keep a page-crossing instruction in a block of its own start so blocks stay within one page.
      if ((len === 4 || opts.stopAtPageTail === true) && insns.length > 0 && cur + 2n >= pageEnd) {
        b.goto(cur)
        break
      }
      if (len === 4) {
        bits = (lo | (code.fetch16(cur + 2n) << 16)) >>> 0
      } else {
        bits = lo
      }
    } catch (e) {
      if (!(e instanceof MemFault) || e.access !== Access.Exec) throw e
      if (insns.length > 0) {
        b.goto(cur)
      } else {
        b.insnStart(cur, 0)
        b.raise(fetchFaultCause(e), e.addr)
      }
      break
    }
    b.insnStart(cur, insns.length)
    insns.push({ pc: cur, len, bits })
    const t: TransCtx = { b, pc: cur, next: cur + BigInt(len), bits, exts, ended: false }
    const d = decoder.decode(bits, len)
    const mark = b.ops.length
    const trans = d === undefined ? undefined : transTable[d.row.semantic]
    if (d === undefined || trans === undefined || !trans(t, d.args)) {
      b.ops.length = mark
      b.raise(Cause.IllegalInsn, BigInt(bits))
      break
    }
    cur = t.next
    if (t.ended) break
  }
  const last = insns[insns.length - 1]
  const size = last === undefined ? 0 : Number(last.pc - pc) + last.len
  return b.finish(pc, size, insns)
}
