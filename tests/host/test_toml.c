/*
 * test_toml.c - the TOML-subset reader (lib/toml/toml.c): a document using
 * every accepted form reads back as written (tables, dotted and quoted
 * keys, arrays of tables, nested arrays across lines, comments, CRLF);
 * string escapes and their errors; integer edge cases (int64 bounds,
 * underscores, leading zeros, overflow); duplicate keys and the table
 * redefinition rules; error messages with their line and column;
 * unterminated strings and arrays; refused TOML features; the nesting
 * bound; running out of nodes or string bytes; the typed getters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "toml/toml.h"

static struct toml_node nodes[256];
static char buf[4096];
static struct toml_doc doc;

/* Parse the NUL-terminated s: toml_parse's result. */
static int parse(const char *s)
{
	toml_init(&doc, nodes, 256, buf, sizeof buf);
	return toml_parse(&doc, s, strlen(s));
}

/* Parse s; expect it refused at line:col with message msg. */
static void bad_at(const char *s, unsigned line, unsigned col, const char *msg)
{
	int r = parse(s);
	if (r != -E_INVAL || doc.err.line != line || doc.err.col != col ||
	    strcmp(doc.err.msg, msg) != 0)
		fail_msg("input \"%s\": got %d at %u:%u \"%s\", want %u:%u \"%s\"", s, r,
			 doc.err.line, doc.err.col, doc.err.msg, line, col, msg);
}

static const struct toml_node *root(void)
{
	return toml_root(&doc);
}

