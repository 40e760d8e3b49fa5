/*
 * test_regex.c - the regular expression matcher (lib/regex): a table of
 * BRE and ERE cases whose answers follow POSIX (match or not, and the
 * leftmost-longest span), bracket expressions and classes, anchors in
 * and out of context, intervals, case folding, fixed strings, every
 * compile error with its message and position, buffer exhaustion,
 * hostile patterns under a step bound, and a differential run against
 * the host C library's POSIX regcomp/regexec over generated patterns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include <cmocka.h>
#include "base/err.h"
#include "regex/regex.h"

#define BRE 0u
#define ERE REGEX_EXTENDED
#define ICASE REGEX_ICASE
#define FIXED REGEX_LITERAL
#define NOMATCH (-1)

static uint64_t buf[REGEX_SIZE_DEFAULT / 8];
#define RE ((struct regex *)buf)

static void compile_ok(const char *pat, unsigned flags)
{
	struct regex_error err;
	int rc = regex_compile(RE, sizeof buf, pat, strlen(pat), flags, &err);
	if (rc)
		fail_msg("pattern '%s' (flags %u): %s at %zu", pat, flags, err.msg, err.pos);
}

struct mcase {
	const char *pat;
	unsigned flags;
	const char *text;
	int so, eo; /* leftmost-longest span, or NOMATCH */
};

