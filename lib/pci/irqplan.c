/*
 * irqplan.c - the interrupt fall-back planner (irqplan.h). Pure: every
 * effect goes through the caller's callbacks; no state, no locks.
 */
#include "pci/irqplan.h"
#include "base/err.h"
#include "fmt/fmt.h"

const char *irqplan_mode_name(enum irqplan_mode m)
{
	switch (m) {
	case IRQPLAN_MSIX:
		return "msix";
	case IRQPLAN_MSI:
		return "msi";
	case IRQPLAN_INTX:
		return "intx";
	case IRQPLAN_POLL:
		break;
	}
	return "poll";
}

/* The next word of s[*at..len) (spaces separate words); its length. */
static size_t word(const char *s, size_t len, size_t *at, const char **w)
{
	while (*at < len && s[*at] == ' ')
		(*at)++;
	*w = s + *at;
	size_t n = 0;
	while (*at < len && s[*at] != ' ') {
		(*at)++;
		n++;
	}
	return n;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
	size_t i = 0;
	for (; i < n && lit[i]; i++)
		if (w[i] != lit[i])
			return false;
	return i == n && lit[i] == '\0';
}

/* A decimal number of at most 10 digits, no sign, no leading zeros but "0". */
static bool number(const char *w, size_t n, uint64_t *out)
{
	if (n == 0 || n > 10 || (n > 1 && w[0] == '0'))
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(w[i] - '0');
	}
	*out = v;
	return true;
}

/* len without one trailing newline; -1 when another control byte is in s. */
static long line_len(const char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\n')
		len--;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -1;
	return (long)len;
}

int irqplan_parse_req(const char *s, size_t len, struct irqplan_req *out)
{
	long l = line_len(s, len);
	if (l < 0)
		return -E_INVAL;
	size_t at = 0;
	const char *w, *nw, *extra;
	size_t wn = word(s, (size_t)l, &at, &w);
	size_t nn = word(s, (size_t)l, &at, &nw);
	if (word(s, (size_t)l, &at, &extra) != 0)
		return -E_INVAL;
	if (word_is(w, wn, "intx") || word_is(w, wn, "none")) {
		if (nn != 0)
			return -E_INVAL;
		out->first = w[0] == 'i' ? IRQPLAN_INTX : IRQPLAN_POLL;
		out->n = 1;
		return 0;
	}
	if (word_is(w, wn, "auto") || word_is(w, wn, "msix"))
		out->first = IRQPLAN_MSIX;
	else if (word_is(w, wn, "msi"))
		out->first = IRQPLAN_MSI;
	else
		return -E_INVAL;
	uint64_t n;
	if (!number(nw, nn, &n) || n == 0 || n > IRQPLAN_MAX_VECTORS)
		return -E_INVAL;
	out->n = (unsigned)n;
	return 0;
}

int irqplan_parse_route(const char *s, size_t len, struct irqplan_route *out)
{
	long l = line_len(s, len);
	if (l < 0)
		return -E_INVAL;
	size_t at = 0;
	const char *g, *t, *p, *extra;
	size_t gn = word(s, (size_t)l, &at, &g);
	size_t tn = word(s, (size_t)l, &at, &t);
	size_t pn = word(s, (size_t)l, &at, &p);
	if (word(s, (size_t)l, &at, &extra) != 0)
		return -E_INVAL;
	uint64_t gsi;
	if (!number(g, gn, &gsi) || gsi > 0xffffffffu)
		return -E_INVAL;
	if (word_is(t, tn, "level"))
		out->level = true;
	else if (word_is(t, tn, "edge"))
		out->level = false;
	else
		return -E_INVAL;
	if (word_is(p, pn, "low"))
		out->low = true;
	else if (word_is(p, pn, "high"))
		out->low = false;
	else
		return -E_INVAL;
	out->gsi = (uint32_t)gsi;
	return 0;
}

/* s[*at..) starts with lit: step over it. */
static bool skip(const char *s, size_t len, size_t *at, const char *lit)
{
	size_t i = 0;
	for (; lit[i]; i++)
		if (*at + i >= len || s[*at + i] != lit[i])
			return false;
	*at += i;
	return true;
}

