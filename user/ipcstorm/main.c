/*
 * ipcstorm - many concurrent ipc: streams against one echo server, and the
 * child helpers of the ipcd ktest cases (docs/ipcd.md).
 *
 *   ipcstorm [streams=N] [msgs=M]   the storm (default 1000 x 100): starts
 *       /bin/ipcd unless ipc: answers, one "server" process and enough
 *       "client" processes of at most 50 threads, one stream per thread;
 *       each client thread sends M numbered 8-byte messages, then reads the
 *       M echoes and checks each arrives once and in order. It prints the
 *       kernel heap (SYS_KSTAT) and ipcd's ipc:/stats before and after and
 *       "ipcstorm: done, streams=N, msgs=M, failures=F"; as pid 1 it then
 *       powers off.
 *   ipcstorm server N M     accept N streams (one thread accepts, at most 48
 *       ahead of the 60 that serve, so the server holds few fds)
 *   ipcstorm client BASE K M   K threads, streams BASE..BASE+K-1
 *   ipcstorm peer NAME UID  connect to stream NAME, say "1", wait, setuid
 *       UID, say "2", wait, exit (t_ipcd.c peercred)
 *   ipcstorm reader NAME -  connect, say "r", then wait in a read forever
 *
 * Ownership: each process's counters (accepted, next_stream, served,
 * failures) are atomics written by its threads;
 * the fds array of the server is written by the accepting thread before it
 * publishes the count (release) and read by workers after (acquire).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "boot/cmdline.h"
#include "rb/socket.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define SELF "initfs:/bin/ipcstorm"
#define NAME "storm"
#define MAX_STREAMS 4096
#define CLIENT_THREADS 50
#define SERVER_THREADS 60
#define SERVER_OPEN 48 /* accepted streams not yet served: fd tables may hold only 64 */

static int nstreams = 1000, nmsgs = 100, base_id;
static bool verbose; /* "verbose": start ipcd with -v */
static uint32_t failures;
static int fds[MAX_STREAMS];
static uint32_t accepted, next_stream, served;

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

/* ---------------------------------------------------------------- server */

static int serve_one(int fd)
{
	uint32_t msg[2], id = 0;
	for (int i = 0; i < nmsgs; i++) {
		if (!read_full(fd, msg, sizeof(msg))) {
			fail("server read", i);
			return 1;
		}
		if (i == 0)
			id = msg[0];
		if (msg[0] != id || msg[1] != (uint32_t)i)
			fail("server got out of order", (long)msg[1]);
		long w = rb_write(fd, msg, sizeof(msg));
		if (w != sizeof(msg))
			fail("server write", w);
	}
	return 0;
}

static int server_worker(void *arg)
{
	for (;;) {
		uint32_t i = __atomic_fetch_add(&next_stream, 1, __ATOMIC_RELAXED);
		if (i >= (uint32_t)nstreams)
			return 0;
		uint32_t seen;
		while ((seen = __atomic_load_n(&accepted, __ATOMIC_ACQUIRE)) <= i)
			rb_futex_wait(&accepted, seen, 0);
		serve_one(fds[i]);
		rb_close(fds[i]);
		__atomic_fetch_add(&served, 1, __ATOMIC_RELEASE);
		rb_futex_wake(&served, 1);
	}
}

static int server(void)
{
	int l = rb_socket_listen(RB_SOCK_STREAM, NAME);
	if (l < 0) {
		rb_printf("ipcstorm: server: listen: %s\n", err_name(l));
		return 1;
	}
	int tids[SERVER_THREADS];
	for (int t = 0; t < SERVER_THREADS; t++)
		tids[t] = rb_thread_create(server_worker, NULL);
	for (int i = 0; i < nstreams; i++) {
		uint32_t done;
		while (i - (int)(done = __atomic_load_n(&served, __ATOMIC_ACQUIRE)) >= SERVER_OPEN)
			rb_futex_wait(&served, done, 0);
		int fd = rb_accept(l);
		if (fd < 0) {
			fail("accept", fd);
			i--;
			continue;
		}
		fds[i] = fd;
		__atomic_store_n(&accepted, (uint32_t)i + 1, __ATOMIC_RELEASE);
		rb_futex_wake(&accepted, SERVER_THREADS);
	}
	for (int t = 0; t < SERVER_THREADS; t++)
		if (tids[t] > 0)
			rb_thread_join(tids[t], NULL);
	rb_close(l);
	return failures ? 1 : 0;
}

