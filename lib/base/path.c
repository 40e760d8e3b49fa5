/*
 * path.c - relative paths and their canonical form (see path.h). Pure:
 * no state, no locks; the output is built in the caller's buffer.
 */
#include "base/path.h"
#include "base/err.h"
#include "base/scheme_path.h"

bool path_is_relative(const char *path)
{
	struct scheme_path sp;
	return path[0] != '\0' && path[0] != '/' &&
	       scheme_path_split(path, (size_t)-1, &sp) == -E_NOENT;
}

/* Output being built: buf[0..len) and the offset of the root '/'. */
struct pbuf {
	char *buf;
	size_t cap, len, root;
};

static bool put(struct pbuf *b, char c)
{
	if (b->len + 1 >= b->cap) /* keep room for the NUL */
		return false;
	b->buf[b->len++] = c;
	return true;
}

/* Drop the last segment of b (at the root: nothing). */
static void pop(struct pbuf *b)
{
	while (b->len > b->root + 1 && b->buf[b->len - 1] != '/')
		b->len--;
	if (b->len > b->root + 1)
		b->len--; /* the '/' before it */
}

/* Append the segments of s[0..n) to b, applying "." and "..". */
static int add_segments(struct pbuf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == '/')
			i++;
		size_t start = i;
		while (i < n && s[i] != '/')
			i++;
		size_t len = i - start;
		if (len == 0 || (len == 1 && s[start] == '.'))
			continue;
		if (len == 2 && s[start] == '.' && s[start + 1] == '.') {
			pop(b);
			continue;
		}
		if (b->len > b->root + 1 && !put(b, '/'))
			return -E_NAMETOOLONG;
		for (size_t k = start; k < i; k++)
			if (!put(b, s[k]))
				return -E_NAMETOOLONG;
	}
	return 0;
}

static size_t str_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* Start b with "name:/". */
static int begin(struct pbuf *b, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!put(b, name[i]))
			return -E_NAMETOOLONG;
	if (!put(b, ':') || !put(b, '/'))
		return -E_NAMETOOLONG;
	b->root = b->len - 1;
	return 0;
}

int path_resolve(const char *cwd, const char *path, char *out, size_t cap)
{
	struct pbuf b = {out, cap, 0, 0};
	struct scheme_path sp;
	size_t n = str_len(path, cap);
	if (n == cap)
		return -E_NAMETOOLONG;
	if (n == 0)
		return -E_NOENT;
	int err;
	if (path_is_relative(path)) {
		if (scheme_path_split(cwd, cap, &sp) < 0 || sp.rest[0] != '/')
			return -E_INVAL;
		err = begin(&b, sp.name, sp.name_len);
		if (err == 0)
			err = add_segments(&b, sp.rest, sp.rest_len);
	} else {
		err = scheme_path_split(path, cap, &sp);
		if (err == -E_NOENT) { /* a plain absolute path */
			sp.name = SCHEME_PLAIN;
			sp.name_len = sizeof SCHEME_PLAIN - 1;
			sp.rest = "";
			sp.rest_len = 0;
			err = 0;
		} else {
			path = sp.rest;
			n = sp.rest_len;
		}
		if (err < 0)
			return err;
		err = begin(&b, sp.name, sp.name_len);
	}
	if (err == 0)
		err = add_segments(&b, path, n);
	if (err < 0)
		return err;
	out[b.len] = '\0';
	return 0;
}
