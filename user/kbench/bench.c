/*
 * kbench - micro-benchmarks of the kernel's basic paths (init=/bin/kbench).
 *
 * "kbench [batches=B] [scale=S]": every figure is measured in B batches
 * (default 5) of a fixed number of iterations (times S, default 1) with
 * the monotonic clock; the line "bench: NAME ns=N" gives the median batch
 * divided by its iterations. Figures: null system call; sched_yield
 * between two threads on one CPU; futex wake/wait round trip between two
 * threads on one CPU and with one thread on each of two CPUs; thread
 * create + join; process spawn + wait; 1 MiB anonymous mmap + munmap
 * untouched, and with every page touched; and the first-touch fault per
 * page (only the touches of a fresh demand-paged mapping are timed; the
 * figure fails if a page was present before its touch); scheduling: the
 * wake-up latency of a thread sleeping on a futex (waker on the same CPU
 * and on another), the overshoot of a 1 ms sleep, and the priority-
 * inversion bound over a priority-inheriting lock (pi_bound, the worst
 * round, and pi_wait_median; see "priority inversion" below). IPC, each with
 * the other end on the caller's CPU (_1cpu) and on CPU 1 (_2cpu): a
 * 1-byte round trip through two pipes to a child process, 64 KiB reads
 * from a pipe a child fills ("MB/s=" too), a 1-byte read from a user
 * scheme served by a thread and a 64 KiB one, a 1-byte round trip over a
 * stream socket (Unix socketpair on Linux, an ipcd stream on Red Bear)
 * and 64 KiB reads from one a child fills;
 * a figure the system cannot have says "NAME skipped: why". The other
 * end of the pipe and socket figures is this program again, as "kbench
 * child MODE CPUS ARG" (child_main). The run ends
 * with "bench: done" ("bench: done, with errors" when a figure could not
 * be measured; it then shows ns=0). "kbench svc ..." measures the service
 * restart figure instead (os_svc_main; Red Bear's is svc_redbear.c);
 * "kbench disk ..." the disk read figures (disk.c).
 *
 * The loops are portable C; every system call goes through os.h, so the
 * same file builds for another system with its own os_*.c. Single-threaded
 * except for the two-thread loops, whose shared words are atomics, and
 * the scheme server thread of os_redbear.c; the IPC globals (peer_cpus,
 * missing, chunk_buf) belong to the main thread. The wake-up and inversion
 * loops share a static struct with their threads through atomics and
 * futex words only; the main thread reads the results after the joins.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "disk.h"
#include "os.h"

#define MAX_BATCHES 15
#define MIB (1024 * 1024)
#define PAGE 4096

static const char usage[] =
    "usage: kbench [batches=B] [scale=S] | kbench svc [service=NAME] [path=PATH] [runs=K]\n"
    "       | kbench disk [mib=M] [ops=N] [threads=T] NAME=PATH ...\n"
    "Micro-benchmarks of the kernel, one line \"bench: NAME ns=N\" per figure (normally\n"
    "run as init: init=/bin/kbench). batches: batches per figure (1-15, default 5);\n"
    "scale: iterations times S. \"kbench svc\" (root, on a normal boot) kills a\n"
    "service init supervises K times and prints svc_restart. \"kbench disk\" prints\n"
    "disk read figures (kbench disk --help). See docs/stress.md, docs/performance.md.\n";

static int batches = 5, errors;
static uint64_t scale = 1;

/* One batch of a benchmark: run n iterations, return elapsed ns (0: failed). */
typedef uint64_t (*batch_fn)(uint64_t n);

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Run fn in batches of n iterations; the median ns per iteration (0 if any failed). */
static uint64_t measure(batch_fn fn, uint64_t n)
{
	uint64_t v[MAX_BATCHES];
	n *= scale;
	for (int b = 0; b < batches; b++) {
		v[b] = fn(n);
		if (!v[b])
			return 0;
	}
	return median(v, batches) / n;
}

static void report(const char *name, uint64_t ns)
{
	if (!ns) {
		errors++;
		os_note("# could not measure the next figure");
	}
	os_report(name, ns);
}

static uint64_t b_null(uint64_t n)
{
	uint64_t t0 = os_now_ns();
	for (uint64_t i = 0; i < n; i++)
		os_null_syscall();
	return os_now_ns() - t0 + 1;
}

