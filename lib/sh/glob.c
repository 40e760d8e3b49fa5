/*
 * glob.c - glob pattern matching for one path component (sh.h:
 * sh_glob_match, sh_glob_has_magic). The directory walk is the shell's
 * (user/sh/glob_walk.c).
 *
 * '*' matches any run, '?' one character, "[...]" one of a set: ranges
 * a-z, a leading '!' or '^' negates, a ']' first is literal; an unclosed
 * '[' is a literal '['. A backslash makes the next character literal. A
 * leading '.' in the name must be matched by a literal '.'. The matcher
 * is iterative: on a mismatch it retries only from the last '*', so it is
 * linear in the name times the pattern at worst, never exponential.
 *
 * Pure functions; no state, no locks.
 */
#include <string.h>
#include "sh/sh.h"

/* Match a bracket set at p (just after '[') against c: 1 match, 0 no
   match, -1 not a set (no closing ']'); *end is after the ']'. */
static int match_set(const char *p, char c, const char **end)
{
	bool neg = false, hit = false;
	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	bool first = true;
	while (*p && (*p != ']' || first)) {
		char lo = *p++;
		if (lo == '\\' && *p)
			lo = *p++;
		char hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			hi = *p++;
			if (hi == '\\' && *p)
				hi = *p++;
		}
		if ((unsigned char)c >= (unsigned char)lo && (unsigned char)c <= (unsigned char)hi)
			hit = true;
		first = false;
	}
	if (*p != ']')
		return -1;
	*end = p + 1;
	return hit != neg;
}

bool sh_glob_match(const char *pattern, const char *name)
{
	const char *p = pattern, *n = name;
	const char *star_p = NULL, *star_n = NULL;
	if (*n == '.' && *p != '.' && !(*p == '\\' && p[1] == '.'))
		return false;
	while (*n) {
		if (*p == '*') {
			star_p = ++p;
			star_n = n;
			continue;
		}
		bool ok = false;
		const char *next = p + 1;
		if (*p == '?') {
			ok = true;
		} else if (*p == '[') {
			int m = match_set(p + 1, *n, &next);
			if (m < 0) {
				ok = *n == '[';
				next = p + 1;
			} else {
				ok = m == 1;
			}
		} else if (*p == '\\' && p[1]) {
			ok = p[1] == *n;
			next = p + 2;
		} else if (*p) {
			ok = *p == *n;
		}
		if (ok) {
			p = next;
			n++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		n = ++star_n;
	}
	while (*p == '*')
		p++;
	return *p == 0;
}

bool sh_glob_has_magic(const char *pattern)
{
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?' || *p == '[')
			return true;
	}
	return false;
}
