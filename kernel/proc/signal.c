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
 * Pending signals belong to the process, the blocked mask to each thread
 * (POSIX): a new thread starts with its creator's mask, a handler runs
 * with the mask of its thread plus the action's mask, and sigreturn puts
 * the thread's old mask back. A process-directed signal is taken by the
 * first of its threads that returns to user mode with the signal
 * unblocked (every thread is woken from blocking waits by kill; a thread
 * that blocks the signal leaves it pending for the others).
 *
 * Locking: a process's pending set changes only with __atomic operations
 * (kill, SIGCHLD, taking a signal); a signal is taken, and handlers and
 * a thread's mask (t->sig_blocked, changed only by t itself) are changed,
 * under the process's lock. The empty pending set, the usual case on every
 * return to user mode, is seen without the lock.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "proc/proc.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"
#include "mm/uaccess.h"

#define SIG_DFL ((uint64_t)(uintptr_t)RB_SIG_DFL) /* as stored in sig_handlers[] */
#define SIG_IGN ((uint64_t)(uintptr_t)RB_SIG_IGN)
#define RFLAGS_USER 0xCD5 /* CF PF AF ZF SF DF OF: what user code may set */

struct sigframe {
	struct trap_frame regs;
	uint64_t blocked;
};

long sys_sigaction(uint64_t sig, uint64_t uact, uint64_t uold, uint64_t d, uint64_t e, uint64_t f)
{
	if (sig == 0 || sig >= 32 || sig == RB_SIGKILL)
		return -E_INVAL;
	struct proc *p = proc_current();
	struct rb_sigaction act = {0}, old = {0}; /* act is read below even when uact is 0 */
	if (uact && copy_from_user(&act, uact, sizeof act) < 0)
		return -E_FAULT;
	uint64_t handler = (uintptr_t)act.handler, restorer = (uintptr_t)act.restorer;
	if (uact && handler > SIG_IGN &&
	    (!user_range_ok(handler, 1) || !user_range_ok(restorer, 1)))
		return -E_FAULT;
	if (uold && !user_range_ok(uold, sizeof old))
		return -E_FAULT;
	/* Read the old action and set the new one in one step, so two threads
	   racing sigaction each see a whole action, never halves of two. */
	uint64_t fl = spin_lock_irqsave(&p->lock);
	old.handler = (void (*)(int))(uintptr_t)p->sig_handlers[sig];
	old.mask = p->sig_masks[sig] >> 1;
	old.restorer = (void (*)(void))(uintptr_t)p->sig_restorers[sig];
	if (uact) {
		p->sig_handlers[sig] = handler;
		p->sig_masks[sig] = act.mask << 1;
		p->sig_restorers[sig] = restorer;
	}
	spin_unlock_irqrestore(&p->lock, fl);
	if (uold && copy_to_user(uold, &old, sizeof old) < 0)
		return -E_FAULT; /* unmapped since the check: the new action stands */
	return 0;
}

long sys_sigprocmask(uint64_t how, uint64_t uset, uint64_t uold, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	struct thread *t = thread_current();
	uint64_t set = 0, old = t->sig_blocked >> 1;
	if (uset && copy_from_user(&set, uset, sizeof set) < 0)
		return -E_FAULT;
	set <<= 1;
	if (uold && copy_to_user(uold, &old, sizeof old) < 0)
		return -E_FAULT;
	if (!uset)
		return 0;
	if (how > RB_SIG_SETMASK)
		return -E_INVAL;
	set &= ~(1ull << RB_SIGKILL);
	uint64_t fl = spin_lock_irqsave(&p->lock);
	if (how == RB_SIG_BLOCK)
		t->sig_blocked |= set;
	else if (how == RB_SIG_UNBLOCK)
		t->sig_blocked &= ~set;
	else
		t->sig_blocked = set; /* RB_SIG_SETMASK */
	spin_unlock_irqrestore(&p->lock, fl);
	return 0;
}

