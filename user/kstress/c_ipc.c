/*
 * c_ipc.c - the "ipc" case: ipcd (ipc:) connections, datagrams and fd
 * passing against what was sent.
 *
 * A thread holding an fd set (c_svc.c: A, B, C, D) makes a fresh name,
 * ipc:/KIND/kstPID.S.N, and either
 *  - (stream, chan) listens on it (A), connects (B), accepts (C), checks
 *    the peer credentials of both ends (our pid, uid 1000, our gid), sends
 *    1..8 messages B -> C, some carrying D (initfs:/etc/motd) as a passed
 *    fd, and reads them on C: every message once, in order, byte for byte
 *    (chan: one read one message), the passed fd received (onto A) after
 *    its message and naming the same file, EAGAIN when none came with it
 *    and when the queue is empty; one answer C -> B; then one end is
 *    closed: the other reads EOF (0), writes EPIPE, its peer is gone
 *    (ENOTCONN);
 *  - (dgram) binds it (A), makes a sender (B), sends 1..8 datagrams and
 *    reads them in order (one cut short: the rest dropped), EAGAIN when
 *    empty; after A closes a send is ECONNREFUSED.
 * Everything is nonblocking, so nothing can wait. EINTR (the signal case)
 * ends the operation (its effect is unknown) and EMFILE/ENFILE (fdlim)
 * skip it; any other outcome than the above fails the case. Chaos kills
 * workers with connections, queued packets and passed fds in ipcd: the
 * supervisor checks ipcd's handles and memory come back (main.c).
 *
 * Ownership: a set's fds and counter belong to the thread holding the set.
 */
#include <string.h>
#include "kstress.h"
#include "rb/signal.h"
#include "rb/socket.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NMSG 8
#define MSG_MAX 600
#define PASSED "initfs:/etc/motd"

enum { A, B, C, D };

struct ibuf {
	uint8_t out[NMSG][MSG_MAX];
	uint8_t in[MSG_MAX + 64];
	size_t len[NMSG];
	bool fd[NMSG];
};

static struct ibuf ibufs[KST_SVC_SETS];
static unsigned counter[KST_SVC_SETS];
static int my_pid, my_gid;

void kst_ipc_init(struct kst_worker *w)
{
	kst_svc_init(w);
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	rb_sigaction(RB_SIGPIPE, &ign, NULL); /* EPIPE is checked, not a signal */
	my_pid = rb_getpid();
	my_gid = rb_getgid();
}

/* 1 to end the operation quietly (EINTR, EMFILE, ENFILE), else 0. */
static int skip(long r)
{
	return kst_svc_transient(r);
}

static int check_cred(struct kst_thread *t, int fd, const char *end)
{
	int pid = -1, uid = -1, gid = -1;
	int r = rb_getpeercred(fd, &pid, &uid, &gid);
	if (r == -E_INTR)
		return 1;
	if (r != 0 || pid != my_pid || uid != KST_WORKER_UID || gid != my_gid)
		return kst_fail(t, KST_IPC,
				"peercred of %s: %d pid %d uid %d gid %d, want %d %d %d", end, r,
				pid, uid, gid, my_pid, KST_WORKER_UID, my_gid);
	return 0;
}

static void make_msgs(struct kst_thread *t, struct ibuf *b, int n, bool can_pass)
{
	for (int k = 0; k < n; k++) {
		b->len[k] = 8 + kst_rand(t, MSG_MAX - 8);
		uint64_t v = kst_rand(t, ~0ull);
		for (size_t i = 0; i < b->len[k]; i++)
			b->out[k][i] = (uint8_t)(v >> (8 * (i & 7))) ^ (uint8_t)(k + i);
		b->fd[k] = can_pass && kst_rand(t, 3) == 0;
	}
}

