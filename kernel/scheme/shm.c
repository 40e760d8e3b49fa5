/*
 * shm.c - the "shm" scheme: anonymous shared memory (docs/ipc.md).
 *
 * open("shm:", ...) (any rest names nothing) makes a new empty object;
 * ftruncate sizes it; read, write, lseek and fstat work on it as on a
 * file, and fmap hands out its pages for mmap (RB_MAP_FD). Pages are
 * zeroed and allocated on first use (a read of a hole copies zeros and
 * allocates nothing). Growing charges the page-rounded size to the
 * creating process's RLIMIT_SHM (p->shm_used, ENOMEM beyond); shrinking
 * refunds it and frees the pages past the end, and is refused with EBUSY
 * while any address space maps the object (f->maps), so no mapped page
 * is ever freed. A write past the end grows the object first. The pages
 * of a process's object come from page_alloc_user, so they never take
 * the kernel's reserve (mm/mem.h); they are not charged to its uid.
 *
 * Ownership and locking: one struct shm per open file (f->priv; dup,
 * spawn and fd passing share the file, not the object). It owns its page
 * array and every page in it; they are freed by close, when the last
 * reference to the file goes: that of the last fd or of the last
 * mapping (vm.c holds one per mapping, and one per mapping of a user
 * scheme whose server answered FMAP with this file), so pages outlive
 * every close.
 * close may run in the reaper (vm_release) and so never sleeps.
 * sh->lock (a sleeping kmutex) guards size, pages and npages; user
 * copies are made under it (the pages cannot go meanwhile). The owner
 * is a process reference (proc_get), dropped by close after the refund.
 * shm_pages counts pages of every object, __atomic.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/builtin.h"
#include "scheme/file.h"
#include "scheme/scheme.h"
#include "sync/kmutex.h"

#define SHM_MAX_BYTES (1ull << 40) /* no object is bigger, whatever the limit */

struct shm {
	struct kmutex lock;
	uint64_t size;	    /* bytes; bytes past it in the last page are zero */
	uint64_t *pages;    /* physical address of page i, or 0 (npages slots) */
	uint64_t npages;    /* pages the size reaches: what owner is charged for */
	struct proc *owner; /* a reference; NULL: created by the kernel, uncharged */
};

static uint64_t shm_pages; /* pages held by all objects, __atomic */
static const uint8_t zeros[PAGE_SIZE];

uint64_t shm_page_count(void)
{
	return __atomic_load_n(&shm_pages, __ATOMIC_RELAXED);
}

