/**
 * hotblocks: find the most executed blocks (QEMU's hotblocks plugin).
 * Blocks are told apart by start address and instruction count; a block
 * translated again (after a flush, or as a new block at the same address)
 * adds to the same entry. At exit it prints how many distinct blocks it
 * saw, then `pc, tcount, icount, ecount` (start address, translations,
 * instructions, executions) for the hottest ones, most executed first.
 *
 * Options (as QEMU's): inline=on|off (count with an inline add compiled
 * into each block instead of a callback per execution), limit=N (how many
 * blocks to list, default 20; 0 lists all).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface ExecCount {
  readonly startAddr: bigint
  readonly insns: number
  transCount: number
  /** Executions, per vCPU. */
  readonly execCount: qp.Scoreboard
  readonly entry: qp.U64Entry
}

let doInline = false
let limit = 20
/** Entries keyed by `start address/instruction count`. */
const hotblocks = new Map<string, ExecCount>()

function onTb(vcpu: number, cnt: ExecCount): void {
  qp.u64Add(cnt.entry, vcpu, 1n)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const pc = qp.tbVaddr(tb)
  const insns = qp.tbNInsns(tb)
  const key = `${pc.toString(16)}/${insns}`
  let cnt = hotblocks.get(key)
  if (cnt !== undefined) {
    cnt.transCount++
  } else {
    const execCount = qp.scoreboardNew(8)
    cnt = { startAddr: pc, insns, transCount: 1, execCount, entry: qp.scoreboardU64(execCount) }
    hotblocks.set(key, cnt)
  }
  if (doInline) qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, cnt.entry, 1n)
  else qp.registerVcpuTbExecCb(tb, onTb, qp.CbFlags.NO_REGS, cnt)
}

function atExit(): void {
  let report = `collected ${hotblocks.size} entries in the hash table\n`
  const rows = [...hotblocks.values()].map((c) => ({ c, n: qp.u64Sum(c.entry) }))
  // Most executed first; ties by address (QEMU leaves their order to its hash table).
  rows.sort((a, b) => (a.n !== b.n ? (a.n > b.n ? -1 : 1) : a.c.startAddr < b.c.startAddr ? -1 : 1))
  if (rows.length > 0) {
    report += 'pc, tcount, icount, ecount\n'
    const shown = limit === 0 ? rows : rows.slice(0, limit)
    for (const { c, n } of shown)
      report += `0x${c.startAddr.toString(16).padStart(16, '0')}, ${c.transCount}, ${c.insns}, ${n}\n`
  }
  qp.outs(report)
  for (const c of hotblocks.values()) qp.scoreboardFree(c.execCount)
  hotblocks.clear()
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'inline') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      doInline = v
    } else if (a.name === 'limit') {
      if (!/^[0-9]+$/.test(a.value) || !Number.isSafeInteger(Number(a.value)))
        return `unsigned integer parsing failed: ${a.text}`
      limit = Number(a.value)
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
