/*
 * t_thread.c - ktest cases for threads and futexes: create + join with
 * an exit code, join errors, eight threads counting under the futex
 * mutex, futex_wait's EAGAIN and ETIMEDOUT, futex_wake with nobody
 * waiting, a wait/wake hand-off between two threads, and PI futex
 * lock/unlock from two threads.
 */
#include "ktest.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define MS 1000000ull

static volatile int shared_flag;

static int add_one(void *arg)
{
	shared_flag = 1;
	return (int)(long)arg + 1;
}

static int create_join(char *why, size_t n)
{
	shared_flag = 0;
	int tid = rb_thread_create(add_one, (void *)41);
	KCHECK(tid > 0, "thread_create: %d %s", tid, err_name(tid));
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KEXPECT(code, 42);
	KEXPECT(shared_flag, 1);
	return 0;
}

static int join_errors(char *why, size_t n)
{
	int tid = rb_thread_create(add_one, (void *)0);
	KCHECK(tid > 0, "thread_create: %d %s", tid, err_name(tid));
	KEXPECT(rb_thread_join(tid, NULL), 0);
	int again = rb_thread_join(tid, NULL);
	KCHECK(again < 0, "second join gave %d", again);
	int bad = rb_thread_join(0x7ffffff0, NULL);
	KCHECK(bad < 0, "join of a missing tid gave %d", bad);
	return 0;
}

enum { NTHREADS = 8, ROUNDS = 2000 };
static struct rb_mutex count_lock = RB_MUTEX_INIT;
static volatile long counter;

static int count_worker(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		rb_mutex_lock(&count_lock);
		long v = counter;
		if (i % 128 == 0)
			rb_sched_yield(); /* invite the others to race */
		counter = v + 1;
		rb_mutex_unlock(&count_lock);
	}
	return 0;
}

static int mutex_counter(char *why, size_t n)
{
	int tids[NTHREADS];
	counter = 0;
	for (int i = 0; i < NTHREADS; i++) {
		tids[i] = rb_thread_create(count_worker, NULL);
		if (tids[i] < 0) {
			for (int j = 0; j < i; j++)
				rb_thread_join(tids[j], NULL);
			KFAIL("thread_create %d: %d %s", i, tids[i], err_name(tids[i]));
		}
	}
	for (int i = 0; i < NTHREADS; i++)
		KEXPECT(rb_thread_join(tids[i], NULL), 0);
	KEXPECT(counter, (long)NTHREADS * ROUNDS);
	KEXPECT(count_lock.state, 0);
	return 0;
}

static int futex_wrong_value(char *why, size_t n)
{
	uint32_t word = 1;
	/* No timeout: had it slept, nothing would wake it (a hang, not a
	   timing check). */
	KEXPECT(rb_futex_wait(&word, 0, 0), -E_AGAIN);
	KEXPECT(rb_futex_wait((uint32_t *)1, 0, 0), -E_FAULT);
	return 0;
}

static int futex_timeout(char *why, size_t n)
{
	uint32_t word = 0;
	uint64_t t0 = rb_now_ns();
	int r = rb_futex_wait(&word, 0, 10 * MS);
	uint64_t dt = rb_now_ns() - t0;
	KEXPECT(r, -E_TIMEDOUT);
	KCHECK(dt >= 10 * MS, "timed out after only %llu ns", (unsigned long long)dt);
	return 0;
}

static int futex_wake_nobody(char *why, size_t n)
{
	uint32_t word = 0;
	KEXPECT(rb_futex_wake(&word, 1), 0);
	KEXPECT(rb_futex_wake(&word, 100), 0);
	KEXPECT(rb_futex_wake_sync(&word, 1), 0);
	/* a flag the kernel does not know is refused, not ignored */
	KEXPECT(rb_syscall3(SYS_FUTEX_WAKE, (long)&word, 1, 2), -E_INVAL);
	return 0;
}

static uint32_t handoff_word;

static int handoff_waiter(void *arg)
{
	while (__atomic_load_n(&handoff_word, __ATOMIC_ACQUIRE) == 0)
		rb_futex_wait(&handoff_word, 0, 0);
	return 7;
}

static int futex_handoff(char *why, size_t n)
{
	handoff_word = 0;
	int tid = rb_thread_create(handoff_waiter, NULL);
	KCHECK(tid > 0, "thread_create: %d %s", tid, err_name(tid));
	/* While the word is 0 a woken waiter goes back to sleep: a wake that
	   finds it shows that it had fallen asleep. */
	int asleep = 0;
	for (int i = 0; i < 100000 && asleep != 1; i++) {
		asleep = rb_futex_wake(&handoff_word, 1);
		if (asleep != 1)
			rb_sched_yield();
	}
	KCHECK(asleep == 1, "the waiter never slept on the futex (wake gave %d)", asleep);
	__atomic_store_n(&handoff_word, 1, __ATOMIC_RELEASE);
	int woken = rb_futex_wake_sync(&handoff_word, 1); /* may pull it here; we join next */
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KEXPECT(code, 7);
	KCHECK(woken == 0 || woken == 1, "futex_wake gave %d", woken);
	return 0;
}

