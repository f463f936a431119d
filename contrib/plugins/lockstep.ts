/**
 * lockstep: run two rvscope instances in lockstep and report where their
 * executions diverge (QEMU's contrib/plugins/lockstep.c). Useful to find
 * where a change to the emulator (or to its options, or to the program's
 * input) first makes a run go another way.
 *
 * Start two runs with the same sockpath=PATH; the first to start waits
 * for the second. Before each block it executes, each run sends the other
 * the block's address and its instruction count so far, and waits for the
 * other's. While the addresses agree both go on; at the first block where
 * they differ each prints both addresses and instruction counts, and the
 * blocks both ran before it (the last history=N, default 5 as QEMU shows),
 * side by side, then stops lockstepping (the plugin uninstalls, as QEMU's
 * does when it gives up; the programs run on) or, with abort=on, ends its
 * run with status 1. A run that ends while the other goes on is a
 * divergence too. A run that finishes without divergence prints `No
 * divergence :-)` and the block and instruction counts, as QEMU's does.
 * rvscope's runs are deterministic, so unlike QEMU's plugin this one does
 * not wait for further divergent blocks before it gives up.
 *
 * Options: sockpath=PATH (required), verbose=on|off (also print how the
 * runs connected and what the exchanges cost), history=N, abort=on|off,
 * batch=N: exchange the addresses of N blocks at a time (both runs must
 * agree; default 1, strict lockstep as QEMU). The divergent block found is
 * the same, but a run may execute up to N-1 blocks past it before it
 * stops; waking the other run once per N blocks instead of once per block
 * is what makes lockstepping cheap.
 *
 * The link: plugin callbacks are synchronous and Node has no blocking
 * socket API (net sockets are non-blocking and only move data while the
 * event loop runs, which it does not during the guest's run). So PATH is a
 * rendezvous directory holding a pair of named FIFOs, made once with
 * mkfifo(1): the first run creates the directory (mkdir is atomic: the
 * loser of a race becomes the second run), the FIFOs and a `ready` file;
 * each run opens both FIFOs with blocking fs.openSync and then exchanges
 * records with fs.writeSync / fs.readSync, which block until the peer has
 * written. Once both ends are open the first run removes the
 * directory (as QEMU's unlinks its socket), so the same path can be used
 * again at once. A `ready` file whose writer is dead is taken as left over
 * from an earlier run and cleared.
 *
 * Caveats as QEMU's: single-threaded programs (several threads' blocks
 * interleave in one stream, which is reproducible here but changes with
 * anything that shifts the scheduling), both runs should get the same
 * environment (its size shapes the start-up code), and -one-insn-per-tb
 * must be the same on both sides.
 */
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

/** "rvlockst" */
const MAGIC = 0x7473_6b63_6f6c_7672n
const PROTOCOL = 1n

let ourId: qp.PluginId
let verbose = false
let abortOnDivergence = false
let historyLength = 5
/** Blocks per exchange: 1 is strict lockstep (QEMU's). */
let batch = 1

let rfd: number | undefined
let wfd: number | undefined
let role = ''

let bbCount = 0n
let insnCount = 0n
let stopped = false
let translated = 0

interface BlockInfo {
  pc: bigint
  insns: bigint
}

/** The last blocks run: pc, instructions, instruction count after it (QEMU's ExecInfo). */
interface Exec {
  index: bigint
  pc: bigint
  insns: bigint
  count: bigint
}
let history: Exec[] = []

/** Time spent in exchanges (ns) and their number. */
let linkNs = 0n
let exchanges = 0n

const hex16 = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

// ---- the link -----------------------------------------------------------------------

function writeAll(buf: Buffer): boolean {
  let off = 0
  try {
    while (off < buf.length) off += writeSync(wfd!, buf, off, buf.length - off)
  } catch {
    return false
  }
  return true
}

/** What was read from the other run and not consumed yet: staged[pos, end). */
const staged = Buffer.alloc(1 << 16)
let pos = 0
let end = 0

