/*
 * data.c - opcodes that build or reshape data: Buffer, Package/VarPackage
 * (names inside a package stay unresolved references until used, so they
 * may name objects defined later), Concatenate, ConcatenateResTemplate,
 * Mid, ToString, the To* conversions, and the synchronisation and
 * notification opcodes (Acquire/Release, Signal/Wait/Reset, Notify,
 * Sleep/Stall, Unload).
 *
 * Interface: dt_* functions are called by ex_expr with the opcode already
 * consumed and return a new reference in *out. Mutexes and events only
 * count (one caller thread runs the interpreter); Wait on an unsignalled
 * event times out at once. No locking.
 */
#include <string.h>

#include "aml/internal.h"
#include "base/bytes.h"

/* Buffer(size){bytes} */
int dt_make_buffer(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	uint32_t end, save = s->end, n;
	uint64_t size;
	int err;

	if (st_pkglen(s, &end))
		return aml_fail(aml, s, -E_BADMSG, "bad Buffer length");
	s->end = end;
	err = ex_arg_int(aml, s, &size);
	s->end = save;
	if (err)
		return err;
	if (size > 0x1000000)
		return aml_fail(aml, s, -E_NOMEM, "Buffer too large");
	n = end - s->pos;
	*out = obj_buf(aml, NULL, (uint32_t)MAX(size, n));
	if (!*out)
		return aml_fail(aml, s, -E_NOMEM, "out of memory");
	memcpy((*out)->buf.ptr, s->base + s->pos, n);
	s->pos = end;
	return 0;
}

/* A name inside a package: kept unresolved ("scope\0name\0") until used. */
static int make_name_elem(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	struct aml_name nm;
	char buf[AML_MAX_NAMESEGS * 5 + 300];
	size_t n, i;
	struct aml_obj *o;

	if (st_name(s, &nm))
		return aml_fail(aml, s, -E_BADMSG, "bad name in package");
	n = ns_path(aml->frame->scope, buf, 256) + 1;
	if (nm.root)
		buf[n++] = '\\';
	for (i = 0; i < nm.carets && n < 260; i++)
		buf[n++] = '^';
	for (i = 0; i < nm.nsegs && n + 6 < sizeof(buf); i++) {
		memcpy(buf + n, nm.segs[i], 4);
		n += 4;
		if (i + 1 < nm.nsegs)
			buf[n++] = '.';
	}
	buf[n++] = 0;
	o = obj_new(aml, AML_REFERENCE);
	if (!o)
		return -E_NOMEM;
	o->ref.kind = REF_NAME;
	o->ref.name = aml_alloc(aml, n);
	if (!o->ref.name) {
		aml_free(aml, o, sizeof(*o));
		return -E_NOMEM;
	}
	memcpy(o->ref.name, buf, n);
	o->ref.index = (uint32_t)n;
	*out = o;
	return 0;
}

/* Package(n){...} and VarPackage(n){...} */
int dt_make_package(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	uint32_t end, save = s->end, i = 0;
	uint64_t count;
	uint8_t b;
	int err = 0;

	if (st_pkglen(s, &end))
		return aml_fail(aml, s, -E_BADMSG, "bad Package length");
	s->end = end;
	if (op == 0x12) {
		err = st_u8(s, &b) ? aml_fail(aml, s, -E_BADMSG, "truncated Package") : 0;
		count = b;
	} else {
		err = ex_arg_int(aml, s, &count);
	}
	if (!err && count > 0x100000)
		err = aml_fail(aml, s, -E_NOMEM, "Package too large");
	if (!err) {
		*out = obj_pkg(aml, (uint32_t)count);
		if (!*out)
			err = aml_fail(aml, s, -E_NOMEM, "out of memory");
	}
	while (!err && s->pos < end) {
		struct aml_obj *e;

		if (st_is_name_start(s->base[s->pos]))
			err = make_name_elem(aml, s, &e);
		else
			err = ex_term_arg(aml, s, &e);
		if (err)
			break;
		if (i < (*out)->pkg.count)
			(*out)->pkg.elems[i++] = e;
		else
			obj_put(aml, e);
	}
	s->end = save;
	s->pos = end;
	/* ACPICA fills elements past the initialiser list with Integer 0?
	 * No: they stay uninitialized; readers see an error. */
	return err;
}

