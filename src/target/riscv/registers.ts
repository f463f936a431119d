/**
 * The registers a RISC-V hart shows to debuggers and plugins, named and
 * grouped as GDB's RISC-V target descriptions do (features
 * `org.gnu.gdb.riscv.cpu`, `.fpu`, `.csr`, `.virtual`), with how each maps
 * onto the IR's register slots. Sizes are GDB's: 64-bit x/f registers and
 * CSRs, 32-bit fflags/frm/fcsr.
 */

import { Slot } from './cpu.js'
import type { Ext } from './decode/table.js'

/** What a register read or write sees of a hart. */
export interface HartView {
  readonly regs: BigUint64Array
  /** PC of the current point (before the instruction about to run). */
  readonly pc: bigint
  instret(): bigint
}

export interface RegisterDef {
  readonly name: string
  readonly feature: string
  /** Size in bytes. */
  readonly size: 4 | 8
  readonly readonly: boolean
  read(h: HartView): bigint
  /** Absent for read-only registers. */
  write?(h: HartView, value: bigint): void
}

const CPU = 'org.gnu.gdb.riscv.cpu'
const FPU = 'org.gnu.gdb.riscv.fpu'
const CSR = 'org.gnu.gdb.riscv.csr'
const VIRTUAL = 'org.gnu.gdb.riscv.virtual'

/** ABI names of x0..x31, GDB's register names. */
// biome-ignore format: one row per 16 registers
export const XREG_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const

/** ABI names of f0..f31. */
// biome-ignore format: one row per 16 registers
export const FREG_NAMES = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
] as const

const slotReg = (name: string, feature: string, slot: number): RegisterDef => ({
  name,
  feature,
  size: 8,
  readonly: false,
  read: (h) => h.regs[slot]!,
  write: (h, v) => {
    h.regs[slot] = v
  },
})

/** A field of fcsr (bits `shift`..`shift+width-1`). */
const fcsrField = (name: string, shift: bigint, width: bigint): RegisterDef => {
  const mask = ((1n << width) - 1n) << shift
  return {
    name,
    feature: FPU,
    size: 4,
    readonly: false,
    read: (h) => (h.regs[Slot.Fcsr]! & mask) >> shift,
    write: (h, v) => {
      h.regs[Slot.Fcsr] = (h.regs[Slot.Fcsr]! & ~mask) | ((v << shift) & mask)
    },
  }
}

const readOnly = (
  name: string,
  feature: string,
  size: 4 | 8,
  read: (h: HartView) => bigint,
): RegisterDef => ({
  name,
  feature,
  size,
  readonly: true,
  read,
})

/** The registers of a user-mode hart with extensions `exts`, in GDB's order. */
export function registerDefs(exts: ReadonlySet<Ext>): RegisterDef[] {
  const defs: RegisterDef[] = [readOnly('zero', CPU, 8, () => 0n)]
  for (let i = 1; i < 32; i++) defs.push(slotReg(XREG_NAMES[i]!, CPU, Slot.X0 + i))
  defs.push(readOnly('pc', CPU, 8, (h) => h.pc))
  if (exts.has('f')) {
    for (let i = 0; i < 32; i++) defs.push(slotReg(FREG_NAMES[i]!, FPU, Slot.F0 + i))
    defs.push(fcsrField('fflags', 0n, 5n), fcsrField('frm', 5n, 3n), fcsrField('fcsr', 0n, 8n))
  }
  // User mode counts cycles as instructions (as the CSR reads do).
  defs.push(
    readOnly('cycle', CSR, 8, (h) => h.instret()),
    readOnly('instret', CSR, 8, (h) => h.instret()),
  )
  // The privilege level: always user mode here.
  defs.push(readOnly('priv', VIRTUAL, 8, () => 0n))
  return defs
}
