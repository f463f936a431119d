/**
 * The user-mode kernel: processes, threads, the deterministic scheduler,
 * system-call dispatch and the translation of guest faults into signals.
 *
 * Life cycle: `Kernel.start()` loads the first program; `run()` schedules
 * guest threads round-robin (each runs until its time slice ends, it waits
 * in a system call, or it exits) until the first process exits, and returns
 * the status the engine should exit with.
 *
 * Every guest process and thread (fork, vfork, clone threads, execve) lives
 * in this one engine. A waiting system call returns a Block that the
 * scheduler polls; futex waits, pipe reads and wait4 are woken by flags the
 * other threads set, and timers (setitimer, timer_create) sit in a kernel
 * timer list checked between slices. No host callbacks: the interleaving
 * depends only on the guest and the wall clock (sleeps and timers).
 */
import * as fs from 'node:fs'
import type { Backend } from '../backend/backend.js'
import { Arena } from '../core/arena.js'
import { UserError } from '../core/errors.js'
import type { Log } from '../core/log.js'
import { PagedMemory } from '../core/paged-memory.js'
import { Cpu } from '../exec/cpu.js'
import { cpuLoop, LoopExit, type LoopHooks } from '../exec/cpu-loop.js'
import { Discon, type Instrumentation } from '../exec/instrumentation.js'
import { TbCache } from '../exec/tb-cache.js'
import type { IrBlock } from '../ir/ir.js'
import { formatBlock } from '../ir/print.js'
import { Cause, Slot } from '../target/riscv/cpu.js'
import { Decoder } from '../target/riscv/decode/decoder.js'
import type { Ext } from '../target/riscv/decode/table.js'
import { Disassembler } from '../target/riscv/disasm.js'
import { formatCpuState } from '../target/riscv/dump.js'
import { translateBlock } from '../target/riscv/translate.js'
import { Block } from './block.js'
import { E } from './errno.js'
import { FdTable, HostFile, O } from './fd.js'
import { type LoadResult, loadProgram } from './loader.js'
import { type GuestPaths, hostPathFor } from './paths.js'
import { type KTimer, Mm, Process, type SigAction, Thread, ThreadState } from './process.js'
import { SiCode, Sig, type SigInfo } from './signal-types.js'
import {
  deliverSignals,
  faultSignal,
  hasDeliverable,
  peekDeliverable,
  SA_NOCLDWAIT,
  sendToProcess,
} from './signals.js'
import { NO_RETURN, type SyscallResult } from './syscall-types.js'
import { FutexTable, releaseRobustList } from './syscalls/futex.js'
import { dispatchSyscall } from './syscalls/index.js'
import { syscallName } from './syscalls/names.js'

export interface KernelOptions {
  log: Log
  exts: ReadonlySet<Ext>
  /** -L: guest root for absolute paths that exist under it. */
  sysroot?: string
  /** Instructions per block at most (-one-insn-per-tb: 1). */
  maxInsnsPerTb: number
  /** -accel: the backend that runs translated blocks. */
  backend: Backend
  /** -seed: makes AT_RANDOM and getrandom deterministic. */
  seed?: bigint
  /** -compat: which kernel the guest sees (see COMPAT). */
  compat?: Compat
  /** Plugins' view of execution (absent: none). */
  instrumentation?: Instrumentation
}

export type Compat = 'linux' | 'qemu-10' | 'qemu-7.2'

/** What a -compat profile changes in what the guest sees. */
export interface CompatProfile {
  /** Map the vDSO and name it in AT_SYSINFO_EHDR (QEMU 8.0 and later, Linux); else a bare signal-return page. */
  vdso: boolean
  /** System calls answered with ENOSYS although rvscope implements them (numbers). */
  enosys: ReadonlySet<number>
  /** End blocks before an instruction in the last two bytes of a page, as QEMU 7.2's translator. */
  stopAtPageTail: boolean
}

/** What every qemu-riscv64 lacks: set_robust_list, get_robust_list, clone3. */
const QEMU_MISSING = [99, 100, 435]
/** riscv_hwprobe (Linux 6.4+, QEMU 8.1+). */
const RISCV_HWPROBE = 258

/**
 * The -compat profiles. 'linux' (default) implements what Linux does;
 * 'qemu-10' and 'qemu-7.2' make the guest see exactly what that
 * qemu-riscv64 shows it, so that start-up paths, instruction and block
 * counts and PC traces compare like for like. The only system-call
 * difference from Linux on glibc's start-up path is set_robust_list: glibc
 * records its success with one store, so counts under 'linux' are one
 * instruction per process above QEMU's.
 */
