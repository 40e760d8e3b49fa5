/*
 * rb/signal.h - signal actions and masks.
 *
 * struct rb_sigaction, RB_SIG_DFL/IGN, the RB_SIG_BLOCK "how" values and
 * RB_SIGBIT are the kernel ABI (base/syscall_nr.h). rb_sigaction() fills
 * an action's restorer with the runtime's rb_sigreturn_restorer when the
 * caller leaves it NULL.
 */
#pragma once
#include <stdint.h>
#include "base/syscall_nr.h"

/* Set sig's action from *act (may be NULL), old one into *old (may be NULL); 0 or error. */
int rb_sigaction(int sig, const struct rb_sigaction *act, struct rb_sigaction *old);
/* Change the blocked mask (RB_SIG_*) by *set (may be NULL); old mask into *old; 0 or error. */
int rb_sigprocmask(int how, const uint64_t *set, uint64_t *old);
/* The signal restorer (assembly): issues SYS_SIGRETURN. Never call it directly. */
void rb_sigreturn_restorer(void);