static const struct mcase cases[] = {
    /* literals and the empty pattern */
    {"abc", BRE, "xxabcxx", 2, 5},
    {"abc", BRE, "ab", NOMATCH, 0},
    {"", BRE, "anything", 0, 0},
    {"", BRE, "", 0, 0},
    {"a", BRE, "", NOMATCH, 0},
    /* dot */
    {"a.c", BRE, "abc", 0, 3},
    {"a.c", BRE, "ac", NOMATCH, 0},
    {"...", BRE, "ab", NOMATCH, 0},
    /* star: leftmost, then longest */
    {"ab*", BRE, "xabbbc", 1, 5},
    {"ab*", BRE, "xac", 1, 2},
    {"a*", BRE, "bbb", 0, 0},
    {"a*", BRE, "baaa", 0, 0},
    {"ba*", BRE, "baaa", 0, 4},
    {"*a", BRE, "x*a", 1, 3},	   /* leading * is literal in BRE */
    {"\\(*a\\)", BRE, "*a", 0, 2}, /* and after \( */
    {"^*", BRE, "*x", 0, 1},	   /* and after ^ */
    {"a**", BRE, "aa", 0, 2},
    /* anchors */
    {"^ab", BRE, "abab", 0, 2},
    {"^ab", BRE, "xab", NOMATCH, 0},
    {"ab$", BRE, "abab", 2, 4},
    {"ab$", BRE, "abx", NOMATCH, 0},
    {"^$", BRE, "", 0, 0},
    {"^$", BRE, "x", NOMATCH, 0},
    {"a^b", BRE, "a^b", 0, 3}, /* ^ not first: literal in BRE */
    {"a$b", BRE, "a$b", 0, 3}, /* $ not last: literal in BRE */
    {"\\(^a\\)", BRE, "ab", 0, 1},
    {"\\(^a\\)", BRE, "ba", NOMATCH, 0},
    {"\\(a$\\)", BRE, "ba", 1, 2},
    {"x\\|^a", BRE, "ab", 0, 1},
    {"a^b", ERE, "a^b", NOMATCH, 0}, /* always an anchor in ERE */
    {"a$|b", ERE, "ba", 0, 2 - 1},
    {"\\^a\\$", BRE, "^a$", 0, 3},
    /* brackets */
    {"[abc]", BRE, "xxbx", 2, 3},
    {"[^abc]", BRE, "abcd", 3, 4},
    {"[^abc]", BRE, "abc", NOMATCH, 0},
    {"[a-c]*", BRE, "abcd", 0, 3},
    {"[]a]", BRE, "x]", 1, 2},
    {"[^]a]", BRE, "]ab", 2, 3},
    {"[a-]", BRE, "x-", 1, 2},
    {"[-a]", BRE, "x-", 1, 2},
    {"[--/]", BRE, "a.b", 1, 2},
    {"[\\]", BRE, "a\\b", 1, 2}, /* backslash is literal inside brackets */
    {"[.]", BRE, "ab", NOMATCH, 0},
    {"[*]", BRE, "a*", 1, 2},
    {"[[.a.]]", BRE, "ba", 1, 2},
    {"[[=b=]]", BRE, "ab", 1, 2},
    {"[[.-.]a]", BRE, "x-", 1, 2},
    {"[[:digit:]]\\+", BRE, "ab123c", 2, 5},
    {"[[:alpha:]]*", BRE, "Hello, world", 0, 5},
    {"[[:space:]]", BRE, "a\tb", 1, 2},
    {"[[:upper:]][[:lower:]]", BRE, "aBcD", 1, 3},
    {"[[:alnum:]]*", BRE, "_a1b2_", 0, 0},
    {"[[:alnum:]][[:alnum:]]*", BRE, "_a1b2_", 1, 5},
    {"[[:punct:]]", BRE, "ab,c", 2, 3},
    {"[^[:alnum:][:space:]]", BRE, "a b!", 3, 4},
    {"[[:xdigit:]]*", BRE, "fF09g", 0, 4},
    {"[[:blank:]]", BRE, "a\nb c", 3, 4},
    {"[a-z[:digit:]]*", BRE, "ab12C", 0, 4},
    /* groups, intervals, GNU's \+ \? \| in BRE */
    {"\\(ab\\)*c", BRE, "ababc", 0, 5},
    {"\\(ab\\)*", BRE, "abab", 0, 4},
    {"\\(a\\|b\\)*c", BRE, "abbac", 0, 5},
    {"a\\{2\\}", BRE, "aaa", 0, 2},
    {"a\\{2\\}", BRE, "a", NOMATCH, 0},
    {"a\\{2,\\}", BRE, "aaaa", 0, 4},
    {"a\\{1,2\\}", BRE, "aaaa", 0, 2},
    {"ba\\{0,2\\}", BRE, "baaa", 0, 3},
    {"a\\{0\\}b", BRE, "ab", 1, 2},
    {"a\\{,2\\}b", BRE, "aaab", 1, 4},
    {"\\(ab\\)\\{2\\}", BRE, "ababab", 0, 4},
    {"a+", BRE, "a+", 0, 2}, /* + ? | ( ) { } are literals in BRE */
    {"a?", BRE, "a?", 0, 2},
    {"a|b", BRE, "a|b", 0, 3},
    {"(a)", BRE, "(a)", 0, 3},
    {"a{1}", BRE, "a{1}", 0, 4},
    {"a\\+", BRE, "baa", 1, 3},
    {"ab\\?c", BRE, "ac", 0, 2},
    {"abc\\|b", BRE, "abc", 0, 3},
    {"b\\|abc", BRE, "abc", 0, 3}, /* leftmost wins over the earlier alternative */
    {"\\.", BRE, "a.b", 1, 2},
    {"\\*", BRE, "a*b", 1, 2},
    {"\\[", BRE, "a[b", 1, 2},
    {"\\\\", BRE, "a\\b", 1, 2},
    /* ERE */
    {"a+", ERE, "baab", 1, 3},
    {"a?b", ERE, "b", 0, 1},
    {"(ab|a)(bc|c)", ERE, "abc", 0, 3},
    {"cat|dog", ERE, "hotdog", 3, 6},
    {"(a|ab)(c|bcd)", ERE, "abcd", 0, 4},
    {"a{2,3}", ERE, "aaaa", 0, 3},
    {"a{,2}b", ERE, "aaab", 1, 4},
    {"a{x", ERE, "a{x", 0, 3}, /* not an interval: literal */
    {"()", ERE, "x", 0, 0},
    {"a|", ERE, "b", 0, 0},
    {"x)", ERE, "x)", 0, 2}, /* unmatched ) is literal in ERE */
    {"\\(", ERE, "a(", 1, 2},
    {"^(a|b)*$", ERE, "abba", 0, 4},
    {"^(a|b)*$", ERE, "abca", NOMATCH, 0},
    {"(^a|b$)", ERE, "ba", NOMATCH, 0},
    {"(^a|b$)", ERE, "ab", 0, 1},
    /* case folding */
    {"hello", ICASE, "Say HeLLo", 4, 9},
    {"[a-c]", ICASE, "xB", 1, 2},
    {"[^a]", ICASE, "A", NOMATCH, 0},
    {"[[:upper:]]", ICASE, "a", 0, 1},
    {"HELLO", BRE, "hello", NOMATCH, 0},
    /* fixed strings */
    {"a.*[b]", FIXED, "xa.*[b]", 1, 7},
    {"a.*[b]", FIXED, "ab", NOMATCH, 0},
    {"\\(", FIXED, "\\(", 0, 2},
    {"ABC", FIXED | ICASE, "xabc", 1, 4},
    /* bytes beyond ASCII are plain bytes */
    {"\xc3\xa9+", ERE, "caf\xc3\xa9", 3, 5},
    {"[\x80-\xff]", BRE, "ab\xe2", 2, 3},
};

