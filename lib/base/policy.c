/*
 * policy.c - parse the scheme registration policy and answer "may this
 * process register this name?" (see policy.h for the format).
 *
 * Pure: no state, no allocation, no locks. The text is read line by line
 * in place (it need not be NUL-terminated and may hold NUL bytes); a rule
 * is copied into the caller's array only once its whole line has been
 * checked, so a skipped line leaves nothing behind. Matching is a
 * backtracking glob with no recursion: O(pattern * name) steps.
 */
#include <stdint.h>
#include "base/lines.h"
#include "base/policy.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_pattern_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       c == '*' || c == '?';
}

void policy_field_copy(char *dst, const struct policy_field *f)
{
	for (size_t i = 0; i < f->len; i++)
		dst[i] = f->p[i];
	dst[f->len] = '\0';
}

bool policy_field_is(const struct policy_field *f, const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (i >= f->len || f->p[i] != s[i])
			return false;
	return i == f->len;
}

bool policy_field_uid(const struct policy_field *f, int *uid)
{
	if (policy_field_is(f, "*")) {
		*uid = POLICY_ANY_UID;
		return true;
	}
	int64_t v = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return false;
		v = v * 10 + (f->p[i] - '0');
		if (v > INT32_MAX)
			return false;
	}
	*uid = (int)v;
	return true;
}

static const char *check_pattern(const struct policy_field *f)
{
	if (f->len > POLICY_PATTERN_MAX)
		return "name-pattern too long";
	for (size_t i = 0; i < f->len; i++)
		if (!is_pattern_char(f->p[i]))
			return "bad character in name-pattern";
	return NULL;
}

const char *policy_field_program(const struct policy_field *f)
{
	if (f->len > POLICY_PROGRAM_MAX)
		return "program too long";
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] <= ' ' || f->p[i] >= 0x7f) /* printable ASCII but space */
			return "bad character in program";
	return NULL;
}

int policy_fields(const char *line, size_t len, struct policy_field *f, int max, const char **why)
{
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '#') {
			len = i;
			break;
		}
		if (line[i] == '\0') {
			*why = "NUL byte";
			return -1;
		}
	}
	int nf = 0;
	size_t i = 0;
	for (;;) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			break;
		if (nf == max) {
			*why = "extra field";
			return -1;
		}
		f[nf].p = line + i;
		while (i < len && !is_blank(line[i]))
			i++;
		f[nf].len = (size_t)(line + i - f[nf].p);
		nf++;
	}
	if (nf > 0 && nf < max) {
		*why = "missing field";
		return -1;
	}
	return nf;
}

size_t policy_read(const char *text, size_t len, size_t max, policy_line_fn parse, void *arg,
		   policy_report_fn report, void *ctx)
{
	size_t n = 0, ln;
	struct lines it = lines_start(text, len);
	const char *line;
	while (lines_next(&it, &line, &ln)) {
		const char *why = NULL;
		int got = parse(arg, n, line, ln, &why);
		if (got > 0 && n == max) {
			got = -1;
			why = "too many rules";
		}
		if (got > 0)
			n++;
		else if (got < 0 && report)
			report(ctx, it.no, why);
	}
	return n;
}

/* One scheme.policy line into rules[index] (when index < max): as policy_line_fn. */
struct scheme_rules {
	struct policy_rule *rules;
	size_t max;
};

static int parse_line(void *arg, size_t index, const char *line, size_t len, const char **why)
{
	struct scheme_rules *sr = arg;
	struct policy_field f[3];
	int nf = policy_fields(line, len, f, 3, why);
	if (nf <= 0)
		return nf;
	struct policy_rule r;
	if ((*why = check_pattern(&f[0])) || (*why = policy_field_program(&f[1])))
		return -1;
	if (!policy_field_uid(&f[2], &r.uid)) {
		*why = "bad uid";
		return -1;
	}
	if (index < sr->max) {
		policy_field_copy(r.pattern, &f[0]);
		policy_field_copy(r.program, &f[1]);
		sr->rules[index] = r;
	}
	return 1;
}

size_t policy_parse(const char *text, size_t len, struct policy_rule *rules, size_t max,
		    policy_report_fn report, void *ctx)
{
	struct scheme_rules sr = {rules, max};
	return policy_read(text, len, max, parse_line, &sr, report, ctx);
}

bool policy_glob(const char *pattern, const char *name)
{
	const char *p = pattern, *s = name;
	const char *star = NULL, *retry = NULL; /* after the last '*', and where it resumes */
	while (*s) {
		if (*p == '*') {
			star = ++p;
			retry = s;
		} else if (*p && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (star) {
			p = star; /* let the last '*' swallow one more byte */
			s = ++retry;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static bool str_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool policy_who_matches(const char *rule_program, int rule_uid, const char *program, int uid)
{
	if (rule_uid != POLICY_ANY_UID && rule_uid != uid)
		return false;
	return str_equal(rule_program, "*") || str_equal(rule_program, program);
}

static bool rule_matches(const struct policy_rule *r, const char *name, const char *program,
			 int uid)
{
	return policy_who_matches(r->program, r->uid, program, uid) &&
	       policy_glob(r->pattern, name);
}

bool policy_allows(const struct policy_rule *rules, size_t n, const char *name, const char *program,
		   int uid)
{
	for (size_t i = 0; i < n; i++)
		if (rule_matches(&rules[i], name, program, uid))
			return true; /* the first match allows: there are no deny rules */
	return false;
}
