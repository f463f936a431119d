/* smc.S: self-modifying code.  Instructions are written into an anonymous
 * RWX mapping, made visible with fence.i and executed; then they are
 * patched and run again, which must give the new result.  Also covers code
 * that patches its own next instructions and the W^X flow through
 * mprotect.  An emulator that caches translated code must drop it on
 * fence.i (and on writes to code pages). */
#include "rt.inc"

#define SYS_mprotect 226
#define PROT_RW 3
#define PROT_RX 5
#define PROT_RWX 7
/* addi a0, zero, imm */
#define LI_A0(imm) (((imm) << 20) | 0x513)
#define RET 0x00008067

	.option norvc
	.text
	.globl _start
_start:
	RT_INIT

	/* s0 = mmap(NULL, 4096, RWX, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) */
	li a0, 0
	li a1, 4096
	li a2, PROT_RWX
	li a3, 0x22
	li a4, -1
	li a5, 0
	li a7, SYS_mmap
	ecall
	mv s0, a0
	srli t0, a0, 12
	slli t0, t0, 12
	sub t0, a0, t0		/* page aligned -> 0 */
	SHOW mmap_aligned, t0

	/* write "li a0, 1; ret", run it */
	li t0, LI_A0(1)
	sw t0, 0(s0)
	li t0, RET
	sw t0, 4(s0)
	fence.i
	jalr s0
	SHOW first, a0

	/* run it many times so it is "hot", then patch */
	li s1, 200
	li s2, 0
1:	jalr s0
	add s2, s2, a0
	addi s1, s1, -1
	bnez s1, 1b
	SHOW hot_sum, s2
	li t0, LI_A0(2)
	sw t0, 0(s0)
	fence.i
	jalr s0
	SHOW patched, a0

	/* patch / fence.i / call in a loop: sum of 3*i for i < 16 */
	li s1, 0
	li s2, 0
1:	li t0, 3
	mul t0, t0, s1
	slli t0, t0, 20
	ori t0, t0, 0x513
	sw t0, 0(s0)
	fence.i
	jalr s0
	add s2, s2, a0
	addi s1, s1, 1
	li t0, 16
	blt s1, t0, 1b
	SHOW loop_sum, s2

	/* copy a routine that rewrites its own upcoming instruction */
	addi s3, s0, 64
	lla t0, tmpl
	lla t1, tmpl_end
	mv t2, s3
1:	lw t3, 0(t0)
	sw t3, 0(t2)
	addi t0, t0, 4
	addi t2, t2, 4
	bltu t0, t1, 1b
	fence.i
	li a1, LI_A0(99)
	jalr s3
	SHOW self_patch_99, a0
	li a1, LI_A0(42)
	jalr s3
	SHOW self_patch_42, a0

	/* W^X: drop write permission, run, make writable, patch, make
	 * executable again */
	mv a0, s0
	li a1, 4096
	li a2, PROT_RX
	li a7, SYS_mprotect
	ecall
	SHOW mprotect_rx, a0
	jalr s0
	SHOW rx_run, a0
	mv a0, s0
	li a1, 4096
	li a2, PROT_RW
	li a7, SYS_mprotect
	ecall
	li t0, LI_A0(0x555)
	sw t0, 0(s0)
	mv a0, s0
	li a1, 4096
	li a2, PROT_RX
	li a7, SYS_mprotect
	ecall
	fence.i
	jalr s0
	SHOW wx_patched, a0

	mv a0, s0
	li a1, 4096
	li a7, SYS_munmap
	ecall
	SHOW munmap, a0

	li a0, 0
	call rt_exit

	/* Template (position independent).  a1 holds an instruction word that
	 * replaces the "addi a0, zero, 7" below before it executes. */
	.balign 4
tmpl:
	auipc t0, 0
	sw a1, 16(t0)
	fence.i
	nop
	addi a0, zero, 7	/* tmpl + 16 */
	ret
tmpl_end:
