/*
 * fsperms.c - the parser of ramfsd's permission table (see fsperms.h).
 * Pure: no state but the caller's table, no allocation, no locks; the
 * text is read in place and never past len.
 */
#include "ramfs/fsperms.h"
#include "base/lines.h"

struct field {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split line[0..n) at runs of blanks into at most max fields: how many, or max + 1 if more. */
static size_t split(const char *line, size_t n, struct field *f, size_t max)
{
	size_t nf = 0, i = 0;
	for (;;) {
		while (i < n && is_blank(line[i]))
			i++;
		if (i == n)
			return nf;
		if (nf == max)
			return max + 1;
		f[nf].p = line + i;
		while (i < n && !is_blank(line[i]))
			i++;
		f[nf].len = (size_t)(line + i - f[nf].p);
		nf++;
	}
}

static bool parse_mode(const struct field *f, unsigned int *mode)
{
	if (f->len == 0 || f->len > 5)
		return false;
	unsigned int v = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '7')
			return false;
		v = v * 8 + (unsigned int)(f->p[i] - '0');
	}
	if (v > FSPERMS_MODE_MAX)
		return false;
	*mode = v;
	return true;
}

static bool parse_id(const char *p, size_t len, int32_t *v)
{
	if (len == 0 || (len > 1 && p[0] == '0'))
		return false;
	int64_t x = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		x = x * 10 + (p[i] - '0');
		if (x > FSPERMS_ID_MAX)
			return false;
	}
	*v = (int32_t)x;
	return true;
}

static bool parse_owner(const struct field *f, int32_t *uid, int32_t *gid)
{
	size_t colon = 0;
	while (colon < f->len && f->p[colon] != ':')
		colon++;
	if (colon == f->len)
		return false;
	return parse_id(f->p, colon, uid) && parse_id(f->p + colon + 1, f->len - colon - 1, gid);
}

/* Why path p[0..len) (a last "*" component already cut) is refused, or NULL. */
static const char *check_path(const char *p, size_t len)
{
	if (len == 0 || p[0] != '/')
		return "path must start with /";
	if (len > FSPERMS_PATH_MAX)
		return "path too long";
	if (len == 1)
		return NULL; /* the root */
	size_t start = 1;
	for (size_t i = 1; i <= len; i++) {
		if (i < len && (p[i] <= ' ' || p[i] > '~'))
			return "path holds a space or control byte";
		if (i < len && p[i] != '/')
			continue;
		size_t clen = i - start;
		if (clen == 0)
			return "empty path component";
		if (p[start] == '.' && (clen == 1 || (clen == 2 && p[start + 1] == '.')))
			return ". or .. in path";
		start = i + 1;
	}
	return NULL;
}

/* Fill *r from line[0..n): NULL, or why the line is refused. */
static const char *parse_rule(const char *line, size_t n, struct fsperms_rule *r)
{
	struct field f[4];
	if (split(line, n, f, 4) != 4)
		return "need 4 fields: TYPE MODE UID:GID PATH";
	if (f[0].len != 1 || (f[0].p[0] != 'd' && f[0].p[0] != 'f'))
		return "type must be d or f";
	r->make_dir = f[0].p[0] == 'd';
	if (!parse_mode(&f[1], &r->mode))
		return "mode must be octal, at most 01777";
	if (!parse_owner(&f[2], &r->uid, &r->gid))
		return "owner must be UID:GID, decimal";
	const char *p = f[3].p;
	size_t len = f[3].len;
	r->children = len >= 2 && p[len - 2] == '/' && p[len - 1] == '*';
	if (r->children) {
		if (r->make_dir)
			return "a d rule cannot end in /*";
		len = len == 2 ? 1 : len - 2; /* a lone "*" under the root: its entries */
	}
	const char *why = check_path(p, len);
	if (why)
		return why;
	for (size_t i = 0; i < len; i++)
		r->path[i] = p[i];
	r->path[len] = '\0';
	return NULL;
}

size_t fsperms_parse(const char *text, size_t len, struct fsperms_rule *out, size_t max,
		     fsperms_report_fn report, void *ctx)
{
	struct lines it = lines_start(text, len);
	const char *line;
	size_t n, stored = 0;
	while (lines_next(&it, &line, &n)) {
		if (n && line[n - 1] == '\r')
			n--;
		size_t lead = 0;
		while (lead < n && is_blank(line[lead]))
			lead++;
		if (lead == n || line[lead] == '#')
			continue;
		const char *why;
		struct fsperms_rule r;
		if (stored == max)
			why = "too many rules";
		else if (!(why = parse_rule(line, n, &r)))
			out[stored++] = r;
		if (why && report)
			report(ctx, it.no, why);
	}
	return stored;
}
