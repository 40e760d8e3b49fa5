/*
 * t_uscheme.c - ktest cases for user-space schemes (docs/ipc.md): a
 * server made of threads of ktest itself answers every op; requests carry
 * the caller's credentials; four server threads answer 64 callers (two
 * kchild processes) at once; big reads and writes are split; interrupted
 * and killed callers; a server that dies with 100 requests outstanding;
 * stale handles; registration errors; malformed answers; fd passing; a
 * close that does not wait for a hung server.
 *
 * The test server (struct tsrv) answers by the handle it gave at open
 * (H_* below, chosen by the path). What it saw (credentials, CANCELs,
 * CLOSEs, the results of its own malformed answers) is read by the cases
 * after the server thread was joined, or by waiting for a count to move
 * (with a time bound that fails the case), never after a sleep.
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"
#include "rb/signal.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define KCHILD "initfs:/bin/kchild"
#define INIT_PATH "initfs:/bin/init"
#define REQ_BUF (sizeof(struct rb_req) + RB_SCHEME_MAX_IO)
#define ANS_BUF (sizeof(struct rb_ans) + RB_SCHEME_MAX_IO)
#define WAIT_NS                                                                                    \
	(20ull * 1000 * 1000 * 1000) /* bound on waiting for the server to see something           \
				      */

/* Handles the test server gives out, by the path opened. */
#define H_FILE 0x100 /* "cN": H_FILE + N; READ answers bytes (handle + len) & 0xff */
#define H_HANG 0x200 /* "hang": READ and WRITE are never answered */
#define H_BAD 0x300  /* "badK": answered wrongly in way K (see bad_answer) */
#define H_QUIT 0x400 /* "quit": the serving thread answers, then ends */
#define H_EV 0x500   /* "ev": opened with readiness POLLOUT only */
#define H_ZERO 0x600 /* "zero": READ answers zeros from pages the server never touched */
#define N_BAD 5

struct tsrv {
	int fd;
	int nthreads;
	int tids[4];
	/* what it saw; __atomic */
	int pid, uid, gid;
	int closes, cancels, reads, writes, hung;
	unsigned long long cancel_id, hung_id, written;
	long bad_res[N_BAD];
	char path[64];
};

struct sthread {
	struct tsrv *s;
	char *req, *ans;
	unsigned long long fwd_arg;  /* the arg of the next open answer (RB_ANS_FWD's fd) */
	unsigned long long fwd_last; /* the arg of the last answer */
};

static long reply(struct sthread *t, unsigned long long id, long long result, unsigned flags,
		  unsigned long long events, const void *pay, unsigned len)
{
	struct rb_ans *a = (struct rb_ans *)t->ans;
	memset(a, 0, sizeof *a);
	a->id = id;
	a->result = result;
	a->flags = flags;
	a->len = len;
	a->events = events;
	a->arg = t->fwd_arg;
	t->fwd_last = t->fwd_arg;
	t->fwd_arg = 0;
	if (len && pay != t->ans + sizeof *a)
		memcpy(t->ans + sizeof *a, pay, len);
	return rb_write(t->s->fd, t->ans, sizeof *a + len);
}

static unsigned long long num(const char *s)
{
	unsigned long long v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned long long)(*s++ - '0');
	return v;
}

static long long open_handle(struct sthread *t, const struct rb_req *q, const char *path,
			     unsigned *flags)
{
	*flags = 0;
	if (strcmp(path, "quit") == 0)
		return H_QUIT;
	if (strcmp(path, "missing") == 0)
		return -E_NOENT;
	if (strcmp(path, "hang") == 0)
		return H_HANG;
	if (strncmp(path, "bad", 3) == 0)
		return H_BAD + (long long)num(path + 3);
	if (strcmp(path, "zero") == 0)
		return H_ZERO;
	if (strcmp(path, "ev") == 0) {
		*flags = RB_ANS_EVENTS;
		return H_EV;
	}
	if (strcmp(path, "recv") == 0) {
		*flags = RB_ANS_FD;
		return rb_open(INIT_PATH, RB_O_RDONLY);
	}
	if (strncmp(path, "fwd:", 4) == 0) { /* forwarded to the file at the rest of the path */
		bool init = strcmp(path + 4, INIT_PATH) == 0;
		int fd = rb_open(path + 4, init ? RB_O_RDONLY : RB_O_RDWR);
		if (fd < 0)
			return fd;
		t->fwd_arg = (unsigned long long)fd;
		*flags = init ? RB_ANS_FWD | RB_ANS_FD : RB_ANS_FWD; /* that pair is refused */
		return H_FILE + 9;
	}
	return H_FILE + (long long)num(path + (path[0] == 'c'));
}

/* The malformed answers to READ (K 0-2), RECVFD (3) and WRITE (4) of handle H_BAD + K. */
static void bad_answer(struct sthread *t, const struct rb_req *q)
{
	struct tsrv *s = t->s;
	unsigned k = (unsigned)(q->handle - H_BAD);
	struct rb_ans *a = (struct rb_ans *)t->ans;
	long r;
	if (k == 0) { /* an unknown id, then the right answer */
		r = reply(t, q->id + 1000000, 0, 0, 0, NULL, 0);
		reply(t, q->id, 0, 0, 0, NULL, 0);
	} else if (k == 1) { /* a header that promises more payload than the write has */
		memset(a, 0, sizeof *a);
		a->id = q->id;
		a->result = 10;
		a->len = 10;
		r = rb_write(s->fd, a, sizeof *a + 5);
	} else if (k == 2) { /* more payload than the caller asked for */
		memset(t->ans + sizeof *a, 'x', q->a + 1);
		r = reply(t, q->id, (long long)q->a + 1, 0, 0, t->ans + sizeof *a,
			  (unsigned)q->a + 1);
	} else if (k == 3) { /* an fd the server does not have */
		r = reply(t, q->id, 63, RB_ANS_FD, 0, NULL, 0);
	} else { /* took more than it was offered */
		r = reply(t, q->id, (long long)q->len + 1, 0, 0, NULL, 0);
	}
	if (k < N_BAD)
		__atomic_store_n(&s->bad_res[k], r, __ATOMIC_RELEASE);
}

