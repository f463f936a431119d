/**
 * Process and thread system calls: clone/clone3 (fork, vfork, threads),
 * exit, execve, wait4/waitid, identities, process groups and sessions.
 *
 * Every guest process and thread lives in this engine; execve loads a
 * RISC-V ELF (or a `#!` script's interpreter) through the -L lookup, never
 * a host program.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UserError } from '../../core/errors.js'
import { Cpu } from '../../exec/cpu.js'
import { Slot } from '../../target/riscv/cpu.js'
import { Block } from '../block.js'
import { parseElf } from '../elf.js'
import { E, hostErrno } from '../errno.js'
import { hostPathFor } from '../paths.js'
import { Process, Thread, ThreadState } from '../process.js'
import { SiCode, Sig } from '../signal-types.js'
import { writeSiginfo } from '../signals.js'
import { NO_RETURN } from '../syscall-types.js'
import {
  getU64,
  int,
  putU32,
  putU64,
  readString,
  readStringArray,
  type Sys,
  type SyscallTable,
} from './context.js'

// ---- clone -----------------------------------------------------------------

const CSIGNAL = 0xff
const CLONE_VM = 0x100
// CLONE_FS (0x200) and CLONE_FILES (0x400) are accepted: threads share the Process; processes get copies.
const CLONE_SIGHAND = 0x800
const CLONE_PIDFD = 0x1000
const CLONE_VFORK = 0x4000
const CLONE_PARENT = 0x8000
const CLONE_THREAD = 0x10000
const CLONE_SETTLS = 0x80000
const CLONE_PARENT_SETTID = 0x100000
const CLONE_CHILD_CLEARTID = 0x200000
const CLONE_CHILD_SETTID = 0x1000000
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME. */
const CLONE_NAMESPACES =
  0x20000 | 0x2000000 | 0x4000000 | 0x8000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80
/** CLONE_CLEAR_SIGHAND (clone3 only). */
const CLONE_CLEAR_SIGHAND = 0x100000000n
const CLONE_INTO_CGROUP = 0x200000000n

const RES_NONE = 0xffff_ffff_ffff_ffffn

interface CloneArgs {
  flags: number
  exitSignal: number
  /** New stack pointer, 0 to keep the parent's. */
  sp: bigint
  parentTid: bigint
  childTid: bigint
  tls: bigint
  clearSighand: boolean
}

const uid = (): number => process.getuid?.() ?? 0
const gid = (): number => process.getgid?.() ?? 0

/** A CPU for a new thread: the caller's registers, resuming after the ecall with a0 = 0. */
function childCpu(s: Sys, mm: Process['mm'], c: CloneArgs): Cpu {
  const cpu = new Cpu(s.k.arena, Slot.Count, mm.mem, mm.tbs)
  cpu.copyFrom(s.t.cpu)
  cpu.pc = s.t.cpu.pc + 4n
  cpu.regs[Slot.X0 + 10] = 0n
  cpu.regs[Slot.ResAddr] = RES_NONE
  if (c.sp !== 0n) cpu.regs[Slot.X0 + 2] = c.sp
  if (c.flags & CLONE_SETTLS) cpu.regs[Slot.X0 + 4] = c.tls
  return cpu
}

