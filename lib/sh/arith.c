/*
 * arith.c - the shell's $((...)) arithmetic (sh.h: sh_arith).
 *
 * Signed 64-bit integers (long), wrapping like two's complement on
 * overflow (computed in unsigned, so no undefined behaviour). Operators,
 * loosest first: || && | ^ & (== !=) (< <= > >=) (<< >>) (+ -) (* / %),
 * unary - + ! ~, parentheses. Numbers: decimal, 0x hex, 0 octal. A bare
 * name is a variable: unset or empty is 0, else its value must be a
 * number. && and || evaluate their right side only for its syntax when
 * the left decides, so "0 && 1/0" is 0. Division or remainder by zero is
 * an error. Parentheses and unary operators nest at most SH_MAX_DEPTH.
 *
 * Ownership: a state on the caller's stack; no locks, no allocation.
 */
#include <string.h>
#include "base/err.h"
#include "sh/sh.h"

struct arith {
	const char *s;
	size_t len, pos;
	const struct sh_env *env;
	struct sh_error *err;
	unsigned depth;
};

static int fail(struct arith *a, const char *msg)
{
	size_t n = strlen(msg);
	if (n >= sizeof a->err->msg)
		n = sizeof a->err->msg - 1;
	memcpy(a->err->msg, msg, n);
	a->err->msg[n] = 0;
	return -E_INVAL;
}

static void blanks(struct arith *a)
{
	while (a->pos < a->len && (a->s[a->pos] == ' ' || a->s[a->pos] == '\t' ||
				   a->s[a->pos] == '\n' || a->s[a->pos] == '\r'))
		a->pos++;
}