/* H_ZERO: the answer's header ends the first page of a fresh mapping, its payload is in pages
   nobody touched yet (the kernel faults them in as it copies them). */
static void serve_untouched(struct sthread *t, const struct rb_req *q)
{
	const size_t pg = 4096, len = pg + q->a;
	char *m = rb_mmap(NULL, len, RB_PROT_READ | RB_PROT_WRITE, 0);
	if (RB_IS_ERR(m)) {
		reply(t, q->id, -E_NOMEM, 0, 0, NULL, 0);
		return;
	}
	struct rb_ans *a = (struct rb_ans *)(m + pg - sizeof *a);
	*a = (struct rb_ans){.id = q->id, .result = (long long)q->a, .len = (unsigned)q->a};
	rb_write(t->s->fd, a, sizeof *a + q->a);
	rb_munmap(m, len);
}

static void serve_read(struct sthread *t, const struct rb_req *q)
{
	struct tsrv *s = t->s;
	if (q->handle == H_ZERO) {
		serve_untouched(t, q);
		return;
	}
	if (q->handle == H_HANG) {
		__atomic_store_n(&s->hung_id, q->id, __ATOMIC_RELEASE);
		__atomic_fetch_add(&s->hung, 1, __ATOMIC_RELEASE);
		return;
	}
	if (q->handle >= H_BAD && q->handle < H_BAD + N_BAD) {
		bad_answer(t, q);
		return;
	}
	__atomic_fetch_add(&s->reads, 1, __ATOMIC_RELAXED);
	char *pay = t->ans + sizeof(struct rb_ans);
	memset(pay, (int)((q->handle + q->a) & 0xff), q->a);
	reply(t, q->id, (long long)q->a, 0, 0, pay, (unsigned)q->a);
}

static void serve_write(struct sthread *t, const struct rb_req *q)
{
	struct tsrv *s = t->s;
	if (q->handle == H_HANG) {
		__atomic_fetch_add(&s->hung, 1, __ATOMIC_RELEASE);
		return;
	}
	if (q->handle == H_BAD + 4) {
		bad_answer(t, q);
		return;
	}
	__atomic_fetch_add(&s->writes, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->written, q->len, __ATOMIC_RELAXED);
	reply(t, q->id, q->len, 0, 0, NULL, 0);
}

/* SENDFD: read the 4 bytes at the start of the file we were given: the answer is byte 1. */
static long long peek_sent(const struct rb_req *q)
{
	unsigned char m[4];
	long r = rb_read((int)q->a, m, sizeof m);
	rb_close((int)q->a);
	return r == 4 ? m[1] : r < 0 ? r : -E_IO;
}

static void serve_misc(struct sthread *t, const struct rb_req *q, const char *pay)
{
	struct rb_stat st = {.size = q->handle, .mode = RB_S_IFREG};
	static const char dent[8] = {8, 0, RB_DT_REG, 'x', 0};
	char path[32];
	int n;
	switch (q->op) {
	case RB_SOP_SEEK:
		reply(t, q->id, (long long)(q->a + q->b * 1000), 0, 0, NULL, 0);
		break;
	case RB_SOP_FSTAT:
		reply(t, q->id, 0, 0, 0, &st, sizeof st);
		break;
	case RB_SOP_FSYNC:
	case RB_SOP_FTRUNCATE:
		reply(t, q->id, q->op == RB_SOP_FTRUNCATE && q->a != 42 ? -E_INVAL : 0, 0, 0, NULL,
		      0);
		break;
	case RB_SOP_GETDENTS:
		reply(t, q->id, sizeof dent, 0, 0, dent, sizeof dent);
		break;
	case RB_SOP_FPATH:
		n = rb_snprintf(path, sizeof path, "f%llu", q->handle);
		reply(t, q->id, n, 0, 0, path, (unsigned)n);
		break;
	case RB_SOP_FCNTL:
		reply(t, q->id, (long long)(q->a * 10 + q->b), 0, 0, NULL, 0);
		break;
	case RB_SOP_DUP:
		reply(t, q->id, strcmp(pay, "sub") == 0 ? H_FILE + 77 : -E_INVAL, 0, 0, NULL, 0);
		break;
	case RB_SOP_UNLINK:
		reply(t, q->id, strcmp(pay, "gone") == 0 && q->a == 0 ? 0 : -E_NOENT, 0, 0, NULL,
		      0);
		break;
	case RB_SOP_RENAME:
		reply(t, q->id, q->len == 5 && memcmp(pay, "a/b\0c", 5) == 0 ? 0 : -E_INVAL, 0, 0,
		      NULL, 0);
		break;
	case RB_SOP_SENDFD:
		reply(t, q->id, peek_sent(q), 0, 0, NULL, 0);
		break;
	case RB_SOP_RECVFD:
		if (q->handle == H_BAD + 3)
			bad_answer(t, q);
		else
			reply(t, q->id, rb_open(INIT_PATH, RB_O_RDONLY), RB_ANS_FD, 0, NULL, 0);
		break;
	default:
		reply(t, q->id, -E_NOSYS, 0, 0, NULL, 0);
	}
}