static void test_table(void **state)
{
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct mcase *t = &cases[k];
		compile_ok(t->pat, t->flags);
		size_t so = 99, eo = 99, len = strlen(t->text);
		bool m = regex_search(RE, t->text, len, 0, &so, &eo);
		if (m != (t->so != NOMATCH) || (m && ((int)so != t->so || (int)eo != t->eo)))
			fail_msg("case %zu '%s' on '%s': got %d [%zu,%zu), want [%d,%d)", k, t->pat,
				 t->text, m, so, eo, t->so, t->eo);
		assert_int_equal(regex_match(RE, t->text, len), m);
	}
}

struct ecase {
	const char *pat;
	unsigned flags;
	const char *msg;
	size_t pos;
	int rc;
};

static const struct ecase errors[] = {
    {"[abc", BRE, "unmatched [", 0, -E_INVAL},
    {"x[]", BRE, "unmatched [", 1, -E_INVAL},
    {"[^", BRE, "unmatched [", 0, -E_INVAL},
    {"[[:foo:]]", BRE, "invalid character class name", 1, -E_INVAL},
    {"[[:alpha:]", BRE, "unmatched [", 0, -E_INVAL},
    {"[[:alpha]", BRE, "unmatched [:", 1, -E_INVAL},
    {"[z-a]", BRE, "invalid range end", 3, -E_INVAL},
    {"[[:digit:]-z]", BRE, "a character class cannot start a range", 10, -E_INVAL},
    {"[a-[:digit:]]", BRE, "a character class cannot end a range", 3, -E_INVAL},
    {"[[.ab.]]", BRE, "unsupported collating element", 1, -E_INVAL},
    {"[[.a]", BRE, "unmatched [.", 1, -E_INVAL},
    {"ab\\", BRE, "trailing backslash", 2, -E_INVAL},
    {"\\(a\\)\\1", BRE, "back-references are not supported", 5, -E_INVAL},
    {"(a)\\1", ERE, "back-references are not supported", 3, -E_INVAL},
    {"\\y", BRE, "unsupported escape", 0, -E_INVAL},
    {"a\\n", ERE, "unsupported escape", 1, -E_INVAL},
    {"\\(ab", BRE, "unmatched \\(", 0, -E_INVAL},
    {"ab\\)", BRE, "unmatched \\)", 2, -E_INVAL},
    {"(ab", ERE, "unmatched (", 0, -E_INVAL},
    {"a\\{1", BRE, "unmatched \\{ or bad interval", 1, -E_INVAL},
    {"a\\{x\\}", BRE, "unmatched \\{ or bad interval", 1, -E_INVAL},
    {"a\\{3,2\\}", BRE, "interval minimum is greater than its maximum", 1, -E_INVAL},
    {"a\\{256\\}", BRE, "interval count too large", 3, -E_INVAL},
    {"a{1,2", ERE, "unmatched { or bad interval", 1, -E_INVAL},
    {"\\{1\\}", BRE, "interval without an expression", 0, -E_INVAL},
    {"a\\}", BRE, "misplaced operator", 1, -E_INVAL},
    {"\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(\\("
     "\\(\\(\\(\\(",
     BRE, "groups nested too deeply", 64, -E_INVAL},
    {"\\(a\\{255\\}\\)\\{255\\}", BRE, "pattern too large for the buffer", 19, -E_NOSPC},
};

