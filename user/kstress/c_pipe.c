/*
 * c_pipe.c - the "pipe" case: pipes, poll and event: files shared by the
 * threads of a worker and a child.
 *
 * Threads create non-blocking pipes into a few shared slots and read,
 * write, close, fstat and poll random slot ends while others replace
 * them, so a pipe end is closed under a read, a write or a poll on
 * another CPU; one shared event file watches random slot ends and is read
 * and replaced the same way. A thread may also hand a fresh pipe's write
 * end to a child ("kchild pipew"), SIGKILL it at random, and read to end
 * of file. Every call must give a result or a documented error (EAGAIN,
 * EPIPE, EBADF, EINTR from the signal case, ...; others when the fd case
 * has put another file at that number), poll's count must match its
 * revents, and revents must stay within the asked bits plus ERR, HUP and
 * NVAL. Without the fd and sys cases (which close and dup random fds)
 * the private checks are strict: bytes written come back unchanged, and a
 * child's pipe reaches EOF once the child is reaped. Nothing blocks
 * without a timeout of at most 2 ms, so a round always ends; chaos kills
 * workers inside these calls, and the supervisor's leak check then finds
 * every pipe, poll entry and watch freed. SIGPIPE is ignored (init).
 *
 * Ownership: slot and efd hold fds of the worker's table, read and
 * swapped with atomics; the fds themselves are the kernel's business (a
 * stale number is part of the race).
 */
#include <string.h>
#include "kstress.h"
#include "rb/signal.h"
#include "rb/sys.h"

#define NSLOT 4
#define MAX_KIDS 3
#define TICK_NS (2 * 1000 * 1000)

static int slot[NSLOT][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}};
static int efd = -1;
static int kids;

void kst_pipe_init(struct kst_worker *w)
{
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	rb_sigaction(RB_SIGPIPE, &ign, NULL);
}

void kst_pipe_fini(struct kst_worker *w)
{
	for (int i = 0; i < NSLOT; i++)
		for (int e = 0; e < 2; e++) {
			int fd = __atomic_exchange_n(&slot[i][e], -1, __ATOMIC_ACQ_REL);
			if (fd >= 0)
				rb_close(fd);
		}
	int fd = __atomic_exchange_n(&efd, -1, __ATOMIC_ACQ_REL);
	if (fd >= 0)
		rb_close(fd);
}

/* Whether other cases close and dup random fds (then results are only loosely checked). */
static bool fds_shared(const struct kst_thread *t)
{
	return t->w->cases & ((1u << KST_FD) | (1u << KST_SYS));
}

/* Whether other cases may signal the child or close its reader (SIGPIPE). */
static bool others_kill(const struct kst_thread *t)
{
	return fds_shared(t) || (t->w->cases & (1u << KST_SIGNAL));
}

static bool is_err(long r, const long *ok, int n)
{
	for (int i = 0; i < n; i++)
		if (r == ok[i])
			return true;
	return false;
}

/* Errors any call on a slot fd may give: it was closed or replaced by another file
   (an event file takes the bytes as records: ENOENT, ENOSPC, ENOMEM; a file of the
   uscheme case's server, whose answers are sometimes malformed or late: EIO, ENODEV). */
static const long io_errs[] = {-E_AGAIN, -E_PIPE,  -E_BADF,  -E_INTR,  -E_ISDIR, -E_ACCES, -E_INVAL,
			       -E_NOSYS, -E_NOENT, -E_NOSPC, -E_NOMEM, -E_IO,	 -E_NODEV};
#define IO_ERRS ((int)(sizeof io_errs / sizeof io_errs[0]))

static int slot_fd(struct kst_thread *t)
{
	return __atomic_load_n(&slot[kst_rand(t, NSLOT)][kst_rand(t, 2)], __ATOMIC_ACQUIRE);
}

/*
 * Move fd above the numbers other cases dup2 onto (the shm case's slots
 * 40..43, the uscheme case's 48..63): pipe() gives the lowest free fd,
 * which may be one of them, and a dup2 there would swap our pipe end for
 * their file. fd itself, or a new fd >= 64 (fd closed), or fd when the
 * move fails (EMFILE: the fd stays, the window is only narrower).
 */
static int out_of_reserved(int fd)
{
	if (fd < KST_SHM_FD || fd > KST_USCHEME_SRV_FD)
		return fd;
	int moved = (int)rb_fcntl(fd, 0 /* F_DUPFD */, KST_USCHEME_SRV_FD + 1);
	if (moved < 0)
		return fd;
	rb_close(fd);
	return moved;
}

