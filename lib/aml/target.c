/*
 * target.c - where results go: SuperName/Target decoding, Store and
 * CopyObject semantics (ACPI 6.5 19.3.5), references and DerefOf.
 *
 * Interface: ex_target/ex_supername decode a destination into struct
 * aml_target (release with tgt_release); ex_store applies the implicit
 * conversion rules of Store to it; ex_copy_to replaces without conversion;
 * tgt_value reads what a target currently holds; ex_deref follows a
 * reference. Objects are copied when stored, so no two names share a
 * mutable value except through explicit references. No locking.
 */
#include <string.h>

#include "aml/internal.h"

/* Drop what a decoded target holds. */
void tgt_release(struct aml *aml, struct aml_target *t)
{
	obj_put(aml, t->ref);
	t->ref = NULL;
	t->kind = TGT_NONE;
}

/* Decode a SuperName (no NullName). */
int ex_supername(struct aml *aml, struct aml_stream *s, struct aml_target *t)
{
	struct aml_name nm;
	struct aml_obj *o;
	uint8_t b;
	int err;

	memset(t, 0, sizeof(*t));
	if (s->pos >= s->end)
		return aml_fail(aml, s, -E_BADMSG, "missing target");
	b = s->base[s->pos];
	if (st_is_name_start(b)) {
		if (st_name(s, &nm))
			return aml_fail(aml, s, -E_BADMSG, "bad name");
		t->node = ns_lookup(aml, aml->frame->scope, &nm);
		if (!t->node)
			return aml_fail(aml, s, -E_NOENT, "%.4s not found",
					nm.nsegs ? nm.segs[nm.nsegs - 1] : "\\");
		t->kind = TGT_NODE;
		return 0;
	}
	if (b >= 0x60 && b <= 0x67) {
		s->pos++;
		t->kind = TGT_LOCAL;
		t->slot = b - 0x60;
		return 0;
	}
	if (b >= 0x68 && b <= 0x6E) {
		s->pos++;
		t->kind = TGT_ARG;
		t->slot = b - 0x68;
		return 0;
	}
	if (b == 0x5B && s->pos + 1 < s->end && s->base[s->pos + 1] == 0x31) {
		s->pos += 2;
		t->kind = TGT_DEBUG;
		return 0;
	}
	err = ex_term_arg(aml, s, &o);
	if (err)
		return err;
	if (o->type != AML_REFERENCE) {
		obj_put(aml, o);
		return aml_fail(aml, s, -E_INVAL, "target is not a reference");
	}
	t->kind = TGT_REF;
	t->ref = o;
	return 0;
}

/* Decode a Target (NullName allowed). */
int ex_target(struct aml *aml, struct aml_stream *s, struct aml_target *t)
{
	if (s->pos < s->end && s->base[s->pos] == 0) {
		memset(t, 0, sizeof(*t));
		s->pos++;
		return 0;
	}
	return ex_supername(aml, s, t);
}

/* Store v into an existing named object o of node n with implicit conversion. */
static int store_named(struct aml *aml, const struct aml_stream *s, struct aml_node *n,
		       struct aml_obj *v)
{
	struct aml_obj *o = n->obj, *c;
	uint64_t x;
	int err;

	if (!o)
		goto replace;
	switch (o->type) {
	case AML_FIELD_UNIT:
	case AML_BUFFER_FIELD:
		return fd_write(aml, s, o, v);
	case AML_INTEGER:
		err = cv_int(aml, s, v, &x);
		if (err)
			return err;
		/* in place: values in flight are never shared with a name */
		o->ival = x & aml_ones(aml);
		return 0;
	case AML_STRING:
		err = cv_str(aml, s, v, &c);
		if (err)
			return err;
		ns_set_obj(aml, n, c);
		return 0;
	case AML_BUFFER:
		err = cv_buf(aml, s, v, &c);
		if (err)
			return err;
		/* Copied into the existing buffer, zero-filled or truncated, so
		 * buffer fields created on it stay valid (19.3.5.7). */
		memset(o->buf.ptr, 0, o->buf.len);
		memcpy(o->buf.ptr, c->buf.ptr, MIN(o->buf.len, c->buf.len));
		obj_put(aml, c);
		return 0;
	case AML_PACKAGE:
		if (v->type != AML_PACKAGE)
			return aml_fail(aml, s, -E_INVAL,
					"cannot store a type %u object to a Package", v->type);
		break;
	case AML_METHOD:
	case AML_DEVICE:
	case AML_REGION:
	case AML_PROCESSOR:
	case AML_THERMAL_ZONE:
	case AML_POWER_RES:
	case AML_MUTEX:
	case AML_EVENT:
		return aml_fail(aml, s, -E_INVAL, "cannot store to a %u object", o->type);
	default:
		break;
	}
replace:
	err = obj_copy(aml, v, &c);
	if (err)
		return err;
	ns_set_obj(aml, n, c);
	return 0;
}

