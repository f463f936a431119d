/**
 * RISC-V hart state as IR register slots, trap causes and CSR numbers.
 *
 * Slots are 64-bit: x0..x31 in 0..31 (slot 0 always reads 0; the translator
 * never writes it), f0..f31 in 32..63 (raw bits, NaN-boxed for single
 * precision), then fcsr and the LR/SC reservation.
 */
import type { Ext } from './decode/table.js'

export const enum Slot {
  X0 = 0,
  F0 = 32,
  /** fcsr: fflags in bits 4:0, frm in bits 7:5. */
  Fcsr = 64,
  /** Address reserved by the last LR (RES_NONE when none). */
  ResAddr = 65,
  /** Value loaded by that LR (SC compares it, as QEMU does). */
  ResVal = 66,
  /** Size of the reservation (4 or 8). */
  ResSize = 67,
  Count = 72,
}

/** "No reservation": an address no access can produce. */
export const RES_NONE = 0xffff_ffff_ffff_ffffn

/** mcause exception codes (privileged spec, table "Machine cause register values"). */
export const enum Cause {
  InsnMisaligned = 0,
  InsnAccessFault = 1,
  IllegalInsn = 2,
  Breakpoint = 3,
  LoadMisaligned = 4,
  LoadAccessFault = 5,
  StoreMisaligned = 6,
  StoreAccessFault = 7,
  EcallU = 8,
  InsnPageFault = 12,
  LoadPageFault = 13,
  StorePageFault = 15,
}

export const enum Csr {
  Fflags = 0x001,
  Frm = 0x002,
  Fcsr = 0x003,
  Cycle = 0xc00,
  Time = 0xc01,
  Instret = 0xc02,
}

/** ABI register names, index = register number. */
export const X_NAMES = [
  'zero',
  'ra',
  'sp',
  'gp',
  'tp',
  't0',
  't1',
  't2',
  's0',
  's1',
  'a0',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'a7',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  's11',
  't3',
  't4',
  't5',
  't6',
] as const
export const F_NAMES = [
  'ft0',
  'ft1',
  'ft2',
  'ft3',
  'ft4',
  'ft5',
  'ft6',
  'ft7',
  'fs0',
  'fs1',
  'fa0',
  'fa1',
  'fa2',
  'fa3',
  'fa4',
  'fa5',
  'fa6',
  'fa7',
  'fs2',
  'fs3',
  'fs4',
  'fs5',
  'fs6',
  'fs7',
  'fs8',
  'fs9',
  'fs10',
  'fs11',
  'ft8',
  'ft9',
  'ft10',
  'ft11',
] as const

/** The extensions of `-cpu rv64` (what Debian's toolchain targets: RV64GC plus bit manipulation). */
export const DEFAULT_EXTS: readonly Ext[] = [
  'i',
  'm',
  'a',
  'f',
  'd',
  'c',
  'zicsr',
  'zifencei',
  'zba',
  'zbb',
  'zbc',
  'zbs',
  'zicond',
  'zihintpause',
]

/** Every extension the decoder knows, for `-cpu` parsing. */
export const KNOWN_EXTS: readonly Ext[] = DEFAULT_EXTS
