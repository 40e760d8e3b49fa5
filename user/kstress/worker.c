/*
 * worker.c - one kstress worker process.
 *
 * The supervisor starts "kstress worker IDX SEED GEN CASES THREADS MS".
 * The worker drops to uid KST_WORKER_UID, sets up the enabled cases and
 * starts THREADS threads that run random operations until MS milliseconds
 * have passed. A thread that ends early (a case asked for it, e.g. a PI
 * futex owner exiting while holding the lock) is joined and replaced by
 * a fresh one with a new stream. At the deadline the main thread sets
 * stop, joins every thread, tears the cases down, prints its operation
 * counts and exits with the total in kst_ops_encode's one-digit form, or
 * KST_EXIT_FAIL + case when a check failed.
 *
 * Ownership: the worker owns struct kst_worker (static, one per process).
 * stop is written by the main thread only; failed_case by any thread
 * (the first failure wins, atomically); the ops counters are summed by
 * the main thread after every thread has been joined.
 */
#include <stdarg.h>
#include <string.h>
#include "boot/cmdline.h"
#include "kstress.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

static struct kst_worker worker;
static uint64_t thread_gen; /* main thread only: numbers replacement threads */

const struct kst_case_ops kst_cases[KST_NCASES] = {
    [KST_MM] = {"mm", kst_mm_init, kst_mm_op, NULL},
    [KST_MMHUGE] = {"mmhuge", NULL, kst_mmhuge_op, NULL},
    [KST_FUTEX] = {"futex", NULL, kst_futex_op, NULL},
    [KST_PI] = {"pi", NULL, kst_pi_op, NULL},
    [KST_PROC] = {"proc", NULL, kst_proc_op, kst_proc_fini},
    [KST_SIGNAL] = {"signal", kst_signal_init, kst_signal_op, NULL},
    [KST_SCHED] = {"sched", NULL, kst_sched_op, NULL},
    [KST_FD] = {"fd", NULL, kst_fd_op, kst_fd_fini},
    [KST_SYS] = {"sys", kst_sys_init, kst_sys_op, NULL},
    [KST_CHAOS] = {"chaos", NULL, NULL, NULL}, /* the supervisor's */
    [KST_USCHEME] = {"uscheme", kst_uscheme_init, kst_uscheme_op, kst_uscheme_fini,
		     kst_uscheme_state},
    [KST_PIPE] = {"pipe", kst_pipe_init, kst_pipe_op, kst_pipe_fini},
    [KST_SHM] = {"shm", kst_shm_init, kst_shm_op, kst_shm_fini},
    [KST_FDLIM] = {"fdlim", NULL, kst_fdlim_op, kst_fdlim_fini},
    [KST_MEMLIM] = {"memlim", NULL, kst_memlim_op, kst_proc_fini},
    [KST_FILES] = {"files", kst_files_init, kst_files_op, NULL},
    [KST_IPC] = {"ipc", kst_ipc_init, kst_ipc_op, NULL},
    [KST_LOG] = {"log", kst_log_init, kst_log_op, NULL},
    [KST_HW] = {"hw", NULL, kst_hw_op, kst_proc_fini},
    [KST_IRQ] = {"irq", NULL, kst_irq_op, NULL},
    [KST_DEV] = {"dev", kst_svc_init, kst_dev_op, NULL},
    [KST_STALL] = {"stall", NULL, kst_stall_op, NULL},
};

/* "stall": sleep far past any round (an hour); only SIGTERM or SIGKILL ends it. */
int kst_stall_op(struct kst_thread *t)
{
	for (;;)
		rb_nanosleep(3600ull * 1000 * 1000 * 1000);
}