/* Store into element/byte index of container via a reference. */
static int store_index(struct aml *aml, const struct aml_stream *s, struct aml_obj *r,
		       struct aml_obj *v)
{
	struct aml_obj *c = r->ref.obj, *e;
	uint64_t x;
	int err;

	if (c->type == AML_PACKAGE) {
		if (r->ref.index >= c->pkg.count)
			return aml_fail(aml, s, -E_RANGE, "index past package end");
		err = obj_copy(aml, v, &e);
		if (err)
			return err;
		obj_put(aml, c->pkg.elems[r->ref.index]);
		c->pkg.elems[r->ref.index] = e;
		return 0;
	}
	err = cv_int(aml, s, v, &x);
	if (err)
		return err;
	if (c->type == AML_BUFFER && r->ref.index < c->buf.len) {
		c->buf.ptr[r->ref.index] = (uint8_t)x;
		return 0;
	}
	if (c->type == AML_STRING && r->ref.index < c->str.len) {
		c->str.ptr[r->ref.index] = (char)x;
		return 0;
	}
	return aml_fail(aml, s, -E_RANGE, "index past end");
}

static void log_value(struct aml *aml, struct aml_obj *v)
{
	switch (v->type) {
	case AML_INTEGER:
		aml_log(aml, "Debug: 0x%llx", (unsigned long long)v->ival);
		break;
	case AML_STRING:
		aml_log(aml, "Debug: \"%s\"", v->str.ptr);
		break;
	default:
		aml_log(aml, "Debug: object of type %u", v->type);
		break;
	}
}

static int store_slot(struct aml *aml, struct aml_obj **slot, struct aml_obj *v)
{
	struct aml_obj *c;
	int err = obj_copy(aml, v, &c);

	if (err)
		return err;
	obj_put(aml, *slot);
	*slot = c;
	return 0;
}

/* Store through a reference object r. */
static int store_ref(struct aml *aml, const struct aml_stream *s, struct aml_obj *r,
		     struct aml_obj *v)
{
	switch (r->ref.kind) {
	case REF_NODE:
		return store_named(aml, s, r->ref.node, v);
	case REF_NAME: {
		struct aml_node *n = ref_node(aml, r);
		if (!n)
			return aml_fail(aml, s, -E_NOENT, "reference to nothing");
		return store_named(aml, s, n, v);
	}
	case REF_INDEX:
		return store_index(aml, s, r, v);
	case REF_DEBUG:
		log_value(aml, v);
		return 0;
	default:
		return aml_fail(aml, s, -E_INVAL, "cannot store through this reference");
	}
}

/* Store v to t with the implicit conversion rules of Store. */
int ex_store(struct aml *aml, const struct aml_stream *s, struct aml_obj *v, struct aml_target *t)
{
	struct aml_obj **slot;

	switch (t->kind) {
	case TGT_NONE:
		return 0;
	case TGT_DEBUG:
		log_value(aml, v);
		return 0;
	case TGT_LOCAL:
		return store_slot(aml, &aml->frame->locals[t->slot], v);
	case TGT_ARG:
		slot = &aml->frame->args[t->slot];
		/* Only a RefOf reference is stored through; an Index
		 * reference in an Arg is overwritten (as ACPICA does). */
		if (*slot && (*slot)->type == AML_REFERENCE &&
		    ((*slot)->ref.kind == REF_NODE || (*slot)->ref.kind == REF_NAME))
			return store_ref(aml, s, *slot, v);
		return store_slot(aml, slot, v);
	case TGT_NODE:
		return store_named(aml, s, t->node, v);
	case TGT_REF:
		return store_ref(aml, s, t->ref, v);
	}
	return -E_INVAL;
}