/* Serve one request; false when the thread should end. */
static bool serve_one(struct sthread *t, const struct rb_req *q, char *pay)
{
	struct tsrv *s = t->s;
	unsigned flags;
	long long h;
	if (q->op != RB_SOP_CLOSE && q->op != RB_SOP_CANCEL) {
		__atomic_store_n(&s->pid, q->pid, __ATOMIC_RELAXED);
		__atomic_store_n(&s->uid, q->uid, __ATOMIC_RELAXED);
		__atomic_store_n(&s->gid, q->gid, __ATOMIC_RELAXED);
	}
	switch (q->op) {
	case RB_SOP_OPEN:
		memcpy(s->path, pay, q->len < sizeof s->path ? q->len + 1 : sizeof s->path);
		h = open_handle(t, q, pay, &flags);
		if (reply(t, q->id, h, flags, RB_POLLOUT, NULL, 0) < 0 && (flags & RB_ANS_FWD))
			rb_close((int)t->fwd_last); /* refused: the fd stayed ours */
		return h != H_QUIT;
	case RB_SOP_CLOSE:
		__atomic_fetch_add(&s->closes, 1, __ATOMIC_RELEASE);
		return true;
	case RB_SOP_CANCEL:
		__atomic_store_n(&s->cancel_id, q->a, __ATOMIC_RELEASE);
		__atomic_fetch_add(&s->cancels, 1, __ATOMIC_RELEASE);
		return true;
	case RB_SOP_READ:
	case RB_SOP_PREAD: /* the offset is ignored: the same bytes */
		serve_read(t, q);
		return true;
	case RB_SOP_WRITE:
	case RB_SOP_PWRITE:
		serve_write(t, q);
		return true;
	default:
		serve_misc(t, q, pay);
		return true;
	}
}

static int serve(void *arg)
{
	struct sthread t = {.s = arg};
	char *mem = rb_mmap(NULL, REQ_BUF + ANS_BUF + 1, RB_PROT_READ | RB_PROT_WRITE, 0);
	if (RB_IS_ERR(mem))
		return 1;
	t.req = mem;
	t.ans = mem + REQ_BUF + 1;
	for (;;) {
		long n = rb_read(t.s->fd, t.req, REQ_BUF);
		if (n == -E_INTR)
			continue; /* a signal for ktest (a kchild's SIGCHLD) */
		if (n < (long)sizeof(struct rb_req))
			return 2;
		struct rb_req *q = (struct rb_req *)t.req;
		char *pay = t.req + sizeof *q;
		pay[q->len] = 0; /* room: the buffer has one byte more */
		if (!serve_one(&t, q, pay))
			return 0;
	}
}

/* Register name and start n server threads: 0 or an error. */
static int srv_start(struct tsrv *s, const char *name, int n)
{
	memset(s, 0, sizeof *s);
	s->fd = rb_scheme_create(name, 0);
	if (s->fd < 0)
		return s->fd;
	s->nthreads = n;
	for (int i = 0; i < n; i++)
		if ((s->tids[i] = rb_thread_create(serve, s)) < 0)
			return s->tids[i];
	return 0;
}

/* End every server thread (one "quit" open each) and unregister: 0, or -1 if a thread failed. */
static int srv_stop(struct tsrv *s, const char *name)
{
	char path[48];
	int bad = 0;
	rb_snprintf(path, sizeof path, "%s:quit", name);
	for (int i = 0; i < s->nthreads; i++) {
		int fd = rb_open(path, RB_O_RDONLY);
		if (fd >= 0)
			rb_close(fd);
	}
	for (int i = 0; i < s->nthreads; i++) {
		int code = -1;
		rb_thread_join(s->tids[i], &code);
		bad |= code;
	}
	rb_close(s->fd);
	return bad ? -1 : 0;
}

/* No wrappers for these yet. */
static long fsync_fd(int fd)
{
	return rb_syscall1(SYS_FSYNC, fd);
}

static long ftruncate_fd(int fd, long len)
{
	return rb_syscall2(SYS_FTRUNCATE, fd, len);
}

static long fcntl_fd(int fd, int cmd, long arg)
{
	return rb_syscall3(SYS_FCNTL, fd, cmd, arg);
}

static int spawn_kchild(char **argv)
{
	return rb_spawn(KCHILD, argv, NULL, NULL, 0);
}

