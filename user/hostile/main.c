/*
 * hostile - the hostile client: a storm of malformed, random and
 * out-of-range requests against scheme servers while good clients must
 * keep being served (docs/ipc.md, docs/stress.md).
 *
 * "hostile [seed=N] [requests=N] [procs=P] [threads=T] [targets=MASK]"
 * (bit t of MASK attacks targets[t]; default all) (an "init."
 * prefix is ignored, so it runs as init=/bin/hostile init.requests=...).
 * The supervisor (this file's main) starts the servers it attacks when
 * they are not running yet (ramfsd for file:, ipcd for ipc:, logd for
 * log:; a missing one is skipped and named), and serves two schemes of
 * its own from threads: "test-hostile", a correct server that checks
 * every request it gets, and "test-evil", which answers at random with
 * garbage (unknown ids, wrong lengths, oversized payloads, bad fds,
 * spurious events), ignores some requests and now and then dies and
 * registers again. A good client thread reads known data through
 * test-hostile and file: in a loop. P storm processes of T threads each
 * then make `requests` random calls between them on all those schemes:
 * random paths (garbage bytes, "..", overlong), flags, lengths up to
 * 80 KiB, offsets, fcntl commands, dup arguments, fd passing, bad
 * pointers. Every result must be an error code or within range (a read
 * never returns more than asked); the kernel must not panic; the good
 * client must see no failure; afterwards the servers must still serve
 * and the kernel's process and thread counts must be back. It ends with
 * "hostile: done, requests=R, errors=E, good=G, failures=F".
 *
 * Ownership: each storm thread owns its fds and buffers; the servers'
 * counters are __atomic. The supervisor is single-threaded apart from
 * its server and good-client threads: the good client and the evil
 * server stop when `stop` is set, each echo thread after answering one
 * "/bye" open that main makes after it. The evil server shares this
 * process's fd table, so the fds it hands out (RB_ANS_FD) are files it
 * opens for that, never its siblings', and an answer the kernel does not
 * take counts as a silence (its caller waits for the next death).
 */
#include <stdbool.h>
#include <string.h>
#include "boot/cmdline.h"
#include "rb/malloc.h"
#include "rb/rand.h"
#include "rb/service.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define BUF (80 * 1024)
#define MAX_OWN 24
#define NTARGETS 5

struct opts {
	uint64_t seed, requests, procs, threads, targets;
};

static struct opts opt = {
    .seed = 0x5eed, .requests = 100000, .procs = 2, .threads = 3, .targets = 0x1f};
static const char *const targets[NTARGETS] = {
    "test-hostile:", "test-evil:", "file:", "ipc:", "log:"};
static bool have[NTARGETS] = {true, true};
static volatile int stop;
static uint64_t good_ok, good_fail, evil_reqs, echo_reqs, echo_bad;
static char good_why[128];
static char motd[512];
static long motd_len;

static int parse_opt(const char *arg)
{
	static const struct {
		const char *key;
		uint64_t *val;
	} keys[] = {{"seed=", &opt.seed},
		    {"requests=", &opt.requests},
		    {"procs=", &opt.procs},
		    {"threads=", &opt.threads},
		    {"targets=", &opt.targets}};
	if (strncmp(arg, "init.", 5) == 0)
		arg += 5;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t n = strlen(keys[i].key);
		if (strncmp(arg, keys[i].key, n) == 0)
			return cmdline_parse_u64(arg + n, keys[i].val);
	}
	return -1;
}

/* ---- the correct server: checks what the kernel hands it ---- */

static void answer(int sfd, uint64_t id, long result, const void *data, unsigned len)
{
	char out[sizeof(struct rb_ans) + 512]; /* two server threads answer at once */
	struct rb_ans a = {.id = id, .result = result, .len = len};
	memcpy(out, &a, sizeof a);
	if (len)
		memcpy(out + sizeof a, data, len);
	(void)rb_write(sfd, out, sizeof a + len);
}

/* A request whose header disagrees with what the kernel promises (docs/ipc.md). */
static bool req_bad(const struct rb_req *r, long got)
{
	if (got < (long)sizeof *r || r->len != (unsigned long)got - sizeof *r)
		return true;
	if (r->op == 0 || r->op >= RB_SOP_COUNT)
		return true;
	if ((r->op == RB_SOP_READ || r->op == RB_SOP_PREAD || r->op == RB_SOP_GETDENTS) &&
	    r->a > RB_SCHEME_MAX_IO)
		return true;
	if ((r->op == RB_SOP_WRITE || r->op == RB_SOP_PWRITE) && r->len > r->a)
		return true;
	return r->pid <= 0;
}