/* CopyObject: replace the target's object with a copy of v, no conversion. */
int ex_copy_to(struct aml *aml, const struct aml_stream *s, struct aml_obj *v, struct aml_target *t)
{
	struct aml_obj *c;
	int err;

	switch (t->kind) {
	case TGT_NODE:
		if (t->node->obj && (t->node->obj->type == AML_FIELD_UNIT ||
				     t->node->obj->type == AML_BUFFER_FIELD))
			return fd_write(aml, s, t->node->obj, v);
		err = obj_copy(aml, v, &c);
		if (err)
			return err;
		ns_set_obj(aml, t->node, c);
		return 0;
	case TGT_LOCAL:
		return store_slot(aml, &aml->frame->locals[t->slot], v);
	case TGT_ARG:
		return store_slot(aml, &aml->frame->args[t->slot], v);
	default:
		return ex_store(aml, s, v, t);
	}
}

/* The value a target currently holds (fields are read). */
int tgt_value(struct aml *aml, const struct aml_stream *s, struct aml_target *t,
	      struct aml_obj **out)
{
	struct aml_obj *v = NULL;

	*out = NULL;
	switch (t->kind) {
	case TGT_LOCAL:
		v = aml->frame->locals[t->slot];
		break;
	case TGT_ARG:
		v = aml->frame->args[t->slot];
		if (v && v->type == AML_REFERENCE)
			return ex_deref(aml, s, v, out);
		break;
	case TGT_NODE: {
		struct aml_obj *r = obj_ref_node(aml, t->node);
		int err;
		if (!r)
			return -E_NOMEM;
		err = ex_deref(aml, s, r, out);
		obj_put(aml, r);
		return err;
	}
	case TGT_REF:
		return ex_deref(aml, s, t->ref, out);
	default:
		break;
	}
	if (!v)
		return aml_fail(aml, s, -E_NODATA, "target holds no value");
	*out = obj_get(v);
	return 0;
}

/* Resolve a REF_NAME element to its node, or NULL. */
static struct aml_node *ref_name_node(struct aml *aml, struct aml_obj *r)
{
	struct aml_name scope, nm;
	struct aml_node *sn;
	const char *sp = r->ref.name, *np = sp + strlen(sp) + 1;

	if (ns_parse_path(sp, &scope))
		return NULL;
	sn = ns_lookup(aml, aml->root, &scope);
	if (!sn || ns_parse_path(np, &nm))
		return NULL;
	nm.root = *np == '\\';
	return ns_lookup(aml, sn, &nm);
}

/* The node a reference names (REF_NODE or a resolvable REF_NAME), or NULL. */
struct aml_node *ref_node(struct aml *aml, struct aml_obj *r)
{
	if (r->type != AML_REFERENCE)
		return NULL;
	if (r->ref.kind == REF_NODE)
		return r->ref.node;
	if (r->ref.kind == REF_NAME)
		return ref_name_node(aml, r);
	return NULL;
}

/* DerefOf: the object a reference points at (a new reference). */
int ex_deref(struct aml *aml, const struct aml_stream *s, struct aml_obj *r, struct aml_obj **out)
{
	struct aml_node *n;
	struct aml_obj *c;

	*out = NULL;
	if (r->type != AML_REFERENCE)
		return aml_fail(aml, s, -E_INVAL, "DerefOf a non-reference");
	switch (r->ref.kind) {
	case REF_NODE:
	case REF_NAME:
		n = ref_node(aml, r);
		if (!n || !n->obj)
			return aml_fail(aml, s, -E_NOENT, "reference to nothing");
		if (n->obj->type == AML_FIELD_UNIT || n->obj->type == AML_BUFFER_FIELD)
			return fd_read(aml, s, n->obj, out);
		*out = obj_get(n->obj);
		return 0;
	case REF_OBJ:
		*out = obj_get(r->ref.obj);
		return 0;
	case REF_INDEX:
		c = r->ref.obj;
		if (c->type == AML_PACKAGE && r->ref.index < c->pkg.count) {
			struct aml_obj *e = c->pkg.elems[r->ref.index];
			if (!e)
				return aml_fail(aml, s, -E_NODATA, "uninitialized element");
			if (e->type == AML_REFERENCE && e->ref.kind == REF_NAME)
				return ex_deref(aml, s, e, out);
			*out = obj_get(e);
			return 0;
		}
		if (c->type == AML_BUFFER && r->ref.index < c->buf.len)
			*out = obj_int(aml, c->buf.ptr[r->ref.index]);
		else if (c->type == AML_STRING && r->ref.index < c->str.len)
			*out = obj_int(aml, (uint8_t)c->str.ptr[r->ref.index]);
		else
			return aml_fail(aml, s, -E_RANGE, "index past end");
		return *out ? 0 : -E_NOMEM;
	default:
		return aml_fail(aml, s, -E_INVAL, "DerefOf the Debug object");
	}
}
