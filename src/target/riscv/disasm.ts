/**
 * Disassembler derived from the decode tables, printing what GNU objdump
 * (binutils 2.40, the reference it is checked against: tests/disasm/)
 * prints with its default aliases: `add a0,a0,1` for addi (binutils lists
 * the register mnemonic with an immediate operand as an alias ahead of the
 * immediate form), `li`, `mv`, `ret`, `j`, `nop`, `frflags`, `fmv.d`, … and
 * hexadecimal shift amounts. Compressed instructions print as their
 * expansion, except the HINT encodings (rd = x0, zero shifts), which objdump
 * prints under their `c.` names. Branch targets print as bare addresses.
 *
 * Where objdump 2.40 prints `.4byte` for encodings that decode here (Zicond,
 * which it does not know; fcvt.d.w/fcvt.d.wu/fcvt.d.s with a rounding mode
 * other than rne; fence and fence.i with non-zero reserved fields, which
 * the ISA manual says to ignore), rvscope prints the instruction as newer
 * binutils or the ISA manual's assembly syntax would.
 */
import { DEFAULT_EXTS, F_NAMES, X_NAMES } from './cpu.js'
import { type Decoded, Decoder } from './decode/decoder.js'
import type { Args, InsnRow } from './decode/table.js'

/** Rounding-mode names; binutils prints `unknown` for the reserved 5 and 6. */
const RM = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown', 'dyn']
const RM_DYN = 7
const RM_RNE = 0
/**
 * Exact conversions, whose result cannot depend on the rounding mode:
 * binutils omits rne for them (what the assembler emits) instead of dyn.
 */
const RNE_DEFAULT = new Set(['fcvt.d.s', 'fcvt.d.w', 'fcvt.d.wu'])

/** Fence predecessor/successor sets; binutils prints the empty set as `unknown`. */
const FENCE_SET = (v: number): string =>
  (v & 8 ? 'i' : '') + (v & 4 ? 'o' : '') + (v & 2 ? 'r' : '') + (v & 1 ? 'w' : '') || 'unknown'
const FENCE_IORW = 0xff
const FENCE_RW_RW = 0x33
const FENCE_FM_TSO = 8

/**
 * Immediate forms objdump prints under the register-form mnemonic (binutils
 * lists that mnemonic with an immediate operand as an alias first).
 */
const IMM_MNEMONIC: Readonly<Record<string, string>> = {
  addi: 'add',
  addiw: 'addw',
  andi: 'and',
  ori: 'or',
  xori: 'xor',
  slli: 'sll',
  srli: 'srl',
  srai: 'sra',
  slliw: 'sllw',
  srliw: 'srlw',
  sraiw: 'sraw',
  rori: 'ror',
  roriw: 'rorw',
  bclri: 'bclr',
  bexti: 'bext',
  binvi: 'binv',
  bseti: 'bset',
  csrrwi: 'csrrw',
  csrrsi: 'csrrs',
  csrrci: 'csrrc',
}

/**
 * CSR names binutils knows (privileged spec, CSR listing tables), as
 * `name:number` pairs plus the numbered families below. Numbers without a
 * name print in hex.
 */
