/*
 * cpio.c - the newc entry walker and the path matching behind cpio_find()
 * and cpio_child().
 *
 * Every header field is eight ASCII hex digits; any other character makes
 * the archive malformed. Offsets are checked against the archive length
 * before each step, by subtraction, so no sum can wrap. Paths are matched
 * component by component (empty and "." components skipped) straight on the
 * bytes of the archive: nothing is copied. No locks: the caller owns the
 * archive and the cursor.
 */
#include <string.h>
#include "cpio/cpio.h"
#include "base/err.h"

#define TRAILER "TRAILER!!!"

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT
};

/* Parse eight ASCII hex digits at p into *v; false on any other character. */
static bool hex8(const uint8_t *p, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i], d;

		if (c >= '0' && c <= '9')
			d = (uint8_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint8_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint8_t)(c - 'A' + 10);
		else
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

/* Next path component of p[0..len) from *pos, skipping "" and "."; false at the end. */
static bool comp_next(const char *p, size_t len, size_t *pos, const char **c, size_t *clen)
{
	for (;;) {
		size_t s;

		while (*pos < len && p[*pos] == '/')
			(*pos)++;
		if (*pos == len)
			return false;
		s = *pos;
		while (*pos < len && p[*pos] != '/')
			(*pos)++;
		if (*pos - s == 1 && p[s] == '.')
			continue;
		*c = p + s;
		*clen = *pos - s;
		return true;
	}
}

/* p[0..len) has a ".." component. */
static bool has_dotdot(const char *p, size_t len)
{
	size_t pos = 0, clen;
	const char *c;

	while (comp_next(p, len, &pos, &c, &clen))
		if (clen == 2 && c[0] == '.' && c[1] == '.')
			return true;
	return false;
}

/*
 * How many components name has below dir (0: the same path, 1: a direct
 * child), or -1 if name is not dir or inside it. Capped at 2.
 */
static int path_depth_below(const char *dir, size_t dlen, const char *name, size_t nlen)
{
	size_t dp = 0, np = 0, dl, nl;
	const char *dc, *nc;
	int extra = 0;

	while (comp_next(dir, dlen, &dp, &dc, &dl)) {
		if (!comp_next(name, nlen, &np, &nc, &nl))
			return -1;
		if (dl != nl || memcmp(dc, nc, dl) != 0)
			return -1;
	}
	while (extra < 2 && comp_next(name, nlen, &np, &nc, &nl))
		extra++;
	return extra;
}

/* Set e->path (leading "/" and "./" removed) and e->base from e->name. */
static void set_path(struct cpio_entry *e)
{
	const char *p = e->name;
	size_t n = e->name_len, end;

	for (;;) {
		if (n >= 1 && p[0] == '/')
			p++, n--;
		else if (n >= 2 && p[0] == '.' && p[1] == '/')
			p += 2, n -= 2;
		else if (n == 1 && p[0] == '.')
			p++, n--;
		else
			break;
	}
	e->path = p;
	e->path_len = n;
	end = n;
	while (end > 0 && p[end - 1] == '/')
		end--;
	e->base_len = 0;
	while (e->base_len < end && p[end - e->base_len - 1] != '/')
		e->base_len++;
	e->base = p + end - e->base_len;
}

int cpio_next(const void *ar, size_t len, size_t *cursor, struct cpio_entry *out)
{
	const uint8_t *b = ar;
	size_t pos = *cursor, data_off, next;
	uint32_t f[F_COUNT];
	const char *name;

	if (pos > len || len - pos < CPIO_HDR_SIZE)
		return -E_INVAL; /* truncated, or the trailer is missing */
	if (memcmp(b + pos, "07070", 5) != 0 || (b[pos + 5] != '1' && b[pos + 5] != '2'))
		return -E_INVAL;
	for (int i = 0; i < F_COUNT; i++)
		if (!hex8(b + pos + 6 + 8 * i, &f[i]))
			return -E_INVAL;

	/* name: namesize bytes after the header, the last one its only NUL */
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > len - pos - CPIO_HDR_SIZE)
		return -E_INVAL;
	name = (const char *)b + pos + CPIO_HDR_SIZE;
	if (name[f[F_NAMESIZE] - 1] != '\0' || memchr(name, 0, f[F_NAMESIZE] - 1))
		return -E_INVAL;

	memset(out, 0, sizeof(*out));
	out->name = name;
	out->name_len = f[F_NAMESIZE] - 1;
	out->ino = f[F_INO];
	out->mode = f[F_MODE];
	out->uid = f[F_UID];
	out->gid = f[F_GID];
	out->nlink = f[F_NLINK];
	out->mtime = f[F_MTIME];
	out->dev_major = f[F_DEVMAJOR];
	out->dev_minor = f[F_DEVMINOR];
	out->rdev_major = f[F_RDEVMAJOR];
	out->rdev_minor = f[F_RDEVMINOR];
	set_path(out);
	if (out->name_len == sizeof(TRAILER) - 1 && memcmp(name, TRAILER, out->name_len) == 0)
		return 0;
	if (has_dotdot(out->name, out->name_len))
		return -E_INVAL;

	/* data: padded to 4 from the header; the archive may end unpadded */
	data_off = pos + ALIGN_UP((size_t)CPIO_HDR_SIZE + f[F_NAMESIZE], 4);
	if (data_off > len || f[F_FILESIZE] > len - data_off)
		return -E_INVAL;
	out->data = b + data_off;
	out->size = f[F_FILESIZE];
	if (b[pos + 5] == '2') {
		uint32_t sum = 0;

		for (size_t i = 0; i < out->size; i++)
			sum += b[data_off + i];
		if (sum != f[F_CHECK])
			return -E_BADMSG;
	}
	next = data_off + ALIGN_UP(out->size, 4);
	*cursor = next < len ? next : len;
	return 1;
}

int cpio_find(const void *ar, size_t len, const char *path, struct cpio_entry *out)
{
	size_t plen = strlen(path), cur = 0;
	struct cpio_entry e;
	bool found = false;
	int r;

	if (has_dotdot(path, plen))
		return -E_INVAL;
	while ((r = cpio_next(ar, len, &cur, &e)) == 1) {
		if (path_depth_below(path, plen, e.name, e.name_len) == 0) {
			*out = e;
			found = true;
		}
	}
	if (r < 0)
		return r;
	return found ? 0 : -E_NOENT;
}

int cpio_child(const void *ar, size_t len, const char *dir, size_t *cursor, struct cpio_entry *out)
{
	size_t dlen = strlen(dir);
	int r;

	if (has_dotdot(dir, dlen))
		return -E_INVAL;
	while ((r = cpio_next(ar, len, cursor, out)) == 1)
		if (path_depth_below(dir, dlen, out->name, out->name_len) == 1)
			return 1;
	return r;
}
