/*
 * rules.c - a driver rules file into a struct drv_rule (drvmgr.h), and
 * one match entry ("pci 1af4:1001") into a struct drv_match.
 *
 * The file is parsed by lib/toml into the caller's storage; the root
 * table's keys are then walked in file order, each handed to its field's
 * handler (a key with no handler is an error), and the required fields
 * checked last. As lib/svc/def.c, every error carries the line and column
 * of the key or the array element at fault, and drv_rule_parse() formats
 * it as "file: line L, column C: message", one line without control bytes
 * (one that a TOML message quoted becomes '?'). The rule keeps copies of
 * its strings, so the TOML storage may be reused for the next file.
 *
 * Pure: no allocation, no locks; the caller owns every buffer.
 */
#include <stdarg.h>
#include <string.h>
#include "base/err.h"
#include "base/hex.h"
#include "drvmgr/drvmgr.h"
#include "fmt/fmt.h"
#include "svc/svc.h"

STATIC_ASSERT(DRV_NAME_MAX == SVC_NAME_MAX, "driver names follow init's service name rules");

#define QUOTE_MAX 32 /* bytes of a bad value quoted in a message */

static const char *const restart_names[] = {"on-failure", "always", "never"};

static int at_error(struct toml_error *err, const struct toml_node *at, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

/* An error at node at (NULL: no position): -E_INVAL. */
static int at_error(struct toml_error *err, const struct toml_node *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->line = at ? at->line : 0;
	err->col = at ? at->col : 0;
	return -E_INVAL;
}

/* s as it may appear in a message: at most QUOTE_MAX bytes, unprintable bytes as '?'. */
static void quote(char out[QUOTE_MAX + 4], const char *s)
{
	size_t i = 0;
	for (; s[i] && i < QUOTE_MAX; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (s[i]) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

static int want_type(struct toml_error *err, const struct toml_node *n, const char *field,
		     enum toml_type t)
{
	struct toml_error why;
	if (toml_expect(n, t, &why) == 0)
		return 0;
	return at_error(err, n, "field '%s': %s", field, why.msg);
}

/* A string of 1..DRV_STR_MAX bytes into out[DRV_STR_MAX + 1]. */
static int get_string(struct toml_error *err, const struct toml_node *n, const char *field,
		      char *out)
{
	int r = want_type(err, n, field, TOML_STRING);
	if (r < 0)
		return r;
	if (n->len < 1 || n->len > DRV_STR_MAX)
		return at_error(err, n, "field '%s': must be 1..%d bytes", field, DRV_STR_MAX);
	memcpy(out, n->v.s, n->len + 1);
	return 0;
}

/* ---------------------------------------------------------------- match entries */

/* Exactly n hex digits at s: their value, or -1. */
static int hex_n(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* "VVVV" or "*" at s[0..n): the id, -1 for '*', or -2 if neither. */
static int pci_id(const char *s, size_t n)
{
	if (n == 1 && s[0] == '*')
		return -1;
	if (n != 4)
		return -2;
	int v = hex_n(s, 4);
	return v < 0 ? -2 : v;
}

static bool upper_or_digit(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool upper_hex(char c)
{
	return (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9');
}

/* ACPI 6.1.5: a PNP ID "AAA####" or an ACPI ID "NNNN####" (# an upper-case hex digit). */
static bool acpi_id_valid(const char *s)
{
	size_t n = strnlen(s, DRV_ACPI_ID_MAX + 1);
	if (n != 7 && n != 8)
		return false;
	size_t head = n - 4;
	for (size_t i = 0; i < head; i++)
		if (head == 3 ? !(s[i] >= 'A' && s[i] <= 'Z') : !upper_or_digit(s[i]))
			return false;
	for (size_t i = head; i < n; i++)
		if (!upper_hex(s[i]))
			return false;
	return true;
}

static int expected(char *why, size_t whylen, const char *what)
{
	if (whylen)
		fmt_snprintf(why, whylen, "expected %s", what);
	return -E_INVAL;
}

static int parse_pci(const char *arg, struct drv_match *m, char *why, size_t whylen)
{
	const char *colon = strchr(arg, ':');
	if (!colon)
		return expected(why, whylen, "pci VVVV:DDDD");
	int v = pci_id(arg, (size_t)(colon - arg));
	int d = pci_id(colon + 1, strlen(colon + 1));
	if (v == -2 || d == -2)
		return expected(why, whylen, "pci VVVV:DDDD");
	if (v == -1 && d == -1) {
		if (whylen)
			fmt_snprintf(why, whylen, "vendor and device cannot both be *");
		return -E_INVAL;
	}
	m->kind = DRV_M_PCI_ID;
	m->vendor = v;
	m->device = d;
	return 0;
}

static int parse_pci_class(const char *arg, struct drv_match *m, char *why, size_t whylen)
{
	size_t n = strlen(arg);
	if ((n != 5 && n != 8) || arg[2] != ':' || (n == 8 && arg[5] != ':'))
		return expected(why, whylen, "pci-class CC:SS or CC:SS:PP");
	int c = hex_n(arg, 2), s = hex_n(arg + 3, 2), p = n == 8 ? hex_n(arg + 6, 2) : -1;
	if (c < 0 || s < 0 || (n == 8 && p < 0))
		return expected(why, whylen, "pci-class CC:SS or CC:SS:PP");
	m->kind = DRV_M_PCI_CLASS;
	m->cls = c;
	m->sub = s;
	m->progif = p;
	return 0;
}

static int parse_acpi(const char *arg, struct drv_match *m, char *why, size_t whylen)
{
	if (!acpi_id_valid(arg))
		return expected(why, whylen, "acpi AAA#### or NNNN#### (e.g. PNP0303)");
	m->kind = DRV_M_ACPI;
	memcpy(m->acpi, arg, strlen(arg) + 1);
	return 0;
}

int drv_match_parse(const char *s, struct drv_match *out, char *why, size_t whylen)
{
	static const struct {
		const char *word;
		int (*fn)(const char *, struct drv_match *, char *, size_t);
	} kinds[] = {
	    {"pci", parse_pci},
	    {"pci-class", parse_pci_class},
	    {"acpi", parse_acpi},
	};
	memset(out, 0, sizeof *out);
	out->vendor = out->device = out->progif = -1;
	const char *sp = strchr(s, ' ');
	for (size_t i = 0; sp && i < ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].word) == (size_t)(sp - s) &&
		    memcmp(s, kinds[i].word, (size_t)(sp - s)) == 0)
			return kinds[i].fn(sp + 1, out, why, whylen);
	return expected(why, whylen, "pci, pci-class or acpi and one space");
}

int drv_match_format(const struct drv_match *m, char *buf, size_t n)
{
	char v[5] = "*", d[5] = "*";
	switch (m->kind) {
	case DRV_M_PCI_ID:
		if (m->vendor >= 0)
			fmt_snprintf(v, sizeof v, "%04x", (unsigned)m->vendor & 0xffff);
		if (m->device >= 0)
			fmt_snprintf(d, sizeof d, "%04x", (unsigned)m->device & 0xffff);
		return fmt_snprintf(buf, n, "pci %s:%s", v, d);
	case DRV_M_PCI_CLASS:
		if (m->progif >= 0)
			return fmt_snprintf(buf, n, "pci-class %02x:%02x:%02x",
					    (unsigned)m->cls & 0xff, (unsigned)m->sub & 0xff,
					    (unsigned)m->progif & 0xff);
		return fmt_snprintf(buf, n, "pci-class %02x:%02x", (unsigned)m->cls & 0xff,
				    (unsigned)m->sub & 0xff);
	case DRV_M_ACPI:
		return fmt_snprintf(buf, n, "acpi %.8s", m->acpi);
	}
	return fmt_snprintf(buf, n, "?");
}

static bool match_equal(const struct drv_match *a, const struct drv_match *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case DRV_M_PCI_ID:
		return a->vendor == b->vendor && a->device == b->device;
	case DRV_M_PCI_CLASS:
		return a->cls == b->cls && a->sub == b->sub && a->progif == b->progif;
	case DRV_M_ACPI:
		return strcmp(a->acpi, b->acpi) == 0;
	}
	return false;
}

/* ---------------------------------------------------------------- fields */

typedef int (*field_fn)(struct drv_rule *r, const struct toml_node *n, struct toml_error *err);

static int f_exec(struct drv_rule *r, const struct toml_node *n, struct toml_error *err)
{
	return get_string(err, n, "exec", r->exec);
}

static int f_args(struct drv_rule *r, const struct toml_node *n, struct toml_error *err)
{
	int e = want_type(err, n, "args", TOML_ARRAY);
	if (e < 0)
		return e;
	if (n->len > DRV_ARGS_MAX)
		return at_error(err, n, "field 'args': more than %d entries", DRV_ARGS_MAX);
	r->nargs = 0;
	for (const struct toml_node *c = n->child; c; c = c->next)
		if ((e = get_string(err, c, "args", r->args[r->nargs++])) < 0)
			return e;
	return 0;
}

static int f_priority(struct drv_rule *r, const struct toml_node *n, struct toml_error *err)
{
	int e = want_type(err, n, "priority", TOML_INT);
	if (e < 0)
		return e;
	if (n->v.i < DRV_PRIO_MIN || n->v.i > DRV_PRIO_MAX)
		return at_error(err, n, "field 'priority': must be %d..%d", DRV_PRIO_MIN,
				DRV_PRIO_MAX);
	r->priority = (int)n->v.i;
	return 0;
}

static int f_match(struct drv_rule *r, const struct toml_node *n, struct toml_error *err)
{
	int e = want_type(err, n, "match", TOML_ARRAY);
	if (e < 0)
		return e;
	if (n->len < 1 || n->len > DRV_MATCH_MAX)
		return at_error(err, n, "field 'match': needs 1..%d entries", DRV_MATCH_MAX);
	r->nmatch = 0;
	for (const struct toml_node *c = n->child; c; c = c->next) {
		if ((e = want_type(err, c, "match", TOML_STRING)) < 0)
			return e;
		struct drv_match *m = &r->m[r->nmatch];
		char why[TOML_MSG_MAX], q[QUOTE_MAX + 4];
		quote(q, c->v.s);
		if (drv_match_parse(c->v.s, m, why, sizeof why) < 0)
			return at_error(err, c, "bad match \"%s\": %s", q, why);
		for (unsigned i = 0; i < r->nmatch; i++)
			if (match_equal(&r->m[i], m))
				return at_error(err, c, "bad match \"%s\": listed twice", q);
		r->nmatch++;
	}
	return 0;
}

static int f_restart(struct drv_rule *r, const struct toml_node *n, struct toml_error *err)
{
	int e = want_type(err, n, "restart", TOML_STRING);
	if (e < 0)
		return e;
	for (size_t i = 0; i < ARRAY_SIZE(restart_names); i++)
		if (strcmp(n->v.s, restart_names[i]) == 0) {
			r->restart = (enum drv_restart)i;
			return 0;
		}
	char q[QUOTE_MAX + 4];
	quote(q, n->v.s);
	return at_error(err, n, "field 'restart': '%s' is not one of always, on-failure, never", q);
}

static const struct field {
	const char *name;
	field_fn fn;
} fields[] = {
    {"exec", f_exec},	{"args", f_args},	{"priority", f_priority},
    {"match", f_match}, {"restart", f_restart},
};

/* ---------------------------------------------------------------- interface */

/* The rule of root's keys as driver name into *out: 0, or -E_INVAL with *err set. */
static int from_toml(const struct toml_node *root, const char *name, struct drv_rule *out,
		     struct toml_error *err)
{
	memset(out, 0, sizeof *out);
	memcpy(out->name, name, strlen(name) + 1);
	out->restart = DRV_RESTART_ON_FAILURE;
	for (const struct toml_node *c = root->child; c; c = c->next) {
		const struct field *f = NULL;
		for (size_t i = 0; i < ARRAY_SIZE(fields) && !f; i++)
			if (strcmp(c->key, fields[i].name) == 0)
				f = &fields[i];
		if (!f) {
			char q[QUOTE_MAX + 4];
			quote(q, c->key);
			return at_error(err, c, "unknown field '%s'", q);
		}
		int r = f->fn(out, c, err);
		if (r < 0)
			return r;
	}
	if (!out->exec[0])
		return at_error(err, NULL, "field 'exec': missing");
	if (!out->nmatch)
		return at_error(err, NULL, "field 'match': missing");
	return 0;
}

int drv_rule_parse(const char *file_name, const char *text, size_t len, struct toml_node *nodes,
		   size_t nnodes, char *buf, size_t buflen, struct drv_rule *out, char *err,
		   size_t errlen)
{
	struct toml_error e = {0};
	struct toml_doc doc;
	char name[SVC_NAME_MAX + 1];
	int r;
	if (svc_name_from_file(file_name, name) < 0) {
		r = at_error(&e, NULL,
			     "the file name must be <driver name>.toml, the name of [a-z0-9_-]");
		goto out_err;
	}
	toml_init(&doc, nodes, nnodes, buf, buflen);
	if ((r = toml_parse(&doc, text, len)) < 0) {
		e = doc.err;
		goto out_err;
	}
	if ((r = from_toml(toml_root(&doc), name, out, &e)) < 0)
		goto out_err;
	return 0;
out_err:
	if (errlen) {
		/* one printable line for the log, whatever a TOML message quoted */
		toml_error_format(err, errlen, file_name, &e);
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return r;
}

const char *drv_restart_name(enum drv_restart r)
{
	return (unsigned)r < ARRAY_SIZE(restart_names) ? restart_names[r] : "?";
}
