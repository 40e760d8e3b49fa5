/*
 * fuzz_sh.c - libFuzzer target for the shell's pure part (lib/sh): the
 * input (exactly its bytes, no NUL added, so ASan catches a read past the
 * end) is parsed command by command with a roomy arena and with a tiny
 * one; every word of every simple command and every for list is then
 * expanded (fields and as one string), and every field that has a glob
 * pattern is matched against a few names. The input is also evaluated as
 * an arithmetic expression. Checks: results are among the documented
 * codes, an error carries a message, fields are NUL-terminated within
 * the arena, the parser always makes progress (no endless loop).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "sh/sh.h"

static const char *get(void *ctx, const char *name, size_t len)
{
	if (len == 1 && name[0] == 'X')
		return "a b *";
	if (len == 1 && name[0] == 'N')
		return "12";
	return NULL;
}

static const char *const params[] = {"p1", "p 2"};
static const struct sh_env env = {get, NULL, "sh", params, 2, 1, 7};

static char ex_buf[1 << 16];
static struct sh_field fields[64];

static void expand_words(const struct sh_word *w)
{
	for (; w; w = w->next) {
		struct sh_arena ar = {ex_buf, sizeof ex_buf, 0};
		struct sh_error err = {0};
		size_t n = 0;
		int r = sh_expand_word(w->text, w->len, &env, &ar, fields, 64, &n, &err);
		if (r != 0 && r != -E_INVAL && r != -E_NOSPC)
			abort();
		if (r != 0 && !err.msg[0])
			abort();
		for (size_t i = 0; r == 0 && i < n; i++) {
			if (strlen(fields[i].text) > sizeof ex_buf)
				abort();
			if (fields[i].pattern) {
				sh_glob_match(fields[i].pattern, "abc");
				sh_glob_match(fields[i].pattern, ".x");
				sh_glob_match(fields[i].pattern, fields[i].text);
			}
		}
		ar.used = 0;
		char *s;
		r = sh_expand_string(w->text, w->len, &env, &ar, &s, &err);
		if (r != 0 && r != -E_INVAL && r != -E_NOSPC)
			abort();
	}
}

static void walk(const struct sh_node *n, unsigned depth)
{
	if (!n || depth > 10000)
		return;
	if (n->kind == SH_CMD) {
		expand_words(n->assigns);
		expand_words(n->words);
	}
	if (n->kind == SH_FOR)
		expand_words(n->words);
	for (const struct sh_redir *r = n->redirs; r; r = r->next)
		expand_words(&r->target);
	walk(n->a, depth + 1);
	walk(n->b, depth + 1);
	walk(n->c, depth + 1);
}

static void parse(const char *text, size_t size, size_t cap, bool expand)
{
	char *buf = malloc(cap);
	if (!buf)
		abort();
	struct sh_arena ar = {buf, cap, 0};
	struct sh_error err = {0};
	struct sh_parser p;
	sh_parser_init(&p, text, size, &ar, &err);
	for (size_t rounds = 0;; rounds++) {
		if (rounds > size + 1)
			abort(); /* every complete command takes at least one byte */
		struct sh_node *n;
		ar.used = 0;
		int r = sh_parse_next(&p, &n);
		if (r == SH_EOF || r == SH_INCOMPLETE)
			break;
		if (r != 0) {
			if ((r != -E_INVAL && r != -E_NOSPC) || !err.msg[0])
				abort();
			break;
		}
		if (!n || p.pos > size)
			abort();
		if (expand)
			walk(n, 0);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	parse(text, size, 64 * size + 4096, true);
	parse(text, size, 64, false);
	long v;
	struct sh_error err = {0};
	int r = sh_arith(text, size, &env, &v, &err);
	if (r != 0 && (r != -E_INVAL || !err.msg[0]))
		abort();
	free(text);
	return 0;
}