export const COMPAT: Readonly<Record<Compat, CompatProfile>> = {
  linux: { vdso: true, enosys: new Set(), stopAtPageTail: false },
  'qemu-10': { vdso: true, enosys: new Set(QEMU_MISSING), stopAtPageTail: false },
  'qemu-7.2': { vdso: false, enosys: new Set([...QEMU_MISSING, RISCV_HWPROBE]), stopAtPageTail: true },
}

/** Instructions a thread runs before the scheduler looks at others. */
const TIME_SLICE = 20_000
/** Slice when only one thread can run: larger, fewer scheduler round trips. */
const SOLO_SLICE = 1_000_000
/** Bytes of executables readImage keeps. */
const IMAGE_CACHE_BYTES = 64 << 20
/** Pid an orphan's getppid() reports (the host's init; rvscope reaps orphans itself). */
const ORPHAN_PPID = 1
/** A program image loaded into a new address space, not yet installed (execve's point of no return is between). */
export interface LoadedImage {
  mm: Mm
  loaded: LoadResult
}

export class Kernel {
  readonly arena = new Arena()
  readonly decoder: Decoder
  readonly disasm: Disassembler
  readonly paths: GuestPaths
  /** The -compat profile in force. */
  readonly compat: CompatProfile
  readonly processes = new Map<number, Process>()
  threads: Thread[] = []
  private nextPid: number
  /** The first process: its status is the run's. */
  init!: Process
  /** The first process's exit status (wait(2) terms folded: 128+n for signal n), once it ended. */
  private initStatus: number | undefined
  /** Status the engine exits with, once known. */
  exitStatus: number | undefined
  private readonly hooks: LoopHooks = {}
  /** Signals raised by guest faults (delivering one is an exception, not an interrupt). */
  private readonly faults = new WeakSet<SigInfo>()
  private readonly reportedUnimp = new Set<number>()
  /** Instructions retired by threads that have ended. */
  private retiredByEnded = 0n
  private rng: () => number
  /** Futex wait queues of every address space. */
  readonly futexes = new FutexTable()
  /** Armed interval timers (setitimer, timer_create), checked by the scheduler. */
  private timers: KTimer[] = []
  /** readImage's cache, least recently read first. */
  private readonly images = new Map<string, { key: string; bytes: Uint8Array }>()

  constructor(readonly opts: KernelOptions) {
    this.decoder = new Decoder(opts.exts)
    this.compat = COMPAT[opts.compat ?? 'linux']
    this.disasm = new Disassembler(this.decoder)
    this.paths = opts.sysroot === undefined ? {} : { sysroot: opts.sysroot }
    this.nextPid = process.pid
    this.rng = makeRng(opts.seed)
    this.installLogHooks()
  }

  get log(): Log {
    return this.opts.log
  }

