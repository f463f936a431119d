/* rv64i.S: RV64I edge cases (no compressed encodings).
 * Covers lui/auipc sign extension, W-suffixed arithmetic, shift-amount
 * masking, signed vs unsigned compares, every load width with sign/zero
 * extension, partial stores, misaligned accesses, all branch forms and
 * jal/jalr link/target rules.  Each result is printed, then a checksum. */
#include "rt.inc"

	.option norvc
	.text
	.globl _start
_start:
	RT_INIT
	li s0, 0x8000000000000000
	li s1, -1
	li s2, 0x0123456789abcdef
	li s3, 0x7fffffff

	/* --- lui / auipc --- */
	lui t0, 0x80000
	SHOW lui_80000, t0
	lui t0, 0x7ffff
	SHOW lui_7ffff, t0
	lui t0, 0xfffff
	SHOW lui_fffff, t0
1:	auipc t0, 0
	auipc t1, 1
	sub t1, t1, t0
	SHOW auipc_delta, t1
2:	auipc t0, 0xfffff
	lla t1, 2b
	sub t0, t0, t1
	SHOW auipc_neg, t0

	/* --- add/sub and the W forms --- */
	addi t0, s0, -1
	SHOW addi_wrap, t0
	add t0, s0, s0
	SHOW add_ovf, t0
	sub t0, zero, s0
	SHOW neg_min, t0
	addiw t0, s3, 1
	SHOW addiw_ovf, t0
	addw t0, s3, s3
	SHOW addw, t0
	subw t0, zero, s3
	SHOW subw, t0
	addiw t0, s2, 0
	SHOW sext_w, t0
	li t1, 0x100000000
	addw t0, s2, t1
	SHOW addw_hi_ignored, t0

	/* --- shifts: register amounts use only the low 6 (or 5) bits --- */
	li t1, 65
	sll t0, s2, t1
	SHOW sll_65, t0
	srl t0, s0, t1
	SHOW srl_65, t0
	sra t0, s0, t1
	SHOW sra_65, t0
	li t1, 63
	sra t0, s0, t1
	SHOW sra_63, t0
	srl t0, s0, t1
	SHOW srl_63, t0
	li t1, 33
	sllw t0, s2, t1
	SHOW sllw_33, t0
	li t2, 0x80000000
	srlw t0, t2, zero
	SHOW srlw_0, t0
	srlw t0, t2, t1
	SHOW srlw_33, t0
	li t1, 31
	sraw t0, t2, t1
	SHOW sraw_31, t0
	slli t0, s1, 63
	SHOW slli_63, t0
	srli t0, s1, 63
	SHOW srli_63, t0
	srai t0, s0, 63
	SHOW srai_63, t0
	slliw t0, s2, 31
	SHOW slliw_31, t0
	srliw t0, s2, 0
	SHOW srliw_0, t0
	srliw t0, s2, 4
	SHOW srliw_4, t0
	sraiw t0, s2, 4
	SHOW sraiw_4, t0
	sraiw t0, t2, 0
	SHOW sraiw_0, t0

	/* --- compares --- */
	li t1, 1
	slt t0, s0, t1
	SHOW slt_min_1, t0
	sltu t0, s0, t1
	SHOW sltu_min_1, t0
	slt t0, s1, zero
	SHOW slt_m1_0, t0
	sltu t0, zero, s1
	SHOW sltu_0_m1, t0
	slti t0, s0, -2048
	SHOW slti_min, t0
	sltiu t0, s2, -1
	SHOW sltiu_m1, t0
	sltiu t0, s1, -1
	SHOW sltiu_eq, t0
	sltiu t0, zero, 1
	SHOW seqz, t0
	slti t0, s1, 0
	SHOW sltz, t0

	/* --- logic with sign-extended immediates --- */
	andi t0, s2, -16
	SHOW andi_m16, t0
	ori t0, zero, -2048
	SHOW ori_m2048, t0
	xori t0, s2, -1
	SHOW not, t0
	and t0, s2, s0
	or t0, t0, s3
	xor t0, t0, s2
	SHOW and_or_xor, t0

	/* --- loads: every width, sign and zero extension --- */
	lla s4, data
	lb t0, 0(s4)
	SHOW lb, t0
	lbu t0, 0(s4)
	SHOW lbu, t0
	lb t0, 7(s4)
	SHOW lb7, t0
	lh t0, 0(s4)
	SHOW lh, t0
	lhu t0, 0(s4)
	SHOW lhu, t0
	lh t0, 6(s4)
	SHOW lh6, t0
	lw t0, 0(s4)
	SHOW lw, t0
	lwu t0, 0(s4)
	SHOW lwu, t0
	lw t0, 4(s4)
	SHOW lw4, t0
	ld t0, 0(s4)
	SHOW ld, t0
	ld t0, 8(s4)
	SHOW ld8, t0
	lw t0, -4(s4)
	SHOW lw_negoff, t0
	/* misaligned accesses are legal for user code on Linux */
	ld t0, 3(s4)
	SHOW ld_mis3, t0
	lw t0, 5(s4)
	SHOW lw_mis5, t0
	lhu t0, 1(s4)
	SHOW lhu_mis1, t0

	/* --- stores: partial overwrites of a doubleword --- */
	lla s5, scratch
	sd s1, 0(s5)
	sb zero, 0(s5)
	sh zero, 2(s5)
	sw s2, 4(s5)
	ld t0, 0(s5)
	SHOW st_mix, t0
	sd zero, 8(s5)
	sh s2, 9(s5)		/* misaligned */
	sw s2, 11(s5)		/* misaligned, crosses nothing special */
	ld t0, 8(s5)
	SHOW st_mis, t0
	sd s2, 16(s5)
	ld t0, 16(s5)
	SHOW st_d, t0

	/* --- branches: set bit i when branch i is taken --- */
	li s6, 0
	li t1, 1
	beq s0, s0, 1f
	j 2f
