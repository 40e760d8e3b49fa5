/*
 * test_sh_parse.c - the shell's lexer and parser (lib/sh/parse.c): each
 * tree is printed in a Lisp-like form and compared with the expected one
 * (simple commands, assignments, redirections with fd numbers, pipelines,
 * ; && || ! &, if/elif/else, while/until, for with and without "in",
 * { } groups, comments, quotes and $((...)) inside words, line
 * continuation); commands one at a time from a multi-line text; the
 * incomplete-input signal for open quotes and compounds; syntax errors
 * with their line and the token near them; the nesting and chain bounds;
 * a full arena.
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
static char out[8192];

static void put(size_t *n, const char *s, size_t len)
{
	if (*n + len < sizeof out) {
		memcpy(out + *n, s, len);
		*n += len;
		out[*n] = 0;
	}
}

static void puts_(size_t *n, const char *s)
{
	put(n, s, strlen(s));
}

static void print_node(const struct sh_node *nd, size_t *n);

static void print_redirs(const struct sh_redir *r, size_t *n)
{
	static const char *const ops[] = {"<", ">", ">>", ">&", "<&"};
	for (; r; r = r->next) {
		char b[16];
		snprintf(b, sizeof b, " %d%s", r->fd, ops[r->kind]);
		puts_(n, b);
		put(n, r->target.text, r->target.len);
	}
}

static void print_words(const struct sh_word *w, size_t *n)
{
	for (; w; w = w->next) {
		puts_(n, " ");
		put(n, w->text, w->len);
	}
}

static void print_node(const struct sh_node *nd, size_t *n)
{
	static const char *const names[] = {"cmd", "pipe", "and",   "or",    "not", "seq",
					    "bg",  "if",   "while", "until", "for", "group"};
	puts_(n, "(");
	puts_(n, names[nd->kind]);
	switch (nd->kind) {
	case SH_CMD:
		if (nd->assigns) {
			puts_(n, " [");
			print_words(nd->assigns, n);
			puts_(n, " ]");
		}
		print_words(nd->words, n);
		break;
	case SH_FOR:
		puts_(n, " ");
		put(n, nd->name.text, nd->name.len);
		if (nd->has_in) {
			puts_(n, " in");
			print_words(nd->words, n);
			puts_(n, " ;");
		}
		break;
	default:
		break;
	}
	for (const struct sh_node *k = nd->a; k; k = NULL) {
		puts_(n, " ");
		print_node(k, n);
	}
	if (nd->b) {
		puts_(n, " ");
		print_node(nd->b, n);
	}
	if (nd->c) {
		puts_(n, " ");
		print_node(nd->c, n);
	}
	print_redirs(nd->redirs, n);
	puts_(n, ")");
}

static struct sh_arena arena;
static struct sh_parser parser;
static struct sh_error err;

static void start(const char *src)
{
	arena = (struct sh_arena){arena_buf, sizeof arena_buf, 0};
	memset(&err, 0, sizeof err);
	sh_parser_init(&parser, src, strlen(src), &arena, &err);
}

/* Parse the next command into out (or "#<code>" for a non-zero result). */
static int next(void)
{
	struct sh_node *nd;
	int r = sh_parse_next(&parser, &nd);
	size_t n = 0;
	out[0] = 0;
	if (r == 0)
		print_node(nd, &n);
	return r;
}

static void parses(const char *src, const char *want)
{
	start(src);
	int r = next();
	if (r != 0)
		fail_msg("\"%s\": result %d (%s)", src, r, err.msg);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\":\n got  %s\n want %s", src, out, want);
	r = next();
	if (r != SH_EOF)
		fail_msg("\"%s\": trailing result %d", src, r);
}

static void test_simple(void **state)
{
	parses("echo hi", "(cmd echo hi)");
	parses("  echo   a\tb  ", "(cmd echo a b)");
	parses("A=1 B=2 env x=3", "(cmd [ A=1 B=2 ] env x=3)");
	parses("A=1", "(cmd [ A=1 ])");
	parses("=x", "(cmd =x)");
	parses("echo 'a b' \"c $d\" e\\ f", "(cmd echo 'a b' \"c $d\" e\\ f)");
	parses("echo $((1 + 2)) ${x}y", "(cmd echo $((1 + 2)) ${x}y)");
	parses("echo a#b # comment", "(cmd echo a#b)");
	parses("echo a \\\nb", "(cmd echo a b)");
	parses("echo if then", "(cmd echo if then)");
	parses("'if' x", "(cmd 'if' x)");
}

