/*
 * exec.c - running term lists: statements, control flow, named-object
 * definitions and method invocation (ACPI 6.5 19.6, 20.2.5).
 *
 * Interface: ex_term_list runs the terms of s from s->pos to s->end;
 * ex_term_arg evaluates one TermArg to an object (a new reference);
 * ex_invoke calls a method with evaluated arguments. Method bodies are only
 * decoded when they run (lazy parsing), so calls to methods defined later
 * or in another table parse with the right argument count. A name in call
 * position that is not a method takes no arguments; one that does not exist
 * yet but was seen as a method by the hint pass consumes its arguments and
 * fails with -E_NOENT. While loading a table, a failing statement is logged
 * and skipped (its extent comes from the decoder), as firmware expects.
 * Budgets: every opcode costs one step (ex_step), call depth and term
 * nesting are bounded; exhaustion is -E_TIMEDOUT / -E_LOOP, never a hang.
 * No locking.
 */
#include <string.h>

#include "aml/internal.h"
#include "base/bytes.h"

static int ex_term(struct aml *aml, struct aml_stream *s, struct aml_obj **out, bool want);

/* Charge one opcode against the evaluation budget. */
int ex_step(struct aml *aml, const struct aml_stream *s)
{
	if (++aml->steps > aml->lim.max_steps)
		return aml_fail(aml, s, -E_TIMEDOUT, "evaluation budget exhausted");
	return 0;
}

/* Remember n as created by the running method (removed when it returns). */
int ex_add_temp(struct aml *aml, struct aml_node *n)
{
	struct aml_frame *f = aml->frame;
	struct aml_node **nt;

	if (!f || !n->temp)
		return 0;
	if (f->ntemps == f->captemps) {
		uint32_t cap = f->captemps ? f->captemps * 2 : 8;
		nt = aml_alloc(aml, cap * sizeof(*nt));
		if (!nt)
			return -E_NOMEM;
		if (f->temps)
			memcpy(nt, f->temps, f->ntemps * sizeof(*nt));
		aml_free(aml, f->temps, f->captemps * sizeof(*nt));
		f->temps = nt;
		f->captemps = cap;
	}
	f->temps[f->ntemps++] = n;
	return 0;
}

/* Create the node for a definition named nm and give it object o (consumed). */
static int ex_define(struct aml *aml, const struct aml_stream *s, const struct aml_name *nm,
		     struct aml_obj *o, struct aml_node **out)
{
	struct aml_node *n;
	int err;

	if (!o)
		return aml_fail(aml, s, -E_NOMEM, "out of memory");
	err = ns_create(aml, aml->frame->scope, nm, &n);
	if (err) {
		obj_put(aml, o);
		return aml_fail(aml, s, err, "cannot define %.4s",
				nm->nsegs ? nm->segs[nm->nsegs - 1] : "\\");
	}
	n->table = s->table;
	n->obj = o;
	if (o->type == AML_METHOD)
		o->method.scope = n;
	if (o->type == AML_REGION)
		o->region.node = n;
	if (out)
		*out = n;
	return ex_add_temp(aml, n);
}

/* Run [s->pos, end) as a term list in scope, then continue after end. */
static int ex_block(struct aml *aml, struct aml_stream *s, uint32_t end, struct aml_node *scope)
{
	struct aml_node *old = aml->frame->scope;
	uint32_t save = s->end;
	int err;

	/* nested blocks count against the nesting budget too (C stack) */
	if (++aml->nesting > aml->lim.max_nesting) {
		aml->nesting--;
		return aml_fail(aml, s, -E_LOOP, "blocks nested too deeply");
	}
	s->end = end;
	if (scope)
		aml->frame->scope = scope;
	err = ex_term_list(aml, s);
	aml->nesting--;
	aml->frame->scope = old;
	s->end = save;
	if (err == 0)
		s->pos = end;
	return err;
}

