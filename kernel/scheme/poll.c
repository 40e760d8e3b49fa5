/*
 * poll.c - SYS_POLL (docs/ipc.md "poll and event:"), and poll_sleep and
 * poll_wait_change, the sleep half of every waitq wait in the scheme
 * layer (see poll.h).
 *
 * One call owns a struct poll_set for its duration: a kernel copy of the
 * caller's array, a reference to each entry's file (fdt_get; dropped at
 * the end) and one waitq_entry per file, added by the file's poll op to
 * the queue of the object behind it. Every entry's callback sets the
 * set's fired flag and wakes the calling thread; it runs under that
 * queue's spinlock and takes nothing else but the scheduler's. The set
 * is on the kernel heap and reachable only by the calling thread and,
 * through the entries, by those callbacks, which are all gone once every
 * entry is removed (waitq_remove waits for none to be running).
 *
 * Files without a wake source of their own (SCHEME_POLL_TICK: the polled
 * console) are looked at again every POLL_TICK_NS while they are in a set.
 */
#include "base/err.h"
#include "base/syscall_nr.h"
#include "core/time.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/poll.h"
#include "scheme/scheme.h"
#include "sync/waitq.h"
#include "syscall/syscall.h"

#define POLL_TICK_NS 10000000ull /* 10 ms */

int poll_sleep(bool *fired, uint64_t deadline)
{
	thread_prepare_block_until(deadline);
	if (__atomic_exchange_n(fired, false, __ATOMIC_ACQ_REL)) {
		thread_wake(thread_current()); /* a change came after the look: undo the prepare */
		return 0;
	}
	return proc_block_or_intr(proc_current()) ? -E_INTR : 0;
}

int poll_wait_change(struct waitq *q, struct waitq_entry *e)
{
	if (!e->q) {
		waitq_add(q, e);
		return 0; /* look again now that a change will fire e */
	}
	return poll_sleep(&e->fired, 0);
}

struct poll_set {
	size_t n;
	struct thread *t;
	bool fired;  /* __atomic: set by any entry's callback */
	bool ticked; /* some file needs looking at every POLL_TICK_NS */
	struct rb_pollfd *fds;
	struct file **files;
	struct waitq_entry *entries;
};

static void poll_fire(struct waitq_entry *e)
{
	struct poll_set *ps = e->priv;
	__atomic_store_n(&ps->fired, true, __ATOMIC_RELEASE);
	thread_wake(ps->t);
}

static void set_free(struct poll_set *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		waitq_remove(&ps->entries[i]);
		if (ps->files[i])
			file_put(ps->files[i]);
	}
	kfree(ps->entries);
	kfree(ps->files);
	kfree(ps->fds);
	kfree(ps);
}

/* A set for n entries copied from ufds, each file referenced: 0 or -E_*. */
static int set_load(struct poll_set **out, uint64_t ufds, size_t n)
{
	struct poll_set *ps = kzalloc(sizeof *ps);
	if (!ps)
		return -E_NOMEM;
	ps->t = thread_current();
	ps->fds = kmalloc(n * sizeof *ps->fds + 1);
	ps->files = kzalloc(n * sizeof *ps->files + 1);
	ps->entries = kzalloc(n * sizeof *ps->entries + 1);
	if (!ps->fds || !ps->files || !ps->entries) {
		set_free(ps);
		return -E_NOMEM;
	}
	if (n && copy_from_user(ps->fds, ufds, n * sizeof *ps->fds) < 0) {
		set_free(ps);
		return -E_FAULT;
	}
	struct fdtable *fdt = &proc_current()->fdt;
	for (size_t i = 0; i < n; i++) {
		waitq_entry_init(&ps->entries[i], poll_fire, ps);
		if (ps->fds[i].fd >= 0)
			ps->files[i] = fdt_get(fdt, ps->fds[i].fd);
		if (ps->files[i] && (ps->files[i]->scheme->flags & SCHEME_POLL_TICK))
			ps->ticked = true;
	}
	ps->n = n; /* set_free puts files only now */
	*out = ps;
	return 0;
}

/* Fill in every revents (adding the entries to their queues if add): entries ready. */
static long set_scan(struct poll_set *ps, bool add)
{
	long ready = 0;
	for (size_t i = 0; i < ps->n; i++) {
		struct rb_pollfd *pf = &ps->fds[i];
		unsigned bits = 0;
		if (pf->fd < 0)
			bits = 0;
		else if (!ps->files[i])
			bits = RB_POLLNVAL;
		else
			bits = file_poll(ps->files[i], add ? &ps->entries[i] : NULL);
		unsigned want = (unsigned short)pf->events | RB_POLLERR | RB_POLLHUP | RB_POLLNVAL;
		pf->revents = (short)(bits & want);
		if (pf->revents)
			ready++;
	}
	return ready;
}

/* When to look again: the caller's deadline, or sooner for a ticked set (0: never). */
static uint64_t wake_time(struct poll_set *ps, uint64_t deadline)
{
	if (!ps->ticked)
		return deadline;
	uint64_t tick = time_ns() + POLL_TICK_NS;
	return deadline && deadline < tick ? deadline : tick;
}

/* Scan until something is ready, deadline (0: never) passes or a signal comes. */
static long set_wait(struct poll_set *ps, int64_t timeout)
{
	uint64_t deadline = 0;
	if (timeout > 0) {
		uint64_t now = time_ns();
		deadline = (uint64_t)timeout > UINT64_MAX - now ? 0 : now + (uint64_t)timeout;
	}
	long ready = set_scan(ps, timeout != 0);
	while (ready == 0 && timeout != 0) {
		if (deadline && time_ns() >= deadline)
			break;
		if (poll_sleep(&ps->fired, wake_time(ps, deadline)) < 0)
			return -E_INTR;
		ready = set_scan(ps, false);
	}
	return ready;
}

long sys_poll(uint64_t ufds, uint64_t n, uint64_t timeout, uint64_t d, uint64_t e, uint64_t f)
{
	if (n > POLL_MAX)
		return -E_INVAL;
	size_t bytes = n * sizeof(struct rb_pollfd);
	if (n && !user_range_ok(ufds, bytes))
		return -E_FAULT;
	struct poll_set *ps;
	int err = set_load(&ps, ufds, n);
	if (err < 0)
		return err;
	long r = set_wait(ps, (int64_t)timeout);
	if (r >= 0 && n && copy_to_user(ufds, ps->fds, bytes) < 0)
		r = -E_FAULT;
	set_free(ps);
	return r;
}
