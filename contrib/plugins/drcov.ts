/**
 * drcov: write the blocks the program executed as a DynamoRIO drcov
 * coverage file, version 2, which Lighthouse (and other drcov readers)
 * load (QEMU's drcov plugin).
 *
 * The file is text up to the block table, as QEMU writes it:
 *   DRCOV VERSION: 2
 *   DRCOV FLAVOR: drcov-64
 *   Module Table: version 2, count 1
 *   Columns: id, base, end, entry, path
 *   0, 0xBASE, 0xEND, 0xENTRY, PATH
 *   BB Table: N bbs
 * followed by N binary entries of 8 bytes, little-endian: u32 start, u16
 * size, u16 module id. The one module is the guest program: its code range
 * (base, end) and entry point, and its absolute path. Each entry is a
 * block that executed at least once; `start` is its offset from the
 * module's base (DynamoRIO's meaning, which Lighthouse relies on) and
 * `size` the bytes of its instructions. Blocks outside the program's code
 * (a dynamic loader, shared libraries) are left out, a block translated
 * more than once is listed once.
 *
 * Options (as QEMU's): filename=PATH  the output file (default
 * file.drcov.trace, in the current directory).
 */
import { closeSync, openSync, realpathSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface Block {
  readonly start: bigint
  readonly size: number
  executed: boolean
}

let fd: number | undefined
/** Blocks by start and size, in translation order. */
const blocks = new Map<string, Block>()

function onBlock(_vcpu: number, block: Block): void {
  block.executed = true
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const start = qp.tbVaddr(tb)
  let size = 0
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) size += qp.insnSize(qp.tbGetInsn(tb, i))
  const key = `${start}:${size}`
  let block = blocks.get(key)
  if (block === undefined) {
    block = { start, size, executed: false }
    blocks.set(key, block)
  }
  // Once known to have run, a retranslated block needs no callback.
  if (!block.executed) qp.registerVcpuTbExecCb(tb, onBlock, qp.CbFlags.NO_REGS, block)
}

function programPath(): string {
  const path = qp.pathToBinary() ?? ''
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}

function atExit(): void {
  if (fd === undefined) return
  const base = qp.startCode()
  const end = qp.endCode()
  const entries: Block[] = []
  for (const b of blocks.values()) {
    if (b.executed && b.start >= base && b.start + BigInt(b.size) <= end && b.size <= 0xffff) entries.push(b)
  }
  const header =
    'DRCOV VERSION: 2\n' +
    'DRCOV FLAVOR: drcov-64\n' +
    'Module Table: version 2, count 1\n' +
    'Columns: id, base, end, entry, path\n' +
    `0, 0x${base.toString(16)}, 0x${end.toString(16)}, 0x${qp.entryCode().toString(16)}, ${programPath()}\n` +
    `BB Table: ${entries.length} bbs\n`
  const table = Buffer.alloc(8 * entries.length)
  entries.forEach((b, i) => {
    table.writeUInt32LE(Number(b.start - base), 8 * i)
    table.writeUInt16LE(b.size, 8 * i + 4)
    table.writeUInt16LE(0, 8 * i + 6)
  })
  writeSync(fd, header)
  writeSync(fd, table)
  closeSync(fd)
  fd = undefined
}

export const install: qp.PluginInstall = (id, _info, args) => {
  let filename = 'file.drcov.trace'
  for (const a of args) {
    if (a.name === 'filename' && a.value !== '') filename = a.value
    else if (a.name !== 'filename') return `option parsing failed: ${a.text}`
  }
  try {
    fd = openSync(filename, 'w')
  } catch (e) {
    return `cannot open ${filename}: ${(e as Error).message}`
  }
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
