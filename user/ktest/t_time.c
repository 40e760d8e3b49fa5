/*
 * t_time.c - ktest cases for clocks, sleeping and the scheduler calls:
 * clock_gettime (monotonic never goes back, realtime is a plausible
 * date, bad arguments), nanosleep (10 ms lasts at least 10 ms),
 * sched_yield, and CPU affinity (read, set to one CPU, read back,
 * restore; empty mask and missing pid refused), and sched_setparam
 * (the fair policy at nice 0; bad nice or policy refused).
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"
#include "rb/thread.h"
#include "sched/runq.h" /* enum sched_policy, SCHED_NICE_MAX */

#define MS 1000000ull
#define MASK_WORDS 4 /* 256 CPUs */

static int monotonic(char *why, size_t n)
{
	struct rb_timespec a, b;
	KEXPECT(rb_clock_gettime(RB_CLOCK_MONOTONIC, &a), 0);
	KCHECK(a.nsec >= 0 && a.nsec < 1000000000, "nsec %lld", a.nsec);
	uint64_t first = rb_now_ns(), prev = first;
	for (int i = 0; i < 2000; i++) {
		uint64_t t = rb_now_ns();
		KCHECK(t >= prev, "went back from %llu to %llu", (unsigned long long)prev,
		       (unsigned long long)t);
		prev = t;
	}
	KCHECK(prev > first, "did not advance over 2000 reads (%llu)", (unsigned long long)first);
	KEXPECT(rb_clock_gettime(RB_CLOCK_MONOTONIC, &b), 0);
	KCHECK(b.sec > a.sec || (b.sec == a.sec && b.nsec >= a.nsec), "went back");
	return 0;
}

static int realtime(char *why, size_t n)
{
	struct rb_timespec ts;
	KEXPECT(rb_clock_gettime(RB_CLOCK_REALTIME, &ts), 0);
	/* After 2020-01-01 and before 2100-01-01. */
	KCHECK(ts.sec > 1577836800ll && ts.sec < 4102444800ll, "realtime %lld s", ts.sec);
	KCHECK(ts.nsec >= 0 && ts.nsec < 1000000000, "nsec %lld", ts.nsec);
	return 0;
}

static int clock_errors(char *why, size_t n)
{
	struct rb_timespec ts;
	KEXPECT(rb_clock_gettime(99, &ts), -E_INVAL);
	KEXPECT(rb_clock_gettime(RB_CLOCK_MONOTONIC, (struct rb_timespec *)1), -E_FAULT);
	return 0;
}

static int nanosleep_10ms(char *why, size_t n)
{
	uint64_t t0 = rb_now_ns();
	int r = rb_nanosleep(10 * MS);
	uint64_t dt = rb_now_ns() - t0;
	KEXPECT(r, 0);
	/* At least the time asked for; no upper bound (a loaded host may be
	   late, and a sleep that never ends hangs the runner, which reports it). */
	KCHECK(dt >= 10 * MS, "slept only %llu ns", (unsigned long long)dt);
	return 0;
}

static int yield(char *why, size_t n)
{
	for (int i = 0; i < 10; i++)
		KEXPECT(rb_sched_yield(), 0);
	return 0;
}

static int count_bits(const uint64_t *m)
{
	int c = 0;
	for (int i = 0; i < MASK_WORDS; i++)
		c += __builtin_popcountll(m[i]);
	return c;
}

static int getaffinity(char *why, size_t n)
{
	uint64_t m[MASK_WORDS] = {0}, m2[MASK_WORDS] = {0};
	int r = rb_sched_getaffinity(0, sizeof(m), m);
	KCHECK(r > 0 && r <= (int)sizeof(m), "getaffinity gave %d %s", r, r < 0 ? err_name(r) : "");
	KCHECK(count_bits(m) > 0, "empty mask");
	KCHECK(rb_sched_getaffinity(rb_getpid(), sizeof(m2), m2) > 0, "by pid failed");
	KCHECK(memcmp(m, m2, sizeof(m)) == 0, "pid 0 and own pid differ");
	return 0;
}

static int setaffinity_one(char *why, size_t n)
{
	uint64_t old[MASK_WORDS] = {0}, one[MASK_WORDS] = {0}, back[MASK_WORDS] = {0};
	KCHECK(rb_sched_getaffinity(0, sizeof(old), old) > 0, "getaffinity failed");
	/* The highest allowed CPU: with several CPUs, not where we start. */
	int cpu = -1;
	for (int i = 0; i < MASK_WORDS * 64; i++)
		if (old[i / 64] >> (i % 64) & 1)
			cpu = i;
	KCHECK(cpu >= 0, "empty mask");
	one[cpu / 64] = 1ull << (cpu % 64);
	int s = rb_sched_setaffinity(0, sizeof(one), one);
	rb_sched_yield();
	int g = rb_sched_getaffinity(0, sizeof(back), back);
	int restore = rb_sched_setaffinity(0, sizeof(old), old);
	KEXPECT(s, 0);
	KCHECK(g > 0, "getaffinity gave %d", g);
	KCHECK(memcmp(back, one, sizeof(one)) == 0, "read back %llx, set cpu %d",
	       (unsigned long long)back[0], cpu);
	KEXPECT(restore, 0);
	return 0;
}

