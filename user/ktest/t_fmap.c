/*
 * t_fmap.c - ktest cases for mmap of a user-scheme file (docs/ipc.md,
 * "FMAP is asked once per page" and Shared memory): a small server
 * answers FMAP from shm: files of its own. The client sees the server's
 * bytes and writes each way are seen by the other; the server cannot
 * shrink a mapped shm: file (EBUSY); the mapping stays valid after the
 * server closed its shm: fd and died, and after the client closed its
 * own fd; its pages go when the last mapping does; every bad answer
 * fails the client's mmap with a documented error and leaks nothing.
 *
 * The server (struct fsrv) is a thread of ktest, or for the death case a
 * ktest child process ("fmap-server NAME"). It answers by the handle it
 * gave at open (F_* below, chosen by the path). Counts it keeps are
 * read with __atomic loads, waits are bounded by WAIT_NS, never sleeps.
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"
#include "rb/signal.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define KTEST "initfs:/bin/ktest"
#define PG 4096
#define NPG 4 /* pages of each server shm: file and of every mapping */
#define RW (RB_PROT_READ | RB_PROT_WRITE)
#define WAIT_NS (20ull * 1000 * 1000 * 1000)
#define REQ_BUF (sizeof(struct rb_req) + 1024)
#define MANY_MAX 64 /* files that may own the pages of one mapping (VM_MAX_OWNERS) */

/* Handles, by the path opened: how FMAP is answered. */
enum {
	F_GOOD = 1, /* "good": page off of shm[0] */
	F_TWO,	    /* "two": odd pages from shm[1], even ones from shm[0] */
	F_PAST,	    /* "past": an offset past the end of shm[0] */
	F_PIPE,	    /* "pipe": a pipe's read end (no fmap) */
	F_CHAIN,    /* "chain": chain_fd, a file of a user scheme */
	F_RO,	    /* "ro": a shm: file opened read-only */
	F_WO,	    /* "wo": a shm: file opened write-only */
	F_NOFD,	    /* "nofd": result 0 without RB_ANS_FD */
	F_NEG,	    /* "neg": result -EPERM */
	F_MANY,	    /* "many": every page from a new shm: file */
	F_QUIT,	    /* "quit": answered, then the serving thread ends */
};

struct fsrv {
	int fd;	      /* the server fd */
	int shm[2];   /* its shm: files (-1 once closed) */
	int chain_fd; /* for F_CHAIN: a client fd of this scheme, set by the case */
	int tid;
	int closes, fmaps; /* __atomic */
};

static const char *const paths[] = {
    [F_GOOD] = "good",	 [F_TWO] = "two",   [F_PAST] = "past", [F_PIPE] = "pipe",
    [F_CHAIN] = "chain", [F_RO] = "ro",	    [F_WO] = "wo",     [F_NOFD] = "nofd",
    [F_NEG] = "neg",	 [F_MANY] = "many", [F_QUIT] = "quit",
};

/* The byte the server's shm file k holds at offset i before anyone writes it. */
static uint8_t pattern(int k, size_t i)
{
	return (uint8_t)(i * 7 + (size_t)k * 101 + 3);
}

static long reply(struct fsrv *s, unsigned long long id, long long result, unsigned flags,
		  unsigned long long arg)
{
	struct rb_ans a = {.id = id, .result = result, .flags = flags, .arg = arg};
	return rb_write(s->fd, &a, sizeof a);
}

static long long open_handle(const char *path)
{
	for (long long h = F_GOOD; h <= F_QUIT; h++)
		if (strcmp(path, paths[h]) == 0)
			return h;
	return -E_NOENT;
}

/* Answer with a temporary fd tmp (closed after the answer took its file). */
static void reply_tmp(struct fsrv *s, const struct rb_req *q, int tmp, unsigned long long arg)
{
	if (tmp < 0) {
		reply(s, q->id, tmp, 0, 0);
		return;
	}
	reply(s, q->id, tmp, RB_ANS_FD, arg);
	rb_close(tmp);
}

/* A new one-page shm: file, or an error. */
static int new_shm(void)
{
	int fd = rb_open("shm:", RB_O_RDWR);
	if (fd >= 0 && rb_ftruncate(fd, PG) < 0) {
		rb_close(fd);
		return -E_NOMEM;
	}
	return fd;
}

