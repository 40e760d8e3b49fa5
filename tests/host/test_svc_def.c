/*
 * test_svc_def.c - service files into struct svc_def (lib/svc/def.c): a
 * file using every field reads back as written; a minimal file gets every
 * default; each kind of bad field (unknown, wrong type, bad enum value, out
 * of range, bad name, listed twice, too many, fields that need or exclude
 * each other) is an error naming the field, its line and its column; TOML
 * errors pass through svc_load() with their position; file names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "svc/svc.h"

static struct toml_node nodes[256];
static char buf[4096];
static struct toml_doc doc;
static struct svc_def def;
static struct toml_error err;
static char msg[256];

/* Load text as the file file; the formatted error (if any) lands in msg. */
static int load_as(const char *file, const char *text)
{
	toml_init(&doc, nodes, 256, buf, sizeof buf);
	int r = svc_load(file, text, strlen(text), &doc, &def, &err);
	msg[0] = '\0';
	if (r < 0)
		toml_error_format(msg, sizeof msg, file, &err);
	return r;
}

static int load(const char *text)
{
	return load_as("t.toml", text);
}

/* Expect text refused with exactly the formatted message want. */
static void bad(const char *text, const char *want)
{
	int r = load(text);
	if (r != -E_INVAL || strcmp(msg, want) != 0)
		fail_msg("input \"%s\": got %d \"%s\", want \"%s\"", text, r, msg, want);
}

static void test_every_field(void **state)
{
	const char *text = "exec = \"initfs:/bin/logd\"\n"
			   "args = [\"--level\", \"info\"]\n"
			   "type = \"notify\"\n"
			   "ready_path = \"log:/init\"\n"
			   "ready_timeout = 10\n"
			   "requires = [\"ramfsd\"]\n"
			   "after = [\"ipcd\", \"early\"]\n"
			   "restart = \"always\"\n"
			   "max_restarts = 5\n"
			   "restart_window = 120\n"
			   "user = \"log\"\n"
			   "environment = [\"LOG_LEVEL=info\", \"EMPTY=\"]\n"
			   "critical = true\n"
			   "stop_last = true\n"
			   "stops_children = true\n"
			   "[health]\n"
			   "path = \"log:/health\"\n"
			   "interval = 7\n";
	assert_int_equal(load_as("/etc/init.d/logd.toml", text), 0);
	assert_string_equal(def.name, "logd");
	assert_string_equal(def.exec, "initfs:/bin/logd");
	assert_int_equal(def.nargs, 2);
	assert_string_equal(def.args[1], "info");
	assert_int_equal(def.type, SVC_NOTIFY);
	assert_string_equal(def.ready_path, "log:/init");
	assert_int_equal(def.ready_timeout_s, 10);
	assert_int_equal(def.nrequires, 1);
	assert_string_equal(def.requires[0], "ramfsd");
	assert_int_equal(def.nafter, 2);
	assert_string_equal(def.after[1], "early");
	assert_int_equal(def.restart, SVC_RESTART_ALWAYS);
	assert_int_equal(def.max_restarts, 5);
	assert_int_equal(def.restart_window_s, 120);
	assert_string_equal(def.user, "log");
	assert_int_equal(def.nenv, 2);
	assert_string_equal(def.env[0], "LOG_LEVEL=info");
	assert_true(def.critical);
	assert_true(def.stop_last);
	assert_true(def.stops_children);
	assert_string_equal(def.health_path, "log:/health");
	assert_int_equal(def.nhealth_cmd, 0);
	assert_int_equal(def.health_interval_s, 7);
}