/* ---------------------------------------------------------------- clients */

static int client_thread(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg;
	int fd = -E_CONNREFUSED;
	for (int tries = 0; tries < 100000 && fd == -E_CONNREFUSED; tries++) {
		fd = rb_socket_connect(RB_SOCK_STREAM, NAME);
		if (fd == -E_CONNREFUSED)
			rb_nanosleep(1000000); /* backlog full or no server yet: retry */
	}
	if (fd < 0) {
		fail("connect", fd);
		return 1;
	}
	uint32_t msg[2] = {id, 0};
	for (int i = 0; i < nmsgs; i++) {
		msg[1] = (uint32_t)i;
		long w = rb_write(fd, msg, sizeof(msg));
		if (w != sizeof(msg)) {
			fail("client write", w);
			break;
		}
	}
	for (int i = 0; i < nmsgs; i++) {
		if (!read_full(fd, msg, sizeof(msg))) {
			fail("client read", i);
			break;
		}
		if (msg[0] != id || msg[1] != (uint32_t)i) {
			fail("echo out of order", (long)msg[1]);
			break;
		}
	}
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

static void show(const char *when)
{
	struct rb_kstat ks = {0};
	long kr = rb_kstat(&ks);
	char st[256] = "";
	int fd = rb_open("ipc:/stats", RB_O_RDONLY);
	if (fd >= 0) {
		long n = rb_read(fd, st, sizeof(st) - 1);
		st[n > 0 ? n : 0] = 0;
		rb_close(fd);
	}
	for (char *p = st; *p; p++)
		if (*p == '\n')
			*p = ' ';
	rb_printf("ipcstorm: %s: kernel heap_bytes %llu (kstat %ld); ipcd: %s\n", when,
		  (unsigned long long)ks.heap_bytes, kr, st);
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
	uint64_t t0 = rb_now_ns();
	int pids[MAX_STREAMS / CLIENT_THREADS + 2], np = 0;
	pids[np++] = spawn_self("server", nstreams, nmsgs, 0);
	for (int b = 0; b < nstreams; b += CLIENT_THREADS) {
		int k = nstreams - b < CLIENT_THREADS ? nstreams - b : CLIENT_THREADS;
		pids[np++] = spawn_self("client", b, k, nmsgs);
	}
	int bad = 0, left = np;
	for (int tick = 1; left > 0; tick++) {
		for (int i = 0; i < np; i++) {
			int st = -1;
			if (pids[i] == 0)
				continue;
			int r = pids[i] < 0 ? pids[i] : rb_waitpid(pids[i], &st, RB_WNOHANG);
			if (r == 0)
				continue;
			if (r != pids[i] || st != 0) {
				rb_printf("ipcstorm: child %d (pid %d) status %d\n", i, pids[i],
					  st);
				bad++;
			}
			pids[i] = 0;
			left--;
		}
		rb_nanosleep(100000000); /* a progress line every 10 s */
		if (tick % 100 == 0)
			show("running");
	}
	uint64_t ms = (rb_now_ns() - t0) / 1000000;
	show("after");
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
	}
	if (nmsgs < 0) {
		rb_printf("ipcstorm: bad msgs= value\n");
		return 2;
	}
	if (nstreams < 1 || nstreams > MAX_STREAMS)
		nstreams = 1000;
	int r = storm();
	if (rb_getpid() == 1)
		rb_poweroff();
	return r;
}
