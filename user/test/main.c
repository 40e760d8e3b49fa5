/*
 * test, [ - evaluate a condition (POSIX test): exit 0 when true, 1 when
 * false, 2 with a message on a malformed expression.
 *
 * Run as "[" (argv[0]'s basename; kernel/kernel.mk copies this program to
 * initfs bin/[), the last argument must be "]". With 0..4 arguments the
 * POSIX rules by argument count decide (so "[ -n ]" and "[ ! = x ]" mean
 * what POSIX says); longer expressions use the grammar
 *     or := and { -o and };  and := not { -a not };  not := ! not | prim
 *     prim := ( or ) | ARG BINOP ARG | UNOP ARG | ARG
 * Unary: -e -f -d -s (stat), -r -w -x (the libc's access), -z -n, -t FD,
 * -h/-L (no symbolic links here: false). Binary: = == != < > and the
 * integer comparisons -eq -ne -lt -le -gt -ge (decimal, optional sign;
 * anything else is an error). State: the argument cursor below, one thread.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "usage.h"

static const char usage[] = "usage: test EXPRESSION  or  [ EXPRESSION ]\n"
			    "Exit 0 if EXPRESSION is true, 1 if false, 2 if it is malformed.\n"
			    "  -e F exists  -f F regular file  -d F directory  -s F not empty\n"
			    "  -r F / -w F / -x F readable / writable / executable\n"
			    "  -z S empty  -n S not empty  S  not empty  -t FD a terminal\n"
			    "  S1 = S2  S1 != S2  S1 < S2  S1 > S2\n"
			    "  N1 -eq -ne -lt -le -gt -ge N2 (integers)\n"
			    "  ! E  E1 -a E2  E1 -o E2  ( E )\n";

static const char *name = "test";
static char **args; /* the expression's words */
static int nargs, cur;

/* "name: message" on stderr, exit 2. */
__attribute__((noreturn, format(printf, 1, 2))) static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static bool is_unary(const char *s)
{
	static const char ops[] = "efdsrwxznthL";

	return s[0] == '-' && s[1] && !s[2] && strchr(ops, s[1]);
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

static long long integer(const char *s)
{
	const char *p = s;
	bool neg = false;
	long long v = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		fail("integer expression expected: '%s'", s);
	for (; *p >= '0' && *p <= '9'; p++) {
		int d = *p - '0';

		if (v > (LLONG_MAX - d) / 10)
			fail("integer out of range: '%s'", s);
		v = v * 10 + d;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		fail("integer expression expected: '%s'", s);
	return neg ? -v : v;
}

static bool unary(const char *op, const char *a)
{
	struct stat st;

	switch (op[1]) {
	case 'z':
		return a[0] == '\0';
	case 'n':
		return a[0] != '\0';
	case 't': {
		long long fd = integer(a);

		return fd >= 0 && fd <= INT_MAX && isatty((int)fd);
	}
	case 'h':
	case 'L':
		return false;
	case 'r':
		return access(a, R_OK) == 0;
	case 'w':
		return access(a, W_OK) == 0;
	case 'x':
		return access(a, X_OK) == 0;
	default:
		break;
	}
	if (stat(a, &st) < 0)
		return false;
	switch (op[1]) {
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 's':
		return st.st_size > 0;
	default: /* 'e' */
		return true;
	}
}

static bool binary(const char *a, const char *op, const char *b)
{
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
	long long x = integer(a), y = integer(b);

	if (op[1] == 'e')
		return x == y;
	if (op[1] == 'n')
		return x != y;
	if (op[1] == 'l')
		return op[2] == 't' ? x < y : x <= y;
	return op[2] == 't' ? x > y : x >= y;
}

/* ---------------------------------------------- the grammar (any count) */

static bool parse_or(void);

static const char *peek(int k)
{
	return cur + k < nargs ? args[cur + k] : NULL;
}

static bool parse_prim(void)
{
	const char *a = peek(0);

	if (!a)
		fail("argument expected");
	if (peek(1) && peek(2) && is_binary(peek(1))) {
		cur += 3;
		return binary(a, args[cur - 2], args[cur - 1]);
	}
	if (strcmp(a, "(") == 0) {
		cur++;
		bool v = parse_or();
		if (!peek(0) || strcmp(peek(0), ")") != 0)
			fail("')' expected");
		cur++;
		return v;
	}
	if (is_unary(a) && peek(1)) {
		cur += 2;
		return unary(a, args[cur - 1]);
	}
	cur++;
	return a[0] != '\0';
}

static bool parse_not(void)
{
	if (peek(0) && strcmp(peek(0), "!") == 0 && peek(1)) {
		cur++;
		return !parse_not();
	}
	return parse_prim();
}

static bool parse_and(void)
{
	bool v = parse_not();

	while (peek(0) && strcmp(peek(0), "-a") == 0) {
		cur++;
		bool w = parse_not();
		v = v && w;
	}
	return v;
}

static bool parse_or(void)
{
	bool v = parse_and();

	while (peek(0) && strcmp(peek(0), "-o") == 0) {
		cur++;
		bool w = parse_and();
		v = v || w;
	}
	return v;
}

static bool grammar(char **a, int n)
{
	args = a;
	nargs = n;
	cur = 0;
	bool v = parse_or();
	if (cur < nargs)
		fail("unexpected argument '%s'", args[cur]);
	return v;
}

/* ------------------------------------------ POSIX's rules by word count */

static bool eval(char **a, int n)
{
	switch (n) {
	case 0:
		return false;
	case 1:
		return a[0][0] != '\0';
	case 2:
		if (strcmp(a[0], "!") == 0)
			return !eval(a + 1, 1);
		if (is_unary(a[0]))
			return unary(a[0], a[1]);
		fail("%s: unary operator expected", a[0]);
	case 3:
		if (is_binary(a[1]))
			return binary(a[0], a[1], a[2]);
		if (strcmp(a[1], "-a") == 0)
			return a[0][0] && a[2][0];
		if (strcmp(a[1], "-o") == 0)
			return a[0][0] || a[2][0];
		if (strcmp(a[0], "!") == 0)
			return !eval(a + 1, 2);
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return eval(a + 1, 1);
		fail("%s: binary operator expected", a[1]);
	case 4:
		if (strcmp(a[0], "!") == 0)
			return !eval(a + 1, 3);
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0)
			return eval(a + 1, 2);
		return grammar(a, n);
	default:
		return grammar(a, n);
	}
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage_help(argc, argv, usage);
	if (strcmp(base, "[") == 0) {
		name = "[";
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0)
			fail("missing ']'");
		argc--;
	}
	return eval(argv + 1, argc - 1) ? 0 : 1;
}
