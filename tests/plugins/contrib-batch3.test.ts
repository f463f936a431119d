/**
 * The third batch of QEMU contrib/test plugins ported to rvscope (inline,
 * uftrace, lockstep, patch), run on real guest programs:
 *
 * - inline: every counting path agrees, on one vCPU and on several; the
 *   instructions counted are those the engine retired (-stats); and a copy
 *   of the plugin made to count one path wrong ends the run with status 1.
 * - uftrace: the uftrace.data directory holds what uftrace reads (info
 *   header, task.txt, sid-0.map, a .sym file, .dat records), and the records
 *   rebuild tests/guest/bin/calls' known call tree (fib's 15 calls nested 5
 *   deep, sum_squares' 5 squares, main's calls in order); the JSON output
 *   holds the same tree; frame-pointer tracking finds fib's frames; uftrace
 *   itself, where installed, replays the directory.
 * - lockstep: two identical runs do not diverge; `calls 5` and `calls 6`
 *   diverge, both runs report the same block with the addresses swapped and
 *   the same history, with strict and with batched exchanges alike.
 * - patch: QEMU's byte patch changes exit42's status from 42 to 7; a
 *   function replaced (ret=), an instruction patched at a symbol+offset and
 *   a call skipped change calls' output as expected.
 *
 * Plugin output goes to a -D file, apart from the guest's own output.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  contribPath,
  contribPlugin,
  guest,
  lines,
  ok,
  one,
  type Run,
  refused,
  runner,
  tempDir,
} from './harness.js'

const dir = tempDir('rvscope-contrib-batch3-')
// Every run with -seed 1, killed if it takes over a minute.
const { rvscope, start } = runner(dir, { options: ['-seed', '1'], timeoutMs: 60_000 })

/** Two runs that wait for each other (lockstep): started together, outside the slots. */
function pair(a: readonly string[], b: readonly string[]): Promise<[Run, Run]> {
  return Promise.all([start(a), start(b)])
}

// ---- the runs (independent ones start together) ------------------------------------

const inlineHello = rvscope('-stats', ...contribPlugin('inline'), guest('hello'))
const inlineProcs = rvscope(...contribPlugin('inline'), guest('procs'))
// The plugin, made to add 2 per block on its inline path.
const brokenInline = join(dir, 'inline-broken.mjs')
writeFileSync(
  brokenInline,
  readFileSync(contribPath('inline'), 'utf8').replace(
    /(INLINE_ADD_U64, e\.countTbInline, )1n/,
    (_m, head: string) => `${head}2n`,
  ),
)
const inlineBroken = rvscope('-plugin', brokenInline, guest('hello'))

const uftraceDir = join(dir, 'uftrace.data')
const uftraceRun = rvscope(...contribPlugin('uftrace', 'time=insn', `out=${uftraceDir}`), guest('calls'))
const uftraceJson = join(dir, 'trace.json')
const jsonRun = rvscope(...contribPlugin('uftrace', 'format=json', `out=${uftraceJson}`), guest('calls'))
const fpDir = join(dir, 'fp.data')
const fpRun = rvscope(...contribPlugin('uftrace', 'time=insn', 'track=fp', `out=${fpDir}`), guest('calls'))
const uftraceBad = rvscope(...contribPlugin('uftrace', 'format=xml'), guest('calls'))

const patchRet = rvscope(...contribPlugin('patch', 'sym=secret', 'ret=7'), guest('calls'))
const exit42 = rvscope(guest('exit42'))
const patchQemu = rvscope(...contribPlugin('patch', 'target=1305a002', 'patch=13057000'), guest('exit42'))
// secret+8 is `li a0,42` (addi a0,zero,42); patched to `li a0,13`.
const patchBytes = rvscope(
  ...contribPlugin('patch', 'sym=secret+8', 'target=1305a002', 'patch=1305d000'),
  guest('calls'),
)
// main+0x26 is `jal fib`, a0 holding n: skipped, main prints fib(6) = 6.
const patchSkip = rvscope(...contribPlugin('patch', 'sym=main+0x26', 'skip=on'), guest('calls'), '6')
const patchStripped = rvscope(...contribPlugin('patch', 'sym=main', 'skip=on'), guest('hello'))

