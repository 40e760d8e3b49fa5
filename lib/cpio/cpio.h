/*
 * cpio.h - read-only access to a cpio "newc" archive (cpio(5): magic
 * "070701", or "070702" whose checksum is verified), such as the boot
 * archive initfs that GRUB loads as a module.
 *
 * An archive is a run of entries: a 110-byte header of ASCII hex fields, the
 * name (namesize bytes including its NUL, then padding so the data starts at
 * a multiple of 4 from the start of the archive), the data (padded to 4
 * likewise), and finally an entry named "TRAILER!!!".
 *
 * cpio_next() walks the entries with a cursor; cpio_find() looks a path up;
 * cpio_child() lists the entries directly inside a directory. Paths are
 * compared component by component: leading "/" and "./", repeated "/" and
 * "." components are ignored, so "/bin/init" finds "./bin/init" or
 * "bin/init". A ".." component is never resolved: a path or an archive name
 * containing one is refused with -E_INVAL. Entries point into the archive,
 * which must stay mapped while they are used. Pure code: no locks, no
 * allocation.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define CPIO_HDR_SIZE 110

/* File type bits of cpio_entry.mode (the st_mode values cpio(5) stores). */
#define CPIO_S_IFMT 0170000u
#define CPIO_S_IFREG 0100000u
#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFLNK 0120000u

struct cpio_entry {
	const char *name; /* the name as stored (NUL-terminated in the archive) */
	size_t name_len;  /* its length without the NUL */
	const char *path; /* the name without leading "/" and "./" ("" for ".") */
	size_t path_len;
	const char *base; /* the last component of path ("" for the root) */
	size_t base_len;
	uint32_t ino;
	uint32_t mode; /* type bits (CPIO_S_IF*) and permission bits */
	uint32_t uid, gid;
	uint32_t nlink;
	uint32_t mtime; /* seconds since the epoch */
	uint32_t dev_major, dev_minor;
	uint32_t rdev_major, rdev_minor;
	const void *data; /* file contents; a symlink's target (not NUL-terminated) */
	size_t size;
};

static inline bool cpio_is_reg(const struct cpio_entry *e)
{
	return (e->mode & CPIO_S_IFMT) == CPIO_S_IFREG;
}

static inline bool cpio_is_dir(const struct cpio_entry *e)
{
	return (e->mode & CPIO_S_IFMT) == CPIO_S_IFDIR;
}

static inline bool cpio_is_symlink(const struct cpio_entry *e)
{
	return (e->mode & CPIO_S_IFMT) == CPIO_S_IFLNK;
}

/*
 * Read the entry at *cursor (start with 0) of ar[0..len) into *out and move
 * *cursor past it: 1 for an entry, 0 at the trailer (the cursor then stays
 * there), -E_INVAL for a malformed archive (bad magic or hex, sizes past the
 * end, a name without its NUL, a ".." name, no trailer), -E_BADMSG for a
 * "070702" entry whose checksum does not match its data.
 */
MUST_CHECK int cpio_next(const void *ar, size_t len, size_t *cursor, struct cpio_entry *out);

/*
 * Find path in ar[0..len) into *out: 0, -E_NOENT, -E_INVAL for a path with a
 * ".." component, or cpio_next()'s error. The last matching entry wins.
 */
MUST_CHECK int cpio_find(const void *ar, size_t len, const char *path, struct cpio_entry *out);

/*
 * Next entry directly inside directory dir, from *cursor (start with 0):
 * 1 with *out filled and *cursor moved past it, 0 when there are no more,
 * or a negative error as cpio_next() (-E_INVAL also for a ".." in dir).
 * Only entries stored in the archive are listed: a directory that appears
 * only as a prefix of other names is not synthesised.
 */
MUST_CHECK int cpio_child(const void *ar, size_t len, const char *dir, size_t *cursor,
			  struct cpio_entry *out);