/* Concatenate(a, b, target): the result takes a's type (Integer gives Buffer). */
int dt_concat(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	struct aml_obj *a = NULL, *b = NULL, *a2 = NULL, *b2 = NULL, *r = NULL;
	int err = ex_term_arg(aml, s, &a);

	if (!err)
		err = ex_term_arg(aml, s, &b);
	if (err)
		goto out;
	if (a->type == AML_INTEGER) {
		/* both become integers, the result their buffer forms */
		uint64_t x, y;
		err = cv_int(aml, s, a, &x);
		if (!err)
			err = cv_int(aml, s, b, &y);
		if (err)
			goto out;
		obj_put(aml, a);
		obj_put(aml, b);
		a = obj_int(aml, x);
		b = obj_int(aml, y);
		if (!a || !b) {
			err = -E_NOMEM;
			goto out;
		}
	}
	if (a->type != AML_INTEGER && a->type != AML_BUFFER) {
		err = cv_str(aml, s, a, &a2);
		if (!err)
			err = cv_str(aml, s, b, &b2);
		if (!err)
			r = obj_str(aml, NULL, a2->str.len + b2->str.len);
		if (r) {
			memcpy(r->str.ptr, a2->str.ptr, a2->str.len);
			memcpy(r->str.ptr + a2->str.len, b2->str.ptr, b2->str.len);
		}
	} else {
		err = cv_buf(aml, s, a, &a2);
		if (!err)
			err = cv_buf(aml, s, b, &b2);
		if (!err)
			r = obj_buf(aml, NULL, a2->buf.len + b2->buf.len);
		if (r) {
			memcpy(r->buf.ptr, a2->buf.ptr, a2->buf.len);
			memcpy(r->buf.ptr + a2->buf.len, b2->buf.ptr, b2->buf.len);
		}
	}
	if (!err)
		err = ex_ret_obj(aml, s, r, out);
out:
	obj_put(aml, a);
	obj_put(aml, b);
	obj_put(aml, a2);
	obj_put(aml, b2);
	return err;
}

/* Length of a resource template without its end tag. */
static uint32_t res_len(const struct aml_obj *b)
{
	uint32_t i = 0;

	while (i < b->buf.len) {
		uint8_t t = b->buf.ptr[i];
		if (t == 0x79)
			return i;
		if (t & 0x80) {
			if (i + 3 > b->buf.len)
				return i;
			i += 3 + rd16(b->buf.ptr + i + 1);
		} else {
			i += 1 + (t & 7);
		}
	}
	return MIN(i, b->buf.len);
}

/* ConcatenateResTemplate: both templates without end tags, then an end tag. */
int dt_concat_res(struct aml *aml, struct aml_stream *s, struct aml_obj **out)
{
	struct aml_obj *a = NULL, *b = NULL, *a2 = NULL, *b2 = NULL, *r = NULL;
	uint32_t la, lb;
	int err = ex_term_arg(aml, s, &a);

	if (!err)
		err = ex_term_arg(aml, s, &b);
	if (!err)
		err = cv_buf(aml, s, a, &a2);
	if (!err)
		err = cv_buf(aml, s, b, &b2);
	if (!err) {
		la = res_len(a2);
		lb = res_len(b2);
		r = obj_buf(aml, NULL, la + lb + 2);
		if (r) {
			memcpy(r->buf.ptr, a2->buf.ptr, la);
			memcpy(r->buf.ptr + la, b2->buf.ptr, lb);
			r->buf.ptr[la + lb] = 0x79;
		}
		err = ex_ret_obj(aml, s, r, out);
	}
	obj_put(aml, a);
	obj_put(aml, b);
	obj_put(aml, a2);
	obj_put(aml, b2);
	return err;
}

