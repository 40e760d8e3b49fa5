/*
 * passwd.c - parse /etc/passwd lines and look accounts up (format in
 * passwd.h). A line is checked field by field and copied into the
 * caller's table only when all of it is good, so a refused line leaves
 * nothing behind. Pure: no allocation, no locks.
 */
#include "auth/passwd.h"

enum { F_NAME, F_PASS, F_UID, F_GID, F_GECOS, F_HOME, F_SHELL, NFIELDS };

struct table {
	struct passwd_entry *rows;
	size_t n, max;
};

static bool is_gecos(const struct colon_field *f)
{
	if (f->len > PASSWD_GECOS_MAX)
		return false;
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] < ' ' || f->p[i] > '~')
			return false;
	return true;
}

static bool is_path(const struct colon_field *f)
{
	if (f->len == 0 || f->len > PASSWD_PATH_MAX || f->p[0] != '/')
		return false;
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] <= ' ' || f->p[i] > '~')
			return false;
	return true;
}

/* Check the fields of one line: NULL, or why the line is refused. */
static const char *check(const struct colon_field *f, int32_t *uid, int32_t *gid)
{
	if (!colon_is_name(&f[F_NAME]))
		return "bad name";
	if (!colon_equal(&f[F_PASS], "x"))
		return "password field is not x";
	if (!colon_id(&f[F_UID], uid))
		return "bad uid";
	if (!colon_id(&f[F_GID], gid))
		return "bad gid";
	if (!is_gecos(&f[F_GECOS]))
		return "bad gecos";
	if (!is_path(&f[F_HOME]))
		return "bad home";
	if (!is_path(&f[F_SHELL]))
		return "bad shell";
	return NULL;
}

static const char *parse_line(void *ctx, const char *line, size_t len)
{
	struct table *t = ctx;
	struct colon_field f[NFIELDS];
	int32_t uid, gid;
	if (!colon_split(line, len, f, NFIELDS))
		return "not 7 fields";
	const char *why = check(f, &uid, &gid);
	if (why)
		return why;
	why = colon_room(t->rows, t->n, t->max, sizeof *t->rows,
			 offsetof(struct passwd_entry, name), &f[F_NAME]);
	if (why)
		return why;
	struct passwd_entry *e = &t->rows[t->n++];
	colon_copy(e->name, &f[F_NAME]);
	e->uid = uid;
	e->gid = gid;
	colon_copy(e->gecos, &f[F_GECOS]);
	colon_copy(e->home, &f[F_HOME]);
	colon_copy(e->shell, &f[F_SHELL]);
	return NULL;
}

size_t passwd_parse(const char *text, size_t len, struct passwd_entry *out, size_t max,
		    colon_report_fn report, void *ctx)
{
	struct table t = {out, 0, max};
	colon_lines(text, len, parse_line, &t, report, ctx);
	return t.n;
}

const struct passwd_entry *passwd_by_name(const struct passwd_entry *rows, size_t n,
					  const char *name)
{
	return colon_find_str(rows, n, sizeof *rows, offsetof(struct passwd_entry, name), name);
}

const struct passwd_entry *passwd_by_uid(const struct passwd_entry *rows, size_t n, int32_t uid)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].uid == uid)
			return &rows[i];
	return NULL;
}