static int setaffinity_errors(char *why, size_t n)
{
	uint64_t empty[MASK_WORDS] = {0}, all[MASK_WORDS];
	memset(all, 0xff, sizeof(all));
	KEXPECT(rb_sched_setaffinity(0, sizeof(empty), empty), -E_INVAL);
	int r = rb_sched_setaffinity(0x7ffffff0, sizeof(all), all);
	KCHECK(r < 0, "setaffinity of a missing pid gave %d", r);
	r = rb_sched_getaffinity(0x7ffffff0, sizeof(all), all);
	KCHECK(r < 0, "getaffinity of a missing pid gave %d", r);
	KEXPECT(rb_sched_getaffinity(0, sizeof(all), (uint64_t *)1), -E_FAULT);
	/* A pid past INT_MAX names no process (it used to be truncated to
	   our own pid, and the mask was read). */
	long wide = (1l << 32) + rb_getpid();
	KEXPECT(rb_syscall3(SYS_SCHED_GETAFFINITY, wide, sizeof(all), (long)all), -E_NOENT);
	KEXPECT(rb_syscall3(SYS_SCHED_SETAFFINITY, wide, sizeof(all), (long)all), -E_NOENT);
	return 0;
}

/* Root may lower its nice; a non-root child ("kchild nice") may only
   raise it (it exits 0 when every answer was as expected). */
static int setparam(char *why, size_t n)
{
	KEXPECT(rb_sched_setparam(0, SCHED_POLICY_FAIR, 0), 0);
	KEXPECT(rb_sched_setparam(0, SCHED_POLICY_FAIR, SCHED_NICE_MAX + 1), -E_INVAL);
	KEXPECT(rb_sched_setparam(0, 99, 0), -E_INVAL);
	KEXPECT(rb_sched_setparam(0, SCHED_POLICY_FAIR, -5), 0);
	KEXPECT(rb_sched_setparam(0, SCHED_POLICY_FAIR, 0), 0);
	char *argv[] = {"kchild", "nice", NULL};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn %d", pid);
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	return 0;
}

static uint32_t boost_word;
static volatile int boost_stage;

static int boost_waiter(void *arg)
{
	(void)arg;
	int r = rb_sched_setparam(0, SCHED_POLICY_FIFO, 5);
	boost_stage = 1;
	if (r == 0)
		r = rb_futex_lock_pi(&boost_word, 0); /* boosts the owner to RT */
	if (r == 0)
		r = rb_futex_unlock_pi(&boost_word);
	return r;
}

/* A real-time thread PI-boosted by a more urgent waiter may still switch
   to the fair policy: the base changes and the boost stays until the
   unlock. The calls are repeated while the waiter comes to block. */
static int setparam_boosted(char *why, size_t n)
{
	boost_word = 0;
	boost_stage = 0;
	KEXPECT(rb_sched_setparam(0, SCHED_POLICY_FIFO, 2), 0);
	KEXPECT(rb_futex_lock_pi(&boost_word, 0), 0);
	int tid = rb_thread_create(boost_waiter, NULL);
	KCHECK(tid > 0, "thread_create %d", tid);
	while (!boost_stage)
		rb_sched_yield();
	int bad = 0, last = 0;
	for (int i = 0; i < 2000; i++) {
		int r = i & 1 ? rb_sched_setparam(0, SCHED_POLICY_FIFO, 2)
			      : rb_sched_setparam(0, SCHED_POLICY_FAIR, 0);
		if (r != 0) {
			bad++;
			last = r;
		}
	}
	KEXPECT(rb_futex_unlock_pi(&boost_word), 0);
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KEXPECT(rb_sched_setparam(0, SCHED_POLICY_FAIR, 0), 0);
	KCHECK(bad == 0, "%d of 2000 setparam calls failed while boosted (%d %s)", bad, last,
	       err_name(last));
	KEXPECT(code, 0);
	return 0;
}

enum { PUSH_HELPERS = 48, PUSH_GAP_NS = 2 * MS };
static uint32_t push_words[PUSH_HELPERS];
static volatile int push_asleep, push_ran;

