/**
 * The first batch of QEMU contrib/test plugins ported to rvscope (empty,
 * bb, mem, syscall, hotblocks, hotpages, howvec, ips, stoptrigger), run on
 * real guest programs. Their reports must agree with each other and with
 * contrib/plugins/insn.ts (bb's instructions are insn's total, mem's reads
 * plus writes are its accesses, inline and callback modes count the same,
 * hotblocks' executions times sizes add up to the instructions, ...), keep
 * QEMU's output formats, and a bad option must refuse the plugin: status 1
 * and one line naming the option.
 *
 * Plugin output goes to a -D file, apart from the guest's own output. The
 * runs are independent, so they start together and each test awaits its
 * own.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { contribPlugin, contribSourcePlugin, guest, lines, one, refused, runner, tempDir } from './harness.js'

const dir = tempDir('rvscope-contrib-batch1-')
const { rvscope } = runner(dir)

const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n)

function assertSortedDesc(xs: bigint[], what: string): void {
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1]! >= xs[i]!, `${what} not sorted at ${i}: ${xs}`)
}

const HOTBLOCK_ROW = /^0x([0-9a-f]{16}), (\d+), (\d+), (\d+)$/
const HOTPAGE_ROW = /^0x([0-9a-f]{16}), 0x([0-9a-f]{4}), (\d+), 0x([0-9a-f]{4}), (\d+)$/
const HOWVEC_CLASS = /^Class: (.{24})\t\((\d+) hits\)$/
const SYSCALL_ROW = /^(\d+) +(\d+) +(\d+)$/

// ---- the runs ---------------------------------------------------------------

// Counting with callbacks, then the same with inline operations.
const callbacks = rvscope(
  ...contribPlugin('insn'),
  ...contribPlugin('bb'),
  ...contribPlugin('mem', 'callback=on'),
  ...contribPlugin('hotblocks', 'limit=0'),
  ...contribPlugin('howvec'),
  ...contribPlugin('syscall'),
  guest('hello'),
)
const inline = rvscope(
  ...contribPlugin('insn', 'inline=on'),
  ...contribPlugin('bb', 'inline=on'),
  ...contribPlugin('mem', 'inline=on'),
  ...contribPlugin('hotblocks', 'inline=on'),
  ...contribPlugin('howvec', 'inline=on'),
  ...contribPlugin('hotpages'),
  guest('hello'),
)
// Reads only, each printed; system calls printed, writes dumped.
const reads = rvscope(
  ...contribPlugin('mem', 'track=r', 'callback=on', 'print-accesses=on'),
  ...contribPlugin('syscall', 'print=on', 'log_writes=on'),
  guest('hello'),
)
// Writes only, summarized per region; pages by address. (Not with inline=on:
// as in QEMU, the region summary's callback counts too, so inline=on and
// region-summary=on count every access twice.)
const writes = rvscope(
  ...contribPlugin('mem', 'track=w', 'callback=on', 'region-summary=on'),
  ...contribPlugin('hotpages', 'sortby=address', 'pagesize=65536'),
  guest('hello'),
)
const stopCount = rvscope(
  ...contribPlugin('stoptrigger', 'icount=1000:7'),
  ...contribPlugin('insn'),
  guest('hello'),
)
const helloEntry = readFileSync(guest('hello')).readBigUInt64LE(24)
const stopAddr = rvscope(
  ...contribPlugin('stoptrigger', `addr=0x${helloEntry.toString(16)}:3`),
  guest('hello'),
)
// The others load plugins compiled with this test; this one loads its source, as users do.
const empty = rvscope(...contribSourcePlugin('empty'), guest('exit42'))
const bare = rvscope(guest('exit42'))

// ips: a second plugin measures, on the host clock, from the vCPU's start to the end.
const spanPlugin = join(dir, 'span.mjs')
writeFileSync(
  spanPlugin,
  `import * as qp from 'rvscope/plugin'
export const version = qp.PLUGIN_VERSION
let t0
export const install = (id) => {
  qp.registerVcpuInitCb(id, () => { t0 ??= process.hrtime.bigint() })
  qp.registerAtexitCb(id, () => qp.outs('span-ms: ' + (process.hrtime.bigint() - t0) / 1000000n + '\\n'))
}
`,
)
const throttled = rvscope(
  ...contribPlugin('ips', 'ips=20k'),
  '-plugin',
  spanPlugin,
  ...contribPlugin('insn'),
  guest('exit42'),
)

const badOptions = [
  rvscope(...contribPlugin('bb', 'inline=maybe'), guest('hello')),
  rvscope(...contribPlugin('mem', 'track=x'), guest('hello')),
  rvscope(...contribPlugin('syscall', 'frob=1'), guest('hello')),
  rvscope(...contribPlugin('hotblocks', 'limit=ten'), guest('hello')),
  rvscope(...contribPlugin('hotpages', 'sortby=size'), guest('hello')),
  rvscope(...contribPlugin('howvec', 'count=nosuch'), guest('hello')),
  rvscope(...contribPlugin('ips', 'ips=10x'), guest('hello')),
  rvscope(...contribPlugin('stoptrigger', 'icount=0'), guest('hello')),
]

// ---- the checks ---------------------------------------------------------------

test('empty: the guest runs as without plugins, nothing is reported', async () => {
  const [r, b] = await Promise.all([empty, bare])
  assert.equal(r.status, 42)
  assert.equal(r.stdout, b.stdout)
  assert.equal(r.stderr, b.stderr)
  assert.equal(r.log, '')
})

test('bb: instructions equal insn total, inline and callbacks agree', async () => {
  const [c, i] = await Promise.all([callbacks, inline])
  for (const r of [c, i]) assert.equal(r.status, 0, r.stderr)
  const [total] = one(c.log, /^total insns: (\d+)$/)
  assert.ok(total! > 10_000n)
  const [bbs, insns] = one(c.log, /^Total: bb's: (\d+), insns: (\d+)$/)
  assert.equal(insns, total)
  assert.ok(bbs! > 1000n && bbs! < insns!)
  // One vCPU: its line repeats the total.
  assert.deepEqual(one(c.log, /^CPU0: bb's: (\d+), insns: (\d+)$/), [bbs, insns])
  assert.deepEqual(one(i.log, /^Total: bb's: (\d+), insns: (\d+)$/), [bbs, insns])
  assert.deepEqual(one(i.log, /^total insns: (\d+)$/), [total])
})

test('mem: reads plus writes are all accesses; inline, callbacks and printed accesses agree', async () => {
  const [c, i, r, w] = await Promise.all([callbacks, inline, reads, writes])
  for (const x of [c, i, r, w]) assert.equal(x.status, 0, x.stderr)
  const [all] = one(c.log, /^mem accesses: (\d+)$/)
  assert.deepEqual(one(i.log, /^mem accesses: (\d+)$/), [all])
  const [nr] = one(r.log, /^mem accesses: (\d+)$/)
  const [nw] = one(w.log, /^mem accesses: (\d+)$/)
  assert.ok(nr! > 0n && nw! > 0n)
  assert.equal(nr! + nw!, all)

  // print-accesses: QEMU's CSV header, one line per counted access.
  assert.match(r.log, /^insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value$/m)
  const printed = lines(
    r.log,
    /^0x[0-9a-f]+,[^,\n]*,0x[0-9a-f]+,0x([0-9a-f]+),(\d+),(load|store),0x([0-9a-f]+)$/,
  )
  assert.equal(BigInt(printed.length), nr)
  for (const [line, hw, bits, type, value] of printed) {
    assert.equal(type, 'load', line)
    assert.equal(hw, '0', `user mode has no hardware address: ${line}`)
    assert.ok(['8', '16', '32', '64'].includes(bits!), line)
    assert.equal(value!.length, Number(bits) / 4, `value printed to its width: ${line}`)
  }

  // region-summary over writes only: every region's writes add up, nothing read.
  assert.match(w.log, /^Region Base, Reads, Writes, Seen all$/m)
  const regions = lines(w.log, /^0x([0-9a-f]{16}), (\d+), (\d+), (true|false)$/)
  assert.ok(regions.length > 1)
  const bases = regions.map((m) => BigInt(`0x${m[1]}`))
  for (let k = 1; k < bases.length; k++) assert.ok(bases[k - 1]! < bases[k]!, 'regions by address')
  for (const m of regions) {
    assert.equal(BigInt(`0x${m[1]}`) % 16384n, 0n)
    assert.equal(m[2], '0')
    assert.equal(m[4], 'true')
  }
  assert.equal(sum(regions.map((m) => BigInt(m[3]!))), nw)
  assert.doesNotMatch(w.log, /^Warning:/m)
})

test('syscall: counts include write and exit_group, sorted by calls', async () => {
  const c = await callbacks
  assert.match(c.log, /^syscall no\. {2}calls {2}errors$/m)
  const rows = lines(c.log, SYSCALL_ROW).map((m) => m.slice(1).map((s) => BigInt(s)))
  const byNum = new Map(rows.map(([num, calls, errors]) => [num!, { calls: calls!, errors: errors! }]))
  assert.equal(byNum.size, rows.length, 'one row per system call')
  assert.ok(byNum.get(64n)!.calls >= 2n, 'write: stderr line, then stdout')
  assert.equal(byNum.get(64n)!.errors, 0n)
  assert.deepEqual(byNum.get(94n), { calls: 1n, errors: 0n }, 'exit_group')
  assertSortedDesc(
    rows.map((x) => x[1]!),
    'calls',
  )
  // QEMU's columns: %-13d%-6d %d.
  assert.match(c.log, /^64 {11}\d {5} 0$/m)
})

test('syscall: print=on traces calls and results, log_writes dumps what write returns', async () => {
  const r = await reads
  const log = r.log.split('\n')
  let writesSeen = 0
  for (let k = 0; k < log.length; k++) {
    if (log[k] !== 'syscall #64') continue
    let bytes = 0
    let text = ''
    let j = k + 1
    for (; log[j]!.includes(' | '); j++) {
      const m = /^((?:[0-9a-f]{2} | {3}){16}) \| (.*)$/.exec(log[j]!)
      assert.ok(m, `hexdump line: ${log[j]}`)
      bytes += m[1]!.trim().split(/ +/).length
      text += m[2]
    }
    // Memory callbacks of mem.ts may come in between, not other system calls.
    while (!log[j]!.startsWith('syscall #')) j++
    assert.equal(log[j], `syscall #64 returned -> ${bytes}`)
    if (writesSeen++ === 0) assert.equal(text, 'this.line.goes.to.stderr.')
    else assert.match(text, /^Hello,\.world!\.puts\.works\.too\./)
  }
  assert.equal(writesSeen, 2)
  assert.equal(log.filter((l) => l === 'syscall #94').length, 1)
  assert.ok(!log.some((l) => l.startsWith('syscall #94 returned')), 'exit_group does not return')
  assert.doesNotMatch(r.log, /^syscall no\./m, 'no table with print=on')
})

test('hotblocks: sorted by executions; executions times sizes add up to all instructions', async () => {
  const [c, i] = await Promise.all([callbacks, inline])
  const [entries] = one(c.log, /^collected (\d+) entries in the hash table$/)
  assert.match(c.log, /^pc, tcount, icount, ecount$/m)
  const rows = lines(c.log, HOTBLOCK_ROW).map((m) => m.slice(1).map((s, k) => BigInt(k === 0 ? `0x${s}` : s)))
  // limit=0: every block.
  assert.equal(BigInt(rows.length), entries)
  assertSortedDesc(
    rows.map((x) => x[3]!),
    'ecount',
  )
  const [total] = one(c.log, /^total insns: (\d+)$/)
  assert.equal(sum(rows.map(([, , icount, ecount]) => icount! * ecount!)), total)
  assert.equal(new Set(rows.map(([pc, , icount]) => `${pc}/${icount}`)).size, rows.length)
  // Inline counting, default limit: the same top 20.
  assert.deepEqual(one(i.log, /^collected (\d+) entries in the hash table$/), [entries])
  const top = lines(i.log, HOTBLOCK_ROW).map((m) => m[0])
  assert.equal(top.length, 20)
  assert.deepEqual(
    top,
    lines(c.log, HOTBLOCK_ROW)
      .slice(0, 20)
      .map((m) => m[0]),
  )
})

test('hotpages: pages aligned and sorted, by accesses or by address', async () => {
  const [i, w] = await Promise.all([inline, writes])
  const [all] = one(i.log, /^mem accesses: (\d+)$/)
  for (const r of [i, w]) assert.match(r.log, /^Addr, RCPUs, Reads, WCPUs, Writes$/m)
  const pages = lines(i.log, HOTPAGE_ROW)
  assert.ok(pages.length > 1 && pages.length <= 50)
  for (const m of pages) {
    assert.equal(BigInt(`0x${m[1]}`) % 4096n, 0n)
    // Masks of the vCPUs that read and wrote: only vCPU 0 runs.
    assert.equal(m[2], m[3] === '0' ? '0000' : '0001', m[0])
    assert.equal(m[4], m[5] === '0' ? '0000' : '0001', m[0])
  }
  const accesses = pages.map((m) => BigInt(m[3]!) + BigInt(m[5]!))
  assertSortedDesc(accesses, 'reads+writes')
  // hello touches fewer than 50 pages: every access is in the table.
  assert.equal(sum(accesses), all)
  const big = lines(w.log, HOTPAGE_ROW).map((m) => BigInt(`0x${m[1]}`))
  assert.ok(big.length > 1)
  for (const a of big) assert.equal(a % 65536n, 0n)
  assertSortedDesc(big, 'address')
})

test('howvec: RISC-V classes add up to all instructions, inline and callbacks agree', async () => {
  const [c, i] = await Promise.all([callbacks, inline])
  assert.match(c.log, /^Instruction Classes:$/m)
  const classes = lines(c.log, HOWVEC_CLASS)
  const hits = new Map(classes.map((m) => [m[1]!.trim(), BigInt(m[2]!)]))
  const [total] = one(c.log, /^total insns: (\d+)$/)
  assert.equal(sum([...hits.values()]), total)
  for (const name of ['Loads', 'Stores', 'Branches', 'C Loads', 'C ALU', 'ALU (imm)', 'System'])
    assert.ok((hits.get(name) ?? 0n) > 0n, `${name} ran`)
  assert.match(c.log, /^Class: Unclassified {12}\tcounted individually$/m)
  assert.doesNotMatch(c.log, /^Individual Instructions:$/m, 'nothing left unclassified')
  assert.deepEqual(
    lines(i.log, HOWVEC_CLASS).map((m) => m[0]),
    classes.map((m) => m[0]),
  )
})

test('ips: the guest is held to the rate on the host clock', async () => {
  const r = await throttled
  assert.equal(r.status, 42, r.stderr)
  // At 20,000 a second, each quantum of 2,000 instructions (checked at the
  // end of a block: at most 2,000 + 512) lasts at least 0.1 s. Unthrottled,
  // exit42's few thousand instructions take a few milliseconds.
  const [insns] = one(r.log, /^total insns: (\d+)$/)
  const quanta = insns! / 2512n
  assert.ok(quanta >= 2n, `${insns} instructions`)
  const [ms] = one(r.log, /^span-ms: (\d+)$/)
  assert.ok(ms! >= 100n * quanta, `${insns} instructions ran in ${ms} ms`)
})

test('stoptrigger: icount ends the guest with its exit code, output kept', async () => {
  const r = await stopCount
  assert.equal(r.status, 7, r.stderr)
  assert.equal(r.stdout, '', 'stopped before printing')
  assert.match(r.log, /^icount reached at 0x[0-9a-f]+, exiting$/m)
  // Other plugins' atexit reports still come (through -D): exactly the 1000
  // instructions (the 1001st stops before insn, loaded second, counts it).
  assert.deepEqual(one(r.log, /^total insns: (\d+)$/), [1000n])
})

test('stoptrigger: addr ends the guest when it reaches the address', async () => {
  const r = await stopAddr
  assert.equal(r.status, 3, r.stderr)
  assert.equal(r.stdout, '')
  assert.equal(r.log, `0x${helloEntry.toString(16)} reached, exiting\n`)
})

test('a bad option refuses the plugin, naming the option', async () => {
  const [bb, mem, syscall, hotblocks, hotpages, howvec, ips, stoptrigger] = await Promise.all(badOptions)
  refused(bb!, 'bb.js', /boolean argument parsing failed: inline=maybe/)
  refused(mem!, 'mem.js', /invalid value for argument track: track=x/)
  refused(syscall!, 'syscall.js', /unsupported argument: frob=1/)
  refused(hotblocks!, 'hotblocks.js', /unsigned integer parsing failed: limit=ten/)
  refused(hotpages!, 'hotpages.js', /invalid value to sortby: size/)
  refused(howvec!, 'howvec.js', /count=nosuch/)
  refused(ips!, 'ips.js', /bad suffix: x .*ips=10x/)
  refused(stoptrigger!, 'stoptrigger.js', /icount parsing failed: '0' must be a positive integer/)
})
