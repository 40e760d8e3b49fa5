/*
 * hwpolicy.c - parse initfs:/etc/hw.policy and gather what it grants a
 * process (see hwpolicy.h for the format).
 *
 * Pure: no state, no allocation, no locks. The text is read line by line
 * in place (it need not be NUL-terminated and may hold NUL bytes, which
 * make their line malformed); a rule is stored only once its whole line
 * has been checked, so a skipped line leaves nothing behind.
 */
#include "base/policy.h"
#include "hw/hwpolicy.h"

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
static const char *parse_ports(const struct policy_field *f, struct hwpol_rule *r)
{
	if (policy_field_is(f, "*")) {
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

static const char *parse_arg(const struct policy_field *kind, const struct policy_field *arg,
			     struct hwpol_rule *r)
{
	if (policy_field_is(kind, "irq")) {
		r->kind = HWPOL_IRQ;
		return policy_field_is(arg, "-") ? NULL : "irq takes '-'";
	}
	if (policy_field_is(kind, "port")) {
		r->kind = HWPOL_PORT;
		return parse_ports(arg, r);
	}
	if (policy_field_is(kind, "phys")) {
		r->kind = HWPOL_PHYS;
		if (policy_field_is(arg, "acpi"))
			r->phys = HWPOL_PHYS_ACPI;
		else if (policy_field_is(arg, "mcfg"))
			r->phys = HWPOL_PHYS_MCFG;
		else if (policy_field_is(arg, "mmio"))
			r->phys = HWPOL_PHYS_MMIO;
		else
			return "unknown phys class";
		return NULL;
	}
	return "unknown kind";
}

/* One hw.policy line into rules[index] (when index < max): as policy_line_fn. */
struct hw_rules {
	struct hwpol_rule *rules;
	size_t max;
};

static int parse_line(void *arg, size_t index, const char *line, size_t len, const char **why)
{
	struct hw_rules *hr = arg;
	struct policy_field f[4];
	int nf = policy_fields(line, len, f, 4, why);
	if (nf <= 0)
		return nf;
	struct hwpol_rule r = {0};
	if ((*why = parse_arg(&f[0], &f[1], &r)) || (*why = policy_field_program(&f[2])))
		return -1;
	if (!policy_field_uid(&f[3], &r.uid)) {
		*why = "bad uid";
		return -1;
	}
	if (index < hr->max) {
		policy_field_copy(r.program, &f[2]);
		hr->rules[index] = r;
	}
	return 1;
}

size_t hwpol_parse(const char *text, size_t len, struct hwpol_rule *rules, size_t max,
		   hwpol_report_fn report, void *ctx)
{
	struct hw_rules hr = {rules, max};
	return policy_read(text, len, max, parse_line, &hr, report, ctx);
}

void hwpol_collect(const struct hwpol_rule *rules, size_t n, const char *program, int uid,
		   struct hwpol_grant *out)
{
	*out = (struct hwpol_grant){0};
	for (size_t i = 0; i < n; i++) {
		const struct hwpol_rule *r = &rules[i];
		if (!policy_who_matches(r->program, r->uid, program, uid))
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
