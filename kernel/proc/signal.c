/*
 * signal.c - POSIX-style signals for user processes.
 *
 * A signal is a bit in the process's pending set. Masks cross the user
 * boundary in the usual layout, signal n as bit n - 1 (RB_SIGBIT); inside
 * the kernel signal n is bit n, converted at the edges. Before a thread returns
 * to user mode from a system call, signal_check() takes the lowest pending,
 * unblocked signal: SIGKILL, and any signal left at its default action
 * (SIGCHLD excepted), ends the process with status 128 + signal; an
 * ignored one is dropped; a handler gets a frame on the user stack, below
 * the interrupted rsp and its 128-byte red zone:
 *
 *     [rsp]      restorer address (the handler's return address)
 *     [rsp+8]    struct sigframe: the interrupted registers and signal mask
 *
 * The restorer calls sigreturn, which reloads the registers from the frame.
 * Only rip, rsp, rflags' user bits and the general registers are taken
 * from it: segments and privileged flags are always the kernel's choice.
 *
 * Locking: a process's pending set changes only with __atomic operations
 * (kill, SIGCHLD, taking a signal); a signal is taken, and handlers are
 * changed, under the process's lock. The empty pending set, the usual
 * case on every return to user mode, is seen without the lock.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "proc/proc.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"
#include "mm/uaccess.h"

#define SIG_DFL 0
#define SIG_IGN 1
#define RFLAGS_USER 0xCD5 /* CF PF AF ZF SF DF OF: what user code may set */

struct rb_sigaction_k {
	uint64_t handler, mask, flags, restorer;
};

struct sigframe {
	struct trap_frame regs;
	uint64_t blocked;
};

long sys_sigaction(uint64_t sig, uint64_t uact, uint64_t uold, uint64_t d, uint64_t e, uint64_t f)
{
	if (sig == 0 || sig >= 32 || sig == RB_SIGKILL)
		return -E_INVAL;
	struct proc *p = proc_current();
	struct rb_sigaction_k act,
	    old = {p->sig_handlers[sig], p->sig_masks[sig] >> 1, 0, p->sig_restorers[sig]};
	if (uact && copy_from_user(&act, uact, sizeof act) < 0)
		return -E_FAULT;
	if (uact && act.handler > SIG_IGN &&
	    (!user_range_ok(act.handler, 1) || !user_range_ok(act.restorer, 1)))
		return -E_FAULT;
	if (uold && copy_to_user(uold, &old, sizeof old) < 0)
		return -E_FAULT;
	if (uact) {
		uint64_t fl = spin_lock_irqsave(&p->lock);
		p->sig_handlers[sig] = act.handler;
		p->sig_masks[sig] = act.mask << 1;
		p->sig_restorers[sig] = act.restorer;
		spin_unlock_irqrestore(&p->lock, fl);
	}
	return 0;
}

long sys_sigprocmask(uint64_t how, uint64_t uset, uint64_t uold, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	uint64_t set = 0, old = p->sig_blocked >> 1;
	if (uset && copy_from_user(&set, uset, sizeof set) < 0)
		return -E_FAULT;
	set <<= 1;
	if (uold && copy_to_user(uold, &old, sizeof old) < 0)
		return -E_FAULT;
	if (!uset)
		return 0;
	set &= ~(1ull << RB_SIGKILL);
	if (how == 0)
		p->sig_blocked |= set; /* SIG_BLOCK */
	else if (how == 1)
		p->sig_blocked &= ~set; /* SIG_UNBLOCK */
	else if (how == 2)
		p->sig_blocked = set; /* SIG_SETMASK */
	else
		return -E_INVAL;
	return 0;
}

/* Take the lowest deliverable signal, or 0. Nothing pending (the usual
   case, on every system call) is seen without the lock: a signal sent
   while we look is taken at the next check, as if it came just after. */
static int take_signal(struct proc *p)
{
	if (!__atomic_load_n(&p->sig_pending, __ATOMIC_RELAXED))
		return 0;
	uint64_t fl = spin_lock_irqsave(&p->lock);
	uint64_t ready = p->sig_pending & (~p->sig_blocked | (1ull << RB_SIGKILL));
	int sig = ready ? __builtin_ctzll(ready) : 0;
	if (sig)
		__atomic_fetch_and(&p->sig_pending, ~(1ull << sig), __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->lock, fl);
	return sig;
}

static void deliver(struct trap_frame *tf, struct proc *p, int sig)
{
	struct sigframe frame = {.regs = *tf, .blocked = p->sig_blocked};
	uint64_t sp = ((tf->rsp - 128 - sizeof frame) & ~15ull) - 8;
	uint64_t ret = p->sig_restorers[sig];
	if (copy_to_user(sp + 8, &frame, sizeof frame) < 0 || copy_to_user(sp, &ret, 8) < 0)
		proc_fault("bad stack for a signal frame", tf->rip, sp);
	p->sig_blocked |= p->sig_masks[sig] | (1ull << sig);
	tf->rsp = sp;
	tf->rip = p->sig_handlers[sig];
	tf->rdi = (uint64_t)sig;
}

/* SYS_SIGRETURN: the restorer's ret popped the return address, so the
   frame starts at the user rsp. */
static void sigreturn(struct trap_frame *tf, struct proc *p)
{
	struct sigframe frame;
	if (copy_from_user(&frame, tf->rsp, sizeof frame) < 0)
		proc_fault("bad signal frame", tf->rip, tf->rsp);
	if (!user_range_ok(frame.regs.rip, 1) || !user_range_ok(frame.regs.rsp - 8, 8))
		proc_fault("signal frame with a kernel address", tf->rip, frame.regs.rip);
	uint64_t cs = tf->cs, ss = tf->ss;
	uint64_t rflags = (tf->rflags & ~(uint64_t)RFLAGS_USER) | (frame.regs.rflags & RFLAGS_USER);
	*tf = frame.regs;
	tf->cs = cs;
	tf->ss = ss;
	tf->rflags = rflags | (1u << 9);
	p->sig_blocked = frame.blocked & ~(1ull << RB_SIGKILL);
}

void signal_check(struct trap_frame *tf)
{
	struct proc *p = proc_current();
	if (!p)
		return;
	if (p->dying)
		proc_thread_exit(p->status, false);
	int sig;
	while ((sig = take_signal(p)) != 0) {
		uint64_t h = p->sig_handlers[sig];
		if (sig == RB_SIGKILL || h == SIG_DFL) {
			if (sig == RB_SIGCHLD)
				continue;
			uint64_t fl = spin_lock_irqsave(&p->lock);
			if (!p->dying)
				p->status = 128 + sig;
			p->dying = true;
			spin_unlock_irqrestore(&p->lock, fl);
			proc_thread_exit(128 + sig, true);
		}
		if (h == SIG_IGN)
			continue;
		deliver(tf, p, sig);
		break;
	}
}

void signal_sigreturn(struct trap_frame *tf)
{
	sigreturn(tf, proc_current());
}