/* Scope, Device, ThermalZone, PowerResource, Processor. */
static int ex_scoped_def(struct aml *aml, struct aml_stream *s, uint16_t op)
{
	struct aml_name nm;
	struct aml_node *n = NULL;
	struct aml_obj *o = NULL;
	uint32_t end;
	int err;

	if (st_pkglen(s, &end) || st_name(s, &nm))
		return aml_fail(aml, s, -E_BADMSG, "bad definition encoding");
	if (op == 0x10) {
		n = ns_lookup(aml, aml->frame->scope, &nm);
		if (!n) {
			s->pos = end;
			return aml_fail(aml, s, -E_NOENT, "Scope(%.4s) target not found",
					nm.nsegs ? nm.segs[nm.nsegs - 1] : "\\");
		}
		return ex_block(aml, s, end, n);
	}
	switch (op) {
	case 0x5B82:
		o = obj_new(aml, AML_DEVICE);
		break;
	case 0x5B85:
		o = obj_new(aml, AML_THERMAL_ZONE);
		break;
	case 0x5B84:
		if (end - s->pos < 3) {
			s->pos = end;
			return aml_fail(aml, s, -E_BADMSG, "truncated PowerResource");
		}
		o = obj_new(aml, AML_POWER_RES);
		if (o) {
			o->power.level = s->base[s->pos];
			o->power.order = rd16(s->base + s->pos + 1);
		}
		s->pos += 3;
		break;
	case 0x5B83:
		if (end - s->pos < 6) {
			s->pos = end;
			return aml_fail(aml, s, -E_BADMSG, "truncated Processor");
		}
		o = obj_new(aml, AML_PROCESSOR);
		if (o) {
			o->proc.id = s->base[s->pos];
			o->proc.pblk = rd32(s->base + s->pos + 1);
			o->proc.plen = s->base[s->pos + 5];
		}
		s->pos += 6;
		break;
	}
	err = ex_define(aml, s, &nm, o, &n);
	if (err) {
		s->pos = end;
		return err;
	}
	return ex_block(aml, s, end, n);
}

static int ex_method_def(struct aml *aml, struct aml_stream *s)
{
	struct aml_name nm;
	struct aml_obj *o;
	uint32_t end;
	uint8_t flags;
	int err;

	if (st_pkglen(s, &end) || st_name(s, &nm) || st_u8(s, &flags) || s->pos > end)
		return aml_fail(aml, s, -E_BADMSG, "bad Method encoding");
	o = obj_new(aml, AML_METHOD);
	if (o) {
		o->method.table = s->table;
		o->method.argc = flags & 7;
		o->method.flags = flags;
		o->method.start = s->pos;
		o->method.end = end;
	}
	s->pos = end;
	err = ex_define(aml, s, &nm, o, NULL);
	return err;
}

/* Name(N, DataRefObject) */
static int ex_name_def(struct aml *aml, struct aml_stream *s)
{
	struct aml_name nm;
	struct aml_obj *o;
	int err;

	if (st_name(s, &nm))
		return aml_fail(aml, s, -E_BADMSG, "bad Name encoding");
	err = ex_term_arg(aml, s, &o);
	if (err)
		return err;
	return ex_define(aml, s, &nm, o, NULL);
}

static int ex_alias_def(struct aml *aml, struct aml_stream *s)
{
	struct aml_name src, nm;
	struct aml_node *n, *a;
	int err;

	if (st_name(s, &src) || st_name(s, &nm))
		return aml_fail(aml, s, -E_BADMSG, "bad Alias encoding");
	n = ns_lookup(aml, aml->frame->scope, &src);
	if (!n)
		return aml_fail(aml, s, -E_NOENT, "Alias source not found");
	err = ex_define(aml, s, &nm, obj_ref_node(aml, n), &a);
	if (!err)
		a->alias = 1;
	return err;
}

