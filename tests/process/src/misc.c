/* misc.c: identity, scheduling and process-control calls whose results
 * do not depend on the host: priorities, affinity (CPU 0 present),
 * sched_* queries, prctl names and PDEATHSIG, personality, getres[ug]id,
 * setuid to the current id, times/getrusage success, membarrier query
 * (the base commands), rseq and riscv_hwprobe (ENOSYS as in QEMU 7.2). */
#include "t.h"
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>

int main(void)
{
	errno = 0;
	printf("getpriority: %d %s\n", getpriority(PRIO_PROCESS, 0), ename(errno));
	CHECK(setpriority(PRIO_PROCESS, 0, 5) == 0);
	printf("after setpriority 5: %d\n", getpriority(PRIO_PROCESS, 0));
	pid_t c = fork();
	if (c == 0)
		_exit(getpriority(PRIO_PROCESS, 0));
	int st;
	waitpid(c, &st, 0);
	printf("child inherits nice: %s\n", wstr(st));

	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof set, &set) == 0);
	CHECK(CPU_ISSET(0, &set));
	CHECK(CPU_COUNT(&set) >= 1);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK(sched_setaffinity(0, sizeof set, &set) == 0);
	CHECK(sched_yield() == 0);
	printf("scheduler %d\n", sched_getscheduler(0));
	struct sched_param sp = { 1 };
	CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == 0);
	printf("priority range FIFO %d..%d, OTHER %d..%d\n", sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_FIFO),
	       sched_get_priority_min(SCHED_OTHER), sched_get_priority_max(SCHED_OTHER));

	char name[32] = { 0 };
	CHECK(prctl(PR_SET_NAME, "a-very-long-thread-name", 0, 0, 0) == 0);
	CHECK(prctl(PR_GET_NAME, name, 0, 0, 0) == 0);
	printf("name: '%s'\n", name);
	CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0) == 0);
	int sig = 0;
	CHECK(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) == 0 && sig == SIGUSR1);
	errno = 0;
	printf("prctl unknown: %d %s\n", prctl(9999, 0, 0, 0, 0), ename(errno));

	printf("personality: %#x\n", personality(0xffffffff));
	uid_t r, e, s;
	CHECK(getresuid(&r, &e, &s) == 0 && r == getuid() && e == geteuid() && s == getuid());
	gid_t gr, ge, gs;
	CHECK(getresgid(&gr, &ge, &gs) == 0 && gr == getgid() && ge == getegid());
	CHECK(setuid(getuid()) == 0);
	CHECK(setgid(getgid()) == 0);
	CHECK(setresuid(-1, -1, -1) == 0);
	CHECK(getgroups(0, NULL) >= 0);

	struct tms tm;
	CHECK(times(&tm) != (clock_t)-1);
	struct rusage ru;
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0);
	errno = 0;
	printf("getrusage bad who: %d %s\n", getrusage(42, &ru), ename(errno));

	long mb = syscall(SYS_membarrier, 0, 0, 0);
	printf("membarrier query: base commands %ld\n", mb & 0x1f);
	errno = 0;
	printf("rseq: %ld %s\n", syscall(SYS_rseq, NULL, 0, 0, 0), ename(errno));
	errno = 0;
	printf("riscv_hwprobe: %ld %s\n", syscall(258, NULL, 0, 0, NULL, 0), ename(errno));
	CHECK(getpgid(0) == getpgrp() && getsid(0) > 0);
	errno = 0;
	printf("setsid as group leader of the test? %s\n", getpgrp() == getpid() ? (setsid() == -1 ? ename(errno) : "ok") : "not a leader");
	fflush(stdout);
	return 0;
}
