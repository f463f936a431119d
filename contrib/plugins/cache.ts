/**
 * cache: simulate an L1 data cache, an L1 instruction cache and optionally
 * a unified L2 cache per core (QEMU's cache plugin).
 *
 * Every executed instruction is one fetch through the L1 instruction cache
 * (by its address) and every load or store one access through the L1 data
 * cache (by its virtual address); L1 misses go to the L2 cache when there
 * is one. Caches are set-associative, hold tags only, and fill on a miss.
 * At exit the plugin prints, per core (and summed over cores when there
 * are several), the data and instruction accesses, misses and miss rates
 * (and the L2's), then the instructions with the most data misses, fetch
 * misses and L2 misses.
 *
 * Options (as QEMU's; sizes in bytes, block sizes powers of two):
 *   dcachesize=N, dassoc=N, dblksize=N   L1 data cache (default 16384, 8, 64)
 *   icachesize=N, iassoc=N, iblksize=N   L1 instruction cache (same defaults)
 *   l2cachesize=N, l2assoc=N, l2blksize=N  L2 cache (default 2097152, 16,
 *                                        64); any of these turns it on
 *   l2=on|off                            simulate the L2 cache
 *   evict=lru|fifo|rand                  replacement policy (default lru)
 *   limit=N                              instructions per top list (default 32)
 *   cores=N                              caches to simulate; vCPU i uses
 *                                        cache i mod N (default 1 in user mode)
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

type Policy = 'lru' | 'fifo' | 'rand'

class Cache {
  readonly numSets: number
  readonly blkShift: bigint
  readonly setMask: bigint
  readonly tagMask: bigint
  /** Tags by set * assoc + way; undefined while the block is invalid. */
  readonly tags: (bigint | undefined)[]
  /** LRU: last use of each block, and each set's use counter. */
  readonly lruPrio: number[]
  readonly lruGen: number[]
  /** FIFO: each set's filled ways, oldest first. */
  readonly fifo: number[][]
  accesses = 0n
  misses = 0n

  constructor(
    blksize: number,
    readonly assoc: number,
    cachesize: number,
    readonly policy: Policy,
  ) {
    this.numSets = cachesize / (blksize * assoc)
    this.blkShift = BigInt(Math.log2(blksize))
    // As QEMU's: the set index is the address bits just above the block offset.
    this.setMask = BigInt(this.numSets - 1) << this.blkShift
    this.tagMask = BigInt.asUintN(64, ~(this.setMask | BigInt(blksize - 1)))
    this.tags = new Array(this.numSets * assoc).fill(undefined)
    this.lruPrio = policy === 'lru' ? new Array(this.numSets * assoc).fill(0) : []
    this.lruGen = policy === 'lru' ? new Array(this.numSets).fill(0) : []
    this.fifo = policy === 'fifo' ? Array.from({ length: this.numSets }, () => []) : []
  }

  setOf(addr: bigint): number {
    return Number((addr & this.setMask) >> this.blkShift)
  }

  tagOf(addr: bigint): bigint {
    return addr & this.tagMask
  }

  private touch(set: number, way: number): void {
    this.lruPrio[set * this.assoc + way] = this.lruGen[set]!++
  }

  private victim(set: number): number {
    const base = set * this.assoc
    for (let w = 0; w < this.assoc; w++) if (this.tags[base + w] === undefined) return w
    switch (this.policy) {
      case 'rand':
        return Math.floor(Math.random() * this.assoc)
      case 'fifo':
        return this.fifo[set]!.shift()!
      case 'lru': {
        let best = 0
        for (let w = 1; w < this.assoc; w++)
          if (this.lruPrio[base + w]! < this.lruPrio[base + best]!) best = w
        return best
      }
    }
  }

  /** One access to the block of set `set` with tag `tag`: true on a hit; a miss fills the block. */
  access(set: number, tag: bigint): boolean {
    this.accesses++
    const base = set * this.assoc
    for (let w = 0; w < this.assoc; w++) {
      if (this.tags[base + w] === tag) {
        if (this.policy === 'lru') this.touch(set, w)
        return true
      }
    }
    this.misses++
    const way = this.victim(set)
    if (this.policy === 'lru') this.touch(set, way)
    else if (this.policy === 'fifo') this.fifo[set]!.push(way)
    this.tags[base + way] = tag
    return false
  }
}

interface CacheConfig {
  blksize: number
  assoc: number
  cachesize: number
}