static int ex_region_def(struct aml *aml, struct aml_stream *s)
{
	struct aml_name nm;
	struct aml_obj *o, *a = NULL, *b = NULL;
	uint64_t off, len;
	uint8_t space;
	int err;

	if (st_name(s, &nm) || st_u8(s, &space))
		return aml_fail(aml, s, -E_BADMSG, "bad OperationRegion encoding");
	err = ex_term_arg(aml, s, &a);
	if (!err)
		err = ex_term_arg(aml, s, &b);
	if (!err)
		err = cv_int(aml, s, a, &off);
	if (!err)
		err = cv_int(aml, s, b, &len);
	obj_put(aml, a);
	obj_put(aml, b);
	if (err)
		return err;
	o = obj_new(aml, AML_REGION);
	if (o) {
		o->region.space = space;
		o->region.base = off;
		o->region.len = len;
	}
	return ex_define(aml, s, &nm, o, NULL);
}

/* DataTableRegion(N, sig, oem id, oem table id): accepted as an empty region. */
static int ex_data_region_def(struct aml *aml, struct aml_stream *s)
{
	struct aml_name nm;
	struct aml_obj *o;
	int err;

	if (st_name(s, &nm))
		return aml_fail(aml, s, -E_BADMSG, "bad DataTableRegion encoding");
	for (int i = 0; i < 3; i++) {
		err = ex_term_arg(aml, s, &o);
		if (err)
			return err;
		obj_put(aml, o);
	}
	o = obj_new(aml, AML_REGION);
	if (o)
		o->region.space = 0x80;
	return ex_define(aml, s, &nm, o, NULL);
}

/* CreateBit/Byte/Word/DWord/QWord/Field. */
static int ex_create_field(struct aml *aml, struct aml_stream *s, uint16_t op)
{
	struct aml_obj *src = NULL, *idx = NULL, *cnt = NULL, *o;
	struct aml_name nm;
	uint64_t i, n = 0;
	int err;

	err = ex_term_arg(aml, s, &src);
	if (!err)
		err = ex_term_arg(aml, s, &idx);
	if (!err && op == 0x5B13)
		err = ex_term_arg(aml, s, &cnt);
	if (!err && st_name(s, &nm))
		err = aml_fail(aml, s, -E_BADMSG, "bad CreateField encoding");
	if (!err)
		err = cv_int(aml, s, idx, &i);
	if (!err && cnt)
		err = cv_int(aml, s, cnt, &n);
	if (!err && src->type != AML_BUFFER)
		err = aml_fail(aml, s, -E_INVAL, "CreateField source is not a Buffer");
	if (err)
		goto out;
	switch (op) {
	case 0x8D:
		n = 1;
		break;
	case 0x8C:
		n = 8;
		i *= 8;
		break;
	case 0x8B:
		n = 16;
		i *= 8;
		break;
	case 0x8A:
		n = 32;
		i *= 8;
		break;
	case 0x8F:
		n = 64;
		i *= 8;
		break;
	default:
		break;
	}
	if (n == 0 || i + n > (uint64_t)src->buf.len * 8 || i > 0xFFFFFFFFu) {
		err = aml_fail(aml, s, -E_RANGE, "buffer field outside its buffer");
		goto out;
	}
	o = obj_new(aml, AML_BUFFER_FIELD);
	if (o) {
		o->bfield.buf = obj_get(src);
		o->bfield.bit_off = (uint32_t)i;
		o->bfield.bit_len = (uint32_t)n;
		o->bfield.any = op == 0x5B13;
	}
	err = ex_define(aml, s, &nm, o, NULL);
out:
	obj_put(aml, src);
	obj_put(aml, idx);
	obj_put(aml, cnt);
	return err;
}

static int ex_mutex_event_def(struct aml *aml, struct aml_stream *s, uint16_t op)
{
	struct aml_name nm;
	struct aml_obj *o;
	uint8_t sync = 0;

	if (st_name(s, &nm) || (op == 0x5B01 && st_u8(s, &sync)))
		return aml_fail(aml, s, -E_BADMSG, "bad Mutex/Event encoding");
	o = obj_new(aml, op == 0x5B01 ? AML_MUTEX : AML_EVENT);
	if (o && op == 0x5B01)
		o->mutex.sync = sync & 15;
	return ex_define(aml, s, &nm, o, NULL);
}

