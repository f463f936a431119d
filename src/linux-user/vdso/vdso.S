/*
 * rvscope's riscv64 vDSO: the image user mode maps for every process and
 * names in AT_SYSINFO_EHDR, as Linux and QEMU (8.0 and later) do.
 *
 * It exports what Linux's riscv64 vDSO exports, under version LINUX_4.15,
 * and behaves as QEMU 10's: each time function makes the system call (the
 * emulator answers it), __vdso_flush_icache has nothing to flush (stores
 * into translated code already drop it), and __vdso_rt_sigreturn is the
 * signal return trampoline the kernel side puts in ra of every handler
 * without SA_RESTORER. Function order, sizes and unwind records follow
 * QEMU 10's image, so that instruction addresses within the image, and
 * glibc's work to look the symbols up, are the same.
 *
 * Built by tools/build-vdso.sh into src/linux-user/vdso/image.ts.
 */

#include <asm/unistd.h>

/* Offsets in the signal frame rvscope builds (src/linux-user/signals.ts):
 * the frame starts with siginfo (128 bytes), then the ucontext, whose
 * mcontext (pc, x1..x31, then f0..f31) is 176 bytes in. */
#define FRAME_MCONTEXT	(128 + 176)
#define MC_GPR(n)	((n) * 8)
#define MC_FPR(n)	(32 * 8 + (n) * 8)

	.text

/* Declares a global function symbol ending here. */
.macro export_fn name
	.globl	\name
	.type	\name, @function
	.size	\name, . - \name
.endm

/* A function that is just the system call of the same name. */
.macro syscall_fn name, number
\name:
	li	a7, \number
	ecall
	ret
export_fn \name
.endm

__vdso_gettimeofday:
	.cfi_startproc
	li	a7, __NR_gettimeofday
	ecall
	ret
	.cfi_endproc
export_fn __vdso_gettimeofday

	.cfi_startproc
syscall_fn __vdso_clock_gettime, __NR_clock_gettime
syscall_fn __vdso_clock_getres, __NR_clock_getres
syscall_fn __vdso_getcpu, __NR_getcpu

__vdso_flush_icache:
	li	a0, 0
	ret
export_fn __vdso_flush_icache
	.cfi_endproc

/*
 * The signal trampoline's unwind record describes the signal frame, so
 * that debuggers and unwinders step from a handler back into the
 * interrupted code. It opens one instruction early: an unwinder looks up
 * the instruction before a return address.
 */
	.cfi_startproc simple
	.cfi_signal_frame
	.cfi_def_cfa	2, FRAME_MCONTEXT
	/* The interrupted pc, saved in the mcontext's first slot, is the return address (column 64). */
	.cfi_return_column 64
	.cfi_offset	64, 0
	.irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.cfi_offset	\n, MC_GPR(\n)
	.endr
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.cfi_offset	32 + \n, MC_FPR(\n)
	.endr

	nop
__vdso_rt_sigreturn:
	li	a7, __NR_rt_sigreturn
	ecall
export_fn __vdso_rt_sigreturn
	.cfi_endproc
