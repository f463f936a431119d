/* args.c: the initial process state an emulator builds: argc/argv, the
 * environment block, its placement right after argv, the auxiliary vector
 * and stack alignment.  Only facts that do not depend on addresses, the
 * user or the host are printed (argv[0] is reduced to its basename). */
#include "guest.h"
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp)
{
	const char *base = strrchr(argv[0], '/');
	printf("argc=%d\n", argc);
	printf("argv[0] basename=%s\n", base ? base + 1 : argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	CHECK(argv[argc] == NULL);
	CHECK(envp == argv + argc + 1);

	/* The guest sees exactly the environment it was given; print it
	 * sorted so the order the emulator lays it out in does not matter. */
	int n = 0;
	while (envp[n])
		n++;
	char **sorted = malloc(sizeof(char *) * (n ? n : 1));
	memcpy(sorted, envp, sizeof(char *) * n);
	qsort(sorted, n, sizeof(char *), cmp);
	printf("envc=%d\n", n);
	for (int i = 0; i < n; i++)
		printf("env: %s\n", sorted[i]);
	free(sorted);
	const char *g = getenv("RVT_GREETING");
	printf("getenv(RVT_GREETING)=%s\n", g ? g : "(null)");
	CHECK(getenv("RVT_NOT_SET") == NULL);

	/* auxv: the auxiliary vector starts after the environment's NULL. */
	Elf64_auxv_t *av = (Elf64_auxv_t *)(envp + n + 1);
	int seen_pagesz = 0;
	for (; av->a_type != AT_NULL; av++)
		if (av->a_type == AT_PAGESZ)
			seen_pagesz = 1;
	CHECK(seen_pagesz);
	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	CHECK(getauxval(AT_HWCAP) != 0);
	/* 'I' 'M' 'A' 'F' 'D' 'C' single-letter extension bits */
	unsigned long hw = getauxval(AT_HWCAP);
	printf("AT_HWCAP has IMAFDC: %s\n",
	       (hw & 0x112d) == 0x112d ? "yes" : "no");
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	CHECK(rnd != NULL);
	int nz = 0;
	for (int i = 0; i < 16; i++)
		nz |= rnd[i];
	printf("AT_RANDOM 16 bytes readable, not all zero: %s\n", nz ? "yes" : "no");
	printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
	CHECK(getauxval(AT_PHNUM) >= 2);
	CHECK(getauxval(AT_ENTRY) != 0);
	printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
	CHECK(getauxval(AT_UID) == (unsigned long)getuid());
	CHECK(getauxval(AT_EUID) == (unsigned long)geteuid());
	CHECK(getauxval(AT_GID) == (unsigned long)getgid());
	CHECK(getauxval(AT_EGID) == (unsigned long)getegid());
	printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	CHECK(execfn != NULL && strcmp(execfn, argv[0]) == 0);

	/* AT_PHDR must point at this binary's program headers in memory */
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	int loads = 0;
	for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++)
		if (ph[i].p_type == PT_LOAD)
			loads++;
	CHECK(loads >= 1);

	/* The ABI requires a 16-byte aligned stack. */
	CHECK(((uintptr_t)__builtin_frame_address(0) & 15) == 0);
	CHECK(((uintptr_t)argv & 7) == 0);
	return 0;
}