static int ex_predicate(struct aml *aml, struct aml_stream *s, bool *v)
{
	struct aml_obj *o;
	uint64_t x = 0;
	int err = ex_term_arg(aml, s, &o);

	if (err)
		return err;
	err = cv_int(aml, s, o, &x);
	obj_put(aml, o);
	*v = x != 0;
	return err;
}

static int ex_if(struct aml *aml, struct aml_stream *s)
{
	uint32_t end, eend;
	bool v;
	int err;

	if (st_pkglen(s, &end))
		return aml_fail(aml, s, -E_BADMSG, "bad If length");
	err = ex_predicate(aml, s, &v);
	if (err)
		return err;
	if (v) {
		err = ex_block(aml, s, end, NULL);
		if (err)
			return err;
	}
	s->pos = end;
	if (s->pos < s->end && s->base[s->pos] == 0xA1) {
		s->pos++;
		if (st_pkglen(s, &eend))
			return aml_fail(aml, s, -E_BADMSG, "bad Else length");
		if (v)
			s->pos = eend;
		else
			return ex_block(aml, s, eend, NULL);
	}
	return 0;
}

static int ex_while(struct aml *aml, struct aml_stream *s)
{
	uint32_t end, start, iter = 0;
	bool v;
	int err;

	if (st_pkglen(s, &end))
		return aml_fail(aml, s, -E_BADMSG, "bad While length");
	start = s->pos;
	for (;;) {
		if ((err = ex_step(aml, s)))
			return err;
		/* Like ACPICA's loop timeout: firmware polling a register that
		 * never changes must fail, not spin. */
		if (++iter > aml->lim.max_loop)
			return aml_fail(aml, s, -E_TIMEDOUT, "While loop timeout");
		s->pos = start;
		err = ex_predicate(aml, s, &v);
		if (err)
			return err;
		if (!v)
			break;
		err = ex_block(aml, s, end, NULL);
		if (err == AML_BREAK)
			break;
		if (err && err != AML_CONTINUE)
			return err;
	}
	s->pos = end;
	return 0;
}

/* One statement or expression whose value is discarded. */
static int ex_statement(struct aml *aml, struct aml_stream *s)
{
	uint32_t at = s->pos;
	struct aml_obj *o = NULL;
	uint16_t op;
	uint8_t b;
	int err;

	if ((err = ex_step(aml, s)))
		return err;
	b = s->base[s->pos];
	if (st_is_name_start(b) || (b >= 0x60 && b <= 0x6E)) {
		err = ex_term(aml, s, &o, false);
		obj_put(aml, o);
		return err;
	}
	s->pos++;
	op = b;
	if (b == 0x5B) {
		if (st_u8(s, &b))
			return aml_fail(aml, s, -E_BADMSG, "truncated opcode");
		op = 0x5B00 | b;
	}
	switch (op) {
	case 0x10:
	case 0x5B82:
	case 0x5B83:
	case 0x5B84:
	case 0x5B85:
		return ex_scoped_def(aml, s, op);
	case 0x14:
		return ex_method_def(aml, s);
	case 0x08:
		return ex_name_def(aml, s);
	case 0x06:
		return ex_alias_def(aml, s);
	case 0x5B80:
		return ex_region_def(aml, s);
	case 0x5B88:
		return ex_data_region_def(aml, s);
	case 0x5B81:
	case 0x5B86:
	case 0x5B87:
		return fd_field_list(aml, s, (uint8_t)op);
	case 0x8A:
	case 0x8B:
	case 0x8C:
	case 0x8D:
	case 0x8F:
	case 0x5B13:
		return ex_create_field(aml, s, op);
	case 0x5B01:
	case 0x5B02:
		return ex_mutex_event_def(aml, s, op);
	case 0x15: {
		struct aml_name nm;
		if (st_name(s, &nm) || s->end - s->pos < 2)
			return aml_fail(aml, s, -E_BADMSG, "bad External encoding");
		s->pos += 2;
		return 0;
	}
	case 0xA0:
		return ex_if(aml, s);
	case 0xA1: {
		/* An Else without a preceding If: skip it. */
		uint32_t end;
		if (st_pkglen(s, &end))
			return aml_fail(aml, s, -E_BADMSG, "bad Else length");
		s->pos = end;
		return 0;
	}
	case 0xA2:
		return ex_while(aml, s);
	case 0xA3:
	case 0xCC:
		return 0;
	case 0xA5:
		return AML_BREAK;
	case 0x9F:
		return AML_CONTINUE;
	case 0xA4:
		err = ex_term_arg(aml, s, &o);
		if (err)
			return err;
		if (aml->frame->ret)
			obj_put(aml, aml->frame->ret);
		aml->frame->ret = o;
		return AML_RETURN;
	default:
		s->pos = at;
		err = ex_term_arg(aml, s, &o);
		obj_put(aml, o);
		return err;
	}
}

