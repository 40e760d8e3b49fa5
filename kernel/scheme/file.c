/*
 * file.c - the file layer between the fd table and the schemes (see
 * file.h for the interface, ownership and locking; docs/scheme.md).
 *
 * Objects: struct file, reference counted with __atomic operations and
 * freed by the last file_put; its offset is guarded by its pos_lock (a
 * sleeping kmutex). Nothing here holds a spinlock, so every scheme op
 * may sleep. files_open counts every struct file alive system-wide
 * (__atomic; file_alloc and file_free), bounded by RLIMIT_NFILE
 * (nfile_limit, __atomic): a file_alloc past it gets ENFILE. file_resolve
 * maps a path to its scheme (a reference the caller drops) for open,
 * unlink and rename; file_init, on the boot CPU, registers the kernel's
 * schemes and loads the registration policy (policy.c) before any
 * process runs.
 */
#include <string.h>
#include "base/err.h"
#include "scheme/file.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "scheme/scheme.h"
#include "dev/irq.h"
#include "scheme/builtin.h"
#include "scheme/policy.h"

static uint64_t files_open;		     /* struct files alive, __atomic */
static uint64_t nfile_limit = NFILE_DEFAULT; /* RLIMIT_NFILE, __atomic */

uint64_t file_count(void)
{
	return __atomic_load_n(&files_open, __ATOMIC_RELAXED);
}

uint64_t file_limit(void)
{
	return __atomic_load_n(&nfile_limit, __ATOMIC_RELAXED);
}

void file_set_limit(uint64_t limit)
{
	__atomic_store_n(&nfile_limit, limit, __ATOMIC_RELAXED);
}

/* A new file of scheme s (whose reference it takes over on success), refs 1:
   0, -E_NFILE (RLIMIT_NFILE files exist) or -E_NOMEM. */
static int file_alloc(struct scheme *s, int flags, struct file **out)
{
	if (__atomic_add_fetch(&files_open, 1, __ATOMIC_RELAXED) > file_limit()) {
		__atomic_sub_fetch(&files_open, 1, __ATOMIC_RELAXED);
		return -E_NFILE;
	}
	struct file *f = kzalloc(sizeof *f);
	if (!f) {
		__atomic_sub_fetch(&files_open, 1, __ATOMIC_RELAXED);
		return -E_NOMEM;
	}
	f->scheme = s;
	f->refs = 1;
	f->flags = flags;
	kmutex_init(&f->pos_lock);
	*out = f;
	return 0;
}

/* Free a file whose scheme never opened it (or has closed it). */
static void file_free(struct file *f)
{
	scheme_put(f->scheme);
	kfree(f);
	__atomic_sub_fetch(&files_open, 1, __ATOMIC_RELAXED);
}

/* Open path inside scheme s (a reference the new file takes over). */
static int open_in(struct scheme *s, const char *path, int flags, struct file **out)
{
	if (!s->ops->open) {
		scheme_put(s);
		return -E_NOSYS;
	}
	struct file *f;
	int err = file_alloc(s, flags, &f);
	if (err < 0) {
		scheme_put(s);
		return err;
	}
	err = s->ops->open(f, path, flags);
	if (err < 0) {
		file_free(f);
		return err;
	}
	*out = f;
	if (err == SCHEME_REPLACED) { /* the scheme handed over another file */
		*out = f->priv;
		file_free(f);
	}
	return 0;
}

int file_resolve(const char *path, struct scheme **out, const char **rest)
{
	struct scheme_path sp;
	int err = scheme_path_split(path, SIZE_MAX, &sp);
	if (err == -E_NOENT) { /* a plain path: all of it is the file: scheme's */
		sp.name = SCHEME_PLAIN;
		sp.name_len = sizeof SCHEME_PLAIN - 1;
		sp.rest = path;
	} else if (err < 0) {
		return err == -E_NAMETOOLONG ? err : -E_NOENT; /* no such scheme */
	}
	struct scheme *s = scheme_lookup(sp.name, sp.name_len);
	if (!s)
		return -E_NOENT;
	*out = s;
	*rest = sp.rest;
	return 0;
}

