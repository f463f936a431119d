/* guest.h: helpers shared by the C guest programs.
 * CHECK prints the condition text with ok/FAIL instead of aborting, so one
 * wrong result shows up as one differing line while the rest of the
 * program still runs. */
#ifndef GUEST_H
#define GUEST_H
/* Must come before any system header; every program includes this first. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <errno.h>

#define CHECK(cond) guest_check(#cond, (cond) ? 1 : 0, __LINE__)

static inline int guest_check(const char *text, int ok, int line)
{
	if (ok)
		printf("ok: %s\n", text);
	else
		printf("FAIL (line %d): %s\n", line, text);
	return ok;
}

/* Symbolic errno names: numbers would also be stable, names are readable. */
static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ESPIPE: return "ESPIPE";
	case EPIPE: return "EPIPE";
	case ERANGE: return "ERANGE";
	case ENOEXEC: return "ENOEXEC";
	case ECHILD: return "ECHILD";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ELOOP: return "ELOOP";
	case EINTR: return "EINTR";
	case ENOSYS: return "ENOSYS";
	case ESRCH: return "ESRCH";
	default: {
		static char buf[32];
		snprintf(buf, sizeof buf, "errno %d", e);
		return buf;
	}
	}
}

/* Print "what -> result" for a call returning -1/errno on failure. */
#define TRY(what, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	if (r_ < 0) printf("%s -> -1 %s\n", what, errname(errno)); \
	else printf("%s -> %ld\n", what, r_); \
} while (0)

/* Same for calls returning a file descriptor: the number itself depends on
 * which descriptors the caller inherited, so only success is printed. */
#define TRYFD(what, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	if (r_ < 0) printf("%s -> -1 %s\n", what, errname(errno)); \
	else printf("%s -> fd\n", what); \
} while (0)

#endif
