/*
 * test_reports.h - collect what a line parser reports through its
 * report callback (policy_parse, passwd_parse, shadow_parse all take
 * one: a line number from 1 and a short reason), for host tests to
 * assert on. The first REPORTS_MAX reports are kept, all are counted.
 */
#pragma once

#define REPORTS_MAX 256

struct reports {
	unsigned n; /* reports made, kept or not */
	unsigned line[REPORTS_MAX];
	const char *why[REPORTS_MAX];
};

/* A report callback: ctx is a struct reports. */
static inline void reports_record(void *ctx, unsigned line, const char *why)
{
	struct reports *r = ctx;
	if (r->n < REPORTS_MAX) {
		r->line[r->n] = line;
		r->why[r->n] = why;
	}
	r->n++;
}