function doClone(s: Sys, c: CloneArgs): number {
  const f = c.flags
  const { k, t, p } = s
  if (f & CLONE_THREAD && !(f & CLONE_SIGHAND)) return -E.INVAL
  if (f & CLONE_SIGHAND && !(f & CLONE_VM)) return -E.INVAL
  if (c.clearSighand && f & CLONE_SIGHAND) return -E.INVAL
  if (f & CLONE_NAMESPACES) return -E.PERM
  if (f & CLONE_PIDFD) return -E.INVAL
  if (f & CLONE_THREAD) {
    const tid = k.allocPid()
    const nt = new Thread(tid, p, childCpu(s, p.mm, c))
    nt.sigmask = t.sigmask
    nt.comm = t.comm
    if (f & CLONE_CHILD_CLEARTID) nt.clearChildTid = c.childTid
    try {
      if (f & CLONE_CHILD_SETTID) putU32(s.mem, c.childTid, tid)
      if (f & CLONE_PARENT_SETTID) putU32(s.mem, c.parentTid, tid)
    } catch {
      // The kernel ignores a bad tid pointer here.
    }
    p.threads.push(nt)
    k.addThread(nt)
    return tid
  }
  // A new process: fork (copy-on-write), vfork or CLONE_VM (shared address space).
  const parent = f & CLONE_PARENT ? k.findProcess(p.ppid) : p
  const pid = k.allocPid()
  let mm: Process['mm']
  if (f & CLONE_VM) {
    mm = p.mm
    mm.users++
  } else {
    mm = p.mm.fork()
  }
  // CLONE_FILES is approximated by a copy: the tables do not stay shared.
  const fds = p.fds.clone()
  const actions =
    f & CLONE_SIGHAND
      ? p.actions
      : p.actions.map((a) =>
          c.clearSighand && a.handler > 1n ? { handler: 0n, flags: 0n, mask: 0n, restorer: 0n } : { ...a },
        )
  const child = new Process(pid, parent?.pid ?? p.ppid, mm, fds, p.cwd, actions)
  child.umask = p.umask
  child.pgid = p.pgid
  child.sid = p.sid
  child.exePath = p.exePath
  child.exeHostPath = p.exeHostPath
  child.argv = p.argv
  child.nice = p.nice
  child.personality = p.personality
  child.exitSignal = c.exitSignal
  const ct = new Thread(pid, child, childCpu(s, mm, c))
  ct.sigmask = t.sigmask
  ct.comm = t.comm
  // A new stack in the same address space starts without the alternate stack.
  if ((f & (CLONE_VM | CLONE_VFORK)) !== CLONE_VM) ct.altstack = { ...t.altstack }
  if (f & CLONE_CHILD_CLEARTID) ct.clearChildTid = c.childTid
  try {
    if (f & CLONE_CHILD_SETTID) putU32(mm.mem, c.childTid, pid)
    if (f & CLONE_PARENT_SETTID) putU32(p.mm.mem, c.parentTid, pid)
  } catch {
    // Ignored, as the kernel does.
  }
  child.threads.push(ct)
  k.processes.set(pid, child)
  parent?.children.add(child)
  k.addThread(ct)
  if (f & CLONE_VFORK) {
    child.vforkParent = t
    t.state = ThreadState.VforkWait
  }
  return pid
}

/** clone(flags, newsp, parent_tidptr, tls, child_tidptr): the riscv64 argument order. */
function clone(s: Sys, a: readonly bigint[]): number {
  const flags = Number(a[0]! & 0xffff_ffffn)
  return doClone(s, {
    flags: flags & ~CSIGNAL,
    exitSignal: flags & CSIGNAL,
    sp: a[1]!,
    parentTid: a[2]!,
    tls: a[3]!,
    childTid: a[4]!,
    clearSighand: false,
  })
}

/** clone3(struct clone_args *, size). */
function clone3(s: Sys, a: readonly bigint[]): number {
  const args = a[0]!
  const sz = a[1]!
  if (sz < 64n) return -E.INVAL
  if (sz > 4096n) return -E.TOOBIG
  const m = s.mem
  const flags = getU64(m, args)
  const childTid = getU64(m, args + 16n)
  const parentTid = getU64(m, args + 24n)
  const exitSignal = getU64(m, args + 32n)
  const stack = getU64(m, args + 40n)
  const stackSize = getU64(m, args + 48n)
  const tls = getU64(m, args + 56n)
  const setTidSize = sz >= 80n ? getU64(m, args + 72n) : 0n
  if (flags & BigInt(CSIGNAL) || flags & CLONE_INTO_CGROUP || flags >> 34n !== 0n) return -E.INVAL
  if (exitSignal > 64n) return -E.INVAL
  if ((stack === 0n) !== (stackSize === 0n)) return -E.INVAL
  if (setTidSize !== 0n) return -E.PERM
  return doClone(s, {
    flags: Number(flags & 0xffff_ffffn),
    exitSignal: Number(exitSignal),
    sp: stack === 0n ? 0n : stack + stackSize,
    parentTid,
    childTid,
    tls,
    clearSighand: (flags & CLONE_CLEAR_SIGHAND) !== 0n,
  })
}