/* Take the lowest deliverable signal, or 0. Nothing pending (the usual
   case, on every system call) is seen without the lock: a signal sent
   while we look is taken at the next check, as if it came just after. */
static int take_signal(struct proc *p, struct thread *t)
{
	if (!__atomic_load_n(&p->sig_pending, __ATOMIC_RELAXED))
		return 0;
	uint64_t fl = spin_lock_irqsave(&p->lock);
	uint64_t ready = p->sig_pending & (~t->sig_blocked | (1ull << RB_SIGKILL));
	int sig = ready ? __builtin_ctzll(ready) : 0;
	if (sig)
		__atomic_fetch_and(&p->sig_pending, ~(1ull << sig), __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->lock, fl);
	return sig;
}

static void deliver(struct trap_frame *tf, struct proc *p, struct thread *t, int sig)
{
	struct sigframe frame = {.regs = *tf, .blocked = t->sig_blocked};
	uint64_t sp = ((tf->rsp - 128 - sizeof frame) & ~15ull) - 8;
	uint64_t ret = p->sig_restorers[sig];
	if (copy_to_user(sp + 8, &frame, sizeof frame) < 0 || copy_to_user(sp, &ret, 8) < 0)
		proc_fault("bad stack for a signal frame", tf->rip, sp);
	uint64_t fl = spin_lock_irqsave(&p->lock);
	t->sig_blocked |= p->sig_masks[sig] | (1ull << sig);
	spin_unlock_irqrestore(&p->lock, fl);
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
	uint64_t fl = spin_lock_irqsave(&p->lock);
	thread_current()->sig_blocked = frame.blocked & ~(1ull << RB_SIGKILL);
	spin_unlock_irqrestore(&p->lock, fl);
}

/* Would taking sig do something (end the process or run a handler)? */
static bool signal_acts(struct proc *p, int sig)
{
	uint64_t h = p->sig_handlers[sig];
	if (sig == RB_SIGKILL)
		return true;
	if (h == SIG_IGN)
		return false;
	return h != SIG_DFL || sig != RB_SIGCHLD;
}

bool signal_interrupts(struct proc *p)
{
	if (__atomic_load_n(&p->dying, __ATOMIC_ACQUIRE))
		return true;
	if (!__atomic_load_n(&p->sig_pending, __ATOMIC_ACQUIRE))
		return false;
	bool yes = false;
	uint64_t fl = spin_lock_irqsave(&p->lock);
	uint64_t blocked = thread_current()->sig_blocked;
	uint64_t ready = p->sig_pending & (~blocked | (1ull << RB_SIGKILL));
	for (int sig = 1; sig < 32 && !yes; sig++)
		if (ready & (1ull << sig))
			yes = signal_acts(p, sig);
	spin_unlock_irqrestore(&p->lock, fl);
	return yes;
}

bool signal_pending_here(struct proc *p)
{
	if (__atomic_load_n(&p->dying, __ATOMIC_ACQUIRE))
		return true;
	uint64_t pending = __atomic_load_n(&p->sig_pending, __ATOMIC_ACQUIRE);
	if (!pending)
		return false; /* the common case */
	/* sig_blocked is changed only by the calling thread itself. */
	return pending & (~thread_current()->sig_blocked | (1ull << RB_SIGKILL));
}

void signal_check(struct trap_frame *tf)
{
	struct proc *p = proc_current();
	if (!p)
		return;
	if (p->dying)
		proc_thread_exit(p->status, false);
	struct thread *t = thread_current();
	int sig;
	while ((sig = take_signal(p, t)) != 0) {
		uint64_t h = p->sig_handlers[sig];
		if (sig == RB_SIGKILL || h == SIG_DFL) {
			if (sig == RB_SIGCHLD)
				continue;
			proc_thread_exit(128 + sig, true); /* sets dying and status */
		}
		if (h == SIG_IGN)
			continue;
		deliver(tf, p, t, sig);
		break;
	}
}

void signal_sigreturn(struct trap_frame *tf)
{
	sigreturn(tf, proc_current());
}