/* Is the operator op next (and not the start of a longer one in not_after)? */
static bool accept(struct arith *a, const char *op, const char *not_after)
{
	blanks(a);
	size_t n = strlen(op);
	if (a->len - a->pos < n || memcmp(a->s + a->pos, op, n) != 0)
		return false;
	if (not_after && a->pos + n < a->len && strchr(not_after, a->s[a->pos + n]))
		return false;
	a->pos += n;
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Parse a number from s[*i..len): 0, or -1 if malformed / too large. */
static int parse_number(const char *s, size_t len, size_t *i, unsigned long *out)
{
	unsigned base = 10;
	size_t p = *i;
	if (p + 1 < len && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p < len && s[p] == '0') {
		base = 8;
	}
	size_t start = p;
	unsigned long v = 0;
	while (p < len) {
		char c = s[p];
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			     (c >= 'A' && c <= 'Z') || c == '_';
		if (!alnum)
			break;
		unsigned d = (unsigned)digit_value(c);
		if (d >= base)
			return -1;
		if (v > (~0ul - d) / base)
			return -1;
		v = v * base + d;
		p++;
	}
	if (p == start)
		return -1;
	*i = p;
	*out = v;
	return 0;
}

static int expr_or(struct arith *a, bool live, long *out);

static int variable(struct arith *a, const char *name, size_t n, long *out)
{
	const char *v = a->env && a->env->get ? a->env->get(a->env->ctx, name, n) : NULL;
	*out = 0;
	if (!v)
		return 0;
	size_t len = strlen(v), i = 0;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (i == len)
		return 0;
	bool neg = false;
	if (v[i] == '-' || v[i] == '+')
		neg = v[i++] == '-';
	unsigned long u;
	if (parse_number(v, len, &i, &u) != 0)
		goto bad;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (i != len)
		goto bad;
	*out = (long)(neg ? 0ul - u : u);
	return 0;
bad:;
	char msg[64] = "not a number: ";
	size_t m = strlen(msg), k = 0;
	while (k < n && m + 1 < sizeof msg)
		msg[m++] = name[k++];
	msg[m] = 0;
	return fail(a, msg);
}

static int primary(struct arith *a, bool live, long *out)
{
	blanks(a);
	if (a->pos >= a->len)
		return fail(a, "arithmetic: missing operand");
	char c = a->s[a->pos];
	if (c == '(') {
		if (a->depth >= SH_MAX_DEPTH)
			return fail(a, "arithmetic: nesting too deep");
		a->pos++;
		a->depth++;
		int r = expr_or(a, live, out);
		a->depth--;
		if (r != 0)
			return r;
		if (!accept(a, ")", NULL))
			return fail(a, "arithmetic: missing ')'");
		return 0;
	}
	if (c >= '0' && c <= '9') {
		unsigned long u;
		if (parse_number(a->s, a->len, &a->pos, &u) != 0)
			return fail(a, "arithmetic: bad number");
		*out = (long)u;
		return 0;
	}
	size_t start = a->pos;
	while (a->pos < a->len && sh_is_name(a->s + start, a->pos - start + 1))
		a->pos++;
	if (a->pos == start) {
		char msg[48] = "arithmetic: unexpected 'X'";
		msg[24] = (unsigned char)c < 0x20 || (unsigned char)c > 0x7e ? '?' : c;
		return fail(a, msg);
	}
	return variable(a, a->s + start, a->pos - start, out);
}

static int unary(struct arith *a, bool live, long *out)
{
	blanks(a);
	if (a->pos < a->len) {
		char c = a->s[a->pos];
		if (c == '-' || c == '+' || c == '!' || c == '~') {
			if (a->depth >= SH_MAX_DEPTH)
				return fail(a, "arithmetic: nesting too deep");
			a->pos++;
			a->depth++;
			long v;
			int r = unary(a, live, &v);
			a->depth--;
			if (r != 0)
				return r;
			unsigned long u = (unsigned long)v;
			*out = c == '-' ? (long)(0ul - u) : c == '!' ? !v : c == '~' ? (long)~u : v;
			return 0;
		}
	}
	return primary(a, live, out);
}

static int mul(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = unary(a, live, &l);
	while (e == 0) {
		char op;
		if (accept(a, "*", "="))
			op = '*';
		else if (accept(a, "/", "="))
			op = '/';
		else if (accept(a, "%", "="))
			op = '%';
		else
			break;
		if ((e = unary(a, live, &r)) != 0)
			break;
		if (op == '*') {
			l = (long)((unsigned long)l * (unsigned long)r);
		} else if (r == 0) {
			if (live)
				return fail(a, "arithmetic: division by zero");
			l = 0;
		} else if (r == -1) {
			l = op == '/' ? (long)(0ul - (unsigned long)l) : 0;
		} else {
			l = op == '/' ? l / r : l % r;
		}
	}
	*out = l;
	return e;
}

static int add(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = mul(a, live, &l);
	while (e == 0) {
		bool plus;
		if (accept(a, "+", "="))
			plus = true;
		else if (accept(a, "-", "="))
			plus = false;
		else
			break;
		if ((e = mul(a, live, &r)) != 0)
			break;
		l = plus ? (long)((unsigned long)l + (unsigned long)r)
			 : (long)((unsigned long)l - (unsigned long)r);
	}
	*out = l;
	return e;
}

static int shift(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = add(a, live, &l);
	while (e == 0) {
		bool left;
		if (accept(a, "<<", "="))
			left = true;
		else if (accept(a, ">>", "="))
			left = false;
		else
			break;
		if ((e = add(a, live, &r)) != 0)
			break;
		unsigned n = (unsigned)r & 63;
		l = left ? (long)((unsigned long)l << n) : (l < 0 ? ~(~l >> n) : l >> n);
	}
	*out = l;
	return e;
}

static int rel(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = shift(a, live, &l);
	while (e == 0) {
		int op;
		if (accept(a, "<=", NULL))
			op = 0;
		else if (accept(a, ">=", NULL))
			op = 1;
		else if (accept(a, "<", "<"))
			op = 2;
		else if (accept(a, ">", ">"))
			op = 3;
		else
			break;
		if ((e = shift(a, live, &r)) != 0)
			break;
		l = op == 0 ? l <= r : op == 1 ? l >= r : op == 2 ? l < r : l > r;
	}
	*out = l;
	return e;
}

static int eq(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = rel(a, live, &l);
	while (e == 0) {
		bool equal;
		if (accept(a, "==", NULL))
			equal = true;
		else if (accept(a, "!=", NULL))
			equal = false;
		else
			break;
		if ((e = rel(a, live, &r)) != 0)
			break;
		l = equal ? l == r : l != r;
	}
	*out = l;
	return e;
}

static int band(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = eq(a, live, &l);
	while (e == 0 && accept(a, "&", "&=")) {
		if ((e = eq(a, live, &r)) == 0)
			l &= r;
	}
	*out = l;
	return e;
}

static int bxor(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = band(a, live, &l);
	while (e == 0 && accept(a, "^", "=")) {
		if ((e = band(a, live, &r)) == 0)
			l ^= r;
	}
	*out = l;
	return e;
}

static int bor(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = bxor(a, live, &l);
	while (e == 0 && accept(a, "|", "|=")) {
		if ((e = bxor(a, live, &r)) == 0)
			l |= r;
	}
	*out = l;
	return e;
}

static int land(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = bor(a, live, &l);
	while (e == 0 && accept(a, "&&", NULL)) {
		if ((e = bor(a, live && l != 0, &r)) == 0)
			l = l != 0 && r != 0;
	}
	*out = l;
	return e;
}

static int expr_or(struct arith *a, bool live, long *out)
{
	long l, r;
	int e = land(a, live, &l);
	while (e == 0 && accept(a, "||", NULL)) {
		if ((e = land(a, live && l == 0, &r)) == 0)
			l = l != 0 || r != 0;
	}
	*out = l;
	return e;
}

int sh_arith(const char *expr, size_t len, const struct sh_env *env, long *out,
	     struct sh_error *err)
{
	struct arith a = {expr, len, 0, env, err, 0};
	*out = 0;
	blanks(&a);
	if (a.pos == len)
		return 0; /* $(( )) is 0 */
	long v;
	int r = expr_or(&a, true, &v);
	if (r != 0)
		return r;
	blanks(&a);
	if (a.pos != len)
		return fail(&a, "arithmetic: syntax error");
	*out = v;
	return 0;
}
