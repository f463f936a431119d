/**
 * Binds the plugin runtime to a user-mode emulator (linux-user's Kernel):
 * its arena and log, its vCPUs (one per guest thread), the running
 * program's symbols and code extent, its translations and clocks.
 */
import type { Kernel } from '../linux-user/kernel.js'
import { registerDefs } from '../target/riscv/registers.js'
import { PluginApiError } from './constants.js'
import { attach } from './runtime.js'

export function attachToKernel(k: Kernel, program: string): void {
  const defs = registerDefs(k.decoder.enabled)
  const kind = `riscv64:${[...k.decoder.enabled].sort().join('')}`
  // The program's process: the first one (user mode starts one; children share its image until execve).
  const mm = () => k.init.mm
  // The -d items are set before plugins attach; the test stays off the path of every output line.
  const log = k.log
  attach({
    arena: k.arena,
    targetName: 'riscv64',
    log: log.on.has('plugin') ? (text) => log.write(text) : () => {},
    disassemble: (i) => k.disasm.disassemble(i.bits, i.len as 2 | 4, i.pc),
    symbolAt: (pc) => mm().symbolAt(pc),
    pathToBinary: () => program,
    codeRange: () => {
      if (k.init === undefined)
        throw new PluginApiError('the program is not loaded yet: ask from a callback, not from install')
      return mm().code
    },
    cpus: () => k.cpus(),
    registers: () => ({ kind, defs }),
    flushCode: () => k.flushAllCode(),
    requestQuiescence: () => k.requestQuiescence(),
    // As in QEMU's user mode, guest clocks follow the host whatever a time-controlling plugin says.
    setGuestTime: () => {},
  })
}
