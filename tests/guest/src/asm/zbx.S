/* zbx.S: bit-manipulation extensions Zba, Zbb, Zbc and Zbs
 * (built with -march=rv64gc_zba_zbb_zbc_zbs).  Every instruction is run on
 * operands chosen to hit zero counts, sign bits and the .uw/.w forms'
 * treatment of the upper 32 bits. */
#include "rt.inc"

/* R op, tag: rd = op(s0, s1) for the current s0/s1 */
.macro R op, tag
	\op t0, s0, s1
	SHOW \tag, t0
.endm
/* U op, tag: rd = op(s0) */
.macro U op, tag
	\op t0, s0
	SHOW \tag, t0
.endm
/* I op, imm, tag: rd = op(s0, imm) */
.macro I op, imm, tag
	\op t0, s0, \imm
	SHOW \tag, t0
.endm

	.text
	.globl _start
_start:
	RT_INIT

	/* ---- Zba ---- */
	li s0, 0xfedcba9880000001
	li s1, 0x1000
	R add.uw, add_uw
	R sh1add, sh1add
	R sh2add, sh2add
	R sh3add, sh3add
	R sh1add.uw, sh1add_uw
	R sh2add.uw, sh2add_uw
	R sh3add.uw, sh3add_uw
	I slli.uw, 0, slli_uw_0
	I slli.uw, 4, slli_uw_4
	I slli.uw, 63, slli_uw_63

	/* ---- Zbb: logic with negate, counts ---- */
	li s0, 0x00f0ff000000ff10
	li s1, 0x0ff00ff00ff00ff0
	R andn, andn
	R orn, orn
	R xnor, xnor
	U clz, clz
	U ctz, ctz
	U cpop, cpop
	U clzw, clzw
	U ctzw, ctzw
	U cpopw, cpopw
	li s0, 0
	U clz, clz_0
	U ctz, ctz_0
	U clzw, clzw_0
	U ctzw, ctzw_0
	U cpop, cpop_0
	li s0, -1
	U clz, clz_m1
	U cpop, cpop_m1
	U cpopw, cpopw_m1
	li s0, 0xffffffff00000000
	U clzw, clzw_hi_only
	U ctzw, ctzw_hi_only

	/* min/max signed and unsigned */
	li s0, -2
	li s1, 1
	R min, min
	R max, max
	R minu, minu
	R maxu, maxu

	/* sign/zero extension, byte ops */
	li s0, 0x12345678abcd8f80
	U sext.b, sext_b
	U sext.h, sext_h
	U zext.h, zext_h
	U orc.b, orc_b
	U rev8, rev8
	li s0, 0x0100000000ff0001
	U orc.b, orc_b2

	/* rotates */
	li s0, 0x8000000000000001
	li s1, 65		/* only the low 6 (or 5) bits count */
	R rol, rol_65
	R ror, ror_65
	li s0, 0x0000000080000001
	li s1, 33
	R rolw, rolw_33
	R rorw, rorw_33
	I rori, 63, rori_63
	I roriw, 31, roriw_31
	I roriw, 0, roriw_0
	li s0, 0x123456789abcdef0
	I rori, 0, rori_0
	I rori, 12, rori_12

	/* ---- Zbc: carry-less multiply ---- */
	li s0, 0x8000000000000003
	li s1, 0xc000000000000005
	R clmul, clmul
	R clmulh, clmulh
	R clmulr, clmulr
	li s0, -1
	li s1, -1
	R clmul, clmul_m1
	R clmulh, clmulh_m1
	R clmulr, clmulr_m1

	/* ---- Zbs: single-bit ops, register index masked to 6 bits ---- */
	li s0, 0x00000000000000f0
	li s1, 68
	R bset, bset_68
	R bclr, bclr_68
	R binv, binv_68
	R bext, bext_68
	I bseti, 63, bseti_63
	I bclri, 7, bclri_7
	I binvi, 0, binvi_0
	I bexti, 5, bexti_5
	I bexti, 63, bexti_63

	li a0, 0
	call rt_exit
