/*
 * sys_thread.c - threads, futexes, affinity and scheduling parameters.
 *
 * Futexes: waiters sit in one of FUTEX_BUCKETS lists hashed by (process,
 * address), each under its own spinlock. futex_wait reads the word under
 * the bucket lock, so a wake that follows a store to the word can never
 * slip in between the check and the sleep. A timed wait also sits on its
 * CPU's sleep list; whichever comes first (wake or timer) wins, and the
 * waiter takes itself off the bucket when it resumes.
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

long sys_thread_join(uint64_t tid, uint64_t ucode, uint64_t c, uint64_t d, uint64_t e,
		     uint64_t f)
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
	struct futex_waiter w = { .t = thread_current(), .p = p, .addr = addr };
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
	thread_prepare_block_until(timeout_ns ? time_ns() + timeout_ns : 0);
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
	return woken ? 0 : -E_TIMEDOUT;
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
			wake[nw++] = w->t;
		} else {
			pp = &w->next;
		}
	}
	spin_unlock_irqrestore(&buckets[b].lock, fl);
	for (unsigned i = 0; i < nw; i++)
		thread_wake(wake[i]);
	return nw;
}

/* The process pid names (0: the caller's), if the caller may act on it. */
static struct proc *target(uint64_t pid, int *err)
{
	struct proc *me = proc_current();
	struct proc *p = pid == 0 ? me : proc_find((int)pid);
	if (!p || p->exited) {
		*err = -E_NOENT;
		return NULL;
	}
	if (me->uid != 0 && me->uid != p->uid) {
		*err = -E_PERM;
		return NULL;
	}
	return p;
}

/* Move the calling thread onto a CPU its process allows, if it is not on one. */
void affinity_enforce(void)
{
	struct proc *p = proc_current();
	struct thread *t = thread_current();
	if (!p || cpumask_test(&p->affinity, t->cpu))
		return;
	struct cpumask m;
	cpumask_and(&m, &p->affinity, &cpu_online);
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
	int err = 0;
	struct proc *p = target(pid, &err);
	if (!p)
		return err;
	uint64_t fl = spin_lock_irqsave(&p->lock);
	p->affinity = m;
	spin_unlock_irqrestore(&p->lock, fl);
	affinity_enforce(); /* the caller moves now; others at their next system call */
	return 0;
}

long sys_sched_getaffinity(uint64_t pid, uint64_t size, uint64_t umask, uint64_t d, uint64_t e,
			   uint64_t f)
{
	int err = 0;
	struct proc *p = target(pid, &err);
	if (!p)
		return err;
	struct cpumask m;
	cpumask_and(&m, &p->affinity, &cpu_online);
	size_t n = size < sizeof m.bits ? size : sizeof m.bits;
	if (n == 0)
		return -E_INVAL;
	if (copy_to_user(umask, m.bits, n) < 0)
		return -E_FAULT;
	return (long)n;
}

long sys_sched_setparam(uint64_t pid, uint64_t policy, uint64_t prio, uint64_t d, uint64_t e,
			uint64_t f)
{
	int err = 0;
	struct proc *p = target(pid, &err);
	if (!p)
		return err;
	if (p != proc_current())
		return -E_NOTSUP; /* other processes' threads: not yet */
	int level;
	if (policy == SCHED_POLICY_FAIR) {
		if ((int64_t)prio < SCHED_NICE_MIN || (int64_t)prio > SCHED_NICE_MAX)
			return -E_INVAL;
		level = sched_prio_from_nice((int)(int64_t)prio);
	} else if (policy == SCHED_POLICY_FIFO || policy == SCHED_POLICY_RR) {
		if (prio >= SCHED_RT_LEVELS)
			return -E_INVAL;
		if (p->uid != 0)
			return -E_PERM;
		level = sched_prio_from_rt((int)prio);
	} else {
		return -E_INVAL;
	}
	struct thread *t = thread_current();
	pi_set_base(&t->pi, level); /* a PI boost above the new base stays */
	err = thread_set_policy(t, (enum sched_policy)policy, t->pi.prio > level ? t->pi.prio : level);
	thread_resched(); /* a class change takes the queue's current slot anew */
	return err;
}
