/*
 * kstress - the in-guest stress and system-call fuzzer (init=/bin/kstress).
 *
 * "kstress [seed=N] [seconds=S] [rounds=R] [procs=P] [threads=T]
 * [cases=a,b,-c] [slack=PAGES] [grace=S]" (an "init." prefix on a word is
 * ignored: the kernel passes init.KEY=VALUE options on as KEY=VALUE). The
 * supervisor (this file, root, usually pid 1) prints the seed, then runs R
 * rounds of S/R seconds. A round spawns P workers ("kstress worker ...",
 * worker.c), each dropping to an unprivileged uid and running T threads of
 * random operations of the enabled cases; a worker that dies early (a
 * signal: a fault, a sibling's random kill) is replaced, and with "chaos" the supervisor SIGKILLs
 * workers now and then. At the round's end the workers stop by themselves; one still running after
 * grace seconds is killed and counted as a failure. Then every child must be reaped (waitpid gives
 * ECHILD) and the kernel's counts (SYS_KSTAT: processes, threads, futex waiters, heap, free
 * pages) must settle back to what they were before the first round (kstat_settled). Each round
 * prints "kstress: round N ok
 * (...)" or "kstress: round N FAIL (...)"; the run ends with "kstress: P passed, F failed" and
 * "kstress: done, rounds=R, failures=F, seed=0x...", and pid 1 powers the machine off.
 *
 * With the files, ipc or log case on, the supervisor first starts ramfsd,
 * logd and ipcd as its own children (svc.c), so chaos never kills them;
 * each round's end then also checks they run, serve a fresh client and
 * hold no more ipcd handles or memory than before round 1, and the
 * orphans are reaped with WNOHANG polls (the servers never end).
 *
 * Ownership: the supervisor is single-threaded; its SIGCHLD handler only
 * interrupts the sleep between polls. See docs/stress.md for the cases.
 */
#include <string.h>
#include "boot/cmdline.h"
#include "kstress.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define MAX_PROCS 16
#define MS (1000ull * 1000)
#define SLACK_AUTO (~0ull) /* 0, or ORPHAN_SLACK with the proc or memlim case */
#define ORPHAN_SLACK 64
#define SVC_SLACK 1024	     /* pages the servers' heaps may keep (docs/stress.md) */
#define SVC_HEAP_SLACK 16384 /* kernel heap bytes the servers' fd tables may have grown by */

struct opts {
	uint64_t seed;
	uint64_t seconds, rounds, procs, threads, slack, grace;
	uint32_t cases;
};

struct wslot {
	int pid; /* 0: not running */
	uint64_t gen;
	char argv_buf[6][24];
};

struct round_stats {
	uint64_t ops, respawns, kills, deaths, failures;
};

static struct opts opt = {
    .seconds = 60,
    .rounds = 0,
    .procs = 4,
    .threads = 4,
    .slack = SLACK_AUTO,
    .grace = 60,
    .cases = KST_ALL,
};
static struct wslot workers[MAX_PROCS];
static struct rb_rand chaos_rng;
static bool services; /* ramfsd, logd and ipcd run as our children (svc.c) */

int kst_ops_encode(uint64_t ops)
{
	int e = 0;
	while (ops >= 10 && e < 9) {
		ops /= 10;
		e++;
	}
	return 10 * e + (ops > 9 ? 9 : (int)ops);
}

uint64_t kst_ops_decode(int code)
{
	uint64_t v = (uint64_t)(code % 10);
	for (int e = code / 10; e > 0; e--)
		v *= 10;
	return v;
}

static int case_index(const char *name, size_t len)
{
	for (int c = 0; c < KST_NCASES; c++)
		if (strlen(kst_cases[c].name) == len && memcmp(kst_cases[c].name, name, len) == 0)
			return c;
	return -1;
}

/* "all", "mm,futex", "all,-mmhuge": the case mask, or -1 on an unknown name
   or when no case is left. */
static int parse_cases(const char *s, uint32_t *out)
{
	uint32_t m = 0;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		bool minus = *s == '-';
		const char *name = s + minus;
		size_t nlen = len - minus;
		uint32_t bits;
		if (nlen == 3 && memcmp(name, "all", 3) == 0) {
			bits = KST_ALL;
		} else {
			int c = case_index(name, nlen);
			if (c < 0)
				return -1;
			bits = 1u << c;
		}
		m = minus ? m & ~bits : m | bits;
		s += len + (e != NULL);
	}
	if (!m)
		return -1;
	*out = m;
	return 0;
}

