/*
 * futex_pi.c - priority-inheriting futexes (SYS_FUTEX_LOCK_PI/UNLOCK_PI).
 *
 * The kernel owns the state of a PI futex: user space passes the word's
 * address as a name and never touches it (the runtime's wrappers are plain
 * system calls), so no user-space fast path can race the owner tracking.
 * Each contended or held address has a struct kpi holding a lib/sched/pi
 * lock; every thread embeds its struct pi_thread. Blocking donates the
 * waiter's priority transitively along the chain of owners (8 deep, as
 * lib/sched/pi.c documents) and a cycle is refused with -E_DEADLK;
 * release, timeout and unblocking undo the donation. A wait ends like
 * futex_wait's: -E_TIMEDOUT, or -E_INTR on a signal that interrupts
 * (signal_interrupts: a handled signal, SIGKILL, a dying process). After each change the
 * affected threads' run-queue priorities are brought in line with their
 * effective PI priorities.
 *
 * A thread that exits holding PI futexes (futex_pi_thread_exit, from
 * proc_thread_exit) releases each of them: the most urgent waiter is handed
 * the lock, or the lock becomes free; either way the lock is marked
 * owner-died and the next thread to own it gets -E_OWNERDEAD instead of 0
 * (it owns the lock; the data it guards may be inconsistent), once. A
 * record kept only for that mark is freed when the process's last thread
 * is gone (futex_pi_proc_exit).
 *
 * Locking: one global pi_lock for the graph (it spans processes) and the
 * list of struct kpi; the run queue locks nest inside it. A struct kpi is
 * freed only under pi_lock once it has no owner, no waiters and no mark.
 * Every thread in the graph is alive: an exiting thread leaves it first.
 * A process lock is never taken under pi_lock (a wait checks for signals
 * after dropping it).
 */
#include <stddef.h>
#include "base/err.h"
#include "sync/kmutex.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"
#include "core/time.h"
#include "mm/uaccess.h"
#include "sched/pi.h"

struct kpi {
	struct kpi *next;
	struct proc *p;
	uint64_t addr;
	bool owner_died; /* released by an exiting owner; reported to the next */
	struct pi_lock l;
};

static struct spinlock pi_lock = SPINLOCK_INIT;
static struct kpi *kpis;

static struct thread *thread_of(struct pi_thread *pt)
{
	return (struct thread *)((char *)pt - offsetof(struct thread, pi));
}

static struct kpi *find(struct proc *p, uint64_t addr, bool create)
{
	for (struct kpi *k = kpis; k; k = k->next)
		if (k->p == p && k->addr == addr)
			return k;
	if (!create)
		return NULL;
	struct kpi *k = kzalloc(sizeof *k);
	if (!k)
		return NULL;
	k->p = p;
	k->addr = addr;
	pi_lock_init(&k->l);
	k->next = kpis;
	kpis = k;
	return k;
}

static void drop_if_unused(struct kpi *k)
{
	if (k->l.owner || k->l.waiters || k->owner_died)
		return;
	for (struct kpi **pp = &kpis; *pp; pp = &(*pp)->next)
		if (*pp == k) {
			*pp = k->next;
			kfree(k);
			return;
		}
}

/* Bring the run-queue priority of t and the owners it waits behind in line. */
static void apply_chain(struct pi_thread *pt)
{
	for (int depth = 0; pt && depth <= MAX_PI_CHAIN_DEPTH + 1; depth++) {
		struct thread *t = thread_of(pt);
		if (t->se.prio != pt->prio)
			(void)thread_set_prio(t, pt->prio);
		pt = pi_chain_next(pt);
	}
}

/* The caller now owns k: 0, or -E_OWNERDEAD once after an owner died. */
static int took_over(struct kpi *k)
{
	if (!k->owner_died)
		return 0;
	k->owner_died = false;
	return -E_OWNERDEAD;
}

/* Release k, owned by t: hand it to the first waiter and wake it. */
static int release(struct kpi *k, struct thread *t)
{
	struct pi_thread *next = NULL;
	int err = pi_release(&k->l, &next);
	apply_chain(&t->pi); /* our donation from this lock is gone */
	if (next) {
		apply_chain(next);
		thread_wake(thread_of(next));
	}
	drop_if_unused(k);
	return err;
}

static int check_addr(uint64_t addr)
{
	if (!user_range_ok(addr, 4))
		return -E_FAULT;
	return addr & 3 ? -E_INVAL : 0;
}

