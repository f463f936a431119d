/**
 * rvscope's plugin API: QEMU's TCG plugin API (`qemu-plugin.h`, API
 * version 7) for TypeScript and JavaScript plugins. Plugins import it as
 * `rvscope/plugin`.
 *
 * Every function here is a QEMU `qemu_plugin_*` function under its
 * camel-cased name without the prefix (`qemu_plugin_register_vcpu_tb_trans_cb`
 * is `registerVcpuTbTransCb`); `docs/plugins.md` has the full table. Where C
 * returns a status and fills an out-parameter, these return the value and
 * throw `PluginApiError` on misuse; 64-bit guest values are bigints.
 *
 * Life cycle: the engine loads each `-plugin` module, checks its exported
 * `version`, and calls its exported `install(id, info, args)` before the
 * guest starts. From then on the plugin acts only through callbacks it
 * registered. A translation callback (`registerVcpuTbTransCb`) receives a
 * block handle; the block's instructions can be inspected and given
 * execution callbacks, inline operations and memory callbacks, which then
 * run every time that code runs. Handles (`Tb`, `Insn`, `MemInfo` values,
 * `Hwaddr`) are valid only during the callback that received them; using
 * one later throws. When the guest ends, atexit callbacks run and the
 * engine exits.
 *
 * Register values seen from callbacks are exact at the callback's point:
 * before the instruction (or block) for execution callbacks, after the
 * access for memory callbacks. Reading needs a callback registered with
 * `CbFlags.R_REGS` or more, writing with `CbFlags.RW_REGS`, redirecting
 * the PC with `CbFlags.RW_REGS_PC` (or a syscall filter).
 */
import {
  type CbFlags,
  type Cond,
  type DisconType,
  HwaddrOperationResult,
  type MemRw,
  type MemValueType,
  type PluginOp,
} from './constants.js'
import * as rt from './runtime.js'

export * from './constants.js'

// ---- versions, ids, install -------------------------------------------------

declare const idBrand: unique symbol
/** A plugin's identity (qemu_plugin_id_t): opaque, handed to `install`. */
export type PluginId = { readonly [idBrand]: true }

/** What `install` learns about the emulator (qemu_info_t). Only valid during `install`. */
export interface PluginInfo {
  /** Guest architecture, as QEMU names it (`riscv64`). */
  readonly targetName: string
  readonly version: { readonly min: number; readonly cur: number }
  /** True under system emulation, false in user mode. */
  readonly systemEmulation: boolean
  /** vCPU counts (system emulation only). */
  readonly system?: { readonly smpVcpus: number; readonly maxVcpus: number }
}

/** One `name=value` argument from `-plugin path,name=value,...`. */
export interface PluginArg {
  readonly name: string
  /** Text after the first `=` ('' if there is none). */
  readonly value: string
  /** The argument as given. */
  readonly text: string
}

/**
 * The function a plugin module exports as `install` (qemu_plugin_install).
 * Return nothing to accept, or a message to refuse loading (the engine then
 * prints it and exits with status 1).
 */
export type PluginInstall = (id: PluginId, info: PluginInfo, args: readonly PluginArg[]) => undefined | string

// ---- enums ------------------------------------------------------------------

// ---- handles ----------------------------------------------------------------

declare const tbBrand: unique symbol
declare const insnBrand: unique symbol
declare const hwaddrBrand: unique symbol
declare const regBrand: unique symbol
declare const scoreboardBrand: unique symbol
declare const entryBrand: unique symbol
declare const timeBrand: unique symbol
declare const meminfoBrand: unique symbol

/** A translated block, during its translation callback (struct qemu_plugin_tb). */
export type Tb = { readonly [tbBrand]: true }
/** An instruction of a block being translated (struct qemu_plugin_insn). */
export type Insn = { readonly [insnBrand]: true }
/** Details of a memory access, during its memory callback (qemu_plugin_meminfo_t). */
export type MemInfo = number & { readonly [meminfoBrand]: true }
/** The physical side of an access (struct qemu_plugin_hwaddr); system emulation only. */
export type Hwaddr = { readonly [hwaddrBrand]: true }
/** A register of some kind of vCPU (struct qemu_plugin_register): shared by all vCPUs of that kind. */
export type RegisterHandle = { readonly [regBrand]: true }
/** Per-vCPU storage (struct qemu_plugin_scoreboard). */
export type Scoreboard = { readonly [scoreboardBrand]: true }
/** A u64 inside each vCPU's element of a scoreboard (qemu_plugin_u64). */
export type U64Entry = { readonly [entryBrand]: true }
/** Permission to control guest time (from `requestTimeControl`). */
export type TimeHandle = { readonly [timeBrand]: true }

