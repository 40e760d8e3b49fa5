/*
 * uscheme.c - kchild's modes for ktest's user-scheme cases
 * (user/ktest/t_uscheme.c), each a separate process so that it can have
 * its own uid, be signalled or be killed:
 *
 * "kchild usopen PATH UID": set the uid (unless UID is "-") and open PATH;
 *   exits 0 if the open worked, else the error number;
 * "kchild ussig PATH": with a SIGINT handler installed, open PATH and read
 *   from it; when that ends with EINTR, fill the buffer with 'k' and read
 *   into it again. Exits 0 if that read ended with EINTR too and the
 *   buffer still holds only 'k' (no late answer to the first read wrote
 *   it), 1 if a read returned, 2 if the open failed, 4 if the buffer
 *   changed (ktest signals or kills it while it waits);
 * "kchild usdie NAME N": serve scheme NAME: answer every OPEN with handle
 *   1, leave READs unanswered, and SIGKILL itself when N are outstanding;
 * "kchild usread PATH T": open PATH, start T threads that each read it,
 *   and exit with the number of reads that failed with EPIPE;
 * "kchild uscall PATH T K": open PATH, start T threads that each make K
 *   reads of a length of their own and check every byte of the answer
 *   (ktest's server fills it from the length); exits with the number of
 *   bad answers (0: all good);
 * "kchild uscreate NAME UID": set the uid and register NAME; exits with
 *   the error number of the registration (0: it worked);
 * "kchild ushang NAME": register NAME and read requests from two threads,
 *   answering only OPENs (ktest kills it while they are blocked in read).
 */
#include <stdbool.h>
#include <string.h>
#include "rb/signal.h"
#include "rb/sys.h"
#include "rb/thread.h"

int kchild_uscheme(int argc, char **argv);

static int num(const char *s)
{
	int v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static int err_code(long r)
{
	return r < 0 ? (int)-r : 0;
}

static volatile int got_sig;

static void on_sigint(int sig)
{
	got_sig = sig;
}

static int read_interrupted(const char *path)
{
	struct rb_sigaction act = {on_sigint, 0, 0, NULL};
	if (rb_sigaction(RB_SIGINT, &act, NULL) < 0)
		return 3;
	int fd = rb_open(path, RB_O_RDWR);
	if (fd < 0)
		return 2;
	char buf[1024]; /* big enough for a direct answer (docs/ipc.md) */
	if (rb_read(fd, buf, sizeof buf) != -E_INTR)
		return 1;
	memset(buf, 'k', sizeof buf);
	if (rb_read(fd, buf, sizeof buf) != -E_INTR)
		return 1;
	for (size_t i = 0; i < sizeof buf; i++)
		if (buf[i] != 'k')
			return 4;
	return 0;
}

/* usdie: a server that answers OPEN and kills itself with n READs outstanding. */
static int serve_and_die(const char *name, int n)
{
	static char buf[RB_REQ_MIN_BUF + 64];
	int fd = rb_scheme_create(name, 0);
	if (fd < 0)
		return 100 + err_code(fd);
	for (int reads = 0;;) {
		long got = rb_read(fd, buf, sizeof buf);
		if (got < (long)sizeof(struct rb_req))
			return 99;
		struct rb_req *q = (struct rb_req *)buf;
		if (q->op == RB_SOP_OPEN) {
			struct rb_ans a = {.id = q->id, .result = 1};
			rb_write(fd, &a, sizeof a);
		} else if (q->op == RB_SOP_READ && ++reads == n) {
			rb_kill(rb_getpid(), RB_SIGKILL);
		}
	}
}

static int shared_fd, rounds, results;

static int read_epipe(void *arg)
{
	char buf[8];
	if (rb_read(shared_fd, buf, sizeof buf) == -E_PIPE)
		__atomic_fetch_add(&results, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Reads of length len + 1 .. : the server fills each byte with (0x100 + length) & 0xff. */
static int read_checked(void *arg)
{
	int me = (int)(long)arg;
	static char bufs[32][128];
	char *buf = bufs[me % 32];
	for (int k = 0; k < rounds; k++) {
		size_t len = 1 + (size_t)((me * 7 + k) % 100);
		long r = rb_read(shared_fd, buf, len);
		bool ok = r == (long)len;
		for (size_t i = 0; ok && i < len; i++)
			ok = (unsigned char)buf[i] == ((0x100 + len) & 0xff);
		if (!ok)
			__atomic_fetch_add(&results, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

/* Open path, run t threads of fn, wait for them: results, or 200 + a failure. */
static int run_threads(const char *path, int t, int (*fn)(void *))
{
	int tids[64];
	shared_fd = rb_open(path, RB_O_RDWR);
	if (shared_fd < 0)
		return 200;
	if (t > 32)
		t = 32;
	for (int i = 0; i < t; i++)
		if ((tids[i] = rb_thread_create(fn, (void *)(long)i)) < 0)
			return 201;
	for (int i = 0; i < t; i++)
		rb_thread_join(tids[i], NULL);
	return results;
}

static int hang_fd;

/* Answer OPENs, nothing else, until killed. */
static int read_forever(void *arg)
{
	static char bufs[2][RB_REQ_MIN_BUF];
	char *buf = bufs[(long)arg];
	for (;;) {
		const struct rb_req *q = (const struct rb_req *)buf;
		if (rb_read(hang_fd, buf, RB_REQ_MIN_BUF) >= (long)sizeof *q &&
		    q->op == RB_SOP_OPEN) {
			struct rb_ans a = {.id = q->id, .result = 1};
			rb_write(hang_fd, &a, sizeof a);
		}
	}
	return 0;
}

int kchild_uscheme(int argc, char **argv)
{
	const char *mode = argv[1];
	if (strcmp(mode, "usopen") == 0 && argc > 3) {
		if (argv[3][0] != '-' && rb_setuid(num(argv[3])) < 0)
			return 99;
		int fd = rb_open(argv[2], RB_O_RDONLY);
		return fd < 0 ? err_code(fd) : 0;
	}
	if (strcmp(mode, "ussig") == 0 && argc > 2)
		return read_interrupted(argv[2]);
	if (strcmp(mode, "usdie") == 0 && argc > 3)
		return serve_and_die(argv[2], num(argv[3]));
	if (strcmp(mode, "usread") == 0 && argc > 3)
		return run_threads(argv[2], num(argv[3]), read_epipe);
	if (strcmp(mode, "uscall") == 0 && argc > 4) {
		rounds = num(argv[4]);
		return run_threads(argv[2], num(argv[3]), read_checked);
	}
	if (strcmp(mode, "uscreate") == 0 && argc > 3) {
		if (rb_setuid(num(argv[3])) < 0)
			return 99;
		return err_code(rb_scheme_create(argv[2], 0));
	}
	if (strcmp(mode, "ushang") == 0 && argc > 2) {
		hang_fd = rb_scheme_create(argv[2], 0);
		if (hang_fd < 0)
			return err_code(hang_fd);
		rb_thread_create(read_forever, (void *)1L);
		return read_forever(NULL);
	}
	return 98;
}
