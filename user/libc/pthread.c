/*
 * pthread.c - POSIX threads on rb_thread and futexes.
 *
 * A pthread_t points at a struct libc_thread (malloc'd by pthread_create,
 * freed by pthread_join; a detached thread's stays, as does its stack: the
 * runtime frees stacks only on join). Its fields are written by the
 * creator before the thread starts and by the thread itself (result)
 * before it exits; the join reads them after the kernel's join, which
 * orders them. The main thread's record is static. Mutexes are
 * struct rb_mutex (same layout); a condition variable is a sequence word
 * that every signal bumps, so a waiter that unlocked the mutex and then
 * sleeps on the old value cannot miss a wake-up.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "rb/thread.h"

struct libc_thread {
	int tid;
	void *(*fn)(void *);
	void *arg;
	void *result;
};

static struct libc_thread main_thread;

_Static_assert(sizeof(pthread_mutex_t) == sizeof(struct rb_mutex), "mutex layout");

static int start(void *p)
{
	struct libc_thread *t = p;
	rb_thread_local()->self = t;
	t->result = t->fn(t->arg);
	return 0;
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct libc_thread *t = calloc(1, sizeof *t);
	if (!t)
		return EAGAIN;
	t->fn = fn;
	t->arg = arg;
	int tid = rb_thread_create(start, t);
	if (tid < 0) {
		free(t);
		return tid == -E_NOMEM ? EAGAIN : -tid;
	}
	t->tid = tid; /* read only by joiners, never by the thread */
	*out = t;
	return 0;
}

int pthread_join(pthread_t t, void **result)
{
	if (t == pthread_self())
		return EDEADLK;
	int r = rb_thread_join(t->tid, NULL);
	if (r < 0)
		return -r;
	if (result)
		*result = t->result;
	free(t);
	return 0;
}

int pthread_detach(pthread_t t)
{
	return 0;
}

pthread_t pthread_self(void)
{
	struct libc_thread *t = rb_thread_local()->self;
	return t ? t : &main_thread;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

void pthread_exit(void *result)
{
	struct libc_thread *t = rb_thread_local()->self;
	if (!t)
		exit(0); /* the main thread: end the process (docs/libc.md) */
	t->result = result;
	rb_thread_exit(0);
}

int pthread_attr_init(pthread_attr_t *attr)
{
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	m->state = 0;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->state ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	rb_mutex_lock((struct rb_mutex *)m);
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	return rb_mutex_trylock((struct rb_mutex *)m) ? 0 : EBUSY;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	rb_mutex_unlock((struct rb_mutex *)m);
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	c->seq = 0;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	return 0;
}

/* Sleep on c's sequence (at most ns, 0: forever) with m released; 0 or ETIMEDOUT. */
static int cond_sleep(pthread_cond_t *c, pthread_mutex_t *m, uint64_t ns)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	pthread_mutex_unlock(m);
	int r = rb_futex_wait(&c->seq, seq, ns);
	pthread_mutex_lock(m);
	return r == -E_TIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	cond_sleep(c, m, 0);
	return 0;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	struct timespec now;
	if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L)
		return EINVAL;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t ns =
	    (int64_t)(abstime->tv_sec - now.tv_sec) * 1000000000 + (abstime->tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return ETIMEDOUT;
	return cond_sleep(c, m, (uint64_t)ns);
}

int pthread_cond_signal(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&c->seq, 1);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&c->seq, INT_MAX);
	return 0;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	uint32_t zero = 0;
	if (__atomic_compare_exchange_n(&once->state, &zero, 1, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_ACQUIRE)) {
		fn();
		__atomic_store_n(&once->state, 2, __ATOMIC_RELEASE);
		rb_futex_wake(&once->state, INT_MAX);
		return 0;
	}
	while (__atomic_load_n(&once->state, __ATOMIC_ACQUIRE) != 2)
		rb_futex_wait(&once->state, 1, 0);
	return 0;
}
