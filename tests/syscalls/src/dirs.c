/* Directories and names: mkdirat, getdents64 (record layout, d_off
 * continuation, rewinding), readdir/telldir/seekdir, unlinkat, renameat2,
 * symlinkat, linkat, readlinkat, mknodat, chdir/fchdir/getcwd. */
#include "t.h"
#include <dirent.h>
#include <limits.h>
#include <stdint.h>

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* List a directory with getdents64 and a buffer of `bufsize` bytes, in the order the kernel gives. */
static void list(const char *path, int bufsize) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) { printf("list %s: %s\n", path, errname(errno)); return; }
  char *buf = malloc(bufsize);
  long n;
  int calls = 0, dots = 0;
  printf("list %s (%d):", path, bufsize);
  while ((n = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
    calls++;
    for (long o = 0; o < n;) {
      struct linux_dirent64 *d = (void *)(buf + o);
      /* "." and ".." are where the file system hashes them on ext4; rvscope reports them first. */
      if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) dots++;
      else printf(" %s/%d/%d", d->d_name, d->d_type, d->d_reclen % 8 == 0 && d->d_reclen >= 20 + strlen(d->d_name) ? 1 : 0);
      o += d->d_reclen;
    }
  }
  printf(" | dots=%d n=%ld calls>1=%d\n", dots, n < 0 ? -errno : n, calls > 1);
  free(buf);
  close(fd);
}

static void cwd(const char *label) {
  char b[PATH_MAX];
  char *r = getcwd(b, sizeof b);
  const char *base = r ? strrchr(b, '/') : NULL;
  printf("%s: %s\n", label, base ? base + 1 : errname(errno));
}

