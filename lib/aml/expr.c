/*
 * expr.c - expression opcodes (ACPI 6.5 19.6): constants, arithmetic and
 * logic, Store/CopyObject, RefOf/CondRefOf/DerefOf, Index, Match, SizeOf,
 * ObjectType, Increment/Decrement, and the dispatcher ex_expr that also
 * routes the data-building opcodes to data.c.
 *
 * Interface: ex_expr(op) runs one opcode whose bytes were just consumed and
 * returns its value (a new reference; statements like Notify give Integer 0
 * when they stand in expression position). ex_arg_int evaluates a TermArg
 * to an integer; ex_ret_obj stores a result to the Target that follows.
 * Results go to targets through target.c. No locking.
 */
#include <string.h>

#include "aml/internal.h"
#include "base/bytes.h"

/* Evaluate the next TermArg as an integer. */
int ex_arg_int(struct aml *aml, struct aml_stream *s, uint64_t *v)
{
	struct aml_obj *o;
	int err = ex_term_arg(aml, s, &o);

	if (err)
		return err;
	err = cv_int(aml, s, o, v);
	obj_put(aml, o);
	return err;
}

/* Return integer v, also storing it to the target that follows. */
static int ret_int_target(struct aml *aml, struct aml_stream *s, uint64_t v, struct aml_obj **out)
{
	struct aml_target t;
	int err;

	*out = obj_int(aml, v);
	if (!*out)
		return -E_NOMEM;
	err = ex_target(aml, s, &t);
	if (!err)
		err = ex_store(aml, s, *out, &t);
	tgt_release(aml, &t);
	return err;
}

/* Store v (consumed as *out) to the Target that follows; v NULL is -ENOMEM. */
int ex_ret_obj(struct aml *aml, struct aml_stream *s, struct aml_obj *v, struct aml_obj **out)
{
	struct aml_target t;
	int err;

	*out = v;
	if (!v)
		return -E_NOMEM;
	err = ex_target(aml, s, &t);
	if (!err)
		err = ex_store(aml, s, v, &t);
	tgt_release(aml, &t);
	return err;
}

static int binop(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	uint64_t a, b, r = 0, w = aml->int32 ? 32 : 64;
	int err = ex_arg_int(aml, s, &a);

	if (!err)
		err = ex_arg_int(aml, s, &b);
	if (err)
		return err;
	switch (op) {
	case 0x72:
		r = a + b;
		break;
	case 0x74:
		r = a - b;
		break;
	case 0x77:
		r = a * b;
		break;
	case 0x79:
		r = b >= w ? 0 : a << b;
		break;
	case 0x7A:
		r = b >= w ? 0 : a >> b;
		break;
	case 0x7B:
		r = a & b;
		break;
	case 0x7C:
		r = ~(a & b);
		break;
	case 0x7D:
		r = a | b;
		break;
	case 0x7E:
		r = ~(a | b);
		break;
	case 0x7F:
		r = a ^ b;
		break;
	case 0x85:
		if (!b)
			return aml_fail(aml, s, -E_RANGE, "Mod by zero");
		r = a % b;
		break;
	}
	return ret_int_target(aml, s, r & aml_ones(aml), out);
}

static int divide(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	struct aml_target rt, qt;
	struct aml_obj *rem;
	uint64_t a, b;
	int err = ex_arg_int(aml, s, &a);

	if (!err)
		err = ex_arg_int(aml, s, &b);
	if (err)
		return err;
	if (!b)
		return aml_fail(aml, s, -E_RANGE, "Divide by zero");
	err = ex_target(aml, s, &rt);
	if (err)
		return err;
	rem = obj_int(aml, a % b);
	err = rem ? ex_store(aml, s, rem, &rt) : -E_NOMEM;
	obj_put(aml, rem);
	tgt_release(aml, &rt);
	if (err)
		return err;
	*out = obj_int(aml, a / b);
	if (!*out)
		return -E_NOMEM;
	err = ex_target(aml, s, &qt);
	if (!err)
		err = ex_store(aml, s, *out, &qt);
	tgt_release(aml, &qt);
	return err;
}