// ---- exit ------------------------------------------------------------------

function exitGroup(s: Sys, a: readonly bigint[]): typeof NO_RETURN {
  s.k.exitProcess(s.p, (int(a[0]!) & 0xff) << 8)
  return NO_RETURN
}

function exit(s: Sys, a: readonly bigint[]): typeof NO_RETURN {
  s.k.exitThread(s.t, int(a[0]!))
  return NO_RETURN
}

// ---- execve ----------------------------------------------------------------

const AT_FDCWD = -100
const AT_SYMLINK_NOFOLLOW = 0x100
const AT_EMPTY_PATH = 0x1000
/** binfmt_script's buffer: the `#!` line must fit. */
const BINPRM_BUF_SIZE = 256
const EM_RISCV = 243
/** Nested interpreters binfmt_script accepts. */
const MAX_SCRIPT_DEPTH = 4

interface Executable {
  /** Path as the guest named it (AT_EXECFN). */
  guestPath: string
  /** Host path of the ELF actually loaded (/proc/self/exe). */
  hostPath: string
  image: Uint8Array
  argv: string[]
}

/** Read an executable, following `#!` lines; a negative errno when it cannot run. */
function findExecutable(
  s: Sys,
  guestPath: string,
  hostPath: string,
  argv: string[],
  depth: number,
): Executable | number {
  let st: fs.Stats
  try {
    st = fs.statSync(hostPath)
  } catch (e) {
    return hostErrno(e)
  }
  if (!st.isFile()) return -E.ACCES
  try {
    fs.accessSync(hostPath, fs.constants.X_OK)
  } catch {
    return -E.ACCES
  }
  // The first bytes decide (binfmt_script, binfmt_elf): a foreign file is never read whole.
  const head = new Uint8Array(BINPRM_BUF_SIZE)
  let headLen: number
  try {
    const fd = fs.openSync(hostPath, 'r')
    try {
      headLen = fs.readSync(fd, head, 0, head.length, 0)
    } finally {
      fs.closeSync(fd)
    }
  } catch (e) {
    return hostErrno(e)
  }
  const isScript = headLen >= 2 && head[0] === 0x23 && head[1] === 0x21
  const isElf = headLen >= 20 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46
  if (!isScript && (!isElf || head[4] !== 2 || head[5] !== 1 || (head[18]! | (head[19]! << 8)) !== EM_RISCV))
    return -E.NOEXEC
  let image: Uint8Array
  try {
    image = isScript ? head.subarray(0, headLen) : s.k.readImage(hostPath)
  } catch (e) {
    return hostErrno(e)
  }
  if (isScript) {
    // binfmt_script: interpreter, one optional argument (the rest of the line), the script path.
    if (depth >= MAX_SCRIPT_DEPTH) return -E.LOOP
    const text = new TextDecoder('latin1').decode(image.subarray(2))
    const nl = text.indexOf('\n')
    if (nl < 0 && headLen === BINPRM_BUF_SIZE) return -E.NOEXEC
    const line = (nl < 0 ? text : text.slice(0, nl)).replace(/^[ \t]+|[ \t]+$/g, '')
    const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line)
    if (m === null) return -E.NOEXEC
    const interp = m[1]!
    const arg = m[2]
    const newArgv = [interp, ...(arg !== undefined && arg !== '' ? [arg] : []), guestPath, ...argv.slice(1)]
    const r = findExecutable(s, interp, hostPathFor(s.k.paths, s.p.cwd, interp), newArgv, depth + 1)
    // The script itself is what the process runs (AT_EXECFN names it).
    return typeof r === 'number' ? r : { ...r, guestPath: depth === 0 ? guestPath : r.guestPath }
  }
  let elf: ReturnType<typeof parseElf>
  try {
    elf = parseElf(hostPath, image)
  } catch (e) {
    if (e instanceof UserError) return -E.NOEXEC
    throw e
  }
  if (elf.interp !== undefined && !fs.existsSync(hostPathFor(s.k.paths, s.p.cwd, elf.interp))) return -E.NOENT
  return { guestPath, hostPath, image, argv }
}

