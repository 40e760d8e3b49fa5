/*
 * fdtable.c - per-process file descriptor tables (see fdtable.h).
 *
 * Ownership and locking: the table belongs to its process (embedded in
 * struct proc) and holds one reference per occupied slot. t->lock guards
 * the slots, the slot array (fds, cap), limit and closed; under it we
 * only look, store and take references (file_get is an atomic
 * increment). References are dropped (file_put, which may sleep in a
 * scheme's close) and slot arrays allocated and freed after the lock is
 * released: growth allocates the doubled array unlocked, then swaps it in
 * under the lock unless someone else grew the table (or it was closed)
 * meanwhile. Lock order: two tables' locks are never held together.
 */
#include <string.h>
#include "base/err.h"
#include "mm/mem.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "sync/irqlock.h"

#define CLOSE_BATCH 32 /* files fdt_close_all drops per lock round */

void fdt_init(struct fdtable *t, int limit)
{
	spin_init(&t->lock);
	t->closed = false;
	t->cap = FDT_INLINE;
	t->limit = limit;
	t->fds = t->inline_fds;
	memset(t->inline_fds, 0, sizeof t->inline_fds);
}

int fdt_limit(struct fdtable *t)
{
	uint64_t fl = spin_lock_irqsave(&t->lock);
	int limit = t->limit;
	spin_unlock_irqrestore(&t->lock, fl);
	return limit;
}

int fdt_set_limit(struct fdtable *t, int limit, bool may_raise)
{
	uint64_t fl = spin_lock_irqsave(&t->lock);
	int err = limit > t->limit && !may_raise ? -E_PERM : 0;
	if (err == 0)
		t->limit = limit;
	spin_unlock_irqrestore(&t->lock, fl);
	return err;
}

/* The slot count that holds fd: cap doubled until it does. */
static int grown_cap(int cap, int fd)
{
	while (cap <= fd)
		cap *= 2;
	return cap;
}

/*
 * Make the table hold slot fd, with t->lock held on entry and on return
 * (*fl its flags); the lock is dropped meanwhile, so the caller looks at
 * the table again afterwards. 0 or -E_NOMEM.
 */
static int grow(struct fdtable *t, int fd, uint64_t *fl)
{
	int cap = t->cap, ncap = grown_cap(cap, fd);
	spin_unlock_irqrestore(&t->lock, *fl);
	struct file **n = kzalloc((size_t)ncap * sizeof *n);
	*fl = spin_lock_irqsave(&t->lock);
	if (!n)
		return -E_NOMEM;
	struct file **spare = n;
	if (t->cap == cap && !t->closed) { /* nobody grew or closed it meanwhile */
		memcpy(n, t->fds, (size_t)cap * sizeof *n);
		spare = t->fds == t->inline_fds ? NULL : t->fds;
		/* The inline slots hold no references once left: fdt_close_all
		   comes back to them and must find them empty. */
		memset(t->inline_fds, 0, sizeof t->inline_fds);
		t->fds = n;
		t->cap = ncap;
	}
	if (spare) {
		spin_unlock_irqrestore(&t->lock, *fl);
		kfree(spare);
		*fl = spin_lock_irqsave(&t->lock);
	}
	return 0;
}

/*
 * The lowest free fd >= min below the limit (possibly >= cap: the table
 * must grow first), -E_MFILE, or -E_INVAL for min at or above the limit.
 * Caller holds t->lock.
 */
static int lowest_free(struct fdtable *t, int min)
{
	if (t->closed)
		return -E_MFILE;
	if (min >= t->limit)
		return -E_INVAL;
	int end = t->cap < t->limit ? t->cap : t->limit;
	for (int fd = min; fd < end; fd++)
		if (!t->fds[fd])
			return fd;
	int fd = min > t->cap ? min : t->cap;
	return fd < t->limit ? fd : -E_MFILE;
}

/* lowest_free, growing the table to hold it (t->lock held, as grow). */
static int lowest_free_slot(struct fdtable *t, int min, uint64_t *fl)
{
	for (;;) {
		int fd = lowest_free(t, min);
		if (fd < t->cap)
			return fd; /* an fd, or an error */
		int err = grow(t, fd, fl);
		if (err < 0)
			return err;
	}
}

struct file *fdt_get(struct fdtable *t, int fd)
{
	if (fd < 0)
		return NULL;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	struct file *f = fd < t->cap ? t->fds[fd] : NULL;
	if (f)
		file_get(f);
	spin_unlock_irqrestore(&t->lock, fl);
	return f;
}

