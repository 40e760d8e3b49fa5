/*
 * policy.h - the scheme registration policy: who may register which
 * scheme names (docs/ipc.md, "Registration policy").
 *
 * The policy is text, one rule per line: "name-pattern program uid",
 * fields separated by spaces or tabs (a '\r' counts as a space, so a
 * CRLF file reads the same); '#' starts a comment that runs to the end
 * of the line; blank lines are skipped. name-pattern is a glob over the
 * scheme name: bytes of [a-z0-9_-], '*' (any run, empty included) and
 * '?' (one byte). program is the exact path the process was spawned
 * from (printable ASCII, no space) or '*'. uid is a decimal number
 * (0..2147483647) or '*'.
 *
 * policy_parse() fills a caller-given array of rules and reports every
 * line it skips (malformed, or past the array's end) through a callback
 * with the line number (from 1) and a short reason; policy_allows() is
 * the first-match query. Pure functions: no allocation, no locks, no
 * printing; the caller owns the rules and serialises access to them.
 * Shared by the kernel (kernel/scheme/policy.c), the host tests and the
 * fuzzer.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#define POLICY_MAX_RULES 64    /* the kernel's table; more lines are reported and skipped */
#define POLICY_PATTERN_MAX 31  /* bytes of a name-pattern (a scheme name's maximum) */
#define POLICY_PROGRAM_MAX 255 /* bytes of a program path (struct proc's path holds 255) */
#define POLICY_ANY_UID (-1)    /* rule.uid for '*' */

struct policy_rule {
	char pattern[POLICY_PATTERN_MAX + 1]; /* NUL-terminated glob */
	char program[POLICY_PROGRAM_MAX + 1]; /* NUL-terminated path, or "*" */
	int uid;			      /* >= 0, or POLICY_ANY_UID */
};

/* Told about a skipped line: its number (from 1) and a short reason. */
typedef void (*policy_report_fn)(void *ctx, unsigned line, const char *reason);

/*
 * Parse text[0..len) (NUL bytes are data, not an end) into rules[0..max):
 * the number of rules stored. Each malformed line, and each good line
 * that finds the array full, is skipped and reported (report may be NULL).
 */
size_t policy_parse(const char *text, size_t len, struct policy_rule *rules, size_t max,
		    policy_report_fn report, void *ctx);

/*
 * The pieces every policy file (this one, hw.policy: lib/hw/hwpolicy.c)
 * is read with. A field is a run of non-blank bytes of a line.
 */
struct policy_field {
	const char *p;
	size_t len;
};

/*
 * Cut line[0..len) (no '\n') into at most max fields after dropping a '#'
 * comment: how many (0 for a blank or comment line), or -1 with *why set
 * (a NUL byte, more than max fields, or fewer than max).
 */
int policy_fields(const char *line, size_t len, struct policy_field *f, int max, const char **why);
/* The field equals the NUL-terminated s. */
bool policy_field_is(const struct policy_field *f, const char *s);
/* A uid field: "*" (POLICY_ANY_UID) or a decimal that fits in an int. */
bool policy_field_uid(const struct policy_field *f, int *uid);
/* A program field: NULL if good (printable ASCII but space, at most
   POLICY_PROGRAM_MAX bytes), else why not. */
const char *policy_field_program(const struct policy_field *f);
/* Copy the field to dst as a NUL-terminated string (dst holds len + 1). */
void policy_field_copy(char *dst, const struct policy_field *f);
/* A rule's program ("*" or a path) and uid (or POLICY_ANY_UID) match. */
bool policy_who_matches(const char *rule_program, int rule_uid, const char *program, int uid);

/*
 * Read text[0..len) line by line: parse(arg, index, line, n, &why) returns
 * 1 for a rule (stored at index when index < max), 0 for nothing, -1 with
 * why. A rule past max and every -1 line are reported. The rules stored.
 */
typedef int (*policy_line_fn)(void *arg, size_t index, const char *line, size_t n,
			      const char **why);
size_t policy_read(const char *text, size_t len, size_t max, policy_line_fn parse, void *arg,
		   policy_report_fn report, void *ctx);

/* True if pattern (a NUL-terminated glob of '*', '?' and bytes) matches all of name. */
bool policy_glob(const char *pattern, const char *name);

/* True if the first rule of rules[0..n) whose three fields match (name, program, uid) exists. */
bool policy_allows(const struct policy_rule *rules, size_t n, const char *name, const char *program,
		   int uid);
