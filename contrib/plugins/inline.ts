/**
 * inline: a self-check of the instrumentation paths (QEMU's
 * tests/tcg/plugins/inline.c). The same events, block executions,
 * instruction executions and memory accesses, are counted through every
 * path at once: a callback per event, an inline ADD_U64 per event, an
 * inline STORE_U64 per event that the callback then checks (it must see
 * the value stored for its own block, instruction or access), and
 * conditional callbacks. As in QEMU, an inline add counts towards a limit
 * of 100 and a conditional callback (EQ 100) resets it, so that count =
 * triggers * 100 + what is left; here conditional callbacks with every
 * other condition (NEVER, ALWAYS, NE 100, LT/LE/GT/GE 50) also watch that
 * counter, check that their condition holds when they run, and must fire
 * exactly as often as the sequence 1, 2, ..., 100, 1, ... implies.
 *
 * At exit it prints QEMU's summary (one `cpu N: tb (...) | insn (...) |
 * mem (...)` line per vCPU, then the `tb:`, `insn:` and `mem:` totals),
 * followed by one line per extra condition, and throws (the engine then
 * exits with status 1 and the message) if any two paths disagree.
 *
 * No options (as QEMU's).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

/** QEMU's cond_trigger_limit. */
const LIMIT = 100n
/** Immediate of the ordering conditions (LT, LE, GT, GE). */
const MID = 50n

interface ExtraCond {
  name: string
  cond: qp.Cond
  imm: bigint
  holds: (x: bigint) => boolean
  /** How often it fires over n events, the counter running 1..LIMIT. */
  expected: (n: bigint) => bigint
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b)
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b)

/** Count of k in 1..r (a partial round) and per full round of LIMIT, for a predicate on k. */
function fires(n: bigint, perRound: bigint, partial: (r: bigint) => bigint): bigint {
  return (n / LIMIT) * perRound + partial(n % LIMIT)
}

const EXTRA: readonly ExtraCond[] = [
  { name: 'NEVER', cond: qp.Cond.NEVER, imm: 0n, holds: () => false, expected: () => 0n },
  { name: 'ALWAYS', cond: qp.Cond.ALWAYS, imm: 0n, holds: () => true, expected: (n) => n },
  { name: 'NE', cond: qp.Cond.NE, imm: LIMIT, holds: (x) => x !== LIMIT, expected: (n) => n - n / LIMIT },
  {
    name: 'LT',
    cond: qp.Cond.LT,
    imm: MID,
    holds: (x) => x < MID,
    expected: (n) => fires(n, MID - 1n, (r) => min(r, MID - 1n)),
  },
  {
    name: 'LE',
    cond: qp.Cond.LE,
    imm: MID,
    holds: (x) => x <= MID,
    expected: (n) => fires(n, MID, (r) => min(r, MID)),
  },
  {
    name: 'GT',
    cond: qp.Cond.GT,
    imm: MID,
    holds: (x) => x > MID,
    expected: (n) => fires(n, LIMIT - MID, (r) => max(0n, r - MID)),
  },
  {
    name: 'GE',
    cond: qp.Cond.GE,
    imm: MID,
    holds: (x) => x >= MID,
    expected: (n) => fires(n, LIMIT - MID + 1n, (r) => max(0n, r - MID + 1n)),
  },
]

/** Per-vCPU counters (QEMU's CPUCount), then one counter per extra condition for tb and for insn. */
const FIELDS = [
  'countTb',
  'countTbInline',
  'countInsn',
  'countInsnInline',
  'countMem',
  'countMemInline',
  'tbCondNumTrigger',
  'tbCondTrackCount',
  'insnCondNumTrigger',
  'insnCondTrackCount',
] as const
type Field = (typeof FIELDS)[number]

let counts: qp.Scoreboard
let data: qp.Scoreboard
const e = {} as Record<Field, qp.U64Entry>
let tbExtra: qp.U64Entry[] = []
let insnExtra: qp.U64Entry[] = []
/** QEMU's CPUData: the value each STORE_U64 leaves for the callbacks to check. */
let dataInsn: qp.U64Entry
let dataTb: qp.U64Entry
let dataMem: qp.U64Entry

