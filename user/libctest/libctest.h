/*
 * libctest.h - case tables and checks of the C library's in-guest tests.
 *
 * A case is int run(char *why, size_t n): 0 when it passed, else -1 with
 * a short reason in why. CHECK fails with a message, EXPECT compares two
 * integers, EXPECT_STR two strings, EXPECT_ERRNO checks a POSIX call
 * returned -1 (or MAP_FAILED / NULL, as the caller casts) with errno set
 * to the wanted code. Reasons are formatted with rb_snprintf (the
 * runtime's, not the library under test). Each t_*.c exports a table
 * ending in {NULL, NULL}.
 */
#pragma once
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "rb/stdio.h"

struct lcase {
	const char *name;
	int (*run)(char *why, size_t n);
};

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		rb_snprintf(why, n, __VA_ARGS__);                                                  \
		return -1;                                                                         \
	} while (0)

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			FAIL(__VA_ARGS__);                                                         \
	} while (0)

#define EXPECT(got, want)                                                                          \
	do {                                                                                       \
		long long got_ = (long long)(got), want_ = (long long)(want);                      \
		if (got_ != want_)                                                                 \
			FAIL("%.48s: got %lld, want %lld", #got, got_, want_);                     \
	} while (0)

#define EXPECT_STR(got, want)                                                                      \
	do {                                                                                       \
		const char *gs_ = (got), *ws_ = (want);                                            \
		if (!gs_ || strcmp(gs_, ws_) != 0)                                                 \
			FAIL("%.40s: got \"%.40s\", want \"%.40s\"", #got, gs_ ? gs_ : "(null)",   \
			     ws_);                                                                 \
	} while (0)

/* call must fail (-1) with errno e. */
#define EXPECT_ERRNO(call, e)                                                                      \
	do {                                                                                       \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		int e_ = errno;                                                                    \
		if (r_ != -1 || e_ != (e))                                                         \
			FAIL("%.48s: got %ld errno %d, want -1 errno %d", #call, r_, e_,           \
			     (int)(e));                                                            \
	} while (0)

/* Run this program as a helper child: argv = {"libctest", "child", mode, ...}. */
int lt_child_main(int argc, char **argv);
/* The path of this program in initfs. */
#define LT_SELF "initfs:/bin/libctest"

extern const struct lcase string_cases[];
extern const struct lcase printf_cases[];
extern const struct lcase stdlib_cases[];
extern const struct lcase stdio_cases[];
extern const struct lcase unistd_cases[];
extern const struct lcase proc_cases[];
extern const struct lcase thread_cases[];
extern const struct lcase time_cases[];
