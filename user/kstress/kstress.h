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
 * The service cases (files, ipc, log) keep their files on fixed fds
 * 24..39 in sets, each set owned by the thread holding its lock (c_svc.c);
 * the servers they talk to belong to the supervisor (svc.c).
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
	KST_FILES,   /* ramfsd (file:): files in a per-worker directory against a model */
	KST_IPC,     /* ipcd (ipc:): stream/chan pairs, datagrams, fd passing, peercred */
	KST_LOG,     /* logd (log:): tagged lines written and read back */
	KST_HW,	     /* granted ports and physmap on every CPU; ungranted children must die */
	KST_IRQ,     /* irq: vectors opened, dup'ed, closed; irq:/stats read */
	KST_DEV,     /* pcid (pci:) and acpid (acpi:) by unprivileged clients */
	KST_STALL,   /* not in "all": an operation that never ends (tests the late-worker report) */
	KST_NCASES,
};
#define KST_ALL (((1u << KST_NCASES) - 1) & ~(1u << KST_STALL)) /* the cases "all" names */

#define KST_MAX_THREADS 16
#define KST_USCHEME_FD_MIN 48 /* the uscheme case's fds: clients 48..62, its server 63 */
#define KST_USCHEME_SRV_FD 63
#define KST_SHM_FD 40	/* the "shm" case's fds are KST_SHM_FD + slot ... */
#define KST_SHM_SLOTS 4 /* ... for its slots: no other case touches them */
#define KST_SVC_FD 24	/* the service cases' fds: KST_SVC_FD + 4 * set + 0..3 ... */
#define KST_SVC_SETS 4	/* ... for sets 0..3 (24..39): no other case touches them */
#define KST_SVC_SET_FDS 4
/* RLIMIT_NOFILE is never lowered below this (fdlim, sys): every reserved number, up to the
   uscheme server's 63, must stay a number dup2 may name (it refuses one at or past the limit). */
#define KST_NOFILE_MIN 64
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
	volatile int done;	   /* set by the thread just before it returns */
	volatile int cur;	   /* the case whose operation runs, -1 between them */
	const char *volatile step; /* where in it, if the case says (for the late report) */
};

struct kst_worker {
	int idx;
	uint64_t seed;
	uint64_t gen;	/* the supervisor's generation of this worker slot */
	uint32_t cases; /* bit KST_* */
	int nthreads;
	uint64_t deadline_ns;
	volatile int stop;
	volatile int failed_case; /* -1: none */
	volatile int joining;	  /* after stop: the thread the main thread joins, or -1 */
	volatile int finishing;	  /* after the joins: the case whose fini runs, or -1 */
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
	/* Optional, for the late report: a few words on the case's own threads into buf. */
	void (*state)(char *buf, size_t n);
};

extern const struct kst_case_ops kst_cases[KST_NCASES];

int kst_stall_op(struct kst_thread *t);
void kst_uscheme_state(char *buf, size_t n);

/* Print "kstress: FAIL ..." for case c and mark the worker failed; returns -1. */
/* Whether status (128 + signal for 129..159) may be a sibling case's
   signal: the signal and sys cases send signals to neighbouring pids,
   children of other cases among them. */
static inline bool kst_signalled_by_others(const struct kst_worker *w, int status)
{
	return (w->cases & ((1u << KST_SIGNAL) | (1u << KST_SYS))) && status > 128 && status < 160;
}

int kst_fail(struct kst_thread *t, int c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Format at buf[o] (buf holds n bytes, o < n) and return the new length: what did not fit is
   dropped, so the result stays below n and buf stays terminated. Safe in a signal handler. */
size_t kst_appendf(char *buf, size_t n, size_t o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
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
int kst_irq_op(struct kst_thread *t);
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
/* For the mm case: read a client slot of the scheme into buf (512 bytes, in a racing
   mapping, so EFAULT is a result too); 0, or kst_fail's result. Does nothing unless the
   worker runs the uscheme case. */
int kst_uscheme_read_racing(struct kst_thread *t, void *buf);
/*
 * The fd lock. A new file lands on the lowest free fd, and an exclusive holder (the uscheme
 * case's registration, the service cases' opens) moves it from there to its fixed number. The
 * fd and sys cases close random numbers, so any number not kept always taken can be stale in
 * another case's hands: it may name that new file for a moment. So every operation that names
 * such a number (random ones: fd, sys, fdlim; or its own, which those may have closed: pipe,
 * mm's read, irq, uscheme's client slots) runs with the lock shared. Not nested; taken before
 * the mm case's space lock. A shared holder may wait for the uscheme server's answer: the
 * server takes the lock only while it has no live scheme (c_uscheme.c).
 */
void kst_fds_share(void);
void kst_fds_unshare(void);
/* Around an operation that puts a new file on the lowest free fd and moves it: alone, as the
   uscheme case's registration (the fd and sys cases wait). */
void kst_fds_exclusive_begin(void);
void kst_fds_exclusive_end(void);
void kst_pipe_init(struct kst_worker *w);
int kst_pipe_op(struct kst_thread *t);
void kst_pipe_fini(struct kst_worker *w);
void kst_shm_init(struct kst_worker *w);
int kst_shm_op(struct kst_thread *t);
void kst_shm_fini(struct kst_worker *w);
int kst_fdlim_op(struct kst_thread *t);
int kst_memlim_op(struct kst_thread *t);
void kst_fdlim_fini(struct kst_worker *w);

/* The service cases' fd sets (c_svc.c): a thread's set is idx % KST_SVC_SETS. */
void kst_svc_init(struct kst_worker *w);
/* Lock the calling thread's set; its first fd (the set's fds are that + 0..3). */
int kst_svc_begin(struct kst_thread *t);
/* Close every fd of the set (parked: the numbers stay taken) and unlock it. */
void kst_svc_end(struct kst_thread *t);
/* Park fd: replace its file by a dup of the console (a close that keeps the number). */
void kst_svc_park(int fd);
/* rb_open(path, flags) moved to fd to: to, or the open's error. */
long kst_svc_open(const char *path, int flags, int to);
/* rb_dup_handle(fd, arg) moved to to: to, or the error. */
long kst_svc_dup_handle(int fd, const char *arg, int to);
/* rb_recvfd(fd, 0) moved to to: to, or the error. */
long kst_svc_recvfd(int fd, int to);
/* Whether r is an error any service call may give under the other cases: EINTR (the signal
   case), EMFILE/ENFILE (fdlim's bursts, the file limit). */
bool kst_svc_transient(long r);
/* The first place needle occurs in the string s, or NULL (the libc has no strstr). */
const char *kst_find(const char *s, const char *needle);
void kst_files_init(struct kst_worker *w);
int kst_files_op(struct kst_thread *t);
void kst_ipc_init(struct kst_worker *w);
int kst_ipc_op(struct kst_thread *t);
void kst_log_init(struct kst_worker *w);
int kst_log_op(struct kst_thread *t);
int kst_hw_op(struct kst_thread *t);
int kst_dev_op(struct kst_thread *t);

/* The supervisor's servers (svc.c). Whether the cases need ramfsd, logd and ipcd. */
bool svc_wanted(uint32_t cases);
/* Start them and serve each once; 0, or how many failed. */
int svc_start(void);
/* A reaped child: true (and noted as a failure) if it was one of the servers. */
bool svc_note_exit(int pid, int status);
/* At a round's end: the servers run, are cleaned up after the workers, serve a fresh client,
   and ipcd's handles and memory are back; the number of failures. */
int svc_round_check(int round);
