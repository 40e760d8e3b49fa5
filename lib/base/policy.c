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

struct field {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_pattern_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       c == '*' || c == '?';
}

static bool is_program_char(char c)
{
	return c > ' ' && c < 0x7f; /* printable ASCII but space */
}

static void copy_field(char *dst, const struct field *f)
{
	for (size_t i = 0; i < f->len; i++)
		dst[i] = f->p[i];
	dst[f->len] = '\0';
}

/* The uid field: "*" or a decimal number that fits in an int. */
static bool parse_uid(const struct field *f, int *uid)
{
	if (f->len == 1 && f->p[0] == '*') {
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

static const char *check_pattern(const struct field *f)
{
	if (f->len > POLICY_PATTERN_MAX)
		return "name-pattern too long";
	for (size_t i = 0; i < f->len; i++)
		if (!is_pattern_char(f->p[i]))
			return "bad character in name-pattern";
	return NULL;
}

static const char *check_program(const struct field *f)
{
	if (f->len > POLICY_PROGRAM_MAX)
		return "program too long";
	for (size_t i = 0; i < f->len; i++)
		if (!is_program_char(f->p[i]))
			return "bad character in program";
	return NULL;
}

/* Cut line[0..len) (no '\n', no comment) into at most 3 fields: how many, or -1 for more. */
static int split_fields(const char *line, size_t len, struct field f[3])
{
	int nf = 0;
	size_t i = 0;
	for (;;) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			return nf;
		if (nf == 3)
			return -1;
		f[nf].p = line + i;
		while (i < len && !is_blank(line[i]))
			i++;
		f[nf].len = (size_t)(line + i - f[nf].p);
		nf++;
	}
}

/*
 * One line (without its '\n'): 1 with *r filled, 0 for a blank or comment
 * line, -1 with *why set for a malformed one.
 */
static int parse_line(const char *line, size_t len, struct policy_rule *r, const char **why)
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
	struct field f[3];
	int nf = split_fields(line, len, f);
	if (nf == 0)
		return 0;
	if (nf < 0) {
		*why = "extra field";
		return -1;
	}
	if (nf < 3) {
		*why = "missing field";
		return -1;
	}
	if ((*why = check_pattern(&f[0])) || (*why = check_program(&f[1])))
		return -1;
	if (!parse_uid(&f[2], &r->uid)) {
		*why = "bad uid";
		return -1;
	}
	copy_field(r->pattern, &f[0]);
	copy_field(r->program, &f[1]);
	return 1;
}

size_t policy_parse(const char *text, size_t len, struct policy_rule *rules, size_t max,
		    policy_report_fn report, void *ctx)
{
	size_t n = 0, ln;
	struct lines it = lines_start(text, len);
	const char *line;
	while (lines_next(&it, &line, &ln)) {
		struct policy_rule r;
		const char *why = NULL;
		int got = parse_line(line, ln, &r, &why);
		if (got > 0 && n == max) {
			got = -1;
			why = "too many rules";
		}
		if (got > 0)
			rules[n++] = r;
		else if (got < 0 && report)
			report(ctx, it.no, why);
	}
	return n;
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

static bool rule_matches(const struct policy_rule *r, const char *name, const char *program,
			 int uid)
{
	if (r->uid != POLICY_ANY_UID && r->uid != uid)
		return false;
	if (!str_equal(r->program, "*") && !str_equal(r->program, program))
		return false;
	return policy_glob(r->pattern, name);
}

bool policy_allows(const struct policy_rule *rules, size_t n, const char *name, const char *program,
		   int uid)
{
	for (size_t i = 0; i < n; i++)
		if (rule_matches(&rules[i], name, program, uid))
			return true; /* the first match allows: there are no deny rules */
	return false;
}