function doExecve(
  s: Sys,
  dirfd: number,
  pathAddr: bigint,
  argvAddr: bigint,
  envpAddr: bigint,
  flags: number,
) {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.INVAL
  const name = readString(s.mem, pathAddr)
  const argv = readStringArray(s.mem, argvAddr)
  const envp = readStringArray(s.mem, envpAddr)
  let host: string
  let guest = name
  if (name === '') {
    if (!(flags & AT_EMPTY_PATH)) return -E.NOENT
    const f = dirfd === AT_FDCWD ? undefined : s.p.fds.get(dirfd)
    if (f === undefined) return -E.BADF
    if (f.path === undefined) return -E.ACCES
    host = f.path
    guest = `/dev/fd/${dirfd}`
  } else if (name === '/proc/self/exe' || name === `/proc/${s.p.pid}/exe`) {
    // The process's own program (busybox re-executes itself this way), not the engine's.
    host = s.p.exeHostPath
    guest = s.p.exePath
  } else if (name.startsWith('/') || dirfd === AT_FDCWD) {
    host = hostPathFor(s.k.paths, s.p.cwd, name)
  } else {
    const dir = s.p.fds.get(dirfd)
    if (dir === undefined) return -E.BADF
    if (dir.path === undefined) return -E.NOTDIR
    host = path.resolve(dir.path, name)
    guest = `/dev/fd/${dirfd}/${name}`
  }
  if (flags & AT_SYMLINK_NOFOLLOW) {
    try {
      if (fs.lstatSync(host).isSymbolicLink()) return -E.LOOP
    } catch (e) {
      return hostErrno(e)
    }
  }
  const exe = findExecutable(s, guest, host, argv, 0)
  if (typeof exe === 'number') return exe
  let image: ReturnType<typeof s.k.loadImage>
  try {
    image = s.k.loadImage(s.p.cwd, exe.guestPath, exe.image, exe.argv, envp)
  } catch (e) {
    if (e instanceof UserError) return -E.NOEXEC
    throw e
  }
  s.k.execve(s.t, image, exe.guestPath, exe.hostPath, exe.argv)
  return NO_RETURN
}

// ---- wait ------------------------------------------------------------------

const WNOHANG = 1
const WUNTRACED = 2
const WEXITED = 4
const WCONTINUED = 8
const WNOWAIT = 0x0100_0000
const __WNOTHREAD = 0x2000_0000
const __WALL = 0x4000_0000
const __WCLONE = 0x8000_0000

const P_ALL = 0
const P_PID = 1
const P_PGID = 2
const P_PIDFD = 3

type Selector = (c: Process) => boolean

/** Children of `p` (any of its threads' children: they share them) that `select` and the clone options accept. */
function candidates(p: Process, select: Selector, options: number): Process[] {
  const out: Process[] = []
  for (const c of p.children) {
    if (c.reaped || !select(c)) continue
    // __WCLONE waits for children that signal something else than SIGCHLD on exit, __WALL for all.
    if (!(options & __WALL) && ((options & __WCLONE) !== 0) !== (c.exitSignal !== Sig.CHLD)) continue
    out.push(c)
  }
  return out
}

function reap(s: Sys, c: Process): void {
  c.reaped = true
  s.p.children.delete(c)
  s.k.processes.delete(c.pid)
}