const CSR_LIST =
  'fflags:1 frm:2 fcsr:3 vstart:8 vxsat:9 vxrm:a vcsr:f seed:15 sstatus:100 sie:104 stvec:105 scounteren:106 ' +
  'senvcfg:10a sstateen0:10c sstateen1:10d sstateen2:10e sstateen3:10f sieh:114 sscratch:140 sepc:141 scause:142 ' +
  'stval:143 sip:144 stimecmp:14d siselect:150 sireg:151 siph:154 stopei:15c stimecmph:15d satp:180 vsstatus:200 ' +
  'vsie:204 vstvec:205 vsieh:214 vsscratch:240 vsepc:241 vscause:242 vstval:243 vsip:244 vstimecmp:24d ' +
  'vsiselect:250 vsireg:251 vsiph:254 vstopei:25c vstimecmph:25d vsatp:280 mstatus:300 misa:301 medeleg:302 ' +
  'mideleg:303 mie:304 mtvec:305 mcounteren:306 mvien:308 mvip:309 menvcfg:30a mstateen0:30c mstateen1:30d ' +
  'mstateen2:30e mstateen3:30f mstatush:310 midelegh:313 mieh:314 mvienh:318 mviph:319 menvcfgh:31a ' +
  'mstateen0h:31c mstateen1h:31d mstateen2h:31e mstateen3h:31f mcountinhibit:320 mscratch:340 mepc:341 ' +
  'mcause:342 mtval:343 mip:344 mtinst:34a mtval2:34b miselect:350 mireg:351 miph:354 mtopei:35c scontext:5a8 ' +
  'hstatus:600 hedeleg:602 hideleg:603 hie:604 htimedelta:605 hcounteren:606 hgeie:607 hvien:608 hvictl:609 ' +
  'henvcfg:60a hstateen0:60c hstateen1:60d hstateen2:60e hstateen3:60f hidelegh:613 htimedeltah:615 hvienh:618 ' +
  'henvcfgh:61a hstateen0h:61c hstateen1h:61d hstateen2h:61e hstateen3h:61f htval:643 hip:644 hvip:645 ' +
  'hviprio1:646 hviprio2:647 htinst:64a hviph:655 hviprio1h:656 hviprio2h:657 hgatp:680 hcontext:6a8 ' +
  'mseccfg:747 mseccfgh:757 tselect:7a0 tdata1:7a1 tdata2:7a2 tdata3:7a3 tinfo:7a4 tcontrol:7a5 mcontext:7a8 ' +
  'mscontext:7aa dcsr:7b0 dpc:7b1 dscratch0:7b2 dscratch1:7b3 mcycle:b00 minstret:b02 mcycleh:b80 ' +
  'minstreth:b82 cycle:c00 time:c01 instret:c02 vl:c20 vtype:c21 vlenb:c22 cycleh:c80 timeh:c81 instreth:c82 ' +
  'scountovf:da0 stopi:db0 hgeip:e12 vstopi:eb0 mvendorid:f11 marchid:f12 mimpid:f13 mhartid:f14 ' +
  'mconfigptr:f15 mtopi:fb0'

/** Numbered CSR families: name prefix, number of entry `first`, first and last index, suffix. */
const CSR_FAMILIES: readonly [string, number, number, number, string][] = [
  ['pmpcfg', 0x3a0, 0, 15, ''],
  ['pmpaddr', 0x3b0, 0, 63, ''],
  ['mhpmevent', 0x323, 3, 31, ''],
  ['mhpmevent', 0x723, 3, 31, 'h'],
  ['mhpmcounter', 0xb03, 3, 31, ''],
  ['mhpmcounter', 0xb83, 3, 31, 'h'],
  ['hpmcounter', 0xc03, 3, 31, ''],
  ['hpmcounter', 0xc83, 3, 31, 'h'],
]

const CSR_NAMES: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>()
  for (const pair of CSR_LIST.split(' ')) {
    const [name, num] = pair.split(':')
    m.set(Number.parseInt(num!, 16), name!)
  }
  for (const [name, base, first, last, suffix] of CSR_FAMILIES)
    for (let i = first; i <= last; i++) m.set(base + i - first, `${name}${i}${suffix}`)
  return m
})()

/** Read-only counters with their own read alias (the RV32-only …h aliases do not apply on RV64). */
const COUNTER_READ: Readonly<Record<string, string>> = {
  cycle: 'rdcycle',
  time: 'rdtime',
  instret: 'rdinstret',
}
/** The FP CSRs' aliases: read, write (csrrw), write immediate (csrrwi; fcsr has none). */
const FP_CSR_ALIASES: Readonly<Record<string, readonly [string, string, string | undefined]>> = {
  fcsr: ['frcsr', 'fscsr', undefined],
  frm: ['frrm', 'fsrm', 'fsrmi'],
  fflags: ['frflags', 'fsflags', 'fsflagsi'],
}
/** `csrrw zero,cycle,zero`, the canonical 32-bit unimplemented instruction. */
const UNIMP32 = 0xc0001073

const hex = (v: number | bigint): string => `0x${v.toString(16)}`
const target = (a: Args, pc: bigint): string => BigInt.asUintN(64, pc + BigInt(a.imm)).toString(16)
const csrName = (csr: number): string => CSR_NAMES.get(csr) ?? hex(csr)

