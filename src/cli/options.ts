/**
 * Command-line parsing for `rvscope-riscv64`, with QEMU linux-user's flags
 * and environment variables (QEMU_LD_PREFIX, QEMU_STRACE, …). Options end at
 * the first argument that is not an option: that is the guest program.
 */
import { UserError } from '../core/errors.js'
import { logHelp, parseLogMask } from '../core/log.js'
import type { Compat } from '../linux-user/kernel.js'
import { DEFAULT_EXTS, KNOWN_EXTS } from '../target/riscv/cpu.js'
import type { Ext } from '../target/riscv/decode/table.js'

export interface CliOptions {
  sysroot?: string
  setEnv: [string, string][]
  unsetEnv: string[]
  argv0?: string
  exts: Set<Ext>
  logItems: string[]
  logFile?: string
  oneInsnPerTb: boolean
  seed?: bigint
  /**
   * -accel: interp (the reference interpreter), js (blocks compiled to JavaScript), wasm (to WebAssembly),
   * or lockstep (every block in the interpreter and in wasm, stopping at the first difference).
   */
  accel: 'interp' | 'js' | 'wasm' | 'lockstep'
  /** -stats: print the retired-instruction count and speed at exit. */
  stats: boolean
  /** -compat: the kernel behaviour the guest sees (see KernelOptions.compat). */
  compat: Compat
  /** -plugin PATH[,name=value...], in order. */
  plugins: string[]
  program?: string
  args: string[]
  /** -h / -version / -d help: print this and exit 0. */
  info?: string
}

export const VERSION = '0.1.0'
const NAME = 'rvscope-riscv64'

export function usage(): string {
  return `usage: ${NAME} [options] program [arguments...]
Run a RISC-V 64 Linux program (user mode), with QEMU linux-user's options.

Options and their environment variables:
-h                                print this help
-L path           QEMU_LD_PREFIX  look for absolute guest paths (the dynamic loader, libraries) under path first
-E var=value      QEMU_SET_ENV    set an environment variable for the guest (repeatable)
-U var            QEMU_UNSET_ENV  remove an environment variable from the guest (repeatable)
-0 argv0                          set the guest's argv[0]
-cpu model        QEMU_CPU        rv64, optionally with extensions: rv64,zba=off,c=on (-cpu help lists them)
-d item[,...]     QEMU_LOG        enable logging of the given items (-d help lists them)
-D logfile        QEMU_LOG_FILENAME  write the log to logfile instead of stderr
-strace           QEMU_STRACE     log system calls
-one-insn-per-tb  QEMU_SINGLESTEP translate one instruction per block (alias: -singlestep)
-seed number      QEMU_RAND_SEED  seed for AT_RANDOM and getrandom, for reproducible runs
-accel engine                     wasm (default: hot blocks compiled to WebAssembly), js (to JavaScript), interp
                                  (the reference interpreter only) or lockstep (each block run by the interpreter
                                  and by wasm; stops with status 1 at the first block whose results differ, showing
                                  both states; slow; not with -plugin)
-stats                            print retired guest instructions and speed on stderr at exit
-compat linux|qemu-10|qemu-7.2    what the guest sees: Linux (default: its system calls, a vDSO), or exactly what
                                  that qemu-riscv64 shows it (the calls it lacks answered with ENOSYS; 7.2: no vDSO,
                                  its block ends), for like-for-like counts and traces
-plugin path[,arg=value...]       load a plugin (a .ts or .js module using rvscope/plugin; repeatable);
                                  its output goes to the log with -d plugin
-version                          print the version and exit
`
}

function cpuHelp(): string {
  return `Available CPU models: rv64 (alias: any, max)\nExtensions (name=on|off): ${KNOWN_EXTS.join(' ')}\nDefault: ${DEFAULT_EXTS.join(' ')}\n`
}

function parseCpu(spec: string): Set<Ext> {
  const [model, ...props] = spec.split(',')
  if (!['rv64', 'any', 'max'].includes(model!))
    throw new UserError(`unknown CPU model '${model}' (try -cpu help)`)
  const exts = new Set<Ext>(DEFAULT_EXTS)
  for (const p of props) {
    const m = /^([a-z0-9_]+)=(on|off|true|false|yes|no)$/i.exec(p)
    if (m === null) throw new UserError(`bad -cpu property '${p}': expected name=on or name=off`)
    const name = m[1]!.toLowerCase() as Ext
    if (!KNOWN_EXTS.includes(name)) throw new UserError(`unknown CPU extension '${m[1]}' (try -cpu help)`)
    const on = ['on', 'true', 'yes'].includes(m[2]!.toLowerCase())
    if (on) exts.add(name)
    else exts.delete(name)
  }
  if (!exts.has('i')) throw new UserError('-cpu: the base ISA (i) cannot be disabled')
  if (exts.has('d') && !exts.has('f')) throw new UserError('-cpu: D requires F')
  return exts
}

