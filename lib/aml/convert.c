/*
 * convert.c - data conversions between Integer, String and Buffer
 * (ACPI 6.5 19.3.5: implicit source operand conversion, and the explicit
 * ToInteger/ToBuffer/ToHexString/ToDecimalString operators).
 *
 * Interface: cv_int gives an object's integer value (strings are read as
 * hex, as implicit conversion requires); cv_buf/cv_str/cv_hexstr/cv_decstr
 * return new objects; cv_to_type converts to a given type. Results are new
 * references; inputs are not modified. Integer width follows the DSDT
 * revision (aml->int32). No locking.
 */
#include <string.h>

#include "aml/internal.h"
#include "base/hex.h"

/* Parse digits of base (16 or 10) after blanks and an optional 0x; stops at
 * the first non-digit or before a digit that would overflow the integer
 * width (ACPICA neither wraps nor fails). */
uint64_t cv_parse(const struct aml *aml, const char *p, int base)
{
	uint64_t x = 0, max = aml_ones(aml);
	int d;

	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		base = 16;
	}
	for (; *p; p++) {
		d = hex_digit(*p);
		if (d < 0 || d >= base)
			break;
		if (x > (max - (uint64_t)d) / (uint64_t)base)
			break;
		x = x * (uint64_t)base + (uint64_t)d;
	}
	return x;
}

/* Integer value of o; strings as hex digits up to the first non-digit. */
int cv_int(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, uint64_t *v)
{
	uint64_t x = 0;
	uint32_t i, n;

	switch (o->type) {
	case AML_INTEGER:
		*v = o->ival;
		return 0;
	case AML_STRING:
		*v = cv_parse(aml, o->str.ptr, 16);
		return 0;
	case AML_BUFFER:
		n = MIN(o->buf.len, aml->int32 ? 4u : 8u);
		for (i = 0; i < n; i++)
			x |= (uint64_t)o->buf.ptr[i] << (8 * i);
		*v = x;
		return 0;
	case AML_FIELD_UNIT:
	case AML_BUFFER_FIELD: {
		struct aml_obj *r;
		int err = fd_read(aml, s, o, &r);
		if (err)
			return err;
		err = cv_int(aml, s, r, v);
		obj_put(aml, r);
		return err;
	}
	case AML_REFERENCE: {
		struct aml_obj *r;
		int err = ex_deref(aml, s, o, &r);
		if (err)
			return err;
		if (r->type == AML_REFERENCE) {
			obj_put(aml, r);
			return aml_fail(aml, s, -E_INVAL, "reference to a reference");
		}
		err = cv_int(aml, s, r, v);
		obj_put(aml, r);
		return err;
	}
	default:
		return aml_fail(aml, s, -E_INVAL, "object of type %u is not an integer", o->type);
	}
}

/* Buffer form of o (integers little-endian, strings with their NUL). */
int cv_buf(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, struct aml_obj **out)
{
	uint8_t tmp[8];
	uint64_t v;
	int err;

	*out = NULL;
	switch (o->type) {
	case AML_BUFFER:
		*out = obj_get(o);
		return 0;
	case AML_STRING:
		/* with the terminating NUL, also for "" */
		*out = obj_buf(aml, (const uint8_t *)o->str.ptr, o->str.len + 1);
		break;
	default:
		err = cv_int(aml, s, o, &v);
		if (err)
			return err;
		for (int i = 0; i < 8; i++)
			tmp[i] = (uint8_t)(v >> (8 * i));
		*out = obj_buf(aml, tmp, aml->int32 ? 4 : 8);
		break;
	}
	return *out ? 0 : -E_NOMEM;
}

static int put_hex(char *p, uint64_t v, int digits)
{
	for (int i = digits - 1; i >= 0; i--) {
		p[i] = "0123456789ABCDEF"[v & 15];
		v >>= 4;
	}
	return digits;
}

/* "0xAB<sep>0xCD" for a buffer. */
static int buf_hex(struct aml *aml, struct aml_obj *o, char sep, struct aml_obj **out)
{
	uint32_t i, n = o->buf.len ? o->buf.len * 5 - 1 : 0;

	*out = obj_str(aml, NULL, n);
	if (!*out)
		return -E_NOMEM;
	for (i = 0; i < o->buf.len; i++) {
		char *p = (*out)->str.ptr + i * 5;
		p[0] = '0';
		p[1] = 'x';
		put_hex(p + 2, o->buf.ptr[i], 2);
		if (i + 1 < o->buf.len)
			p[4] = sep;
	}
	return 0;
}

