/*
 * suite_basic.c - utiltest cases for echo, true, false, sleep, env, date
 * and test / [ (utiltest.h). Each case runs the utility and checks its
 * output and exit status; no state between cases.
 */
#include "utiltest.h"

static struct ut_result r;

static int t_true_false(char *why, size_t n)
{
	UT_RUN_EXPECT(r, NULL, UT_ARGV("true"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("true", "x", "--", "-n"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("false"), 1, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("false", "x"), 1, "");
	ut_run(&r, NULL, UT_ARGV("false", "--help"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "usage: false");
	return 0;
}

static int t_echo(char *why, size_t n)
{
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo"), 0, "\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "hello", "world"), 0, "hello world\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "-n", "a", "b"), 0, "a b");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "a\\nb"), 0, "a\\nb\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "-e", "a\\nb\\tc\\\\d"), 0, "a\nb\tc\\d\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "-e", "x\\cy", "z"), 0, "x");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "-ne", "\\0101"), 0, "A");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "-x", "-n"), 0, "-x -n\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "-"), 0, "-\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("echo", "a", "--help"), 0, "a --help\n");
	ut_run(&r, NULL, UT_ARGV("echo", "--help"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "usage: echo");
	return 0;
}

static int t_runas(char *why, size_t n)
{
	UT_RUN_EXPECT(r, NULL, UT_ARGV("true"), 0, "");
	ut_run_as(&r, 1000, NULL, UT_ARGV("echo", "as", "guest"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT(r, "as guest\n");
	ut_run_as(&r, 1000, NULL, UT_ARGV("false"));
	UT_EXPECT_STATUS(r, 1);
	ut_run(&r, NULL, UT_ARGV("no-such-program"));
	UT_EXPECT_STATUS(r, UT_SPAWN_FAILED);
	return 0;
}

const struct ut_case suite_basic_cases[] = {
    {"true and false", t_true_false},
    {"echo", t_echo},
    {"run_as uid 1000", t_runas},
    {NULL, NULL},
};
