/**
 * What a system-call handler works with, and small helpers for reading and
 * writing guest memory the way the kernel's copy_{from,to}_user do: a bad
 * pointer throws MemFault, which the dispatcher turns into -EFAULT.
 */
import type { PagedMemory } from '../../core/paged-memory.js'
import type { Kernel } from '../kernel.js'
import type { Process, Thread } from '../process.js'
import type { SyscallResult } from '../syscall-types.js'

export interface Sys {
  readonly k: Kernel
  readonly t: Thread
  readonly p: Process
  readonly mem: PagedMemory
}

/** A handler receives the six argument registers a0..a5 as unsigned 64-bit values. */
export type SyscallFn = (s: Sys, a: readonly bigint[]) => SyscallResult

/**
 * strace argument kinds, one letter per argument: d signed int, u unsigned,
 * x hex, p pointer, s C string, f open flags, a dirfd (AT_FDCWD), o octal.
 */
export interface SyscallDef {
  name: string
  fn: SyscallFn
  args?: string
}

export type SyscallTable = Record<number, SyscallDef>

const dec = new TextDecoder()
const enc = new TextEncoder()

/** a0..a5 as a C int. */
export const int = (v: bigint): number => Number(BigInt.asIntN(32, v))
/** as a signed 64-bit value (off_t, ssize_t). */
export const i64 = (v: bigint): bigint => BigInt.asIntN(64, v)
/** as an unsigned size, capped to what fits a JS number. */
export const size = (v: bigint): number => (v > 0x7fff_ffffn ? 0x7fff_ffff : Number(v))

export const readString = (mem: PagedMemory, addr: bigint): string => dec.decode(mem.readCString(addr, 4096))
export const encode = (s: string): Uint8Array => enc.encode(s)

export function putU32(mem: PagedMemory, addr: bigint, v: number | bigint): void {
  mem.store(addr, 4, BigInt.asUintN(32, BigInt(v)))
}
export function putU64(mem: PagedMemory, addr: bigint, v: number | bigint): void {
  mem.store(addr, 8, BigInt.asUintN(64, BigInt(v)))
}
export const getU32 = (mem: PagedMemory, addr: bigint): number => Number(mem.load(addr, 4))
export const getU64 = (mem: PagedMemory, addr: bigint): bigint => mem.load(addr, 8)

/** Read a NULL-terminated array of C strings (argv, envp). */
export function readStringArray(mem: PagedMemory, addr: bigint): string[] {
  const out: string[] = []
  if (addr === 0n) return out
  for (let p = addr; ; p += 8n) {
    const s = getU64(mem, p)
    if (s === 0n) return out
    out.push(readString(mem, s))
    if (out.length > 100_000) return out
  }
}

/** Builds a little-endian struct image to copy out in one write. */
export class Struct {
  readonly bytes: Uint8Array
  readonly dv: DataView
  constructor(size: number) {
    this.bytes = new Uint8Array(size)
    this.dv = new DataView(this.bytes.buffer)
  }
  u16(off: number, v: number): this {
    this.dv.setUint16(off, v, true)
    return this
  }
  u32(off: number, v: number | bigint): this {
    this.dv.setUint32(off, Number(BigInt.asUintN(32, BigInt(v))), true)
    return this
  }
  u64(off: number, v: number | bigint): this {
    this.dv.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true)
    return this
  }
}
