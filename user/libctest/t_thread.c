/* t_thread.c - pthreads under contention, per-thread errno, stdio from threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libctest.h"

#define NTHREADS 4

static void *errno_thread(void *arg)
{
	errno = 0;
	close(-1); /* EBADF in this thread's errno only */
	int mine = errno;
	*(int *)arg = mine;
	return pthread_self();
}

static int t_errno(char *why, size_t n)
{
	errno = EINVAL;
	pthread_t t[NTHREADS];
	int seen[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_create(&t[i], NULL, errno_thread, &seen[i]), 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *self = NULL;
		EXPECT(pthread_join(t[i], &self), 0);
		EXPECT(seen[i], EBADF);
		CHECK(self == t[i], "pthread_self in the thread is its pthread_t");
	}
	EXPECT(errno, EINVAL); /* the main thread's errno untouched */
	CHECK(pthread_equal(pthread_self(), pthread_self()), "self equals self");
	EXPECT(pthread_join(pthread_self(), NULL), EDEADLK);
	return 0;
}

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_thread(void *arg)
{
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

static int t_mutex(char *why, size_t n)
{
	pthread_t t[NTHREADS];
	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_create(&t[i], NULL, count_thread, NULL), 0);
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_join(t[i], NULL), 0);
	EXPECT(counter, NTHREADS * 20000L);
	EXPECT(pthread_mutex_trylock(&count_lock), 0);
	EXPECT(pthread_mutex_trylock(&count_lock), EBUSY);
	EXPECT(pthread_mutex_destroy(&count_lock), EBUSY);
	EXPECT(pthread_mutex_unlock(&count_lock), 0);
	return 0;
}

/* A bounded queue: producers wait for room, consumers for items. */
#define QLEN 8
#define ITEMS 2000
static struct {
	pthread_mutex_t lock;
	pthread_cond_t room, items;
	int buf[QLEN], head, len, done_producers;
	long sum;
} q; /* zero: unlocked mutex, fresh condition variables */

static void *producer(void *arg)
{
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.len == QLEN)
			pthread_cond_wait(&q.room, &q.lock);
		q.buf[(q.head + q.len++) % QLEN] = i;
		pthread_cond_signal(&q.items);
		pthread_mutex_unlock(&q.lock);
	}
	pthread_mutex_lock(&q.lock);
	q.done_producers++;
	pthread_cond_broadcast(&q.items);
	pthread_mutex_unlock(&q.lock);
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;
	pthread_mutex_lock(&q.lock);
	for (;;) {
		while (q.len == 0 && q.done_producers < 2)
			pthread_cond_wait(&q.items, &q.lock);
		if (q.len == 0)
			break;
		sum += q.buf[q.head];
		q.head = (q.head + 1) % QLEN;
		q.len--;
		pthread_cond_signal(&q.room);
	}
	q.sum += sum;
	pthread_mutex_unlock(&q.lock);
	return NULL;
}

static int t_cond(char *why, size_t n)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		EXPECT(pthread_create(&t[i], NULL, i < 2 ? producer : consumer, NULL), 0);
	for (int i = 0; i < 4; i++)
		EXPECT(pthread_join(t[i], NULL), 0);
	EXPECT(q.sum, 2L * ITEMS * (ITEMS + 1) / 2);
	EXPECT(q.len, 0);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q.lock);
	int r = pthread_cond_timedwait(&q.room, &q.lock, &ts);
	pthread_mutex_unlock(&q.lock);
	EXPECT(r, ETIMEDOUT);
	return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void once_fn(void)
{
	__atomic_add_fetch(&once_runs, 1, __ATOMIC_RELAXED);
}

static void *once_thread(void *arg)
{
	pthread_once(&once, once_fn);
	return NULL;
}

static int t_once(char *why, size_t n)
{
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_create(&t[i], NULL, once_thread, NULL), 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_once(&once, once_fn);
	EXPECT(once_runs, 1);
	return 0;
}

static FILE *shared;

static void *print_thread(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 200; i++)
		fprintf(shared, "T%ld-%04d-%s\n", id, i, "padding-padding-padding");
	return NULL;
}

static int t_stdio_threads(char *why, size_t n)
{
	mkdir("/tmp", 0755);
	shared = fopen("/tmp/lct-threads", "w+");
	CHECK(shared, "fopen");
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		EXPECT(pthread_create(&t[i], NULL, print_thread, (void *)i), 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	rewind(shared);
	char line[64];
	int lines = 0, next[NTHREADS] = {0};
	while (fgets(line, sizeof line, shared)) {
		long id = line[1] - '0';
		CHECK(line[0] == 'T' && id >= 0 && id < NTHREADS, "torn line %d: %.30s", lines,
		      line);
		CHECK(atoi(line + 3) == next[id], "thread %ld line %d out of order", id, next[id]);
		CHECK(strlen(line) == 32, "torn line %d: %.40s", lines, line);
		next[id]++;
		lines++;
	}
	EXPECT(lines, NTHREADS * 200);
	fclose(shared);
	unlink("/tmp/lct-threads");
	return 0;
}

const struct lcase thread_cases[] = {
    {"pthread: errno is per thread; pthread_self; join EDEADLK", t_errno},
    {"pthread: 4 threads x 20000 mutex increments; trylock EBUSY", t_mutex},
    {"pthread: bounded queue with cond wait/signal/broadcast; timedwait", t_cond},
    {"pthread: pthread_once runs once under 4 threads", t_once},
    {"stdio: 4 threads fprintf to one FILE, no line torn", t_stdio_threads},
    {NULL, NULL},
};