/** One register of the current vCPU (qemu_plugin_reg_descriptor). */
export interface RegisterDescriptor {
  readonly handle: RegisterHandle
  /** GDB's name (`a0`, `pc`, `ft0`, `fcsr`). */
  readonly name: string
  /** GDB target-description feature (`org.gnu.gdb.riscv.cpu`, `.fpu`, `.csr`, `.virtual`). */
  readonly feature: string
  /** True where writes are refused (the PC: use `setPc`). */
  readonly isReadonly: boolean
}

/** The value a memory access read or wrote (qemu_plugin_mem_value). */
export interface MemValue {
  readonly type: MemValueType
  /** Zero-extended to its width (u128 values as one bigint). */
  readonly data: bigint
}

// ---- callback types ---------------------------------------------------------

export type SimpleCb = (id: PluginId) => void
export type UdataCb<T> = (id: PluginId, userdata: T) => void
export type VcpuSimpleCb = (id: PluginId, vcpuIndex: number) => void
export type VcpuUdataCb<T> = (vcpuIndex: number, userdata: T) => void
export type VcpuTbTransCb = (id: PluginId, tb: Tb) => void
export type VcpuMemCb<T> = (vcpuIndex: number, info: MemInfo, vaddr: bigint, userdata: T) => void
/** The eight argument registers of a system call (a0..a7, unsigned). */
export type SyscallArgs = [
  a1: bigint,
  a2: bigint,
  a3: bigint,
  a4: bigint,
  a5: bigint,
  a6: bigint,
  a7: bigint,
  a8: bigint,
]
export type VcpuSyscallCb = (id: PluginId, vcpuIndex: number, num: bigint, ...args: SyscallArgs) => void
export type VcpuSyscallRetCb = (id: PluginId, vcpuIndex: number, num: bigint, ret: bigint) => void
/** Return a value to skip the system call and make that its result; return undefined to let it run. */
export type VcpuSyscallFilterCb = (
  id: PluginId,
  vcpuIndex: number,
  num: bigint,
  ...args: SyscallArgs
) => bigint | undefined
export type VcpuDisconCb = (
  id: PluginId,
  vcpuIndex: number,
  type: DisconType,
  fromPc: bigint,
  toPc: bigint,
) => void

// ---- life cycle -------------------------------------------------------------

/** Remove the plugin: its callbacks stop, then `cb` runs (qemu_plugin_uninstall). Not from `install`. */
export function uninstall(id: PluginId, cb?: SimpleCb): void {
  rt.uninstall(id, cb, true)
}

/** Unregister every callback of the plugin, then run `cb` (qemu_plugin_reset). */
export function reset(id: PluginId, cb?: SimpleCb): void {
  rt.uninstall(id, cb, false)
}

/** Called when a vCPU is created (each guest thread is one in user mode). */
export function registerVcpuInitCb(id: PluginId, cb: VcpuSimpleCb): void {
  rt.plugin(id).on.vcpuInit = cb
}

/** Called when a vCPU ends (its guest thread exits). */
export function registerVcpuExitCb(id: PluginId, cb: VcpuSimpleCb): void {
  rt.plugin(id).on.vcpuExit = cb
}

/** Called when a vCPU goes idle (every guest thread waits). */
export function registerVcpuIdleCb(id: PluginId, cb: VcpuSimpleCb): void {
  rt.plugin(id).on.vcpuIdle = cb
}

/** Called when an idle vCPU resumes. */
export function registerVcpuResumeCb(id: PluginId, cb: VcpuSimpleCb): void {
  rt.plugin(id).on.vcpuResume = cb
}

/** Called after the engine dropped its translations, when no vCPU executes. */
export function registerFlushCb(id: PluginId, cb: SimpleCb): void {
  rt.plugin(id).on.flush = cb
}

/** Called once when the guest has ended, before the engine exits. */
export function registerAtexitCb<T>(id: PluginId, cb: UdataCb<T>, userdata?: T): void {
  rt.plugin(id).on.atexit = { cb: cb as UdataCb<unknown>, userdata }
}

/** Call `cb` for every vCPU that exists now. */
export function vcpuForEach(id: PluginId, cb: VcpuSimpleCb): void {
  rt.vcpuForEach(id, cb)
}

