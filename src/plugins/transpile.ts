/**
 * TypeScript plugin sources to JavaScript, type-only (no type checking, no
 * build step), with syntax errors reported as `file:line:column: message`.
 * Outputs are cached under `$XDG_CACHE_HOME/rvscope/plugins` (default
 * `~/.cache`), keyed by the source, its path and the compiler version, since
 * loading the compiler costs more than most runs. Used by load.ts, and by
 * loader-hooks.ts on Node's loader thread.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The TypeScript compiler module, loaded on first use. */
export type Compiler = typeof import('typescript')

export const isTs = (path: string): boolean => /\.(ts|mts)$/.test(path)

/** The specifier plugins import the API by, and the module of this build it stands for. */
export const API_SPECIFIER = 'rvscope/plugin'
export const API_URL = new URL('./api.js', import.meta.url).href

export async function compiler(): Promise<Compiler> {
  return (await import('typescript')).default
}

/** JavaScript for the TypeScript `source` of `file`; throws a SyntaxError naming each error's position. */
export function transpile(ts: Compiler, file: string, source: string): string {
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
  return out.outputText
}

/** The cache file for an output of `file` with `source`; `variant` tells apart outputs of one source. */
export function cachePath(file: string, source: string, variant: string, ext: string): string {
  const key = createHash('sha256')
    .update(`${compilerVersion()}\0${variant}\0${file}\0${source}`)
    .digest('hex')
  return join(cacheDir(), `${key}${ext}`)
}

/** A cached output, or undefined. */
export async function readCached(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Store an output (atomically: concurrent runs may write the same file); false if the cache is not writable. */
export async function writeCached(path: string, text: string): Promise<boolean> {
  try {
    await mkdir(cacheDir(), { recursive: true })
    const tmp = `${path}.${process.pid}`
    await writeFile(tmp, text)
    await rename(tmp, path)
    return true
  } catch {
    // An unwritable cache only costs time.
    return false
  }
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
