/*
 * expand.c - word expansion (sh.h: sh_expand_word, sh_expand_string).
 *
 * A word's raw text is read once, left to right, into a run of characters
 * each tagged with where it came from: quoted (inside '...' or "...", or
 * after a backslash: never split, never a glob character) and expanded
 * (the result of $name, ${...}, $((...)): split at spaces, tabs and
 * newlines when not quoted). A "$@" in double quotes puts a field break
 * between parameters. Then the run is cut into fields (sh_expand_word) or
 * joined into one string (sh_expand_string). IFS is fixed at space, tab,
 * newline. Forms: ~ and ~/... (HOME), $name ${name} $? $$ $# $0..$9 $@ $*
 * ${#name} ${name:-w} ${name-w} ${name:+w} ${name+w}, $((expr)), quotes
 * ' " \. $(...) and `...` (command substitution) are refused with an
 * error. Nested expansions (the inside of $((...)) and ${name:-w}) recurse
 * at most EXPAND_DEPTH deep.
 *
 * Memory: the run and the fields come from the caller's arena; a run that
 * outgrows its buffer moves to one twice the size (the old one is left in
 * the arena, so an arena of 8 * len + 256 bytes plus the values' sizes is
 * plenty). No locks; the env callback is called on the caller's thread.
 */
#include <string.h>
#include "base/err.h"
#include "sh/sh.h"

#define EXPAND_DEPTH 16

enum {
	XF_QUOTED = 1,	 /* never split or globbed */
	XF_EXPANDED = 2, /* split when not quoted */
	XF_BREAK = 4,	 /* a field ends here ("$@") */
	XF_MARK = 8,	 /* a quoted part began here: the field exists even if empty */
};

struct xc {
	char c;
	unsigned char f;
};

struct run {
	struct xc *v;
	size_t n, cap;
	struct sh_arena *ar;
};

struct xctx {
	const struct sh_env *env;
	struct sh_arena *ar;
	struct sh_error *err;
	unsigned depth;
	bool empty_at; /* a quoted "$@" with no parameters */
};

static int set_err(struct xctx *x, const char *msg, const char *arg, size_t arg_len)
{
	char *m = x->err->msg;
	size_t cap = sizeof x->err->msg, n = 0;
	for (; *msg && n + 1 < cap; msg++)
		m[n++] = *msg;
	for (size_t i = 0; arg && i < arg_len && n + 1 < cap; i++)
		m[n++] = (unsigned char)arg[i] < 0x20 ? '?' : arg[i];
	m[n] = 0;
	return -E_INVAL;
}

static int nospc(struct xctx *x)
{
	set_err(x, "out of memory expanding a word", NULL, 0);
	return -E_NOSPC;
}

static int push(struct xctx *x, struct run *r, char c, unsigned f)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct xc *v = sh_alloc(r->ar, cap * sizeof *v);
		if (!v)
			return nospc(x);
		if (r->n)
			memcpy(v, r->v, r->n * sizeof *v);
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = (struct xc){c, (unsigned char)f};
	return 0;
}

static int push_str(struct xctx *x, struct run *r, const char *s, size_t n, unsigned f)
{
	for (size_t i = 0; i < n; i++) {
		int e = push(x, r, s[i], f);
		if (e)
			return e;
	}
	return 0;
}

static int expand_to_string(struct xctx *x, const char *raw, size_t len, char **out);

/* The value of a one-character special parameter c (into tmp), or of a name. */
static const char *param_value(struct xctx *x, const char *name, size_t n, char *tmp,
			       size_t tmp_cap)
{
	const struct sh_env *env = x->env;
	if (n == 1) {
		char c = name[0];
		long v;
		if (c == '?' || c == '$' || c == '#') {
			v = c == '?' ? env->status : c == '$' ? env->pid : env->nparams;
			/* format v in decimal */
			char d[24];
			size_t k = 0;
			unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
			do {
				d[k++] = (char)('0' + u % 10);
				u /= 10;
			} while (u);
			size_t j = 0;
			if (v < 0)
				tmp[j++] = '-';
			while (k && j + 1 < tmp_cap)
				tmp[j++] = d[--k];
			tmp[j] = 0;
			return tmp;
		}
		if (c == '0')
			return env->arg0 ? env->arg0 : "sh";
		if (c >= '1' && c <= '9')
			return c - '0' <= env->nparams ? env->params[c - '1'] : NULL;
	}
	return env->get ? env->get(env->ctx, name, n) : NULL;
}