static int push_helper(void *arg)
{
	uint32_t *w = arg;
	__atomic_add_fetch(&push_asleep, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == 0)
		rb_futex_wait(w, 0, 0);
	push_ran = 1;
	return 0;
}

/* On one CPU, this thread wakes a sleeping helper every 2 ms and keeps
   running. The tick armed by the first wake-up must not be pushed back by
   each later one: a helper gets the CPU after about a tick (4 ms), long
   before this thread has woken them all (96 ms). */
static int local_wake_keeps_tick(char *why, size_t n)
{
	uint64_t old[MASK_WORDS] = {0}, one[MASK_WORDS] = {0};
	KCHECK(rb_sched_getaffinity(0, sizeof(old), old) > 0, "getaffinity failed");
	int cpu = 0;
	while (!(old[cpu / 64] >> (cpu % 64) & 1))
		cpu++;
	one[cpu / 64] = 1ull << (cpu % 64);
	KEXPECT(rb_sched_setaffinity(0, sizeof(one), one), 0);
	push_asleep = 0;
	push_ran = 0;
	int tids[PUSH_HELPERS], made = 0;
	for (; made < PUSH_HELPERS; made++) {
		push_words[made] = 0;
		tids[made] = rb_thread_create(push_helper, &push_words[made]);
		if (tids[made] < 0)
			break;
	}
	while (push_asleep < made)
		rb_sched_yield();
	rb_sched_yield(); /* the last one has reached its futex_wait */
	int woken = 0;
	for (; woken < made && !push_ran; woken++) {
		__atomic_store_n(&push_words[woken], 1, __ATOMIC_RELEASE);
		rb_futex_wake(&push_words[woken], 1);
		uint64_t t = rb_now_ns();
		while (!push_ran && rb_now_ns() - t < PUSH_GAP_NS)
			;
	}
	for (int i = 0; i < made; i++) {
		__atomic_store_n(&push_words[i], 1, __ATOMIC_RELEASE);
		rb_futex_wake(&push_words[i], 1);
	}
	for (int i = 0; i < made; i++)
		rb_thread_join(tids[i], NULL);
	KEXPECT(rb_sched_setaffinity(0, sizeof(old), old), 0);
	KEXPECT(made, PUSH_HELPERS);
	KCHECK(woken < PUSH_HELPERS / 2, "no helper ran before %d wake-ups 2 ms apart", woken);
	return 0;
}

static uint64_t thread_mask[MASK_WORDS];
static volatile int thread_mask_stage;

static int pin_self(void *arg)
{
	const uint64_t *one = arg;
	int r = rb_sched_setaffinity(0, sizeof(uint64_t) * MASK_WORDS, one);
	int g = rb_sched_getaffinity(0, sizeof(thread_mask), thread_mask);
	thread_mask_stage = 1;
	while (thread_mask_stage < 2)
		rb_sched_yield();
	return r != 0 ? 1 : g <= 0 ? 2 : 0;
}

/* Affinity belongs to a thread: pid 0 pins only the caller; a pid sets
   every thread of that process. */
static int affinity_per_thread(char *why, size_t n)
{
	uint64_t all[MASK_WORDS] = {0}, one[MASK_WORDS] = {0}, mine[MASK_WORDS] = {0};
	KCHECK(rb_sched_getaffinity(0, sizeof(all), all) > 0, "getaffinity failed");
	if (count_bits(all) < 2)
		return 0; /* one CPU: every mask is the same */
	int cpu = MASK_WORDS * 64 - 1;
	while (!(all[cpu / 64] >> (cpu % 64) & 1))
		cpu--;
	one[cpu / 64] = 1ull << (cpu % 64);
	thread_mask_stage = 0;
	int tid = rb_thread_create(pin_self, one);
	KCHECK(tid > 0, "thread_create %d", tid);
	while (thread_mask_stage < 1)
		rb_sched_yield();
	int g = rb_sched_getaffinity(0, sizeof(mine), mine);
	thread_mask_stage = 2;
	int code = -1;
	int j = rb_thread_join(tid, &code);
	KEXPECT(rb_sched_setaffinity(rb_getpid(), sizeof(all), all), 0); /* whatever happened */
	KEXPECT(j, 0);
	KEXPECT(code, 0);
	KCHECK(g > 0, "getaffinity gave %d", g);
	KCHECK(memcmp(thread_mask, one, sizeof(one)) == 0, "the thread reads %llx, set cpu %d",
	       (unsigned long long)thread_mask[0], cpu);
	KCHECK(memcmp(mine, all, sizeof(all)) == 0, "the thread's pin changed ours to %llx",
	       (unsigned long long)mine[0]);
	/* by pid: the whole process (here: this one thread), then back */
	KEXPECT(rb_sched_setaffinity(rb_getpid(), sizeof(one), one), 0);
	KCHECK(rb_sched_getaffinity(0, sizeof(mine), mine) > 0, "getaffinity failed");
	KCHECK(memcmp(mine, one, sizeof(one)) == 0, "setaffinity(pid) left us at %llx",
	       (unsigned long long)mine[0]);
	KEXPECT(rb_sched_setaffinity(rb_getpid(), sizeof(all), all), 0);
	return 0;
}