/** What the report says about one instruction (by address). */
interface InsnStats {
  readonly addr: bigint
  readonly disas: string
  readonly symbol: string | undefined
  /** Set and tag of its fetch in the L1 instruction cache and the L2 cache. */
  readonly iset: number
  readonly itag: bigint
  readonly l2set: number
  readonly l2tag: bigint
  l1dMisses: bigint
  l1iMisses: bigint
  l2Misses: bigint
}

let limit = 32
let cores = 1
let useL2 = false
let l1d: Cache[] = []
let l1i: Cache[] = []
let l2: Cache[] = []
const insns = new Map<bigint, InsnStats>()

function onMem(vcpu: number, info: qp.MemInfo, vaddr: bigint, insn: InsnStats): void {
  const hw = qp.getHwaddr(info, vaddr)
  if (hw !== undefined && qp.hwaddrIsIo(hw)) return
  const addr = hw !== undefined ? qp.hwaddrPhysAddr(hw) : vaddr
  const core = vcpu % cores
  const d = l1d[core]!
  if (d.access(d.setOf(addr), d.tagOf(addr))) return
  insn.l1dMisses++
  if (!useL2) return
  const u = l2[core]!
  if (!u.access(u.setOf(addr), u.tagOf(addr))) insn.l2Misses++
}

function onInsn(vcpu: number, insn: InsnStats): void {
  const core = vcpu % cores
  if (l1i[core]!.access(insn.iset, insn.itag)) return
  insn.l1iMisses++
  if (useL2 && !l2[core]!.access(insn.l2set, insn.l2tag)) insn.l2Misses++
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    const addr = qp.insnVaddr(insn)
    // A retranslated instruction keeps its statistics.
    let stats = insns.get(addr)
    if (stats === undefined) {
      const ic = l1i[0]!
      const uc = l2[0]
      stats = {
        addr,
        disas: qp.insnDisas(insn),
        symbol: qp.insnSymbol(insn),
        iset: ic.setOf(addr),
        itag: ic.tagOf(addr),
        l2set: uc?.setOf(addr) ?? 0,
        l2tag: uc?.tagOf(addr) ?? 0n,
        l1dMisses: 0n,
        l1iMisses: 0n,
        l2Misses: 0n,
      }
      insns.set(addr, stats)
    }
    qp.registerVcpuMemCb(insn, onMem, qp.CbFlags.NO_REGS, qp.MemRw.RW, stats)
    qp.registerVcpuInsnExecCb(insn, onInsn, qp.CbFlags.NO_REGS, stats)
  }
}

const rate = (misses: bigint, accesses: bigint): number =>
  accesses === 0n ? 0 : (Number(misses) / Number(accesses)) * 100

/** One row of the table, formatted as QEMU's printf widths. */
function statsLine(
  dAccess: bigint,
  dMisses: bigint,
  iAccess: bigint,
  iMisses: bigint,
  l2Access: bigint,
  l2Misses: bigint,
): string {
  let s =
    `${String(dAccess).padEnd(14)} ${String(dMisses).padEnd(12)} ${rate(dMisses, dAccess).toFixed(4).padStart(9)}%` +
    `  ${String(iAccess).padEnd(14)} ${String(iMisses).padEnd(12)} ${rate(iMisses, iAccess).toFixed(4).padStart(9)}%`
  // QEMU prints the L2 columns only for a cache that missed.
  if (l2Access !== 0n && l2Misses !== 0n)
    s += `  ${String(l2Access).padEnd(12)} ${String(l2Misses).padEnd(11)} ${rate(l2Misses, l2Access).toFixed(4).padStart(10)}%`
  return `${s}\n`
}

function statsReport(): string {
  let out = 'core #, data accesses, data misses, dmiss rate, insn accesses, insn misses, imiss rate'
  if (useL2) out += ', l2 accesses, l2 misses, l2 miss rate'
  out += '\n'
  for (let i = 0; i < cores; i++) {
    const u = l2[i]
    out +=
      String(i).padEnd(8) +
      statsLine(
        l1d[i]!.accesses,
        l1d[i]!.misses,
        l1i[i]!.accesses,
        l1i[i]!.misses,
        u?.accesses ?? 0n,
        u?.misses ?? 0n,
      )
  }
  if (cores > 1) {
    const sum = (cs: Cache[], f: (c: Cache) => bigint) => cs.reduce((a, c) => a + f(c), 0n)
    out +=
      'sum'.padEnd(8) +
      statsLine(
        sum(l1d, (c) => c.accesses),
        sum(l1d, (c) => c.misses),
        sum(l1i, (c) => c.accesses),
        sum(l1i, (c) => c.misses),
        sum(l2, (c) => c.accesses),
        sum(l2, (c) => c.misses),
      )
  }
  return `${out}\n`
}

