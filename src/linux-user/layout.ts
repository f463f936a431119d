/**
 * Where user mode places things in a fresh RV64 address space. The layout
 * follows qemu-riscv64 (7.2) so that programs see the same addresses and
 * alignments: mappings are allocated upward from 2^38 with a moving cursor
 * (position-independent executables, then the stack with a guard page,
 * the dynamic loader and the signal trampoline page), and a dynamically
 * linked executable keeps 32 MiB after its data free for brk.
 */

/** Where mmap starts looking (QEMU's TASK_UNMAPPED_BASE for 64-bit guests). */
export const MMAP_BASE = 0x40_0000_0000n
/** Stack size (RLIMIT_STACK default, 8 MiB), below which one guard page is mapped with no access. */
export const STACK_SIZE = 8n << 20n
/** Room kept free after a dynamically linked executable's data for its brk heap. */
export const BRK_RESERVE = 32n << 20n
/** Highest address (exclusive) mmap hands out. */
export const MMAP_LIMIT = 1n << 40n
