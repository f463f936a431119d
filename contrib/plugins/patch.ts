/**
 * patch: change what guest code does as it runs (QEMU's
 * tests/tcg/plugins/patch.c, extended).
 *
 * QEMU's mode, target=HEX,patch=HEX: every instruction whose bytes start
 * with `target` is overwritten with `patch` (same length) when a block
 * holding it first runs: the block's callback prints `patching: @ADDR hw:
 * @ADDR`, writes guest memory (qp.writeMemoryVaddr), reads it back and
 * prints `Success!`. Unlike QEMU, where the block being run still executes
 * the old bytes, the callback then restarts the block (qp.setPc to its
 * start) so the patched code runs at once, even in code that runs once.
 * use_hwaddr=on writes through hardware addresses instead, which only
 * exist under system emulation: in user mode it fails as QEMU's would, so
 * here it defaults to off (QEMU's default is on).
 *
 * rvscope's mode picks one location, addr=ADDRESS (hex with 0x, or
 * decimal) or sym=NAME[+OFFSET] (an ELF symbol of the program, looked up
 * in its file), and does one of:
 *   patch=HEX  write these bytes there when execution reaches it, then
 *              run them (the PC is redirected to the same address, so the
 *              block is translated again); with target=HEX, only if the
 *              bytes there are those
 *   ret=VALUE  return from the function at once with a0 = VALUE
 *              (a0 written, PC redirected to ra): replaces a function
 *   skip=on    step over the instruction (PC redirected past it)
 * At exit it prints how often the location was reached.
 *
 * Redirections come from instruction callbacks registered with
 * CbFlags.RW_REGS_PC.
 */
import { readFileSync } from 'node:fs'
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

const hex = (v: bigint): string => `0x${v.toString(16)}`

/** Parse a string of hexadecimal digit pairs (QEMU's str_to_bytes). */
function strToBytes(s: string): Uint8Array | undefined {
  if (s.length === 0 || s.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(s)) return undefined
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16)
  return out
}

function parseNumber(s: string): bigint | undefined {
  try {
    return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s)
  } catch {
    return undefined
  }
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

let useHwaddr = false
let targetData: Uint8Array | undefined
let patchData: Uint8Array | undefined

// ---- QEMU's mode: match instructions by their bytes ------------------------------------

interface Match {
  addr: bigint
  tbPc: bigint
}

function patchVaddr(_vcpu: number, m: Match): void {
  const hw = qp.translateVaddr(m.addr)
  if (hw === undefined) {
    qp.outs('Failed to translate vaddr\n')
    return
  }
  qp.outs(`patching: @${hex(m.addr)} hw: @${hex(hw)}\n`)
  const before = qp.readMemoryVaddr(m.addr, patchData!.length)
  qp.outs('Writing memory (vaddr)...\n')
  try {
    qp.writeMemoryVaddr(m.addr, patchData!)
  } catch {
    qp.outs('Failed to write memory\n')
    return
  }
  qp.outs('Reading memory (vaddr)...\n')
  let readData: Uint8Array
  try {
    readData = qp.readMemoryVaddr(m.addr, patchData!.length)
  } catch {
    qp.outs('Failed to read memory\n')
    return
  }
  if (!same(readData, patchData!)) qp.outs('Failed to read back written data\n')
  qp.outs('Success!\n')
  // Run the block again from its start, translated anew with the new bytes.
  if (!same(before, patchData!)) qp.setPc(m.tbPc)
}

function patchHwaddr(_vcpu: number, m: Match): void {
  qp.outs(`patching: @${hex(m.addr)}\n`)
  const result = qp.writeMemoryHwaddr(m.addr, patchData!)
  if (result !== qp.HwaddrOperationResult.OK) {
    qp.outs(`Failed to write memory: ${result}\n`)
    return
  }
  const r = qp.readMemoryHwaddr(m.addr, patchData!.length)
  qp.outs('Reading memory...\n')
  if (r.result !== qp.HwaddrOperationResult.OK || r.data === undefined) {
    qp.outs(`Failed to read memory: ${r.result}\n`)
    return
  }
  if (!same(r.data, patchData!)) qp.outs('Failed to read back written data\n')
  qp.outs('Success!\n')
}

function matchTbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const tbPc = qp.tbVaddr(tb)
  for (let i = 0; i < qp.tbNInsns(tb); i++) {
    const insn = qp.tbGetInsn(tb, i)
    // QEMU translates to a hardware address here; rvscope's translateVaddr needs vCPU
    // context, which translation callbacks lack, and in user mode it is the identity.
    const addr = qp.insnVaddr(insn)
    const data = qp.insnData(insn)
    if (data.length >= targetData!.length && same(data.subarray(0, targetData!.length), targetData!)) {
      if (useHwaddr) qp.registerVcpuTbExecCb(tb, patchHwaddr, qp.CbFlags.NO_REGS, { addr, tbPc })
      else qp.registerVcpuTbExecCb(tb, patchVaddr, qp.CbFlags.RW_REGS_PC, { addr, tbPc })
    }
  }
}