int fdt_install(struct fdtable *t, struct file *f, int min)
{
	if (min < 0 || min >= FDT_MAX)
		return -E_INVAL;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	int fd = lowest_free_slot(t, min, &fl);
	if (fd >= 0)
		t->fds[fd] = f;
	spin_unlock_irqrestore(&t->lock, fl);
	return fd;
}

/* The file at fd, or NULL (t->lock held). */
static struct file *slot(struct fdtable *t, int fd)
{
	return fd >= 0 && fd < t->cap ? t->fds[fd] : NULL;
}

int fdt_dup(struct fdtable *t, int fd, int min)
{
	if (fd < 0 || fd >= FDT_MAX)
		return -E_BADF;
	if (min < 0 || min >= FDT_MAX)
		return -E_INVAL;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	int nfd = slot(t, fd) ? lowest_free_slot(t, min, &fl) : -E_BADF;
	struct file *f = slot(t, fd); /* again: the lock may have been dropped */
	if (nfd >= 0 && !f)
		nfd = -E_BADF;
	if (nfd >= 0) {
		file_get(f);
		t->fds[nfd] = f;
	}
	spin_unlock_irqrestore(&t->lock, fl);
	return nfd;
}

int fdt_dup2(struct fdtable *t, int fd, int nfd)
{
	if (fd < 0 || fd >= FDT_MAX || nfd < 0 || nfd >= FDT_MAX)
		return -E_BADF;
	struct file *old = NULL;
	int r = nfd;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	if (slot(t, fd) && nfd >= t->cap && nfd < t->limit && !t->closed) {
		int err = grow(t, nfd, &fl);
		r = err < 0 ? err : nfd;
	}
	struct file *f = slot(t, fd);
	if (r < 0) {
		/* out of memory */
	} else if (!f || t->closed || nfd >= t->limit || nfd >= t->cap) {
		r = -E_BADF;
	} else if (fd != nfd) {
		old = t->fds[nfd];
		file_get(f);
		t->fds[nfd] = f;
	}
	spin_unlock_irqrestore(&t->lock, fl);
	if (old)
		file_put(old);
	return r;
}

int fdt_close(struct fdtable *t, int fd)
{
	if (fd < 0)
		return -E_BADF;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	struct file *f = slot(t, fd);
	if (f)
		t->fds[fd] = NULL;
	spin_unlock_irqrestore(&t->lock, fl);
	if (!f)
		return -E_BADF;
	file_put(f);
	return 0;
}

/*
 * child is new and not yet reachable by anyone else, so its slots are
 * filled without its lock while parent's is held (no two table locks
 * are ever held together).
 */
int fdt_inherit(struct fdtable *child, struct fdtable *parent, const int *map, int n)
{
	if (n < 0 || n > child->limit)
		return -E_INVAL;
	struct file **slots = child->inline_fds;
	int cap = FDT_INLINE;
	if (n > FDT_INLINE) {
		cap = grown_cap(FDT_INLINE, n - 1);
		slots = kzalloc((size_t)cap * sizeof *slots);
		if (!slots)
			return -E_NOMEM;
	}
	int err = 0;
	uint64_t fl = spin_lock_irqsave(&parent->lock);
	for (int i = 0; i < n && !err; i++)
		if (map[i] >= 0 && !slot(parent, map[i]))
			err = -E_BADF;
	for (int i = 0; i < n && !err; i++) {
		slots[i] = map[i] < 0 ? NULL : parent->fds[map[i]];
		if (slots[i])
			file_get(slots[i]);
	}
	spin_unlock_irqrestore(&parent->lock, fl);
	if (err) {
		if (slots != child->inline_fds)
			kfree(slots);
		return err;
	}
	child->fds = slots;
	child->cap = cap;
	return 0;
}

void fdt_close_all(struct fdtable *t)
{
	struct file *batch[CLOSE_BATCH];
	uint64_t fl = spin_lock_irqsave(&t->lock);
	t->closed = true; /* from now on cap and fds stay as they are */
	for (int fd = 0; fd < t->cap;) {
		int got = 0;
		for (; fd < t->cap && got < CLOSE_BATCH; fd++) {
			if (t->fds[fd])
				batch[got++] = t->fds[fd];
			t->fds[fd] = NULL;
		}
		spin_unlock_irqrestore(&t->lock, fl);
		for (int i = 0; i < got; i++)
			file_put(batch[i]);
		fl = spin_lock_irqsave(&t->lock);
	}
	struct file **old = t->fds == t->inline_fds ? NULL : t->fds;
	t->fds = t->inline_fds; /* empty: swept above, or cleared when the table grew */
	t->cap = FDT_INLINE;
	spin_unlock_irqrestore(&t->lock, fl);
	kfree(old);
}
