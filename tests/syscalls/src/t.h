/* Shared helpers for the system-call tests: every call's result is printed
 * as "label: ret" or "label: -1 ERRNO", so that runs under rvscope and
 * qemu-riscv64 can be compared line by line. Nothing printed may depend on
 * inode numbers, times or process ids. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *errname(int e) {
  switch (e) {
#define X(n) case n: return #n;
    X(EPERM) X(ENOENT) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(EBADF) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT)
    X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(EMFILE) X(ENOTTY) X(EFBIG)
    X(ENOSPC) X(ESPIPE) X(EROFS) X(EPIPE) X(ERANGE) X(ENAMETOOLONG) X(ENOSYS) X(ENOTEMPTY) X(ELOOP)
    X(ENODATA) X(EOVERFLOW) X(EOPNOTSUPP)
#undef X
  default: return "E?";
  }
}

/* Print the result of an expression returning -1/errno on failure. */
#define T(label, expr)                                                            \
  do {                                                                            \
    errno = 0;                                                                    \
    long _r = (long)(expr);                                                       \
    if (_r < 0) printf("%s: %ld %s\n", label, _r, errname(errno));               \
    else printf("%s: %ld\n", label, _r);                                          \
  } while (0)

/* Create a file with given contents (0644). */
static void mkfile(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror(path); exit(1); }
  if (data && write(fd, data, strlen(data)) < 0) perror("write");
  close(fd);
}
