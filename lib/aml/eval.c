/*
 * eval.c - the evaluation API: aml_eval, aml_initialize, aml_walk, value
 * conversion between internal objects and struct aml_value, and the native
 * \_OSI method.
 *
 * Every top-level entry point starts a fresh budget (ev_begin). Results are
 * deep-copied into caller-owned aml_value trees allocated with the host
 * allocator (aml_value_free releases them), so nothing internal leaks out.
 * _OSI answers true for the Windows versions "Windows 2000" through
 * "Windows 2022" and "Extended Address Space Descriptor" (osi_strings[]),
 * plus the host's osi_extra list; like ACPICA, the old feature strings
 * ("Module Device", "3.0 Thermal Model", ...) are false. No locking.
 */
#include <string.h>

#include "aml/internal.h"

static const char *const osi_strings[] = {
    "Windows 2000",	"Windows 2001",	    "Windows 2001 SP1",
    "Windows 2001.1",	"Windows 2001 SP2", "Windows 2001.1 SP1",
    "Windows 2006",	"Windows 2006.1",   "Windows 2006 SP1",
    "Windows 2006 SP2", "Windows 2009",	    "Windows 2012",
    "Windows 2013",	"Windows 2015",	    "Windows 2016",
    "Windows 2017",	"Windows 2017.2",   "Windows 2018",
    "Windows 2018.2",	"Windows 2019",	    "Windows 2020",
    "Windows 2021",	"Windows 2022",	    "Extended Address Space Descriptor",
};

/* Is s one of the _OSI strings answered true? */
bool aml_osi_supported(const struct aml *aml, const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(osi_strings); i++)
		if (strcmp(s, osi_strings[i]) == 0)
			return true;
	for (const char *const *e = aml->host.osi_extra; e && *e; e++)
		if (strcmp(s, *e) == 0)
			return true;
	return false;
}

/* Native methods (only \_OSI). */
int ev_native(struct aml *aml, struct aml_node *mnode, struct aml_obj **args, int nargs,
	      struct aml_obj **ret)
{
	bool yes = nargs >= 1 && args[0] && args[0]->type == AML_STRING &&
		   aml_osi_supported(aml, args[0]->str.ptr);

	*ret = obj_int(aml, 0);
	if (!*ret)
		return -E_NOMEM;
	/* all 64 bits even in a 32-bit namespace, as ACPICA answers */
	(*ret)->ival = yes ? ~0ull : 0;
	return 0;
}

/* Start a top-level operation: fresh budget and error message. */
void ev_begin(struct aml *aml)
{
	aml->steps = 0;
	aml->depth = 0;
	aml->nesting = 0;
	aml->err[0] = 0;
	aml->err_set = false;
}

/* Register (or remove) the Notify handler. */
void aml_set_notify(struct aml *aml, void (*fn)(void *ctx, const char *path, uint64_t value),
		    void *ctx)
{
	aml->notify = fn;
	aml->notify_ctx = ctx;
}

/* The message of the last error (method path and table offset), or "". */
const char *aml_last_error(struct aml *aml)
{
	return aml->err;
}

/* Decode a compressed EISA id into out[8] ("PNP0A08"). */
void aml_eisa_id(uint32_t id, char out[8])
{
	uint32_t v =
	    (id & 0xFF) << 24 | (id >> 8 & 0xFF) << 16 | (id >> 16 & 0xFF) << 8 | (id >> 24);

	out[0] = (char)('@' + (v >> 26 & 31));
	out[1] = (char)('@' + (v >> 21 & 31));
	out[2] = (char)('@' + (v >> 16 & 31));
	for (int i = 0; i < 4; i++)
		out[3 + i] = "0123456789ABCDEF"[v >> (12 - 4 * i) & 15];
	out[7] = 0;
}

