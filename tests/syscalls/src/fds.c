/* Descriptor management: dup, dup3, fcntl (descriptor and status flags,
 * record locks, pipe sizes), flock and close_range. */
#include "t.h"
#include <sys/file.h>

static void getfl(const char *label, int fd) { printf("%s: flags=%#x\n", label, fcntl(fd, F_GETFL)); }

int main(void) {
  umask(022);
  mkfile("f", "hello");
  int fd = open("f", O_RDWR);
  T("dup", dup(fd));
  T("dup bad", dup(99));
  T("dup3 same", dup3(fd, fd, 0));
  T("dup3 flags", dup3(fd, 10, O_NONBLOCK));
  T("dup3 to 10", dup3(fd, 10, O_CLOEXEC));
  T("getfd 10", fcntl(10, F_GETFD));
  T("dup3 range", dup3(fd, 1 << 30, 0));
  T("dup3 bad old", dup3(77, 12, 0));
  T("F_DUPFD 20", fcntl(fd, F_DUPFD, 20));
  T("F_DUPFD 20 again", fcntl(fd, F_DUPFD, 20));
  T("F_DUPFD_CLOEXEC", fcntl(fd, F_DUPFD_CLOEXEC, 0));
  T("F_DUPFD big", fcntl(fd, F_DUPFD, 1 << 20));
  T("getfd", fcntl(fd, F_GETFD));
  T("setfd", fcntl(fd, F_SETFD, FD_CLOEXEC));
  T("getfd after", fcntl(fd, F_GETFD));
  T("setfd 0", fcntl(fd, F_SETFD, 0));

  /* status flags as the open flags leave them */
  int flags[] = {O_RDONLY, O_WRONLY, O_RDWR, O_RDWR | O_APPEND, O_RDONLY | O_NONBLOCK, O_WRONLY | O_TRUNC,
                 O_RDWR | O_CREAT, O_RDONLY | O_CLOEXEC, O_RDWR | O_SYNC, O_RDWR | O_DSYNC, O_RDONLY | O_NOATIME,
                 O_PATH, O_PATH | O_NOFOLLOW, O_RDONLY | O_NOCTTY};
  for (unsigned i = 0; i < sizeof flags / sizeof *flags; i++) {
    int g = open("f", flags[i], 0644);
    char label[64];
    snprintf(label, sizeof label, "open %#x", flags[i]);
    if (g < 0) { T(label, -1); continue; }
    getfl(label, g);
    close(g);
  }
  int d = open(".", O_RDONLY | O_DIRECTORY);
  getfl("dir", d);
  close(d);

  T("setfl append|nonblock", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY | O_TRUNC));
  getfl("after setfl", fd);
  T("setfl 0", fcntl(fd, F_SETFL, 0));
  getfl("after setfl 0", fd);
  int p = open("f", O_PATH);
  T("setfl O_PATH", fcntl(p, F_SETFL, O_APPEND));
  T("getlk O_PATH", fcntl(p, F_GETLK, &(struct flock){.l_type = F_RDLCK}));
  T("flock O_PATH", flock(p, LOCK_SH));
  T("read O_PATH", read(p, (char[4]){0}, 4));
  T("fstat O_PATH", fstat(p, &(struct stat){0}));
  close(p);

  /* record locks */
  struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
  T("setlk wr", fcntl(fd, F_SETLK, &lk));
  lk.l_type = F_RDLCK;
  T("getlk", fcntl(fd, F_GETLK, &lk));
  printf("getlk type=%d whence=%d start=%ld len=%ld\n", lk.l_type, lk.l_whence, (long)lk.l_start, (long)lk.l_len);
  lk.l_type = F_UNLCK;
  T("getlk unlck", fcntl(fd, F_GETLK, &lk));
  T("setlkw unlock", fcntl(fd, F_SETLKW, &lk));
  lk.l_type = 7;
  T("setlk bad type", fcntl(fd, F_SETLK, &lk));
  lk.l_type = F_WRLCK;
  lk.l_whence = 9;
  T("setlk bad whence", fcntl(fd, F_SETLK, &lk));
  int ro = open("f", O_RDONLY);
  struct flock w = {.l_type = F_WRLCK};
  T("setlk wr on rdonly", fcntl(ro, F_SETLK, &w));
  struct flock o = {.l_type = F_RDLCK, .l_pid = 0};
  T("ofd setlk", fcntl(ro, F_OFD_SETLK, &o));
  o.l_pid = 5;
  T("ofd setlk pid", fcntl(ro, F_OFD_SETLK, &o));
  o.l_pid = 0;
  T("ofd getlk", fcntl(ro, F_OFD_GETLK, &o));
  printf("ofd getlk type=%d\n", o.l_type);
  T("bad cmd", fcntl(fd, 12345));
  T("getown", fcntl(fd, F_GETOWN));

  /* flock */
  T("flock sh", flock(fd, LOCK_SH));
  T("flock ex nb", flock(fd, LOCK_EX | LOCK_NB));
  T("flock un", flock(fd, LOCK_UN));
  T("flock bad", flock(fd, 0));
  T("flock badfd", flock(99, LOCK_SH));

  /* pipe sizes */
  int pp[2];
  T("pipe2", pipe2(pp, 0));
  T("getpipe_sz", fcntl(pp[0], F_GETPIPE_SZ));
  T("setpipe_sz 5000", fcntl(pp[1], F_SETPIPE_SZ, 5000));
  T("getpipe_sz after", fcntl(pp[0], F_GETPIPE_SZ));
  T("setpipe_sz 1", fcntl(pp[1], F_SETPIPE_SZ, 1));
  T("getpipe_sz file", fcntl(fd, F_GETPIPE_SZ));
  getfl("pipe r", pp[0]);
  getfl("pipe w", pp[1]);
  T("get_seals file", fcntl(fd, F_GET_SEALS));

  /* close_range */
  for (int i = 0; i < 5; i++) dup2(fd, 30 + i);
  T("close_range bad", syscall(SYS_close_range, 5, 4, 0));
  T("close_range flags", syscall(SYS_close_range, 0, 1, 0x100));
  T("close_range cloexec", syscall(SYS_close_range, 30, 31, 4));
  T("getfd 30", fcntl(30, F_GETFD));
  T("close_range 32..33", syscall(SYS_close_range, 32, 33, 0));
  T("getfd 32", fcntl(32, F_GETFD));
  T("getfd 34", fcntl(34, F_GETFD));
  T("close_range all above 40", syscall(SYS_close_range, 40, ~0U, 0));
  T("close_range rest", syscall(SYS_close_range, 3, ~0U, 0));
  T("getfd 3", fcntl(3, F_GETFD));
  T("getfd 2", fcntl(2, F_GETFD));
  T("close closed", close(3));
  unlink("f");
  return 0;
}
