/* aext.S: A extension.  LR/SC retry loops, SC failure without a matching
 * reservation, and every AMO in .w and .d form with signed/unsigned
 * boundary values.  Each AMO prints the old value (rd, sign-extended for .w)
 * and the new memory contents. */
#include "rt.inc"

/* AMO op, width(w|d), initial memory value, operand: show rd and memory */
.macro AMO op, sz, init, opnd
	li t0, \init
	s\sz t0, 0(s0)
	li t1, \opnd
	amo\op\().\sz\().aqrl t2, t1, (s0)
	SHOW amo\op\()_\sz\()_old, t2
	l\sz t3, 0(s0)
	SHOW amo\op\()_\sz\()_mem, t3
.endm

	.text
	.globl _start
_start:
	RT_INIT
	lla s0, cell

	/* lr/sc increment loop, 1000 times */
	sd zero, 0(s0)
	li s1, 1000
1:	lr.d t0, (s0)
	addi t0, t0, 3
	sc.d t1, t0, (s0)
	bnez t1, 1b
	addi s1, s1, -1
	bnez s1, 1b
	ld t0, 0(s0)
	SHOW lrsc_d_loop, t0

	/* lr.w sign-extends; sc.w writes only 32 bits */
	li t0, 0x1111111180000000
	sd t0, 0(s0)
1:	lr.w t1, (s0)
	addi t2, t1, -1		/* 0x7fffffff after wrap of the low word */
	sc.w t3, t2, (s0)
	bnez t3, 1b
	SHOW lr_w_value, t1
	ld t0, 0(s0)
	SHOW sc_w_mem, t0

	/* an SC whose address is outside the reservation must fail and leave
	 * memory alone; so must an SC after the reservation was consumed */
	lla s2, cell2
	li t0, 77
	sd t0, 0(s2)
	lr.d t1, (s0)
	sc.d t2, zero, (s2)
	snez t2, t2
	SHOW sc_other_addr_failed, t2
	ld t0, 0(s2)
	SHOW sc_other_addr_mem, t0
	lr.d t1, (s0)
	sc.d t2, t1, (s0)	/* succeeds, consumes the reservation */
	sc.d t3, zero, (s0)	/* no reservation: must fail */
	snez t3, t3
	SHOW sc_second_failed, t3

	AMO add, w, 0x7fffffff, 1
	AMO add, d, 0x7fffffffffffffff, 1
	AMO swap, w, 0x89abcdef, 0x12345678
	AMO swap, d, 0x0123456789abcdef, -1
	AMO and, w, 0xf0f0f0f0, 0xff00ff00
	AMO or, d, 0xf0f0f0f0, 0x0f0f0f0f00000000
	AMO xor, w, 0xffffffff, 0x0000ffff
	AMO min, w, 0x80000000, 1
	AMO min, w, 5, -3
	AMO max, w, 0x80000000, 1
	AMO minu, w, 0x80000000, 1
	AMO maxu, w, 0x80000000, 1
	AMO maxu, w, 0x7fffffff, 0xffffffff
	AMO min, d, 0x8000000000000000, 1
	AMO max, d, -5, -6
	AMO minu, d, 0x8000000000000000, 1
	AMO maxu, d, 0x8000000000000000, 1
	AMO maxu, d, 3, -1

	/* amo with rd = x0 still updates memory */
	li t0, 40
	sd t0, 0(s0)
	li t1, 2
	amoadd.d zero, t1, (s0)
	ld t0, 0(s0)
	SHOW amoadd_rd0, t0

	/* .w forms must only touch the addressed word */
	li t0, 0x5555555566666666
	sd t0, 0(s0)
	li t1, 1
	addi t2, s0, 4
	amoadd.w zero, t1, (t2)
	ld t0, 0(s0)
	SHOW amo_w_hi_word, t0

	li a0, 0
	call rt_exit

	.data
	.balign 8
cell:	.dword 0
cell2:	.dword 0