static int unop(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	uint64_t a, r = 0;
	int err = ex_arg_int(aml, s, &a), i;

	if (err)
		return err;
	switch (op) {
	case 0x80:
		r = ~a;
		break;
	case 0x81:
		for (i = 63; i >= 0; i--)
			if (a >> i & 1) {
				r = (uint64_t)i + 1;
				break;
			}
		break;
	case 0x82:
		for (i = 0; i < 64; i++)
			if (a >> i & 1) {
				r = (uint64_t)i + 1;
				break;
			}
		break;
	case 0x5B28: /* FromBCD */
		for (i = 60; i >= 0; i -= 4)
			r = r * 10 + (a >> i & 15);
		break;
	case 0x5B29: /* ToBCD */
		for (i = 0; a && i < (aml->int32 ? 32 : 64); i += 4, a /= 10)
			r |= (a % 10) << i;
		if (a)
			return aml_fail(aml, s, -E_RANGE, "ToBCD: too many digits");
		break;
	}
	return ret_int_target(aml, s, r & aml_ones(aml), out);
}

/* Compare a with b (b converted to a's type): <0, 0, >0. */
static int compare(struct aml *aml, const struct aml_stream *s, struct aml_obj *a,
		   struct aml_obj *b, int *res)
{
	struct aml_obj *c;
	uint64_t x, y;
	const uint8_t *p, *q;
	uint32_t la, lb;
	int err, r;

	if (a->type == AML_STRING || a->type == AML_BUFFER) {
		err = cv_to_type(aml, s, b, a->type, &c);
		if (err)
			return err;
		if (a->type == AML_STRING) {
			p = (const uint8_t *)a->str.ptr, la = a->str.len;
			q = (const uint8_t *)c->str.ptr, lb = c->str.len;
		} else {
			p = a->buf.ptr, la = a->buf.len;
			q = c->buf.ptr, lb = c->buf.len;
		}
		r = memcmp(p, q, MIN(la, lb));
		if (!r)
			r = la < lb ? -1 : la > lb;
		obj_put(aml, c);
		*res = r;
		return 0;
	}
	err = cv_int(aml, s, a, &x);
	if (!err)
		err = cv_int(aml, s, b, &y);
	*res = x < y ? -1 : x > y;
	return err;
}

static int logic(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	struct aml_obj *a = NULL, *b = NULL;
	uint64_t x, y;
	int err, r = 0;
	bool v = false;

	if (op == 0x92) {
		err = ex_arg_int(aml, s, &x);
		if (err)
			return err;
		*out = obj_int(aml, x ? 0 : ~0ull);
		return *out ? 0 : -E_NOMEM;
	}
	if (op == 0x90 || op == 0x91) {
		err = ex_arg_int(aml, s, &x);
		if (!err)
			err = ex_arg_int(aml, s, &y);
		if (err)
			return err;
		v = op == 0x90 ? (x && y) : (x || y);
	} else {
		err = ex_term_arg(aml, s, &a);
		if (!err)
			err = ex_term_arg(aml, s, &b);
		if (!err)
			err = compare(aml, s, a, b, &r);
		obj_put(aml, a);
		obj_put(aml, b);
		if (err)
			return err;
		v = op == 0x93 ? r == 0 : op == 0x94 ? r > 0 : r < 0;
	}
	*out = obj_int(aml, v ? ~0ull : 0);
	return *out ? 0 : -E_NOMEM;
}

