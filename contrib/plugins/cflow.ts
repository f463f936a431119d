/**
 * cflow: track changes of control flow (QEMU's cflow plugin).
 *
 * Each vCPU remembers the address of the instruction it ran last and where
 * the running block would continue if it ran to its end. When a block
 * starts anywhere else, the last instruction branched: its node counts the
 * branch and the destination. If that instruction was not the last of its
 * block, the block was left early (a fault, a signal): an "early exit",
 * and the node is reported as a "sync fault" rather than a "branch".
 * Every translated instruction has a node; at exit the plugin reports how
 * many, then the nodes that branched, sorted, up to `limit` of them:
 *   collected N control flow nodes in the hash table
 *     addr: 0xADDR SYMBOL: DISASSEMBLY (branch|sync fault)
 *       early exits N          (when there were some)
 *       branches N
 *         to 0xDEST (N)        (per destination, in order first seen)
 * SYMBOL is `(null)` for an address without a symbol, as QEMU prints it.
 *
 * Options:
 *   sort=hottest     most branches first (the default)
 *   sort=early       most early exits first
 *   sort=exceptions  most distinct destinations first (QEMU's name for it)
 *   limit=N          nodes to report (default 10, QEMU's fixed count; this
 *                    option is rvscope's)
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

type Sort = 'hottest' | 'early' | 'popular'

interface Dest {
  readonly addr: bigint
  count: bigint
}

/** An instruction control flow may leave from. */
interface Node {
  readonly addr: bigint
  readonly dests: Dest[]
  earlyExits: bigint
  /** Branches taken from it. */
  destCount: bigint
  disas: string | undefined
  symbol: string | undefined
  /** Translations with it last in its block, and elsewhere. */
  lastCount: number
  midCount: number
}

let sort: Sort = 'hottest'
let limit = 10
const nodes = new Map<bigint, Node>()
let state: qp.Scoreboard
/** Per vCPU: the last instruction of the running block, the address after it, the last instruction run. */
let endBlock: qp.U64Entry
let pcAfterBlock: qp.U64Entry
let lastPc: qp.U64Entry

function nodeAt(addr: bigint): Node {
  let node = nodes.get(addr)
  if (node === undefined) {
    node = {
      addr,
      dests: [],
      earlyExits: 0n,
      destCount: 0n,
      disas: undefined,
      symbol: undefined,
      lastCount: 0,
      midCount: 0,
    }
    nodes.set(addr, node)
  }
  return node
}

/** A block started somewhere else than after the previous one: record the branch. */
function onBranched(vcpu: number, pc: bigint): void {
  const lpc = qp.u64Get(lastPc, vcpu)
  if (lpc === 0n) return
  const node = nodeAt(lpc)
  if (lpc !== qp.u64Get(endBlock, vcpu)) {
    node.earlyExits++
    if (node.midCount === 0) node.midCount++
  }
  let dest = node.dests.find((d) => d.addr === pc)
  if (dest === undefined) {
    dest = { addr: pc, count: 0n }
    node.dests.push(dest)
  }
  dest.count++
  node.destCount++
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const pc = qp.tbVaddr(tb)
  const n = qp.tbNInsns(tb)
  const first = qp.tbGetInsn(tb, 0)
  const last = qp.tbGetInsn(tb, n - 1)
  const lastAddr = qp.insnVaddr(last)
  qp.registerVcpuTbExecCondCb(tb, onBranched, qp.CbFlags.NO_REGS, qp.Cond.NE, pcAfterBlock, pc, pc)
  // On the first instruction rather than the block, so that the check above sees the previous block's values.
  qp.registerVcpuInsnExecInlinePerVcpu(first, qp.PluginOp.INLINE_STORE_U64, endBlock, lastAddr)
  qp.registerVcpuInsnExecInlinePerVcpu(
    first,
    qp.PluginOp.INLINE_STORE_U64,
    pcAfterBlock,
    lastAddr + BigInt(qp.insnSize(last)),
  )
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    const addr = qp.insnVaddr(insn)
    const node = nodeAt(addr)
    node.disas ??= qp.insnDisas(insn)
    node.symbol ??= qp.insnSymbol(insn)
    if (i === n - 1) node.lastCount++
    else node.midCount++
    qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_STORE_U64, lastPc, addr)
  }
}

const descending =
  (key: (n: Node) => bigint) =>
  (a: Node, b: Node): number => {
    const x = key(a)
    const y = key(b)
    return x > y ? -1 : x < y ? 1 : 0
  }

function atExit(): void {
  let out = `collected ${nodes.size} control flow nodes in the hash table\n`
  const branched = [...nodes.values()].filter((n) => n.destCount !== 0n)
  const key: Record<Sort, (n: Node) => bigint> = {
    hottest: (n) => n.destCount,
    early: (n) => n.earlyExits,
    popular: (n) => BigInt(n.dests.length),
  }
  branched.sort(descending(key[sort]))
  for (const n of branched.slice(0, Math.max(0, limit))) {
    const type = n.midCount !== 0 ? 'sync fault' : 'branch'
    out += `  addr: 0x${n.addr.toString(16)} ${n.symbol ?? '(null)'}: ${n.disas ?? '(null)'} (${type})\n`
    if (n.earlyExits !== 0n) out += `    early exits ${n.earlyExits}\n`
    out += `    branches ${n.destCount}\n`
    for (const d of n.dests) out += `      to 0x${d.addr.toString(16)} (${d.count})\n`
  }
  qp.outs(out)
  qp.scoreboardFree(state)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'sort') {
      if (a.value === 'hottest') sort = 'hottest'
      else if (a.value === 'early') sort = 'early'
      else if (a.value === 'exceptions') sort = 'popular'
      else return `failed to parse: ${a.value}`
    } else if (a.name === 'limit') {
      if (!/^\d+$/.test(a.value)) return `integer argument parsing failed: ${a.text}`
      limit = Number(a.value)
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  state = qp.scoreboardNew(24)
  endBlock = qp.scoreboardU64InStruct(state, 0)
  pcAfterBlock = qp.scoreboardU64InStruct(state, 8)
  lastPc = qp.scoreboardU64InStruct(state, 16)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
