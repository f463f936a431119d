/**
 * Shared vocabulary of the RISC-V soft-float unit: rounding modes, exception flag
 * bits, fused multiply-add variants and the flag-accumulating environment.
 */

/** Rounding modes, numbered as in the instruction `rm` field and the `frm` CSR. */
export const enum RoundingMode {
  /** Round to nearest, ties to even. */
  RNE = 0,
  /** Round towards zero. */
  RTZ = 1,
  /** Round down, towards negative infinity. */
  RDN = 2,
  /** Round up, towards positive infinity. */
  RUP = 3,
  /** Round to nearest, ties to max magnitude. */
  RMM = 4,
}

/** Accrued exception flags, with the bit positions of the `fflags` CSR. */
export const enum FFlag {
  /** Inexact. */
  NX = 1,
  /** Underflow (tiny after rounding and inexact). */
  UF = 2,
  /** Overflow. */
  OF = 4,
  /** Divide by zero. */
  DZ = 8,
  /** Invalid operation. */
  NV = 16,
}

/** The four fused multiply-add instructions, in opcode order (FMADD, FMSUB, FNMSUB, FNMADD). */
export const enum MulAddOp {
  /** `a*b + c` */
  MADD = 0,
  /** `a*b - c` */
  MSUB = 1,
  /** `-(a*b) + c` */
  NMSUB = 2,
  /** `-(a*b) - c` */
  NMADD = 3,
}

/** Floating-point environment: operations OR the exceptions they raise into `flags`. */
export interface FpEnv {
  flags: number
}
