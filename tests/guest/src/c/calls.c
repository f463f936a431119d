/* calls.c: a small, fixed call tree for the plugin tests (uftrace, patch,
 * lockstep; tests/plugins/contrib-batch3.test.ts).  Unlike the other
 * programs it keeps its symbol table (no -s) and frame pointers, so that
 * plugins can name functions and walk frames, and sibling calls are off so
 * every call is a jal.  The work done, and so the control flow, depends on
 * argv[1] (default 5).  Built by build.sh.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline, noipa))

/* Naive recursion: fib(n) makes 2 * fib(n + 1) - 1 calls. */
NOINLINE int fib(int n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

NOINLINE int square(int x)
{
	return x * x;
}

NOINLINE int sum_squares(int n)
{
	int s = 0;
	for (int i = 1; i <= n; i++)
		s += square(i);
	return s;
}

/* A value for patch tests to replace: main prints it. */
NOINLINE int secret(void)
{
	return 42;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	int f = fib(n);
	int s = sum_squares(n);
	printf("fib(%d) = %d\n", n, f);
	printf("sum_squares(%d) = %d\n", n, s);
	printf("secret() = %d\n", secret());
	return 0;
}