static bool is_special(char c)
{
	return c == '?' || c == '$' || c == '#' || c == '@' || c == '*' || (c >= '0' && c <= '9');
}

/* Append "$@" / "$*": quoted "$@" breaks fields between parameters. */
static int push_params(struct xctx *x, struct run *r, bool at, bool dq)
{
	unsigned f = XF_EXPANDED | (dq ? XF_QUOTED : 0);
	if (at && dq && x->env->nparams == 0)
		x->empty_at = true;
	for (int i = 0; i < x->env->nparams; i++) {
		int e = 0;
		if (i > 0)
			e = at && dq ? push(x, r, 0, XF_BREAK) : push(x, r, ' ', f);
		if (!e && dq)
			e = push(x, r, 0, XF_MARK);
		const char *p = x->env->params[i];
		if (!e)
			e = push_str(x, r, p, strlen(p), f);
		if (e)
			return e;
	}
	return 0;
}

static int push_number(struct xctx *x, struct run *r, long v, unsigned f)
{
	char d[24];
	size_t k = 0;
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	do {
		d[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	int e = v < 0 ? push(x, r, '-', f) : 0;
	while (!e && k)
		e = push(x, r, d[--k], f);
	return e;
}

/* ${...}: body is the text between the braces. */
static int brace(struct xctx *x, struct run *r, const char *body, size_t n, bool dq)
{
	unsigned f = XF_EXPANDED | (dq ? XF_QUOTED : 0);
	char tmp[24];
	if (n > 1 && body[0] == '#') {
		const char *name = body + 1;
		size_t nl = n - 1;
		if (!(sh_is_name(name, nl) || (nl == 1 && is_special(name[0]))))
			return set_err(x, "bad substitution: ${", body, n);
		const char *v = param_value(x, name, nl, tmp, sizeof tmp);
		return push_number(x, r, v ? (long)strlen(v) : 0, f);
	}
	size_t nl = 0;
	if (n > 0 && is_special(body[0]))
		nl = 1;
	else
		while (nl < n && sh_is_name(body, nl + 1))
			nl++;
	if (nl == 0)
		return set_err(x, "bad substitution: ${", body, n);
	if (nl == n) {
		if (body[0] == '@' || body[0] == '*')
			return push_params(x, r, body[0] == '@', dq);
		const char *v = param_value(x, body, nl, tmp, sizeof tmp);
		return v ? push_str(x, r, v, strlen(v), f) : 0;
	}
	const char *op = body + nl;
	bool colon = op[0] == ':';
	size_t oplen = colon ? 2 : 1;
	if (nl + oplen > n || (op[oplen - 1] != '-' && op[oplen - 1] != '+'))
		return set_err(x, "bad substitution: ${", body, n);
	bool plus = op[oplen - 1] == '+';
	const char *v = body[0] == '@' || body[0] == '*'
			    ? (x->env->nparams ? "x" : NULL)
			    : param_value(x, body, nl, tmp, sizeof tmp);
	bool set = v && (!colon || v[0]);
	bool use_word = plus ? set : !set;
	if (!use_word) {
		if (plus)
			return 0;
		if (body[0] == '@' || body[0] == '*')
			return push_params(x, r, body[0] == '@', dq);
		return push_str(x, r, v, strlen(v), f);
	}
	char *w;
	int e = expand_to_string(x, op + oplen, n - nl - oplen, &w);
	return e ? e : push_str(x, r, w, strlen(w), f);
}

/* $((...)): inner is the text between "$((" and "))". */
static int arith(struct xctx *x, struct run *r, const char *inner, size_t n, bool dq)
{
	char *s;
	int e = expand_to_string(x, inner, n, &s);
	if (e)
		return e;
	long v;
	e = sh_arith(s, strlen(s), x->env, &v, x->err);
	if (e)
		return e;
	return push_number(x, r, v, XF_EXPANDED | (dq ? XF_QUOTED : 0));
}

/* Index after the ')' matching an open one at depth 1 from i, or 0 if none. */
static size_t match_paren(const char *s, size_t i, size_t len)
{
	int depth = 1;
	while (i < len) {
		char c = s[i++];
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return i;
		else if (c == '\\' && i < len)
			i++;
	}
	return 0;
}

/* A '$' at raw[*i - 1]: expand what follows, advancing *i. */
static int dollar(struct xctx *x, struct run *r, const char *raw, size_t len, size_t *i, bool dq)
{
	size_t p = *i;
	unsigned f = XF_EXPANDED | (dq ? XF_QUOTED : 0);
	char tmp[24];
	if (p + 1 < len && raw[p] == '(' && raw[p + 1] == '(') {
		size_t close = match_paren(raw, p + 1, len); /* after the outer ')' */
		if (close == 0 || close < p + 4 || raw[close - 2] != ')')
			return set_err(x, "bad arithmetic: missing '))'", NULL, 0);
		size_t inner_end = close - 2;
		*i = close;
		return arith(x, r, raw + p + 2, inner_end - (p + 2), dq);
	}
	if (p < len && raw[p] == '(')
		return set_err(x, "command substitution $(...) is not supported", NULL, 0);
	if (p < len && raw[p] == '{') {
		const char *close = memchr(raw + p, '}', len - p);
		if (!close)
			return set_err(x, "bad substitution: missing '}'", NULL, 0);
		*i = (size_t)(close - raw) + 1;
		return brace(x, r, raw + p + 1, (size_t)(close - raw) - p - 1, dq);
	}
	if (p < len && (raw[p] == '@' || raw[p] == '*')) {
		*i = p + 1;
		return push_params(x, r, raw[p] == '@', dq);
	}
	if (p < len && is_special(raw[p])) {
		*i = p + 1;
		const char *v = param_value(x, raw + p, 1, tmp, sizeof tmp);
		return v ? push_str(x, r, v, strlen(v), f) : 0;
	}
	size_t n = 0;
	while (p + n < len && sh_is_name(raw + p, n + 1))
		n++;
	if (n == 0)
		return push(x, r, '$', dq ? XF_QUOTED : 0); /* a lone '$' */
	*i = p + n;
	const char *v = param_value(x, raw + p, n, tmp, sizeof tmp);
	return v ? push_str(x, r, v, strlen(v), f) : 0;
}

/* Read the raw word into the run. */
static int scan(struct xctx *x, struct run *r, const char *raw, size_t len, bool tilde)
{
	if (x->depth >= EXPAND_DEPTH)
		return set_err(x, "expansion nested too deep", NULL, 0);
	x->depth++;
	bool dq = false;
	size_t i = 0;
	int e = 0;
	if (tilde && len > 0 && raw[0] == '~' && (len == 1 || raw[1] == '/')) {
		const char *home = x->env->get ? x->env->get(x->env->ctx, "HOME", 4) : NULL;
		if (home) {
			e = push_str(x, r, home, strlen(home), XF_QUOTED);
			i = 1;
		}
	}
	while (!e && i < len) {
		char c = raw[i++];
		if (c == '\\') {
			if (i >= len) {
				e = push(x, r, '\\', XF_QUOTED);
			} else if (raw[i] == '\n') {
				i++;
			} else if (!dq || strchr("$`\"\\", raw[i])) {
				e = push(x, r, raw[i++], XF_QUOTED);
			} else {
				e = push(x, r, '\\', XF_QUOTED);
			}
		} else if (c == '\'' && !dq) {
			const char *close = memchr(raw + i, '\'', len - i);
			size_t n = close ? (size_t)(close - raw) - i : len - i;
			e = push(x, r, 0, XF_MARK);
			if (!e)
				e = push_str(x, r, raw + i, n, XF_QUOTED);
			i += n + (close != NULL);
		} else if (c == '"') {
			dq = !dq;
			e = push(x, r, 0, XF_MARK);
		} else if (c == '$') {
			e = dollar(x, r, raw, len, &i, dq);
		} else if (c == '`') {
			e = set_err(x, "command substitution `...` is not supported", NULL, 0);
		} else {
			e = push(x, r, c, dq ? XF_QUOTED : 0);
		}
	}
	x->depth--;
	return e;
}

/* Join a run into one NUL-terminated string (marks dropped, breaks as spaces). */
static int join(struct xctx *x, const struct run *r, char **out)
{
	char *s = sh_alloc(x->ar, r->n + 1);
	if (!s)
		return nospc(x);
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].f & XF_BREAK)
			s[k++] = ' ';
		else if (!(r->v[i].f & XF_MARK))
			s[k++] = r->v[i].c;
	}
	s[k] = 0;
	*out = s;
	return 0;
}

