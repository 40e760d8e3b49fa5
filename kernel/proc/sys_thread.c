/*
 * sys_thread.c - threads, futexes, affinity and scheduling parameters.
 *
 * Futexes: waiters sit in one of FUTEX_BUCKETS lists hashed by (process,
 * address), each under its own spinlock. futex_wait reads the word under
 * the bucket lock, so a wake that follows a store to the word can never
 * slip in between the check and the sleep. A timed wait also sits on its
 * CPU's sleep list; whichever comes first (wake or timer) wins, and the
 * waiter takes itself off the bucket when it resumes: 0 if a wake took
 * it, -E_TIMEDOUT once its deadline has passed, else -E_INTR (a signal or
 * kill woke it). futex_wake takes a reference on each thread it takes off
 * a bucket before it drops the bucket lock, since a waiter that resumes by
 * itself may exit at once. futex_waiter_count (SYS_KSTAT) counts the
 * queued waiters bucket by bucket, each under its lock.
 *
 * Affinity (Linux's model): every thread has its own CPU mask
 * (t->se.allowed, under its run-queue lock). pid 0 names the calling
 * thread; a pid names a whole process: setaffinity sets the mask of all
 * its threads and of the threads it creates later, getaffinity reads that
 * process mask. New threads start with their creator's mask; a spawned
 * process with the spawning thread's. A thread whose CPU left its mask
 * moves at its next system call; stealing honours the mask at once.
 *
 * Locking: bucket locks, then run-queue locks; process lock, then
 * run-queue locks.
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

long sys_thread_create(uint64_t entry, uint64_t arg, uint64_t stack_top, uint64_t d, uint64_t e,
		       uint64_t f)
{
	if (!user_range_ok(entry, 1) || !user_range_ok(stack_top - 64, 64))
		return -E_FAULT;
	return proc_thread_create(proc_current(), entry, arg, stack_top);
}

long sys_thread_exit(uint64_t code, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	proc_thread_exit((int)code, false);
}

long sys_thread_join(uint64_t tid, uint64_t ucode, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if ((int)tid == (int)thread_current()->tid)
		return -E_DEADLK;
	for (;;) {
		uint64_t fl = spin_lock_irqsave(&p->lock);
		int slot = -1;
		for (int i = 0; i < MAX_THREADS; i++)
			if (p->tslots[i].tid == (int)tid && tid)
				slot = i;
		if (slot < 0) {
			spin_unlock_irqrestore(&p->lock, fl);
			return -E_NOENT;
		}
		if (p->tslots[slot].done) {
			int code = p->tslots[slot].code;
			p->tslots[slot].tid = 0;
			p->tslots[slot].joiner = NULL;
			spin_unlock_irqrestore(&p->lock, fl);
			if (ucode && copy_to_user(ucode, &code, sizeof code) < 0)
				return -E_FAULT;
			return 0;
		}
		if (p->tslots[slot].joiner && p->tslots[slot].joiner != thread_current()) {
			spin_unlock_irqrestore(&p->lock, fl);
			return -E_INVAL; /* someone else joins it */
		}
		p->tslots[slot].joiner = thread_current();
		thread_prepare_block();
		spin_unlock_irqrestore(&p->lock, fl);
		thread_block();
	}
}

long sys_futex_wait(uint64_t addr, uint64_t val, uint64_t timeout_ns, uint64_t d, uint64_t e,
		    uint64_t f)
{
	if (!user_range_ok(addr, 4))
		return -E_FAULT;
	if (addr & 3)
		return -E_INVAL;
	struct proc *p = proc_current();
	unsigned b = bucket_of(p, addr);
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
	thread_block();
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
	if (!user_range_ok(addr, 4))
		return -E_FAULT;
	if (addr & 3)
		return -E_INVAL;
	struct proc *p = proc_current();
	unsigned b = bucket_of(p, addr);
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
		thread_wake(wake[i]);
		thread_put(wake[i]);
	}
	return nw;
}

/* The process pid names (0: the caller's), if the caller may act on it,
   with a reference (drop it with put_target). */