let globalCountTb = 0n
let globalCountInsn = 0n
let globalCountMem = 0n
let maxCpuIndex = 0
/** Tags standing for QEMU's tb and insn pointers: unique per translation. */
let nextTag = 1n

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`inline: ${what}`)
}

function vcpuTbExec(vcpu: number, tag: bigint): void {
  qp.u64Add(e.countTb, vcpu, 1n)
  check(
    qp.u64Get(dataTb, vcpu) === tag,
    `tb callback sees data_tb ${qp.u64Get(dataTb, vcpu)}, expected ${tag}`,
  )
  maxCpuIndex = Math.max(maxCpuIndex, vcpu)
  globalCountTb++
}

function vcpuTbCondExec(vcpu: number, tag: bigint): void {
  check(qp.u64Get(e.tbCondTrackCount, vcpu) === LIMIT, 'tb EQ callback ran below the limit')
  check(qp.u64Get(dataTb, vcpu) === tag, 'tb EQ callback sees another block in data_tb')
  qp.u64Set(e.tbCondTrackCount, vcpu, 0n)
  qp.u64Add(e.tbCondNumTrigger, vcpu, 1n)
}

function vcpuInsnCondExec(vcpu: number, tag: bigint): void {
  check(qp.u64Get(e.insnCondTrackCount, vcpu) === LIMIT, 'insn EQ callback ran below the limit')
  check(qp.u64Get(dataInsn, vcpu) === tag, 'insn EQ callback sees another instruction in data_insn')
  qp.u64Set(e.insnCondTrackCount, vcpu, 0n)
  qp.u64Add(e.insnCondNumTrigger, vcpu, 1n)
}

function vcpuInsnExec(vcpu: number, tag: bigint): void {
  qp.u64Add(e.countInsn, vcpu, 1n)
  check(
    qp.u64Get(dataInsn, vcpu) === tag,
    `insn callback sees data_insn ${qp.u64Get(dataInsn, vcpu)}, expected ${tag}`,
  )
  globalCountInsn++
}

function vcpuMemAccess(vcpu: number, _info: qp.MemInfo, _vaddr: bigint, tag: bigint): void {
  qp.u64Add(e.countMem, vcpu, 1n)
  check(
    qp.u64Get(dataMem, vcpu) === tag,
    `memory callback sees data_mem ${qp.u64Get(dataMem, vcpu)}, expected ${tag}`,
  )
  globalCountMem++
}

/** A conditional callback for an extra condition: checks it holds, counts it. */
interface ExtraUdata {
  c: ExtraCond
  track: qp.U64Entry
  hits: qp.U64Entry
  kind: string
}

function extraCondExec(vcpu: number, u: ExtraUdata): void {
  const x = qp.u64Get(u.track, vcpu)
  check(u.c.holds(x), `${u.kind} ${u.c.name} ${u.c.imm} callback ran with the counter at ${x}`)
  qp.u64Add(u.hits, vcpu, 1n)
}

let tbExtraUdata: ExtraUdata[] = []
let insnExtraUdata: ExtraUdata[] = []

function vcpuTbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const tbTag = nextTag++
  qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_STORE_U64, dataTb, tbTag)
  qp.registerVcpuTbExecCb(tb, vcpuTbExec, qp.CbFlags.NO_REGS, tbTag)
  qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, e.countTbInline, 1n)

  qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, e.tbCondTrackCount, 1n)
  // The extra conditions see the counter at 1..100, before the EQ callback resets it.
  for (const u of tbExtraUdata)
    qp.registerVcpuTbExecCondCb(tb, extraCondExec, qp.CbFlags.NO_REGS, u.c.cond, u.track, u.c.imm, u)
  qp.registerVcpuTbExecCondCb(
    tb,
    vcpuTbCondExec,
    qp.CbFlags.NO_REGS,
    qp.Cond.EQ,
    e.tbCondTrackCount,
    LIMIT,
    tbTag,
  )

  const n = qp.tbNInsns(tb)
  for (let idx = 0; idx < n; idx++) {
    const insn = qp.tbGetInsn(tb, idx)
    const insnTag = nextTag++
    const memTag = insnTag + 0xffn
    qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_STORE_U64, dataInsn, insnTag)
    qp.registerVcpuInsnExecCb(insn, vcpuInsnExec, qp.CbFlags.NO_REGS, insnTag)
    qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_ADD_U64, e.countInsnInline, 1n)

    qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_ADD_U64, e.insnCondTrackCount, 1n)
    for (const u of insnExtraUdata)
      qp.registerVcpuInsnExecCondCb(insn, extraCondExec, qp.CbFlags.NO_REGS, u.c.cond, u.track, u.c.imm, u)
    qp.registerVcpuInsnExecCondCb(
      insn,
      vcpuInsnCondExec,
      qp.CbFlags.NO_REGS,
      qp.Cond.EQ,
      e.insnCondTrackCount,
      LIMIT,
      insnTag,
    )

    qp.registerVcpuMemInlinePerVcpu(insn, qp.MemRw.RW, qp.PluginOp.INLINE_STORE_U64, dataMem, memTag)
    qp.registerVcpuMemCb(insn, vcpuMemAccess, qp.CbFlags.NO_REGS, qp.MemRw.RW, memTag)
    qp.registerVcpuMemInlinePerVcpu(insn, qp.MemRw.RW, qp.PluginOp.INLINE_ADD_U64, e.countMemInline, 1n)
  }
}

