/**
 * mem: count guest memory accesses (QEMU's mem test plugin), and optionally
 * list every access or summarize them per 16 KiB region.
 *
 * Options (as QEMU's):
 * - inline=on|off: count with an inline add after each access;
 * - callback=on|off: count with a callback per access (not with inline=on);
 *   either prints `mem accesses: N` at exit;
 * - track=r|w|rw: which accesses to instrument (default rw);
 * - haddr=on|off: ask for each access's hardware address and count device
 *   (I/O) accesses apart, printing `io accesses: N`. In user mode there is
 *   no hardware address: as in QEMU, every access counts as memory and the
 *   I/O count stays 0;
 * - region-summary=on|off: mirror the values written to each 16 KiB region
 *   and check that reads return them; warns once per region on a read of a
 *   value it did not see written, and prints a table of regions at exit;
 * - print-accesses=on|off: print a CSV line per access (instruction
 *   address and symbol, data address, hardware address (0 in user mode),
 *   size in bits, load/store, value).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

const REGION_SIZE = 16384n
const REGION_MASK = REGION_SIZE - 1n

interface Region {
  readonly base: bigint
  reads: bigint
  writes: bigint
  /** The bytes last written, as seen by this plugin. */
  readonly data: Uint8Array
  /** Every read so far returned what was seen written. */
  seenAll: boolean
}

interface InsnInfo {
  readonly vaddr: bigint
  readonly sym: string
}

/** Per-vCPU element: memory accesses at offset 0, I/O accesses at offset 8. */
let counts: qp.Scoreboard
let memCount: qp.U64Entry
let ioCount: qp.U64Entry
let doInline = false
let doCallback = false
let doPrintAccesses = false
let doRegionSummary = false
let doHaddr = false
let rw: qp.MemRw = qp.MemRw.RW
const regions = new Map<bigint, Region>()

const hex = (v: bigint, digits = 0): string => v.toString(16).padStart(digits, '0')

/** Mirror a store into its region, or check a load against the mirror. */
function updateRegion(vaddr: bigint, info: qp.MemInfo, value: qp.MemValue): void {
  const base = vaddr & ~REGION_MASK
  const offset = Number(vaddr & REGION_MASK)
  const store = qp.memIsStore(info)
  let r = regions.get(base)
  if (r === undefined) {
    r = { base, reads: 0n, writes: 0n, data: new Uint8Array(Number(REGION_SIZE)), seenAll: true }
    regions.set(base, r)
  }
  if (store) r.writes++
  else r.reads++
  // 128-bit values do not occur in the accesses this checks.
  if (value.type === qp.MemValueType.U128) return
  const size = 1 << qp.memSizeShift(info)
  const be = qp.memIsBigEndian(info)
  let unseen = false
  // Bytes past the region's end (an access straddling two regions) are not tracked.
  for (let i = 0; i < size && offset + i < r.data.length; i++) {
    const shift = BigInt(8 * (be ? size - 1 - i : i))
    const byte = Number((value.data >> shift) & 0xffn)
    if (store) r.data[offset + i] = byte
    else if (r.data[offset + i] !== byte) unseen = true
  }
  // Expected for memory the loader filled (code, initialized data).
  if (unseen && r.seenAll) {
    qp.outs(`Warning: 0x${hex(base, 16)}:${offset} read an un-instrumented value\n`)
    r.seenAll = false
  }
}

function onMem(vcpu: number, info: qp.MemInfo, vaddr: bigint): void {
  if (doHaddr) {
    const hw = qp.getHwaddr(info, vaddr)
    // No hardware address (user mode): QEMU's hwaddr_is_io(NULL) is false.
    if (hw !== undefined && qp.hwaddrIsIo(hw)) qp.u64Add(ioCount, vcpu, 1n)
    else qp.u64Add(memCount, vcpu, 1n)
  } else {
    qp.u64Add(memCount, vcpu, 1n)
  }
  if (doRegionSummary) updateRegion(vaddr, info, qp.memGetValue(info))
}

function formatValue(v: qp.MemValue): string {
  switch (v.type) {
    case qp.MemValueType.U8:
      return `0x${hex(v.data, 2)}`
    case qp.MemValueType.U16:
      return `0x${hex(v.data, 4)}`
    case qp.MemValueType.U32:
      return `0x${hex(v.data, 8)}`
    case qp.MemValueType.U64:
      return `0x${hex(v.data, 16)}`
    default:
      return `0x${hex(v.data, 32)}`
  }
}

function printAccess(_vcpu: number, info: qp.MemInfo, vaddr: bigint, insn: InsnInfo): void {
  const bits = 8 << qp.memSizeShift(info)
  const type = qp.memIsStore(info) ? 'store' : 'load'
  const hw = qp.getHwaddr(info, vaddr)
  // QEMU's hwaddr_phys_addr(NULL) is 0.
  const phys = hw === undefined ? 0n : qp.hwaddrPhysAddr(hw)
  const value = formatValue(qp.memGetValue(info))
  qp.outs(`0x${hex(insn.vaddr)},${insn.sym},0x${hex(vaddr)},0x${hex(phys)},${bits},${type},${value}\n`)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    if (doInline) qp.registerVcpuMemInlinePerVcpu(insn, rw, qp.PluginOp.INLINE_ADD_U64, memCount, 1n)
    if (doCallback || doRegionSummary) qp.registerVcpuMemCb(insn, onMem, qp.CbFlags.NO_REGS, rw)
    if (doPrintAccesses) {
      const info: InsnInfo = { vaddr: qp.insnVaddr(insn), sym: qp.insnSymbol(insn) ?? '' }
      qp.registerVcpuMemCb(insn, printAccess, qp.CbFlags.NO_REGS, rw, info)
    }
  }
}

function atExit(): void {
  let out = ''
  if (doInline || doCallback) out += `mem accesses: ${qp.u64Sum(memCount)}\n`
  if (doHaddr) out += `io accesses: ${qp.u64Sum(ioCount)}\n`
  qp.outs(out)
  if (doRegionSummary) {
    let table = 'Region Base, Reads, Writes, Seen all\n'
    for (const r of [...regions.values()].sort((a, b) => (a.base < b.base ? -1 : 1)))
      table += `0x${hex(r.base, 16)}, ${r.reads}, ${r.writes}, ${r.seenAll}\n`
    qp.outs(table)
  }
  qp.scoreboardFree(counts)
}

const BOOL_OPTIONS = ['inline', 'callback', 'haddr', 'region-summary', 'print-accesses']

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (BOOL_OPTIONS.includes(a.name)) {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      if (a.name === 'inline') doInline = v
      else if (a.name === 'callback') doCallback = v
      else if (a.name === 'haddr') doHaddr = v
      else if (a.name === 'region-summary') doRegionSummary = v
      else doPrintAccesses = v
    } else if (a.name === 'track') {
      if (a.value === 'r') rw = qp.MemRw.R
      else if (a.value === 'w') rw = qp.MemRw.W
      else if (a.value === 'rw') rw = qp.MemRw.RW
      else return `invalid value for argument track: ${a.text}`
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  if (doInline && doCallback) return "can't enable inline and callback counting at the same time"
  if (doPrintAccesses)
    qp.outs('insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value\n')
  counts = qp.scoreboardNew(16)
  memCount = qp.scoreboardU64InStruct(counts, 0)
  ioCount = qp.scoreboardU64InStruct(counts, 8)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
