/*
 * futex.c - plain futexes: futex_wait and futex_wake (PI futexes are in
 * futex_pi.c).
 *
 * Waiters sit in one of FUTEX_BUCKETS lists hashed by (process, address),
 * each under its own spinlock; a waiter's record lives on its own kernel
 * stack while it waits. futex_wait reads the word under the bucket lock,
 * so a wake that follows a store to the word can never slip in between the
 * check and the sleep. A timed wait also sits on its CPU's sleep list;
 * whichever comes first (wake or timer) wins, and the waiter takes itself
 * off the bucket when it resumes: 0 if a wake took it, -E_TIMEDOUT once
 * its deadline has passed, else -E_INTR (a signal or kill woke it, or
 * was pending as it went to sleep: proc_block_or_intr).
 * futex_wake takes a reference on each thread it takes off a bucket before
 * it drops the bucket lock, since a waiter that resumes by itself may exit
 * at once. With RB_FUTEX_WAKE_SYNC (the caller blocks next) the wake-ups
 * are thread_wake_sync's, which may pull the first to the caller's CPU.
 *
 * futex_waiter_count (SYS_KSTAT) counts the queued waiters bucket by
 * bucket, each under its lock.
 *
 * Locking: bucket locks, then run-queue locks.
 */
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "core/percpu.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"
#include "core/time.h"
#include "mm/uaccess.h"

#define FUTEX_BUCKETS 64

struct futex_waiter {
	struct futex_waiter *next;
	struct thread *t;
	struct proc *p;
	uint64_t addr;
	bool woken;
};

static struct {
	struct spinlock lock;
	struct futex_waiter *head;
} buckets[FUTEX_BUCKETS];

static unsigned bucket_of(struct proc *p, uint64_t addr)
{
	return (unsigned)(((uint64_t)p >> 6 ^ addr >> 2) % FUTEX_BUCKETS);
}

/* Check a futex address from user space and find its bucket for p. */
static int futex_bucket(struct proc *p, uint64_t addr, unsigned *b)
{
	if (!user_range_ok(addr, 4))
		return -E_FAULT;
	if (addr & 3)
		return -E_INVAL;
	*b = bucket_of(p, addr);
	return 0;
}

long sys_futex_wait(uint64_t addr, uint64_t val, uint64_t timeout_ns, uint64_t d, uint64_t e,
		    uint64_t f)
{
	struct proc *p = proc_current();
	unsigned b;
	int err = futex_bucket(p, addr, &b);
	if (err < 0)
		return err;
	struct futex_waiter w = {.t = thread_current(), .p = p, .addr = addr};
	uint64_t deadline = timeout_ns ? time_ns() + timeout_ns : 0;
	uint64_t fl = spin_lock_irqsave(&buckets[b].lock);
	uint32_t cur;
	if (copy_from_user(&cur, addr, 4) < 0) {
		spin_unlock_irqrestore(&buckets[b].lock, fl);
		return -E_FAULT;
	}
	if (cur != (uint32_t)val) {
		spin_unlock_irqrestore(&buckets[b].lock, fl);
		return -E_AGAIN;
	}
	w.next = buckets[b].head;
	buckets[b].head = &w;
	thread_prepare_block_until(deadline);
	spin_unlock_irqrestore(&buckets[b].lock, fl);
	(void)proc_block_or_intr(p); /* not woken, not timed out: -E_INTR below */
	fl = spin_lock_irqsave(&buckets[b].lock);
	bool woken = w.woken;
	if (!woken)
		for (struct futex_waiter **pp = &buckets[b].head; *pp; pp = &(*pp)->next)
			if (*pp == &w) {
				*pp = w.next;
				break;
			}
	spin_unlock_irqrestore(&buckets[b].lock, fl);
	if (woken)
		return 0;
	return deadline && time_ns() >= deadline ? -E_TIMEDOUT : -E_INTR;
}

long sys_futex_wake(uint64_t addr, uint64_t n, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (c & ~(uint64_t)RB_FUTEX_WAKE_SYNC)
		return -E_INVAL;
	if (c & ~(uint64_t)RB_FUTEX_WAKE_SYNC)
		return -E_INVAL;
	struct proc *p = proc_current();
	unsigned b;
	int err = futex_bucket(p, addr, &b);
	if (err < 0)
		return err;
	struct thread *wake[64];
	unsigned nw = 0;
	uint64_t fl = spin_lock_irqsave(&buckets[b].lock);
	for (struct futex_waiter **pp = &buckets[b].head; *pp && nw < n && nw < 64;) {
		struct futex_waiter *w = *pp;
		if (w->p == p && w->addr == addr) {
			*pp = w->next;
			w->woken = true;
			thread_get(w->t); /* it may resume, return and exit at once */
			wake[nw++] = w->t;
		} else {
			pp = &w->next;
		}
	}
	spin_unlock_irqrestore(&buckets[b].lock, fl);
	for (unsigned i = 0; i < nw; i++) {
		if (c & RB_FUTEX_WAKE_SYNC) /* pulls the first; the queue is busy after it */
			thread_wake_sync(wake[i]);
		else
			thread_wake(wake[i]);
		thread_put(wake[i]);
	}
	return nw;
}

uint64_t futex_waiter_count(void)
{
	uint64_t n = 0;
	for (unsigned b = 0; b < FUTEX_BUCKETS; b++) {
		uint64_t f = spin_lock_irqsave(&buckets[b].lock);
		for (struct futex_waiter *w = buckets[b].head; w; w = w->next)
			n++;
		spin_unlock_irqrestore(&buckets[b].lock, f);
	}
	return n;
}
