/*
 * c_uscheme.c - the "uscheme" case: a user-space scheme server under fire.
 *
 * kst_uscheme_init registers "stress-us<pid>" and starts one server thread
 * (apart from the case threads) that answers every request after a random
 * delay (a few yields, now and then a short sleep), answers about one in
 * forty wrongly on purpose (a length that disagrees, more payload than
 * asked, a bad fd) and now and then, asked to by a case thread, closes
 * its server fd with requests outstanding and registers the name again.
 * A quarter of its OPEN and DUP answers forward the new handle's PREAD
 * and PWRITE (RB_ANS_FWD) to a pipe's read end (ESPIPE) or to the file
 * of a client slot (a handle of this scheme, maybe of an instance that
 * died since, whose calls then fall back to us; one that forwards itself
 * is refused). The case threads open, read, pread, write, pwrite, seek, fstat, dup_handle, sendfd,
 * recvfd and close descriptors of the scheme at random, racing each other
 * on the same slots. Checks: every call gives its result or one of the
 * errors docs/ipc.md allows here (EBADF for a slot closed under it, EIO for
 * a malformed answer, EPIPE/ENODEV across a restart, EINTR from the signal
 * case, ENOENT while the name is being registered again, EMFILE, EAGAIN);
 * a read returns at most what was asked and every byte of a READ is the
 * one the server fills in for that length (a PREAD may have been
 * forwarded; ESPIPE from a pipe is allowed); the server's malformed answers get
 * errors and its good ones do not. The supervisor's chaos kills workers
 * with all of this in flight. The mm case's racing slots read from the
 * client slots too (kst_uscheme_read_racing): the server's answer is
 * written straight into pages other threads unmap and protect meanwhile.
 *
 * FMAP: the server keeps a shm: file at SHM_FD holding a fixed pattern
 * and answers FMAP with it (RB_ANS_FD, arg = the asked offset); every
 * restart replaces it by a new one, closing the old. A case thread maps
 * part of it through a client slot (mmap RB_MAP_FD), checks every byte,
 * checks that the server's ftruncate of it to 0 is EBUSY, and keeps the
 * mapping until a later operation checks every byte again and unmaps it,
 * while slots are closed, the server dies, restarts and drops its shm:
 * fd, and workers are killed: the bytes must stay the pattern throughout
 * (a mapping holds the pages it was given). The map runs with the fds
 * lock shared (so SHM_FD is the file the server answers with until the
 * check) and kst_mm_exclusive_begin/end (so no stale mm address names
 * it); a mapping of a slot that holds no file of ours is not checked.
 *
 * Ownership: the server fd lives at SRV_FD, its shm: file at SHM_FD, the
 * clients' at CLIENT_FD.. (the sys case keeps off them; the fd case allows our errors on the fds it
 * touches, where an open lands for a moment; a check that fails on a slot
 * that holds no file of ours now is ignored: F_DUPFD may reach it); the server
 * thread owns its buffers; restart and the counters are __atomic; each
 * case thread owns its fmap mapping (maps[idx]; a replacement thread of
 * the same index takes it over). The server thread waits for a lock of
 * this program (the fd lock, in srv_register) only while it has no live
 * scheme: any thread may be waiting for its answer while holding a lock.
 */
#include <string.h>
#include "kstress.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define SRV_FD KST_USCHEME_SRV_FD
#define SHM_FD (KST_USCHEME_SRV_FD - 1)
#define CLIENT_FD KST_USCHEME_FD_MIN
#define NCLIENT (SHM_FD - CLIENT_FD)
#define SHM_PAGES 4 /* of the server's shm: file */
#define PAGE 4096ul
#define REQ_BUF (sizeof(struct rb_req) + RB_SCHEME_MAX_IO)
#define MAX_IO 512 /* bytes a case thread reads at once */
/* Bytes a case thread writes at once: more than the server's shortest read takes (its room
   is 512 to 512 + MAX_WRITE bytes of data), so WRITEs are cut and the kernel sends the rest. */