int file_open(const char *path, int flags, struct file **out)
{
	struct scheme *s;
	const char *rest;
	int err = file_resolve(path, &s, &rest);
	return err < 0 ? err : open_in(s, rest, flags, out);
}

int file_new(struct scheme *s, int flags, void *priv, struct file **out)
{
	scheme_get(s);
	int err = file_alloc(s, flags, out);
	if (err < 0) {
		scheme_put(s);
		return err;
	}
	(*out)->priv = priv;
	return 0;
}

struct file *file_console(void)
{
	struct file *f;
	return file_open("debug:", RB_O_RDWR, &f) == 0 ? f : NULL;
}

void file_get(struct file *f)
{
	__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (f->scheme->ops->close) {
		int err = f->scheme->ops->close(f);
		if (err < 0)
			kprintf("file: %s: close failed: %s\n", f->scheme->name, err_name(err));
	}
	file_free(f);
}

static bool is_stream(struct file *f)
{
	return f->scheme->flags & SCHEME_STREAM;
}

/* Lock f's offset (streams have none) and return where ops may keep it. */
static uint64_t *pos_begin(struct file *f, uint64_t *scratch)
{
	if (is_stream(f)) {
		*scratch = 0;
		return scratch;
	}
	kmutex_lock(&f->pos_lock);
	return &f->off;
}

static void pos_end(struct file *f)
{
	if (!is_stream(f))
		kmutex_unlock(&f->pos_lock);
}

typedef long (*io_op)(struct file *f, uint64_t ubuf, size_t len, uint64_t *off);

static long file_io(struct file *f, io_op op, uint64_t ubuf, size_t len, long missing)
{
	if (!op)
		return missing;
	uint64_t scratch;
	uint64_t *off = pos_begin(f, &scratch);
	long r = op(f, ubuf, len, off);
	pos_end(f);
	return r;
}

long file_read(struct file *f, uint64_t ubuf, size_t len)
{
	return file_io(f, f->scheme->ops->read, ubuf, len, -E_BADF);
}

long file_write(struct file *f, uint64_t ubuf, size_t len)
{
	return file_io(f, f->scheme->ops->write, ubuf, len, -E_BADF);
}

/* pread / pwrite: the scheme's op, else its read / write on a copy of off (not a stream). */
static long file_pio(struct file *f, bool write, uint64_t ubuf, size_t len, uint64_t off)
{
	const struct scheme_ops *o = f->scheme->ops;
	long (*at)(struct file *, uint64_t, size_t, uint64_t) = write ? o->pwrite : o->pread;
	io_op op = write ? o->write : o->read;
	if (off > INT64_MAX)
		return -E_INVAL;
	if (at)
		return at(f, ubuf, len, off);
	if (is_stream(f))
		return -E_SPIPE;
	return op ? op(f, ubuf, len, &off) : -E_BADF;
}

long file_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	return file_pio(f, false, ubuf, len, off);
}

long file_pwrite(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	return file_pio(f, true, ubuf, len, off);
}

long file_getdents(struct file *f, uint64_t ubuf, size_t len)
{
	return file_io(f, f->scheme->ops->getdents, ubuf, len, -E_NOTDIR);
}

/* lseek for schemes without a seek op: SET, CUR, or END from fstat's size. */
static long default_seek(struct file *f, int64_t off, int whence, uint64_t *pos)
{
	int64_t base;
	struct rb_stat st;
	if (whence == RB_SEEK_SET) {
		base = 0;
	} else if (whence == RB_SEEK_CUR) {
		base = (int64_t)*pos;
	} else if (whence == RB_SEEK_END) {
		int err = file_fstat(f, &st);
		if (err < 0)
			return err;
		base = (int64_t)st.size;
	} else {
		return -E_INVAL;
	}
	int64_t to;
	if (__builtin_add_overflow(base, off, &to) || to < 0)
		return -E_INVAL;
	*pos = (uint64_t)to;
	return to;
}

