/**
 * `rvscope-riscv64`: run a RISC-V 64 Linux program in user mode, with
 * QEMU linux-user's command line. The process exits with the guest's
 * status (128+n when a signal killed it); bad input prints one line and
 * exits 1, as does a difference found by `-accel lockstep` (printed in
 * full); an internal error says so and exits 70.
 */
import * as fs from 'node:fs'
import type { Backend } from '../backend/backend.js'
import { interpBackend } from '../backend/interp/interp.js'
import { jsBackend } from '../backend/js/jsgen.js'
import { LockstepMismatch, lockstep } from '../backend/lockstep.js'
import { tiered } from '../backend/tiered.js'
import { tieredWasm } from '../backend/wasm/wasmgen.js'
import { UserError } from '../core/errors.js'
import { Log } from '../core/log.js'
import { Kernel } from '../linux-user/kernel.js'
import { F_NAMES, Slot, X_NAMES } from '../target/riscv/cpu.js'
import { Decoder } from '../target/riscv/decode/decoder.js'
import { Disassembler } from '../target/riscv/disasm.js'
import { type CliOptions, parseCli } from './options.js'

/**
 * The guest environment, in QEMU's order: QEMU keeps the variables in a list
 * where every insertion (each host variable in turn, then each -E) goes to
 * the front, so the guest sees the host environment reversed with -E
 * variables first. -U removes.
 */
function guestEnvironment(o: CliOptions): string[] {
  let list: [string, string][] = []
  const set = (k: string, v: string) => {
    list = [[k, v], ...list.filter(([name]) => name !== k)]
  }
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) set(k, v)
  for (const [k, v] of o.setEnv) set(k, v)
  for (const k of o.unsetEnv) list = list.filter(([name]) => name !== k)
  return list.map(([k, v]) => `${k}=${v}`)
}

function openLog(o: CliOptions): { log: Log; close: () => void } {
  if (o.logFile === undefined) return { log: new Log((t) => process.stderr.write(t)), close: () => {} }
  let fd: number
  try {
    fd = fs.openSync(o.logFile, 'w')
  } catch (e) {
    throw new UserError(`cannot open log file ${o.logFile}: ${(e as Error).message}`)
  }
  // Buffered: logs under -d exec or from tracing plugins are large; flushed at exit. Appending to
  // one string costs V8 a rope node per piece, less than an array of pieces joined later. Writing
  // flattens the rope: at 64 KiB its nodes are still in cache (a third less time than at 1 MiB
  // for execlog's 31 million lines).
  let buf = ''
  const flush = () => {
    if (buf.length > 0) fs.writeSync(fd, buf)
    buf = ''
  }
  const log = new Log((t) => {
    buf += t
    if (buf.length > 1 << 16) flush()
  })
  return {
    log,
    close: () => {
      flush()
      fs.closeSync(fd)
    },
  }
}

/** Runs of a block in the interpreter before the JavaScript backend compiles it: start-up code mostly runs once. */
const JS_THRESHOLD = 8
/**
 * The same for the wasm backend, which compiles blocks in batches of
 * WASM_BATCH, or sooner once a waiting block has run WASM_PATIENCE more
 * times (see tieredWasm). Bigger batches amortize module creation (chosen on
 * `python3 -c 'print(1)'`, 43,000 blocks). A threshold of 16 rather than 2
 * leaves warm start-up code to the interpreter and puts more of the hot code
 * of a batch into regions: medians of 3 runs of bench/run.js's programs went
 * from 1.08 to 0.89 s (lua), 0.58 to 0.45 s (memory), 1.25 to 1.14 s (fp),
 * 0.41 to 0.35 s (branchy), sort-hash unchanged; python3 `print(1)` from
 * 3.0 to 2.7 s; 32 measured no better.
 */
const WASM_THRESHOLD = 16
const WASM_BATCH = 256
const WASM_PATIENCE = 32
/**
 * Block runs, counted over the whole process, that the default engine
 * leaves to the interpreter before its wasm tiering starts (tieredWasm's
 * warm-up). The first batches compiled cost far more than later ones
 * (hello's 300 blocks took about 25 ms on the main thread and 100 ms of
 * CPU in all), which a short program never earns back: hello runs 8,300
 * blocks. Past that, interpreting a block run costs about 2 µs more than
 * running it compiled: at most 20 ms, or 1%, of `python3 -c 'print(1)'`,
 * less than its run-to-run noise.
 */
const WASM_WARM_UP = 10_000