/** Number of vCPUs that exist now. */
export function numVcpus(): number {
  return rt.numVcpus()
}

// ---- translation ------------------------------------------------------------

/** Called for every block translated; the block's instrumentation is registered from here. */
export function registerVcpuTbTransCb(id: PluginId, cb: VcpuTbTransCb): void {
  rt.registerTbTrans(id, cb)
}

/** Number of instructions in the block. */
export function tbNInsns(tb: Tb): number {
  return rt.tb(tb).insns.length
}

/** Guest virtual address of the block's first instruction. */
export function tbVaddr(tb: Tb): bigint {
  return rt.tb(tb).ir.pc
}

/** The block's instruction `idx` (0-based); valid during the translation callback. */
export function tbGetInsn(tb: Tb, idx: number): Insn {
  return rt.tbInsn(tb, idx)
}

/** A copy of the instruction's bytes, in memory order. */
export function insnData(insn: Insn): Uint8Array {
  return rt.insn(insn).data()
}

/** Size of the instruction in bytes. */
export function insnSize(insn: Insn): number {
  return rt.insn(insn).bi.len
}

/** Guest virtual address of the instruction. */
export function insnVaddr(insn: Insn): bigint {
  return rt.insn(insn).bi.pc
}

/** Host address of the instruction; in user mode the guest address (the guest's memory is the process's). */
export function insnHaddr(insn: Insn): bigint {
  return rt.insn(insn).bi.pc
}

/** Disassembly, objdump-style (`addi a0,a0,1`). */
export function insnDisas(insn: Insn): string {
  return rt.insn(insn).disas()
}

/** Name of the ELF symbol containing the instruction, if any. */
export function insnSymbol(insn: Insn): string | undefined {
  return rt.insn(insn).symbol()
}

// ---- execution instrumentation ---------------------------------------------

/** Call `cb` every time the block runs, before its first instruction. */
export function registerVcpuTbExecCb<T>(tb: Tb, cb: VcpuUdataCb<T>, flags: CbFlags, userdata?: T): void {
  rt.addExecCb(rt.tbTarget(tb), cb as VcpuUdataCb<unknown>, flags, userdata)
}

/** Like `registerVcpuTbExecCb`, only when `entry cond imm` holds for the running vCPU. */
export function registerVcpuTbExecCondCb<T>(
  tb: Tb,
  cb: VcpuUdataCb<T>,
  flags: CbFlags,
  cond: Cond,
  entry: U64Entry,
  imm: bigint,
  userdata?: T,
): void {
  rt.addExecCb(rt.tbTarget(tb), cb as VcpuUdataCb<unknown>, flags, userdata, { cond, entry, imm })
}

/** Apply `op` with `imm` to the running vCPU's `entry` every time the block runs (compiled into the block). */
export function registerVcpuTbExecInlinePerVcpu(tb: Tb, op: PluginOp, entry: U64Entry, imm: bigint): void {
  rt.addInline(rt.tbTarget(tb), op, entry, imm)
}

/** Call `cb` every time the instruction runs, before it executes. */
export function registerVcpuInsnExecCb<T>(
  insn: Insn,
  cb: VcpuUdataCb<T>,
  flags: CbFlags,
  userdata?: T,
): void {
  rt.addExecCb(rt.insnTarget(insn), cb as VcpuUdataCb<unknown>, flags, userdata)
}

/** Like `registerVcpuInsnExecCb`, only when `entry cond imm` holds for the running vCPU. */
export function registerVcpuInsnExecCondCb<T>(
  insn: Insn,
  cb: VcpuUdataCb<T>,
  flags: CbFlags,
  cond: Cond,
  entry: U64Entry,
  imm: bigint,
  userdata?: T,
): void {
  rt.addExecCb(rt.insnTarget(insn), cb as VcpuUdataCb<unknown>, flags, userdata, { cond, entry, imm })
}

/** Apply `op` with `imm` to the running vCPU's `entry` every time the instruction runs. */
export function registerVcpuInsnExecInlinePerVcpu(
  insn: Insn,
  op: PluginOp,
  entry: U64Entry,
  imm: bigint,
): void {
  rt.addInline(rt.insnTarget(insn), op, entry, imm)
}

/** Call `cb` after each of the instruction's memory accesses of kind `rw`. */
export function registerVcpuMemCb<T>(
  insn: Insn,
  cb: VcpuMemCb<T>,
  flags: CbFlags,
  rw: MemRw,
  userdata?: T,
): void {
  rt.addMemCb(insn, cb as VcpuMemCb<unknown>, flags, rw, userdata)
}

