/**
 * Where user mode places things in a fresh RV64 address space. The values
 * follow Linux on an Sv39 hart: PIE executables at 2/3 of the 256 GiB user
 * space, the stack right below 2^38, and mmap regions above it.
 */

/** Top of the initial stack (exclusive). */
export const STACK_TOP = 0x40_0000_0000n
/** Stack size reserved below STACK_TOP (RLIMIT_STACK default, 8 MiB). */
export const STACK_SIZE = 8n << 20n
/** Load bias of position-independent executables (Linux ELF_ET_DYN_BASE for riscv64, page aligned). */
export const PIE_BASE = 0x2a_aaaa_a000n
/** First address tried for mmap without a hint (after the stack). */
export const MMAP_BASE = 0x40_0000_0000n + (1n << 30n)