// ---- inline -------------------------------------------------------------------------

const CPU_LINE =
  /^cpu (\d+): tb \((\d+), (\d+), (\d+) \* 100 \+ (\d+)\) \| insn \((\d+), (\d+), (\d+) \* 100 \+ (\d+)\) \| mem \((\d+), (\d+)\)$/

/** How often each extra condition fires over n events of a counter running 1..100 (the plugin's claim, derived here). */
function expectedCond(name: string, n: bigint): bigint {
  const q = n / 100n
  const r = n % 100n
  const min = (a: bigint, b: bigint) => (a < b ? a : b)
  const max = (a: bigint, b: bigint) => (a > b ? a : b)
  switch (name) {
    case 'NEVER':
      return 0n
    case 'ALWAYS':
      return n
    case 'NE 100':
      return n - q
    case 'LT 50':
      return q * 49n + min(r, 49n)
    case 'LE 50':
      return q * 50n + min(r, 50n)
    case 'GT 50':
      return q * 50n + max(0n, r - 50n)
    case 'GE 50':
      return q * 51n + max(0n, r - 49n)
  }
  throw new Error(name)
}

function checkInline(r: Run, what: string): { cpus: number; tb: bigint; insn: bigint; mem: bigint } {
  ok(r, what)
  const cpus = lines(r.log, CPU_LINE).map((m) => m.slice(1).map((s) => BigInt(s)))
  assert.ok(cpus.length >= 1, `${what}: no cpu lines in\n${r.log}`)
  let tb = 0n
  let insn = 0n
  let mem = 0n
  for (const [cpu, t, ti, tt, tl, n, ni, nt, nl, m, mi] of cpus) {
    assert.equal(ti, t, `${what} cpu ${cpu}: tb inline`)
    assert.equal(tt! * 100n + tl!, t, `${what} cpu ${cpu}: tb conditional`)
    assert.ok(tl! < 100n)
    assert.equal(ni, n, `${what} cpu ${cpu}: insn inline`)
    assert.equal(nt! * 100n + nl!, n, `${what} cpu ${cpu}: insn conditional`)
    assert.ok(nl! < 100n)
    assert.equal(mi, m, `${what} cpu ${cpu}: mem inline`)
    assert.ok(t! > 0n && n! > t! && m! > 0n, `${what} cpu ${cpu}: plausible counts`)
    tb += t!
    insn += n!
    mem += m!
  }
  for (const [kind, total, cond] of [
    ['tb', tb, 'conditional cb'],
    ['insn', insn, 'cond cb'],
    ['mem', mem, undefined],
  ] as const) {
    assert.deepEqual(one(r.log, new RegExp(`^${kind}: (\\d+)$`)), [total], `${what}: ${kind} total`)
    assert.deepEqual(one(r.log, new RegExp(`^${kind}: (\\d+) \\(per vcpu\\)$`)), [total])
    assert.deepEqual(one(r.log, new RegExp(`^${kind}: (\\d+) \\(per vcpu inline\\)$`)), [total])
    if (cond !== undefined)
      assert.deepEqual(one(r.log, new RegExp(`^${kind}: (\\d+) \\(${cond}\\)$`)), [total])
  }
  // The other conditions, summed over vCPUs.
  for (const [kind, perCpu] of [
    ['tb', cpus.map((c) => c[1]!)],
    ['insn', cpus.map((c) => c[5]!)],
  ] as const) {
    for (const name of ['NEVER', 'ALWAYS', 'NE 100', 'LT 50', 'LE 50', 'GT 50', 'GE 50']) {
      const want = perCpu.reduce((s, n) => s + expectedCond(name, n), 0n)
      assert.deepEqual(
        one(r.log, new RegExp(`^${kind}: (\\d+) \\(cond ${name}\\)$`)),
        [want],
        `${what}: ${kind} ${name}`,
      )
    }
  }
  assert.doesNotMatch(r.log, /MISMATCH/)
  return { cpus: cpus.length, tb, insn, mem }
}

