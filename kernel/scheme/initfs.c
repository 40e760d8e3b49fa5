/*
 * initfs.c - the "initfs" scheme: the boot archive (a cpio newc
 * boot module), read-only, regular files and directories.
 *
 * The archive is set once by file_init on the boot CPU and never changes,
 * so reading it needs no lock. Each open file's priv is a struct
 * initfs_node owned by the file (freed by close); the file layer guards
 * the offset, which is a byte offset for files and an entry count for
 * directories. No op sleeps, but none relies on not being allowed to.
 *
 * Permissions: every entry belongs to root (uid and gid 0) with the
 * permission bits the archive records (the build makes /etc/shadow 0600
 * and everything else world-readable); a caller other than root may open
 * only entries whose "other" read bit is set (EACCES otherwise).
 */
#include <string.h>
#include "base/err.h"
#include "scheme/file.h"
#include "mm/mem.h"
#include "scheme/scheme.h"
#include "scheme/builtin.h"
#include "mm/uaccess.h"
#include "cpio/cpio.h"
#include "proc/proc.h"

static const uint8_t *initfs;
static size_t initfs_len;

#define INITFS_PATH_MAX 128

struct initfs_node {
	const uint8_t *data; /* regular file: contents */
	uint64_t size;
	uint32_t perm; /* permission bits from the archive */
	bool dir;
	char path[INITFS_PATH_MAX]; /* path inside the archive */
};

const uint8_t *initfs_file(const char *path, size_t *len)
{
	struct cpio_entry e;
	if (!initfs || cpio_find(initfs, initfs_len, path, &e) < 0 || !cpio_is_reg(&e))
		return NULL;
	*len = e.size;
	return e.data;
}

static int initfs_open(struct file *f, const char *path, int flags)
{
	if ((flags & 3) != RB_O_RDONLY)
		return -E_ACCES;
	if (strlen(path) >= INITFS_PATH_MAX)
		return -E_NAMETOOLONG;
	struct cpio_entry e;
	bool root = path[strspn(path, "/.")] == '\0';
	int r = root ? 0 : cpio_find(initfs, initfs_len, path, &e);
	if (r < 0)
		return r == -E_INVAL ? -E_INVAL : -E_NOENT;
	bool dir = root || cpio_is_dir(&e);
	if ((flags & RB_O_DIRECTORY) && !dir)
		return -E_NOTDIR;
	uint32_t perm = root ? 0755 : e.mode & 07777;
	if (!(perm & 04) && proc_uid(proc_current()) != 0)
		return -E_ACCES; /* e.g. /etc/shadow: root's alone */
	struct initfs_node *n = kzalloc(sizeof *n);
	if (!n)
		return -E_NOMEM;
	n->dir = dir;
	n->perm = perm;
	if (!dir) {
		n->data = e.data;
		n->size = e.size;
	}
	strcpy(n->path, path);
	f->priv = n;
	return 0;
}

static int initfs_close(struct file *f)
{
	kfree(f->priv);
	return 0;
}

static long initfs_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct initfs_node *n = f->priv;
	if (n->dir)
		return -E_ISDIR;
	if (*off >= n->size)
		return 0;
	size_t count = n->size - *off < len ? n->size - *off : len;
	int err = copy_to_user(ubuf, n->data + *off, count);
	if (err < 0)
		return err;
	*off += count;
	return (long)count;
}

/* One rb_dirent for e into rec (at least 3 + 256 + 8 bytes): its length. */
static size_t dirent_fill(const struct cpio_entry *e, uint8_t *rec)
{
	size_t len = (3 + e->base_len + 1 + 7) & ~(size_t)7;
	memset(rec, 0, len);
	rec[0] = (uint8_t)len;
	rec[1] = (uint8_t)(len >> 8);
	rec[2] = cpio_is_dir(e) ? RB_DT_DIR : RB_DT_REG;
	memcpy(rec + 3, e->base, e->base_len);
	return len;
}

/* Directory listing: *off counts the entries already returned. */
static long initfs_getdents(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct initfs_node *n = f->priv;
	if (!n->dir)
		return -E_NOTDIR;
	size_t cursor = 0, filled = 0;
	struct cpio_entry e;
	uint64_t index = 0;
	int r;
	while ((r = cpio_child(initfs, initfs_len, n->path, &cursor, &e)) == 1) {
		if (index++ < *off)
			continue;
		if (e.base_len > 255) {
			(*off)++; /* no rb_dirent holds it: skip it, but count it */
			continue;
		}
		uint8_t rec[3 + 256 + 8];
		size_t rlen = dirent_fill(&e, rec);
		if (filled + rlen > len)
			break;
		int err = copy_to_user(ubuf + filled, rec, rlen);
		if (err < 0)
			return err;
		filled += rlen;
		(*off)++;
	}
	if (r < 0)
		return r;
	if (filled == 0 && r == 1)
		return -E_INVAL; /* buffer too small for one record */
	return (long)filled;
}

static int initfs_fstat(struct file *f, struct rb_stat *st)
{
	struct initfs_node *n = f->priv;
	st->size = n->size;
	st->mode = (n->dir ? 0x4000 : 0x8000) | n->perm; /* owner root: uid, gid 0 */
	return 0;
}

/* The canonical path of f: "/" and the archive's name ("/bin/init" for "//bin/./init"). */
static long initfs_fpath(struct file *f, char *buf, size_t len)
{
	struct initfs_node *n = f->priv;
	struct cpio_entry e;
	const char *name = "";
	size_t name_len = 0;
	if (n->path[strspn(n->path, "/.")] != '\0') { /* not the root */
		if (cpio_find(initfs, initfs_len, n->path, &e) < 0)
			return -E_IO; /* it was found at open and the archive never changes */
		name = e.path;
		name_len = e.path_len;
	}
	if (1 + name_len > len)
		return -E_RANGE;
	buf[0] = '/';
	memcpy(buf + 1, name, name_len);
	return (long)(1 + name_len);
}

static int initfs_fsync(struct file *f)
{
	return 0; /* read-only: nothing to write out */
}

static const struct scheme_ops initfs_ops = {
    .open = initfs_open,
    .close = initfs_close,
    .read = initfs_read,
    .getdents = initfs_getdents,
    .fstat = initfs_fstat,
    .fpath = initfs_fpath,
    .fsync = initfs_fsync,
};

struct scheme initfs_scheme = {
    .name = "initfs",
    .ops = &initfs_ops,
};

void initfs_set(const void *ar, size_t len)
{
	initfs = ar;
	initfs_len = len;
}
