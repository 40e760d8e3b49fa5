/*
 * pipe.c - pipes (docs/ipc.md "Pipes"): an unregistered stream scheme
 * whose files come in pairs from pipe_create, a read end (RB_O_RDONLY)
 * and a write end (RB_O_WRONLY), both pointing at one struct pipe.
 *
 * The ring holds PIPE_SIZE bytes. Reads block while it is empty and a
 * writer is left, and return 0 once none is; writes block while it is
 * full, and a write of at most PIPE_BUF bytes waits until all of it fits,
 * so it is never interleaved with another; a write with no reader left
 * fails with EPIPE and sends the caller SIGPIPE. RB_O_NONBLOCK turns each
 * wait into EAGAIN (or the bytes done so far).
 *
 * Ownership and locking: a struct pipe is owned by its two ends together:
 * readers and writers count the open files of each end (each struct file
 * is reference counted by the file layer; its last file_put runs
 * pipe_close), and the last close of the last end frees the pipe. lock,
 * a sleeping kmutex, guards the ring (head, count, bytes) and both counts;
 * user memory is copied to and from the ring under it (it may fault and
 * sleep; no spinlock is held). wq is woken after every change of the ring
 * or of a count (close wakes it under lock, since the other end's close
 * may free the pipe as soon as lock is released). Lock order: lock, then
 * wq's spinlock. Waiters look under lock and sleep with poll_wait_change.
 */
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/poll.h"
#include "scheme/scheme.h"
#include "sync/kmutex.h"
#include "sync/waitq.h"
#include "syscall/syscall.h"

#define PIPE_SIZE (64 * 1024)
#define PIPE_BUF 4096 /* writes up to this size are atomic */
#define S_IFIFO 0x1000

struct pipe {
	struct kmutex lock;
	struct waitq wq;
	uint8_t *ring; /* PIPE_SIZE bytes */
	size_t head;   /* index of the oldest byte */
	size_t count;  /* bytes buffered */
	int readers;   /* open read-end files */
	int writers;   /* open write-end files */
};

static const struct scheme_ops pipe_ops;
static struct scheme pipe_scheme = {
    .name = "pipe",
    .ops = &pipe_ops,
    .flags = SCHEME_STREAM,
    .refs = 1, /* never registered: this reference is never dropped */
};

static bool is_reader(struct file *f)
{
	return (f->flags & RB_O_ACCMODE) == RB_O_RDONLY;
}

static bool nonblock(struct file *f)
{
	return f->flags & RB_O_NONBLOCK;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Move up to len buffered bytes to ubuf: bytes, or -E_FAULT if none could be. Lock held. */
static long ring_to_user(struct pipe *p, uint64_t ubuf, size_t len)
{
	size_t n = min_size(len, p->count), done = 0;
	while (done < n) {
		size_t chunk = min_size(n - done, PIPE_SIZE - p->head);
		if (copy_to_user(ubuf + done, p->ring + p->head, chunk) < 0)
			break;
		p->head = (p->head + chunk) % PIPE_SIZE;
		p->count -= chunk;
		done += chunk;
	}
	return done ? (long)done : -E_FAULT;
}

/* Append len bytes (they fit) from ubuf: bytes, or -E_FAULT if none could be. Lock held. */
static long ring_from_user(struct pipe *p, uint64_t ubuf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		size_t tail = (p->head + p->count) % PIPE_SIZE;
		size_t chunk = min_size(len - done, PIPE_SIZE - tail);
		if (copy_from_user(p->ring + tail, ubuf + done, chunk) < 0)
			break;
		p->count += chunk;
		done += chunk;
	}
	return done ? (long)done : -E_FAULT;
}

static long pipe_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct pipe *p = f->priv;
	if (!is_reader(f))
		return -E_BADF;
	if (len == 0)
		return 0;
	struct waitq_entry e;
	waitq_entry_init_thread(&e);
	long r;
	for (;;) {
		kmutex_lock(&p->lock);
		if (p->count) {
			r = ring_to_user(p, ubuf, len);
			kmutex_unlock(&p->lock);
			waitq_wake(&p->wq); /* space for writers */
			break;
		}
		bool eof = p->writers == 0;
		kmutex_unlock(&p->lock);
		r = eof ? 0 : nonblock(f) ? -E_AGAIN : poll_wait_change(&p->wq, &e);
		if (eof || r < 0)
			break;
	}
	waitq_remove(&e);
	return r;
}

/* Bytes a write of want more bytes needs free before it copies: all of an atomic one. */
static size_t need_free(size_t len, size_t want)
{
	return len <= PIPE_BUF ? want : 1;
}