function operand(tok: string, a: Args, pc: bigint): string {
  switch (tok) {
    case 'rd':
      return X_NAMES[a.rd]!
    case 'rs1':
      return X_NAMES[a.rs1]!
    case 'rs2':
      return X_NAMES[a.rs2]!
    case 'rs3':
      return X_NAMES[a.rs3]!
    case 'fd':
      return F_NAMES[a.rd]!
    case 'fs1':
      return F_NAMES[a.rs1]!
    case 'fs2':
      return F_NAMES[a.rs2]!
    case 'fs3':
      return F_NAMES[a.rs3]!
    case 'imm':
      return String(a.imm)
    case 'shamt':
      return hex(a.imm)
    case 'uimm':
      // lui/auipc print the 20-bit field.
      return hex((a.imm >>> 12) & 0xfffff)
    case 'target':
      return target(a, pc)
    case 'off(rs1)':
      return `${a.imm}(${X_NAMES[a.rs1]})`
    case '(rs1)':
      return `(${X_NAMES[a.rs1]})`
    case 'csr':
      return csrName(a.csr)
    case 'zimm':
      return String(a.rs1)
    case 'rm':
      return RM[a.rm]!
    case 'pred':
      return FENCE_SET(a.rm >> 4)
    case 'succ':
      return FENCE_SET(a.rm & 15)
    default:
      return tok
  }
}

/** Aliases of CSR instructions: FP CSR and counter accessors, then csrr/csrw/csrs/csrc. */
function csrAlias(name: string, a: Args, bits: number): string | undefined {
  const x = X_NAMES
  const csr = csrName(a.csr)
  const fp = FP_CSR_ALIASES[csr]
  const rdPrefix = a.rd === 0 ? '' : `${x[a.rd]},`
  switch (name) {
    case 'csrrs':
      if (a.rs1 === 0) {
        const read = fp?.[0] ?? COUNTER_READ[csr]
        return read !== undefined ? `${read} ${x[a.rd]}` : `csrr ${x[a.rd]},${csr}`
      }
      return a.rd === 0 ? `csrs ${csr},${x[a.rs1]}` : undefined
    case 'csrrw':
      if (bits === UNIMP32) return 'unimp'
      if (fp !== undefined) return `${fp[1]} ${rdPrefix}${x[a.rs1]}`
      return a.rd === 0 ? `csrw ${csr},${x[a.rs1]}` : undefined
    case 'csrrc':
      return a.rd === 0 ? `csrc ${csr},${x[a.rs1]}` : undefined
    case 'csrrwi':
      // fsrmi/fsflagsi always print rd, even x0.
      if (fp?.[2] !== undefined) return `${fp[2]} ${x[a.rd]},${a.rs1}`
      return a.rd === 0 ? `csrw ${csr},${a.rs1}` : undefined
    case 'csrrsi':
      return a.rd === 0 ? `csrs ${csr},${a.rs1}` : undefined
    case 'csrrci':
      return a.rd === 0 ? `csrc ${csr},${a.rs1}` : undefined
    default:
      return undefined
  }
}

/** objdump's preferred aliases for standard forms. */
function alias(name: string, a: Args, pc: bigint): string | undefined {
  const x = X_NAMES
  const f = F_NAMES
  switch (name) {
    case 'addi':
      if (a.rd === 0 && a.rs1 === 0 && a.imm === 0) return 'nop'
      if (a.rs1 === 0) return `li ${x[a.rd]},${a.imm}`
      return a.imm === 0 ? `mv ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'addiw':
      return a.imm === 0 ? `sext.w ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'andi':
      return a.imm === 0xff ? `zext.b ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'xori':
      return a.imm === -1 ? `not ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'sltiu':
      return a.imm === 1 ? `seqz ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'sub':
      return a.rs1 === 0 ? `neg ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'subw':
      return a.rs1 === 0 ? `negw ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'slt':
      if (a.rs2 === 0) return `sltz ${x[a.rd]},${x[a.rs1]}`
      return a.rs1 === 0 ? `sgtz ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'sltu':
      return a.rs1 === 0 ? `snez ${x[a.rd]},${x[a.rs2]}` : undefined
    case 'add.uw':
      return a.rs2 === 0 ? `zext.w ${x[a.rd]},${x[a.rs1]}` : undefined
    case 'jal':
      if (a.rd === 0) return `j ${target(a, pc)}`
      return a.rd === 1 ? `jal ${target(a, pc)}` : undefined
    case 'jalr': {
      const addr = a.imm === 0 ? x[a.rs1] : `${a.imm}(${x[a.rs1]})`
      if (a.rd === 0) return a.rs1 === 1 && a.imm === 0 ? 'ret' : `jr ${addr}`
      if (a.rd === 1) return `jalr ${addr}`
      return a.imm === 0 ? `jalr ${x[a.rd]},${x[a.rs1]}` : undefined
    }
    case 'beq':
    case 'bne':
      return a.rs2 === 0 ? `${name}z ${x[a.rs1]},${target(a, pc)}` : undefined
    case 'blt':
      if (a.rs2 === 0) return `bltz ${x[a.rs1]},${target(a, pc)}`
      return a.rs1 === 0 ? `bgtz ${x[a.rs2]},${target(a, pc)}` : undefined
    case 'bge':
      if (a.rs1 === 0) return `blez ${x[a.rs2]},${target(a, pc)}`
      return a.rs2 === 0 ? `bgez ${x[a.rs1]},${target(a, pc)}` : undefined
    case 'fence':
      if (a.rs3 === 0 && a.rm === FENCE_IORW) return 'fence'
      return a.rs3 === FENCE_FM_TSO && a.rm === FENCE_RW_RW ? 'fence.tso' : undefined
    case 'fsgnj.s':
    case 'fsgnjn.s':
    case 'fsgnjx.s':
    case 'fsgnj.d':
    case 'fsgnjn.d':
    case 'fsgnjx.d': {
      if (a.rs1 !== a.rs2) return undefined
      const op = { fsgnj: 'fmv', fsgnjn: 'fneg', fsgnjx: 'fabs' }[name.slice(0, -2)]
      return `${op}${name.slice(-2)} ${f[a.rd]},${f[a.rs1]}`
    }
    default:
      return undefined
  }
}

