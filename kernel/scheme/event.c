/*
 * event.c - the event: scheme (docs/ipc.md "poll and event:"): one file
 * waits on many. open("event:") makes an event file; each write of
 * struct rb_event records adds a watch on the caller's fd (or changes
 * its events and data, or with events 0 removes it); read returns a
 * record for every watch whose file's poll bits meet its events (or
 * POLLERR/POLLHUP) now, level triggered, and blocks while there is none
 * (EAGAIN for an RB_O_NONBLOCK file, EINTR on a signal).
 *
 * Ownership and locking: an event file owns its struct evfile and every
 * watch on it; a watch owns a reference to the watched file (taken from
 * the writer's fd table), so the watched object and its wait queue live
 * as long as the watch. lock (a kmutex) guards the watch list, each
 * watch's fields and nwatch; file_poll of watched files runs under it
 * (event files cannot be watched, so no other event file's lock nests
 * inside). Each watch's waitq_entry sits on the watched object's queue;
 * its callback (watch_fire) runs under that queue's spinlock and only
 * wakes wq, the event file's own queue (readers and pollers of the event
 * file). Lock order: lock, then the watched objects' locks and queues,
 * then wq; wq's lock is the innermost and never taken around another.
 * The last close removes every watch (waitq_remove ensures no callback is
 * running) and drops their files.
 */
#include <stdbool.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/builtin.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/poll.h"
#include "scheme/scheme.h"
#include "sync/kmutex.h"
#include "sync/waitq.h"

#define EVENT_WATCH_MAX 1024
#define EVENT_BATCH 64 /* records read out per pass */

struct watch {
	struct watch *next;
	struct file *file; /* a reference */
	int fd;
	unsigned events;
	unsigned long long data;
	struct waitq_entry e; /* on file's object's queue */
};

struct evfile {
	struct kmutex lock;
	struct waitq wq;
	struct watch *watches; /* guarded by lock */
	int nwatch;
};

static void watch_fire(struct waitq_entry *e)
{
	struct evfile *ev = e->priv;
	waitq_wake(&ev->wq);
}

static int event_open(struct file *f, const char *path, int flags)
{
	if (path[0] && !(path[0] == '/' && !path[1]))
		return -E_NOENT;
	struct evfile *ev = kzalloc(sizeof *ev);
	if (!ev)
		return -E_NOMEM;
	kmutex_init(&ev->lock);
	waitq_init(&ev->wq);
	f->priv = ev;
	return 0;
}

static void watch_free(struct watch *w)
{
	waitq_remove(&w->e);
	file_put(w->file);
	kfree(w);
}

static int event_close(struct file *f)
{
	struct evfile *ev = f->priv;
	while (ev->watches) {
		struct watch *w = ev->watches;
		ev->watches = w->next;
		watch_free(w);
	}
	kfree(ev);
	return 0;
}

/* The watch of fd, or NULL. Lock held. */
static struct watch **watch_find(struct evfile *ev, int fd)
{
	for (struct watch **pp = &ev->watches; *pp; pp = &(*pp)->next)
		if ((*pp)->fd == fd)
			return pp;
	return NULL;
}

/* Point w at file (a reference it takes over), registering for its changes. Lock held. */
static void watch_attach(struct evfile *ev, struct watch *w, struct file *file)
{
	w->file = file;
	waitq_entry_init(&w->e, watch_fire, ev);
	(void)file_poll(file, &w->e);
}

/* Apply one record: 0 or -E_*. Lock held. */
static int event_apply(struct evfile *ev, const struct rb_event *rec)
{
	struct watch **pp = watch_find(ev, rec->fd);
	if (rec->events == 0) {
		if (!pp)
			return -E_NOENT;
		struct watch *w = *pp;
		*pp = w->next;
		ev->nwatch--;
		watch_free(w);
		return 0;
	}
	struct file *file = fdt_get(&proc_current()->fdt, rec->fd);
	if (!file)
		return -E_BADF;
	if (file->scheme == &event_scheme) {
		file_put(file);
		return -E_INVAL;
	}
	struct watch *w = pp ? *pp : NULL;
	if (w && w->file != file) { /* the fd names another file now */
		waitq_remove(&w->e);
		file_put(w->file);
		watch_attach(ev, w, file);
	} else if (w) {
		file_put(file);
	} else {
		if (ev->nwatch >= EVENT_WATCH_MAX) {
			file_put(file);
			return -E_NOSPC;
		}
		w = kzalloc(sizeof *w);
		if (!w) {
			file_put(file);
			return -E_NOMEM;
		}
		w->fd = rec->fd;
		watch_attach(ev, w, file);
		w->next = ev->watches;
		ev->watches = w;
		ev->nwatch++;
	}
	w->events = rec->events;
	w->data = rec->data;
	return 0;
}