static int ex_index(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	struct aml_obj *c, *r;
	uint64_t i;
	uint32_t len;
	int err = ex_term_arg(aml, s, &c);

	if (err)
		return err;
	err = ex_arg_int(aml, s, &i);
	if (err) {
		obj_put(aml, c);
		return err;
	}
	len = c->type == AML_PACKAGE  ? c->pkg.count
	      : c->type == AML_BUFFER ? c->buf.len
	      : c->type == AML_STRING ? c->str.len
				      : 0;
	if (c->type != AML_PACKAGE && c->type != AML_BUFFER && c->type != AML_STRING) {
		unsigned type = c->type;
		obj_put(aml, c);
		return aml_fail(aml, s, -E_INVAL, "Index of a type %u object", type);
	}
	if (i >= len) {
		obj_put(aml, c);
		return aml_fail(aml, s, -E_RANGE, "Index %llu past end (%u)", (unsigned long long)i,
				len);
	}
	r = obj_new(aml, AML_REFERENCE);
	if (!r) {
		obj_put(aml, c);
		return -E_NOMEM;
	}
	r->ref.kind = REF_INDEX;
	r->ref.obj = c;
	r->ref.index = (uint32_t)i;
	return ex_ret_obj(aml, s, r, out);
}

static bool match_one(int op, int cmp)
{
	switch (op) {
	case 0:
		return true;
	case 1:
		return cmp == 0;
	case 2:
		return cmp <= 0;
	case 3:
		return cmp < 0;
	case 4:
		return cmp >= 0;
	case 5:
		return cmp > 0;
	default:
		return false;
	}
}

static int ex_match(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	struct aml_obj *p = NULL, *o1 = NULL, *o2 = NULL;
	uint8_t op1 = 0, op2 = 0;
	uint64_t start = 0, res = aml_ones(aml);
	int err, c1, c2;

	err = ex_term_arg(aml, s, &p);
	if (!err && st_u8(s, &op1))
		err = -E_BADMSG;
	if (!err)
		err = ex_term_arg(aml, s, &o1);
	if (!err && st_u8(s, &op2))
		err = -E_BADMSG;
	if (!err)
		err = ex_term_arg(aml, s, &o2);
	if (!err)
		err = ex_arg_int(aml, s, &start);
	if (!err && p->type != AML_PACKAGE)
		err = aml_fail(aml, s, -E_INVAL, "Match on a non-package");
	for (uint64_t i = start; !err && i < (p ? p->pkg.count : 0); i++) {
		struct aml_obj *e = p->pkg.elems[i];
		if (!e ||
		    (e->type != AML_INTEGER && e->type != AML_STRING && e->type != AML_BUFFER))
			continue;
		/* the element is converted to the match object's type */
		if (compare(aml, s, o1, e, &c1) || compare(aml, s, o2, e, &c2)) {
			aml->err_set = false;
			continue;
		}
		if (match_one(op1, -c1) && match_one(op2, -c2)) {
			res = i;
			break;
		}
	}
	obj_put(aml, p);
	obj_put(aml, o1);
	obj_put(aml, o2);
	if (err)
		return err;
	*out = obj_int(aml, res);
	return *out ? 0 : -E_NOMEM;
}

