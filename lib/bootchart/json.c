/*
 * json.c - the boot timeline reader: one JSON object (RFC 8259) in the
 * layout init writes (docs/bootchart.md), into a struct bootchart.
 *
 * A small recursive-descent reader written for this one document: known
 * keys are read into their fields, unknown keys and their values are
 * skipped (nesting at most JSON_MAX_DEPTH deep), so a newer init may add
 * fields. Times must be non-negative integers or null; strings longer than
 * their field, more than BC_MAX_SERVICES services or BC_MAX_DEPS
 * dependencies are errors, not silently cut. The optional "drivers" array
 * (driver-manager's drivers) adds rows of type "driver" after the
 * services, in whichever order the two keys come; drivers that do not fit
 * are counted, not refused. Every read is bounds-checked
 * against the input length; the input need not be NUL-terminated.
 *
 * Pure: the caller owns the input and the struct bootchart; no allocation,
 * no locks, no output but bc->error.
 */
#include <string.h>
#include "base/err.h"
#include "bootchart/bootchart.h"
#include "fmt/fmt.h"

#define JSON_MAX_DEPTH 32

struct jcur {
	const char *s;
	size_t n, i;
	int depth;
	struct bootchart *bc;
};

static int jfail(struct jcur *c, const char *what)
{
	fmt_snprintf(c->bc->error, sizeof(c->bc->error), "timeline JSON, byte %zu: %s", c->i, what);
	return -E_INVAL;
}

static void jws(struct jcur *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
			       c->s[c->i] == '\r'))
		c->i++;
}

/* Consume ch after optional white space; true if it was there. */
static bool jeat(struct jcur *c, char ch)
{
	jws(c);
	if (c->i < c->n && c->s[c->i] == ch) {
		c->i++;
		return true;
	}
	return false;
}

static int jhex4(struct jcur *c, unsigned *out)
{
	unsigned v = 0;
	if (c->n - c->i < 4)
		return jfail(c, "short \\u escape");
	for (int k = 0; k < 4; k++) {
		char h = c->s[c->i++];
		v <<= 4;
		if (h >= '0' && h <= '9')
			v |= (unsigned)(h - '0');
		else if (h >= 'a' && h <= 'f')
			v |= (unsigned)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			v |= (unsigned)(h - 'A' + 10);
		else
			return jfail(c, "bad hex digit in \\u escape");
	}
	*out = v;
	return 0;
}

/* Append byte b to out[0..cap) at *len, keeping room for the NUL; a byte
 * that does not fit sets *over instead. */
static void jput(char *out, size_t cap, size_t *len, bool *over, unsigned b)
{
	if (!out)
		return;
	if (*len + 1 >= cap)
		*over = true;
	else
		out[(*len)++] = (char)b;
}

/* Encode code point cp as UTF-8 into out. */
static void jput_utf8(char *out, size_t cap, size_t *len, bool *over, unsigned cp)
{
	if (cp < 0x80) {
		jput(out, cap, len, over, cp);
	} else if (cp < 0x800) {
		jput(out, cap, len, over, 0xc0 | cp >> 6);
		jput(out, cap, len, over, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		jput(out, cap, len, over, 0xe0 | cp >> 12);
		jput(out, cap, len, over, 0x80 | (cp >> 6 & 0x3f));
		jput(out, cap, len, over, 0x80 | (cp & 0x3f));
	} else {
		jput(out, cap, len, over, 0xf0 | cp >> 18);
		jput(out, cap, len, over, 0x80 | (cp >> 12 & 0x3f));
		jput(out, cap, len, over, 0x80 | (cp >> 6 & 0x3f));
		jput(out, cap, len, over, 0x80 | (cp & 0x3f));
	}
}

/* A string into out (cap bytes with the NUL), or skipped when out is NULL.
 * The decoded text may not contain NUL (names are C strings). One longer
 * than out is an error, unless cut is given: then it is cut and *cut set. */
static int jstring_cut(struct jcur *c, char *out, size_t cap, bool *cut)
{
	size_t len = 0;
	bool over = false;
	if (!jeat(c, '"'))
		return jfail(c, "expected a string");
	for (;;) {
		if (c->i >= c->n)
			return jfail(c, "unterminated string");
		unsigned char ch = (unsigned char)c->s[c->i++];
		unsigned cp = ch;
		if (ch == '"')
			break;
		if (ch < 0x20)
			return jfail(c, "control character in string");
		if (ch == '\\') {
			if (c->i >= c->n)
				return jfail(c, "unterminated string");
			char e = c->s[c->i++];
			switch (e) {
			case '"':
				cp = '"';
				break;
			case '\\':
				cp = '\\';
				break;
			case '/':
				cp = '/';
				break;
			case 'b':
				cp = '\b';
				break;
			case 'f':
				cp = '\f';
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u': {
				int r = jhex4(c, &cp);
				if (r)
					return r;
				if (cp >= 0xd800 && cp < 0xdc00) {
					unsigned lo;
					if (c->n - c->i < 2 || c->s[c->i] != '\\' ||
					    c->s[c->i + 1] != 'u')
						return jfail(c, "lone high surrogate");
					c->i += 2;
					if ((r = jhex4(c, &lo)))
						return r;
					if (lo < 0xdc00 || lo > 0xdfff)
						return jfail(c, "bad low surrogate");
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				} else if (cp >= 0xdc00 && cp <= 0xdfff) {
					return jfail(c, "lone low surrogate");
				}
				if (cp == 0)
					return jfail(c, "\\u0000 in string");
				jput_utf8(out, cap, &len, &over, cp);
				continue;
			}
			default:
				return jfail(c, "bad escape in string");
			}
		}
		jput(out, cap, &len, &over, cp);
	}
	if (out)
		out[len] = 0;
	if (over && !cut)
		return jfail(c, "string too long");
	if (cut)
		*cut = over;
	return 0;
}