static long event_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct evfile *ev = f->priv;
	if (len % sizeof(struct rb_event))
		return -E_INVAL;
	size_t done = 0;
	int err = 0;
	kmutex_lock(&ev->lock);
	while (done < len) {
		struct rb_event rec;
		err = copy_from_user(&rec, ubuf + done, sizeof rec);
		if (err == 0)
			err = event_apply(ev, &rec);
		if (err < 0)
			break;
		done += sizeof rec;
	}
	kmutex_unlock(&ev->lock);
	waitq_wake(&ev->wq); /* a new watch may be ready already */
	return done ? (long)done : err;
}

/* The bits of w that hold now. Lock held. */
static unsigned watch_bits(struct watch *w)
{
	return file_poll(w->file, NULL) & (w->events | RB_POLLERR | RB_POLLHUP | RB_POLLNVAL);
}

/* Up to max records of ready watches into out: how many. Lock held. */
static size_t collect(struct evfile *ev, struct rb_event *out, size_t max)
{
	size_t k = 0;
	for (struct watch *w = ev->watches; w && k < max; w = w->next) {
		unsigned bits = watch_bits(w);
		if (bits)
			out[k++] = (struct rb_event){.data = w->data, .fd = w->fd, .events = bits};
	}
	return k;
}

static long event_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct evfile *ev = f->priv;
	size_t max = len / sizeof(struct rb_event);
	if (max == 0)
		return -E_INVAL;
	if (max > EVENT_BATCH)
		max = EVENT_BATCH;
	struct rb_event *recs = kmalloc(max * sizeof *recs);
	if (!recs)
		return -E_NOMEM;
	struct waitq_entry e;
	waitq_entry_init_thread(&e);
	long r;
	for (;;) {
		kmutex_lock(&ev->lock);
		size_t k = collect(ev, recs, max);
		kmutex_unlock(&ev->lock);
		if (k) {
			r = copy_to_user(ubuf, recs, k * sizeof *recs);
			r = r < 0 ? r : (long)(k * sizeof *recs);
			break;
		}
		if (f->flags & RB_O_NONBLOCK) {
			r = -E_AGAIN;
			break;
		}
		r = poll_wait_change(&ev->wq, &e);
		if (r < 0)
			break;
	}
	waitq_remove(&e);
	kfree(recs);
	return r;
}

static unsigned event_poll(struct file *f, struct waitq_entry *w)
{
	struct evfile *ev = f->priv;
	if (w)
		waitq_add(&ev->wq, w);
	bool ready = false;
	kmutex_lock(&ev->lock);
	for (struct watch *x = ev->watches; x && !ready; x = x->next)
		ready = watch_bits(x) != 0;
	kmutex_unlock(&ev->lock);
	return ready ? RB_POLLIN : 0;
}

static int event_fstat(struct file *f, struct rb_stat *st)
{
	struct evfile *ev = f->priv;
	kmutex_lock(&ev->lock);
	st->size = (uint64_t)ev->nwatch * sizeof(struct rb_event);
	kmutex_unlock(&ev->lock);
	st->mode = 0x2000;
	return 0;
}

static long event_fpath(struct file *f, char *buf, size_t len)
{
	return 0; /* "event:" and nothing after it */
}

static const struct scheme_ops event_ops = {
    .open = event_open,
    .close = event_close,
    .read = event_read,
    .write = event_write,
    .poll = event_poll,
    .fstat = event_fstat,
    .fpath = event_fpath,
};

struct scheme event_scheme = {
    .name = "event",
    .ops = &event_ops,
    .flags = SCHEME_STREAM,
};