/* Mid(src, index, length, target) and ToString(src, length, target) */
int dt_mid_tostring(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	struct aml_obj *src, *r = NULL;
	uint64_t idx = 0, len = ~0ull;
	uint32_t n, i;
	int err = ex_term_arg(aml, s, &src);

	if (err)
		return err;
	if (op == 0x9E)
		err = ex_arg_int(aml, s, &idx);
	if (!err)
		err = ex_arg_int(aml, s, &len);
	if (err) {
		obj_put(aml, src);
		return err;
	}
	if (op == 0x9C) {
		struct aml_obj *b = NULL;
		err = cv_buf(aml, s, src, &b);
		if (!err) {
			for (i = 0; i < b->buf.len && i < len && b->buf.ptr[i]; i++)
				;
			r = obj_str(aml, (const char *)b->buf.ptr, i);
			obj_put(aml, b);
		}
	} else if (src->type == AML_STRING || src->type == AML_BUFFER) {
		n = src->type == AML_STRING ? src->str.len : src->buf.len;
		if (idx > n)
			idx = n;
		if (len > n - idx)
			len = n - idx;
		if (src->type == AML_STRING)
			r = obj_str(aml, src->str.ptr + idx, (uint32_t)len);
		else
			r = obj_buf(aml, src->buf.ptr + idx, (uint32_t)len);
	} else {
		err = aml_fail(aml, s, -E_INVAL, "Mid of a non-string");
	}
	obj_put(aml, src);
	if (err)
		return err;
	return ex_ret_obj(aml, s, r, out);
}

/* ToBuffer/ToDecimalString/ToHexString/ToInteger (T R) */
int dt_convert(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	struct aml_obj *src, *r = NULL;
	uint64_t v;
	int err = ex_term_arg(aml, s, &src);

	if (err)
		return err;
	switch (op) {
	case 0x96:
		err = cv_buf(aml, s, src, &r);
		if (!err && r == src) {
			obj_put(aml, r);
			err = obj_copy(aml, src, &r);
		}
		break;
	case 0x97:
		err = cv_decstr(aml, s, src, &r);
		break;
	case 0x98:
		err = cv_hexstr(aml, s, src, &r);
		break;
	case 0x99:
		if (src->type == AML_STRING) {
			v = cv_parse(aml, src->str.ptr, 10);
		} else {
			err = cv_int(aml, s, src, &v);
		}
		if (!err) {
			r = obj_int(aml, v);
			err = r ? 0 : -E_NOMEM;
		}
		break;
	}
	obj_put(aml, src);
	if (err)
		return err;
	return ex_ret_obj(aml, s, r, out);
}

/* Acquire/Release/Signal/Wait/Reset/Notify/Sleep/Stall/Fatal/Load... */
int dt_sync(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out)
{
	struct aml_target t;
	struct aml_obj *o = NULL;
	uint64_t v = 0, res = 0;
	int err;

	if (op == 0x5B21 || op == 0x5B22) {
		err = ex_arg_int(aml, s, &v);
		if (err)
			return err;
		if (op == 0x5B22 && aml->host.sleep)
			aml->host.sleep(aml->host.ctx, v);
		if (op == 0x5B21 && aml->host.stall)
			aml->host.stall(aml->host.ctx, v);
		goto done;
	}
	err = ex_supername(aml, s, &t);
	if (err)
		return err;
	if (t.kind == TGT_NODE)
		o = t.node->obj;
	if (op == 0x86) {
		err = ex_arg_int(aml, s, &v);
		if (!err && t.kind == TGT_NODE && aml->notify) {
			char path[256];
			ns_path(t.node, path, sizeof(path));
			aml->notify(aml->notify_ctx, path, v);
		}
	} else if (op == 0x5B23) {
		if (s->end - s->pos < 2)
			err = aml_fail(aml, s, -E_BADMSG, "truncated Acquire");
		else
			s->pos += 2;
		if (!err && o && o->type == AML_MUTEX)
			o->mutex.depth++;
	} else if (op == 0x5B27) {
		if (o && o->type == AML_MUTEX && o->mutex.depth)
			o->mutex.depth--;
		else
			err = aml_fail(aml, s, -E_PERM, "Release of a mutex not acquired");
	} else if (op == 0x5B24 || op == 0x5B26) {
		if (o && o->type == AML_EVENT)
			o->event.count = op == 0x5B24 ? o->event.count + 1 : 0;
	} else if (op == 0x5B25) {
		err = ex_arg_int(aml, s, &v);
		if (!err && o && o->type == AML_EVENT && o->event.count)
			o->event.count--;
		else
			res = 1; /* timed out: nobody else can signal */
	} else if (op == 0x5B2A) {
		err = aml_fail(aml, s, -E_NOTSUP, "Unload is not supported");
	}
	tgt_release(aml, &t);
	if (err)
		return err;
done:
	*out = obj_int(aml, res ? aml_ones(aml) : 0);
	return *out ? 0 : -E_NOMEM;
}