/* ---- two threads: yield, futex ping-pong ---- */

struct pair {
	uint64_t n;
	uint64_t peer_cpus; /* the second thread's CPUs; 0: the first thread's */
	uint32_t ping, pong, ready;
};

static int yielder(void *arg)
{
	struct pair *p = arg;
	for (uint64_t i = 0; i < p->n; i++)
		os_yield();
	return 0;
}

static uint64_t b_yield(uint64_t n)
{
	struct pair p = {.n = n};
	int h = os_thread_start(yielder, &p);
	if (h < 0)
		return 0;
	uint64_t t0 = os_now_ns(); /* the thread's creation is not timed */
	yielder(&p);
	os_thread_join(h);
	return (os_now_ns() - t0) / 2 + 1; /* two yields per iteration */
}

static void wait_for(uint32_t *word, uint32_t val)
{
	uint32_t cur;
	while ((cur = __atomic_load_n(word, __ATOMIC_ACQUIRE)) != val)
		os_futex_wait(word, cur);
}

static void post(uint32_t *word, uint32_t val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	os_futex_wake(word);
}

static int ponger(void *arg)
{
	struct pair *p = arg;
	if (p->peer_cpus && os_set_cpus(p->peer_cpus) < 0)
		p->n = 0; /* not where it must be: b_pingpong reports a failure */
	post(&p->ready, 1);
	for (uint32_t i = 1; i <= p->n; i++) {
		wait_for(&p->ping, i);
		post(&p->pong, i);
	}
	return 0;
}

static uint64_t pingpong(uint64_t n, uint64_t peer_cpus)
{
	struct pair p = {.n = n, .peer_cpus = peer_cpus};
	int h = os_thread_start(ponger, &p);
	if (h < 0)
		return 0;
	wait_for(&p.ready, 1); /* the peer is on its CPU: its move is not timed */
	if (p.n != n) {
		os_thread_join(h);
		return 0;
	}
	uint64_t t0 = os_now_ns();
	for (uint32_t i = 1; i <= n; i++) {
		post(&p.ping, i);
		wait_for(&p.pong, i);
	}
	uint64_t dt = os_now_ns() - t0;
	os_thread_join(h);
	return dt + 1;
}

/* Both threads on the caller's CPUs (os_set_cpus before). */
static uint64_t b_pingpong(uint64_t n)
{
	return pingpong(n, 0);
}

/* The caller on CPU 0 (os_set_cpus before), the peer on CPU 1. */
static uint64_t b_pingpong_split(uint64_t n)
{
	return pingpong(n, 2);
}

/* ---- wake-up latency and sleep overshoot ---- */

#define WAKE_SAMPLES 100
#define SETTLE_NS 100000ull /* the waker's pause before each wake */

struct wake {
	uint32_t n;
	uint64_t peer_cpus; /* the sleeper's CPUs; 0: the waker's */
	uint32_t word, ready, done, bad;
	uint64_t t_wake; /* when the waker called wake (its clock) */
	uint32_t valid;
	uint64_t lat[WAKE_SAMPLES];
};

/* Sleep on w->word n times; each wake-up that found us asleep is a sample. */
static int sleeper(void *arg)
{
	struct wake *w = arg;
	if (w->peer_cpus && os_set_cpus(w->peer_cpus) < 0)
		w->bad = 1; /* not where it must be: b_wakeup reports a failure */
	for (uint32_t i = 1; i <= w->n; i++) {
		post(&w->ready, i);
		int r;
		do
			r = os_futex_sleep(&w->word, i - 1);
		while (r > 0 && __atomic_load_n(&w->word, __ATOMIC_ACQUIRE) != i);
		uint64_t t = os_now_ns();
		if (r > 0 && !w->bad)
			w->lat[w->valid++] = t - __atomic_load_n(&w->t_wake, __ATOMIC_ACQUIRE);
		wait_for(&w->word, i); /* r == 0: the wake came before the sleep (no sample) */
		post(&w->done, i);
	}
	return 0;
}