static int parse_opt(const char *arg)
{
	if (strncmp(arg, "init.", 5) == 0)
		arg += 5;
	const char *eq = strchr(arg, '=');
	if (!eq)
		return -1;
	size_t klen = (size_t)(eq - arg);
	const char *val = eq + 1;
	if (klen == 5 && memcmp(arg, "cases", 5) == 0)
		return parse_cases(val, &opt.cases);
	static const struct {
		const char *key;
		uint64_t *dst;
	} keys[] = {{"seed", &opt.seed},   {"seconds", &opt.seconds}, {"rounds", &opt.rounds},
		    {"procs", &opt.procs}, {"threads", &opt.threads}, {"slack", &opt.slack},
		    {"grace", &opt.grace}};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i].key) == klen && memcmp(keys[i].key, arg, klen) == 0)
			return cmdline_parse_u64(val, keys[i].dst);
	return -1;
}

static void default_seed(void)
{
	struct rb_timespec ts = {0, 0};
	rb_clock_gettime(RB_CLOCK_REALTIME, &ts);
	opt.seed =
	    rb_rand_derive((uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec, rb_now_ns(), 0);
}

static void fix_opts(void)
{
	if (opt.procs < 1)
		opt.procs = 1;
	if (opt.procs > MAX_PROCS)
		opt.procs = MAX_PROCS;
	if (opt.threads < 1)
		opt.threads = 1;
	if (opt.threads > KST_MAX_THREADS)
		opt.threads = KST_MAX_THREADS;
	if (opt.seconds < 1)
		opt.seconds = 1;
	if (opt.slack == SLACK_AUTO)
		opt.slack =
		    (opt.cases & ((1u << KST_PROC) | (1u << KST_MEMLIM)) ? ORPHAN_SLACK : 0) +
		    (svc_wanted(opt.cases) ? SVC_SLACK : 0);
	if (opt.rounds == 0)
		opt.rounds = opt.seconds >= 20 ? opt.seconds / 10 : 1;
	if (opt.rounds > opt.seconds)
		opt.rounds = opt.seconds; /* a round lasts at least a second */
}

static void print_cases(char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = 0;
	for (int c = 0; c < KST_NCASES; c++)
		if (opt.cases & (1u << c))
			o = kst_appendf(buf, n, o, "%s%s", o ? "," : "", kst_cases[c].name);
}

static void on_sigchld(int sig)
{
}

/* Workers get a write-only console as fds 0-2 (opened before the baseline
   counts): a random read of a dup of it must give EBADF, not block on
   console input. */
static int worker_out = 1;

static int spawn_worker(int i, uint64_t ms)
{
	struct wslot *w = &workers[i];
	uint64_t vals[6] = {(uint64_t)i, opt.seed, w->gen, opt.cases, opt.threads, ms};
	char *argv[9] = {"kstress", "worker"};
	for (int k = 0; k < 6; k++) {
		rb_snprintf(w->argv_buf[k], sizeof w->argv_buf[k], "%#llx",
			    (unsigned long long)vals[k]);
		argv[2 + k] = w->argv_buf[k];
	}
	argv[8] = NULL;
	int console[] = {worker_out, worker_out, worker_out};
	int pid = rb_spawn("initfs:/bin/kstress", argv, NULL, console, 3);
	w->pid = pid > 0 ? pid : 0;
	w->gen++;
	return pid;
}

static int slot_of(int pid)
{
	for (int i = 0; i < (int)opt.procs; i++)
		if (workers[i].pid == pid)
			return i;
	return -1;
}

/* Account for a reaped worker's status; 1 if it reports a failed check. */
static int account(struct round_stats *st, int round, int pid, int status)
{
	if (status >= 0 && status < KST_EXIT_FAIL) {
		st->ops += kst_ops_decode(status);
		return 0;
	}
	if (status > 128 && status < 160) {
		st->deaths++; /* a fault, a chaos kill or a sibling's random signal */
		return 0;
	}
	int c = status - KST_EXIT_FAIL;
	rb_printf("kstress: round %d: worker pid %d failed (status %d, case %s)\n", round, pid,
		  status, c >= 0 && c < KST_NCASES ? kst_cases[c].name : "setup");
	st->failures++;
	return 1;
}

/* Reap every worker that has ended; one that died is respawned while respawn_ms > 100. */
static void reap_some(struct round_stats *st, int round, uint64_t respawn_ms)
{
	int status, pid;
	while ((pid = rb_waitpid(-1, &status, RB_WNOHANG)) > 0) {
		int i = slot_of(pid);
		if (i < 0 && svc_note_exit(pid, status))
			st->failures++; /* a server ended */
		if (i < 0)
			continue; /* a child of a worker that died first: adopted by us (pid 1) */
		workers[i].pid = 0;
		account(st, round, pid, status);
		bool died = status > 128 && status < 160;
		if (died && respawn_ms > 100 && spawn_worker(i, respawn_ms) > 0)
			st->respawns++;
	}
}

static int live_workers(void)
{
	int n = 0;
	for (int i = 0; i < (int)opt.procs; i++)
		n += workers[i].pid != 0;
	return n;
}

static void chaos_kill(struct round_stats *st)
{
	int i = (int)rb_rand_below(&chaos_rng, opt.procs);
	if (workers[i].pid && rb_kill(workers[i].pid, RB_SIGKILL) == 0)
		st->kills++;
}

static void run_until(struct round_stats *st, int round, uint64_t end)
{
	for (uint64_t now; (now = rb_now_ns()) < end;) {
		reap_some(st, round, (end - now) / MS);
		if ((opt.cases & (1u << KST_CHAOS)) && rb_rand_below(&chaos_rng, 40) == 0)
			chaos_kill(st);
		uint64_t left = end - rb_now_ns();
		rb_nanosleep(left < 50 * MS ? left : 50 * MS); /* ends early on SIGCHLD */
	}
}

/* Reap workers, without respawning, until none is left or secs seconds pass. */
static void reap_for_grace(struct round_stats *st, int round, uint64_t secs)
{
	uint64_t deadline = rb_now_ns() + secs * 1000 * MS;
	while (live_workers() && rb_now_ns() < deadline) {
		reap_some(st, round, 0);
		rb_nanosleep(20 * MS); /* a polling period; ends early on SIGCHLD */
	}
}

/*
 * Wait for the workers to stop by themselves. One still running after the
 * grace is a failure: SIGTERM makes it print where it is stuck and exit
 * (worker.c's on_term); what is left after LATE_S more is killed.
 */
#define LATE_S 5
static void finish_round(struct round_stats *st, int round)
{
	reap_for_grace(st, round, opt.grace);
	if (!live_workers())
		return;
	for (int i = 0; i < (int)opt.procs; i++) {
		if (!workers[i].pid)
			continue;
		rb_printf("kstress: round %d: worker %d (pid %d) still running %llus after the "
			  "round; SIGTERM\n",
			  round, i, workers[i].pid, (unsigned long long)opt.grace);
		rb_kill(workers[i].pid, RB_SIGTERM);
		st->failures++;
	}
	reap_for_grace(st, round, LATE_S);
	for (int i = 0; i < (int)opt.procs; i++)
		if (workers[i].pid) {
			rb_printf("kstress: round %d: worker %d (pid %d) did not end on SIGTERM; "
				  "SIGKILL\n",
				  round, i, workers[i].pid);
			rb_kill(workers[i].pid, RB_SIGKILL);
		}
	reap_for_grace(st, round, opt.grace);
}

/*
 * Whether the kernel's counts are back to where they were before round 1.
 * Orphans (children of a killed worker, "proc" case) stay in the process
 * table as zombies with their struct proc on the heap, as long as nobody
 * reaps them: with more zombies than at the start, the heap is not
 * compared and free pages get the slack.
 */
/*
 * Heap bytes are exact, but with the servers running: an fd table never
 * shrinks, and ipcd's holds the fds passed to it, so a round that passed
 * many at once leaves its (reallocated, still one object) table bigger.
 * Seen on 1 CPU: objects equal, bytes +640. Objects stay exact.
 */
static bool heap_bytes_back(const struct rb_kstat *k, const struct rb_kstat *k0)
{
	if (!services)
		return k->heap_bytes == k0->heap_bytes;
	return k->heap_bytes <= k0->heap_bytes + SVC_HEAP_SLACK &&
	       k->heap_bytes + SVC_HEAP_SLACK >= k0->heap_bytes;
}

static bool kstat_settled(const struct rb_kstat *k, const struct rb_kstat *k0)
{
	if (k->procs_live != k0->procs_live || k->threads_live != k0->threads_live ||
	    k->futex_waiters != k0->futex_waiters || k->procs_zombie < k0->procs_zombie ||
	    k->files_open != k0->files_open || k->shm_pages != k0->shm_pages)
		return false;
	if (k->procs_zombie > k0->procs_zombie)
		return k->free_pages + opt.slack >= k0->free_pages;
	return k->heap_objects == k0->heap_objects && heap_bytes_back(k, k0) &&
	       k->free_pages + opt.slack >= k0->free_pages;
}

/*
 * Read the counts until they are back (or the settle time is over).
 * Settling is needed because a worker's end is not instantaneous for the
 * kernel: its children ("proc" case: kchild sleeps up to 3 s) may still be
 * running as orphans, and a chaos-killed worker's threads leave at their
 * next kernel exit. We poll with sched_yield between reads (no sleep): the
 * loop ends as soon as the counts agree, and it is bounded by SETTLE_S.
 */
#define SETTLE_S 10
static int kstat_settle(struct rb_kstat *k, const struct rb_kstat *k0)
{
	uint64_t deadline = rb_now_ns() + SETTLE_S * 1000 * MS;
	int polls = 0;
	for (;;) {
		long r = rb_kstat(k);
		polls++;
		if (r < 0)
			return (int)r;
		if (kstat_settled(k, k0) || rb_now_ns() >= deadline)
			return polls;
		rb_sched_yield();
	}
}

/*
 * The baseline: the counts once they read the same six times in a row,
 * 10 ms apart (a polling period; at most 2 s). Right after the servers'
 * warm-up a request of logd's messages thread to ramfsd may still be in
 * flight, and one read would take its kernel objects into the baseline.
 */
static long kstat_quiet(struct rb_kstat *k)
{
	struct rb_kstat prev;
	uint64_t deadline = rb_now_ns() + 2000 * MS;
	long r = rb_kstat(k);
	for (int same = 0; r == (long)sizeof *k && same < 5 && rb_now_ns() < deadline;) {
		prev = *k;
		rb_nanosleep(10 * MS);
		r = rb_kstat(k);
		same = memcmp(&prev, k, sizeof prev) == 0 ? same + 1 : 0;
	}
	return r;
}

static int check_kstat(int round, const struct rb_kstat *k0, struct rb_kstat *k)
{
	int polls = kstat_settle(k, k0);
	if (polls < 0) {
		rb_printf("kstress: round %d: kstat: %d (%s)\n", round, polls, err_name(polls));
		return 1;
	}
	if (kstat_settled(k, k0))
		return 0;
	rb_printf("kstress: round %d: kernel counts not back after %d s (%d polls): "
		  "procs %llu/%llu zombies %llu/%llu threads %llu/%llu futex waiters %llu/%llu "
		  "heap objects %llu/%llu bytes %llu/%llu free pages %llu/%llu files %llu/%llu "
		  "shm pages %llu/%llu (now/before, slack %llu)\n",
		  round, SETTLE_S, polls, k->procs_live, k0->procs_live, k->procs_zombie,
		  k0->procs_zombie, k->threads_live, k0->threads_live, k->futex_waiters,
		  k0->futex_waiters, k->heap_objects, k0->heap_objects, k->heap_bytes,
		  k0->heap_bytes, k->free_pages, k0->free_pages, k->files_open, k0->files_open,
		  k->shm_pages, k0->shm_pages, (unsigned long long)opt.slack);
	return 1;
}

/*
 * Children of workers that died before them are ours now (init adopts
 * orphans): reap them (kchild ends within 3 s), then nothing is left but
 * the servers. Without servers a blocking waitpid(-1) must end in ECHILD;
 * with them it would wait for ever, so we poll with WNOHANG (a polling
 * period, bounded by SETTLE_S) until the kernel counts no more processes
 * than before round 1, and waitpid must then give 0 (children, none ended).
 */
static int reap_orphans(struct round_stats *st, int round, const struct rb_kstat *k0)
{
	int status, r;
	if (!services) {
		while ((r = rb_waitpid(-1, &status, 0)) == -E_INTR || (r > 0 && slot_of(r) < 0))
			;
		if (r == -E_CHILD)
			return 0;
		rb_printf("kstress: round %d: waitpid(-1) = %d after the round, want ECHILD\n",
			  round, r);
		return 1;
	}
	uint64_t end = rb_now_ns() + SETTLE_S * 1000 * MS;
	for (;;) {
		while ((r = rb_waitpid(-1, &status, RB_WNOHANG)) > 0 || r == -E_INTR)
			if (r > 0 && svc_note_exit(r, status))
				st->failures++;
		if (r != 0) {
			rb_printf("kstress: round %d: waitpid(-1, WNOHANG) = %d after the round, "
				  "want 0 (the servers run)\n",
				  round, r);
			return 1;
		}
		struct rb_kstat k;
		if (rb_kstat(&k) < 0 || k.procs_live <= k0->procs_live || rb_now_ns() >= end)
			return 0;      /* check_kstat judges the counts */
		rb_nanosleep(20 * MS); /* a polling period; ends early on SIGCHLD */
	}
}

static int run_round(int round, const struct rb_kstat *k0)
{
	struct round_stats st = {0};
	struct rb_kstat k;
	uint64_t ms = opt.seconds * 1000 / opt.rounds, end = rb_now_ns() + ms * MS;
	for (int i = 0; i < (int)opt.procs; i++) {
		int pid = spawn_worker(i, (end - rb_now_ns()) / MS);
		if (pid < 0) {
			rb_printf("kstress: round %d: spawn worker %d: %d (%s)\n", round, i, pid,
				  err_name(pid));
			st.failures++;
		}
	}
	run_until(&st, round, end);
	finish_round(&st, round);
	st.failures += (uint64_t)reap_orphans(&st, round, k0);
	if (services)
		st.failures += (uint64_t)svc_round_check(round);
	st.failures += (uint64_t)check_kstat(round, k0, &k);
	rb_printf("kstress: round %d %s (ops=%llu, respawns=%llu, kills=%llu, deaths=%llu, "
		  "procs=%llu zombies=%llu threads=%llu futexw=%llu heap=%llu/%llu "
		  "free pages=%llu, baseline=%llu)\n",
		  round, st.failures ? "FAIL" : "ok", (unsigned long long)st.ops,
		  (unsigned long long)st.respawns, (unsigned long long)st.kills,
		  (unsigned long long)st.deaths, k.procs_live, k.procs_zombie, k.threads_live,
		  k.futex_waiters, k.heap_objects, k.heap_bytes, k.free_pages, k0->free_pages);
	return st.failures ? 1 : 0;
}

int main(int argc, char **argv, char **envp)
{
	if (argc >= 2 && strcmp(argv[1], "worker") == 0)
		return kst_worker_main(argc - 2, argv + 2);
	for (int i = 1; i < argc; i++)
		if (parse_opt(argv[i]) < 0)
			rb_printf("kstress: ignoring argument \"%s\"\n", argv[i]);
	if (!opt.seed)
		default_seed(); /* seed=0 also asks for a fresh one */
	fix_opts();
	rb_printf("kstress: seed %#llx\n", (unsigned long long)opt.seed);
	char names[128];
	print_cases(names, sizeof names);
	rb_printf("kstress: seconds=%llu rounds=%llu procs=%llu threads=%llu slack=%llu cases=%s\n",
		  (unsigned long long)opt.seconds, (unsigned long long)opt.rounds,
		  (unsigned long long)opt.procs, (unsigned long long)opt.threads,
		  (unsigned long long)opt.slack, names);
	rb_rand_seed(&chaos_rng, rb_rand_derive(opt.seed, 0xc4a05, 0));
	struct rb_sigaction sa = {on_sigchld, 0, 0, NULL};
	rb_sigaction(RB_SIGCHLD, &sa, NULL);
	if (svc_wanted(opt.cases)) {
		int bad = svc_start();
		if (bad) {
			rb_printf("kstress: done, rounds=0, failures=%d, seed=%#llx\n", bad,
				  (unsigned long long)opt.seed);
			return 1;
		}
		services = true;
	}
	int out = rb_open("debug:", RB_O_WRONLY);
	if (out >= 0)
		worker_out = out; /* else workers share our read-write console */
	struct rb_kstat k0;
	long kr = kstat_quiet(&k0);
	if (kr != (long)sizeof k0 || k0.version != RB_KSTAT_VERSION) {
		rb_printf("kstress: kstat: %ld (%s), version %u; cannot check the kernel\n", kr,
			  err_name((int)kr), k0.version);
		rb_printf("kstress: done, rounds=0, failures=1, seed=%#llx\n",
			  (unsigned long long)opt.seed);
		return 1;
	}
	rb_printf("kstress: before round 1: procs=%llu zombies=%llu threads=%llu futexw=%llu "
		  "heap=%llu/%llu free pages=%llu\n",
		  k0.procs_live, k0.procs_zombie, k0.threads_live, k0.futex_waiters,
		  k0.heap_objects, k0.heap_bytes, k0.free_pages);
	int failed = 0;
	for (int round = 1; round <= (int)opt.rounds; round++)
		failed += run_round(round, &k0);
	rb_printf("kstress: %d passed, %d failed\n", (int)opt.rounds - failed, failed);
	rb_printf("kstress: done, rounds=%d, failures=%d, seed=%#llx\n", (int)opt.rounds, failed,
		  (unsigned long long)opt.seed);
	if (rb_getpid() == 1) {
		int r = rb_poweroff();
		rb_printf("kstress: poweroff returned %d (%s)\n", r, err_name(r));
	}
	return failed ? 1 : 0;
}