// ---- rvscope's mode: one location ---------------------------------------------------------

type Action = { kind: 'patch'; bytes: Uint8Array } | { kind: 'ret'; value: bigint } | { kind: 'skip' }

/** A symbol: its value in the file, whether the file is position-independent, where its code is linked. */
interface Sym {
  value: bigint
  pie: boolean
  codeVaddr: bigint
}

interface Location {
  /** As given (for messages). */
  text: string
  addr?: bigint
  sym?: Sym
}

let loc: Location
let action: Action
/** The location's run-time address, once known. */
let where: bigint | undefined
let hits = 0n
let patched = false
let a0: qp.RegisterHandle | undefined
let ra: qp.RegisterHandle | undefined

/** Look `name` up in the program's ELF symbol table (.symtab, else .dynsym). */
function elfSymbol(path: string, name: string): Sym | string {
  let b: Buffer
  try {
    b = readFileSync(path)
  } catch (e) {
    return `cannot read ${path}: ${(e as Error).message}`
  }
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return `${path}: not a 64-bit ELF file`
  const pie = b.readUInt16LE(16) === 3
  const phoff = Number(b.readBigUInt64LE(32))
  const shoff = Number(b.readBigUInt64LE(40))
  const phentsize = b.readUInt16LE(54)
  const phnum = b.readUInt16LE(56)
  const shentsize = b.readUInt16LE(58)
  const shnum = b.readUInt16LE(60)
  // Where the executable segment is linked: its load address minus that is the bias (startCode).
  let codeVaddr: bigint | undefined
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize
    if (o + 56 > b.length) break
    const vaddr = b.readBigUInt64LE(o + 16)
    if (
      b.readUInt32LE(o) === 1 &&
      (b.readUInt32LE(o + 4) & 1) !== 0 &&
      (codeVaddr === undefined || vaddr < codeVaddr)
    )
      codeVaddr = vaddr
  }
  const sec = (i: number) => {
    const o = shoff + i * shentsize
    return {
      type: b.readUInt32LE(o + 4),
      offset: Number(b.readBigUInt64LE(o + 24)),
      size: Number(b.readBigUInt64LE(o + 32)),
      link: b.readUInt32LE(o + 40),
      entsize: Number(b.readBigUInt64LE(o + 56)),
    }
  }
  if (shoff === 0 || shoff + shnum * shentsize > b.length) return `${path}: no section headers`
  for (const want of [2, 11]) {
    for (let i = 0; i < shnum; i++) {
      const t = sec(i)
      if (t.type !== want || t.entsize < 24 || t.link >= shnum) continue
      const str = sec(t.link)
      for (let o = t.offset; o + 24 <= t.offset + t.size && o + 24 <= b.length; o += t.entsize) {
        const nameOff = b.readUInt32LE(o)
        const shndx = b.readUInt16LE(o + 6)
        if (shndx === 0 || nameOff >= str.size) continue
        const start = str.offset + nameOff
        const end = b.indexOf(0, start)
        if (b.toString('latin1', start, end) === name)
          return { value: b.readBigUInt64LE(o + 8), pie, codeVaddr: codeVaddr ?? 0n }
      }
      return `${path}: no symbol ${name}`
    }
  }
  return `${path}: no symbol table (stripped?): use addr=`
}

function resolveWhere(): bigint {
  if (where !== undefined) return where
  if (loc.addr !== undefined) where = loc.addr
  else {
    const s = loc.sym!
    // A position-independent program runs where the engine put it: shift by its load bias.
    where = s.pie ? s.value + (qp.startCode() - s.codeVaddr) : s.value
  }
  return where
}

function registers(): void {
  if (a0 !== undefined) return
  for (const r of qp.getRegisters()) {
    if (r.name === 'a0') a0 = r.handle
    else if (r.name === 'ra') ra = r.handle
  }
}

function u64Bytes(v: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, v), true)
  return out
}

function readU64(h: qp.RegisterHandle): bigint {
  const b = qp.readRegister(h)
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0, true)
}

interface Site {
  pc: bigint
  size: number
}

function atLocation(_vcpu: number, s: Site): void {
  hits++
  const first = hits === 1n
  if (action.kind === 'ret') {
    registers()
    qp.writeRegister(a0!, u64Bytes(action.value))
    const back = readU64(ra!) & ~1n
    if (first) qp.outs(`patch: ${loc.text} @${hex(s.pc)}: returning ${action.value} to ${hex(back)}\n`)
    qp.setPc(back)
  } else if (action.kind === 'skip') {
    if (first) qp.outs(`patch: ${loc.text} @${hex(s.pc)}: skipping ${s.size} bytes\n`)
    qp.setPc(s.pc + BigInt(s.size))
  } else if (!patched) {
    const bytes = action.bytes
    const now = qp.readMemoryVaddr(s.pc, bytes.length)
    if (targetData !== undefined && !same(now.subarray(0, targetData.length), targetData)) {
      qp.outs(`patch: ${loc.text} @${hex(s.pc)}: bytes are not target=, not patching\n`)
      patched = true
      return
    }
    qp.outs(`patching: @${hex(s.pc)} hw: @${hex(qp.translateVaddr(s.pc) ?? s.pc)}\n`)
    qp.writeMemoryVaddr(s.pc, bytes)
    qp.outs(
      same(qp.readMemoryVaddr(s.pc, bytes.length), bytes)
        ? 'Success!\n'
        : 'Failed to read back written data\n',
    )
    patched = true
    // Execute the new bytes: the old translation was dropped by the write.
    qp.setPc(s.pc)
  }
}

function locationTbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  if (action.kind === 'patch' && patched) return
  const at = resolveWhere()
  const start = qp.tbVaddr(tb)
  const n = qp.tbNInsns(tb)
  if (at < start || at > qp.insnVaddr(qp.tbGetInsn(tb, n - 1))) return
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    if (qp.insnVaddr(insn) === at)
      qp.registerVcpuInsnExecCb(insn, atLocation, qp.CbFlags.RW_REGS_PC, { pc: at, size: qp.insnSize(insn) })
  }
}

function atExit(): void {
  const what =
    action.kind === 'ret'
      ? `returned ${action.value}`
      : action.kind === 'skip'
        ? 'skipped'
        : patched
          ? 'patched'
          : 'not patched'
  qp.outs(
    `patch: ${loc.text}${where !== undefined ? ` @${hex(where)}` : ''}: reached ${hits} times, ${what}\n`,
  )
}

const USAGE =
  'usage: patch.ts,target=<bytes>,patch=<new_bytes>[,use_hwaddr=true|false] or ' +
  'patch.ts,addr=<address>|sym=<name>[+<offset>],patch=<bytes>[,target=<bytes>]|ret=<value>|skip=on'

export const install: qp.PluginInstall = (id, info, args) => {
  let addrArg: string | undefined
  let symArg: string | undefined
  let retArg: bigint | undefined
  let skip = false
  for (const a of args) {
    if (a.name === 'use_hwaddr') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return 'Failed to parse boolean argument use_hwaddr'
      useHwaddr = v
    } else if (a.name === 'target') {
      targetData = strToBytes(a.value)
      if (targetData === undefined) return 'Failed to parse target bytes.'
    } else if (a.name === 'patch') {
      patchData = strToBytes(a.value)
      if (patchData === undefined) return 'Failed to parse patch bytes.'
    } else if (a.name === 'addr') {
      addrArg = a.value
    } else if (a.name === 'sym') {
      symArg = a.value
    } else if (a.name === 'ret') {
      retArg = parseNumber(a.value)
      if (retArg === undefined) return `bad value: ${a.text}`
    } else if (a.name === 'skip') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      skip = v
    } else {
      return `Unknown argument: ${a.name}; ${USAGE}`
    }
  }

  if (addrArg === undefined && symArg === undefined) {
    // QEMU's mode.
    if (targetData === undefined) return `target argument is required; ${USAGE}`
    if (patchData === undefined) return `patch argument is required; ${USAGE}`
    if (targetData.length !== patchData.length) return 'Target and patch data must be the same length'
    if (retArg !== undefined || skip) return `ret= and skip= need addr= or sym=; ${USAGE}`
    if (useHwaddr && !info.systemEmulation)
      qp.outs('patch: use_hwaddr=on: user mode has no hardware addresses\n')
    qp.registerVcpuTbTransCb(id, matchTbTrans)
    return undefined
  }

  if (addrArg !== undefined && symArg !== undefined)
    return `addr= and sym= both pick the location: give one; ${USAGE}`
  const actions = (patchData !== undefined ? 1 : 0) + (retArg !== undefined ? 1 : 0) + (skip ? 1 : 0)
  if (actions !== 1)
    return `give one of patch=, ret=, skip=on with ${addrArg !== undefined ? 'addr=' : 'sym='}; ${USAGE}`
  if (targetData !== undefined && patchData === undefined) return 'target= goes with patch='
  if (targetData !== undefined && patchData !== undefined && targetData.length > patchData.length)
    return 'target= is longer than patch='
  if (addrArg !== undefined) {
    const a = parseNumber(addrArg)
    if (a === undefined || a < 0n) return `bad address: addr=${addrArg}`
    loc = { text: `addr=${addrArg}`, addr: a }
  } else {
    const plus = symArg!.lastIndexOf('+')
    const name = plus > 0 ? symArg!.slice(0, plus) : symArg!
    const off = plus > 0 ? parseNumber(symArg!.slice(plus + 1)) : 0n
    if (off === undefined) return `bad offset: sym=${symArg}`
    const path = qp.pathToBinary()
    if (path === undefined) return 'sym= needs the program file (user mode)'
    const s = elfSymbol(path, name)
    if (typeof s === 'string') return s
    loc = { text: symArg!, sym: { ...s, value: s.value + off } }
  }
  action =
    patchData !== undefined
      ? { kind: 'patch', bytes: patchData }
      : retArg !== undefined
        ? { kind: 'ret', value: retArg }
        : { kind: 'skip' }
  qp.registerVcpuTbTransCb(id, locationTbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
