/*
 * test_sh_expand.c - the shell's word expansion (lib/sh/expand.c),
 * arithmetic (arith.c) and glob matcher (glob.c): fields after quote
 * removal and splitting (quoted and unquoted parameters, "$@" and $*,
 * empty values, ~, ${...} forms, $? $$ $#), glob patterns that keep
 * quoted characters literal, errors for bad substitutions and command
 * substitution; arithmetic precedence, variables, division by zero,
 * overflow wrap, short-circuit, errors; glob sets, ranges, escapes and
 * the leading-dot rule, and a pathological pattern that must not take
 * exponential time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "sh/sh.h"

static char arena_buf[1 << 20];
static struct sh_arena arena;
static struct sh_error err;
static struct sh_field fields[64];

static const char *vars[][2] = {
    {"A", "alpha"},  {"E", ""},	    {"S", "  one  two\tthree "}, {"N", "42"},
    {"NEG", "-7"},   {"G", "*.c"},  {"HOME", "/root"},		 {"BAD", "12abc"},
    {"Q", "a'b\"c"}, {"SP", "x y"},
};

static const char *get(void *ctx, const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strlen(vars[i][0]) == len && memcmp(vars[i][0], name, len) == 0)
			return vars[i][1];
	return NULL;
}

static const char *const params[] = {"p1", "p 2", ""};
static struct sh_env env = {get, NULL, "sh", params, 3, 3, 99};

/* Expand w; the fields joined as "<f1><f2>...", with "|pattern" after globbing ones. */
static char joined[4096];
static int expand(const char *w)
{
	arena = (struct sh_arena){arena_buf, sizeof arena_buf, 0};
	memset(&err, 0, sizeof err);
	size_t n;
	int r = sh_expand_word(w, strlen(w), &env, &arena, fields, 64, &n, &err);
	joined[0] = 0;
	if (r != 0)
		return r;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(joined + k, sizeof joined - k, "<%s%s%s>", fields[i].text,
				      fields[i].pattern ? "|" : "",
				      fields[i].pattern ? fields[i].pattern : "");
	return 0;
}

static void expands(const char *w, const char *want)
{
	int r = expand(w);
	if (r != 0)
		fail_msg("'%s': error %d (%s)", w, r, err.msg);
	if (strcmp(joined, want) != 0)
		fail_msg("'%s':\n got  %s\n want %s", w, joined, want);
}

static void fails(const char *w, const char *msg)
{
	int r = expand(w);
	if (r != -E_INVAL || strstr(err.msg, msg) == NULL)
		fail_msg("'%s': got %d \"%s\", want error containing \"%s\"", w, r, err.msg, msg);
}

static void test_quotes(void **state)
{
	expands("abc", "<abc>");
	expands("'a b'", "<a b>");
	expands("\"a b\"", "<a b>");
	expands("a\\ b", "<a b>");
	expands("''", "<>");
	expands("\"\"", "<>");
	expands("a''b", "<ab>");
	expands("'$A'", "<$A>");
	expands("\"\\$A \\\\ \\x\"", "<$A \\ \\x>");
	expands("\\\n", "");
	expands("a$", "<a$>");
	expands("$", "<$>");
}

static void test_parameters(void **state)
{
	expands("$A", "<alpha>");
	expands("${A}x", "<alphax>");
	expands("$Ax", "");
	expands("$E", "");
	expands("\"$E\"", "<>");
	expands("x$E", "<x>");
	expands("$S", "<one><two><three>");
	expands("\"$S\"", "<  one  two\tthree >");
	expands("a${S}b", "<a><one><two><three><b>");
	expands("$UNSET", "");
	expands("$?", "<3>");
	expands("$$", "<99>");
	expands("$#", "<3>");
	expands("$0", "<sh>");
	expands("$1", "<p1>");
	expands("$2", "<p><2>");
	expands("\"$2\"", "<p 2>");
	expands("$9", "");
	expands("$@", "<p1><p><2>");
	expands("\"$@\"", "<p1><p 2><>");
	expands("\"x$@y\"", "<xp1><p 2><y>");
	expands("\"$*\"", "<p1 p 2 >");
	expands("$Q", "<a'b\"c>");
	expands("${#A}", "<5>");
	expands("${#UNSET}", "<0>");
	expands("${UNSET:-def}", "<def>");
	expands("${E:-def}", "<def>");
	expands("${E-def}", "");
	expands("${A:-def}", "<alpha>");
	expands("${A:+alt}", "<alt>");
	expands("${E:+alt}", "");
	expands("${E+alt}", "<alt>");
	expands("${UNSET:-$A}", "<alpha>");
	expands("~", "</root>");
	expands("~/x", "</root/x>");
	expands("a~", "<a~>");
	expands("'~'", "<~>");
}