/* A nonblocking pipe with both ends out of the reserved numbers. Under the
   shared fd lock: the uscheme server's registration (alone,
   kst_fds_exclusive_begin) moves its new server fd from the lowest free
   number to 63; when 63 was closed for that (as it once was), a pipe end
   landing there was replaced by the server fd, which this case then closed
   (the server's answer got EBADF). */
static long new_pipe(int fds[2])
{
	long r = rb_pipe(fds, RB_O_NONBLOCK);
	if (r == 0) {
		fds[0] = out_of_reserved(fds[0]);
		fds[1] = out_of_reserved(fds[1]);
	}
	return r;
}

static int op_replace(struct kst_thread *t)
{
	int fds[2], i = (int)kst_rand(t, NSLOT);
	long r = new_pipe(fds);
	if (r == -E_MFILE || r == -E_NOMEM)
		return 0;
	if (r != 0)
		return kst_fail(t, KST_PIPE, "pipe: %ld", r);
	for (int e = 0; e < 2; e++) {
		int old = __atomic_exchange_n(&slot[i][e], fds[e], __ATOMIC_ACQ_REL);
		if (old >= 0)
			rb_close(old);
	}
	return 0;
}

static int op_io(struct kst_thread *t)
{
	char buf[512];
	int fd = slot_fd(t);
	size_t len = 1 + kst_rand(t, sizeof buf);
	long r = kst_rand(t, 2) ? rb_write(fd, buf, len) : rb_read(fd, buf, len);
	if (r < 0 && !is_err(r, io_errs, IO_ERRS))
		return kst_fail(t, KST_PIPE, "read/write(%d, %zu): %ld", fd, len, r);
	if (r > (long)len)
		return kst_fail(t, KST_PIPE, "read/write(%d, %zu) gave %ld", fd, len, r);
	return 0;
}

static int op_close(struct kst_thread *t)
{
	int i = (int)kst_rand(t, NSLOT), e = (int)kst_rand(t, 2);
	int fd = __atomic_exchange_n(&slot[i][e], -1, __ATOMIC_ACQ_REL);
	long r = fd >= 0 ? rb_close(fd) : 0;
	if (r != 0 && r != -E_BADF)
		return kst_fail(t, KST_PIPE, "close(%d): %ld", fd, r);
	return 0;
}

static int op_poll(struct kst_thread *t)
{
	struct rb_pollfd p[4];
	int n = 1 + (int)kst_rand(t, 4), ready = 0;
	for (int i = 0; i < n; i++)
		p[i] = (struct rb_pollfd){slot_fd(t), (short)(1 + kst_rand(t, 7)), 0};
	long r = rb_poll(p, (size_t)n, (int64_t)kst_rand(t, TICK_NS));
	if (r == -E_INTR)
		return 0;
	if (r < 0)
		return kst_fail(t, KST_PIPE, "poll(%d entries): %ld", n, r);
	for (int i = 0; i < n; i++) {
		unsigned allowed =
		    (unsigned short)p[i].events | RB_POLLERR | RB_POLLHUP | RB_POLLNVAL;
		if ((unsigned short)p[i].revents & ~allowed)
			return kst_fail(t, KST_PIPE, "poll: revents %#x for events %#x",
					p[i].revents, p[i].events);
		ready += p[i].revents != 0;
	}
	if (r != ready)
		return kst_fail(t, KST_PIPE, "poll gave %ld, %d entries have revents", r, ready);
	return 0;
}

static int op_event(struct kst_thread *t)
{
	int fd = __atomic_load_n(&efd, __ATOMIC_ACQUIRE);
	if (fd < 0 || kst_rand(t, 16) == 0) {
		int nfd = rb_open("event:", RB_O_RDWR | RB_O_NONBLOCK);
		if (nfd < 0)
			return nfd == -E_MFILE || nfd == -E_NOMEM
				   ? 0
				   : kst_fail(t, KST_PIPE, "open event: %d", nfd);
		int old = __atomic_exchange_n(&efd, nfd, __ATOMIC_ACQ_REL);
		if (old >= 0)
			rb_close(old);
		return 0;
	}
	struct rb_event ev[4];
	long r;
	if (kst_rand(t, 2)) {
		ev[0] = (struct rb_event){kst_rand(t, 1000), slot_fd(t), (unsigned)kst_rand(t, 6)};
		r = rb_write(fd, ev, sizeof ev[0]);
		static const long errs[] = {-E_BADF,  -E_NOENT, -E_NOSPC,
					    -E_INVAL, -E_NOMEM, -E_ACCES};
		if (r < 0 && !is_err(r, errs, 6) && !is_err(r, io_errs, IO_ERRS))
			return kst_fail(t, KST_PIPE, "event write(%d): %ld", fd, r);
		return 0;
	}
	r = rb_read(fd, ev, sizeof ev);
	if (r < 0 && !is_err(r, io_errs, IO_ERRS))
		return kst_fail(t, KST_PIPE, "event read(%d): %ld", fd, r);
	if (r > 0 && !fds_shared(t) && r % (long)sizeof ev[0] != 0)
		return kst_fail(t, KST_PIPE, "event read(%d) gave %ld bytes", fd, r);
	return 0;
}

