/* The stat family (fstat, newfstatat, statx), statfs/fstatfs, sizes
 * (truncate, ftruncate, fallocate), times (utimensat), modes, owners and
 * access checks. Inode numbers, devices and current times are compared
 * between calls, never printed. */
#include "t.h"
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>

static void show(const char *label, const struct stat *st) {
  printf("%s: mode=%o nlink=%ld uid=%d gid=%d size=%ld blksize=%ld blocks=%ld rdev=%lx\n", label, st->st_mode,
         (long)st->st_nlink, st->st_uid, st->st_gid, (long)st->st_size, (long)st->st_blksize, (long)st->st_blocks,
         (unsigned long)st->st_rdev);
}

static void statpath(const char *label, const char *path, int flags) {
  struct stat st;
  if (fstatat(AT_FDCWD, path, &st, flags) < 0) printf("%s: %s\n", label, errname(errno));
  else show(label, &st);
}

static void sx(const char *label, int dirfd, const char *path, int flags, unsigned mask) {
  struct statx x;
  memset(&x, 0xa5, sizeof x);
  if (statx(dirfd, path, flags, mask, &x) < 0) { printf("%s: %s\n", label, errname(errno)); return; }
  struct stat st;
  int same = -1;
  if (fstatat(dirfd, path, &st, (flags & AT_SYMLINK_NOFOLLOW) | (flags & AT_EMPTY_PATH)) == 0)
    same = st.st_ino == x.stx_ino && st.st_dev == makedev(x.stx_dev_major, x.stx_dev_minor) &&
           st.st_mtim.tv_sec == x.stx_mtime.tv_sec && st.st_mtim.tv_nsec == x.stx_mtime.tv_nsec &&
           st.st_ctim.tv_nsec == x.stx_ctime.tv_nsec && st.st_atim.tv_nsec == x.stx_atime.tv_nsec;
  printf("%s: mask=%#x mode=%o nlink=%u size=%llu blocks=%llu blksize=%u attr=%#llx amask=%#llx rdev=%u:%u "
         "same=%d spare=%#x btime=%d\n",
         label, x.stx_mask & ~STATX_MNT_ID, x.stx_mode, x.stx_nlink, (unsigned long long)x.stx_size,
         (unsigned long long)x.stx_blocks, x.stx_blksize, (unsigned long long)x.stx_attributes,
         (unsigned long long)x.stx_attributes_mask, x.stx_rdev_major, x.stx_rdev_minor, same, x.__spare0[0],
         (x.stx_mask & STATX_BTIME) ? x.stx_btime.tv_sec > 0 : -1);
}