#define MAX_WRITE 4096

static char name[32], path[48];
static int srv_tid, restart, stopping, bad_ok;
static char bad_why[96]; /* the refused answer, written before bad_ok is set to -1 */
static struct rb_rand srv_rng;
static uint8_t io_buf[KST_MAX_THREADS][MAX_WRITE];
static int shm_ok; /* SHM_FD holds a shm: file with the pattern (set before the server starts) */
static const char *volatile srv_step = "none"; /* where the server thread is (late report) */

/* A case thread's mapping of the server's shm: file, through a client slot. */
static struct fmapping {
	volatile uint8_t *map; /* NULL: none */
	size_t off, pages;     /* where in the shm: file, in pages */
} maps[KST_MAX_THREADS];

/* The byte every shm: file of the server holds at offset off. */
static uint8_t shm_byte(size_t off)
{
	return (uint8_t)(off * 13 + 7 + (off >> 12));
}

/*
 * The new server fd lands on the lowest free fd, where the fd and sys cases
 * close, dup2 over, F_DUPFD and read random fds, until it moves to SRV_FD.
 * They run sharing the fd lock (kst_fds_share), srv_register holds it alone
 * (kst_fds_exclusive_begin, as do the service cases' opens; exclusive holders
 * queue on fds_excl):
 * a server fd swapped for another file had the server read that file and
 * its answers refused; a dup of it kept a dead scheme alive; a read of it
 * took a request nobody answered.
 */
static struct {
	int users, registering; /* registering: set by the one exclusive holder */
} fds;

void kst_fds_share(void)
{
	for (;;) {
		if (!__atomic_load_n(&fds.registering, __ATOMIC_SEQ_CST)) {
			__atomic_fetch_add(&fds.users, 1, __ATOMIC_SEQ_CST);
			if (!__atomic_load_n(&fds.registering, __ATOMIC_SEQ_CST))
				return;
			__atomic_fetch_sub(&fds.users, 1, __ATOMIC_SEQ_CST);
		}
		rb_sched_yield();
	}
}

void kst_fds_unshare(void)
{
	__atomic_fetch_sub(&fds.users, 1, __ATOMIC_SEQ_CST);
}

/* Move fd r (or an error) to number to: 0 or an error. */
static int move_fd(int r, int to)
{
	if (r >= 0 && r != to) {
		int fd = r;
		r = rb_dup2(fd, to);
		rb_close(fd);
	}
	return r < 0 ? r : 0;
}

/* A new shm: file with the pattern at SHM_FD (closing the one there): 0 or an error. Called at
   init and with the fd lock held alone: its fd is the lowest free one for a moment. */
static int shm_make(void)
{
	static uint8_t buf[SHM_PAGES * PAGE];
	int fd = rb_open("shm:", RB_O_RDWR);
	if (fd < 0)
		return fd;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = shm_byte(i);
	long w = rb_write(fd, buf, sizeof buf);
	if (w != (long)sizeof buf) {
		rb_close(fd);
		return w < 0 ? (int)w : -E_NOSPC;
	}
	return move_fd(fd, SHM_FD);
}

/* Exclusive holders (this server thread, the service cases) queue here. */
static struct rb_mutex fds_excl;

void kst_fds_exclusive_begin(void)
{
	rb_mutex_lock(&fds_excl);
	__atomic_store_n(&fds.registering, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&fds.users, __ATOMIC_SEQ_CST))
		rb_sched_yield();
}

void kst_fds_exclusive_end(void)
{
	__atomic_store_n(&fds.registering, 0, __ATOMIC_SEQ_CST);
	rb_mutex_unlock(&fds_excl);
}

