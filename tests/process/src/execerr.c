/* execerr.c: execve results that only rvscope can show (qemu-riscv64 hands
 * execve to the host).  usage: execerr exec PATH   (prints the errno when
 * execve fails: a host x86-64 ELF must give ENOEXEC)
 *                       execerr fexecve PATH (fexecve = execveat(fd, "", AT_EMPTY_PATH)) */
#include "t.h"
#include <fcntl.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	char *v[] = { argv[2], "exec'd", NULL };
	fflush(stdout);
	if (!strcmp(argv[1], "fexecve")) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		int nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		fexecve(fd, v, environ);
	} else {
		execve(argv[2], v, environ);
	}
	printf("%s %s: %s\n", argv[1], argv[2], ename(errno));
	return 1;
}