/** Whether a wait with `options` collects `c` now: an exit, or a stop (WUNTRACED) or continue (WCONTINUED) not yet reported. */
function reportable(c: Process, options: number): boolean {
  if (c.zombie) return true
  if (c.jobReport === undefined) return false
  return (options & (c.jobReport === 0xffff ? WCONTINUED : WUNTRACED)) !== 0
}

/**
 * Wait for a child that `select` accepts: `collect` reports a zombie (or a
 * job-control stop or continue the options ask for); 0 with WNOHANG when
 * none is ready; -ECHILD when none exists. Waits are interrupted by signals
 * and restarted by SA_RESTART handlers.
 */
function waitFor(
  s: Sys,
  select: Selector,
  options: number,
  collect: (c: Process) => number,
  none: () => number,
): number | Block<number> {
  const attempt = (): number | undefined => {
    const cs = candidates(s.p, select, options)
    if (cs.length === 0) return -E.CHILD
    const z = cs.find((c) => c.zombie) ?? cs.find((c) => reportable(c, options))
    if (z !== undefined) return collect(z)
    return undefined
  }
  const r = attempt()
  if (r !== undefined) return r
  if (options & WNOHANG) return none()
  const wait = (): Block<number> =>
    new Block<number>(
      () => {
        const cs = candidates(s.p, select, options)
        return cs.length === 0 || cs.some((c) => reportable(c, options))
      },
      () => attempt() ?? wait(),
    )
  return wait()
}

function pidSelector(s: Sys, pid: number): Selector {
  if (pid === -1) return () => true
  if (pid === 0) {
    const pg = s.p.pgid
    return (c) => c.pgid === pg
  }
  if (pid < 0) return (c) => c.pgid === -pid
  return (c) => c.pid === pid
}

function wait4(s: Sys, a: readonly bigint[]): number | Block<number> {
  const pid = int(a[0]!)
  const statusAddr = a[1]!
  const options = int(a[2]!) >>> 0
  const rusage = a[3]!
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -E.INVAL
  if (pid === -0x8000_0000) return -E.SRCH
  return waitFor(
    s,
    pidSelector(s, pid),
    options,
    (c) => {
      if (statusAddr !== 0n) putU32(s.mem, statusAddr, (c.zombie ? c.waitStatus : c.jobReport) ?? 0)
      if (rusage !== 0n) s.mem.write(rusage, new Uint8Array(144))
      if (c.zombie) reap(s, c)
      else c.jobReport = undefined
      return c.pid
    },
    () => 0,
  )
}

function waitid(s: Sys, a: readonly bigint[]): number | Block<number> {
  const idtype = int(a[0]!)
  const id = int(a[1]!)
  const infop = a[2]!
  const options = int(a[3]!) >>> 0
  const rusage = a[4]!
  if (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
    return -E.INVAL
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -E.INVAL
  let select: Selector
  switch (idtype) {
    case P_ALL:
      select = () => true
      break
    case P_PID:
      if (id <= 0) return -E.INVAL
      select = (c) => c.pid === id
      break
    case P_PGID: {
      if (id < 0) return -E.INVAL
      const pg = id === 0 ? s.p.pgid : id
      select = (c) => c.pgid === pg
      break
    }
    case P_PIDFD:
      return -E.BADF
    default:
      return -E.INVAL
  }
  // Exits are reported only with WEXITED (stops and continues follow WUNTRACED/WCONTINUED).
  if (!(options & WEXITED)) {
    const accept = select
    select = (c) => accept(c) && !c.zombie
  }
  const writeInfo = (c: Process | undefined): void => {
    if (infop === 0n) return
    const buf = new DataView(new ArrayBuffer(128))
    if (c !== undefined && !c.zombie) {
      const st = c.jobReport ?? 0
      const cont = st === 0xffff
      writeSiginfo(buf, 0, {
        signo: Sig.CHLD,
        code: cont ? SiCode.CLD_CONTINUED : SiCode.CLD_STOPPED,
        pid: c.pid,
        uid: uid(),
        status: cont ? Sig.CONT : st >> 8,
      })
    } else if (c !== undefined) {
      const st = c.waitStatus ?? 0
      const exited = (st & 0x7f) === 0
      writeSiginfo(buf, 0, {
        signo: Sig.CHLD,
        code: exited ? SiCode.CLD_EXITED : st & 0x80 ? SiCode.CLD_DUMPED : SiCode.CLD_KILLED,
        pid: c.pid,
        uid: uid(),
        status: exited ? (st >> 8) & 0xff : st & 0x7f,
      })
    }
    s.mem.write(infop, new Uint8Array(buf.buffer))
  }
  return waitFor(
    s,
    select,
    options,
    (c) => {
      writeInfo(c)
      if (rusage !== 0n) s.mem.write(rusage, new Uint8Array(144))
      if (options & WNOWAIT) return 0
      if (c.zombie) reap(s, c)
      else c.jobReport = undefined
      return 0
    },
    () => {
      writeInfo(undefined)
      return 0
    },
  )
}

// ---- identity, groups, sessions ----------------------------------------------

function getpgid(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!)
  if (pid === 0) return s.p.pgid
  const p = s.k.findProcess(pid)
  return p === undefined || p.reaped ? -E.SRCH : p.pgid
}

