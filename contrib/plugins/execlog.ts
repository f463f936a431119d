/**
 * execlog: log every executed instruction with its memory accesses and,
 * optionally, the registers it changed (QEMU's execlog plugin).
 *
 * Each executed instruction gives one line
 *   `VCPU, 0xPC, 0xOPCODE, "DISASSEMBLY"`
 * followed by `, load, 0xADDR` or `, store, 0xADDR` for each memory access
 * (addresses at least 8 hex digits) and `, REG -> 0xVALUE` for each
 * tracked register the instruction changed (the value's bytes, most
 * significant first). OPCODE is the instruction's first (up to) four bytes
 * read little-endian. A line is printed when the vCPU reaches its next
 * instruction (so that its accesses and register changes are known); the
 * last one of each vCPU when it ends.
 *
 * Options (as QEMU's):
 *   ifilter=PREFIX  (repeatable) log only instructions whose disassembly
 *                   starts with PREFIX
 *   afilter=HEX     (repeatable) log only the instruction at that address
 *   reg=GLOB        (repeatable) track registers whose name matches GLOB
 *                   (`*` and `?` wildcards: `a*`, `*`, `pc`) and report
 *                   their changes
 *   rdisas=on|off   with reg=: only check registers after instructions
 *                   whose operands name a tracked register (cheaper, relies
 *                   on the disassembly); such instructions are logged
 *                   whatever the filters say
 * With both filters the union is logged.
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface TrackedReg {
  readonly handle: qp.RegisterHandle
  readonly name: string
  last: Uint8Array | undefined
}

interface VcpuLog {
  /** The instruction logged last, not yet printed ('' if none). */
  line: string
  /** Registers tracked on this vCPU, or undefined if none. */
  regs: TrackedReg[] | undefined
  /** The tracked registers' values are still to be taken as the starting point. */
  needBaseline: boolean
}

const vcpus: VcpuLog[] = []
const insnMatches: string[] = []
const addrMatches: bigint[] = []
const regPatterns: RegExp[] = []
let disasAssist = false
/** Names of every tracked register (for rdisas). */
const trackedNames: string[] = []

function vcpuLog(vcpu: number): VcpuLog {
  let v = vcpus[vcpu]
  if (v === undefined) {
    v = { line: '', regs: undefined, needBaseline: false }
    vcpus[vcpu] = v
  }
  return v
}

/** A glob (`*`, `?`) as an anchored regular expression, as GLib's GPatternSpec. */
function globToRegExp(glob: string): RegExp {
  let re = ''
  for (const ch of glob) {
    if (ch === '*') re += '.*'
    else if (ch === '?') re += '.'
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 's')
}