/*
 * Register name at SRV_FD, and with replace_shm a new shm: file at SHM_FD (the old one stays if
 * that fails: RLIMIT_SHM may have been lowered), holding the fd lock alone: 0 or an error. A
 * registration that fails leaves a dup of the console at SRV_FD until the next try, so the number
 * is never the lowest free fd that another case's open or dup could take outside the lock (it
 * would later close the server fd dup2'ed over its own). The server thread never reads it: it
 * tries again, or stops.
 *
 * With close_old the old scheme dies first, before the lock, by a console dup put over SRV_FD
 * (the number is never free): whatever was outstanding fails at once. A holder of the shared
 * lock may be waiting for this server's answer (fmap's FMAP, or the fd or sys case reading a
 * client file that sat on a low fd for a moment), and the lock is not ours until it leaves: a
 * worker once hung so, all four threads in operations long after its round.
 */
static int srv_register(bool replace_shm, bool close_old)
{
	if (close_old && rb_dup2(1, SRV_FD) < 0)
		rb_close(
		    SRV_FD); /* not expected (KST_NOFILE_MIN); the scheme must die all the same */
	kst_fds_exclusive_begin();
	int r = move_fd(rb_scheme_create(name, 0), SRV_FD);
	if (r == 0 && replace_shm && shm_ok)
		(void)shm_make();
	if (r < 0)
		(void)rb_dup2(1, SRV_FD);
	kst_fds_exclusive_end();
	return r;
}

static void srv_delay(void)
{
	uint64_t d = rb_rand_below(&srv_rng, 16);
	if (d == 0)
		rb_nanosleep(rb_rand_below(&srv_rng, 200 * 1000));
	for (uint64_t i = 0; i < d % 4; i++)
		rb_sched_yield();
}

static long srv_reply(char *ans, const struct rb_req *q, long long res, unsigned flags,
		      unsigned len, size_t wlen, unsigned fwd)
{
	struct rb_ans *a = (struct rb_ans *)ans;
	memset(a, 0, sizeof *a);
	a->id = q->id;
	a->result = res;
	a->flags = flags;
	a->len = len;
	if (flags & RB_ANS_FD)
		a->arg = q->a; /* FMAP: the page at the asked offset; others ignore it */
	if (flags & RB_ANS_FWD)
		a->arg = fwd;
	return rb_write(SRV_FD, ans, wlen ? wlen : sizeof *a + len);
}

/* About one answer in forty is malformed; its write must fail. False if the kernel took it. */
static bool srv_bad(char *ans, const struct rb_req *q)
{
	long r;
	switch (rb_rand_below(&srv_rng, 3)) {
	case 0: /* a header promising more than the write holds */
		r = srv_reply(ans, q, 0, 0, 8, sizeof(struct rb_ans) + 4, 0);
		break;
	case 1: /* more payload than any request asked for */
		r = srv_reply(ans, q, 0, 0, RB_SCHEME_MAX_IO, 0, 0);
		break;
	default: /* an fd no table can have */
		r = srv_reply(ans, q, 100000, RB_ANS_FD, 0, 0, 0);
		break;
	}
	/* EINVAL/EBADF; or accepted if the caller gave up first (a signal) */
	return r == -E_INVAL || r == -E_BADF || r >= 0;
}

/*
 * A file to forward a new handle's PREAD and PWRITE to (RB_ANS_FWD): the
 * read end of a fresh pipe (ESPIPE), or the file of a client slot, which
 * is a handle of this scheme (answered by us, maybe by an older instance
 * that died: the forward is then dropped) or, the fd case permitting,
 * anything. An fd that the kernel takes out of our table, or -1.
 */
static int srv_forward(void)
{
	if (rb_rand_below(&srv_rng, 2)) {
		int p[2];
		if (rb_pipe(p, 0) < 0)
			return -1;
		rb_close(p[1]);
		return p[0];
	}
	return rb_dup(CLIENT_FD + (int)rb_rand_below(&srv_rng, NCLIENT));
}

