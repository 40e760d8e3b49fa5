/*
 * rb/signal.h - signal actions and masks.
 *
 * struct rb_sigaction is read by the kernel (SYS_SIGACTION) and must keep
 * exactly this layout: handler (0 = default, 1 = ignore, else a function),
 * mask (bit n-1 blocks signal n while the handler runs), flags (none yet),
 * restorer (the return address the kernel gives the handler; it must
 * issue SYS_SIGRETURN). rb_sigaction() fills restorer with the runtime's
 * rb_sigreturn_restorer when the caller leaves it NULL.
 */
#pragma once
#include <stdint.h>
#include "base/syscall_nr.h"

struct rb_sigaction {
	void (*handler)(int);
	uint64_t mask;
	uint64_t flags;
	void (*restorer)(void);
};

#define RB_SIG_DFL ((void (*)(int))0)
#define RB_SIG_IGN ((void (*)(int))1)

/* SYS_SIGPROCMASK "how" values (as Linux). */
#define RB_SIG_BLOCK 0
#define RB_SIG_UNBLOCK 1
#define RB_SIG_SETMASK 2

/* The bit of signal sig in a mask. */
#define RB_SIGBIT(sig) (1ull << ((sig)-1))

/* Set sig's action from *act (may be NULL), old one into *old (may be NULL); 0 or error. */
int rb_sigaction(int sig, const struct rb_sigaction *act, struct rb_sigaction *old);
/* Change the blocked mask (RB_SIG_*) by *set (may be NULL); old mask into *old; 0 or error. */
int rb_sigprocmask(int how, const uint64_t *set, uint64_t *old);
/* The signal restorer (assembly): issues SYS_SIGRETURN. Never call it directly. */
void rb_sigreturn_restorer(void);
