/**
 * The contrib plugins execlog, cache, drcov, bbv, cflow and traps on real
 * guest programs. Where possible a plugin is checked against another one
 * observing the same run (execlog against insn's counts, cache and cflow
 * and drcov against execlog's trace, bbv against insn), so the checks do
 * not depend on how many instructions a program happens to run. With
 * qemu-riscv64 installed, execlog's trace and register changes are also
 * compared with QEMU's single-stepped `-d exec` and `-d cpu` logs.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { contribPath, contribSource, guest, ok, refused, runner, tempDir } from './harness.js'

const dir = tempDir('rvscope-contrib2-')
const { rvscope } = runner(dir)

// ---- execlog's trace ------------------------------------------------------------------

interface Exec {
  vcpu: number
  pc: bigint
  opcode: number
  disas: string
  mem: { store: boolean; addr: bigint }[]
  regs: Map<string, bigint>
}

const EXEC_LINE =
  /^(\d+), 0x([0-9a-f]+), 0x([0-9a-f]+), "([^"]*)"((?:, (?:load|store), 0x[0-9a-f]{8,})*)((?:, [\w.]+ -> 0x[0-9a-f]+)*)$/

/** execlog's lines of a log (other plugins' lines are skipped). */
function execTrace(log: string): Exec[] {
  const out: Exec[] = []
  for (const line of log.split('\n')) {
    if (!/^\d+, 0x/.test(line)) continue
    const m = EXEC_LINE.exec(line)
    assert.ok(m !== null, `malformed execlog line: ${line}`)
    const mem = [...m[5]!.matchAll(/, (load|store), 0x([0-9a-f]+)/g)].map((a) => ({
      store: a[1] === 'store',
      addr: BigInt(`0x${a[2]}`),
    }))
    const regs = new Map(
      [...m[6]!.matchAll(/, ([\w.]+) -> 0x([0-9a-f]+)/g)].map((a) => [a[1]!, BigInt(`0x${a[2]}`)]),
    )
    out.push({
      vcpu: Number(m[1]),
      pc: BigInt(`0x${m[2]}`),
      opcode: parseInt(m[3]!, 16),
      disas: m[4]!,
      mem,
      regs,
    })
  }
  return out
}

const insnSize = (e: Exec): number => ((e.opcode & 3) === 3 ? 4 : 2)

/** insn.ts's counts from the same log. */
function insnCounts(log: string): { total: bigint; perVcpu: Map<number, bigint>; hits: Map<string, bigint> } {
  const total = /^total insns: (\d+)$/m.exec(log)
  assert.ok(total !== null, `no insn total in:\n${log.slice(-500)}`)
  const perVcpu = new Map(
    [...log.matchAll(/^cpu (\d+) insns: (\d+)$/gm)].map((m) => [Number(m[1]), BigInt(m[2]!)]),
  )
  const hits = new Map([...log.matchAll(/^insn: (.*), hits=(\d+)$/gm)].map((m) => [m[1]!, BigInt(m[2]!)]))
  return { total: BigInt(total[1]!), perVcpu, hits }
}

