/*
 * ipcstorm - many concurrent ipc: streams against one echo server, and the
 * child helpers of the ipcd ktest cases (docs/ipcd.md).
 *
 *   ipcstorm [streams=N] [msgs=M]   the storm (default 1000 x 20): starts
 *       /bin/ipcd unless ipc: answers, one "server" process and enough
 *       "client" processes of at most 50 threads, one stream per thread.
 *       The server accepts all N streams before it echoes anything, so all
 *       N are open at once; each client thread then sends M numbered 8-byte
 *       messages, at most WINDOW ahead of the echoes it has read, and
 *       checks that each echo arrives once and in order, and that end of
 *       file follows the last. It samples the kernel's heap and free pages
 *       every second (sample=K: every K ticks of 100 ms; SYS_KSTAT trims
 *       the kernel heap under its global lock, so sampling every tick
 *       slows a 4-CPU storm 2.5 times) and prints the kernel
 *       and ipcd (ipc:/stats) figures before, every ~10 s, after, and the
 *       peaks, then "ipcstorm: done, streams=N, msgs=M, ms=T, failures=F";
 *       as pid 1 it then powers off.
 *   ipcstorm server N M     accept N streams, then echo M messages on each:
 *       SERVER_THREADS threads each accept their share, wait until all are
 *       accepted, then serve their share one stream after the other
 *   ipcstorm client BASE K M   K threads, streams BASE..BASE+K-1
 *   ipcstorm peer NAME UID  connect to stream NAME, say "1", wait, setuid
 *       UID, say "2", wait, exit (t_ipcd.c peercred)
 *   ipcstorm reader NAME -  connect, say "r", then wait in a read forever
 *
 * A connect that finds the backlog full gets ECONNREFUSED (docs/ipcd.md);
 * a client retries it after a randomised, doubling delay (1 ms to 128 ms).
 * At most CONNECTORS threads of one client process connect at once, so a
 * few retries per process are in the air: a thousand threads retrying at
 * once starve the server's accepts (docs/ipcd.md, "The 1000-stream
 * storm").
 *
 * Ownership: the counters failures, accepted (server) and connecting
 * (client) are atomics shared by a process's threads; waiters sleep on
 * the futexes of accepted and connecting. fds[i] belongs to the server
 * thread of share i % SERVER_THREADS (the main thread's for a share whose
 * thread could not be created). The storm's peaks are its main thread's.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "boot/cmdline.h"
#include "rb/rand.h"
#include "rb/socket.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define SELF "initfs:/bin/ipcstorm"
#define NAME "storm"
#define MAX_STREAMS 1000 /* the server holds them all: fd tables hold 1024 */
#define CLIENT_THREADS 50
#define SERVER_THREADS 50
#define CONNECTORS 4			  /* threads of one client process that connect at once */
#define WINDOW 16			  /* messages a client sends ahead of their echoes */
#define BACKOFF_MAX_NS 128000000ull	  /* longest wait before a connect is retried */
#define CONNECT_GIVEUP_NS 600000000000ull /* a client gives up connecting after 10 min */

static int nstreams = 1000, nmsgs = 20, base_id;
static bool verbose;	      /* "verbose": start ipcd with -v */
static int sample_ticks = 10; /* "sample=K": SYS_KSTAT every K ticks of 100 ms */
static uint32_t failures;
static int fds[MAX_STREAMS];
static uint32_t accepted;   /* server: streams its threads have accepted (or failed to) */
static uint32_t connecting; /* client: threads in connect_backoff, at most CONNECTORS */

static const int stdio[3] = {0, 1, 2}; /* children share our console fds */

/* A count from the command line: the number, or -1 if s is not one below 2^31. */
static long parse(const char *s)
{
	uint64_t v;
	return cmdline_parse_u64(s, &v) == 0 && v <= INT32_MAX ? (long)v : -1;
}

static void fail(const char *what, long r)
{
	if (__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED) < 10)
		rb_printf("ipcstorm: pid %d: %s: %ld\n", rb_getpid(), what, r);
}

