/*
 * fuzz_policy.c - libFuzzer target for the scheme registration policy
 * (lib/base/policy.c).
 *
 * The input is the policy text, exactly its bytes (no NUL added, so ASan
 * catches a read past the end). Every stored rule is checked against the
 * format (a valid pattern, a printable program, a uid >= 0 or '*'), every
 * report must carry a line number inside the text and a reason, and then
 * each rule is queried: its own pattern with '*' and '?' read as letters
 * and its own program and uid must be allowed, and the query must not
 * crash on names taken from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/policy.h"

struct count {
	size_t lines;
	unsigned reports;
};

static void on_report(void *ctx, unsigned line, const char *why)
{
	struct count *c = ctx;
	if (line == 0 || line > c->lines || !why || !why[0])
		abort();
	c->reports++;
}

static void check_rule(const struct policy_rule *r)
{
	size_t pl = strnlen(r->pattern, sizeof r->pattern);
	size_t gl = strnlen(r->program, sizeof r->program);
	if (pl == 0 || pl > POLICY_PATTERN_MAX || gl == 0 || gl > POLICY_PROGRAM_MAX)
		abort();
	if (strspn(r->pattern, "abcdefghijklmnopqrstuvwxyz0123456789_-*?") != pl)
		abort();
	for (size_t i = 0; i < gl; i++)
		if (r->program[i] <= ' ' || r->program[i] >= 0x7f)
			abort();
	if (r->uid < POLICY_ANY_UID)
		abort();
}

/* A name the rule's pattern matches: each '?' and '*' becomes one 'q'. */
static void example_name(const char *pattern, char *name)
{
	size_t i = 0;
	for (; pattern[i]; i++)
		name[i] = (pattern[i] == '*' || pattern[i] == '?') ? 'q' : pattern[i];
	name[i] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy_rule rules[POLICY_MAX_RULES];
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct count c = {1, 0};
	for (size_t i = 0; i < size; i++)
		c.lines += text[i] == '\n';
	size_t n = policy_parse(text, size, rules, POLICY_MAX_RULES, on_report, &c);
	if (n > POLICY_MAX_RULES)
		abort();
	char name[POLICY_PATTERN_MAX + 1];
	for (size_t i = 0; i < n; i++) {
		check_rule(&rules[i]);
		example_name(rules[i].pattern, name);
		int uid = rules[i].uid == POLICY_ANY_UID ? 42 : rules[i].uid;
		if (!policy_allows(rules, n, name, rules[i].program, uid))
			abort();
	}
	/* query with the input's first bytes as the name and program */
	char q[64];
	size_t ql = size < sizeof q - 1 ? size : sizeof q - 1;
	memcpy(q, data, ql);
	q[ql] = '\0';
	(void)policy_allows(rules, n, q, q, 0);
	(void)policy_glob(q, q);
	free(text);
	return 0;
}
