/**
 * The part of /proc the engine answers itself, as QEMU's linux-user does:
 * what describes the guest rather than the engine (exe, maps, cmdline,
 * auxv, stat, cwd, fd/, fdinfo/, cpuinfo). Everything else under /proc is
 * the host's, which a guest sees under QEMU too.
 *
 * Paths are looked up after the -L prefix and the working directory have
 * been applied and `..` removed (see fs.ts `lookup`). `/proc/self`,
 * `/proc/thread-self` and `/proc/<pid>` of any guest process name that
 * process; `/dev/fd/N` and (when followed) `/dev/std{in,out,err}` name its
 * descriptors, since guest descriptor numbers are not the engine's.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import { Prot } from '../../core/paged-memory.js'
import { PAGE_SIZE } from '../../core/types.js'
import { PType, parseElf } from '../elf.js'
import { E, hostErrno } from '../errno.js'
import {
  type DirEntry,
  DirStream,
  DT,
  HostFile,
  MemFile,
  nameBytes,
  O,
  type OpenFile,
  PipeEnd,
  S,
  type StatInfo,
} from '../fd.js'
import type { Kernel } from '../kernel.js'
import { vdsoImage } from '../loader.js'
import { hostPathFor } from '../paths.js'
import type { Mm, Process } from '../process.js'
import { encode, type Sys } from './context.js'

/** An entry of the emulated /proc. `host` is the host path that stands for it in lstat, access and statfs. */
export type ProcNode =
  | { kind: 'file'; host: string; content: () => Uint8Array }
  | {
      kind: 'link'
      host: string
      target: string
      /** Opening the link opens what it points to. */
      open: (flags: number) => OpenFile | number
      /** stat() follows the link. */
      stat: () => StatInfo | number
      /** st_mode permission bits of the link itself. */
      perm: number
    }
  /** `guest`: the directory's own path, /proc/PID/..., as its descriptor's link shows it. */
  | { kind: 'dir'; host: string; guest: string; list: () => DirEntry[] }
  /** Not emulated: use this host path instead (a renamed guest pid or descriptor). */
  | { kind: 'host'; host: string }

/**
 * The emulated entry for a normalized absolute path, or undefined when the
 * host's /proc answers. `follow`: the last component is followed if it is a
 * link (aliases such as /dev/stdout only apply then).
 */
export function procLookup(s: Sys, norm: string, follow: boolean): ProcNode | number | undefined {
  if (norm.startsWith('/dev/')) {
    const alias = DEV_ALIASES[norm]
    if (alias !== undefined && follow) return procLookup(s, alias, follow)
    if (norm === '/dev/fd' || norm.startsWith('/dev/fd/'))
      return procLookup(s, `/proc/self/fd${norm.slice(7)}`, follow)
    return undefined
  }
  const parts = norm.split('/').slice(2)
  const who = parts[0]
  if (who === undefined) return undefined
  if (who === 'cpuinfo' && parts.length === 1)
    return { kind: 'file', host: norm, content: () => cpuinfo(s.k) }
  let q: Process | undefined
  if (who === 'self' || who === 'thread-self') q = s.p
  else if (/^[1-9][0-9]*$/.test(who)) q = s.k.processes.get(Number(who))
  if (q === undefined) return undefined
  const rest = parts.slice(1)
  // The host's /proc/self is the engine process: it stands for the guest process where nothing is emulated.
  const hostPath = ['/proc/self', ...rest].join('/')
  if (rest.length === 0)
    return who === 'self' || who === 'thread-self' ? undefined : { kind: 'host', host: hostPath }
  const name = rest[0]!
  if (rest.length === 1) {
    switch (name) {
      case 'exe':
        return exeLink(q, hostPath)
      case 'cwd':
        return cwdLink(q, hostPath)
      case 'maps':
        return { kind: 'file', host: hostPath, content: () => encode(maps(s.k, q)) }
      case 'cmdline':
        return { kind: 'file', host: hostPath, content: () => encode(q.argv.map((a) => `${a}\0`).join('')) }
      case 'stat':
        return { kind: 'file', host: hostPath, content: () => encode(statLine(q)) }
      case 'auxv':
        return { kind: 'file', host: hostPath, content: () => auxv(q) }
      case 'fd':
        return { kind: 'dir', host: hostPath, guest: `/proc/${q.pid}/fd`, list: () => fdEntries(q) }
      case 'fdinfo':
        return {
          kind: 'dir',
          host: hostPath,
          guest: `/proc/${q.pid}/fdinfo`,
          list: () => fdEntries(q, DT.REG),
        }
    }
  }
  if ((name === 'fd' || name === 'fdinfo') && rest.length >= 2) {
    const fd = /^(0|[1-9][0-9]*)$/.test(rest[1]!) ? Number(rest[1]) : -1
    const f = q.fds.get(fd)
    if (f === undefined) return -E.NOENT
    if (name === 'fdinfo') {
      if (rest.length > 2) return -E.NOTDIR
      return { kind: 'file', host: '/proc/self/fdinfo/0', content: () => encode(fdinfo(q, fd, f)) }
    }
    const hfd = f.hostFd()
    if (hfd !== undefined && f.linkName() === undefined)
      return { kind: 'host', host: ['/proc/self/fd', hfd, ...rest.slice(2)].join('/') }
    if (rest.length > 2)
      return hfd !== undefined
        ? { kind: 'host', host: ['/proc/self/fd', hfd, ...rest.slice(2)].join('/') }
        : -E.NOTDIR
    return fdLink(f, hostPath)
  }
  return { kind: 'host', host: hostPath }
}

