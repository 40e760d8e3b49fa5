/*
 * cstd.h - the pure parts of the user C library (user/libc), host-tested.
 *
 * Number parsing for strtol and friends, an in-place sort for qsort, a
 * binary search, and calendar arithmetic plus strftime on UTC broken-down
 * time. No state, no allocation, no locks: the callers in user/libc add
 * errno and the POSIX names; tests/host/test_cstd.c checks them against
 * the host's C library.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/*
 * Parse an integer as strtoull does: leading white space, an optional
 * sign, an optional "0x"/"0X" (base 16 or 0) or "0" (base 0: octal), then
 * digits of base (2..36, or 0: from the prefix). *neg says whether a '-'
 * was seen; *mag is the magnitude. *end is the first byte not used (s when
 * no digits were found). 0, -E_RANGE (the magnitude did not fit 64 bits:
 * *mag = UINT64_MAX) or -E_INVAL (bad base: *end = s).
 */
int cstd_parse_int(const char *s, int base, const char **end, int *neg, uint64_t *mag);

/* Sort n elements of size bytes at base by cmp, in place (heapsort: no recursion). */
void cstd_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* The element of the sorted array base[n] that cmp(key, elt) calls equal, or NULL. */
void *cstd_bsearch(const void *key, const void *base, size_t n, size_t size,
		   int (*cmp)(const void *, const void *));

/* Broken-down UTC time; fields as POSIX struct tm. */
struct cstd_tm {
	int sec, min, hour; /* 0..59, 0..59, 0..23 */
	int mday, mon;	    /* 1..31, 0..11 */
	int year;	    /* years since 1900 */
	int wday, yday;	    /* 0..6 (Sunday 0), 0..365 */
};

/* Seconds since 1970-01-01 00:00 UTC into *tm (the proleptic Gregorian calendar). */
void cstd_gmtime(int64_t t, struct cstd_tm *tm);
/* The seconds since the epoch of *tm (fields need not be normalised in mday/hour/min/sec). */
int64_t cstd_timegm(const struct cstd_tm *tm);
/*
 * strftime over *tm: %a %A %b %B %c %d %D %e %F %H %I %j %m %M %n %p %R %S
 * %s %t %T %u %w %y %Y %z (+0000) %Z (UTC) %%; anything else is copied.
 * Bytes written without the NUL, or 0 if the result (with its NUL) does
 * not fit in max.
 */
size_t cstd_strftime(char *buf, size_t max, const char *fmt, const struct cstd_tm *tm);