/** Apply `op` with `imm` to the running vCPU's `entry` after each of the instruction's accesses of kind `rw`. */
export function registerVcpuMemInlinePerVcpu(
  insn: Insn,
  rw: MemRw,
  op: PluginOp,
  entry: U64Entry,
  imm: bigint,
): void {
  rt.addMemInline(insn, rw, op, entry, imm)
}

// ---- memory accesses ---------------------------------------------------------

/** log2 of the access size in bytes. */
export function memSizeShift(info: MemInfo): number {
  return rt.meminfo(info) & 7
}

/** Whether the loaded value was sign-extended. */
export function memIsSignExtended(info: MemInfo): boolean {
  return (rt.meminfo(info) & rt.MEMINFO_SIGNED) !== 0
}

/** Whether the access was big-endian (never on RISC-V). */
export function memIsBigEndian(info: MemInfo): boolean {
  return (rt.meminfo(info) & rt.MEMINFO_BIG_ENDIAN) !== 0
}

/** Whether the access was a store. */
export function memIsStore(info: MemInfo): boolean {
  return (rt.meminfo(info) & rt.MEMINFO_STORE) !== 0
}

/** The value this access read or wrote, as it was at that moment. Only inside its memory callback. */
export function memGetValue(info: MemInfo): MemValue {
  return rt.memValue(info)
}

/** Physical details of the access; undefined in user mode (as QEMU's NULL). */
export function getHwaddr(info: MemInfo, vaddr: bigint): Hwaddr | undefined {
  rt.meminfo(info)
  void vaddr
  return undefined
}

/** Whether the access went to a device rather than RAM (false without a handle, as QEMU for NULL). */
export function hwaddrIsIo(haddr: Hwaddr | undefined): boolean {
  return haddr === undefined ? false : rt.hwaddr(haddr).isIo
}

/** Physical address of the access (0 without a handle). */
export function hwaddrPhysAddr(haddr: Hwaddr | undefined): bigint {
  return haddr === undefined ? 0n : rt.hwaddr(haddr).phys
}

/** Name of the device or RAM region accessed ('invalid' without a handle). */
export function hwaddrDeviceName(haddr: Hwaddr | undefined): string {
  return haddr === undefined ? 'invalid' : rt.hwaddr(haddr).device
}

// ---- system calls, discontinuities -------------------------------------------

/** Called before every system call with its number and eight argument registers. */
export function registerVcpuSyscallCb(id: PluginId, cb: VcpuSyscallCb): void {
  rt.plugin(id).on.syscall = cb
}

/** Called when a system call returns, with its result. */
export function registerVcpuSyscallRetCb(id: PluginId, cb: VcpuSyscallRetCb): void {
  rt.plugin(id).on.syscallRet = cb
}

/** Called before every system call; may skip it and supply its result (and may `setPc`). */
export function registerVcpuSyscallFilterCb(id: PluginId, cb: VcpuSyscallFilterCb): void {
  rt.plugin(id).on.syscallFilter = cb
}

/** Called on discontinuities of the kinds in `type` (a mask of `DisconType`). */
export function registerVcpuDisconCb(id: PluginId, type: number, cb: VcpuDisconCb): void {
  rt.plugin(id).on.discon = { type, cb }
}

// ---- registers ----------------------------------------------------------------

/** The current vCPU's registers. From vCPU context (callbacks, not `install`). */
export function getRegisters(): RegisterDescriptor[] {
  return rt.getRegisters()
}

/** A register's value as bytes in target (little-endian) order. Needs R_REGS rights. */
export function readRegister(handle: RegisterHandle): Uint8Array {
  return rt.readRegister(handle)
}

/** Write a register from bytes in target order (exactly its size). Needs RW_REGS rights. */
export function writeRegister(handle: RegisterHandle, bytes: Uint8Array): void {
  rt.writeRegister(handle, bytes)
}

/** Continue at `vaddr` instead of the current instruction. From RW_REGS_PC callbacks and syscall filters. */
export function setPc(vaddr: bigint): void {
  rt.setPc(vaddr)
}

// ---- guest memory -------------------------------------------------------------

/** Read `len` bytes of guest virtual memory of the current vCPU; throws if unmapped or unreadable. */
export function readMemoryVaddr(addr: bigint, len: number): Uint8Array {
  return rt.readMemory(addr, len)
}

