/* futex.c: the futex system call directly.  EAGAIN on a changed value,
 * relative and absolute timeouts, FUTEX_WAKE counts, bitsets, REQUEUE and
 * CMP_REQUEUE, WAKE_OP, private and shared words, a shared word in a
 * MAP_SHARED page between two processes, and FIFO wake order. */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

static long fx(void *uaddr, int op, uint32_t val, const void *ts, void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static _Atomic uint32_t word, word2;
static atomic_int woke[8];
static atomic_int nwoke;
static int wake_order[8];

struct arg {
	int id;
	_Atomic uint32_t *w;
	uint32_t bitset;
};

static void *waiter(void *p)
{
	struct arg *a = p;
	long r;
	do
		r = fx((void *)a->w, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, a->bitset);
	while (r == -1 && errno == EAGAIN && atomic_load(a->w) == 0);
	int n = atomic_fetch_add(&nwoke, 1);
	wake_order[n] = a->id;
	atomic_store(&woke[a->id], 1);
	return NULL;
}

/* start waiters one at a time, each given time to block: FIFO order */
static void start(pthread_t *t, struct arg *a, int n)
{
	for (int i = 0; i < n; i++) {
		pthread_create(&t[i], NULL, waiter, &a[i]);
		msleep(20);
	}
}

int main(void)
{
	struct timespec rel = { 0, 20 * 1000000 };
	errno = 0;
	printf("wait on changed value: %ld %s\n", fx((void *)&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0), ename(errno));
	errno = 0;
	printf("relative timeout: %ld %s\n", fx((void *)&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0), ename(errno));
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 20 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	errno = 0;
	printf("absolute timeout: %ld %s\n", fx((void *)&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, ~0u), ename(errno));
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 20 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	errno = 0;
	printf("absolute realtime timeout: %ld %s\n", fx((void *)&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, ~0u), ename(errno));
	errno = 0;
	printf("zero bitset: %ld %s\n", fx((void *)&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), ename(errno));
	errno = 0;
	printf("misaligned: %ld %s\n", fx((char *)&word + 1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), ename(errno));
	printf("wake nobody: %ld\n", fx((void *)&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));

	/* FIFO: four waiters, woken one by one */
	pthread_t t[8];
	struct arg a[8];
	for (int i = 0; i < 8; i++)
		a[i] = (struct arg){ i, &word, ~0u };
	start(t, a, 4);
	for (int i = 0; i < 4; i++) {
		long n = fx((void *)&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		while (atomic_load(&nwoke) < i + 1)
			sched_yield();
		printf("wake 1 -> %ld\n", n);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("wake order: %d %d %d %d\n", wake_order[0], wake_order[1], wake_order[2], wake_order[3]);

	/* bitsets: waiters with bits 1, 2, 1|2; wake bit 2 */
	nwoke = 0;
	memset(woke, 0, sizeof woke);
	a[0].bitset = 1;
	a[1].bitset = 2;
	a[2].bitset = 3;
	start(t, a, 3);
	long n = fx((void *)&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2);
	while (atomic_load(&nwoke) < 2)
		sched_yield();
	printf("wake bitset 2 -> %ld: woke %d %d %d\n", n, woke[0], woke[1], woke[2]);
	n = fx((void *)&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_join(t[2], NULL);
	printf("then wake all -> %ld\n", n);

	/* requeue: 4 waiters on word; wake 1, move 2 to word2; then wake word2 */
	nwoke = 0;
	for (int i = 0; i < 4; i++)
		a[i].bitset = ~0u;
	start(t, a, 4);
	errno = 0;
	printf("cmp_requeue with a wrong value: %ld %s\n", fx((void *)&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2, (void *)&word2, 5), ename(errno));
	n = fx((void *)&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2, (void *)&word2, 0);
	printf("cmp_requeue -> %ld\n", n);
	while (atomic_load(&nwoke) < 1)
		sched_yield();
	printf("wake word2 -> %ld\n", fx((void *)&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	while (atomic_load(&nwoke) < 3)
		sched_yield();
	printf("requeue (no compare) -> %ld\n", fx((void *)&word, FUTEX_REQUEUE_PRIVATE, 0, (void *)5, (void *)&word2, 0));
	printf("wake word2 again -> %ld\n", fx((void *)&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("first woken before the requeue: %d\n", wake_order[0]);

	/* wake_op: word2 += 1 (was 0); wake 1 on word; if old == 0 wake 1 on word2 */
	nwoke = 0;
	a[0].w = &word;
	a[1].w = &word2;
	start(t, a, 2);
	n = fx((void *)&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, (void *)&word2, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0));
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	printf("wake_op -> %ld, word2 now %u\n", n, (unsigned)word2);

	/* a shared word in a MAP_SHARED page between processes */
	_Atomic uint32_t *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*sh = 0;
	pid_t c = fork();
	if (c == 0) {
		long r;
		do
			r = fx((void *)sh, FUTEX_WAIT, 0, NULL, NULL, 0);
		while (atomic_load(sh) == 0);
		_exit(r == 0 ? 0 : 1);
	}
	msleep(50);
	atomic_store(sh, 1);
	n = fx((void *)sh, FUTEX_WAKE, 1, NULL, NULL, 0);
	int st;
	waitpid(c, &st, 0);
	printf("shared futex between processes: woke %ld, child %s\n", n, wstr(st));
	fflush(stdout);
	return 0;
}
