/*
 * selftest_sched.c - `selftest=sched`: the scheduler on every CPU.
 *
 *  1. preemption: two fair threads per online CPU, pinned there, each spin
 *     without ever yielding until it sees its partner has started (at most
 *     5 s). Only the timer can let the partner run while the first spins,
 *     so each pair must interleave: both start before either finishes.
 *     (Waiting on the partner, not on a fixed time, keeps the test exact
 *     when the host deschedules a virtual CPU for longer than a slice.)
 *  2. real-time first: on CPU 0 a fair thread and then an RT FIFO thread
 *     are made runnable together; the RT thread must finish its 20 ms spin
 *     before the fair one first runs.
 *  3. stealing: 2 threads per CPU are all created on CPU 0 but allowed
 *     everywhere; each spins until all have started, which can only happen
 *     if idle CPUs steal them (on one CPU, the timer interleaves them).
 *  4. kernel mutexes: L (fair) holds M1, Mid (fair) holds M2 and waits for
 *     M1, H (real-time) waits for M2: L must run at H's priority through the
 *     chain, and drop back to its own when it releases M1.
 *  5. teardown: every test thread exits and is reaped; free memory returns
 *     to where it started.
 * The boot CPU waits in its idle context with thread_yield, bounded by 10 s.
 */
#include <stdatomic.h>
#include "arch.h"
#include "core/log.h"
#include "sync/kmutex.h"
#include "mm/mem.h"
#include "core/percpu.h"
#include "sched/sched.h"
#include "test/selftest.h"
#include "core/time.h"

struct spinner {
	uint64_t spin_ns;	 /* spin this long, or */
	struct spinner *partner; /* until this one has started (5 s at most) */
	_Atomic uint64_t start, end;
};

static struct spinner spinners[MAX_CPUS][2];
static struct spinner rt_spin, fair_spin;
static _Atomic unsigned finished;

static void spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t t0 = time_ns();
	atomic_store(&s->start, t0 ? t0 : 1);
	if (s->partner)
		while (!atomic_load(&s->partner->start) && time_ns() - t0 < 5000000000ull)
			__asm__ volatile("pause");
	else
		while (time_ns() - t0 < s->spin_ns)
			__asm__ volatile("pause");
	atomic_store(&s->end, time_ns());
	atomic_fetch_add(&finished, 1);
}

/* Spin until every stealing-test thread has started (5 s at most); note the CPU. */
static void steal_spin(void *arg)
{
	struct {
		_Atomic unsigned *started;
		unsigned want;
		_Atomic uint64_t *seen;
	} *sa = arg;
	atomic_fetch_add(sa->started, 1);
	uint64_t t0 = time_ns();
	while (atomic_load(sa->started) < sa->want && time_ns() - t0 < 5000000000ull)
		__asm__ volatile("pause");
	unsigned cpu = percpu_id();
	atomic_fetch_or(&sa->seen[(cpu / 64) & 3], 1ull << (cpu % 64));
	atomic_fetch_add(&finished, 1);
}

static bool wait_finished(unsigned want);
static struct kmutex m1, m2;
static _Atomic int pi_stage;
static int l_boosted_prio, l_after_prio;

static void pi_low(void *arg)
{
	kmutex_lock(&m1);
	atomic_store(&pi_stage, 1);
	struct thread *me = thread_current();
	uint64_t t0 = time_ns();
	/* the boost is written by another thread: read it afresh each time */
	while (__atomic_load_n(&me->se.prio, __ATOMIC_RELAXED) < SCHED_PRIO_RT_MIN &&
	       time_ns() - t0 < 5000000000ull)
		__asm__ volatile("pause");
	l_boosted_prio = __atomic_load_n(&me->se.prio, __ATOMIC_RELAXED);
	kmutex_unlock(&m1);
	l_after_prio = __atomic_load_n(&me->se.prio, __ATOMIC_RELAXED);
	atomic_fetch_add(&finished, 1);
}

static void pi_mid(void *arg)
{
	kmutex_lock(&m2);
	atomic_store(&pi_stage, 2);
	kmutex_lock(&m1);
	kmutex_unlock(&m1);
	kmutex_unlock(&m2);
	atomic_fetch_add(&finished, 1);
}

static void pi_high(void *arg)
{
	kmutex_lock(&m2);
	kmutex_unlock(&m2);
	atomic_fetch_add(&finished, 1);
}

/* Sleep in 5 ms steps until pi_stage reaches stage (5 s at most). */
static void wait_stage(int stage)
{
	uint64_t deadline = time_ns() + 5000000000ull;
	while (atomic_load(&pi_stage) < stage && time_ns() < deadline)
		thread_sleep_until(time_ns() + 5000000);
}

/* Builds the chain step by step. It runs as a thread, not in the boot
   CPU's idle context: idle only runs when nothing else can, and L spins. */
