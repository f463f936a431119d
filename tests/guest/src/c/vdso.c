/* vdso.c: the vDSO as glibc and programs see it.  Finds the image through
 * AT_SYSINFO_EHDR, checks its ELF header and that it lies where
 * /proc/self/maps says [vdso], lists its dynamic symbols with their
 * versions (as offsets from the image), calls each function through the
 * address the symbol gives and compares it with the system call, and
 * returns from a signal handler through __vdso_rt_sigreturn (ra on entry).
 * Prints nothing that varies from run to run. */
#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static uintptr_t base;
static const Elf64_Sym *symtab;
static const char *strtab;
static const Elf64_Half *versym;
static const Elf64_Verdef *verdef;
static unsigned nsyms;

static const char *version_of(unsigned i) {
	if (!versym || !verdef) return "-";
	unsigned want = versym[i] & 0x7fff;
	for (const Elf64_Verdef *d = verdef;; d = (const void *)((const char *)d + d->vd_next)) {
		if (d->vd_ndx == want) {
			const Elf64_Verdaux *a = (const void *)((const char *)d + d->vd_aux);
			return strtab + a->vda_name;
		}
		if (!d->vd_next) return "?";
	}
}

static void *lookup(const char *name) {
	for (unsigned i = 0; i < nsyms; i++)
		if (symtab[i].st_shndx != SHN_UNDEF && strcmp(strtab + symtab[i].st_name, name) == 0)
			return (void *)symtab[i].st_value;
	return NULL;
}

static uintptr_t handler_ra;
static void handler(int sig) {
	(void)sig;
	handler_ra = (uintptr_t)__builtin_return_address(0);
}

int main(void) {
	base = getauxval(AT_SYSINFO_EHDR);
	printf("AT_SYSINFO_EHDR present: %d, page aligned: %d\n", base != 0, (base & 4095) == 0);
	if (!base) return 1;
	const Elf64_Ehdr *eh = (const void *)base;
	printf("ELF: %d, class %d, type %d, machine %d\n", memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0,
	       eh->e_ident[EI_CLASS], eh->e_type, eh->e_machine);

	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	int listed = 0;
	while (maps && fgets(line, sizeof line, maps)) {
		unsigned long lo, hi;
		char perms[5];
		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3)
			listed = lo == base ? printf("maps: [vdso] at the image, %s, %lu page(s)\n", perms, (hi - lo) / 4096) : -1;
	}
	if (maps) fclose(maps);
	if (listed <= 0) printf("maps: [vdso] %s\n", listed < 0 ? "elsewhere" : "missing");

	const Elf64_Phdr *ph = (const void *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD) printf("PT_LOAD at image +0x%lx\n", (unsigned long)(ph[i].p_vaddr - base));
		if (ph[i].p_type == PT_DYNAMIC) dyn = (const void *)ph[i].p_vaddr;
	}
	const Elf32_Word *hash = NULL;
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_SYMTAB: symtab = (const void *)dyn->d_un.d_ptr; break;
		case DT_STRTAB: strtab = (const void *)dyn->d_un.d_ptr; break;
		case DT_HASH: hash = (const void *)dyn->d_un.d_ptr; break;
		case DT_VERSYM: versym = (const void *)dyn->d_un.d_ptr; break;
		case DT_VERDEF: verdef = (const void *)dyn->d_un.d_ptr; break;
		case DT_SONAME: printf("DT_SONAME\n"); break;
		}
	}
	if (!symtab || !strtab || !hash) return 2;
	nsyms = hash[1];
	for (unsigned i = 0; i < nsyms; i++) {
		const Elf64_Sym *s = &symtab[i];
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC) continue;
		printf("%-22s %-10s +0x%lx size %lu\n", strtab + s->st_name, version_of(i),
		       (unsigned long)(s->st_value - base), (unsigned long)s->st_size);
	}

	int (*vgettime)(clockid_t, struct timespec *) = lookup("__vdso_clock_gettime");
	int (*vgetres)(clockid_t, struct timespec *) = lookup("__vdso_clock_getres");
	int (*vgtod)(struct timeval *, void *) = lookup("__vdso_gettimeofday");
	int (*vgetcpu)(unsigned *, unsigned *, void *) = lookup("__vdso_getcpu");
	long (*vflush)(void *, void *, unsigned long) = lookup("__vdso_flush_icache");
	struct timespec a, b, r1, r2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = vgettime(CLOCK_MONOTONIC, &b);
	printf("__vdso_clock_gettime: %d, monotonic %d\n", rc, b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	printf("__vdso_clock_gettime(bad clock): %d\n", vgettime(12345, &b));
	rc = vgetres(CLOCK_REALTIME, &r1);
	syscall(SYS_clock_getres, CLOCK_REALTIME, &r2);
	printf("__vdso_clock_getres: %d, same as the system call %d\n", rc, r1.tv_sec == r2.tv_sec && r1.tv_nsec == r2.tv_nsec);
	struct timeval tv;
	rc = vgtod(&tv, NULL);
	printf("__vdso_gettimeofday: %d, after 2020 %d\n", rc, tv.tv_sec > 1577836800);
	unsigned cpu = 99, node = 99;
	rc = vgetcpu(&cpu, &node, NULL);
	printf("__vdso_getcpu: %d, cpu %s, node %u\n", rc, cpu < 1024 ? "valid" : "invalid", node);
	printf("__vdso_flush_icache: %ld\n", vflush(NULL, NULL, 0));

	signal(SIGUSR1, handler);
	raise(SIGUSR1);
	uintptr_t sigret = (uintptr_t)lookup("__vdso_rt_sigreturn");
	printf("handler returns to __vdso_rt_sigreturn: %d\n", handler_ra == sigret);
	return 0;
}
