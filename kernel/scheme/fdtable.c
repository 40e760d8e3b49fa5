/*
 * fdtable.c - per-process file descriptor tables (see fdtable.h).
 *
 * Ownership and locking: the table belongs to its process (embedded in
 * struct proc) and holds one reference per occupied slot. t->lock guards
 * the slots and t->closed; under it we only look, store and take
 * references (file_get is an atomic increment). References are dropped
 * (file_put, which may sleep in a scheme's close) after the lock is
 * released. Lock order: two tables' locks are never held together.
 */
#include <string.h>
#include "base/err.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "sync/irqlock.h"

void fdt_init(struct fdtable *t)
{
	spin_init(&t->lock);
	t->closed = false;
	memset(t->fds, 0, sizeof t->fds);
}

static bool fd_valid(int fd)
{
	return fd >= 0 && fd < MAX_FDS;
}

/* The lowest free slot >= min, or -E_MFILE. Caller holds t->lock. */
static int lowest_free(struct fdtable *t, int min)
{
	if (t->closed)
		return -E_MFILE;
	for (int fd = min; fd < MAX_FDS; fd++)
		if (!t->fds[fd])
			return fd;
	return -E_MFILE;
}

struct file *fdt_get(struct fdtable *t, int fd)
{
	if (!fd_valid(fd))
		return NULL;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	struct file *f = t->fds[fd];
	if (f)
		file_get(f);
	spin_unlock_irqrestore(&t->lock, fl);
	return f;
}

int fdt_install(struct fdtable *t, struct file *f, int min)
{
	if (!fd_valid(min))
		return -E_INVAL;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	int fd = lowest_free(t, min);
	if (fd >= 0)
		t->fds[fd] = f;
	spin_unlock_irqrestore(&t->lock, fl);
	return fd;
}

int fdt_dup(struct fdtable *t, int fd, int min)
{
	if (!fd_valid(fd))
		return -E_BADF;
	if (!fd_valid(min))
		return -E_INVAL;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	struct file *f = t->fds[fd];
	int nfd = f ? lowest_free(t, min) : -E_BADF;
	if (nfd >= 0) {
		file_get(f);
		t->fds[nfd] = f;
	}
	spin_unlock_irqrestore(&t->lock, fl);
	return nfd;
}

int fdt_dup2(struct fdtable *t, int fd, int nfd)
{
	if (!fd_valid(fd) || !fd_valid(nfd))
		return -E_BADF;
	struct file *old = NULL;
	int r = nfd;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	struct file *f = t->fds[fd];
	if (!f || t->closed) {
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
	if (!fd_valid(fd))
		return -E_BADF;
	uint64_t fl = spin_lock_irqsave(&t->lock);
	struct file *f = t->fds[fd];
	t->fds[fd] = NULL;
	spin_unlock_irqrestore(&t->lock, fl);
	if (!f)
		return -E_BADF;
	file_put(f);
	return 0;
}

int fdt_inherit(struct fdtable *child, struct fdtable *parent, const int *map, int n)
{
	struct file *got[MAX_FDS] = {0};
	if (n < 0 || n > MAX_FDS)
		return -E_INVAL;
	int err = 0;
	uint64_t fl = spin_lock_irqsave(&parent->lock);
	for (int i = 0; i < n && !err; i++)
		if (map[i] >= MAX_FDS || (map[i] >= 0 && !parent->fds[map[i]]))
			err = -E_BADF;
	for (int i = 0; i < n && !err; i++) {
		got[i] = map[i] < 0 ? NULL : parent->fds[map[i]];
		if (got[i])
			file_get(got[i]);
	}
	spin_unlock_irqrestore(&parent->lock, fl);
	if (err)
		return err;
	fl = spin_lock_irqsave(&child->lock);
	memcpy(child->fds, got, sizeof got);
	spin_unlock_irqrestore(&child->lock, fl);
	return 0;
}

void fdt_close_all(struct fdtable *t)
{
	struct file *got[MAX_FDS];
	uint64_t fl = spin_lock_irqsave(&t->lock);
	t->closed = true;
	memcpy(got, t->fds, sizeof got);
	memset(t->fds, 0, sizeof t->fds);
	spin_unlock_irqrestore(&t->lock, fl);
	for (int i = 0; i < MAX_FDS; i++)
		if (got[i])
			file_put(got[i]);
}