/* Run the term list [s->pos, s->end). Returns 0, an error, or AML_BREAK/
 * AML_CONTINUE/AML_RETURN. During a table load, failing terms are skipped. */
int ex_term_list(struct aml *aml, struct aml_stream *s)
{
	int err;

	while (s->pos < s->end) {
		uint32_t end = 0, at = s->pos;
		bool load = aml->frame->table_load;

		if (load && st_term_end(aml, s, aml->frame->scope, &end))
			end = s->end;
		err = ex_statement(aml, s);
		if (err < 0 && load && err != -E_TIMEDOUT && err != -E_NOMEM) {
			aml_log(aml, "load: %s", aml->err);
			aml->err_set = false;
			s->pos = end > at && end <= s->end ? end : s->end;
			continue;
		}
		if (err)
			return err;
	}
	return 0;
}

/* Evaluate the arguments of a call to mnode and invoke it. */
static int ex_call(struct aml *aml, struct aml_stream *s, struct aml_node *mnode,
		   struct aml_obj **out)
{
	struct aml_obj *args[7] = {0};
	int argc = mnode->obj->method.argc, err = 0, i;

	for (i = 0; i < argc && !err; i++)
		err = ex_term_arg(aml, s, &args[i]);
	if (!err)
		err = ex_invoke(aml, mnode, args, argc, out, s);
	for (i = 0; i < argc; i++)
		obj_put(aml, args[i]);
	return err;
}

/* The value a name stands for as a TermArg: call a method, read a field. */
static int ex_name_value(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	uint32_t at = s->pos;
	struct aml_name nm;
	struct aml_node *n;
	struct aml_obj *o;
	int argc;

	if (st_name(s, &nm))
		return aml_fail(aml, s, -E_BADMSG, "bad name");
	n = ns_lookup(aml, aml->frame->scope, &nm);
	if (!n) {
		argc = hint_lookup(aml, aml->frame->scope, &nm);
		for (int i = 0; i < argc; i++) {
			int err = ex_term_arg(aml, s, &o);
			if (err)
				return err;
			obj_put(aml, o);
		}
		s->pos = at;
		return aml_fail(aml, s, -E_NOENT, "%.4s not found",
				nm.nsegs ? nm.segs[nm.nsegs - 1] : "\\");
	}
	o = n->obj;
	if (!o) {
		*out = obj_ref_node(aml, n);
		return *out ? 0 : -E_NOMEM;
	}
	switch (o->type) {
	case AML_METHOD:
		return ex_call(aml, s, n, out);
	case AML_FIELD_UNIT:
	case AML_BUFFER_FIELD:
		return fd_read(aml, s, o, out);
	default:
		*out = obj_get(o);
		return 0;
	}
}

/* Evaluate one TermArg; *out receives a new reference (never NULL). */
int ex_term_arg(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	return ex_term(aml, s, out, true);
}

/* Evaluate a term; if want, a missing value (a method that returned
 * nothing) is an error, else *out may be NULL. */