static int every_op(char *why, size_t n)
{
	struct tsrv s;
	char buf[300], path[64];
	struct rb_stat st;
	KEXPECT(srv_start(&s, "test-rt", 1), 0);
	int fd = rb_open("test-rt:c5", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	KEXPECT(s.pid, rb_getpid());
	KEXPECT(s.uid, rb_getuid());
	KEXPECT(s.gid, rb_getgid());
	KCHECK(strcmp(s.path, "c5") == 0, "server saw path \"%s\"", s.path);
	KEXPECT(rb_read(fd, buf, 100), 100);
	KCHECK(buf[0] == 105 && buf[99] == 105, "read data %d %d", buf[0], buf[99]);
	KEXPECT(rb_write(fd, buf, 300), 300);
	KEXPECT(rb_lseek(fd, 7, RB_SEEK_CUR), 1007);
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.size, H_FILE + 5);
	KEXPECT(fsync_fd(fd), 0);
	KEXPECT(ftruncate_fd(fd, 42), 0);
	KEXPECT(ftruncate_fd(fd, 41), -E_INVAL);
	KEXPECT(rb_getdents(fd, buf, sizeof buf), 8);
	KCHECK(buf[3] == 'x', "getdents name %c", buf[3]);
	long pl = rb_fpath(fd, path, sizeof path);
	KCHECK(pl == 12 && memcmp(path, "test-rt:f261", 12) == 0, "fpath %ld %.*s", pl,
	       (int)(pl > 0 ? pl : 0), path);
	KEXPECT(fcntl_fd(fd, 3, 4), 34);
	int sub = rb_dup_handle(fd, "sub");
	KCHECK(sub >= 0, "dup_handle: %d %s", sub, err_name(sub));
	KEXPECT(rb_read(sub, buf, 3), 3);
	KEXPECT(buf[0], (H_FILE + 77 + 3) & 0xff);
	KEXPECT(rb_dup_handle(fd, "other"), -E_INVAL);
	KEXPECT(rb_unlink("test-rt:gone", 0), 0);
	KEXPECT(rb_unlink("test-rt:here", 0), -E_NOENT);
	KEXPECT(rb_rename("test-rt:a/b", "test-rt:c"), 0);
	KEXPECT(rb_rename("test-rt:a/b", "initfs:c"), -E_XDEV);
	KEXPECT(rb_open("test-rt:missing", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_close(sub), 0);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(srv_stop(&s, "test-rt"), 0);
	KEXPECT(s.closes, 2); /* FIFO: both CLOSEs came before the quit */
	KEXPECT(rb_open("test-rt:c1", RB_O_RDONLY), -E_NOENT);
	return 0;
}

static int creds_after_setuid(char *why, size_t n)
{
	struct tsrv s;
	KEXPECT(srv_start(&s, "test-cred", 1), 0);
	char *argv[] = {"kchild", "usopen", "test-cred:c1", "1000", NULL};
	int pid = spawn_kchild(argv), status = -1;
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	int spid = s.pid, suid = s.uid;
	KEXPECT(srv_stop(&s, "test-cred"), 0);
	KEXPECT(status, 0);
	KEXPECT(spid, pid);
	KEXPECT(suid, 1000);
	return 0;
}

static int many_callers(char *why, size_t n)
{
	struct tsrv s;
	int pids[2], status;
	KEXPECT(srv_start(&s, "test-many", 4), 0);
	char *argv[] = {"kchild", "uscall", "test-many:c0", "32", "8", NULL};
	uint64_t t0 = rb_now_ns();
	for (int i = 0; i < 2; i++)
		pids[i] = spawn_kchild(argv);
	int bad = 0;
	for (int i = 0; i < 2; i++) {
		status = -1;
		if (pids[i] < 0 || rb_waitpid(pids[i], &status, 0) != pids[i] || status != 0)
			bad = bad ? bad : 1000 + status;
	}
	int reads = s.reads;
	uint64_t took = rb_now_ns() - t0;
	rb_printf("# uscheme: 64 callers, 512 reads, 4 server threads: %llu us per read\n",
		  (unsigned long long)(took / 1000 / 512));
	KEXPECT(srv_stop(&s, "test-many"), 0);
	KEXPECT(bad, 0);
	KEXPECT(reads, 2 * 32 * 8);
	return 0;
}

struct ooo_caller {
	const char *path;
	size_t len;
	long got;
	char buf[16];
};

static int ooo_call(void *arg)
{
	struct ooo_caller *c = arg;
	int fd = rb_open(c->path, RB_O_RDWR);
	c->got = fd < 0 ? fd : rb_read(fd, c->buf, c->len);
	if (fd >= 0)
		rb_close(fd);
	return 0;
}

/* Two READs in flight at once, answered newest first, each with its own data. */
static int answers_out_of_order(char *why, size_t n)
{
	static char req[2][RB_REQ_MIN_BUF];
	struct ooo_caller c[2] = {{"test-ooo:a", 5, 0, {0}}, {"test-ooo:b", 7, 0, {0}}};
	int tids[2], held = 0;
	int sfd = rb_scheme_create("test-ooo", 0);
	KCHECK(sfd >= 0, "create: %d", sfd);
	for (int i = 0; i < 2; i++)
		tids[i] = rb_thread_create(ooo_call, &c[i]);
	while (held < 2) { /* answer the OPENs, hold the READs */
		struct rb_req *q = (struct rb_req *)req[held];
		long r = rb_read(sfd, req[held], sizeof req[held]);
		KCHECK(r >= (long)sizeof *q, "server read: %ld", r);
		if (q->op == RB_SOP_READ) {
			held++;
		} else if (q->op == RB_SOP_OPEN) {
			struct rb_ans a = {.id = q->id, .result = req[held][sizeof *q]};
			KEXPECT(rb_write(sfd, &a, sizeof a), sizeof a);
		}
	}
	for (int i = 1; i >= 0; i--) { /* the newer first */
		const struct rb_req *q = (const struct rb_req *)req[i];
		struct {
			struct rb_ans a;
			char d[16];
		} ans = {{.id = q->id, .result = (long long)q->a, .len = (unsigned)q->a}, {0}};
		memset(ans.d, (int)q->handle, q->a);
		KEXPECT(rb_write(sfd, &ans, sizeof ans.a + q->a), sizeof ans.a + q->a);
	}
	for (int i = 0; i < 2; i++)
		rb_thread_join(tids[i], NULL);
	while (rb_read(sfd, req[0], sizeof req[0]) > 0 &&
	       ((struct rb_req *)req[0])->op == RB_SOP_CLOSE)
		if (++held == 4)
			break; /* both CLOSEs came */
	rb_close(sfd);
	KEXPECT(c[0].got, 5);
	KEXPECT(c[1].got, 7);
	KCHECK(c[0].buf[0] == 'a' && c[0].buf[4] == 'a', "a read %.5s", c[0].buf);
	KCHECK(c[1].buf[0] == 'b' && c[1].buf[6] == 'b', "b read %.7s", c[1].buf);
	return 0;
}

static int split_big_io(char *why, size_t n)
{
	struct tsrv s;
	const size_t big = 2 * RB_SCHEME_MAX_IO + 18928;
	char *buf = rb_mmap(NULL, big, RB_PROT_READ | RB_PROT_WRITE, 0);
	KCHECK(!RB_IS_ERR(buf), "mmap");
	KEXPECT(srv_start(&s, "test-big", 1), 0);
	int fd = rb_open("test-big:c9", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d", fd);
	KEXPECT(rb_read(fd, buf, big), big);
	int reads = s.reads;
	unsigned char c0 = (unsigned char)buf[0], c2 = (unsigned char)buf[big - 1];
	KEXPECT(rb_write(fd, buf, big), big);
	int writes = s.writes;
	unsigned long long written = s.written;
	rb_close(fd);
	KEXPECT(srv_stop(&s, "test-big"), 0);
	rb_munmap(buf, big);
	KEXPECT(reads, 3);
	KEXPECT(c0, (H_FILE + 9 + RB_SCHEME_MAX_IO) & 0xff);
	KEXPECT(c2, (H_FILE + 9 + big - 2 * RB_SCHEME_MAX_IO) & 0xff);
	KEXPECT(writes, 3);
	KEXPECT(written, big);
	return 0;
}

static int signal_cancels(char *why, size_t n)
{
	struct tsrv s;
	int status = -1;
	KEXPECT(srv_start(&s, "test-sig", 1), 0);
	char *argv[] = {"kchild", "ussig", "test-sig:hang", NULL};
	int pid = spawn_kchild(argv);
	KCHECK(pid > 0, "spawn: %d", pid);
	bool seen = kt_wait_count(&s.hung, 1, WAIT_NS);
	unsigned long long id = s.hung_id;
	KEXPECT(rb_kill(pid, RB_SIGINT), 0);
	bool cancelled = kt_wait_count(&s.cancels, 1, WAIT_NS);
	unsigned long long cid = s.cancel_id;
	/* the late answer to the abandoned request is accepted and dropped: its bytes do not
	   reach the buffer, which the child reads into again meanwhile */
	bool again = kt_wait_count(&s.hung, 2, WAIT_NS);
	struct {
		struct rb_ans a;
		char pay[16];
	} late = {.a = {.id = id, .result = 16, .len = 16}};
	memset(late.pay, 'x', sizeof late.pay);
	long wrote = rb_write(s.fd, &late, sizeof late);
	KEXPECT(rb_kill(pid, RB_SIGINT), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(srv_stop(&s, "test-sig"), 0);
	KCHECK(seen, "the server never saw the read");
	KCHECK(cancelled, "no CANCEL came");
	KCHECK(again, "the server never saw the second read");
	KEXPECT(status, 0); /* both reads ended with EINTR, and the buffer kept its 'k's */
	KEXPECT(cid, id);
	KEXPECT(wrote, sizeof late);
	return 0;
}

static int killed_caller_dies(char *why, size_t n)
{
	struct tsrv s;
	int status = -1;
	KEXPECT(srv_start(&s, "test-kill", 1), 0);
	char *argv[] = {"kchild", "ussig", "test-kill:hang", NULL};
	int pid = spawn_kchild(argv);
	KCHECK(pid > 0, "spawn: %d", pid);
	bool seen = kt_wait_count(&s.hung, 1, WAIT_NS);
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(srv_stop(&s, "test-kill"), 0);
	KCHECK(seen, "the server never saw the read");
	KEXPECT(status, 128 + RB_SIGKILL);
	return 0;
}

/* Wait until name is registered (its server answers an open): the fd, or an error. */
static int open_when_up(const char *path)
{
	uint64_t end = rb_now_ns() + WAIT_NS;
	int fd;
	while ((fd = rb_open(path, RB_O_RDWR)) == -E_NOENT && rb_now_ns() < end)
		rb_sched_yield();
	return fd;
}

static int server_dies(char *why, size_t n)
{
	char *sargv[] = {"kchild", "usdie", "test-die", "100", NULL};
	char *cargv[] = {"kchild", "usread", "test-die:x", "25", NULL};
	int status = -1, pids[4], spid = spawn_kchild(sargv);
	KCHECK(spid > 0, "spawn: %d", spid);
	int fd = open_when_up("test-die:x");
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	for (int i = 0; i < 4; i++)
		pids[i] = spawn_kchild(cargv);
	KEXPECT(rb_waitpid(spid, &status, 0), spid);
	KEXPECT(status, 128 + RB_SIGKILL);
	uint64_t t0 = rb_now_ns();
	int epipes = 0;
	for (int i = 0; i < 4; i++) {
		status = -1;
		if (pids[i] > 0 && rb_waitpid(pids[i], &status, 0) == pids[i])
			epipes += status;
	}
	uint64_t took = rb_now_ns() - t0;
	rb_printf("# uscheme: the last of 100 callers of a killed server returned %llu us after "
		  "it was reaped\n",
		  (unsigned long long)(took / 1000));
	KEXPECT(epipes, 100);
	char c;
	KEXPECT(rb_read(fd, &c, 1), -E_NODEV); /* a stale handle */
	struct rb_stat st;
	KEXPECT(rb_fstat(fd, &st), -E_NODEV);
	KEXPECT(rb_close(fd), 0);
	/* the name is free: a new server registers it and serves */
	struct tsrv s;
	KEXPECT(srv_start(&s, "test-die", 1), 0);
	fd = rb_open("test-die:c3", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d", fd);
	KEXPECT(rb_read(fd, &c, 1), 1);
	rb_close(fd);
	KEXPECT(srv_stop(&s, "test-die"), 0);
	return 0;
}

/* A server killed while its threads are blocked reading the server fd dies, and frees the name. */
static int server_killed_in_read(char *why, size_t n)
{
	char *argv[] = {"kchild", "ushang", "test-hang", NULL};
	int status = -1, pid = spawn_kchild(argv);
	KCHECK(pid > 0, "spawn: %d", pid);
	int fd = open_when_up("test-hang:x"), cfd;
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 128 + RB_SIGKILL);
	char c;
	KEXPECT(rb_read(fd, &c, 1), -E_NODEV);
	KEXPECT(rb_close(fd), 0);
	cfd = rb_scheme_create("test-hang", 0);
	KCHECK(cfd >= 0, "the name is not free: %d %s", cfd, err_name(cfd));
	KEXPECT(rb_close(cfd), 0);
	return 0;
}

static int register_errors(char *why, size_t n)
{
	int fd = rb_scheme_create("test-x", 0);
	KCHECK(fd >= 0, "create: %d %s", fd, err_name(fd));
	struct rb_stat st;
	KEXPECT(rb_fstat(fd, &st), 0); /* a server fd is a character device, like any fd */
	KEXPECT(st.mode, 0x2000);
	KEXPECT(rb_scheme_create("test-x", 0), -E_EXIST);
	KEXPECT(rb_scheme_create("initfs", 0),
		-E_ACCES); /* the policy looks first: no rule for it */
	KEXPECT(rb_scheme_create("Bad!", 0), -E_INVAL);
	KEXPECT(rb_scheme_create("", 0), -E_INVAL);
	KEXPECT(rb_scheme_create("test-y", 0x1), -E_INVAL);
	KEXPECT(rb_scheme_create(KERNEL_PTR, 0), -E_FAULT);
	char small[64];
	KEXPECT(rb_read(fd, small, sizeof small), -E_INVAL);
	KEXPECT(rb_close(fd), 0);
	fd = rb_scheme_create("test-x", RB_O_NONBLOCK); /* free again */
	KCHECK(fd >= 0, "create again: %d %s", fd, err_name(fd));
	char buf[RB_REQ_MIN_BUF];
	KEXPECT(rb_read(fd, buf, sizeof buf), -E_AGAIN);
	struct rb_ans a = {.id = 12345};
	KEXPECT(rb_write(fd, &a, sizeof a), -E_INVAL); /* no such request */
	KEXPECT(rb_write(fd, &a, 3), -E_INVAL);
	a.flags = RB_ANS_EVENT; /* a readiness change for a handle nobody has */
	KEXPECT(rb_write(fd, &a, sizeof a), sizeof a);
	KEXPECT(rb_close(fd), 0);
	char *argv[] = {"kchild", "uscreate", "denied", "1000", NULL};
	int pid = spawn_kchild(argv), status = -1;
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, E_ACCES);
	return 0;
}

static int malformed_answers(char *why, size_t n)
{
	struct tsrv s;
	char buf[16], path[32];
	long got[N_BAD];
	KEXPECT(srv_start(&s, "test-bad", 1), 0);
	for (int k = 0; k < N_BAD; k++) {
		rb_snprintf(path, sizeof path, "test-bad:bad%d", k);
		int fd = rb_open(path, RB_O_RDWR);
		KCHECK(fd >= 0, "open %s: %d", path, fd);
		got[k] = k == 3	  ? rb_recvfd(fd, 0)
			 : k == 4 ? rb_write(fd, buf, 4)
				  : rb_read(fd, buf, 8);
		rb_close(fd);
	}
	KEXPECT(srv_stop(&s, "test-bad"), 0);
	KEXPECT(got[0], 0);
	KEXPECT(s.bad_res[0], -E_INVAL); /* unknown id */
	KEXPECT(got[1], -E_IO);
	KEXPECT(s.bad_res[1], -E_INVAL); /* length disagrees */
	KEXPECT(got[2], -E_IO);
	KEXPECT(s.bad_res[2], -E_INVAL); /* payload too big */
	KEXPECT(got[3], -E_IO);
	KEXPECT(s.bad_res[3], -E_BADF); /* bad fd */
	KEXPECT(got[4], -E_IO);
	KEXPECT(s.bad_res[4], -E_INVAL); /* took more than offered */
	return 0;
}

static int pass_fds(char *why, size_t n)
{
	struct tsrv s;
	unsigned char m[4];
	KEXPECT(srv_start(&s, "test-fd", 1), 0);
	int fd = rb_open("test-fd:c1", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d", fd);
	int ifd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(ifd >= 0, "open init: %d", ifd);
	KEXPECT(rb_sendfd(fd, ifd, 0), 'E');
	KEXPECT(rb_sendfd(fd, 60, 0), -E_BADF);
	KEXPECT(rb_sendfd(ifd, ifd, 0), -E_NOSYS);
	int rfd = rb_recvfd(fd, 0);
	KCHECK(rfd >= 0, "recvfd: %d %s", rfd, err_name(rfd));
	KEXPECT(rb_read(rfd, m, 4), 4);
	KCHECK(m[0] == 0x7f && m[1] == 'E', "received file reads %02x %02x", m[0], m[1]);
	int ofd = rb_open("test-fd:recv", RB_O_RDONLY); /* OPEN answered with RB_ANS_FD */
	KCHECK(ofd >= 0, "open recv: %d %s", ofd, err_name(ofd));
	KEXPECT(rb_read(ofd, m, 4), 4);
	KCHECK(m[0] == 0x7f && m[3] == 'F', "opened file reads %02x %02x", m[0], m[3]);
	rb_close(ofd);
	rb_close(rfd);
	rb_close(ifd);
	rb_close(fd);
	KEXPECT(srv_stop(&s, "test-fd"), 0);
	return 0;
}

static int sendfd_into_full_table(char *why, size_t n)
{
	struct tsrv s;
	int dups[64], nd = 0, d;
	KEXPECT(srv_start(&s, "test-full", 1), 0);
	int fd = rb_open("test-full:c1", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d", fd);
	int ifd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(ifd >= 0, "open init: %d", ifd);
	long limit = rb_getrlimit(RB_RLIMIT_NOFILE);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, 64), 0); /* a table that can fill up */
	while (nd < 64 && (d = rb_dup(ifd)) >= 0)
		dups[nd++] = d; /* the server's table is ours: fill it */
	long full = rb_sendfd(fd, ifd, 0);
	while (nd > 0)
		rb_close(dups[--nd]);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, (uint64_t)limit), 0); /* root may raise it back */
	long after = rb_sendfd(fd, ifd, 0); /* the server's read went on to this one */
	rb_close(ifd);
	rb_close(fd);
	KEXPECT(srv_stop(&s, "test-full"), 0);
	KEXPECT(full, -E_MFILE);
	KEXPECT(after, 'E');
	return 0;
}

