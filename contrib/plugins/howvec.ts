/**
 * howvec: a histogram of executed instructions by class (QEMU's howvec
 * plugin), with a class table for RISC-V. An instruction belongs to the
 * first class of the table with a mask/pattern pair matching its encoding
 * (the 32-bit word, or the 16-bit parcel of a compressed instruction with
 * the upper half zero). At exit it prints `Instruction Classes:` and a
 * `Class: NAME (N hits)` line per class that ran (every class with
 * verbose=on), then `Individual Instructions:` with the 50 most executed
 * encodings of the classes counted individually.
 *
 * Options (as QEMU's): inline=on|off (count with inline adds instead of a
 * callback per instruction), verbose=on|off (also list classes that never
 * ran), count=CLASS (count the class's instructions one encoding at a time
 * instead of as a class), count=!CLASS (do not count the class at all);
 * CLASS is the short name in parentheses below.
 *
 * Classes: Illegal (ill), NOP (nop: addi x0,x0,0 and c.nop), System (sys:
 * ecall, ebreak, c.ebreak, privileged), compressed C Loads (cld), C Stores
 * (cst), C FP Loads/Stores (cfp), C Branches (cbr), C Jumps (cj), C ALU
 * (calu), then Loads (ld), Stores (st), Branches (br), Jumps (jmp: jal,
 * jalr), LUI/AUIPC (lui), Bitmanip (bitm: Zba, Zbb, Zbc, Zbs), Mul/Div
 * (muldiv), ALU (imm) (alui), ALU (reg) (alur, with Zicond), Fences
 * (fence), CSR (csr), LR/SC (lrsc), AMO (amo), FP Loads (fld), FP Stores
 * (fst), FP Fused Mul-Add (fma), FP Div/Sqrt (fdiv), FP Compare (fcmp), FP
 * Convert/Move (fcvt), FP Arith (farith), and Unclassified (unclas),
 * counted individually.
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

const CountType = { CLASS: 0, INDIVIDUAL: 1, NONE: 2 } as const
type CountType = (typeof CountType)[keyof typeof CountType]

/** Encoding bits that must equal `pattern` under `mask`. */
type Matcher = readonly [mask: number, pattern: number]

interface InsnClass {
  readonly name: string
  readonly opt: string
  /** Any of these matches (QEMU's rows have one pair; a class here may need several). */
  readonly match: readonly Matcher[]
  what: CountType
  sb?: qp.Scoreboard
  count?: qp.U64Entry
}

const cls = (name: string, opt: string, match: Matcher[], what: CountType = CountType.CLASS): InsnClass => ({
  name,
  opt,
  match,
  what,
})

/*
 * The RISC-V table. Order matters: a class must come before any looser one
 * that would also match its instructions. Compressed instructions have
 * bits 1:0 other than 11, so the compressed rows (whose masks include bits
 * 1:0) never match a 32-bit instruction, and the rows on the major opcode
 * (bits 6:0, with 11 in bits 1:0) never match a compressed one. Masks
 * without bit 3 (0x77) cover OP and OP-32, OP-IMM and OP-IMM-32 together.
 */