/* The passed fd arrived onto fd A after its message: it names PASSED. */
static int check_passed(struct kst_thread *t, int base, int k)
{
	long r = kst_svc_recvfd(base + C, base + A);
	if (skip(r))
		return 1;
	if (r != base + A)
		return kst_fail(t, KST_IPC, "recvfd after message %d: %ld", k, r);
	char p[64];
	r = rb_fpath(base + A, p, sizeof p);
	if (r != (long)strlen(PASSED) || memcmp(p, PASSED, (size_t)r) != 0)
		return kst_fail(t, KST_IPC, "passed fd: fpath %ld %.*s", r, r > 0 ? (int)r : 0, p);
	return 0;
}

/* Read message k on fd (whole: a stream read gives at most one packet). */
static int recv_one(struct kst_thread *t, struct ibuf *b, int fd, int k, const char *kind)
{
	long r = rb_read(fd, b->in, sizeof b->in);
	if (skip(r))
		return 1;
	if (r != (long)b->len[k] || memcmp(b->in, b->out[k], b->len[k]) != 0)
		return kst_fail(t, KST_IPC, "%s message %d: read %ld, want %zu bytes%s", kind, k, r,
				b->len[k], r == (long)b->len[k] ? " (differ)" : "");
	return 0;
}

/* The end at fd has nothing queued: EAGAIN. */
static int expect_empty(struct kst_thread *t, int fd, const char *what)
{
	uint8_t x;
	long r = rb_read(fd, &x, 1);
	if (skip(r))
		return 1;
	if (r != -E_AGAIN)
		return kst_fail(t, KST_IPC, "%s: read of an empty queue: %ld, want EAGAIN", what,
				r);
	return 0;
}

static int pair_traffic(struct kst_thread *t, struct ibuf *b, int base, const char *kind)
{
	int n = 1 + (int)kst_rand(t, NMSG), r;
	make_msgs(t, b, n, true);
	for (int k = 0; k < n; k++) {
		int pass = base + D;
		long w = rb_sendmsg(base + B, b->out[k], b->len[k], &pass, b->fd[k]);
		if (skip(w))
			return 1;
		if (w != (long)b->len[k])
			return kst_fail(t, KST_IPC, "%s send %d (%zu bytes, %d fds): %ld", kind, k,
					b->len[k], b->fd[k], w);
	}
	for (int k = 0; k < n; k++) {
		if ((r = recv_one(t, b, base + C, k, kind)) != 0)
			return r;
		if (b->fd[k] && (r = check_passed(t, base, k)) != 0)
			return r;
		if (!b->fd[k] && kst_rand(t, 2)) {
			long f = rb_recvfd(base + C, 0); /* nothing may land on a low fd */
			if (skip(f))
				return 1;
			if (f != -E_AGAIN)
				return kst_fail(t, KST_IPC, "recvfd after message %d (no fd): %ld",
						k, f);
		}
	}
	if ((r = expect_empty(t, base + C, kind)) != 0)
		return r;
	make_msgs(t, b, 1, false);
	long w = rb_write(base + C, b->out[0], b->len[0]);
	if (skip(w))
		return 1;
	if (w != (long)b->len[0])
		return kst_fail(t, KST_IPC, "%s answer: %ld", kind, w);
	return recv_one(t, b, base + B, 0, kind);
}

/* Close one end of the connection; the other sees EOF, EPIPE and no peer. */
static int pair_close(struct kst_thread *t, int base, const char *kind)
{
	int gone = kst_rand(t, 2) ? base + B : base + C,
	    other = gone == base + B ? base + C : base + B;
	kst_svc_park(gone);
	uint8_t x = 0;
	long r = rb_read(other, &x, 1);
	if (skip(r))
		return 1;
	if (r != 0)
		return kst_fail(t, KST_IPC, "%s read after the peer closed: %ld, want 0", kind, r);
	if ((r = rb_write(other, &x, 1)) != -E_PIPE && !skip(r))
		return kst_fail(t, KST_IPC, "%s write after the peer closed: %ld, want EPIPE", kind,
				r);
	int pid, uid, gid;
	if ((r = rb_getpeercred(other, &pid, &uid, &gid)) != -E_NOTCONN && !skip(r))
		return kst_fail(t, KST_IPC, "%s peercred after the peer closed: %ld", kind, r);
	return 0;
}