/* The object behind a SuperName for ObjectType/SizeOf (no field reads). */
static int super_obj(struct aml *aml, struct aml_stream *s, bool call, struct aml_obj **out)
{
	struct aml_target t;
	uint8_t b = s->pos < s->end ? s->base[s->pos] : 0;
	int err;

	*out = NULL;
	bool term = !st_is_name_start(b) && !(b >= 0x60 && b <= 0x6E) &&
		    !(b == 0x5B && s->pos + 1 < s->end && s->base[s->pos + 1] == 0x31);

	if (call && st_is_name_start(b)) {
		/* SizeOf(method(...)): a method name here is a call */
		struct aml_stream peek = *s;
		struct aml_name nm;
		struct aml_node *n;
		if (!st_name(&peek, &nm)) {
			n = ns_lookup(aml, aml->frame->scope, &nm);
			term = n && n->obj && n->obj->type == AML_METHOD;
		}
	}
	if (term) {
		/* DerefOf/Index/RefOf or a call: any object will do */
		struct aml_obj *o;
		err = ex_term_arg(aml, s, &o);
		if (err)
			return err;
		if (o->type == AML_REFERENCE && o->ref.kind == REF_INDEX &&
		    o->ref.obj->type == AML_PACKAGE) {
			struct aml_obj *e = o->ref.obj->pkg.elems[o->ref.index];
			/* a name in a package stands for the object it names */
			if (e && e->type == AML_REFERENCE && e->ref.kind == REF_NAME) {
				struct aml_node *n = ref_node(aml, e);
				e = n ? n->obj : NULL;
			}
			*out = obj_get(e);
			obj_put(aml, o);
		} else if (o->type == AML_REFERENCE) {
			err = ex_deref(aml, s, o, out);
			obj_put(aml, o);
		} else {
			*out = o;
		}
		return err;
	}
	err = ex_supername(aml, s, &t);
	if (err)
		return err;
	if (t.kind == TGT_NODE) {
		*out = obj_get(t.node->obj);
	} else if (t.kind == TGT_LOCAL || t.kind == TGT_ARG) {
		struct aml_obj *v =
		    t.kind == TGT_LOCAL ? aml->frame->locals[t.slot] : aml->frame->args[t.slot];
		/* a reference held in a local is looked through (ACPICA) */
		if (v && v->type == AML_REFERENCE && v->ref.kind == REF_INDEX &&
		    v->ref.obj->type == AML_PACKAGE)
			*out = obj_get(v->ref.obj->pkg.elems[v->ref.index]);
		else if (v && v->type == AML_REFERENCE)
			err = ex_deref(aml, s, v, out);
		else
			*out = obj_get(v);
	} else if (t.kind == TGT_REF) {
		err = ex_deref(aml, s, t.ref, out);
	} else if (t.kind == TGT_DEBUG) {
		*out = obj_new(aml, AML_DEBUG);
	}
	tgt_release(aml, &t);
	return err;
}

static int ex_sizeof_type(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	struct aml_obj *o;
	uint64_t v = 0;
	int err = super_obj(aml, s, op == 0x87, &o);

	if (err)
		return err;
	if (op == 0x8E) {
		v = o ? (o->type == AML_REFERENCE ? 0 : o->type) : 0;
	} else if (o && o->type == AML_STRING) {
		v = o->str.len;
	} else if (o && o->type == AML_BUFFER) {
		v = o->buf.len;
	} else if (o && o->type == AML_PACKAGE) {
		v = o->pkg.count;
	} else if (o && o->type == AML_INTEGER) {
		v = aml->int32 ? 4 : 8; /* ACPICA: the integer's byte width */
	} else {
		obj_put(aml, o);
		return aml_fail(aml, s, -E_INVAL, "SizeOf an object without a size");
	}
	obj_put(aml, o);
	*out = obj_int(aml, v);
	return *out ? 0 : -E_NOMEM;
}

