/*
 * file.c - the kernel's own schemes: initfs (read-only boot archive) and
 * debug (the serial console). See file.h.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "scheme/file.h"
#include "core/log.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "cpio/cpio.h"
#include "sync/irqlock.h"

static const uint8_t *initfs;
static size_t initfs_len;
static struct spinlock refs_lock = SPINLOCK_INIT;

void file_init(const void *ar, size_t len)
{
	initfs = ar;
	initfs_len = len;
}

const uint8_t *initfs_file(const char *path, size_t *len)
{
	struct cpio_entry e;
	if (!initfs || cpio_find(initfs, initfs_len, path, &e) < 0 || !cpio_is_reg(&e))
		return NULL;
	*len = e.size;
	return e.data;
}

static long initfs_read(struct file *f, uint64_t ubuf, size_t len)
{
	if (f->mode & 0x4000)
		return -E_ISDIR;
	if (f->off >= f->size)
		return 0;
	size_t n = f->size - f->off < len ? f->size - f->off : len;
	int err = copy_to_user(ubuf, f->data + f->off, n);
	if (err < 0)
		return err;
	f->off += n;
	return (long)n;
}

static long readonly_write(struct file *f, uint64_t ubuf, size_t len)
{
	return -E_BADF;
}

/* Directory listing: f->off counts entries already returned. */
static long initfs_getdents(struct file *f, uint64_t ubuf, size_t len)
{
	if (!(f->mode & 0x4000))
		return -E_NOTDIR;
	size_t cursor = 0, filled = 0;
	struct cpio_entry e;
	uint64_t index = 0;
	int r;
	while ((r = cpio_child(initfs, initfs_len, f->path, &cursor, &e)) == 1) {
		if (index++ < f->off)
			continue;
		size_t rec = (3 + e.base_len + 1 + 7) & ~(size_t)7;
		if (filled + rec > len)
			break;
		uint8_t tmp[3 + 256 + 8] = { 0 };
		if (e.base_len > 255)
			continue;
		tmp[0] = (uint8_t)rec;
		tmp[1] = (uint8_t)(rec >> 8);
		tmp[2] = cpio_is_dir(&e) ? RB_DT_DIR : RB_DT_REG;
		memcpy(tmp + 3, e.base, e.base_len);
		int err = copy_to_user(ubuf + filled, tmp, rec);
		if (err < 0)
			return err;
		filled += rec;
		f->off++;
	}
	if (r < 0)
		return r;
	if (filled == 0 && r == 1)
		return -E_INVAL; /* buffer too small for one record */
	return (long)filled;
}

static const struct file_ops initfs_ops = {
	.read = initfs_read,
	.write = readonly_write,
	.getdents = initfs_getdents,
};

static long console_read(struct file *f, uint64_t ubuf, size_t len)
{
	int c = serial_getc();
	if (c < 0 || len == 0)
		return 0;
	char ch = (char)c;
	int err = copy_to_user(ubuf, &ch, 1);
	return err < 0 ? err : 1;
}

static long console_write(struct file *f, uint64_t ubuf, size_t len)
{
	char buf[256];
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof buf - 1 ? len - done : sizeof buf - 1;
		int err = copy_from_user(buf, ubuf + done, n);
		if (err < 0)
			return done ? (long)done : err;
		buf[n] = '\0';
		kprintf("%s", buf);
		done += n;
	}
	return (long)done;
}

static long console_getdents(struct file *f, uint64_t ubuf, size_t len)
{
	return -E_NOTDIR;
}

static const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.getdents = console_getdents,
};

static struct file *file_new(const struct file_ops *ops)
{
	struct file *f = kzalloc(sizeof *f);
	if (f) {
		f->ops = ops;
		f->refs = 1;
	}
	return f;
}

struct file *file_console(void)
{
	struct file *f = file_new(&console_ops);
	if (f)
		f->mode = 0x2000;
	return f;
}

struct file *file_open(const char *path, int flags, int *err)
{
	const char *colon = strchr(path, ':');
	if (!colon) {
		*err = -E_NOENT;
		return NULL;
	}
	size_t slen = (size_t)(colon - path);
	const char *rest = colon + 1;
	if (slen == 5 && memcmp(path, "debug", 5) == 0) {
		struct file *f = file_console();
		*err = f ? 0 : -E_NOMEM;
		return f;
	}
	if (!(slen == 6 && memcmp(path, "initfs", 6) == 0)) {
		*err = -E_NOENT; /* no such scheme */
		return NULL;
	}
	if ((flags & 3) != RB_O_RDONLY) {
		*err = -E_ACCES; /* initfs is read-only */
		return NULL;
	}
	if (strlen(rest) >= sizeof((struct file *)0)->path) {
		*err = -E_NAMETOOLONG;
		return NULL;
	}
	struct cpio_entry e;
	bool root = rest[strspn(rest, "/.")] == '\0';
	int r = root ? 0 : cpio_find(initfs, initfs_len, rest, &e);
	if (r < 0) {
		*err = r == -E_INVAL ? -E_INVAL : -E_NOENT;
		return NULL;
	}
	bool dir = root || cpio_is_dir(&e);
	if ((flags & RB_O_DIRECTORY) && !dir) {
		*err = -E_NOTDIR;
		return NULL;
	}
	struct file *f = file_new(&initfs_ops);
	if (!f) {
		*err = -E_NOMEM;
		return NULL;
	}
	f->mode = dir ? 0x4000 : 0x8000;
	if (!dir) {
		f->data = e.data;
		f->size = e.size;
	}
	strcpy(f->path, rest);
	*err = 0;
	return f;
}

void file_get(struct file *f)
{
	uint64_t fl = spin_lock_irqsave(&refs_lock);
	f->refs++;
	spin_unlock_irqrestore(&refs_lock, fl);
}

void file_put(struct file *f)
{
	uint64_t fl = spin_lock_irqsave(&refs_lock);
	bool last = --f->refs == 0;
	spin_unlock_irqrestore(&refs_lock, fl);
	if (last)
		kfree(f);
}
