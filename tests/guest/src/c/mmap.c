/* mmap.c: memory-management system calls.  Anonymous mappings (zero fill,
 * partial munmap, MAP_FIXED replacement, mprotect, mremap grow/shrink/move),
 * file-backed MAP_PRIVATE (copy-on-write, file untouched) and MAP_SHARED
 * (changes reach the file, visible to read()), the zero-filled tail of the
 * last file page, mmap at a file offset, error cases, and brk/sbrk.
 * Leaves mapped.txt and shared.txt in the working directory. */
#include "guest.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long sum(const unsigned char *p, size_t n)
{
	unsigned long s = 0;
	for (size_t i = 0; i < n; i++)
		s = s * 131 + p[i];
	return s;
}

int main(void)
{
	const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	printf("page size %zu\n", pg);

	/* anonymous memory is zero-filled and page aligned */
	unsigned char *a = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a != MAP_FAILED && ((uintptr_t)a % pg) == 0);
	size_t nz = 0;
	for (size_t i = 0; i < 8 * pg; i++)
		nz += a[i] != 0;
	printf("nonzero bytes in fresh mapping: %zu\n", nz);
	for (size_t i = 0; i < 8 * pg; i++)
		a[i] = (unsigned char)(i / pg + 1);

	/* unmapping a middle page leaves the neighbours alone */
	CHECK(munmap(a + 3 * pg, pg) == 0);
	printf("neighbours intact: %d %d\n", a[3 * pg - 1], a[4 * pg]);
	CHECK(msync(a, pg, MS_SYNC) == 0);
	/* mincore reports which pages are mapped: ENOMEM for the hole */
	unsigned char vec[1];
	errno = 0;
	printf("mincore on the hole: %d %s\n", mincore(a + 3 * pg, pg, vec), errname(errno));

	/* MAP_FIXED replaces existing pages with fresh zero pages */
	unsigned char *f = mmap(a + 5 * pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("MAP_FIXED at the requested address: %d, contents %d, next page %d\n", f == a + 5 * pg, f[0],
	       a[6 * pg]);
	/* mprotect: read-only pages still read */
	CHECK(mprotect(a, 2 * pg, PROT_READ) == 0);
	printf("read after mprotect(PROT_READ): %d\n", a[pg + 5]);
	CHECK(mprotect(a, 2 * pg, PROT_READ | PROT_WRITE) == 0);
	a[0] = 99;
	printf("write after mprotect(RW): %d\n", a[0]);
	errno = 0;
	printf("mprotect unaligned: %d %s\n", mprotect(a + 1, pg, PROT_READ), errname(errno));

	/* mremap: grow in place or move, contents preserved */
	unsigned char *b = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < 2 * pg; i++)
		b[i] = (unsigned char)(i * 13);
	unsigned long before = sum(b, 2 * pg);
	unsigned char *g = mremap(b, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	CHECK(g != MAP_FAILED);
	printf("mremap grow: contents preserved %d, new tail zero %d\n", sum(g, 2 * pg) == before,
	       g[64 * pg - 1] == 0 && g[2 * pg] == 0);
	g[64 * pg - 1] = 7;
	unsigned char *s = mremap(g, 64 * pg, pg, 0);
	printf("mremap shrink in place: same address %d, first page intact %d\n", s == g, s[100] == (unsigned char)(100 * 13));
	munmap(s, pg);
	/* growing without MREMAP_MAYMOVE works only if the next page is free */
	unsigned char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	void *nm = mremap(two, pg, 2 * pg, 0);
	printf("mremap grow into an occupied page: %s %s\n", nm == MAP_FAILED ? "failed" : "ok", errname(errno));
	munmap(two + pg, pg);
	nm = mremap(two, pg, 2 * pg, 0);
	printf("mremap grow into a freed page: in place %d\n", nm == two);
	munmap(two, 2 * pg);
	/* moving to a fixed place */
	unsigned char *src = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(src, "moved page", 11);
	unsigned char *dst = mremap(src, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, a + 3 * pg);
	printf("mremap MREMAP_FIXED into the hole: %d \"%s\"\n", dst == a + 3 * pg, (char *)a + 3 * pg);
	munmap(a, 8 * pg);

	/* file-backed MAP_PRIVATE */
	int fd = open("mapped.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	const char text[] = "original file contents\n";
	write(fd, text, sizeof text - 1);
	char *m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("private map reads: %.22s\n", m);
	printf("bytes past EOF in the last page are zero: %d\n", m[sizeof text - 1] == 0 && m[pg - 1] == 0);
	memcpy(m, "PRIVATE!", 8);
	char buf[64] = {0};
	pread(fd, buf, sizeof text - 1, 0);
	printf("file after private write: %s", buf);
	printf("mapping after private write: %.22s\n", m);
	/* a write through the file after the page was copied is not seen */
	pwrite(fd, "O", 1, 0);
	printf("mapping keeps its private copy: %c\n", m[0]);
	munmap(m, pg);
	close(fd);

	/* file-backed MAP_SHARED, with an offset */
	fd = open("shared.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(ftruncate(fd, 2 * pg) == 0);
	char *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pg);
	CHECK(sh != MAP_FAILED);
	memcpy(sh, "written through MAP_SHARED\n", 27);
	CHECK(msync(sh, pg, MS_SYNC) == 0);
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 27, pg);
	printf("read() sees the shared write: %s", buf);
	pwrite(fd, "W", 1, pg);
	printf("mapping sees write(): %c\n", sh[0]);
	munmap(sh, pg);
	/* keep the file small and textual for the comparison */
	char keep[28];
	pread(fd, keep, 27, pg);
	ftruncate(fd, 0);
	pwrite(fd, keep, 27, 0);
	close(fd);

	/* errors */
	errno = 0;
	void *e1 = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 12345, 0);
	printf("mmap bad fd: %s %s\n", e1 == MAP_FAILED ? "MAP_FAILED" : "ok", errname(errno));
	errno = 0;
	void *e2 = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap length 0: %s %s\n", e2 == MAP_FAILED ? "MAP_FAILED" : "ok", errname(errno));
	errno = 0;
	void *e3 = mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0);
	printf("mmap without SHARED/PRIVATE: %s %s\n", e3 == MAP_FAILED ? "MAP_FAILED" : "ok", errname(errno));
	errno = 0;
	void *e4 = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
	printf("mmap unaligned offset: %s %s\n", e4 == MAP_FAILED ? "MAP_FAILED" : "ok", errname(errno));
	char *one = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	printf("munmap unaligned: %d %s\n", munmap(one + 1, pg), errname(errno));
	munmap(one, pg);

	/* brk / sbrk */
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	uintptr_t grown = (uintptr_t)syscall(SYS_brk, cur + 5 * pg);
	printf("brk grow by 5 pages: %d\n", grown == cur + 5 * pg);
	memset((void *)cur, 0x5a, 5 * pg);
	uintptr_t shrunk = (uintptr_t)syscall(SYS_brk, cur + pg);
	printf("brk shrink: %d\n", shrunk == cur + pg);
	uintptr_t regrown = (uintptr_t)syscall(SYS_brk, cur + 3 * pg);
	/* memory given back and taken again is zero-filled */
	printf("brk regrow: %d, old byte kept %d, released page zeroed %d\n", regrown == cur + 3 * pg,
	       ((unsigned char *)cur)[10] == 0x5a, ((unsigned char *)cur)[2 * pg + 10] == 0);
	uintptr_t bogus = (uintptr_t)syscall(SYS_brk, 1);
	printf("brk below the start is refused (returns current): %d\n", bogus == cur + 3 * pg);
	syscall(SYS_brk, cur);
	void *sb0 = sbrk(0);
	void *sb1 = sbrk(3 * pg);
	void *sb2 = sbrk(0);
	printf("sbrk: returns old break %d, advances %ld\n", sb1 == sb0, (long)((char *)sb2 - (char *)sb0));
	memset(sb1, 1, 3 * pg);
	sbrk(-(intptr_t)(3 * pg));
	printf("sbrk back: %d\n", sbrk(0) == sb0);
	void *after = malloc(1000);
	printf("malloc still works: %d\n", after != NULL);
	free(after);
	return 0;
}
