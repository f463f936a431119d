/* files.c: file-system system calls in the current directory (a fresh,
 * empty directory when run by the test runner).  Covers open flags,
 * read/write/lseek/pread/pwrite/readv/writev, ftruncate, fstat/stat/lstat,
 * rename/unlink/link/symlink/readlink, mkdir/rmdir, sorted readdir,
 * access, fcntl, dup/dup2 (including redirecting stdout), *at calls,
 * utimensat, and the errno of common failures.  It leaves notes.txt,
 * redirected.txt, sparse.txt and dir/inner.txt behind for the runner to
 * compare. */
#include "guest.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void show_stat(const char *label, const struct stat *st)
{
	const char *kind = S_ISREG(st->st_mode) ? "file" : S_ISDIR(st->st_mode) ? "dir"
			 : S_ISLNK(st->st_mode) ? "symlink" : "other";
	/* Directory sizes and link counts depend on the host file system
	 * (btrfs, for one, reports nlink 1), so they are left out. */
	if (S_ISDIR(st->st_mode))
		printf("%s: %s mode=%03o\n", label, kind, st->st_mode & 07777);
	else
		printf("%s: %s mode=%03o size=%lld nlink=%lu\n", label, kind, st->st_mode & 07777,
		       (long long)st->st_size, (unsigned long)st->st_nlink);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		printf("opendir(%s) failed: %s\n", path, errname(errno));
		return;
	}
	char *names[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], cmp);
	printf("ls %s:", path);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void cat(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	printf("cat %s: \"%s\"\n", path, buf);
}

