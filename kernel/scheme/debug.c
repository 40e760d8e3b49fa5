/*
 * debug.c - the "debug" scheme: the serial console as a stream
 * ("debug:" with any path). Files have no state (priv is NULL) and no
 * offset (SCHEME_STREAM), so this file owns no objects and no lock.
 * Output goes through kprintf, which serialises whole chunks under the
 * log lock; input polls the serial port without a lock and gives 0 when
 * no byte is waiting (a blocking read arrives with interrupt-driven
 * input), so two threads reading at once race for a byte.
 */
#include "arch.h"
#include "base/err.h"
#include "scheme/file.h"
#include "core/log.h"
#include "scheme/scheme.h"
#include "scheme/builtin.h"
#include "mm/uaccess.h"

static int debug_open(struct file *f, const char *path, int flags)
{
	return 0;
}

static long debug_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	int c = len ? serial_getc() : -1;
	if (c < 0)
		return 0;
	char ch = (char)c;
	int err = copy_to_user(ubuf, &ch, 1);
	return err < 0 ? err : 1;
}

static long debug_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
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

static int debug_fstat(struct file *f, struct rb_stat *st)
{
	st->mode = 0x2000;
	return 0;
}

static int debug_fsync(struct file *f)
{
	return 0; /* every write reached the port already */
}

static long debug_fpath(struct file *f, char *buf, size_t len)
{
	return 0; /* one console: its whole path is "debug:" */
}

static const struct scheme_ops debug_ops = {
    .open = debug_open,
    .read = debug_read,
    .write = debug_write,
    .fstat = debug_fstat,
    .fsync = debug_fsync,
    .fpath = debug_fpath,
};

struct scheme debug_scheme = {
    .name = "debug",
    .ops = &debug_ops,
    .flags = SCHEME_STREAM,
};
