/*
 * exit.c - exit, atexit, _exit, abort.
 *
 * The atexit table (ATEXIT_MAX entries) is guarded by a mutex; exit runs
 * the handlers in reverse order of registration, flushes stdio and ends
 * the process. A thread calling exit ends every thread (SYS_EXIT).
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "libc.h"
#include "rb/signal.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define ATEXIT_MAX 32

static void (*atexit_fn[ATEXIT_MAX])(void);
static int atexit_n;
static struct rb_mutex atexit_lock = RB_MUTEX_INIT;

int atexit(void (*fn)(void))
{
	int r = -1;
	rb_mutex_lock(&atexit_lock);
	if (atexit_n < ATEXIT_MAX) {
		atexit_fn[atexit_n++] = fn;
		r = 0;
	}
	rb_mutex_unlock(&atexit_lock);
	return r;
}

/* Pop and run handlers one at a time: a handler may itself call atexit. */
static void run_atexit(void)
{
	for (;;) {
		void (*fn)(void) = NULL;
		rb_mutex_lock(&atexit_lock);
		if (atexit_n > 0)
			fn = atexit_fn[--atexit_n];
		rb_mutex_unlock(&atexit_lock);
		if (!fn)
			return;
		fn();
	}
}

void exit(int code)
{
	run_atexit();
	if (libc_stdio_exit)
		libc_stdio_exit();
	rb_exit(code);
}

void _exit(int code)
{
	rb_exit(code);
}

void _Exit(int code)
{
	rb_exit(code);
}

void abort(void)
{
	struct rb_sigaction dfl = {0};
	rb_sigaction(SIGABRT, &dfl, NULL);
	uint64_t set = RB_SIGBIT(SIGABRT);
	rb_sigprocmask(RB_SIG_UNBLOCK, &set, NULL);
	rb_kill(rb_getpid(), SIGABRT);
	rb_exit(128 + SIGABRT);
}
