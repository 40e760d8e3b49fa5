/*
 * prt.c - PCI interrupt routing from ACPI (prt.h).
 *
 * Everything here evaluates through lib/aml and frees each value before
 * returning; the only storage is the caller's. The interpreter is the
 * caller's and is used by one thread at a time (prt.h). Namespace searches
 * never evaluate inside aml_walk's callback (a method may add and remove
 * names while it runs): a walk finds the k-th candidate's path, stops, and
 * the candidate is evaluated after the walk returns.
 */
#include "acpi/prt.h"

#include <string.h>

#include "acpi/rsrc.h"
#include "aml/aml.h"
#include "base/err.h"

/* Names are at most this long after joining; longer ones are refused. */
static int join(char *out, size_t cap, const char *dev, const char *name)
{
	size_t a = strlen(dev), b = strlen(name);

	if (a + 1 + b + 1 > cap)
		return -E_NAMETOOLONG;
	memcpy(out, dev, a);
	out[a] = '.';
	memcpy(out + a + 1, name, b + 1);
	return 0;
}

/* Evaluate dev.name (no arguments) into v: 0, -E_NOENT if absent, or the error. */
static int eval_name(struct aml *aml, const char *dev, const char *name, struct aml_value *v)
{
	char path[PRT_PATH_MAX + 8];
	int r = join(path, sizeof(path), dev, name);

	if (r)
		return r;
	if (!aml_exists(aml, path, NULL))
		return -E_NOENT;
	return aml_eval(aml, path, NULL, 0, v);
}

/* dev.name as an integer (def if absent): 0 or the error. */
static int eval_int(struct aml *aml, const char *dev, const char *name, uint64_t def, uint64_t *out)
{
	struct aml_value v;
	int r = eval_name(aml, dev, name, &v);

	if (r == -E_NOENT) {
		*out = def;
		return 0;
	}
	if (r)
		return r;
	r = v.type == AML_INTEGER ? 0 : -E_BADMSG;
	*out = v.integer;
	aml_value_free(aml, &v);
	return r;
}

static int entry_from(const struct aml_value *e, struct prt_entry *out)
{
	const struct aml_value *f;

	if (e->type != AML_PACKAGE || e->package.count != 4)
		return -E_BADMSG;
	f = e->package.elems;
	if (f[0].type != AML_INTEGER || f[1].type != AML_INTEGER || f[3].type != AML_INTEGER)
		return -E_BADMSG;
	if (f[1].integer > 3 || f[0].integer > 0xFFFFFFFFu || f[3].integer > 0xFFFFFFFFu)
		return -E_BADMSG;
	*out = (struct prt_entry){.addr = (uint32_t)f[0].integer,
				  .pin = (uint8_t)f[1].integer,
				  .index = (uint32_t)f[3].integer};
	if (f[2].type == AML_INTEGER) {
		out->source_int = f[2].integer;
		return 0;
	}
	if (f[2].type != AML_REFERENCE || !f[2].ref.path)
		return -E_BADMSG;
	if (strlen(f[2].ref.path) >= sizeof(out->source))
		return -E_NAMETOOLONG;
	strcpy(out->source, f[2].ref.path);
	return 0;
}

int prt_read(struct aml *aml, const char *dev, struct prt_entry *out, size_t max, size_t *n)
{
	struct aml_value v;
	int r = eval_name(aml, dev, "_PRT", &v);

	*n = 0;
	if (r)
		return r;
	if (v.type != AML_PACKAGE) {
		r = -E_BADMSG;
		goto out_free;
	}
	if (v.package.count > max) {
		r = -E_NOSPC;
		goto out_free;
	}
	for (size_t i = 0; i < v.package.count; i++) {
		r = entry_from(&v.package.elems[i], &out[i]);
		if (r)
			goto out_free;
	}
	*n = v.package.count;
out_free:
	aml_value_free(aml, &v);
	return r;
}

/* The first interrupt of template v (a Buffer): 0, -E_NOENT, -E_BADMSG. */
static int first_irq(const struct aml_value *v, struct rsrc_irq *out)
{
	size_t n;
	int r;

	if (v->type != AML_BUFFER)
		return -E_BADMSG;
	r = rsrc_irqs(v->buffer.ptr, v->buffer.len, out, 1, &n);
	if (r)
		return r;
	return n ? 0 : -E_NOENT;
}