/* Write and read back through a private pipe: the bytes must come back. */
static int op_roundtrip(struct kst_thread *t)
{
	char out[300], in[300];
	int fds[2];
	long r = new_pipe(fds);
	if (r < 0)
		return r == -E_MFILE || r == -E_NOMEM ? 0 : kst_fail(t, KST_PIPE, "pipe: %ld", r);
	size_t len = 1 + kst_rand(t, sizeof out);
	for (size_t i = 0; i < len; i++)
		out[i] = (char)kst_rand(t, 256);
	long w = rb_write(fds[1], out, len);
	long g = rb_read(fds[0], in, sizeof in);
	rb_close(fds[0]);
	rb_close(fds[1]);
	if (fds_shared(t))
		return 0;
	if (w != (long)len || g != (long)len || memcmp(in, out, len) != 0)
		return kst_fail(t, KST_PIPE, "roundtrip of %zu bytes: wrote %ld, read %ld", len, w,
				g);
	return 0;
}

/* Read fd to EOF with short polls: 0 at EOF, 1 if it never came, or an error. */
static long drain(int fd)
{
	char buf[64];
	for (int tries = 0; tries < 2000; tries++) {
		long r = rb_read(fd, buf, sizeof buf);
		if (r == 0 || (r < 0 && r != -E_AGAIN && r != -E_INTR))
			return r;
		if (r < 0) {
			struct rb_pollfd p = {fd, RB_POLLIN, 0};
			rb_poll(&p, 1, TICK_NS);
		}
	}
	return 1;
}

static int op_child(struct kst_thread *t)
{
	static char *const argv[] = {"kchild", "pipew", NULL};
	if (__atomic_add_fetch(&kids, 1, __ATOMIC_SEQ_CST) > MAX_KIDS) {
		__atomic_sub_fetch(&kids, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	int fds[2], r = 0, status = -1;
	long pr = new_pipe(fds);
	if (pr < 0) {
		if (pr != -E_MFILE && pr != -E_NOMEM)
			r = kst_fail(t, KST_PIPE, "pipe: %ld", pr);
		goto out;
	}
	int map[] = {-1, fds[1], 2};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, map, 3);
	rb_close(fds[1]);
	if (pid < 0) {
		rb_close(fds[0]);
		if (pid != -E_AGAIN && pid != -E_NOMEM && pid != -E_BADF)
			r = kst_fail(t, KST_PIPE, "spawn kchild pipew: %d", pid);
		goto out;
	}
	if (kst_rand(t, 3) == 0)
		rb_kill(pid, RB_SIGKILL);
	int wr;
	do /* a handled signal (the signal case) ends the wait with EINTR */
		wr = rb_waitpid(pid, &status, 0);
	while (wr == -E_INTR);
	long end = drain(fds[0]);
	rb_close(fds[0]);
	if (wr != pid)
		r = kst_fail(t, KST_PIPE, "waitpid(%d): %d", pid, wr);
	else if (status != 0 && status != 128 + RB_SIGKILL && !(others_kill(t) && status > 128))
		r = kst_fail(t, KST_PIPE, "kchild pipew: status %d", status);
	else if (!fds_shared(t) && end != 0)
		r = kst_fail(t, KST_PIPE, "no EOF after the child writer died: %ld", end);
out:
	__atomic_sub_fetch(&kids, 1, __ATOMIC_SEQ_CST);
	return r;
}

/* Slot numbers go stale (the fd and sys cases close random fds): the fd lock (kstress.h). */
static int pipe_op(struct kst_thread *t);

int kst_pipe_op(struct kst_thread *t)
{
	kst_fds_share();
	int r = pipe_op(t);
	kst_fds_unshare();
	return r;
}

static int pipe_op(struct kst_thread *t)
{
	switch (kst_rand(t, 10)) {
	case 0:
		return op_replace(t);
	case 1:
	case 2:
	case 3:
		return op_io(t);
	case 4:
		return op_close(t);
	case 5:
	case 6:
		return op_poll(t);
	case 7:
		return op_event(t);
	case 8:
		return op_roundtrip(t);
	default:
		return kst_rand(t, 4) == 0 ? op_child(t) : op_roundtrip(t);
	}
}
