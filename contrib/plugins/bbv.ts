/**
 * bbv: basic block vectors for the SimPoint analysis tool (QEMU's bbv
 * plugin).
 *
 * Execution is cut into intervals of (about) `interval` instructions per
 * vCPU. At the end of each interval one line is appended to the vCPU's
 * file OUTFILE.VCPU.bb, in SimPoint's format:
 *   T:ID:COUNT :ID:COUNT ...
 * one `:ID:COUNT ` pair per block that ran in the interval, where ID
 * numbers blocks from 1 in the order first translated (by start address)
 * and COUNT is the instructions the block executed in the interval (its
 * length times its runs). An interval ends at the start of the first block
 * run once the vCPU's instruction count reaches `interval`; the excess
 * carries into the next interval, so the first k vectors together count
 * k * interval instructions plus less than one block. Instructions after
 * the last complete interval are not written.
 *
 * Options (as QEMU's): interval=N  instructions per interval (default
 * 100000000); outfile=PATH  prefix of the output files (required).
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface Bb {
  readonly index: number
  /** Instructions executed by this block per vCPU, since its vCPU's last interval. */
  readonly count: qp.U64Entry
}

let interval = 100_000_000n
let outfile = ''
/** Per vCPU: instructions in the current interval. */
let vcpuCounts: qp.Scoreboard
let vcpuCount: qp.U64Entry
/** Blocks by start address, in index order. */
const bbs = new Map<bigint, Bb>()
/** Open output files by vCPU index. */
const files = new Map<number, number>()

function openFor(vcpu: number): number {
  let fd = files.get(vcpu)
  if (fd === undefined) {
    // A vCPU index reused by a later thread continues the same file.
    fd = openSync(`${outfile}.${vcpu}.bb`, 'w')
    files.set(vcpu, fd)
  }
  return fd
}

function vcpuInit(_id: qp.PluginId, vcpu: number): void {
  openFor(vcpu)
}

function onIntervalEnd(vcpu: number): void {
  const fd = files.get(vcpu)
  if (fd === undefined) return
  qp.u64Set(vcpuCount, vcpu, qp.u64Get(vcpuCount, vcpu) - interval)
  let line = 'T'
  for (const bb of bbs.values()) {
    const n = qp.u64Get(bb.count, vcpu)
    if (n === 0n) continue
    line += `:${bb.index}:${n} `
    qp.u64Set(bb.count, vcpu, 0n)
  }
  writeSync(fd, `${line}\n`)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = BigInt(qp.tbNInsns(tb))
  const vaddr = qp.tbVaddr(tb)
  let bb = bbs.get(vaddr)
  if (bb === undefined) {
    bb = { index: bbs.size + 1, count: qp.scoreboardU64(qp.scoreboardNew(8)) }
    bbs.set(vaddr, bb)
  }
  qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, vcpuCount, n)
  qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, bb.count, n)
  qp.registerVcpuTbExecCondCb(tb, onIntervalEnd, qp.CbFlags.NO_REGS, qp.Cond.GE, vcpuCount, interval)
}

function atExit(): void {
  for (const fd of files.values()) closeSync(fd)
  files.clear()
}

export const install: qp.PluginInstall = (id, _info, args) => {
  let haveOutfile = false
  for (const a of args) {
    if (a.name === 'interval') {
      if (!/^[+-]?\d+$/.test(a.value)) return `malformed integer: ${a.text}`
      interval = BigInt(a.value)
      if (interval <= 0n) return `unexpected non-positive value: ${a.text}`
    } else if (a.name === 'outfile') {
      outfile = a.value
      haveOutfile = true
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  if (!haveOutfile) return 'outfile unspecified'
  // vCPU 0 always exists: opening its file now reports a bad path at once.
  try {
    openFor(0)
  } catch (e) {
    return `cannot open ${outfile}.0.bb: ${(e as Error).message}`
  }
  vcpuCounts = qp.scoreboardNew(8)
  vcpuCount = qp.scoreboardU64(vcpuCounts)
  qp.registerAtexitCb(id, atExit)
  qp.registerVcpuInitCb(id, vcpuInit)
  qp.registerVcpuTbTransCb(id, tbTrans)
  return undefined
}