static int echo_server(void *arg)
{
	int sfd = (int)(long)arg;
	char *buf = rb_malloc(RB_REQ_MIN_BUF + 4096);
	static const char pattern[256] = {[0 ... 255] = 'h'};
	uint64_t next = 1;
	for (bool bye = false; !bye;) {
		long got = rb_read(sfd, buf, RB_REQ_MIN_BUF + 4096);
		if (got < 0)
			break;
		struct rb_req r;
		memcpy(&r, buf, sizeof r);
		__atomic_fetch_add(&echo_reqs, 1, __ATOMIC_RELAXED);
		if (req_bad(&r, got)) {
			__atomic_fetch_add(&echo_bad, 1, __ATOMIC_RELAXED);
			continue;
		}
		switch (r.op) {
		case RB_SOP_OPEN:
			/* main's "/bye" after stop: answer it, then leave (one per thread). */
			bye = __atomic_load_n(&stop, __ATOMIC_RELAXED) && r.len == 4 &&
			      memcmp(buf + sizeof r, "/bye", 4) == 0;
			/* fall through */
		case RB_SOP_DUP:
			answer(sfd, r.id, r.len > 64 ? -E_NAMETOOLONG : (long)next++, NULL, 0);
			break;
		case RB_SOP_READ:
			answer(sfd, r.id, r.a < 256 ? (long)r.a : 256, pattern,
			       r.a < 256 ? (unsigned)r.a : 256);
			break;
		case RB_SOP_WRITE:
			answer(sfd, r.id, r.len, NULL, 0);
			break;
		case RB_SOP_FSTAT: {
			struct rb_stat st = {.size = 0, .mode = 0x2000};
			answer(sfd, r.id, 0, &st, sizeof st);
			break;
		}
		case RB_SOP_CLOSE:
		case RB_SOP_CANCEL:
			break;
		case RB_SOP_SENDFD:
			rb_close((int)r.a);
			answer(sfd, r.id, 0, NULL, 0);
			break;
		default:
			answer(sfd, r.id, -E_NOSYS, NULL, 0);
		}
	}
	rb_free(buf);
	return 0;
}

/* ---- the evil server: garbage answers, silence, death ---- */

/*
 * The fd of an RB_ANS_FD answer: a file opened for the purpose, or an fd
 * outside the table. Never another fd of this process: its table is shared
 * with test-hostile's server fd, the good client's files and the console,
 * and giving those away would hang the test (a storm reading the echo
 * server's fd, main printing nowhere), not the kernel.
 */
#define EVIL_NOFD 4096

static long evil_fd(struct rb_rand *rng)
{
	if (rb_rand_below(rng, 2))
		return EVIL_NOFD + (long)rb_rand_below(rng, 100) -
		       (long)rb_rand_below(rng, 2) * 8192;
	int fd = rb_open("initfs:/etc/motd", RB_O_RDONLY);
	return fd >= 0 ? fd : -1;
}

/*
 * Write a random answer to r. True if it ended r's call; false if the
 * caller still waits (an id nobody asked, an event, a torn header: the
 * kernel refuses or ignores it) and only the server's death frees it.
 */
