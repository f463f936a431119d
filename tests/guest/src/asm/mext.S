/* mext.S: M extension corner cases.  Division by zero and signed overflow
 * never trap on RISC-V; they return architecturally defined values, which
 * this program prints for every div/rem variant, plus the high-half
 * multiplies with all sign combinations and the W forms' sign extension. */
#include "rt.inc"

	.text
	.globl _start
_start:
	RT_INIT
	li s0, 0x8000000000000000	/* INT64_MIN */
	li s1, -1
	li s2, 0x0123456789abcdef
	li s3, -7
	li s4, 0x80000000		/* INT32_MIN once truncated */
	li s5, 3

	/* division by zero: quotient all ones, remainder = dividend */
	div t0, s2, zero
	SHOW div_by0, t0
	divu t0, s2, zero
	SHOW divu_by0, t0
	rem t0, s3, zero
	SHOW rem_by0, t0
	remu t0, s3, zero
	SHOW remu_by0, t0
	divw t0, s2, zero
	SHOW divw_by0, t0
	divuw t0, s2, zero
	SHOW divuw_by0, t0
	remw t0, s2, zero
	SHOW remw_by0, t0
	remuw t0, s4, zero
	SHOW remuw_by0, t0

	/* signed overflow: quotient = dividend, remainder = 0 */
	div t0, s0, s1
	SHOW div_ovf, t0
	rem t0, s0, s1
	SHOW rem_ovf, t0
	divw t0, s4, s1
	SHOW divw_ovf, t0
	remw t0, s4, s1
	SHOW remw_ovf, t0

	/* ordinary signed/unsigned division rounds toward zero */
	div t0, s3, s5
	SHOW div_m7_3, t0
	rem t0, s3, s5
	SHOW rem_m7_3, t0
	divu t0, s3, s5
	SHOW divu_m7_3, t0
	remu t0, s3, s5
	SHOW remu_m7_3, t0
	divw t0, s3, s5
	SHOW divw_m7_3, t0
	divuw t0, s3, s5
	SHOW divuw_m7_3, t0
	remuw t0, s3, s5
	SHOW remuw_m7_3, t0
	li t1, 0xffffffff00000007	/* upper half ignored by W forms */
	li t2, 0x1234567800000002
	divw t0, t1, t2
	SHOW divw_hi, t0
	remw t0, t1, t2
	SHOW remw_hi, t0

	/* multiplies */
	mul t0, s2, s2
	SHOW mul, t0
	mulh t0, s2, s2
	SHOW mulh, t0
	mulhu t0, s1, s1
	SHOW mulhu_m1, t0
	mulh t0, s1, s1
	SHOW mulh_m1, t0
	mulhsu t0, s1, s1
	SHOW mulhsu_m1, t0
	mulhsu t0, s2, s1
	SHOW mulhsu_pos, t0
	mulh t0, s0, s0
	SHOW mulh_min, t0
	mulhu t0, s0, s0
	SHOW mulhu_min, t0
	mulhsu t0, s0, s0
	SHOW mulhsu_min, t0
	mulh t0, s0, s1
	SHOW mulh_min_m1, t0
	mul t0, s0, s1
	SHOW mul_min_m1, t0
	mulh t0, s2, s3
	SHOW mulh_neg, t0
	mulw t0, s4, s5
	SHOW mulw, t0
	li t1, 0x10000
	mulw t0, t1, t1
	SHOW mulw_wrap, t0
	li t1, 0xffff
	mulw t0, t1, t1
	SHOW mulw_sext, t0
	li t1, 0x0000ffff0000ffff
	mulw t0, t1, t1
	SHOW mulw_hi, t0

	/* a product/quotient chain as a final sanity check */
	li t0, 1
	li t1, 1
	li t2, 20
1:	mul t0, t0, t1		/* 20! */
	addi t1, t1, 1
	ble t1, t2, 1b
	SHOW fact20, t0
	li t1, 0x12345
	divu t3, t0, t1
	remu t4, t0, t1
	mul t5, t3, t1
	add t5, t5, t4
	sub t5, t5, t0
	SHOW divrem_identity, t5

	li a0, 0
	call rt_exit
