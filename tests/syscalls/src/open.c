/* openat flags and errors, umask, O_PATH, O_TMPFILE, directories opened
 * for reading, relative lookups through directory descriptors and
 * symbolic links, memfd_create, and the extended-attribute calls on files
 * without attributes. */
#include "t.h"
#include <sys/mman.h>
#include <sys/xattr.h>

static void mode_of(const char *label, const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) printf("%s: %s\n", label, errname(errno));
  else printf("%s: %o size=%ld\n", label, st.st_mode, (long)st.st_size);
}

int main(void) {
  umask(0);
  T("creat 0777", open("a", O_WRONLY | O_CREAT, 0777));
  mode_of("mode umask 0", "a");
  umask(027);
  T("creat 0777 umask 027", open("b", O_WRONLY | O_CREAT, 0777));
  mode_of("mode umask 027", "b");
  T("mkdir umask 027", mkdir("d", 0777));
  mode_of("dir mode", "d");
  umask(022);
  T("excl exists", open("a", O_WRONLY | O_CREAT | O_EXCL, 0644));
  T("missing", open("nope", O_RDONLY));
  T("missing dir", open("nope/x", O_RDONLY | O_CREAT, 0644));
  T("directory on file", open("a", O_RDONLY | O_DIRECTORY));
  T("file/ trailing", open("a/", O_RDONLY));
  T("dir for write", open("d", O_WRONLY));
  T("dir rdwr", open("d", O_RDWR));
  T("creat on dir", open("d", O_RDONLY | O_CREAT, 0644));
  symlink("a", "la");
  symlink("loop1", "loop2");
  symlink("loop2", "loop1");
  T("nofollow link", open("la", O_RDONLY | O_NOFOLLOW));
  T("loop", open("loop1", O_RDONLY));
  T("nofollow|path link", open("la", O_PATH | O_NOFOLLOW));
  T("empty path", open("", O_RDONLY));
  mkfile("a", "0123456789");
  int t = open("a", O_RDWR | O_TRUNC);
  mode_of("after trunc", "a");
  close(t);

  /* directories */
  int d = open("d", O_RDONLY);
  T("dir fd", d);
  char buf[64];
  T("read dir", read(d, buf, 10));
  T("write dir", write(d, "x", 1));
  T("openat rel", openat(d, "inner", O_WRONLY | O_CREAT, 0600));
  mode_of("inner", "d/inner");
  T("openat abs ignores dirfd", openat(99, "/dev/null", O_RDONLY));
  T("openat bad dirfd", openat(99, "x", O_RDONLY));
  int f = open("a", O_RDONLY);
  mkdir("real", 0755);
  mkdir("real/deep", 0755);
  mkfile("real/target", "T");
  symlink("real/deep", "sl");
  T("dotdot after symlink", open("sl/../target", O_RDONLY));
  T("dotdot lexical would miss", open("sl/../real/target", O_RDONLY));

  /* O_PATH */
  int p = open("a", O_PATH);
  T("O_PATH", p);
  T("O_PATH read", read(p, buf, 1));
  T("O_PATH write", write(p, "x", 1));
  struct stat st;
  T("O_PATH fstat", fstat(p, &st));
  T("O_PATH fchmod", fchmod(p, 0600));
  int dp = open("d", O_PATH | O_DIRECTORY);
  T("openat O_PATH dir", openat(dp, "inner", O_RDONLY));
  T("O_PATH dup", dup(p));

  /* O_TMPFILE */
  int tf = open("d", O_TMPFILE | O_RDWR, 0600);
  T("O_TMPFILE", tf >= 0 ? 0 : -1);
  if (tf >= 0) {
    T("tmpfile write", write(tf, "tmp", 3));
    fstat(tf, &st);
    printf("tmpfile: reg=%d nlink=%ld size=%ld\n", S_ISREG(st.st_mode), (long)st.st_nlink, (long)st.st_size);
  }
  T("O_TMPFILE no access", open("d", O_TMPFILE | O_RDONLY, 0600));

  /* memfd */
  int m = memfd_create("shm-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  T("memfd", m >= 0 ? 0 : -1);
  T("memfd getfd", fcntl(m, F_GETFD));
  T("memfd getfl", fcntl(m, F_GETFL));
  T("memfd write", write(m, "memory", 6));
  T("memfd lseek", lseek(m, 0, SEEK_SET));
  T("memfd read", read(m, buf, sizeof buf));
  T("memfd ftruncate", ftruncate(m, 4096));
  fstat(m, &st);
  printf("memfd stat: mode=%o nlink=%ld size=%ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
  char path[64], link[256];
  snprintf(path, sizeof path, "/proc/self/fd/%d", m);
  long n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  printf("memfd link: %s\n", link);
  T("seals", fcntl(m, F_GET_SEALS));
  T("add seal", fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
  T("seals after", fcntl(m, F_GET_SEALS));
  T("add bad seal", fcntl(m, F_ADD_SEALS, 0x1000));
  int m2 = memfd_create("plain", 0);
  T("plain seals", fcntl(m2, F_GET_SEALS));
  T("plain add seal", fcntl(m2, F_ADD_SEALS, F_SEAL_WRITE));
  T("memfd bad flags", memfd_create("x", 0x100));
  char longname[300];
  memset(longname, 'n', sizeof longname - 1);
  longname[299] = 0;
  T("memfd long name", memfd_create(longname, 0));
  T("memfd reopen", ({ int r = open(path, O_RDONLY); char c[6]; long k = r >= 0 ? pread(r, c, 6, 0) : -1; k; }));

  /* extended attributes of plain files */
  T("getxattr", getxattr("a", "user.none", buf, sizeof buf));
  T("lgetxattr", lgetxattr("la", "security.selinux", buf, sizeof buf));
  T("fgetxattr", fgetxattr(f, "system.posix_acl_access", buf, sizeof buf));
  T("listxattr", listxattr("a", buf, sizeof buf));
  T("getxattr missing", getxattr("nope", "user.x", buf, sizeof buf));
  T("getxattr /proc", getxattr("/proc/self/maps", "user.x", buf, sizeof buf));
  T("removexattr", removexattr("a", "user.none"));
  /* last: qemu-riscv64 7.2 leaks a host descriptor on this error, which would shift later numbers */
  T("openat file dirfd", openat(f, "x", O_RDONLY));
  return 0;
}
