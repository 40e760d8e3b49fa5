/*
 * object.c - AML objects: allocation through the host, reference counting,
 * copying, and the error/log message formatting every module uses.
 *
 * Every allocation goes through aml_alloc(), which charges it against the
 * memory budget and calls the host allocator; nothing else allocates.
 * obj_put() frees an object when its last reference goes, releasing what it
 * points to (package elements, buffer of a buffer field, ...). Objects never
 * point at namespace nodes in a way that owns them, so there are no cycles
 * except through packages holding references, which AML cannot build with
 * Store (stores copy). No locking.
 */
#include <stdarg.h>
#include <string.h>

#include "aml/internal.h"

/* Zeroed memory charged to the memory budget, or NULL. */
void *aml_alloc(struct aml *aml, size_t size)
{
	void *p;

	if (size == 0)
		size = 1;
	if (aml->mem_used + size > aml->lim.max_memory)
		return NULL;
	p = aml->host.alloc(aml->host.ctx, size);
	if (p) {
		aml->mem_used += size;
		memset(p, 0, size);
	}
	return p;
}

/* Give back memory from aml_alloc (size as allocated). */
void aml_free(struct aml *aml, void *p, size_t size)
{
	if (!p)
		return;
	if (size == 0)
		size = 1;
	aml->mem_used -= size;
	aml->host.free(aml->host.ctx, p, size);
}

/* A new object of type with one reference, or NULL if out of memory. */
struct aml_obj *obj_new(struct aml *aml, uint8_t type)
{
	struct aml_obj *o = aml_alloc(aml, sizeof(*o));

	if (o) {
		o->refs = 1;
		o->type = type;
	}
	return o;
}

/* A reference to node n (pins the node so it outlives method cleanup). */
struct aml_obj *obj_ref_node(struct aml *aml, struct aml_node *n)
{
	struct aml_obj *o = obj_new(aml, AML_REFERENCE);

	if (o) {
		o->ref.kind = REF_NODE;
		o->ref.node = n;
		n->pins++;
	}
	return o;
}

/* All ones at the integer width of the namespace (32 or 64 bits). */
uint64_t aml_ones(const struct aml *aml)
{
	return aml->int32 ? 0xFFFFFFFFull : ~0ull;
}

/* A new Integer, truncated to the integer width. */
struct aml_obj *obj_int(struct aml *aml, uint64_t v)
{
	struct aml_obj *o = obj_new(aml, AML_INTEGER);

	if (o)
		o->ival = v & aml_ones(aml);
	return o;
}

/* A String holding len bytes of s (s may be NULL for zeros). */
struct aml_obj *obj_str(struct aml *aml, const char *s, uint32_t len)
{
	struct aml_obj *o = obj_new(aml, AML_STRING);

	if (!o)
		return NULL;
	o->str.ptr = aml_alloc(aml, (size_t)len + 1);
	if (!o->str.ptr) {
		aml_free(aml, o, sizeof(*o));
		return NULL;
	}
	if (s)
		memcpy(o->str.ptr, s, len);
	o->str.len = len;
	return o;
}

/* A Buffer holding len bytes of p (p may be NULL for zeros). */
struct aml_obj *obj_buf(struct aml *aml, const uint8_t *p, uint32_t len)
{
	struct aml_obj *o = obj_new(aml, AML_BUFFER);

	if (!o)
		return NULL;
	o->buf.ptr = aml_alloc(aml, len);
	if (!o->buf.ptr) {
		aml_free(aml, o, sizeof(*o));
		return NULL;
	}
	if (p)
		memcpy(o->buf.ptr, p, len);
	o->buf.len = len;
	return o;
}

/* A Package of count uninitialised (NULL) elements. */
struct aml_obj *obj_pkg(struct aml *aml, uint32_t count)
{
	struct aml_obj *o = obj_new(aml, AML_PACKAGE);

	if (!o)
		return NULL;
	o->pkg.elems = aml_alloc(aml, (size_t)count * sizeof(struct aml_obj *));
	if (!o->pkg.elems) {
		aml_free(aml, o, sizeof(*o));
		return NULL;
	}
	o->pkg.count = count;
	return o;
}

/* Drop one reference; free the object and what it owns at zero. */
void obj_put(struct aml *aml, struct aml_obj *o)
{
	uint32_t i;

	if (!o || --o->refs > 0)
		return;
	switch (o->type) {
	case AML_STRING:
		aml_free(aml, o->str.ptr, (size_t)o->str.len + 1);
		break;
	case AML_BUFFER:
		aml_free(aml, o->buf.ptr, o->buf.len);
		break;
	case AML_PACKAGE:
		for (i = 0; i < o->pkg.count; i++)
			obj_put(aml, o->pkg.elems[i]);
		aml_free(aml, o->pkg.elems, (size_t)o->pkg.count * sizeof(struct aml_obj *));
		break;
	case AML_FIELD_UNIT:
		obj_put(aml, o->field.region);
		obj_put(aml, o->field.index);
		obj_put(aml, o->field.data);
		obj_put(aml, o->field.bank);
		break;
	case AML_BUFFER_FIELD:
		obj_put(aml, o->bfield.buf);
		break;
	case AML_REFERENCE:
		if (o->ref.kind == REF_NODE && o->ref.node && !aml->dying)
			o->ref.node->pins--;
		obj_put(aml, o->ref.obj);
		if (o->ref.name)
			aml_free(aml, o->ref.name, o->ref.index);
		break;
	default:
		break;
	}
	aml_free(aml, o, sizeof(*o));
}