static int op_pair(struct kst_thread *t, int base, bool chan)
{
	const char *kind = chan ? "chan" : "stream";
	char path[64];
	int s = t->idx % KST_SVC_SETS, r;
	rb_snprintf(path, sizeof path, "ipc:/%s/kst%d.%d.%u", kind, my_pid, s, counter[s]++);
	long fd = kst_svc_open(path, RB_O_RDWR | RB_O_CREAT | RB_O_NONBLOCK, base + A);
	if (skip(fd))
		return 0;
	if (fd != base + A)
		return kst_fail(t, KST_IPC, "listen %s: %ld", path, fd);
	if ((fd = kst_svc_open(path, RB_O_RDWR | RB_O_NONBLOCK, base + B)) != base + B)
		return skip(fd) ? 0 : kst_fail(t, KST_IPC, "connect %s: %ld", path, fd);
	if ((fd = kst_svc_dup_handle(base + A, "accept", base + C)) != base + C)
		return skip(fd) ? 0 : kst_fail(t, KST_IPC, "accept %s: %ld", path, fd);
	if ((fd = kst_svc_open(PASSED, RB_O_RDONLY, base + D)) != base + D)
		return skip(fd) ? 0 : kst_fail(t, KST_IPC, "open %s: %ld", PASSED, fd);
	if ((r = check_cred(t, base + B, "client")) != 0 ||
	    (r = check_cred(t, base + C, "accepted")) != 0)
		return r < 0 ? r : 0;
	if ((r = pair_traffic(t, &ibufs[s], base, kind)) != 0)
		return r < 0 ? r : 0;
	r = pair_close(t, base, kind);
	return r < 0 ? r : 0;
}

static int op_dgram(struct kst_thread *t, int base)
{
	char path[64];
	int s = t->idx % KST_SVC_SETS, n = 1 + (int)kst_rand(t, NMSG), cut = (int)kst_rand(t, n);
	struct ibuf *b = &ibufs[s];
	rb_snprintf(path, sizeof path, "ipc:/dgram/kst%d.%d.%u", my_pid, s, counter[s]++);
	long r = kst_svc_open(path, RB_O_RDWR | RB_O_CREAT | RB_O_NONBLOCK, base + A);
	if (skip(r))
		return 0;
	if (r != base + A)
		return kst_fail(t, KST_IPC, "bind %s: %ld", path, r);
	if ((r = kst_svc_open(path, RB_O_WRONLY | RB_O_NONBLOCK, base + B)) != base + B)
		return skip(r) ? 0 : kst_fail(t, KST_IPC, "sender %s: %ld", path, r);
	make_msgs(t, b, n, false);
	for (int k = 0; k < n; k++)
		if ((r = rb_write(base + B, b->out[k], b->len[k])) != (long)b->len[k])
			return skip(r) ? 0 : kst_fail(t, KST_IPC, "dgram send %d: %ld", k, r);
	for (int k = 0; k < n; k++) {
		size_t want = k == cut ? b->len[k] / 2 : b->len[k];
		r = rb_read(base + A, b->in, k == cut ? want : sizeof b->in);
		if (skip(r))
			return 0;
		if (r != (long)want || memcmp(b->in, b->out[k], want) != 0)
			return kst_fail(t, KST_IPC, "datagram %d: read %ld, want %zu bytes%s", k, r,
					want, r == (long)want ? " (differ)" : "");
	}
	if ((r = expect_empty(t, base + A, "dgram")) != 0)
		return r < 0 ? r : 0;
	kst_svc_park(base + A);
	r = rb_write(base + B, b->out[0], b->len[0]);
	if (r != -E_CONNREFUSED && !skip(r))
		return kst_fail(t, KST_IPC, "dgram send to a closed name: %ld, want ECONNREFUSED",
				r);
	return 0;
}

int kst_ipc_op(struct kst_thread *t)
{
	int base = kst_svc_begin(t), r;
	switch (kst_rand(t, 3)) {
	case 0:
		r = op_pair(t, base, false);
		break;
	case 1:
		r = op_pair(t, base, true);
		break;
	default:
		r = op_dgram(t, base);
	}
	kst_svc_end(t);
	return r;
}