static bool evil_answer(int sfd, struct rb_rand *rng, const struct rb_req *r, char *out)
{
	struct rb_ans a = {.id = r->id, .result = (long)rb_rand_below(rng, 300) - 150};
	unsigned len = (unsigned)rb_rand_below(rng, 2 * RB_SCHEME_MAX_IO);
	switch (rb_rand_below(rng, 8)) {
	case 0:
		a.id = rb_rand_next(rng); /* an id nobody asked */
		break;
	case 1:
		a.len = len; /* payload that is not there */
		len = 0;
		break;
	case 2:
		a.result = (long)r->a + 1 + (long)rb_rand_below(rng, 1000); /* more than asked */
		a.len = len;
		break;
	case 3:
		/* an fd of ours to give, or one we do not have; as the file itself or
		   as the forward of a handle (RB_ANS_FWD, arg) */
		if (rb_rand_below(rng, 2)) {
			a.flags = RB_ANS_FD;
			a.result = evil_fd(rng);
		} else {
			a.flags = RB_ANS_FWD;
			a.arg = (uint64_t)evil_fd(rng);
		}
		len = 0;
		break;
	case 4:
		a.flags = RB_ANS_EVENT;
		a.arg = rb_rand_next(rng) & 15;
		a.events = rb_rand_next(rng);
		len = 0;
		break;
	case 5:
		/* Random flags, but not RB_ANS_FD or RB_ANS_FWD: with a small random
		   result or arg they would give away one of this process's own fds
		   (the good client's file, test-hostile's server fd), which case 3
		   never does. */
		a.flags = (unsigned)rb_rand_next(rng) & ~(unsigned)(RB_ANS_FD | RB_ANS_FWD);
		len = (unsigned)rb_rand_below(rng, 64);
		a.len = len;
		break;
	default: /* plausible: a small result with matching payload */
		len = (unsigned)rb_rand_below(rng, 64);
		a.result = len;
		a.len = len;
	}
	if (len > RB_SCHEME_MAX_IO)
		len = RB_SCHEME_MAX_IO;
	memcpy(out, &a, sizeof a);
	memset(out + sizeof a, 'e', len);
	size_t total = sizeof a + len;
	if (rb_rand_below(rng, 16) == 0)
		total = rb_rand_below(rng, sizeof a + 1); /* a torn header */
	long w = rb_write(sfd, out, total);
	if ((a.flags & RB_ANS_FD) && a.result >= 0 && a.result < EVIL_NOFD && w < 0)
		rb_close((int)a.result); /* refused: still ours (taken, it left our table) */
	if ((a.flags & RB_ANS_FWD) && (int64_t)a.arg >= 0 && (int64_t)a.arg < EVIL_NOFD &&
	    w == -E_INVAL)
		rb_close((int)a.arg); /* refused before it was taken (EBADF: it was not ours) */
	/* The kernel takes r off its in-flight table (and wakes the caller,
	   perhaps with EIO) for any whole answer with r's id that is no event. */
	return total >= sizeof a && a.id == r->id && !(a.flags & RB_ANS_EVENT);
}

static int evil_server(void *arg)
{
	struct rb_rand rng;
	rb_rand_seed(&rng, rb_rand_derive(opt.seed, 0xe, 0));
	char *buf = rb_malloc(RB_REQ_MIN_BUF + 4096);
	char *out = rb_malloc(sizeof(struct rb_ans) + RB_SCHEME_MAX_IO);
	int sfd = (int)(long)arg, idle = 0;
	bool silent = false; /* some caller waits for an answer that will not come */
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		long got = rb_read(sfd, buf, RB_REQ_MIN_BUF + 4096);
		if (got == -E_AGAIN) {
			/* Nothing pending: if callers wait on silence, dying frees them. */
			if (!silent || ++idle < 20) {
				rb_nanosleep(1000 * 1000);
				continue;
			}
		} else if (got < (long)sizeof(struct rb_req)) {
			break;
		}
		struct rb_req r;
		memcpy(&r, buf, sizeof r);
		uint64_t n = got > 0 ? __atomic_add_fetch(&evil_reqs, 1, __ATOMIC_RELAXED) : 0;
		idle = 0;
		if (got < 0 || n % 997 == 0) {
			/* Die and come back: every waiting caller must get EPIPE. */
			silent = false;
			rb_close(sfd);
			for (int tries = 0; tries < 1000; tries++) {
				sfd = rb_scheme_create("test-evil", RB_O_NONBLOCK);
				if (sfd != -E_EXIST)
					break;
				rb_sched_yield();
			}
			if (sfd < 0) {
				rb_printf("hostile: FAIL test-evil cannot register again: %s\n",
					  err_name(sfd));
				break;
			}
			continue;
		}
		if (r.op == RB_SOP_CLOSE || r.op == RB_SOP_CANCEL)
			continue;
		if (rb_rand_below(&rng, 64) == 0) {
			silent = true; /* the caller waits until the next death */
			continue;
		}
		if (!evil_answer(sfd, &rng, &r, out))
			silent = true; /* unanswered: the caller waits until the next death */
	}
	rb_free(out);
	rb_free(buf);
	return 0;
}

/* ---- the good client: known answers, all the time ---- */