static void route_from(const struct rsrc_irq *irq, struct prt_route *out)
{
	out->gsi = irq->irq;
	out->level = !(irq->flags & RSRC_F_EDGE);
	out->active_low = !!(irq->flags & RSRC_F_LOW);
	out->shared = !!(irq->flags & RSRC_F_SHARED);
}

/* Pick the first IRQ of link's _PRS and write it with _SRS. */
static int link_set(struct aml *aml, const char *link, struct rsrc_irq *irq)
{
	char path[PRT_PATH_MAX + 8];
	struct aml_value v, arg, res;
	uint8_t tmpl[16];
	size_t len;
	int r;

	r = eval_name(aml, link, "_PRS", &v);
	if (r)
		return r;
	r = first_irq(&v, irq);
	aml_value_free(aml, &v);
	if (r)
		return r;
	if (irq->irq == 0)
		return -E_NOENT;
	r = rsrc_encode_irq(irq, tmpl, sizeof(tmpl), &len);
	if (r)
		return r;
	r = join(path, sizeof(path), link, "_SRS");
	if (r)
		return r;
	if (!aml_exists(aml, path, NULL))
		return -E_NOENT;
	arg = (struct aml_value){.type = AML_BUFFER, .buffer = {len, tmpl}};
	r = aml_eval(aml, path, &arg, 1, &res);
	if (r)
		return r;
	aml_value_free(aml, &res);
	return 0;
}

int prt_link_irq(struct aml *aml, const char *link, bool allow_set, struct prt_route *out)
{
	struct rsrc_irq irq;
	struct aml_value v;
	uint64_t sta;
	int r;

	/* _STA bit 1 (enabled) clear: the link has no current IRQ. */
	r = eval_int(aml, link, "_STA", 0xF, &sta);
	if (r)
		return r;
	r = -E_NOENT;
	if (sta & 0x2) {
		r = eval_name(aml, link, "_CRS", &v);
		if (r && r != -E_NOENT)
			return r;
		if (!r) {
			r = first_irq(&v, &irq);
			aml_value_free(aml, &v);
			if (r == -E_BADMSG)
				return r;
			if (!r && irq.irq == 0)
				r = -E_NOENT;
		}
	}
	if (r == -E_NOENT && allow_set)
		r = link_set(aml, link, &irq);
	if (r)
		return r;
	route_from(&irq, out);
	return 0;
}

int prt_entry_route(struct aml *aml, const struct prt_entry *e, bool allow_set,
		    struct prt_route *out)
{
	if (e->source[0])
		return prt_link_irq(aml, e->source, allow_set, out);
	/* A direct GSI: PCI interrupts are level-triggered, active low. */
	*out =
	    (struct prt_route){.gsi = e->index, .level = true, .active_low = true, .shared = true};
	return 0;
}

const struct prt_entry *prt_lookup(const struct prt_entry *e, size_t n, unsigned dev, unsigned pin)
{
	for (size_t i = 0; i < n; i++)
		if ((e[i].addr >> 16) == dev && e[i].pin == pin)
			return &e[i];
	return NULL;
}

int prt_route_chain(const struct prt_hop *hops, size_t nhops, unsigned dev, unsigned pin,
		    const struct prt_entry **hit)
{
	for (size_t i = nhops; i-- > 0;) {
		if (hops[i].prt) {
			*hit = prt_lookup(hops[i].prt, hops[i].n, dev, pin);
			return *hit ? 0 : -E_NOENT;
		}
		if (i == 0)
			break;
		/* No _PRT on this bridge: INTx goes up swizzled. */
		pin = prt_swizzle(pin, dev);
		dev = hops[i].dev;
	}
	return -E_NOENT;
}

/* ------------------------------------------------------------- searches */

struct find_ctx {
	const char *parent; /* only children of this (NULL: any device) */
	size_t plen;
	unsigned k, seen;
	char *out;
	size_t cap;
	bool found;
};

