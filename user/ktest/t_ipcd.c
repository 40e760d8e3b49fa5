/*
 * t_ipcd.c - ktest cases for ipcd and rb/socket.h (docs/ipcd.md): the
 * first case spawns /bin/ipcd and waits (bounded) until ipc: answers; then
 * stream echo, channel boundaries, datagrams, ECONNREFUSED for a full
 * backlog and an unbound name, EADDRINUSE, EAGAIN on a full non-blocking
 * queue, a blocked writer woken when the reader drains, EOF and EPIPE on
 * close, fd passing (an initfs file, a pipe end when pipes exist), 17 fds
 * refused, peer credentials read at query time across the peer's setuid,
 * and a client killed while its read waits in ipcd. Children are
 * /bin/ipcstorm in its "peer" and "reader" modes. A kernel without user
 * schemes (SYS_SCHEME_CREATE answers ENOSYS) makes every case say so and
 * pass: there is nothing to test yet.
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"
#include "rb/socket.h"
#include "rb/thread.h"

#define IPCSTORM "initfs:/bin/ipcstorm"

static bool ipcd_up, no_schemes;

#define NEED_IPCD()                                                                                \
	do {                                                                                       \
		if (no_schemes)                                                                    \
			return 0;                                                                  \
		KCHECK(ipcd_up, "ipcd is not serving ipc:");                                       \
	} while (0)

/* The number after "key " in ipc:/stats, or an error. */
static long ipc_stat(const char *key)
{
	char buf[512];
	int fd = rb_open("ipc:/stats", RB_O_RDONLY);
	if (fd < 0)
		return fd;
	long n = 0, r;
	while (n < (long)sizeof(buf) - 1 && (r = rb_read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	rb_close(fd);
	buf[n] = 0;
	size_t kl = strlen(key);
	for (char *p = buf; *p; p++) {
		if ((p == buf || p[-1] == '\n') && strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			long v = 0;
			for (p += kl + 1; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			return v;
		}
	}
	return -E_NOENT;
}

/* Wait (bounded) until ipcd holds want deferred requests; true if it did. */
static bool wait_deferred(long want)
{
	for (int i = 0; i < 4000; i++) {
		if (ipc_stat("deferred") == want)
			return true;
		rb_nanosleep(1000000);
	}
	return false;
}

static int start(char *why, size_t n)
{
	int probe = rb_scheme_create("", 0);
	if (probe == -E_NOSYS) {
		no_schemes = true;
		rb_printf("ktest: ipcd cases skipped: the kernel has no user schemes (ENOSYS)\n");
		return 0;
	}
	KCHECK(probe < 0, "scheme_create(\"\") gave fd %d", probe);
	char *argv[] = {"ipcd", NULL};
	static const int stdio[3] = {0, 1, 2};
	int pid = rb_spawn("initfs:/bin/ipcd", argv, NULL, stdio, 3);
	KCHECK(pid > 0, "spawn ipcd: %d", pid);
	for (int i = 0; i < 5000 && !ipcd_up; i++) {
		int fd = rb_open("ipc:/stats", RB_O_RDONLY);
		if (fd >= 0) {
			rb_close(fd);
			ipcd_up = true;
			break;
		}
		int st;
		KCHECK(rb_waitpid(pid, &st, RB_WNOHANG) == 0, "ipcd exited, status %d", st);
		rb_nanosleep(1000000);
	}
	KCHECK(ipcd_up, "ipc: did not answer in 5 s");
	KEXPECT(ipc_stat("deferred"), 0);
	return 0;
}

/* A connected pair on kind/name: *c the client, *s the accepted end; the listener. */
static int pair(int kind, const char *name, int *c, int *s)
{
	int l = rb_socket_listen(kind, name);
	if (l < 0)
		return l;
	*c = rb_socket_connect(kind, name);
	*s = *c >= 0 ? rb_accept(l) : -1;
	if (*c < 0 || *s < 0) {
		int r = *c < 0 ? *c : *s;
		rb_close(l);
		if (*c >= 0)
			rb_close(*c);
		return r;
	}
	return l;
}

static void close3(int a, int b, int c)
{
	rb_close(a);
	rb_close(b);
	rb_close(c);
}

static int stream_echo(char *why, size_t n)
{
	NEED_IPCD();
	int c, s, l = pair(RB_SOCK_STREAM, "kt-echo", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	char buf[32];
	KEXPECT(rb_write(c, "hello", 5), 5);
	KEXPECT(rb_read(s, buf, 2), 2);
	KEXPECT(rb_read(s, buf + 2, sizeof(buf)), 3);
	KCHECK(memcmp(buf, "hello", 5) == 0, "server read %.5s", buf);
	KEXPECT(rb_write(s, buf, 5), 5);
	KEXPECT(rb_read(c, buf, sizeof(buf)), 5);
	KCHECK(memcmp(buf, "hello", 5) == 0, "client read %.5s", buf);
	char path[64];
	long pl = rb_fpath(c, path, sizeof(path));
	KCHECK(pl == 19 && memcmp(path, "ipc:/stream/kt-echo", 19) == 0, "fpath %ld", pl);
	close3(l, c, s);
	return 0;
}

static int chan_boundaries(char *why, size_t n)
{
	NEED_IPCD();
	int c, s, l = pair(RB_SOCK_CHAN, "kt-chan", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	char buf[32];
	KEXPECT(rb_write(c, "ab", 2), 2);
	KEXPECT(rb_write(c, "cdefgh", 6), 6);
	KEXPECT(rb_write(c, "ij", 2), 2);
	KEXPECT(rb_read(s, buf, sizeof(buf)), 2);
	KEXPECT(rb_read(s, buf, 3), 3); /* truncated: the rest of "cdefgh" is gone */
	KCHECK(memcmp(buf, "cde", 3) == 0, "read %.3s", buf);
	KEXPECT(rb_read(s, buf, sizeof(buf)), 2);
	KCHECK(memcmp(buf, "ij", 2) == 0, "read %.2s", buf);
	close3(l, c, s);
	return 0;
}

/* ipcd reads requests into a 64 KiB buffer: a bigger write still goes whole, one message
   per 64 KiB (the kernel sends the rest in requests that fit, docs/ipc.md). */
static int big_write_split(char *why, size_t n)
{
	NEED_IPCD();
	const size_t big = 100000, pkt = 65536;
	int c, s, l = pair(RB_SOCK_CHAN, "kt-big", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	unsigned char *buf = rb_mmap(NULL, 2 * big, RB_PROT_READ | RB_PROT_WRITE, 0);
	KCHECK(!RB_IS_ERR(buf), "mmap");
	for (size_t i = 0; i < big; i++)
		buf[i] = (unsigned char)(i * 7);
	long w = rb_write(c, buf, big), r1 = rb_read(s, buf + big, big);
	long r2 = rb_read(s, buf + big + pkt, big);
	bool same = memcmp(buf, buf + big, big) == 0;
	rb_munmap(buf, 2 * big);
	close3(l, c, s);
	KEXPECT(w, (long)big);
	KEXPECT(r1, (long)pkt);
	KEXPECT(r2, (long)(big - pkt));
	KCHECK(same, "the messages do not hold what was written");
	return 0;
}

static int dgram(char *why, size_t n)
{
	NEED_IPCD();
	KEXPECT(rb_socket_connect(RB_SOCK_DGRAM, "kt-dg"), -E_CONNREFUSED);
	int b = rb_socket_listen(RB_SOCK_DGRAM, "kt-dg");
	KCHECK(b >= 0, "bind: %d", b);
	int s1 = rb_socket_connect(RB_SOCK_DGRAM, "kt-dg");
	int s2 = rb_socket_connect(RB_SOCK_DGRAM, "kt-dg");
	KCHECK(s1 >= 0 && s2 >= 0, "senders: %d %d", s1, s2);
	KEXPECT(rb_write(s1, "one", 3), 3);
	KEXPECT(rb_write(s2, "second", 6), 6);
	char buf[16];
	KEXPECT(rb_read(b, buf, sizeof(buf)), 3);
	KEXPECT(rb_read(b, buf, 2), 2);
	KCHECK(memcmp(buf, "se", 2) == 0, "read %.2s", buf);
	close3(s2, b, -1);
	KEXPECT(rb_write(s1, "x", 1), -E_CONNREFUSED);
	rb_close(s1);
	return 0;
}

static int backlog_full(char *why, size_t n)
{
	NEED_IPCD();
	int l = rb_socket_listen(RB_SOCK_STREAM, "kt-bl");
	KCHECK(l >= 0, "listen: %d", l);
	/* A connection closed before its accept stays on the backlog, so 64
	   connects in batches of 16 fill it within a small fd table. */
	int fds[16];
	for (int i = 0; i < 64; i++) {
		fds[i % 16] = rb_socket_connect(RB_SOCK_STREAM, "kt-bl");
		KCHECK(fds[i % 16] >= 0, "connect %d: %d", i, fds[i % 16]);
		if (i % 16 == 15)
			for (int j = 0; j < 16; j++)
				rb_close(fds[j]);
	}
	KEXPECT(rb_socket_connect(RB_SOCK_STREAM, "kt-bl"), -E_CONNREFUSED);
	int s = rb_accept(l);
	KCHECK(s >= 0, "accept: %d", s);
	char b;
	KEXPECT(rb_read(s, &b, 1), 0); /* its client is gone */
	int c = rb_socket_connect(RB_SOCK_STREAM, "kt-bl");
	KCHECK(c >= 0, "connect after accept: %d", c);
	close3(l, s, c);
	return 0;
}

static int refused_inuse(char *why, size_t n)
{
	NEED_IPCD();
	KEXPECT(rb_socket_connect(RB_SOCK_STREAM, "kt-nobody"), -E_CONNREFUSED);
	int l = rb_socket_listen(RB_SOCK_STREAM, "kt-inuse");
	KCHECK(l >= 0, "listen: %d", l);
	KEXPECT(rb_socket_listen(RB_SOCK_STREAM, "kt-inuse"), -E_ADDRINUSE);
	rb_close(l);
	l = rb_socket_listen(RB_SOCK_STREAM, "kt-inuse");
	KCHECK(l >= 0, "listen again after close: %d", l);
	rb_close(l);
	KEXPECT(rb_open("ipc:/bogus/x", RB_O_RDWR), -E_NOENT);
	return 0;
}

static int nonblock_full(char *why, size_t n)
{
	NEED_IPCD();
	int l = rb_socket_listen(RB_SOCK_STREAM, "kt-nb");
	KCHECK(l >= 0, "listen: %d", l);
	int c = rb_socket_open(RB_SOCK_STREAM, "kt-nb", RB_O_RDWR | RB_O_NONBLOCK);
	int s = rb_accept(l);
	KCHECK(c >= 0 && s >= 0, "connect %d accept %d", c, s);
	char b = 'x';
	KEXPECT(rb_read(c, &b, 1), -E_AGAIN);
	for (int i = 0; i < 256; i++)
		KEXPECT(rb_write(c, &b, 1), 1);
	KEXPECT(rb_write(c, &b, 1), -E_AGAIN);
	KEXPECT(rb_read(s, &b, 1), 1);
	KEXPECT(rb_write(c, &b, 1), 1);
	close3(l, c, s);
	return 0;
}

struct writer {
	int fd;
	long last; /* result of the 257th write */
};

static int writer_main(void *arg)
{
	struct writer *w = arg;
	for (int i = 0; i < 257; i++) {
		unsigned char b = (unsigned char)i;
		w->last = rb_write(w->fd, &b, 1);
		if (w->last != 1)
			return 1;
	}
	return 0;
}

static int blocked_writer(char *why, size_t n)
{
	NEED_IPCD();
	long base = ipc_stat("deferred");
	int c, s, l = pair(RB_SOCK_STREAM, "kt-bw", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	struct writer w = {.fd = c, .last = -1};
	int tid = rb_thread_create(writer_main, &w);
	KCHECK(tid > 0, "thread: %d", tid);
	bool waited = wait_deferred(base + 1); /* the 257th write waits in ipcd */
	unsigned char b;
	long r0 = rb_read(s, &b, 1);
	int code = -1;
	rb_thread_join(tid, &code);
	KCHECK(waited, "the 257th write never waited");
	KCHECK(r0 == 1 && b == 0, "first read %ld byte %d", r0, b);
	KCHECK(code == 0 && w.last == 1, "writer code %d last %ld", code, w.last);
	for (int i = 1; i < 257; i++) {
		KEXPECT(rb_read(s, &b, 1), 1);
		KCHECK(b == (unsigned char)i, "byte %d is %d", i, b);
	}
	close3(l, c, s);
	return 0;
}

static int eof_epipe(char *why, size_t n)
{
	NEED_IPCD();
	int c, s, l = pair(RB_SOCK_STREAM, "kt-eof", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	KEXPECT(rb_write(c, "bye", 3), 3);
	rb_close(c);
	char buf[8];
	KEXPECT(rb_read(s, buf, sizeof(buf)), 3);
	KEXPECT(rb_read(s, buf, sizeof(buf)), 0);
	KEXPECT(rb_write(s, "x", 1), -E_PIPE);
	struct rb_pollfd p = {.fd = s, .events = RB_POLLIN};
	int pr = rb_poll(&p, 1, 0);
	KCHECK(pr == -E_NOSYS || (pr == 1 && (p.revents & RB_POLLHUP)), "poll %d revents %#x", pr,
	       p.revents);
	close3(l, s, -1);
	return 0;
}

static int fd_passing(char *why, size_t n)
{
	NEED_IPCD();
	int c, s, l = pair(RB_SOCK_CHAN, "kt-fds", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	int f = rb_open("initfs:/etc/motd", RB_O_RDONLY);
	KCHECK(f >= 0, "open motd: %d", f);
	int pfd[2];
	bool pipes = rb_pipe(pfd, 0) == 0;
	int send[2] = {f, pipes ? pfd[1] : f};
	KEXPECT(rb_sendmsg(c, "m", 1, send, 2), 1);
	int got[4];
	size_t ng = 4;
	char buf[64], want[64];
	KEXPECT(rb_recvmsg(s, buf, sizeof(buf), got, &ng), 1);
	KEXPECT(ng, 2);
	long wn = rb_read(f, want, sizeof(want));
	long gn = rb_read(got[0], buf, sizeof(buf)); /* the same file: the offset moved */
	KCHECK(wn > 0 && gn >= 0, "read motd %ld, through the passed fd %ld", wn, gn);
	KEXPECT(rb_lseek(got[0], 0, RB_SEEK_SET), 0);
	KEXPECT(rb_read(got[0], buf, sizeof(buf)), wn);
	KCHECK(memcmp(buf, want, (size_t)wn) == 0, "passed fd reads other bytes");
	if (pipes) {
		KEXPECT(rb_write(got[1], "p", 1), 1);
		KEXPECT(rb_read(pfd[0], buf, 1), 1);
		KCHECK(buf[0] == 'p', "pipe gave %c", buf[0]);
		rb_close(pfd[0]);
		rb_close(pfd[1]);
	}
	rb_close(got[0]);
	rb_close(got[1]);
	KEXPECT(rb_recvfd(s, 0), -E_AGAIN);
	rb_close(f);
	close3(l, c, s);
	return 0;
}

static int too_many_fds(char *why, size_t n)
{
	NEED_IPCD();
	int c, s, l = pair(RB_SOCK_CHAN, "kt-17", &c, &s);
	KCHECK(l >= 0, "pair: %d", l);
	int f = rb_open("initfs:/etc/motd", RB_O_RDONLY);
	int fds[17];
	for (int i = 0; i < 17; i++)
		fds[i] = f;
	KEXPECT(rb_sendmsg(c, "x", 1, fds, 17), -E_INVAL);
	for (int i = 0; i < 16; i++)
		KEXPECT(rb_sendfd(c, f, 0), 0);
	KEXPECT(rb_sendfd(c, f, 0), -E_INVAL); /* ipcd refuses the 17th too */
	KEXPECT(rb_write(c, "x", 1), 1);
	int got[17];
	size_t ng = 17;
	char b;
	KEXPECT(rb_recvmsg(s, &b, 1, got, &ng), 1);
	KEXPECT(ng, 16);
	for (size_t i = 0; i < ng; i++)
		rb_close(got[i]);
	rb_close(f);
	close3(l, c, s);
	return 0;
}

/* Spawn ipcstorm mode with two more words; its pid. */
static int spawn_helper(const char *mode, const char *a, const char *b)
{
	char *argv[] = {"ipcstorm", (char *)mode, (char *)a, (char *)b, NULL};
	return rb_spawn(IPCSTORM, argv, NULL, NULL, 0);
}

static int peercred(char *why, size_t n)
{
	NEED_IPCD();
	int l = rb_socket_listen(RB_SOCK_STREAM, "kt-cred");
	KCHECK(l >= 0, "listen: %d", l);
	int pid = spawn_helper("peer", "kt-cred", "1234");
	KCHECK(pid > 0, "spawn: %d", pid);
	int s = rb_accept(l);
	KCHECK(s >= 0, "accept: %d", s);
	char b = 0;
	int ppid = -1, uid = -1, gid = -1;
	KEXPECT(rb_read(s, &b, 1), 1);
	KEXPECT(rb_getpeercred(s, &ppid, &uid, &gid), 0);
	KEXPECT(ppid, pid);
	KEXPECT(uid, 0);
	KEXPECT(rb_write(s, "g", 1), 1);
	KEXPECT(rb_read(s, &b, 1), 1); /* the peer has called setuid(1234) */
	KCHECK(b == '2', "peer said %c", b);
	KEXPECT(rb_getpeercred(s, &ppid, &uid, &gid), 0);
	KEXPECT(uid, 1234);
	KEXPECT(rb_write(s, "d", 1), 1);
	int st = -1;
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(st, 0);
	KEXPECT(rb_read(s, &b, 1), 0);
	KEXPECT(rb_getpeercred(s, &ppid, &uid, &gid), -E_NOTCONN);
	close3(l, s, -1);
	return 0;
}

static int killed_reader(char *why, size_t n)
{
	NEED_IPCD();
	long base = ipc_stat("deferred");
	int l = rb_socket_listen(RB_SOCK_STREAM, "kt-kill");
	KCHECK(l >= 0, "listen: %d", l);
	int pid = spawn_helper("reader", "kt-kill", "-");
	KCHECK(pid > 0, "spawn: %d", pid);
	int s = rb_accept(l);
	KCHECK(s >= 0, "accept: %d", s);
	char b = 0;
	KEXPECT(rb_read(s, &b, 1), 1);
	bool waited = wait_deferred(base + 1);
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	int st = -1;
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KCHECK(waited, "the child's read never waited in ipcd");
	KCHECK(wait_deferred(base), "ipcd still holds the dead child's read");
	KEXPECT(rb_read(s, &b, 1), 0);
	close3(l, s, -1);
	/* ipcd keeps serving */
	int c, s2;
	l = pair(RB_SOCK_STREAM, "kt-kill2", &c, &s2);
	KCHECK(l >= 0, "pair after the kill: %d", l);
	KEXPECT(rb_write(c, "k", 1), 1);
	KEXPECT(rb_read(s2, &b, 1), 1);
	close3(l, c, s2);
	KEXPECT(ipc_stat("deferred"), base);
	return 0;
}

const struct kcase ipcd_cases[] = {
    {"ipcd: spawned, serves ipc:", start},
    {"ipcd: stream echo", stream_echo},
    {"ipcd: channel keeps message boundaries", chan_boundaries},
    {"ipcd: datagrams", dgram},
    {"ipcd: a write over 64 KiB goes whole, one message per 64 KiB", big_write_split},
    {"ipcd: 65th connect to a full backlog refused", backlog_full},
    {"ipcd: unbound name refused, bound name in use", refused_inuse},
    {"ipcd: full non-blocking queue gives EAGAIN", nonblock_full},
    {"ipcd: blocked writer woken when the reader drains", blocked_writer},
    {"ipcd: EOF and EPIPE after the peer closes", eof_epipe},
    {"ipcd: fds passed with a message", fd_passing},
    {"ipcd: 17 fds in one message refused", too_many_fds},
    {"ipcd: peer credentials read at query time", peercred},
    {"ipcd: client killed in a waiting read", killed_reader},
    {NULL, NULL},
};
