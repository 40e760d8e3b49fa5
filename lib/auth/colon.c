/*
 * colon.c - line walking and shared field checks for the colon-separated
 * account files (see colon.h). Pure: no state, no allocation, no locks;
 * the text is read in place and never past len.
 */
#include "auth/colon.h"
#include "base/lines.h"

void colon_lines(const char *text, size_t len, colon_line_fn parse, void *pctx,
		 colon_report_fn report, void *rctx)
{
	struct lines it = lines_start(text, len);
	const char *line;
	size_t n;
	while (lines_next(&it, &line, &n)) {
		if (n && line[n - 1] == '\r')
			n--;
		if (n && line[0] != '#') {
			const char *why = parse(pctx, line, n);
			if (why && report)
				report(rctx, it.no, why);
		}
	}
}

bool colon_split(const char *line, size_t len, struct colon_field *f, size_t n)
{
	size_t nf = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != ':')
			continue;
		if (nf == n)
			return false;
		f[nf].p = line + start;
		f[nf].len = i - start;
		nf++;
		start = i + 1;
	}
	return nf == n;
}

static bool is_lower_or_under(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

bool colon_is_name(const struct colon_field *f)
{
	if (f->len == 0 || f->len > COLON_NAME_MAX || !is_lower_or_under(f->p[0]))
		return false;
	for (size_t i = 1; i < f->len; i++) {
		char c = f->p[i];
		if (!is_lower_or_under(c) && !(c >= '0' && c <= '9') && c != '-')
			return false;
	}
	return true;
}

bool colon_id(const struct colon_field *f, int32_t *v)
{
	if (f->len == 0 || (f->len > 1 && f->p[0] == '0'))
		return false;
	int64_t x = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return false;
		x = x * 10 + (f->p[i] - '0');
		if (x > COLON_ID_MAX)
			return false;
	}
	*v = (int32_t)x;
	return true;
}

void colon_copy(char *dst, const struct colon_field *f)
{
	for (size_t i = 0; i < f->len; i++)
		dst[i] = f->p[i];
	dst[f->len] = '\0';
}

bool colon_equal(const struct colon_field *f, const char *s)
{
	size_t i = 0;
	for (; i < f->len; i++)
		if (s[i] == '\0' || s[i] != f->p[i])
			return false;
	return s[i] == '\0';
}

const void *colon_find(const void *rows, size_t n, size_t size, size_t off,
		       const struct colon_field *key)
{
	const char *row = rows;
	for (size_t i = 0; i < n; i++, row += size)
		if (colon_equal(key, row + off))
			return row;
	return NULL;
}

const char *colon_room(const void *rows, size_t n, size_t max, size_t size, size_t off,
		       const struct colon_field *name)
{
	if (colon_find(rows, n, size, off, name))
		return "duplicate name";
	if (n == max)
		return "too many entries";
	return NULL;
}

const void *colon_find_str(const void *rows, size_t n, size_t size, size_t off, const char *key)
{
	struct colon_field f = {key, 0};
	while (key[f.len])
		f.len++;
	return colon_find(rows, n, size, off, &f);
}