test('inline: callbacks, inline adds and stores and conditional callbacks count the same', async () => {
  const hello = await inlineHello
  const h = checkInline(hello, 'hello')
  assert.equal(h.cpus, 1)
  // The instructions are those the engine retired.
  const [retired] = one(hello.stderr, /^rvscope: (\d+) instructions in /)
  assert.equal(h.insn, retired)
  assert.match(hello.stdout, /^Hello, world!\n/)
  const procs = checkInline(await inlineProcs, 'procs')
  assert.ok(procs.cpus >= 2, `several vCPUs expected, got ${procs.cpus}`)
})

test('inline: a path that counts wrong ends the run with status 1 and a message', async () => {
  assert.notEqual(readFileSync(brokenInline, 'utf8'), readFileSync(contribPath('inline'), 'utf8'))
  const r = await inlineBroken
  assert.equal(r.status, 1, r.stderr)
  assert.match(r.log, /^inline: MISMATCH$/m)
  assert.match(r.log, /^ {2}cpu 0: tb callbacks (\d+) != inline (\d+)$/m)
  const [cb, inl] = one(r.log, /^ {2}cpu 0: tb callbacks (\d+) != inline (\d+)$/)
  assert.equal(inl, 2n * cb!)
  assert.match(
    r.stderr,
    /^rvscope-riscv64: plugin inline-broken\.mjs: atexit callback threw: Error: inline: the counting paths disagree: /m,
  )
})

// ---- uftrace ----------------------------------------------------------------------------

interface Rec {
  ts: bigint
  exit: boolean
  depth: number
  addr: bigint
  name: string
}

/** Records of a .dat file, named through the directory's sid-0.map and .sym file. */
function readTrace(dataDir: string, id: number): Rec[] {
  const map = readFileSync(join(dataDir, 'sid-0.map'), 'utf8').split('\n')[0]!
  const m = /^([0-9a-f]+)-([0-9a-f]+) r-xp 00000000 00:00 0 (\/.*)$/.exec(map)
  assert.ok(m, `sid-0.map: ${map}`)
  assert.equal(m[3], guest('calls'))
  const startAddr = BigInt(`0x${m[1]}`)
  const names = new Map<bigint, string>()
  for (const line of readFileSync(join(dataDir, 'calls.sym'), 'utf8').trimEnd().split('\n')) {
    const s = /^([0-9a-f]{16}) T (\S+)$/.exec(line)
    assert.ok(s, `calls.sym line: ${line}`)
    names.set(BigInt(`0x${s[1]}`) + startAddr, s[2]!)
  }
  const b = readFileSync(join(dataDir, `${id}.dat`))
  assert.equal(b.length % 16, 0)
  const recs: Rec[] = []
  for (let o = 0; o < b.length; o += 16) {
    const data = b.readBigUInt64LE(o + 8)
    assert.equal((data >> 3n) & 7n, 5n, 'record magic')
    const type = data & 3n
    assert.ok(type === 0n || type === 1n, 'entry or exit')
    const addr = data >> 16n
    const name = names.get(addr)
    assert.ok(name !== undefined, `no symbol for 0x${addr.toString(16)}`)
    recs.push({
      ts: b.readBigUInt64LE(o),
      exit: type === 1n,
      depth: Number((data >> 6n) & 1023n),
      addr,
      name,
    })
  }
  return recs
}

interface Node {
  name: string
  children: Node[]
  ts: bigint
  end: bigint
}

/** The call tree of a trace; checks entries and exits pair up at the same depth and time goes forward. */
function tree(recs: { ts: bigint; exit: boolean; name: string; depth?: number }[]): Node {
  const rootNode: Node = { name: '(root)', children: [], ts: 0n, end: 0n }
  const stack: Node[] = [rootNode]
  let last = 0n
  for (const r of recs) {
    assert.ok(r.ts >= last, 'timestamps go forward')
    last = r.ts
    if (!r.exit) {
      if (r.depth !== undefined) assert.equal(r.depth, stack.length - 1, `depth of ${r.name}`)
      const n: Node = { name: r.name, children: [], ts: r.ts, end: 0n }
      stack[stack.length - 1]!.children.push(n)
      stack.push(n)
    } else {
      const n = stack.pop()
      assert.ok(n !== undefined && n !== rootNode, `exit from ${r.name} without an entry`)
      assert.equal(n.name, r.name, 'exit matches the entry')
      if (r.depth !== undefined) assert.equal(r.depth, stack.length - 1, `exit depth of ${r.name}`)
      n.end = r.ts
    }
  }
  assert.equal(stack.length, 1, 'every function entered is left')
  return rootNode
}

