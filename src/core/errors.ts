/**
 * Error values with context.
 *
 * `UserError` is what the command line prints as one line and exits with
 * status 1 (bad ELF, unknown flag, missing file); anything else reaching the
 * top level is an engine bug and is reported as such.
 */

/** A problem with the user's input: printed as one line, exit status 1, no stack trace. */
export class UserError extends Error {
  override readonly name = 'UserError'
  constructor(
    message: string,
    readonly exitStatus = 1,
  ) {
    super(message)
  }
}

/** Kinds of guest memory access, used in faults and permission checks. */
export const enum Access {
  /** Kernel-internal copies that ignore page protection (the page must still be mapped). */
  Any = 0,
  Read = 1,
  Write = 2,
  Exec = 4,
}

/**
 * A guest memory access that the address space refused. Thrown by memory
 * accessors, caught by the backend, which attaches the guest PC and turns it
 * into an architectural exception.
 */
export class MemFault {
  constructor(
    readonly access: Access,
    readonly addr: bigint,
    /** true: page mapped but the access is not permitted; false: nothing mapped. */
    readonly permission: boolean,
  ) {}
}

/**
 * An architectural exception raised by a helper (e.g. illegal instruction
 * detected at run time, such as an invalid dynamic rounding mode).
 * `cause` uses the target's numbering (RISC-V mcause values).
 */
export class GuestTrap {
  constructor(
    readonly cause: number,
    readonly tval: bigint,
  ) {}
}
