/**
 * Signals: sending, default actions, handler frames and rt_sigreturn, with
 * the riscv64 Linux frame layout (arch/riscv/kernel/signal.c):
 *
 *   frame + 0    siginfo (128 bytes)
 *   frame + 128  ucontext: uc_flags, uc_link, uc_stack (24), uc_sigmask (8 + 120 reserved),
 *                mcontext at ucontext + 176: pc, x1..x31, f0..f31, fcsr (FP state area 528 bytes)
 *
 * The handler returns through `ra`, which points at a trampoline page
 * (li a7, 139; ecall) mapped into every process, as Linux's vDSO does.
 */
import { Slot } from '../target/riscv/cpu.js'
import type { Kernel } from './kernel.js'
import { type Process, type Thread, ThreadState } from './process.js'
import { SiCode, Sig, type SigInfo, sigBit } from './signal-types.js'
import { coreLimit } from './syscalls/misc.js'

export const SA_NOCLDSTOP = 1n
export const SA_NOCLDWAIT = 2n
export const SA_SIGINFO = 4n
export const SA_ONSTACK = 0x08000000n
export const SA_RESTART = 0x10000000n
export const SA_NODEFER = 0x40000000n
export const SA_RESETHAND = 0x80000000n
export const SA_RESTORER = 0x04000000n

export const SS_ONSTACK = 1
export const SS_DISABLE = 2

const UC = 128
const MCTX = UC + 176
const FPREGS = MCTX + 256
const FRAME_SIZE = 128 + 176 + 256 + 528

const IGNORED_BY_DEFAULT = new Set<number>([
  Sig.CHLD,
  Sig.CONT,
  Sig.URG,
  Sig.WINCH,
  Sig.STOP,
  Sig.TSTP,
  Sig.TTIN,
  Sig.TTOU,
])
const CORE_BY_DEFAULT = new Set<number>([
  Sig.QUIT,
  Sig.ILL,
  Sig.TRAP,
  Sig.ABRT,
  Sig.BUS,
  Sig.FPE,
  Sig.SEGV,
  Sig.XCPU,
  Sig.XFSZ,
  Sig.SYS,
])
/** Signals that can be neither caught, blocked nor ignored. */
export const UNBLOCKABLE = sigBit(Sig.KILL) | sigBit(Sig.STOP)

/** glibc's strsignal() texts, for the "uncaught target signal" line. */
const SIGNAL_NAMES: Record<number, string> = {
  1: 'Hangup',
  2: 'Interrupt',
  3: 'Quit',
  4: 'Illegal instruction',
  5: 'Trace/breakpoint trap',
  6: 'Aborted',
  7: 'Bus error',
  8: 'Floating point exception',
  9: 'Killed',
  10: 'User defined signal 1',
  11: 'Segmentation fault',
  12: 'User defined signal 2',
  13: 'Broken pipe',
  14: 'Alarm clock',
  15: 'Terminated',
  16: 'Stack fault',
  24: 'CPU time limit exceeded',
  25: 'File size limit exceeded',
  26: 'Virtual timer expired',
  27: 'Profiling timer expired',
  29: 'I/O possible',
  30: 'Power failure',
  31: 'Bad system call',
}

/** The signal Linux sends for a RISC-V exception (arch/riscv/kernel/traps.c). */
export function faultSignal(cause: number, tval: bigint, pc: bigint, permission: boolean): SigInfo {
  switch (cause) {
    case 12:
    case 13:
    case 15:
    case 1:
    case 5:
    case 7:
      return {
        signo: Sig.SEGV,
        code: permission ? SiCode.SEGV_ACCERR : SiCode.SEGV_MAPERR,
        addr: tval,
        forced: true,
      }
    case 0:
    case 4:
    case 6:
      return { signo: Sig.BUS, code: SiCode.BUS_ADRALN, addr: tval, forced: true }
    case 3:
      return { signo: Sig.TRAP, code: SiCode.TRAP_BRKPT, addr: pc, forced: true }
    default:
      return { signo: Sig.ILL, code: SiCode.ILL_ILLOPC, addr: pc, forced: true }
  }
}

/**
 * Queue a process-directed signal (kill): any thread not blocking it takes
 * it. Standard signals do not queue twice. SIGKILL ends the process at once
 * (it cannot be blocked, caught or ignored, and it wakes any wait).
 */
