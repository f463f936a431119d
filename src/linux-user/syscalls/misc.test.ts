/**
 * Unit tests for riscv_hwprobe's answers (the call itself runs in the
 * guest corpus: glibc's start-up asks for CPUPERF_0).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_EXTS } from '../../target/riscv/cpu.js'
import type { Ext } from '../../target/riscv/decode/table.js'
import { hwprobeValue } from './misc.js'

test('riscv_hwprobe reports the base behaviour, each extension bit, fast misaligned accesses', () => {
  const rv64 = new Set<Ext>(DEFAULT_EXTS)
  assert.equal(hwprobeValue(rv64, 3n), 1n)
  // FD, C, Zba, Zbb, Zbs, Zbc, Zicond, Zihintpause (Linux's asm/hwprobe.h bits)
  assert.equal(hwprobeValue(rv64, 4n), (1n << 0n) | (1n << 1n) | (0b10111n << 3n) | (1n << 35n) | (1n << 36n))
  assert.equal(hwprobeValue(rv64, 5n), 3n)
  assert.equal(hwprobeValue(rv64, 6n), 0n)
  const imac = new Set<Ext>(['i', 'm', 'a', 'c', 'zicsr'])
  assert.equal(hwprobeValue(imac, 4n), 1n << 1n, 'no FD without both F and D')
  assert.equal(hwprobeValue(new Set<Ext>(['i', 'm']), 3n), 0n, 'IMA needs A')
  for (const unknown of [7n, 100n, -1n]) assert.equal(hwprobeValue(rv64, unknown), undefined)
})
