/*
 * suite_basic.c - utiltest cases for echo, true, false, sleep, env, date
 * and test / [ (utiltest.h). Each case runs the utility and checks its
 * output and exit status; no state between cases.
 */
#include "utiltest.h"
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static struct ut_result r;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static int t_sleep(char *why, size_t n)
{
	long long t0 = now_ms(), ms;

	UT_RUN_EXPECT(r, NULL, UT_ARGV("sleep", "0.5"), 0, "");
	ms = now_ms() - t0;
	UT_CHECK(ms >= 500, "sleep 0.5 took %lld ms", ms);
	t0 = now_ms();
	UT_RUN_EXPECT(r, NULL, UT_ARGV("sleep", ".2s", "0.1"), 0, "");
	ms = now_ms() - t0;
	UT_CHECK(ms >= 300, "sleep .2s 0.1 took %lld ms", ms);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("sleep", "0"), 0, "");
	const char *const bad[] = {"x", "1x", "", "-1", "1ss", "1.5.5", "99999999999d"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ut_run(&r, NULL, UT_ARGV("sleep", bad[i]));
		UT_EXPECT_STATUS(r, 2);
		UT_EXPECT_ERR_HAS(r, "sleep: ");
	}
	ut_run(&r, NULL, UT_ARGV("sleep"));
	UT_EXPECT_STATUS(r, 2);
	UT_EXPECT_ERR_HAS(r, "usage: sleep");
	return 0;
}

/* sleep 30 interrupted by SIGINT dies of it: status 130, long before 30 s */
static int t_sleep_sigint(char *why, size_t n)
{
	char *argv[] = {"sleep", "30", NULL};
	long long t0 = now_ms();
	pid_t pid;
	int st;
	int e = posix_spawnp(&pid, "sleep", NULL, NULL, argv, environ);

	UT_CHECK(e == 0, "spawn sleep: %d", e);
	/* a short nap so the signal most likely lands while it sleeps; it must
	   die of SIGINT whether or not it has started sleeping yet */
	struct timespec d = {0, 200 * 1000 * 1000};
	nanosleep(&d, NULL);
	UT_CHECK(kill(pid, SIGINT) == 0, "kill failed");
	UT_CHECK(waitpid(pid, &st, 0) == pid, "waitpid failed");
	UT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "status %#x, want SIGINT", st);
	UT_CHECK(now_ms() - t0 < 10000, "took %lld ms", now_ms() - t0);
	return 0;
}

