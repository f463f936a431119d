/**
 * Node module hooks for loading plugins (registered by load.ts with
 * `module.register`; they run on Node's loader thread): `rvscope/plugin`
 * resolves to this build's API module wherever the plugin lives, and
 * TypeScript sources are transpiled on the fly (type-only: no type
 * checking, no build step), with syntax errors reported as
 * `file:line:column: message`. Transpiled output is cached under
 * `$XDG_CACHE_HOME/rvscope/plugins` (default `~/.cache`), keyed by the
 * source and the compiler version, since loading the compiler costs more
 * than most runs.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const API_URL = new URL('./api.js', import.meta.url).href
const isTs = (url: string): boolean => /\.(ts|mts)$/.test(url)

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
  if (specifier === 'rvscope/plugin') return { url: API_URL, shortCircuit: true }
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
  const key = createHash('sha256').update(`${compilerVersion()}\0${file}\0${source}`).digest('hex')
  const cached = join(cacheDir(), `${key}.js`)
  try {
    return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true }
  } catch {
    // Not cached yet.
  }
  const ts = (await import('typescript')).default
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      inlineSources: true,
    },
  })
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error)
  if (errors.length > 0) {
    const text = errors.map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n')
      if (d.file === undefined || d.start === undefined) return `${file}: ${msg}`
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
      return `${file}:${line + 1}:${character + 1}: ${msg}`
    })
    throw new SyntaxError(text.join('\n'))
  }
  try {
    await mkdir(cacheDir(), { recursive: true })
    const tmp = `${cached}.${process.pid}`
    await writeFile(tmp, out.outputText)
    await rename(tmp, cached)
  } catch {
    // An unwritable cache only costs time.
  }
  return { format: 'module', source: out.outputText, shortCircuit: true }
}

function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rvscope', 'plugins')
}

let version: string | undefined
/** The TypeScript compiler's version, read from its package.json without loading the compiler. */
function compilerVersion(): string {
  if (version === undefined) {
    const require = createRequire(import.meta.url)
    version = (require('typescript/package.json') as { version: string }).version
  }
  return version
}
