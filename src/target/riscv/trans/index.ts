/** The semantics table: instruction name → trans function, merged from every extension's file. */
import type { TransFn } from './context.js'
import { trans_rv64a } from './rv64a.js'
import { trans_rv64i } from './rv64i.js'
import { trans_rv64m } from './rv64m.js'
import { trans_rvfd } from './rvfd.js'
import { trans_rvfd_move } from './rvfd-move.js'
import { trans_zb } from './zb.js'
import { trans_zicond } from './zicond.js'
import { trans_zicsr } from './zicsr.js'

export const transTable: Readonly<Record<string, TransFn>> = {
  ...trans_rv64i,
  ...trans_rv64m,
  ...trans_rv64a,
  ...trans_zicsr,
  ...trans_rvfd_move,
  ...trans_rvfd,
  ...trans_zb,
  ...trans_zicond,
}