static int t_env(char *why, size_t n)
{
	ut_run(&r, NULL, UT_ARGV("env"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "PATH=");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("env", "-i"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("env", "-i", "A=1", "B=x=y"), 0, "A=1\nB=x=y\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("env", "-i", "A=1", "env"), 0, "A=1\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("env", "-i", "PATH=initfs:/bin", "echo", "hi"), 0, "hi\n");
	ut_run(&r, NULL, UT_ARGV("env", "FOO=bar", "env"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "FOO=bar\n");
	ut_run(&r, NULL, UT_ARGV("env", "-u", "PATH", "env"));
	UT_EXPECT_STATUS(r, 0);
	UT_CHECK(!strstr(r.out, "PATH="), "-u PATH left: %.60s", r.out);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("env", "false"), 1, "");
	ut_run(&r, NULL, UT_ARGV("env", "no-such-cmd"));
	UT_EXPECT_STATUS(r, 127);
	UT_EXPECT_ERR_HAS(r, "env: no-such-cmd: No such file or directory");
	ut_run(&r, NULL, UT_ARGV("env", "-z"));
	UT_EXPECT_STATUS(r, 2);
	UT_EXPECT_ERR_HAS(r, "usage: env");
	ut_run(&r, NULL, UT_ARGV("env", "-u"));
	UT_EXPECT_STATUS(r, 2);
	return 0;
}

static int t_date(char *why, size_t n)
{
	ut_run(&r, NULL, UT_ARGV("date"));
	UT_EXPECT_STATUS(r, 0);
	printf("# date: %s", r.out); /* for the log: is the RTC's date plausible? */
	/* "Wed Dec  2 11:40:00 UTC 2026\n" */
	UT_CHECK(r.out_len == 29 && r.out[13] == ':' && r.out[16] == ':' &&
		     strncmp(r.out + 19, " UTC ", 5) == 0,
		 "date printed \"%.40s\"", r.out);
	ut_run(&r, NULL, UT_ARGV("date", "-u", "+%Y"));
	UT_EXPECT_STATUS(r, 0);
	int year = atoi(r.out);
	UT_CHECK(year >= 2024 && year < 2100, "implausible year \"%.20s\"", r.out);
	ut_run(&r, NULL, UT_ARGV("date", "+%s"));
	UT_EXPECT_STATUS(r, 0);
	UT_CHECK(atol(r.out) > 1700000000L, "implausible epoch \"%.20s\"", r.out);
	ut_run(&r, NULL, UT_ARGV("date", "+[%Y-%m-%d %H:%M]"));
	UT_EXPECT_STATUS(r, 0);
	UT_CHECK(r.out_len == 19 && r.out[0] == '[' && r.out[5] == '-' && r.out[17] == ']',
		 "date +FORMAT printed \"%.40s\"", r.out);
	ut_run(&r, NULL, UT_ARGV("date", "-x"));
	UT_EXPECT_STATUS(r, 2);
	UT_EXPECT_ERR_HAS(r, "usage: date");
	ut_run(&r, NULL, UT_ARGV("date", "+%Y", "-u"));
	UT_EXPECT_STATUS(r, 2);
	return 0;
}

/* Each row: the exit status of test with these words. */
struct trow {
	int status;
	const char *argv[9];
};

static const struct trow trows[] = {
    {1, {"test", NULL}},
    {0, {"test", "x", NULL}},
    {1, {"test", "", NULL}},
    {0, {"test", "-n", NULL}}, /* one word: a non-empty string */
    {0, {"test", "-n", "x", NULL}},
    {1, {"test", "-n", "", NULL}},
    {0, {"test", "-z", "", NULL}},
    {1, {"test", "-z", "a", NULL}},
    {0, {"test", "a", "=", "a", NULL}},
    {0, {"test", "a", "==", "a", NULL}},
    {1, {"test", "a", "=", "b", NULL}},
    {0, {"test", "a", "!=", "b", NULL}},
    {1, {"test", "!", "=", "x", NULL}}, /* three words: = is the operator */
    {0, {"test", "!", "=", "!", NULL}},
    {1, {"test", "!", "x", NULL}},
    {0, {"test", "!", "", NULL}},
    {0, {"test", "1", "-eq", "1", NULL}},
    {0, {"test", "-5", "-lt", "3", NULL}},
    {1, {"test", "10", "-le", "9", NULL}},
    {0, {"test", "10", "-gt", "9", NULL}},
    {0, {"test", "7", "-ge", "7", NULL}},
    {0, {"test", "7", "-ne", "8", NULL}},
    {0, {"test", "-d", "/tmp", NULL}},
    {1, {"test", "-f", "/tmp", NULL}},
    {0, {"test", "-e", "/bin/echo", NULL}},
    {0, {"test", "-f", "/bin/echo", NULL}},
    {0, {"test", "-s", "/bin/echo", NULL}},
    {0, {"test", "-r", "/bin/echo", NULL}},
    {1, {"test", "-e", "/no/such", NULL}},
    {1, {"test", "-r", "/no/such", NULL}},
    {0, {"test", "(", "x", ")", NULL}},
    {0, {"test", "!", "(", "", ")", NULL}},
    {0, {"test", "a", "-a", "b", NULL}},
    {1, {"test", "a", "-a", "", NULL}},
    {0, {"test", "", "-o", "b", NULL}},
    {0, {"test", "1", "-eq", "2", "-o", "a", "=", "a", NULL}},
    {1, {"test", "1", "-eq", "1", "-a", "a", "=", "b", NULL}},
    {0, {"test", "!", "1", "-eq", "2", "-a", "-d", "/tmp", NULL}},
    {0, {"test", "x", "-o", "", "-a", "", NULL}}, /* -a binds tighter */
    {0, {"test", "(", "", "-o", "x", ")", "-a", "y", NULL}},
    {1, {"test", "(", "", "-o", "x", ")", "-a", "", NULL}},
    {2, {"test", "1", "-eq", "x", NULL}},
    {2, {"test", "1x", "-lt", "2", NULL}},
    {2, {"test", "-q", "x", NULL}},
    {2, {"test", "a", "b", "c", NULL}},
    {2, {"test", "(", "x", NULL}},
    {2, {"test", "a", "=", "a", "b", "c", NULL}},
    {2, {"test", "99999999999999999999", "-eq", "1", NULL}},
    {0, {"[", "a", "=", "a", "]", NULL}},
    {1, {"[", "a", "=", "b", "]", NULL}},
    {1, {"[", "]", NULL}},
    {0, {"[", "-d", "/tmp", "]", NULL}},
    {2, {"[", "a", "=", "a", NULL}},
};

static int t_test(char *why, size_t n)
{
	for (size_t i = 0; i < sizeof trows / sizeof trows[0]; i++) {
		const struct trow *t = &trows[i];

		ut_run(&r, NULL, t->argv);
		if (r.status != t->status) {
			char words[120] = "";
			for (int k = 0; t->argv[k]; k++) {
				strncat(words, t->argv[k], sizeof words - strlen(words) - 2);
				strncat(words, " ", sizeof words - strlen(words) - 1);
			}
			UT_FAIL("%s: status %d, want %d (stderr \"%.50s\")", words, r.status,
				t->status, r.err);
		}
		if (t->status == 2)
			UT_CHECK(r.err_len > 0, "row %zu: no message on error", i);
		else
			UT_CHECK(r.err_len == 0 && r.out_len == 0, "row %zu: output", i);
	}
	ut_run(&r, NULL, UT_ARGV("[", "a"));
	UT_EXPECT_ERR_HAS(r, "[: missing ']'");
	ut_run(&r, NULL, UT_ARGV("test", "--help"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "usage: test");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("test", "--help", "=", "x"), 1, "");
	return 0;
}

static int t_help(char *why, size_t n)
{
	const char *const progs[] = {"echo", "true", "false", "sleep", "env", "date", "test"};

	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		ut_run(&r, NULL, UT_ARGV(progs[i], "--help"));
		UT_CHECK(r.status == 0, "%s --help: status %d", progs[i], r.status);
		UT_CHECK(strncmp(r.out, "usage: ", 7) == 0, "%s --help printed \"%.40s\"", progs[i],
			 r.out);
	}
	return 0;
}

const struct ut_case suite_basic_cases[] = {
    {"true and false", t_true_false},
    {"echo", t_echo},
    {"run_as uid 1000", t_runas},
    {"sleep", t_sleep},
    {"sleep dies of SIGINT", t_sleep_sigint},
    {"env", t_env},
    {"date", t_date},
    {"test and [", t_test},
    {"--help", t_help},
    {NULL, NULL},
};