function setpgid(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!) || s.p.pid
  const pgid = int(a[1]!) || pid
  if (pgid < 0) return -E.INVAL
  const target = pid === s.p.pid ? s.p : s.k.findProcess(pid)
  if (target === undefined || target.zombie || (target !== s.p && target.ppid !== s.p.pid)) return -E.SRCH
  if (target !== s.p && target.execed) return -E.ACCES
  if (target.sid !== s.p.sid) return -E.PERM
  if (target.sid === target.pid) return -E.PERM
  if (pgid !== target.pid) {
    const exists = [...s.k.processes.values()].some((p) => !p.zombie && p.pgid === pgid && p.sid === s.p.sid)
    if (!exists) return -E.PERM
  }
  target.pgid = pgid
  return 0
}

function getsid(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!)
  if (pid === 0) return s.p.sid
  const p = s.k.findProcess(pid)
  return p === undefined || p.reaped ? -E.SRCH : p.sid
}

function setsid(s: Sys): number {
  const p = s.p
  if (p.pgid === p.pid || [...s.k.processes.values()].some((o) => !o.zombie && o.pgid === p.pid))
    return -E.PERM
  p.sid = p.pid
  p.pgid = p.pid
  return p.sid
}

/** setuid family: only "changes" to the current id succeed (the engine cannot change the host's). */
function sameIds(cur: number, ...ids: bigint[]): number {
  for (const v of ids) {
    const id = Number(BigInt.asUintN(32, v))
    if (id !== 0xffff_ffff && id !== cur) return -E.PERM
  }
  return 0
}

function getresid(s: Sys, a: readonly bigint[], id: number): number {
  for (let i = 0; i < 3; i++) putU32(s.mem, a[i]!, id)
  return 0
}

function getgroups(s: Sys, a: readonly bigint[]): number {
  const n = int(a[0]!)
  const groups = process.getgroups?.() ?? []
  if (n < 0) return -E.INVAL
  if (n === 0) return groups.length
  if (n < groups.length) return -E.INVAL
  for (const [i, g] of groups.entries()) putU32(s.mem, a[1]! + BigInt(4 * i), g)
  return groups.length
}

function setgroups(s: Sys, a: readonly bigint[]): number {
  const n = int(a[0]!)
  if (n < 0 || n > 65536) return -E.INVAL
  const want = new Set<number>()
  for (let i = 0; i < n; i++) want.add(Number(s.mem.load(a[1]! + BigInt(4 * i), 4)))
  const have = new Set(process.getgroups?.() ?? [])
  if (want.size === have.size && [...want].every((g) => have.has(g))) return 0
  return -E.PERM
}

