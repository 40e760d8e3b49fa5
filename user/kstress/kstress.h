/*
 * kstress.h - shared definitions of the in-guest stress fuzzer.
 *
 * kstress runs as init (pid 1, root) and is the supervisor (main.c): it
 * spawns worker processes (worker.c, "kstress worker ..."), each of which
 * drops to an unprivileged uid and runs several threads. Every thread
 * loops over the enabled cases, calling one operation of a random case at
 * a time with its own random stream (rb/rand.h), derived from the seed,
 * the worker index, the worker's generation and the thread's number.
 *
 * Ownership: a worker process owns its case state (the static variables in
 * c_*.c; there is one worker per process). Each case guards its shared
 * state itself (rb_mutex, atomics, or nothing where a race with the kernel
 * is the point, which the case file says). struct kst_thread belongs to
 * its thread, except for the done flag which the worker's main thread reads.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rb/rand.h"

enum kst_case {
	KST_MM,	     /* mmap/munmap/mprotect, shared and racing ranges, touching */
	KST_MMHUGE,  /* munmap of a huge empty range (shootdown cost) */
	KST_FUTEX,   /* futex wait/wake with timeouts, a futex mutex */
	KST_PI,	     /* PI futexes; threads exit while holding */
	KST_PROC,    /* spawn/waitpid/kill of kchild */
	KST_SIGNAL,  /* handlers, masks, signals to self and siblings */
	KST_SCHED,   /* sched_setaffinity, sched_setparam, yield */
	KST_FD,	     /* open/dup/dup2/close/read races on one fd table */
	KST_SYS,     /* random system calls with random arguments */
	KST_CHAOS,   /* the supervisor SIGKILLs workers in mid-round */
	KST_USCHEME, /* a user-space scheme server and its clients, restarts */
	KST_PIPE,    /* pipes, poll and event: across threads and a child */
	KST_SHM,     /* shm: objects created, mapped, written, unmapped, closed in random order */
	KST_FDLIM,   /* RLIMIT_NOFILE lowered; dup bursts up to it (fd table growth, EMFILE) */
	KST_MEMLIM,  /* a child fills its lowered RLIMIT_MEM from three threads, frees, again */
	KST_NCASES,
};

#define KST_MAX_THREADS 16
#define KST_USCHEME_FD_MIN 48 /* the uscheme case's fds: clients 48..62, its server 63 */
#define KST_USCHEME_SRV_FD 63
#define KST_SHM_FD 40		  /* the "shm" case's fds are KST_SHM_FD + slot ... */
#define KST_SHM_SLOTS 4		  /* ... for its slots: no other case touches them */
#define KST_NOFILE_MIN 48	  /* RLIMIT_NOFILE is never lowered below this (fdlim, sys) */
#define KST_MEM_MIN (256ul << 20) /* nor RLIMIT_MEM below this (sys): no case runs short */
#define KST_WORKER_UID 1000
#define KST_EXIT_FAIL 100 /* a worker exits KST_EXIT_FAIL + case on a failed check */

struct kst_worker;

struct kst_thread {
	struct kst_worker *w;
	int idx;
	int tid;
	struct rb_rand rng;
	uint64_t ops;
	volatile int done; /* set by the thread just before it returns */
};

struct kst_worker {
	int idx;
	uint64_t seed;
	uint32_t cases; /* bit KST_* */
	int nthreads;
	uint64_t deadline_ns;
	volatile int stop;
	volatile int failed_case; /* -1: none */
	uint64_t ops[KST_NCASES];
	struct kst_thread threads[KST_MAX_THREADS];
};

/* One case: its name, optional per-worker setup and teardown, and one operation. */
struct kst_case_ops {
	const char *name;
	void (*init)(struct kst_worker *w);
	/* Run one random operation; 0 to go on, 1 to end the calling thread, -1 on failure. */
	int (*op)(struct kst_thread *t);
	void (*fini)(struct kst_worker *w);
};

extern const struct kst_case_ops kst_cases[KST_NCASES];

/* Print "kstress: FAIL ..." for case c and mark the worker failed; returns -1. */
int kst_fail(struct kst_thread *t, int c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Random number in [0, n) from t's stream. */
uint64_t kst_rand(struct kst_thread *t, uint64_t n);
/* ops as an exit code 0..99: 10 * e + m stands for m * 10^e (one digit). */
int kst_ops_encode(uint64_t ops);
/* The lower bound an encoded count stands for. */
uint64_t kst_ops_decode(int code);
/* Worker entry point (argv after "worker"); returns the exit code. */
int kst_worker_main(int argc, char **argv);

/* The cases' operations (c_*.c). */
void kst_mm_init(struct kst_worker *w);
int kst_mm_op(struct kst_thread *t);
int kst_mmhuge_op(struct kst_thread *t);
/* Around an mmap whose mapping must keep its bytes (c_mm.c): no mm racing
   word or storm address can name the new mapping. */
void kst_mm_exclusive_begin(void);
void kst_mm_exclusive_end(void);
int kst_futex_op(struct kst_thread *t);
int kst_pi_op(struct kst_thread *t);
int kst_proc_op(struct kst_thread *t);
void kst_proc_fini(struct kst_worker *w);
void kst_signal_init(struct kst_worker *w);
int kst_signal_op(struct kst_thread *t);
int kst_sched_op(struct kst_thread *t);
int kst_fd_op(struct kst_thread *t);
void kst_fd_fini(struct kst_worker *w);
void kst_sys_init(struct kst_worker *w);
int kst_sys_op(struct kst_thread *t);
void kst_uscheme_init(struct kst_worker *w);
int kst_uscheme_op(struct kst_thread *t);
void kst_uscheme_fini(struct kst_worker *w);
/* Around an operation of the fd or sys case, which name random fds: shared, while the uscheme
   case's server registers (its new fd is at the lowest free number for a moment) alone. */
void kst_fds_share(void);
void kst_fds_unshare(void);
void kst_pipe_init(struct kst_worker *w);
int kst_pipe_op(struct kst_thread *t);
void kst_pipe_fini(struct kst_worker *w);
void kst_shm_init(struct kst_worker *w);
int kst_shm_op(struct kst_thread *t);
void kst_shm_fini(struct kst_worker *w);
int kst_fdlim_op(struct kst_thread *t);
int kst_memlim_op(struct kst_thread *t);
void kst_fdlim_fini(struct kst_worker *w);