export function sendToProcess(k: Kernel, p: Process, info: SigInfo): void {
  if (p.zombie) return
  if (info.signo === Sig.KILL) {
    killBySignal(k, p, Sig.KILL)
    return
  }
  if (jobControl(k, p, info.signo)) return
  if (isIgnored(p, info.signo)) return
  if (info.signo < 32 && p.pending.some((i) => i.signo === info.signo)) return
  p.pending.push(info)
}

/** Queue a thread-directed signal (tgkill, faults, SIGPIPE). */
export function sendToThread(t: Thread, info: SigInfo, k?: Kernel): void {
  if (t.proc.zombie) return
  if (info.signo === Sig.KILL && k !== undefined) {
    killBySignal(k, t.proc, Sig.KILL)
    return
  }
  if (k !== undefined && jobControl(k, t.proc, info.signo)) return
  if (!info.forced && isIgnored(t.proc, info.signo)) return
  if (info.signo < 32 && t.pending.some((i) => i.signo === info.signo)) return
  t.pending.push(info)
}

const STOP_SIGNALS = [Sig.STOP, Sig.TSTP, Sig.TTIN, Sig.TTOU]

/**
 * Job control, acted on when the signal is sent (Linux stops at delivery;
 * the difference shows only for a blocked SIGTSTP/SIGTTIN/SIGTTOU): SIGSTOP,
 * and the other stop signals at SIG_DFL, stop every thread of `p`; SIGCONT
 * resumes it, whatever its disposition, and discards pending stop signals
 * (as a stop discards a pending SIGCONT). The parent hears of both through
 * SIGCHLD unless it set SA_NOCLDSTOP. Returns whether the signal was consumed.
 */
function jobControl(k: Kernel, p: Process, sig: number): boolean {
  const drop = (set: readonly number[]) => {
    const keep = (i: SigInfo) => !set.includes(i.signo)
    p.pending = p.pending.filter(keep)
    for (const t of p.threads) t.pending = t.pending.filter(keep)
  }
  if (sig === Sig.CONT) {
    drop(STOP_SIGNALS)
    if (p.stopped) {
      p.stopped = false
      p.jobReport = 0xffff
      notifyParent(k, p, SiCode.CLD_CONTINUED, Sig.CONT)
    }
    return false
  }
  if (!STOP_SIGNALS.includes(sig) || (sig !== Sig.STOP && p.actions[sig]!.handler !== 0n)) return false
  drop([Sig.CONT])
  if (!p.stopped) {
    p.stopped = true
    p.jobReport = (sig << 8) | 0x7f
    notifyParent(k, p, SiCode.CLD_STOPPED, sig)
  }
  return true
}

function notifyParent(k: Kernel, p: Process, code: number, status: number): void {
  const parent = k.processes.get(p.ppid)
  if (parent === undefined || parent.zombie || parent.actions[Sig.CHLD]!.flags & SA_NOCLDSTOP) return
  sendToProcess(k, parent, { signo: Sig.CHLD, code, pid: p.pid, uid: process.getuid?.() ?? 0, status })
}

/** Whether `sig` would be discarded at once (SIG_IGN, or SIG_DFL with an ignore default). */
export function isIgnored(p: Process, sig: number): boolean {
  const h = p.actions[sig]!.handler
  return h === 1n || (h === 0n && IGNORED_BY_DEFAULT.has(sig))
}

function deliverable(t: Thread, info: SigInfo): boolean {
  return info.forced === true || (t.sigmask & sigBit(info.signo)) === 0n
}

/** Whether `t` has a signal it would act on now. */
export function hasDeliverable(t: Thread): boolean {
  return t.pending.some((i) => deliverable(t, i)) || t.proc.pending.some((i) => deliverable(t, i))
}

/** Pending signals of `t` (its own and its process's), one bit per signal. */
export function pendingSet(t: Thread): bigint {
  let set = 0n
  for (const i of t.pending) set |= sigBit(i.signo)
  for (const i of t.proc.pending) set |= sigBit(i.signo)
  return set
}