enum { AFF_SPINNERS = 6 };
static volatile int aff_phase, aff_started;
static uint64_t aff_mask[MASK_WORDS];
static volatile int aff_settled, aff_violations;

static int aff_spinner(void *arg)
{
	(void)arg;
	int settled = 0;
	__atomic_add_fetch(&aff_started, 1, __ATOMIC_SEQ_CST);
	while (aff_phase < 2) {
		int cpu = rb_sched_getcpu();
		if (aff_phase != 1 || cpu < 0 || cpu >= MASK_WORDS * 64)
			continue;
		int in = aff_mask[cpu / 64] >> (cpu % 64) & 1;
		if (in && !settled) {
			settled = 1;
			__atomic_add_fetch(&aff_settled, 1, __ATOMIC_SEQ_CST);
		} else if (!in && settled) {
			__atomic_add_fetch(&aff_violations, 1, __ATOMIC_SEQ_CST);
		}
	}
	return 0;
}

/* Six spinning threads; then their process is limited to two CPUs. Once
   a thread has run on one of them, it must never run elsewhere: idle CPUs
   may not steal it (the mask used to reach the stealing code only for
   threads created after the change). */
static int affinity_limits_stealing(char *why, size_t n)
{
	uint64_t all[MASK_WORDS] = {0};
	KCHECK(rb_sched_getaffinity(0, sizeof(all), all) > 0, "getaffinity failed");
	if (count_bits(all) < 3)
		return 0; /* nobody idle to steal */
	memset(aff_mask, 0, sizeof(aff_mask));
	for (int cpu = 0, got = 0; cpu < MASK_WORDS * 64 && got < 2; cpu++)
		if (all[cpu / 64] >> (cpu % 64) & 1) {
			aff_mask[cpu / 64] |= 1ull << (cpu % 64);
			got++;
		}
	aff_phase = aff_started = aff_settled = aff_violations = 0;
	int tids[AFF_SPINNERS], made = 0;
	for (; made < AFF_SPINNERS; made++)
		if ((tids[made] = rb_thread_create(aff_spinner, NULL)) < 0)
			break;
	while (aff_started < made)
		rb_sched_yield();
	int s = rb_sched_setaffinity(rb_getpid(), sizeof(aff_mask), aff_mask);
	aff_phase = 1;
	/* Each moves at its next system call (getcpu): no time bound, a
	   thread that never settles hangs here. */
	while (s == 0 && aff_settled < made)
		rb_sched_yield();
	uint64_t t1 = rb_now_ns(); /* then watch them for a while (no check on time) */
	while (rb_now_ns() - t1 < 300 * MS && !aff_violations)
		rb_sched_yield();
	aff_phase = 2;
	for (int i = 0; i < made; i++)
		rb_thread_join(tids[i], NULL);
	KEXPECT(rb_sched_setaffinity(rb_getpid(), sizeof(all), all), 0);
	KEXPECT(made, AFF_SPINNERS);
	KEXPECT(s, 0);
	KEXPECT(aff_settled, AFF_SPINNERS);
	KEXPECT(aff_violations, 0);
	return 0;
}

const struct kcase time_cases[] = {
    {"clock_gettime: monotonic never goes back", monotonic},
    {"clock_gettime: realtime is a plausible date", realtime},
    {"clock_gettime: bad clock EINVAL, bad pointer EFAULT", clock_errors},
    {"nanosleep: 10 ms lasts at least 10 ms", nanosleep_10ms},
    {"sched_yield: returns 0", yield},
    {"sched_getaffinity: own mask is not empty", getaffinity},
    {"sched_setaffinity: one CPU, read back, restore", setaffinity_one},
    {"sched_setaffinity: empty mask EINVAL, missing pid error", setaffinity_errors},
    {"sched_setparam: fair nice 0; bad nice or policy EINVAL; non-root cannot lower nice",
     setparam},
    {"sched_setparam: fair parameters while PI-boosted succeed", setparam_boosted},
    {"sched: waking a thread on this CPU does not push the tick back", local_wake_keeps_tick},
    {"sched_setaffinity: pid 0 pins the calling thread only", affinity_per_thread},
    {"sched_setaffinity: idle CPUs do not steal outside a changed mask", affinity_limits_stealing},
    {NULL, NULL},
};