/** Fill `buf` from the other run (blocking); false if it went away. Reads as much as is there, at most once per record. */
function readAll(buf: Buffer): boolean {
  let off = 0
  try {
    while (off < buf.length) {
      if (pos === end) {
        pos = 0
        end = readSync(rfd!, staged, 0, staged.length, null)
        if (end === 0) return false
      }
      const n = Math.min(end - pos, buf.length - off)
      staged.copy(buf, off, pos, pos + n)
      pos += n
      off += n
    }
  } catch {
    return false
  }
  return true
}

function closeLink(): void {
  for (const fd of [rfd, wfd]) {
    if (fd === undefined) continue
    try {
      closeSync(fd)
    } catch {}
  }
  rfd = undefined
  wfd = undefined
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Meet the other run at `dir`; returns an error message or undefined. */
function connect(dir: string): string | undefined {
  const toSecond = join(dir, 'first-to-second')
  const toFirst = join(dir, 'second-to-first')
  const ready = join(dir, 'ready')
  for (let attempt = 0; attempt < 3; attempt++) {
    let first = true
    try {
      mkdirSync(dir, { mode: 0o700 })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        return `cannot create ${dir}: ${(e as Error).message}`
      first = false
    }
    if (first) {
      try {
        execFileSync('mkfifo', ['-m', '600', toSecond, toFirst], { stdio: ['ignore', 'ignore', 'pipe'] })
        writeFileSync(`${ready}.tmp`, `${process.pid}\n`)
        renameSync(`${ready}.tmp`, ready)
      } catch (e) {
        rmSync(dir, { recursive: true, force: true })
        return `cannot set up the FIFOs in ${dir}: ${(e as Error).message}`
      }
      role = 'first'
      if (verbose) qp.outs(`lockstep: waiting for the other run at ${dir}\n`)
      // Each open blocks until the other run opens the other end.
      wfd = openSync(toSecond, 'w')
      rfd = openSync(toFirst, 'r')
      rmSync(dir, { recursive: true, force: true })
      qp.outs('setup_socket::ready\n')
      return undefined
    }
    // The second run: wait for the first to make the FIFOs.
    let waited = 0
    while (!existsSync(ready) && waited < 10_000) {
      sleepMs(10)
      waited += 10
    }
    let pid = 0
    try {
      pid = Number.parseInt(readFileSync(ready, 'utf8'), 10)
    } catch {}
    if (pid === 0 || !pidAlive(pid)) {
      // Left over from a run that died: clear it and compete again.
      if (verbose) qp.outs(`lockstep: clearing stale ${dir}\n`)
      rmSync(dir, { recursive: true, force: true })
      continue
    }
    role = 'second'
    rfd = openSync(toSecond, 'r')
    wfd = openSync(toFirst, 'w')
    qp.outs('connect_socket::ready\n')
    return undefined
  }
  return `cannot meet the other run at ${dir}`
}

/** Exchange a greeting: both ends speak this protocol; the history shown is the shorter of both. */
function handshake(): string | undefined {
  const hello = Buffer.alloc(32)
  hello.writeBigUInt64LE(MAGIC, 0)
  hello.writeBigUInt64LE(PROTOCOL, 8)
  hello.writeBigUInt64LE(BigInt(historyLength), 16)
  hello.writeBigUInt64LE(BigInt(batch), 24)
  if (!writeAll(hello)) return 'the other run went away'
  const them = Buffer.alloc(32)
  if (!readAll(them)) return 'the other run went away'
  if (them.readBigUInt64LE(0) !== MAGIC || them.readBigUInt64LE(8) !== PROTOCOL)
    return 'the other end does not speak this lockstep protocol'
  if (them.readBigUInt64LE(24) !== BigInt(batch))
    return `the other run exchanges batches of ${them.readBigUInt64LE(24)} blocks, this one ${batch}`
  historyLength = Math.min(historyLength, Number(them.readBigUInt64LE(16)))
  outBuf = Buffer.alloc(16 * batch)
  return undefined
}

// ---- execution ------------------------------------------------------------------------

const END = 1n << 63n

/** This run's records not yet exchanged: pc, instruction count before the block. */
let outBuf = Buffer.alloc(0)
let pending = 0
/** Index of the first block of the pending batch. */
let base = 0n

function stop(reason: string | undefined): void {
  stopped = true
  closeLink()
  if (reason !== undefined) qp.outs(reason)
  qp.uninstall(ourId)
}

/** History entries of the blocks before block `k` (0-based), oldest first. */
function historyBefore(k: bigint): Exec[] {
  const before = history.filter((h) => h.index < k)
  return before.slice(-historyLength)
}

/**
 * Both runs found that block `k` differs (both compare the same records):
 * swap the histories before it and print them side by side.
 */
function reportDivergence(k: bigint, usPc: bigint, usCount: bigint, themPc: bigint, themCount: bigint): void {
  const mineList = historyBefore(k)
  const mine = Buffer.alloc(8 + 24 * historyLength)
  mine.writeBigUInt64LE(BigInt(mineList.length), 0)
  mineList.forEach((h, i) => {
    mine.writeBigUInt64LE(h.pc, 8 + 24 * i)
    mine.writeBigUInt64LE(h.insns, 16 + 24 * i)
    mine.writeBigUInt64LE(h.count, 24 + 24 * i)
  })
  const theirs = Buffer.alloc(mine.length)
  const got = writeAll(mine) && readAll(theirs)
  const n = mineList.length
  const m = got ? Math.min(Number(theirs.readBigUInt64LE(0)), historyLength) : 0
  const pcText = (pc: bigint): string => (pc === END ? '(ended)' : hex16(pc))
  let out =
    `@ ${pcText(usPc)} vs ${pcText(themPc)} (block ${k + 1n})\n` +
    `Δ insn_count @ ${pcText(usPc)} (${usCount}) vs ${pcText(themPc)} (${themCount})\n`
  // Most recent first, as QEMU lists them: this run's block, then the other's.
  const side = (e: Exec | undefined): string =>
    e === undefined ? '(none)' : `${hex16(e.pc)}/${e.insns} (${e.count} insns)`
  for (let i = 0; i < Math.max(n, m); i++) {
    const j = m - 1 - i
    const b =
      got && j >= 0
        ? {
            index: 0n,
            pc: theirs.readBigUInt64LE(8 + 24 * j),
            insns: theirs.readBigUInt64LE(16 + 24 * j),
            count: theirs.readBigUInt64LE(24 + 24 * j),
          }
        : undefined
    out += `  previously @ ${side(mineList[n - 1 - i])} vs ${side(b)}\n`
  }
  out += `lockstep: the runs diverged at block ${k + 1n}, after ~${usCount} instructions; giving up\n`
  if (abortOnDivergence) {
    qp.outs(out)
    stopped = true
    closeLink()
    throw new Error(
      `lockstep: the runs diverged at block ${k + 1n}: ${pcText(usPc)} here, ${pcText(themPc)} in the other run`,
    )
  }
  stop(out)
}

/** Send the pending records (`final`: and that this run ends), receive the other run's and compare. */
function exchange(final: boolean): void {
  const t0 = process.hrtime.bigint()
  const head = Buffer.alloc(8)
  head.writeBigUInt64LE(BigInt(pending) | (final ? END : 0n))
  // If the other end has gone, stop (as QEMU: it probably ended).
  if (!writeAll(Buffer.concat([head, outBuf.subarray(0, 16 * pending)]))) {
    stop('problem writing to socket\n')
    return
  }
  const theirHead = Buffer.alloc(8)
  if (!readAll(theirHead)) {
    stop('read less than expected\n')
    return
  }
  const h = theirHead.readBigUInt64LE(0)
  const theirEnd = (h & END) !== 0n
  const theirN = Number(h & ~END)
  const theirs = Buffer.alloc(16 * theirN)
  if (theirN > batch || !readAll(theirs)) {
    stop('read less than expected\n')
    return
  }
  linkNs += process.hrtime.bigint() - t0
  exchanges++
  const n = Math.min(pending, theirN)
  for (let i = 0; i < n; i++) {
    const usPc = outBuf.readBigUInt64LE(16 * i)
    const themPc = theirs.readBigUInt64LE(16 * i)
    if (usPc !== themPc) {
      reportDivergence(
        base + BigInt(i),
        usPc,
        outBuf.readBigUInt64LE(16 * i + 8),
        themPc,
        theirs.readBigUInt64LE(16 * i + 8),
      )
      return
    }
  }
  if (pending !== theirN || final !== theirEnd) {
    // One run ended while the other went on.
    const k = base + BigInt(n)
    const usPc = n < pending ? outBuf.readBigUInt64LE(16 * n) : END
    const themPc = n < theirN ? theirs.readBigUInt64LE(16 * n) : END
    const usCount = n < pending ? outBuf.readBigUInt64LE(16 * n + 8) : insnCount
    const themCount = n < theirN ? theirs.readBigUInt64LE(16 * n + 8) : 0n
    reportDivergence(k, usPc, usCount, themPc, themCount)
    return
  }
  base += BigInt(pending)
  pending = 0
}

function vcpuTbExec(_vcpu: number, bi: BlockInfo): void {
  if (stopped) return
  outBuf.writeBigUInt64LE(bi.pc, 16 * pending)
  outBuf.writeBigUInt64LE(insnCount, 16 * pending + 8)
  pending++
  // Assume the block runs to its end, as QEMU does.
  insnCount += bi.insns
  history.push({ index: bbCount, pc: bi.pc, insns: bi.insns, count: insnCount })
  if (history.length > 2 * (historyLength + batch)) history = history.slice(-(historyLength + batch))
  bbCount++
  if (pending === batch) exchange(false)
}

function vcpuTbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  translated++
  qp.registerVcpuTbExecCb(tb, vcpuTbExec, qp.CbFlags.NO_REGS, {
    pc: qp.tbVaddr(tb),
    insns: BigInt(qp.tbNInsns(tb)),
  })
}

