/*
 * test_sysfmt.c - lib/sysfmt: the init:/services table (good lines,
 * every kind of bad field, CRLF, empty lines, the table's end), its
 * column layout (alignment, header, cut output), signal names and
 * numbers, and the duration, uptime, CPU time, CPU list and busy-share
 * layouts the system utilities print.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "sysfmt/signame.h"
#include "sysfmt/svctab.h"
#include "sysfmt/sysfmt.h"

static struct svc_row rows[4];
static unsigned bad_line;
static const char *why;

static int parse(const char *s)
{
	memset(rows, 0xa5, sizeof rows);
	bad_line = 0;
	why = NULL;
	return svctab_parse(s, strlen(s), rows, 4, &bad_line, &why);
}

static void test_svc_good(void **state)
{
	assert_int_equal(parse("logd ready 3 0 12 -\n"
			       "getty running 7 2 3700 143\r\n"
			       "\n"
			       "dhcp failed - 5 - 1"),
			 3);
	assert_string_equal(rows[0].name, "logd");
	assert_string_equal(rows[0].state, "ready");
	assert_int_equal(rows[0].pid, 3);
	assert_int_equal(rows[0].restarts, 0);
	assert_int_equal(rows[0].uptime, 12);
	assert_int_equal(rows[0].last_exit, SVCTAB_NONE);
	assert_int_equal(rows[1].last_exit, 143);
	assert_int_equal(rows[1].uptime, 3700);
	assert_int_equal(rows[2].pid, SVCTAB_NONE);
	assert_int_equal(rows[2].uptime, SVCTAB_NONE);
	assert_int_equal(rows[2].restarts, 5);
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse("\n\n"), 0);
	assert_int_equal(parse("a waiting - 4294967295 - 255\n"), 1);
	assert_int_equal(rows[0].restarts, 4294967295u);
	assert_int_equal(parse("x stopped 2147483647 0 999999999999999999 0\n"), 1);
	assert_int_equal(rows[0].pid, 2147483647);
}

static void bad(const char *line, const char *reason)
{
	assert_int_equal(parse(line), -E_INVAL);
	assert_int_equal(bad_line, 1);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void test_svc_bad(void **state)
{
	bad("logd ready 3 0 12", "fewer than 6 fields");
	bad("logd ready 3 0 12 - x", "more than 6 fields");
	bad("logd  ready 3 0 12 -", "more than 6 fields");
	bad(" ready 3 0 12 - -", "more than 6 fields");
	bad("logd sleeping 3 0 12 -", "unknown state");
	bad("logd Ready 3 0 12 -", "unknown state");
	bad("logd ready 0 0 12 -", "bad pid");
	bad("logd ready 03 0 12 -", "bad pid");
	bad("logd ready -3 0 12 -", "bad pid");
	bad("logd ready 2147483648 0 12 -", "bad pid");
	bad("logd ready 3 - 12 -", "bad restarts");
	bad("logd ready 3 4294967296 12 -", "bad restarts");
	bad("logd ready 3 0 1000000000000000000 -", "bad uptime");
	bad("logd ready 3 0 1x -", "bad uptime");
	bad("logd ready 3 0 12 256", "bad last_exit");
	bad("logd ready 3 0 12 +1", "bad last_exit");
	bad("0123456789012345678901234567890123 ready 3 0 12 -", "name too long");
	bad("lo\tgd ready 3 0 12 -", "name not printable ASCII");
	assert_int_equal(parse("a ready 1 0 1 -\nb ready 1 0 1\n"), -E_INVAL);
	assert_int_equal(bad_line, 2);
	/* a NUL inside the text is a bad byte, not an end */
	const char nul[] = "a ready 1 0 1 -\nb\0c ready 1 0 1 -\n";
	assert_int_equal(svctab_parse(nul, sizeof nul - 1, rows, 4, &bad_line, &why), -E_INVAL);
	assert_int_equal(bad_line, 2);
}

static void test_svc_too_many(void **state)
{
	assert_int_equal(parse("a ready 1 0 1 -\nb ready 1 0 1 -\nc ready 1 0 1 -\n"
			       "d ready 1 0 1 -\ne ready 1 0 1 -\n"),
			 -E_NOSPC);
	assert_int_equal(bad_line, 5);
}

