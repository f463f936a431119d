/**
 * Branded scalar types shared by every layer.
 *
 * Guest addresses are `bigint` (RV64 addresses do not fit a double); host
 * offsets index the engine's single WebAssembly.Memory and are plain numbers.
 * The brands keep the three address spaces from being mixed up by accident.
 */

/** A guest virtual address (unsigned 64-bit). */
export type GuestVAddr = bigint & { readonly __brand: 'GuestVAddr' }
/** A guest physical address (system mode). */
export type GuestPAddr = bigint & { readonly __brand: 'GuestPAddr' }
/** A byte offset into the engine's WebAssembly.Memory. */
export type HostOffset = number & { readonly __brand: 'HostOffset' }

export const vaddr = (v: bigint): GuestVAddr => v as GuestVAddr
export const hostOffset = (v: number): HostOffset => v as HostOffset

/** Size of a guest page in bytes (RISC-V base page, also Linux's PAGE_SIZE). */
export const PAGE_SIZE = 4096
export const PAGE_SHIFT = 12

/** Mask a bigint to unsigned 64 bits. */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v)
/** Reinterpret an unsigned 64-bit bigint as signed. */
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v)
/** Sign-extend the low 32 bits to an unsigned 64-bit register value. */
export const sext32 = (v: bigint): bigint => BigInt.asUintN(64, BigInt.asIntN(32, v))