static int find_fn(void *p, const char *path, enum aml_type type)
{
	struct find_ctx *f = p;
	size_t n = strlen(path);

	if (f->parent) {
		/* skip subtrees that are neither on the way to parent nor in it */
		bool above = n <= f->plen && strncmp(f->parent, path, n) == 0;
		bool below =
		    n > f->plen && strncmp(path, f->parent, f->plen) == 0 && path[f->plen] == '.';
		if (!above && !below)
			return 1;
		if (!below)
			return 0;
		if (strchr(path + f->plen + 1, '.'))
			return 1;
	}
	if (type != AML_DEVICE)
		return 0;
	if (f->seen++ < f->k)
		return 0;
	if (n + 1 > f->cap)
		return -1;
	memcpy(f->out, path, n + 1);
	f->found = true;
	return -1;
}

/* The k-th device (child of parent if not NULL) into out: true if found. */
static bool nth_device(struct aml *aml, const char *parent, unsigned k, char *out, size_t cap)
{
	struct find_ctx f = {.parent = parent, .k = k, .out = out, .cap = cap};

	/* the root is "\", its children "\_SB_": match without the dot */
	if (parent && strcmp(parent, "\\") == 0)
		return false;
	if (parent)
		f.plen = strlen(parent);
	aml_walk(aml, find_fn, &f);
	return f.found;
}

static bool is_root_id(const struct aml_value *v)
{
	char id[8];

	if (v->type == AML_INTEGER) {
		aml_eisa_id((uint32_t)v->integer, id);
		return strcmp(id, "PNP0A03") == 0 || strcmp(id, "PNP0A08") == 0;
	}
	if (v->type == AML_STRING)
		return strcmp(v->string.ptr, "PNP0A03") == 0 ||
		       strcmp(v->string.ptr, "PNP0A08") == 0;
	return false;
}

bool prt_is_root_bridge(struct aml *aml, const char *dev)
{
	static const char *const ids[] = {"_HID", "_CID"};
	struct aml_value v;
	bool yes = false;

	for (size_t i = 0; i < 2 && !yes; i++) {
		if (eval_name(aml, dev, ids[i], &v))
			continue;
		yes = is_root_id(&v);
		if (v.type == AML_PACKAGE)
			for (size_t j = 0; j < v.package.count && !yes; j++)
				yes = is_root_id(&v.package.elems[j]);
		aml_value_free(aml, &v);
	}
	return yes;
}

int prt_find_root(struct aml *aml, unsigned seg, unsigned bus, char *out, size_t cap)
{
	char path[PRT_PATH_MAX], only[PRT_PATH_MAX] = "";
	unsigned roots = 0;

	for (unsigned k = 0; nth_device(aml, NULL, k, path, sizeof(path)); k++) {
		uint64_t s, b;
		if (!prt_is_root_bridge(aml, path))
			continue;
		if (eval_int(aml, path, "_SEG", 0, &s) || s != seg)
			continue;
		roots++;
		strcpy(only, path);
		if (eval_int(aml, path, "_BBN", 0, &b) || b != bus)
			continue;
		if (strlen(path) + 1 > cap)
			return -E_NAMETOOLONG;
		strcpy(out, path);
		return 0;
	}
	if (roots == 1 && bus == 0 && strlen(only) + 1 <= cap) {
		strcpy(out, only);
		return 0;
	}
	return -E_NOENT;
}

int prt_find_child(struct aml *aml, const char *parent, uint32_t adr, char *out, size_t cap)
{
	char path[PRT_PATH_MAX];

	for (unsigned k = 0; nth_device(aml, parent, k, path, sizeof(path)); k++) {
		uint64_t a;
		if (eval_int(aml, path, "_ADR", ~0ull, &a) || a != adr)
			continue;
		if (strlen(path) + 1 > cap)
			return -E_NAMETOOLONG;
		strcpy(out, path);
		return 0;
	}
	return -E_NOENT;
}

int prt_eval_int(struct aml *aml, const char *dev, const char *name, uint64_t def, uint64_t *out)
{
	return eval_int(aml, dev, name, def, out);
}