/** Write guest virtual memory of the current vCPU (ignoring write protection, as a debugger). */
export function writeMemoryVaddr(addr: bigint, bytes: Uint8Array): void {
  rt.writeMemory(addr, bytes)
}

/** Read by hardware address: system emulation only; in user mode INVALID_ADDRESS_SPACE. */
export function readMemoryHwaddr(
  addr: bigint,
  len: number,
): { result: HwaddrOperationResult; data?: Uint8Array } {
  void addr
  void len
  return { result: HwaddrOperationResult.INVALID_ADDRESS_SPACE }
}

/** Write by hardware address: system emulation only; in user mode INVALID_ADDRESS_SPACE. */
export function writeMemoryHwaddr(addr: bigint, bytes: Uint8Array): HwaddrOperationResult {
  void addr
  void bytes
  return HwaddrOperationResult.INVALID_ADDRESS_SPACE
}

/** The hardware address of a virtual one for the current vCPU; user mode: the address itself if mapped. */
export function translateVaddr(vaddr: bigint): bigint | undefined {
  return rt.translateVaddr(vaddr)
}

// ---- scoreboards ----------------------------------------------------------------

/** New per-vCPU storage of `elementSize` bytes per vCPU, zeroed; grows as vCPUs appear. */
export function scoreboardNew(elementSize: number): Scoreboard {
  return rt.scoreboardNew(elementSize)
}

/** Free a scoreboard; using it (or its entries) afterwards throws. */
export function scoreboardFree(sb: Scoreboard): void {
  rt.scoreboardFree(sb)
}

/** A view of `vcpuIndex`'s element; valid until the next vCPU appears or the scoreboard is freed. */
export function scoreboardFind(sb: Scoreboard, vcpuIndex: number): DataView {
  return rt.scoreboardFind(sb, vcpuIndex)
}

/** The u64 at the start of each element. */
export function scoreboardU64(sb: Scoreboard): U64Entry {
  return rt.scoreboardEntry(sb, 0)
}

/** The u64 at byte `offset` of each element. */
export function scoreboardU64InStruct(sb: Scoreboard, offset: number): U64Entry {
  return rt.scoreboardEntry(sb, offset)
}

/** Add to `vcpuIndex`'s value (modulo 2^64). */
export function u64Add(entry: U64Entry, vcpuIndex: number, added: bigint): void {
  rt.u64Add(entry, vcpuIndex, added)
}

/** `vcpuIndex`'s value. */
export function u64Get(entry: U64Entry, vcpuIndex: number): bigint {
  return rt.u64Get(entry, vcpuIndex)
}

/** Set `vcpuIndex`'s value. */
export function u64Set(entry: U64Entry, vcpuIndex: number, value: bigint): void {
  rt.u64Set(entry, vcpuIndex, value)
}

/** Sum over every vCPU index seen so far (modulo 2^64). */
export function u64Sum(entry: U64Entry): bigint {
  return rt.u64Sum(entry)
}

// ---- time, output, misc -------------------------------------------------------------

/** Ask to control guest time; only the first plugin to ask gets a handle. */
export function requestTimeControl(): TimeHandle | undefined {
  return rt.requestTimeControl()
}

/**
 * Set guest time (ns since the start of the run) to `ns`; it never goes
 * back. In user mode, as in QEMU, the guest's clocks follow the host and
 * are not affected; system emulation drives its virtual clock with it.
 */
export function updateNs(handle: TimeHandle, ns: bigint): void {
  rt.updateNs(handle, ns)
}

/** Output text through the log (`-d plugin`; `-D` picks the file), as QEMU. */
export function outs(text: string): void {
  rt.outs(text)
}

/** Parse `on/off/true/false/yes/no` for argument `name`; undefined if `value` is none of these. */
export function boolParse(name: string, value: string): boolean | undefined {
  void name
  switch (value) {
    case 'on':
    case 'true':
    case 'yes':
      return true
    case 'off':
    case 'false':
    case 'no':
      return false
    default:
      return undefined
  }
}

/** Path of the guest program (user mode), as given on the command line. */
export function pathToBinary(): string | undefined {
  return rt.env().pathToBinary()
}

/** Start of the program's code (its first executable segment), user mode. */
export function startCode(): bigint {
  return rt.env().codeRange().start
}

/** End of the program's code, user mode. */
export function endCode(): bigint {
  return rt.env().codeRange().end
}

/** The program's entry point, user mode. */
export function entryCode(): bigint {
  return rt.env().codeRange().entry
}