static void serve_fmap(struct fsrv *s, const struct rb_req *q)
{
	int pipefd[2];
	__atomic_fetch_add(&s->fmaps, 1, __ATOMIC_RELEASE);
	switch (q->handle) {
	case F_GOOD:
		reply(s, q->id, s->shm[0], RB_ANS_FD, q->a);
		break;
	case F_TWO:
		reply(s, q->id, s->shm[(q->a / PG) & 1], RB_ANS_FD, q->a);
		break;
	case F_PAST:
		reply(s, q->id, s->shm[0], RB_ANS_FD, q->a + 64 * PG);
		break;
	case F_PIPE:
		if (rb_pipe(pipefd, 0) < 0) {
			reply(s, q->id, -E_NOMEM, 0, 0);
			break;
		}
		rb_close(pipefd[1]);
		reply_tmp(s, q, pipefd[0], 0);
		break;
	case F_CHAIN:
		reply(s, q->id, __atomic_load_n(&s->chain_fd, __ATOMIC_ACQUIRE), RB_ANS_FD, 0);
		break;
	case F_RO:
		reply_tmp(s, q, rb_open("shm:", RB_O_RDONLY), 0);
		break;
	case F_WO:
		reply_tmp(s, q, rb_open("shm:", RB_O_WRONLY), 0);
		break;
	case F_NOFD:
		reply(s, q->id, 0, 0, 0);
		break;
	case F_MANY:
		reply_tmp(s, q, new_shm(), 0);
		break;
	default:
		reply(s, q->id, -E_PERM, 0, 0);
	}
}

/* Serve until a "quit" open or a failed read: 0, or 1 on a failed read. */
static int serve(void *arg)
{
	struct fsrv *s = arg;
	char req[REQ_BUF + 1];
	for (;;) {
		long n = rb_read(s->fd, req, REQ_BUF);
		if (n == -E_INTR)
			continue;
		if (n < (long)sizeof(struct rb_req))
			return 1;
		struct rb_req *q = (struct rb_req *)req;
		char *pay = req + sizeof *q;
		pay[q->len] = 0;
		long long h;
		switch (q->op) {
		case RB_SOP_OPEN:
			h = open_handle(pay);
			reply(s, q->id, h, 0, 0);
			if (h == F_QUIT)
				return 0;
			break;
		case RB_SOP_FMAP:
			serve_fmap(s, q);
			break;
		case RB_SOP_FSYNC: /* the death case: the server lets go of its shm: fds */
			for (int k = 0; k < 2; k++) {
				rb_close(s->shm[k]);
				s->shm[k] = -1;
			}
			reply(s, q->id, 0, 0, 0);
			break;
		case RB_SOP_CLOSE:
			__atomic_fetch_add(&s->closes, 1, __ATOMIC_RELEASE);
			break;
		case RB_SOP_CANCEL:
			break;
		default:
			reply(s, q->id, -E_NOSYS, 0, 0);
		}
	}
}

/* Register name and make the two shm: files with their patterns: 0 or an error. */
static int srv_init(struct fsrv *s, const char *name)
{
	memset(s, 0, sizeof *s);
	s->shm[0] = s->shm[1] = s->chain_fd = -1;
	s->fd = rb_scheme_create(name, 0);
	if (s->fd < 0)
		return s->fd;
	static uint8_t buf[NPG * PG];
	for (int k = 0; k < 2; k++) {
		s->shm[k] = rb_open("shm:", RB_O_RDWR);
		if (s->shm[k] < 0)
			return s->shm[k];
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = pattern(k, i);
		if (rb_write(s->shm[k], buf, sizeof buf) != (long)sizeof buf)
			return -E_IO;
	}
	return 0;
}

/* A server thread on name: 0 or an error. */
static int srv_start(struct fsrv *s, const char *name)
{
	int err = srv_init(s, name);
	if (err < 0)
		return err;
	s->tid = rb_thread_create(serve, s);
	return s->tid < 0 ? s->tid : 0;
}

