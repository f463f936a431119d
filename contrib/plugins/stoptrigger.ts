/**
 * stoptrigger: end the guest after a number of instructions or when it
 * reaches an address (QEMU's stoptrigger plugin), with a chosen exit code.
 * It prints `icount reached at 0xPC, exiting` or `0xADDR reached, exiting`
 * before ending the guest.
 *
 * Options (as QEMU's): icount=N[:CODE] (end a vCPU's program before it
 * executes its (N+1)th instruction, with exit code CODE, default 0),
 * addr=ADDR[:CODE] (end before the instruction at ADDR executes; may be
 * given several times). Numbers are C-style: decimal, 0x hex or 0 octal.
 *
 * As QEMU's, it ends the emulator with exit (process.exit): rvscope then
 * still runs every plugin's atexit callbacks and writes the log.
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

interface ExitInfo {
  readonly addr: bigint
  readonly code: number
}

let sb: qp.Scoreboard
let insnCount: qp.U64Entry
let icount = 0n
let icountExitCode = 0
let exitOnIcount = false
const exitAddrs = new Map<bigint, ExitInfo>()

/** Print `message` and end the emulator with exit code `code` (QEMU's plugin calls exit()). */
function exitEmulation(code: number, message: string): never {
  qp.outs(message)
  process.exit(code)
}

function onIcount(_vcpu: number, vaddr: bigint): void {
  exitEmulation(icountExitCode, `icount reached at 0x${vaddr.toString(16)}, exiting\n`)
}

function onAddress(_vcpu: number, ei: ExitInfo): void {
  exitEmulation(ei.code, `0x${ei.addr.toString(16)} reached, exiting\n`)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    const vaddr = qp.insnVaddr(insn)
    if (exitOnIcount) {
      // Count, then stop before the instruction that would exceed the count.
      qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_ADD_U64, insnCount, 1n)
      qp.registerVcpuInsnExecCondCb(
        insn,
        onIcount,
        qp.CbFlags.NO_REGS,
        qp.Cond.EQ,
        insnCount,
        icount + 1n,
        vaddr,
      )
    }
    const ei = exitAddrs.get(vaddr)
    if (ei !== undefined) qp.registerVcpuInsnExecCb(insn, onAddress, qp.CbFlags.NO_REGS, ei)
  }
}

/** A C-style unsigned number (strtoull base 0: decimal, 0x hex, 0 octal), or undefined. */
function parseNumber(text: string): bigint | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text)
  if (/^0[0-7]*$/.test(text)) return BigInt(`0o${text.slice(1) || '0'}`)
  if (/^[1-9][0-9]*$/.test(text)) return BigInt(text)
  return undefined
}

/** `VALUE[:CODE]`, or an error message. */
function parseTrigger(a: qp.PluginArg): { value: bigint | undefined; code: number } | string {
  const colon = a.value.indexOf(':')
  const valueText = colon < 0 ? a.value : a.value.slice(0, colon)
  let code = 0
  if (colon >= 0) {
    const c = parseNumber(a.value.slice(colon + 1))
    if (c === undefined) return `exit code parsing failed: ${a.text}`
    code = Number(BigInt.asIntN(32, c))
  }
  return { value: parseNumber(valueText), code }
}

function atExit(): void {
  exitAddrs.clear()
  qp.scoreboardFree(sb)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'icount' || a.name === 'addr') {
      const t = parseTrigger(a)
      if (typeof t === 'string') return t
      if (a.name === 'icount') {
        if (t.value === undefined || t.value < 1n) {
          const text = a.value.split(':')[0]
          return `icount parsing failed: '${text}' must be a positive integer`
        }
        icount = t.value
        icountExitCode = t.code
        exitOnIcount = true
      } else {
        if (t.value === undefined) return `addr parsing failed: ${a.text}`
        exitAddrs.set(t.value, { addr: t.value, code: t.code })
      }
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  if (!exitOnIcount && exitAddrs.size === 0) return "'icount' or 'addr' argument missing"
  sb = qp.scoreboardNew(8)
  insnCount = qp.scoreboardU64(sb)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