/**
 * Compressed forms objdump does not print as their expansion: HINTs (rd =
 * x0 or a zero shift amount), and c.mv/c.addi, whose expansions would alias
 * differently (`add rd,x0,rs2` is not `mv` in 32 bits; `addi rd,rd,0` is).
 */
function compressedAlias(name: string, a: Args): string | undefined {
  const x = X_NAMES
  switch (name) {
    case 'c.addi':
      if (a.rd === 0) return a.imm === 0 ? 'nop' : `c.nop ${a.imm}`
      return a.imm === 0 ? `add ${x[a.rd]},${x[a.rd]},0` : undefined
    case 'c.li':
      return a.rd === 0 ? `c.li zero,${a.imm}` : undefined
    case 'c.lui':
      return a.rd === 0 ? `c.lui zero,${operand('uimm', a, 0n)}` : undefined
    case 'c.mv':
      return a.rd === 0 ? `c.mv zero,${x[a.rs2]}` : `mv ${x[a.rd]},${x[a.rs2]}`
    case 'c.add':
      return a.rd === 0 ? `c.add zero,${x[a.rs2]}` : undefined
    case 'c.slli':
      if (a.imm === 0) return `c.slli64 ${x[a.rd]}`
      return a.rd === 0 ? `c.slli zero,${hex(a.imm)}` : undefined
    case 'c.srli':
    case 'c.srai':
      return a.imm === 0 ? `${name}64 ${x[a.rd]}` : undefined
    default:
      return undefined
  }
}

export class Disassembler {
  constructor(private readonly decoder = new Decoder(new Set(DEFAULT_EXTS))) {}

  /** Disassemble one decoded instruction. */
  format(d: Decoded, pc: bigint): string {
    const semantic = d.row.semantic
    const compressed = d.row.row.expands !== undefined
    const row: InsnRow = compressed ? (this.decoder.rowByName(semantic) ?? d.row.row) : d.row.row
    const a = d.args
    const al =
      (compressed ? compressedAlias(d.row.row.name, a) : undefined) ??
      alias(semantic, a, pc) ??
      csrAlias(semantic, a, d.bits)
    if (al !== undefined) return al
    let name = IMM_MNEMONIC[semantic] ?? semantic
    if (a.aq || a.rl) name += a.aq && a.rl ? '.aqrl' : a.aq ? '.aq' : '.rl'
    const defaultRm = RNE_DEFAULT.has(semantic) ? RM_RNE : RM_DYN
    const toks = (row.asm ?? '').split(',').filter((t) => t !== '' && (t !== 'rm' || a.rm !== defaultRm))
    const ops = toks.map((t) => operand(t, a, pc))
    return ops.length === 0 ? name : `${name} ${ops.join(',')}`
  }

  /** Disassemble raw bits at `pc`; unknown encodings print as `.2byte`/`.4byte` data (the zero parcel as `unimp`). */
  disassemble(bits: number, len: 2 | 4, pc: bigint): string {
    const d = this.decoder.decode(bits, len)
    if (d !== undefined) return this.format(d, pc)
    if (len === 2) return bits === 0 ? 'unimp' : `.2byte ${hex(bits)}`
    return `.4byte ${hex(bits >>> 0)}`
  }
}
