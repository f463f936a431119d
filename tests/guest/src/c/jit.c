/* jit.c: generated and self-modifying code without fence.i.  The
 * program writes functions into an RWX mapping and calls them, rewriting
 * them between calls, never flushing the instruction cache: every
 * rewrite must be seen by the next call (as on QEMU, which detects stores
 * to translated code).  Two functions share one page: rewriting one must
 * not disturb the other. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

typedef long (*fn)(long);

/* addi a0, a0, imm ; ret */
static void emit_add(volatile uint32_t *p, int imm)
{
	p[0] = ((uint32_t)(imm & 0xfff) << 20) | (10u << 15) | (10u << 7) | 0x13u;
	p[1] = 0x00008067u;
}

/* Patch only the immediate of the addi: a store into the middle of translated code. */
static void patch_imm(volatile uint32_t *p, int imm)
{
	p[0] = (p[0] & 0x000fffffu) | ((uint32_t)(imm & 0xfff) << 20);
}

int main(void)
{
	volatile uint32_t *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	fn f = (fn)(uintptr_t)buf;
	fn g = (fn)(uintptr_t)(buf + 64);
	long total = 0;
	emit_add(buf + 64, -1);
	for (int i = 1; i <= 50; i++) {
		emit_add(buf, i);
		total += f(1000) + g(0);
	}
	printf("rewritten 50 times: %ld\n", total);
	total = 0;
	for (int i = 0; i < 100; i++) {
		patch_imm(buf, i);
		total += f(0);
	}
	printf("patched 100 times: %ld, the other function still gives %ld\n", total, g(10));
	/* A function that rewrites its caller's next call target: done by hand here. */
	emit_add(buf, 7);
	long a = f(1);
	emit_add(buf, 9);
	long b = f(1);
	printf("after rewrite: %ld %ld\n", a, b);
	return 0;
}