static void good_failed(const char *what, long r)
{
	if (__atomic_fetch_add(&good_fail, 1, __ATOMIC_RELAXED) == 0)
		rb_snprintf(good_why, sizeof good_why, "%s: %ld %s", what, r,
			    r < 0 ? err_name((int)r) : "");
}

static void good_once(char *buf)
{
	int fd = rb_open("test-hostile:/good", RB_O_RDWR);
	if (fd < 0)
		return good_failed("open test-hostile", fd);
	long r = rb_read(fd, buf, 100);
	if (r != 100 || buf[0] != 'h' || buf[99] != 'h')
		good_failed("read test-hostile", r);
	rb_close(fd);
	if (!have[2])
		return;
	fd = rb_open("file:/etc/motd", RB_O_RDONLY);
	if (fd < 0)
		return good_failed("open file:/etc/motd", fd);
	r = rb_read(fd, buf, sizeof motd);
	if (r != motd_len || memcmp(buf, motd, (size_t)r) != 0)
		good_failed("read file:/etc/motd", r);
	rb_close(fd);
}

static int good_client(void *arg)
{
	char buf[sizeof motd];
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		good_once(buf);
		__atomic_fetch_add(&good_ok, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

/* ---- the storm (child processes) ---- */

enum { IPC_LISTEN, IPC_CONNECT, IPC_ACCEPT, IPC_WRITE, IPC_READ, IPC_FD, IPC_NOPS };

struct storm {
	struct rb_rand rng;
	int own[MAX_OWN];
	int nown;
	int ipc[MAX_OWN]; /* the subset of own opened on ipc:/KIND/hN or accepted */
	int nipc;
	uint64_t calls, errors, violations;
	uint64_t ipc_ok[IPC_NOPS]; /* successes of ipc_op, by kind */
	char *buf;
	char path[400];
};

static void violation(struct storm *s, const char *what, long got, long limit)
{
	s->violations++;
	if (s->violations <= 5)
		rb_printf("hostile: FAIL %s returned %ld (limit %ld)\n", what, got, limit);
}

/* got must be an error code or in [0, limit]. */
static long check(struct storm *s, const char *what, long got, long limit)
{
	s->calls++;
	if (got < 0) {
		s->errors++;
		if (got < -4095)
			violation(s, what, got, limit);
	} else if (got > limit) {
		violation(s, what, got, limit);
	}
	return got;
}

static const char *const words[] = {"",	       "..",	 ".",	   "tmp",      "etc",	"motd",
				    "bin",     "stream", "dgram",  "chan",     "var",	"log",
				    "hostile", "x",	 "accept", "messages", "storm", "/"};

/* A random path: scheme prefix, then words, garbage bytes, or an overlong run. */
static const char *rand_path(struct storm *s, int *target)
{
	int t;
	do
		t = (int)rb_rand_below(&s->rng, NTARGETS);
	while (!have[t]);
	*target = t;
	size_t n = strlen(targets[t]);
	memcpy(s->path, targets[t], n);
	int parts = (int)rb_rand_below(&s->rng, 6);
	for (int i = 0; i < parts && n < sizeof s->path - 40; i++) {
		s->path[n++] = '/';
		switch (rb_rand_below(&s->rng, 4)) {
		case 0: { /* garbage bytes, never NUL */
			int k = (int)rb_rand_below(&s->rng, 20);
			for (int j = 0; j < k; j++)
				s->path[n++] = (char)(1 + rb_rand_below(&s->rng, 255));
			break;
		}
		case 1: /* overlong */
			while (n < sizeof s->path - 40 && rb_rand_below(&s->rng, 50))
				s->path[n++] = 'a' + (char)rb_rand_below(&s->rng, 26);
			break;
		default: {
			const char *w =
			    words[rb_rand_below(&s->rng, sizeof words / sizeof words[0])];
			size_t k = strlen(w);
			memcpy(s->path + n, w, k);
			n += k;
		}
		}
	}
	s->path[n] = 0;
	return s->path;
}

static int rand_flags(struct storm *s, int target)
{
	static const int bits[] = {RB_O_RDONLY, RB_O_WRONLY, RB_O_RDWR,	  RB_O_CREAT,
				   RB_O_EXCL,	RB_O_TRUNC,  RB_O_APPEND, RB_O_DIRECTORY};
	int f = 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if (rb_rand_below(&s->rng, 3) == 0)
			f |= bits[i];
	if (rb_rand_below(&s->rng, 20) == 0)
		f = (int)rb_rand_next(&s->rng); /* anything at all */
	if (target == 3 || target == 4)
		f |= RB_O_NONBLOCK; /* ipc: and log: may block for real; the storm must not */
	return f;
}

/* An fd to act on: mostly our own, sometimes anything. */
static int rand_fd(struct storm *s)
{
	if (s->nown && rb_rand_below(&s->rng, 8))
		return s->own[rb_rand_below(&s->rng, (uint64_t)s->nown)];
	int fd = (int)rb_rand_below(&s->rng, 80) - 5;
	return fd >= 0 && fd <= 2 ? -1 : fd; /* the console: a read would wait for a key */
}

/* Remove fd from the set fds[0..*n). */
static void set_remove(int *fds, int *n, int fd)
{
	for (int i = 0; i < *n; i++)
		if (fds[i] == fd) {
			fds[i] = fds[--*n];
			return;
		}
}

static void forget(struct storm *s, int fd)
{
	set_remove(s->own, &s->nown, fd);
	set_remove(s->ipc, &s->nipc, fd);
}

static void keep(struct storm *s, int fd)
{
	if (fd < 0)
		return;
	if (s->nown == MAX_OWN) {
		int old = s->own[rb_rand_below(&s->rng, MAX_OWN)];
		forget(s, old);
		rb_close(old);
	}
	s->own[s->nown++] = fd;
}

/* Keep fd, an ipc: connection, listener or dgram handle. */
static void keep_ipc(struct storm *s, int fd)
{
	keep(s, fd);
	if (fd >= 0)
		s->ipc[s->nipc++] = fd; /* nipc <= nown <= MAX_OWN */
}

/* A buffer pointer: ours, or one the kernel must refuse. */
static void *rand_buf(struct storm *s)
{
	static const uintptr_t bad[] = {0, 1, 0xffff800000000000ull, 0x7ffffffff000ull,
					0xdeadbeef000ull};
	if (rb_rand_below(&s->rng, 16) == 0)
		return (void *)bad[rb_rand_below(&s->rng, sizeof bad / sizeof bad[0])];
	return s->buf;
}

static size_t rand_len(struct storm *s)
{
	switch (rb_rand_below(&s->rng, 4)) {
	case 0:
		return rb_rand_below(&s->rng, 8);
	case 1:
		return BUF;
	default:
		return rb_rand_below(&s->rng, BUF + 1);
	}
}

/*
 * A well-formed ipc: call, so that the storm reaches ipcd's connection
 * paths and not only its path checks: bind or connect one of a few names
 * shared by all storm threads and processes, accept, and write, read and
 * pass fds on what they gave. Every ipc: fd is nonblocking (accepted ones
 * inherit the listener's flags), so no call here can wait.
 */
static void ipc_op(struct storm *s)
{
	static const char *const kinds[] = {"stream", "chan", "dgram"};
	int op = (int)rb_rand_below(&s->rng, IPC_NOPS);
	int fd = s->nipc ? s->ipc[rb_rand_below(&s->rng, (uint64_t)s->nipc)] : -1;
	long r;
	if (op == IPC_LISTEN || op == IPC_CONNECT || fd < 0) {
		op = op == IPC_LISTEN ? IPC_LISTEN : IPC_CONNECT;
		rb_snprintf(s->path, sizeof s->path, "ipc:/%s/h%d",
			    kinds[rb_rand_below(&s->rng, 3)], (int)rb_rand_below(&s->rng, 4));
		int flags = RB_O_RDWR | RB_O_NONBLOCK | (op == IPC_LISTEN ? RB_O_CREAT : 0);
		r = check(s, "ipc open", rb_open(s->path, flags), 1 << 16);
		keep_ipc(s, (int)r);
	} else if (op == IPC_ACCEPT) {
		r = check(s, "ipc accept", rb_dup_handle(fd, "accept"), 1 << 16);
		keep_ipc(s, (int)r);
	} else if (op == IPC_WRITE) {
		size_t len = 1 + rb_rand_below(&s->rng, 512);
		r = check(s, "ipc write", rb_write(fd, s->buf, len), (long)len);
	} else if (op == IPC_READ) {
		size_t len = 1 + rb_rand_below(&s->rng, 1024);
		r = check(s, "ipc read", rb_read(fd, s->buf, len), (long)len);
	} else if (rb_rand_below(&s->rng, 2)) {
		r = check(s, "ipc sendfd", rb_sendfd(fd, rand_fd(s), 0), 0);
	} else {
		r = check(s, "ipc recvfd", rb_recvfd(fd, 0), 1 << 16);
		keep(s, (int)r);
	}
	if (r >= 0)
		s->ipc_ok[op]++;
}

static void storm_op(struct storm *s)
{
	int t, fd = rand_fd(s);
	size_t len = rand_len(s);
	switch (rb_rand_below(&s->rng, have[3] ? 20 : 16)) {
	case 16:
	case 17:
	case 18:
	case 19:
		ipc_op(s);
		break;
	case 0:
	case 1: {
		const char *p = rand_path(s, &t);
		int nfd = (int)check(s, "open", rb_open(p, rand_flags(s, t)), 1 << 16);
		keep(s, nfd);
		break;
	}
	case 2:
	case 3:
		check(s, "read", rb_read(fd, rand_buf(s), len), (long)len);
		break;
	case 4:
		check(s, "write", rb_write(fd, rand_buf(s), len), (long)len);
		break;
	case 5:
		check(s, "lseek",
		      rb_lseek(fd, (long)rb_rand_next(&s->rng) >> rb_rand_below(&s->rng, 64),
			       (int)rb_rand_below(&s->rng, 5)),
		      INT64_MAX);
		break;
	case 6:
		check(s, "fstat", rb_fstat(fd, rand_buf(s)), 0);
		break;
	case 7:
		check(
		    s, "fcntl",
		    rb_fcntl(fd, (int)rb_rand_below(&s->rng, 0x2000), (long)rb_rand_next(&s->rng)),
		    INT64_MAX);
		break;
	case 8:
		check(s, "getdents", rb_getdents(fd, rand_buf(s), len), (long)len);
		break;
	case 9: {
		int nfd =
		    (int)check(s, "dup_handle", rb_dup_handle(fd, rand_path(s, &t) + 2), 1 << 16);
		keep(s, nfd);
		break;
	}
	case 10:
		check(s, "sendfd", rb_sendfd(fd, rand_fd(s), (int)rb_rand_below(&s->rng, 3)),
		      INT64_MAX);
		break;
	case 11:
		keep(s, (int)check(s, "recvfd", rb_recvfd(fd, 0), 1 << 16));
		break;
	case 12:
		check(s, "fpath", rb_fpath(fd, rand_buf(s), len), (long)len);
		break;
	case 13:
		if (rb_rand_below(&s->rng, 2))
			check(s, "unlink",
			      rb_unlink(rand_path(s, &t), (int)rb_rand_below(&s->rng, 0x400)), 0);
		else {
			char from[sizeof s->path];
			strcpy(from, rand_path(s, &t));
			check(s, "rename", rb_rename(from, rand_path(s, &t)), 0);
		}
		break;
	case 14:
		check(s, "ftruncate",
		      rb_ftruncate(fd, rb_rand_next(&s->rng) >> rb_rand_below(&s->rng, 64)), 0);
		break;
	default:
		if (fd >= 0)
			forget(s, fd);
		check(s, "close", rb_close(fd), 0);
	}
}

static struct storm storms[16];
static uint64_t storm_quota;

static int storm_thread(void *arg)
{
	struct storm *s = arg;
	for (uint64_t i = 0; i < storm_quota; i++)
		storm_op(s);
	while (s->nown)
		rb_close(s->own[--s->nown]);
	return 0;
}

/* "hostile storm SEED INDEX REQUESTS THREADS HAVE": one storm process. */
static int storm_main(int argc, char **argv)
{
	uint64_t seed, idx, reqs, threads, mask;
	if (argc < 5 || cmdline_parse_u64(argv[0], &seed) || cmdline_parse_u64(argv[1], &idx) ||
	    cmdline_parse_u64(argv[2], &reqs) || cmdline_parse_u64(argv[3], &threads) ||
	    cmdline_parse_u64(argv[4], &mask) || threads == 0 || threads > 16)
		return 2;
	for (int t = 0; t < NTARGETS; t++)
		have[t] = mask >> t & 1;
	rb_setuid(1000 + (int)idx); /* the storm is not root */
	storm_quota = reqs / threads;
	int tids[16];
	for (uint64_t t = 0; t < threads; t++) {
		struct storm *s = &storms[t];
		rb_rand_seed(&s->rng, rb_rand_derive(seed, idx, t));
		s->buf = rb_malloc(BUF);
		tids[t] = s->buf ? rb_thread_create(storm_thread, s) : -E_NOMEM;
		if (tids[t] < 0) {
			rb_printf("hostile: FAIL storm thread: %s\n", err_name(tids[t]));
			return 1;
		}
	}
	uint64_t calls = 0, errors = 0, violations = 0, ipc_ok[IPC_NOPS] = {0};
	for (uint64_t t = 0; t < threads; t++) {
		rb_thread_join(tids[t], NULL);
		calls += storms[t].calls;
		errors += storms[t].errors;
		violations += storms[t].violations;
		for (int k = 0; k < IPC_NOPS; k++)
			ipc_ok[k] += storms[t].ipc_ok[k];
	}
	rb_printf("hostile: storm %llu: calls=%llu errors=%llu violations=%llu\n",
		  (unsigned long long)idx, (unsigned long long)calls, (unsigned long long)errors,
		  (unsigned long long)violations);
	if (have[3])
		rb_printf("hostile: storm %llu: ipc ok: listen=%llu connect=%llu accept=%llu "
			  "write=%llu read=%llu fd=%llu\n",
			  (unsigned long long)idx, (unsigned long long)ipc_ok[IPC_LISTEN],
			  (unsigned long long)ipc_ok[IPC_CONNECT],
			  (unsigned long long)ipc_ok[IPC_ACCEPT],
			  (unsigned long long)ipc_ok[IPC_WRITE],
			  (unsigned long long)ipc_ok[IPC_READ], (unsigned long long)ipc_ok[IPC_FD]);
	return violations ? 1 : 0;
}

/* ---- the supervisor ---- */

/* Start server prog unless `probe` already opens; wait until it does. */
static bool ensure_server(const char *prog, const char *probe, int flags)
{
	int fd = rb_open(probe, flags);
	if (fd >= 0) {
		rb_close(fd);
		return true;
	}
	int pid = rb_service_start(prog, probe, flags);
	if (pid < 0)
		rb_printf("hostile: %s did not serve %s (%s): its scheme is skipped\n", prog, probe,
			  err_name(pid));
	return pid >= 0;
}

static int start_thread(int (*fn)(void *), void *arg)
{
	int tid = rb_thread_create(fn, arg);
	if (tid < 0)
		rb_printf("hostile: FAIL thread: %s\n", err_name(tid));
	return tid;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "storm") == 0)
		return storm_main(argc - 2, argv + 2);
	for (int i = 1; i < argc; i++)
		if (parse_opt(argv[i]) < 0)
			rb_printf("hostile: ignoring argument \"%s\"\n", argv[i]);
	if (opt.procs == 0 || opt.procs > 8 || opt.threads == 0 || opt.threads > 16) {
		rb_printf("hostile: procs must be 1..8 and threads 1..16\n");
		return 2;
	}
	rb_printf("hostile: seed %#llx, requests=%llu, procs=%llu, threads=%llu\n",
		  (unsigned long long)opt.seed, (unsigned long long)opt.requests,
		  (unsigned long long)opt.procs, (unsigned long long)opt.threads);
	int fd = rb_open("initfs:/etc/motd", RB_O_RDONLY);
	motd_len = fd >= 0 ? rb_read(fd, motd, sizeof motd) : -1;
	if (fd >= 0)
		rb_close(fd);
	have[2] =
	    motd_len > 0 && ensure_server("initfs:/bin/ramfsd", "file:/etc/motd", RB_O_RDONLY);
	have[3] = ensure_server("initfs:/bin/ipcd", "ipc:/stream/hostile-probe",
				RB_O_RDWR | RB_O_CREAT | RB_O_NONBLOCK);
	have[4] = ensure_server("initfs:/bin/logd", "log:/hostile", RB_O_WRONLY);
	int echo = rb_scheme_create("test-hostile", 0);
	int evil = rb_scheme_create("test-evil", RB_O_NONBLOCK);
	if (echo < 0 || evil < 0) {
		rb_printf("hostile: FAIL cannot register test schemes: %s %s\n", err_name(echo),
			  err_name(evil));
		return 1;
	}
	struct rb_kstat before, after;
	long kb = rb_kstat(&before);
	int tids[4];
	tids[0] = start_thread(echo_server, (void *)(long)echo);
	tids[1] = start_thread(echo_server, (void *)(long)echo);
	tids[2] = start_thread(evil_server, (void *)(long)evil);
	tids[3] = start_thread(good_client, NULL);
	if (tids[0] < 0 || tids[1] < 0 || tids[2] < 0 || tids[3] < 0)
		return 1;

	unsigned mask = 0;
	for (int t = 0; t < NTARGETS; t++)
		mask |= (unsigned)have[t] << t;
	mask &= (unsigned)opt.targets; /* targets=MASK: bit t attacks targets[t] */
	int pids[8], failures = 0;
	char args[5][24];
	for (uint64_t i = 0; i < opt.procs; i++) {
		rb_snprintf(args[0], sizeof args[0], "%#llx", (unsigned long long)opt.seed);
		rb_snprintf(args[1], sizeof args[1], "%llu", (unsigned long long)i);
		rb_snprintf(args[2], sizeof args[2], "%llu",
			    (unsigned long long)(opt.requests / opt.procs));
		rb_snprintf(args[3], sizeof args[3], "%llu", (unsigned long long)opt.threads);
		rb_snprintf(args[4], sizeof args[4], "%u", mask);
		char *cargv[] = {"hostile", "storm", args[0], args[1],
				 args[2],   args[3], args[4], NULL};
		static const int console[] = {0, 1, 2}; /* storms print their counts */
		pids[i] = rb_spawn("initfs:/bin/hostile", cargv, NULL, console, 3);
		if (pids[i] < 0) {
			rb_printf("hostile: FAIL spawn storm: %s\n", err_name(pids[i]));
			return 1;
		}
	}
	for (uint64_t i = 0; i < opt.procs; i++) {
		int st = 0;
		int r = rb_waitpid(pids[i], &st, 0);
		if (r != pids[i] || st != 0) {
			rb_printf("hostile: FAIL storm %llu ended with status %d (%d)\n",
				  (unsigned long long)i, st, r);
			failures++;
		}
	}
	/* The servers must still serve after the storm. */
	char buf[sizeof motd];
	uint64_t fails_before = good_fail;
	good_once(buf);
	if (good_fail != fails_before)
		rb_printf("hostile: FAIL servers do not serve after the storm\n");
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	/* The good client first: closing echo under its last call would fail it with EPIPE. */
	rb_thread_join(tids[3], NULL);
	/* Each echo thread leaves after answering one "/bye": closing those
	   would queue CLOSEs the threads might take instead, so they stay
	   open until the threads are gone; closing echo then frees them. */
	int byes[2];
	for (int i = 0; i < 2; i++)
		byes[i] = rb_open("test-hostile:/bye", RB_O_RDONLY);
	for (int i = 0; i < 3; i++) /* the evil server sees stop within a millisecond */
		rb_thread_join(tids[i], NULL);
	for (int i = 0; i < 2; i++)
		if (byes[i] >= 0)
			rb_close(byes[i]);
	rb_close(echo);
	if (good_ok == 0 || good_fail) {
		rb_printf("hostile: FAIL good client: %llu ok, %llu failed (first: %s)\n",
			  (unsigned long long)good_ok, (unsigned long long)good_fail, good_why);
		failures++;
	}
	if (echo_bad) {
		rb_printf(
		    "hostile: FAIL test-hostile got %llu malformed requests from the kernel\n",
		    (unsigned long long)echo_bad);
		failures++;
	}
	if (kb > 0 && rb_kstat(&after) > 0 &&
	    (after.procs_live != before.procs_live || after.threads_live != before.threads_live)) {
		rb_printf(
		    "hostile: FAIL kernel counts moved: procs %llu -> %llu, threads %llu -> %llu\n",
		    before.procs_live, after.procs_live, before.threads_live, after.threads_live);
		failures++;
	}
	rb_printf("hostile: done, requests=%llu, served=%llu+%llu, good=%llu, failures=%d\n",
		  (unsigned long long)opt.requests, (unsigned long long)echo_reqs,
		  (unsigned long long)evil_reqs, (unsigned long long)good_ok, failures);
	if (rb_getpid() == 1)
		rb_poweroff();
	return failures ? 1 : 0;
}