static void test_svc_format(void **state)
{
	assert_int_equal(parse("logd ready 3 0 12 -\n"
			       "getty running 117 12 3700 143\n"),
			 2);
	char out[256];
	size_t n = svctab_format(rows, 2, false, out, sizeof out);
	assert_string_equal(out, "logd   ready      3   0    12    -\n"
				 "getty  running  117  12  3700  143\n");
	assert_int_equal(n, strlen(out));
	n = svctab_format(rows, 2, true, out, sizeof out);
	assert_string_equal(out, "NAME   STATE    PID  RESTARTS  UPTIME  LAST-EXIT\n"
				 "logd   ready      3         0      12          -\n"
				 "getty  running  117        12    3700        143\n");
	/* cut: the length still counts everything, the text stays terminated */
	char small[10];
	size_t full = svctab_format(rows, 2, true, small, sizeof small);
	assert_int_equal(full, strlen(out));
	assert_int_equal(strlen(small), 9);
	assert_memory_equal(small, out, 9);
	assert_int_equal(svctab_format(rows, 0, false, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(svctab_format(rows, 2, false, NULL, 0), 70);
}

static void test_signals(void **state)
{
	assert_int_equal(sig_parse("TERM"), 15);
	assert_int_equal(sig_parse("SIGTERM"), 15);
	assert_int_equal(sig_parse("term"), 15);
	assert_int_equal(sig_parse("sigkill"), 9);
	assert_int_equal(sig_parse("HUP"), 1);
	assert_int_equal(sig_parse("USR2"), 12);
	assert_int_equal(sig_parse("SYS"), 31);
	assert_int_equal(sig_parse("0"), 0);
	assert_int_equal(sig_parse("9"), 9);
	assert_int_equal(sig_parse("31"), 31);
	assert_int_equal(sig_parse("32"), -E_INVAL);
	assert_int_equal(sig_parse("09"), -E_INVAL);
	assert_int_equal(sig_parse("9x"), -E_INVAL);
	assert_int_equal(sig_parse(""), -E_INVAL);
	assert_int_equal(sig_parse("SIG"), -E_INVAL);
	assert_int_equal(sig_parse("TERMX"), -E_INVAL);
	assert_int_equal(sig_parse("TER"), -E_INVAL);
	assert_int_equal(sig_parse("99999999999999"), -E_INVAL);
	assert_int_equal(sig_parse(NULL), -E_INVAL);
	assert_string_equal(sig_name(15), "TERM");
	assert_string_equal(sig_name(1), "HUP");
	assert_string_equal(sig_name(31), "SYS");
	assert_null(sig_name(0));
	assert_null(sig_name(32));
	assert_null(sig_name(-1));
	for (int s = 1; s <= SIGNAME_MAX; s++)
		assert_int_equal(sig_parse(sig_name(s)), s);
}

static void test_durations(void **state)
{
	char b[64];
	sysfmt_uptime(0, b, sizeof b);
	assert_string_equal(b, "0 min");
	sysfmt_uptime(7 * 60 + 59, b, sizeof b);
	assert_string_equal(b, "7 min");
	sysfmt_uptime(3900, b, sizeof b);
	assert_string_equal(b, "1:05");
	sysfmt_uptime(86400 + 180, b, sizeof b);
	assert_string_equal(b, "1 day, 3 min");
	assert_int_equal(sysfmt_uptime(2 * 86400 + 3900, b, sizeof b), strlen("2 days, 1:05"));
	assert_string_equal(b, "2 days, 1:05");
	sysfmt_cputime(0, b, sizeof b);
	assert_string_equal(b, "0:00");
	sysfmt_cputime(754999999999ull, b, sizeof b);
	assert_string_equal(b, "12:34");
}

static void test_cpulist(void **state)
{
	char b[64];
	bool on[9] = {true, true, true, true, false, true, false, true, true};
	assert_int_equal(sysfmt_cpulist(on, 9, b, sizeof b), strlen("0-3,5,7-8"));
	assert_string_equal(b, "0-3,5,7-8");
	sysfmt_cpulist(on, 1, b, sizeof b);
	assert_string_equal(b, "0");
	bool none[3] = {false, false, false};
	sysfmt_cpulist(none, 3, b, sizeof b);
	assert_string_equal(b, "none");
	char small[4];
	assert_int_equal(sysfmt_cpulist(on, 9, small, sizeof small), strlen("0-3,5,7-8"));
	assert_string_equal(small, "0-3");
}

static void test_permille(void **state)
{
	assert_int_equal(sysfmt_permille(0, 0), 0);
	assert_int_equal(sysfmt_permille(1, 0), 1000);
	assert_int_equal(sysfmt_permille(0, 5), 0);
	assert_int_equal(sysfmt_permille(1, 3), 250);
	assert_int_equal(sysfmt_permille(2, 1), 667);
	assert_int_equal(sysfmt_permille(UINT64_MAX, UINT64_MAX), 500);
	assert_int_equal(sysfmt_permille(UINT64_MAX, 0), 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_svc_good),	 cmocka_unit_test(test_svc_bad),
	    cmocka_unit_test(test_svc_too_many), cmocka_unit_test(test_svc_format),
	    cmocka_unit_test(test_signals),	 cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_cpulist),	 cmocka_unit_test(test_permille),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
