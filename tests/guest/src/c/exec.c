/* exec.c: fork + execve of other guest programs, and execve failures.
 * Usage: exec ARGS-PROGRAM EXIT42-PROGRAM HELLO-PROGRAM, each a path
 * relative to the directory this program was started from (the directory
 * part of argv[0]), because the working directory is an empty scratch
 * directory and /proc/self/exe is not something to rely on.
 * The child gets a hand-made argv and envp, so the exec'd program's output
 * is fully determined.  Finally the process execs itself away into HELLO.
 *
 * qemu-riscv64 7.2 hands execve to the host kernel, which cannot run a
 * RISC-V binary without binfmt_misc, so this case cannot be recorded with
 * qemu: its expected output is assembled from the outputs of the programs
 * it runs (see the case list). */
#include "guest.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[2048];

static char *resolve(const char *name)
{
	static char paths[4][4096];
	static int next;
	char *p = paths[next++ & 3];
	snprintf(p, 4096, "%s/%s", dir, name);
	return p;
}

static void report(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("parent: %s exited with %d\n", what, WEXITSTATUS(status));
	else
		printf("parent: %s died of signal %d\n", what, WTERMSIG(status));
}

/* fork, execve in the child; when execve fails the child prints the errno
 * name and exits with 100 */
static int spawn(char *path, char **argv, char **envp)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execve(path, argv, envp);
		printf("child: execve failed: %s\n", errname(errno));
		fflush(stdout);
		_exit(100);
	}
	int status;
	waitpid(pid, &status, 0);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: exec ARGS EXIT42 HELLO\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s", argv[0]);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");

	char *args_path = resolve(argv[1]);
	char *child_argv[] = {args_path, "from exec", "second", NULL};
	char *child_env[] = {"RVT_FROM=exec", "PATH=/nowhere", "Z=last", NULL};
	printf("parent: running %s\n", argv[1]);
	report(argv[1], spawn(args_path, child_argv, child_env));

	char *exit_path = resolve(argv[2]);
	char *exit_argv[] = {exit_path, NULL};
	char *no_env[] = {NULL};
	printf("parent: running %s\n", argv[2]);
	report(argv[2], spawn(exit_path, exit_argv, no_env));

	/* failures are reported to the caller of execve, which keeps running */
	char *missing_argv[] = {"missing", NULL};
	report("missing program", spawn("./missing-program", missing_argv, no_env));
	int fd = open("not-elf", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	write(fd, "just text, no #! line\n", 22);
	close(fd);
	char *text_argv[] = {"not-elf", NULL};
	report("text file", spawn("./not-elf", text_argv, no_env));
	chmod("not-elf", 0644);
	report("file without x bit", spawn("./not-elf", text_argv, no_env));
	unlink("not-elf");
	errno = 0;
	char *dir_argv[] = {".", NULL};
	report("directory", spawn(".", dir_argv, no_env));

	/* replace this process: nothing after a successful execve runs, so
	 * buffered output must be flushed first */
	printf("parent: now becoming %s\n", argv[3]);
	fflush(stdout);
	char *hello_path = resolve(argv[3]);
	char *hello_argv[] = {hello_path, NULL};
	execve(hello_path, hello_argv, no_env);
	printf("execve of %s failed: %s\n", argv[3], errname(errno));
	return 1;
}
