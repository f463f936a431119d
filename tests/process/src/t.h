/* t.h: helpers for the process/thread/signal tests.  Every program prints
 * only what is independent of scheduling and timing, so that its output
 * compares exactly between rvscope and qemu-riscv64. */
#ifndef T_H
#define T_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond) t_check(#cond, (cond) ? 1 : 0, __LINE__)

static inline int t_check(const char *text, int ok, int line)
{
	if (ok)
		printf("ok: %s\n", text);
	else
		printf("FAIL (line %d): %s\n", line, text);
	fflush(stdout);
	return ok;
}

static inline const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EPIPE: return "EPIPE";
	case EDEADLK: return "EDEADLK";
	case ENOSYS: return "ENOSYS";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EOWNERDEAD: return "EOWNERDEAD";
	default: return "E?";
	}
}

/* "exited N" / "killed by N" (the core flag depends on the host's core dump setup: not shown) */
static inline const char *wstr(int st)
{
	static char buf[64];
	if (WIFEXITED(st))
		snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof buf, "killed by %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof buf, "status %#x", st);
	return buf;
}

/* Silence a child's stderr: an emulator's crash line must not reach the output. */
static inline void quiet(void)
{
	FILE *f = freopen("/dev/null", "w", stderr);
	(void)f;
}

/* A store to an unmapped address (through a volatile pointer the compiler cannot see through). */
static inline void segv(void)
{
	static volatile int *volatile bad = (int *)16;
	*bad = 1;
}

static inline void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
#endif