function parseSeed(v: string): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new UserError(`bad -seed value '${v}': expected a number`)
  return BigInt(v)
}

function parseEnvAssignment(v: string): [string, string] {
  const i = v.indexOf('=')
  if (i <= 0) throw new UserError(`bad -E value '${v}': expected var=value`)
  return [v.slice(0, i), v.slice(i + 1)]
}

/** Parse argv (without node and the script) and the QEMU_* environment. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const o: CliOptions = {
    setEnv: [],
    unsetEnv: [],
    exts: new Set(DEFAULT_EXTS),
    logItems: [],
    oneInsnPerTb: false,
    accel: 'wasm',
    stats: false,
    compat: 'linux',
    plugins: [],
    args: [],
  }
  // Environment first, so that flags override it (as QEMU does).
  if (env.QEMU_LD_PREFIX) o.sysroot = env.QEMU_LD_PREFIX
  if (env.QEMU_CPU) o.exts = parseCpu(env.QEMU_CPU)
  if (env.QEMU_STRACE !== undefined) o.logItems.push('strace')
  if (env.QEMU_SINGLESTEP !== undefined) o.oneInsnPerTb = true
  if (env.QEMU_RAND_SEED) o.seed = parseSeed(env.QEMU_RAND_SEED)
  if (env.QEMU_LOG_FILENAME) o.logFile = env.QEMU_LOG_FILENAME
  if (env.QEMU_LOG) {
    const items = parseLogMask(env.QEMU_LOG)
    if ('error' in items) throw new UserError(items.error)
    o.logItems.push(...items)
  }
  for (const kv of env.QEMU_SET_ENV?.split(',').filter(Boolean) ?? []) o.setEnv.push(parseEnvAssignment(kv))
  for (const k of env.QEMU_UNSET_ENV?.split(',').filter(Boolean) ?? []) o.unsetEnv.push(k)

  let i = 0
  const value = (flag: string): string => {
    const v = argv[++i]
    if (v === undefined) throw new UserError(`option ${flag} needs an argument`)
    return v
  }
  for (; i < argv.length; i++) {
    const a = argv[i]!
    if (!a.startsWith('-') || a === '-') break
    if (a === '--') {
      i++
      break
    }
    // QEMU accepts both -flag and --flag.
    const flag = a.startsWith('--') ? a.slice(1) : a
    switch (flag) {
      case '-h':
      case '-help':
        o.info = usage()
        return o
      case '-version':
        o.info = `${NAME} version ${VERSION}\n`
        return o
      case '-L':
        o.sysroot = value(a)
        break
      case '-E':
        o.setEnv.push(parseEnvAssignment(value(a)))
        break
      case '-U':
        o.unsetEnv.push(value(a))
        break
      case '-0':
        o.argv0 = value(a)
        break
      case '-cpu': {
        const v = value(a)
        if (v === 'help') {
          o.info = cpuHelp()
          return o
        }
        o.exts = parseCpu(v)
        break
      }
      case '-d': {
        const v = value(a)
        if (v === 'help') {
          o.info = logHelp()
          return o
        }
        const items = parseLogMask(v)
        if ('error' in items) throw new UserError(items.error)
        o.logItems.push(...items)
        break
      }
      case '-D':
        o.logFile = value(a)
        break
      case '-strace':
        o.logItems.push('strace')
        break
      case '-one-insn-per-tb':
      case '-singlestep':
        o.oneInsnPerTb = true
        break
      case '-seed':
        o.seed = parseSeed(value(a))
        break
      case '-accel': {
        const v = value(a)
        if (v !== 'interp' && v !== 'js' && v !== 'wasm' && v !== 'lockstep')
          throw new UserError(`unknown -accel '${v}': expected interp, js, wasm or lockstep`)
        o.accel = v
        break
      }
      case '-stats':
        o.stats = true
        break
      case '-plugin':
        o.plugins.push(value(a))
        break
      case '-compat': {
        const v = value(a)
        if (v !== 'linux' && v !== 'qemu-10' && v !== 'qemu-7.2')
          throw new UserError(`unknown -compat '${v}': expected linux, qemu-10 or qemu-7.2`)
        o.compat = v
        break
      }
      default:
        throw new UserError(`unknown option '${a}' (try -h)`)
    }
  }
  // Lockstep runs each block twice: instrumentation callbacks would run twice too.
  if (o.accel === 'lockstep' && o.plugins.length > 0)
    throw new UserError('-accel lockstep cannot be combined with -plugin (callbacks would run twice)')
  if (i >= argv.length) throw new UserError('no program given (try -h)')
  o.program = argv[i]!
  o.args = argv.slice(i + 1)
  return o
}