static void srv_answer(char *ans, const struct rb_req *q)
{
	char *pay = ans + sizeof(struct rb_ans);
	struct rb_stat st = {.size = 1000, .mode = RB_S_IFREG};
	long long res = 0;
	unsigned len = 0, flags = 0;
	int fwd = -1;
	switch (q->op) {
	case RB_SOP_OPEN:
	case RB_SOP_DUP:
		res = 1 + (long long)rb_rand_below(&srv_rng, 1000);
		if (rb_rand_below(&srv_rng, 4) == 0)
			fwd = srv_forward();
		flags = fwd >= 0 ? RB_ANS_FWD : 0;
		break;
	case RB_SOP_READ:
	case RB_SOP_PREAD:
		len = (unsigned)(q->a < MAX_IO ? q->a : MAX_IO);
		memset(pay, (int)(q->a & 0xff), len);
		res = len;
		break;
	case RB_SOP_WRITE:
	case RB_SOP_PWRITE: /* all of it half the time: a cut WRITE then goes on */
		res = rb_rand_below(&srv_rng, 2)
			  ? (long long)q->len
			  : (long long)rb_rand_below(&srv_rng, q->len + 1ull);
		break;
	case RB_SOP_SEEK:
		res = (long long)(q->a & 0xffff);
		break;
	case RB_SOP_FSTAT:
		memcpy(pay, &st, sizeof st);
		len = sizeof st;
		break;
	case RB_SOP_SENDFD:
		res = rb_close((int)q->a) == 0 ? 7 : -E_BADF;
		break;
	case RB_SOP_RECVFD:
		res = rb_open("initfs:/etc/motd", RB_O_RDONLY);
		flags = res >= 0 ? RB_ANS_FD : 0;
		break;
	case RB_SOP_GETDENTS:
		res = -E_NOTDIR;
		break;
	case RB_SOP_FMAP:
		res = q->a % PAGE == 0 && q->a < SHM_PAGES * PAGE ? SHM_FD : -E_INVAL;
		flags = res >= 0 ? RB_ANS_FD : 0;
		break;
	default:
		res = -E_INVAL;
	}
	/* Even an answer whose caller gave up is taken. Not so one handing over an
	   fd (RECVFD) that another case of this worker closed or replaced between
	   our open and the answer (the fd case closes random low fds): EBADF.
	   SHM_FD is never free, and only this thread replaces it. */
	long w = srv_reply(ans, q, res, flags, len, 0, (unsigned)fwd);
	if (w == -E_INVAL && fwd >= 0)
		rb_close(fwd); /* refused before the kernel took it: still ours */
	/* A forward's fd may be closed under us too (EBADF), and a client slot's file may
	   forward itself, which the kernel refuses (EINVAL): the caller then gets EIO. */
	if (w < 0 && !(flags & RB_ANS_FWD) && (!(flags & RB_ANS_FD) || q->op == RB_SOP_FMAP)) {
		rb_snprintf(bad_why, sizeof bad_why, "%ld for op %u id %llu result %lld", w, q->op,
			    q->id, res);
		__atomic_store_n(&bad_ok, -1, __ATOMIC_RELEASE);
	}
}