enum { PI_ROUNDS = 300 };
static uint32_t pi_word;
static volatile long pi_counter;

static int pi_worker(void *arg)
{
	int errors = 0;
	for (int i = 0; i < PI_ROUNDS; i++) {
		if (rb_futex_lock_pi(&pi_word, 0) != 0) {
			errors++;
			continue;
		}
		long v = pi_counter;
		if (i % 32 == 0)
			rb_sched_yield();
		pi_counter = v + 1;
		if (rb_futex_unlock_pi(&pi_word) != 0)
			errors++;
	}
	return errors;
}

static int futex_pi(char *why, size_t n)
{
	pi_word = 0;
	pi_counter = 0;
	int a = rb_thread_create(pi_worker, NULL);
	int b = rb_thread_create(pi_worker, NULL);
	int ca = -1, cb = -1;
	if (a > 0)
		rb_thread_join(a, &ca);
	if (b > 0)
		rb_thread_join(b, &cb);
	KCHECK(a > 0 && b > 0, "thread_create: %d, %d", a, b);
	KCHECK(ca == 0 && cb == 0, "lock/unlock errors: %d and %d", ca, cb);
	KEXPECT(pi_counter, 2 * PI_ROUNDS);
	int r = rb_futex_unlock_pi(&pi_word);
	KCHECK(r < 0, "unlock of a free PI futex gave %d", r);
	return 0;
}

/* ---- costs, printed as "# bench:" lines (compare with Linux in the same QEMU) */

enum { BENCH_YIELDS = 1000, BENCH_TRIPS = 500, BENCH_JOINS = 100 };
static uint32_t ping, pong;
static volatile int bench_stop;

static int pin_to(int ncpu)
{
	uint64_t all[4] = {0}, m[4] = {0};
	if (rb_sched_getaffinity(0, sizeof all, all) <= 0)
		return -1;
	for (int cpu = 0, got = 0; cpu < 256 && got < ncpu; cpu++)
		if (all[cpu / 64] >> (cpu % 64) & 1) {
			m[cpu / 64] |= 1ull << (cpu % 64);
			got++;
		}
	return rb_sched_setaffinity(0, sizeof m, m);
}

static int yielder(void *arg)
{
	(void)arg;
	for (int i = 0; i < BENCH_YIELDS; i++)
		rb_sched_yield();
	return 0;
}

static int ponger(void *arg)
{
	(void)arg;
	for (uint32_t i = 1; i <= BENCH_TRIPS; i++) {
		while (__atomic_load_n(&ping, __ATOMIC_ACQUIRE) != i)
			rb_futex_wait(&ping, i - 1, 0);
		__atomic_store_n(&pong, i, __ATOMIC_RELEASE);
		rb_futex_wake(&pong, 1);
	}
	return 0;
}

