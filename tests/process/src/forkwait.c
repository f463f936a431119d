/* forkwait.c: fork and the wait family.  Exit codes through wait4/waitpid,
 * WNOHANG, ECHILD, process groups (setpgid, waitpid(-pgid), kill(-pgid)),
 * waitid with WNOWAIT, children killed by SIGTERM/SIGKILL, an abort()
 * child (SIGABRT with core) and a segfaulting child (SIGSEGV with core),
 * copy-on-write memory, getppid, and the exit status of the whole program. */
#include "t.h"
#include <sys/resource.h>

static int global = 1;

int main(void)
{
	pid_t me = getpid();
	int st;

	/* five children with distinct exit codes, reaped by pid in reverse order */
	pid_t kids[5];
	for (int i = 0; i < 5; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			global = 100 + i;
			_exit(getppid() == me ? 10 + i : 99);
		}
	}
	for (int i = 4; i >= 0; i--) {
		struct rusage ru;
		pid_t r = wait4(kids[i], &st, 0, &ru);
		printf("child %d: %s (pid matches %d)\n", i, wstr(st), r == kids[i]);
	}
	printf("global still %d\n", global);

	/* nothing left: ECHILD, with and without WNOHANG */
	errno = 0;
	printf("wait with no children: %d %s\n", (int)wait(&st), ename(errno));
	errno = 0;
	printf("waitpid WNOHANG no children: %d %s\n", (int)waitpid(-1, &st, WNOHANG), ename(errno));

	/* WNOHANG while the child runs */
	int p2[2];
	pipe(p2);
	pid_t slow = fork();
	if (slow == 0) {
		char c;
		close(p2[1]);
		read(p2[0], &c, 1);
		_exit(7);
	}
	close(p2[0]);
	printf("WNOHANG on running child: %d\n", (int)waitpid(slow, &st, WNOHANG));
	write(p2[1], "x", 1);
	close(p2[1]);
	printf("then: %s\n", (waitpid(slow, &st, 0) == slow) ? wstr(st) : "error");

	/* process groups */
	pid_t leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		pause();
		_exit(1);
	}
	setpgid(leader, leader);
	pid_t member = fork();
	if (member == 0) {
		pause();
		_exit(1);
	}
	CHECK(setpgid(member, leader) == 0);
	CHECK(getpgid(member) == leader);
	CHECK(getpgid(0) == getpgrp());
	CHECK(getsid(0) == getsid(leader));
	CHECK(kill(-leader, 0) == 0);
	CHECK(kill(-leader, SIGTERM) == 0);
	int n = 0, st_leader = 0, st_member = 0;
	pid_t r;
	while ((r = waitpid(-leader, &st, 0)) > 0) {
		if (r == leader)
			st_leader = st;
		else
			st_member = st;
		n++;
	}
	printf("group reaped %d, then %s\n", n, ename(errno));
	printf("leader %s, ", wstr(st_leader));
	printf("member %s\n", wstr(st_member));
	errno = 0;
	CHECK(kill(-leader, 0) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(kill(999999, 0) == -1 && errno == ESRCH);

	/* setsid: fails for a group leader, works in a fresh child */
	pid_t ss = fork();
	if (ss == 0) {
		pid_t sid = setsid();
		_exit(sid == getpid() && getsid(0) == getpid() && getpgrp() == getpid() ? 0 : 1);
	}
	waitpid(ss, &st, 0);
	printf("setsid child: %s\n", wstr(st));

	/* waitid with WNOWAIT, then for real */
	pid_t w = fork();
	if (w == 0)
		_exit(33);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK(waitid(P_PID, w, &si, WEXITED | WNOWAIT) == 0);
	printf("waitid WNOWAIT: signo %d code %d status %d pid ok %d\n", si.si_signo, si.si_code, si.si_status, si.si_pid == w);
	memset(&si, 0, sizeof si);
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
	printf("waitid: code %d status %d pid ok %d\n", si.si_code, si.si_status, si.si_pid == w);
	memset(&si, 0xff, sizeof si);
	errno = 0;
	printf("waitid no child: %d %s\n", waitid(P_ALL, 0, &si, WEXITED | WNOHANG), ename(errno));

	/* children killed by signals */
	pid_t k1 = fork();
	if (k1 == 0) {
		for (;;)
			pause();
	}
	kill(k1, SIGKILL);
	waitpid(k1, &st, 0);
	printf("SIGKILL child: %s\n", wstr(st));

	pid_t ab = fork();
	if (ab == 0) {
		quiet();
		abort();
	}
	waitpid(ab, &st, 0);
	printf("abort child: %s\n", wstr(st));

	pid_t sg = fork();
	if (sg == 0) {
		quiet();
		segv();
		_exit(0);
	}
	waitpid(sg, &st, 0);
	printf("segv child: %s\n", wstr(st));
	memset(&si, 0, sizeof si);

	/* a grandchild outliving its parent is reparented; the parent still reaps its child */
	pid_t mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			msleep(50);
			_exit(0);
		}
		_exit(5);
	}
	waitpid(mid, &st, 0);
	printf("middle: %s\n", wstr(st));
	errno = 0;
	printf("grandchild is not ours: %d %s\n", (int)waitpid(-1, &st, WNOHANG), ename(errno));

	fflush(stdout);
	return 3;
}