describe('contrib plugins, batch 2', { concurrency: 2 }, () => {
  test('execlog: one well-formed line per executed instruction, per vCPU', async () => {
    // procs forks: several vCPUs, indices reused.
    const r = await rvscope(
      '-plugin',
      contribSource('insn'),
      '-plugin',
      contribSource('execlog'),
      guest('procs'),
    )
    ok(r)
    const trace = execTrace(r.log)
    const counts = insnCounts(r.log)
    assert.equal(BigInt(trace.length), counts.total)
    assert.ok(counts.perVcpu.size > 1, 'several vCPUs')
    for (const [vcpu, n] of counts.perVcpu)
      assert.equal(BigInt(trace.filter((e) => e.vcpu === vcpu).length), n, `vCPU ${vcpu}`)
    let accesses = 0
    let loadsStores = 0
    for (const e of trace) {
      // The opcode is the instruction's own bytes: 16 bits for a compressed one.
      if (insnSize(e) === 2) assert.ok(e.opcode < 0x10000, `compressed opcode ${e.disas}`)
      // One access of the right kind (none if it faulted: procs' children die of SIGSEGV).
      const store = /^s[bhwd] /.test(e.disas)
      if (store || /^l[bhwd]u? /.test(e.disas)) {
        loadsStores++
        assert.ok(e.mem.length <= 1 && e.mem.every((m) => m.store === store), `${e.disas}`)
        accesses += e.mem.length
      }
      if (e.disas === 'ecall') assert.equal(e.mem.length, 0)
    }
    assert.ok(loadsStores > 1000 && accesses >= loadsStores - 10)
  })

  test('execlog: ifilter and afilter log exactly the matching instructions', async () => {
    const full = execTrace((await rvscope('-plugin', contribPath('execlog'), guest('asm-mext'))).log)
    const counts = new Map<bigint, number>()
    for (const e of full) counts.set(e.pc, (counts.get(e.pc) ?? 0) + 1)
    // Two addresses run more than once, and a prefix.
    const [a1, a2] = [...counts].filter(([, n]) => n > 1).map(([pc]) => pc)
    assert.ok(a1 !== undefined && a2 !== undefined)
    const af = await rvscope(
      '-plugin',
      `${contribPath('execlog')},afilter=${a1.toString(16)},afilter=0x${a2.toString(16)}`,
      guest('asm-mext'),
    )
    ok(af)
    const picked = execTrace(af.log)
    assert.deepEqual(
      picked.map((e) => e.pc),
      full.filter((e) => e.pc === a1 || e.pc === a2).map((e) => e.pc),
    )
    const ifl = await rvscope(
      '-plugin',
      `${contribPath('execlog')},ifilter=mul,ifilter=beq`,
      guest('asm-mext'),
    )
    ok(ifl)
    const matched = execTrace(ifl.log)
    const expected = full.filter((e) => e.disas.startsWith('mul') || e.disas.startsWith('beq'))
    assert.ok(expected.length > 10 && expected.length < full.length / 2)
    assert.deepEqual(
      matched.map((e) => `${e.pc} ${e.disas}`),
      expected.map((e) => `${e.pc} ${e.disas}`),
    )
  })

  test('execlog: reg= reports the registers each instruction changed, exactly', async () => {
    // Blocks of many instructions must report the same as one instruction per block.
    const [multi, single] = await Promise.all([
      rvscope('-plugin', `${contribPath('execlog')},reg=*`, guest('asm-mext')),
      rvscope('-one-insn-per-tb', '-plugin', `${contribPath('execlog')},reg=*`, guest('asm-mext')),
    ])
    ok(multi)
    ok(single)
    assert.equal(multi.log, single.log)
    const trace = execTrace(multi.log)
    // Every instruction moves the PC (the last one's changes are never checked).
    for (const e of trace.slice(0, -1)) assert.ok(e.regs.has('pc'), `pc change in ${e.disas}`)
    // The first instruction reports only the register it wrote, not the start-up values.
    const first = trace[0]!
    const dest = /^\w+ (\w+),/.exec(first.disas)?.[1]
    assert.ok(dest !== undefined, first.disas)
    assert.deepEqual(
      [...first.regs.keys()].filter((k) => k !== 'pc' && k !== 'cycle' && k !== 'instret'),
      [dest],
    )
    // Only the registers asked for, with the same values.
    const only = execTrace(
      (await rvscope('-plugin', `${contribPath('execlog')},reg=s?,reg=a0`, guest('asm-mext'))).log,
    )
    assert.equal(only.length, trace.length)
    for (let i = 0; i < only.length; i++) {
      const want = [...trace[i]!.regs].filter(([k]) => /^s.$/.test(k) || k === 'a0')
      assert.deepEqual([...only[i]!.regs], want, `line ${i}: ${only[i]!.disas}`)
    }
  })

  test('execlog: rdisas checks registers only after instructions naming them', async () => {
    const [plain, assisted] = await Promise.all([
      rvscope('-plugin', `${contribPath('execlog')},reg=s*`, guest('asm-mext')),
      rvscope('-plugin', `${contribPath('execlog')},reg=s*,rdisas=on,ifilter=nothing`, guest('asm-mext')),
    ])
    ok(plain)
    ok(assisted)
    const all = execTrace(plain.log)
    const some = execTrace(assisted.log)
    // With a filter matching nothing, only instructions whose operands name a tracked register
    // (as text: s1 is in s10) are logged...
    const tracked = ['sp', ...Array.from({ length: 12 }, (_, i) => `s${i}`)]
    const naming = all.filter((e) => {
      const space = e.disas.indexOf(' ')
      return space >= 0 && tracked.some((name) => e.disas.slice(space + 1).includes(name))
    })
    assert.ok(naming.length > 0)
    assert.deepEqual(
      some.map((e) => e.pc),
      naming.map((e) => e.pc),
    )
    // ...with the same register changes.
    assert.deepEqual(
      some.map((e) => [...e.regs]),
      naming.map((e) => [...e.regs]),
    )
  })

  test('execlog: bad options', async () => {
    refused(
      await rvscope('-plugin', `${contribPath('execlog')},frob=1`, guest('hello')),
      'execlog.js',
      /option parsing failed: frob=1/,
    )
    refused(
      await rvscope('-plugin', `${contribPath('execlog')},reg=*,rdisas=maybe`, guest('hello')),
      'execlog.js',
      /boolean argument parsing failed: rdisas=maybe/,
    )
  })

  test("execlog: the trace and registers are QEMU's single-stepped ones", async (t) => {
    const qemu = spawnSync('qemu-riscv64', ['-version'], { encoding: 'utf8' })
    if (qemu.status !== 0) {
      if (process.env.CI === 'true')
        assert.fail('qemu-riscv64 is required under CI (apt-get install qemu-user)')
      process.stderr.write('NOTICE: qemu-riscv64 not found; execlog comparison with QEMU skipped\n')
      t.skip('qemu-riscv64 is not installed')
      return
    }
    const prog = guest('asm-mext')
    const qlog = join(dir, 'qemu-cpu.log')
    const q = spawnSync('qemu-riscv64', ['-singlestep', '-d', 'cpu,exec,nochain', '-D', qlog, prog], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin' },
    })
    assert.equal(q.status, 0)
    // QEMU: the state before each instruction.
    const states: Map<string, bigint>[] = []
    const qpcs: bigint[] = []
    for (const line of readFileSync(qlog, 'utf8').split('\n')) {
      const tr = /^Trace \d+: \S+ \[[0-9a-f]+\/([0-9a-f]+)\//.exec(line)
      if (tr !== null) qpcs.push(BigInt(`0x${tr[1]}`))
      const pc = /^ pc\s+([0-9a-f]+)$/.exec(line)
      if (pc !== null) states.push(new Map([['pc', BigInt(`0x${pc[1]}`)]]))
      for (const m of line.matchAll(/x\d+\/(\w+)\s+([0-9a-f]{16})/g))
        states.at(-1)!.set(m[1]!, BigInt(`0x${m[2]}`))
    }
    // QEMU 7.2's stack: no vDSO, so one auxv entry fewer and sp 16 bytes higher.
    const r = await rvscope('-compat', 'qemu-7.2', '-plugin', `${contribPath('execlog')},reg=*`, prog)
    ok(r)
    const trace = execTrace(r.log)
    assert.deepEqual(
      trace.map((e) => e.pc),
      qpcs,
    )
    assert.equal(states.length, trace.length)
    // Replaying the reported changes from QEMU's initial state gives QEMU's state after each instruction.
    const regs = new Map(states[0]!)
    for (let i = 0; i + 1 < trace.length; i++) {
      for (const [name, v] of trace[i]!.regs) if (regs.has(name)) regs.set(name, v)
      assert.deepEqual(regs, states[i + 1], `after ${trace[i]!.disas} at 0x${trace[i]!.pc.toString(16)}`)
    }
  })

  // ---- cache ----------------------------------------------------------------------------

  interface CacheRow {
    core: string
    dAccess: bigint
    dMiss: bigint
    dRate: number
    iAccess: bigint
    iMiss: bigint
    iRate: number
    l2?: { access: bigint; miss: bigint; rate: number }
  }

  function cacheReport(log: string): { rows: CacheRow[]; lists: Map<string, { addr: bigint; n: bigint }[]> } {
    const lines = log.split('\n')
    const head = lines.findIndex((l) => l.startsWith('core #, data accesses'))
    assert.ok(head >= 0, `no cache table in:\n${log.slice(-1000)}`)
    const rows: CacheRow[] = []
    let i = head + 1
    for (; lines[i] !== ''; i++) {
      const m =
        /^(\d+|sum) +(\d+) +(\d+) +([\d.]+)% {2}(\d+) +(\d+) +([\d.]+)%(?: {2}(\d+) +(\d+) +([\d.]+)%)?$/.exec(
          lines[i]!,
        )
      assert.ok(m !== null, `bad row: ${lines[i]}`)
      assert.equal(lines[i]!.slice(0, 8), m[1]!.padEnd(8))
      rows.push({
        core: m[1]!,
        dAccess: BigInt(m[2]!),
        dMiss: BigInt(m[3]!),
        dRate: Number(m[4]),
        iAccess: BigInt(m[5]!),
        iMiss: BigInt(m[6]!),
        iRate: Number(m[7]),
        ...(m[8] !== undefined
          ? { l2: { access: BigInt(m[8]), miss: BigInt(m[9]!), rate: Number(m[10]) } }
          : {}),
      })
    }
    const lists = new Map<string, { addr: bigint; n: bigint }[]>()
    let current: { addr: bigint; n: bigint }[] | undefined
    for (; i < lines.length; i++) {
      const title = /^address, (.*), instruction$/.exec(lines[i]!)
      if (title !== null) {
        current = []
        lists.set(title[1]!, current)
        continue
      }
      const m = /^0x([0-9a-f]+)(?: \([^)]*\))?, (\d+), .+$/.exec(lines[i]!)
      if (m !== null && current !== undefined) current.push({ addr: BigInt(`0x${m[1]}`), n: BigInt(m[2]!) })
      else if (lines[i] !== '') current = undefined
    }
    return { rows, lists }
  }

  const rateOf = (miss: bigint, access: bigint) => (access === 0n ? 0 : (Number(miss) / Number(access)) * 100)

  test('cache: accesses are the trace’s fetches and memory accesses; misses add up', async () => {
    const r = await rvscope(
      '-plugin',
      contribPath('execlog'),
      '-plugin',
      `${contribPath('cache')},limit=100000`,
      guest('hello'),
    )
    ok(r)
    const trace = execTrace(r.log)
    const { rows, lists } = cacheReport(r.log)
    assert.equal(rows.length, 1)
    const row = rows[0]!
    assert.equal(row.core, '0')
    assert.equal(row.iAccess, BigInt(trace.length))
    assert.equal(row.dAccess, BigInt(trace.reduce((n, e) => n + e.mem.length, 0)))
    assert.ok(row.dMiss > 0n && row.dMiss < row.dAccess)
    assert.ok(row.iMiss > 0n && row.iMiss < row.iAccess)
    assert.equal(row.dRate.toFixed(4), rateOf(row.dMiss, row.dAccess).toFixed(4))
    assert.equal(row.iRate.toFixed(4), rateOf(row.iMiss, row.iAccess).toFixed(4))
    assert.equal(row.l2, undefined)
    // The per-instruction lists hold every instruction: their misses sum to the totals, most first.
    const data = lists.get('data misses')!
    const fetch = lists.get('fetch misses')!
    assert.equal(lists.size, 2)
    assert.ok(data.length >= new Set(trace.map((e) => e.pc)).size)
    assert.equal(
      data.reduce((n, x) => n + x.n, 0n),
      row.dMiss,
    )
    assert.equal(
      fetch.reduce((n, x) => n + x.n, 0n),
      row.iMiss,
    )
    for (const list of [data, fetch])
      for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.n >= list[i]!.n)
    // Every 64-byte block fetched misses at least once.
    const blocks = new Set(trace.map((e) => e.pc >> 6n))
    assert.ok(row.iMiss >= BigInt(blocks.size))
  })

  test('cache: L2, several cores and the eviction policies', async () => {
    const small = 'dcachesize=1024,dassoc=2,dblksize=32,icachesize=512,iassoc=1,iblksize=16'
    const [lru, fifo, rand, l2cores] = await Promise.all([
      rvscope('-plugin', `${contribPath('cache')},${small},limit=3`, guest('hello')),
      rvscope('-plugin', `${contribPath('cache')},${small},evict=fifo,limit=3`, guest('hello')),
      rvscope('-plugin', `${contribPath('cache')},${small},evict=rand,limit=3`, guest('hello')),
      // procs forks: vCPUs 0..3 share 2 simulated cores.
      rvscope(
        '-plugin',
        `${contribPath('cache')},l2=on,l2cachesize=65536,l2assoc=4,cores=2,limit=2`,
        guest('procs'),
      ),
    ])
    for (const r of [lru, fifo, rand, l2cores]) ok(r)
    const [a, b, c] = [lru, fifo, rand].map((r) => cacheReport(r.log).rows[0]!)
    // Same accesses whatever the policy; a small cache misses more than the default one.
    assert.equal(a!.dAccess, b!.dAccess)
    assert.equal(a!.iAccess, c!.iAccess)
    for (const x of [a, b, c]) assert.ok(x!.dMiss > 0n && x!.iMiss > x!.iAccess / 100n)
    assert.equal(cacheReport(lru.log).lists.get('data misses')!.length, 3)
    const { rows, lists } = cacheReport(l2cores.log)
    assert.deepEqual(
      rows.map((x) => x.core),
      ['0', '1', 'sum'],
    )
    assert.match(l2cores.log, /^core #, .*, imiss rate, l2 accesses, l2 misses, l2 miss rate$/m)
    for (const x of rows.slice(0, 2)) {
      // L1 misses of either kind go to the L2 cache.
      assert.ok(x.l2 !== undefined)
      assert.equal(x.l2.access, x.dMiss + x.iMiss)
      assert.ok(x.l2.miss <= x.l2.access)
    }
    const sum = rows[2]!
    const [r0, r1] = [rows[0]!, rows[1]!]
    assert.equal(sum.dAccess, r0.dAccess + r1.dAccess)
    assert.equal(sum.iMiss, r0.iMiss + r1.iMiss)
    assert.equal(sum.l2!.miss, r0.l2!.miss + r1.l2!.miss)
    assert.deepEqual([...lists.keys()], ['data misses', 'fetch misses', 'L2 misses'])
  })

  test('cache: bad options', async () => {
    const run = (opts: string) => rvscope('-plugin', `${contribPath('cache')},${opts}`, guest('hello'))
    refused(await run('dblksize=48'), 'cache.js', /dcache cannot be constructed from given parameters/)
    refused(await run('icachesize=1000'), 'cache.js', /icache .*: cache size must be divisible by block size/)
    refused(await run('evict=mru'), 'cache.js', /invalid eviction policy: evict=mru/)
    refused(await run('colour=blue'), 'cache.js', /option parsing failed: colour=blue/)
  })

  // ---- drcov ------------------------------------------------------------------------------

  test('drcov: a drcov 2 file whose blocks cover exactly the executed code', async () => {
    const file = join(dir, 'hello.drcov')
    const r = await rvscope(
      '-plugin',
      `${contribPath('drcov')},filename=${file}`,
      '-plugin',
      contribPath('execlog'),
      guest('hello'),
    )
    ok(r)
    const data = readFileSync(file)
    // The text part, line by line, up to the block table.
    const lines: string[] = []
    let pos = 0
    while (lines.length < 6) {
      const nl = data.indexOf(10, pos)
      assert.ok(nl > 0, 'truncated header')
      lines.push(data.subarray(pos, nl).toString('latin1'))
      pos = nl + 1
    }
    assert.deepEqual(lines.slice(0, 4), [
      'DRCOV VERSION: 2',
      'DRCOV FLAVOR: drcov-64',
      'Module Table: version 2, count 1',
      'Columns: id, base, end, entry, path',
    ])
    const mod = /^0, 0x([0-9a-f]+), 0x([0-9a-f]+), 0x([0-9a-f]+), (.+)$/.exec(lines[4]!)
    assert.ok(mod !== null, lines[4])
    const [base, end, entry] = [mod[1], mod[2], mod[3]].map((h) => BigInt(`0x${h}`)) as [
      bigint,
      bigint,
      bigint,
    ]
    assert.equal(mod[4], realpathSync(guest('hello')))
    assert.ok(base < entry && entry < end)
    const bbs = /^BB Table: (\d+) bbs$/.exec(lines[5]!)
    assert.ok(bbs !== null, lines[5])
    const n = Number(bbs[1])
    assert.equal(data.length - pos, 8 * n, 'the table is N entries of 8 bytes')
    const blocks: { start: bigint; end: bigint }[] = []
    for (let i = 0; i < n; i++) {
      const off = pos + 8 * i
      const start = BigInt(data.readUInt32LE(off))
      const size = data.readUInt16LE(off + 4)
      assert.equal(data.readUInt16LE(off + 6), 0, 'module id')
      assert.ok(size > 0 && start + BigInt(size) <= end - base, `block ${i} inside the module`)
      blocks.push({ start: base + start, end: base + start + BigInt(size) })
    }
    assert.equal(new Set(blocks.map((b) => `${b.start}:${b.end}`)).size, n, 'no duplicates')
    // Every executed instruction is in a block, and every block started an executed instruction.
    const trace = execTrace(r.log)
    const starts = new Set(blocks.map((b) => b.start))
    const executed = new Set(trace.map((e) => e.pc))
    for (const s of starts) assert.ok(executed.has(s), `block at 0x${s.toString(16)} ran`)
    assert.ok(starts.has(entry), 'the entry block')
    const covered = new Set<bigint>()
    for (const b of blocks) for (let a = b.start; a < b.end; a += 2n) covered.add(a)
    for (const pc of executed) assert.ok(covered.has(pc), `0x${pc.toString(16)} is covered`)
  })

  test('drcov: default file name, unwritable file', async () => {
    const r = await rvscope('-plugin', contribPath('drcov'), guest('exit42'))
    assert.equal(r.status, 42)
    assert.match(
      readFileSync(join(dir, 'file.drcov.trace'), 'latin1'),
      /^DRCOV VERSION: 2\n[\s\S]*BB Table: [1-9]\d* bbs\n/,
    )
    refused(
      await rvscope(
        '-plugin',
        `${contribPath('drcov')},filename=${join(dir, 'no', 'such', 'dir')}`,
        guest('hello'),
      ),
      'drcov.js',
      /cannot open .*no\/such\/dir/,
    )
  })

  // ---- bbv --------------------------------------------------------------------------------

  test('bbv: vectors of the interval, summing to the instructions run', async () => {
    const out = join(dir, 'hello-bbv')
    const interval = 1000n
    const r = await rvscope(
      '-plugin',
      `${contribPath('bbv')},interval=${interval},outfile=${out}`,
      '-plugin',
      contribPath('insn'),
      guest('hello'),
    )
    ok(r)
    const total = insnCounts(r.log).total
    const lines = readFileSync(`${out}.0.bb`, 'utf8').split('\n')
    assert.equal(lines.pop(), '')
    let sum = 0n
    let maxId = 0
    lines.forEach((line, k) => {
      assert.match(line, /^T(:\d+:\d+ )+$/)
      const pairs = [...line.matchAll(/:(\d+):(\d+) /g)].map((m) => [Number(m[1]), BigInt(m[2]!)] as const)
      assert.equal(new Set(pairs.map(([id]) => id)).size, pairs.length, 'each block once per vector')
      for (const [id, n] of pairs) {
        assert.ok(id >= 1 && n > 0n)
        maxId = Math.max(maxId, id)
      }
      sum += pairs.reduce((a, [, n]) => a + n, 0n)
      // The first k+1 vectors hold (k+1) intervals plus less than one block.
      const excess = sum - BigInt(k + 1) * interval
      assert.ok(excess >= 0n && excess < 200n, `vector ${k}: excess ${excess}`)
    })
    // What is left after the last vector is less than an interval (plus a block).
    assert.ok(total - sum >= 0n && total - sum < interval + 200n, `left ${total - sum}`)
    assert.ok(lines.length >= 10 && maxId > 100)
  })

  test('bbv: bad options', async () => {
    const run = (opts: string) => rvscope('-plugin', `${contribPath('bbv')}${opts}`, guest('hello'))
    refused(await run(''), 'bbv.js', /outfile unspecified/)
    refused(await run(`,outfile=${join(dir, 'x')},interval=12k`), 'bbv.js', /malformed integer: interval=12k/)
    refused(
      await run(`,outfile=${join(dir, 'x')},interval=0`),
      'bbv.js',
      /unexpected non-positive value: interval=0/,
    )
    refused(await run(`,outfile=${join(dir, 'none', 'x')}`), 'bbv.js', /cannot open/)
  })

  // ---- cflow ------------------------------------------------------------------------------

  interface CflowNode {
    addr: bigint
    type: string
    early: bigint
    branches: bigint
    dests: [bigint, bigint][]
  }

  function cflowReport(log: string): { collected: number; nodes: CflowNode[] } {
    const lines = log.split('\n')
    const head = lines.findIndex((l) => /^collected \d+ control flow nodes in the hash table$/.test(l))
    assert.ok(head >= 0, `no cflow report in:\n${log.slice(-500)}`)
    const nodes: CflowNode[] = []
    for (const line of lines.slice(head + 1)) {
      const node = /^ {2}addr: 0x([0-9a-f]+) \S+: .+ \((branch|sync fault)\)$/.exec(line)
      const early = /^ {4}early exits (\d+)$/.exec(line)
      const branches = /^ {4}branches (\d+)$/.exec(line)
      const to = /^ {6}to 0x([0-9a-f]+) \((\d+)\)$/.exec(line)
      if (node !== null)
        nodes.push({ addr: BigInt(`0x${node[1]}`), type: node[2]!, early: 0n, branches: -1n, dests: [] })
      else if (early !== null) nodes.at(-1)!.early = BigInt(early[1]!)
      else if (branches !== null) nodes.at(-1)!.branches = BigInt(branches[1]!)
      else if (to !== null) nodes.at(-1)!.dests.push([BigInt(`0x${to[1]}`), BigInt(to[2]!)])
      else assert.equal(line, '', `unexpected cflow line: ${line}`)
    }
    return { collected: Number(/^collected (\d+)/.exec(lines[head]!)![1]), nodes }
  }

  test('cflow: every jump of the trace, by source and destination', async () => {
    const r = await rvscope(
      '-plugin',
      `${contribPath('cflow')},limit=1000000`,
      '-plugin',
      contribPath('execlog'),
      guest('signals'),
    )
    ok(r)
    const trace = execTrace(r.log)
    const { collected, nodes } = cflowReport(r.log)
    // Every translated instruction has a node.
    assert.ok(collected >= new Set(trace.map((e) => e.pc)).size)
    // The jumps: where the next instruction is not the one after.
    const jumps = new Map<bigint, Map<bigint, bigint>>()
    for (let i = 0; i + 1 < trace.length; i++) {
      const e = trace[i]!
      const next = trace[i + 1]!.pc
      if (next === e.pc + BigInt(insnSize(e))) continue
      const d = jumps.get(e.pc) ?? new Map<bigint, bigint>()
      d.set(next, (d.get(next) ?? 0n) + 1n)
      jumps.set(e.pc, d)
    }
    assert.equal(nodes.length, jumps.size)
    for (let i = 1; i < nodes.length; i++)
      assert.ok(nodes[i - 1]!.branches >= nodes[i]!.branches, 'hottest first')
    for (const n of nodes) {
      assert.equal(
        n.branches,
        n.dests.reduce((a, [, c]) => a + c, 0n),
      )
      assert.deepEqual(new Map(n.dests), jumps.get(n.addr), `node 0x${n.addr.toString(16)}`)
    }
    // The two SIGSEGVs leave their blocks early, from a load and a store, to the handler.
    const faults = nodes.filter((n) => n.type === 'sync fault')
    assert.equal(faults.length, 2)
    const disas = new Map(trace.map((e) => [e.pc, e.disas]))
    assert.deepEqual(
      faults.map((n) => [disas.get(n.addr)!.split(' ')[0], n.early]),
      [
        ['sb', 1n],
        ['lbu', 1n],
      ],
    )
    assert.equal(faults[0]!.dests[0]![0], faults[1]!.dests[0]![0], 'same handler')
  })

  test('cflow: sort orders, limit, bad options', async () => {
    const [early, popular] = await Promise.all([
      rvscope('-plugin', `${contribPath('cflow')},sort=early,limit=5`, guest('signals')),
      rvscope('-plugin', `${contribPath('cflow')},sort=exceptions`, guest('signals')),
    ])
    ok(early)
    ok(popular)
    const e = cflowReport(early.log).nodes
    assert.equal(e.length, 5)
    assert.deepEqual(
      e.map((n) => n.early),
      [1n, 1n, 0n, 0n, 0n],
    )
    const p = cflowReport(popular.log).nodes
    assert.equal(p.length, 10, "QEMU's default count")
    for (let i = 1; i < p.length; i++) assert.ok(p[i - 1]!.dests.length >= p[i]!.dests.length)
    assert.ok(p[0]!.dests.length > 2)
    refused(
      await rvscope('-plugin', `${contribPath('cflow')},sort=coldest`, guest('hello')),
      'cflow.js',
      /failed to parse: coldest/,
    )
    refused(
      await rvscope('-plugin', `${contribPath('cflow')},top=3`, guest('hello')),
      'cflow.js',
      /option parsing failed: top=3/,
    )
  })

  // ---- traps -------------------------------------------------------------------------------

  test('traps: signal handlers entered after faults are exceptions, others interrupts', async () => {
    const [signals, segv] = await Promise.all([
      rvscope('-plugin', contribSource('traps'), guest('signals')),
      rvscope('-plugin', contribSource('traps'), guest('segv')),
    ])
    ok(signals)
    // signals.c: SIGSEGV twice and SIGILL once from faults; 14 handlers run for raise, kill,
    // sigqueue, unblocking, nesting and the timer.
    assert.equal(
      signals.log,
      'VCPU, interrupts, exceptions, hostcalls\n   0,         14,          3,          0\n',
    )
    // A fault killing the program enters no handler.
    assert.equal(segv.status, 139)
    assert.equal(
      segv.log,
      'VCPU, interrupts, exceptions, hostcalls\n   0,          0,          0,          0\n',
    )
    refused(
      await rvscope('-plugin', `${contribSource('traps')},verbose=on`, guest('hello')),
      'traps.ts',
      /option parsing failed: verbose=on/,
    )
  })
})