long file_seek(struct file *f, int64_t off, int whence)
{
	uint64_t scratch = 0;
	if (is_stream(f)) /* no offset here: a stream's own seek (a user scheme's) keeps it */
		return f->scheme->ops->seek ? f->scheme->ops->seek(f, off, whence, &scratch)
					    : -E_SPIPE;
	kmutex_lock(&f->pos_lock);
	long r = f->scheme->ops->seek ? f->scheme->ops->seek(f, off, whence, &f->off)
				      : default_seek(f, off, whence, &f->off);
	kmutex_unlock(&f->pos_lock);
	return r;
}

int file_fstat(struct file *f, struct rb_stat *st)
{
	memset(st, 0, sizeof *st);
	return f->scheme->ops->fstat ? f->scheme->ops->fstat(f, st) : -E_NOSYS;
}

int file_fmap(struct file *f, uint64_t off, int prot, uint64_t *paddr, struct file **owner)
{
	int acc = f->flags & RB_O_ACCMODE;
	*owner = NULL;
	if (!f->scheme->ops->fmap)
		return -E_NODEV;
	if (acc == RB_O_WRONLY || ((prot & RB_PROT_WRITE) && acc == RB_O_RDONLY))
		return -E_ACCES; /* as POSIX: a mapping reads, and writes only a writable file */
	return f->scheme->ops->fmap(f, off, prot, paddr, owner);
}

int file_fsync(struct file *f)
{
	return f->scheme->ops->fsync ? f->scheme->ops->fsync(f) : -E_INVAL;
}

int file_ftruncate(struct file *f, uint64_t len)
{
	return f->scheme->ops->ftruncate ? f->scheme->ops->ftruncate(f, len) : -E_INVAL;
}

long file_fcntl(struct file *f, int cmd, long arg)
{
	return f->scheme->ops->fcntl ? f->scheme->ops->fcntl(f, cmd, arg) : -E_INVAL;
}

long file_fpath(struct file *f, char *buf, size_t len)
{
	return f->scheme->ops->fpath ? f->scheme->ops->fpath(f, buf, len) : -E_NOSYS;
}

unsigned file_poll(struct file *f, struct waitq_entry *w)
{
	/* A file that cannot say is always ready, as POSIX's regular files. */
	return f->scheme->ops->poll ? f->scheme->ops->poll(f, w) : RB_POLLIN | RB_POLLOUT;
}

int file_dup(struct file *f, const char *arg, struct file **out)
{
	if (!f->scheme->ops->dup)
		return -E_NOSYS;
	scheme_get(f->scheme);
	struct file *nf;
	int err = file_alloc(f->scheme, f->flags, &nf);
	if (err < 0) {
		scheme_put(f->scheme);
		return err;
	}
	err = f->scheme->ops->dup(f, arg, nf);
	if (err < 0) {
		file_free(nf);
		return err;
	}
	*out = nf;
	if (err == SCHEME_REPLACED) { /* the scheme handed over another file */
		*out = nf->priv;
		file_free(nf);
	}
	return 0;
}

void file_init(const void *ar, size_t len)
{
	initfs_set(ar, len);
	int err = scheme_register(&initfs_scheme);
	KASSERT(err == 0, "initfs: register: %d", err);
	scheme_policy_load(); /* reads initfs; before any process can register a scheme */
	debug_input_init();
	err = scheme_register(&debug_scheme);
	KASSERT(err == 0, "debug: register: %d", err);
	err = scheme_register(&event_scheme);
	KASSERT(err == 0, "event: register: %d", err);
	err = scheme_register(&kmsg_scheme);
	KASSERT(err == 0, "kmsg: register: %d", err);
	err = scheme_register(&shm_scheme);
	KASSERT(err == 0, "shm: register: %d", err);
	irq_init(); /* dev/irq.c: the vector matrix and the irq: scheme */
}
