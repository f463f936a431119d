/** Every decode table, in one list: the decoder, disassembler and test encoders start here. */
import { rv64a } from './rv64a.js'
import { rv64i } from './rv64i.js'
import { rv64m } from './rv64m.js'
import { rvc } from './rvc.js'
import { rv64d, rv64f } from './rvfd.js'
import type { DecodeTable } from './table.js'
import { zba } from './zba.js'
import { zbb } from './zbb.js'
import { zbc } from './zbc.js'
import { zbs } from './zbs.js'
import { zicond } from './zicond.js'
import { zicsr } from './zicsr.js'
import { zifencei } from './zifencei.js'
import { zihintpause } from './zihintpause.js'

export const allTables: readonly DecodeTable[] = [
  rv64i,
  rv64m,
  rv64a,
  rv64f,
  rv64d,
  rvc,
  zicsr,
  zifencei,
  zihintpause,
  zba,
  zbb,
  zbc,
  zbs,
  zicond,
]
