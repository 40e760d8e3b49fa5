/*
 * shadow.c - parse /etc/shadow lines, find an account and check a
 * password against it (format in shadow.h). A line is checked field by
 * field and copied into the caller's table only when all of it is good.
 * Pure: no allocation, no locks.
 */
#include "auth/shadow.h"

#define NDAYS 6 /* lastchg, min, max, warn, inactive, expire */
enum { F_NAME, F_HASH, F_DAYS, F_RESERVED = F_DAYS + NDAYS, NFIELDS };

struct table {
	struct shadow_entry *rows;
	size_t n, max;
};

/* A "$5$" hash, '!' and one, "*", "!" or "!!". */
static bool is_hash_field(const struct colon_field *f)
{
	if (colon_equal(f, "*") || colon_equal(f, "!") || colon_equal(f, "!!"))
		return true;
	size_t skip = f->len && f->p[0] == '!';
	return sha256crypt_is_hash(f->p + skip, f->len - skip);
}

static bool parse_day(const struct colon_field *f, int32_t *v)
{
	if (f->len == 0) {
		*v = SHADOW_UNSET;
		return true;
	}
	return colon_id(f, v);
}

static const char *check(const struct colon_field *f, int32_t days[NDAYS])
{
	if (!colon_is_name(&f[F_NAME]))
		return "bad name";
	if (f[F_HASH].len == 0)
		return "empty password field";
	if (!is_hash_field(&f[F_HASH]))
		return "unsupported hash";
	for (int i = 0; i < NDAYS; i++)
		if (!parse_day(&f[F_DAYS + i], &days[i]))
			return "bad day count";
	if (f[F_RESERVED].len)
		return "reserved field not empty";
	return NULL;
}

static const char *parse_line(void *ctx, const char *line, size_t len)
{
	struct table *t = ctx;
	struct colon_field f[NFIELDS];
	int32_t d[NDAYS];
	if (!colon_split(line, len, f, NFIELDS))
		return "not 9 fields";
	const char *why = check(f, d);
	if (why)
		return why;
	why = colon_room(t->rows, t->n, t->max, sizeof *t->rows,
			 offsetof(struct shadow_entry, name), &f[F_NAME]);
	if (why)
		return why;
	struct shadow_entry *e = &t->rows[t->n++];
	colon_copy(e->name, &f[F_NAME]);
	colon_copy(e->hash, &f[F_HASH]);
	e->lastchg = d[0];
	e->min = d[1];
	e->max = d[2];
	e->warn = d[3];
	e->inactive = d[4];
	e->expire = d[5];
	return NULL;
}

size_t shadow_parse(const char *text, size_t len, struct shadow_entry *out, size_t max,
		    colon_report_fn report, void *ctx)
{
	struct table t = {out, 0, max};
	colon_lines(text, len, parse_line, &t, report, ctx);
	return t.n;
}

const struct shadow_entry *shadow_by_name(const struct shadow_entry *rows, size_t n,
					  const char *name)
{
	return colon_find_str(rows, n, sizeof *rows, offsetof(struct shadow_entry, name), name);
}

bool shadow_check(const struct shadow_entry *e, const void *key, size_t keylen)
{
	size_t len = 0;
	while (e->hash[len])
		len++;
	return e->hash[0] == '$' && sha256crypt_verify(key, keylen, e->hash, len);
}
