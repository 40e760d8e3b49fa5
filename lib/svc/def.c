/*
 * def.c - convert a parsed service file into a struct svc_def (svc.h).
 *
 * The root table's keys are walked in file order and each is handed to the
 * handler of its field (the table below); a key with no handler is an
 * error. Handlers check the value's type and range and store it; checks
 * that involve two fields (exec present, ready_path with notify, health)
 * run once all keys are read. Every error names the field and carries the
 * line and column of its key (or of the offending array element).
 *
 * Pure: no allocation, no locks; the result points into the document.
 */
#include <stdarg.h>
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "svc/svc.h"

static int field_error(struct toml_error *err, const struct toml_node *at, const char *field,
		       const char *fmt, ...) PRINTF_LIKE(4, 5);

static int field_error(struct toml_error *err, const struct toml_node *at, const char *field,
		       const char *fmt, ...)
{
	char why[TOML_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err->line = at ? at->line : 0;
	err->col = at ? at->col : 0;
	fmt_snprintf(err->msg, sizeof err->msg, "field '%s': %s", field, why);
	return -E_INVAL;
}

/* An unknown key at n (prefix: "" or the table's name and a dot). */
static int unknown_field(struct toml_error *err, const struct toml_node *n, const char *prefix)
{
	err->line = n->line;
	err->col = n->col;
	fmt_snprintf(err->msg, sizeof err->msg, "unknown field '%s%s'", prefix, n->key);
	return -E_INVAL;
}

static int want_type(struct toml_error *err, const struct toml_node *n, const char *field,
		     enum toml_type t)
{
	struct toml_error why;
	if (toml_expect(n, t, &why) == 0)
		return 0;
	return field_error(err, n, field, "%s", why.msg);
}

static int get_string(struct toml_error *err, const struct toml_node *n, const char *field,
		      const char **out)
{
	int r = want_type(err, n, field, TOML_STRING);
	if (r < 0)
		return r;
	if (n->len == 0)
		return field_error(err, n, field, "must not be empty");
	*out = n->v.s;
	return 0;
}

static int get_seconds(struct toml_error *err, const struct toml_node *n, const char *field,
		       unsigned *out)
{
	int r = want_type(err, n, field, TOML_INT);
	if (r < 0)
		return r;
	if (n->v.i < 1 || n->v.i > SVC_MAX_SECONDS)
		return field_error(err, n, field, "must be 1..%d seconds", SVC_MAX_SECONDS);
	*out = (unsigned)n->v.i;
	return 0;
}

/* An array of non-empty strings into out[0..max): *count of them. */
static int get_strings(struct toml_error *err, const struct toml_node *n, const char *field,
		       const char **out, size_t max, size_t *count)
{
	int r = want_type(err, n, field, TOML_ARRAY);
	if (r < 0)
		return r;
	if (n->len > max)
		return field_error(err, n, field, "more than %zu entries", max);
	*count = 0;
	for (const struct toml_node *e = n->child; e; e = e->next)
		if ((r = get_string(err, e, field, &out[(*count)++])) < 0)
			return r;
	return 0;
}

/* A list of service names: valid, no name twice. */
static int get_names(struct toml_error *err, const struct toml_node *n, const char *field,
		     const char **out, size_t *count)
{
	int r = get_strings(err, n, field, out, SVC_MAX_DEPS, count);
	if (r < 0)
		return r;
	const struct toml_node *e = n->child;
	for (size_t i = 0; i < *count; i++, e = e->next) {
		if (!svc_name_valid(out[i]))
			return field_error(err, e, field, "'%s' is not a service name", out[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(out[i], out[j]) == 0)
				return field_error(err, e, field, "'%s' is listed twice", out[i]);
	}
	return 0;
}

/* The string value of n, which must be one of names[0..count): its index. */
static int get_enum(struct toml_error *err, const struct toml_node *n, const char *field,
		    const char *const *names, size_t count, unsigned *out)
{
	const char *s;
	int r = get_string(err, n, field, &s);
	if (r < 0)
		return r;
	for (size_t i = 0; i < count; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	char list[TOML_MSG_MAX];
	size_t at = 0;
	for (size_t i = 0; i < count && at < sizeof list; i++)
		at += (size_t)fmt_snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "",
					   names[i]);
	return field_error(err, n, field, "'%s' is not one of %s", s, list);
}

static const char *const type_names[] = {"daemon", "notify", "oneshot", "oneshot_async"};
static const char *const restart_names[] = {"never", "on-failure", "always"};

static bool env_valid(const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || eq == s || (*s >= '0' && *s <= '9'))
		return false;
	for (const char *c = s; c < eq; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

/* ---------------------------------------------------------------- fields */

typedef int (*field_fn)(struct svc_def *d, const struct toml_node *n, struct toml_error *err);

static int f_exec(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_string(err, n, "exec", &d->exec);
}

static int f_args(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_strings(err, n, "args", d->args, SVC_MAX_ARGS, &d->nargs);
}

static int f_type(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	unsigned v;
	int r = get_enum(err, n, "type", type_names, ARRAY_SIZE(type_names), &v);
	if (r == 0)
		d->type = (enum svc_type)v;
	return r;
}

static int f_requires(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_names(err, n, "requires", d->requires, &d->nrequires);
}

static int f_after(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_names(err, n, "after", d->after, &d->nafter);
}

static int f_restart(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	unsigned v;
	int r = get_enum(err, n, "restart", restart_names, ARRAY_SIZE(restart_names), &v);
	if (r == 0)
		d->restart = (enum svc_restart)v;
	return r;
}

static int f_max_restarts(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	int r = want_type(err, n, "max_restarts", TOML_INT);
	if (r < 0)
		return r;
	if (n->v.i < 0 || n->v.i > 1000)
		return field_error(err, n, "max_restarts", "must be 0..1000");
	d->max_restarts = (unsigned)n->v.i;
	return 0;
}

static int f_restart_window(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_seconds(err, n, "restart_window", &d->restart_window_s);
}

static int f_ready_path(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_string(err, n, "ready_path", &d->ready_path);
}

static int f_ready_timeout(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	return get_seconds(err, n, "ready_timeout", &d->ready_timeout_s);
}

static int f_user(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	if (n->type == TOML_STRING)
		return get_string(err, n, "user", &d->user);
	if (n->type != TOML_INT)
		return field_error(err, n, "user",
				   "must be a user name (string) or a uid (integer)");
	if (n->v.i < 0 || n->v.i > INT32_MAX)
		return field_error(err, n, "user", "uid out of range");
	d->uid = (int)n->v.i;
	return 0;
}

static int f_environment(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	int r = get_strings(err, n, "environment", d->env, SVC_MAX_ENV, &d->nenv);
	if (r < 0)
		return r;
	const struct toml_node *e = n->child;
	for (size_t i = 0; i < d->nenv; i++, e = e->next)
		if (!env_valid(d->env[i]))
			return field_error(err, e, "environment", "'%s' is not NAME=value",
					   d->env[i]);
	return 0;
}

static int f_critical(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	int r = want_type(err, n, "critical", TOML_BOOL);
	if (r == 0)
		d->critical = n->v.b;
	return r;
}

static int f_stops_children(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	int r = want_type(err, n, "stops_children", TOML_BOOL);
	if (r == 0)
		d->stops_children = n->v.b;
	return r;
}

static int f_stop_last(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	int r = want_type(err, n, "stop_last", TOML_BOOL);
	if (r == 0)
		d->stop_last = n->v.b;
	return r;
}

static int f_health(struct svc_def *d, const struct toml_node *n, struct toml_error *err)
{
	int r = want_type(err, n, "health", TOML_TABLE);
	if (r < 0)
		return r;
	for (const struct toml_node *c = n->child; c; c = c->next) {
		if (strcmp(c->key, "path") == 0)
			r = get_string(err, c, "health.path", &d->health_path);
		else if (strcmp(c->key, "command") == 0)
			r = get_strings(err, c, "health.command", d->health_cmd, SVC_MAX_ARGS,
					&d->nhealth_cmd);
		else if (strcmp(c->key, "interval") == 0)
			r = get_seconds(err, c, "health.interval", &d->health_interval_s);
		else
			r = unknown_field(err, c, "health.");
		if (r < 0)
			return r;
	}
	if (!d->health_path == !d->nhealth_cmd)
		return field_error(err, n, "health", "needs exactly one of 'path' and 'command'");
	return 0;
}

static const struct field {
	const char *name;
	field_fn fn;
} fields[] = {
    {"exec", f_exec},
    {"args", f_args},
    {"type", f_type},
    {"requires", f_requires},
    {"after", f_after},
    {"restart", f_restart},
    {"max_restarts", f_max_restarts},
    {"restart_window", f_restart_window},
    {"ready_path", f_ready_path},
    {"ready_timeout", f_ready_timeout},
    {"user", f_user},
    {"environment", f_environment},
    {"critical", f_critical},
    {"stop_last", f_stop_last},
    {"stops_children", f_stops_children},
    {"health", f_health},
};

/* ---------------------------------------------------------------- interface */

bool svc_name_valid(const char *name)
{
	size_t n = strnlen(name, SVC_NAME_MAX + 1);
	if (n == 0 || n > SVC_NAME_MAX || name[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_' || name[i] == '-'))
			return false;
	return true;
}

int svc_name_from_file(const char *file, char name[SVC_NAME_MAX + 1])
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n <= 5 || strcmp(base + n - 5, ".toml") != 0 || n - 5 > SVC_NAME_MAX)
		return -E_INVAL;
	memcpy(name, base, n - 5);
	name[n - 5] = '\0';
	return svc_name_valid(name) ? 0 : -E_INVAL;
}

static void set_defaults(struct svc_def *d, const char *name)
{
	memset(d, 0, sizeof *d);
	memcpy(d->name, name, strlen(name) + 1);
	d->type = SVC_DAEMON;
	d->restart = SVC_RESTART_ON_FAILURE;
	d->max_restarts = SVC_DEFAULT_MAX_RESTARTS;
	d->restart_window_s = SVC_DEFAULT_WINDOW_S;
	d->ready_timeout_s = SVC_DEFAULT_READY_TIMEOUT_S;
	d->health_interval_s = SVC_DEFAULT_HEALTH_INTERVAL_S;
}

/* Rules between fields, once every key is read. */
static int check_def(const struct svc_def *d, const struct toml_node *root, struct toml_error *err)
{
	if (!d->exec)
		return field_error(err, NULL, "exec", "missing");
	const struct toml_node *rp = toml_get(root, "ready_path");
	/* a notify service without ready_path says it is ready through INIT_NOTIFY */
	if (d->type != SVC_NOTIFY && rp)
		return field_error(err, rp, "ready_path", "only type 'notify' has one");
	const struct toml_node *h = toml_get(root, "health");
	if (h && (d->type == SVC_ONESHOT || d->type == SVC_ONESHOT_ASYNC))
		return field_error(err, h, "health", "a oneshot service has no health check");
	return 0;
}

int svc_from_toml(const struct toml_node *root, const char *name, struct svc_def *def,
		  struct toml_error *err)
{
	memset(err, 0, sizeof *err);
	if (!svc_name_valid(name)) {
		fmt_snprintf(err->msg, sizeof err->msg, "'%s' is not a service name", name);
		return -E_INVAL;
	}
	set_defaults(def, name);
	for (const struct toml_node *c = root->child; c; c = c->next) {
		const struct field *f = NULL;
		for (size_t i = 0; i < ARRAY_SIZE(fields) && !f; i++)
			if (strcmp(c->key, fields[i].name) == 0)
				f = &fields[i];
		if (!f)
			return unknown_field(err, c, "");
		int r = f->fn(def, c, err);
		if (r < 0)
			return r;
	}
	return check_def(def, root, err);
}

int svc_load(const char *file, const char *text, size_t len, struct toml_doc *doc,
	     struct svc_def *def, struct toml_error *err)
{
	char name[SVC_NAME_MAX + 1];
	if (svc_name_from_file(file, name) < 0) {
		memset(err, 0, sizeof *err);
		fmt_snprintf(err->msg, sizeof err->msg,
			     "the file name must be <service name>.toml, the name of [a-z0-9_-]");
		return -E_INVAL;
	}
	int r = toml_parse(doc, text, len);
	if (r < 0) {
		*err = doc->err;
		return r;
	}
	return svc_from_toml(toml_root(doc), name, def, err);
}

const char *svc_type_name(enum svc_type t)
{
	return (unsigned)t < ARRAY_SIZE(type_names) ? type_names[t] : "?";
}

const char *svc_restart_name(enum svc_restart r)
{
	return (unsigned)r < ARRAY_SIZE(restart_names) ? restart_names[r] : "?";
}