/* A decimal number up to the next '/' or the end. */
static bool path_number(const char *s, size_t len, size_t *at, uint64_t *out)
{
	size_t start = *at;
	while (*at < len && s[*at] != '/')
		(*at)++;
	return number(s + start, *at - start, out);
}

int irqplan_parse_vector_path(const char *s, size_t len, uint32_t *apic, uint32_t *vector)
{
	size_t at = 0;
	uint64_t cpu, a, v, gsi;
	if (!skip(s, len, &at, "irq:/cpu/") || !path_number(s, len, &at, &cpu) ||
	    !skip(s, len, &at, "/apic/") || !path_number(s, len, &at, &a) ||
	    !skip(s, len, &at, "/vector/") || !path_number(s, len, &at, &v))
		return -E_INVAL;
	if (at < len && (!skip(s, len, &at, "/gsi/") || !path_number(s, len, &at, &gsi)))
		return -E_INVAL;
	if (at != len || a > 0xffffffffu || v > 255)
		return -E_INVAL;
	*apic = (uint32_t)a;
	*vector = (uint32_t)v;
	return 0;
}

static unsigned pow2_floor(unsigned n)
{
	unsigned p = 1;
	while (p * 2 <= n)
		p *= 2;
	return p;
}

unsigned irqplan_count(const struct irqplan_offer *o, enum irqplan_mode m, unsigned n)
{
	unsigned cap;
	switch (m) {
	case IRQPLAN_MSIX:
		cap = o->msix_max;
		break;
	case IRQPLAN_MSI:
		cap = o->msi_max;
		break;
	case IRQPLAN_INTX:
		return o->intx_pin >= 1 && o->intx_pin <= 4 ? 1 : 0;
	default:
		return 0;
	}
	if (cap == 0 || n == 0)
		return 0;
	n = MIN(MIN(n, cap), (unsigned)IRQPLAN_MAX_VECTORS);
	/* MSI-X entries are vectors of their own; an MSI block is a power of two */
	return m == IRQPLAN_MSIX ? n : pow2_floor(n);
}

/* One mode: route (INTx), alloc, program; 0 when it is set up. */
static int try_mode(const struct irqplan_offer *o, const struct irqplan_ops *ops, void *ctx,
		    struct irqplan_result *r)
{
	int e;
	if (r->mode != IRQPLAN_INTX && o->fail_msi) {
		ops->log(ctx, r->mode, "alloc (fault injection)", -E_NOSPC);
		return -E_NOSPC;
	}
	if (r->mode == IRQPLAN_INTX) {
		e = ops->route(ctx, &r->route);
		if (e < 0) {
			ops->log(ctx, r->mode, "route", e);
			return e;
		}
	}
	e = ops->alloc(ctx, r);
	if (e < 0) {
		ops->log(ctx, r->mode, "alloc", e);
		return e;
	}
	e = ops->program(ctx, r);
	if (e < 0) {
		ops->undo(ctx, r);
		ops->log(ctx, r->mode, "program", e);
		return e;
	}
	return 0;
}

void irqplan_run(const struct irqplan_offer *o, const struct irqplan_req *req,
		 const struct irqplan_ops *ops, void *ctx, struct irqplan_result *out)
{
	for (enum irqplan_mode m = req->first; m < IRQPLAN_POLL; m++) {
		unsigned n = irqplan_count(o, m, req->n);
		if (n == 0)
			continue; /* not offered: no failure, nothing to log */
		struct irqplan_result r = {.mode = m, .n = n};
		if (try_mode(o, ops, ctx, &r) == 0) {
			*out = r;
			return;
		}
	}
	*out = (struct irqplan_result){.mode = IRQPLAN_POLL, .n = 0};
}

int irqplan_format(const struct irqplan_result *r, char *buf, size_t len)
{
	int n;
	if (r->mode == IRQPLAN_INTX)
		n = fmt_snprintf(buf, len, "intx %u %s %s\n", (unsigned)r->route.gsi,
				 r->route.level ? "level" : "edge", r->route.low ? "low" : "high");
	else if (r->mode == IRQPLAN_POLL)
		n = fmt_snprintf(buf, len, "poll\n");
	else
		n = fmt_snprintf(buf, len, "%s %u\n", irqplan_mode_name(r->mode), r->n);
	if (n < 0 || (size_t)n >= len)
		return -E_RANGE;
	return n;
}
