/* malloc.c: allocator stress.  Thousands of malloc/free/realloc calls of
 * mixed sizes (small bins, brk-backed, and mmap-backed above the mmap
 * threshold), contents verified after every realloc, calloc zeroing, and
 * a final checksum.  A pseudo-random generator with a fixed seed keeps the
 * sequence deterministic. */
#include "guest.h"
#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

#define SLOTS 256

int main(void)
{
	unsigned char *p[SLOTS] = {0};
	size_t sz[SLOTS] = {0};
	unsigned char tag[SLOTS] = {0};
	uint64_t sum = 0;
	int bad = 0;

	for (int iter = 0; iter < 6000; iter++) {
		int i = rnd() % SLOTS;
		uint64_t r = rnd();
		if (p[i]) {
			/* verify the old contents before touching the block */
			for (size_t k = 0; k < sz[i]; k += 1 + sz[i] / 64)
				if (p[i][k] != tag[i])
					bad++;
			if (r & 1) {
				free(p[i]);
				p[i] = NULL;
				continue;
			}
			size_t nsz = (r >> 8) % ((r & 14) == 14 ? 300000 : 2000) + 1;
			unsigned char *q = realloc(p[i], nsz);
			if (!q) {
				bad++;
				continue;
			}
			size_t keep = nsz < sz[i] ? nsz : sz[i];
			for (size_t k = 0; k < keep; k += 1 + keep / 64)
				if (q[k] != tag[i])
					bad++;
			if (keep && q[keep - 1] != tag[i])
				bad++;
			p[i] = q;
			sz[i] = nsz;
		} else {
			sz[i] = (r >> 8) % ((r & 14) == 6 ? 200000 : 1000) + 1;
			p[i] = malloc(sz[i]);
			if (!p[i]) {
				bad++;
				continue;
			}
		}
		tag[i] = (unsigned char)(r >> 56);
		memset(p[i], tag[i], sz[i]);
		sum += sz[i];
	}
	printf("bytes allocated over the run: %llu\n", (unsigned long long)sum);
	printf("corrupted bytes seen: %d\n", bad);
	for (int i = 0; i < SLOTS; i++)
		free(p[i]);

	/* calloc must return zeroed memory even when reusing freed blocks */
	for (int round = 0; round < 50; round++) {
		size_t n = 1 + (rnd() % 5000);
		unsigned char *a = malloc(n);
		memset(a, 0xa5, n);
		free(a);
		unsigned char *c = calloc(n, 1);
		for (size_t k = 0; k < n; k++)
			if (c[k])
				bad++;
		free(c);
	}
	unsigned char *big = calloc(1 << 20, 4);
	size_t nzero = 0;
	for (size_t k = 0; k < (4u << 20); k += 4096)
		nzero += big[k] != 0;
	free(big);
	printf("calloc nonzero bytes: %d %zu\n", bad, nzero);

	/* alignment guarantees */
	int misaligned = 0;
	for (int k = 1; k < 100; k++) {
		void *a = malloc(k);
		misaligned += ((uintptr_t)a & 15) != 0;
		free(a);
	}
	void *al = NULL;
	CHECK(posix_memalign(&al, 4096, 100) == 0 && ((uintptr_t)al & 4095) == 0);
	free(al);
	void *al2 = aligned_alloc(256, 512);
	CHECK(((uintptr_t)al2 & 255) == 0);
	free(al2);
	printf("misaligned malloc results: %d\n", misaligned);

	/* allocation failure is reported, not fatal */
	errno = 0;
	void *huge = malloc((size_t)1 << 62);
	printf("malloc(2^62) -> %s errno=%s\n", huge ? "non-NULL" : "NULL", errname(errno));
	return 0;
}
