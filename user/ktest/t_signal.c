/*
 * t_signal.c - ktest cases for signals: a handler installed with
 * sigaction runs on kill(self, SIGTERM) and returns through the
 * restorer; SIGINT set to ignore does nothing; a blocked signal waits
 * until sigprocmask unblocks it; bad signal numbers and SIGKILL are
 * refused. Each case puts the default action back.
 */
#include "ktest.h"
#include "rb/signal.h"

#define MS 1000000ull

static volatile int handled_sig;
static volatile int handled_count;

static void on_signal(int sig)
{
	handled_sig = sig;
	handled_count++;
}

/* Wait up to about 200 ms for the handler to have run count times. */
static int wait_handled(int count)
{
	for (int i = 0; i < 40 && handled_count < count; i++)
		rb_nanosleep(5 * MS);
	return handled_count >= count;
}

static void set_default(int sig)
{
	struct rb_sigaction dfl = {RB_SIG_DFL, 0, 0, NULL};
	rb_sigaction(sig, &dfl, NULL);
}

static int handler_runs(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL}, old;
	handled_sig = 0;
	handled_count = 0;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	/* Values live across the signal must survive it. */
	volatile long before = 0x1234567887654321l;
	int k = rb_kill(rb_getpid(), RB_SIGTERM);
	int ran = wait_handled(1);
	int r = rb_sigaction(RB_SIGTERM, NULL, &old);
	set_default(RB_SIGTERM);
	KEXPECT(k, 0);
	KCHECK(ran, "handler did not run within 200 ms");
	KEXPECT(handled_sig, RB_SIGTERM);
	KEXPECT(handled_count, 1);
	KEXPECT(before, 0x1234567887654321l);
	KEXPECT(r, 0);
	KCHECK(old.handler == on_signal, "old action has handler %p", (void *)old.handler);
	return 0;
}

static int sigint_ignored(char *why, size_t n)
{
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	handled_count = 0;
	KEXPECT(rb_sigaction(RB_SIGINT, &ign, NULL), 0);
	int k = rb_kill(rb_getpid(), RB_SIGINT);
	rb_nanosleep(10 * MS);
	set_default(RB_SIGINT);
	KEXPECT(k, 0);
	KEXPECT(handled_count, 0); /* and we are still here */
	return 0;
}

static int blocked_until_unblocked(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL};
	uint64_t set = RB_SIGBIT(RB_SIGTERM), old = 0, now = 0;
	handled_count = 0;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	int b = rb_sigprocmask(RB_SIG_BLOCK, &set, &old);
	int k = rb_kill(rb_getpid(), RB_SIGTERM);
	rb_nanosleep(10 * MS);
	int early = handled_count;
	int q = rb_sigprocmask(RB_SIG_BLOCK, NULL, &now);
	int u = rb_sigprocmask(RB_SIG_UNBLOCK, &set, NULL);
	int ran = wait_handled(1);
	set_default(RB_SIGTERM);
	KEXPECT(b, 0);
	KEXPECT(k, 0);
	KEXPECT(early, 0);
	KEXPECT(q, 0);
	KCHECK(now & set, "mask %llx lacks SIGTERM", (unsigned long long)now);
	KCHECK(!(old & set), "SIGTERM was blocked before");
	KEXPECT(u, 0);
	KCHECK(ran, "handler did not run after unblocking");
	return 0;
}

static int sigaction_errors(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL};
	KEXPECT(rb_sigaction(0, &act, NULL), -E_INVAL);
	KEXPECT(rb_sigaction(999, &act, NULL), -E_INVAL);
	KEXPECT(rb_sigaction(RB_SIGKILL, &act, NULL), -E_INVAL);
	KEXPECT(rb_sigaction(RB_SIGTERM, (const struct rb_sigaction *)1, NULL), -E_FAULT);
	KEXPECT(rb_kill(rb_getpid(), 999), -E_INVAL);
	uint64_t set = RB_SIGBIT(RB_SIGTERM);
	KEXPECT(rb_sigprocmask(99, &set, NULL), -E_INVAL);
	return 0;
}

const struct kcase signal_cases[] = {
    {"signal: SIGTERM to self runs the handler", handler_runs},
    {"signal: ignored SIGINT does nothing", sigint_ignored},
    {"signal: blocked SIGTERM waits for sigprocmask", blocked_until_unblocked},
    {"signal: bad numbers and SIGKILL refused", sigaction_errors},
    {NULL, NULL},
};
