/**
 * ELF64 parsing for RISC-V executables: file header, program headers and
 * the symbol table. Every malformed input becomes a UserError naming the
 * file and what is wrong with it.
 */
import { UserError } from '../core/errors.js'

export const enum ElfType {
  Exec = 2,
  Dyn = 3,
}

export const enum PType {
  Load = 1,
  Dynamic = 2,
  Interp = 3,
  Phdr = 6,
  GnuStack = 0x6474e551,
}

/** Segment permission flags (p_flags). */
export const enum PFlag {
  X = 1,
  W = 2,
  R = 4,
}

const EM_RISCV = 243
const MACHINES: Record<number, string> = {
  3: 'x86 (i386)',
  62: 'x86-64',
  40: 'ARM',
  183: 'AArch64',
  8: 'MIPS',
  21: 'PowerPC64',
}

export interface ProgramHeader {
  type: number
  flags: number
  offset: number
  vaddr: bigint
  filesz: number
  memsz: bigint
  align: bigint
}

export interface ElfSymbol {
  name: string
  value: bigint
  size: bigint
  /** STT_FUNC etc. */
  type: number
}

export interface ElfFile {
  path: string
  bytes: Uint8Array
  type: ElfType
  entry: bigint
  phoff: number
  phentsize: number
  phnum: number
  phdrs: ProgramHeader[]
  /** e_flags: RVC, float ABI. */
  flags: number
  /** PT_INTERP path, if any. */
  interp?: string
}

const fail = (path: string, what: string): never => {
  throw new UserError(`${path}: ${what}`)
}

/** Parse and validate an ELF image; `path` is used in error messages only. */
export function parseElf(path: string, bytes: Uint8Array): ElfFile {
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    fail(path, 'not an ELF file')
  if (bytes.length < 64) fail(path, `truncated ELF header (${bytes.length} bytes, need 64)`)
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes[4] !== 2) fail(path, 'not a 64-bit ELF file (rvscope-riscv64 runs RV64 programs)')
  if (bytes[5] !== 1) fail(path, 'not a little-endian ELF file')
  const machine = dv.getUint16(18, true)
  if (machine !== EM_RISCV)
    fail(
      path,
      `ELF file is for ${MACHINES[machine] ?? `machine ${machine}`}, not RISC-V (e_machine ${machine})`,
    )
  const type = dv.getUint16(16, true)
  if (type !== ElfType.Exec && type !== ElfType.Dyn)
    fail(path, `ELF file is not an executable or shared object (e_type ${type})`)
  const entry = dv.getBigUint64(24, true)
  const phoff = Number(dv.getBigUint64(32, true))
  const flags = dv.getUint32(48, true)
  const phentsize = dv.getUint16(54, true)
  const phnum = dv.getUint16(56, true)
  if (phnum === 0) fail(path, 'ELF file has no program headers')
  if (phentsize < 56) fail(path, `bad program header size ${phentsize}`)
  if (phoff + phnum * phentsize > bytes.length)
    fail(path, 'truncated ELF file: program headers extend past the end')
  const phdrs: ProgramHeader[] = []
  let interp: string | undefined
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize
    const ph: ProgramHeader = {
      type: dv.getUint32(o, true),
      flags: dv.getUint32(o + 4, true),
      offset: Number(dv.getBigUint64(o + 8, true)),
      vaddr: dv.getBigUint64(o + 16, true),
      filesz: Number(dv.getBigUint64(o + 32, true)),
      memsz: dv.getBigUint64(o + 40, true),
      align: dv.getBigUint64(o + 48, true),
    }
    if (ph.type === PType.Load || ph.type === PType.Interp) {
      if (ph.offset + ph.filesz > bytes.length)
        fail(
          path,
          `truncated ELF file: segment ${i} needs bytes up to ${ph.offset + ph.filesz}, file has ${bytes.length}`,
        )
      if (BigInt(ph.filesz) > ph.memsz) fail(path, `bad segment ${i}: file size exceeds memory size`)
    }
    if (ph.type === PType.Interp) {
      const raw = bytes.subarray(ph.offset, ph.offset + ph.filesz)
      const z = raw.indexOf(0)
      interp = new TextDecoder().decode(z >= 0 ? raw.subarray(0, z) : raw)
    }
    phdrs.push(ph)
  }
  if (!phdrs.some((p) => p.type === PType.Load)) fail(path, 'ELF file has no loadable segments')
  const elf: ElfFile = { path, bytes, type, entry, phoff, phentsize, phnum, phdrs, flags }
  if (interp !== undefined) elf.interp = interp
  return elf
}

/**
 * Function and object symbols from .symtab (or .dynsym when stripped),
 * sorted by address. Missing or malformed tables yield an empty list: symbols
 * are a convenience for logs, never required to run.
 */
export function readSymbols(elf: ElfFile, loadBias: bigint): ElfSymbol[] {
  const b = elf.bytes
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const shoff = Number(dv.getBigUint64(40, true))
  const shentsize = dv.getUint16(58, true)
  const shnum = dv.getUint16(60, true)
  if (shoff === 0 || shentsize < 64 || shoff + shnum * shentsize > b.length) return []
  const sec = (i: number) => {
    const o = shoff + i * shentsize
    return {
      type: dv.getUint32(o + 4, true),
      offset: Number(dv.getBigUint64(o + 24, true)),
      size: Number(dv.getBigUint64(o + 32, true)),
      link: dv.getUint32(o + 40, true),
      entsize: Number(dv.getBigUint64(o + 56, true)),
    }
  }
  const SHT_SYMTAB = 2
  const SHT_DYNSYM = 11
  let table: ReturnType<typeof sec> | undefined
  for (const want of [SHT_SYMTAB, SHT_DYNSYM]) {
    for (let i = 0; i < shnum && table === undefined; i++) if (sec(i).type === want) table = sec(i)
    if (table !== undefined) break
  }
  if (table === undefined || table.link >= shnum || table.entsize < 24) return []
  const strtab = sec(table.link)
  if (table.offset + table.size > b.length || strtab.offset + strtab.size > b.length) return []
  const dec = new TextDecoder()
  const out: ElfSymbol[] = []
  for (let o = table.offset; o + 24 <= table.offset + table.size; o += table.entsize) {
    const nameOff = dv.getUint32(o, true)
    const info = b[o + 4]!
    const shndx = dv.getUint16(o + 6, true)
    const value = dv.getBigUint64(o + 8, true)
    const size = dv.getBigUint64(o + 16, true)
    const type = info & 0xf
    // Functions (2) and objects (1) defined in some section.
    if ((type !== 2 && type !== 1) || shndx === 0 || nameOff >= strtab.size) continue
    const start = strtab.offset + nameOff
    let end = start
    while (end < strtab.offset + strtab.size && b[end] !== 0) end++
    out.push({ name: dec.decode(b.subarray(start, end)), value: value + loadBias, size, type })
  }
  return out.sort((x, y) => (x.value < y.value ? -1 : x.value > y.value ? 1 : 0))
}