/* Charge n more bytes to p's RLIMIT_SHM: 0 or -E_NOMEM. */
static int charge(struct proc *p, uint64_t n)
{
	if (!p)
		return 0;
	uint64_t limit = __atomic_load_n(&p->shm_limit, __ATOMIC_RELAXED);
	uint64_t used = __atomic_load_n(&p->shm_used, __ATOMIC_RELAXED);
	do {
		if (used > limit || n > limit - used)
			return -E_NOMEM; /* a lowered limit may be below what is used */
	} while (!__atomic_compare_exchange_n(&p->shm_used, &used, used + n, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

static void refund(struct proc *p, uint64_t n)
{
	if (p)
		__atomic_sub_fetch(&p->shm_used, n, __ATOMIC_RELAXED);
}

/* Free pages [from, sh->npages) (sh->lock held, or the last reference). */
static void free_pages_from(struct shm *sh, uint64_t from)
{
	for (uint64_t i = from; i < sh->npages; i++) {
		if (sh->pages[i]) {
			page_free(sh->pages[i], 1);
			__atomic_sub_fetch(&shm_pages, 1, __ATOMIC_RELAXED);
		}
		sh->pages[i] = 0;
	}
}

/* Zero the bytes of the last page past size (sh->lock held). */
static void zero_tail(struct shm *sh)
{
	uint64_t in = sh->size % PAGE_SIZE, i = sh->size / PAGE_SIZE;
	if (in && i < sh->npages && sh->pages[i])
		memset((uint8_t *)phys_to_virt(sh->pages[i]) + in, 0, PAGE_SIZE - in);
}

/* Set sh's size to len (sh->lock held): 0, -E_NOMEM (limit or memory). */
static int resize(struct shm *sh, uint64_t len)
{
	if (len > SHM_MAX_BYTES)
		return -E_NOMEM;
	uint64_t np = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	if (np > sh->npages) {
		int err = charge(sh->owner, (np - sh->npages) * PAGE_SIZE);
		if (err < 0)
			return err;
		uint64_t *pages = kzalloc(np * sizeof *pages);
		if (!pages) {
			refund(sh->owner, (np - sh->npages) * PAGE_SIZE);
			return -E_NOMEM;
		}
		if (sh->npages)
			memcpy(pages, sh->pages, sh->npages * sizeof *pages);
		kfree(sh->pages);
		sh->pages = pages;
		sh->npages = np;
	} else if (np < sh->npages) {
		free_pages_from(sh, np);
		refund(sh->owner, (sh->npages - np) * PAGE_SIZE);
		sh->npages = np; /* the array keeps its slots; only npages are used */
	}
	if (len < sh->size) {
		sh->size = len;
		zero_tail(sh); /* so a later growth reads zeros there */
	} else {
		sh->size = len;
	}
	return 0;
}

/* The page holding offset off (below npages), allocated if need be: its address or 0. */
static uint64_t page_at(struct shm *sh, uint64_t off)
{
	uint64_t i = off / PAGE_SIZE;
	if (!sh->pages[i]) {
		/* zeroed; a process's object never takes the kernel's reserve */
		sh->pages[i] = sh->owner ? page_alloc_user() : page_alloc(1);
		if (sh->pages[i])
			__atomic_add_fetch(&shm_pages, 1, __ATOMIC_RELAXED);
	}
	return sh->pages[i];
}

static bool can_read(struct file *f)
{
	return (f->flags & RB_O_ACCMODE) != RB_O_WRONLY;
}

static bool can_write(struct file *f)
{
	return (f->flags & RB_O_ACCMODE) != RB_O_RDONLY;
}

static int shm_open(struct file *f, const char *path, int flags)
{
	struct shm *sh = kzalloc(sizeof *sh);
	if (!sh)
		return -E_NOMEM;
	kmutex_init(&sh->lock);
	sh->owner = proc_current();
	if (sh->owner)
		proc_get(sh->owner);
	f->priv = sh;
	return 0;
}

static int shm_close(struct file *f)
{
	struct shm *sh = f->priv;
	free_pages_from(sh, 0);
	refund(sh->owner, sh->npages * PAGE_SIZE);
	kfree(sh->pages);
	if (sh->owner)
		proc_put(sh->owner);
	kfree(sh);
	return 0;
}

static long shm_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct shm *sh = f->priv;
	if (!can_read(f))
		return -E_BADF;
	kmutex_lock(&sh->lock);
	size_t done = 0;
	int err = 0;
	while (done < len && *off < sh->size) {
		uint64_t in = *off % PAGE_SIZE, i = *off / PAGE_SIZE;
		size_t n = PAGE_SIZE - in;
		n = n < len - done ? n : len - done;
		n = n < sh->size - *off ? n : sh->size - *off;
		const uint8_t *src =
		    sh->pages[i] ? (uint8_t *)phys_to_virt(sh->pages[i]) + in : zeros;
		if ((err = copy_to_user(ubuf + done, src, n)) < 0)
			break;
		done += n;
		*off += n;
	}
	kmutex_unlock(&sh->lock);
	return done ? (long)done : err;
}

static long shm_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct shm *sh = f->priv;
	if (!can_write(f))
		return -E_BADF;
	if (*off + len < *off)
		return -E_INVAL;
	kmutex_lock(&sh->lock);
	int err = *off + len > sh->size ? resize(sh, *off + len) : 0;
	size_t done = 0;
	while (err == 0 && done < len) {
		uint64_t in = *off % PAGE_SIZE;
		size_t n = PAGE_SIZE - in < len - done ? PAGE_SIZE - in : len - done;
		uint64_t pa = page_at(sh, *off);
		if (!pa) {
			err = -E_NOMEM;
			break;
		}
		if ((err = copy_from_user((uint8_t *)phys_to_virt(pa) + in, ubuf + done, n)) < 0)
			break;
		done += n;
		*off += n;
	}
	kmutex_unlock(&sh->lock);
	return done ? (long)done : err;
}

static int shm_fstat(struct file *f, struct rb_stat *st)
{
	struct shm *sh = f->priv;
	kmutex_lock(&sh->lock);
	st->size = sh->size;
	kmutex_unlock(&sh->lock);
	st->mode = 0x8000;
	return 0;
}

static int shm_ftruncate(struct file *f, uint64_t len)
{
	struct shm *sh = f->priv;
	if (!can_write(f))
		return -E_BADF;
	kmutex_lock(&sh->lock);
	int err = 0;
	/* A mapping takes f->maps before it asks for pages, so a shrink
	   that sees none here frees no page anyone maps. */
	if (len < sh->size && __atomic_load_n(&f->maps, __ATOMIC_ACQUIRE) > 0)
		err = -E_BUSY;
	else
		err = resize(sh, len);
	kmutex_unlock(&sh->lock);
	return err;
}

/* The page at off for a mapping (file_fmap checked prot against the open mode); the page is
   f's own, so *owner stays NULL. */
static int shm_fmap(struct file *f, uint64_t off, int prot, uint64_t *paddr, struct file **owner)
{
	struct shm *sh = f->priv;
	if (off % PAGE_SIZE)
		return -E_INVAL;
	kmutex_lock(&sh->lock);
	int err = -E_INVAL; /* past the end: nothing to map */
	if (off < sh->size) {
		*paddr = page_at(sh, off);
		err = *paddr ? 0 : -E_NOMEM;
	}
	kmutex_unlock(&sh->lock);
	return err;
}

static int shm_fsync(struct file *f)
{
	return 0; /* memory: nothing to write out */
}

static long shm_fpath(struct file *f, char *buf, size_t len)
{
	return 0; /* anonymous: "shm:" */
}

static const struct scheme_ops shm_ops = {
    .open = shm_open,
    .close = shm_close,
    .read = shm_read,
    .write = shm_write,
    .fstat = shm_fstat,
    .fmap = shm_fmap,
    .fsync = shm_fsync,
    .ftruncate = shm_ftruncate,
    .fpath = shm_fpath,
};

struct scheme shm_scheme = {
    .name = "shm",
    .ops = &shm_ops,
};