/* RefOf(S) and CondRefOf(S, R) */
static int ex_refof(struct aml *aml, struct aml_stream *s, bool cond, struct aml_obj **out)
{
	struct aml_target t;
	struct aml_obj *r = NULL;
	struct aml_name nm;
	uint32_t at = s->pos;
	int err;

	if (cond && s->pos < s->end && st_is_name_start(s->base[s->pos])) {
		if (st_name(s, &nm))
			return aml_fail(aml, s, -E_BADMSG, "bad name");
		if (!ns_lookup(aml, aml->frame->scope, &nm)) {
			struct aml_target dummy;
			err = ex_target(aml, s, &dummy);
			tgt_release(aml, &dummy);
			if (err)
				return err;
			*out = obj_int(aml, 0);
			return *out ? 0 : -E_NOMEM;
		}
		s->pos = at;
	}
	err = ex_supername(aml, s, &t);
	if (err)
		return err;
	switch (t.kind) {
	case TGT_NODE:
		r = obj_ref_node(aml, t.node);
		break;
	case TGT_LOCAL:
	case TGT_ARG: {
		struct aml_obj *v =
		    t.kind == TGT_LOCAL ? aml->frame->locals[t.slot] : aml->frame->args[t.slot];
		if (v && v->type == AML_REFERENCE) {
			r = obj_get(v);
		} else if (v) {
			r = obj_new(aml, AML_REFERENCE);
			if (r) {
				r->ref.kind = REF_OBJ;
				r->ref.obj = obj_get(v);
			}
		} else {
			tgt_release(aml, &t);
			return aml_fail(aml, s, -E_NODATA, "RefOf an empty local");
		}
		break;
	}
	case TGT_REF:
		r = obj_get(t.ref);
		break;
	default:
		r = obj_new(aml, AML_REFERENCE);
		if (r)
			r->ref.kind = REF_DEBUG;
		break;
	}
	tgt_release(aml, &t);
	if (!r)
		return -E_NOMEM;
	if (!cond) {
		*out = r;
		return 0;
	}
	err = ex_target(aml, s, &t);
	if (!err)
		err = ex_store(aml, s, r, &t);
	tgt_release(aml, &t);
	obj_put(aml, r);
	*out = obj_int(aml, ~0ull);
	return err ? err : *out ? 0 : -E_NOMEM;
}

/* Store/CopyObject (T S) */
static int ex_store_op(struct aml *aml, struct aml_stream *s, bool copy, struct aml_obj **out)
{
	struct aml_target t;
	struct aml_obj *v;
	int err = ex_term_arg(aml, s, &v);

	if (err)
		return err;
	err = ex_supername(aml, s, &t);
	if (!err)
		err = copy ? ex_copy_to(aml, s, v, &t) : ex_store(aml, s, v, &t);
	tgt_release(aml, &t);
	*out = v;
	return err;
}

/* Increment/Decrement (S) */
static int ex_incdec(struct aml *aml, struct aml_stream *s, int delta, struct aml_obj **out)
{
	struct aml_target t;
	struct aml_obj *v;
	uint64_t x;
	int err = ex_supername(aml, s, &t);

	if (err)
		return err;
	err = tgt_value(aml, s, &t, &v);
	if (!err) {
		err = cv_int(aml, s, v, &x);
		obj_put(aml, v);
	}
	if (!err) {
		*out = obj_int(aml, x + (uint64_t)(int64_t)delta);
		err = *out ? ex_store(aml, s, *out, &t) : -E_NOMEM;
	}
	tgt_release(aml, &t);
	return err;
}

