/** System information and resource calls: uname, getrandom, prlimit, sysinfo, umask, riscv_hwprobe. */
import * as os from 'node:os'
import { E } from '../errno.js'
import { encode, getU64, int, putU64, size, Struct, type Sys, type SyscallTable } from './context.js'

/** struct utsname: six 65-byte fields. */
function uname(s: Sys, a: readonly bigint[]): number {
  const fields = ['Linux', os.hostname(), '6.1.0', '#1 SMP', 'riscv64', '(none)']
  const out = new Uint8Array(65 * 6)
  fields.forEach((f, i) => out.set(encode(f).subarray(0, 64), 65 * i))
  s.mem.write(a[0]!, out)
  return 0
}

const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn
/** Default limits (soft, hard) per resource, as a typical Linux login session has them. */
const LIMITS: Record<number, [bigint, bigint]> = {
  0: [RLIM_INFINITY, RLIM_INFINITY], // CPU
  1: [RLIM_INFINITY, RLIM_INFINITY], // FSIZE
  2: [RLIM_INFINITY, RLIM_INFINITY], // DATA
  3: [8n << 20n, RLIM_INFINITY], // STACK
  4: [0n, RLIM_INFINITY], // CORE
  5: [RLIM_INFINITY, RLIM_INFINITY], // RSS
  6: [63_000n, 63_000n], // NPROC
  7: [1024n, 1024n], // NOFILE
  8: [8n << 20n, 8n << 20n], // MEMLOCK
  9: [RLIM_INFINITY, RLIM_INFINITY], // AS
}

function prlimit64(s: Sys, a: readonly bigint[]): number {
  const pid = int(a[0]!)
  const res = int(a[1]!)
  if (pid !== 0 && pid !== s.p.pid) return -E.SRCH
  const lim = LIMITS[res]
  if (lim === undefined) return -E.INVAL
  if (a[3] !== 0n) {
    putU64(s.mem, a[3]!, lim[0])
    putU64(s.mem, a[3]! + 8n, lim[1])
  }
  if (a[2] !== 0n) {
    const soft = getU64(s.mem, a[2]!)
    const hard = getU64(s.mem, a[2]! + 8n)
    if (soft > hard) return -E.INVAL
    LIMITS[res] = [soft, hard]
  }
  return 0
}

function getrandom(s: Sys, a: readonly bigint[]): number {
  const n = size(a[1]!)
  s.mem.write(a[0]!, s.k.randomBytes(n))
  return n
}

function sysinfo(s: Sys, a: readonly bigint[]): number {
  const b = new Struct(112)
  const load = os.loadavg().map((l) => BigInt(Math.round(l * 65536)))
  b.u64(0, Math.floor(os.uptime())).u64(8, load[0]!).u64(16, load[1]!).u64(24, load[2]!)
  b.u64(32, os.totalmem()).u64(40, os.freemem()).u16(80, 1).u32(104, 1)
  b.u16(80, Math.min(s.k.processes.size, 65535))
  s.mem.write(a[0]!, b.bytes)
  return 0
}

export const miscSyscalls: SyscallTable = {
  160: { name: 'uname', fn: uname, args: 'x' },
  166: {
    name: 'umask',
    fn: (s, a) => {
      const old = s.p.umask
      s.p.umask = int(a[0]!) & 0o777
      return old
    },
    args: 'o',
  },
  261: { name: 'prlimit64', fn: prlimit64, args: 'ddxx' },
  163: { name: 'getrlimit', fn: (s, a) => prlimit64(s, [0n, a[0]!, 0n, a[1]!]), args: 'dx' },
  278: { name: 'getrandom', fn: getrandom, args: 'xuu' },
  179: { name: 'sysinfo', fn: sysinfo, args: 'x' },
}