static int srv_main(void *arg)
{
	char *mem = rb_mmap(NULL, 2 * REQ_BUF, RB_PROT_READ | RB_PROT_WRITE, 0);
	if (RB_IS_ERR(mem))
		return 1;
	char *ans = mem + REQ_BUF;
	while (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) {
		if (__atomic_exchange_n(&restart, 0, __ATOMIC_ACQ_REL)) {
			/* Its shm: file goes, mapped or not. SRV_FD is never free
			   (srv_register), so no other case's new fd lands there. */
			bool first = true;
			srv_step = "register";
			while (srv_register(first, first) < 0 &&
			       !__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) {
				first = false;
				rb_sched_yield();
			}
			continue; /* stopping is looked at before the read: SRV_FD may be the
				     console */
		}
		srv_step = "read";
		/* a short read now and then: a WRITE's data is cut to it */
		size_t room = rb_rand_below(&srv_rng, 2)
				  ? REQ_BUF
				  : RB_REQ_MIN_BUF + rb_rand_below(&srv_rng, MAX_WRITE);
		long n = rb_read(SRV_FD, mem, room);
		srv_step = "answer";
		if (n < (long)sizeof(struct rb_req))
			continue; /* EINTR from the signal case, EBADF in a restart */
		const struct rb_req *q = (const struct rb_req *)mem;
		if (q->op == RB_SOP_CLOSE || q->op == RB_SOP_CANCEL)
			continue;
		srv_delay();
		if (q->op != RB_SOP_OPEN && rb_rand_below(&srv_rng, 40) == 0) {
			if (!srv_bad(ans, q))
				__atomic_store_n(&bad_ok, -2, __ATOMIC_RELAXED);
			continue;
		}
		srv_answer(ans, q);
	}
	srv_step = "stopped";
	return 0;
}

/* For the late report (the worker ends next): whether the name is still registered is
   learnt by registering it, which no blocking call does. */
void kst_uscheme_state(char *buf, size_t n)
{
	int fd = rb_scheme_create(name, 0);
	if (fd >= 0)
		rb_close(fd);
	rb_snprintf(buf, n, "server %d %s, restart %d, fd lock users %d%s, name %s", srv_tid,
		    srv_step, __atomic_load_n(&restart, __ATOMIC_RELAXED),
		    __atomic_load_n(&fds.users, __ATOMIC_RELAXED),
		    __atomic_load_n(&fds.registering, __ATOMIC_RELAXED) ? " +alone" : "",
		    fd >= 0	     ? "free"
		    : fd == -E_EXIST ? "taken"
				     : err_name(fd));
}

void kst_uscheme_init(struct kst_worker *w)
{
	rb_snprintf(name, sizeof name, "stress-us%d", rb_getpid());
	rb_snprintf(path, sizeof path, "%s:f", name);
	rb_rand_seed(&srv_rng, rb_rand_derive(w->seed, (uint64_t)w->idx, 0x5c));
	shm_ok = shm_make() == 0;
	if (srv_register(false, false) == 0)
		srv_tid = rb_thread_create(srv_main, w);
}

void kst_uscheme_fini(struct kst_worker *w)
{
	__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
	for (int fd = CLIENT_FD; fd < SRV_FD; fd++)
		rb_close(fd);
	if (srv_tid > 0) {
		int fd =
		    rb_open(path, RB_O_RDONLY); /* wakes the server thread, which sees stopping */
		if (fd >= 0)
			rb_close(fd);
		rb_thread_join(srv_tid, NULL);
	}
	rb_close(SRV_FD);
	rb_close(SHM_FD);
	for (int i = 0; i < KST_MAX_THREADS; i++)
		if (maps[i].map)
			rb_munmap((void *)maps[i].map, maps[i].pages * PAGE);
}

/* Does slot fd hold one of our files now? (F_DUPFD in the fd case may, rarely, reach a slot.) */
static bool is_mine(int fd)
{
	char p[48];
	size_t n = strlen(name);
	long r = rb_fpath(fd, p, sizeof p);
	return r > (long)n && memcmp(p, name, n) == 0 && p[n] == ':';
}

/* Errors any call on a client slot may give here. */
static bool allowed(long r)
{
	return r >= 0 || r == -E_BADF || r == -E_IO || r == -E_PIPE || r == -E_NODEV ||
	       r == -E_SPIPE /* a PREAD or PWRITE forwarded to a pipe */ || r == -E_INTR ||
	       r == -E_AGAIN || r == -E_MFILE || r == -E_NOENT;
}