function pluginExit(): void {
  if (stopped) return
  // Tell the other run this one ends here, and check it ends at the same block.
  exchange(true)
  if (stopped) return
  closeLink()
  let out = `No divergence :-)\nExecuted ${bbCount}/${bbCount} blocks\nExecuted ~${insnCount} instructions\n`
  if (verbose) {
    const each = exchanges > 0n ? Number(linkNs / exchanges) / 1000 : 0
    out +=
      `lockstep: ${role} run, ${translated} blocks translated, ${exchanges} exchanges of up to ${batch} blocks ` +
      `taking ${(Number(linkNs) / 1e6).toFixed(1)} ms (${each.toFixed(1)} µs each)\n`
  }
  qp.outs(out)
}

export const install: qp.PluginInstall = (id, _info, args) => {
  let sockPath: string | undefined
  for (const a of args) {
    if (a.name === 'verbose' || a.name === 'abort') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      if (a.name === 'verbose') verbose = v
      else abortOnDivergence = v
    } else if (a.name === 'sockpath') {
      sockPath = a.value
    } else if (a.name === 'history' && /^[0-9]+$/.test(a.value)) {
      historyLength = Number(a.value)
    } else if (a.name === 'batch' && /^[1-9][0-9]*$/.test(a.value) && Number(a.value) <= 4096) {
      batch = Number(a.value)
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  if (sockPath === undefined || sockPath === '') return 'Need a socket path to talk to other instance.'
  const err = connect(sockPath) ?? handshake()
  if (err !== undefined) {
    closeLink()
    return `Failed to setup socket for communications: ${err}`
  }
  ourId = id
  qp.registerVcpuTbTransCb(id, vcpuTbTrans)
  qp.registerAtexitCb(id, pluginExit)
  return undefined
}
