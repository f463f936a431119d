/**
 * The plugin API's constants: versions, enums (QEMU's enum values under
 * their QEMU names) and the misuse error. Re-exported by api.ts; kept apart
 * so that the runtime can use them without importing the API module.
 */

/** The API version rvscope implements (QEMU_PLUGIN_VERSION). */
export const PLUGIN_VERSION = 7
/** The oldest API version rvscope still loads (QEMU_PLUGIN_MIN_VERSION). */
export const PLUGIN_MIN_VERSION = 7

/** What a callback may do with the CPU's registers (enum qemu_plugin_cb_flags). */
export const CbFlags = {
  /** No register access. */
  NO_REGS: 0,
  /** May read registers. */
  R_REGS: 1,
  /** May read and write registers. */
  RW_REGS: 2,
  /** May read and write registers and redirect the PC with `setPc`. */
  RW_REGS_PC: 3,
} as const
export type CbFlags = (typeof CbFlags)[keyof typeof CbFlags]

/** Memory access kinds (enum qemu_plugin_mem_rw). */
export const MemRw = { R: 1, W: 2, RW: 3 } as const
export type MemRw = (typeof MemRw)[keyof typeof MemRw]

/** Inline operations (enum qemu_plugin_op). */
export const PluginOp = { INLINE_ADD_U64: 0, INLINE_STORE_U64: 1 } as const
export type PluginOp = (typeof PluginOp)[keyof typeof PluginOp]

/** Conditions of conditional callbacks, comparing a u64 entry with an immediate, unsigned (enum qemu_plugin_cond). */
export const Cond = { NEVER: 0, ALWAYS: 1, EQ: 2, NE: 3, LT: 4, LE: 5, GT: 6, GE: 7 } as const
export type Cond = (typeof Cond)[keyof typeof Cond]

/** Kinds of control-flow discontinuity (enum qemu_plugin_discon_type); a bit mask. */
export const DisconType = { INTERRUPT: 1, EXCEPTION: 2, HOSTCALL: 4, ALL: 7 } as const
export type DisconType = (typeof DisconType)[keyof typeof DisconType]

/** Width of a memory value (enum qemu_plugin_mem_value_type). */
export const MemValueType = { U8: 0, U16: 1, U32: 2, U64: 3, U128: 4 } as const
export type MemValueType = (typeof MemValueType)[keyof typeof MemValueType]

/** Result of an access by hardware address (enum qemu_plugin_hwaddr_operation_result). */
export const HwaddrOperationResult = { OK: 0, ERROR: 1, DEVICE_ERROR: 2, INVALID_ADDRESS_SPACE: 3 } as const
export type HwaddrOperationResult = (typeof HwaddrOperationResult)[keyof typeof HwaddrOperationResult]

/** Misuse of the API: a stale handle, a missing right, a bad argument. */
export class PluginApiError extends Error {
  override name = 'PluginApiError'
}
