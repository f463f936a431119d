/* Descriptor I/O: positional and vector reads and writes, lseek (with
 * SEEK_DATA/SEEK_HOLE), O_APPEND, sendfile, copy_file_range, splice, tee,
 * and the sync and hint calls. */
#include "t.h"
#include <sys/sendfile.h>
#include <sys/uio.h>

static void content(const char *label, const char *path) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  long n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) n = 0;
  buf[n] = 0;
  for (long i = 0; i < n; i++)
    if (buf[i] == 0) buf[i] = '.';
  printf("%s: [%s] %ld\n", label, buf, n);
}

int main(void) {
  mkfile("f", "0123456789abcdef");
  int fd = open("f", O_RDWR);
  char buf[64] = {0};
  T("pread 4@3", pread(fd, buf, 4, 3));
  printf("  %.4s\n", buf);
  T("pos after pread", lseek(fd, 0, SEEK_CUR));
  T("pread past end", pread(fd, buf, 4, 100));
  T("pread neg", pread(fd, buf, 4, -1));
  T("pwrite XY@2", pwrite(fd, "XY", 2, 2));
  T("pwrite past end", pwrite(fd, "Z", 1, 20));
  content("after pwrite", "f");
  T("pos after pwrite", lseek(fd, 0, SEEK_CUR));
  struct iovec iov[3] = {{buf, 3}, {buf + 10, 0}, {buf + 20, 5}};
  memset(buf, '-', sizeof buf);
  T("preadv", preadv(fd, iov, 3, 1));
  printf("  %.3s %.5s\n", buf, buf + 20);
  T("readv", readv(fd, iov, 3));
  printf("  %.3s %.5s\n", buf, buf + 20);
  T("pos after readv", lseek(fd, 0, SEEK_CUR));
  struct iovec w[2] = {{"ab", 2}, {"cd", 2}};
  T("pwritev", pwritev(fd, w, 2, 0));
  T("writev", writev(fd, w, 2));
  T("pos after writev", lseek(fd, 0, SEEK_CUR));
  content("after writev", "f");
  T("readv bad count", syscall(SYS_readv, fd, iov, -1));
  T("readv too many", syscall(SYS_readv, fd, iov, 2000));
  T("preadv2 -1", preadv2(fd, iov, 1, -1, 0));
  T("pos after preadv2 -1", lseek(fd, 0, SEEK_CUR));
  T("preadv2 bad flags", preadv2(fd, iov, 1, 0, 0x100));
  T("pwritev2 dsync", pwritev2(fd, w, 1, 0, RWF_DSYNC));

  T("lseek end", lseek(fd, 0, SEEK_END));
  T("lseek neg", lseek(fd, -100, SEEK_SET));
  T("lseek bad whence", lseek(fd, 0, 7));
  T("lseek beyond", lseek(fd, 1000, SEEK_SET));
  T("read at 1000", read(fd, buf, 10));
  T("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
  T("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
  T("SEEK_DATA past", lseek(fd, 100, SEEK_DATA));

  /* O_APPEND */
  int ap = open("f", O_WRONLY | O_APPEND);
  T("append write", write(ap, "++", 2));
  T("append pos", lseek(ap, 0, SEEK_CUR));
  T("append lseek 0", lseek(ap, 0, SEEK_SET));
  T("append write 2", write(ap, "!!", 2));
  content("after append", "f");
  T("pwrite on append", pwrite(ap, "<>", 2, 0));
  content("pwrite appends", "f");
  T("clear append", fcntl(ap, F_SETFL, 0));
  T("lseek 0", lseek(ap, 0, SEEK_SET));
  T("write at 0", write(ap, "#", 1));
  T("pwrite at 1", pwrite(ap, "$", 1, 1));
  content("no longer appending", "f");
  T("set append", fcntl(ap, F_SETFL, O_APPEND));
  T("write appends again", write(ap, "%", 1));
  content("appending again", "f");
  T("read on wronly", read(ap, buf, 1));
  int ro = open("f", O_RDONLY);
  T("write on rdonly", write(ro, "x", 1));
  T("pwrite on rdonly", pwrite(ro, "x", 1, 0));
  T("pread on wronly", pread(ap, buf, 1, 0));
  int d = open(".", O_RDONLY);
  T("read dir", read(d, buf, 1));
  T("pread dir", pread(d, buf, 1, 0));
  T("write bad fd", write(99, "x", 1));
  T("read count 0", read(fd, buf, 0));

  /* sendfile */
  mkfile("src", "sendfile-source-data");
  int s = open("src", O_RDONLY);
  int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  off_t off = 9;
  T("sendfile off", sendfile(out, s, &off, 6));
  printf("  off=%ld srcpos=%ld\n", (long)off, (long)lseek(s, 0, SEEK_CUR));
  T("sendfile cur", sendfile(out, s, NULL, 8));
  printf("  srcpos=%ld\n", (long)lseek(s, 0, SEEK_CUR));
  T("sendfile eof", sendfile(out, s, NULL, 100));
  T("sendfile at eof", sendfile(out, s, NULL, 100));
  content("dst", "dst");
  T("sendfile to append", sendfile(ap, s, &(off_t){0}, 4));
  T("sendfile from wronly", sendfile(out, ap, NULL, 4));
  off = -1;
  T("sendfile neg off", sendfile(out, s, &off, 4));
  int pp[2];
  pipe(pp);
  T("sendfile to pipe", sendfile(pp[1], s, &(off_t){0}, 8));
  T("read pipe", read(pp[0], buf, sizeof buf));
  printf("  %.8s\n", buf);
  T("sendfile from pipe off", sendfile(out, pp[0], &(off_t){0}, 8));

  /* copy_file_range */
  int cin = open("src", O_RDONLY);
  int cout = open("copy", O_RDWR | O_CREAT | O_TRUNC, 0644);
  loff_t in_off = 5, out_off = 2;
  T("cfr offsets", copy_file_range(cin, &in_off, cout, &out_off, 6, 0));
  printf("  in_off=%ld out_off=%ld inpos=%ld outpos=%ld\n", (long)in_off, (long)out_off, (long)lseek(cin, 0, SEEK_CUR),
         (long)lseek(cout, 0, SEEK_CUR));
  T("cfr cur", copy_file_range(cin, NULL, cout, NULL, 4, 0));
  printf("  inpos=%ld outpos=%ld\n", (long)lseek(cin, 0, SEEK_CUR), (long)lseek(cout, 0, SEEK_CUR));
  content("copy", "copy");
  T("cfr flags", copy_file_range(cin, NULL, cout, NULL, 4, 1));
  T("cfr pipe", copy_file_range(pp[0], NULL, cout, NULL, 4, 0));
  T("cfr dir", copy_file_range(d, NULL, cout, NULL, 4, 0));
  T("cfr append", copy_file_range(cin, NULL, ap, NULL, 4, 0));
  T("cfr eof", copy_file_range(cin, &(loff_t){1000}, cout, NULL, 4, 0));
  loff_t a0 = 0, a1 = 2;
  T("cfr overlap", copy_file_range(cout, &a0, cout, &a1, 4, 0));

  /* splice and tee */
  int q[2];
  pipe(q);
  loff_t so = 3;
  T("splice file->pipe", splice(s, &so, pp[1], NULL, 5, 0));
  printf("  so=%ld\n", (long)so);
  T("tee", tee(pp[0], q[1], 100, 0));
  T("splice pipe->file", splice(pp[0], NULL, out, NULL, 100, 0));
  T("read tee copy", read(q[0], buf, sizeof buf));
  printf("  %.5s\n", buf);
  content("dst after splice", "dst");
  T("splice empty nonblock", splice(pp[0], NULL, out, NULL, 100, SPLICE_F_NONBLOCK));
  T("splice file->file", splice(s, NULL, out, NULL, 4, 0));
  T("splice pipe off", splice(pp[0], &so, out, NULL, 4, 0));
  T("splice same pipe", splice(pp[0], NULL, pp[1], NULL, 4, 0));
  T("tee not pipe", tee(s, q[1], 4, 0));
  T("tee empty nonblock", tee(pp[0], q[1], 4, SPLICE_F_NONBLOCK));
  write(pp[1], "pipe-to-pipe", 12);
  T("splice pipe->pipe", splice(pp[0], NULL, q[1], NULL, 4, 0));
  T("read q", read(q[0], buf, sizeof buf));
  printf("  %.4s\n", buf);

  /* syncing and hints */
  T("fsync", fsync(fd));
  T("fdatasync", fdatasync(fd));
  T("fsync pipe", fsync(pp[0]));
  T("fsync bad", fsync(99));
  T("sync_file_range", sync_file_range(fd, 0, 0, 0));
  T("sync_file_range bad", sync_file_range(fd, 0, 0, 8));
  T("readahead", readahead(fd, 0, 100));
  T("readahead pipe", readahead(pp[0], 0, 100));
  T("fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0 ? 0 : -1);
  printf("fadvise pipe: %d\n", posix_fadvise(pp[0], 0, 0, POSIX_FADV_NORMAL));
  printf("fadvise bad: %d\n", posix_fadvise(fd, 0, 0, 99));
  T("syncfs", syncfs(fd));
  sync();
  printf("sync done\n");
  return 0;
}
