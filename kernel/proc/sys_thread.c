/*
 * sys_thread.c - thread system calls, affinity and scheduling parameters.
 *
 * Affinity (Linux's model): every thread has its own CPU mask
 * (t->se.allowed, under its run-queue lock). pid 0 names the calling
 * thread; a pid names a whole process: setaffinity sets the mask of all
 * its threads and of the threads it creates later, getaffinity reads that
 * process mask. New threads start with their creator's mask; a spawned
 * process with the spawning thread's. A thread whose CPU left its mask
 * moves at its next system call; stealing honours the mask at once.
 *
 * Locking: the process lock guards the thread slots (join, and the
 * joiner mark a join leaves there while it sleeps); process lock, then
 * run-queue locks. A join ends on a kill like every other blocking wait. Futexes are in
 * sync/futex.c.
 */
#include <stdint.h>
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

/* The slot of thread tid of p, or -1. p->lock held. */
static int find_slot(struct proc *p, int tid)
{
	for (int i = 0; i < MAX_THREADS; i++)
		if (p->tslots[i].tid == tid)
			return i;
	return -1;
}

/*
 * Wait for thread tid of the caller's process to end. A tid outside
 * 1..INT_MAX names no thread (it must not match a free slot, tid 0, or
 * one being created, tid -1). The wait ends early on a signal that
 * interrupts (SIGKILL, a dying process): EINTR, and the joiner mark is
 * withdrawn. The signal check comes after thread_prepare_block
 * (proc_block_or_intr), so a kill in between is not lost.
 */
long sys_thread_join(uint64_t tid, uint64_t ucode, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	struct thread *me = thread_current();
	if (tid == 0 || tid > INT32_MAX)
		return -E_NOENT;
	if ((int)tid == (int)me->tid)
		return -E_DEADLK;
	for (;;) {
		uint64_t fl = spin_lock_irqsave(&p->lock);
		int slot = find_slot(p, (int)tid);
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
		if (p->tslots[slot].joiner && p->tslots[slot].joiner != me) {
			spin_unlock_irqrestore(&p->lock, fl);
			return -E_INVAL; /* someone else joins it */
		}
		p->tslots[slot].joiner = me;
		thread_prepare_block();
		spin_unlock_irqrestore(&p->lock, fl);
		if (proc_block_or_intr(p) || signal_interrupts(p)) {
			fl = spin_lock_irqsave(&p->lock);
			slot = find_slot(p, (int)tid);
			if (slot >= 0 && p->tslots[slot].joiner == me)
				p->tslots[slot].joiner = NULL;
			spin_unlock_irqrestore(&p->lock, fl);
			return -E_INTR; /* SIGKILL: signal_check ends the thread */
		}
	}
}

/* The process pid names (0: the caller's), if the caller may act on it,
   with a reference (drop it with put_target). */
static struct proc *target(uint64_t pid, int *err)
{
	struct proc *me = proc_current();
	struct proc *p = me;
	if (pid == 0)
		proc_get(me);
	else /* a pid past INT_MAX must not be truncated into another one */
		p = pid <= INT32_MAX ? proc_find((int)pid) : NULL;
	if (p && p != me && (p->exited || (proc_uid(me) != 0 && proc_uid(me) != proc_uid(p)))) {
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
	int uid = proc_uid(p);
	put_target(p);
	if (!self)
		return -E_NOTSUP; /* other processes' threads: not yet */
	int level;
	struct thread *t = thread_current();
	if (policy == SCHED_POLICY_FAIR) {
		if ((int64_t)prio < SCHED_NICE_MIN || (int64_t)prio > SCHED_NICE_MAX)
			return -E_INVAL;
		level = sched_prio_from_nice((int)(int64_t)prio);
		/* As Linux with RLIMIT_NICE 0: only root may lower a fair
		   thread's nice (raise its claim). pi.base_prio changes only
		   through this call on the thread itself, so it reads alone. */
		int base = t->pi.base_prio;
		if (uid != 0 && !sched_prio_is_rt(base) && level > base)
			return -E_PERM;
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
	err = thread_set_base_policy(t, (enum sched_policy)policy, level);
	thread_resched(); /* a class change takes the queue's current slot anew */
	return err;
}
