/**
 * Loading `-plugin PATH[,name=value...]` modules under Node: resolve the
 * path, import the module (TypeScript through loader-hooks.ts), check its
 * exports and install it. Every failure is a PluginError naming the plugin
 * and what went wrong.
 */
import { existsSync, statSync } from 'node:fs'
import { register } from 'node:module'
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PluginArg, PluginInstall } from './api.js'
import { install, PluginError, type PluginRec } from './runtime.js'

/** One `-plugin` option, split. */
export interface PluginSpec {
  path: string
  args: PluginArg[]
}

/** Parse `PATH[,name=value...]` (QEMU also accepts `file=PATH` first). */
export function parsePluginSpec(text: string): PluginSpec {
  const parts = text.split(',')
  let path = parts.shift() ?? ''
  if (path.startsWith('file=')) path = path.slice(5)
  if (path === '') throw new PluginError(text, 'load', 'no plugin path given (-plugin PATH[,name=value...])')
  const args = parts.map((a) => {
    const eq = a.indexOf('=')
    return eq < 0
      ? { name: a, value: '', text: a }
      : { name: a.slice(0, eq), value: a.slice(eq + 1), text: a }
  })
  return { path, args }
}

let hooked = false

/** Import and install one plugin (the runtime must be attached). */
export async function loadPlugin(spec: PluginSpec): Promise<PluginRec> {
  const name = basename(spec.path)
  const file = resolve(spec.path)
  if (!existsSync(file) || !statSync(file).isFile())
    throw new PluginError(name, 'load', `no such file: ${spec.path}`)
  if (!hooked) {
    register('./loader-hooks.js', import.meta.url)
    hooked = true
  }
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (e) {
    const err = e as Error
    const detail = err instanceof SyntaxError ? err.message : (err?.stack ?? String(e))
    throw new PluginError(name, 'load', detail, { cause: e })
  }
  const fn = mod.install
  if (typeof fn !== 'function') throw new PluginError(name, 'load', `does not export an 'install' function`)
  return install(name, mod.version, fn as PluginInstall, spec.args)
}
