/*
 * utiltest.h - the in-guest test driver of the utilities in user/
 * (docs/utilities.md).
 *
 * Boot with init=/bin/utiltest [init.suite=NAME] (or run "utiltest
 * [suite=NAME]" from a shell): as pid 1 it starts ramfsd, logd and ipcd
 * and creates /tmp, runs the chosen suite (all when none is named),
 * prints "ok N - suite: case" / "not ok N - suite: case # reason" and
 * "utiltest: P passed, F failed", and as pid 1 powers off.
 *
 * Adding a suite: write user/utiltest/suite_NAME.c defining
 *     const struct ut_case suite_NAME_cases[] = {{"case", fn}, ..., {NULL, NULL}};
 * main.c refers to suite_basic_cases, suite_files_cases and
 * suite_text_cases as weak symbols, so a suite that is not there yet is
 * simply skipped, and adding one touches no shared file.
 *
 * A case is int fn(char *why, size_t n): 0 when it passed, else -1 with a
 * short reason in why (UT_FAIL and the UT_EXPECT_* macros do this). It
 * runs utilities with ut_run / ut_run_as, which capture stdout and
 * stderr (each up to UT_CAP - 1 bytes, NUL-terminated; more is dropped
 * and counted) and give the exit status. Cases run one after another in
 * one thread; a ut_result belongs to its caller.
 */
#pragma once
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define UT_CAP 4096
/* A utility still running after this long is killed (status UT_TIMEOUT). */
#define UT_TIMEOUT_MS 30000
#define UT_TIMEOUT (-2)
#define UT_SPAWN_FAILED (-1)

struct ut_case {
	const char *name;
	int (*run)(char *why, size_t n);
};

struct ut_result {
	/* exit code 0..255, 128 + signal when killed by one (waitpid's view),
	   UT_SPAWN_FAILED (errno-like code in spawn_err) or UT_TIMEOUT */
	int status;
	int spawn_err;
	char out[UT_CAP], err[UT_CAP];
	size_t out_len, err_len;
	size_t out_lost, err_lost;
};

/*
 * Run argv (argv[0] found on PATH, NULL-terminated) with stdin_text on
 * its stdin (NULL: an empty stdin), stdout and stderr captured. Returns
 * r->status.
 */
int ut_run(struct ut_result *r, const char *stdin_text, const char *const *argv);
/* The same as user uid (gid = uid): through "utiltest --runas UID ...". */
int ut_run_as(struct ut_result *r, int uid, const char *stdin_text, const char *const *argv);
/* Write text to path (created or truncated): 0, or -1 with errno. */
int ut_write_file(const char *path, const char *text);

/* NULL-terminated argv from a list: UT_ARGV("echo", "hi"). */
#define UT_ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

#define UT_FAIL(...)                                                                               \
	do {                                                                                       \
		snprintf(why, n, __VA_ARGS__);                                                     \
		return -1;                                                                         \
	} while (0)

#define UT_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond))                                                                       \
			UT_FAIL(__VA_ARGS__);                                                      \
	} while (0)

/* Exit status r.status must be want. */
#define UT_EXPECT_STATUS(r, want)                                                                  \
	do {                                                                                       \
		if ((r).status != (want))                                                          \
			UT_FAIL("status %d, want %d (stderr \"%.60s\")", (r).status, (int)(want),  \
				(r).err);                                                          \
	} while (0)

/* stdout must be exactly want. */
#define UT_EXPECT_OUT(r, want)                                                                     \
	do {                                                                                       \
		if (strcmp((r).out, (want)) != 0)                                                  \
			UT_FAIL("stdout \"%.60s\", want \"%.60s\"", (r).out, (want));              \
	} while (0)

/* stderr must contain sub. */
#define UT_EXPECT_ERR_HAS(r, sub)                                                                  \
	do {                                                                                       \
		if (!strstr((r).err, (sub)))                                                       \
			UT_FAIL("stderr \"%.60s\" lacks \"%.40s\"", (r).err, (sub));               \
	} while (0)

/* stdout must contain sub. */
#define UT_EXPECT_OUT_HAS(r, sub)                                                                  \
	do {                                                                                       \
		if (!strstr((r).out, (sub)))                                                       \
			UT_FAIL("stdout \"%.60s\" lacks \"%.40s\"", (r).out, (sub));               \
	} while (0)

/* Run argv and expect status and exact stdout in one step. */
#define UT_RUN_EXPECT(r, in, argv, want_status, want_out)                                          \
	do {                                                                                       \
		ut_run(&(r), (in), (argv));                                                        \
		UT_EXPECT_STATUS(r, want_status);                                                  \
		UT_EXPECT_OUT(r, want_out);                                                        \
	} while (0)

extern const struct ut_case suite_basic_cases[];
extern const struct ut_case suite_files_cases[];
extern const struct ut_case suite_text_cases[];