static void test_good_document(void **state)
{
	const char *text = "# a service\r\n"
			   "exec = \"initfs:/bin/logd\"   # the program\r\n"
			   "args = [ \"-v\", 'raw\\path', ]\r\n"
			   "max = -42\n"
			   "on = true\n"
			   "off = false\n"
			   "\"quoted key\" = 1\n"
			   "'lit' = 2\n"
			   "a.b . c = 3\n"
			   "nest = [ [1, 2], [\"x\"],\n"
			   "   # comment inside\n"
			   "   [] ]\n"
			   "[health]\n"
			   "path = \"log:/health\"\n"
			   "[[svc]]\n"
			   "n = 1\n"
			   "[[svc]]\n"
			   "n = 2\n";
	assert_int_equal(parse(text), 0);
	const char *s;
	int64_t i;
	bool b;
	const struct toml_node *t, *a;
	assert_int_equal(toml_string(root(), "exec", &s), 0);
	assert_string_equal(s, "initfs:/bin/logd");
	assert_int_equal(toml_array(root(), "args", &a), 0);
	assert_int_equal(a->len, 2);
	assert_string_equal(toml_at(a, 0)->v.s, "-v");
	assert_string_equal(toml_at(a, 1)->v.s, "raw\\path");
	assert_null(toml_at(a, 2));
	assert_int_equal(toml_int(root(), "max", &i), 0);
	assert_int_equal(i, -42);
	assert_int_equal(toml_bool(root(), "on", &b), 0);
	assert_true(b);
	assert_int_equal(toml_bool(root(), "off", &b), 0);
	assert_false(b);
	assert_int_equal(toml_int(root(), "quoted key", &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(toml_int(root(), "lit", &i), 0);
	assert_int_equal(i, 2);
	assert_int_equal(toml_table(root(), "a", &t), 0);
	assert_int_equal(toml_table(t, "b", &t), 0);
	assert_int_equal(toml_int(t, "c", &i), 0);
	assert_int_equal(i, 3);
	assert_int_equal(toml_array(root(), "nest", &a), 0);
	assert_int_equal(a->len, 3);
	assert_int_equal(toml_at(toml_at(a, 0), 1)->v.i, 2);
	assert_string_equal(toml_at(toml_at(a, 1), 0)->v.s, "x");
	assert_int_equal(toml_at(a, 2)->type, TOML_ARRAY);
	assert_int_equal(toml_at(a, 2)->len, 0);
	assert_int_equal(toml_table(root(), "health", &t), 0);
	assert_int_equal(toml_string(t, "path", &s), 0);
	assert_string_equal(s, "log:/health");
	assert_int_equal(toml_array(root(), "svc", &a), 0);
	assert_int_equal(a->len, 2);
	assert_int_equal(toml_int(toml_at(a, 1), "n", &i), 0);
	assert_int_equal(i, 2);
	/* positions: the key of "max" is line 4, column 1; "c" is column 7 */
	assert_int_equal(toml_get(root(), "max")->line, 4);
	assert_int_equal(toml_get(root(), "max")->col, 1);
	assert_int_equal(toml_get(toml_get(toml_get(root(), "a"), "b"), "c")->col, 7);
	/* children keep file order */
	assert_string_equal(root()->child->key, "exec");
}

static void test_empty(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(root()->len, 0);
	assert_int_equal(parse("# only\n\n   \r\n\t# comments"), 0);
	assert_int_equal(root()->len, 0);
	assert_int_equal(parse("a = 1"), 0); /* no final newline */
	assert_int_equal(root()->len, 1);
}

static void test_escapes(void **state)
{
	assert_int_equal(parse("s = \"a\\tb\\nc\\\"d\\\\e\\b\\f\\r\"\n"), 0);
	assert_string_equal(toml_get(root(), "s")->v.s, "a\tb\nc\"d\\e\b\f\r");
	assert_int_equal(parse("s = \"\\u00e9\\u20AC\\U0001F600\\u0041\"\n"), 0);
	assert_string_equal(toml_get(root(), "s")->v.s, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
							"A");
	assert_int_equal(toml_get(root(), "s")->len, 10);
	assert_int_equal(parse("s = 'no \\n escapes \"here\"'\n"), 0);
	assert_string_equal(toml_get(root(), "s")->v.s, "no \\n escapes \"here\"");
	assert_int_equal(parse("s = \"\"\ne = ''\n"), 0);
	assert_int_equal(toml_get(root(), "s")->len, 0);
	assert_string_equal(toml_get(root(), "e")->v.s, "");
	bad_at("s = \"a\\x\"", 1, 7, "invalid escape in a string");
	bad_at("s = \"\\uD800\"", 1, 6, "invalid unicode escape");
	bad_at("s = \"\\u0000\"", 1, 6, "invalid unicode escape");
	bad_at("s = \"\\U00110000\"", 1, 6, "invalid unicode escape");
	bad_at("s = \"\\UFFFFFFFF\"", 1, 6, "invalid unicode escape");
	bad_at("s = \"\\u12\"", 1, 10, "expected a hex digit in a unicode escape");
	bad_at("s = \"tab\tok, bell\a not\"", 1, 18, "control character in a string");
	bad_at("s = 'nul\0'", 1, 5, "unterminated string"); /* strlen stops at the NUL */
}

static void test_integers(void **state)
{
	int64_t i;
	assert_int_equal(parse("a = 9223372036854775807\nb = -9223372036854775808\n"
			       "c = 1_000_000\nd = +0\ne = -0\nf = 0\n"),
			 0);
	assert_int_equal(toml_int(root(), "a", &i), 0);
	assert_true(i == INT64_MAX);
	assert_int_equal(toml_int(root(), "b", &i), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(toml_int(root(), "c", &i), 0);
	assert_int_equal(i, 1000000);
	assert_int_equal(toml_int(root(), "d", &i), 0);
	assert_int_equal(i, 0);
	bad_at("a = 9223372036854775808", 1, 5, "integer out of range");
	bad_at("a = -9223372036854775809", 1, 5, "integer out of range");
	bad_at("a = 99999999999999999999999", 1, 5, "integer out of range");
	bad_at("a = 1__0", 1, 6, "'_' must stand between digits");
	bad_at("a = 1_", 1, 6, "'_' must stand between digits");
	bad_at("a = _1", 1, 5, "expected a value");
	bad_at("a = 01", 1, 5, "leading zeros are not allowed");
	bad_at("a = 0x1f", 1, 5, "only decimal integers are supported");
	bad_at("a = 1.5", 1, 6, "floats are not supported");
	bad_at("a = 1e3", 1, 6, "floats are not supported");
	bad_at("a = inf", 1, 5, "floats are not supported");
	bad_at("a = 1979-05-27", 1, 9, "dates are not supported");
	bad_at("a = 12abc", 1, 7, "expected the end of the value");
	bad_at("a = -", 1, 6, "expected a digit");
}

static void test_duplicates_and_tables(void **state)
{
	bad_at("a = 1\na = 2\n", 2, 1, "duplicate key 'a'");
	bad_at("a = 1\n\"a\" = 2\n", 2, 1, "duplicate key 'a'");
	bad_at("a.b = 1\na.b = 2\n", 2, 3, "duplicate key 'b'");
	bad_at("a = 1\na.b = 2\n", 2, 1, "key 'a' is already defined");
	bad_at("[t]\n[t]\n", 2, 2, "key 't' is already defined");
	bad_at("t = 1\n[t]\n", 2, 2, "key 't' is already defined");
	bad_at("t = 1\n[t.u]\n", 2, 2, "key 't' is not a table");
	bad_at("[t]\nx = 1\n[t]\ny = 2\n", 3, 2, "key 't' is already defined");
	bad_at("a.b = 1\n[a]\n", 2, 2, "key 'a' is already defined");
	bad_at("[a]\nb.c = 1\n[a.b]\n", 3, 4, "key 'b' is already defined");
	bad_at("[[x]]\n[x]\n", 2, 2, "key 'x' is already defined");
	bad_at("x = [1]\n[[x]]\n", 2, 3, "key 'x' is already defined and not an array of tables");
	bad_at("[a]\nb = 1\n[a.b.c]\n", 3, 4, "key 'b' is not a table");
	/* allowed: a table implicit in [a.b] defined later; sub-tables of dotted tables */
	assert_int_equal(parse("[a.b]\nx = 1\n[a]\ny = 2\n"), 0);
	assert_int_equal(parse("[a]\nb.c = 1\n[a.b.d]\ne = 2\n"), 0);
	assert_int_equal(parse("[[x]]\n[x.y]\nz = 1\n[[x]]\n[x.y]\nz = 2\n"), 0);
	const struct toml_node *x = toml_get(root(), "x");
	assert_int_equal(x->len, 2);
	assert_int_equal(toml_get(toml_get(toml_at(x, 1), "y"), "z")->v.i, 2);
	/* dotted keys extend their own tables; a quoted key may hold a dot */
	assert_int_equal(parse("a.b = 1\na.c = 2\n\"a.b\" = 3\n[ t . \"u v\" ]\nw = 4\n"), 0);
	assert_int_equal(toml_get(root(), "a")->len, 2);
	assert_int_equal(toml_get(root(), "a.b")->v.i, 3);
	assert_int_equal(toml_get(toml_get(toml_get(root(), "t"), "u v"), "w")->v.i, 4);
	/* arrays of tables inside arrays of tables go to the last element */
	assert_int_equal(parse("[[a]]\n[[a.b]]\nn = 1\n[[a.b]]\nn = 2\n[[a]]\n[[a.b]]\nn = 3\n"),
			 0);
	x = toml_get(root(), "a");
	assert_int_equal(x->len, 2);
	assert_int_equal(toml_get(toml_at(x, 0), "b")->len, 2);
	assert_int_equal(toml_get(toml_at(toml_get(toml_at(x, 1), "b"), 0), "n")->v.i, 3);
}

static void test_error_positions(void **state)
{
	char out[128];
	bad_at("a = 1\nb = 2\nname x = 3\n", 3, 6, "expected '=' after a key");
	toml_error_format(out, sizeof out, "logd.toml", &doc.err);
	assert_string_equal(out, "logd.toml: line 3, column 6: expected '=' after a key");
	bad_at("a = 1 b = 2", 1, 7, "expected the end of the line");
	bad_at("= 1", 1, 1, "expected a key");
	bad_at("a =\n", 1, 4, "expected a value after '='");
	bad_at("a = # no\n", 1, 5, "expected a value after '='");
	bad_at("a = bogus", 1, 5, "expected a value");
	bad_at("a = truex", 1, 5, "expected a value");
	bad_at("[a\n", 1, 3, "expected ']' after a header");
	bad_at("[[a]\n", 1, 4, "expected ']]' after a header");
	bad_at("[]\n", 1, 2, "expected a key");
	bad_at("a = 1\rb = 2", 1, 6, "a carriage return must be followed by a newline");
	bad_at("# bell \a\n", 1, 8, "control character in a comment");
	bad_at("a = 1\n\n  b c", 3, 5, "expected '=' after a key");
	/* a position in a multi-line array */
	bad_at("a = [\n  1,\n  2 3 ]\n", 3, 5, "expected ',' or ']' in an array");
	/* a NUL byte in the text (not a C-string end here) */
	toml_init(&doc, nodes, 256, buf, sizeof buf);
	assert_int_equal(toml_parse(&doc, "a = 1\n\0", 7), -E_INVAL);
	assert_int_equal(doc.err.line, 2);
	assert_int_equal(doc.err.col, 1);
	toml_init(&doc, nodes, 256, buf, sizeof buf);
	assert_int_equal(toml_parse(&doc, "a = \"x\0y\"", 9), -E_INVAL);
	assert_string_equal(doc.err.msg, "control character in a string");
	/* no position: formatted without one */
	struct toml_error e = {0, 0, "missing"};
	toml_error_format(out, sizeof out, "f.toml", &e);
	assert_string_equal(out, "f.toml: missing");
}

static void test_unterminated(void **state)
{
	bad_at("a = \"abc", 1, 5, "unterminated string");
	bad_at("a = \"abc\nb = 1\"", 1, 5, "unterminated string");
	bad_at("a = 'abc", 1, 5, "unterminated string");
	bad_at("\"key = 1", 1, 1, "unterminated key");
	bad_at("a = [1, 2", 1, 10, "unterminated array");
	bad_at("a = [1, 2,\n# c\n", 3, 1, "unterminated array");
	bad_at("a = [1 2]", 1, 8, "expected ',' or ']' in an array");
	bad_at("a = [,]", 1, 6, "expected a value");
	bad_at("a = [1,,]", 1, 8, "expected a value");
}

static void test_refused_features(void **state)
{
	bad_at("a = {b = 1}", 1, 5, "inline tables are not supported");
	bad_at("a = \"\"\"x\"\"\"", 1, 5, "multi-line strings are not supported");
	bad_at("a = '''x'''", 1, 5, "multi-line strings are not supported");
}

static void test_bounds(void **state)
{
	char s[256];
	/* 16 nested arrays are fine, 17 are not */
	snprintf(s, sizeof s, "a = %.*s1%.*s", 16, "[[[[[[[[[[[[[[[[[[[[", 16,
		 "]]]]]]]]]]]]]]]]]]]]");
	assert_int_equal(parse(s), 0);
	snprintf(s, sizeof s, "a = %.*s1%.*s", 17, "[[[[[[[[[[[[[[[[[[[[", 17,
		 "]]]]]]]]]]]]]]]]]]]]");
	bad_at(s, 1, 21, "arrays nested too deeply");
	/* a key of 127 bytes is fine, 128 is not */
	memset(s, 'k', 128);
	strcpy(s + 127, " = 1");
	assert_int_equal(parse(s), 0);
	memset(s, 'k', 128);
	strcpy(s + 128, " = 1");
	bad_at(s, 1, 1, "key too long");
	/* 16 key parts are fine, 17 are not */
	assert_int_equal(parse("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p = 1"), 0);
	bad_at("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q = 1", 1, 33, "key has too many parts");
}

static void test_out_of_space(void **state)
{
	struct toml_node few[3];
	char small[8];
	toml_init(&doc, few, 3, buf, sizeof buf);
	assert_int_equal(toml_parse(&doc, "a = 1\nb = 2\n", 12), 0);
	assert_int_equal(toml_parse(&doc, "a = 1\nb = 2\nc = 3\n", 18), -E_NOSPC);
	assert_int_equal(doc.err.line, 3);
	assert_string_equal(doc.err.msg, "too many values");
	toml_init(&doc, nodes, 256, small, sizeof small);
	assert_int_equal(toml_parse(&doc, "a = \"xyz\"", 9), 0); /* "a\0xyz\0" */
	assert_int_equal(toml_parse(&doc, "a = \"xyzab\"", 11), 0);
	assert_int_equal(toml_parse(&doc, "a = \"xyzabc\"", 12), -E_NOSPC);
	assert_string_equal(doc.err.msg, "out of string space");
	assert_int_equal(toml_parse(&doc, "abcdefgh = 1", 12), -E_NOSPC);
	toml_init(&doc, nodes, 0, buf, sizeof buf);
	assert_int_equal(toml_parse(&doc, "", 0), -E_NOSPC);
	/* the documented bound: 2 * len + 1 bytes always suffice */
	const char *worst = "a=''\nb=''\nc=[1,'',\"\"]";
	char exact[2 * 22 + 1];
	toml_init(&doc, nodes, 256, exact, 2 * strlen(worst) + 1);
	assert_int_equal(toml_parse(&doc, worst, strlen(worst)), 0);
}

static void test_getters(void **state)
{
	const char *s;
	int64_t i;
	bool b;
	const struct toml_node *t;
	assert_int_equal(parse("s = 'x'\ni = 1\n[t]\n"), 0);
	assert_int_equal(toml_string(root(), "i", &s), -E_INVAL);
	assert_int_equal(toml_int(root(), "s", &i), -E_INVAL);
	assert_int_equal(toml_bool(root(), "s", &b), -E_INVAL);
	assert_int_equal(toml_array(root(), "t", &t), -E_INVAL);
	assert_int_equal(toml_table(root(), "s", &t), -E_INVAL);
	assert_int_equal(toml_string(root(), "nope", &s), -E_NOENT);
	assert_int_equal(toml_table(root(), "t", &t), 0);
	assert_int_equal(toml_int(t, "i", &i), -E_NOENT);
	assert_null(toml_get(toml_get(root(), "s"), "x")); /* not a table */
	assert_null(toml_at(toml_get(root(), "s"), 0));	   /* not an array */
	struct toml_error e;
	assert_int_equal(toml_expect(toml_get(root(), "s"), TOML_STRING, &e), 0);
	assert_int_equal(toml_expect(toml_get(root(), "s"), TOML_INT, &e), -E_INVAL);
	assert_string_equal(e.msg, "expected an integer, found a string");
	assert_int_equal(e.line, 1);
	assert_int_equal(toml_expect(toml_get(root(), "i"), TOML_ARRAY, &e), -E_INVAL);
	assert_string_equal(e.msg, "expected an array, found an integer");
	assert_int_equal(e.line, 2);
	assert_string_equal(toml_type_name(TOML_INT), "integer");
	assert_string_equal(toml_type_name(TOML_BOOL), "boolean");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_document),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_integers),
	    cmocka_unit_test(test_duplicates_and_tables),
	    cmocka_unit_test(test_error_positions),
	    cmocka_unit_test(test_unterminated),
	    cmocka_unit_test(test_refused_features),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_out_of_space),
	    cmocka_unit_test(test_getters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
