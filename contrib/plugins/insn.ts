/**
 * insn: count executed instructions per vCPU (QEMU's insn plugin).
 *
 * Options (as QEMU's): inline=on|off (count with an inline add compiled
 * into the code instead of a callback per instruction), sizes=on (also a
 * histogram of instruction sizes), match=STRING (repeatable: report every
 * execution of instructions whose disassembly starts with STRING, and
 * counts per match).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

let counts: qp.Scoreboard
let insnCount: qp.U64Entry
let doInline = false
let doSizes = false
const sizes = new Map<number, bigint>()
const matches: string[] = []
const matchCounts = new Map<string, bigint>()

function onInsn(vcpu: number): void {
  qp.u64Add(insnCount, vcpu, 1n)
}

function onSized(_vcpu: number, size: number): void {
  sizes.set(size, (sizes.get(size) ?? 0n) + 1n)
}

function onMatch(vcpu: number, m: { pattern: string; disas: string; vaddr: bigint }): void {
  const n = (matchCounts.get(m.pattern) ?? 0n) + 1n
  matchCounts.set(m.pattern, n)
  qp.outs(`${vcpu} - 0x${m.vaddr.toString(16)} : ${m.disas} (${n} hits)\n`)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    if (doInline) qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_ADD_U64, insnCount, 1n)
    else qp.registerVcpuInsnExecCb(insn, onInsn, qp.CbFlags.NO_REGS)
    if (doSizes) qp.registerVcpuInsnExecCb(insn, onSized, qp.CbFlags.NO_REGS, qp.insnSize(insn))
    if (matches.length > 0) {
      const disas = qp.insnDisas(insn)
      for (const pattern of matches) {
        if (disas.startsWith(pattern))
          qp.registerVcpuInsnExecCb(insn, onMatch, qp.CbFlags.NO_REGS, {
            pattern,
            disas,
            vaddr: qp.insnVaddr(insn),
          })
      }
    }
  }
}

function atExit(): void {
  let out = ''
  if (doSizes) {
    for (const [size, n] of [...sizes].sort((a, b) => a[0] - b[0])) out += `len ${size} bytes: ${n} insns\n`
  }
  for (let i = 0; i < qp.numVcpus(); i++) out += `cpu ${i} insns: ${qp.u64Get(insnCount, i)}\n`
  out += `total insns: ${qp.u64Sum(insnCount)}\n`
  for (const pattern of matches) out += `insn: ${pattern}, hits=${matchCounts.get(pattern) ?? 0n}\n`
  qp.outs(out)
  qp.scoreboardFree(counts)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'inline' || a.name === 'sizes') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      if (a.name === 'inline') doInline = v
      else doSizes = v
    } else if (a.name === 'match') {
      matches.push(a.value)
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  counts = qp.scoreboardNew(8)
  insnCount = qp.scoreboardU64(counts)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
