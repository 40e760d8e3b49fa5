/*
 * kmutex.h - sleeping kernel mutexes with priority inheritance.
 *
 * A thread that finds the mutex held sleeps, and donates its priority to
 * the owner and transitively along the chain of owners (lib/sched/pi.c,
 * 8 deep); release hands the mutex to the most urgent waiter and undoes
 * the donation. Taking a mutex that would close a cycle of owners is a
 * kernel bug and panics (user space gets EDEADLK from PI futexes instead).
 * Shares futex_pi.c's graph lock, so a chain may run through both.
 */
#pragma once
#include "sched/pi.h"

struct kmutex {
	struct pi_lock l;
};

/* An unlocked mutex. */
void kmutex_init(struct kmutex *m);
/* Take m, sleeping (and donating priority) while another thread holds it. */
void kmutex_lock(struct kmutex *m);
/* Release m; the most urgent waiter owns it next. */
void kmutex_unlock(struct kmutex *m);