int main(void)
{
	struct stat st;
	char buf[256];
	umask(022);

	/* create, write, read back */
	int fd = open("notes.txt", O_CREAT | O_RDWR | O_TRUNC, 0666);
	CHECK(fd >= 3);
	TRY("write", write(fd, "hello world\n", 12));
	fstat(fd, &st);
	show_stat("fstat notes.txt", &st);
	TRY("lseek cur", lseek(fd, 0, SEEK_CUR));
	TRY("lseek set 6", lseek(fd, 6, SEEK_SET));
	TRY("read", read(fd, buf, 5));
	printf("read back: %.5s\n", buf);
	TRY("read the rest", read(fd, buf, 10));
	TRY("read at eof", read(fd, buf, 10));
	TRY("pwrite at 0", pwrite(fd, "HELLO", 5, 0));
	TRY("offset unchanged", lseek(fd, 0, SEEK_CUR));
	TRY("pread at 6", pread(fd, buf, 5, 6));
	printf("pread: %.5s\n", buf);
	TRY("lseek end -1", lseek(fd, -1, SEEK_END));
	struct iovec iov[3] = {{"\nsecond ", 8}, {"line", 4}, {" via writev\n", 12}};
	TRY("writev", writev(fd, iov, 3));
	TRY("lseek before start", lseek(fd, -100, SEEK_SET));
	char r1[6], r2[7];
	struct iovec riov[2] = {{r1, 5}, {r2, 6}};
	TRY("preadv", preadv(fd, riov, 2, 0));
	r1[5] = r2[6] = 0;
	printf("preadv: [%s][%s]\n", r1, r2);
	TRY("fsync", fsync(fd));
	close(fd);
	cat("notes.txt");

	/* ftruncate shrink and grow, sparse writes past the end */
	fd = open("sparse.txt", O_CREAT | O_WRONLY | O_EXCL, 0600);
	TRYFD("O_EXCL on new file", fd);
	TRYFD("O_EXCL on existing", open("sparse.txt", O_CREAT | O_WRONLY | O_EXCL, 0600));
	write(fd, "0123456789", 10);
	TRY("ftruncate 4", ftruncate(fd, 4));
	TRY("lseek 8", lseek(fd, 8, SEEK_SET));
	write(fd, "AB", 2);
	TRY("ftruncate 12", ftruncate(fd, 12));
	fstat(fd, &st);
	show_stat("sparse.txt", &st);
	close(fd);
	fd = open("sparse.txt", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf);
	printf("sparse contents (%zd bytes):", n);
	for (ssize_t i = 0; i < n; i++)
		printf(" %02x", (unsigned char)buf[i]);
	printf("\n");
	close(fd);
	TRY("chmod 0640", chmod("sparse.txt", 0640));
	stat("sparse.txt", &st);
	show_stat("after chmod", &st);
	/* replace the holes so that the file compares as text */
	fd = open("sparse.txt", O_WRONLY);
	pwrite(fd, "....", 4, 4);
	pwrite(fd, "!\n", 2, 10);
	close(fd);

	/* O_APPEND always writes at the end, whatever the offset */
	fd = open("notes.txt", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "appended\n", 9);
	int fl = fcntl(fd, F_GETFL);
	printf("F_GETFL: accmode=%s append=%d\n",
	       (fl & O_ACCMODE) == O_WRONLY ? "WRONLY" : "other", !!(fl & O_APPEND));
	TRY("F_SETFL clear append", fcntl(fd, F_SETFL, fl & ~O_APPEND));
	lseek(fd, 0, SEEK_SET);
	write(fd, "J", 1);
	printf("F_GETFD before: %d\n", fcntl(fd, F_GETFD));
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	printf("F_GETFD after: %d\n", fcntl(fd, F_GETFD));
	int d1 = fcntl(fd, F_DUPFD, 10), d2 = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	CHECK(d1 >= 10 && d2 > d1);
	printf("dup'ed CLOEXEC flags: %d %d\n", fcntl(d1, F_GETFD), fcntl(d2, F_GETFD));
	close(d1);
	close(d2);
	close(fd);
	cat("notes.txt");

	/* dup, dup2 and redirecting stdout into a file */
	fflush(stdout);
	int saved = dup(1);
	fd = open("redirected.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	TRY("dup2 onto stdout", dup2(fd, 1));
	printf("this line went to redirected.txt through fd 1\n");
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(fd);
	TRY("dup2 same fd", dup2(1, 1));
	TRY("dup2 bad fd", dup2(99, 5));
	TRY("close bad fd", close(99));
	cat("redirected.txt");
	int a = open("notes.txt", O_RDONLY), b = dup(a);
	printf("dup gives the next free fd: %d\n", b == a + 1);
	lseek(a, 3, SEEK_SET);
	printf("dup shares the offset: %lld\n", (long long)lseek(b, 0, SEEK_CUR));
	close(a);
	close(b);

	/* links */
	TRY("link", link("notes.txt", "hard.txt"));
	stat("notes.txt", &st);
	show_stat("notes.txt after link", &st);
	TRY("symlink", symlink("notes.txt", "soft.txt"));
	TRY("symlink dangling", symlink("does-not-exist", "dangling"));
	lstat("soft.txt", &st);
	show_stat("lstat soft.txt", &st);
	stat("soft.txt", &st);
	show_stat("stat soft.txt", &st);
	n = readlink("soft.txt", buf, sizeof buf);
	printf("readlink: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
	TRY("readlink on a file", readlink("notes.txt", buf, sizeof buf));
	TRY("stat dangling", stat("dangling", &st));
	TRY("lstat dangling", lstat("dangling", &st));
	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	TRYFD("open symlink loop", open("loop1", O_RDONLY));
	TRYFD("O_NOFOLLOW", open("soft.txt", O_RDONLY | O_NOFOLLOW));
	TRY("access F_OK", access("notes.txt", F_OK));
	TRY("access R_OK", access("notes.txt", R_OK));
	TRY("access missing", access("missing", F_OK));

	/* rename and unlink */
	TRY("rename", rename("hard.txt", "moved.txt"));
	TRY("rename over existing", rename("moved.txt", "soft.txt"));
	lstat("soft.txt", &st);
	show_stat("soft.txt after rename", &st);
	TRY("rename missing", rename("missing", "x"));
	TRY("unlink soft.txt", unlink("soft.txt"));
	TRY("unlink missing", unlink("soft.txt"));
	unlink("dangling");
	unlink("loop1");
	unlink("loop2");
	stat("notes.txt", &st);
	show_stat("notes.txt at the end", &st);

	/* directories */
	TRY("mkdir", mkdir("dir", 0755));
	TRY("mkdir again", mkdir("dir", 0755));
	TRY("mkdir sub", mkdir("dir/sub", 0700));
	stat("dir/sub", &st);
	show_stat("dir/sub", &st);
	int dfd = open("dir", O_RDONLY | O_DIRECTORY);
	TRYFD("openat in dir", fd = openat(dfd, "inner.txt", O_CREAT | O_WRONLY, 0644));
	write(fd, "inside dir\n", 11);
	close(fd);
	TRY("fstatat", fstatat(dfd, "inner.txt", &st, 0));
	show_stat("dir/inner.txt", &st);
	TRY("mkdirat", mkdirat(dfd, "made-by-mkdirat", 0755));
	TRY("rmdir non-empty", rmdir("dir"));
	TRY("unlinkat dir without flag", unlinkat(dfd, "made-by-mkdirat", 0));
	TRY("unlinkat AT_REMOVEDIR", unlinkat(dfd, "made-by-mkdirat", AT_REMOVEDIR));
	TRY("read from a directory", read(dfd, buf, 10));
	close(dfd);
	TRYFD("O_DIRECTORY on a file", open("notes.txt", O_RDONLY | O_DIRECTORY));
	TRYFD("open missing", open("missing/file", O_RDONLY));
	TRYFD("open through a file", open("notes.txt/x", O_RDONLY));
	TRY("rmdir sub", rmdir("dir/sub"));
	struct timespec ts[2] = {{1000000000, 0}, {1234567890, 500}};
	TRY("utimensat", utimensat(AT_FDCWD, "dir/inner.txt", ts, 0));
	stat("dir/inner.txt", &st);
	printf("times: atime=%lld mtime=%lld.%09ld\n", (long long)st.st_atim.tv_sec,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	list_dir(".");
	list_dir("dir");

	/* a larger file read back in odd-sized chunks */
	fd = open("big.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
	static unsigned char blob[100000];
	for (unsigned i = 0; i < sizeof blob; i++)
		blob[i] = (unsigned char)(i * 7 + (i >> 8));
	write(fd, blob, sizeof blob);
	lseek(fd, 0, SEEK_SET);
	unsigned long sum = 0, total = 0;
	while ((n = read(fd, buf, 251)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)buf[i];
		total += n;
	}
	printf("big.bin: %lu bytes, checksum %lu\n", total, sum);
	close(fd);
	unlink("big.bin");

	/* /dev/null */
	fd = open("/dev/null", O_RDWR);
	TRY("write /dev/null", write(fd, "x", 1));
	TRY("read /dev/null", read(fd, buf, 1));
	close(fd);
	return 0;
}
