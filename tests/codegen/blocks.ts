/**
 * The guest blocks of the codegen baselines (tests/codegen/expected/): a
 * handful of representative RISC-V blocks, each given as instruction words
 * (16-bit parcels for compressed instructions, assembled with llvm-mc and
 * checked against the project's disassembler, whose listing heads each
 * saved .ir file), translated with translateBlock at CODE_BASE with the
 * default extensions. One block is then rewritten the way a plugin
 * instruments code (cells and an Instrument op with a condition), so the
 * instrumentation ops are covered too.
 *
 * render.ts turns each block into its IR, wasm and JavaScript text;
 * codegen.test.ts compares those with the saved files and
 * `node tools/accept-codegen.js` rewrites them. Adding a case here needs an
 * accept run to create its files.
 */
import { Access, MemFault } from '../../src/core/errors.js'
import {
  type Cell,
  type InstrumentSite,
  type IrBlock,
  type IrOp,
  Op,
  SiteRegs,
  type Temp,
} from '../../src/ir/ir.js'
import { DEFAULT_EXTS } from '../../src/target/riscv/cpu.js'
import { Decoder, insnLength } from '../../src/target/riscv/decode/decoder.js'
import { type CodeSource, translateBlock } from '../../src/target/riscv/translate.js'

/** Guest address of every block's first instruction. */
export const CODE_BASE = 0x10000n

export interface CodegenCase {
  /** Base name of the saved files. */
  name: string
  /** What the block is there to cover (printed in the saved files' headers). */
  what: string
  /** Instruction words in order; a word whose low parcel says 16-bit takes 2 bytes. */
  code: readonly number[]
  /** A post-translation rewrite (instrumentation). */
  rewrite?: (tb: IrBlock) => IrBlock
}

/** Lay the words out little-endian from CODE_BASE. */
export function codeBytes(code: readonly number[]): Uint8Array {
  const out: number[] = []
  for (const w of code) {
    const len = insnLength(w & 0xffff) === 2 ? 2 : 4
    for (let i = 0; i < len; i++) out.push((w >>> (8 * i)) & 0xff)
  }
  return Uint8Array.from(out)
}

/** Instruction fetch from the case's bytes; anything outside them is unmapped. */
function codeSource(bytes: Uint8Array): CodeSource {
  return {
    fetch16(addr: bigint): number {
      const off = Number(addr - CODE_BASE)
      if (addr < CODE_BASE || off + 2 > bytes.length) throw new MemFault(Access.Exec, addr, false)
      return bytes[off]! | (bytes[off + 1]! << 8)
    },
  }
}

export const decoder = new Decoder(new Set(DEFAULT_EXTS))

/** The IR block of a case: translated, then rewritten if the case says so. */
export function buildBlock(c: CodegenCase): IrBlock {
  const tb = translateBlock(codeSource(codeBytes(c.code)), decoder, CODE_BASE, { maxInsns: 512 })
  return c.rewrite === undefined ? tb : c.rewrite(tb)
}

// ---- a plugin-like rewrite ----

/** Two counters sharing one per-vCPU storage (16-byte stride), a flag in another. */
const INSN_COUNT: Cell = { base: 64, stride: 16, offset: 0 }
const MEM_COUNT: Cell = { base: 64, stride: 16, offset: 8 }
const TRACE_FLAG: Cell = { base: 68, stride: 8, offset: 0 }

/** A callback that is never run here: only its name reaches the generated code's listings. */
const site = (name: string): InstrumentSite => ({ name, call: () => undefined })

/**
 * Instrument a block as runtime.ts compiles a plugin's requests: a block
 * callback that may redirect the PC at the first instruction, an inline
 * instruction counter at every instruction, and for every memory access an
 * inline counter plus a callback run only while TRACE_FLAG is non-zero.
 */
export function instrument(tb: IrBlock): IrBlock {
  const ops: IrOp[] = []
  let temps = tb.temps
  const temp = (): Temp => temps++
  const constant = (imm: bigint): Temp => {
    const d = temp()
    ops.push({ op: Op.Const, d, imm })
    return d
  }
  const inlineAdd = (cell: Cell, imm: bigint) => {
    const v = constant(imm)
    const old = temp()
    ops.push({ op: Op.CellLoad, d: old, cell })
    const sum = temp()
    ops.push({ op: Op.Add, d: sum, a: old, b: v })
    ops.push({ op: Op.CellStore, cell, a: sum })
  }
  let pc = tb.pc
  for (const o of tb.ops) {
    ops.push(o)
    if (o.op === Op.InsnStart) {
      pc = o.pc
      if (o.index === 0)
        ops.push({
          op: Op.Instrument,
          site: site(`demo:tb@0x${pc.toString(16)}`),
          c: -1,
          a: -1,
          v: -1,
          regs: SiteRegs.ReadWrite,
          redirect: true,
          retired: 0,
        })
      inlineAdd(INSN_COUNT, 1n)
    } else if (o.op === Op.Load || o.op === Op.Store) {
      inlineAdd(MEM_COUNT, 1n)
      const flag = temp()
      ops.push({ op: Op.CellLoad, d: flag, cell: TRACE_FLAG })
      const zero = constant(0n)
      const c = temp()
      ops.push({ op: Op.Ne, d: c, a: flag, b: zero })
      ops.push({
        op: Op.Instrument,
        site: site(`demo:mem@0x${pc.toString(16)}`),
        c,
        a: o.a,
        v: o.op === Op.Load ? o.d : o.b,
        regs: SiteRegs.None,
        redirect: false,
        retired: 0,
      })
    }
  }
  return { ...tb, ops, temps }
}