1:	ori s6, s6, 1 << 0
2:	bne s0, t1, 1f
	j 2f
1:	ori s6, s6, 1 << 1
2:	blt s0, t1, 1f		/* signed: min < 1 taken */
	j 2f
1:	ori s6, s6, 1 << 2
2:	bltu s0, t1, 1f		/* unsigned: 2^63 < 1 not taken */
	j 2f
1:	ori s6, s6, 1 << 3
2:	bge s1, s0, 1f		/* -1 >= min taken */
	j 2f
1:	ori s6, s6, 1 << 4
2:	bgeu s1, s0, 1f		/* 0xff..ff >= 2^63 taken */
	j 2f
1:	ori s6, s6, 1 << 5
2:	bge s0, s1, 1f		/* not taken */
	j 2f
1:	ori s6, s6, 1 << 6
2:	bne zero, zero, 1f	/* not taken */
	j 2f
1:	ori s6, s6, 1 << 7
2:	bge zero, zero, 1f	/* equal: taken */
	j 2f
1:	ori s6, s6, 1 << 8
2:	bltu zero, s1, 1f	/* taken */
	j 2f
1:	ori s6, s6, 1 << 9
2:	SHOW branches, s6

	/* --- jal / jalr --- */
	jal t0, 3f
3:	lla t1, 3b
	sub t0, t0, t1
	SHOW jal_link, t0
	lla t1, 4f
	addi t1, t1, 1		/* jalr clears bit 0 of the target */
	jalr t2, 0(t1)
	li t0, 0xbad
	j 5f
4:	li t0, 0x600d
5:	SHOW jalr_odd, t0
	lla t1, 6f
	li t0, 0
	jalr t2, 8(t1)		/* the offset is added: only "+4" runs */
6:	addi t0, t0, 1
	addi t0, t0, 2
	addi t0, t0, 4
	SHOW jalr_off, t0
	/* rd == rs1: the target uses the old value */
	lla t0, 7f
	jalr t0, 0(t0)
	li t1, 0xbad
7:	lla t1, 7b
	sub t0, t0, t1
	SHOW jalr_same, t0

	/* --- x0 is hard-wired --- */
	addi x0, x0, 5
	lui x0, 0x12345
	SHOW x0, zero

	/* --- loops: sum 1..1000, fib(90) --- */
	li t0, 0
	li t1, 1000
1:	add t0, t0, t1
	addi t1, t1, -1
	bnez t1, 1b
	SHOW sum1000, t0
	li t0, 0
	li t1, 1
	li t2, 90
1:	add t3, t0, t1
	mv t0, t1
	mv t1, t3
	addi t2, t2, -1
	bnez t2, 1b
	SHOW fib90, t0

	/* --- li expansions of awkward constants --- */
	li t0, 0x7ffff800
	SHOW li_7ffff800, t0
	li t0, 0xfffffffffffff800
	SHOW li_m2048, t0
	li t0, 0x80000000
	SHOW li_80000000, t0
	li t0, 0x00000000fffff800
	SHOW li_fffff800, t0

	li a0, 0
	call rt_exit

	.data
	.balign 8
	.word 0xcafef00d
data:	.byte 0x88, 0x87, 0x86, 0x85, 0x84, 0x83, 0x82, 0x81
	.byte 0x01, 0x02, 0x03, 0x04, 0x75, 0x76, 0x77, 0x78
	.balign 8
scratch: .zero 32