/* Run expression opcode op (already consumed); *out gets its value. */
int ex_expr(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	uint64_t v;
	struct aml_obj *o;
	int err;

	*out = NULL;
	switch (op) {
	case 0x00:
		*out = obj_int(aml, 0);
		break;
	case 0x01:
		*out = obj_int(aml, 1);
		break;
	case 0xFF:
		*out = obj_int(aml, ~0ull);
		break;
	case 0x0A:
	case 0x0B:
	case 0x0C:
	case 0x0E: {
		uint32_t n = op == 0x0A ? 1 : op == 0x0B ? 2 : op == 0x0C ? 4 : 8;
		if (s->end - s->pos < n)
			return aml_fail(aml, s, -E_BADMSG, "truncated constant");
		v = n == 1   ? s->base[s->pos]
		    : n == 2 ? rd16(s->base + s->pos)
		    : n == 4 ? rd32(s->base + s->pos)
			     : rd64(s->base + s->pos);
		s->pos += n;
		*out = obj_int(aml, v);
		break;
	}
	case 0x0D: {
		uint32_t i = s->pos;
		while (i < s->end && s->base[i])
			i++;
		if (i >= s->end)
			return aml_fail(aml, s, -E_BADMSG, "unterminated string");
		*out = obj_str(aml, (const char *)s->base + s->pos, i - s->pos);
		s->pos = i + 1;
		break;
	}
	case 0x5B30:
		/* Revision: the interpreter's version, dated like ACPICA's; we
		 * claim the ACPICA release whose behaviour we are tested against */
		*out = obj_int(aml, AML_REVISION);
		break;
	case 0x5B31:
		*out = obj_new(aml, AML_REFERENCE);
		if (*out)
			(*out)->ref.kind = REF_DEBUG;
		break;
	case 0x5B33:
		*out = obj_int(aml, aml->host.timer ? aml->host.timer(aml->host.ctx) : aml->steps);
		break;
	case 0x11:
		return dt_make_buffer(aml, s, out);
	case 0x12:
	case 0x13:
		return dt_make_package(aml, s, op, out);
	case 0x70:
		return ex_store_op(aml, s, false, out);
	case 0x9D:
		return ex_store_op(aml, s, true, out);
	case 0x71:
		return ex_refof(aml, s, false, out);
	case 0x5B12:
		return ex_refof(aml, s, true, out);
	case 0x83:
		err = ex_term_arg(aml, s, &o);
		if (err)
			return err;
		if (o->type == AML_STRING) {
			struct aml_name nm;
			struct aml_node *n = NULL;
			if (!ns_parse_path(o->str.ptr, &nm)) {
				if (o->str.ptr[0] != '\\')
					nm.root = false;
				n = ns_lookup(aml, aml->frame->scope, &nm);
			}
			obj_put(aml, o);
			if (!n)
				return aml_fail(aml, s, -E_NOENT, "DerefOf: no such name");
			o = obj_ref_node(aml, n);
			if (!o)
				return -E_NOMEM;
		}
		err = ex_deref(aml, s, o, out);
		obj_put(aml, o);
		return err;
	case 0x72:
	case 0x74:
	case 0x77:
	case 0x79:
	case 0x7A:
	case 0x7B:
	case 0x7C:
	case 0x7D:
	case 0x7E:
	case 0x7F:
	case 0x85:
		return binop(aml, s, op, out);
	case 0x78:
		return divide(aml, s, out);
	case 0x80:
	case 0x81:
	case 0x82:
	case 0x5B28:
	case 0x5B29:
		return unop(aml, s, op, out);
	case 0x75:
		return ex_incdec(aml, s, 1, out);
	case 0x76:
		return ex_incdec(aml, s, -1, out);
	case 0x90:
	case 0x91:
	case 0x92:
	case 0x93:
	case 0x94:
	case 0x95:
		return logic(aml, s, op, out);
	case 0x73:
		return dt_concat(aml, s, out);
	case 0x84:
		return dt_concat_res(aml, s, out);
	case 0x88:
		return ex_index(aml, s, out);
	case 0x89:
		return ex_match(aml, s, out);
	case 0x87:
	case 0x8E:
		return ex_sizeof_type(aml, s, op, out);
	case 0x9C:
	case 0x9E:
		return dt_mid_tostring(aml, s, op, out);
	case 0x96:
	case 0x97:
	case 0x98:
	case 0x99:
		return dt_convert(aml, s, op, out);
	case 0x86:
	case 0x5B21:
	case 0x5B22:
	case 0x5B23:
	case 0x5B24:
	case 0x5B25:
	case 0x5B26:
	case 0x5B27:
	case 0x5B2A:
		return dt_sync(aml, s, op, out);
	case 0x5B32: {
		uint64_t a;
		if (s->end - s->pos < 5)
			return aml_fail(aml, s, -E_BADMSG, "truncated Fatal");
		s->pos += 5;
		err = ex_arg_int(aml, s, &a);
		if (err)
			return err;
		return aml_fail(aml, s, -E_IO, "Fatal(0x%x) from firmware", (unsigned)a);
	}
	case 0x5B20:
	case 0x5B1F:
		return aml_fail(aml, s, -E_NOTSUP, "Load/LoadTable are not supported");
	default:
		return aml_fail(aml, s, -E_BADMSG, "unknown opcode 0x%x", op);
	}
	return *out ? 0 : -E_NOMEM;
}