/* Round trips through futex_wait/wake between this thread and ponger. */
static int64_t futex_trips(void)
{
	ping = pong = 0;
	int tid = rb_thread_create(ponger, NULL);
	if (tid < 0)
		return tid;
	uint64_t t0 = rb_now_ns();
	for (uint32_t i = 1; i <= BENCH_TRIPS; i++) {
		__atomic_store_n(&ping, i, __ATOMIC_RELEASE);
		rb_futex_wake(&ping, 1);
		while (__atomic_load_n(&pong, __ATOMIC_ACQUIRE) != i)
			rb_futex_wait(&pong, i - 1, 0);
	}
	uint64_t dt = rb_now_ns() - t0;
	rb_thread_join(tid, NULL);
	return (int64_t)(dt / BENCH_TRIPS);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Nanoseconds per switch of two threads yielding to each other (pinned). */
static int64_t yield_switch(void)
{
	int tid = rb_thread_create(yielder, NULL);
	if (tid < 0)
		return tid;
	uint64_t t0 = rb_now_ns();
	for (int i = 0; i < BENCH_YIELDS; i++)
		rb_sched_yield();
	uint64_t dt = rb_now_ns() - t0;
	rb_thread_join(tid, NULL);
	return (int64_t)(dt / (2 * BENCH_YIELDS));
}

static int64_t create_join_ns(void)
{
	uint64_t t0 = rb_now_ns();
	for (int i = 0; i < BENCH_JOINS; i++) {
		int t = rb_thread_create(add_one, NULL);
		if (t < 0 || rb_thread_join(t, NULL) < 0)
			return -1;
	}
	return (int64_t)((rb_now_ns() - t0) / BENCH_JOINS);
}

/* Each figure is the best of 5 runs: the host deschedules virtual CPUs
   at random, which only ever adds time. */
static int bench(char *why, size_t n)
{
	enum { RUNS = 5 };
	uint64_t all[4] = {0};
	uint64_t y = ~0ull, f1 = ~0ull, f2 = ~0ull, cj = ~0ull;
	KCHECK(rb_sched_getaffinity(0, sizeof all, all) > 0, "getaffinity");
	for (int r = 0; r < RUNS; r++) {
		KEXPECT(pin_to(1), 0);
		int64_t a = yield_switch(), b = futex_trips();
		KEXPECT(pin_to(2), 0);
		int64_t c = futex_trips();
		KEXPECT(rb_sched_setaffinity(0, sizeof all, all), 0);
		int64_t d = create_join_ns();
		KCHECK(a > 0 && b > 0 && c > 0 && d > 0, "run %d: %lld %lld %lld %lld", r,
		       (long long)a, (long long)b, (long long)c, (long long)d);
		y = min_u64(y, (uint64_t)a);
		f1 = min_u64(f1, (uint64_t)b);
		f2 = min_u64(f2, (uint64_t)c);
		cj = min_u64(cj, (uint64_t)d);
	}
	rb_printf("# bench: yield between 2 threads on 1 CPU: %llu ns per switch\n",
		  (unsigned long long)y);
	rb_printf("# bench: futex round trip, 2 threads on 1 CPU: %llu ns\n",
		  (unsigned long long)f1);
	rb_printf("# bench: futex round trip, 2 threads allowed on 2 CPUs: %llu ns\n",
		  (unsigned long long)f2);
	rb_printf("# bench: thread create + join: %llu ns\n", (unsigned long long)cj);
	return 0;
}

const struct kcase thread_cases[] = {
    {"thread: create + join returns the exit code", create_join},
    {"thread: join twice or a missing tid fails", join_errors},
    {"thread: 8 threads count exactly under the futex mutex", mutex_counter},
    {"futex_wait: wrong value gives EAGAIN at once", futex_wrong_value},
    {"futex_wait: 10 ms timeout gives ETIMEDOUT", futex_timeout},
    {"futex_wake: no waiters gives 0", futex_wake_nobody},
    {"futex: wait/wake hand-off between two threads", futex_handoff},
    {"futex_pi: lock/unlock from two threads", futex_pi},
    {"bench: yield, futex round trip, thread create + join", bench},
    {NULL, NULL},
};

/* ---- priority inheritance and real-time throttling (added by the kernel side) */

static uint32_t pi_a, pi_b;
static volatile int pi_stage;

static int pi_holder_b(void *arg)
{
	(void)arg;
	int r = rb_futex_lock_pi(&pi_b, 0);
	pi_stage = 1;
	while (pi_stage < 2)
		rb_sched_yield();
	/* B waits for A while main holds A and waits for B: a cycle */
	int cyc = rb_futex_lock_pi(&pi_a, 0);
	rb_futex_unlock_pi(&pi_b);
	return r == 0 ? cyc : 1000;
}

/* main holds A; a thread holds B and then asks for A; main asking for B
   would close a cycle, so one of the two requests must get EDEADLK. */
static int pi_cycle(char *why, size_t n)
{
	pi_stage = 0;
	KEXPECT(rb_futex_lock_pi(&pi_a, 0), 0);
	KEXPECT(rb_futex_lock_pi(&pi_a, 0), -E_DEADLK); /* own it already */
	int tid = rb_thread_create(pi_holder_b, NULL);
	KCHECK(tid > 0, "thread_create %d", tid);
	while (pi_stage < 1)
		rb_sched_yield();
	pi_stage = 2;
	/* let the thread block on A (it donates to us), then try B: cycle */
	for (int i = 0; i < 50; i++)
		rb_sched_yield();
	int r = rb_futex_lock_pi(&pi_b, 50000000);
	KEXPECT(rb_futex_unlock_pi(&pi_a), 0);
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KCHECK(r == -E_DEADLK || code == -E_DEADLK, "no EDEADLK: main got %d, thread got %d", r,
	       code);
	if (r == 0) /* the thread backed out first and handed B to us */
		KEXPECT(rb_futex_unlock_pi(&pi_b), 0);
	KEXPECT(rb_futex_unlock_pi(&pi_b), -E_PERM); /* not ours (any more) */
	return 0;
}

static uint32_t chain_locks[10];
static volatile int chain_ready;

static int chain_link(void *arg)
{
	long i = (long)arg;
	/* thread i holds lock i and waits for lock i - 1 (held by thread i - 1) */
	rb_futex_lock_pi(&chain_locks[i], 0);
	__atomic_add_fetch(&chain_ready, 1, __ATOMIC_SEQ_CST);
	int r = rb_futex_lock_pi(&chain_locks[i - 1], 0);
	rb_futex_unlock_pi(&chain_locks[i - 1]);
	rb_futex_unlock_pi(&chain_locks[i]);
	return r;
}

/* A chain of 9 waiting threads behind main: releasing lock 0 lets every
   link finish in turn, and every lock ends free. */
static int pi_chain(char *why, size_t n)
{
	chain_ready = 0;
	KEXPECT(rb_futex_lock_pi(&chain_locks[0], 0), 0);
	int tids[10];
	for (long i = 1; i < 10; i++) {
		tids[i] = rb_thread_create(chain_link, (void *)i);
		KCHECK(tids[i] > 0, "thread_create %d", tids[i]);
	}
	while (chain_ready < 9)
		rb_sched_yield();
	for (int i = 0; i < 20; i++)
		rb_sched_yield();
	KEXPECT(rb_futex_unlock_pi(&chain_locks[0]), 0);
	for (int i = 1; i < 10; i++) {
		int code = -1;
		KEXPECT(rb_thread_join(tids[i], &code), 0);
		KEXPECT(code, 0);
	}
	for (int i = 0; i < 10; i++) {
		KEXPECT(rb_futex_lock_pi(&chain_locks[i], 0), 0);
		KEXPECT(rb_futex_unlock_pi(&chain_locks[i]), 0);
	}
	return 0;
}

static volatile int rt_stop;
static volatile uint64_t fair_spins;

static int rt_spinner(void *arg)
{
	(void)arg;
	int r = rb_sched_setparam(0, 1 /* FIFO */, 5);
	while (!rt_stop)
		;
	return r;
}

/* A spinning real-time thread and this (fair) thread share one CPU: RT is
   throttled to 95% of each second, so we still get to run. */
static int rt_throttle(char *why, size_t n)
{
	uint64_t one = 1, all[4] = {0};
	int got = rb_sched_getaffinity(0, sizeof all, all);
	KCHECK(got > 0, "getaffinity %d", got);
	KEXPECT(rb_sched_setaffinity(0, sizeof one, &one), 0);
	rt_stop = 0;
	int tid = rb_thread_create(rt_spinner, NULL);
	KCHECK(tid > 0, "thread_create %d", tid);
	/* Each return means the fair class got the CPU: without throttling
	   the RT spinner would keep it, and this would never return. */
	for (int i = 0; i < 20; i++)
		rb_sched_yield();
	rt_stop = 1;
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KEXPECT(code, 0);
	KEXPECT(rb_sched_setaffinity(0, (size_t)got, all), 0);
	return 0;
}

/* ---- a PI futex owner that exits without unlocking */

static uint32_t dead_word;
static volatile int dead_stage;

static int pi_locker_exits(void *arg)
{
	(void)arg;
	int r = rb_futex_lock_pi(&dead_word, 0);
	dead_stage = 1;
	while (dead_stage < 2)
		rb_sched_yield();
	return r; /* exits holding dead_word */
}

/* The next locker is handed the lock with EOWNERDEAD, whether it was
   already waiting when the owner exited or came after; never a timeout. */
static int pi_owner_exits(char *why, size_t n)
{
	for (int round = 0; round < 20; round++) {
		dead_stage = 0;
		int tid = rb_thread_create(pi_locker_exits, NULL);
		KCHECK(tid > 0, "thread_create %d", tid);
		while (dead_stage < 1)
			rb_sched_yield();
		dead_stage = 2;
		if (round & 1) { /* let it exit before we ask */
			int code = -1;
			KEXPECT(rb_thread_join(tid, &code), 0);
			KEXPECT(code, 0);
			tid = 0;
		}
		int r = rb_futex_lock_pi(&dead_word, 2000 * MS);
		int code = -1;
		if (tid)
			KEXPECT(rb_thread_join(tid, &code), 0);
		KCHECK(r == -E_OWNERDEAD, "round %d: lock after the owner exited gave %d %s", round,
		       r, err_name(r));
		KEXPECT(rb_futex_unlock_pi(&dead_word), 0);
		KEXPECT(rb_futex_lock_pi(&dead_word, 0), 0); /* reported once only */
		KEXPECT(rb_futex_unlock_pi(&dead_word), 0);
	}
	return 0;
}

const struct kcase pi_cases[] = {
    {"futex_pi: own lock again and a cycle give EDEADLK", pi_cycle},
    {"futex_pi: a chain of 9 waiters unwinds in order", pi_chain},
    {"sched: a spinning RT thread is throttled, fair threads still run", rt_throttle},
    {"futex_pi: an owner that exits hands the lock on with EOWNERDEAD", pi_owner_exits},
    {NULL, NULL},
};
