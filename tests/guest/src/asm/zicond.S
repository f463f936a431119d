/* zicond.S: Zicond conditional-zero instructions.
 *   czero.eqz rd, rs1, rs2:  rd = (rs2 == 0) ? 0 : rs1
 *   czero.nez rd, rs1, rs2:  rd = (rs2 != 0) ? 0 : rs1
 * The assembler may not know the mnemonics, so they are emitted with .insn
 * (OP major opcode 0x33, funct7 0000111, funct3 101 / 111).
 *
 * qemu-riscv64 7.2 does not implement Zicond, so the expected output of this
 * program was worked out from the specification.  Built with
 * -DZICOND_REFERENCE the same program replaces each instruction by an
 * equivalent base-ISA sequence; that variant runs under qemu and must print
 * exactly the same text, which is how the hand-written expectation is
 * checked. */
#include "rt.inc"

#ifdef ZICOND_REFERENCE
/* t6 is reserved as the temporary of the reference sequences. */
.macro CZERO_EQZ rd, rs1, rs2
	snez t6, \rs2
	neg t6, t6
	and \rd, \rs1, t6
.endm
.macro CZERO_NEZ rd, rs1, rs2
	seqz t6, \rs2
	neg t6, t6
	and \rd, \rs1, t6
.endm
#else
.macro CZERO_EQZ rd, rs1, rs2
	.insn r 0x33, 5, 7, \rd, \rs1, \rs2
.endm
.macro CZERO_NEZ rd, rs1, rs2
	.insn r 0x33, 7, 7, \rd, \rs1, \rs2
.endm
#endif

	.text
	.globl _start
_start:
	RT_INIT
	li s0, 0x0123456789abcdef
	li s1, 0
	li s2, 0x100000000	/* zero in the low 32 bits: still nonzero */
	li s3, -1

	CZERO_EQZ t0, s0, s1
	SHOW eqz_cond0, t0
	CZERO_EQZ t0, s0, s2
	SHOW eqz_cond_hi, t0
	CZERO_EQZ t0, s0, s3
	SHOW eqz_cond_m1, t0
	CZERO_NEZ t0, s0, s1
	SHOW nez_cond0, t0
	CZERO_NEZ t0, s0, s2
	SHOW nez_cond_hi, t0
	CZERO_NEZ t0, s0, s3
	SHOW nez_cond_m1, t0

	/* rs1 == rs2 */
	CZERO_EQZ t0, s3, s3
	SHOW eqz_same, t0
	CZERO_NEZ t0, s3, s3
	SHOW nez_same, t0

	/* rd == rs2: the condition is read before rd is written */
	mv t1, s1
	CZERO_NEZ t1, s0, t1
	SHOW nez_rd_is_cond, t1
	mv t1, s2
	CZERO_EQZ t1, s0, t1
	SHOW eqz_rd_is_cond, t1

	/* rd == x0 is a no-op */
	CZERO_EQZ zero, s0, s3
	SHOW x0, zero

	/* branchless select: r = c ? a : b  ==  czero.eqz(a, c) | czero.nez(b, c) */
	li s4, 0x1111
	li s5, 0x2222
	li s6, 0		/* bit i of s6: result of select for c = i */
	li s7, 0		/* c */
1:	CZERO_EQZ t0, s4, s7
	CZERO_NEZ t1, s5, s7
	or t0, t0, t1
	slli s6, s6, 1
	li t2, 0x1111
	bne t0, t2, 2f
	ori s6, s6, 1
2:	addi s7, s7, 1
	li t2, 4
	blt s7, t2, 1b
	SHOW select_bits, s6

	/* absolute value without branches via czero */
	li s4, -12345
	neg t1, s4
	slt t2, s4, zero
	CZERO_EQZ t3, t1, t2	/* negative: -x */
	CZERO_NEZ t4, s4, t2	/* non-negative: x */
	or t0, t3, t4
	SHOW abs, t0

	li a0, 0
	call rt_exit
