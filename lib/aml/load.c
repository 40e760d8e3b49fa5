/*
 * load.c - interpreter lifetime and table loading.
 *
 * Interface: aml_create builds the predefined namespace ACPICA builds
 * (\_GPE \_PR_ \_SB_ \_SI_ \_TZ_ scopes and devices, \_GL_ mutex, \_OSI
 * method, \_REV, \_OS_); aml_load_table validates a DSDT/SSDT header and
 * loads it in two passes: a decoding pass that records the argument count
 * of every method the table defines (so calls that come before a method's
 * definition parse right), then the table body runs as code at the root
 * scope, creating objects (method bodies are not decoded until called).
 * aml_table_counts decodes a table again, method bodies included, and
 * counts its definitions. aml_destroy frees everything. The caller keeps
 * table bytes alive; the interpreter never writes them. No locking.
 */
#include <string.h>

#include "aml/internal.h"
#include "base/bytes.h"

#define HDR_LEN 36

static int predefine(struct aml *aml, const char *seg, uint8_t type, struct aml_node **out)
{
	struct aml_node *n = ns_new(aml, aml->root, seg);
	struct aml_obj *o = NULL;

	if (!n)
		return -E_NOMEM;
	switch (type) {
	case AML_UNINIT:
		break;
	case AML_INTEGER:
		o = obj_int(aml, 2);
		break;
	case AML_STRING:
		o = obj_str(aml, "Microsoft Windows NT", 20);
		break;
	case AML_METHOD:
		o = obj_new(aml, AML_METHOD);
		if (o) {
			o->method.table = AML_NATIVE_TABLE;
			o->method.argc = 1;
			o->method.scope = n;
		}
		break;
	default:
		o = obj_new(aml, type);
		break;
	}
	if (type != AML_UNINIT && !o)
		return -E_NOMEM;
	n->obj = o;
	if (out)
		*out = n;
	return 0;
}

/* Create an empty interpreter with the predefined namespace. */
int aml_create(const struct aml_host *host, struct aml **out)
{
	struct aml *aml;
	struct aml_node *gl = NULL;
	int err = 0;

	*out = NULL;
	if (!host || !host->alloc || !host->free)
		return -E_INVAL;
	aml = host->alloc(host->ctx, sizeof(*aml));
	if (!aml)
		return -E_NOMEM;
	memset(aml, 0, sizeof(*aml));
	aml->host = *host;
	aml->notify = host->notify;
	aml->notify_ctx = host->ctx;
	aml_set_limits(aml, NULL);
	aml->nhash = aml_alloc(aml, NS_BUCKETS * sizeof(*aml->nhash));
	aml->root = ns_new(aml, NULL, "\\___");
	if (!aml->root || !aml->nhash) {
		aml_destroy(aml);
		return -E_NOMEM;
	}
	err = predefine(aml, "_GPE", AML_UNINIT, NULL);
	if (!err)
		err = predefine(aml, "_PR_", AML_UNINIT, NULL);
	if (!err)
		err = predefine(aml, "_SB_", AML_DEVICE, NULL);
	if (!err)
		err = predefine(aml, "_SI_", AML_UNINIT, NULL);
	if (!err)
		err = predefine(aml, "_TZ_", AML_DEVICE, NULL);
	if (!err)
		err = predefine(aml, "_GL_", AML_MUTEX, &gl);
	if (!err)
		err = predefine(aml, "_OSI", AML_METHOD, NULL);
	if (!err)
		err = predefine(aml, "_REV", AML_INTEGER, NULL);
	if (!err)
		err = predefine(aml, "_OS_", AML_STRING, NULL);
	if (err) {
		aml_destroy(aml);
		return err;
	}
	aml->gl = gl->obj;
	*out = aml;
	return 0;
}

/* Set evaluation budgets; zero fields (or lim == NULL) take the defaults. */
void aml_set_limits(struct aml *aml, const struct aml_limits *lim)
{
	struct aml_limits d = {20000000, 64, 512, 256u << 20, 0xFFFF};

	if (lim) {
		if (lim->max_steps)
			d.max_steps = lim->max_steps;
		if (lim->max_depth)
			d.max_depth = lim->max_depth;
		if (lim->max_nesting)
			d.max_nesting = lim->max_nesting;
		if (lim->max_memory)
			d.max_memory = lim->max_memory;
		if (lim->max_loop)
			d.max_loop = lim->max_loop;
	}
	aml->lim = d;
}

