/*
 * signal.c - rb_sigaction and rb_sigprocmask (rb/signal.h).
 *
 * The kernel calls a handler with the return address set to the action's
 * restorer, so every action we pass down carries one: the caller's, or
 * rb_sigreturn_restorer (sigreturn.S) by default. No state, no locks.
 */
#include <stddef.h>
#include "rb/signal.h"
#include "rb/syscall.h"
#include "base/compiler.h"

STATIC_ASSERT(SYS_SIGRETURN == 42, "sigreturn.S hard-codes SYS_SIGRETURN");
STATIC_ASSERT(sizeof(struct rb_sigaction) == 32, "kernel ABI");

int rb_sigaction(int sig, const struct rb_sigaction *act, struct rb_sigaction *old)
{
	struct rb_sigaction a;
	const struct rb_sigaction *p = act;
	/* Copy only a plausible pointer: a bad one must reach the kernel (-E_FAULT). */
	if (act && (uintptr_t)act >= 4096) {
		a = *act;
		if (!a.restorer)
			a.restorer = rb_sigreturn_restorer;
		p = &a;
	}
	return (int)rb_syscall3(SYS_SIGACTION, sig, (long)p, (long)old);
}

int rb_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return (int)rb_syscall3(SYS_SIGPROCMASK, how, (long)set, (long)old);
}
