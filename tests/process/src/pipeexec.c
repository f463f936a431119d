/* pipeexec.c: fork + pipes + execve of another test program.
 * usage: pipeexec PROG...   (PROG... is the command that runs upper: its
 * path, or under qemu "qemu-riscv64 path", since qemu hands execve to the
 * host).  Covers dup2 onto stdin/stdout, close-on-exec, the exit status of
 * the exec'd program, a pipeline of two exec'd programs, execve errors
 * (ENOENT, EACCES, ENOEXEC) and a "#!" script run through execve. */
#include "t.h"
#include <fcntl.h>
#include <sys/stat.h>

static char **prog;
static int nprog;

/* argv = PROG... + extra args */
static char **cmd(const char *a1, const char *a2)
{
	static char *v[16];
	int n = 0;
	for (int i = 0; i < nprog; i++)
		v[n++] = prog[i];
	if (a1)
		v[n++] = (char *)a1;
	if (a2)
		v[n++] = (char *)a2;
	v[n] = NULL;
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: pipeexec PROG...\n");
		return 2;
	}
	prog = argv + 1;
	nprog = argc - 1;
	int st;

	/* parent -> child stdin, child stdout -> parent */
	int in[2], out[2];
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	int keep = dup2(in[0], 5);          /* inherited without FD_CLOEXEC */
	int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
	dup2(gone, 6);
	fcntl(6, F_SETFD, FD_CLOEXEC);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		char **v = cmd("alpha", "beta gamma");
		execv(v[0], v);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(keep);
	close(gone);
	close(6);
	const char *msg = "hello through a pipe\nsecond line\n";
	write(in[1], msg, strlen(msg));
	close(in[1]);
	char buf[512];
	int got = 0, n;
	while ((n = read(out[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(out[0]);
	waitpid(pid, &st, 0);
	printf("child said:\n%s", buf);
	printf("child: %s (%d bytes in)\n", wstr(st), (int)strlen(msg));

	/* a two-stage pipeline: upper | upper, both exec'd */
	int mid[2], fin[2];
	pipe(mid);
	pipe(fin);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		int src[2];
		pipe(src);
		write(src[1], "pipeline\n", 9);
		close(src[1]);
		dup2(src[0], 0);
		dup2(mid[1], 1);
		close(src[0]);
		close(mid[0]);
		close(mid[1]);
		close(fin[0]);
		close(fin[1]);
		char **v = cmd("first", NULL);
		execv(v[0], v);
		_exit(127);
	}
	pid_t b = fork();
	if (b == 0) {
		dup2(mid[0], 0);
		dup2(fin[1], 1);
		close(mid[0]);
		close(mid[1]);
		close(fin[0]);
		close(fin[1]);
		char **v = cmd("second", NULL);
		execv(v[0], v);
		_exit(127);
	}
	close(mid[0]);
	close(mid[1]);
	close(fin[1]);
	got = 0;
	while ((n = read(fin[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	int sa, sb;
	waitpid(a, &sa, 0);
	waitpid(b, &sb, 0);
	printf("pipeline output:\n%s", buf);
	printf("first %s, ", wstr(sa));
	printf("second %s\n", wstr(sb));

	/* execve errors */
	char dir[] = "/tmp/rvpXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256];
	char *noargs[] = { "x", NULL };
	errno = 0;
	snprintf(path, sizeof path, "%s/missing", dir);
	printf("missing: %d %s\n", execv(path, noargs), ename(errno));
	snprintf(path, sizeof path, "%s/text", dir);
	int fd = open(path, O_WRONLY | O_CREAT, 0755);
	write(fd, "just text\n", 10);
	close(fd);
	errno = 0;
	printf("text file: %d %s\n", execv(path, noargs), ename(errno));
	chmod(path, 0644);
	errno = 0;
	printf("no x bit: %d %s\n", execv(path, noargs), ename(errno));
	errno = 0;
	printf("directory: %d %s\n", execv(dir, noargs), ename(errno));
	unlink(path);

	/* a #! script naming a missing interpreter */
	snprintf(path, sizeof path, "%s/script", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0755);
	dprintf(fd, "#!%s/nointerp -x\necho hi\n", dir);
	close(fd);
	errno = 0;
	printf("script with missing interpreter: %d %s\n", execv(path, noargs), ename(errno));
	unlink(path);
	rmdir(dir);

	fflush(stdout);
	return 0;
}