static void times(const char *label, const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) { printf("%s: %s\n", label, errname(errno)); return; }
  printf("%s: atime=%ld.%09ld mtime=%ld.%09ld\n", label, (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void recent(const char *label, const char *path) {
  struct stat st;
  lstat(path, &st);
  time_t now = time(NULL);
  printf("%s: atime recent=%d mtime recent=%d\n", label, now - st.st_atim.tv_sec < 100, now - st.st_mtim.tv_sec < 100);
}

int main(void) {
  umask(022);
  mkfile("f", "hello world");
  symlink("f", "lnk");
  symlink("missing", "dangling");
  mkdir("dir", 0750);
  statpath("stat f", "f", 0);
  statpath("stat lnk", "lnk", 0);
  statpath("lstat lnk", "lnk", AT_SYMLINK_NOFOLLOW);
  statpath("stat dangling", "dangling", 0);
  statpath("lstat dangling", "dangling", AT_SYMLINK_NOFOLLOW);
  statpath("stat dir", "dir", 0);
  statpath("stat missing", "missing", 0);
  statpath("stat f/x", "f/x", 0);
  statpath("stat empty", "", 0);
  statpath("stat /dev/null", "/dev/null", 0);
  struct stat st;
  T("fstatat bad flags", fstatat(AT_FDCWD, "f", &st, 0x4));
  int fd = open("f", O_RDWR);
  T("fstatat empty path", fstatat(fd, "", &st, AT_EMPTY_PATH));
  show("fstatat empty path", &st);
  T("fstatat cwd empty", fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH));
  T("fstatat bad dirfd", fstatat(99, "f", &st, 0));
  T("fstatat file dirfd", fstatat(fd, "x", &st, 0));
  T("fstat", fstat(fd, &st));
  show("fstat", &st);
  T("fstat bad", fstat(99, &st));

  sx("statx f", AT_FDCWD, "f", 0, STATX_BASIC_STATS);
  sx("statx f btime", AT_FDCWD, "f", 0, STATX_ALL);
  sx("statx lnk nofollow", AT_FDCWD, "lnk", AT_SYMLINK_NOFOLLOW, STATX_ALL);
  sx("statx dir", AT_FDCWD, "dir", 0, STATX_BASIC_STATS);
  sx("statx fd", fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS);
  sx("statx /", AT_FDCWD, "/", 0, STATX_BASIC_STATS);
  sx("statx /dev/null", AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS);
  sx("statx /dev/shm", AT_FDCWD, "/dev/shm", 0, STATX_ALL);
  sx("statx missing", AT_FDCWD, "missing", 0, STATX_BASIC_STATS);
  sx("statx bad flags", AT_FDCWD, "f", 0x1, STATX_BASIC_STATS);
  sx("statx sync both", AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS);
  sx("statx reserved", AT_FDCWD, "f", 0, 0x80000000u);
  sx("statx force sync", AT_FDCWD, "f", AT_STATX_FORCE_SYNC, STATX_BASIC_STATS);

  struct statfs sf, sf2;
  T("statfs", statfs(".", &sf));
  printf("statfs: type=%lx bsize=%ld namelen=%ld frsize=%ld flags=%#lx\n", (long)sf.f_type, (long)sf.f_bsize,
         (long)sf.f_namelen, (long)sf.f_frsize, (long)sf.f_flags);
  T("fstatfs", fstatfs(fd, &sf2));
  printf("fstatfs same: %d\n", sf.f_type == sf2.f_type && sf.f_blocks == sf2.f_blocks && sf.f_files == sf2.f_files);
  T("statfs /proc", statfs("/proc", &sf));
  printf("statfs /proc: type=%lx bsize=%ld blocks=%ld namelen=%ld fsid=%x:%x flags=%#lx\n", (long)sf.f_type,
         (long)sf.f_bsize, (long)sf.f_blocks, (long)sf.f_namelen, sf.f_fsid.__val[0], sf.f_fsid.__val[1],
         (long)sf.f_flags);
  T("statfs missing", statfs("missing", &sf));

  /* sizes */
  T("truncate 3", truncate("f", 3));
  statpath("after truncate", "f", 0);
  T("truncate neg", truncate("f", -1));
  T("truncate dir", truncate("dir", 0));
  T("truncate missing", truncate("missing", 0));
  T("ftruncate 100000", ftruncate(fd, 100000));
  statpath("after ftruncate", "f", 0);
  int ro = open("f", O_RDONLY);
  T("ftruncate rdonly", ftruncate(ro, 0));
  T("ftruncate neg", ftruncate(fd, -5));
  T("ftruncate 0", ftruncate(fd, 0));
  T("fallocate 8192", fallocate(fd, 0, 0, 8192));
  statpath("after fallocate", "f", 0);
  /* (FALLOC_FL_KEEP_SIZE is accepted, but blocks past the end are not allocated: st_blocks differs) */
  T("fallocate inside", fallocate(fd, 0, 100, 100));
  T("fallocate len 0", fallocate(fd, 0, 0, 0));
  T("fallocate rdonly", fallocate(ro, 0, 0, 10));
  int pp[2];
  pipe(pp);
  T("fallocate pipe", fallocate(pp[1], 0, 0, 10));
  T("ftruncate pipe", ftruncate(pp[1], 0));

  /* times */
  struct timespec ts[2] = {{1000000000, 123456789}, {1100000000, 987654321}};
  T("utimensat ns", utimensat(AT_FDCWD, "f", ts, 0));
  times("after ns", "f");
  ts[0] = (struct timespec){5, 0};
  ts[1] = (struct timespec){7, 0};
  T("utimensat whole", utimensat(AT_FDCWD, "f", ts, 0));
  times("after whole", "f");
  ts[0] = (struct timespec){0, UTIME_OMIT};
  ts[1] = (struct timespec){1234567890, 5};
  T("utimensat omit atime", utimensat(AT_FDCWD, "f", ts, 0));
  times("after omit", "f");
  ts[0] = (struct timespec){0, UTIME_OMIT};
  ts[1] = (struct timespec){0, UTIME_OMIT};
  T("utimensat omit both", utimensat(AT_FDCWD, "f", ts, 0));
  times("after omit both", "f");
  ts[0] = (struct timespec){-100, 500};
  ts[1] = (struct timespec){0, UTIME_NOW};
  T("utimensat negative/now", utimensat(AT_FDCWD, "f", ts, 0));
  struct stat s2;
  lstat("f", &s2);
  printf("negative atime: %ld.%09ld\n", (long)s2.st_atim.tv_sec, s2.st_atim.tv_nsec);
  recent("now mtime", "f");
  T("utimensat null", utimensat(AT_FDCWD, "f", NULL, 0));
  recent("after null", "f");
  ts[0] = (struct timespec){10, 1000000000};
  T("utimensat bad nsec", utimensat(AT_FDCWD, "f", ts, 0));
  ts[0] = (struct timespec){42, 0};
  ts[1] = (struct timespec){43, 1};
  T("utimensat nofollow", utimensat(AT_FDCWD, "lnk", ts, AT_SYMLINK_NOFOLLOW));
  times("link times", "lnk");
  T("futimens", futimens(fd, ts));
  times("futimens", "f");
  T("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
  T("utimensat bad flags", utimensat(AT_FDCWD, "f", ts, 0x4));
  T("utimes", utimes("f", (struct timeval[2]){{1, 2}, {3, 4}}));
  times("utimes", "f");

  /* modes and owners */
  T("fchmod", fchmod(fd, 0600));
  statpath("after fchmod", "f", 0);
  T("fchmodat", fchmodat(AT_FDCWD, "f", 04755, 0));
  statpath("after fchmodat", "f", 0);
  T("chmod via link", chmod("lnk", 0640));
  statpath("after chmod lnk", "f", 0);
  T("chmod missing", chmod("missing", 0640));
  T("fchown same", fchown(fd, getuid(), getgid()));
  T("fchown -1", fchown(fd, -1, -1));
  T("fchownat", fchownat(AT_FDCWD, "f", -1, getgid(), 0));
  T("lchown", lchown("lnk", getuid(), -1));
  T("fchownat empty", fchownat(fd, "", -1, -1, AT_EMPTY_PATH));
  T("fchownat bad flags", fchownat(AT_FDCWD, "f", -1, -1, 0x2));
  T("fchown pipe", fchown(pp[0], -1, -1));

  /* access */
  T("access f R", access("f", R_OK));
  T("access f X", access("f", X_OK));
  T("access missing", access("missing", F_OK));
  T("access bad mode", access("f", 8));
  T("faccessat dangling nofollow", faccessat(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
  T("faccessat dangling", faccessat(AT_FDCWD, "dangling", F_OK, 0));
  T("faccessat eaccess", faccessat(AT_FDCWD, "f", W_OK, AT_EACCESS));
  T("faccessat2 empty", syscall(439, fd, "", R_OK, AT_EMPTY_PATH));
  T("faccessat2 bad flags", syscall(439, AT_FDCWD, "f", R_OK, 0x4));
  T("access f/", access("f/", F_OK));
  return 0;
}