  /** Deterministic random bytes when -seed is given, host randomness otherwise. */
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.rng()
    return out
  }

  allocPid(): number {
    return this.nextPid++
  }

  // ---- start -------------------------------------------------------------

  /** Create the first process running `guestPath` with `argv`/`envp`. */
  start(guestPath: string, argv: string[], envp: string[]): void {
    const host = hostPathFor(this.paths, process.cwd(), guestPath)
    let image: Uint8Array
    try {
      image = fs.readFileSync(host)
    } catch (e) {
      throw new UserError(
        `${guestPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      )
    }
    const fds = new FdTable()
    const stdFlags = [O.RDONLY, O.WRONLY, O.WRONLY]
    for (let fd = 0; fd < 3; fd++) {
      try {
        fs.fstatSync(fd)
        fds.place(fd, new HostFile(fd, stdFlags[fd]!, undefined, true), false)
      } catch {
        // Closed in the parent: closed in the guest too.
      }
    }
    const pid = this.allocPid()
    const mm = new Mm(new PagedMemory(this.arena), this.newTbCache())
    const proc = new Process(pid, process.ppid, mm, fds, process.cwd(), defaultActions())
    // The engine's own process group and session (the guest's shell job control sees them).
    const ids = hostProcessIds()
    if (ids !== undefined) [proc.pgid, proc.sid] = ids
    const cpu = new Cpu(this.arena, Slot.Count, mm.mem, mm.tbs)
    const t = new Thread(pid, proc, cpu)
    proc.threads.push(t)
    this.processes.set(pid, proc)
    this.threads.push(t)
    this.init = proc
    this.exec(t, guestPath, host, image, argv, envp)
    // Plugins meet the first vCPU with the program's initial state in place.
    this.instr?.vcpuInit(cpu)
  }

  /**
   * Replace the program of `t`'s process with a fresh address space holding
   * the ELF (the first program; execve goes through loadImage/installImage).
   */
  exec(
    t: Thread,
    guestPath: string,
    hostPath: string,
    image: Uint8Array,
    argv: string[],
    envp: string[],
  ): void {
    this.installImage(t, this.loadImage(t.proc.cwd, guestPath, image, argv, envp), guestPath, hostPath, argv)
  }

  /**
   * Load a program (and its dynamic loader) into a new address space. Throws
   * UserError for an image that cannot be loaded; nothing else changes then.
   */
  loadImage(cwd: string, guestPath: string, image: Uint8Array, argv: string[], envp: string[]): LoadedImage {
    const mem = new PagedMemory(this.arena)
    let loaded: LoadResult
    try {
      loaded = loadProgram(mem, {
        guestPath,
        image,
        argv,
        envp,
        readInterp: (path) => {
          const h = hostPathFor(this.paths, cwd, path)
          try {
            return { hostPath: h, bytes: this.readImage(h) }
          } catch {
            throw new UserError(
              `${guestPath}: cannot load the dynamic loader ${path} (use -L to name the guest's root)`,
            )
          }
        },
        hwcap: hwcapOf(this.opts.exts),
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        random: this.randomBytes(16),
        vdso: this.compat.vdso,
      })
    } catch (e) {
      mem.destroy()
      throw e
    }
    const mm = new Mm(mem, this.newTbCache())
    mm.brkStart = mm.brk = loaded.brk
    mm.symbols = [
      ...loaded.main.symbols,
      ...(loaded.interp?.symbols ?? []),
      ...(loaded.vdso?.symbols ?? []),
    ].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    mm.sigtramp = loaded.sigtramp
    mm.mmapNext = loaded.mmapNext
    mm.code = { start: loaded.main.codeStart, end: loaded.main.codeEnd, entry: loaded.main.entry }
    return { mm, loaded }
  }

  /** Switch `t`'s process to a loaded image: new address space, registers reset to the entry point. */
  installImage(t: Thread, image: LoadedImage, guestPath: string, hostPath: string, argv: string[]): void {
    const p = t.proc
    const { mm, loaded } = image
    this.releaseMm(p.mm)
    p.mm = mm
    p.exePath = guestPath
    p.exeHostPath = hostPath
    p.argv = argv
    t.comm = commOf(guestPath)
    const cpu = t.cpu
    cpu.mem = mm.mem
    cpu.tbs = mm.tbs
    cpu.regs.fill(0n)
    cpu.regs[Slot.ResAddr] = 0xffff_ffff_ffff_ffffn
    cpu.regs[Slot.X0 + 2] = loaded.sp
    cpu.pc = loaded.entry
    if (this.log.on.has('page')) this.logMappings(p)
  }

  /**
   * execve's point of no return, after the new image loaded: the other
   * threads end (the caller takes over the pid), close-on-exec descriptors
   * close, caught signals revert to their default action, POSIX timers go,
   * a vfork parent resumes, and the image replaces the address space.
   * The signal mask, pending signals, ignored signals and itimers stay.
   */
  execve(t: Thread, image: LoadedImage, guestPath: string, hostPath: string, argv: string[]): void {
    const p = t.proc
    for (const o of [...p.threads]) if (o !== t) this.endThread(o)
    p.threads = [t]
    t.tid = p.pid
    if (t.clearChildTid !== 0n && p.mm.users > 1) this.clearChildTid(t)
    t.clearChildTid = 0n
    t.robustList = 0n
    t.robustListLen = 0n
    t.altstack = { sp: 0n, size: 0n, flags: 0 }
    t.savedMask = undefined
    p.fds.closeOnExec()
    p.actions = p.actions.map((a) => ({
      handler: a.handler === 1n ? 1n : 0n,
      flags: 0n,
      mask: 0n,
      restorer: 0n,
    }))
    for (const pt of p.posixTimers.values()) if (pt.timer !== undefined) this.removeTimer(pt.timer)
    p.posixTimers.clear()
    p.execed = true
    this.installImage(t, image, guestPath, hostPath, argv)
    this.wakeVforkParent(p)
  }

  /**
   * The bytes of an executable or dynamic loader, cached by path while the
   * file stays the same (size, mtime, inode): a shell running one program
   * after another reads it once. Throws the host error like readFileSync.
   */
  readImage(hostPath: string): Uint8Array {
    const st = fs.statSync(hostPath, { bigint: true })
    const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`
    const hit = this.images.get(hostPath)
    if (hit !== undefined && hit.key === key) return hit.bytes
    const bytes = fs.readFileSync(hostPath)
    this.images.delete(hostPath)
    if (bytes.length > IMAGE_CACHE_BYTES / 4) return bytes
    this.images.set(hostPath, { key, bytes })
    let total = 0
    for (const v of this.images.values()) total += v.bytes.length
    // Oldest first: keep the cache to a few tens of MB.
    for (const [k, v] of this.images) {
      if (total <= IMAGE_CACHE_BYTES || k === hostPath) break
      total -= v.bytes.length
      this.images.delete(k)
    }
    return bytes
  }

  /** Drop one user of an address space; free it with the last one. */
  releaseMm(mm: Mm): void {
    if (--mm.users === 0) {
      mm.mem.destroy()
      mm.tbs.destroy()
    }
  }

  // ---- scheduling -----------------------------------------------------------

  /**
   * Run until the last guest process has ended, as a system runs on after
   * a shell that left background jobs (orphans) behind; returns the first
   * process's exit status. Zombie children nobody waited for just vanish.
   */
  run(): number {
    const instr = this.instr
    for (;;) {
      // Every vCPU is out of its dispatch loop: the requests that brought them here are served.
      for (const t of this.threads) t.cpu.exitRequest = false
      instr?.quiescent()
      if (this.exitStatus !== undefined) return this.exitStatus
      if (this.timers.length > 0) this.fireTimers()
      let ran = false
      // A long slice only when nothing else could become due meanwhile (a timer, a timed wait).
      const runnable = this.threads.filter((t) => t.state === ThreadState.Runnable).length
      const slice =
        runnable > 1 ||
        this.timers.length > 0 ||
        this.threads.some((t) => t.state === ThreadState.Blocked && t.block?.deadline !== undefined)
          ? TIME_SLICE
          : SOLO_SLICE
      for (const t of [...this.threads]) {
        if (this.exitStatus !== undefined) break
        // A stopped process neither runs nor finishes its waits until SIGCONT.
        if (t.proc.stopped) continue
        if (t.state === ThreadState.Blocked && !this.tryWake(t)) continue
        if (t.state !== ThreadState.Runnable) continue
        // Progress even if a signal now ends the thread: its exit may wake others.
        ran = true
        this.deliver(t)
        if (t.state !== ThreadState.Runnable) continue
        this.runSlice(t, slice)
        ran = true
      }
      if (!ran && this.exitStatus === undefined) this.idle()
    }
  }

  /** Nothing can run: sleep until the earliest deadline or timer, or report a deadlock. */
  private idle(): void {
    let earliest = Number.POSITIVE_INFINITY
    for (const t of this.threads) {
      if (t.state === ThreadState.Blocked && t.block?.deadline !== undefined)
        earliest = Math.min(earliest, t.block.deadline)
    }
    for (const tm of this.timers) earliest = Math.min(earliest, tm.deadline)
    if (earliest === Number.POSITIVE_INFINITY) {
      if (this.threads.some((t) => t.state === ThreadState.Blocked || t.state === ThreadState.VforkWait)) {
        // Every thread waits for something only another thread could do: the guest would hang forever.
        const waits = this.threads.map((t) =>
          t.state === ThreadState.VforkWait ? `${t.tid} vfork` : `${t.tid} ${syscallName(t.syscallNr)}`,
        )
        throw new UserError(
          `guest deadlock: every thread is waiting and nothing can wake it (${waits.join(', ')})`,
          1,
        )
      }
      // No thread left: the last process has ended.
      this.exitStatus = this.exitStatus ?? this.initStatus ?? 0
      return
    }
    const ms = earliest - performance.now()
    if (ms > 0) {
      const cpus = this.instr === undefined ? [] : this.threads.map((t) => t.cpu)
      for (const cpu of cpus) this.instr!.idle(cpu)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
      for (const cpu of cpus) this.instr!.resume(cpu)
    }
  }

  /** Register an armed timer (it stays until removed or, one-shot, fired). */
  addTimer(tm: KTimer): void {
    if (!this.timers.includes(tm)) this.timers.push(tm)
  }

  removeTimer(tm: KTimer): void {
    const i = this.timers.indexOf(tm)
    if (i >= 0) this.timers.splice(i, 1)
  }

  /** Fire the timers whose deadline passed, in the order they were armed. */
  private fireTimers(): void {
    const now = performance.now()
    for (const tm of [...this.timers]) {
      if (tm.deadline > now) continue
      let count = 1
      if (tm.interval > 0) {
        const missed = Math.floor((now - tm.deadline) / tm.interval)
        count += missed
        tm.deadline += (missed + 1) * tm.interval
      } else {
        this.removeTimer(tm)
      }
      tm.fire(count)
    }
  }

  /**
   * Try to complete the system call `t` waits in. Returns true if it can run
   * again. A call that can complete does so even with a signal pending (as
   * a pipe read with data does); otherwise a deliverable signal interrupts
   * an interruptible wait: -EINTR, or a restart (pc still at the ecall) for
   * SA_RESTART handlers of restartable calls.
   */
  private tryWake(t: Thread): boolean {
    let b = t.block!
    const timedOut = b.deadline !== undefined && performance.now() >= b.deadline
    if (timedOut || b.ready()) {
      const r = b.finish(timedOut)
      if (!(r instanceof Block)) {
        t.block = undefined
        t.state = ThreadState.Runnable
        this.completeSyscall(t, r)
        return true
      }
      t.block = b = r
    }
    if (b.interruptible && hasDeliverable(t)) {
      b.cancel?.()
      t.block = undefined
      t.state = ThreadState.Runnable
      if (!b.restartable || !restartsAfterSignal(t)) this.completeSyscall(t, -E.INTR)
      return true
    }
    return false
  }

  private completeSyscall(t: Thread, r: bigint | number): void {
    this.syscallReturn(t, r)
    if (this.log.on.has('strace'))
      this.log.write(` = ${formatRet(r)} (resumed ${syscallLabel(t.syscallNr)})\n`)
  }

  /**
   * Act on the deliverable signals of a thread about to run user code. A
   * mask a call installed temporarily (rt_sigsuspend) that no handler frame
   * took over is restored here.
   */
  private deliver(t: Thread): void {
    if (hasDeliverable(t)) {
      const from = t.cpu.pc
      const sync = this.instr !== undefined && t.pending.some((i) => this.faults.has(i))
      deliverSignals(this, t)
      // A handler was entered: a discontinuity (synchronous signals are exceptions).
      if (this.instr !== undefined && t.state !== ThreadState.Exited && t.cpu.pc !== from)
        this.instr.discon(t.cpu, sync ? Discon.Exception : Discon.Interrupt, from, t.cpu.pc)
    }
    if (t.savedMask !== undefined && t.state === ThreadState.Runnable) {
      t.sigmask = t.savedMask
      t.savedMask = undefined
    }
  }

  private runSlice(t: Thread, budget: number): void {
    const cpu = t.cpu
    const start = cpu.retired
    while (
      t.state === ThreadState.Runnable &&
      !t.proc.stopped &&
      !cpu.exitRequest &&
      cpu.retired - start < budget
    ) {
      const exit = cpuLoop(cpu, this, budget - (cpu.retired - start), this.hooks)
      if (exit === LoopExit.Budget) return
      if (cpu.excCause === Cause.EcallU) {
        cpu.retired++
        const r = this.syscall(t)
        // exit, exit_group, a fatal signal: the CPU is gone.
        if ((t.state as ThreadState) === ThreadState.Exited) return
        if (r === NO_RETURN) {
          if (t.state !== ThreadState.Runnable) return
        } else if (r instanceof Block) {
          t.block = r
          t.state = ThreadState.Blocked
          return
        } else {
          this.syscallReturn(t, r)
          // vfork: the parent waits for the child with its result already in a0.
          if (t.state !== ThreadState.Runnable) return
        }
      } else {
        this.fault(t)
      }
      if (this.exitStatus !== undefined) return
      this.deliver(t)
      // Let other threads see the effects of a system call (a wake-up, a write to a pipe).
      if (this.threads.length > 1) return
    }
  }

  /** Translate the block at `pc` (the exec loop's Translator), with plugins' instrumentation. */
  translate(mem: PagedMemory, pc: bigint, cpu: Cpu): IrBlock {
    const ir = translateBlock(mem, this.decoder, pc, {
      maxInsns: this.opts.maxInsnsPerTb,
      stopAtPageTail: this.compat.stopAtPageTail,
    })
    return this.instr === undefined ? ir : this.instr.instrument(ir, cpu)
  }

  /** A translation cache that tells instrumentation when it is flushed. */
  newTbCache(): TbCache {
    const tbs = new TbCache(this.opts.backend)
    const instr = this.instr
    if (instr !== undefined) tbs.onFlush = () => instr.flushed()
    return tbs
  }

  /** Drop every translation of every address space (instrumentation changed). */
  flushAllCode(): void {
    for (const p of this.processes.values()) p.mm.tbs.flush()
  }

  /** Make every vCPU leave its dispatch loop soon, so that the next quiescent point comes. */
  requestQuiescence(): void {
    for (const t of this.threads) t.cpu.exitRequest = true
  }

  /** The vCPUs alive now. */
  cpus(): Cpu[] {
    return this.threads.map((t) => t.cpu)
  }

  /** Instrumentation, when plugins are installed. */
  private get instr(): Instrumentation | undefined {
    const i = this.opts.instrumentation
    return i?.active === true ? i : undefined
  }

  /** Finish a system call with result `r`: a0, the PC past the ecall, plugins' return callbacks. */
  private syscallReturn(t: Thread, r: bigint | number): void {
    const cpu = t.cpu
    const v = BigInt.asUintN(64, BigInt(r))
    cpu.regs[Slot.X0 + 10] = v
    cpu.pc += 4n
    this.instr?.syscallRet(cpu, cpu.pc, BigInt(t.syscallNr), BigInt.asIntN(64, v))
  }

  /** A guest fault: log it under -d int and queue the signal Linux would send. */
  private fault(t: Thread): void {
    const cpu = t.cpu
    const info = faultSignal(cpu.excCause, cpu.excTval, cpu.pc, cpu.excPermission)
    if (this.log.on.has('int')) {
      this.log.write(
        `rvscope: exception ${cpu.excCause} (${CAUSE_NAMES[cpu.excCause] ?? 'unknown'}) at pc 0x${cpu.pc.toString(16)}` +
          `, tval 0x${cpu.excTval.toString(16)}: signal ${info.signo}\n`,
      )
    }
    this.faults.add(info)
    t.pending.push(info)
  }

  private syscall(t: Thread): SyscallResult {
    const r = t.cpu.regs
    const nr = Number(r[Slot.X0 + 17]!)
    t.syscallNr = nr
    const instr = this.instr
    if (instr !== undefined) {
      const cpu = t.cpu
      // Plugins see the PC the call returns to, as QEMU's do.
      const f = instr.syscall(cpu, cpu.pc + 4n, BigInt.asIntN(64, r[17]!), [
        r[10]!,
        r[11]!,
        r[12]!,
        r[13]!,
        r[14]!,
        r[15]!,
        r[16]!,
        r[17]!,
      ])
      if (f !== undefined) {
        if (f.redirect !== undefined) {
          // Skipped, continuing elsewhere: a0 gets the filter's result if it gave one.
          if (f.result !== undefined) r[10] = f.result
          cpu.pc = f.redirect
          return NO_RETURN
        }
        return f.result!
      }
    }
    return dispatchSyscall(this, t, nr, [r[10]!, r[11]!, r[12]!, r[13]!, r[14]!, r[15]!])
  }

  /** -d unimp: report each unknown system call once. */
  reportUnimplemented(nr: number): void {
    if (this.log.on.has('unimp') && !this.reportedUnimp.has(nr)) {
      this.reportedUnimp.add(nr)
      this.log.write(`Unsupported syscall: ${nr}\n`)
    }
  }

  // ---- processes --------------------------------------------------------

  /** The live or zombie process `pid`. */
  findProcess(pid: number): Process | undefined {
    return this.processes.get(pid)
  }

  /** The live thread `tid`. */
  findThread(tid: number): Thread | undefined {
    const p = this.processes.get(tid)
    const leader = p?.threads.find((t) => t.tid === tid)
    if (leader !== undefined) return leader
    return this.threads.find((t) => t.tid === tid)
  }

  /**
   * End every thread of `p` and make it a zombie with `waitStatus` (wait(2)
   * encoding): descriptors close, the address space is released (a vfork
   * parent resumes), children become orphans, the parent gets its exit
   * signal. The first process's status becomes the run's (see run()).
   */
  exitProcess(p: Process, waitStatus: number): void {
    if (p.zombie) return
    for (const t of p.threads) {
      releaseRobustList(this, t)
      if (t.clearChildTid !== 0n && p.mm.users > 1) this.clearChildTid(t)
    }
    for (const t of [...p.threads]) this.endThread(t)
    p.threads = []
    for (const tm of p.itimers) if (tm !== undefined) this.removeTimer(tm)
    p.itimers = [undefined, undefined, undefined]
    for (const pt of p.posixTimers.values()) if (pt.timer !== undefined) this.removeTimer(pt.timer)
    p.posixTimers.clear()
    p.pending = []
    p.fds.closeAll()
    this.releaseMm(p.mm)
    p.zombie = true
    p.waitStatus = waitStatus
    this.wakeVforkParent(p)
    for (const c of p.children) {
      // Orphans: reparented to the (host's) init, which reaps them at once.
      c.ppid = ORPHAN_PPID
      if (c.pdeathsig !== 0) sendToProcess(this, c, { signo: c.pdeathsig, code: SiCode.KERNEL })
      if (c.zombie) {
        c.reaped = true
        this.processes.delete(c.pid)
      }
    }
    p.children.clear()
    const parent = this.processes.get(p.ppid)
    if (parent !== undefined && !parent.zombie && p !== this.init) {
      parent.children.add(p)
      if (p.exitSignal !== 0) {
        const exited = (waitStatus & 0x7f) === 0
        const info: SigInfo = {
          signo: p.exitSignal,
          code: exited ? SiCode.CLD_EXITED : waitStatus & 0x80 ? SiCode.CLD_DUMPED : SiCode.CLD_KILLED,
          pid: p.pid,
          uid: process.getuid?.() ?? 0,
          status: exited ? (waitStatus >> 8) & 0xff : waitStatus & 0x7f,
        }
        sendToProcess(this, parent, info)
      }
      // SIGCHLD ignored or SA_NOCLDWAIT: nobody waits, the child is reaped at once.
      const chld = parent.actions[Sig.CHLD]!
      if (p.exitSignal === Sig.CHLD && (chld.handler === 1n || (chld.flags & SA_NOCLDWAIT) !== 0n))
        p.reaped = true
    } else {
      p.reaped = true
    }
    if (p.reaped) {
      this.processes.delete(p.pid)
      parent?.children.delete(p)
    }
    if (p === this.init) {
      const sig = waitStatus & 0x7f
      this.initStatus = sig === 0 ? (waitStatus >> 8) & 0xff : 128 + sig
    }
  }

  /**
   * exit(2) of one thread: CLONE_CHILD_CLEARTID and the robust futex list
   * are handled, and the last thread ending ends the process with `status`.
   */
  exitThread(t: Thread, status: number): void {
    const p = t.proc
    if (p.threads.filter((x) => x.state !== ThreadState.Exited).length <= 1) {
      this.exitProcess(p, (status & 0xff) << 8)
      return
    }
    releaseRobustList(this, t)
    if (t.clearChildTid !== 0n) this.clearChildTid(t)
    this.endThread(t)
  }

  /** CLONE_CHILD_CLEARTID: write 0 to the tid word and wake one waiter (pthread_join). */
  private clearChildTid(t: Thread): void {
    const mm = t.proc.mm
    try {
      mm.mem.store(t.clearChildTid, 4, 0n)
      this.futexes.wake(mm, t.clearChildTid, undefined, 1, 0xffff_ffff)
    } catch {
      // A bad address is ignored, as the kernel does.
    }
    t.clearChildTid = 0n
  }

  /** Remove a thread from scheduling (its process may live on). */
  endThread(t: Thread): void {
    if (t.state === ThreadState.Exited) return
    t.block?.cancel?.()
    t.state = ThreadState.Exited
    t.block = undefined
    this.threads = this.threads.filter((x) => x !== t)
    t.proc.threads = t.proc.threads.filter((x) => x !== t)
    this.retiredByEnded += BigInt(t.cpu.retired)
    this.instr?.vcpuExit(t.cpu)
    t.cpu.dispose()
  }
  /** Guest instructions retired by every thread so far (-stats). */
  retiredInstructions(): bigint {
    return this.threads.reduce((n, t) => n + BigInt(t.cpu.retired), this.retiredByEnded)
  }

  wakeVforkParent(p: Process): void {
    const vp = p.vforkParent
    if (vp !== undefined) {
      p.vforkParent = undefined
      if (vp.state === ThreadState.VforkWait) vp.state = ThreadState.Runnable
    }
  }

  /** Register a new runnable thread (it runs from the next scheduling round). */
  addThread(t: Thread): void {
    this.threads.push(t)
    this.instr?.vcpuInit(t.cpu)
  }

  // ---- logging ------------------------------------------------------------

  private installLogHooks(): void {
    const log = this.log
    const inAsm = log.on.has('in_asm')
    const irLog = log.on.has('op')
    if (inAsm || irLog) {
      this.hooks.onTranslate = (tb) => {
        if (irLog) log.write(formatBlock(tb))
        if (!inAsm) return
        const sym = this.currentSymbol(tb.pc)
        let s = `----------------\nIN: ${sym ?? ''}\n`
        for (const i of tb.insns) {
          const raw =
            i.len === 2
              ? i.bits.toString(16).padStart(4, '0').padEnd(8)
              : (i.bits >>> 0).toString(16).padStart(8, '0')
          s += `0x${i.pc.toString(16).padStart(16, '0')}:  ${raw}          ${this.disasm.disassemble(i.bits, i.len as 2 | 4, i.pc)}\n`
        }
        log.write(`${s}\n`)
      }
    }
    const exec = log.on.has('exec')
    const cpuDump = log.on.has('cpu')
    if (exec || cpuDump) {
      this.hooks.onExec = (tb, cpu) => {
        if (cpuDump) log.write(formatCpuState(cpu.regs, cpu.pc))
        if (exec) {
          const sym = this.currentSymbol(tb.pc) ?? ''
          log.write(
            `Trace 0: 0x0 [0000000000000000/${tb.pc.toString(16).padStart(16, '0')}/00000000/00000000] ${sym}\n`,
          )
        }
      }
    }
  }

  private current?: Mm
  private currentSymbol(pc: bigint): string | undefined {
    return (this.current ?? this.init?.mm)?.symbolAt(pc)
  }

  private logMappings(p: Process): void {
    let s = 'start            end              size             prot\n'
    let runStart = -1
    let runEnd = -1
    let runProt = -1
    const flush = () => {
      if (runStart < 0) return
      const prot = `${runProt & 1 ? 'r' : '-'}${runProt & 2 ? 'w' : '-'}${runProt & 4 ? 'x' : '-'}`
      const a = BigInt(runStart) << 12n
      const b = BigInt(runEnd) << 12n
      s += `${a.toString(16).padStart(16, '0')}-${b.toString(16).padStart(16, '0')} ${(b - a).toString(16).padStart(16, '0')} ${prot}\n`
    }
    for (const [page, prot] of p.mm.mem.mappedPages()) {
      if (page === runEnd && prot === runProt) {
        runEnd++
        continue
      }
      flush()
      runStart = page
      runEnd = page + 1
      runProt = prot
    }
    flush()
    this.log.write(s)
  }
}

const CAUSE_NAMES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store/AMO address misaligned',
  7: 'store/AMO access fault',
  12: 'instruction page fault',
  13: 'load page fault',
  15: 'store/AMO page fault',
}

/** Thread name from a program path (comm: 15 bytes). */
export function commOf(path: string): string {
  return (path.slice(path.lastIndexOf('/') + 1) || path).slice(0, 15)
}

/** The engine's process group and session ids, from /proc/self/stat (Linux hosts). */
function hostProcessIds(): [number, number] | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const pgid = Number(f[2])
    const sid = Number(f[3])
    return Number.isInteger(pgid) && Number.isInteger(sid) ? [pgid, sid] : undefined
  } catch {
    return undefined
  }
}

/** Every signal starts with the default action. */
export function defaultActions(): SigAction[] {
  return Array.from({ length: 65 }, () => ({ handler: 0n, flags: 0n, mask: 0n, restorer: 0n }))
}

/** AT_HWCAP: one bit per single-letter extension ('a' = bit 0), as Linux reports them. */
function hwcapOf(exts: ReadonlySet<Ext>): bigint {
  let v = 0n
  for (const e of exts) if (e.length === 1) v |= 1n << BigInt(e.charCodeAt(0) - 97)
  return v
}

/** SA_RESTART of the handler the next deliverable signal would run. */
function restartsAfterSignal(t: Thread): boolean {
  const SA_RESTART = 0x10000000n
  const info = peekDeliverable(t)
  if (info === undefined) return false
  return (t.proc.actions[info.signo]!.flags & SA_RESTART) !== 0n
}

function makeRng(seed: bigint | undefined): () => number {
  if (seed === undefined) {
    const { randomBytes } = globalThis.crypto
      ? { randomBytes: (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n)) }
      : { randomBytes: (n: number) => new Uint8Array(n) }
    let pool = randomBytes(256)
    let i = 0
    return () => {
      if (i === pool.length) {
        pool = randomBytes(256)
        i = 0
      }
      return pool[i++]!
    }
  }
  // xorshift64*: reproducible streams for -seed.
  let s = BigInt.asUintN(64, seed ^ 0x9e3779b97f4a7c15n) || 1n
  return () => {
    s ^= s >> 12n
    s ^= BigInt.asUintN(64, s << 25n)
    s ^= s >> 27n
    return Number((BigInt.asUintN(64, s * 0x2545f4914f6cdd1dn) >> 56n) & 0xffn)
  }
}

export function formatRet(r: bigint | number): string {
  const v = BigInt(r)
  if (v < 0n && v > -4096n) return `-1 errno=${-v}`
  return v < 0n || v > 0xffffn ? `0x${BigInt.asUintN(64, v).toString(16)}` : String(v)
}

export function syscallLabel(nr: number): string {
  return `syscall ${nr}`
}
