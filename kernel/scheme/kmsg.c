/*
 * kmsg.c - the kmsg: scheme: the kernel log ring (core/log.c) as a
 * read-only file anyone may open (the log holds nothing secret; say so in
 * docs/ipc.md). A file's offset is an absolute position in the log: it
 * starts at 0, which klog_read moves up to the oldest byte still in the
 * ring, and read returns what follows, 0 at the end (it never blocks:
 * "dmesg" is open and read until 0; "dmesg -f" polls for POLLIN).
 *
 * Ownership and locking: files have no state of their own (priv NULL);
 * the offset is the file layer's, guarded by its pos_lock (this scheme is
 * not a stream); poll reads it unlocked, a hint. The log is guarded by its
 * own lock inside klog_read. kmsg_wq is woken when the log grew, but never
 * from kprintf (which runs under scheduler and wait-queue locks): the
 * timer tick (sched_tick, any CPU) and the system call return path call
 * kmsg_poke, which compares the log's size with the size it last woke
 * for. Worst-case latency: the next system call return or timer interrupt
 * on any CPU; while any CPU runs a thread that is within one scheduler
 * tick, but a machine with every CPU idle sees a line logged from an
 * interrupt handler only at the next timer interrupt any CPU takes.
 */
#include "base/err.h"
#include "base/syscall_nr.h"
#include "core/log.h"
#include "mm/uaccess.h"
#include "scheme/builtin.h"
#include "scheme/file.h"
#include "scheme/poll.h"
#include "scheme/scheme.h"
#include "sync/waitq.h"

static struct waitq kmsg_wq = {.lock = SPINLOCK_INIT, .head = NULL};
static uint64_t woken_at; /* __atomic: klog_written() when kmsg_wq was last woken */

void kmsg_poke(void)
{
	waitq_wake_on_change(&kmsg_wq, &woken_at, klog_written());
}

static int kmsg_open(struct file *f, const char *path, int flags)
{
	if (path[0] && !(path[0] == '/' && !path[1]))
		return -E_NOENT;
	if ((flags & RB_O_ACCMODE) != RB_O_RDONLY)
		return -E_ACCES;
	return 0;
}

static long kmsg_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	char buf[256];
	size_t done = 0;
	while (done < len) {
		size_t pos = *off, want = len - done < sizeof buf ? len - done : sizeof buf;
		size_t got = klog_read(&pos, buf, want);
		if (got == 0)
			break;
		if (copy_to_user(ubuf + done, buf, got) < 0)
			return done ? (long)done : -E_FAULT; /* *off stays before the lost bytes */
		*off = pos;
		done += got;
	}
	return (long)done;
}

static int kmsg_fstat(struct file *f, struct rb_stat *st)
{
	st->mode = 0x8000; /* a regular file that grows */
	st->size = klog_written();
	return 0;
}

static unsigned kmsg_poll(struct file *f, struct waitq_entry *w)
{
	if (w)
		waitq_add(&kmsg_wq, w);
	uint64_t pos = __atomic_load_n(&f->off, __ATOMIC_RELAXED);
	return klog_written() > pos ? RB_POLLIN : 0;
}

static long kmsg_fpath(struct file *f, char *buf, size_t len)
{
	return 0; /* "kmsg:" and nothing after it */
}

static const struct scheme_ops kmsg_ops = {
    .open = kmsg_open,
    .read = kmsg_read,
    .fstat = kmsg_fstat,
    .poll = kmsg_poll,
    .fpath = kmsg_fpath,
};

struct scheme kmsg_scheme = {
    .name = "kmsg",
    .ops = &kmsg_ops,
};