/* The median time from a futex wake to the woken thread running; 0 if failed. */
static uint64_t wakeup(uint64_t peer)
{
	static struct wake w;
	w = (struct wake){.n = WAKE_SAMPLES, .peer_cpus = peer};
	int h = os_thread_start(sleeper, &w);
	if (h < 0)
		return 0;
	for (uint32_t i = 1; i <= w.n; i++) {
		wait_for(&w.ready, i);
		/* let the sleeper reach its sleep: on one CPU sleep a little (a
		   yield is not enough on Linux), on two spin a little; a wake that
		   comes too early is not counted */
		if (peer)
			for (uint64_t t0 = os_now_ns(); os_now_ns() - t0 < SETTLE_NS;)
				;
		else
			os_sleep_ns(SETTLE_NS);
		__atomic_store_n(&w.t_wake, os_now_ns(), __ATOMIC_RELEASE);
		post(&w.word, i);
		wait_for(&w.done, i);
	}
	os_thread_join(h);
	if (w.bad || w.valid < w.n / 4)
		return 0;
	return median(w.lat, (int)w.valid) + 1;
}

/* Median of the batches' medians; 0 if any batch failed. */
static uint64_t measure_median(uint64_t (*fn)(uint64_t arg), uint64_t arg)
{
	uint64_t v[MAX_BATCHES];
	for (int b = 0; b < batches; b++)
		if (!(v[b] = fn(arg)))
			return 0;
	return median(v, batches);
}

#define SLEEP_NS 1000000ull
#define SLEEP_SAMPLES 20

/* How much later than asked a 1 ms sleep ends (median of a batch); 0 if failed. */
static uint64_t sleep_overshoot(uint64_t unused)
{
	uint64_t v[SLEEP_SAMPLES];
	for (int i = 0; i < SLEEP_SAMPLES; i++) {
		uint64_t t0 = os_now_ns();
		if (os_sleep_ns(SLEEP_NS) < 0)
			return 0;
		uint64_t dt = os_now_ns() - t0;
		v[i] = dt > SLEEP_NS ? dt - SLEEP_NS : 0;
	}
	return median(v, SLEEP_SAMPLES) + 1;
}

/* ---- priority inversion: a PI lock, its low-priority holder, medium load ---- */

/*
 * Round r: the low thread (RT level 1, CPU 0) takes the lock and spins
 * until every medium thread (RT level 5, one pinned to each CPU) is
 * running; the one on CPU 0 preempts it. Then the high thread (level 8, on
 * CPU 1, or 0 with one CPU) asks for the lock. With inheritance the holder
 * runs at once at level 8, holds the lock for its critical section
 * (PI_SECTION_NS of its own running), releases it, and the high thread
 * runs. The round's figure is the high thread's wait minus that section:
 * the time lost to the boost and the two switches. Without inheritance
 * the holder would wait for the medium threads, which give up after
 * MED_CAP_NS (the plans' 100 ms), so a failure shows as ~100 ms.
 */
#define PI_MAX_ROUNDS 200
#define PI_ROUNDS_PER_BATCH 40
#define PI_BUDGET_NS 3000000000ull /* stop after 3 s whatever the rounds */
#define PI_SECTION_NS 50000ull
#define MED_CAP_NS 100000000ull
#define PI_LOW 1
#define PI_MED 5
#define PI_HIGH 8
#define QUIT 0xffffffffu
#define MAX_MEDS 64

struct inversion {
	struct os_pi *lock;
	uint64_t low_cpus, high_cpus;
	uint32_t nmed, rounds;
	uint32_t started, low_go, held, med_go, checked_in, med_stop, err;
	uint64_t sec_t0, sec_t1; /* the holder's last critical section */
	uint32_t done;
	uint64_t excess[PI_MAX_ROUNDS];
};

struct medium {
	struct inversion *iv;
	uint64_t cpus;
};

static void fail_iv(struct inversion *iv)
{
	__atomic_store_n(&iv->err, 1, __ATOMIC_RELEASE);
}

/* Wait until *word >= val (a generation, or QUIT); returns *word. */
static uint32_t wait_ge(uint32_t *word, uint32_t val)
{
	uint32_t cur;
	while ((cur = __atomic_load_n(word, __ATOMIC_ACQUIRE)) < val)
		os_futex_wait(word, cur);
	return cur;
}

static void started(struct inversion *iv)
{
	__atomic_add_fetch(&iv->started, 1, __ATOMIC_ACQ_REL);
	os_futex_wake_all(&iv->started);
}