int kst_fail(struct kst_thread *t, int c, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rb_printf("kstress: FAIL worker %d thread %d case %s: %s\n", t->w->idx, t->idx,
		  kst_cases[c].name, msg);
	int none = -1;
	__atomic_compare_exchange_n(&t->w->failed_case, &none, c, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return -1;
}

size_t kst_appendf(char *buf, size_t n, size_t o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fmt_vsnprintf(buf + o, n - o, fmt, ap);
	va_end(ap);
	size_t end = r > 0 ? o + (size_t)r : o;
	return end < n ? end : n - 1;
}

uint64_t kst_rand(struct kst_thread *t, uint64_t n)
{
	return rb_rand_below(&t->rng, n);
}

/* The cases a thread may run: the enabled ones that have an operation. */
static int pick_case(struct kst_thread *t)
{
	int live[KST_NCASES], n = 0;
	for (int c = 0; c < KST_NCASES; c++)
		if ((t->w->cases & (1u << c)) && kst_cases[c].op)
			live[n++] = c;
	return n ? live[kst_rand(t, n)] : -1;
}

static int thread_main(void *arg)
{
	struct kst_thread *t = arg;
	struct kst_worker *w = t->w;
	while (!w->stop && w->failed_case < 0) {
		int c = pick_case(t);
		if (c < 0)
			break;
		t->cur = c;
		int r = kst_cases[c].op(t);
		t->cur = -1;
		t->step = NULL;
		t->ops++;
		__atomic_fetch_add(&w->ops[c], 1, __ATOMIC_RELAXED);
		if (r != 0)
			break;
		if (kst_rand(t, 4096) == 0)
			break; /* thread churn: exit and be replaced */
	}
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int start_thread(struct kst_worker *w, int i)
{
	struct kst_thread *t = &w->threads[i];
	memset(t, 0, sizeof *t);
	t->cur = -1;
	t->w = w;
	t->idx = i;
	rb_rand_seed(&t->rng, rb_rand_derive(w->seed, (uint64_t)w->idx, thread_gen++));
	t->tid = rb_thread_create(thread_main, t);
	if (t->tid < 0) {
		t->done = 1; /* try again on the next pass */
		return t->tid;
	}
	return 0;
}

/* Join finished threads and start replacements until the deadline. */
static void run_threads(struct kst_worker *w)
{
	for (int i = 0; i < w->nthreads; i++)
		start_thread(w, i);
	while (rb_now_ns() < w->deadline_ns && w->failed_case < 0) {
		for (int i = 0; i < w->nthreads; i++) {
			struct kst_thread *t = &w->threads[i];
			if (!__atomic_load_n(&t->done, __ATOMIC_ACQUIRE))
				continue;
			if (t->tid > 0)
				rb_thread_join(t->tid, NULL);
			start_thread(w, i);
		}
		rb_nanosleep(2 * 1000 * 1000); /* a polling period, not a synchronisation */
	}
	w->stop = 1;
	for (int i = 0; i < w->nthreads; i++) {
		w->joining = i;
		if (w->threads[i].tid > 0)
			rb_thread_join(w->threads[i].tid, NULL);
	}
	w->joining = -1;
}

/*
 * SIGTERM. Before the deadline it ends the worker as the default action
 * would (the signal and sys cases send siblings random signals). After
 * it, only the supervisor sends it, to a worker still running long after
 * its round: the worker then says where it is stuck (what the main thread
 * waits for, each thread's case) before it ends. One write of a stack
 * buffer: no lock the interrupted thread may hold.
 */
static void on_term(int sig)
{
	struct kst_worker *w = &worker;
	if (w->stop) {
		char line[640];
		size_t o = kst_appendf(line, sizeof line, 0, "kstress: worker %d late: ", w->idx);
		if (w->finishing >= 0)
			o = kst_appendf(line, sizeof line, o, "in %s's fini;",
					kst_cases[w->finishing].name);
		else
			o = kst_appendf(line, sizeof line, o, "joining thread %d;", w->joining);
		for (int i = 0; i < w->nthreads; i++) {
			const struct kst_thread *t = &w->threads[i];
			const char *step = t->step;
			if (t->done || t->cur < 0)
				o = kst_appendf(line, sizeof line, o, " %d:%s", i,
						t->done ? "done" : "between");
			else
				o = kst_appendf(line, sizeof line, o, " %d:in %s%s%s", i,
						kst_cases[t->cur].name, step ? "/" : "",
						step ? step : "");
		}
		for (int c = 0; c < KST_NCASES; c++)
			if ((w->cases & (1u << c)) && kst_cases[c].state) {
				o = kst_appendf(line, sizeof line, o, "; %s: ", kst_cases[c].name);
				kst_cases[c].state(line + o, sizeof line - o);
				o += strlen(line + o);
			}
		rb_printf("%s\n", line);
	}
	rb_exit(128 + sig);
}

static int parse_args(struct kst_worker *w, int argc, char **argv)
{
	uint64_t v[6];
	if (argc < 6)
		return -1;
	for (int i = 0; i < 6; i++)
		if (cmdline_parse_u64(argv[i], &v[i]) < 0)
			return -1;
	w->idx = (int)v[0];
	w->seed = rb_rand_derive(v[1], v[2], 0x5eed); /* generation v[2] */
	w->gen = v[2];
	w->cases = (uint32_t)v[3];
	w->nthreads = v[4] < 1 ? 1 : v[4] > KST_MAX_THREADS ? KST_MAX_THREADS : (int)v[4];
	w->deadline_ns = rb_now_ns() + v[5] * 1000 * 1000;
	w->failed_case = -1;
	w->joining = w->finishing = -1;
	return 0;
}

/* Print "kstress: worker I ops=N (case=n ...)"; the total. */
static uint64_t report(const struct kst_worker *w)
{
	char line[256];
	size_t o = 0;
	uint64_t total = 0;
	line[0] = 0;
	for (int c = 0; c < KST_NCASES; c++) {
		total += w->ops[c];
		if (w->ops[c])
			o = kst_appendf(line, sizeof line, o, " %s=%llu", kst_cases[c].name,
					(unsigned long long)w->ops[c]);
	}
	rb_printf("kstress: worker %d ops=%llu (%s)\n", w->idx, (unsigned long long)total,
		  o ? line + 1 : "none");
	return total;
}

int kst_worker_main(int argc, char **argv)
{
	struct kst_worker *w = &worker;
	if (parse_args(w, argc, argv) < 0) {
		rb_printf("kstress: worker: bad arguments\n");
		return KST_EXIT_FAIL + KST_NCASES;
	}
	int r = rb_setuid(KST_WORKER_UID);
	if (r < 0 || rb_getuid() != KST_WORKER_UID) {
		rb_printf("kstress: worker %d: setuid(%d) = %d, uid %d\n", w->idx, KST_WORKER_UID,
			  r, rb_getuid());
		return KST_EXIT_FAIL + KST_NCASES;
	}
	struct rb_kstat k;
	if ((r = (int)rb_kstat(&k)) != -E_PERM) {
		rb_printf("kstress: worker %d: kstat as uid %d = %d, want EPERM\n", w->idx,
			  KST_WORKER_UID, r);
		return KST_EXIT_FAIL + KST_NCASES;
	}
	for (int c = 0; c < KST_NCASES; c++)
		if ((w->cases & (1u << c)) && kst_cases[c].init)
			kst_cases[c].init(w);
	struct rb_sigaction term = {on_term, 0, 0, NULL};
	rb_sigaction(RB_SIGTERM, &term, NULL);
	run_threads(w);
	for (int c = 0; c < KST_NCASES; c++)
		if ((w->cases & (1u << c)) && kst_cases[c].fini) {
			w->finishing = c;
			kst_cases[c].fini(w);
		}
	w->finishing = -1;
	if (w->failed_case >= 0)
		return KST_EXIT_FAIL + w->failed_case;
	return kst_ops_encode(report(w));
}