/* Validate and load one DSDT/SSDT. */
int aml_load_table(struct aml *aml, const void *tbl, size_t len, int *idx)
{
	const uint8_t *p = tbl;
	struct aml_frame f;
	struct aml_stream s;
	struct aml_table *t;
	uint32_t tlen;
	int err, i;

	ev_begin(aml);
	if (aml->defs) {
		aml_free(aml, aml->defs, aml->capdefs * sizeof(uint32_t));
		aml->defs = NULL;
		aml->ndefs = 0;
	}
	if (len < HDR_LEN)
		return aml_fail(aml, NULL, -E_BADMSG, "table shorter than its header");
	tlen = rd32(p + 4);
	if (tlen < HDR_LEN || tlen > len)
		return aml_fail(aml, NULL, -E_BADMSG, "table length field %u is wrong", tlen);
	if (memcmp(p, "DSDT", 4) && memcmp(p, "SSDT", 4) && memcmp(p, "PSDT", 4))
		return aml_fail(aml, NULL, -E_BADMSG, "not a DSDT/SSDT");
	if (aml->ntables >= AML_MAX_TABLES)
		return aml_fail(aml, NULL, -E_NOSPC, "too many tables");
	i = aml->ntables++;
	t = &aml->tables[i];
	t->data = p;
	t->len = tlen;
	memcpy(t->sig, p, 4);
	if (i == 0)
		aml->int32 = p[8] < 2;
	if (idx)
		*idx = i;

	/* Pass 1: argument counts of the methods this table defines. Run
	 * twice: table-level code that calls a method defined further down
	 * decodes right only once that method is known. */
	if (st_scan(aml, i, HDR_LEN, tlen, SCAN_HINTS, NULL) ||
	    st_scan(aml, i, HDR_LEN, tlen, SCAN_HINTS, NULL))
		aml_log(aml, "load: table %d: method scan stopped early", i);

	/* Pass 2: run the table body at the root scope. */
	memset(&f, 0, sizeof(f));
	f.scope = aml->root;
	f.table_load = true;
	s.base = p;
	s.table = (uint16_t)i;
	s.pos = HDR_LEN;
	s.end = tlen;
	aml->frame = &f;
	err = ex_term_list(aml, &s);
	aml->frame = NULL;
	/* table code may use Locals and Args too */
	for (int k = 0; k < 8; k++)
		obj_put(aml, f.locals[k]);
	for (int k = 0; k < 7; k++)
		obj_put(aml, f.args[k]);
	obj_put(aml, f.ret);
	aml_free(aml, f.temps, f.captemps * sizeof(*f.temps));
	if (err > 0)
		err = 0;
	return err;
}

/* Definition counts of table idx, method bodies included. */
int aml_table_counts(struct aml *aml, int idx, struct aml_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (idx < 0 || idx >= aml->ntables)
		return -E_INVAL;
	if (!aml->defs) {
		/* Names defined anywhere (conditional code, method bodies)
		 * are not "unresolved", as iasl sees every definition. */
		aml->capdefs = 1u << 16;
		aml->defs = aml_alloc(aml, aml->capdefs * sizeof(uint32_t));
		for (int i = 0; aml->defs && i < aml->ntables; i++)
			if (st_scan(aml, i, HDR_LEN, aml->tables[i].len, SCAN_NAMES, NULL))
				break;
	}
	return st_scan(aml, idx, HDR_LEN, aml->tables[idx].len, SCAN_COUNT, out);
}

/* Free everything the interpreter holds. */
void aml_destroy(struct aml *aml)
{
	struct aml_node *g, *next;

	if (!aml)
		return;
	aml->dying = true;
	if (aml->root)
		ns_free_tree(aml, aml->root);
	for (g = aml->graveyard; g; g = next) {
		next = g->next;
		g->next = NULL;
		ns_free_tree(aml, g);
	}
	hints_free(aml);
	aml_free(aml, aml->nhash, NS_BUCKETS * sizeof(*aml->nhash));
	aml_free(aml, aml->defs, aml->capdefs * sizeof(uint32_t));
	aml->host.free(aml->host.ctx, aml, sizeof(*aml));
}