function find(n: Node, name: string): Node[] {
  return [...(n.name === name ? [n] : []), ...n.children.flatMap((c) => find(c, name))]
}

const depthOf = (n: Node, name: string): number =>
  n.name === name ? 1 + Math.max(0, ...n.children.map((c) => depthOf(c, name))) : 0

/** calls 5's known shape below main. */
function checkCallsTree(t: Node, what: string): void {
  const mains = find(t, 'main')
  assert.equal(mains.length, 1, `${what}: main once`)
  const main = mains[0]!
  assert.deepEqual(
    main.children.map((c) => c.name),
    ['fib', 'sum_squares', '_IO_printf', '_IO_printf', 'secret', '_IO_printf'],
    `${what}: main's calls`,
  )
  assert.equal(find(main, 'fib').length, 15, `${what}: fib(5) makes 15 calls`)
  assert.equal(depthOf(main.children[0]!, 'fib'), 5, `${what}: fib nests 5 deep`)
  const squares = main.children[1]!.children
  assert.deepEqual(
    squares.map((c) => c.name),
    ['square', 'square', 'square', 'square', 'square'],
  )
  assert.ok(main.end > main.ts)
}

test('uftrace: writes a uftrace.data directory that rebuilds the call tree', async () => {
  const r = await uftraceRun
  ok(r, 'uftrace')
  assert.equal(r.stdout, 'fib(5) = 5\nsum_squares(5) = 55\nsecret() = 42\n')
  assert.match(r.log, /^uftrace: \d+ functions, 1 traces written to /m)
  // info: uftrace's file header (magic "Ftrace!", version 4, 40 bytes) then its sections.
  const info = readFileSync(join(uftraceDir, 'info'))
  assert.equal(info.subarray(0, 8).toString('latin1'), 'Ftrace!\0')
  assert.equal(info.readUInt32LE(8), 4)
  assert.equal(info.readUInt16LE(12), 40)
  const text = info.subarray(40).toString('utf8')
  assert.match(text, new RegExp(`^exename:${guest('calls')}$`, 'm'))
  assert.match(text, /^taskinfo:nr_tid=1$/m)
  assert.match(text, /^taskinfo:tids=100$/m)
  assert.equal(
    readFileSync(join(uftraceDir, 'task.txt'), 'utf8'),
    'SESS timestamp=0.0 pid=100 sid=0 exename="cpu0"\nTASK timestamp=0.0 tid=100 pid=100\n',
  )
  assert.match(readFileSync(join(uftraceDir, 'sid-0.map'), 'utf8'), /\[stack\]\n$/)
  const recs = readTrace(uftraceDir, 100)
  const t = tree(recs)
  checkCallsTree(t, 'uftrace')
  // Time is the retired instruction count: the same work takes the same time.
  const squares = find(t, 'square').map((n) => n.end - n.ts)
  assert.ok(
    squares.every((d) => d === squares[0] && d > 0n && d < 20n),
    `square durations ${squares}`,
  )
})

