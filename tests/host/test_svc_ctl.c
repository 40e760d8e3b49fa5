/*
 * test_svc_ctl.c - init:/control commands (lib/svc/ctl.c): the five
 * forms, with and without a trailing newline (LF, CR LF, spaces); a verb
 * that needs a name and has none, one that takes none and has one; an
 * unknown verb, a bad or too long name, a double space, a NUL inside.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "svc/ctl.h"

static int parse(const char *s, struct svc_ctl *c)
{
	return svc_ctl_parse(s, strlen(s), c);
}

static void test_good(void **state)
{
	struct svc_ctl c;
	assert_int_equal(parse("restart logd", &c), 0);
	assert_int_equal(c.verb, SVC_CTL_RESTART);
	assert_int_equal(c.name_len, 4);
	assert_memory_equal(c.name, "logd", 4);
	assert_int_equal(parse("stop getty\n", &c), 0);
	assert_int_equal(c.verb, SVC_CTL_STOP);
	assert_int_equal(c.name_len, 5);
	assert_int_equal(parse("start a-b_9\r\n", &c), 0);
	assert_int_equal(c.verb, SVC_CTL_START);
	assert_int_equal(c.name_len, 5);
	assert_int_equal(parse("poweroff", &c), 0);
	assert_int_equal(c.verb, SVC_CTL_POWEROFF);
	assert_null(c.name);
	assert_int_equal(parse("reboot \n", &c), 0);
	assert_int_equal(c.verb, SVC_CTL_REBOOT);
}

static void test_bad(void **state)
{
	struct svc_ctl c;
	static const char *const bad[] = {
	    "",
	    "\n",
	    "restart",
	    "restart ",
	    "stop  logd",
	    "poweroff now",
	    "frob x",
	    "Restart logd",
	    "start Logd",
	    "start -x",
	    "start a/b",
	    "reboot x",
	    "start aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 32 bytes: one too many */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(parse(bad[i], &c), -E_INVAL);
	assert_int_equal(svc_ctl_parse("stop a\0b", 8, &c), -E_INVAL);
	assert_int_equal(svc_ctl_parse("poweroff\0", 9, &c), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