static int check_read(struct kst_thread *t, int fd)
{
	size_t len = 1 + kst_rand(t, MAX_IO);
	uint8_t *buf = io_buf[t->idx];
	bool at = kst_rand(t, 2);
	long r = at ? rb_pread(fd, buf, len, kst_rand(t, 1u << 30)) : rb_read(fd, buf, len);
	long bad = !allowed(r) || r > (long)len ? 0 : -1;
	/* A READ is the server's, whose bytes we know; a PREAD may go to a forward (srv_forward),
	   whose bytes are whatever that file holds. */
	for (long i = 0; bad < 0 && !at && i < r; i++)
		if (buf[i] != (len & 0xff))
			bad = i;
	if (bad >= 0 && is_mine(fd))
		return kst_fail(t, KST_USCHEME, "read(%d, %zu): %ld, byte %ld is %u", fd, len, r,
				bad, buf[bad]);
	return 0;
}

int kst_uscheme_read_racing(struct kst_thread *t, void *buf)
{
	if (!(t->w->cases & (1u << KST_USCHEME)))
		return 0;
	int fd = CLIENT_FD + (int)kst_rand(t, NCLIENT);
	long r = rb_read(fd, buf, MAX_IO); /* as big as the server answers: a direct answer */
	if (allowed(r) || r == -E_FAULT || !is_mine(fd))
		return 0;
	return kst_fail(t, KST_USCHEME, "read(%d) into a racing mapping: %ld", fd, r);
}

/* The first byte of m that is not the pattern, or -1. */
static long first_bad(const struct fmapping *m)
{
	for (size_t i = 0; i < m->pages * PAGE; i++)
		if (m->map[i] != shm_byte(m->off * PAGE + i))
			return (long)i;
	return -1;
}

/* Map part of the server's shm: file through client slot fd into m, check it, keep it. */
static int fmap_map(struct kst_thread *t, struct fmapping *m, int fd)
{
	size_t off = kst_rand(t, SHM_PAGES), pages = 1 + kst_rand(t, SHM_PAGES - off);
	int prot = kst_rand(t, 2) ? RB_PROT_READ : RB_PROT_READ | RB_PROT_WRITE;
	t->step = "fmap: space lock"; /* the fd lock is held: SHM_FD stays the server's file */
	kst_mm_exclusive_begin();
	t->step = "fmap: mmap";
	void *p = rb_mmap_fd(NULL, pages * PAGE, prot, 0, fd, off * PAGE);
	t->step = "fmap: check";
	kst_mm_exclusive_end();
	long r = RB_IS_ERR(p) ? (long)p : 0, trunc = 0, bad = -1;
	if (r == 0) {
		*m = (struct fmapping){.map = p, .off = off, .pages = pages};
		bad = first_bad(m);
		if (bad < 0)
			trunc = rb_ftruncate(SHM_FD, 0);
	}
	if (r < 0) {
		m->map = NULL;
		if (allowed(r) || r == -E_NOMEM || !is_mine(fd))
			return 0;
		return kst_fail(t, KST_USCHEME, "fmap: mmap of fd %d at page %zu: %ld", fd, off, r);
	}
	if (bad >= 0 && !is_mine(fd)) { /* another case's file reached the slot: not ours */
		rb_munmap(p, pages * PAGE);
		m->map = NULL;
		return 0;
	}
	if (bad >= 0)
		return kst_fail(t, KST_USCHEME, "fmap: byte %ld of a new mapping at page %zu is %u",
				bad, off, m->map[bad]);
	if (trunc != -E_BUSY)
		return kst_fail(t, KST_USCHEME, "fmap: the server shrank its mapped shm: %ld",
				trunc);
	if (prot & RB_PROT_WRITE)
		m->map[0] = shm_byte(off * PAGE); /* the same byte: others check it */
	return 0;
}

/* Check the mapping m holds (the server may have died, restarted and closed its shm: file
   meanwhile) and unmap it. */
