#!/usr/bin/env node
// Entry point of the npm bin: runs the compiled CLI (npm install builds it).
//
// The build also bundles the CLI into one script and records a V8 code cache
// for it (tools/bundle.js): loading those takes a fraction of the time Node
// needs for the ~90 modules under dist/src, which V8 would also have to
// compile again on every run. The bundle is used while it is at least as
// new as the compiled CLI (a plain `tsc` run makes it stale), the cache
// while it is at least as new as the bundle; V8 itself rejects a cache from
// another V8 version or made under other flags. RVSCOPE_WRITE_CODE_CACHE=1
// makes this run record the cache at exit (the build's training run).
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

// node:fs through require: its ESM view would load Node's stream modules too.
const require = createRequire(import.meta.url)
const fs = require('node:fs')
const vm = require('node:vm')

const modules = new URL('../dist/src/cli/rvscope-riscv64.js', import.meta.url)
const dist = fileURLToPath(new URL('../dist', import.meta.url))
const bundle = `${dist}/rvscope-riscv64.cjs`
const codeCache = `${bundle}.cache`

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs
  } catch {
    return -1
  }
}

/** The bundled CLI's exports and its compiled script, or undefined when the bundle is stale or missing. */
function loadBundle() {
  const built = mtime(bundle)
  if (built < 0 || built < mtime(fileURLToPath(modules))) return undefined
  const source = fs.readFileSync(bundle, 'utf8')
  const cachedData = mtime(codeCache) >= built ? fs.readFileSync(codeCache) : undefined
  // CommonJS's module wrapper, compiled here so that the code cache can be passed in; importModule
  // is how the bundle imports the plugin modules (see tools/bundle.js).
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, importModule) {${source}\n})`,
    { filename: bundle, ...(cachedData !== undefined ? { cachedData } : {}) },
  )
  const module = { exports: {} }
  const importModule = (specifier) => import(new URL(specifier, pathToFileURL(bundle)).href)
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dist, importModule)
  return { main: module.exports.main, script }
}

const bundled = loadBundle()
const { main } = bundled ?? (await import(modules.href))
process.exitCode = await main(process.argv.slice(2))
if (bundled !== undefined && process.env.RVSCOPE_WRITE_CODE_CACHE === '1')
  fs.writeFileSync(codeCache, bundled.script.createCachedData())
