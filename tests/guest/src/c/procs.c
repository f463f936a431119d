/* procs.c: processes.  fork with copy-on-write memory, pipes between
 * parent and child, wait/waitpid/wait4 status decoding for normal exits and
 * for children killed by default signal actions (SIGABRT, SIGSEGV, SIGKILL,
 * SIGTERM), WNOHANG, ECHILD, getppid, and stdio buffers across fork.
 * Children that die of a signal first point their stderr at /dev/null so
 * that an emulator's own crash report cannot leak into the output. */
#include "guest.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void describe(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited, status %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d (%s)\n", what, WTERMSIG(status),
		       WTERMSIG(status) == SIGABRT ? "SIGABRT" : WTERMSIG(status) == SIGSEGV ? "SIGSEGV"
		       : WTERMSIG(status) == SIGKILL ? "SIGKILL" : WTERMSIG(status) == SIGTERM ? "SIGTERM"
		       : "other");
	else
		printf("%s: status %#x\n", what, status);
}

static void quiet_stderr(void)
{
	int fd = open("/dev/null", O_WRONLY);
	dup2(fd, 2);
	close(fd);
}

static int global = 1;

int main(void)
{
	pid_t me = getpid();
	int fds[2];

	/* child writes through a pipe, exits with a status */
	CHECK(pipe(fds) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		global = 2; /* must not be seen by the parent */
		char msg[64];
		int n = snprintf(msg, sizeof msg, "child: ppid matches=%d global=%d", getppid() == me, global);
		write(fds[1], msg, n);
		close(fds[1]);
		_exit(7);
	}
	CHECK(pid > 0);
	close(fds[1]);
	char buf[128];
	ssize_t total = 0, n;
	while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
		total += n;
	buf[total] = 0;
	close(fds[0]);
	printf("parent read: \"%s\"\n", buf);
	int status;
	CHECK(waitpid(pid, &status, 0) == pid);
	describe("child 1", status);
	printf("parent global still %d\n", global);

	/* two-way: parent sends numbers, child sums them and replies */
	int to_child[2], to_parent[2];
	pipe(to_child);
	pipe(to_parent);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		long sum = 0, v;
		while (read(to_child[0], &v, sizeof v) == sizeof v)
			sum += v;
		write(to_parent[1], &sum, sizeof sum);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (long v = 1; v <= 1000; v++)
		write(to_child[1], &v, sizeof v);
	close(to_child[1]);
	long sum = 0;
	read(to_parent[0], &sum, sizeof sum);
	close(to_parent[0]);
	waitpid(pid, &status, 0);
	printf("child summed 1..1000 = %ld\n", sum);
	describe("child 2", status);

	/* buffered stdio is duplicated by fork unless flushed: the child
	 * inherits the unflushed "[buffered]" text and prints it again
	 * (stdout is a pipe under the test runner, so it is fully buffered) */
	fflush(stdout);
	printf("[buffered]");
	pid = fork();
	if (pid == 0) {
		printf(" <- child copy\n");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf(" <- parent copy\n");
	fflush(stdout);

	/* default actions */
	pid = fork();
	if (pid == 0) {
		quiet_stderr();
		abort();
	}
	waitpid(pid, &status, 0);
	describe("abort()", status);

	pid = fork();
	if (pid == 0) {
		quiet_stderr();
		volatile int *volatile bad = (int *)16;
		*bad = 1;
		_exit(99);
	}
	waitpid(pid, &status, 0);
	describe("NULL write", status);

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		/* tell the parent we are ready, then wait to be killed */
		close(fds[0]);
		write(fds[1], "r", 1);
		for (;;)
			pause();
	}
	close(fds[1]);
	read(fds[0], buf, 1);
	close(fds[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	describe("SIGKILL", status);

	pid = fork();
	if (pid == 0) {
		quiet_stderr();
		raise(SIGTERM);
		_exit(98);
	}
	waitpid(pid, &status, 0);
	describe("raise(SIGTERM)", status);

	/* WNOHANG on a running child, then collect with wait4 */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], buf, 1); /* blocks until the parent closes */
		_exit(3);
	}
	close(fds[0]);
	printf("WNOHANG while running: %d\n", (int)waitpid(pid, &status, WNOHANG));
	close(fds[1]);
	struct rusage ru;
	CHECK(wait4(pid, &status, 0, &ru) == pid);
	describe("wait4", status);

	/* several children, reaped in any order, statuses summed */
	int children = 5, total_status = 0;
	for (int i = 0; i < children; i++) {
		fflush(stdout);
		if (fork() == 0)
			_exit(10 + i);
	}
	for (int i = 0; i < children; i++) {
		CHECK(wait(&status) > 0);
		total_status += WEXITSTATUS(status);
	}
	printf("sum of %d exit statuses: %d\n", children, total_status);
	errno = 0;
	printf("wait with no children: %d %s\n", (int)wait(&status), errname(errno));

	/* vfork + _exit */
	pid = vfork();
	if (pid == 0)
		_exit(5);
	waitpid(pid, &status, 0);
	describe("vfork child", status);
	return 0;
}
