/* segv.c: dies of SIGSEGV.  With the default disposition, a store to an
 * unmapped address kills the process; the parent sees status 128+11.
 * Output written (and flushed) before the fault must arrive intact. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("about to write through a bad pointer\n");
	fflush(stdout);
	volatile int *volatile p = (int *)0x10;
	*p = 1;
	printf("still alive?!\n");
	return 0;
}
