/* exit42.c: exit status propagation.  atexit handlers run in reverse order
 * of registration, buffered stdout is flushed by exit(), and the status
 * seen by the parent is 42. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second, runs first\n"); }

int main(void)
{
	atexit(first);
	atexit(second);
	printf("calling exit(42) with this line still buffered");
	exit(42);
}