/* "[Package Object]" and the like, for objects that are not data. */
static int type_str(struct aml *aml, struct aml_obj *o, struct aml_obj **out)
{
	static const char *const names[] = {
	    "Uninitialized",	"Integer", "String",	"Buffer",	  "Package",
	    "Field Unit",	"Device",  "Event",	"Control Method", "Mutex",
	    "Operation Region", "Power",   "Processor", "Thermal Zone",	  "Buffer Field",
	    "DDB Handle",	"Debug",
	};
	char tmp[40];
	int n = aml_snprintf(tmp, sizeof(tmp), "[%s Object]",
			     o->type < ARRAY_SIZE(names) ? names[o->type] : "Reference");

	*out = obj_str(aml, tmp, (uint32_t)n);
	return *out ? 0 : -E_NOMEM;
}

/* Implicit String form of o: integers as hex digits, buffers as "xx xx". */
int cv_str(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, struct aml_obj **out)
{
	uint64_t v;
	int err;

	*out = NULL;
	if (o->type == AML_STRING) {
		*out = obj_get(o);
		return 0;
	}
	if (o->type == AML_BUFFER)
		return buf_hex(aml, o, ' ', out);
	if (o->type != AML_INTEGER && o->type != AML_FIELD_UNIT && o->type != AML_BUFFER_FIELD &&
	    o->type != AML_REFERENCE)
		return type_str(aml, o, out);
	err = cv_int(aml, s, o, &v);
	if (err)
		return err;
	*out = obj_str(aml, NULL, aml->int32 ? 8 : 16);
	if (!*out)
		return -E_NOMEM;
	put_hex((*out)->str.ptr, v, aml->int32 ? 8 : 16);
	return 0;
}

/* ToHexString: integers as full-width hex digits, buffers "0xAA,0xBB". */
int cv_hexstr(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, struct aml_obj **out)
{
	*out = NULL;
	if (o->type == AML_STRING) {
		*out = obj_get(o);
		return 0;
	}
	if (o->type == AML_BUFFER)
		return buf_hex(aml, o, ',', out);
	return cv_str(aml, s, o, out);
}

static uint32_t put_dec(char *p, uint64_t v)
{
	char tmp[24];
	uint32_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* ToDecimalString: integers in decimal, buffers as "1,2,3". */
int cv_decstr(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, struct aml_obj **out)
{
	char tmp[24];
	uint64_t v;
	uint32_t i, n = 0;
	int err;

	*out = NULL;
	if (o->type == AML_STRING) {
		*out = obj_get(o);
		return 0;
	}
	if (o->type == AML_BUFFER) {
		for (i = 0; i < o->buf.len; i++)
			n += put_dec(tmp, o->buf.ptr[i]) + (i + 1 < o->buf.len);
		*out = obj_str(aml, NULL, n);
		if (!*out)
			return -E_NOMEM;
		for (i = 0, n = 0; i < o->buf.len; i++) {
			n += put_dec((*out)->str.ptr + n, o->buf.ptr[i]);
			if (i + 1 < o->buf.len)
				(*out)->str.ptr[n++] = ',';
		}
		return 0;
	}
	err = cv_int(aml, s, o, &v);
	if (err)
		return err;
	n = put_dec(tmp, v);
	*out = obj_str(aml, tmp, n);
	return *out ? 0 : -E_NOMEM;
}

/* Convert o to type (Integer, String or Buffer); other types are copied. */
int cv_to_type(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, uint8_t type,
	       struct aml_obj **out)
{
	uint64_t v;
	int err;

	switch (type) {
	case AML_INTEGER:
		err = cv_int(aml, s, o, &v);
		if (err)
			return err;
		*out = obj_int(aml, v);
		return *out ? 0 : -E_NOMEM;
	case AML_STRING:
		return cv_str(aml, s, o, out);
	case AML_BUFFER:
		return cv_buf(aml, s, o, out);
	default:
		*out = obj_get(o);
		return 0;
	}
}
