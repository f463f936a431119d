/**
 * bb: count executed basic blocks and instructions per vCPU (QEMU's bb
 * test plugin). At exit it prints, for each vCPU that ran a block,
 * `CPUn: bb's: B, insns: I`, then `Total: bb's: B, insns: I`.
 *
 * Options (as QEMU's): inline=on|off (count with inline adds compiled into
 * each block instead of a callback per block execution), idle=on|off (also
 * print a vCPU's running totals, prefixed with `Idling `, whenever it goes
 * idle).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

/** Per-vCPU element: the block count at offset 0, the instruction count at offset 8. */
let counts: qp.Scoreboard
let bbCount: qp.U64Entry
let insnCount: qp.U64Entry
let doInline = false
let idleReport = false

function cpuReport(vcpu: number): string {
  const bbs = qp.u64Get(bbCount, vcpu)
  if (bbs === 0n) return ''
  return `CPU${vcpu}: bb's: ${bbs}, insns: ${qp.u64Get(insnCount, vcpu)}\n`
}

function onIdle(_id: qp.PluginId, vcpu: number): void {
  const report = cpuReport(vcpu)
  if (report !== '') qp.outs(`Idling ${report}`)
}

function onTb(vcpu: number, nInsns: bigint): void {
  qp.u64Add(bbCount, vcpu, 1n)
  qp.u64Add(insnCount, vcpu, nInsns)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  if (doInline) {
    qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, bbCount, 1n)
    qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, insnCount, BigInt(n))
  } else {
    // The count as a bigint once per block, not at every run.
    qp.registerVcpuTbExecCb(tb, onTb, qp.CbFlags.NO_REGS, BigInt(n))
  }
}

function atExit(): void {
  let out = ''
  for (let i = 0; i < qp.numVcpus(); i++) out += cpuReport(i)
  out += `Total: bb's: ${qp.u64Sum(bbCount)}, insns: ${qp.u64Sum(insnCount)}\n`
  qp.outs(out)
  qp.scoreboardFree(counts)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'inline' || a.name === 'idle') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      if (a.name === 'inline') doInline = v
      else idleReport = v
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  counts = qp.scoreboardNew(16)
  bbCount = qp.scoreboardU64InStruct(counts, 0)
  insnCount = qp.scoreboardU64InStruct(counts, 8)
  if (idleReport) qp.registerVcpuIdleCb(id, onIdle)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