static int expand_to_string(struct xctx *x, const char *raw, size_t len, char **out)
{
	struct run r = {NULL, 0, 0, x->ar};
	int e = scan(x, &r, raw, len, false);
	return e ? e : join(x, &r, out);
}

static bool is_ifs(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static bool is_glob_char(char c)
{
	return c == '*' || c == '?' || c == '[';
}

/* Emit run[from..to) as one field. */
static int emit(struct xctx *x, const struct run *r, size_t from, size_t to, struct sh_field *out,
		size_t max, size_t *n)
{
	if (*n >= max) {
		set_err(x, "too many fields", NULL, 0);
		return -E_NOSPC;
	}
	size_t chars = 0, magic = 0;
	for (size_t i = from; i < to; i++) {
		if (r->v[i].f & XF_MARK)
			continue;
		chars++;
		if (!(r->v[i].f & XF_QUOTED) && is_glob_char(r->v[i].c))
			magic++;
	}
	char *text = sh_alloc(x->ar, chars + 1);
	char *pat = magic ? sh_alloc(x->ar, 2 * chars + 1) : NULL;
	if (!text || (magic && !pat))
		return nospc(x);
	size_t t = 0, p = 0;
	for (size_t i = from; i < to; i++) {
		const struct xc *c = &r->v[i];
		if (c->f & XF_MARK)
			continue;
		text[t++] = c->c;
		if (pat) {
			bool quoted = (c->f & XF_QUOTED) != 0;
			if (c->c == '\\' || (quoted && (is_glob_char(c->c) || c->c == ']' ||
							c->c == '-' || c->c == '!' || c->c == '^')))
				pat[p++] = '\\';
			pat[p++] = c->c;
		}
	}
	text[t] = 0;
	if (pat)
		pat[p] = 0;
	out[*n] = (struct sh_field){text, pat};
	(*n)++;
	return 0;
}

int sh_expand_word(const char *raw, size_t len, const struct sh_env *env, struct sh_arena *ar,
		   struct sh_field *out, size_t max, size_t *n, struct sh_error *err)
{
	struct xctx x = {env, ar, err, 0, false};
	struct run r = {NULL, 0, 0, ar};
	*n = 0;
	int e = scan(&x, &r, raw, len, true);
	if (e)
		return e;
	size_t start = 0;
	bool started = false;
	for (size_t i = 0; i < r.n; i++) {
		const struct xc *c = &r.v[i];
		if (c->f & XF_BREAK) {
			if ((e = emit(&x, &r, start, i, out, max, n)) != 0)
				return e;
			start = i + 1;
			started = false;
		} else if ((c->f & XF_EXPANDED) && !(c->f & XF_QUOTED) && is_ifs(c->c)) {
			if (started && (e = emit(&x, &r, start, i, out, max, n)) != 0)
				return e;
			start = i + 1;
			started = false;
		} else {
			started = true;
		}
	}
	if (started) {
		/* a field made only of the mark of a quoted "$@" with no parameters is none */
		bool only_marks = true;
		for (size_t i = start; i < r.n; i++)
			only_marks &= (r.v[i].f & XF_MARK) != 0;
		if (!(only_marks && x.empty_at && len == 4 && memcmp(raw, "\"$@\"", 4) == 0))
			e = emit(&x, &r, start, r.n, out, max, n);
	}
	return e;
}

int sh_expand_string(const char *raw, size_t len, const struct sh_env *env, struct sh_arena *ar,
		     char **out, struct sh_error *err)
{
	struct xctx x = {env, ar, err, 0, false};
	struct run r = {NULL, 0, 0, ar};
	int e = scan(&x, &r, raw, len, true);
	return e ? e : join(&x, &r, out);
}
