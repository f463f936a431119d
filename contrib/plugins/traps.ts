/**
 * traps: count interrupts, exceptions and host calls per vCPU (QEMU's
 * traps plugin), from the discontinuities of control flow.
 *
 * In rvscope's user mode a guest signal handler entered because of a fault
 * of the guest's own (SIGSEGV, SIGILL, SIGBUS, ...) is an exception, one
 * entered for any other signal (kill, raise, timers) an interrupt; there
 * are no host calls. A signal that kills the program enters no handler and
 * counts nothing. At exit the plugin prints
 *   VCPU, interrupts, exceptions, hostcalls
 * and one line per vCPU index, with QEMU's column widths.
 *
 * No options. (QEMU's plugin notes in user mode that interrupts are only
 * reported in system emulation; rvscope reports signals as interrupts, so
 * the note is left out.)
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

let traps: qp.Scoreboard
let interrupts: qp.U64Entry
let exceptions: qp.U64Entry
let hostcalls: qp.U64Entry

function onDiscon(_id: qp.PluginId, vcpu: number, type: qp.DisconType): void {
  switch (type) {
    case qp.DisconType.INTERRUPT:
      qp.u64Add(interrupts, vcpu, 1n)
      break
    case qp.DisconType.EXCEPTION:
      qp.u64Add(exceptions, vcpu, 1n)
      break
    case qp.DisconType.HOSTCALL:
      qp.u64Add(hostcalls, vcpu, 1n)
      break
    default:
      throw new Error(`unexpected discontinuity type ${type}`)
  }
}

/** printf's `% Nd`: a space for the sign of a non-negative number, right-aligned in N columns. */
const spaced = (v: bigint | number, width: number): string => (v < 0 ? `${v}` : ` ${v}`).padStart(width)

function atExit(): void {
  let out = 'VCPU, interrupts, exceptions, hostcalls\n'
  for (let vcpu = 0; vcpu < qp.numVcpus(); vcpu++) {
    const n = (e: qp.U64Entry) => spaced(BigInt.asIntN(64, qp.u64Get(e, vcpu)), 10)
    out += `${spaced(vcpu, 4)}, ${n(interrupts)}, ${n(exceptions)}, ${n(hostcalls)}\n`
  }
  qp.outs(out)
  qp.scoreboardFree(traps)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  const a = args[0]
  if (a !== undefined) return `option parsing failed: ${a.text}`
  traps = qp.scoreboardNew(24)
  interrupts = qp.scoreboardU64InStruct(traps, 0)
  exceptions = qp.scoreboardU64InStruct(traps, 8)
  hostcalls = qp.scoreboardU64InStruct(traps, 16)
  qp.registerVcpuDisconCb(id, qp.DisconType.ALL, onDiscon)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
