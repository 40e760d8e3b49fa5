/*
 * os_redbear.c - kbench's system layer (os.h) on Red Bear system calls.
 *
 * One wrapper per os_* call over the rb_* runtime. Affinity on Red Bear
 * is per thread with pid 0 (docs/syscalls.md): os_set_cpus holds only the
 * calling thread, and the threads it creates start with its mask.
 * os_finish powers the machine off when kbench is init (pid 1).
 * The IPC figures' other ends: children are "initfs:/bin/kbench child
 * ...", given exactly the fds they need by the spawn fd map; stream
 * sockets are ipcd's "ipc:/stream/NAME" (listen with O_CREAT, accept with
 * dup_handle "accept", connect by opening it); the user scheme is served
 * on the raw request ABI (docs/ipc.md) by one thread that answers OPEN
 * and READ and ends at CLOSE.
 * Real-time levels are sched_setparam's FIFO levels on the calling thread
 * (root only); a PI lock is a kernel-owned futex_lock_pi word.
 * State: the scheme server's buffers and its struct, one server at a time,
 * shared by the main thread (start, stop) and the server thread through
 * the ready word (a futex) and thread join; the pool of four PI words,
 * each taken and given back by an atomic exchange of its used flag.
 */
#include <string.h>
#include "os.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define SELF "initfs:/bin/kbench"

uint64_t os_now_ns(void)
{
	return rb_now_ns();
}

void os_report(const char *name, uint64_t ns)
{
	rb_printf("bench: %s ns=%llu\n", name, (unsigned long long)ns);
}

void os_note(const char *msg)
{
	rb_printf("bench: %s\n", msg);
}

long os_null_syscall(void)
{
	return rb_getpid();
}

int os_set_cpus(uint64_t mask)
{
	return rb_sched_setaffinity(0, sizeof mask, &mask);
}

uint64_t os_get_cpus(void)
{
	uint64_t m = 0;
	return rb_sched_getaffinity(0, sizeof m, &m) < 0 ? 0 : m;
}

void os_yield(void)
{
	rb_sched_yield();
}

int os_thread_start(int (*fn)(void *), void *arg)
{
	return rb_thread_create(fn, arg);
}

int os_thread_join(int handle)
{
	return rb_thread_join(handle, NULL);
}

int os_futex_wait(uint32_t *word, uint32_t val)
{
	int r = rb_futex_wait(word, val, 0);
	return r == -E_AGAIN ? 0 : r;
}

void os_futex_wake(uint32_t *word)
{
	rb_futex_wake(word, 1);
}

int os_spawn_wait(void)
{
	static char *const argv[] = {"kchild", NULL};
	static const int console[] = {0, 1, 2};
	int status, pid = rb_spawn("initfs:/bin/kchild", argv, NULL, console, 3);
	if (pid < 0)
		return pid;
	int r = rb_waitpid(pid, &status, 0);
	return r < 0 ? r : status == 0 ? 0 : -E_INVAL;
}

void *os_map(size_t len)
{
	void *p = rb_mmap(NULL, len, RB_PROT_READ | RB_PROT_WRITE, 0);
	return RB_IS_ERR(p) ? NULL : p;
}

int os_page_present(const void *p)
{
	int q = rb_vmquery(p);
	return q < 0 ? q : (q & RB_VM_PRESENT) != 0;
}

void os_unmap(void *p, size_t len)
{
	rb_munmap(p, len);
}

void os_finish(int code)
{
	if (rb_getpid() == 1) {
		int r = rb_poweroff();
		rb_printf("bench: poweroff returned %d (%s)\n", r, err_name(r));
	}
}

void os_report_rate(const char *name, uint64_t ns, uint64_t bytes)
{
	unsigned long long mbs = ns ? bytes * 1000 / ns : 0; /* bytes per us = MB/s */
	rb_printf("bench: %s ns=%llu MB/s=%llu\n", name, (unsigned long long)ns, mbs);
}

