/* hello.c: printf-based hello world, plus a line on stderr and a few
 * formatted conversions.  The first thing to get working with libc. */
#include <stdio.h>

int main(void)
{
	printf("Hello, world!\n");
	puts("puts works too");
	printf("%d %s %c %5.2f|%-4d|%04x|%lld|%lu\n", 42, "str", 'c', 3.14159, 7, 255,
	       -9223372036854775807LL - 1, 18446744073709551615UL);
	fprintf(stderr, "this line goes to stderr\n");
	return 0;
}
