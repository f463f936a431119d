/* upper.c: a filter exec'd by the other tests.  Copies stdin to stdout in
 * upper case, then prints its arguments and whether descriptors 5 and 6
 * survived execve, and exits with the byte count % 256. */
#include "t.h"
#include <ctype.h>
#include <fcntl.h>

int main(int argc, char **argv)
{
	char buf[4096];
	long total = 0;
	ssize_t n;
	while ((n = read(0, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			buf[i] = toupper((unsigned char)buf[i]);
		write(1, buf, n);
		total += n;
	}
	printf("[upper: %d args", argc - 1);
	for (int i = 1; i < argc; i++)
		printf(" '%s'", argv[i]);
	/* close-on-exec descriptors the parent opened must be gone */
	printf(", fd 5 %s, fd 6 %s]\n", fcntl(5, F_GETFD) == -1 ? "closed" : "open", fcntl(6, F_GETFD) == -1 ? "closed" : "open");
	return (int)(total % 256);
}