static int jstring(struct jcur *c, char *out, size_t cap)
{
	return jstring_cut(c, out, cap, NULL);
}

/* An object key; one too long for key[] reads as "" (unknown, skipped). */
static int jkey(struct jcur *c, char *key, size_t cap)
{
	bool cut;
	int r = jstring_cut(c, key, cap, &cut);
	if (!r && cut)
		key[0] = 0;
	if (!r && !jeat(c, ':'))
		return jfail(c, "expected ':'");
	return r;
}

/* A JSON number; *is_int true when it has no fraction or exponent and fits
 * int64 (then *v holds it). */
static int jnumber(struct jcur *c, int64_t *v, bool *is_int)
{
	bool neg = false, ovf = false, integral = true;
	uint64_t acc = 0;
	jws(c);
	if (c->i < c->n && c->s[c->i] == '-') {
		neg = true;
		c->i++;
	}
	if (c->i >= c->n || c->s[c->i] < '0' || c->s[c->i] > '9')
		return jfail(c, "expected a number");
	if (c->s[c->i] == '0' && c->i + 1 < c->n && c->s[c->i + 1] >= '0' && c->s[c->i + 1] <= '9')
		return jfail(c, "leading zero in number");
	while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
		unsigned d = (unsigned)(c->s[c->i++] - '0');
		if (acc > (UINT64_C(0x7fffffffffffffff) - d) / 10)
			ovf = true;
		else
			acc = acc * 10 + d;
	}
	if (c->i < c->n && c->s[c->i] == '.') {
		integral = false;
		c->i++;
		if (c->i >= c->n || c->s[c->i] < '0' || c->s[c->i] > '9')
			return jfail(c, "expected a digit after '.'");
		while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9')
			c->i++;
	}
	if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
		integral = false;
		c->i++;
		if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-'))
			c->i++;
		if (c->i >= c->n || c->s[c->i] < '0' || c->s[c->i] > '9')
			return jfail(c, "expected a digit in the exponent");
		while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9')
			c->i++;
	}
	*is_int = integral && !ovf;
	*v = neg ? -(int64_t)acc : (int64_t)acc;
	return 0;
}

static bool jword(struct jcur *c, const char *w)
{
	size_t l = strlen(w);
	jws(c);
	if (c->n - c->i >= l && memcmp(c->s + c->i, w, l) == 0) {
		c->i += l;
		return true;
	}
	return false;
}

static int jskip(struct jcur *c);