const hexBytesMsbFirst = (b: Uint8Array): string => {
  let s = ''
  for (let i = b.length - 1; i >= 0; i--) s += b[i]!.toString(16).padStart(2, '0')
  return s
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The values before the vCPU's first instruction are the starting point.
 * They are taken at its first callback allowed to read registers: in
 * rvscope the first vCPU's init callback sees the registers before the
 * program's initial state is set (QEMU runs it once that state is there).
 */
function takeBaseline(v: VcpuLog): void {
  v.needBaseline = false
  for (const r of v.regs ?? []) r.last = qp.readRegister(r.handle)
}

/** Append the tracked registers that changed since the last check to the pending line. */
function checkRegs(v: VcpuLog): void {
  const regs = v.regs
  if (regs === undefined) return
  for (const r of regs) {
    const now = qp.readRegister(r.handle)
    if (r.last === undefined || !sameBytes(now, r.last)) {
      v.line += `, ${r.name} -> 0x${hexBytesMsbFirst(now)}`
      r.last = now
    }
  }
}

function flush(v: VcpuLog): void {
  if (v.line.length > 0) qp.outs(`${v.line}\n`)
}

function onMem(vcpu: number, info: qp.MemInfo, vaddr: bigint): void {
  const v = vcpuLog(vcpu)
  v.line += qp.memIsStore(info) ? ', store' : ', load'
  const hw = qp.getHwaddr(info, vaddr)
  if (hw !== undefined)
    v.line += `, 0x${qp.hwaddrPhysAddr(hw).toString(16).padStart(8, '0')}, ${qp.hwaddrDeviceName(hw)}`
  else v.line += `, 0x${vaddr.toString(16).padStart(8, '0')}`
}

/** Print the pending line with the register changes since the last check. */
function finishWithRegs(v: VcpuLog): void {
  if (v.needBaseline) takeBaseline(v)
  else if (v.line.length > 0) checkRegs(v)
  flush(v)
}

/** Print the previous instruction, then start this one's line. */
function onInsn(vcpu: number, text: string): void {
  const v = vcpuLog(vcpu)
  flush(v)
  v.line = `${vcpu}, ${text}`
}

/** Like onInsn, first adding the previous instruction's register changes. */
function onInsnWithRegs(vcpu: number, text: string): void {
  const v = vcpuLog(vcpu)
  finishWithRegs(v)
  v.line = `${vcpu}, ${text}`
}

/** An instruction not logged: only finish the previous one, registers included. */
function onUnloggedInsn(vcpu: number): void {
  const v = vcpuLog(vcpu)
  finishWithRegs(v)
  v.line = ''
}

function operandsNameTrackedReg(disas: string): boolean {
  const m = /[ \t]/.exec(disas)
  if (m === null) return false
  const operands = disas.slice(m.index + 1)
  return trackedNames.some((name) => operands.includes(name))
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const filtering = insnMatches.length > 0 || addrMatches.length > 0
  const tracking = regPatterns.length > 0
  let skip = filtering
  // Without rdisas every instruction checks the registers the previous one changed.
  let checkThis = tracking
  let checkNext = false
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    const disas = qp.insnDisas(insn)
    const vaddr = qp.insnVaddr(insn)

    // A match "latches" until an instruction is logged, so its accesses are seen.
    if (skip && insnMatches.some((m) => disas.startsWith(m))) {
      skip = false
      checkNext = tracking
    }
    if (skip && addrMatches.includes(vaddr)) skip = false

    if (disasAssist && tracking) {
      checkNext = operandsNameTrackedReg(disas)
      if (checkNext) skip = false
    }

    if (skip) {
      if (checkThis) qp.registerVcpuInsnExecCb(insn, onUnloggedInsn, qp.CbFlags.R_REGS)
    } else {
      const data = qp.insnData(insn)
      let opcode = 0
      for (let b = Math.min(4, data.length) - 1; b >= 0; b--) opcode = opcode * 256 + data[b]!
      const text = `0x${vaddr.toString(16)}, 0x${opcode.toString(16)}, "${disas}"`
      qp.registerVcpuMemCb(insn, onMem, qp.CbFlags.NO_REGS, qp.MemRw.RW)
      if (checkThis) qp.registerVcpuInsnExecCb(insn, onInsnWithRegs, qp.CbFlags.R_REGS, text)
      else qp.registerVcpuInsnExecCb(insn, onInsn, qp.CbFlags.NO_REGS, text)
      skip = filtering
    }

    if (disasAssist && tracking) checkThis = checkNext
  }
}

function vcpuInit(_id: qp.PluginId, vcpu: number): void {
  const v = vcpuLog(vcpu)
  // A vCPU index can be reused by a new thread: print what the old one left.
  flush(v)
  v.line = ''
  v.regs = undefined
  v.needBaseline = false
  if (regPatterns.length === 0) return
  const regs: TrackedReg[] = []
  for (const d of qp.getRegisters()) {
    const name = d.name.toLowerCase()
    if (!regPatterns.some((p) => p.test(d.name) || p.test(name))) continue
    regs.push({ handle: d.handle, name, last: undefined })
    if (disasAssist && !trackedNames.includes(name)) trackedNames.push(name)
  }
  if (regs.length > 0) {
    v.regs = regs
    v.needBaseline = true
  }
}

/** A thread ended: its last instruction will not be followed by another. */
function vcpuExit(_id: qp.PluginId, vcpu: number): void {
  const v = vcpuLog(vcpu)
  flush(v)
  v.line = ''
}

function atExit(): void {
  for (const v of vcpus) if (v !== undefined) flush(v)
  vcpus.length = 0
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'ifilter') {
      insnMatches.push(a.value)
    } else if (a.name === 'afilter') {
      const text = a.value.replace(/^0[xX]/, '')
      if (!/^[0-9a-fA-F]+$/.test(text)) return `afilter needs a hexadecimal address: ${a.text}`
      addrMatches.push(BigInt.asUintN(64, BigInt(`0x${text}`)))
    } else if (a.name === 'reg') {
      regPatterns.push(globToRegExp(a.value))
    } else if (a.name === 'rdisas') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      disasAssist = v
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  qp.registerVcpuInitCb(id, vcpuInit)
  qp.registerVcpuExitCb(id, vcpuExit)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
