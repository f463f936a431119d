/* hello.S: the smallest possible guest: write(2) a line, then exit(2).
 * No libc, no stack use, no runtime include; if this fails nothing else will
 * work either. */
#define SYS_write 64
#define SYS_exit 93

	/* RISC-V gas keeps label differences symbolic (for linker
	 * relaxation), so li cannot take MSG_LEN: the length is a
	 * constant checked by the .if at the end. */
#define MSG_LEN 25
	.section .rodata
msg:	.ascii "Hello from raw syscalls!\n"
msg_end:

	.text
	.globl _start
_start:
	li a0, 1
	lla a1, msg
	li a2, MSG_LEN
	li a7, SYS_write
	ecall
	/* Check the return value: exit 0 if all bytes were written, 1 otherwise. */
	li t0, MSG_LEN
	sub a0, a0, t0
	snez a0, a0
	li a7, SYS_exit
	ecall

	.section .rodata
	.if msg_end - msg - MSG_LEN
	.error "MSG_LEN does not match the message"
	.endif
