/*
 * pthread.h - threads, mutexes, condition variables, once (user/libc/
 * pthread.c) on rb_thread and futexes. Attributes are accepted and
 * ignored (stacks are 64 KiB); mutexes are normal (not recursive, no
 * owner checks); no cancellation, no thread-specific data keys beyond
 * pthread_self.
 */
#pragma once
#include <stdint.h>
#include <time.h>

typedef struct libc_thread *pthread_t;
typedef struct {
	int unused;
} pthread_attr_t;
typedef struct {
	uint32_t state; /* 0 free, 1 held, 2 held with waiters */
} pthread_mutex_t;
typedef struct {
	int unused;
} pthread_mutexattr_t;
typedef struct {
	uint32_t seq; /* bumped by every signal/broadcast; waiters sleep on it */
} pthread_cond_t;
typedef struct {
	int unused;
} pthread_condattr_t;
typedef struct {
	uint32_t state; /* 0 not run, 1 running, 2 done */
} pthread_once_t;

#define PTHREAD_MUTEX_INITIALIZER                                                                  \
	{                                                                                          \
		0                                                                                  \
	}
#define PTHREAD_COND_INITIALIZER                                                                   \
	{                                                                                          \
		0                                                                                  \
	}
#define PTHREAD_ONCE_INIT                                                                          \
	{                                                                                          \
		0                                                                                  \
	}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int pthread_join(pthread_t t, void **result);
int pthread_detach(pthread_t t);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
__attribute__((noreturn)) void pthread_exit(void *result);
int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_once(pthread_once_t *once, void (*fn)(void));
#include <sched.h>
