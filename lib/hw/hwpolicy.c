/*
 * hwpolicy.c - parse initfs:/etc/hw.policy and gather what it grants a
 * process (see hwpolicy.h for the format).
 *
 * Pure: no state, no allocation, no locks. The text is read line by line
 * in place (it need not be NUL-terminated and may hold NUL bytes, which
 * make their line malformed); a rule is stored only once its whole line
 * has been checked, so a skipped line leaves nothing behind.
 */
#include "base/lines.h"
#include "hw/hwpolicy.h"

struct field {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool field_is(const struct field *f, const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (i >= f->len || f->p[i] != s[i])
			return false;
	return i == f->len;
}

/* Cut line[0..len) into at most 4 fields: how many, or -1 for more. */
static int split_fields(const char *line, size_t len, struct field f[4])
{
	int nf = 0;
	size_t i = 0;
	for (;;) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			return nf;
		if (nf == 4)
			return -1;
		f[nf].p = line + i;
		while (i < len && !is_blank(line[i]))
			i++;
		f[nf].len = (size_t)(line + i - f[nf].p);
		nf++;
	}
}

/* "*" or a decimal that fits in an int. */
static bool parse_uid(const struct field *f, int *uid)
{
	if (field_is(f, "*")) {
		*uid = HWPOL_ANY_UID;
		return true;
	}
	int64_t v = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return false;
		v = v * 10 + (f->p[i] - '0');
		if (v > INT32_MAX)
			return false;
	}
	*uid = (int)v;
	return true;
}

/* Hex number p[0..n) (an optional 0x) that fits in 16 bits. */
static bool parse_port(const char *p, size_t n, uint16_t *out)
{
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	if (n == 0)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v * 16 + d;
		if (v > 0xffff)
			return false;
	}
	*out = (uint16_t)v;
	return true;
}

/* The ARG of a port rule: "*", "FIRST" or "FIRST-LAST". */
static const char *parse_ports(const struct field *f, struct hwpol_rule *r)
{
	if (field_is(f, "*")) {
		r->all_ports = true;
		return NULL;
	}
	size_t dash = f->len;
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] == '-') {
			dash = i;
			break;
		}
	if (!parse_port(f->p, dash, &r->first))
		return "bad port";
	r->last = r->first;
	if (dash < f->len && !parse_port(f->p + dash + 1, f->len - dash - 1, &r->last))
		return "bad port";
	if (r->last < r->first)
		return "port range backwards";
	return NULL;
}

static const char *parse_arg(const struct field *kind, const struct field *arg,
			     struct hwpol_rule *r)
{
	if (field_is(kind, "irq")) {
		r->kind = HWPOL_IRQ;
		return field_is(arg, "-") ? NULL : "irq takes '-'";
	}
	if (field_is(kind, "port")) {
		r->kind = HWPOL_PORT;
		return parse_ports(arg, r);
	}
	if (field_is(kind, "phys")) {
		r->kind = HWPOL_PHYS;
		if (field_is(arg, "acpi"))
			r->phys = HWPOL_PHYS_ACPI;
		else if (field_is(arg, "mcfg"))
			r->phys = HWPOL_PHYS_MCFG;
		else if (field_is(arg, "mmio"))
			r->phys = HWPOL_PHYS_MMIO;
		else
			return "unknown phys class";
		return NULL;
	}
	return "unknown kind";
}

static const char *check_program(const struct field *f)
{
	if (f->len > HWPOL_PROGRAM_MAX)
		return "program too long";
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] <= ' ' || f->p[i] >= 0x7f)
			return "bad character in program";
	return NULL;
}

/* One line (no '\n'): 1 with *r filled, 0 blank/comment, -1 with *why. */
static int parse_line(const char *line, size_t len, struct hwpol_rule *r, const char **why)
{
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '#') {
			len = i;
			break;
		}
		if (line[i] == '\0') {
			*why = "NUL byte";
			return -1;
		}
	}
	struct field f[4];
	int nf = split_fields(line, len, f);
	if (nf == 0)
		return 0;
	if (nf < 0) {
		*why = "extra field";
		return -1;
	}
	if (nf < 4) {
		*why = "missing field";
		return -1;
	}
	*r = (struct hwpol_rule){0};
	if ((*why = parse_arg(&f[0], &f[1], r)) || (*why = check_program(&f[2])))
		return -1;
	if (!parse_uid(&f[3], &r->uid)) {
		*why = "bad uid";
		return -1;
	}
	for (size_t i = 0; i < f[2].len; i++)
		r->program[i] = f[2].p[i];
	r->program[f[2].len] = '\0';
	return 1;
}

size_t hwpol_parse(const char *text, size_t len, struct hwpol_rule *rules, size_t max,
		   hwpol_report_fn report, void *ctx)
{
	size_t n = 0, ln;
	struct lines it = lines_start(text, len);
	const char *line;
	while (lines_next(&it, &line, &ln)) {
		struct hwpol_rule r;
		const char *why = NULL;
		int got = parse_line(line, ln, &r, &why);
		if (got > 0 && n == max) {
			got = -1;
			why = "too many rules";
		}
		if (got > 0)
			rules[n++] = r;
		else if (got < 0 && report)
			report(ctx, it.no, why);
	}
	return n;
}

static bool str_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool rule_matches(const struct hwpol_rule *r, const char *program, int uid)
{
	if (r->uid != HWPOL_ANY_UID && r->uid != uid)
		return false;
	return str_equal(r->program, "*") || str_equal(r->program, program);
}

void hwpol_collect(const struct hwpol_rule *rules, size_t n, const char *program, int uid,
		   struct hwpol_grant *out)
{
	*out = (struct hwpol_grant){0};
	for (size_t i = 0; i < n; i++) {
		const struct hwpol_rule *r = &rules[i];
		if (!rule_matches(r, program, uid))
			continue;
		if (r->kind == HWPOL_IRQ)
			out->irq = true;
		else if (r->kind == HWPOL_PHYS)
			out->phys |= r->phys;
		else if (r->all_ports)
			out->all_ports = true;
		else if (out->nports < HWPOL_MAX_RULES) {
			out->ports[out->nports].first = r->first;
			out->ports[out->nports].last = r->last;
			out->nports++;
		}
	}
}

bool hwpol_grant_empty(const struct hwpol_grant *g)
{
	return !g->irq && !g->all_ports && !g->phys && !g->nports;
}