static int pi_medium(void *arg)
{
	struct medium *m = arg;
	struct inversion *iv = m->iv;
	if (os_set_cpus(m->cpus) < 0 || os_set_rt(PI_MED) < 0)
		fail_iv(iv);
	started(iv);
	for (uint32_t r = 1; wait_ge(&iv->med_go, r) != QUIT; r++) {
		__atomic_add_fetch(&iv->checked_in, 1, __ATOMIC_ACQ_REL);
		os_futex_wake_all(&iv->checked_in);
		uint64_t cap = os_now_ns() + MED_CAP_NS;
		for (uint32_t k = 1; __atomic_load_n(&iv->med_stop, __ATOMIC_ACQUIRE) < r; k++)
			if (k % 256 == 0 && os_now_ns() > cap)
				break; /* CPU-bound, but not for ever */
	}
	return 0;
}

static int pi_low(void *arg)
{
	struct inversion *iv = arg;
	if (os_set_cpus(iv->low_cpus) < 0 || os_set_rt(PI_LOW) < 0)
		fail_iv(iv);
	started(iv);
	for (uint32_t r = 1; wait_ge(&iv->low_go, r) != QUIT; r++) {
		if (os_pi_lock(iv->lock) < 0) {
			fail_iv(iv);
			post(&iv->held, r);
			continue;
		}
		post(&iv->held, r);
		while (__atomic_load_n(&iv->checked_in, __ATOMIC_ACQUIRE) < r * iv->nmed &&
		       !__atomic_load_n(&iv->err, __ATOMIC_ACQUIRE))
			; /* preempted here by the medium thread on our CPU */
		uint64_t t0 = os_now_ns(), t1;
		while ((t1 = os_now_ns()) - t0 < PI_SECTION_NS)
			; /* the critical section */
		__atomic_store_n(&iv->sec_t0, t0, __ATOMIC_RELAXED);
		__atomic_store_n(&iv->sec_t1, t1, __ATOMIC_RELEASE);
		if (os_pi_unlock(iv->lock) < 0)
			fail_iv(iv);
	}
	return 0;
}

