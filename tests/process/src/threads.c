/* threads.c: pthreads on clone/clone3 and futex.  Eight workers with a
 * mutex-protected counter and a condition-variable handshake, a barrier,
 * join return values, pthread_cancel of a thread blocked in a cancellation
 * point (read, cond_wait), pthread_kill to one thread, a robust mutex whose
 * owner dies (EOWNERDEAD), pthread_exit from main's last peer, and a
 * timed condition wait that times out.  Deterministic output. */
#include "t.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#define N 8
#define ITERS 3000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;          /* whose turn it is to append to order[] */
static int order[N];
static int norder;
static pthread_barrier_t bar;
static atomic_int after_barrier;

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&m);
		counter += id + 1;
		pthread_mutex_unlock(&m);
		if (i % 500 == 0)
			sched_yield();
	}
	/* take turns in reverse id order through a condition variable */
	pthread_mutex_lock(&m);
	while (turn != N - 1 - id)
		pthread_cond_wait(&turn_cv, &m);
	order[norder++] = id;
	turn++;
	pthread_cond_broadcast(&turn_cv);
	pthread_mutex_unlock(&m);
	pthread_barrier_wait(&bar);
	atomic_fetch_add(&after_barrier, 1);
	return (void *)(intptr_t)(id * id);
}

static int cancel_pipe[2];
static atomic_int cleanup_ran;

static void cleanup(void *arg)
{
	(void)arg;
	atomic_fetch_add(&cleanup_ran, 1);
}

static void *blocked_reader(void *arg)
{
	(void)arg;
	char c;
	pthread_cleanup_push(cleanup, NULL);
	read(cancel_pipe[0], &c, 1); /* a cancellation point that blocks forever */
	pthread_cleanup_pop(0);
	return NULL;
}

static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static void *blocked_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push((void (*)(void *))pthread_mutex_unlock, &m);
	for (;;)
		pthread_cond_wait(&never, &m);
	pthread_cleanup_pop(1);
	return NULL;
}

static volatile sig_atomic_t usr1_tid;
static void on_usr1(int sig)
{
	(void)sig;
	usr1_tid = syscall(SYS_gettid);
}

static atomic_int target_tid;
static atomic_int stop_spinning;
static void *spinner(void *arg)
{
	(void)arg;
	target_tid = syscall(SYS_gettid);
	while (!stop_spinning)
		sched_yield();
	return NULL;
}

static pthread_mutex_t robust;
static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL; /* exits with the lock held */
}

int main(void)
{
	pthread_t th[N];
	pthread_barrier_init(&bar, NULL, N);
	for (int i = 0; i < N; i++)
		CHECK(pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i) == 0);
	long sum = 0;
	for (int i = 0; i < N; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		sum += (intptr_t)ret;
	}
	printf("counter %ld (expected %ld)\n", counter, (long)ITERS * N * (N + 1) / 2);
	printf("join values sum %ld, after barrier %d\n", sum, after_barrier);
	printf("order:");
	for (int i = 0; i < norder; i++)
		printf(" %d", order[i]);
	printf("\n");

	/* cancellation */
	pipe(cancel_pipe);
	pthread_t r, w;
	pthread_create(&r, NULL, blocked_reader, NULL);
	pthread_create(&w, NULL, blocked_waiter, NULL);
	struct timespec ts = { 0, 50 * 1000000 };
	nanosleep(&ts, NULL);
	CHECK(pthread_cancel(r) == 0);
	CHECK(pthread_cancel(w) == 0);
	void *rv, *wv;
	pthread_join(r, &rv);
	pthread_join(w, &wv);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK(wv == PTHREAD_CANCELED);
	printf("cleanup handlers ran: %d\n", cleanup_ran);
	CHECK(pthread_mutex_trylock(&m) == 0);
	pthread_mutex_unlock(&m);

	/* pthread_kill reaches the named thread */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t sp;
	pthread_create(&sp, NULL, spinner, NULL);
	while (target_tid == 0)
		sched_yield();
	CHECK(pthread_kill(sp, SIGUSR1) == 0);
	while (usr1_tid == 0)
		sched_yield();
	CHECK(usr1_tid == target_tid);
	stop_spinning = 1;
	pthread_join(sp, NULL);

	/* a robust mutex whose owner died */
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_t d;
	pthread_create(&d, NULL, die_holding, NULL);
	pthread_join(d, NULL);
	int e = pthread_mutex_lock(&robust);
	printf("robust lock after owner died: %s\n", ename(e));
	CHECK(pthread_mutex_consistent(&robust) == 0);
	CHECK(pthread_mutex_unlock(&robust) == 0);
	CHECK(pthread_mutex_lock(&robust) == 0);
	pthread_mutex_unlock(&robust);

	/* a PI mutex: lock, contended lock from another thread, unlock */
	pthread_mutexattr_t pa;
	pthread_mutex_t pim;
	pthread_mutexattr_init(&pa);
	pthread_mutexattr_setprotocol(&pa, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&pim, &pa);
	CHECK(pthread_mutex_lock(&pim) == 0);
	CHECK(pthread_mutex_trylock(&pim) == EBUSY);
	CHECK(pthread_mutex_unlock(&pim) == 0);

	/* a timed wait that times out */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 30 * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	e = pthread_cond_timedwait(&never, &m, &until);
	pthread_mutex_unlock(&m);
	printf("timedwait: %s\n", ename(e));

	fflush(stdout);
	/* the process ends when its last thread does, with that thread's status */
	pthread_exit(NULL);
}
