/* intarith.c: integer arithmetic corner cases as C code sees them.
 * RISC-V division never traps: x/0 is all ones, x%0 is x, INT_MIN/-1 is
 * INT_MIN (C calls the last two undefined, so they go through inline asm).
 * A SIGFPE handler is installed to show that no signal is raised.
 * Also high multiplies via __int128, 128-bit arithmetic and printing,
 * shifts and conversions. */
#include "guest.h"
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

static volatile int sigfpe_count;
static void on_sigfpe(int sig)
{
	(void)sig;
	sigfpe_count++;
}

static int64_t div64(int64_t a, int64_t b)
{
	int64_t r;
	__asm__ volatile("div %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
	return r;
}
static int64_t rem64(int64_t a, int64_t b)
{
	int64_t r;
	__asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
	return r;
}
static int32_t div32(int32_t a, int32_t b)
{
	int64_t r;
	__asm__ volatile("divw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
	return (int32_t)r;
}
static uint64_t divu64(uint64_t a, uint64_t b)
{
	uint64_t r;
	__asm__ volatile("divu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
	return r;
}

static void print_u128(u128 v)
{
	char buf[50];
	int i = 49;
	buf[i] = 0;
	do {
		buf[--i] = '0' + (int)(v % 10);
		v /= 10;
	} while (v);
	printf("%s", buf + i);
}
static void print_i128(i128 v)
{
	if (v < 0) {
		putchar('-');
		print_u128(-(u128)v);
	} else {
		print_u128((u128)v);
	}
}

int main(void)
{
	signal(SIGFPE, on_sigfpe);
	volatile int64_t zero = 0, m1 = -1, big = 0x0123456789abcdefLL;
	printf("div by zero: %lld rem by zero: %lld divu by zero: %llx\n", (long long)div64(big, zero),
	       (long long)rem64(big, zero), (unsigned long long)divu64(big, zero));
	printf("INT64_MIN/-1: %lld  INT64_MIN%%-1: %lld\n", (long long)div64(INT64_MIN, m1),
	       (long long)rem64(INT64_MIN, m1));
	printf("INT32_MIN/-1 (divw): %d  7/0 (divw): %d\n", div32(INT32_MIN, (int32_t)m1),
	       div32(7, (int32_t)zero));
	printf("SIGFPE raised: %d times\n", sigfpe_count);

	/* C semantics for the defined cases: truncation toward zero */
	volatile int a = -7, b = 2;
	printf("-7/2=%d -7%%2=%d 7/-2=%d 7%%-2=%d\n", a / b, a % b, -a / -b, -a % -b);
	ldiv_t ld = ldiv(-1000000000000LL, 7);
	printf("ldiv: %ld r %ld\n", ld.quot, ld.rem);

	/* high multiplies */
	volatile uint64_t u1 = 0xfedcba9876543210ULL, u2 = 0x0f0f0f0f0f0f0f0fULL;
	volatile int64_t s1 = -0x123456789abcdefLL, s2 = 0x7edcba9876543210LL;
	printf("mulhu %016llx\n", (unsigned long long)(((u128)u1 * u2) >> 64));
	printf("mulh  %016llx\n", (unsigned long long)(((i128)s1 * s2) >> 64));
	printf("mulhsu %016llx\n", (unsigned long long)(((i128)s1 * (i128)(u128)u1) >> 64));
	printf("mul   %016llx\n", (unsigned long long)(u1 * u2));

	/* 128-bit arithmetic */
	u128 f = 1;
	for (int i = 1; i <= 34; i++)
		f *= i;
	printf("34! = ");
	print_u128(f);
	printf("\n");
	i128 n = -((i128)1 << 126) + 12345;
	printf("i128: ");
	print_i128(n);
	printf(" / 1000000007 = ");
	print_i128(n / 1000000007);
	printf(" rem ");
	print_i128(n % 1000000007);
	printf("\n");
	u128 umax = ~(u128)0;
	printf("u128 max = ");
	print_u128(umax);
	printf("\nu128 max / 3 = ");
	print_u128(umax / 3);
	printf("\n");
	volatile int sh = 100;
	printf("shifts: %016llx %016llx\n", (unsigned long long)((umax >> sh)),
	       (unsigned long long)(((u128)1 << sh) >> 64));

	/* shifts, rotations, bit counting via builtins */
	volatile uint64_t v = 0x8000000000000001ULL;
	volatile int k = 63;
	printf("rotl %016llx rotr %016llx\n", (unsigned long long)((v << 1) | (v >> 63)),
	       (unsigned long long)((v >> 1) | (v << 63)));
	printf("sar %lld shr %llu\n", (long long)((int64_t)v >> k), (unsigned long long)(v >> k));
	printf("clz %d ctz %d popcount %d parity %d bswap %016llx\n", __builtin_clzll(v >> 1),
	       __builtin_ctzll(v << 5), __builtin_popcountll(big), __builtin_parityll(big),
	       (unsigned long long)__builtin_bswap64(big));

	/* overflow builtins and conversions */
	int64_t res1, res2;
	int o1 = __builtin_add_overflow(INT64_MAX, (int64_t)m1 + 2, &res1);
	int o2 = __builtin_mul_overflow((int64_t)big, (int64_t)big, &res2);
	printf("add overflow: %d (%lld) mul overflow: %d (%lld)\n", o1, (long long)res1, o2, (long long)res2);
	volatile double d = -3.99, dd = 4e9;
	volatile float fl = 16777217.0f;
	printf("(int)-3.99=%d (unsigned)4e9=%u (long)4e9=%ld (int)16777217.0f=%d\n", (int)d,
	       (unsigned)dd, (long)dd, (int)fl);
	printf("(signed char)200=%d (short)70000=%d (unsigned)-1=%u (uint32)(-1LL)=%u\n",
	       (signed char)(volatile int){200}, (short)(volatile int){70000},
	       (unsigned)(volatile int){-1}, (uint32_t)(volatile long long){-1});
	return 0;
}