static void test_defaults(void **state)
{
	assert_int_equal(load("exec = 'initfs:/bin/x'"), 0);
	assert_string_equal(def.name, "t");
	assert_int_equal(def.nargs, 0);
	assert_int_equal(def.type, SVC_DAEMON);
	assert_int_equal(def.restart, SVC_RESTART_ON_FAILURE);
	assert_int_equal(def.max_restarts, 3);
	assert_int_equal(def.restart_window_s, 60);
	assert_int_equal(def.ready_timeout_s, 30);
	assert_int_equal(def.health_interval_s, 5);
	assert_null(def.health_path);
	assert_int_equal(def.nhealth_cmd, 0);
	assert_null(def.user);
	assert_int_equal(def.uid, 0);
	assert_false(def.critical);
	assert_false(def.stop_last);
	assert_false(def.stops_children);
	assert_int_equal(def.nrequires + def.nafter + def.nenv, 0);
	/* a health command, a numeric user, dotted health keys */
	assert_int_equal(load("exec = 'x'\nuser = 1000\nhealth.command = ['/bin/check', '-q']\n"
			      "type = 'daemon'\n"),
			 0);
	assert_int_equal(def.uid, 1000);
	assert_null(def.user);
	assert_int_equal(def.nhealth_cmd, 2);
	assert_string_equal(def.health_cmd[1], "-q");
	assert_int_equal(load("exec = 'x'\ntype = 'oneshot_async'\nrestart = 'never'\n"), 0);
	assert_int_equal(def.type, SVC_ONESHOT_ASYNC);
	assert_int_equal(def.restart, SVC_RESTART_NEVER);
	assert_string_equal(svc_type_name(def.type), "oneshot_async");
	assert_string_equal(svc_restart_name(SVC_RESTART_ON_FAILURE), "on-failure");
}

static void test_field_errors(void **state)
{
	bad("exec = 'x'\nrestrat = 'always'\n",
	    "t.toml: line 2, column 1: unknown field 'restrat'");
	bad("exec = 'x'\ntype = 'deamon'\n",
	    "t.toml: line 2, column 1: field 'type': 'deamon' is not one of daemon, notify, "
	    "oneshot, oneshot_async");
	bad("exec = 'x'\n  restart = 'sometimes'\n",
	    "t.toml: line 2, column 3: field 'restart': 'sometimes' is not one of never, "
	    "on-failure, always");
	bad("exec = 'x'\nrestart = 1\n",
	    "t.toml: line 2, column 1: field 'restart': expected a string, found an integer");
	bad("exec = 1\n", "t.toml: line 1, column 1: field 'exec': expected a string, found an "
			  "integer");
	bad("exec = ''\n", "t.toml: line 1, column 1: field 'exec': must not be empty");
	bad("args = ['a']\n", "t.toml: field 'exec': missing");
	bad("exec = 'x'\nargs = ['a', 2]\n",
	    "t.toml: line 2, column 14: field 'args': expected a string, found an integer");
	bad("exec = 'x'\nmax_restarts = -1\n",
	    "t.toml: line 2, column 1: field 'max_restarts': must be 0..1000");
	bad("exec = 'x'\nready_timeout = 0\n",
	    "t.toml: line 2, column 1: field 'ready_timeout': must be 1..3600 seconds");
	bad("exec = 'x'\nrestart_window = 3601\n",
	    "t.toml: line 2, column 1: field 'restart_window': must be 1..3600 seconds");
	bad("exec = 'x'\nstop_last = 1\n",
	    "t.toml: line 2, column 1: field 'stop_last': expected a boolean, found an integer");
	bad("exec = 'x'\ncritical = 'yes'\n",
	    "t.toml: line 2, column 1: field 'critical': expected a boolean, found a string");
	bad("exec = 'x'\nuser = -1\n", "t.toml: line 2, column 1: field 'user': uid out of range");
	bad("exec = 'x'\nuser = true\n", "t.toml: line 2, column 1: field 'user': must be a user "
					 "name (string) or a uid (integer)");
	bad("exec = 'x'\nrequires = ['ok', 'Bad Name']\n",
	    "t.toml: line 2, column 19: field 'requires': 'Bad Name' is not a service name");
	bad("exec = 'x'\nafter = ['a', 'b', 'a']\n",
	    "t.toml: line 2, column 20: field 'after': 'a' is listed twice");
	bad("exec = 'x'\nrequires = 'a'\n",
	    "t.toml: line 2, column 1: field 'requires': expected an array, found a string");
	bad("exec = 'x'\nenvironment = ['=x']\n",
	    "t.toml: line 2, column 16: field 'environment': '=x' is not NAME=value");
	bad("exec = 'x'\nenvironment = ['NOEQUALS']\n",
	    "t.toml: line 2, column 16: field 'environment': 'NOEQUALS' is not NAME=value");
	bad("exec = 'x'\nenvironment = ['1X=y']\n",
	    "t.toml: line 2, column 16: field 'environment': '1X=y' is not NAME=value");
	bad("exec = 'x'\nargs = ['1','2','3','4','5','6','7','8','9','10','11','12','13','14',"
	    "'15','16','17']\n",
	    "t.toml: line 2, column 1: field 'args': more than 16 entries");
}