static void test_errors(void **state)
{
	for (size_t k = 0; k < sizeof errors / sizeof errors[0]; k++) {
		const struct ecase *t = &errors[k];
		struct regex_error err = {0};
		int rc = regex_compile(RE, sizeof buf, t->pat, strlen(t->pat), t->flags, &err);
		if (rc != t->rc || strcmp(err.msg, t->msg) || err.pos != t->pos)
			fail_msg("error case %zu '%s': got %d '%s' at %zu, want %d '%s' at %zu", k,
				 t->pat, rc, err.msg, err.pos, t->rc, t->msg, t->pos);
	}
}

/* A small buffer fails with -E_NOSPC; a larger one then compiles the same pattern. */
static void test_buffer_sizes(void **state)
{
	static uint64_t small[256 / 8];
	struct regex_error err;
	const char *pat = "[a-z]\\{20\\}";
	assert_int_equal(
	    regex_compile((struct regex *)small, sizeof small, pat, strlen(pat), BRE, &err),
	    -E_NOSPC);
	assert_int_equal(regex_compile((struct regex *)small, 16, "a", 1, BRE, &err), -E_NOSPC);
	assert_int_equal(regex_compile((struct regex *)((char *)buf + 1), 4096, "a", 1, BRE, &err),
			 -E_NOSPC);
	compile_ok(pat, BRE);
	assert_true(regex_match(RE, "abcdefghijklmnopqrstuvwxyz", 26));
	assert_false(regex_match(RE, "abcdefghijklmnopqrs", 19));
}

/* NUL bytes in text and pattern are ordinary bytes. */
static void test_nul_bytes(void **state)
{
	struct regex_error err;
	assert_int_equal(regex_compile(RE, sizeof buf, "a\0b", 3, BRE, &err), 0);
	assert_true(regex_match(RE, "xa\0b", 4));
	assert_false(regex_match(RE, "xa", 2));
	compile_ok("a.b", BRE);
	assert_true(regex_match(RE, "a\0b", 3));
	compile_ok("b$", BRE);
	assert_true(regex_match(RE, "a\0b", 3));
}

/* search from an offset: `^` no longer matches, spans move on (grep -o's loop). */
static void test_search_from(void **state)
{
	size_t so, eo;
	compile_ok("ab*", BRE);
	assert_true(regex_search(RE, "abbxab", 6, 1, &so, &eo));
	assert_int_equal(so, 4);
	assert_int_equal(eo, 6);
	assert_false(regex_search(RE, "abbxab", 6, 5, &so, &eo));
	assert_false(regex_search(RE, "ab", 2, 3, &so, &eo)); /* past the end */
	compile_ok("^a", BRE);
	assert_false(regex_search(RE, "aa", 2, 1, &so, &eo));
	compile_ok("a*$", BRE);
	assert_true(regex_search(RE, "baa", 3, 0, &so, &eo));
	assert_int_equal(so, 1);
	assert_int_equal(eo, 3);
}

/* Hostile patterns stay within insts * (len + 1) steps. */
static void test_pathological(void **state)
{
	static char text[20001];
	const char *pats[] = {"\\(a*\\)*b",	    "\\(a*\\)*\\(a*\\)*\\(a*\\)*c",
			      "\\(\\(a*\\)*\\)*$x", "(a|aa)*b",
			      "(a?){30}a{30}",	    "(((a*)*)*)*b",
			      "(.*)*(.*)*z"};
	memset(text, 'a', sizeof text - 1);
	for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
		compile_ok(pats[k], k < 3 ? BRE : ERE);
		size_t n = regex_insts(RE);
		bool m = regex_match(RE, text, sizeof text - 1);
		if (k == 4)
			assert_true(m);
		else
			assert_false(m);
		assert_true(regex_steps(RE) <= (uint64_t)n * sizeof text);
		assert_true(regex_steps(RE) > 0);
	}
}

