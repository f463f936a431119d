/* signals.c: signal delivery inside one process.
 *  - sigaction with SA_SIGINFO for SIGUSR1 via raise() and kill(), si_code
 *  - SIGSEGV from a write to a read-only page and a read of an unmapped
 *    page, left with siglongjmp; si_addr checked relative to the page
 *  - integer division by zero does NOT raise SIGFPE on RISC-V
 *  - SIGILL from an illegal instruction, si_addr = faulting pc
 *  - sigaltstack + SA_ONSTACK
 *  - sigprocmask/sigpending: blocked standard signals are merged,
 *    real-time signals are queued with their values (sigqueue)
 *  - the handler's mask, SA_NODEFER, SA_RESETHAND, SIG_IGN, signal return
 *    restoring registers, a timer signal (setitimer) ending sigsuspend().
 * Handlers only record facts; printing happens afterwards. */
#include "guest.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, last_code, mask_had_self;
static volatile int last_pid_ok;
static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	usr1_count++;
	last_code = si->si_code;
	last_pid_ok = si->si_signo == sig && si->si_pid == getpid();
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_had_self = sigismember(&cur, SIGUSR1);
}

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code, fault_sig;
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_code = si->si_code;
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(jb, 1);
}

static volatile int fpe_count;
static void on_fpe(int sig) { (void)sig; fpe_count++; }

extern char illegal_insn[];
static __attribute__((noinline)) void do_illegal(void)
{
	__asm__ volatile(".globl illegal_insn\nillegal_insn: .2byte 0\n.2byte 0" ::: "memory");
}

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, alt_flag_seen;
static void on_usr2(int sig)
{
	(void)sig;
	char local;
	on_alt = &local >= alt_base && &local < alt_base + alt_size;
	stack_t cur;
	sigaltstack(NULL, &cur);
	alt_flag_seen = (cur.ss_flags & SS_ONSTACK) != 0;
}

static volatile int rt_values[8], rt_n;
static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (rt_n < 8)
		rt_values[rt_n++] = si->si_value.sival_int;
}

static volatile int nodefer_depth, nodefer_max;
static void on_nodefer(int sig)
{
	nodefer_depth++;
	if (nodefer_depth > nodefer_max)
		nodefer_max = nodefer_depth;
	if (nodefer_depth < 3)
		raise(sig); /* delivered immediately, nested */
	nodefer_depth--;
}

static volatile int alarm_count;
static void on_alarm(int sig) { (void)sig; alarm_count++; }

/* Clobbers callee-saved and temporary registers inside a handler; the
 * interrupted code must see its own values again after sigreturn. */