function getRobustList(s: Sys, a: readonly bigint[]): number {
  const tid = int(a[0]!)
  const t = tid === 0 ? s.t : s.k.findThread(tid)
  if (t === undefined) return -E.SRCH
  putU64(s.mem, a[1]!, t.robustList)
  putU64(s.mem, a[2]!, t.robustListLen === 0n ? 24n : t.robustListLen)
  return 0
}

export const processSyscalls: SyscallTable = {
  93: { name: 'exit', fn: exit, args: 'd' },
  94: { name: 'exit_group', fn: exitGroup, args: 'd' },
  95: { name: 'waitid', fn: waitid, args: 'ddxxx' },
  96: {
    name: 'set_tid_address',
    fn: (s, a) => {
      s.t.clearChildTid = a[0]!
      return s.t.tid
    },
    args: 'x',
  },
  99: {
    name: 'set_robust_list',
    fn: (s, a) => {
      if (a[1] !== 24n) return -E.INVAL
      s.t.robustList = a[0]!
      s.t.robustListLen = a[1]!
      return 0
    },
    args: 'xu',
  },
  100: { name: 'get_robust_list', fn: getRobustList, args: 'dxx' },
  143: { name: 'setregid', fn: (_s, a) => sameIds(gid(), a[0]!, a[1]!), args: 'dd' },
  144: { name: 'setgid', fn: (_s, a) => sameIds(gid(), a[0]!), args: 'd' },
  145: { name: 'setreuid', fn: (_s, a) => sameIds(uid(), a[0]!, a[1]!), args: 'dd' },
  146: { name: 'setuid', fn: (_s, a) => sameIds(uid(), a[0]!), args: 'd' },
  147: { name: 'setresuid', fn: (_s, a) => sameIds(uid(), a[0]!, a[1]!, a[2]!), args: 'ddd' },
  148: { name: 'getresuid', fn: (s, a) => getresid(s, a, uid()), args: 'xxx' },
  149: { name: 'setresgid', fn: (_s, a) => sameIds(gid(), a[0]!, a[1]!, a[2]!), args: 'ddd' },
  150: { name: 'getresgid', fn: (s, a) => getresid(s, a, gid()), args: 'xxx' },
  // setfsuid/setfsgid never fail: they return the previous id.
  151: { name: 'setfsuid', fn: () => uid(), args: 'd' },
  152: { name: 'setfsgid', fn: () => gid(), args: 'd' },
  154: { name: 'setpgid', fn: setpgid, args: 'dd' },
  155: { name: 'getpgid', fn: getpgid, args: 'd' },
  156: { name: 'getsid', fn: getsid, args: 'd' },
  157: { name: 'setsid', fn: setsid, args: '' },
  158: { name: 'getgroups', fn: getgroups, args: 'dx' },
  159: { name: 'setgroups', fn: setgroups, args: 'dx' },
  172: { name: 'getpid', fn: (s) => s.p.pid, args: '' },
  173: { name: 'getppid', fn: (s) => s.p.ppid, args: '' },
  174: { name: 'getuid', fn: uid, args: '' },
  175: { name: 'geteuid', fn: uid, args: '' },
  176: { name: 'getgid', fn: gid, args: '' },
  177: { name: 'getegid', fn: gid, args: '' },
  178: { name: 'gettid', fn: (s) => s.t.tid, args: '' },
  220: { name: 'clone', fn: clone, args: 'xxxxx' },
  221: { name: 'execve', fn: (s, a) => doExecve(s, AT_FDCWD, a[0]!, a[1]!, a[2]!, 0), args: 'sxx' },
  260: { name: 'wait4', fn: wait4, args: 'dxxx' },
  281: {
    name: 'execveat',
    fn: (s, a) => doExecve(s, int(a[0]!), a[1]!, a[2]!, a[3]!, int(a[4]!)),
    args: 'asxxx',
  },
  435: { name: 'clone3', fn: clone3, args: 'xu' },
}
