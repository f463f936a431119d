/**
 * ips: limit the guest to a number of instructions per second per vCPU
 * (QEMU's ips plugin), and make the guest's clocks follow: guest time is
 * the instructions run so far divided by the rate. Each vCPU counts its
 * instructions inline; every tenth of a second's worth of instructions (a
 * quantum) a callback sleeps whatever wall-clock time that vCPU ran ahead
 * of the rate, then moves guest time forward (it never moves back).
 *
 * Options (as QEMU's): ips=N, optionally with a decimal suffix k, m or g
 * (any case) for thousands, millions, billions; default 1g. At least 10 is
 * needed (one instruction per quantum). Prints nothing.
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

/** Guest time moves (and the rate is checked) this many times per guest second. */
const NUM_TIME_UPDATE_PER_SEC = 10n
const NSEC_IN_ONE_SEC = 1_000_000_000

const SCALES: Readonly<Record<string, bigint>> = { k: 1000n, m: 1000_000n, g: 1000_000_000n }

let maxInsnPerSecond = 1000_000_000n
let maxInsnPerQuantum = 0n
/** Guest time last set (ns since the start). */
let virtualTimeNs = 0n
let timeHandle: qp.TimeHandle | undefined

/** Per-vCPU element: instructions before this quantum, in it, and when it started (host ns). */
let vcpus: qp.Scoreboard
let totalInsn: qp.U64Entry
let quantumInsn: qp.U64Entry
let lastQuantumTime: qp.U64Entry

const nowNs = (): bigint => process.hrtime.bigint()

const numInsnDuring = (elapsedNs: bigint): bigint =>
  BigInt(Math.floor((Number(elapsedNs) / NSEC_IN_ONE_SEC) * Number(maxInsnPerSecond)))

const timeForInsn = (numInsn: bigint): bigint =>
  BigInt(Math.floor((Number(numInsn) / Number(maxInsnPerSecond)) * NSEC_IN_ONE_SEC))

/** Block the whole emulator (every vCPU runs on this thread) for `ms` milliseconds. */
function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function updateSystemTime(vcpu: number): void {
  const quantum = qp.u64Get(quantumInsn, vcpu)
  const maxInsn = numInsnDuring(nowNs() - qp.u64Get(lastQuantumTime, vcpu))
  if (quantum >= maxInsn) {
    // Ran faster than the rate: wait for wall-clock time to catch up.
    sleepMs(Number(timeForInsn(quantum - maxInsn) / 1000n) / 1000)
  }
  const total = qp.u64Get(totalInsn, vcpu) + quantum
  qp.u64Set(totalInsn, vcpu, total)
  qp.u64Set(quantumInsn, vcpu, 0n)
  qp.u64Set(lastQuantumTime, vcpu, nowNs())
  const newVirtualTime = timeForInsn(total)
  if (newVirtualTime > virtualTimeNs) {
    qp.updateNs(timeHandle!, newVirtualTime)
    virtualTimeNs = newVirtualTime
  }
}

function vcpuInit(_id: qp.PluginId, vcpu: number): void {
  qp.u64Set(totalInsn, vcpu, 0n)
  qp.u64Set(quantumInsn, vcpu, 0n)
  qp.u64Set(lastQuantumTime, vcpu, nowNs())
}

function vcpuExit(_id: qp.PluginId, vcpu: number): void {
  updateSystemTime(vcpu)
}

function everyQuantumInsn(vcpu: number): void {
  updateSystemTime(vcpu)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  // Count, and check the quantum, once per block.
  qp.registerVcpuTbExecInlinePerVcpu(tb, qp.PluginOp.INLINE_ADD_U64, quantumInsn, BigInt(qp.tbNInsns(tb)))
  qp.registerVcpuTbExecCondCb(
    tb,
    everyQuantumInsn,
    qp.CbFlags.NO_REGS,
    qp.Cond.GE,
    quantumInsn,
    maxInsnPerQuantum,
  )
}

function atExit(): void {
  qp.scoreboardFree(vcpus)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  for (const a of args) {
    if (a.name === 'ips') {
      const m = /^([0-9]*)(.*)$/.exec(a.value)!
      // Like strtoull: no digits is 0 (refused below as too few).
      let n = m[1] === '' ? 0n : BigInt(m[1]!)
      if (m[2] !== '') {
        const scale = SCALES[m[2]!.toLowerCase()]
        if (scale === undefined) return `bad suffix: ${m[2]} in ${a.text}`
        n *= scale
      }
      maxInsnPerSecond = n
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  maxInsnPerQuantum = maxInsnPerSecond / NUM_TIME_UPDATE_PER_SEC
  if (maxInsnPerQuantum === 0n) return `minimum of ${NUM_TIME_UPDATE_PER_SEC} instructions per second needed`
  timeHandle = qp.requestTimeControl()
  if (timeHandle === undefined) return 'another plugin already controls time'
  vcpus = qp.scoreboardNew(24)
  totalInsn = qp.scoreboardU64InStruct(vcpus, 0)
  quantumInsn = qp.scoreboardU64InStruct(vcpus, 8)
  lastQuantumTime = qp.scoreboardU64InStruct(vcpus, 16)
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerVcpuInitCb(id, vcpuInit)
  qp.registerVcpuExitCb(id, vcpuExit)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