/* End the server thread and close its fds: 0, or -1 if it failed. */
static int srv_stop(struct fsrv *s, const char *name)
{
	char path[48];
	rb_snprintf(path, sizeof path, "%s:quit", name);
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd >= 0)
		rb_close(fd);
	int code = -1;
	rb_thread_join(s->tid, &code);
	rb_close(s->fd);
	for (int k = 0; k < 2; k++)
		if (s->shm[k] >= 0)
			rb_close(s->shm[k]);
	return code == 0 && fd >= 0 ? 0 : -1;
}

void kt_fmap_server(const char *name)
{
	static struct fsrv s;
	int err = srv_init(&s, name);
	if (err < 0)
		rb_exit(-err);
	rb_exit(serve(&s) + 10); /* the case kills it first */
}

static int open_on(const char *name, const char *what, int flags)
{
	char path[48];
	rb_snprintf(path, sizeof path, "%s:%s", name, what);
	return rb_open(path, flags);
}

static struct rb_kstat kstat(void)
{
	struct rb_kstat k;
	if (rb_kstat(&k) != sizeof k)
		memset(&k, 0xff, sizeof k);
	return k;
}

/* How many bytes of [m, +len) differ from server file k's pattern at offset off. */
static int differ(const volatile uint8_t *m, size_t len, int k, size_t off)
{
	int bad = 0;
	for (size_t i = 0; i < len; i++)
		bad += m[i] != pattern(k, off + i);
	return bad;
}

static int fmap_shared(char *why, size_t n)
{
	static struct fsrv s;
	KEXPECT(srv_start(&s, "test-fmap1"), 0);
	long pages0 = (long)kstat().shm_pages;
	int cfd = open_on("test-fmap1", "good", RB_O_RDWR);
	KCHECK(cfd >= 0, "open: %d %s", cfd, err_name(cfd));
	volatile uint8_t *m = rb_mmap_fd(NULL, NPG * PG, RW, 0, cfd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld %s", (long)m, err_name((int)(long)m));
	KEXPECT(__atomic_load_n(&s.fmaps, __ATOMIC_ACQUIRE), NPG); /* once per page */
	KEXPECT(differ(m, NPG * PG, 0, 0), 0);
	KEXPECT((long)kstat().shm_pages, pages0); /* the server's pages, no copies */
	m[PG + 10] = 0xa5;			  /* client to server */
	uint8_t c = 0;
	KEXPECT(rb_lseek(s.shm[0], PG + 10, RB_SEEK_SET), PG + 10);
	KEXPECT(rb_read(s.shm[0], &c, 1), 1);
	KEXPECT(c, 0xa5);
	KEXPECT(rb_lseek(s.shm[0], 3 * PG + 5, RB_SEEK_SET), 3 * PG + 5); /* server to client */
	KEXPECT(rb_write(s.shm[0], "srv", 3), 3);
	KCHECK(m[3 * PG + 5] == 's' && m[3 * PG + 7] == 'v', "the client does not see the write");
	/* a mapping of part of the file, from an offset */
	volatile uint8_t *p = rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, cfd, 2 * PG);
	KCHECK(!RB_IS_ERR(p), "mmap at 2 pages: %ld", (long)p);
	KEXPECT(differ(p, PG, 0, 2 * PG), 0);
	KEXPECT(rb_munmap((void *)p, PG), 0);
	KEXPECT(rb_munmap((void *)m, NPG * PG), 0);
	KEXPECT(rb_close(cfd), 0);
	KCHECK(kt_wait_count(&s.closes, 1, WAIT_NS), "the server saw no CLOSE");
	KEXPECT(srv_stop(&s, "test-fmap1"), 0);
	return 0;
}