function pluginExit(): void {
  const failures: string[] = []
  const want = (ok: boolean, what: string): void => {
    if (!ok) failures.push(what)
  }
  const numCpus = qp.numVcpus()
  want(numCpus === maxCpuIndex + 1, `num_vcpus ${numCpus} != max cpu index ${maxCpuIndex} + 1`)

  let out = ''
  for (let i = 0; i < numCpus; i++) {
    const g = (f: Field): bigint => qp.u64Get(e[f], i)
    const tb = g('countTb')
    const insn = g('countInsn')
    const mem = g('countMem')
    out +=
      `cpu ${i}: tb (${tb}, ${g('countTbInline')}, ${g('tbCondNumTrigger')} * ${LIMIT} + ${g('tbCondTrackCount')}) | ` +
      `insn (${insn}, ${g('countInsnInline')}, ${g('insnCondNumTrigger')} * ${LIMIT} + ${g('insnCondTrackCount')}) | ` +
      `mem (${mem}, ${g('countMemInline')})\n`
    want(tb === g('countTbInline'), `cpu ${i}: tb callbacks ${tb} != inline ${g('countTbInline')}`)
    want(insn === g('countInsnInline'), `cpu ${i}: insn callbacks ${insn} != inline ${g('countInsnInline')}`)
    want(mem === g('countMemInline'), `cpu ${i}: mem callbacks ${mem} != inline ${g('countMemInline')}`)
    want(
      g('tbCondNumTrigger') === tb / LIMIT,
      `cpu ${i}: tb EQ triggers ${g('tbCondNumTrigger')} != ${tb / LIMIT}`,
    )
    want(
      g('tbCondTrackCount') === tb % LIMIT,
      `cpu ${i}: tb cond left ${g('tbCondTrackCount')} != ${tb % LIMIT}`,
    )
    want(
      g('insnCondNumTrigger') === insn / LIMIT,
      `cpu ${i}: insn EQ triggers ${g('insnCondNumTrigger')} != ${insn / LIMIT}`,
    )
    want(
      g('insnCondTrackCount') === insn % LIMIT,
      `cpu ${i}: insn cond left ${g('insnCondTrackCount')} != ${insn % LIMIT}`,
    )
    EXTRA.forEach((c, k) => {
      const tbHits = qp.u64Get(tbExtra[k]!, i)
      const insnHits = qp.u64Get(insnExtra[k]!, i)
      want(
        tbHits === c.expected(tb),
        `cpu ${i}: tb ${c.name} ${c.imm} fired ${tbHits}, expected ${c.expected(tb)}`,
      )
      want(
        insnHits === c.expected(insn),
        `cpu ${i}: insn ${c.name} ${c.imm} fired ${insnHits}, expected ${c.expected(insn)}`,
      )
    })
  }
  qp.outs(out)

  // The totals, as QEMU's stats_tb, stats_insn and stats_mem print them.
  const sum = (f: Field): bigint => qp.u64Sum(e[f])
  const tbCond = sum('tbCondNumTrigger') * LIMIT + sum('tbCondTrackCount')
  const insnCond = sum('insnCondNumTrigger') * LIMIT + sum('insnCondTrackCount')
  const totals: [string, bigint, bigint, bigint, string, bigint | undefined][] = [
    ['tb', globalCountTb, sum('countTb'), sum('countTbInline'), 'conditional cb', tbCond],
    ['insn', globalCountInsn, sum('countInsn'), sum('countInsnInline'), 'cond cb', insnCond],
    ['mem', globalCountMem, sum('countMem'), sum('countMemInline'), '', undefined],
  ]
  for (const [what, expected, perVcpu, inl, condName, cond] of totals) {
    let s = `${what}: ${expected}\n${what}: ${perVcpu} (per vcpu)\n${what}: ${inl} (per vcpu inline)\n`
    if (cond !== undefined) s += `${what}: ${cond} (${condName})\n`
    qp.outs(s)
    want(expected > 0n, `${what}: no events counted`)
    want(perVcpu === expected, `${what}: per vcpu ${perVcpu} != ${expected}`)
    want(inl === expected, `${what}: per vcpu inline ${inl} != ${expected}`)
    if (cond !== undefined) want(cond === expected, `${what}: conditional ${cond} != ${expected}`)
  }

  // The other conditions (summed over vCPUs; checked per vCPU above).
  let extra = ''
  for (const [what, entries] of [
    ['tb', tbExtra],
    ['insn', insnExtra],
  ] as const) {
    EXTRA.forEach((c, k) => {
      const imm = c.cond === qp.Cond.NEVER || c.cond === qp.Cond.ALWAYS ? '' : ` ${c.imm}`
      extra += `${what}: ${qp.u64Sum(entries[k]!)} (cond ${c.name}${imm})\n`
    })
  }
  qp.outs(extra)

  qp.scoreboardFree(counts)
  qp.scoreboardFree(data)
  if (failures.length > 0) {
    qp.outs(`inline: MISMATCH\n${failures.map((f) => `  ${f}\n`).join('')}`)
    throw new Error(`inline: the counting paths disagree: ${failures.join('; ')}`)
  }
}

export const install: qp.PluginInstall = (id, _info, args) => {
  if (args.length > 0) return `option parsing failed: ${args[0]!.text}`
  const nExtra = EXTRA.length
  counts = qp.scoreboardNew(8 * (FIELDS.length + 2 * nExtra))
  FIELDS.forEach((f, i) => {
    e[f] = qp.scoreboardU64InStruct(counts, 8 * i)
  })
  tbExtra = EXTRA.map((_, k) => qp.scoreboardU64InStruct(counts, 8 * (FIELDS.length + k)))
  insnExtra = EXTRA.map((_, k) => qp.scoreboardU64InStruct(counts, 8 * (FIELDS.length + nExtra + k)))
  tbExtraUdata = EXTRA.map((c, k) => ({ c, track: e.tbCondTrackCount, hits: tbExtra[k]!, kind: 'tb' }))
  insnExtraUdata = EXTRA.map((c, k) => ({
    c,
    track: e.insnCondTrackCount,
    hits: insnExtra[k]!,
    kind: 'insn',
  }))
  data = qp.scoreboardNew(24)
  dataInsn = qp.scoreboardU64InStruct(data, 0)
  dataTb = qp.scoreboardU64InStruct(data, 8)
  dataMem = qp.scoreboardU64InStruct(data, 16)
  qp.registerVcpuTbTransCb(id, vcpuTbTrans)
  qp.registerAtexitCb(id, pluginExit)
  return undefined
}