test('uftrace: uftrace replays the directory', async (t) => {
  if (spawnSync('uftrace', ['--version']).status !== 0) {
    if (process.env.CI === 'true') assert.fail('uftrace is required under CI (apt-get install uftrace)')
    process.stderr.write('NOTICE: uftrace not found; reading the recorded trace back with it is skipped\n')
    t.skip('uftrace is not installed')
    return
  }
  ok(await uftraceRun, 'uftrace')
  const r = spawnSync('uftrace', ['replay', '-d', uftraceDir, '-F', 'main'], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^ +\[ +100\] \| main\(\) \{$/m)
  assert.match(r.stdout, /^ +\[ +100\] \| {3}fib\(\) \{$/m)
  assert.match(r.stdout, /^ +[0-9.]+ us \[ +100\] \| {3}secret\(\);$/m)
  assert.equal((r.stdout.match(/ fib\(\)/g) ?? []).length, 15)
  const report = spawnSync('uftrace', ['report', '-d', uftraceDir, '-F', 'sum_squares'], { encoding: 'utf8' })
  assert.match(report.stdout, /^ +[0-9.]+ us +[0-9.]+ us +5 +square$/m)
})

test('uftrace: format=json writes the same tree as Chrome trace events', async () => {
  ok(await jsonRun, 'uftrace json')
  const doc = JSON.parse(readFileSync(uftraceJson, 'utf8')) as {
    traceEvents: {
      ph: string
      ts: number
      pid: number
      tid: number
      name: string
      args?: { name?: string }
    }[]
    displayTimeUnit: string
  }
  assert.equal(doc.displayTimeUnit, 'ns')
  const ev = doc.traceEvents
  assert.ok(ev.some((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === '[100] cpu0'))
  const be = ev.filter((e) => e.ph === 'B' || e.ph === 'E')
  assert.ok(be.every((e) => e.tid === 100 && e.pid === 100 && typeof e.ts === 'number'))
  const t = tree(be.map((e) => ({ ts: BigInt(Math.round(e.ts * 1000)), exit: e.ph === 'E', name: e.name })))
  checkCallsTree(t, 'json')
})

test('uftrace: track=fp follows the frame pointers of code built with them', async () => {
  ok(await fpRun, 'uftrace fp')
  const recs = readTrace(fpDir, 100)
  // Frames of libc code (no frame pointers) come and go; fib's are exact.
  tree(recs)
  const fib = recs.filter((r) => r.name === 'fib')
  assert.equal(fib.filter((r) => !r.exit).length, 15)
  let depth = 0
  let deepest = 0
  for (const r of fib) {
    depth += r.exit ? -1 : 1
    deepest = Math.max(deepest, depth)
  }
  assert.equal(deepest, 5)
  assert.equal(recs.filter((r) => r.name === 'square' && !r.exit).length, 5)
})

test('uftrace: a bad option refuses the plugin', async () => {
  refused(await uftraceBad, 'uftrace.js', /option parsing failed: format=xml/)
})

// ---- lockstep -------------------------------------------------------------------------------

const DIVERGE = /^@ (0x[0-9a-f]{16}) vs (0x[0-9a-f]{16}) \(block (\d+)\)$/

test('lockstep: two identical runs keep in step', async () => {
  const sock = join(dir, 'lockstep-same')
  const args = [...contribPlugin('lockstep', `sockpath=${sock}`), guest('calls')]
  const [a, b] = await pair(args, args)
  ok(a, 'first run')
  ok(b, 'second run')
  assert.equal(a.stdout, 'fib(5) = 5\nsum_squares(5) = 55\nsecret() = 42\n')
  assert.equal(b.stdout, a.stdout)
  const [blocks, blocks2] = one(a.log, /^Executed (\d+)\/(\d+) blocks$/)
  assert.ok(blocks! > 1000n && blocks === blocks2)
  for (const r of [a, b]) {
    assert.match(r.log, /^No divergence :-\)$/m)
    assert.deepEqual(one(r.log, /^Executed (\d+)\/\d+ blocks$/), [blocks])
  }
  // One waited, the other joined; the rendezvous directory is gone.
  assert.match(a.log + b.log, /^setup_socket::ready$/m)
  assert.match(a.log + b.log, /^connect_socket::ready$/m)
  assert.equal(existsSync(sock), false)
})

test('lockstep: runs whose control flow differs report the same divergence from both sides', async () => {
  const strict = join(dir, 'lockstep-diverge')
  const batched = join(dir, 'lockstep-batch')
  const [[a, b], [c, d]] = await Promise.all([
    pair(
      [...contribPlugin('lockstep', `sockpath=${strict}`), guest('calls'), '5'],
      [...contribPlugin('lockstep', `sockpath=${strict}`), guest('calls'), '6'],
    ),
    pair(
      [...contribPlugin('lockstep', `sockpath=${batched}`, 'batch=64'), guest('calls'), '5'],
      [...contribPlugin('lockstep', `sockpath=${batched}`, 'batch=64'), guest('calls'), '6'],
    ),
  ])
  for (const [r, what] of [
    [a, 'a'],
    [b, 'b'],
    [c, 'c'],
    [d, 'd'],
  ] as const)
    ok(r, what)
  // The programs ran on to their ends.
  assert.match(a.stdout, /^fib\(5\) = 5$/m)
  assert.match(b.stdout, /^fib\(6\) = 8$/m)
  const [a1, a2, k] = one(a.log, DIVERGE)
  const [b1, b2, k2] = one(b.log, DIVERGE)
  assert.equal(a1, b2)
  assert.equal(a2, b1)
  assert.notEqual(a1, a2)
  assert.equal(k, k2)
  assert.ok(k! > 100n)
  // Both print the last 5 blocks before it: the same on both sides, and the same for both runs.
  const history = (r: Run) => lines(r.log, /^ {2}previously @ (0x[0-9a-f]{16}\/\d+ \(\d+ insns\)) vs (.*)$/)
  const ha = history(a)
  assert.equal(ha.length, 5)
  for (const m of ha) assert.equal(m[1], m[2])
  assert.deepEqual(
    history(b).map((m) => m[0]),
    ha.map((m) => m[0]),
  )
  for (const r of [a, b]) {
    assert.match(r.log, /^lockstep: the runs diverged at block \d+, after ~\d+ instructions; giving up$/m)
    assert.doesNotMatch(r.log, /No divergence/)
  }
  // Batched exchanges find the same block.
  assert.deepEqual(one(c.log, DIVERGE), [a1, a2, k])
  assert.deepEqual(one(d.log, DIVERGE), [b1, b2, k])
  assert.deepEqual(
    history(c).map((m) => m[0]),
    ha.map((m) => m[0]),
  )
})

test('lockstep: a missing socket path refuses the plugin', async () => {
  refused(await rvscope(...contribPlugin('lockstep'), guest('hello')), 'lockstep.js', /Need a socket path/)
})

// ---- patch -------------------------------------------------------------------------------------

test('patch: QEMU-style byte patch changes exit42 status from 42 to 7', async () => {
  const plain = await exit42
  assert.equal(plain.status, 42)
  const r = await patchQemu
  assert.equal(r.status, 7, r.stderr)
  assert.equal(r.stdout, plain.stdout)
  assert.match(
    r.log,
    /^patching: @0x[0-9a-f]+ hw: @0x[0-9a-f]+\nWriting memory \(vaddr\)\.\.\.\nReading memory \(vaddr\)\.\.\.\nSuccess!$/m,
  )
})

test('patch: a function replaced, an instruction rewritten, a call skipped', async () => {
  const ret = await patchRet
  ok(ret, 'ret=')
  assert.equal(ret.stdout, 'fib(5) = 5\nsum_squares(5) = 55\nsecret() = 7\n')
  assert.match(ret.log, /^patch: secret @0x[0-9a-f]+: returning 7 to 0x[0-9a-f]+$/m)
  assert.match(ret.log, /^patch: secret @0x[0-9a-f]+: reached 1 times, returned 7$/m)

  const bytes = await patchBytes
  ok(bytes, 'patch=')
  assert.equal(bytes.stdout, 'fib(5) = 5\nsum_squares(5) = 55\nsecret() = 13\n')
  assert.match(bytes.log, /^Success!$/m)
  assert.match(bytes.log, /^patch: secret\+8 @0x[0-9a-f]+: reached 1 times, patched$/m)

  const skip = await patchSkip
  ok(skip, 'skip=')
  assert.equal(skip.stdout, 'fib(6) = 6\nsum_squares(6) = 91\nsecret() = 42\n')
  assert.match(skip.log, /^patch: main\+0x26 @0x[0-9a-f]+: skipping 4 bytes$/m)
})

test('patch: a symbol in a stripped program refuses the plugin', async () => {
  refused(await patchStripped, 'patch.js', /no symbol table \(stripped\?\): use addr=/)
})