const RISCV_CLASSES: InsnClass[] = [
  cls('Illegal', 'ill', [[0xffffffff, 0x00000000]]),
  cls('NOP', 'nop', [
    [0xffffffff, 0x00000013],
    [0xffffffff, 0x00000001],
  ]),
  cls('System', 'sys', [
    [0xffffffff, 0x00009002], // c.ebreak
    [0x0000707f, 0x00000073], // ecall, ebreak, xRET, wfi, sfence.vma
  ]),
  // Compressed: quadrant in bits 1:0, funct3 in bits 15:13.
  cls('C Loads', 'cld', [
    [0xc003, 0x4000], // c.lw, c.ld
    [0xc003, 0x4002], // c.lwsp, c.ldsp
  ]),
  cls('C Stores', 'cst', [
    [0xc003, 0xc000], // c.sw, c.sd
    [0xc003, 0xc002], // c.swsp, c.sdsp
  ]),
  cls('C FP Loads/Stores', 'cfp', [
    [0x6003, 0x2000], // c.fld, c.fsd
    [0x6003, 0x2002], // c.fldsp, c.fsdsp
  ]),
  cls('C Branches', 'cbr', [[0xc003, 0xc001]]), // c.beqz, c.bnez
  cls('C Jumps', 'cj', [
    [0xe003, 0xa001], // c.j
    [0xe07f, 0x8002], // c.jr, c.jalr
  ]),
  cls('C ALU', 'calu', [
    [0xe003, 0x0000], // c.addi4spn
    [0x8003, 0x0001], // c.addi, c.addiw, c.li, c.lui, c.addi16sp
    [0xe003, 0x8001], // c.srli, c.srai, c.andi, c.sub, c.xor, c.or, c.and, c.subw, c.addw
    [0xe003, 0x0002], // c.slli
    [0xe003, 0x8002], // c.mv, c.add
  ]),
  cls('Loads', 'ld', [[0x7f, 0x03]]),
  cls('Stores', 'st', [[0x7f, 0x23]]),
  cls('Branches', 'br', [[0x7f, 0x63]]),
  cls('Jumps', 'jmp', [
    [0x7f, 0x6f], // jal
    [0x7f, 0x67], // jalr
  ]),
  cls('LUI/AUIPC', 'lui', [[0x5f, 0x17]]),
  cls('Bitmanip', 'bitm', [
    [0xbe000077, 0x20000033], // sh[123]add[.uw], rol[w], ror[w]
    [0x9e000077, 0x08000033], // add.uw, zext.h, bset, bclr, bext, binv
    [0xfe000077, 0x0a000033], // min[u], max[u], clmul[hr]
    [0xfe006077, 0x40006033], // orn, andn
    [0xfe007077, 0x40004033], // xnor
    [0xfe007077, 0x60001013], // clz[w], ctz[w], cpop[w], sext.b, sext.h
    [0xfc00707f, 0x0800101b], // slli.uw
    [0xfc00707f, 0x28001013], // bseti
    [0xfc00707f, 0x48001013], // bclri
    [0xfc00707f, 0x68001013], // binvi
    [0xfc00707f, 0x48005013], // bexti
    [0xfc00707f, 0x60005013], // rori
    [0xfe00707f, 0x6000501b], // roriw
    [0xfff0707f, 0x28705013], // orc.b
    [0xfff0707f, 0x6b805013], // rev8
  ]),
  cls('Mul/Div', 'muldiv', [[0xfe000077, 0x02000033]]),
  cls('ALU (imm)', 'alui', [[0x77, 0x13]]),
  cls('ALU (reg)', 'alur', [[0x77, 0x33]]),
  cls('Fences', 'fence', [[0x7f, 0x0f]]),
  cls('CSR', 'csr', [[0x7f, 0x73]]),
  cls('LR/SC', 'lrsc', [[0xf000007f, 0x1000002f]]),
  cls('AMO', 'amo', [[0x7f, 0x2f]]),
  cls('FP Loads', 'fld', [[0x7f, 0x07]]),
  cls('FP Stores', 'fst', [[0x7f, 0x27]]),
  cls('FP Fused Mul-Add', 'fma', [[0x73, 0x43]]), // fmadd, fmsub, fnmsub, fnmadd
  cls('FP Div/Sqrt', 'fdiv', [[0xb800007f, 0x18000053]]),
  cls('FP Compare', 'fcmp', [[0xf800007f, 0xa0000053]]), // feq, flt, fle
  cls('FP Convert/Move', 'fcvt', [
    [0x8000007f, 0x80000053], // fcvt int<->fp, fmv, fclass
    [0xf800007f, 0x40000053], // fcvt fp<->fp
  ]),
  cls('FP Arith', 'farith', [[0x7f, 0x53]]),
  cls('Unclassified', 'unclas', [[0, 0]], CountType.INDIVIDUAL),
]

/** For guests without a table: every instruction counted individually. */
const DEFAULT_CLASSES: InsnClass[] = [cls('Unclassified', 'unclas', [[0, 0]], CountType.INDIVIDUAL)]

const CLASS_TABLES: Readonly<Record<string, InsnClass[]>> = { riscv64: RISCV_CLASSES, riscv32: RISCV_CLASSES }

interface InsnExecCount {
  readonly insn: string
  readonly opcode: number
  readonly sb: qp.Scoreboard
  readonly count: qp.U64Entry
  readonly cls: InsnClass
}

const LIMIT = 50
let doInline = false
let verbose = false
let classTable: InsnClass[] = DEFAULT_CLASSES
const insns = new Map<number, InsnExecCount>()