/* ---------------------------------------------------------------- differential */

static uint32_t seed = 12345;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

/* Append a random well-formed expression (depth-limited) in BRE or ERE spelling. */
static void gen(char *out, size_t cap, bool e, int depth)
{
	static const char *atoms[] = {"a",	     "b", ".",	 "[ab]", "[^a]",
				      "[[:alpha:]]", "c", "\\w", "\\W",	 "\\s"};
	static const char *asserts[] = {"\\<", "\\>", "\\b", "\\B"};
	int parts = 1 + (int)rnd(3);
	for (int i = 0; i < parts; i++) {
		char piece[256] = "";
		if (depth > 0 && rnd(4) == 0) {
			char inner[200] = "";
			gen(inner, sizeof inner, e, depth - 1);
			if (rnd(3) == 0) {
				char alt[200] = "";
				gen(alt, sizeof alt, e, depth - 1);
				snprintf(piece, sizeof piece, e ? "(%s|%s)" : "\\(%s\\|%s\\)",
					 inner, alt);
			} else {
				snprintf(piece, sizeof piece, e ? "(%s)" : "\\(%s\\)", inner);
			}
		} else {
			strcpy(piece, atoms[rnd(10)]);
		}
		/* word tests only outside groups: glibc mishandles them inside a
		   repeated group, e.g. (\W|_bbc\bb){2} on "a _bbcb_ c" */
		if (depth == 2 && rnd(8) == 0) {
			if (strlen(out) + 4 < cap)
				strcat(out, asserts[rnd(4)]);
		}
		switch (rnd(7)) {
		case 0:
			strcat(piece, "*");
			break;
		case 1:
			strcat(piece, e ? "+" : "\\+");
			break;
		case 2:
			strcat(piece, e ? "?" : "\\?");
			break;
		case 3:
			strcat(piece, e ? "{1,2}" : "\\{1,2\\}");
			break;
		case 4:
			strcat(piece, e ? "{2}" : "\\{0,\\}");
			break;
		}
		if (strlen(out) + strlen(piece) + 2 < cap)
			strcat(out, piece);
	}
}

static void test_against_libc(void **state)
{
	int compared = 0;
	for (int k = 0; k < 4000; k++) {
		bool e = rnd(2);
		char pat[600] = "";
		if (rnd(5) == 0)
			strcat(pat, "^");
		gen(pat, sizeof pat - 2, e, 2);
		if (rnd(5) == 0)
			strcat(pat, "$");
		regex_t ref;
		if (regcomp(&ref, pat, e ? REG_EXTENDED : 0))
			continue;
		compile_ok(pat, e ? ERE : BRE);
		for (int t = 0; t < 8; t++) {
			char text[12];
			int len = (int)rnd(sizeof text);
			for (int i = 0; i < len; i++)
				text[i] = "abc _"[rnd(5)];
			text[len] = 0;
			regmatch_t pm[1];
			bool want = regexec(&ref, text, 1, pm, 0) == 0;
			size_t so = 0, eo = 0;
			bool got = regex_search(RE, text, (size_t)len, 0, &so, &eo);
			if (got != want ||
			    (got && ((int)so != pm[0].rm_so || (int)eo != pm[0].rm_eo)))
				fail_msg("'%s' on '%s': got %d [%zu,%zu) libc %d [%d,%d)", pat,
					 text, got, so, eo, want, (int)pm[0].rm_so,
					 (int)pm[0].rm_eo);
			compared++;
		}
		regfree(&ref);
	}
	assert_true(compared > 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),	 cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_buffer_sizes), cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_search_from),	 cmocka_unit_test(test_pathological),
	    cmocka_unit_test(test_against_libc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
