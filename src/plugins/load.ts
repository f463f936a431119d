/**
 * Loading `-plugin PATH[,name=value...]` modules under Node: resolve the
 * path, import the module, check its exports and install it. Every failure
 * is a PluginError naming the plugin and what went wrong.
 *
 * A TypeScript plugin whose only imports are `rvscope/plugin` and Node's
 * built-in modules (every plugin in contrib/) is transpiled here, with the
 * API's specifier replaced by this build's module, and imported from the
 * transpile cache; a `sourceURL` comment keeps its own path in stack traces.
 * Any other plugin goes through the module hooks of loader-hooks.ts.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { register } from 'node:module'
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PluginArg, PluginInstall } from './api.js'
import { install, PluginError, type PluginRec } from './runtime.js'
import { API_SPECIFIER, API_URL, cachePath, compiler, isTs, transpile, writeCached } from './transpile.js'

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
  let mod: Record<string, unknown>
  try {
    let url = isTs(file) ? await standalone(file) : undefined
    if (url === undefined) {
      if (!hooked) {
        register('./loader-hooks.js', import.meta.url)
        hooked = true
      }
      url = pathToFileURL(file).href
    }
    mod = (await import(url)) as Record<string, unknown>
  } catch (e) {
    const err = e as Error
    const detail = err instanceof SyntaxError ? err.message : (err?.stack ?? String(e))
    throw new PluginError(name, 'load', detail, { cause: e })
  }
  const fn = mod.install
  if (typeof fn !== 'function') throw new PluginError(name, 'load', `does not export an 'install' function`)
  return install(name, mod.version, fn as PluginInstall, spec.args)
}

/**
 * The URL of TypeScript plugin `file` transpiled for a direct import, or
 * undefined if it imports anything but the API and Node's built-in modules,
 * reaches for modules at run time (`import()`, `require`, `import.meta`), or
 * the transpile cache cannot be written. Throws the transpiler's SyntaxError.
 */
async function standalone(file: string): Promise<string | undefined> {
  const source = await readFile(file, 'utf8')
  // The output holds the API's URL: another build (or location) needs its own. The number is
  // the version of this output's form.
  const variant = `direct 1 ${API_URL}`
  const direct = cachePath(file, source, variant, '.mjs')
  // Only whether they exist matters here: import() reads the output itself.
  if (existsSync(direct)) return pathToFileURL(direct).href
  const hooked = cachePath(file, source, variant, '.hooked')
  if (existsSync(hooked)) return undefined
  const ts = await compiler()
  let js = transpile(ts, file, source)
  const imports = ts.preProcessFile(js, true, true).importedFiles
  const own = imports.every((i) => i.fileName === API_SPECIFIER || i.fileName.startsWith('node:'))
  if (!own || /\bimport\s*\(|\bimport\.meta\b|\brequire\s*\(/.test(js)) {
    await writeCached(hooked, '')
    return undefined
  }
  // Each API specifier's string literal, from the last so that earlier positions stay valid. The
  // reported position is the literal's opening quote in TypeScript 5 (its text's first character in
  // some earlier versions): both are accepted, and the literal is checked before it is replaced.
  for (const i of [...imports].sort((x, y) => y.pos - x.pos)) {
    if (i.fileName !== API_SPECIFIER) continue
    const q = js[i.pos] === "'" || js[i.pos] === '"' ? i.pos : i.pos - 1
    const literal = js.slice(q, q + i.fileName.length + 2)
    if (literal !== `'${i.fileName}'` && literal !== `"${i.fileName}"`) return undefined
    js = js.slice(0, q) + JSON.stringify(API_URL) + js.slice(q + literal.length)
  }
  js += `\n//# sourceURL=${pathToFileURL(file).href}\n`
  return (await writeCached(direct, js)) ? pathToFileURL(direct).href : undefined
}