static void test_redirections(void **state)
{
	parses("cat < in > out", "(cmd cat 0<in 1>out)");
	parses("cmd 2>err >>log", "(cmd cmd 2>err 1>>log)");
	parses("cmd 2>&1", "(cmd cmd 2>&1)");
	parses("cmd >&2 <&0", "(cmd cmd 1>&2 0<&0)");
	parses("> f", "(cmd 1>f)");
	parses("cmd 12>x", "(cmd cmd 12>x)");
	parses("cmd 123>x", "(cmd cmd 123 1>x)");
	parses("echo 2 >x", "(cmd echo 2 1>x)");
}

static void test_lists(void **state)
{
	parses("a | b | c", "(pipe (cmd a) (pipe (cmd b) (cmd c)))");
	parses("a && b || c", "(or (and (cmd a) (cmd b)) (cmd c))");
	parses("a; b; c", "(seq (cmd a) (seq (cmd b) (cmd c)))");
	parses("! a | b", "(not (pipe (cmd a) (cmd b)))");
	parses("a & b", "(seq (bg (cmd a)) (cmd b))");
	parses("a;", "(cmd a)");
	parses("a &&\n b", "(and (cmd a) (cmd b))");
	parses("a |\n\n b", "(pipe (cmd a) (cmd b))");
}

static void test_compound(void **state)
{
	parses("if a; then b; fi", "(if (cmd a) (cmd b))");
	parses("if a; then b; else c; fi", "(if (cmd a) (cmd b) (cmd c))");
	parses("if a; then b; elif c; then d; else e; fi",
	       "(if (cmd a) (cmd b) (if (cmd c) (cmd d) (cmd e)))");
	parses("if a\nthen\n b\n c\nfi", "(if (cmd a) (seq (cmd b) (cmd c)))");
	parses("while a; do b; done", "(while (cmd a) (cmd b))");
	parses("until a; do b; done > f", "(until (cmd a) (cmd b) 1>f)");
	parses("for i in 1 2 3; do echo $i; done", "(for i in 1 2 3 ; (cmd echo $i))");
	parses("for i\ndo echo; done", "(for i (cmd echo))");
	parses("for i in; do echo; done", "(for i in ; (cmd echo))");
	parses("{ a; b; } | c", "(pipe (group (seq (cmd a) (cmd b))) (cmd c))");
	parses("if a; then if b; then c; fi; fi", "(if (cmd a) (if (cmd b) (cmd c)))");
	parses("while a; do for x in y; do z; done; done",
	       "(while (cmd a) (for x in y ; (cmd z)))");
	parses("echo fi done", "(cmd echo fi done)");
}

static void test_several_commands(void **state)
{
	start("a\n\n# c\nb; c\nif x\nthen y\nfi\n");
	assert_int_equal(next(), 0);
	assert_string_equal(out, "(cmd a)");
	assert_int_equal(next(), 0);
	assert_string_equal(out, "(seq (cmd b) (cmd c))");
	assert_int_equal(next(), 0);
	assert_string_equal(out, "(if (cmd x) (cmd y))");
	assert_int_equal(next(), SH_EOF);
	/* a complete command is returned even when the next one is still open */
	start("echo a\nif x; then\n");
	assert_int_equal(next(), 0);
	assert_string_equal(out, "(cmd echo a)");
	assert_int_equal(next(), SH_INCOMPLETE);
}

static void incomplete(const char *src)
{
	start(src);
	int r = next();
	if (r != SH_INCOMPLETE)
		fail_msg("\"%s\": result %d (%s), want incomplete", src, r, err.msg);
}