static void test_empty_params(void **state)
{
	struct sh_env e0 = env;
	e0.nparams = 0;
	arena = (struct sh_arena){arena_buf, sizeof arena_buf, 0};
	size_t n = 99;
	assert_int_equal(sh_expand_word("\"$@\"", 4, &e0, &arena, fields, 64, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(sh_expand_word("$@", 2, &e0, &arena, fields, 64, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(sh_expand_word("\"$*\"", 4, &e0, &arena, fields, 64, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(fields[0].text, "");
}

static void test_arith_words(void **state)
{
	expands("$((1+2))", "<3>");
	expands("$(( N * 2 ))", "<84>");
	expands("$(($N+1))", "<43>");
	expands("x$((NEG))y", "<x-7y>");
	expands("$(((1+2)*3))", "<9>");
	expands("\"$((2*3))\"", "<6>");
	expands("$(( ))", "<0>");
	fails("$((1/0))", "division by zero");
	fails("$((BAD+1))", "not a number: BAD");
	fails("$((1+))", "missing operand");
	fails("$((1 2))", "syntax error");
}

static void test_globs(void **state)
{
	expands("*.c", "<*.c|*.c>");
	expands("'*'.c", "<*.c>");
	expands("\\*", "<*>");
	expands("\"a*\"b?", "<a*b?|a\\*b?>");
	expands("$G", "<*.c|*.c>");
	expands("\"$G\"", "<*.c>");
	expands("[ab]x", "<[ab]x|[ab]x>");
	expands("a-'['*", "<a-[*|a-\\[*>");
}

static void test_errors(void **state)
{
	fails("$(ls)", "command substitution");
	fails("`ls`", "command substitution");
	fails("${", "missing '}'");
	fails("${}", "bad substitution");
	fails("${A%x}", "bad substitution");
	fails("${1A}", "bad substitution");
	fails("$((1", "missing '))'");
	/* deep nesting through ${x:-...} stops with an error */
	char deep[2048];
	size_t k = 0;
	for (int i = 0; i < 40; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "${U:-");
	k += (size_t)snprintf(deep + k, sizeof deep - k, "x");
	for (int i = 0; i < 40; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "}");
	assert_int_not_equal(expand(deep), 0);
	/* too many fields */
	arena = (struct sh_arena){arena_buf, sizeof arena_buf, 0};
	size_t n;
	assert_int_equal(sh_expand_word("$S", 2, &env, &arena, fields, 2, &n, &err), -E_NOSPC);
	/* a tiny arena */
	static char small[32];
	arena = (struct sh_arena){small, sizeof small, 0};
	assert_int_equal(sh_expand_word("$S$S$S", 6, &env, &arena, fields, 64, &n, &err), -E_NOSPC);
}

static void test_string(void **state)
{
	arena = (struct sh_arena){arena_buf, sizeof arena_buf, 0};
	char *s;
	assert_int_equal(sh_expand_string("$S", 2, &env, &arena, &s, &err), 0);
	assert_string_equal(s, "  one  two\tthree ");
	assert_int_equal(sh_expand_string("\"$@\"", 4, &env, &arena, &s, &err), 0);
	assert_string_equal(s, "p1 p 2 ");
	assert_int_equal(sh_expand_string("'*'$A", 5, &env, &arena, &s, &err), 0);
	assert_string_equal(s, "*alpha");
}

static long arith(const char *e)
{
	long v = -12345;
	memset(&err, 0, sizeof err);
	int r = sh_arith(e, strlen(e), &env, &v, &err);
	if (r != 0)
		fail_msg("'%s': error %d (%s)", e, r, err.msg);
	return v;
}

static void arith_fails(const char *e, const char *msg)
{
	long v;
	memset(&err, 0, sizeof err);
	int r = sh_arith(e, strlen(e), &env, &v, &err);
	if (r != -E_INVAL || !strstr(err.msg, msg))
		fail_msg("'%s': got %d \"%s\", want \"%s\"", e, r, err.msg, msg);
}

static void test_arith(void **state)
{
	assert_int_equal(arith("1+2*3"), 7);
	assert_int_equal(arith("(1+2)*3"), 9);
	assert_int_equal(arith("10-4-3"), 3);
	assert_int_equal(arith("100/10/5"), 2);
	assert_int_equal(arith("-7/2"), -3);
	assert_int_equal(arith("-7%3"), -1);
	assert_int_equal(arith("--5"), 5);
	assert_int_equal(arith("-N"), -42);
	assert_int_equal(arith("!0 + !5"), 1);
	assert_int_equal(arith("~0"), -1);
	assert_int_equal(arith("1<2"), 1);
	assert_int_equal(arith("2<=1"), 0);
	assert_int_equal(arith("3>=3 && 4>3"), 1);
	assert_int_equal(arith("1==1"), 1);
	assert_int_equal(arith("1!=1"), 0);
	assert_int_equal(arith("0 || 0"), 0);
	assert_int_equal(arith("0 || 7"), 1);
	assert_int_equal(arith("0 && 1/0"), 0);
	assert_int_equal(arith("1 || 1/0"), 1);
	assert_int_equal(arith("6 & 3 | 8 ^ 1"), 11);
	assert_int_equal(arith("1 << 4 >> 2"), 4);
	assert_int_equal(arith("0x1f + 010"), 39);
	assert_int_equal(arith("N + NEG"), 35);
	assert_int_equal(arith("UNSET + E"), 0);
	assert_int_equal(arith("  5  "), 5);
	assert_int_equal(arith(""), 0);
	assert_int_equal(arith("9223372036854775807 + 1"), INT64_MIN);
	assert_int_equal(arith("-9223372036854775807 - 1"), INT64_MIN);
	assert_int_equal(arith("(-9223372036854775807 - 1) / -1"), INT64_MIN);
	assert_int_equal(arith("(-9223372036854775807 - 1) % -1"), 0);
	assert_int_equal(arith("3 * -3"), -9);
	arith_fails("1/0", "division by zero");
	arith_fails("5%(2-2)", "division by zero");
	arith_fails("BAD", "not a number: BAD");
	arith_fails("1 +", "missing operand");
	arith_fails("(1", "missing ')'");
	arith_fails("1)", "syntax error");
	arith_fails("08", "bad number");
	arith_fails("99999999999999999999", "bad number");
	arith_fails("1 = 2", "syntax error");
	arith_fails("@", "unexpected '@'");
	char deep[1024];
	memset(deep, '(', 500);
	deep[500] = 0;
	arith_fails(deep, "nesting too deep");
	memset(deep, '-', 500);
	arith_fails(deep, "nesting too deep");
}

static void test_glob(void **state)
{
	assert_true(sh_glob_match("*", "abc"));
	assert_true(sh_glob_match("*", ""));
	assert_true(sh_glob_match("a*c", "abbbc"));
	assert_false(sh_glob_match("a*c", "abbbd"));
	assert_true(sh_glob_match("?b?", "abc"));
	assert_false(sh_glob_match("?", ""));
	assert_true(sh_glob_match("[abc]x", "bx"));
	assert_false(sh_glob_match("[abc]x", "dx"));
	assert_true(sh_glob_match("[a-c]", "b"));
	assert_false(sh_glob_match("[!a-c]", "b"));
	assert_true(sh_glob_match("[^a-c]", "d"));
	assert_true(sh_glob_match("[]]", "]"));
	assert_true(sh_glob_match("[a-]", "-"));
	assert_true(sh_glob_match("[", "["));
	assert_true(sh_glob_match("a[", "a["));
	assert_true(sh_glob_match("\\*", "*"));
	assert_false(sh_glob_match("\\*", "a"));
	assert_true(sh_glob_match("[\\]]", "]"));
	assert_false(sh_glob_match("*", ".hidden"));
	assert_false(sh_glob_match("?hidden", ".hidden"));
	assert_true(sh_glob_match(".*", ".hidden"));
	assert_true(sh_glob_match("*.c", "main.c"));
	assert_false(sh_glob_match("*.c", "main.h"));
	assert_true(sh_glob_match("**a", "bba"));
	assert_true(sh_glob_match("*a*b*c*", "xxaxxbxxcxx"));
	/* linear backtracking: this would take forever with naive recursion */
	char name[201], pat[64];
	memset(name, 'a', 200);
	name[200] = 0;
	strcpy(pat, "*a*a*a*a*a*a*a*a*a*a*a*a*b");
	assert_false(sh_glob_match(pat, name));
	assert_true(sh_glob_has_magic("a*"));
	assert_true(sh_glob_has_magic("[x]"));
	assert_false(sh_glob_has_magic("a\\*"));
	assert_false(sh_glob_has_magic("plain"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quotes),	 cmocka_unit_test(test_parameters),
	    cmocka_unit_test(test_empty_params), cmocka_unit_test(test_arith_words),
	    cmocka_unit_test(test_globs),	 cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_string),	 cmocka_unit_test(test_arith),
	    cmocka_unit_test(test_glob),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