/** A RISC-V register slot's name in lockstep reports. */
function slotName(i: number): string {
  if (i < Slot.F0) return `x${i}/${X_NAMES[i]}`
  if (i < Slot.Fcsr) return `f${i - Slot.F0}/${F_NAMES[i - Slot.F0]}`
  const named: Record<number, string> = {
    [Slot.Fcsr]: 'fcsr',
    [Slot.ResAddr]: 'reservation address',
    [Slot.ResVal]: 'reservation value',
    [Slot.ResSize]: 'reservation size',
  }
  return named[i] ?? `slot ${i}`
}

function backendFor(o: CliOptions): Backend {
  switch (o.accel) {
    case 'interp':
      return interpBackend
    case 'js':
      return tiered(interpBackend, jsBackend, JS_THRESHOLD)
    case 'wasm':
      return tieredWasm(interpBackend, WASM_THRESHOLD, WASM_BATCH, WASM_PATIENCE, WASM_WARM_UP)
    case 'lockstep': {
      // The interpreter is the oracle; the subject is the wasm engine compiling every block at its
      // first run (alone in its module), so that no block is interpreted on both sides.
      const disasm = new Disassembler(new Decoder(o.exts))
      return lockstep(interpBackend, tieredWasm(interpBackend, 1, 1, 0), {
        slotName,
        disassemble: (i) => disasm.disassemble(i.bits, i.len as 2 | 4, i.pc),
      })
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  let closeLog = () => {}
  // Loaded only for -plugin: a plain run does without the plugin runtime.
  let plugins: typeof import('../plugins/runtime.js') | undefined
  try {
    const o = parseCli(argv, process.env)
    if (o.info !== undefined) {
      process.stdout.write(o.info)
      return 0
    }
    const { log, close } = openLog(o)
    closeLog = close
    for (const it of o.logItems) log.on.add(it)
    if (o.plugins.length > 0) plugins = await import('../plugins/runtime.js')
    const k = new Kernel({
      log,
      exts: o.exts,
      ...(o.sysroot !== undefined ? { sysroot: o.sysroot } : {}),
      maxInsnsPerTb: o.oneInsnPerTb ? 1 : 512,
      backend: backendFor(o),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      compat: o.compat,
      ...(plugins !== undefined ? { instrumentation: plugins.instrumentation } : {}),
    })
    const program = o.program!
    if (plugins !== undefined) {
      const { instrumentation, PluginError } = plugins
      const [{ attachToKernel }, { loadPlugin, parsePluginSpec }] = await Promise.all([
        import('../plugins/linux-user.js'),
        import('../plugins/load.js'),
      ])
      attachToKernel(k, program)
      // A plugin may end everything with process.exit(code), as C plugins call exit(): atexit
      // callbacks still run and the log is still written, as with QEMU's atexit handlers.
      const close = closeLog
      let exited = false
      const atExit = () => {
        if (exited) return
        exited = true
        try {
          instrumentation.exit()
        } catch (e) {
          if (!(e instanceof PluginError)) throw e
          process.stderr.write(`rvscope-riscv64: ${e.message}\n`)
          process.exitCode = 1
        } finally {
          close()
        }
      }
      process.on('exit', atExit)
      closeLog = () => {
        process.off('exit', atExit)
        close()
      }
      for (const p of o.plugins) await loadPlugin(parsePluginSpec(p))
    }
    k.start(program, [o.argv0 ?? program, ...o.args], guestEnvironment(o))
    const t0 = performance.now()
    const status = k.run()
    plugins?.instrumentation.exit()
    if (o.stats) {
      const secs = (performance.now() - t0) / 1000
      const n = k.retiredInstructions()
      process.stderr.write(
        `rvscope: ${n} instructions in ${secs.toFixed(3)} s, ${(Number(n) / secs / 1e6).toFixed(1)} MIPS (${o.accel})\n`,
      )
    }
    closeLog()
    return status
  } catch (e) {
    closeLog()
    if (e instanceof UserError) {
      process.stderr.write(`rvscope-riscv64: ${e.message}\n`)
      return e.exitStatus
    }
    if (plugins !== undefined && e instanceof plugins.PluginError) {
      process.stderr.write(`rvscope-riscv64: ${e.message}\n`)
      return 1
    }
    // -accel lockstep found an engine difference: a finding, reported in full (the message shows both states).
    if (e instanceof LockstepMismatch) {
      process.stderr.write(`rvscope-riscv64: ${e.message}\n`)
      return 1
    }
    const err = e as Error
    process.stderr.write(
      `rvscope-riscv64: internal error: ${err?.message ?? String(e)}\n${process.env.RVSCOPE_DEBUG ? `${err?.stack}\n` : 'set RVSCOPE_DEBUG=1 for a stack trace\n'}`,
    )
    return 70
  }
}
