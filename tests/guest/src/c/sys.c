/* sys.c: assorted system calls whose results must be printed without
 * depending on the host: clocks (only monotonicity and sanity), nanosleep,
 * getrandom (lengths only), uname (sysname and machine), getcwd/chdir
 * (relative facts), umask, poll/ppoll on pipes, pipe2 flags, identity
 * calls, prctl names, sched_yield and a few error returns. */
#include "guest.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
	/* clocks */
	struct timespec t0, t1, res;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	int mono_ok = 1;
	for (int i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (ns(&t1) < ns(&t0))
			mono_ok = 0;
		t0 = t1;
	}
	printf("CLOCK_MONOTONIC never goes backwards: %s\n", mono_ok ? "ok" : "FAIL");
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	printf("CLOCK_REALTIME after 2020: %s\n", rt.tv_sec > 1577836800 ? "ok" : "FAIL");
	struct timeval tv;
	gettimeofday(&tv, NULL);
	printf("gettimeofday agrees with CLOCK_REALTIME: %s\n",
	       llabs((long long)tv.tv_sec - (long long)rt.tv_sec) <= 5 ? "ok" : "FAIL");
	time_t now = time(NULL);
	printf("time() agrees: %s\n", llabs((long long)now - (long long)rt.tv_sec) <= 5 ? "ok" : "FAIL");
	CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
	      res.tv_nsec <= 10000000);
	struct timespec cpu;
	CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0);
	CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0);
	CHECK(clock_gettime(CLOCK_BOOTTIME, &cpu) == 0);
	errno = 0;
	printf("clock_gettime(bad clock): %d %s\n", clock_gettime((clockid_t)12345, &cpu), errname(errno));

	/* nanosleep sleeps at least as long as asked */
	struct timespec a, b, req = {0, 2000000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(nanosleep(&req, NULL) == 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("nanosleep(2ms) slept >= 2ms: %s\n", ns(&b) - ns(&a) >= 2000000 ? "ok" : "FAIL");
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec abs_t = {a.tv_sec, a.tv_nsec + 1000000};
	if (abs_t.tv_nsec >= 1000000000) {
		abs_t.tv_sec++;
		abs_t.tv_nsec -= 1000000000;
	}
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs_t, NULL) == 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("clock_nanosleep(TIMER_ABSTIME) reached the deadline: %s\n", ns(&b) >= ns(&abs_t) ? "ok" : "FAIL");
	errno = 0;
	struct timespec badreq = {0, 1000000000};
	printf("nanosleep(tv_nsec=1e9): %d %s\n", nanosleep(&badreq, NULL), errname(errno));

	/* getrandom */
	unsigned char rbuf[300];
	memset(rbuf, 0, sizeof rbuf);
	printf("getrandom(64) -> %zd\n", getrandom(rbuf, 64, 0));
	printf("getrandom(256, GRND_NONBLOCK) -> %zd\n", getrandom(rbuf, 256, GRND_NONBLOCK));
	printf("getrandom(0) -> %zd\n", getrandom(rbuf, 0, 0));
	int nonzero = 0;
	for (int i = 0; i < 256; i++)
		nonzero += rbuf[i] != 0;
	printf("random bytes mostly nonzero: %s\n", nonzero > 200 ? "ok" : "FAIL");

	/* uname */
	struct utsname u;
	CHECK(uname(&u) == 0);
	printf("sysname=%s machine=%s\n", u.sysname, u.machine);

	/* getcwd / chdir / umask */
	char cwd[4096], cwd2[4096];
	CHECK(getcwd(cwd, sizeof cwd) != NULL && cwd[0] == '/');
	umask(022);
	printf("umask(077) returned %03o\n", (unsigned)umask(077));
	CHECK(mkdir("subdir", 0777) == 0);
	struct stat st;
	stat("subdir", &st);
	printf("mkdir 0777 under umask 077 -> %03o\n", st.st_mode & 0777);
	printf("umask(022) returned %03o\n", (unsigned)umask(022));
	CHECK(chdir("subdir") == 0);
	getcwd(cwd2, sizeof cwd2);
	printf("getcwd after chdir: parent + \"/subdir\": %s\n",
	       strncmp(cwd2, cwd, strlen(cwd)) == 0 && strcmp(cwd2 + strlen(cwd), "/subdir") == 0 ? "ok" : "FAIL");
	int fd = open("in-subdir", O_CREAT | O_WRONLY, 0644);
	close(fd);
	CHECK(chdir("..") == 0);
	getcwd(cwd2, sizeof cwd2);
	printf("chdir(..) returns: %s\n", strcmp(cwd, cwd2) == 0 ? "ok" : "FAIL");
	printf("file created relative to the new cwd: %s\n", access("subdir/in-subdir", F_OK) == 0 ? "ok" : "FAIL");
	unlink("subdir/in-subdir");
	int dfd = open("subdir", O_RDONLY | O_DIRECTORY);
	CHECK(fchdir(dfd) == 0);
	getcwd(cwd2, sizeof cwd2);
	printf("fchdir: %s\n", strcmp(cwd2 + strlen(cwd), "/subdir") == 0 ? "ok" : "FAIL");
	chdir(cwd);
	close(dfd);
	rmdir("subdir");
	errno = 0;
	printf("chdir(missing): %d %s\n", chdir("missing"), errname(errno));
	errno = 0;
	printf("getcwd(buf, 1): %s %s\n", getcwd(cwd2, 1) ? "ok" : "NULL", errname(errno));

	/* poll on a pipe */
	int p[2];
	CHECK(pipe(p) == 0);
	struct pollfd pfd[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	int r = poll(pfd, 2, 0);
	printf("poll empty pipe: %d read.revents=%#x write.revents=%#x\n", r, pfd[0].revents, pfd[1].revents);
	write(p[1], "xy", 2);
	r = poll(pfd, 1, 1000);
	printf("poll after write: %d revents=%#x\n", r, pfd[0].revents);
	char c2[2];
	read(p[0], c2, 2);
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = poll(pfd, 1, 30);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("poll timeout: %d, waited >= 30ms: %s\n", r, ns(&b) - ns(&a) >= 30000000 ? "ok" : "FAIL");
	close(p[1]);
	r = poll(pfd, 1, 1000);
	printf("poll after writer closed: %d revents=%#x\n", r, pfd[0].revents);
	printf("read at EOF: %zd\n", read(p[0], c2, 1));
	close(p[0]);
	struct timespec pt = {0, 0};
	struct pollfd bad = {12345, POLLIN, 0};
	r = ppoll(&bad, 1, &pt, NULL);
	printf("ppoll on a closed fd: %d revents=%#x\n", r, bad.revents);

	/* pipe2 flags, a write to a pipe without readers */
	CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0);
	printf("pipe2 flags: cloexec=%d nonblock=%d\n", fcntl(p[0], F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(p[1], F_GETFL) & O_NONBLOCK));
	errno = 0;
	printf("read empty nonblocking pipe: %zd %s\n", read(p[0], c2, 1), errname(errno));
	signal(SIGPIPE, SIG_IGN);
	close(p[0]);
	errno = 0;
	printf("write without readers: %zd %s\n", write(p[1], "x", 1), errname(errno));
	close(p[1]);
	errno = 0;
	pipe(p);
	printf("lseek on a pipe: %ld %s\n", (long)lseek(p[0], 0, SEEK_CUR), errname(errno));
	close(p[0]);
	close(p[1]);

	/* identity */
	CHECK(getpid() == getpid() && getpid() > 0);
	CHECK(syscall(SYS_gettid) == getpid());
	CHECK(getppid() > 0);
	CHECK(getuid() == geteuid() && getgid() == getegid());
	CHECK(getpgrp() > 0 && getsid(0) > 0);
	char name[17] = {0};
	CHECK(prctl(PR_SET_NAME, "rvscope-guest") == 0);
	prctl(PR_GET_NAME, name);
	printf("prctl name: %s\n", name);
	CHECK(sched_yield() == 0);
	errno = 0;
	printf("unknown syscall 4000: %ld %s\n", syscall(4000), errname(errno));
	printf("sysconf(_SC_PAGESIZE)=%ld sysconf(_SC_CLK_TCK)=%ld\n", sysconf(_SC_PAGESIZE), sysconf(_SC_CLK_TCK));
	return 0;
}
