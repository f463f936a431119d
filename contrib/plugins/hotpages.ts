/**
 * hotpages: find the pages that see the most memory accesses (QEMU's
 * hotpages plugin). Every load and store is counted against its page; at
 * exit it prints `Addr, RCPUs, Reads, WCPUs, Writes` for the 50 hottest
 * pages: page address, mask of the vCPUs that read it, reads, mask of the
 * vCPUs that wrote it, writes.
 *
 * Pages are physical pages under system emulation; in user mode there is
 * no hardware address, so (as in QEMU) they are guest virtual pages.
 *
 * Options (as QEMU's): sortby=reads|writes|address (default: reads plus
 * writes, most first; address sorts highest first), io=on|off (count only
 * device (I/O) accesses; in user mode there are none, as in QEMU),
 * pagesize=N (page size in bytes, default 4096; a power of two).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface PageCounters {
  readonly pageAddress: bigint
  cpuRead: number
  cpuWrite: number
  reads: bigint
  writes: bigint
}

type SortBy = 'rw' | 'reads' | 'writes' | 'address'

const LIMIT = 50
let pageSize = 4096n
let sortBy: SortBy = 'rw'
let trackIo = false
const rw = qp.MemRw.RW
const pages = new Map<bigint, PageCounters>()

/** QEMU keeps the vCPU masks in a C int. */
const cpuBit = (vcpu: number): number => (1 << (vcpu & 31)) >>> 0

function onMem(vcpu: number, info: qp.MemInfo, vaddr: bigint): void {
  const hw = qp.getHwaddr(info, vaddr)
  let page: bigint
  if (trackIo) {
    if (hw === undefined || !qp.hwaddrIsIo(hw)) return
    page = vaddr
  } else {
    page = hw !== undefined && !qp.hwaddrIsIo(hw) ? qp.hwaddrPhysAddr(hw) : vaddr
  }
  page &= ~(pageSize - 1n)
  let c = pages.get(page)
  if (c === undefined) {
    c = { pageAddress: page, cpuRead: 0, cpuWrite: 0, reads: 0n, writes: 0n }
    pages.set(page, c)
  }
  if (qp.memIsStore(info)) {
    c.writes++
    c.cpuWrite = (c.cpuWrite | cpuBit(vcpu)) >>> 0
  } else {
    c.reads++
    c.cpuRead = (c.cpuRead | cpuBit(vcpu)) >>> 0
  }
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) qp.registerVcpuMemCb(qp.tbGetInsn(tb, i), onMem, qp.CbFlags.NO_REGS, rw)
}

/** Descending by `key`, ties by ascending address (QEMU leaves their order to its hash table). */
function byDesc(key: (p: PageCounters) => bigint) {
  return (a: PageCounters, b: PageCounters): number => {
    const ka = key(a)
    const kb = key(b)
    if (ka !== kb) return ka > kb ? -1 : 1
    return a.pageAddress < b.pageAddress ? -1 : a.pageAddress > b.pageAddress ? 1 : 0
  }
}

const ORDERS: Record<SortBy, (a: PageCounters, b: PageCounters) => number> = {
  rw: byDesc((p) => p.reads + p.writes),
  reads: byDesc((p) => p.reads),
  writes: byDesc((p) => p.writes),
  address: byDesc((p) => p.pageAddress),
}

const hex = (v: bigint | number, digits: number): string => v.toString(16).padStart(digits, '0')

function atExit(): void {
  let report = 'Addr, RCPUs, Reads, WCPUs, Writes\n'
  const sorted = [...pages.values()].sort(ORDERS[sortBy]).slice(0, LIMIT)
  for (const p of sorted)
    report += `0x${hex(p.pageAddress, 16)}, 0x${hex(p.cpuRead, 4)}, ${p.reads}, 0x${hex(p.cpuWrite, 4)}, ${p.writes}\n`
  qp.outs(report)
  pages.clear()
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'sortby') {
      if (a.value === 'reads' || a.value === 'writes' || a.value === 'address') sortBy = a.value
      else return `invalid value to sortby: ${a.value}`
    } else if (a.name === 'io') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      trackIo = v
    } else if (a.name === 'pagesize') {
      const n = /^[0-9]+$/.test(a.value) ? BigInt(a.value) : 0n
      if (n === 0n || (n & (n - 1n)) !== 0n) return `pagesize must be a power of two: ${a.text}`
      pageSize = n
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