/* A copy of src that shares nothing mutable with it (deep for packages). */
int obj_copy(struct aml *aml, struct aml_obj *src, struct aml_obj **out)
{
	struct aml_obj *o;
	uint32_t i;
	int err;

	switch (src->type) {
	case AML_INTEGER:
		o = obj_new(aml, AML_INTEGER);
		if (o)
			o->ival = src->ival;
		break;
	case AML_STRING:
		o = obj_str(aml, src->str.ptr, src->str.len);
		break;
	case AML_BUFFER:
		o = obj_buf(aml, src->buf.ptr, src->buf.len);
		break;
	case AML_PACKAGE:
		o = obj_pkg(aml, src->pkg.count);
		if (!o)
			break;
		for (i = 0; i < src->pkg.count; i++) {
			if (!src->pkg.elems[i])
				continue;
			err = obj_copy(aml, src->pkg.elems[i], &o->pkg.elems[i]);
			if (err) {
				obj_put(aml, o);
				return err;
			}
		}
		break;
	default:
		/* Other objects are not values; share them. */
		*out = obj_get(src);
		return 0;
	}
	if (!o)
		return -E_NOMEM;
	*out = o;
	return 0;
}

/* ---------------------------------------------------------------- formatting */

struct fmt_out {
	char *p;
	size_t cap, len;
};

static void put_c(struct fmt_out *f, char c)
{
	if (f->len + 1 < f->cap)
		f->p[f->len] = c;
	f->len++;
}

static void put_num(struct fmt_out *f, uint64_t v, unsigned base, int width, char pad, bool neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		put_c(f, pad);
	while (n)
		put_c(f, tmp[--n]);
}

/* A small vsnprintf: %s %.Ns %c %d %u %x with l/ll/z and zero-pad width. */
int aml_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap)
{
	struct fmt_out f = {out, cap, 0};

	for (; *fmt; fmt++) {
		int width = 0, lng = 0, prec = -1;
		char pad = ' ';
		uint64_t v;
		int64_t sv;

		if (*fmt != '%') {
			put_c(&f, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (int i = 0; s[i] && (prec < 0 || i < prec); i++)
				put_c(&f, s[i]);
			break;
		}
		case 'c':
			put_c(&f, (char)va_arg(ap, int));
			break;
		case 'd':
			sv = lng ? va_arg(ap, long long) : va_arg(ap, int);
			put_num(&f, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, width, pad, sv < 0);
			break;
		case 'u':
		case 'x':
			v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			put_num(&f, v, *fmt == 'x' ? 16 : 10, width, pad, false);
			break;
		case '%':
			put_c(&f, '%');
			break;
		default:
			put_c(&f, '?');
			if (!*fmt)
				fmt--;
			break;
		}
	}
	if (cap)
		out[f.len < cap ? f.len : cap - 1] = 0;
	return (int)f.len;
}

/* aml_vsnprintf with variable arguments. */
int aml_snprintf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = aml_vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* Send one line to the host log, if it has one. */
void aml_log(struct aml *aml, const char *fmt, ...)
{
	char line[320];
	va_list ap;

	if (!aml->host.log)
		return;
	va_start(ap, fmt);
	aml_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	aml->host.log(aml->host.ctx, line);
}

/* Record an error naming the running method and the table offset; returns err. */
int aml_fail(struct aml *aml, const struct aml_stream *s, int err, const char *fmt, ...)
{
	char msg[160], path[96] = "\\";
	va_list ap;

	if (aml->err_set)
		return err;
	va_start(ap, fmt);
	aml_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (aml->frame && aml->frame->method)
		ns_path(aml->frame->method, path, sizeof(path));
	else if (aml->frame && aml->frame->scope)
		ns_path(aml->frame->scope, path, sizeof(path));
	if (s && s->table < aml->ntables)
		aml_snprintf(aml->err, sizeof(aml->err), "%s: %s (%s %s+0x%x)", path, msg,
			     err_name(err), aml->tables[s->table].sig, s->pos);
	else
		aml_snprintf(aml->err, sizeof(aml->err), "%s: %s (%s)", path, msg, err_name(err));
	aml->err_set = true;
	return err;
}