/** The instruction's first (up to) four bytes, little-endian. */
function opcodeOf(insn: qp.Insn): number {
  const data = qp.insnData(insn)
  let op = 0
  for (let i = Math.min(data.length, 4) - 1; i >= 0; i--) op = ((op << 8) | data[i]!) >>> 0
  return op
}

function classify(opcode: number): InsnClass {
  for (const c of classTable)
    for (const [mask, pattern] of c.match) if ((opcode & mask) >>> 0 === pattern >>> 0) return c
  // The table ends with a catch-all.
  return classTable[classTable.length - 1]!
}

function findCounter(insn: qp.Insn): qp.U64Entry | undefined {
  const opcode = opcodeOf(insn)
  const c = classify(opcode)
  switch (c.what) {
    case CountType.NONE:
      return undefined
    case CountType.CLASS:
      return c.count
    default: {
      let rec = insns.get(opcode)
      if (rec === undefined) {
        const sb = qp.scoreboardNew(8)
        rec = { insn: qp.insnDisas(insn), opcode, sb, count: qp.scoreboardU64(sb), cls: c }
        insns.set(opcode, rec)
      }
      return rec.count
    }
  }
}

function onInsn(vcpu: number, count: qp.U64Entry): void {
  qp.u64Add(count, vcpu, 1n)
}

function tbTrans(_id: qp.PluginId, tb: qp.Tb): void {
  const n = qp.tbNInsns(tb)
  for (let i = 0; i < n; i++) {
    const insn = qp.tbGetInsn(tb, i)
    const count = findCounter(insn)
    if (count === undefined) continue
    if (doInline) qp.registerVcpuInsnExecInlinePerVcpu(insn, qp.PluginOp.INLINE_ADD_U64, count, 1n)
    else qp.registerVcpuInsnExecCb(insn, onInsn, qp.CbFlags.NO_REGS, count)
  }
}

const pad24 = (s: string): string => s.padEnd(24)

function atExit(): void {
  let report = 'Instruction Classes:\n'
  for (const c of classTable) {
    if (c.what === CountType.CLASS) {
      const total = qp.u64Sum(c.count!)
      if (total !== 0n || verbose) report += `Class: ${pad24(c.name)}\t(${total} hits)\n`
    } else if (c.what === CountType.INDIVIDUAL) {
      report += `Class: ${pad24(c.name)}\tcounted individually\n`
    } else {
      report += `Class: ${pad24(c.name)}\tnot counted\n`
    }
  }
  if (insns.size > 0) {
    report += 'Individual Instructions:\n'
    const rows = [...insns.values()].map((r) => ({ r, n: qp.u64Sum(r.count) }))
    // Most executed first; ties by encoding (QEMU leaves their order to its hash table).
    rows.sort((a, b) => (a.n !== b.n ? (a.n > b.n ? -1 : 1) : a.r.opcode - b.r.opcode))
    for (const { r, n } of rows.slice(0, LIMIT)) {
      const op = r.opcode.toString(16).padStart(8, '0')
      report += `Instr: ${pad24(r.insn)}\t(${n} hits)\t(op=0x${op}/${r.cls.name})\n`
    }
  }
  for (const r of insns.values()) qp.scoreboardFree(r.sb)
  insns.clear()
  for (const c of classTable) if (c.sb !== undefined) qp.scoreboardFree(c.sb)
  qp.outs(report)
}

export const install: qp.PluginInstall = (id, info, args) => {
  classTable = CLASS_TABLES[info.targetName] ?? DEFAULT_CLASSES
  for (const a of args) {
    if (a.name === 'inline' || a.name === 'verbose') {
      const v = qp.boolParse(a.name, a.value)
      if (v === undefined) return `boolean argument parsing failed: ${a.text}`
      if (a.name === 'inline') doInline = v
      else verbose = v
    } else if (a.name === 'count') {
      const none = a.value.startsWith('!')
      const opt = none ? a.value.slice(1) : a.value
      const c = classTable.find((x) => x.opt === opt)
      if (c === undefined)
        return `unknown instruction class in ${a.text} (one of: ${classTable.map((x) => x.opt).join(' ')})`
      c.what = none ? CountType.NONE : CountType.INDIVIDUAL
    } else {
      return `option parsing failed: ${a.text}`
    }
  }
  for (const c of classTable) {
    c.sb = qp.scoreboardNew(8)
    c.count = qp.scoreboardU64(c.sb)
  }
  qp.registerVcpuTbTransCb(id, tbTrans)
  qp.registerAtexitCb(id, atExit)
  return undefined
}
