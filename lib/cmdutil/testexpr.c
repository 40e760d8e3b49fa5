/*
 * testexpr.c - test(1)'s expression evaluator (testexpr.h).
 *
 * One struct tx per call carries the words, the cursor of the grammar
 * and the first error; after an error every function returns at once
 * and the caller reports it. Pure: the file tests go through the
 * caller's callbacks. No shared state.
 */
#include "cmdutil/testexpr.h"
#include <stdint.h>
#include <string.h>
#include "fmt/fmt.h"

struct tx {
	const char *const *w;
	int n, cur;
	const struct testexpr_ops *ops;
	char *err;
	size_t errcap;
	bool failed;
};

static bool fail(struct tx *t, const char *what, const char *word)
{
	if (!t->failed) {
		t->failed = true;
		if (t->errcap) {
			if (word)
				fmt_snprintf(t->err, t->errcap, "%s: '%s'", what, word);
			else
				fmt_snprintf(t->err, t->errcap, "%s", what);
		}
	}
	return false;
}

static bool is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("efdsrwxznthL", s[1]);
}

static bool is_binary(const char *s)
{
	static const char *const ops[] = {"=",	 "==",	"!=",  "<",   ">",   "-eq",
					  "-ne", "-lt", "-le", "-gt", "-ge", NULL};

	for (int i = 0; ops[i]; i++)
		if (strcmp(s, ops[i]) == 0)
			return true;
	return false;
}

/* Decimal with optional sign and blanks around; false (error set) otherwise. */
static bool integer(struct tx *t, const char *s, long long *out)
{
	const char *p = s;
	bool neg = false;
	unsigned long long v = 0, lim;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return fail(t, "integer expression expected", s);
	lim = neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (lim - d) / 10)
			return fail(t, "integer out of range", s);
		v = v * 10 + d;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return fail(t, "integer expression expected", s);
	*out = neg ? (long long)(0 - v) : (long long)v;
	return true;
}

static bool unary(struct tx *t, const char *op, const char *a)
{
	long long size = 0, fd;
	enum testexpr_type ty;

	switch (op[1]) {
	case 'z':
		return a[0] == '\0';
	case 'n':
		return a[0] != '\0';
	case 't':
		if (!integer(t, a, &fd))
			return false;
		return fd >= 0 && fd <= INT32_MAX && t->ops->isatty(t->ops->ctx, (int)fd);
	case 'h':
	case 'L':
		return false;
	case 'r':
	case 'w':
	case 'x':
		return t->ops->access(t->ops->ctx, a, op[1]);
	default:
		break;
	}
	ty = t->ops->stat(t->ops->ctx, a, &size);
	switch (op[1]) {
	case 'f':
		return ty == TESTEXPR_REG;
	case 'd':
		return ty == TESTEXPR_DIR;
	case 's':
		return ty != TESTEXPR_NONE && size > 0;
	default: /* 'e' */
		return ty != TESTEXPR_NONE;
	}
}

static bool binary(struct tx *t, const char *a, const char *op, const char *b)
{
	long long x, y;

	if (op[0] != '-') {
		int c = strcmp(a, b);

		if (op[0] == '!')
			return c != 0;
		if (op[0] == '<')
			return c < 0;
		if (op[0] == '>')
			return c > 0;
		return c == 0;
	}
	if (!integer(t, a, &x) || !integer(t, b, &y))
		return false;
	if (op[1] == 'e')
		return x == y;
	if (op[1] == 'n')
		return x != y;
	if (op[1] == 'l')
		return op[2] == 't' ? x < y : x <= y;
	return op[2] == 't' ? x > y : x >= y;
}

/* ------------------------------------------------------------ grammar */

static bool parse_or(struct tx *t);

static const char *peek(const struct tx *t, int k)
{
	return t->cur + k < t->n ? t->w[t->cur + k] : NULL;
}

static bool parse_prim(struct tx *t)
{
	const char *a = peek(t, 0);
	bool v;

	if (t->failed)
		return false;
	if (!a)
		return fail(t, "argument expected", NULL);
	if (peek(t, 1) && peek(t, 2) && is_binary(peek(t, 1))) {
		t->cur += 3;
		return binary(t, a, t->w[t->cur - 2], t->w[t->cur - 1]);
	}
	if (strcmp(a, "(") == 0) {
		t->cur++;
		v = parse_or(t);
		if (t->failed)
			return false;
		if (!peek(t, 0) || strcmp(peek(t, 0), ")") != 0)
			return fail(t, "')' expected", NULL);
		t->cur++;
		return v;
	}
	if (is_unary(a) && peek(t, 1)) {
		t->cur += 2;
		return unary(t, a, t->w[t->cur - 1]);
	}
	t->cur++;
	return a[0] != '\0';
}

static bool parse_not(struct tx *t)
{
	if (peek(t, 0) && strcmp(peek(t, 0), "!") == 0 && peek(t, 1)) {
		t->cur++;
		return !parse_not(t);
	}
	return parse_prim(t);
}

static bool parse_and(struct tx *t)
{
	bool v = parse_not(t);

	while (!t->failed && peek(t, 0) && strcmp(peek(t, 0), "-a") == 0) {
		t->cur++;
		bool w = parse_not(t);
		v = v && w;
	}
	return v;
}

static bool parse_or(struct tx *t)
{
	bool v = parse_and(t);

	while (!t->failed && peek(t, 0) && strcmp(peek(t, 0), "-o") == 0) {
		t->cur++;
		bool w = parse_and(t);
		v = v || w;
	}
	return v;
}

static bool grammar(struct tx *t, int from, int n)
{
	struct tx sub = *t;
	bool v;

	sub.w = t->w + from;
	sub.n = n;
	sub.cur = 0;
	v = parse_or(&sub);
	if (!sub.failed && sub.cur < sub.n)
		fail(&sub, "unexpected argument", sub.w[sub.cur]);
	t->failed = sub.failed;
	return v;
}

/* -------------------------------------------- POSIX's rules by count */

static bool eval(struct tx *t, int from, int n)
{
	const char *const *a = t->w + from;

	switch (n) {
	case 0:
		return false;
	case 1:
		return a[0][0] != '\0';
	case 2:
		if (strcmp(a[0], "!") == 0)
			return !eval(t, from + 1, 1);
		if (is_unary(a[0]))
			return unary(t, a[0], a[1]);
		return fail(t, "unary operator expected", a[0]);
	case 3:
		if (is_binary(a[1]))
			return binary(t, a[0], a[1], a[2]);
		if (strcmp(a[1], "-a") == 0)
			return a[0][0] && a[2][0];
		if (strcmp(a[1], "-o") == 0)
			return a[0][0] || a[2][0];
		if (strcmp(a[0], "!") == 0)
			return !eval(t, from + 1, 2);
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return eval(t, from + 1, 1);
		return fail(t, "binary operator expected", a[1]);
	case 4:
		if (strcmp(a[0], "!") == 0)
			return !eval(t, from + 1, 3);
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0)
			return eval(t, from + 1, 2);
		return grammar(t, from, n);
	default:
		return grammar(t, from, n);
	}
}

int testexpr_eval(const char *const *words, int n, const struct testexpr_ops *ops, char *err,
		  size_t errcap)
{
	struct tx t = {.w = words, .n = n, .ops = ops, .err = err, .errcap = errcap};
	bool v;

	if (errcap)
		err[0] = '\0';
	v = eval(&t, 0, n < 0 ? 0 : n);
	if (t.failed)
		return TESTEXPR_ERROR;
	return v ? TESTEXPR_TRUE : TESTEXPR_FALSE;
}
