/* signals.c: handlers with siginfo (kill, sigqueue, raise), SA_RESTART and
 * EINTR on a blocking pipe read, sigaltstack with a stack-overflow SIGSEGV
 * handler, sigsuspend (mask restored after the handler), sigpending,
 * sigtimedwait (signal and timeout), alarm and setitimer (SIGALRM), POSIX
 * timers, nanosleep's remaining time, SIGPIPE (default and ignored), and
 * killing a child (WTERMSIG). */
#include "t.h"
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t got, got_code, got_pid_ok, got_value;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	got_code = si->si_code;
	got_pid_ok = si->si_pid == getpid();
	got_value = si->si_value.sival_int;
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static sigjmp_buf jb;
static char *alt_base;
static size_t alt_size = 64 * 1024;
static volatile int on_alt;
static void on_segv(int sig)
{
	(void)sig;
	char here;
	on_alt = &here >= alt_base && &here < alt_base + alt_size;
	siglongjmp(jb, 1);
}

static volatile int depth, limit = 1 << 30;
static int recurse(int n)
{
	volatile char pad[2048];
	pad[0] = (char)n;
	if (++depth > limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

static void handler_plain(int sig)
{
	got = sig;
}

static void set(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

/* read from a pipe that a child fills after `ms`; SIGALRM arrives first */
static void restart_test(int flags)
{
	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		msleep(300);
		write(p[1], "late", 4);
		_exit(0);
	}
	close(p[1]);
	set(SIGALRM, on_alarm, flags);
	alarms = 0;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	char buf[8];
	errno = 0;
	ssize_t n = read(p[0], buf, sizeof buf);
	printf("%s: read %d %s, alarms %d\n", flags & SA_RESTART ? "SA_RESTART" : "no SA_RESTART", (int)n, ename(n < 0 ? errno : 0), alarms);
	int st;
	waitpid(c, &st, 0);
	close(p[0]);
}

static timer_t tid;
static volatile sig_atomic_t timer_hits, timer_value_ok;
static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	timer_hits++;
	timer_value_ok = si->si_code == SI_TIMER && si->si_value.sival_int == 77;
}

static atomic_int thread_hits;
static void on_thread_timer(union sigval v)
{
	if (v.sival_int == 5)
		atomic_fetch_add(&thread_hits, 1);
}

int main(void)
{
	/* kill, sigqueue, raise with SA_SIGINFO */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("kill: sig %d code %d (SI_USER %d) pid ok %d\n", got, got_code, SI_USER, got_pid_ok);
	union sigval v = { .sival_int = 1234 };
	sigqueue(getpid(), SIGUSR1, v);
	printf("sigqueue: sig %d code %d (SI_QUEUE %d) value %d\n", got, got_code, SI_QUEUE, got_value);
	raise(SIGUSR1);
	printf("raise: code %d (SI_TKILL %d)\n", got_code, SI_TKILL);
	errno = 0;
	printf("kill bad signal: %d %s\n", kill(getpid(), 99), ename(errno));

	/* SA_RESTART vs EINTR */
	restart_test(SA_RESTART);
	restart_test(0);

	/* stack overflow on an alternate stack */
	alt_base = malloc(alt_size);
	stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
	CHECK(sigaltstack(&ss, NULL) == 0);
	stack_t old;
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_base && old.ss_size == alt_size && old.ss_flags == 0);
	set(SIGSEGV, on_segv, SA_ONSTACK);
	if (sigsetjmp(jb, 1) == 0) {
		recurse(0);
		printf("recursion returned?\n");
	} else {
		printf("stack overflow caught on the alternate stack: %d, depth > 1000: %d\n", on_alt, depth > 1000);
	}
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
	set(SIGSEGV, SIG_DFL, 0);

	/* sigsuspend: SIGUSR2 blocked, a child sends it, sigsuspend unblocks */
	sigset_t blk, prev, none, cur;
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR2);
	sigprocmask(SIG_BLOCK, &blk, &prev);
	set(SIGUSR2, handler_plain, 0);
	got = 0;
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		msleep(30);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	sigemptyset(&none);
	errno = 0;
	int r = sigsuspend(&none);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("sigsuspend: %d %s, handler saw %d, SIGUSR2 blocked again %d\n", r, ename(errno), got, sigismember(&cur, SIGUSR2));
	waitpid(c, NULL, 0);

	/* sigpending and sigtimedwait */
	raise(SIGUSR2);
	sigset_t pend;
	sigpending(&pend);
	printf("pending SIGUSR2 %d, SIGUSR1 %d\n", sigismember(&pend, SIGUSR2), sigismember(&pend, SIGUSR1));
	siginfo_t si;
	struct timespec to = { 1, 0 };
	r = sigtimedwait(&blk, &si, &to);
	printf("sigtimedwait: %d code %d pid ok %d\n", r, si.si_code, si.si_pid == getpid());
	to.tv_sec = 0;
	to.tv_nsec = 20 * 1000000;
	errno = 0;
	r = sigtimedwait(&blk, &si, &to);
	printf("sigtimedwait timeout: %d %s\n", r, ename(errno));
	c = fork();
	if (c == 0) {
		msleep(30);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	r = sigwaitinfo(&blk, &si);
	printf("sigwaitinfo from child: %d code %d from child %d\n", r, si.si_code, si.si_pid == c);
	waitpid(c, NULL, 0);
	sigprocmask(SIG_SETMASK, &prev, NULL);

	/* alarm + pause */
	set(SIGALRM, on_alarm, 0);
	alarms = 0;
	CHECK(alarm(1) == 0);
	unsigned left = alarm(1);
	CHECK(left == 1 || left == 0);
	pause();
	printf("alarm: %d\n", alarms);

	/* periodic setitimer, counted with sigsuspend */
	alarms = 0;
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	sigset_t alrm;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &prev);
	while (alarms < 5)
		sigsuspend(&prev);
	struct itimerval now;
	getitimer(ITIMER_REAL, &now);
	printf("itimer: %d ticks, interval %ld us, armed %d\n", alarms, (long)now.it_interval.tv_usec, now.it_value.tv_sec != 0 || now.it_value.tv_usec != 0);
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &now);
	printf("disarmed: %ld %ld\n", (long)now.it_value.tv_sec, (long)now.it_value.tv_usec);
	sigprocmask(SIG_SETMASK, &prev, NULL);

	/* a POSIX timer */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 77;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0);
	struct itimerspec its = { { 0, 0 }, { 0, 30 * 1000000 } };
	CHECK(timer_settime(tid, 0, &its, NULL) == 0);
	struct itimerspec cur_its;
	timer_gettime(tid, &cur_its);
	CHECK(cur_its.it_value.tv_nsec > 0 && cur_its.it_value.tv_nsec <= 30 * 1000000);
	while (timer_hits == 0)
		pause();
	printf("timer: %d hit(s), value ok %d\n", timer_hits, timer_value_ok);
	timer_gettime(tid, &cur_its);
	printf("timer after expiry: %ld %ld\n", (long)cur_its.it_value.tv_sec, cur_its.it_value.tv_nsec);
	CHECK(timer_delete(tid) == 0);

	/* SIGEV_THREAD: glibc runs the callback in a helper thread (SIGEV_THREAD_ID underneath) */
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = on_thread_timer;
	sev.sigev_value.sival_int = 5;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0);
	struct itimerspec per = { { 0, 20 * 1000000 }, { 0, 20 * 1000000 } };
	timer_settime(tid, 0, &per, NULL);
	while (atomic_load(&thread_hits) < 3)
		msleep(5);
	CHECK(timer_delete(tid) == 0);
	printf("SIGEV_THREAD: at least 3 callbacks with the right value\n");

	/* nanosleep interrupted: EINTR and time left */
	set(SIGALRM, on_alarm, 0);
	struct itimerval once = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &once, NULL);
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	errno = 0;
	r = nanosleep(&req, &rem);
	printf("nanosleep: %d %s, remaining between 1 and 2 s: %d\n", r, ename(errno), rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 500000000));

	/* SIGPIPE: default kills, ignored gives EPIPE */
	int p[2];
	pipe(p);
	close(p[0]);
	c = fork();
	if (c == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("write to a closed pipe: child %s\n", wstr(st));
	set(SIGPIPE, SIG_IGN, 0);
	errno = 0;
	printf("with SIGPIPE ignored: %d %s\n", (int)write(p[1], "x", 1), ename(errno));
	close(p[1]);

	/* kill a child, WTERMSIG */
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	msleep(20);
	kill(c, SIGTERM);
	waitpid(c, &st, 0);
	printf("SIGTERM child: %s\n", wstr(st));
	c = fork();
	if (c == 0) {
		set(SIGUSR1, handler_plain, 0);
		got = 0;
		while (!got)
			pause();
		_exit(40 + got);
	}
	msleep(20);
	kill(c, SIGUSR1);
	waitpid(c, &st, 0);
	printf("SIGUSR1 child with a handler: %s\n", wstr(st));

	/* SIGCHLD handler */
	set(SIGCHLD, handler_plain, SA_RESTART);
	got = 0;
	c = fork();
	if (c == 0)
		_exit(0);
	waitpid(c, &st, 0);
	printf("SIGCHLD delivered: %d\n", got == SIGCHLD);
	fflush(stdout);
	return 0;
}
