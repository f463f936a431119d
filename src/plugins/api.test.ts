import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { test } from 'node:test'
import * as qp from './api.js'

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..')

/** QEMU's name for an API function: snake case with the qemu_plugin_ prefix. */
const cName = (name: string) => `qemu_plugin_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`

test('the name map in docs/plugins.md lists every API function under its QEMU name', () => {
  const doc = readFileSync(join(root, 'docs', 'plugins.md'), 'utf8')
  const functions = Object.entries(qp)
    .filter(([name, v]) => typeof v === 'function' && !/^[A-Z]/.test(name))
    .map(([name]) => name)
  assert.ok(functions.length > 60)
  for (const f of functions)
    assert.ok(doc.includes(`| \`${f}\` | \`${cName(f)}\` |`), `${f} is missing from the map`)
})

test('boolParse accepts QEMU boolean spellings only', () => {
  for (const v of ['on', 'true', 'yes']) assert.equal(qp.boolParse('x', v), true)
  for (const v of ['off', 'false', 'no']) assert.equal(qp.boolParse('x', v), false)
  for (const v of ['', '1', 'ON', 'maybe']) assert.equal(qp.boolParse('x', v), undefined)
})

test('API calls outside a callback or an emulator fail clearly', () => {
  assert.throws(() => qp.getRegisters(), /needs vCPU context/)
  assert.throws(() => qp.readMemoryVaddr(0n, 1), /needs vCPU context/)
  assert.throws(() => qp.setPc(0n), /needs vCPU context/)
  assert.throws(() => qp.tbNInsns({} as qp.Tb), /not a block handle/)
  assert.throws(() => qp.registerVcpuInitCb({} as qp.PluginId, () => {}), /not a plugin id/)
  assert.throws(() => qp.scoreboardNew(8), /not attached|plugin context/)
  assert.equal(qp.getHwaddr(0 as qp.MemInfo, 0n), undefined)
  assert.deepEqual(qp.readMemoryHwaddr(0n, 4), { result: qp.HwaddrOperationResult.INVALID_ADDRESS_SPACE })
})