static void pi_round(struct inversion *iv, uint32_t r)
{
	post(&iv->low_go, r);
	wait_for(&iv->held, r);
	if (__atomic_load_n(&iv->err, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&iv->med_go, r, __ATOMIC_RELEASE);
	os_futex_wake_all(&iv->med_go);
	wait_ge(&iv->checked_in, r * iv->nmed);
	uint64_t t0 = os_now_ns();
	int e = os_pi_lock(iv->lock);
	uint64_t t1 = os_now_ns();
	uint64_t s1 = __atomic_load_n(&iv->sec_t1, __ATOMIC_ACQUIRE);
	uint64_t s0 = __atomic_load_n(&iv->sec_t0, __ATOMIC_RELAXED);
	if (e < 0 || os_pi_unlock(iv->lock) < 0)
		fail_iv(iv);
	__atomic_store_n(&iv->med_stop, r, __ATOMIC_RELEASE);
	uint64_t wait = t1 - t0, section = s1 - s0;
	iv->excess[iv->done++] = wait > section ? wait - section : 0;
}

/* Tell the low and the medium threads to end (they may be waiting or spinning). */
static void pi_quit(struct inversion *iv)
{
	post(&iv->low_go, QUIT);
	__atomic_store_n(&iv->med_go, QUIT, __ATOMIC_RELEASE);
	os_futex_wake_all(&iv->med_go);
	__atomic_store_n(&iv->med_stop, QUIT, __ATOMIC_RELEASE);
}

static int pi_high(void *arg)
{
	struct inversion *iv = arg;
	if (os_set_cpus(iv->high_cpus) < 0 || os_set_rt(PI_HIGH) < 0)
		fail_iv(iv);
	wait_ge(&iv->started, iv->nmed + 1);
	uint64_t end = os_now_ns() + PI_BUDGET_NS;
	for (uint32_t r = 1; r <= iv->rounds && !__atomic_load_n(&iv->err, __ATOMIC_ACQUIRE); r++) {
		pi_round(iv, r);
		if (os_now_ns() > end)
			break;
	}
	pi_quit(iv);
	return 0;
}

/* Run the rounds over the CPUs in all; worst and median excess into out[2]; 0 or -1. */
static int inversion(uint64_t all, uint64_t out[2])
{
	static struct inversion iv;
	static struct medium meds[MAX_MEDS];
	int handles[MAX_MEDS + 2], nh = 0;
	uint64_t rounds = (uint64_t)PI_ROUNDS_PER_BATCH * (uint64_t)batches * scale;
	iv =
	    (struct inversion){.rounds = rounds > PI_MAX_ROUNDS ? PI_MAX_ROUNDS : (uint32_t)rounds};
	iv.lock = os_pi_create();
	if (!iv.lock)
		return -1;
	uint64_t low = all & -all, rest = all & ~low;
	iv.low_cpus = low;
	iv.high_cpus = rest ? rest & -rest : low; /* CPU 1 when there is one */
	for (int c = 0; c < 64 && iv.nmed < MAX_MEDS; c++)
		if (all >> c & 1)
			meds[iv.nmed++] = (struct medium){&iv, 1ull << c};
	for (uint32_t i = 0; i < iv.nmed; i++)
		if ((handles[nh] = os_thread_start(pi_medium, &meds[i])) > 0)
			nh++;
	if ((handles[nh] = os_thread_start(pi_low, &iv)) > 0)
		nh++;
	if (nh == (int)iv.nmed + 1 && (handles[nh] = os_thread_start(pi_high, &iv)) > 0) {
		nh++;
	} else { /* a thread is missing: release the others */
		fail_iv(&iv);
		pi_quit(&iv);
	}
	for (int i = nh - 1; i >= 0; i--) /* the high thread first: it ends the others */
		os_thread_join(handles[i]);
	os_pi_destroy(iv.lock);
	if (iv.err || !iv.done)
		return -1;
	uint64_t worst = 0;
	for (uint32_t i = 0; i < iv.done; i++)
		worst = iv.excess[i] > worst ? iv.excess[i] : worst;
	out[0] = worst + 1;
	out[1] = median(iv.excess, (int)iv.done) + 1;
	return 0;
}

/* ---- threads and processes ---- */

static int empty_thread(void *arg)
{
	return 0;
}

static uint64_t b_thread(uint64_t n)
{
	uint64_t t0 = os_now_ns();
	for (uint64_t i = 0; i < n; i++) {
		int h = os_thread_start(empty_thread, NULL);
		if (h < 0 || os_thread_join(h) < 0)
			return 0;
	}
	return os_now_ns() - t0 + 1;
}

static uint64_t b_spawn(uint64_t n)
{
	uint64_t t0 = os_now_ns();
	for (uint64_t i = 0; i < n; i++)
		if (os_spawn_wait() < 0)
			return 0;
	return os_now_ns() - t0 + 1;
}

/* ---- memory ---- */

static uint64_t map_loop(uint64_t n, int touch)
{
	uint64_t t0 = os_now_ns();
	for (uint64_t i = 0; i < n; i++) {
		volatile char *p = os_map(MIB);
		if (!p)
			return 0;
		for (int off = 0; touch && off < MIB; off += PAGE)
			p[off] = 1;
		os_unmap((void *)p, MIB);
	}
	return os_now_ns() - t0 + 1;
}

static uint64_t b_map(uint64_t n)
{
	return map_loop(n, 0);
}

static uint64_t b_map_touch(uint64_t n)
{
	return map_loop(n, 1);
}

/* Only the first touches of fresh mappings are timed: one fault per page. */
static uint64_t b_fault(uint64_t n)
{
	uint64_t dt = 0;
	for (uint64_t i = 0; i < n; i++) {
		volatile char *p = os_map(MIB);
		if (!p)
			return 0;
		int before = os_page_present((const void *)p); /* must fault: 0 */
		uint64_t t0 = os_now_ns();
		for (int off = 0; off < MIB; off += PAGE)
			p[off] = 1;
		dt += os_now_ns() - t0;
		int after = os_page_present((const void *)p);
		os_unmap((void *)p, MIB);
		if (before != 0 || after != 1)
			return 0;
	}
	return dt + 1;
}

/* ---- IPC: pipes, stream sockets and user schemes, on one CPU and on two ---- */

#define CHUNK 65536

static uint64_t peer_cpus = 1; /* the other end's CPUs: 1 (CPU 0, ours) or 2 (CPU 1) */
static bool missing;	       /* the last batch found its facility absent (OS_NONE) */
static char chunk_buf[CHUNK];

/* Decimal digits of v into buf (24 bytes). */
static void u64_str(char *buf, uint64_t v)
{
	char tmp[24];
	int k = 0;
	do
		tmp[k++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (k > 0)
		*buf++ = tmp[--k];
	*buf = '\0';
}

static uint64_t str_u64(const char *s)
{
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

static int read_full(int fd, char *buf, size_t n)
{
	while (n > 0) {
		long r = os_read(fd, buf, n);
		if (r <= 0)
			return -1;
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

/* n 1-byte round trips over to/from (an echo child at the other end); ns or 0. */
static uint64_t round_trips(int to, int from, uint64_t n)
{
	char c = 'x';
	if (os_write(to, &c, 1) != 1 || os_read(from, &c, 1) != 1)
		return 0; /* the first trip (the child's start) is not timed */
	uint64_t t0 = os_now_ns();
	for (uint64_t i = 0; i < n; i++)
		if (os_write(to, &c, 1) != 1 || os_read(from, &c, 1) != 1)
			return 0;
	return os_now_ns() - t0 + 1;
}

static uint64_t b_pipe_rtt(uint64_t n)
{
	int to[2], from[2];
	if (os_pipe(to) < 0)
		return 0;
	if (os_pipe(from) < 0) {
		os_close(to[0]);
		os_close(to[1]);
		return 0;
	}
	int h = os_spawn_child("echo", peer_cpus, "-", to[0], from[1]);
	os_close(to[0]);
	os_close(from[1]);
	uint64_t dt = h > 0 ? round_trips(to[1], from[0], n) : 0;
	os_close(to[1]); /* the child reads the end of its input and exits */
	os_close(from[0]);
	return h > 0 && os_wait_child(h) == 0 ? dt : 0;
}

/* n reads of 64 KiB from a pipe that a "source" child fills; ns or 0. */
static uint64_t b_pipe_read(uint64_t n)
{
	int p[2];
	char arg[24], c;
	if (os_pipe(p) < 0)
		return 0;
	u64_str(arg, n);
	int h = os_spawn_child("source", peer_cpus, arg, -1, p[1]);
	os_close(p[1]);
	uint64_t dt = 0, i = 0;
	if (h > 0 && os_read(p[0], &c, 1) == 1) { /* the child is up: its start is not timed */
		uint64_t t0 = os_now_ns();
		while (i < n && read_full(p[0], chunk_buf, CHUNK) == 0)
			i++;
		dt = i == n ? os_now_ns() - t0 + 1 : 0;
	}
	os_close(p[0]);
	return h > 0 && os_wait_child(h) == 0 ? dt : 0;
}

static uint64_t b_stream_rtt(uint64_t n)
{
	int fd, h = os_stream_child(peer_cpus, "echo-stream", &fd);
	missing = h == OS_NONE;
	if (h < 0)
		return 0;
	uint64_t dt = round_trips(fd, fd, n);
	os_close(fd); /* the child reads the end of the stream and exits */
	return os_wait_child(h) == 0 ? dt : 0;
}

/* n reads of 64 KiB from a stream socket a "source-stream" child fills; ns or 0. */
static uint64_t b_stream_read(uint64_t n)
{
	int fd, h = os_stream_child(peer_cpus, "source-stream", &fd);
	missing = h == OS_NONE;
	if (h < 0)
		return 0;
	char c;
	uint64_t dt = 0, i = 0;
	if (os_write(fd, &n, sizeof n) == (long)sizeof n && os_read(fd, &c, 1) == 1) {
		uint64_t t0 = os_now_ns(); /* the child is up: its start is not timed */
		while (i < n && read_full(fd, chunk_buf, CHUNK) == 0)
			i++;
		dt = i == n ? os_now_ns() - t0 + 1 : 0;
	}
	os_close(fd);
	return os_wait_child(h) == 0 ? dt : 0;
}

/* n reads of size bytes from a user scheme served by a thread on peer_cpus. */
static uint64_t scheme_reads(uint64_t n, size_t size)
{
	int h = os_scheme_start(peer_cpus);
	missing = h == OS_NONE;
	if (h < 0)
		return 0;
	int fd = os_scheme_open(h);
	if (fd < 0)
		return 0; /* the server waits for a CLOSE that never comes: leave it */
	uint64_t dt = 0, i = 0;
	if (os_read(fd, chunk_buf, size) == (long)size) { /* the first is not timed */
		uint64_t t0 = os_now_ns();
		while (i < n && os_read(fd, chunk_buf, size) == (long)size)
			i++;
		dt = i == n ? os_now_ns() - t0 + 1 : 0;
	}
	os_close(fd); /* the server gets CLOSE and ends */
	return os_scheme_stop(h) == 0 ? dt : 0;
}

static uint64_t b_scheme_rtt(uint64_t n)
{
	return scheme_reads(n, 1);
}

static uint64_t b_scheme_read(uint64_t n)
{
	return scheme_reads(n, CHUNK);
}

static void join(char *out, size_t size, const char *a, const char *b)
{
	size_t ka = strlen(a), kb = strlen(b);
	if (ka + kb >= size)
		ka = kb = 0;
	memcpy(out, a, ka);
	memcpy(out + ka, b, kb);
	out[ka + kb] = '\0';
}

/* One IPC figure base+suffix: ns per iteration, or MB/s too for a 64 KiB one. */
static void report_ipc(const char *base, const char *suffix, uint64_t ns, bool rate,
		       const char *why_missing)
{
	char name[48], line[96];
	join(name, sizeof name, base, suffix);
	if (missing) { /* the system has no such thing: not an error */
		join(line, sizeof line, name, why_missing);
		os_note(line);
		missing = false;
	} else if (rate && ns) {
		os_report_rate(name, ns, CHUNK);
	} else {
		report(name, ns);
	}
}

/* Each IPC figure with the other end on our CPU (_1cpu) and on CPU 1 (_2cpu). */
static void ipc_figures(bool cpu0, uint64_t all)
{
	static const char *const suffix[2] = {"_1cpu", "_2cpu"};
	for (int split = 0; split < 2; split++) {
		const char *sfx = suffix[split];
		bool ok = cpu0 && (!split || (all & 3) == 3);
		peer_cpus = split ? 2 : 1;
		report_ipc("pipe_rtt", sfx, ok ? measure(b_pipe_rtt, 500) : 0, false, "");
		report_ipc("pipe_read_64k", sfx, ok ? measure(b_pipe_read, 20) : 0, true, "");
		report_ipc("scheme_rtt", sfx, ok ? measure(b_scheme_rtt, 500) : 0, false,
			   " skipped: no user schemes");
		report_ipc("scheme_read_64k", sfx, ok ? measure(b_scheme_read, 20) : 0, true,
			   " skipped: no user schemes");
		report_ipc("stream_rtt", sfx, ok ? measure(b_stream_rtt, 500) : 0, false,
			   " skipped: no ipc:");
		report_ipc("stream_read_64k", sfx, ok ? measure(b_stream_read, 20) : 0, true,
			   " skipped: no ipc:");
	}
}

/* pi_bound (the worst round) and pi_wait_median, or why they are missing. */
static void pi_figures(uint64_t all)
{
	uint64_t out[2] = {0, 0};
	int rt = os_set_rt(PI_LOW); /* may this system (and user) use RT levels? */
	os_set_rt(0);
	if (rt == OS_NONE) {
		os_note("pi_bound skipped: no real-time priorities");
		os_note("pi_wait_median skipped: no real-time priorities");
		return;
	}
	if (rt < 0 || inversion(all, out) < 0)
		out[0] = out[1] = 0;
	report("pi_bound", out[0]);
	report("pi_wait_median", out[1]);
}

/* ---- the other end of the IPC figures: "kbench child MODE CPUS ARG" ---- */

/* Echo bytes from in to out until in ends; 0 or 1. */
static int echo(int in, int out)
{
	char c;
	long r;
	while ((r = os_read(in, &c, 1)) == 1)
		if (os_write(out, &c, 1) != 1)
			return 1;
	return r == 0 ? 0 : 1;
}

/* One byte (I am up), then chunks of 64 KiB on fd out; 0 or 1. */
static int source(int out, uint64_t chunks)
{
	if (os_write(out, "s", 1) != 1)
		return 1;
	for (uint64_t i = 0; i < chunks; i++)
		for (size_t off = 0; off < CHUNK;) {
			long w = os_write(out, chunk_buf + off, CHUNK - off);
			if (w <= 0)
				return 1;
			off += (size_t)w;
		}
	return 0;
}

static int child_main(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	uint64_t cpus = str_u64(argv[3]);
	if (cpus && os_set_cpus(cpus) < 0)
		return 3;
	if (strcmp(argv[2], "echo") == 0)
		return echo(0, 1);
	if (strcmp(argv[2], "source") == 0)
		return source(1, str_u64(argv[4]));
	/* a stream socket: ours as fd 0 (ARG "-"), or one to connect to by name */
	int fd = strcmp(argv[4], "-") == 0 ? 0 : os_stream_connect(argv[4]);
	uint64_t chunks;
	if (fd < 0)
		return 4;
	if (strcmp(argv[2], "echo-stream") == 0)
		return echo(fd, fd);
	if (strcmp(argv[2], "source-stream") == 0) /* the count comes first, 8 bytes */
		return read_full(fd, (char *)&chunks, sizeof chunks) < 0 ? 5 : source(fd, chunks);
	return 2;
}

static int parse_arg(const char *a, const char *key, uint64_t *out)
{
	size_t k = strlen(key);
	if (strncmp(a, key, k) != 0 || a[k] != '=')
		return 0;
	uint64_t v = 0;
	if (!a[k + 1])
		return 0;
	for (a += k + 1; *a; a++) {
		if (*a < '0' || *a > '9')
			return 0;
		v = v * 10 + (uint64_t)(*a - '0');
	}
	*out = v;
	return 1;
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		uint64_t v;
		const char *a = argv[i];
		if (strncmp(a, "init.", 5) == 0)
			a += 5; /* as the kernel would pass init.KEY=VALUE words */
		if (parse_arg(a, "batches", &v))
			batches = v < 1 ? 1 : v > MAX_BATCHES ? MAX_BATCHES : (int)v;
		else if (parse_arg(a, "scale", &v))
			scale = v < 1 ? 1 : v;
		else
			os_note("ignoring an argument that is not batches=N or scale=N");
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_main(argc, argv); /* the other end of an IPC figure */
	if (argc > 1 && strcmp(argv[1], "svc") == 0)
		return os_svc_main(argc - 1, argv + 1); /* svc_restart, on a normal boot */
	if (argc > 1 && strcmp(argv[1], "disk") == 0)
		return disk_main(argc - 1, argv + 1); /* disk figures, with the disk stack up */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			os_print(usage);
			return 0;
		}
	parse_args(argc, argv);
	uint64_t all = os_get_cpus();
	report("null_syscall", measure(b_null, 20000));
	/* the main thread on CPU 0; the second thread inherits that, or moves to CPU 1 */
	bool cpu0 = os_set_cpus(1) == 0;
	report("yield_1cpu", cpu0 ? measure(b_yield, 2000) : 0);
	report("futex_rtt_1cpu", cpu0 ? measure(b_pingpong, 1000) : 0);
	report("futex_rtt_2cpu", cpu0 && (all & 3) == 3 ? measure(b_pingpong_split, 1000) : 0);
	report("wakeup_1cpu", cpu0 ? measure_median(wakeup, 0) : 0);
	report("wakeup_2cpu", cpu0 && (all & 3) == 3 ? measure_median(wakeup, 2) : 0);
	ipc_figures(cpu0, all);
	os_set_cpus(all ? all : ~0ull);
	report("thread_create_join", measure(b_thread, 100));
	report("spawn_wait", measure(b_spawn, 10));
	report("mmap_munmap_1m", measure(b_map, 20));
	report("mmap_touch_munmap_1m", measure(b_map_touch, 20));
	report("fault_per_page", measure(b_fault, 20) / (MIB / PAGE));
	report("sleep_overshoot", measure_median(sleep_overshoot, 0));
	pi_figures(all ? all : 1);
	os_svc_note();
	os_note(errors ? "done, with errors" : "done");
	os_finish(errors ? 1 : 0);
	return errors ? 1 : 0;
}