static char *dup_str(struct aml *aml, const char *s, size_t n)
{
	char *p = aml->host.alloc(aml->host.ctx, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

/* Release a value tree returned by aml_eval(). */
void aml_value_free(struct aml *aml, struct aml_value *v)
{
	switch (v->type) {
	case AML_STRING:
		if (v->string.ptr)
			aml->host.free(aml->host.ctx, v->string.ptr, v->string.len + 1);
		break;
	case AML_BUFFER:
		if (v->buffer.ptr)
			aml->host.free(aml->host.ctx, v->buffer.ptr,
				       v->buffer.len ? v->buffer.len : 1);
		break;
	case AML_PACKAGE:
		for (size_t i = 0; i < v->package.count; i++)
			aml_value_free(aml, &v->package.elems[i]);
		if (v->package.elems)
			aml->host.free(aml->host.ctx, v->package.elems,
				       (v->package.count ? v->package.count : 1) *
					   sizeof(struct aml_value));
		break;
	default:
		if (v->type != AML_INTEGER && v->ref.path)
			aml->host.free(aml->host.ctx, v->ref.path, strlen(v->ref.path) + 1);
		break;
	}
	memset(v, 0, sizeof(*v));
}

static int to_value(struct aml *aml, struct aml_obj *o, struct aml_value *v, int depth)
{
	char path[300];
	struct aml_node *n;

	memset(v, 0, sizeof(*v));
	if (!o) {
		v->type = AML_UNINIT;
		return 0;
	}
	if (depth > 32)
		return -E_LOOP;
	v->type = o->type;
	switch (o->type) {
	case AML_INTEGER:
		v->integer = o->ival;
		return 0;
	case AML_STRING:
		v->string.len = o->str.len;
		v->string.ptr = dup_str(aml, o->str.ptr, o->str.len);
		return v->string.ptr ? 0 : -E_NOMEM;
	case AML_BUFFER:
		v->buffer.len = o->buf.len;
		v->buffer.ptr = aml->host.alloc(aml->host.ctx, o->buf.len ? o->buf.len : 1);
		if (!v->buffer.ptr)
			return -E_NOMEM;
		memcpy(v->buffer.ptr, o->buf.ptr, o->buf.len);
		return 0;
	case AML_PACKAGE:
		v->package.elems = aml->host.alloc(
		    aml->host.ctx, (o->pkg.count ? o->pkg.count : 1) * sizeof(struct aml_value));
		if (!v->package.elems)
			return -E_NOMEM;
		memset(v->package.elems, 0,
		       (o->pkg.count ? o->pkg.count : 1) * sizeof(struct aml_value));
		v->package.count = o->pkg.count;
		for (uint32_t i = 0; i < o->pkg.count; i++) {
			int err = to_value(aml, o->pkg.elems[i], &v->package.elems[i], depth + 1);
			if (err)
				return err;
		}
		return 0;
	case AML_REFERENCE:
		if (o->ref.kind == REF_INDEX || o->ref.kind == REF_OBJ) {
			/* an Index result is returned as the value it points at */
			struct aml_obj *d;
			int err = ex_deref(aml, NULL, o, &d);
			if (err) {
				aml->err_set = false;
				v->type = AML_UNINIT;
				return 0;
			}
			err = to_value(aml, d, v, depth + 1);
			obj_put(aml, d);
			return err;
		}
		n = ref_node(aml, o);
		/* A name in a package that names data gives that data (ACPICA
		 * resolves such elements); other objects stay references. */
		if (n && o->ref.kind == REF_NAME && n->obj &&
		    (n->obj->type == AML_INTEGER || n->obj->type == AML_STRING ||
		     n->obj->type == AML_BUFFER || n->obj->type == AML_PACKAGE))
			return to_value(aml, n->obj, v, depth + 1);
		if (n) {
			ns_path(n, path, sizeof(path));
			v->ref.path = dup_str(aml, path, strlen(path));
			return v->ref.path ? 0 : -E_NOMEM;
		}
		return 0;
	default:
		return 0;
	}
}

static int from_value(struct aml *aml, const struct aml_value *v, struct aml_obj **out, int depth)
{
	*out = NULL;
	if (depth > 32)
		return -E_LOOP;
	switch (v->type) {
	case AML_INTEGER:
		*out = obj_int(aml, v->integer);
		break;
	case AML_STRING:
		*out = obj_str(aml, v->string.ptr, (uint32_t)v->string.len);
		break;
	case AML_BUFFER:
		*out = obj_buf(aml, v->buffer.ptr, (uint32_t)v->buffer.len);
		break;
	case AML_PACKAGE:
		*out = obj_pkg(aml, (uint32_t)v->package.count);
		for (size_t i = 0; *out && i < v->package.count; i++) {
			int err =
			    from_value(aml, &v->package.elems[i], &(*out)->pkg.elems[i], depth + 1);
			if (err)
				return err;
		}
		break;
	default:
		return -E_INVAL;
	}
	return *out ? 0 : -E_NOMEM;
}

static struct aml_node *find_path(struct aml *aml, const char *path)
{
	struct aml_name nm;

	if (!path || ns_parse_path(path, &nm))
		return NULL;
	return ns_lookup(aml, aml->root, &nm);
}

/* True if path names an object; its type through type (may be NULL). */
bool aml_exists(struct aml *aml, const char *path, enum aml_type *type)
{
	struct aml_node *n = find_path(aml, path);

	if (n && type)
		*type = n->obj ? (enum aml_type)n->obj->type : AML_UNINIT;
	return n != NULL;
}

/* Evaluate node n with internal args; *ret is a new reference or NULL. */
static int eval_node(struct aml *aml, struct aml_node *n, struct aml_obj **args, int nargs,
		     struct aml_obj **ret)
{
	struct aml_frame f;
	struct aml_obj *o = n->obj;
	int err;

	*ret = NULL;
	if (!o)
		return 0;
	if (o->type == AML_METHOD)
		return ex_invoke(aml, n, args, nargs, ret, NULL);
	if (o->type != AML_FIELD_UNIT && o->type != AML_BUFFER_FIELD) {
		*ret = obj_get(o);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.scope = n->parent;
	aml->frame = &f;
	err = fd_read(aml, NULL, o, ret);
	aml->frame = NULL;
	return err;
}

/* Evaluate the object at path with args; result is a caller-owned copy. */
int aml_eval(struct aml *aml, const char *path, const struct aml_value *args, int nargs,
	     struct aml_value *result)
{
	struct aml_obj *a[7] = {0}, *ret = NULL;
	struct aml_node *n;
	int err = 0, i;

	ev_begin(aml);
	if (result)
		memset(result, 0, sizeof(*result));
	n = find_path(aml, path);
	if (!n) {
		aml_snprintf(aml->err, sizeof(aml->err), "%s: not found (ENOENT)", path);
		return -E_NOENT;
	}
	if (nargs < 0 || nargs > 7)
		return -E_INVAL;
	for (i = 0; i < nargs && !err; i++)
		err = from_value(aml, &args[i], &a[i], 0);
	if (!err)
		err = eval_node(aml, n, a, nargs, &ret);
	for (i = 0; i < 7; i++)
		obj_put(aml, a[i]);
	if (!err && result) {
		err = to_value(aml, ret, result, 0);
		if (err)
			aml_value_free(aml, result);
	}
	obj_put(aml, ret);
	return err;
}

/* Run the method child seg of n if it exists; errors are logged. */
static int run_child(struct aml *aml, struct aml_node *n, const char *seg, struct aml_obj **args,
		     int nargs, struct aml_obj **ret)
{
	struct aml_node *c = ns_child(aml, n, seg);
	char path[300];
	int err;

	*ret = NULL;
	if (!c)
		return -E_NOENT;
	ev_begin(aml);
	err = eval_node(aml, c, args, nargs, ret);
	if (err) {
		ns_path(c, path, sizeof(path));
		aml_log(aml, "%s failed: %s", path, aml->err);
	}
	return err;
}

static bool is_dev(struct aml_node *n)
{
	uint8_t t = n->obj ? n->obj->type : 0;

	return t == AML_DEVICE || t == AML_PROCESSOR || t == AML_THERMAL_ZONE;
}

/* Does n or anything below it have an _INI? (depth-bounded) */
static bool has_ini(struct aml_node *n, int depth)
{
	if (depth > 255)
		return false;
	for (struct aml_node *c = n->child; c; c = c->next) {
		if (memcmp(c->name, "_INI", 4) == 0 || has_ini(c, depth + 1))
			return true;
	}
	return false;
}

#define STA_BROKEN (~0ull)

static void init_walk(struct aml *aml, struct aml_node *n, int depth)
{
	struct aml_obj *r;
	uint64_t sta;
	int err;

	if (depth > 255)
		return;
	for (struct aml_node *c = n->child; c; c = c->next) {
		if (!is_dev(c)) {
			init_walk(aml, c, depth + 1);
			continue;
		}
		if (!has_ini(c, depth))
			continue;
		sta = 0x0F;
		if (ns_child(aml, c, "_STA")) {
			err = run_child(aml, c, "_STA", NULL, 0, &r);
			/* A failing _STA (or one that gives no Integer) skips
			 * the device's _INI but not its children (ACPICA). */
			if (!err && r && r->type == AML_INTEGER)
				sta = r->ival;
			else
				sta = STA_BROKEN;
			obj_put(aml, r);
		}
		if (sta == STA_BROKEN) {
			init_walk(aml, c, depth + 1);
			continue;
		}
		if (!(sta & 1)) {
			if (sta & 8)
				init_walk(aml, c, depth + 1);
			continue;
		}
		if (!(c->parent == aml->root && memcmp(c->name, "_SB_", 4) == 0)) {
			(void)run_child(aml, c, "_INI", NULL, 0, &r);
			obj_put(aml, r);
		}
		init_walk(aml, c, depth + 1);
	}
}

/* Call parent._REG(space, 1) for every region of space under n. */
static void reg_walk(struct aml *aml, struct aml_node *n, uint8_t space, int depth)
{
	struct aml_obj *args[2], *r = NULL;

	if (depth > 255)
		return;
	for (struct aml_node *c = n->child; c; c = c->next) {
		if (c->obj && c->obj->type == AML_REGION && c->obj->region.space == space &&
		    ns_child(aml, n, "_REG")) {
			args[0] = obj_int(aml, space);
			args[1] = obj_int(aml, 1);
			if (args[0] && args[1])
				(void)run_child(aml, n, "_REG", args, 2, &r);
			obj_put(aml, r);
			obj_put(aml, args[0]);
			obj_put(aml, args[1]);
		}
		reg_walk(aml, c, space, depth + 1);
	}
}

/* Run \_INI, \_SB._INI, _REG and then _STA/_INI of every device. */
int aml_initialize(struct aml *aml)
{
	struct aml_node *sb = ns_child(aml, aml->root, "_SB_");
	struct aml_obj *r;

	(void)run_child(aml, aml->root, "_INI", NULL, 0, &r);
	obj_put(aml, r);
	if (sb) {
		(void)run_child(aml, sb, "_INI", NULL, 0, &r);
		obj_put(aml, r);
	}
	for (uint8_t sp = 0; sp < AML_SPACE_COUNT; sp++)
		reg_walk(aml, aml->root, sp, 0);
	init_walk(aml, aml->root, 0);
	return 0;
}

static int walk_rec(struct aml *aml, struct aml_node *n, char *path, size_t len,
		    int (*fn)(void *, const char *, enum aml_type), void *ctx, int depth)
{
	for (struct aml_node *c = n->child; c; c = c->next) {
		size_t l = len;
		int r;

		if (l + 6 >= 512 || depth > 255)
			return 0;
		if (l > 1)
			path[l++] = '.';
		memcpy(path + l, c->name, 4);
		path[l + 4] = 0;
		r = fn(ctx, path,
		       c->alias ? AML_REFERENCE
		       : c->obj ? (enum aml_type)c->obj->type
				: AML_UNINIT);
		if (r < 0)
			return r;
		if (r == 0) {
			r = walk_rec(aml, c, path, l + 4, fn, ctx, depth + 1);
			if (r < 0)
				return r;
		}
		path[len] = 0;
	}
	return 0;
}

/* Visit every namespace object, parents first, in definition order. */
int aml_walk(struct aml *aml, int (*fn)(void *ctx, const char *path, enum aml_type type), void *ctx)
{
	char path[512] = "\\";

	return walk_rec(aml, aml->root, path, 1, fn, ctx, 0);
}