int main(void) {
  umask(022);
  T("mkdir d", mkdirat(AT_FDCWD, "d", 0755));
  T("mkdir d again", mkdirat(AT_FDCWD, "d", 0755));
  T("mkdir noparent", mkdirat(AT_FDCWD, "nope/x", 0755));
  int dfd = open("d", O_RDONLY | O_DIRECTORY);
  T("mkdirat sub", mkdirat(dfd, "sub", 0700));
  struct stat st;
  stat("d/sub", &st);
  printf("sub mode %o\n", st.st_mode);
  for (int i = 0; i < 40; i++) {
    char name[64];
    snprintf(name, sizeof name, "d/file-%02d-%.*s", i, i, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop");
    mkfile(name, "x");
  }
  T("symlink", symlinkat("file-00-", dfd, "link"));
  T("symlink empty", symlinkat("", dfd, "link2"));
  T("symlink exists", symlinkat("x", dfd, "link"));
  /* FIFOs are not created by rvscope (mknodat says ENOSYS), so none here. */
  T("mknod reg", mknodat(dfd, "reg", S_IFREG | 0600, 0));
  T("mknod exists", mknodat(dfd, "reg", S_IFREG | 0600, 0));
  T("mknod bad", mknodat(dfd, "bad", 0170000 | 0600, 0));
  list("d", 32768);
  list("d", 100);
  T("getdents tiny", syscall(SYS_getdents64, dfd, (char[16]){0}, 16));
  T("getdents on file", ({ int f = open("d/reg", O_RDONLY); long r = syscall(SYS_getdents64, f, (char[64]){0}, 64); close(f); r; }));
  T("getdents bad fd", syscall(SYS_getdents64, 99, (char[64]){0}, 64));

  /* readdir with telldir/seekdir and rewinddir */
  DIR *dir = opendir("d");
  long pos = -1;
  char after[256] = "";
  int count = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    count++;
    if (count == 10) pos = telldir(dir);
    if (count == 11) strcpy(after, e->d_name);
  }
  printf("readdir count %d\n", count);
  seekdir(dir, pos);
  e = readdir(dir);
  printf("after seekdir same: %d\n", e && strcmp(e->d_name, after) == 0);
  rewinddir(dir);
  count = 0;
  while (readdir(dir) != NULL) count++;
  printf("after rewind count %d\n", count);
  /* entries added after the listing show after a rewind */
  mkfile("d/late", "");
  rewinddir(dir);
  count = 0;
  while (readdir(dir) != NULL) count++;
  printf("after late+rewind count %d\n", count);
  closedir(dir);

  /* lseek on a directory */
  /* (lseek positions of a directory are ext4 hash cookies on the host: not comparable) */
  T("lseek dir set", lseek(dfd, 0, SEEK_SET));

  /* links */
  char buf[256];
  long n = readlinkat(dfd, "link", buf, sizeof buf);
  printf("readlink: %ld %.*s\n", n, (int)(n > 0 ? n : 0), buf);
  n = readlinkat(dfd, "link", buf, 3);
  printf("readlink short: %ld %.*s\n", n, (int)(n > 0 ? n : 0), buf);
  T("readlink notlink", readlinkat(dfd, "reg", buf, sizeof buf));
  T("readlink missing", readlinkat(dfd, "missing", buf, sizeof buf));
  T("readlink bufsiz 0", readlinkat(dfd, "link", buf, 0));
  T("readlink empty", readlinkat(dfd, "", buf, sizeof buf));
  T("link", linkat(dfd, "reg", dfd, "hard", 0));
  stat("d/reg", &st);
  printf("nlink %ld\n", (long)st.st_nlink);
  T("link symlink nofollow", linkat(dfd, "link", dfd, "hardlink", 0));
  lstat("d/hardlink", &st);
  printf("hardlink is link: %d\n", S_ISLNK(st.st_mode));
  T("link follow", linkat(dfd, "link", dfd, "hardfollow", AT_SYMLINK_FOLLOW));
  lstat("d/hardfollow", &st);
  printf("hardfollow is reg: %d\n", S_ISREG(st.st_mode));
  T("link exists", linkat(dfd, "reg", dfd, "hard", 0));
  T("link bad flags", linkat(dfd, "reg", dfd, "h2", 0x1));
  T("link dir", linkat(dfd, "sub", dfd, "subl", 0));

  /* rename */
  T("rename", renameat(dfd, "hard", dfd, "hard2"));
  T("rename missing", renameat(dfd, "hard", dfd, "hard3"));
  T("renameat2 noreplace", syscall(SYS_renameat2, dfd, "hard2", dfd, "reg", 1));
  T("renameat2 noreplace ok", syscall(SYS_renameat2, dfd, "hard2", dfd, "hard4", 1));
  T("renameat2 bad flags", syscall(SYS_renameat2, dfd, "hard4", dfd, "hard5", 3));
  T("rename over", renameat(dfd, "hard4", dfd, "reg"));
  T("rename dir over file", renameat(dfd, "sub", dfd, "reg"));
  T("rename file over dir", renameat(dfd, "reg", dfd, "sub"));
  T("rename into self", renameat(dfd, "sub", dfd, "sub/x"));

  /* unlink */
  T("unlink dir", unlinkat(dfd, "sub", 0));
  T("rmdir file", unlinkat(dfd, "reg", AT_REMOVEDIR));
  T("unlink bad flags", unlinkat(dfd, "reg", 0x1));
  T("rmdir nonempty", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
  T("rmdir sub", unlinkat(dfd, "sub", AT_REMOVEDIR));
  T("unlink missing", unlinkat(dfd, "sub", 0));
  T("unlink link", unlinkat(dfd, "link", 0));
  T("unlink trailing slash", unlinkat(dfd, "reg/", 0));
  T("stat trailing slash", stat("d/reg/", &st));

  /* cwd */
  cwd("cwd");
  T("chdir d", chdir("d"));
  cwd("cwd d");
  T("chdir ..", chdir(".."));
  T("chdir file", chdir("d/reg"));
  T("chdir missing", chdir("d/nope"));
  T("fchdir", fchdir(dfd));
  cwd("cwd fchdir");
  T("open relative", ({ int f = open("reg", O_RDONLY); if (f >= 0) close(f); f >= 0; }));
  T("fchdir file", ({ int f = open("reg", O_RDONLY); long r = fchdir(f); close(f); r; }));
  T("fchdir bad", fchdir(99));
  T("chdir /", chdir("/"));
  cwd("cwd /");
  T("getcwd small", syscall(SYS_getcwd, buf, 1));
  return 0;
}