static int jskip_container(struct jcur *c, char close, bool keys)
{
	int r;
	if (++c->depth > JSON_MAX_DEPTH)
		return jfail(c, "nested too deeply");
	if (!jeat(c, close)) {
		do {
			if (keys) {
				if ((r = jstring(c, NULL, 0)))
					return r;
				if (!jeat(c, ':'))
					return jfail(c, "expected ':'");
			}
			if ((r = jskip(c)))
				return r;
		} while (jeat(c, ','));
		if (!jeat(c, close))
			return jfail(c,
				     close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	c->depth--;
	return 0;
}

/* Skip any one value. */
static int jskip(struct jcur *c)
{
	int64_t v;
	bool is_int;
	jws(c);
	if (c->i >= c->n)
		return jfail(c, "expected a value, found the end");
	switch (c->s[c->i]) {
	case '{':
		c->i++;
		return jskip_container(c, '}', true);
	case '[':
		c->i++;
		return jskip_container(c, ']', false);
	case '"':
		return jstring(c, NULL, 0);
	case 't':
		return jword(c, "true") ? 0 : jfail(c, "bad literal");
	case 'f':
		return jword(c, "false") ? 0 : jfail(c, "bad literal");
	case 'n':
		return jword(c, "null") ? 0 : jfail(c, "bad literal");
	default:
		return jnumber(c, &v, &is_int);
	}
}

/* A time: a non-negative integer, or null (BC_NONE) when nullable. */
static int jtime(struct jcur *c, int64_t *out, bool nullable)
{
	int64_t v;
	bool is_int;
	if (nullable && jword(c, "null")) {
		*out = BC_NONE;
		return 0;
	}
	int r = jnumber(c, &v, &is_int);
	if (r)
		return r;
	if (!is_int || v < 0)
		return jfail(c, "expected a non-negative integer");
	*out = v;
	return 0;
}

static int jbool(struct jcur *c, bool *out)
{
	if (jword(c, "true"))
		*out = true;
	else if (jword(c, "false"))
		*out = false;
	else
		return jfail(c, "expected true or false");
	return 0;
}

/* An array of names into names[max][BC_NAME_MAX], count in *count. */
static int jnames(struct jcur *c, char (*names)[BC_NAME_MAX], uint8_t *count)
{
	int r;
	*count = 0;
	if (!jeat(c, '['))
		return jfail(c, "expected an array of names");
	if (jeat(c, ']'))
		return 0;
	do {
		if (*count >= BC_MAX_DEPS)
			return jfail(c, "more than 16 dependencies");
		if ((r = jstring(c, names[*count], BC_NAME_MAX)))
			return r;
		(*count)++;
	} while (jeat(c, ','));
	return jeat(c, ']') ? 0 : jfail(c, "expected ',' or ']'");
}

/* One service object, or with device non-NULL one driver object (its "device" read there). */
static int jservice(struct jcur *c, struct bc_service *s, char *device)
{
	char key[32];
	int r;
	memset(s, 0, sizeof(*s));
	s->start_ns = s->ready_ns = s->exit_ns = BC_NONE;
	bool have_name = false, have_start = false;
	if (!jeat(c, '{'))
		return jfail(c, "expected a service object");
	if (jeat(c, '}'))
		return jfail(c, "service without a name");
	do {
		if ((r = jkey(c, key, sizeof(key))))
			return r;
		if (!strcmp(key, "name")) {
			r = jstring(c, s->name, sizeof(s->name));
			have_name = true;
		} else if (!strcmp(key, "type")) {
			r = jstring(c, s->type, sizeof(s->type));
		} else if (!strcmp(key, "state")) {
			r = jstring(c, s->state, sizeof(s->state));
		} else if (!strcmp(key, "requires")) {
			r = jnames(c, s->req, &s->nreq);
		} else if (!strcmp(key, "after")) {
			r = jnames(c, s->after, &s->nafter);
		} else if (!strcmp(key, "start_ns")) {
			r = jtime(c, &s->start_ns, true);
			have_start = true;
		} else if (!strcmp(key, "ready_ns")) {
			r = jtime(c, &s->ready_ns, true);
		} else if (!strcmp(key, "exit_ns")) {
			r = jtime(c, &s->exit_ns, true);
		} else if (!strcmp(key, "restarts")) {
			int64_t v;
			r = jtime(c, &v, false);
			if (!r && v > UINT32_MAX)
				r = jfail(c, "restarts out of range");
			s->restarts = (uint32_t)v;
		} else if (!strcmp(key, "critical")) {
			r = jbool(c, &s->critical);
		} else if (device && !strcmp(key, "device")) {
			r = jstring(c, device, BC_NAME_MAX);
		} else {
			r = jskip(c);
		}
		if (r)
			return r;
	} while (jeat(c, ','));
	if (!jeat(c, '}'))
		return jfail(c, "expected ',' or '}'");
	if (!have_name || !s->name[0])
		return jfail(c, "service without a name");
	if (!have_start)
		return jfail(c, "service without start_ns");
	return 0;
}

static int jservices(struct jcur *c)
{
	struct bootchart *bc = c->bc;
	int r;
	if (!jeat(c, '['))
		return jfail(c, "\"services\" is not an array");
	if (jeat(c, ']'))
		return 0;
	do {
		if (bc->nsvc >= BC_MAX_SERVICES)
			return jfail(c, "more than 64 services");
		if ((r = jservice(c, &bc->svc[bc->nsvc], NULL)))
			return r;
		if (bc_find(bc, bc->svc[bc->nsvc].name) >= 0)
			return jfail(c, "service listed twice");
		bc->nsvc++;
	} while (jeat(c, ','));
	return jeat(c, ']') ? 0 : jfail(c, "expected ',' or ']'");
}

/*
 * The "drivers" array: each a row named "NAME DEVICE" (the device without
 * its `0000:` segment, cut to the name's field) of type "driver". Rows
 * beyond BC_MAX_SERVICES, or whose name is taken, are counted in
 * drivers_dropped: drivers are extra rows, not a reason to refuse the chart.
 */
static int jdrivers(struct jcur *c)
{
	struct bootchart *bc = c->bc;
	int r;
	if (!jeat(c, '['))
		return jfail(c, "\"drivers\" is not an array");
	if (jeat(c, ']'))
		return 0;
	do {
		struct bc_service d;
		char dev[BC_NAME_MAX] = "";
		if ((r = jservice(c, &d, dev)))
			return r;
		const char *shortdev = strncmp(dev, "0000:", 5) ? dev : dev + 5;
		char name[BC_NAME_MAX];
		fmt_snprintf(name, sizeof name, "%s%s%s", d.name, dev[0] ? " " : "", shortdev);
		strcpy(d.name, name);
		strcpy(d.type, "driver");
		d.nreq = d.nafter = 0;
		if (bc->nsvc >= BC_MAX_SERVICES || bc_find(bc, d.name) >= 0) {
			bc->drivers_dropped++;
			continue;
		}
		bc->svc[bc->nsvc++] = d;
	} while (jeat(c, ','));
	return jeat(c, ']') ? 0 : jfail(c, "expected ',' or ']'");
}

int bc_parse_timeline(const char *json, size_t len, struct bootchart *bc)
{
	struct jcur c = {json, len, 0, 0, bc};
	char key[32];
	bool have_version = false, have_services = false, have_drivers = false;
	int64_t v;
	int r;

	bc->have_timeline = false;
	bc->nsvc = 0;
	bc->drivers_dropped = 0;
	bc->npath = 0;
	bc->init_start_ns = bc->settled_ns = BC_NONE;
	if (!jeat(&c, '{'))
		return jfail(&c, "expected '{'");
	if (!jeat(&c, '}')) {
		do {
			if ((r = jkey(&c, key, sizeof(key))))
				return r;
			if (!strcmp(key, "version")) {
				if ((r = jtime(&c, &v, false)))
					return r;
				if (v != 1)
					return jfail(&c, "unknown version (this reader knows 1)");
				bc->version = 1;
				have_version = true;
			} else if (!strcmp(key, "init_start_ns")) {
				r = jtime(&c, &bc->init_start_ns, true);
			} else if (!strcmp(key, "settled_ns")) {
				r = jtime(&c, &bc->settled_ns, true);
			} else if (!strcmp(key, "services")) {
				if (have_services)
					return jfail(&c, "\"services\" given twice");
				r = jservices(&c);
				have_services = true;
			} else if (!strcmp(key, "drivers")) {
				if (have_drivers)
					return jfail(&c, "\"drivers\" given twice");
				r = jdrivers(&c);
				have_drivers = true;
			} else {
				r = jskip(&c);
			}
			if (r)
				return r;
		} while (jeat(&c, ','));
		if (!jeat(&c, '}'))
			return jfail(&c, "expected ',' or '}'");
	}
	jws(&c);
	if (c.i != c.n)
		return jfail(&c, "text after the object");
	if (!have_version)
		return jfail(&c, "no \"version\"");
	if (!have_services)
		return jfail(&c, "no \"services\"");
	bc->have_timeline = true;
	return 0;
}