/** Take the lowest pending signal in `set` off `t`'s queues (thread queue first), as sigtimedwait does. */
export function dequeueFrom(t: Thread, set: bigint): SigInfo | undefined {
  const pick = (q: SigInfo[]): SigInfo | undefined => {
    let best = -1
    for (let i = 0; i < q.length; i++) {
      if ((set & sigBit(q[i]!.signo)) === 0n) continue
      if (best < 0 || q[i]!.signo < q[best]!.signo) best = i
    }
    return best < 0 ? undefined : q.splice(best, 1)[0]
  }
  return pick(t.pending) ?? pick(t.proc.pending)
}

/** Take the next deliverable signal of `t` off its queues (faults first, then lowest number). */
function takeNext(t: Thread, remove = true): SigInfo | undefined {
  const pick = (q: SigInfo[]): SigInfo | undefined => {
    let best = -1
    for (let i = 0; i < q.length; i++) {
      const info = q[i]!
      if (!deliverable(t, info)) continue
      if (info.forced) {
        best = i
        break
      }
      if (best < 0 || info.signo < q[best]!.signo) best = i
    }
    if (best < 0) return undefined
    return remove ? q.splice(best, 1)[0] : q[best]
  }
  return pick(t.pending) ?? pick(t.proc.pending)
}

/** The signal deliverSignals would act on first, left queued. */
export function peekDeliverable(t: Thread): SigInfo | undefined {
  return takeNext(t, false)
}

/** Act on every deliverable signal of `t`: ignore, terminate the process, or set up handler frames. */
export function deliverSignals(k: Kernel, t: Thread): void {
  for (;;) {
    if (t.state === ThreadState.Exited || t.proc.zombie) return
    const info = takeNext(t)
    if (info === undefined) return
    const act = t.proc.actions[info.signo]!
    const blockedFault = info.forced === true && (t.sigmask & sigBit(info.signo)) !== 0n
    // A fault while its signal is blocked or ignored kills the process (force_sig_fault).
    if (act.handler === 1n && !info.forced) continue
    if (act.handler === 0n || act.handler === 1n || blockedFault) {
      if (!blockedFault && act.handler === 0n && IGNORED_BY_DEFAULT.has(info.signo)) continue
      killBySignal(k, t.proc, info.signo)
      return
    }
    setupFrame(k, t, info, act.handler, act.flags, act.mask)
    if (act.flags & SA_RESETHAND)
      t.proc.actions[info.signo] = { handler: 0n, flags: 0n, mask: 0n, restorer: 0n }
  }
}

/** Terminate `p` by `sig` with the default action (core dump flag for core signals). */
export function killBySignal(k: Kernel, p: Process, sig: number): void {
  if (p.zombie) return
  const core = CORE_BY_DEFAULT.has(sig)
  // Like Linux (and qemu-riscv64 with core dumps disabled) nothing is printed; -d int says it.
  if (k.log.on.has('int'))
    k.log.write(
      `rvscope: process ${p.pid} killed by signal ${sig} (${SIGNAL_NAMES[sig] ?? `Signal ${sig}`})${core ? ', core dumped' : ''}\n`,
    )
  // WCOREDUMP only when a core could be written (RLIMIT_CORE not 0), as in Linux.
  k.exitProcess(p, sig | (core && coreLimit() !== 0n ? 0x80 : 0))
}

export function onAltStack(t: Thread, sp: bigint): boolean {
  const a = t.altstack
  return a.size !== 0n && sp > a.sp && sp <= a.sp + a.size
}

