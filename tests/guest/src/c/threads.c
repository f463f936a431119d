/* threads.c: POSIX threads.  Creation/join with return values, a mutex
 * protected counter and C11 atomics hammered by several threads, a
 * condition-variable producer/consumer queue, a barrier, pthread_once,
 * thread-local storage (__thread, initialised and zero-initialised),
 * thread-specific data with destructors, and a detached thread.  All
 * output is printed by the main thread after joins, in a fixed order, so
 * scheduling cannot change it. */
#include "guest.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define NTHREADS 4
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_counter;
static atomic_long atomic_counter;
static atomic_int cas_counter;
static __thread int tls_value = 100;
static __thread long tls_zero;

struct result {
	int id;
	int tls_seen_at_start;
	long tls_zero_at_start;
	int tls_after;
};

static void *worker(void *arg)
{
	struct result *r = arg;
	r->tls_seen_at_start = tls_value; /* fresh copy of the initial value */
	r->tls_zero_at_start = tls_zero;
	tls_value = 1000 + r->id;
	tls_zero = r->id;
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		locked_counter++;
		pthread_mutex_unlock(&lock);
		atomic_fetch_add_explicit(&atomic_counter, 2, memory_order_relaxed);
		int old = atomic_load(&cas_counter);
		while (!atomic_compare_exchange_weak(&cas_counter, &old, old + 1))
			;
	}
	r->tls_after = tls_value + (int)tls_zero;
	return (void *)(intptr_t)(r->id * 11);
}

/* bounded queue */
#define QCAP 8
static int queue[QCAP], qhead, qtail, qcount;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
	int base = *(int *)arg;
	for (int i = 1; i <= 500; i++) {
		pthread_mutex_lock(&qlock);
		while (qcount == QCAP)
			pthread_cond_wait(&not_full, &qlock);
		queue[qtail] = base + i;
		qtail = (qtail + 1) % QCAP;
		qcount++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&qlock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long *sum = arg;
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&qlock);
		while (qcount == 0)
			pthread_cond_wait(&not_empty, &qlock);
		*sum += queue[qhead];
		qhead = (qhead + 1) % QCAP;
		qcount--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&qlock);
	}
	return NULL;
}

static pthread_barrier_t barrier;
static atomic_int before_barrier, serial_count;
static int seen_all[NTHREADS];
static void *barrier_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	atomic_fetch_add(&before_barrier, 1);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		atomic_fetch_add(&serial_count, 1);
	seen_all[id] = atomic_load(&before_barrier) == NTHREADS;
	return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void init_once(void) { once_runs++; }
static void *once_worker(void *arg)
{
	(void)arg;
	pthread_once(&once, init_once);
	return NULL;
}

static pthread_key_t key;
static atomic_int destructor_runs;
static void destructor(void *p)
{
	atomic_fetch_add(&destructor_runs, (int)(intptr_t)p);
}
static void *key_worker(void *arg)
{
	pthread_setspecific(key, arg);
	return pthread_getspecific(key);
}

static atomic_int detached_done;
static void *detached(void *arg)
{
	(void)arg;
	atomic_store(&detached_done, 1);
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	struct result res[NTHREADS];
	tls_value = 5;
	for (int i = 0; i < NTHREADS; i++) {
		res[i].id = i;
		CHECK(pthread_create(&t[i], NULL, worker, &res[i]) == 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		printf("thread %d: returned %ld, tls at start %d/%ld, tls after %d\n", i,
		       (long)(intptr_t)ret, res[i].tls_seen_at_start, res[i].tls_zero_at_start,
		       res[i].tls_after);
	}
	printf("main tls unchanged: %d %ld\n", tls_value, tls_zero);
	printf("mutex counter %ld, atomic counter %ld, cas counter %d (expected %d)\n",
	       locked_counter, atomic_load(&atomic_counter), atomic_load(&cas_counter),
	       NTHREADS * ITERS);

	pthread_t p1, p2, c;
	long sum = 0;
	int b1 = 0, b2 = 100000;
	pthread_create(&c, NULL, consumer, &sum);
	pthread_create(&p1, NULL, producer, &b1);
	pthread_create(&p2, NULL, producer, &b2);
	pthread_join(p1, NULL);
	pthread_join(p2, NULL);
	pthread_join(c, NULL);
	printf("producer/consumer sum %ld (expected %ld)\n", sum, 2L * 125250 + 500L * 100000);

	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, barrier_worker, (void *)(intptr_t)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	printf("barrier: serial threads %d, all saw %d arrivals: %d%d%d%d\n",
	       atomic_load(&serial_count), NTHREADS, seen_all[0], seen_all[1], seen_all[2], seen_all[3]);

	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, once_worker, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	printf("pthread_once ran %d time(s)\n", once_runs);

	pthread_key_create(&key, destructor);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, key_worker, (void *)(intptr_t)(1 << i));
	long keysum = 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		keysum += (long)(intptr_t)ret;
	}
	printf("thread-specific values %ld, destructor sum %d\n", keysum, atomic_load(&destructor_runs));

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 1 << 16);
	pthread_t d;
	CHECK(pthread_create(&d, &attr, detached, NULL) == 0);
	pthread_attr_destroy(&attr);
	while (!atomic_load(&detached_done))
		sched_yield();
	printf("detached thread ran\n");
	CHECK(pthread_equal(pthread_self(), pthread_self()));
	CHECK(!pthread_equal(pthread_self(), d));

	/* a recursive mutex and trylock */
	pthread_mutexattr_t ma;
	pthread_mutex_t rm;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rm, &ma);
	CHECK(pthread_mutex_lock(&rm) == 0 && pthread_mutex_lock(&rm) == 0);
	pthread_mutex_unlock(&rm);
	pthread_mutex_unlock(&rm);
	pthread_mutex_lock(&lock);
	CHECK(pthread_mutex_trylock(&lock) != 0);
	pthread_mutex_unlock(&lock);
	CHECK(pthread_mutex_trylock(&lock) == 0);
	pthread_mutex_unlock(&lock);
	return 0;
}