long sys_futex_lock_pi(uint64_t addr, uint64_t timeout_ns, uint64_t c, uint64_t d, uint64_t e,
		       uint64_t f)
{
	int err = check_addr(addr);
	if (err < 0)
		return err;
	struct proc *p = proc_current();
	struct thread *t = thread_current();
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	struct kpi *k = find(p, addr, true);
	if (!k) {
		spin_unlock_irqrestore(&pi_lock, fl);
		return -E_NOMEM;
	}
	err = pi_acquire(&t->pi, &k->l);
	if (err != -E_BUSY) {
		if (err == 0)
			err = took_over(k);
		spin_unlock_irqrestore(&pi_lock, fl);
		return err; /* 0: taken; -E_DEADLK: we own it already */
	}
	err = pi_block(&t->pi, &k->l);
	if (err < 0) {
		drop_if_unused(k);
		spin_unlock_irqrestore(&pi_lock, fl);
		return err; /* -E_DEADLK: a cycle of owners */
	}
	apply_chain(pi_chain_next(&t->pi));
	uint64_t deadline = timeout_ns ? time_ns() + timeout_ns : 0;
	for (;;) {
		thread_prepare_block_until(deadline);
		spin_unlock_irqrestore(&pi_lock, fl);
		/* Outside pi_lock: signal_interrupts takes p->lock. */
		bool intr = proc_block_or_intr(p) || signal_interrupts(p);
		fl = spin_lock_irqsave(&pi_lock);
		if (k->l.owner == &t->pi) {
			err = took_over(k); /* handed over by the releaser */
			break;
		}
		bool timed_out = deadline && time_ns() >= deadline;
		if (timed_out || intr) {
			struct pi_thread *owner = pi_chain_next(&t->pi);
			if (pi_unblock(&t->pi) == 0)
				apply_chain(owner);
			err = timed_out ? -E_TIMEDOUT : -E_INTR;
			break;
		}
	}
	spin_unlock_irqrestore(&pi_lock, fl);
	return err;
}

long sys_futex_unlock_pi(uint64_t addr, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	int err = check_addr(addr);
	if (err < 0)
		return err;
	struct thread *t = thread_current();
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	struct kpi *k = find(proc_current(), addr, false);
	if (!k || k->l.owner != &t->pi) {
		spin_unlock_irqrestore(&pi_lock, fl);
		return -E_PERM;
	}
	err = release(k, t);
	spin_unlock_irqrestore(&pi_lock, fl);
	return err;
}

void futex_pi_thread_exit(struct thread *t)
{
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	if (t->pi.blocked_on) { /* cannot happen: lock_pi unblocks before it returns */
		struct pi_thread *owner = pi_chain_next(&t->pi);
		if (pi_unblock(&t->pi) == 0)
			apply_chain(owner);
	}
	struct kpi *k = kpis;
	while (k) {
		struct kpi *next = k->next; /* release may free k */
		if (k->l.owner == &t->pi) {
			k->owner_died = true;
			(void)release(k, t);
		}
		k = next;
	}
	KASSERT(!t->pi.held, "thread %u exits holding a kernel mutex", t->tid);
	spin_unlock_irqrestore(&pi_lock, fl);
}

void futex_pi_proc_exit(struct proc *p)
{
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	for (struct kpi **pp = &kpis; *pp;) {
		struct kpi *k = *pp;
		if (k->p != p) {
			pp = &k->next;
			continue;
		}
		KASSERT(!k->l.owner && !k->l.waiters, "PI futex of dead pid %d still in use",
			p->pid);
		*pp = k->next;
		kfree(k);
	}
	spin_unlock_irqrestore(&pi_lock, fl);
}

int thread_set_base_policy(struct thread *t, enum sched_policy policy, int prio)
{
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	pi_set_base(&t->pi, prio); /* a PI boost above the new base stays */
	int err = thread_set_policy(t, policy, t->pi.prio);
	apply_chain(pi_chain_next(&t->pi));
	spin_unlock_irqrestore(&pi_lock, fl);
	return err;
}

void kmutex_init(struct kmutex *m)
{
	pi_lock_init(&m->l);
}

void kmutex_lock(struct kmutex *m)
{
	struct thread *t = thread_current();
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	int err = pi_acquire(&t->pi, &m->l);
	if (err == -E_BUSY) {
		err = pi_block(&t->pi, &m->l);
		KASSERT(err == 0, "kmutex %p: %s (a cycle of kernel lock owners)", (void *)m,
			err_name(err));
		apply_chain(pi_chain_next(&t->pi));
		while (m->l.owner != &t->pi) {
			thread_prepare_block();
			spin_unlock_irqrestore(&pi_lock, fl);
			thread_block();
			fl = spin_lock_irqsave(&pi_lock);
		}
		err = 0;
	}
	KASSERT(err == 0, "kmutex %p taken twice by one thread", (void *)m);
	spin_unlock_irqrestore(&pi_lock, fl);
}

void kmutex_unlock(struct kmutex *m)
{
	struct thread *t = thread_current();
	uint64_t fl = spin_lock_irqsave(&pi_lock);
	KASSERT(m->l.owner == &t->pi, "kmutex %p released by a thread that does not hold it",
		(void *)m);
	struct pi_thread *next = NULL;
	KASSERT(pi_release(&m->l, &next) == 0, "kmutex %p: bad release", (void *)m);
	apply_chain(&t->pi);
	if (next) {
		apply_chain(next);
		thread_wake(thread_of(next));
	}
	spin_unlock_irqrestore(&pi_lock, fl);
}