static void test_incomplete(void **state)
{
	incomplete("echo 'abc");
	incomplete("echo \"abc");
	incomplete("echo \"$((1+\"");
	incomplete("echo abc\\");
	incomplete("if true");
	incomplete("if true; then");
	incomplete("if true; then echo; else");
	incomplete("while a\n");
	incomplete("for i in 1 2");
	incomplete("for i in 1 2; do");
	incomplete("a &&");
	incomplete("a |");
	incomplete("{ a;");
	incomplete("echo $((1+");
	incomplete("echo ${x");
	incomplete("echo 'a\nb");
}

static void bad(const char *src, unsigned line, const char *msg)
{
	start(src);
	struct sh_node *nd;
	int r;
	while ((r = sh_parse_next(&parser, &nd)) == 0)
		;
	if (r != -E_INVAL || err.line != line || strcmp(err.msg, msg) != 0)
		fail_msg("\"%s\": got %d line %u \"%s\", want line %u \"%s\"", src, r, err.line,
			 err.msg, line, msg);
}

static void test_errors(void **state)
{
	bad("fi", 1, "syntax error near 'fi'");
	bad("a ;; b", 1, "syntax error near ';'");
	bad("| a", 1, "syntax error near '|'");
	bad("a && && b", 1, "syntax error near '&&'");
	bad("echo a\necho >\n", 2, "syntax error near 'newline'");
	bad("if a; then fi", 1, "syntax error near 'fi'");
	bad("if then fi", 1, "syntax error near 'then'");
	bad("for 1x in a; do b; done", 1, "syntax error near '1x'");
	bad("while a; do b; done done", 1, "syntax error near 'done'");
	bad("(a)", 1, "syntax error near '('");
	bad("a )", 1, "syntax error near ')'");
	bad("x\ny\n}", 3, "syntax error near '}'");
	bad("echo a | ! b", 1, "syntax error near '!'");
	bad("a\n\n\nif a; then b; done", 4, "syntax error near 'done'");
}

static void test_bounds(void **state)
{
	/* nesting deeper than SH_MAX_DEPTH is an error, not a stack overflow */
	static char deep[100000];
	size_t n = 0;
	for (int i = 0; i < 5000; i++)
		n += (size_t)sprintf(deep + n, "{ ");
	n += (size_t)sprintf(deep + n, "a; ");
	for (int i = 0; i < 5000; i++)
		n += (size_t)sprintf(deep + n, "}; ");
	start(deep);
	assert_int_equal(next(), -E_INVAL);
	assert_string_equal(err.msg, "nesting too deep");
	n = 0;
	for (int i = 0; i < 5000; i++)
		n += (size_t)sprintf(deep + n, "a | ");
	sprintf(deep + n, "a");
	start(deep);
	assert_int_equal(next(), -E_INVAL);
	assert_string_equal(err.msg, "nesting too deep"); /* each stage nests one deeper */
	n = 0;
	for (int i = 0; i < 2000; i++)
		n += (size_t)sprintf(deep + n, "a && ");
	sprintf(deep + n, "a");
	start(deep);
	assert_int_equal(next(), -E_INVAL);
	assert_string_equal(err.msg, "&& || chain too long");
	/* a full arena is -E_NOSPC */
	static char small[64];
	arena = (struct sh_arena){small, sizeof small, 0};
	sh_parser_init(&parser, "a b c d e f g h i j", 19, &arena, &err);
	struct sh_node *nd;
	assert_int_equal(sh_parse_next(&parser, &nd), -E_NOSPC);
}

static void test_names(void **state)
{
	assert_true(sh_is_name("_a1", 3));
	assert_false(sh_is_name("1a", 2));
	assert_false(sh_is_name("", 0));
	assert_false(sh_is_name("a-b", 3));
	assert_int_equal(sh_assign_name_len("AB=c", 4), 2);
	assert_int_equal(sh_assign_name_len("=c", 2), 0);
	assert_int_equal(sh_assign_name_len("a.b=c", 5), 0);
	assert_int_equal(sh_assign_name_len("abc", 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple),
	    cmocka_unit_test(test_redirections),
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_compound),
	    cmocka_unit_test(test_several_commands),
	    cmocka_unit_test(test_incomplete),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
