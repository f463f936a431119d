/* illegal.S: dies of SIGILL.  With no handler installed, the all-zero
 * 16-bit parcel (defined to be illegal forever) must kill the process with
 * the default action, so the exit status seen by the parent is 128+4.  The
 * output written before it must not be lost. */
#include "rt.inc"

	.text
	.globl _start
_start:
	RT_INIT
	SAY "about to execute an illegal instruction\n"
	call rt_flush
	.2byte 0x0000
	SAY "still alive?!\n"
	li a0, 1
	call rt_exit