int os_pipe(int fds[2])
{
	return rb_pipe(fds, 0);
}

long os_read(int fd, void *buf, size_t n)
{
	return rb_read(fd, buf, n);
}

long os_write(int fd, const void *buf, size_t n)
{
	return rb_write(fd, buf, n);
}

void os_close(int fd)
{
	rb_close(fd);
}

int os_spawn_child(const char *mode, uint64_t cpus, const char *arg, int in, int out)
{
	char cpu_str[24];
	rb_snprintf(cpu_str, sizeof cpu_str, "%llu", (unsigned long long)cpus);
	char *argv[] = {"kbench", "child", (char *)mode, cpu_str, (char *)arg, NULL};
	const int fds[2] = {in, out};
	return rb_spawn(SELF, argv, NULL, fds, 2);
}

int os_wait_child(int handle)
{
	int status;
	int r = rb_waitpid(handle, &status, 0);
	return r < 0 ? r : status == 0 ? 0 : -E_INVAL;
}

static int stream_seq, ipcd_pid;

/* Listen on name; kbench runs as init, so it starts ipcd the first time ipc: is missing. */
static int listen_stream(const char *name)
{
	int l = rb_open(name, RB_O_RDWR | RB_O_CREAT);
	if (l != -E_NOENT || ipcd_pid)
		return l;
	char *argv[] = {"ipcd", NULL};
	static const int console[] = {0, 1, 2};
	ipcd_pid = rb_spawn("initfs:/bin/ipcd", argv, NULL, console, 3);
	if (ipcd_pid < 0)
		return l;			     /* no ipcd here */
	uint64_t end = rb_now_ns() + 10000000000ull; /* until it registers ipc:, or 10 s */
	while ((l = rb_open(name, RB_O_RDWR | RB_O_CREAT)) == -E_NOENT && rb_now_ns() < end)
		rb_sched_yield();
	return l;
}

int os_stream_child(uint64_t cpus, const char *mode, int *fd)
{
	char name[64];
	rb_snprintf(name, sizeof name, "ipc:/stream/bench-%d-%d", rb_getpid(), ++stream_seq);
	int l = listen_stream(name);
	if (l < 0)
		return l == -E_NOENT ? OS_NONE : l; /* no ipc: scheme */
	int h = os_spawn_child(mode, cpus, name, -1, -1);
	int a = h > 0 ? rb_dup_handle(l, "accept") : h;
	rb_close(l);
	if (a < 0 && h > 0) { /* the child never connected */
		rb_kill(h, RB_SIGKILL);
		rb_waitpid(h, NULL, 0);
	}
	if (a < 0)
		return a;
	*fd = a;
	return h;
}

int os_stream_connect(const char *name)
{
	return rb_open(name, RB_O_RDWR);
}

/* ---- a user scheme served by one thread ---- */

struct server {
	uint64_t cpus;
	char name[32];
	int fd, tid;
	uint32_t ready; /* 1: registered (fd valid), 2: failed (err) */
	int err;
};

static struct server srv;
static unsigned char srv_req[RB_REQ_MIN_BUF + 64];
#define SRV_MAX 65536 /* the most a read gets: kbench reads 64 KiB at a time */
static unsigned char srv_ans[sizeof(struct rb_ans) + SRV_MAX];

/* Answer one request (not CLOSE/CANCEL); 0, or the answer's error. */
static long serve_one(const struct rb_req *q)
{
	struct rb_ans *a = (struct rb_ans *)srv_ans;
	*a = (struct rb_ans){.id = q->id};
	if (q->op == RB_SOP_OPEN) {
		a->result = 1;
	} else if (q->op == RB_SOP_READ) {
		a->len = q->a < SRV_MAX ? (unsigned)q->a : SRV_MAX;
		a->result = a->len;
	} else {
		a->result = -E_NOSYS;
	}
	return rb_write(srv.fd, srv_ans, sizeof *a + a->len);
}

