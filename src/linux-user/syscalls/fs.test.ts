/**
 * Unit tests for the pure parts of the file-system calls: struct encodings
 * (linux_dirent64, stat, statx, statfs), flag mapping, the pipe buffer
 * rules, path joining and the /proc texts. The calls themselves are checked
 * against qemu-riscv64 by tests/syscalls/run.sh.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { E } from '../errno.js'
import { type DirEntry, DT, nameBytes, O, Pipe, PipeEnd, Poll, type StatInfo } from '../fd.js'
import { joinPath } from '../paths.js'
import {
  devSplit,
  encodeDirents,
  encodeStat,
  encodeStatfs,
  encodeStatx,
  hostOpenFlags,
  STATX_BASIC_STATS,
  STATX_BTIME,
  setTimes,
  statusFlags,
  type TimeSpec,
  utimesSeconds,
} from './fs.js'
import { pipeSize } from './fs-io.js'
import { isaString } from './procfs.js'

const entry = (name: string, type: DT, ino: bigint): DirEntry => ({ name: nameBytes(name), type, ino })

const sample: StatInfo = {
  dev: (8n << 8n) | 1n,
  ino: 1234n,
  mode: 0o100644n,
  nlink: 2n,
  uid: 1000n,
  gid: 100n,
  rdev: (4n << 8n) | 64n,
  size: 5000n,
  blksize: 4096n,
  blocks: 16n,
  atimeNs: 1_700_000_000_123_456_789n,
  mtimeNs: 1_600_000_000_000_000_001n,
  ctimeNs: -1_500_000_000n,
  birthtimeNs: 42_000_000_007n,
}

test('linux_dirent64 records: 8-aligned reclen, d_off = next index, name NUL-terminated', () => {
  const list = [entry('.', DT.DIR, 2n), entry('..', DT.DIR, 1n), entry('hello.txt', DT.REG, 77n)]
  const { bytes, next } = encodeDirents(list, 0, 4096, (e) => e.ino!)
  assert.equal(next, 3)
  const dv = new DataView(bytes.buffer)
  let o = 0
  const seen: [bigint, bigint, number, number, string][] = []
  while (o < bytes.length) {
    const reclen = dv.getUint16(o + 16, true)
    assert.equal(reclen % 8, 0)
    const name = Buffer.from(bytes.subarray(o + 19, o + reclen))
      .toString('latin1')
      .replace(/\0+$/, '')
    seen.push([dv.getBigUint64(o, true), dv.getBigInt64(o + 8, true), reclen, bytes[o + 18]!, name])
    o += reclen
  }
  assert.deepEqual(seen, [
    [2n, 1n, 24, DT.DIR, '.'],
    [1n, 2n, 24, DT.DIR, '..'],
    [77n, 3n, 32, DT.REG, 'hello.txt'],
  ])
})

test('getdents64 stops at the buffer size and continues from the returned index', () => {
  const list = Array.from({ length: 10 }, (_, i) => entry(`file-${i}`, DT.REG, BigInt(i)))
  // 19 header bytes + "file-N" + NUL = 26, padded to 32.
  const first = encodeDirents(list, 0, 95, (e) => e.ino!)
  assert.equal(first.next, 2)
  assert.equal(first.bytes.length, 64)
  const rest = encodeDirents(list, first.next, 1 << 16, (e) => e.ino!)
  assert.equal(rest.next, 10)
  // Too small for even one record: nothing (getdents64 then fails with EINVAL).
  assert.equal(encodeDirents(list, 0, 16, (e) => e.ino!).bytes.length, 0)
})

test('struct stat (asm-generic, 128 bytes): field offsets and negative times', () => {
  const b = encodeStat(sample)
  assert.equal(b.length, 128)
  const dv = new DataView(b.buffer)
  assert.equal(dv.getBigUint64(0, true), sample.dev)
  assert.equal(dv.getBigUint64(8, true), 1234n)
  assert.equal(dv.getUint32(16, true), 0o100644)
  assert.equal(dv.getUint32(20, true), 2)
  assert.equal(dv.getUint32(24, true), 1000)
  assert.equal(dv.getUint32(28, true), 100)
  assert.equal(dv.getBigUint64(32, true), sample.rdev)
  assert.equal(dv.getBigInt64(48, true), 5000n)
  assert.equal(dv.getInt32(56, true), 4096)
  assert.equal(dv.getBigInt64(64, true), 16n)
  assert.equal(dv.getBigInt64(72, true), 1_700_000_000n)
  assert.equal(dv.getBigInt64(80, true), 123_456_789n)
  assert.equal(dv.getBigInt64(96, true), 1n)
  // -1.5 s is tv_sec -2, tv_nsec 500000000 (nanoseconds are never negative).
  assert.equal(dv.getBigInt64(104, true), -2n)
  assert.equal(dv.getBigInt64(112, true), 500_000_000n)
})

test('struct statx (256 bytes): mask, device numbers split, btime only when reported', () => {
  const x = {
    mask: STATX_BASIC_STATS | STATX_BTIME,
    attributes: 0x2000n,
    attributesMask: 0x303874n,
    mntId: 27n,
  }
  const b = encodeStatx(sample, x)
  assert.equal(b.length, 256)
  const dv = new DataView(b.buffer)
  assert.equal(dv.getUint32(0, true), 0xfff)
  assert.equal(dv.getUint32(4, true), 4096)
  assert.equal(dv.getBigUint64(8, true), 0x2000n)
  assert.equal(dv.getUint32(16, true), 2)
  assert.equal(dv.getUint16(28, true), 0o100644)
  assert.equal(dv.getBigUint64(32, true), 1234n)
  assert.equal(dv.getBigUint64(40, true), 5000n)
  assert.equal(dv.getBigUint64(56, true), 0x303874n)
  assert.equal(dv.getBigInt64(64, true), 1_700_000_000n)
  assert.equal(dv.getUint32(72, true), 123_456_789)
  assert.equal(dv.getBigInt64(80, true), 42n)
  assert.equal(dv.getUint32(88, true), 7)
  assert.equal(dv.getBigInt64(112, true), 1_600_000_000n)
  assert.deepEqual([dv.getUint32(128, true), dv.getUint32(132, true)], [4, 64])
  assert.deepEqual([dv.getUint32(136, true), dv.getUint32(140, true)], [8, 1])
  assert.equal(dv.getBigUint64(144, true), 27n)
  const noBtime = new DataView(encodeStatx(sample, { ...x, mask: STATX_BASIC_STATS }).buffer)
  assert.equal(noBtime.getBigInt64(80, true), 0n)
})

test('device numbers split as glibc encodes them, including large majors and minors', () => {
  assert.deepEqual(devSplit((254n << 8n) | 0n), [254, 0])
  const dev =
    ((0x12345n & 0xfffn) << 8n) |
    ((0x12345n & ~0xfffn) << 32n) |
    (0x6789an & 0xffn) |
    ((0x6789an & ~0xffn) << 12n)
  assert.deepEqual(devSplit(dev), [0x12345, 0x6789a])
})

test('struct statfs (riscv64, 120 bytes)', () => {
  const sf = {
    type: 0xef53n,
    bsize: 4096n,
    blocks: 100n,
    bfree: 50n,
    bavail: 40n,
    files: 1000n,
    ffree: 900n,
  } as fs.BigIntStatsFs
  const dv = new DataView(encodeStatfs(sf, [0x15, 0], 255n, 0x1020n).buffer)
  assert.equal(dv.byteLength, 120)
  assert.equal(dv.getBigUint64(0, true), 0xef53n)
  assert.equal(dv.getBigUint64(48, true), 900n)
  assert.equal(dv.getUint32(56, true), 0x15)
  assert.equal(dv.getBigUint64(64, true), 255n)
  assert.equal(dv.getBigUint64(72, true), 4096n)
  assert.equal(dv.getBigUint64(80, true), 0x1020n)
})

test('open flags: F_GETFL keeps what stays after open, host flags map through Node constants', () => {
  assert.equal(statusFlags(O.RDWR | O.CREAT | O.TRUNC | O.EXCL | O.CLOEXEC | O.APPEND), O.RDWR | O.APPEND)
  assert.equal(statusFlags(O.PATH | O.NOFOLLOW | O.RDWR), O.PATH | O.NOFOLLOW)
  assert.equal(statusFlags(O.RDONLY | O.DIRECTORY | O.LARGEFILE), O.DIRECTORY)
  const c = fs.constants
  assert.equal(hostOpenFlags(O.WRONLY | O.CREAT | O.TRUNC | O.CLOEXEC), c.O_WRONLY | c.O_CREAT | c.O_TRUNC)
  assert.equal(hostOpenFlags(O.RDWR | O.SYNC), c.O_RDWR | c.O_SYNC)
  assert.equal(hostOpenFlags(O.RDONLY | O.NONBLOCK | O.DIRECT), c.O_NONBLOCK)
  assert.equal(hostOpenFlags(O.PATH | O.RDWR | O.CREAT) & c.O_CREAT, 0)
})

test('pipes hold whole pages: small writes merge, a full pipe takes nothing more', () => {
  const p = new Pipe()
  const w = new PipeEnd(p, true, O.WRONLY | O.NONBLOCK)
  const r = new PipeEnd(p, false, O.RDONLY | O.NONBLOCK)
  let total = 0
  for (;;) {
    const n = w.write(new Uint8Array(1000))
    if (typeof n !== 'number' || n < 0) {
      assert.equal(n, -11)
      break
    }
    total += n
  }
  // Four 1000-byte writes share a page; sixteen pages.
  assert.equal(total, 64000)
  assert.equal(w.pollMask() & Poll.OUT, 0)
  assert.equal(r.pollMask() & Poll.IN, Poll.IN)
  const got = r.read(4096)
  assert.ok(got instanceof Uint8Array && got.length === 4096)
  // One page freed: a non-blocking 5000-byte write takes one page.
  assert.equal(w.write(new Uint8Array(5000)), 4096)
  assert.equal(w.write(new Uint8Array(10)), -11)
  r.release()
  assert.equal(w.write(new Uint8Array(1)), -32)
  assert.equal(w.pollMask() & Poll.ERR, Poll.ERR)
})

test('F_SETPIPE_SZ rounds up to a power-of-two number of pages', () => {
  assert.equal(pipeSize(1), 4096)
  assert.equal(pipeSize(5000), 8192)
  assert.equal(pipeSize(65536), 65536)
  assert.equal(pipeSize(1 << 20), 1 << 20)
  assert.equal(pipeSize((1 << 20) + 1), undefined)
})

test('paths are joined, not normalized, so the host resolves .. after symlinks', () => {
  assert.equal(joinPath('/a/b', 'c/../d/'), '/a/b/c/../d/')
  assert.equal(joinPath('/a/b/', '/abs'), '/abs')
  assert.equal(joinPath('/', 'x//y'), '/x/y')
})

test('utimes seconds land on the microsecond below, for times before and after 1970', () => {
  assert.equal(utimesSeconds(1_000_000_000_123_456_789n), '1000000000.1234565')
  assert.equal(utimesSeconds(-99_999_999_500n), '-100.0000005')
  assert.equal(utimesSeconds(-1000n), '-0.0000015')
  assert.equal(utimesSeconds(5n), '0.0000005')
})

test('utimensat times reach the host file to the microsecond, omitted ones kept, no process spawned', () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'rvscope-utimes-'))
  try {
    const f = join(dir, 'a.txt')
    fs.writeFileSync(f, '')
    const cases: [TimeSpec, TimeSpec, bigint, bigint][] = [
      [
        1_000_000_000n * 1_000_000_000n,
        1_234_567_890_000_000_500n,
        1_000_000_000_000_000_000n,
        1_234_567_890_000_000_000n,
      ],
      ['omit', 4_102_444_799_999_999_999n, 1_000_000_000_000_000_000n, 4_102_444_799_999_999_000n],
      [-99_999_999_500n, 'omit', -100_000_000_000n, 4_102_444_799_999_999_000n],
      [7_123_456_789n, 7_000_001_000n, 7_123_456_000n, 7_000_001_000n],
    ]
    for (const [at, mt, wantA, wantM] of cases) {
      assert.equal(setTimes({ path: f, follow: true }, [at, mt]), 0)
      const st = fs.statSync(f, { bigint: true })
      assert.deepEqual([st.atimeNs, st.mtimeNs], [wantA, wantM], `times ${at}, ${mt}`)
    }
    // The guest still sees its nanoseconds (struct stat's st_mtim at offset 88).
    assert.equal(setTimes({ path: f, follow: true }, ['omit', 1_234_567_890_000_000_500n]), 0)
    const guest = new DataView(encodeStat(fs.statSync(f, { bigint: true })).buffer)
    assert.deepEqual([guest.getBigUint64(88, true), guest.getBigUint64(96, true)], [1_234_567_890n, 500n])
    assert.equal(setTimes({ path: join(dir, 'missing'), follow: true }, ['now', 'now']), -E.NOENT)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('ISA string: single letters in canonical order, then z extensions by category', () => {
  assert.equal(
    isaString(['c', 'd', 'a', 'i', 'f', 'm', 'zbs', 'zicsr', 'zba', 'zifencei']),
    'rv64imafdc_zicsr_zifencei_zba_zbs',
  )
})
