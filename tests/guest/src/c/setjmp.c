/* setjmp.c: non-local jumps.  setjmp/longjmp across several frames, the
 * value 0 turned into 1, volatile locals surviving the jump, nested jump
 * buffers, and callee-saved FP registers being restored.  glibc's setjmp
 * saves ra, sp, s0-s11 and fs0-fs11 with plain loads and stores, so this
 * mostly checks that the emulator keeps all of those intact. */
#include "guest.h"
#include <setjmp.h>

static jmp_buf outer, inner;
static int depth_reached;

static void dive(int depth, int target, int value)
{
	char pad[64];
	memset(pad, depth, sizeof pad);
	depth_reached = depth;
	if (depth == target)
		longjmp(outer, value);
	if (depth > 100000)
		return; /* never reached; tells the compiler the recursion ends */
	dive(depth + 1, target, value);
	__asm__ volatile("" ::"r"(pad) : "memory");
}

static int nested(void)
{
	volatile int steps = 0;
	if (setjmp(inner) == 0) {
		steps += 1;
		longjmp(inner, 7);
	}
	steps += 10;
	return steps;
}

static double fp_keep(volatile double seed)
{
	register double keep __asm__("fs3") = seed * 3.0;
	jmp_buf jb;
	if (setjmp(jb) == 0) {
		/* clobber fs3 by hand, then jump back: setjmp restored it */
		__asm__ volatile("fcvt.d.w fs3, zero" ::: "fs3");
		longjmp(jb, 1);
	}
	__asm__ volatile("" : "+f"(keep));
	return keep;
}

int main(void)
{
	volatile int counter = 0;
	int r = setjmp(outer);
	printf("setjmp returned %d (counter=%d, depth reached=%d)\n", r, counter, depth_reached);
	counter++;
	if (r == 0)
		dive(0, 5, 42);
	else if (r == 42)
		dive(0, 50, 0); /* longjmp(…, 0) must make setjmp return 1 */
	else if (r == 1)
		dive(0, 1000, 3);
	printf("after jumps: counter=%d\n", counter);

	printf("nested: %d\n", nested());
	printf("fs3 preserved: %g\n", fp_keep(1.5));

	/* sigsetjmp without mask saving behaves like setjmp */
	sigjmp_buf sj;
	volatile int round = 0;
	int v = sigsetjmp(sj, 0);
	if (round < 3) {
		round++;
		siglongjmp(sj, round * 100);
	}
	printf("sigsetjmp final value %d after %d rounds\n", v, round);
	return 0;
}