static int server_main(void *arg)
{
	uint64_t mask = srv.cpus;
	srv.err = rb_sched_setaffinity(0, sizeof mask, &mask);
	if (srv.err == 0)
		srv.fd = srv.err = rb_scheme_create(srv.name, 0);
	__atomic_store_n(&srv.ready, srv.err < 0 ? 2 : 1, __ATOMIC_RELEASE);
	rb_futex_wake(&srv.ready, 1);
	if (srv.err < 0)
		return 1;
	for (;;) {
		long n = rb_read(srv.fd, srv_req, sizeof srv_req);
		if (n == -E_INTR)
			continue;
		if (n < (long)sizeof(struct rb_req))
			break;
		const struct rb_req *q = (const struct rb_req *)srv_req;
		if (q->op == RB_SOP_CLOSE)
			break; /* the benchmark's one handle is gone */
		if (q->op != RB_SOP_CANCEL && serve_one(q) < 0)
			break;
	}
	rb_close(srv.fd); /* unregisters the name */
	return 0;
}

static int scheme_seq;

int os_scheme_start(uint64_t cpus)
{
	srv = (struct server){.cpus = cpus};
	rb_snprintf(srv.name, sizeof srv.name, "bench-%d-%d", rb_getpid(), ++scheme_seq);
	srv.tid = rb_thread_create(server_main, NULL);
	if (srv.tid < 0)
		return srv.tid;
	uint32_t r;
	while ((r = __atomic_load_n(&srv.ready, __ATOMIC_ACQUIRE)) == 0)
		rb_futex_wait(&srv.ready, 0, 0);
	if (r == 2) {
		rb_thread_join(srv.tid, NULL);
		return srv.err == -E_NOSYS ? OS_NONE : srv.err;
	}
	return 1;
}

int os_scheme_open(int handle)
{
	char path[40];
	rb_snprintf(path, sizeof path, "%s:", srv.name);
	return rb_open(path, RB_O_RDONLY);
}

int os_scheme_stop(int handle)
{
	return rb_thread_join(srv.tid, NULL);
}

/* ---- scheduling ---- */

#define POLICY_FAIR 0 /* sched_setparam's policies (docs/syscalls.md) */
#define POLICY_FIFO 1
#define PI_TIMEOUT_NS 5000000000ull /* a lock not had in 5 s: a failed figure, not a hang */

int os_set_rt(int prio)
{
	if (prio == 0)
		return rb_sched_setparam(0, POLICY_FAIR, 0);
	return rb_sched_setparam(0, POLICY_FIFO, prio);
}

/* The kernel owns a PI futex's word (rb/thread.h); we only name it. */
struct os_pi {
	uint32_t word;
	uint32_t used;
};

static struct os_pi pis[4];

struct os_pi *os_pi_create(void)
{
	for (int i = 0; i < 4; i++)
		if (!__atomic_exchange_n(&pis[i].used, 1, __ATOMIC_ACQ_REL)) {
			pis[i].word = 0;
			return &pis[i];
		}
	return NULL;
}

int os_pi_lock(struct os_pi *l)
{
	int r = rb_futex_lock_pi(&l->word, PI_TIMEOUT_NS);
	return r == -E_OWNERDEAD ? 0 : r; /* we own it either way */
}

int os_pi_unlock(struct os_pi *l)
{
	return rb_futex_unlock_pi(&l->word);
}

void os_pi_destroy(struct os_pi *l)
{
	__atomic_store_n(&l->used, 0, __ATOMIC_RELEASE);
}

int os_futex_sleep(uint32_t *word, uint32_t val)
{
	int r = rb_futex_wait(word, val, 0);
	return r == 0 ? 1 : r == -E_AGAIN || r == -E_INTR ? 0 : r;
}

void os_futex_wake_all(uint32_t *word)
{
	rb_futex_wake(word, 0x7fffffff);
}

int os_sleep_ns(uint64_t ns)
{
	return rb_nanosleep(ns);
}

void os_print(const char *text)
{
	rb_printf("%s", text);
}