static int close_while_hung(char *why, size_t n)
{
	struct tsrv s;
	KEXPECT(srv_start(&s, "test-hung", 1), 0);
	int fd = rb_open("test-hung:c1", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d", fd);
	int sfd = s.fd;
	s.fd = rb_dup(sfd); /* keep the scheme alive after srv_stop closes one */
	KEXPECT(srv_stop(&s, "test-hung"), 0);
	/* nobody serves now: the close must not wait for the CLOSE to be read */
	KEXPECT(rb_close(fd), 0);
	char buf[RB_REQ_MIN_BUF];
	const struct rb_req *q = (const struct rb_req *)buf;
	KEXPECT(rb_read(sfd, buf, sizeof buf), sizeof(struct rb_req)); /* srv_stop's "quit" */
	KEXPECT(q->op, RB_SOP_CLOSE);
	KEXPECT(q->handle, H_QUIT);
	KEXPECT(rb_read(sfd, buf, sizeof buf), sizeof(struct rb_req)); /* fd's */
	KEXPECT(q->op, RB_SOP_CLOSE);
	KEXPECT(q->handle, H_FILE + 1);
	KEXPECT(rb_close(sfd), 0);
	return 0;
}

/* Bytes of a test-server read of len on handle h, checked: 0, or the first wrong index + 1. */
static long pattern_off(const unsigned char *buf, long len, long long h)
{
	for (long i = 0; i < len; i++)
		if (buf[i] != (unsigned char)((h + len) & 0xff))
			return i + 1;
	return 0;
}

static int forward_and_fall_back(char *why, size_t n)
{
	static struct tsrv a, b;
	static unsigned char buf[300];
	KEXPECT(srv_start(&a, "test-fwa", 2), 0);
	KEXPECT(srv_start(&b, "test-fwb", 1), 0);
	/* A's handle H_FILE + 9 forwards to B's c5 (H_FILE + 5): preads and pwrites go to B */
	int fd = rb_open("test-fwa:fwd:test-fwb:c5", RB_O_RDWR);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	KEXPECT(rb_pread(fd, buf, 100, 7), 100);
	KEXPECT(pattern_off(buf, 100, H_FILE + 5), 0);
	KEXPECT(rb_pwrite(fd, buf, 33, 0), 33);
	KEXPECT(__atomic_load_n(&b.reads, __ATOMIC_ACQUIRE), 1);
	KEXPECT(__atomic_load_n(&b.writes, __ATOMIC_ACQUIRE), 1);
	KEXPECT(__atomic_load_n(&a.reads, __ATOMIC_ACQUIRE), 0);
	/* read and write are A's still */
	KEXPECT(rb_read(fd, buf, 50), 50);
	KEXPECT(pattern_off(buf, 50, H_FILE + 9), 0);
	KEXPECT(__atomic_load_n(&a.reads, __ATOMIC_ACQUIRE), 1);
	/* the caller's mode is checked though no server sees the call */
	int ro = rb_open("test-fwa:fwd:test-fwb:c5", RB_O_RDONLY);
	KCHECK(ro >= 0, "open: %d %s", ro, err_name(ro));
	KEXPECT(rb_pwrite(ro, buf, 10, 0), -E_BADF);
	KEXPECT(rb_close(ro), 0);
	/* B dies: the forward fails with ENODEV, is dropped, and A answers from then on */
	KEXPECT(srv_stop(&b, "test-fwb"), 0);
	KEXPECT(rb_pread(fd, buf, 200, 0), 200);
	KEXPECT(pattern_off(buf, 200, H_FILE + 9), 0);
	KEXPECT(rb_pread(fd, buf, 300, 0), 300);
	KEXPECT(__atomic_load_n(&a.reads, __ATOMIC_ACQUIRE), 3);
	KEXPECT(rb_close(fd), 0);
	/* refused: a forward that forwards itself (A's own forwarded handle), and FWD with FD */
	KEXPECT(srv_start(&b, "test-fwb", 1), 0);
	KEXPECT(rb_open("test-fwa:fwd:test-fwa:fwd:test-fwb:c1", RB_O_RDWR), -E_IO);
	KEXPECT(rb_open("test-fwa:fwd:" INIT_PATH, RB_O_RDWR), -E_IO);
	KEXPECT(srv_stop(&b, "test-fwb"), 0);
	KEXPECT(srv_stop(&a, "test-fwa"), 0);
	return 0;
}

/* The answers that go straight into the caller's buffer (docs/ipc.md, "Direct answers"). */
static int direct_answers(char *why, size_t n)
{
	struct tsrv s;
	const size_t pg = 4096, len = 3 * pg;
	const int rw = RB_PROT_READ | RB_PROT_WRITE;
	unsigned char *m = rb_mmap(NULL, 4 * pg, rw, 0);
	KCHECK(!RB_IS_ERR(m), "mmap");
	KEXPECT(srv_start(&s, "test-dir", 1), 0);
	int fd = rb_open("test-dir:c7", RB_O_RDWR), zfd = rb_open("test-dir:zero", RB_O_RDWR);
	KCHECK(fd >= 0 && zfd >= 0, "open: %d %d", fd, zfd);
	/* into pages nobody touched yet, at an odd offset: every byte, and none around them */
	KEXPECT(rb_read(fd, m + 100, len), len);
	KEXPECT(pattern_off(m + 100, len, H_FILE + 7), 0);
	KEXPECT(m[99] | m[100 + len], 0);
	/* from pages the server never touched */
	KEXPECT(rb_read(zfd, m + 1, len), len);
	size_t nz = 0;
	for (size_t i = 1; i <= len; i++)
		nz += m[i] != 0;
	KEXPECT(nz, 0);
	/* a read-only page in the middle, and the end of the mapping: EFAULT */
	KEXPECT(rb_mprotect(m + 2 * pg, pg, RB_PROT_READ), 0);
	KEXPECT(rb_read(fd, m + 100, len), -E_FAULT);
	KEXPECT(rb_mprotect(m + 2 * pg, pg, rw), 0);
	KEXPECT(rb_munmap(m + 3 * pg, pg), 0);
	KEXPECT(rb_read(fd, m + 2 * pg + 5, 2 * pg), -E_FAULT);
	/* into shared memory: the shm: object's own pages get the bytes */
	int sh = rb_open("shm:", RB_O_RDWR);
	KCHECK(sh >= 0, "open shm: %d", sh);
	KEXPECT(ftruncate_fd(sh, 2 * pg), 0);
	unsigned char *w = rb_mmap_fd(NULL, 2 * pg, rw, 0, sh, 0);
	KCHECK(!RB_IS_ERR(w), "mmap shm");
	KEXPECT(rb_read(fd, w + 10, pg), pg);
	KEXPECT(rb_pread(sh, m, pg, 10), pg);
	KEXPECT(pattern_off(m, pg, H_FILE + 7), 0);
	rb_munmap(w, 2 * pg);
	rb_close(sh);
	rb_close(zfd);
	rb_close(fd);
	rb_munmap(m, 3 * pg);
	KEXPECT(srv_stop(&s, "test-dir"), 0);
	return 0;
}

static int plain_path_is_file(char *why, size_t n)
{
	struct tsrv s;
	int err = srv_start(&s, "file", 1);
	if (err == -E_ACCES ||
	    err == -E_EXIST) { /* a policy that keeps file: for ramfsd, or it runs */
		rb_printf("# uscheme: file: not ours to serve (%s): namespace not checked\n",
			  err_name(err));
		return 0;
	}
	KEXPECT(err, 0);
	int fd = rb_open("/etc/x", RB_O_RDONLY);
	KCHECK(fd >= 0, "open /etc/x: %d %s", fd, err_name(fd));
	char path[64];
	memcpy(path, s.path, sizeof path);
	KEXPECT(rb_unlink("/gone", 0), -E_NOENT); /* the server wants "gone", it gets "/gone" */
	KEXPECT(rb_rename("/a", "initfs:/a"), -E_XDEV);
	rb_close(fd);
	KEXPECT(srv_stop(&s, "file"), 0);
	KCHECK(strcmp(path, "/etc/x") == 0, "file: saw path \"%s\"", path);
	KEXPECT(rb_open("/etc/x", RB_O_RDONLY), -E_NOENT); /* no file: server now */
	return 0;
}

const struct kcase uscheme_cases[] = {
    {"uscheme: every op round trip, with the caller's credentials", every_op},
    {"uscheme: a request carries the uid set in a child", creds_after_setuid},
    {"uscheme: 4 server threads answer 64 callers", many_callers},
    {"uscheme: two requests in flight answered newest first", answers_out_of_order},
    {"uscheme: reads and writes over 1 MiB are split", split_big_io},
    {"uscheme: a signal ends a wait with EINTR and the server gets a CANCEL", signal_cancels},
    {"uscheme: a SIGKILLed caller blocked on a silent server dies", killed_caller_dies},
    {"uscheme: a killed server fails 100 callers with EPIPE, its name is free", server_dies},
    {"uscheme: a server killed in read dies and frees its name", server_killed_in_read},
    {"uscheme: EEXIST, EINVAL, EAGAIN, EACCES for registrations and answers", register_errors},
    {"uscheme: malformed answers fail the server's write and the caller's call", malformed_answers},
    {"uscheme: sendfd, recvfd and an open answered with an fd", pass_fds},
    {"uscheme: sendfd into a full server table gives EMFILE", sendfd_into_full_table},
    {"uscheme: a close does not wait for a hung server", close_while_hung},
    {"uscheme: a plain absolute path is file:'s", plain_path_is_file},
    {"uscheme: pread and pwrite through a forward, and back to the server when it dies",
     forward_and_fall_back},
    {"uscheme: answers written straight into the caller's memory, and where they cannot be",
     direct_answers},
    {NULL, NULL},
};