static int fmap_shrink_busy(char *why, size_t n)
{
	static struct fsrv s;
	KEXPECT(srv_start(&s, "test-fmap2"), 0);
	int cfd = open_on("test-fmap2", "two", RB_O_RDWR);
	KCHECK(cfd >= 0, "open: %d %s", cfd, err_name(cfd));
	volatile uint8_t *m = rb_mmap_fd(NULL, NPG * PG, RB_PROT_READ, 0, cfd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld %s", (long)m, err_name((int)(long)m));
	for (int i = 0; i < NPG; i++)
		KEXPECT(differ(m + i * PG, PG, i & 1, (size_t)i * PG), 0);
	/* both files back the mapping: neither may shrink, both may grow */
	KEXPECT(rb_ftruncate(s.shm[0], PG), -E_BUSY);
	KEXPECT(rb_ftruncate(s.shm[1], 0), -E_BUSY);
	KEXPECT(rb_ftruncate(s.shm[1], 2 * NPG * PG), 0);
	/* a partial munmap keeps them (the mapping lives on) */
	KEXPECT(rb_munmap((void *)m, 2 * PG), 0);
	KEXPECT(rb_ftruncate(s.shm[0], PG), -E_BUSY);
	KEXPECT(differ(m + 3 * PG, PG, 1, 3 * PG), 0);
	KEXPECT(rb_munmap((void *)(m + 2 * PG), 2 * PG), 0);
	KEXPECT(rb_ftruncate(s.shm[0], PG), 0); /* unmapped: the server may shrink again */
	KEXPECT(rb_ftruncate(s.shm[1], 0), 0);
	KEXPECT(rb_close(cfd), 0);
	KEXPECT(srv_stop(&s, "test-fmap2"), 0);
	return 0;
}

/* Spawn a server process on name and wait for its scheme: its pid, or an error. */
static int spawn_server(const char *name)
{
	char *argv[] = {"ktest", "fmap-server", (char *)name, NULL};
	int fds[3] = {0, 1, 2};
	int pid = rb_spawn(KTEST, argv, NULL, fds, 3);
	if (pid < 0)
		return pid;
	uint64_t end = rb_now_ns() + WAIT_NS;
	for (;;) {
		int fd = open_on(name, "good", RB_O_RDONLY);
		if (fd >= 0) {
			rb_close(fd);
			return pid;
		}
		if (fd != -E_NOENT || rb_now_ns() > end) {
			rb_kill(pid, RB_SIGKILL);
			rb_waitpid(pid, NULL, 0);
			return fd;
		}
		rb_sched_yield();
	}
}

static int fmap_outlives_server(char *why, size_t n)
{
	struct rb_kstat k0 = kstat();
	int pid = spawn_server("test-fmapd");
	KCHECK(pid > 0, "spawn the server: %d %s", pid, err_name(pid));
	int cfd = open_on("test-fmapd", "two", RB_O_RDWR);
	KCHECK(cfd >= 0, "open: %d %s", cfd, err_name(cfd));
	volatile uint8_t *m = rb_mmap_fd(NULL, NPG * PG, RW, 0, cfd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld %s", (long)m, err_name((int)(long)m));
	long held = (long)kstat().shm_pages;
	KEXPECT(rb_fsync(cfd), 0); /* the server closes its shm: fds */
	KEXPECT((long)kstat().shm_pages, held);
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	int status = 0;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT((long)kstat().shm_pages, held); /* the mapping holds them */
	for (int i = 0; i < NPG; i++)
		KEXPECT(differ(m + i * PG, PG, i & 1, (size_t)i * PG), 0);
	m[5] = 0x77;
	KEXPECT(m[5], 0x77);
	KEXPECT(rb_fsync(cfd), -E_NODEV); /* the scheme is dead, its file still open */
	KEXPECT(rb_close(cfd), 0);	  /* the mapping holds the client's file too */
	KEXPECT(differ(m + PG, PG, 1, PG), 0);
	KEXPECT(rb_munmap((void *)m, NPG * PG), 0);
	struct rb_kstat k1 = kstat();
	KEXPECT(k1.shm_pages, k0.shm_pages);
	KEXPECT(k1.files_open, k0.files_open);
	KEXPECT(k1.free_pages, k0.free_pages);
	return 0;
}

static int fmap_client_closes(char *why, size_t n)
{
	static struct fsrv s;
	KEXPECT(srv_start(&s, "test-fmap4"), 0);
	int cfd = open_on("test-fmap4", "good", RB_O_RDONLY);
	KCHECK(cfd >= 0, "open: %d %s", cfd, err_name(cfd));
	volatile uint8_t *m = rb_mmap_fd(NULL, NPG * PG, RB_PROT_READ, 0, cfd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld %s", (long)m, err_name((int)(long)m));
	KEXPECT(rb_mprotect((void *)m, PG, RW), -E_ACCES); /* the client's file is read-only */
	KEXPECT(rb_close(cfd), 0);
	KEXPECT(differ(m, NPG * PG, 0, 0), 0);
	KEXPECT(__atomic_load_n(&s.closes, __ATOMIC_ACQUIRE), 0); /* the mapping holds the file */
	KEXPECT(rb_ftruncate(s.shm[0], 0), -E_BUSY);
	KEXPECT(rb_munmap((void *)m, NPG * PG), 0);
	KCHECK(kt_wait_count(&s.closes, 1, WAIT_NS), "the server saw no CLOSE after the munmap");
	KEXPECT(rb_ftruncate(s.shm[0], 0), 0);
	KEXPECT(srv_stop(&s, "test-fmap4"), 0);
	return 0;
}

/* mmap of pages pages of a client file on what, with prot: the result (unmapped again). */
static long try_map_prot(const char *what, int prot, size_t pages, struct fsrv *s)
{
	int closes = __atomic_load_n(&s->closes, __ATOMIC_ACQUIRE);
	int cfd = open_on("test-fmap5", what, RB_O_RDWR);
	if (cfd < 0)
		return cfd;
	void *m = rb_mmap_fd(NULL, pages * PG, prot, 0, cfd, 0);
	if (!RB_IS_ERR(m))
		rb_munmap(m, pages * PG);
	rb_close(cfd);
	/* the server has put its temporary fds away once it handled the CLOSE */
	if (!kt_wait_count(&s->closes, closes + 1, WAIT_NS))
		return -E_TIMEDOUT;
	return RB_IS_ERR(m) ? (long)m : 0;
}

static long try_map(const char *what, int prot, struct fsrv *s)
{
	return try_map_prot(what, prot, NPG, s);
}

static long try_map_n(const char *what, size_t pages, struct fsrv *s)
{
	return try_map_prot(what, RB_PROT_READ, pages, s);
}

static int fmap_bad_answers(char *why, size_t n)
{
	static struct fsrv s;
	KEXPECT(srv_start(&s, "test-fmap5"), 0);
	s.chain_fd = open_on("test-fmap5", "good", RB_O_RDWR); /* a user scheme's file */
	KCHECK(s.chain_fd >= 0, "open: %d", s.chain_fd);
	struct rb_kstat k0 = kstat();
	KEXPECT(try_map("past", RB_PROT_READ, &s), -E_INVAL);
	KEXPECT(try_map("pipe", RB_PROT_READ, &s), -E_IO);
	KEXPECT(try_map("chain", RB_PROT_READ, &s), -E_IO);
	KEXPECT(try_map("ro", RW, &s), -E_ACCES);
	KEXPECT(try_map("ro", RB_PROT_READ, &s), -E_INVAL); /* empty: nothing to map */
	KEXPECT(try_map("wo", RB_PROT_READ, &s), -E_ACCES);
	KEXPECT(try_map("nofd", RB_PROT_READ, &s), -E_IO);
	KEXPECT(try_map("neg", RB_PROT_READ, &s), -E_PERM);
	KEXPECT(try_map_n("many", MANY_MAX, &s), 0); /* a file per page, up to the bound */
	KEXPECT(try_map_n("many", MANY_MAX + 1, &s), -E_NOMEM);
	/* nothing left behind: no file, no page, and the server's files may shrink */
	struct rb_kstat k1 = kstat();
	KEXPECT(k1.files_open, k0.files_open);
	KEXPECT(k1.shm_pages, k0.shm_pages);
	KEXPECT(rb_ftruncate(s.shm[0], 0), 0);
	KEXPECT(rb_close(s.chain_fd), 0);
	KEXPECT(srv_stop(&s, "test-fmap5"), 0);
	return 0;
}

const struct kcase fmap_cases[] = {
    {"fmap: a client maps a server's shm: pages; writes each way are seen", fmap_shared},
    {"fmap: a server's shm: files under a mapping cannot shrink (EBUSY)", fmap_shrink_busy},
    {"fmap: a mapping outlives the server's fds and death; munmap frees all", fmap_outlives_server},
    {"fmap: a mapping holds the client's file after close", fmap_client_closes},
    {"fmap: bad FMAP answers fail mmap (EINVAL, EIO, EACCES, ENOMEM), leak nothing",
     fmap_bad_answers},
    {NULL, NULL},
};
