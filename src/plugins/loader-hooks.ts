/**
 * Node module hooks for loading plugins that load.ts cannot load directly
 * (JavaScript plugins, and plugins importing modules other than the API and
 * Node's own). load.ts registers them with `module.register`; they run on
 * Node's loader thread, whose start costs about 45 ms. `rvscope/plugin`
 * resolves to this build's API module wherever the plugin lives, and
 * TypeScript sources are transpiled on the fly (transpile.ts).
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import {
  API_SPECIFIER,
  API_URL,
  cachePath,
  compiler,
  isTs,
  readCached,
  transpile,
  writeCached,
} from './transpile.js'

interface ResolveContext {
  parentURL?: string
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>
type NextLoad = (url: string, context: unknown) => Promise<unknown>

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<unknown> {
  if (specifier === API_SPECIFIER) return { url: API_URL, shortCircuit: true }
  try {
    return await next(specifier, context)
  } catch (e) {
    // A TypeScript plugin may import its sibling './util.js' meaning './util.ts'.
    const parent = context.parentURL
    if (parent !== undefined && isTs(parent) && specifier.startsWith('.') && specifier.endsWith('.js'))
      return next(`${specifier.slice(0, -3)}.ts`, context)
    throw e
  }
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<unknown> {
  if (!isTs(url)) return next(url, context)
  const file = fileURLToPath(url)
  const source = await readFile(file, 'utf8')
  const cached = cachePath(file, source, 'hooked', '.js')
  let js = await readCached(cached)
  if (js === undefined) {
    js = transpile(await compiler(), file, source)
    await writeCached(cached, js)
  }
  return { format: 'module', source: js, shortCircuit: true }
}