/* Read exactly len bytes; false at end of file or on an error. */
static bool read_full(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		long r = rb_read(fd, (char *)buf + got, len - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

/* Read one 8-byte message and check it is message seq of stream id. */
static bool read_msg(int fd, uint32_t id, uint32_t seq, const char *who)
{
	uint32_t msg[2];
	if (!read_full(fd, msg, sizeof(msg))) {
		fail(who, (long)seq);
		return false;
	}
	if (msg[0] != id || msg[1] != seq) {
		fail("echo out of order", (long)msg[1]);
		return false;
	}
	return true;
}

static bool write_msg(int fd, uint32_t id, uint32_t seq, const char *who)
{
	uint32_t msg[2] = {id, seq};
	long w = rb_write(fd, msg, sizeof(msg));
	if (w != sizeof(msg)) {
		fail(who, w);
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------- server */

/* Echo the nmsgs messages of one stream; its id comes with its first message. */
static void serve_one(int fd)
{
	uint32_t msg[2], id = 0;
	for (int i = 0; i < nmsgs; i++) {
		if (!read_full(fd, msg, sizeof(msg))) {
			fail("server read", i);
			return;
		}
		if (i == 0)
			id = msg[0];
		if (msg[0] != id || msg[1] != (uint32_t)i) {
			fail("server got out of order", (long)msg[1]);
			return;
		}
		if (!write_msg(fd, id, (uint32_t)i, "server write"))
			return;
	}
}

/* Accept share t of the streams (i % SERVER_THREADS == t) into fds. */
static void accept_share(int l, int t)
{
	for (int i = t; i < nstreams; i += SERVER_THREADS) {
		fds[i] = rb_accept(l);
		if (fds[i] < 0)
			fail("accept", fds[i]);
	}
}

/* Count share t as accepted; the thread that completes the count says so and wakes the others. */
static void accepted_add(int t)
{
	int mine = (nstreams - t + SERVER_THREADS - 1) / SERVER_THREADS;
	uint32_t now = __atomic_add_fetch(&accepted, (uint32_t)mine, __ATOMIC_ACQ_REL);
	if (now == (uint32_t)nstreams) {
		/* Every client thread is connected and waits for its stream's
		   messages now: the live threads, counted at the one moment they
		   must all be there (the storm's own samples, 100 ms apart, can
		   miss a short serving phase). */
		struct rb_kstat ks = {0};
		long kr = rb_kstat(&ks);
		rb_printf("ipcstorm: server: %d streams open at once, threads %lld\n", nstreams,
			  kr < 0 ? (long long)kr : (long long)ks.threads_live);
		rb_futex_wake(&accepted, SERVER_THREADS);
	}
}

/* Wait until every share is accepted. */
static void accepted_wait(void)
{
	uint32_t now;
	while ((now = __atomic_load_n(&accepted, __ATOMIC_ACQUIRE)) < (uint32_t)nstreams)
		rb_futex_wait(&accepted, now, 0);
}

/* Echo share t of the streams, one after the other, closing each. */
static void serve_share(int t)
{
	for (int i = t; i < nstreams; i += SERVER_THREADS) {
		if (fds[i] < 0)
			continue;
		serve_one(fds[i]);
		rb_close(fds[i]);
	}
}

static int listener = -1;

static int server_worker(void *arg)
{
	int t = (int)(uintptr_t)arg;
	accept_share(listener, t);
	accepted_add(t);
	accepted_wait();
	serve_share(t);
	return 0;
}

static int server(void)
{
	listener = rb_socket_listen(RB_SOCK_STREAM, NAME);
	if (listener < 0) {
		rb_printf("ipcstorm: server: listen: %s\n", err_name(listener));
		return 1;
	}
	int tids[SERVER_THREADS];
	for (int t = 0; t < SERVER_THREADS; t++)
		tids[t] = rb_thread_create(server_worker, (void *)(uintptr_t)t);
	for (int t = 0; t < SERVER_THREADS; t++) { /* no thread: its share is ours */
		if (tids[t] <= 0) {
			fail("thread", tids[t]);
			accept_share(listener, t);
			accepted_add(t);
		}
	}
	for (int t = 0; t < SERVER_THREADS; t++) {
		if (tids[t] > 0)
			rb_thread_join(tids[t], NULL);
		else
			serve_share(t);
	}
	rb_close(listener);
	return failures ? 1 : 0;
}

/* ---------------------------------------------------------------- clients */

/* Wait until fewer than CONNECTORS threads of this process connect, and count us in. */
static void connect_enter(void)
{
	for (;;) {
		uint32_t n = __atomic_load_n(&connecting, __ATOMIC_ACQUIRE);
		if (n >= CONNECTORS)
			rb_futex_wait(&connecting, n, 0);
		else if (__atomic_compare_exchange_n(&connecting, &n, n + 1, false,
						     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return;
	}
}

static void connect_leave(void)
{
	__atomic_sub_fetch(&connecting, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&connecting, 1);
}

/* Connect to the storm, retrying a refused connect (backlog full, or no server yet) after a
   random, doubling delay: the fd, or the last error. */
static int connect_backoff(uint32_t id)
{
	struct rb_rand rnd;
	rb_rand_seed(&rnd, rb_rand_derive(0x1bc5, id, (uint64_t)rb_getpid()));
	uint64_t delay = 1000000, t0 = rb_now_ns();
	for (;;) {
		int fd = rb_socket_connect(RB_SOCK_STREAM, NAME);
		if (fd != -E_CONNREFUSED || rb_now_ns() - t0 > CONNECT_GIVEUP_NS)
			return fd;
		rb_nanosleep(delay / 2 + rb_rand_below(&rnd, delay / 2 + 1));
		if (delay < BACKOFF_MAX_NS)
			delay *= 2;
	}
}

static int client_thread(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg;
	connect_enter();
	int fd = connect_backoff(id);
	connect_leave();
	if (fd < 0) {
		fail("connect", fd);
		return 1;
	}
	uint32_t sent = 0, got = 0, n = (uint32_t)nmsgs;
	while (got < n) {
		while (sent < n && sent - got < WINDOW)
			if (!write_msg(fd, id, sent++, "client write"))
				goto out;
		if (!read_msg(fd, id, got++, "client read"))
			goto out;
	}
	char extra;
	long r = rb_read(fd, &extra, 1); /* the server closed: nothing came twice */
	if (r != 0)
		fail("data after the last echo", r);
out:
	rb_close(fd);
	return 0;
}

static int clients(int k)
{
	int tids[CLIENT_THREADS];
	for (int t = 0; t < k; t++)
		tids[t] = rb_thread_create(client_thread, (void *)(uintptr_t)(base_id + t));
	for (int t = 0; t < k; t++) {
		if (tids[t] > 0)
			rb_thread_join(tids[t], NULL);
		else
			fail("thread", tids[t]);
	}
	return failures ? 1 : 0;
}

/* ---------------------------------------------------------------- helpers of t_ipcd.c */

static int peer(const char *name, int uid)
{
	int fd = rb_socket_connect(RB_SOCK_STREAM, name);
	char b;
	if (fd < 0 || rb_write(fd, "1", 1) != 1 || rb_read(fd, &b, 1) != 1)
		return 1;
	if (rb_setuid(uid) < 0 || rb_write(fd, "2", 1) != 1 || rb_read(fd, &b, 1) != 1)
		return 2;
	return 0;
}

static int reader(const char *name)
{
	int fd = rb_socket_connect(RB_SOCK_STREAM, name);
	char b;
	if (fd < 0 || rb_write(fd, "r", 1) != 1)
		return 1;
	rb_read(fd, &b, 1); /* waits until killed */
	return 2;
}

/* ---------------------------------------------------------------- the storm */

/* Kernel figures seen during the storm. */
struct peaks {
	uint64_t heap_max, heap_objects_max, free_min, threads_max, files_max;
};

static void sample(struct peaks *pk)
{
	struct rb_kstat ks = {0};
	if (rb_kstat(&ks) < 0)
		return;
	if (ks.heap_bytes > pk->heap_max)
		pk->heap_max = ks.heap_bytes;
	if (ks.heap_objects > pk->heap_objects_max)
		pk->heap_objects_max = ks.heap_objects;
	if (ks.free_pages < pk->free_min)
		pk->free_min = ks.free_pages;
	if (ks.threads_live > pk->threads_max)
		pk->threads_max = ks.threads_live;
	if (ks.files_open > pk->files_max)
		pk->files_max = ks.files_open;
}

/* ipcd's ipc:/stats as one line in st[len] ("" if ipcd does not answer). */
static void ipcd_stats(char *st, size_t len)
{
	st[0] = 0;
	int fd = rb_open("ipc:/stats", RB_O_RDONLY);
	if (fd < 0)
		return;
	long n = rb_read(fd, st, len - 1);
	st[n > 0 ? n : 0] = 0;
	rb_close(fd);
	for (char *p = st; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

static void show(const char *when)
{
	struct rb_kstat ks = {0};
	long kr = rb_kstat(&ks);
	char st[256];
	ipcd_stats(st, sizeof(st));
	rb_printf("ipcstorm: %s: kernel heap_bytes %llu free_pages %llu threads %llu (kstat %ld); "
		  "ipcd: %s\n",
		  when, (unsigned long long)ks.heap_bytes, (unsigned long long)ks.free_pages,
		  (unsigned long long)ks.threads_live, kr, st);
}

static bool ipcd_running(void)
{
	int fd = rb_open("ipc:/stats", RB_O_RDONLY);
	if (fd < 0)
		return false;
	rb_close(fd);
	return true;
}

static int spawn_self(char *mode, int a, int b, int c)
{
	char sa[16], sb[16], sc[16];
	rb_snprintf(sa, sizeof(sa), "%d", a);
	rb_snprintf(sb, sizeof(sb), "%d", b);
	rb_snprintf(sc, sizeof(sc), "%d", c);
	char *argv[] = {"ipcstorm", mode, sa, sb, sc, NULL};
	return rb_spawn(SELF, argv, NULL, stdio, 3);
}

/* Reap the children that exited; the number that failed. */
static int reap(int *pids, int np, int *left)
{
	int bad = 0;
	for (int i = 0; i < np; i++) {
		int st = -1;
		if (pids[i] == 0)
			continue;
		int r = pids[i] < 0 ? pids[i] : rb_waitpid(pids[i], &st, RB_WNOHANG);
		if (r == 0)
			continue;
		if (r != pids[i] || st != 0) {
			rb_printf("ipcstorm: child %d (pid %d) status %d\n", i, pids[i], st);
			bad++;
		}
		pids[i] = 0;
		(*left)--;
	}
	return bad;
}

static int storm(void)
{
	if (!ipcd_running()) {
		char *argv[] = {"ipcd", verbose ? "-v" : NULL, NULL};
		int pid = rb_spawn("initfs:/bin/ipcd", argv, NULL, stdio, 3);
		for (int i = 0; pid > 0 && i < 5000 && !ipcd_running(); i++)
			rb_nanosleep(1000000);
		if (!ipcd_running()) {
			rb_printf("ipcstorm: ipcd did not start (%d)\n", pid);
			return 1;
		}
	}
	show("before");
	struct peaks pk = {.free_min = UINT64_MAX};
	sample(&pk);
	uint64_t t0 = rb_now_ns();
	int pids[MAX_STREAMS / CLIENT_THREADS + 2], np = 0;
	pids[np++] = spawn_self("server", nstreams, nmsgs, 0);
	for (int b = 0; b < nstreams; b += CLIENT_THREADS) {
		int k = nstreams - b < CLIENT_THREADS ? nstreams - b : CLIENT_THREADS;
		pids[np++] = spawn_self("client", b, k, nmsgs);
	}
	int bad = 0, left = np;
	uint64_t next_line = t0 + 10000000000ull, work = 0;
	for (int ticks = 0; left > 0; ticks++) {
		uint64_t t = rb_now_ns();
		bad += reap(pids, np, &left);
		if (ticks % sample_ticks == 0)
			sample(&pk);
		work += rb_now_ns() - t;
		rb_nanosleep(100000000);	/* reap every 100 ms, a progress line every 10 s */
		if (rb_now_ns() >= next_line) { /* fewer than 100 ticks: the guest is slow */
			char when[64];
			rb_snprintf(when, sizeof(when), "running (%d ticks, %llu ms in them)",
				    ticks + 1, (unsigned long long)(work / 1000000));
			show(when);
			next_line = rb_now_ns() + 10000000000ull;
			ticks = -1;
			work = 0;
		}
	}
	uint64_t ms = (rb_now_ns() - t0) / 1000000;
	show("after");
	rb_printf(
	    "ipcstorm: peak: kernel heap_bytes %llu heap_objects %llu threads %llu files %llu, "
	    "free_pages min %llu\n",
	    (unsigned long long)pk.heap_max, (unsigned long long)pk.heap_objects_max,
	    (unsigned long long)pk.threads_max, (unsigned long long)pk.files_max,
	    (unsigned long long)pk.free_min);
	rb_printf("ipcstorm: done, streams=%d, msgs=%d, ms=%llu, failures=%d\n", nstreams, nmsgs,
		  (unsigned long long)ms, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv, char **envp)
{
	if (argc >= 4 && strcmp(argv[1], "peer") == 0)
		return peer(argv[2], (int)parse(argv[3]));
	if (argc >= 3 && strcmp(argv[1], "reader") == 0)
		return reader(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "server") == 0) {
		nstreams = (int)parse(argv[2]);
		nmsgs = (int)parse(argv[3]);
		return nstreams <= MAX_STREAMS ? server() : 1;
	}
	if (argc >= 5 && strcmp(argv[1], "client") == 0) {
		base_id = (int)parse(argv[2]);
		nmsgs = (int)parse(argv[4]);
		int k = (int)parse(argv[3]);
		return k <= CLIENT_THREADS ? clients(k) : 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "init.", 5) == 0)
			a += 5;
		if (strncmp(a, "streams=", 8) == 0)
			nstreams = (int)parse(a + 8);
		else if (strncmp(a, "msgs=", 5) == 0)
			nmsgs = (int)parse(a + 5);
		else if (strcmp(a, "verbose") == 0)
			verbose = true;
		else if (strncmp(a, "sample=", 7) == 0 && parse(a + 7) > 0)
			sample_ticks = (int)parse(a + 7);
	}
	int r = 2;
	if (nmsgs < 0)
		rb_printf("ipcstorm: bad msgs= value\n");
	else if (nstreams < 1 || nstreams > MAX_STREAMS)
		rb_printf("ipcstorm: streams= must be 1..%d\n", MAX_STREAMS);
	else
		r = storm();
	if (rb_getpid() == 1)
		rb_poweroff();
	return r;
}