static long pipe_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct pipe *p = f->priv;
	if (is_reader(f))
		return -E_BADF;
	struct waitq_entry e;
	waitq_entry_init_thread(&e);
	size_t done = 0;
	long r = 0;
	while (done < len) {
		kmutex_lock(&p->lock);
		if (p->readers == 0) {
			kmutex_unlock(&p->lock);
			(void)proc_kill(proc_current()->pid, RB_SIGPIPE);
			r = -E_PIPE;
			break;
		}
		size_t space = PIPE_SIZE - p->count;
		if (space >= need_free(len, len - done)) {
			r = ring_from_user(p, ubuf + done, min_size(space, len - done));
			kmutex_unlock(&p->lock);
			waitq_wake(&p->wq); /* data for readers */
			if (r < 0)
				break;
			done += (size_t)r;
			continue;
		}
		kmutex_unlock(&p->lock);
		r = nonblock(f) ? -E_AGAIN : poll_wait_change(&p->wq, &e);
		if (r < 0)
			break;
	}
	waitq_remove(&e);
	return done ? (long)done : r;
}

static int pipe_close(struct file *f)
{
	struct pipe *p = f->priv;
	kmutex_lock(&p->lock);
	if (is_reader(f))
		p->readers--;
	else
		p->writers--;
	bool last = p->readers == 0 && p->writers == 0;
	waitq_wake(&p->wq); /* EOF for readers, EPIPE for writers */
	kmutex_unlock(&p->lock);
	if (last) {
		kfree(p->ring);
		kfree(p);
	}
	return 0;
}

static int pipe_fstat(struct file *f, struct rb_stat *st)
{
	struct pipe *p = f->priv;
	kmutex_lock(&p->lock);
	st->size = p->count;
	kmutex_unlock(&p->lock);
	st->mode = S_IFIFO;
	return 0;
}

static unsigned pipe_poll(struct file *f, struct waitq_entry *w)
{
	struct pipe *p = f->priv;
	if (w)
		waitq_add(&p->wq, w); /* before the look: a later change fires w */
	unsigned bits = 0;
	kmutex_lock(&p->lock);
	if (is_reader(f)) {
		if (p->count)
			bits |= RB_POLLIN;
		if (p->writers == 0)
			bits |= RB_POLLIN | RB_POLLHUP;
	} else {
		if (p->count < PIPE_SIZE)
			bits |= RB_POLLOUT;
		if (p->readers == 0)
			bits |= RB_POLLOUT | RB_POLLERR;
	}
	kmutex_unlock(&p->lock);
	return bits;
}

static long pipe_fpath(struct file *f, char *buf, size_t len)
{
	return -E_NOSYS; /* no name: only pipe() makes them */
}

static const struct scheme_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .close = pipe_close,
    .fstat = pipe_fstat,
    .poll = pipe_poll,
    .fpath = pipe_fpath,
};

int pipe_create(int flags, struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof *p);
	if (!p)
		return -E_NOMEM;
	p->ring = kmalloc(PIPE_SIZE);
	if (!p->ring)
		goto out_pipe;
	kmutex_init(&p->lock);
	waitq_init(&p->wq);
	p->readers = p->writers = 1;
	int err = file_new(&pipe_scheme, RB_O_RDONLY | (flags & RB_O_NONBLOCK), p, rd);
	if (err < 0)
		goto out_ring;
	err = file_new(&pipe_scheme, RB_O_WRONLY | (flags & RB_O_NONBLOCK), p, wr);
	if (err < 0)
		goto out_rd;
	return 0;
out_rd:
	file_put(*rd); /* a writer is still counted: its close did not free the pipe */
out_ring:
	kfree(p->ring);
	kfree(p);
	return err;
out_pipe:
	kfree(p);
	return -E_NOMEM;
}

/* Put f in the caller's table: the fd, or -E_* with f dropped. */
static int install(struct file *f)
{
	int fd = fdt_install(&proc_current()->fdt, f, 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* Close fd of the caller again (another thread may have closed it already). */
static void uninstall(int fd)
{
	int err = fdt_close(&proc_current()->fdt, fd);
	(void)err;
}

/*
 * SYS_PIPE. The two fds are installed one after the other; if the second
 * install or the copy-out fails, the first fd is closed again (a thread of
 * the caller that reuses that fd in between is a race the caller made).
 */
long sys_pipe(uint64_t ufds, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (flags & ~(uint64_t)RB_O_NONBLOCK)
		return -E_INVAL;
	int fds[2];
	if (!user_range_ok(ufds, sizeof fds))
		return -E_FAULT;
	struct file *rd, *wr;
	int err = pipe_create((int)flags, &rd, &wr);
	if (err < 0)
		return err;
	fds[0] = install(rd);
	if (fds[0] < 0) {
		file_put(wr);
		return fds[0];
	}
	fds[1] = install(wr);
	if (fds[1] < 0) {
		uninstall(fds[0]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof fds) < 0) {
		uninstall(fds[0]);
		uninstall(fds[1]);
		return -E_FAULT;
	}
	return 0;
}
