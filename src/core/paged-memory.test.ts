/** Unit tests of the paged guest address space: permissions, faults, copy-on-write fork, placement. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Arena } from './arena.js'
import { Access, MemFault } from './errors.js'
import { PagedMemory, Prot } from './paged-memory.js'

const fresh = () => new PagedMemory(new Arena(1 << 20))

test('untouched anonymous memory reads as zero and becomes private on write', () => {
  const m = fresh()
  m.map(0x10000n, 0x2000n, Prot.RW)
  assert.equal(m.load(0x10ff8n, 8), 0n)
  m.store(0x10ff8n, 8, 0x1122334455667788n)
  assert.equal(m.load(0x10ff8n, 8), 0x1122334455667788n)
  assert.equal(m.load(0x11000n, 8), 0n, 'the neighbouring page still shares the zero frame')
})

test('accesses spanning two pages are little-endian and check both pages', () => {
  const m = fresh()
  m.map(0x10000n, 0x2000n, Prot.RW)
  m.store(0x10ffdn, 8, 0x0807060504030201n)
  assert.equal(m.load(0x10ffdn, 8), 0x0807060504030201n)
  assert.equal(m.load(0x11000n, 1), 0x04n)
  m.protect(0x11000n, 0x1000n, Prot.R)
  assert.throws(
    () => m.store(0x10ffen, 4, 0xffffffffn),
    (e: unknown) => e instanceof MemFault && e.permission,
  )
  assert.equal(m.load(0x10ffen, 2), 0x0302n, 'a faulting split store writes nothing')
})

test('faults say what kind of access failed and whether the page was mapped', () => {
  const m = fresh()
  m.map(0x20000n, 0x1000n, Prot.R)
  assert.throws(
    () => m.load(0x30000n, 4),
    (e: unknown) => e instanceof MemFault && !e.permission && e.access === Access.Read,
  )
  assert.throws(
    () => m.store(0x20000n, 4, 1n),
    (e: unknown) => e instanceof MemFault && e.permission && e.access === Access.Write,
  )
  assert.throws(
    () => m.fetch16(0x20000n),
    (e: unknown) => e instanceof MemFault && e.access === Access.Exec,
  )
  assert.throws(
    () => m.load(1n << 60n, 1),
    (e: unknown) => e instanceof MemFault && e.addr === 1n << 60n,
  )
})

test('fork shares frames copy-on-write in both directions', () => {
  const parent = fresh()
  parent.map(0x10000n, 0x1000n, Prot.RW)
  parent.store(0x10000n, 8, 111n)
  const child = parent.fork()
  assert.equal(child.load(0x10000n, 8), 111n)
  child.store(0x10000n, 8, 222n)
  parent.store(0x10008n, 8, 333n)
  assert.equal(parent.load(0x10000n, 8), 111n)
  assert.equal(child.load(0x10000n, 8), 222n)
  assert.equal(child.load(0x10008n, 8), 0n)
})

test('shared mappings stay shared across fork', () => {
  const parent = fresh()
  parent.map(0x10000n, 0x1000n, Prot.RW, true)
  const child = parent.fork()
  child.store(0x10000n, 4, 7n)
  assert.equal(parent.load(0x10000n, 4), 7n)
})

test('findFree skips mapped ranges and honours the limit', () => {
  const m = fresh()
  m.map(0x100000n, 0x3000n, Prot.RW)
  assert.equal(m.findFree(0x2000n, 0x100000n), 0x103000n)
  assert.equal(m.findFree(0x2000n, 0xff000n), 0x103000n)
  assert.equal(m.findFree(0x1000n, 0xff000n), 0xff000n)
  assert.equal(m.findFree(0x10000n, 0x100000n, 0x104000n), undefined)
})

test('unmap, protect of unmapped pages, and move', () => {
  const m = fresh()
  m.map(0x10000n, 0x2000n, Prot.RW)
  m.store(0x10000n, 8, 42n)
  assert.equal(m.protect(0x10000n, 0x3000n, Prot.R), false, 'range with an unmapped page')
  m.move(0x10000n, 0x50000n, 0x2000n)
  assert.equal(m.load(0x50000n, 8), 42n)
  assert.ok(m.isFree(0x10000n, 0x2000n))
  m.unmap(0x50000n, 0x1000n)
  assert.throws(() => m.load(0x50000n, 1), MemFault)
})

test('memory growth keeps guest data and views valid', () => {
  const m = new PagedMemory(new Arena(64 << 10))
  m.map(0x10000n, 0x400000n, Prot.RW)
  for (let a = 0x10000n; a < 0x410000n; a += 0x1000n) m.store(a, 8, a)
  for (let a = 0x10000n; a < 0x410000n; a += 0x1000n) assert.equal(m.load(a, 8), a)
})