static void pi_coordinator(void *arg)
{
	int base = sched_prio_from_nice(0), rt = sched_prio_from_rt(5);
	bool ok = thread_create(pi_low, NULL, "pi-low", 0, SCHED_POLICY_FAIR, base);
	wait_stage(1);
	ok = ok && thread_create(pi_mid, NULL, "pi-mid", 0, SCHED_POLICY_FAIR, base);
	wait_stage(2);
	thread_sleep_until(time_ns() + 20000000); /* let Mid block on M1 */
	ok = ok && thread_create(pi_high, NULL, "pi-high", 0, SCHED_POLICY_FIFO, rt);
	*(bool *)arg = ok;
	atomic_fetch_add(&finished, 1);
}

static void selftest_kmutex(void)
{
	kmutex_init(&m1);
	kmutex_init(&m2);
	atomic_store(&pi_stage, 0);
	atomic_store(&finished, 0);
	static bool made;
	made = false;
	int base = sched_prio_from_nice(0), rt = sched_prio_from_rt(5);
	bool ok = thread_create(pi_coordinator, &made, "pi-coord", 0, SCHED_POLICY_FAIR, base);
	ok = ok && wait_finished(4) && made;
	selftest_report(ok && l_boosted_prio == rt && l_after_prio == base,
			"kmutex: priority donated through a chain of 2 mutexes (%d, want %d), "
			"undone on release (%d, want %d)",
			l_boosted_prio, rt, l_after_prio, base);
}

/* Yield until `want` threads finished or 10 s passed; true if they did. */
static bool wait_finished(unsigned want)
{
	uint64_t deadline = time_ns() + 10000000000ull;
	while (atomic_load(&finished) < want && time_ns() < deadline)
		thread_yield();
	/* finished threads still have to exit and be freed by their CPUs */
	while (sched_live_threads() > 0 && time_ns() < deadline)
		thread_yield();
	return atomic_load(&finished) >= want && sched_live_threads() == 0;
}

static bool interleaved(const struct spinner *a, const struct spinner *b)
{
	return a->start < b->end && b->start < a->end;
}

void selftest_sched(void)
{
	mem_trim();
	uint64_t free0 = mem_free_pages();
	unsigned cpus = 0, want = 0;
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu), cpus++) {
		for (int k = 0; k < 2; k++) {
			spinners[cpu][k].partner = &spinners[cpu][!k];
			if (thread_create(spin, &spinners[cpu][k], "spin", cpu, SCHED_POLICY_FAIR,
					  sched_prio_from_nice(0)))
				want++;
		}
	}
	bool all = want == 2 * cpus && wait_finished(want);
	unsigned bad = 0;
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu))
		bad += !interleaved(&spinners[cpu][0], &spinners[cpu][1]);
	selftest_report(all && bad == 0,
			"sched: 2 spinning threads on each of %u CPUs took turns "
			"(%u pairs did not)",
			cpus, bad);

	atomic_store(&finished, 0);
	fair_spin.spin_ns = 20000000;
	rt_spin.spin_ns = 20000000;
	bool made =
	    thread_create(spin, &fair_spin, "fair", 0, SCHED_POLICY_FAIR,
			  sched_prio_from_nice(0)) &&
	    thread_create(spin, &rt_spin, "rt", 0, SCHED_POLICY_FIFO, sched_prio_from_rt(5));
	bool done = made && wait_finished(2);
	selftest_report(done && rt_spin.end <= fair_spin.start,
			"sched: a real-time thread ran before a runnable fair thread");

	mem_trim();
	static _Atomic unsigned started;
	static _Atomic uint64_t seen_cpus[4];
	atomic_store(&started, 0);
	atomic_store(&finished, 0);
	unsigned nsteal = 2 * cpus;
	unsigned made_steal = 0;
	struct steal_arg {
		_Atomic unsigned *started;
		unsigned want;
		_Atomic uint64_t *seen;
	} sa = {&started, nsteal, seen_cpus};
	for (unsigned i = 0; i < nsteal; i++) {
		struct thread *t = thread_create_in(steal_spin, &sa, "steal", 0, SCHED_POLICY_FAIR,
						    sched_prio_from_nice(0), NULL);
		if (!t)
			break;
		t->se.allowed = cpu_online;
		thread_run(t);
		made_steal++;
	}
	bool stole_all = made_steal == nsteal && wait_finished(nsteal);
	struct cpumask ran;
	for (int w = 0; w < 4; w++)
		ran.bits[w] = atomic_load(&seen_cpus[w]);
	unsigned ran_on = cpumask_count(&ran);
	selftest_report(stole_all && (cpus == 1 || ran_on > 1),
			"sched: %u threads made on CPU 0 ran on %u CPUs (idle CPUs steal)", nsteal,
			ran_on);

	selftest_kmutex();

	mem_trim();
	uint64_t free1 = mem_free_pages();
	selftest_report(free1 == free0, "sched: thread teardown returned every page (%ld left)",
			(long)(free0 - free1));
}
