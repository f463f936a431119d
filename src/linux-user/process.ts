/**
 * Guest processes and threads as the user-mode kernel keeps them.
 *
 * A `Process` owns an address space (`Mm`, shared with CLONE_VM children
 * such as vfork), a descriptor table, a working directory, signal actions
 * and its threads. A `Thread` owns a CPU, a signal mask, pending
 * thread-directed signals and, while a system call waits, its Block.
 */
import type { PagedMemory } from '../core/paged-memory.js'
import type { Cpu } from '../exec/cpu.js'
import { TbCache } from '../exec/tb-cache.js'
import type { Block } from './block.js'
import type { ElfSymbol } from './elf.js'
import type { FdTable } from './fd.js'
import type { SigInfo } from './signal-types.js'

/** An address space and what user mode tracks about it. */
export class Mm {
  /** Processes using this address space (CLONE_VM shares it). */
  users = 1
  brkStart = 0n
  brk = 0n
  /** Symbols of the loaded images, sorted by address (for logs and plugins). */
  symbols: ElfSymbol[] = []
  /** Guest address of the signal-return trampoline. */
  sigtramp = 0n
  /** The main program's code extent and entry point (plugins' start_code, end_code, entry_code). */
  code = { start: 0n, end: 0n, entry: 0n }
  /** Where the next mmap without a usable hint starts looking (moves upward, like QEMU's mmap_next_start). */
  mmapNext = 0n

  constructor(
    readonly mem: PagedMemory,
    readonly tbs: TbCache,
  ) {
    // Guest stores into translated code drop exactly the blocks they change.
    mem.onCodeWrite = (addr) => {
      if (!tbs.invalidateStore(addr)) mem.unmarkCode(addr)
    }
  }

  /**
   * A copy-on-write copy for fork: a new page table sharing frames, fresh
   * translations, and every other field (brk, symbols, whatever the memory
   * system calls track) copied.
   */
  fork(): Mm {
    const tbs = new TbCache(this.tbs.backend)
    tbs.onFlush = this.tbs.onFlush
    const m = new Mm(this.mem.fork(), tbs)
    for (const [key, v] of Object.entries(this)) {
      if (key === 'mem' || key === 'tbs' || key === 'users') continue
      ;(m as unknown as Record<string, unknown>)[key] = copyField(v)
    }
    return m
  }

  /** Name of the function containing `pc`, if the images have symbols. */
  symbolAt(pc: bigint): string | undefined {
    const s = this.symbols
    let lo = 0
    let hi = s.length - 1
    let best: ElfSymbol | undefined
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (s[mid]!.value <= pc) {
        best = s[mid]
        lo = mid + 1
      } else hi = mid - 1
    }
    if (best === undefined) return undefined
    return pc < best.value + (best.size === 0n ? 1n : best.size) ? best.name : undefined
  }
}

/** Copy of a Mm field for fork: containers are copied one level deep, values shared. */
function copyField(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice()
  if (v instanceof Map) return new Map(v)
  if (v instanceof Set) return new Set(v)
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return { ...v }
  return v
}

/** sigaction(2) state of one signal. */
export interface SigAction {
  /** SIG_DFL (0), SIG_IGN (1) or handler address. */
  handler: bigint
  flags: bigint
  mask: bigint
  restorer: bigint
}

export const enum ThreadState {
  Runnable = 0,
  Blocked = 1,
  /** Stopped by a vfork child that has not exec'd or exited yet. */
  VforkWait = 2,
  Exited = 3,
}

/** An interval timer of the kernel's timer list (setitimer, timer_create). */
export interface KTimer {
  /** Host time (ms, performance.now()) of the next expiry. */
  deadline: number
  /** Reload interval in ms; 0 for a one-shot timer. */
  interval: number
  /** Called by the scheduler at expiry with the number of expiries (1 + overruns). */
  fire(count: number): void
}

/** A POSIX timer (timer_create). */
export interface PosixTimer {
  id: number
  clock: number
  /** SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD_ID 4. */
  notify: number
  signo: number
  value: bigint
  /** Target thread for SIGEV_THREAD_ID. */
  tid: number
  overrun: number
  /** Armed timer, in the kernel's list. */
  timer?: KTimer | undefined
}

export class Thread {
  state = ThreadState.Runnable
  block?: Block<bigint | number> | undefined
  /** Blocked signals (bit n-1 for signal n). */
  sigmask = 0n
  /** Mask to restore after a handler that rt_sigsuspend/ppoll/pselect installed temporarily. */
  savedMask?: bigint | undefined
  pending: SigInfo[] = []
  /** CLONE_CHILD_CLEARTID / set_tid_address. */
  clearChildTid = 0n
  robustList = 0n
  robustListLen = 0n
  altstack = { sp: 0n, size: 0n, flags: 0 }
  /** The system call number a blocked thread waits in (for restart and strace). */
  syscallNr = 0
  /** Thread name (PR_SET_NAME, /proc/self/comm): 15 bytes at most. */
  comm = ''

  constructor(
    /** Thread id; the thread group leader's is the pid. execve by another thread takes over the pid. */
    public tid: number,
    public proc: Process,
    readonly cpu: Cpu,
  ) {}
}

export class Process {
  threads: Thread[] = []
  children = new Set<Process>()
  /** Process-directed pending signals. */
  pending: SigInfo[] = []
  /** Wait status once a zombie (as wait4 reports it). */
  waitStatus?: number | undefined
  zombie = false
  /** Whether the parent has already collected this zombie. */
  reaped = false
  /** Stopped by a job-control signal: none of its threads runs until SIGCONT. */
  stopped = false
  /** The last stop ((sig << 8) | 0x7f) or continue (0xffff) not yet collected by a WUNTRACED/WCONTINUED wait. */
  jobReport?: number | undefined
  /** Guest path of the executable (AT_EXECFN, /proc/self/exe). */
  exePath = ''
  /** Host path of the executable. */
  exeHostPath = ''
  argv: string[] = []
  umask = 0o022
  pgid: number
  sid: number
  /** The parent thread stopped until this vfork child execs or exits. */
  vforkParent?: Thread | undefined
  /** Signal to send the parent on exit (SIGCHLD unless clone said otherwise). */
  exitSignal = 17
  /** Nice value (getpriority/setpriority). */
  nice = 0
  /** PR_SET_PDEATHSIG (accepted, recorded). */
  pdeathsig = 0
  personality = 0
  /** Set once the process has called execve (setpgid on such a child fails with EACCES). */
  execed = false
  /** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF (wall-clock driven). */
  itimers: (KTimer | undefined)[] = [undefined, undefined, undefined]
  /** POSIX timers by id. */
  posixTimers = new Map<number, PosixTimer>()

  constructor(
    readonly pid: number,
    public ppid: number,
    public mm: Mm,
    public fds: FdTable,
    /** Host path of the working directory. */
    public cwd: string,
    /** Signal actions, index = signal number (shared with CLONE_SIGHAND threads, i.e. all threads here). */
    public actions: SigAction[],
  ) {
    this.pgid = pid
    this.sid = pid
  }

  get alive(): boolean {
    return !this.zombie
  }
}
