/*
 * rb/signal.h - signal actions and masks.
 *
 * struct rb_sigaction, RB_SIG_DFL/IGN, the RB_SIG_BLOCK "how" values and
 * RB_SIGBIT are the kernel ABI (base/syscall_nr.h). rb_sigaction() fills
 * an action's restorer with the runtime's rb_sigreturn_restorer when the
 * caller leaves it NULL.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/syscall_nr.h"

/* Set sig's action from *act (may be NULL), old one into *old (may be NULL); 0 or error. */
int rb_sigaction(int sig, const struct rb_sigaction *act, struct rb_sigaction *old);
/* Change the blocked mask (RB_SIG_*) by *set (may be NULL); old mask into *old; 0 or error. */
int rb_sigprocmask(int how, const uint64_t *set, uint64_t *old);
/* The signal restorer (assembly): issues SYS_SIGRETURN. Never call it directly. */
void rb_sigreturn_restorer(void);
/*
 * A daemon whose signal handlers only write to a self-pipe (driver-manager)
 * holds SIGCHLD and SIGTERM around a synchronous scheme call whose repeat
 * is not harmless: the call then cannot end in EINTR halfway (a request in
 * flight is abandoned, not undone: docs/ipc.md), and the held signals
 * arrive at rb_sig_release. Only where a stuck server may stall the caller
 * until SIGKILL: init cannot be killed, so it repeats such calls on a fresh
 * handle instead (user/init/report.c). A process spawned in between would
 * inherit the mask: release first.
 */
static inline uint64_t rb_sig_hold(void)
{
	uint64_t set = RB_SIGBIT(RB_SIGCHLD) | RB_SIGBIT(RB_SIGTERM), old = 0;
	(void)rb_sigprocmask(RB_SIG_BLOCK, &set, &old);
	return old;
}

static inline void rb_sig_release(uint64_t old)
{
	(void)rb_sigprocmask(RB_SIG_SETMASK, &old, NULL);
}
