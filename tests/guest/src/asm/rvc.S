/* rvc.S: the C extension, every major RV64 compressed form written out
 * explicitly (CR, CI, CSS, CIW, CL, CS, CA, CB, CJ), with sign-extension
 * corner cases and the pc+2 link of c.jalr.  Prints each result and a
 * checksum. */
#include "rt.inc"

	.option rvc
	.text
	.globl _start
_start:
	RT_INIT

	/* CI: c.li / c.lui / c.addi / c.addiw / c.slli / c.nop */
	c.li a0, -32
	SHOW c_li_m32, a0
	c.li a1, 31
	SHOW c_li_31, a1
	c.lui a2, 0xfffe0	/* imm -32 << 12 */
	SHOW c_lui_neg, a2
	c.lui a3, 0x1f
	SHOW c_lui_pos, a3
	c.addi a3, -1
	SHOW c_addi, a3
	li s0, 0x7fffffff
	c.addiw s0, 1		/* 32-bit overflow, sign-extended */
	SHOW c_addiw, s0
	li s1, 0x123456789
	c.addiw s1, 0		/* sext.w */
	SHOW c_sext_w, s1
	c.li a4, 1
	c.slli a4, 63
	SHOW c_slli_63, a4
	c.nop
	c.slli a1, 1
	SHOW c_slli_1, a1

	/* CB: c.srli / c.srai / c.andi */
	li s0, 0x8000000000000010
	mv s1, s0
	c.srli s0, 4
	SHOW c_srli, s0
	c.srai s1, 63
	SHOW c_srai_63, s1
	li a5, 0x0fedcba987654321
	c.andi a5, -16
	SHOW c_andi_m16, a5
	c.andi a5, 31
	SHOW c_andi_31, a5

	/* CR / CA: c.mv c.add c.sub c.xor c.or c.and c.subw c.addw */
	li a0, 0x1111222233334444
	li a1, 0x0f0f0f0f0f0f0f0f
	c.mv a2, a0
	c.add a2, a1
	SHOW c_add, a2
	c.mv a3, a0
	c.sub a3, a1
	SHOW c_sub, a3
	c.mv a4, a0
	c.xor a4, a1
	SHOW c_xor, a4
	c.mv a5, a0
	c.or a5, a1
	SHOW c_or, a5
	c.mv s0, a0
	c.and s0, a1
	SHOW c_and, s0
	li s1, 0x7fffffff
	c.addw s1, s1
	SHOW c_addw, s1
	li s1, 0x80000000
	li a2, 1
	c.subw s1, a2
	SHOW c_subw, s1

	/* CIW / CI on sp: c.addi4spn, c.addi16sp */
	mv s2, sp
	c.addi16sp sp, -512
	c.addi4spn a0, sp, 1020
	sub a0, a0, s2
	SHOW c_addi4spn, a0
	c.addi16sp sp, 496
	sub a1, sp, s2
	SHOW c_addi16sp, a1
	c.addi16sp sp, 16
	sub a1, sp, s2
	SHOW c_sp_back, a1

	/* CSS / CI stack loads and stores, including FP */
	addi sp, sp, -64
	li t0, -2
	c.swsp t0, 4(sp)
	c.sdsp t0, 8(sp)
	c.lwsp t1, 4(sp)
	SHOW c_lwsp, t1
	li t0, 0x8000000012345678
	c.sdsp t0, 16(sp)
	c.ldsp t2, 16(sp)
	SHOW c_ldsp, t2
	c.fldsp ft0, 16(sp)
	c.fsdsp ft0, 24(sp)
	ld t3, 24(sp)
	SHOW c_fldsp_fsdsp, t3
	c.lwsp t4, 16(sp)	/* low word 0x12345678, positive */
	SHOW c_lwsp2, t4
	c.lwsp t4, 20(sp)	/* high word 0x80000000, sign-extended */
	SHOW c_lwsp_neg, t4
	addi sp, sp, 64

	/* CL / CS: c.lw c.ld c.sw c.sd c.fld c.fsd */
	lla s0, buf
	li a0, 0xfedcba9876543210
	c.sd a0, 0(s0)
	c.lw a1, 0(s0)
	SHOW c_lw, a1
	c.lw a2, 4(s0)
	SHOW c_lw_neg, a2
	c.sw a1, 12(s0)
	c.ld a3, 8(s0)
	SHOW c_sw_ld, a3
	c.fld fa0, 0(s0)
	c.fsd fa0, 16(s0)
	c.ld a4, 16(s0)
	SHOW c_fld_fsd, a4
	c.ld a5, 248(s0)	/* maximum c.ld offset */
	SHOW c_ld_248, a5

	/* CB branches and CJ jumps: set a bit per taken branch */
	li s1, 0
	c.li a0, 0
	c.li a1, 5
	c.beqz a0, 1f
	c.j 2f
1:	ori s1, s1, 1
2:	c.beqz a1, 1f
	c.j 2f
1:	ori s1, s1, 2
2:	c.bnez a1, 1f
	c.j 2f
1:	ori s1, s1, 4
2:	c.bnez a0, 1f
	c.j 2f
1:	ori s1, s1, 8
2:	c.j 3f
4:	ori s1, s1, 16		/* reached by a backward c.j */
	c.j 5f
3:	c.j 4b
5:	SHOW c_branches, s1

	/* c.jr / c.jalr: the link register gets pc + 2 */
	lla t0, 6f
	c.jalr t0
7:	lla t1, 7b
	sub t1, ra, t1
	SHOW c_jalr_link, t1
	lla t0, 8f
	c.jr t0
	li a0, 0xbad
	c.j 9f
8:	li a0, 0x600d
9:	SHOW c_jr, a0

	/* a loop built only from compressed instructions: sum of 1..100 */
	c.li a0, 0
	li a1, 100
1:	c.add a0, a1
	c.addi a1, -1
	c.bnez a1, 1b
	SHOW c_loop, a0

	li a0, 0
	call rt_exit

	/* c.jalr target: returns immediately */
6:	c.jr ra

	.data
	.balign 8
buf:	.zero 248
	.dword 0x5555aaaa5555aaaa
