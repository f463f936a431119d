/* The emulated /proc: /proc/self/exe (readlink, open), /proc/self/fd
 * (listing, readlink, reopening), /dev/fd, cmdline, stat, maps, auxv,
 * cwd, and /proc/<own pid> as self. */
#include "t.h"
#include <dirent.h>
#include <elf.h>
#include <libgen.h>
#include <sys/auxv.h>

static void link_of(const char *path) {
  char b[512];
  long n = readlink(path, b, sizeof b - 1);
  if (n < 0) { printf("readlink %s: %s\n", path, errname(errno)); return; }
  b[n] = 0;
  /* pipes: the inode number is the kernel's own */
  if (strncmp(b, "pipe:[", 6) == 0) strcpy(b + 6, "N]");
  printf("readlink %s: %s\n", path, strncmp(b, "pipe:", 5) == 0 || b[0] != '/' ? b : basename(b));
}

static void first_line(const char *label, const char *path) {
  char b[4096];
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%s: %s\n", label, errname(errno)); return; }
  long n = read(fd, b, sizeof b - 1);
  close(fd);
  b[n < 0 ? 0 : n] = 0;
  char *nl = strchr(b, '\n');
  if (nl) *nl = 0;
  printf("%s: %s\n", label, b);
}

int main(int argc, char **argv) {
  (void)argc;
  link_of("/proc/self/exe");
  char pidpath[64];
  snprintf(pidpath, sizeof pidpath, "/proc/%d/exe", getpid());
  char own[512] = "", viapid[512] = "";
  readlink("/proc/self/exe", own, sizeof own - 1);
  readlink(pidpath, viapid, sizeof viapid - 1);
  printf("/proc/PID/exe same: %d\n", own[0] && strcmp(own, viapid) == 0);
  link_of("/proc/self/cwd");
  mkdir("sub", 0755);
  mkfile("sub/file", "content\n");
  int fd = open("sub/file", O_RDONLY);
  int p[2];
  pipe(p);
  dup2(fd, 9);
  char path[64];
  for (int i = 3; i <= 9; i++) {
    snprintf(path, sizeof path, "/proc/self/fd/%d", i);
    if (i == 3 || i == 5 || i == 9) link_of(path);
  }
  link_of("/proc/self/fd/99");
  snprintf(path, sizeof path, "/dev/fd/%d", fd);
  link_of(path);

  /* reopen through /proc/self/fd and /dev/fd */
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  first_line("reopen file", path);
  write(p[1], "through the pipe\n", 17);
  snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
  first_line("reopen pipe", path);
  snprintf(path, sizeof path, "/dev/fd/%d", fd);
  first_line("/dev/fd", path);
  struct stat a, b;
  fstat(fd, &a);
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  stat(path, &b);
  printf("stat fd link same: %d\n", a.st_ino == b.st_ino);
  lstat(path, &b);
  printf("lstat fd link: islnk=%d perm=%o\n", S_ISLNK(b.st_mode), b.st_mode & 0777);
  fstat(p[0], &a);
  snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
  stat(path, &b);
  printf("stat pipe link: fifo=%d same=%d\n", S_ISFIFO(b.st_mode), a.st_ino == b.st_ino);

  /* listing /proc/self/fd: our descriptors are there */
  DIR *d = opendir("/proc/self/fd");
  int seen = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    int n = atoi(e->d_name);
    if (n == fd || n == 9 || n == p[0] || n == p[1]) seen++;
  }
  closedir(d);
  printf("fd listing has ours: %d\n", seen);

  /* cmdline, stat, maps, auxv */
  int c = open("/proc/self/cmdline", O_RDONLY);
  char buf[4096];
  long n = read(c, buf, sizeof buf);
  close(c);
  printf("cmdline: %ld bytes, argv0 matches=%d\n", n, n > 0 && strcmp(buf, argv[0]) == 0);
  c = open("/proc/self/stat", O_RDONLY);
  n = read(c, buf, sizeof buf - 1);
  close(c);
  buf[n] = 0;
  int pid, ppid;
  char comm[64], state;
  sscanf(buf, "%d %63s %c %d", &pid, comm, &state, &ppid);
  printf("stat: pid ok=%d comm=%s ppid ok=%d\n", pid == getpid(), comm, ppid == getppid());
  c = open("/proc/self/maps", O_RDONLY);
  n = read(c, buf, sizeof buf - 1);
  close(c);
  buf[n] = 0;
  printf("maps has [stack]=%d exe=%d\n", strstr(buf, "[stack]") != NULL, strstr(buf, "/procfs") != NULL);
  unsigned long lo, hi;
  char perms[8];
  sscanf(buf, "%lx-%lx %7s", &lo, &hi, perms);
  printf("maps first: %lx-%lx %s\n", lo, hi, perms);
  c = open("/proc/self/auxv", O_RDONLY);
  Elf64_auxv_t av[64];
  n = read(c, av, sizeof av);
  close(c);
  unsigned long pagesz = 0, entry = 0;
  for (long i = 0; i < n / (long)sizeof *av; i++) {
    if (av[i].a_type == AT_PAGESZ) pagesz = av[i].a_un.a_val;
    if (av[i].a_type == AT_ENTRY) entry = av[i].a_un.a_val;
  }
  printf("auxv: pagesz=%lu entry ok=%d\n", pagesz, entry == getauxval(AT_ENTRY));
  snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
  first_line("pid cmdline", path);

  /* exe opens the program itself */
  int x = open("/proc/self/exe", O_RDONLY);
  char magic[4] = {0};
  read(x, magic, 4);
  printf("exe magic: %d\n", memcmp(magic, "\177ELF", 4) == 0);
  T("open proc file for write", open("/proc/self/maps", O_WRONLY));
  T("open missing fd", open("/proc/self/fd/77", O_RDONLY));
  chdir("sub");
  link_of("/proc/self/cwd");
  first_line("relative in cwd", "file");
  return 0;
}
