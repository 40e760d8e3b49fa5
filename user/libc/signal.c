/*
 * signal.c - sigaction, signal, sigprocmask, kill, raise and sigset_t
 * operations on the kernel's calls (rb/signal.h). No state of its own;
 * the kernel holds the actions and masks.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include "libc.h"
#include "rb/signal.h"
#include "rb/sys.h"

static int sig_ok(int sig)
{
	return sig > 0 && sig < NSIG;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~0ul >> (64 - (NSIG - 1));
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set |= RB_SIGBIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set &= ~RB_SIGBIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	return (*set & RB_SIGBIT(sig)) != 0;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct rb_sigaction k, kold;
	if (act)
		k = (struct rb_sigaction){act->sa_handler, act->sa_mask, 0, NULL};
	if (libc_ret(rb_sigaction(sig, act ? &k : NULL, old ? &kold : NULL)) < 0)
		return -1;
	if (old)
		*old = (struct sigaction){kold.handler, kold.mask, 0, kold.restorer};
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = {handler, 0, 0, NULL}, old;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	uint64_t s = set ? *set : 0, o = 0;
	if (libc_ret(rb_sigprocmask(how, set ? &s : NULL, &o)) < 0)
		return -1;
	if (old)
		*old = o;
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) < 0 ? errno : 0;
}

int kill(pid_t pid, int sig)
{
	int r = rb_kill(pid, sig);
	if (r == -E_NOENT)
		r = -ESRCH; /* the kernel says ENOENT for no such process */
	return (int)libc_ret(r);
}

int raise(int sig)
{
	return kill(getpid(), sig);
}
