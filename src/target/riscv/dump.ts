/** Register dump for `-d cpu`, laid out like QEMU's riscv_cpu_dump_state. */
import { F_NAMES, Slot, X_NAMES } from './cpu.js'

const h16 = (v: bigint): string => v.toString(16).padStart(16, '0')

export function formatCpuState(regs: BigUint64Array, pc: bigint): string {
  let s = ` pc       ${h16(pc)}\n`
  for (let i = 0; i < 32; i++) {
    s += ` x${i}/${X_NAMES[i]}`.padEnd(10) + ` ${h16(i === 0 ? 0n : regs[Slot.X0 + i]!)}`
    if (i % 4 === 3) s += '\n'
  }
  for (let i = 0; i < 32; i++) {
    s += ` f${i}/${F_NAMES[i]}`.padEnd(10) + ` ${h16(regs[Slot.F0 + i]!)}`
    if (i % 4 === 3) s += '\n'
  }
  return `${s} fcsr     ${h16(regs[Slot.Fcsr]!)}\n`
}
