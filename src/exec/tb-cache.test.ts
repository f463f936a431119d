import assert from 'node:assert/strict'
import { test } from 'node:test'
import { interpBackend } from '../backend/interp/interp.js'
import type { IrBlock } from '../ir/ir.js'
import { TbCache } from './tb-cache.js'

const block = (pc: number, size: number): IrBlock => ({ pc: BigInt(pc), size, insns: [], ops: [], temps: 0 })

test('a store into translated code drops exactly the blocks it overlaps', () => {
  const c = new TbCache(interpBackend)
  const a = c.add(block(0x1000, 8))
  const b = c.add(block(0x1010, 8))
  // Just before block a: an 8-byte store at 0xff8 ends at 0x1000 and overlaps nothing.
  assert.equal(c.invalidateStore(0x0ff8), false)
  assert.equal(c.invalidateStore(0x1008), true, 'b remains on the page')
  assert.equal(a.valid, true)
  assert.equal(b.valid, true)
  assert.equal(c.invalidateStore(0x1004), true)
  assert.equal(a.valid, false)
  assert.equal(c.get(0x1000n), undefined)
  assert.equal(b.valid, true)
  assert.equal(c.invalidateStore(0x1017), false, 'the page has no blocks left')
  assert.equal(b.valid, false)
})

test('a block spanning two pages is dropped through either page', () => {
  const c = new TbCache(interpBackend)
  const a = c.add(block(0x1ffe, 4))
  assert.equal(c.invalidateStore(0x2000), false)
  assert.equal(a.valid, false)
  // Its entry under the first page is stale now and goes with the next store there.
  assert.equal(c.invalidateStore(0x1000), false)
})
