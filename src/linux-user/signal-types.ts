/** Signal numbers and the siginfo the kernel records with a pending signal. */

export const enum Sig {
  HUP = 1,
  INT = 2,
  QUIT = 3,
  ILL = 4,
  TRAP = 5,
  ABRT = 6,
  BUS = 7,
  FPE = 8,
  KILL = 9,
  USR1 = 10,
  SEGV = 11,
  USR2 = 12,
  PIPE = 13,
  ALRM = 14,
  TERM = 15,
  STKFLT = 16,
  CHLD = 17,
  CONT = 18,
  STOP = 19,
  TSTP = 20,
  TTIN = 21,
  TTOU = 22,
  URG = 23,
  XCPU = 24,
  XFSZ = 25,
  VTALRM = 26,
  PROF = 27,
  WINCH = 28,
  IO = 29,
  PWR = 30,
  SYS = 31,
}

export const NSIG = 64

/** si_code values (include/uapi/asm-generic/siginfo.h). */
export const enum SiCode {
  USER = 0,
  KERNEL = 0x80,
  QUEUE = -1,
  TIMER = -2,
  TKILL = -6,
  SEGV_MAPERR = 1,
  SEGV_ACCERR = 2,
  BUS_ADRALN = 1,
  ILL_ILLOPC = 1,
  TRAP_BRKPT = 1,
  CLD_EXITED = 1,
  CLD_KILLED = 2,
  CLD_DUMPED = 3,
  CLD_STOPPED = 5,
  CLD_CONTINUED = 6,
}

export interface SigInfo {
  signo: number
  code: number
  errno?: number
  /** Sender pid/uid (kill, tgkill, SIGCHLD). */
  pid?: number
  uid?: number
  /** Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE). */
  addr?: bigint
  /** SIGCHLD: exit status or signal. */
  status?: number
  /** sigqueue / timer value. */
  value?: bigint
  /** POSIX timers (SI_TIMER): timer id and overrun count. */
  timerId?: number
  overrun?: number
  /** Timer signal: the timer, so that a pending expiry is not queued twice (overrun counted instead). */
  timer?: object
  /** Set for faults: the signal cannot be blocked or ignored (force_sig). */
  forced?: boolean
}

export const sigBit = (sig: number): bigint => 1n << BigInt(sig - 1)