static void on_clobber(int sig)
{
	(void)sig;
	__asm__ volatile("li s1, 0x1111\n li s2, 0x2222\n li t0, 0x3333\n li a5, 0x4444\n"
			 "fcvt.d.w fs0, zero\n fcvt.d.w ft0, zero"
			 ::: "s1", "s2", "t0", "a5", "fs0", "ft0");
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);

	/* --- SIGUSR1 via raise and kill --- */
	install(SIGUSR1, on_usr1, 0);
	raise(SIGUSR1);
	printf("raise: count=%d si_code=%s pid ok=%d own signal blocked in handler=%d\n",
	       usr1_count, last_code == SI_TKILL ? "SI_TKILL" : last_code == SI_USER ? "SI_USER" : "other",
	       last_pid_ok, mask_had_self);
	kill(getpid(), SIGUSR1);
	printf("kill: count=%d si_code=%s pid ok=%d\n", usr1_count,
	       last_code == SI_USER ? "SI_USER" : last_code == SI_TKILL ? "SI_TKILL" : "other", last_pid_ok);
	CHECK(kill(getpid(), 0) == 0);

	/* --- SIGSEGV: write to a read-only page --- */
	install(SIGSEGV, on_fault, 0);
	char *ro = mmap(NULL, page * 2, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int reached = 0;
	if (sigsetjmp(jb, 1) == 0) {
		((volatile char *)ro)[page + 123] = 1;
		reached = 1;
	}
	printf("SIGSEGV write: reached=%d sig=%d code=%s offset=%ld\n", reached, fault_sig,
	       fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other",
	       (long)(fault_addr - (uintptr_t)ro));
	/* the handler's mask was restored by siglongjmp: SIGSEGV is usable again */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&cur, SIGSEGV));
	/* reading is allowed, and the page is zero */
	printf("read of read-only page: %d\n", ro[page + 123]);
	munmap(ro, page * 2);
	fault_sig = 0;
	reached = 0;
	if (sigsetjmp(jb, 1) == 0) {
		reached = ((volatile char *)ro)[10];
		reached = 2;
	}
	printf("SIGSEGV read unmapped: reached=%d sig=%d code=%s offset=%ld\n", reached, fault_sig,
	       fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other",
	       (long)(fault_addr - (uintptr_t)ro));

	/* --- no SIGFPE from integer division --- */
	signal(SIGFPE, on_fpe);
	volatile int z = 0, num = 17;
	volatile int q = num / z, rr = num % z;
	printf("17/0=%d 17%%0=%d SIGFPE count=%d\n", q, rr, fpe_count);

	/* --- SIGILL --- */
	install(SIGILL, on_fault, 0);
	fault_sig = 0;
	reached = 0;
	if (sigsetjmp(jb, 1) == 0) {
		do_illegal();
		reached = 3;
	}
	printf("SIGILL: reached=%d sig=%d code=%s at the instruction=%d\n", reached, fault_sig,
	       fault_code == ILL_ILLOPC ? "ILL_ILLOPC" : "other", fault_addr == (uintptr_t)illegal_insn);

	/* --- sigaltstack --- */
	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0};
	CHECK(sigaltstack(&ss, NULL) == 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr2;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("SA_ONSTACK handler ran on the alternate stack: %d, SS_ONSTACK: %d\n", on_alt, alt_flag_seen);
	stack_t old;
	sigaltstack(NULL, &old);
	printf("outside the handler SS_ONSTACK=%d SS_DISABLE=%d\n", !!(old.ss_flags & SS_ONSTACK),
	       !!(old.ss_flags & SS_DISABLE));
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("without SA_ONSTACK: on alternate stack %d\n", on_alt);

	/* --- blocking, pending, merging --- */
	sigset_t set, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int before = usr1_count;
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pend);
	printf("blocked SIGUSR1 pending=%d delivered while blocked=%d\n", sigismember(&pend, SIGUSR1),
	       usr1_count - before);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("after unblock: delivered %d time(s)\n", usr1_count - before);

	int rt = SIGRTMIN + 2;
	install(rt, on_rt, 0);
	sigemptyset(&set);
	sigaddset(&set, rt);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 1; i <= 3; i++)
		sigqueue(getpid(), rt, (union sigval){.sival_int = i * 10});
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("real-time signal queued %d times, values %d %d %d\n", rt_n, rt_values[0], rt_values[1],
	       rt_values[2]);

	/* sigwait-style consumption: sigtimedwait takes a pending signal */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigqueue(getpid(), rt, (union sigval){.sival_int = 77});
	siginfo_t si;
	struct timespec zero_ts = {0, 0};
	int got = sigtimedwait(&set, &si, &zero_ts);
	printf("sigtimedwait: got rt=%d value=%d code=%s\n", got == rt, si.si_value.sival_int,
	       si.si_code == SI_QUEUE ? "SI_QUEUE" : "other");
	errno = 0;
	got = sigtimedwait(&set, &si, &zero_ts);
	printf("sigtimedwait with nothing pending: %d %s\n", got, errname(errno));
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* --- SA_NODEFER, SA_RESETHAND, SIG_IGN --- */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_nodefer;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("SA_NODEFER nesting depth %d\n", nodefer_max);
	install(SIGUSR1, on_usr1, SA_RESETHAND);
	raise(SIGUSR1);
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	printf("SA_RESETHAND: disposition is SIG_DFL afterwards: %d\n", now.sa_handler == SIG_DFL);
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	printf("ignored SIGUSR1 survived\n");
	printf("signal() returns the previous handler: %d\n", signal(SIGUSR1, SIG_DFL) == SIG_IGN);

	/* --- registers survive a handler that clobbers them --- */
	signal(SIGUSR2, on_clobber);
	register long s1 __asm__("s1") = 0x5151;
	register long s2 __asm__("s2") = 0x5252;
	register double fs0 __asm__("fs0") = 2.5;
	__asm__ volatile("" : "+r"(s1), "+r"(s2), "+f"(fs0));
	raise(SIGUSR2);
	__asm__ volatile("" : "+r"(s1), "+r"(s2), "+f"(fs0));
	printf("after handler: s1=%#lx s2=%#lx fs0=%g\n", s1, s2, fs0);

	/* --- a timer signal interrupting sigsuspend() ---
	 * SIGALRM stays blocked until sigsuspend atomically unblocks it, so a
	 * slow emulator cannot lose the signal before the wait begins. */
	signal(SIGALRM, on_alarm);
	sigset_t alrm, waitmask;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &waitmask);
	sigdelset(&waitmask, SIGALRM);
	struct itimerval it = {{0, 0}, {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	int pr = sigsuspend(&waitmask);
	printf("sigsuspend returned %d %s, alarms %d\n", pr, errname(errno), alarm_count);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("mask restored after sigsuspend: SIGALRM blocked %d\n", sigismember(&cur, SIGALRM));
	return 0;
}
