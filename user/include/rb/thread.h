/*
 * rb/thread.h - threads, futexes, a futex mutex and a spinlock.
 *
 * rb_thread_create() runs fn(arg) on a new thread of the calling process
 * with its own 64 KiB stack (rb_mmap); when fn returns, its return value
 * is the thread's exit code, which rb_thread_join() hands back (the join
 * also frees the stack). The futex calls are the raw system calls; the
 * PI futex word is managed entirely by the kernel (user space only passes
 * its address). struct rb_mutex is a three-state futex mutex: 0 free,
 * 1 held, 2 held with waiters; it is not recursive and has no owner check.
 * struct rb_spinlock spins (yielding now and then) and is for very short
 * sections such as the allocator's.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define RB_THREAD_STACK_SIZE (64 * 1024)

/* Start fn(arg) on a new thread; its tid or an error. */
int rb_thread_create(int (*fn)(void *), void *arg);
/* Wait for thread tid to end; store its exit code in *code (may be NULL); 0 or error. */
int rb_thread_join(int tid, int *code);
/* End the calling thread with code (never returns). */
__attribute__((noreturn)) void rb_thread_exit(int code);

/* Per-thread words for user/libc (there is no TLS): errno and pthread_self. */
struct rb_thread_local {
	int err;
	void *self;
};
/* The calling thread's words (in its start record; the main thread's are static). */
struct rb_thread_local *rb_thread_local(void);

/* The CPU the caller ran on during the call (it may move right after). */
int rb_sched_getcpu(void);

/* Sleep while *addr == val, at most timeout_ns (0: forever); 0, -E_AGAIN, -E_TIMEDOUT. */
int rb_futex_wait(uint32_t *addr, uint32_t val, uint64_t timeout_ns);
/* Wake up to n threads waiting on addr; the number woken or an error. */
int rb_futex_wake(uint32_t *addr, int n);
/* As rb_futex_wake, from a caller that blocks next: the first thread woken may be moved to the
   caller's CPU, where it runs once the caller blocks, with no IPI (RB_FUTEX_WAKE_SYNC). */
int rb_futex_wake_sync(uint32_t *addr, int n);
/* Take the priority-inheritance lock at addr (timeout 0: forever); 0 or error. */
int rb_futex_lock_pi(uint32_t *addr, uint64_t timeout_ns);
/* Release the priority-inheritance lock at addr; 0 or an error. */
int rb_futex_unlock_pi(uint32_t *addr);

struct rb_mutex {
	uint32_t state;
};
#define RB_MUTEX_INIT                                                                              \
	{                                                                                          \
		0                                                                                  \
	}

/* Take m, sleeping on its futex while another thread holds it. */
void rb_mutex_lock(struct rb_mutex *m);
/* Take m if it is free; 1 if taken, 0 if not. */
int rb_mutex_trylock(struct rb_mutex *m);
/* Release m (held by the caller) and wake one waiter if there are any. */
void rb_mutex_unlock(struct rb_mutex *m);

struct rb_spinlock {
	int locked;
};
#define RB_SPINLOCK_INIT                                                                           \
	{                                                                                          \
		0                                                                                  \
	}

/* Take l, spinning (and yielding the CPU after a while). */
void rb_spin_lock(struct rb_spinlock *l);
/* Release l. */
void rb_spin_unlock(struct rb_spinlock *l);