static struct proc *target(uint64_t pid, int *err)
{
	struct proc *me = proc_current();
	struct proc *p = me;
	if (pid == 0)
		proc_get(me);
	else
		p = proc_find((int)pid);
	if (p && p != me && (p->exited || (me->uid != 0 && me->uid != p->uid))) {
		*err = p->exited ? -E_NOENT : -E_PERM;
		proc_put(p);
		return NULL;
	}
	if (!p)
		*err = -E_NOENT;
	return p;
}

static void put_target(struct proc *p)
{
	proc_put(p);
}

/* Move the calling thread onto a CPU its mask allows, if it is not on one. */
void affinity_enforce(void)
{
	struct thread *t = thread_current();
	if (!t->proc)
		return;
	uint64_t f = irq_save(); /* t->cpu is ours while nothing can preempt us */
	bool ok = cpumask_test(&t->se.allowed, t->cpu);
	irq_restore(f);
	if (ok)
		return;
	struct cpumask m;
	thread_get_affinity(t, &m);
	cpumask_and(&m, &m, &cpu_online);
	if (!cpumask_empty(&m))
		thread_migrate(cpumask_first(&m));
}

long sys_sched_setaffinity(uint64_t pid, uint64_t size, uint64_t umask, uint64_t d, uint64_t e,
			   uint64_t f)
{
	struct cpumask m;
	cpumask_zero(&m);
	if (size == 0 || size > sizeof m.bits)
		return -E_INVAL;
	if (copy_from_user(m.bits, umask, size) < 0)
		return -E_FAULT;
	cpumask_and(&m, &m, &cpu_online);
	if (cpumask_empty(&m))
		return -E_INVAL;
	if (pid == 0) {
		(void)thread_set_affinity(thread_current(), &m);
		return 0; /* the move, if any, happens on the way out (affinity_enforce) */
	}
	int err = 0;
	struct proc *p = target(pid, &err);
	if (!p)
		return err;
	proc_set_affinity(p, &m);
	put_target(p);
	return 0;
}

long sys_sched_getaffinity(uint64_t pid, uint64_t size, uint64_t umask, uint64_t d, uint64_t e,
			   uint64_t f)
{
	struct cpumask m;
	if (pid == 0) {
		thread_get_affinity(thread_current(), &m);
	} else {
		int err = 0;
		struct proc *p = target(pid, &err);
		if (!p)
			return err;
		uint64_t fl = spin_lock_irqsave(&p->lock);
		m = p->affinity;
		spin_unlock_irqrestore(&p->lock, fl);
		put_target(p);
	}
	cpumask_and(&m, &m, &cpu_online);
	size_t n = size < sizeof m.bits ? size : sizeof m.bits;
	if (n == 0)
		return -E_INVAL;
	if (copy_to_user(umask, m.bits, n) < 0)
		return -E_FAULT;
	return (long)n;
}

long sys_sched_getcpu(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	uint64_t fl = irq_save(); /* the CPU we are on, not one we left */
	long cpu = (long)percpu_id();
	irq_restore(fl);
	return cpu;
}

long sys_sched_setparam(uint64_t pid, uint64_t policy, uint64_t prio, uint64_t d, uint64_t e,
			uint64_t f)
{
	int err = 0;
	struct proc *p = target(pid, &err);
	if (!p)
		return err;
	bool self = p == proc_current();
	int uid = p->uid;
	put_target(p);
	if (!self)
		return -E_NOTSUP; /* other processes' threads: not yet */
	int level;
	if (policy == SCHED_POLICY_FAIR) {
		if ((int64_t)prio < SCHED_NICE_MIN || (int64_t)prio > SCHED_NICE_MAX)
			return -E_INVAL;
		level = sched_prio_from_nice((int)(int64_t)prio);
	} else if (policy == SCHED_POLICY_FIFO || policy == SCHED_POLICY_RR) {
		if (prio >= SCHED_RT_LEVELS)
			return -E_INVAL;
		if (uid != 0)
			return -E_PERM;
		level = sched_prio_from_rt((int)prio);
	} else {
		return -E_INVAL;
	}
	/* Under the PI graph lock: a PI boost above the new base stays. */
	err = thread_set_base_policy(thread_current(), (enum sched_policy)policy, level);
	thread_resched(); /* a class change takes the queue's current slot anew */
	return err;
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