function setupFrame(k: Kernel, t: Thread, info: SigInfo, handler: bigint, flags: bigint, mask: bigint): void {
  const cpu = t.cpu
  const r = cpu.regs
  const mem = cpu.mem
  let sp = r[Slot.X0 + 2]!
  const alt = t.altstack
  if (flags & SA_ONSTACK && alt.size !== 0n && !(alt.flags & SS_DISABLE) && !onAltStack(t, sp))
    sp = alt.sp + alt.size
  const frame = (sp - BigInt(FRAME_SIZE)) & ~15n
  const buf = new DataView(new ArrayBuffer(FRAME_SIZE))
  writeSiginfo(buf, 0, info)
  // ucontext
  buf.setBigUint64(UC + 0, 0n, true)
  buf.setBigUint64(UC + 8, 0n, true)
  buf.setBigUint64(UC + 16, alt.sp, true)
  buf.setInt32(UC + 24, alt.size === 0n ? SS_DISABLE : onAltStack(t, r[Slot.X0 + 2]!) ? SS_ONSTACK : 0, true)
  buf.setBigUint64(UC + 32, alt.size, true)
  buf.setBigUint64(UC + 40, t.savedMask ?? t.sigmask, true)
  buf.setBigUint64(MCTX, cpu.pc, true)
  for (let i = 1; i < 32; i++) buf.setBigUint64(MCTX + 8 * i, r[Slot.X0 + i]!, true)
  for (let i = 0; i < 32; i++) buf.setBigUint64(FPREGS + 8 * i, r[Slot.F0 + i]!, true)
  buf.setUint32(FPREGS + 256, Number(r[Slot.Fcsr]! & 0xffn), true)
  try {
    mem.write(frame, new Uint8Array(buf.buffer))
  } catch {
    // No room for the frame (stack overflow): Linux kills with SIGSEGV.
    killBySignal(k, t.proc, Sig.SEGV)
    return
  }
  t.savedMask = undefined
  t.sigmask |= mask & ~UNBLOCKABLE
  if (!(flags & SA_NODEFER)) t.sigmask |= sigBit(info.signo)
  r[Slot.X0 + 1] = flags & SA_RESTORER ? t.proc.actions[info.signo]!.restorer : t.proc.mm.sigtramp
  r[Slot.X0 + 2] = frame
  r[Slot.X0 + 10] = BigInt(info.signo)
  r[Slot.X0 + 11] = frame
  r[Slot.X0 + 12] = frame + BigInt(UC)
  cpu.pc = handler
}

/** Encode siginfo_t (asm-generic layout) at `off`. */
export function writeSiginfo(buf: DataView, off: number, info: SigInfo): void {
  buf.setInt32(off, info.signo, true)
  buf.setInt32(off + 4, info.errno ?? 0, true)
  buf.setInt32(off + 8, info.code, true)
  if (info.timerId !== undefined) {
    buf.setInt32(off + 16, info.timerId, true)
    buf.setInt32(off + 20, info.overrun ?? 0, true)
    buf.setBigUint64(off + 24, info.value ?? 0n, true)
  } else if (info.addr !== undefined) {
    buf.setBigUint64(off + 16, info.addr, true)
  } else {
    buf.setInt32(off + 16, info.pid ?? 0, true)
    buf.setUint32(off + 20, info.uid ?? 0, true)
    if (info.status !== undefined) buf.setInt32(off + 24, info.status, true)
    else if (info.value !== undefined) buf.setBigUint64(off + 24, info.value, true)
  }
}

/** rt_sigreturn: restore the state saved by setupFrame from the frame at sp. */
export function sigreturn(k: Kernel, t: Thread): void {
  const cpu = t.cpu
  const r = cpu.regs
  const frame = r[Slot.X0 + 2]!
  let bytes: Uint8Array
  try {
    bytes = cpu.mem.read(frame, FRAME_SIZE)
  } catch {
    killBySignal(k, t.proc, Sig.SEGV)
    return
  }
  const buf = new DataView(bytes.buffer)
  t.sigmask = buf.getBigUint64(UC + 40, true) & ~UNBLOCKABLE
  cpu.pc = buf.getBigUint64(MCTX, true)
  for (let i = 1; i < 32; i++) r[Slot.X0 + i] = buf.getBigUint64(MCTX + 8 * i, true)
  for (let i = 0; i < 32; i++) r[Slot.F0 + i] = buf.getBigUint64(FPREGS + 8 * i, true)
  r[Slot.Fcsr] = BigInt(buf.getUint32(FPREGS + 256, true) & 0xff)
  // uc_stack: restore the alternate stack setting (as restore_altstack does).
  const ssSp = buf.getBigUint64(UC + 16, true)
  const ssFlags = buf.getInt32(UC + 24, true)
  const ssSize = buf.getBigUint64(UC + 32, true)
  if (!onAltStack(t, r[Slot.X0 + 2]!))
    t.altstack = { sp: ssSp, size: ssFlags & SS_DISABLE ? 0n : ssSize, flags: ssFlags & SS_DISABLE }
}