function topList(title: string, key: (s: InsnStats) => bigint): string {
  const sorted = [...insns.values()].sort((a, b) => {
    const x = key(a)
    const y = key(b)
    return x < y ? 1 : x > y ? -1 : 0
  })
  let out = `address, ${title}, instruction\n`
  for (const s of sorted.slice(0, Math.max(0, limit))) {
    const sym = s.symbol !== undefined ? ` (${s.symbol})` : ''
    out += `0x${s.addr.toString(16)}${sym}, ${key(s)}, ${s.disas}\n`
  }
  return out
}

function atExit(): void {
  qp.outs(statsReport())
  let out = topList('data misses', (s) => s.l1dMisses)
  out += `\n${topList('fetch misses', (s) => s.l1iMisses)}`
  if (useL2) out += `\n${topList('L2 misses', (s) => s.l2Misses)}`
  qp.outs(out)
}

/** Why a cache cannot be built, or undefined if it can. */
function configError(c: CacheConfig): string | undefined {
  if (c.blksize <= 0 || (c.blksize & (c.blksize - 1)) !== 0) return 'block size must be a power of two'
  if (c.assoc <= 0) return 'associativity must be positive'
  if (c.cachesize <= 0) return 'cache size must be positive'
  if (c.cachesize % c.blksize !== 0) return 'cache size must be divisible by block size'
  if (c.cachesize % (c.blksize * c.assoc) !== 0)
    return 'cache size must be divisible by set size (assoc * block size)'
  return undefined
}

const INT_RE = /^[+-]?\d+$/

export const install: qp.PluginInstall = (id, info, args) => {
  const dcache: CacheConfig = { blksize: 64, assoc: 8, cachesize: 64 * 8 * 32 }
  const icache: CacheConfig = { blksize: 64, assoc: 8, cachesize: 64 * 8 * 32 }
  const l2cache: CacheConfig = { blksize: 64, assoc: 16, cachesize: 64 * 16 * 2048 }
  let policy: Policy = 'lru'
  cores = info.systemEmulation ? (info.system?.smpVcpus ?? 1) : 1
  const ints: Record<string, (v: number) => void> = {
    iblksize: (v) => (icache.blksize = v),
    iassoc: (v) => (icache.assoc = v),
    icachesize: (v) => (icache.cachesize = v),
    dblksize: (v) => (dcache.blksize = v),
    dassoc: (v) => (dcache.assoc = v),
    dcachesize: (v) => (dcache.cachesize = v),
    limit: (v) => (limit = v),
    cores: (v) => (cores = v),
    l2cachesize: (v) => {
      useL2 = true
      l2cache.cachesize = v
    },
    l2blksize: (v) => {
      useL2 = true
      l2cache.blksize = v
    },
    l2assoc: (v) => {
      useL2 = true
      l2cache.assoc = v
    },
  }
  for (const a of args) {
    const set = Object.hasOwn(ints, a.name) ? ints[a.name] : undefined
    if (set !== undefined) {
      if (!INT_RE.test(a.value)) return `integer argument parsing failed: ${a.text}`
      set(Number(a.value))
    } else if (a.name === 'l2') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      useL2 = v
    } else if (a.name === 'evict') {
      if (a.value !== 'lru' && a.value !== 'fifo' && a.value !== 'rand')
        return `invalid eviction policy: ${a.text}`
      policy = a.value
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  if (cores < 1) return `cores must be at least 1: cores=${cores}`
  const caches: [string, CacheConfig, boolean][] = [
    ['dcache', dcache, true],
    ['icache', icache, true],
    ['L2 cache', l2cache, useL2],
  ]
  for (const [name, config, used] of caches) {
    const err = used ? configError(config) : undefined
    if (err !== undefined) return `${name} cannot be constructed from given parameters: ${err}`
  }
  const build = (c: CacheConfig) =>
    Array.from({ length: cores }, () => new Cache(c.blksize, c.assoc, c.cachesize, policy))
  l1d = build(dcache)
  l1i = build(icache)
  l2 = useL2 ? build(l2cache) : []
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