const DEV_ALIASES: Record<string, string> = {
  '/dev/stdin': '/proc/self/fd/0',
  '/dev/stdout': '/proc/self/fd/1',
  '/dev/stderr': '/proc/self/fd/2',
}

/** Host path of the executable as /proc/self/exe shows it: the file itself, symlinks resolved. */
export function exeTarget(q: Process): string {
  try {
    return fs.realpathSync(q.exeHostPath)
  } catch {
    return q.exeHostPath
  }
}

function hostOpen(path: string, flags: number): OpenFile | number {
  try {
    const fd = fs.openSync(path, flags & O.ACCMODE)
    const st = fs.fstatSync(fd)
    const f = new HostFile(fd, flags & (O.ACCMODE | O.NONBLOCK), path, false, st.isFile())
    return f
  } catch (e) {
    return hostErrno(e)
  }
}

function hostStat(path: string): StatInfo | number {
  try {
    return fs.statSync(path, { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
}

function exeLink(q: Process, host: string): ProcNode {
  const target = exeTarget(q)
  return {
    kind: 'link',
    host,
    target,
    perm: 0o777,
    open: (flags) => hostOpen(target, flags),
    stat: () => hostStat(target),
  }
}

function cwdLink(q: Process, host: string): ProcNode {
  return {
    kind: 'link',
    host,
    target: q.cwd,
    perm: 0o777,
    open: (flags) => hostOpen(q.cwd, flags),
    stat: () => hostStat(q.cwd),
  }
}

/** /proc/PID/fd/N of a file without a host descriptor of its own (pipes, /proc files, memfd). */
function fdLink(f: OpenFile, host: string): ProcNode {
  const acc = f.flags & O.ACCMODE
  // proc_fd_link: r-x for readers, -wx for writers.
  const perm = (acc !== O.WRONLY ? 0o500 : 0) | (acc !== O.RDONLY ? 0o300 : 0)
  return {
    kind: 'link',
    host,
    target: f.linkName() ?? 'anon_inode:[unknown]',
    perm,
    open: (flags) => reopen(f, flags),
    stat: () => f.stat(),
  }
}

/** open(/proc/self/fd/N): a new open file description of the same file. */
function reopen(f: OpenFile, flags: number): OpenFile | number {
  const hfd = f.hostFd()
  if (hfd !== undefined) return hostOpen(`/proc/self/fd/${hfd}`, flags)
  if (f instanceof PipeEnd) {
    const acc = flags & O.ACCMODE
    // Opening a FIFO read-write gives a reader; write-only a writer (as the kernel's fifo_open).
    return new PipeEnd(f.pipe, acc === O.WRONLY, (flags & (O.ACCMODE | O.NONBLOCK)) as number)
  }
  if (f instanceof MemFile) return new MemFile(f.data, f.path)
  return -E.NXIO
}

/** Entries of /proc/PID/fd (links) or /proc/PID/fdinfo (files). */
function fdEntries(q: Process, type: DT = DT.LNK): DirEntry[] {
  const out: DirEntry[] = [
    { name: nameBytes('.'), type: DT.DIR, ino: 1n },
    { name: nameBytes('..'), type: DT.DIR, ino: 1n },
  ]
  for (const fd of q.fds.list()) out.push({ name: nameBytes(String(fd)), type, ino: BigInt(0x10000 + fd) })
  return out
}

/** A directory stream over an emulated /proc directory. */
export function procDirStream(list: () => DirEntry[]): DirStream {
  return new DirStream(list, (e) => e.ino ?? 0n)
}

/** stat() of an emulated /proc link itself (lstat). */
export function linkStat(node: Extract<ProcNode, { kind: 'link' }>): StatInfo | number {
  let base: StatInfo
  try {
    base = fs.lstatSync('/proc/self/exe', { bigint: true })
  } catch (e) {
    return hostErrno(e)
  }
  // Descriptor links report a size of 64, the others 0 (proc_fd_getattr vs proc_pid_getattr).
  const size = node.host.includes('/fd/') ? 64n : 0n
  return { ...base, mode: BigInt(S.IFLNK | node.perm), size, blocks: 0n, nlink: 1n }
}

/** /proc/PID/fdinfo/N: position, flags (octal, with O_CLOEXEC), mount id and inode. */
function fdinfo(q: Process, fd: number, f: OpenFile): string {
  let pos = 0n
  const cur = f instanceof PipeEnd ? 0n : f.seek(0n, 1)
  if (typeof cur === 'bigint') pos = cur
  const cloexec = q.fds.entry(fd)?.cloexec ? O.CLOEXEC : 0
  const st = f.stat()
  const ino = typeof st === 'number' ? 0n : st.ino
  return `pos:\t${pos}\nflags:\t0${(f.flags | cloexec).toString(8).padStart(6, '0')}\nmnt_id:\t0\nino:\t${ino}\n`
}

// ---- /proc/cpuinfo ---------------------------------------------------------

/** Canonical order of single-letter extensions in an ISA string. */
const LETTER_ORDER = 'iemafdqlcbkjtpvh'

/** The ISA string of the emulated harts, as Linux prints it (rv64imafdc_zicsr_...). */
export function isaString(exts: Iterable<string>): string {
  const all = [...exts]
  const letters = all
    .filter((e) => e.length === 1)
    .sort((a, b) => LETTER_ORDER.indexOf(a) - LETTER_ORDER.indexOf(b))
  const multi = all
    .filter((e) => e.length > 1)
    .sort((a, b) => LETTER_ORDER.indexOf(a[1]!) - LETTER_ORDER.indexOf(b[1]!) || (a < b ? -1 : a > b ? 1 : 0))
  return ['rv64' + letters.join(''), ...multi].join('_')
}

function cpuinfo(k: Kernel): Uint8Array {
  const isa = isaString(k.opts.exts)
  let out = ''
  const n = Math.max(os.cpus().length, 1)
  for (let i = 0; i < n; i++) out += `processor\t: ${i}\nhart\t\t: ${i}\nisa\t\t: ${isa}\nmmu\t\t: sv39\n\n`
  return encode(out)
}

// ---- the initial stack ------------------------------------------------------

/** What the loader left at the top of the stack: the initial sp, the auxiliary vector and the stack's extent. */
interface InitialStack {
  sp: bigint
  auxv: Map<number, bigint>
  /** Page numbers [lo, hi) of the stack mapping. */
  lo: number
  hi: number
}

interface PageRun {
  start: number
  end: number
  prot: number
}

/** Runs of consecutive mapped pages with the same protection. */
function pageRuns(mm: Mm): PageRun[] {
  const runs: PageRun[] = []
  for (const [page, prot] of mm.mem.mappedPages()) {
    const last = runs[runs.length - 1]
    if (last !== undefined && last.end === page && last.prot === prot) last.end++
    else runs.push({ start: page, end: page + 1, prot })
  }
  return runs
}

/**
 * Find the initial stack without knowing the layout: the writable mapping
 * whose top holds the executable's name (AT_EXECFN's string, followed by at
 * most 8 zero bytes, as Linux and QEMU lay it out), then the auxv pair
 * (AT_EXECFN, that address) below it, and argc below the vector.
 */
function initialStack(q: Process, runs = pageRuns(q.mm)): InitialStack | undefined {
  const mem = q.mm.mem
  const name = encode(`${q.exePath}\0`)
  for (const run of runs) {
    if (!(run.prot & Prot.W)) continue
    const top = BigInt(run.end * PAGE_SIZE)
    for (const pad of [8n, 0n]) {
      const execfn = top - pad - BigInt(name.length)
      let at: Uint8Array
      try {
        at = mem.read(execfn, name.length)
      } catch {
        continue
      }
      if (!at.every((b, i) => b === name[i])) continue
      const found = findAuxv(q, execfn, run.start, run.end)
      if (found !== undefined) return { ...found, lo: run.start, hi: run.end }
    }
  }
  return undefined
}

function findAuxv(
  q: Process,
  execfn: bigint,
  lo: number,
  hi: number,
): { sp: bigint; auxv: Map<number, bigint> } | undefined {
  const span = Math.min((hi - lo) * PAGE_SIZE, 4 << 20)
  const base = BigInt(hi * PAGE_SIZE - span)
  let bytes: Uint8Array
  try {
    bytes = q.mm.mem.read(base, span)
  } catch {
    return undefined
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const word = (o: number) => dv.getBigUint64(o, true)
  for (let o = Number(execfn - base) & ~7; o >= 16; o -= 8) {
    if (word(o) !== 31n || word(o + 8) !== execfn) continue
    // Walk back to the start of the vector: pairs with small non-zero tags; envp's NULL or a pointer ends it.
    let a = o
    for (; a >= 16; a -= 16) {
      const tag = word(a - 16)
      if (tag === 0n || tag >= 64n) break
    }
    // Before auxv: argc, argv[], NULL, envp[], NULL.
    let w = a - 16
    while (w >= 0 && word(w) !== 0n) w -= 8
    const sp = w - 8 * (q.argv.length + 1)
    if (sp < 0 || word(sp) !== BigInt(q.argv.length)) return undefined
    const auxv = new Map<number, bigint>()
    for (let p = a; p + 16 <= span; p += 16) {
      const tag = Number(word(p))
      if (tag === 0) break
      auxv.set(tag, word(p + 8))
    }
    return { sp: base + BigInt(sp), auxv }
  }
  return undefined
}

/** /proc/PID/auxv: the vector as the loader built it (empty if the stack no longer shows it). */
function auxv(q: Process): Uint8Array {
  const at = initialStack(q)
  if (at === undefined) return new Uint8Array(0)
  const b = new Uint8Array((at.auxv.size + 1) * 16)
  const dv = new DataView(b.buffer)
  let o = 0
  for (const [k, v] of at.auxv) {
    dv.setBigUint64(o, BigInt(k), true)
    dv.setBigUint64(o + 8, v, true)
    o += 16
  }
  return b
}

// ---- /proc/PID/maps ----------------------------------------------------------

/** A file-backed page range: pages [start, end) map the file from page `offset`. */
interface FileRange {
  start: number
  end: number
  offset: number
  label: string
}

interface ImageFile {
  path: string
  dev: string
  inode: bigint
}

/** The file-backed PT_LOAD ranges of an ELF image loaded at `bias` (a function of e_entry when only the entry is known). */
function imageRanges(
  hostPath: string,
  bias: bigint | ((entry: bigint) => bigint),
  label: string,
  files: Map<string, ImageFile>,
): FileRange[] {
  try {
    const elf = parseElf(hostPath, fs.readFileSync(hostPath))
    const b = typeof bias === 'bigint' ? bias : bias(elf.entry)
    const page = BigInt(PAGE_SIZE)
    const st = fs.statSync(hostPath, { bigint: true })
    files.set(label, { path: fs.realpathSync(hostPath), dev: devString(st.dev), inode: st.ino })
    return elf.phdrs
      .filter((p) => p.type === PType.Load && p.filesz > 0)
      .map((p) => ({
        start: Number(((p.vaddr + b) & ~(page - 1n)) / page),
        end: Number((p.vaddr + b + BigInt(p.filesz) + page - 1n) / page),
        offset: Math.floor(p.offset / PAGE_SIZE),
        label,
      }))
  } catch {
    return []
  }
}

/** "major:minor" in hex, two digits at least, as maps prints a device. */
function devString(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn)
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`
}

/** Host path of the executable's dynamic loader, if it has one. */
function interpPath(k: Kernel, q: Process): string | undefined {
  try {
    const elf = parseElf(q.exeHostPath, fs.readFileSync(q.exeHostPath))
    return elf.interp === undefined ? undefined : hostPathFor(k.paths, q.cwd, elf.interp)
  } catch {
    return undefined
  }
}

/**
 * /proc/PID/maps: one line per run of pages with the same permissions and
 * backing, in QEMU's format (addresses in plain hex, the path column at 73).
 * The engine knows the pages the executable and its dynamic loader back
 * (their load addresses are in the auxiliary vector: AT_ENTRY, AT_BASE),
 * where the stack is and where the vDSO is (AT_SYSINFO_EHDR); other mappings
 * show as anonymous.
 */
export function maps(k: Kernel, q: Process): string {
  const runs = pageRuns(q.mm)
  const stack = initialStack(q, runs)
  const files = new Map<string, ImageFile>()
  const ranges: FileRange[] = []
  const entry = stack?.auxv.get(9)
  if (entry !== undefined) ranges.push(...imageRanges(q.exeHostPath, (e) => entry - e, 'exe', files))
  const base = stack?.auxv.get(7)
  const interp = base !== undefined && base !== 0n ? interpPath(k, q) : undefined
  if (interp !== undefined) ranges.push(...imageRanges(interp, base!, 'interp', files))
  const vdso = stack?.auxv.get(33)
  const vdsoPage = vdso === undefined ? -1 : Number(vdso / BigInt(PAGE_SIZE))
  const vdsoEnd = vdsoPage + Math.ceil(vdsoImage().length / PAGE_SIZE)
  const backing = (page: number): [string, number] => {
    if (stack !== undefined && page >= stack.lo && page < stack.hi) return ['[stack]', -1]
    if (page >= vdsoPage && page < vdsoEnd) return ['[vdso]', -1]
    for (const r of ranges) if (page >= r.start && page < r.end) return [r.label, r.offset + page - r.start]
    return ['', -1]
  }
  const lines: string[] = []
  let run: (PageRun & { label: string; offset: number }) | undefined
  const flush = () => {
    if (run === undefined) return
    const p = run.prot
    const perms = `${p & Prot.R ? 'r' : '-'}${p & Prot.W ? 'w' : '-'}${p & Prot.X ? 'x' : '-'}p`
    const file = files.get(run.label)
    const head =
      `${(run.start * PAGE_SIZE).toString(16)}-${(run.end * PAGE_SIZE).toString(16)} ${perms} ` +
      `${(file ? run.offset * PAGE_SIZE : 0).toString(16).padStart(8, '0')} ${file?.dev ?? '00:00'} ${file?.inode ?? 0}`
    lines.push(`${head}${' '.repeat(Math.max(73 - head.length, 0))}${file?.path ?? run.label}\n`)
  }
  for (const r of runs) {
    for (let page = r.start; page < r.end; page++) {
      const [label, offset] = backing(page)
      if (
        run !== undefined &&
        page === run.end &&
        r.prot === run.prot &&
        label === run.label &&
        (offset < 0 || offset === run.offset + (page - run.start))
      ) {
        run.end++
        continue
      }
      flush()
      run = { start: page, end: page + 1, prot: r.prot, label, offset }
    }
  }
  flush()
  return lines.join('')
}

// ---- /proc/PID/stat ------------------------------------------------------------

let hostStartTime: string | undefined

/** Start time (clock ticks after boot) of the engine process, which the guest's first process shares. */
function startTime(): string {
  if (hostStartTime === undefined) {
    try {
      const st = fs.readFileSync('/proc/self/stat', 'latin1')
      hostStartTime = st.slice(st.lastIndexOf(')') + 2).split(' ')[19] ?? '0'
    } catch {
      hostStartTime = '0'
    }
  }
  return hostStartTime
}

/**
 * /proc/PID/stat as QEMU writes it: pid, (comm), state, ppid, the thread
 * count, the start time and the stack start; every other field is 0.
 */
export function statLine(q: Process): string {
  const fields: string[] = new Array(44).fill('0')
  const arg0 = q.argv[0] ?? ''
  fields[0] = String(q.pid)
  fields[1] = `(${arg0.slice(arg0.lastIndexOf('/') + 1).slice(0, 15)})`
  fields[2] = q.zombie ? 'Z' : 'R'
  fields[3] = String(q.ppid)
  fields[4] = String(q.pgid)
  fields[5] = String(q.sid)
  fields[19] = String(Math.max(q.threads.length, 1))
  fields[21] = startTime()
  fields[27] = String(initialStack(q)?.sp ?? 0n)
  return `${fields.join(' ')}\n`
}
