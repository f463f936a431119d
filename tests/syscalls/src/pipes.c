/* Pipes and readiness: pipe2 flags, non-blocking reads and writes, EPIPE
 * (SIGPIPE ignored), fstat and FIONREAD of a pipe, poll/ppoll/select/
 * pselect with and without timeouts, POLLHUP/POLLERR/POLLNVAL. */
#include "t.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <time.h>

static void showpoll(const char *label, struct pollfd *p, int n) {
  printf("%s:", label);
  for (int i = 0; i < n; i++) printf(" %d=%#x", p[i].fd, p[i].revents);
  printf("\n");
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  int p[2];
  T("pipe2 bad flags", pipe2(p, O_APPEND));
  T("pipe2 nonblock|cloexec", pipe2(p, O_NONBLOCK | O_CLOEXEC));
  printf("fds %d %d getfd %d getfl %#x %#x\n", p[0], p[1], fcntl(p[0], F_GETFD), fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
  char buf[70000];
  T("read empty nonblock", read(p[0], buf, 10));
  struct stat st;
  fstat(p[0], &st);
  printf("fstat pipe: fifo=%d mode=%o size=%ld nlink=%ld\n", S_ISFIFO(st.st_mode), st.st_mode, (long)st.st_size,
         (long)st.st_nlink);
  struct stat st2;
  fstat(p[1], &st2);
  printf("same inode both ends: %d\n", st.st_ino == st2.st_ino);
  T("lseek pipe", lseek(p[0], 0, SEEK_CUR));
  T("write 5", write(p[1], "hello", 5));
  int n = -1;
  T("FIONREAD", ioctl(p[0], FIONREAD, &n));
  printf("  n=%d\n", n);
  T("read 2", read(p[0], buf, 2));
  T("read rest", read(p[0], buf, 100));
  T("read wrong end", read(p[1], buf, 1));
  T("write wrong end", write(p[0], "x", 1));

  /* fill a non-blocking pipe */
  memset(buf, 'z', sizeof buf);
  long total = 0, r;
  while ((r = write(p[1], buf, 1000)) > 0) total += r;
  printf("filled %ld then %s\n", total, errname(errno));
  struct pollfd pf[3] = {{p[0], POLLIN | POLLOUT, 0}, {p[1], POLLIN | POLLOUT, 0}, {99, POLLIN, 0}};
  T("poll full", poll(pf, 3, 0));
  showpoll("  full", pf, 3);
  T("write big nonblock full", write(p[1], buf, 5000));
  T("read 4096", read(p[0], buf, 4096));
  T("write 5000 partial", write(p[1], buf, 5000));
  T("write 4096 atomic", write(p[1], buf, 4096));
  while (read(p[0], buf, sizeof buf) > 0) {}
  T("write 70000 partial", write(p[1], buf, 70000));
  while (read(p[0], buf, sizeof buf) > 0) {}

  /* readiness and timeouts */
  struct pollfd q[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
  T("poll empty", poll(q, 2, 0));
  showpoll("  empty", q, 2);
  q[1].fd = -1;
  double t0 = now();
  T("poll timeout 50ms", poll(q, 2, 50));
  double dt = now() - t0;
  printf("  waited enough: %d\n", dt >= 0.045 && dt < 5);
  struct timespec ts = {0, 30000000};
  sigset_t mask;
  sigemptyset(&mask);
  t0 = now();
  T("ppoll timeout", ppoll(q, 1, &ts, &mask));
  printf("  waited enough: %d\n", now() - t0 >= 0.025);
  T("ppoll bad sigsetsize", syscall(SYS_ppoll, q, 1, &ts, &mask, 4));
  ts.tv_nsec = -1;
  T("ppoll bad timeout", ppoll(q, 1, &ts, NULL));
  write(p[1], "x", 1);
  T("poll ready", poll(q, 2, 1000));
  showpoll("  ready", q, 2);
  read(p[0], buf, 1);

  fd_set rd, wr, ex;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_ZERO(&ex);
  FD_SET(p[0], &rd);
  FD_SET(p[1], &wr);
  FD_SET(p[0], &ex);
  struct timeval tv = {0, 0};
  T("select", select(p[1] + 1, &rd, &wr, &ex, &tv));
  printf("  rd=%d wr=%d ex=%d\n", FD_ISSET(p[0], &rd), FD_ISSET(p[1], &wr), FD_ISSET(p[0], &ex));
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  tv.tv_usec = 40000;
  t0 = now();
  T("select timeout", select(p[0] + 1, &rd, NULL, NULL, &tv));
  printf("  waited enough: %d tv=%ld.%06ld rd=%d\n", now() - t0 >= 0.035, (long)tv.tv_sec, (long)tv.tv_usec,
         FD_ISSET(p[0], &rd));
  FD_ZERO(&rd);
  FD_SET(50, &rd);
  T("select bad fd", select(51, &rd, NULL, NULL, &(struct timeval){0, 0}));
  T("select neg nfds", select(-1, NULL, NULL, NULL, &(struct timeval){0, 0}));
  write(p[1], "y", 1);
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  struct timespec pts = {1, 0};
  T("pselect ready", pselect(p[0] + 1, &rd, NULL, NULL, &pts, &mask));
  printf("  rd=%d\n", FD_ISSET(p[0], &rd));
  read(p[0], buf, 1);

  /* hang-ups */
  int h[2];
  pipe(h);
  write(h[1], "bye", 3);
  close(h[1]);
  struct pollfd hp = {h[0], POLLIN, 0};
  T("poll hup with data", poll(&hp, 1, 0));
  showpoll("  hup+data", &hp, 1);
  read(h[0], buf, 3);
  T("poll hup", poll(&hp, 1, 0));
  showpoll("  hup", &hp, 1);
  T("read eof", read(h[0], buf, 3));
  int e[2];
  pipe(e);
  close(e[0]);
  struct pollfd ep = {e[1], POLLOUT, 0};
  T("poll err", poll(&ep, 1, 0));
  showpoll("  err", &ep, 1);
  T("write epipe", write(e[1], "x", 1));
  struct pollfd nv = {77, POLLIN, 0};
  T("poll nval", poll(&nv, 1, 0));
  showpoll("  nval", &nv, 1);
  int f = open("/dev/null", O_RDWR);
  struct pollfd fp = {f, POLLIN | POLLOUT | POLLPRI, 0};
  T("poll /dev/null", poll(&fp, 1, 0));
  showpoll("  devnull", &fp, 1);
  mkfile("reg", "abc");
  int rf = open("reg", O_RDONLY);
  struct pollfd rp = {rf, POLLIN | POLLOUT, 0};
  T("poll regular", poll(&rp, 1, 0));
  showpoll("  regular", &rp, 1);
  T("FIONREAD regular", ioctl(rf, FIONREAD, &n));
  printf("  n=%d\n", n);
  T("FIONBIO", ioctl(rf, FIONBIO, &(int){1}));
  printf("  getfl %#x\n", fcntl(rf, F_GETFL));
  T("FIOCLEX", ioctl(rf, FIOCLEX));
  printf("  getfd %d\n", fcntl(rf, F_GETFD));
  T("TCGETS regular", ioctl(rf, TCGETS, buf));
  return 0;
}