static int fmap_unmap(struct kst_thread *t, struct fmapping *m)
{
	long bad = first_bad(m);
	if (bad >= 0)
		return kst_fail(t, KST_USCHEME,
				"fmap: byte %ld of a kept mapping at page %zu is %u", bad, m->off,
				m->map[bad]);
	int r = rb_munmap((void *)m->map, m->pages * PAGE);
	m->map = NULL;
	if (r < 0)
		return kst_fail(t, KST_USCHEME, "fmap: munmap: %d", r);
	return 0;
}

static int uscheme_op(struct kst_thread *t);

/* A client slot may be free (closed) and so the lowest free fd, where a registration's new
   server fd or a service case's new file sits for a moment: the fd lock (kstress.h). */
int kst_uscheme_op(struct kst_thread *t)
{
	if (srv_tid <= 0)
		return 1; /* no server: nothing to do here */
	kst_fds_share();
	int r = uscheme_op(t);
	kst_fds_unshare();
	return r;
}

static int uscheme_op(struct kst_thread *t)
{
	int fd = CLIENT_FD + (int)kst_rand(t, NCLIENT);
	struct rb_stat st;
	long r;
	struct fmapping *m = &maps[t->idx];
	switch (kst_rand(t, 14)) {
	case 0:
	case 1:
		t->step = "open";
		r = rb_open(path, RB_O_RDWR);
		if (r >= 0) {
			long d = rb_dup2((int)r, fd);
			rb_close((int)r);
			r = d;
		}
		break;
	case 2:
		t->step = "close";
		r = rb_close(fd);
		break;
	case 3:
	case 4:
		t->step = "read";
		return check_read(t, fd);
	case 5: {
		t->step = "write";
		size_t len = 1 + kst_rand(t, MAX_WRITE);
		r = kst_rand(t, 2) ? rb_write(fd, io_buf[t->idx], len)
				   : rb_pwrite(fd, io_buf[t->idx], len, kst_rand(t, 1u << 30));
		if (r > (long)len)
			return kst_fail(t, KST_USCHEME, "write took %ld of %zu", r, len);
		break;
	}
	case 6:
		t->step = "seek";
		r = rb_lseek(fd, (long)kst_rand(t, 100000), RB_SEEK_SET);
		break;
	case 7:
		t->step = "fstat";
		r = rb_fstat(fd, &st);
		if (r == 0 && st.size != 1000 && is_mine(fd))
			return kst_fail(t, KST_USCHEME, "fstat size %llu", st.size);
		break;
	case 8:
		t->step = "dup";
		r = rb_dup_handle(fd, "sub");
		if (r >= 0)
			rb_close((int)r);
		break;
	case 9:
		t->step = "sendfd";
		r = rb_sendfd(fd, 0, 0);
		if (r >= 0 && r != 7)
			return kst_fail(t, KST_USCHEME, "sendfd answered %ld", r);
		break;
	case 10:
		t->step = "recvfd";
		r = rb_recvfd(fd, 0);
		if (r >= 0)
			rb_close((int)r);
		break;
	case 11:
	case 12:
		if (!shm_ok)
			return 0;
		t->step = "fmap";
		return m->map ? fmap_unmap(t, m) : fmap_map(t, m, fd);
	default:
		if (kst_rand(t, 20) == 0)
			__atomic_store_n(&restart, 1, __ATOMIC_RELEASE);
		r = 0;
	}
	if (!allowed(r) && is_mine(fd))
		return kst_fail(t, KST_USCHEME, "op on fd %d: %ld", fd, r);
	int b = __atomic_exchange_n(&bad_ok, 0, __ATOMIC_ACQUIRE);
	if (b)
		return kst_fail(t, KST_USCHEME, "server: %s%s",
				b == -2 ? "a malformed answer was taken"
					: "a good answer was refused: ",
				b == -2 ? "" : bad_why);
	return 0;
}