static void test_field_rules(void **state)
{
	bad("exec = 'x'\nready_path = 'a:/b'\n",
	    "t.toml: line 2, column 1: field 'ready_path': only type 'notify' has one");
	bad("exec = 'x'\n[health]\ninterval = 3\n",
	    "t.toml: line 2, column 2: field 'health': needs exactly one of 'path' and 'command'");
	bad("exec = 'x'\n[health]\npath = 'a:/'\ncommand = ['c']\n",
	    "t.toml: line 2, column 2: field 'health': needs exactly one of 'path' and 'command'");
	bad("exec = 'x'\n[health]\npath = 'a:/'\nevery = 3\n",
	    "t.toml: line 4, column 1: unknown field 'health.every'");
	bad("exec = 'x'\nhealth = 'a:/'\n",
	    "t.toml: line 2, column 1: field 'health': expected a table, found a string");
	bad("exec = 'x'\ntype = 'oneshot'\nhealth.path = 'a:/'\n",
	    "t.toml: line 3, column 1: field 'health': a oneshot service has no health check");
	bad("exec = 'x'\n[health]\ncommand = ['c']\ninterval = 0\n",
	    "t.toml: line 4, column 1: field 'health.interval': must be 1..3600 seconds");
}

static void test_toml_errors_and_names(void **state)
{
	bad("exec = 'x'\n\nrestart = never\n", "t.toml: line 3, column 11: expected a value");
	bad("exec = 'x'\nexec = 'y'\n", "t.toml: line 2, column 1: duplicate key 'exec'");
	assert_int_equal(load_as("/etc/init.d/logd.conf", "exec = 'x'"), -E_INVAL);
	assert_int_equal(load_as(".toml", "exec = 'x'"), -E_INVAL);
	assert_int_equal(load_as("Bad.toml", "exec = 'x'"), -E_INVAL);
	assert_int_equal(load_as("ok-name_2.toml", "exec = 'x'"), 0);
	assert_string_equal(def.name, "ok-name_2");
	char name[SVC_NAME_MAX + 1];
	assert_int_equal(svc_name_from_file("a/b/c.toml", name), 0);
	assert_string_equal(name, "c");
	assert_int_equal(svc_name_from_file("-x.toml", name), -E_INVAL);
	assert_int_equal(svc_name_from_file("0123456789012345678901234567890.toml", name), 0);
	assert_int_equal(svc_name_from_file("01234567890123456789012345678901.toml", name),
			 -E_INVAL);
	assert_true(svc_name_valid("a"));
	assert_false(svc_name_valid(""));
	assert_false(svc_name_valid("a.b"));
	/* svc_from_toml refuses a bad name itself */
	toml_init(&doc, nodes, 256, buf, sizeof buf);
	assert_int_equal(toml_parse(&doc, "exec = 'x'", 10), 0);
	assert_int_equal(svc_from_toml(toml_root(&doc), "A", &def, &err), -E_INVAL);
	assert_int_equal(err.line, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_field),		  cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_field_errors),	  cmocka_unit_test(test_field_rules),
	    cmocka_unit_test(test_toml_errors_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