// ---- the cases ----

export const codegenCases: readonly CodegenCase[] = [
  {
    name: 'alu-branch',
    what: 'integer ALU (64- and 32-bit) ending in a conditional branch',
    code: [
      0x00150513, // addi a0,a0,1
      0x00a585b3, // add a1,a1,a0
      0x00359613, // slli a2,a1,3
      0x00a646b3, // xor a3,a2,a0
      0x00b6b733, // sltu a4,a3,a1
      0xfff5079b, // addiw a5,a0,-1
      0x40e7d7bb, // sraw a5,a5,a4
      0xfe0714e3, // bnez a4,-24
    ],
  },
  {
    name: 'load-store',
    what: 'loads and stores of every width through the TLB fast path, ending in an indirect jump',
    code: [
      0x00813503, // ld a0,8(sp)
      0xffc52583, // lw a1,-4(a0)
      0x0005c603, // lbu a2,0(a1)
      0x00c51123, // sh a2,2(a0)
      0x00b13823, // sd a1,16(sp)
      0x00008067, // ret
    ],
  },
  {
    name: 'compressed',
    what: 'RVC instructions (2-byte instruction boundaries) ending in c.beqz',
    code: [
      0x4515, // c.li a0,5
      0x0505, // c.addi a0,1
      0x85aa, // c.mv a1,a0
      0x41d0, // c.lw a2,4(a1)
      0xc510, // c.sw a2,8(a0)
      0x060a, // c.slli a2,2
      0x962e, // c.add a2,a1
      0xd96d, // c.beqz a0,-14
    ],
  },
  {
    name: 'mext',
    what: 'M extension: high products, and division/remainder with their no-trap cases (x/0, MIN/-1)',
    code: [
      0x02c59533, // mulh a0,a1,a2
      0x02c5b6b3, // mulhu a3,a1,a2
      0x02c5a733, // mulhsu a4,a1,a2
      0x02c5c7b3, // div a5,a1,a2
      0x02c5f833, // remu a6,a1,a2
      0x02c5c8bb, // divw a7,a1,a2
      0x02c5e2bb, // remw t0,a1,a2
      0x00008067, // ret
    ],
  },
  {
    name: 'amo-lrsc',
    what: 'an AMO, LR and SC (alignment helper, predicated load and store)',
    code: [
      0x00b6352f, // amoadd.d a0,a1,(a2)
      0x0cb626af, // amoswap.w.aq a3,a1,(a2)
      0x1006372f, // lr.d a4,(a2)
      0x18b637af, // sc.d a5,a1,(a2)
      0xfe079ce3, // bnez a5,-8
    ],
  },
  {
    name: 'fp',
    what: 'F/D loads, arithmetic, conversion and compare (helper calls), FP store',
    code: [
      0x00053507, // fld fa0,0(a0)
      0x00853587, // fld fa1,8(a0)
      0x02b57653, // fadd.d fa2,fa0,fa1
      0x10b576d3, // fmul.s fa3,fa0,fa1
      0xc20615d3, // fcvt.w.d a1,fa2,rtz
      0xa2b52653, // feq.d a2,fa0,fa1
      0x00c53827, // fsd fa2,16(a0)
      0x00008067, // ret
    ],
  },
  {
    name: 'csr',
    what: 'a CSR access (helper) ends the block: the instruction after it is not translated',
    code: [
      0x00150513, // addi a0,a0,1
      0x00351673, // fscsr a2,a0
      0x00150513, // addi a0,a0,1
    ],
  },
  {
    name: 'loop',
    what: 'a block that jumps to itself: a region whose loop stays inside the function, budget checked at the jump',
    code: [
      0xfff50513, // addi a0,a0,-1
      0xfe051ee3, // bnez a0,0x10000
    ],
  },
  {
    name: 'ecall',
    what: 'a system call: ecall raises its exception and ends the block',
    code: [
      0x05d00893, // li a7,93
      0x00000513, // li a0,0
      0x00000073, // ecall
    ],
  },
  {
    name: 'illegal',
    what: 'an illegal instruction (custom-0 opcode) after a legal one',
    code: [
      0x00150513, // addi a0,a0,1
      0x0000000b, // .4byte 0xb (custom-0: illegal)
    ],
  },
  {
    name: 'bitmanip',
    what: 'Zba/Zbb/Zbs operations ending in a call (jal)',
    code: [
      0x60059513, // clz a0,a1
      0x60259613, // cpop a2,a1
      0x6b85d693, // rev8 a3,a1
      0x40c5f733, // andn a4,a1,a2
      0x20c5a7b3, // sh1add a5,a1,a2
      0x0ac5c833, // min a6,a1,a2
      0x28559893, // bseti a7,a1,5
      0x100000ef, // jal ra,256
    ],
  },
  {
    name: 'instrumented',
    what: 'a load/add/store loop instrumented like a plugin: cell counters, conditional and redirecting callbacks',
    code: [
      0x00052583, // lw a1,0(a0)
      0x00158593, // addi a1,a1,1
      0x00b52023, // sw a1,0(a0)
      0xfe059ae3, // bnez a1,-12
    ],
    rewrite: instrument,
  },
]