static int ex_term(struct aml *aml, struct aml_stream *s, struct aml_obj **out, bool want)
{
	uint16_t op;
	uint8_t b;
	int err;

	*out = NULL;
	if (s->pos >= s->end)
		return aml_fail(aml, s, -E_BADMSG, "term runs past its package");
	if (++aml->nesting > aml->lim.max_nesting) {
		aml->nesting--;
		return aml_fail(aml, s, -E_LOOP, "terms nested too deeply");
	}
	err = ex_step(aml, s);
	if (err)
		goto out;
	b = s->base[s->pos];
	if (st_is_name_start(b)) {
		err = ex_name_value(aml, s, out);
		if (!err && !*out && want)
			err = aml_fail(aml, s, -E_NODATA, "method returned no value");
		goto out;
	}
	if (b >= 0x60 && b <= 0x6E) {
		struct aml_obj *v =
		    b < 0x68 ? aml->frame->locals[b - 0x60] : aml->frame->args[b - 0x68];
		s->pos++;
		if (!v)
			err = aml_fail(aml, s, -E_NODATA, "%s%d is uninitialized",
				       b < 0x68 ? "Local" : "Arg", b < 0x68 ? b - 0x60 : b - 0x68);
		else
			*out = obj_get(v);
		goto out;
	}
	s->pos++;
	op = b;
	if (b == 0x5B) {
		if (st_u8(s, &b)) {
			err = aml_fail(aml, s, -E_BADMSG, "truncated opcode");
			goto out;
		}
		op = 0x5B00 | b;
	}
	err = ex_expr(aml, s, op, out);
	if (!err && !*out)
		err = aml_fail(aml, s, -E_INVAL, "opcode 0x%x gives no value", op);
out:
	aml->nesting--;
	if (err && *out) {
		obj_put(aml, *out);
		*out = NULL;
	}
	return err;
}

/* Invoke method node mnode with nargs evaluated args; *ret gets its result
 * (a new reference, or NULL if it returned nothing). */
int ex_invoke(struct aml *aml, struct aml_node *mnode, struct aml_obj **args, int nargs,
	      struct aml_obj **ret, const struct aml_stream *caller)
{
	struct aml_obj *m = mnode->obj;
	struct aml_frame f;
	struct aml_stream s;
	int err, i;

	*ret = NULL;
	if (aml->depth >= aml->lim.max_depth)
		return aml_fail(aml, caller, -E_LOOP, "method calls nested too deeply");
	if (m->method.table == AML_NATIVE_TABLE)
		return ev_native(aml, mnode, args, nargs, ret);
	if (m->method.table >= aml->ntables)
		return aml_fail(aml, caller, -E_INVAL, "method has no table");
	memset(&f, 0, sizeof(f));
	f.prev = aml->frame;
	f.scope = mnode;
	f.method = mnode;
	/* Arguments are shared, not copied: a Package or Buffer changed
	 * through Index in the callee is changed for the caller (ACPICA);
	 * a Store to an ArgX replaces the callee's slot only. */
	for (i = 0; i < nargs && i < 7; i++)
		f.args[i] = obj_get(args[i]);
	s.base = aml->tables[m->method.table].data;
	s.table = m->method.table;
	s.pos = m->method.start;
	s.end = m->method.end;
	aml->frame = &f;
	aml->depth++;
	m->refs++;
	m->method.active++;
	err = ex_term_list(aml, &s);
	m->method.active--;
	aml->depth--;
	aml->frame = f.prev;
	if (err == AML_RETURN || err == 0) {
		*ret = f.ret;
		f.ret = NULL;
		err = 0;
	} else if (err > 0) {
		err = 0; /* Break/Continue outside a loop ends the method */
	}
	obj_put(aml, f.ret);
	for (i = 0; i < 7; i++)
		obj_put(aml, f.args[i]);
	for (i = 0; i < 8; i++)
		obj_put(aml, f.locals[i]);
	while (f.ntemps)
		ns_remove(aml, f.temps[--f.ntemps]);
	aml_free(aml, f.temps, f.captemps * sizeof(*f.temps));
	obj_put(aml, m);
	return err;
}
