/*
 * test_bootchart.c - lib/bootchart: the timeline JSON reader (fields, null
 * times, escapes, unknown keys skipped, every kind of malformed document
 * refused with a reason), the serial log reader (stamps, CR, the kernel
 * phase rule, host marks, timeline blocks), the critical path walk, and the
 * SVG/summary rendering (one bar per service, the path marked, names
 * escaped, a too-small buffer reported), and the drivers array (rows of
 * type "driver", named with their device, kept off the critical path,
 * the extra ones counted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "bootchart/bootchart.h"

static struct bootchart bc;
static char out[1 << 17];

static int tl(const char *json)
{
	memset(&bc, 0x5a, sizeof bc); /* the timeline fields must all be set */
	bc.nmark = bc.nphase = bc.kernel_lines = 0;
	bc.kernel_last_ns = bc.init_line_ns = BC_NONE;
	return bc_parse_timeline(json, strlen(json), &bc);
}

static int lg(const char *text)
{
	return bc_parse(text, strlen(text), &bc);
}

#define SVC(name, req, after, start, ready, exit)                                                  \
	"{\"name\":\"" name "\",\"type\":\"notify\",\"requires\":" req ",\"after\":" after         \
	",\"start_ns\":" start ",\"ready_ns\":" ready ",\"exit_ns\":" exit                         \
	",\"state\":\"ready\",\"restarts\":0,\"critical\":false}"

static void test_timeline_fields(void **state)
{
	(void)state;
	assert_int_equal(
	    tl("{\"version\": 1, \"init_start_ns\": 70000000, \"settled_ns\": 138000000,\n"
	       " \"services\": [{\"name\": \"logd\", \"type\": \"notify\", \"requires\": "
	       "[\"ramfsd\"], \"after\": [\"a\", \"b\"], \"start_ns\": 5, \"ready_ns\": null, "
	       "\"exit_ns\": 9, \"state\": \"exited\", \"restarts\": 3, \"critical\": true}]}"),
	    0);
	assert_true(bc.have_timeline);
	assert_int_equal(bc.version, 1);
	assert_int_equal(bc.init_start_ns, 70000000);
	assert_int_equal(bc.settled_ns, 138000000);
	assert_int_equal(bc.nsvc, 1);
	const struct bc_service *s = &bc.svc[0];
	assert_string_equal(s->name, "logd");
	assert_string_equal(s->type, "notify");
	assert_string_equal(s->state, "exited");
	assert_int_equal(s->nreq, 1);
	assert_string_equal(s->req[0], "ramfsd");
	assert_int_equal(s->nafter, 2);
	assert_string_equal(s->after[1], "b");
	assert_int_equal(s->start_ns, 5);
	assert_int_equal(s->ready_ns, BC_NONE);
	assert_int_equal(s->exit_ns, 9);
	assert_int_equal(s->restarts, 3);
	assert_true(s->critical);
	assert_int_equal(bc_done_ns(s), 9);
}

static void test_timeline_unknown_and_escapes(void **state)
{
	(void)state;
	/* unknown keys of every kind skipped, a long unknown key too; \u escapes decoded */
	assert_int_equal(tl("{\"future\": {\"a\": [1, 2.5e3, -0.5, true, false, null, \"x\"]},"
			    "\"a_very_long_key_name_that_does_not_fit_the_key_buffer\": [[[]]],"
			    "\"version\":1,\"services\":[{\"name\":\"caf\\u00e9\\ud83d\\ude00\\n\","
			    "\"start_ns\":0,\"extra\":{}}],\"init_start_ns\":null}"),
			 0);
	assert_int_equal(bc.nsvc, 1);
	assert_string_equal(bc.svc[0].name, "caf\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_int_equal(bc.svc[0].ready_ns, BC_NONE);
	assert_int_equal(bc.svc[0].nreq, 0);
	assert_int_equal(bc.init_start_ns, BC_NONE);
	assert_int_equal(tl("{\"version\":1,\"services\":[]}"), 0);
	assert_int_equal(bc.nsvc, 0);
}

static void bad_tl(const char *json, const char *why)
{
	assert_int_equal(tl(json), -E_INVAL);
	if (!strstr(bc.error, why))
		fail_msg("'%s': error '%s' lacks '%s'", json, bc.error, why);
	assert_false(bc.have_timeline);
}

static void test_timeline_errors(void **state)
{
	(void)state;
	bad_tl("", "expected '{'");
	bad_tl("{\"version\":1", "expected ',' or '}'");
	bad_tl("{\"version\":1,}", "expected a string");
	bad_tl("{\"version\":2,\"services\":[]}", "unknown version");
	bad_tl("{\"services\":[]}", "no \"version\"");
	bad_tl("{\"version\":1}", "no \"services\"");
	bad_tl("{\"version\":1,\"services\":{}}", "not an array");
	bad_tl("{\"version\":1,\"services\":[]} x", "text after");
	bad_tl("{\"version\":1,\"services\":[{\"start_ns\":1}]}", "without a name");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\"}]}", "without start_ns");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":-1}]}", "non-negative");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":1.5}]}", "non-negative");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":99999999999999999999}]}",
	       "non-negative");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":01}]}", "leading zero");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":\"1\"}]}",
	       "expected a number");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":1,\"critical\":1}]}",
	       "true or false");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":1},"
	       "{\"name\":\"a\",\"start_ns\":2}]}",
	       "listed twice");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"0123456789012345678901234567890123\","
	       "\"start_ns\":1}]}",
	       "string too long");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\\u0000\",\"start_ns\":1}]}", "\\u0000");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\\ud800\",\"start_ns\":1}]}",
	       "surrogate");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\\udc00\",\"start_ns\":1}]}",
	       "surrogate");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\\q\",\"start_ns\":1}]}", "bad escape");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a\tb\",\"start_ns\":1}]}", "control");
	bad_tl("{\"version\":1,\"services\":[{\"name\":\"a", "unterminated");
	bad_tl("{\"version\":1,\"x\":tru}", "bad literal");
	bad_tl("{\"version\":1,\"x\":1.}", "after '.'");
	bad_tl("{\"version\":1,\"x\":1e}", "exponent");

	char deep[200];
	memset(deep, 0, sizeof deep);
	strcpy(deep, "{\"x\":");
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	bad_tl(deep, "nested too deeply");

	static char many[8192];
	strcpy(many, "{\"version\":1,\"services\":[{\"name\":\"a\",\"start_ns\":1,\"requires\":[");
	for (int i = 0; i < BC_MAX_DEPS + 1; i++)
		strcat(many, i ? ",\"d\"" : "\"d\"");
	strcat(many, "]}]}");
	bad_tl(many, "more than 16 dependencies");

	strcpy(many, "{\"version\":1,\"services\":[");
	for (int i = 0; i < BC_MAX_SERVICES + 1; i++)
		sprintf(many + strlen(many), "%s{\"name\":\"s%d\",\"start_ns\":1}", i ? "," : "",
			i);
	strcat(many, "]}");
	bad_tl(many, "more than 64 services");
}

static const char kernel_log[] = "[    0.000000] Red Bear OS booting\r\n"
				 "[    0.000000] mem: heap ready\r\n"
				 "[    0.000000] acpi: MADT: 4 CPUs\n"
				 "[    0.000000] ioapic: id 0\n"
				 "[    0.037172] time: TSC 2105.470 MHz from HPET\n"
				 "[    0.040286] sched: preemption interval 4000 us\n"
				 "[    0.057723] smp: 4 CPUs online\n"
				 "[    0.060902] redbear: ready\n"
				 "[    0.069823] init: started initfs:/bin/init as pid 1\n"
				 "[    0.071493] init: started\n";

static void test_log_phases(void **state)
{
	(void)state;
	assert_int_equal(lg(kernel_log), 0);
	assert_false(bc.have_timeline);
	assert_int_equal(bc.kernel_lines, 10);
	assert_int_equal(bc.kernel_last_ns, 71493000);
	assert_int_equal(bc.init_line_ns, 69823000);
	assert_int_equal(bc.nphase, 6);
	assert_string_equal(bc.phase[0].label, "memory");
	assert_int_equal(bc.phase[0].end_ns, 0);
	assert_string_equal(bc.phase[2].label, "timer calibration");
	assert_int_equal(bc.phase[2].start_ns, 0);
	assert_int_equal(bc.phase[2].end_ns, 40286000);
	assert_string_equal(bc.phase[3].label, "SMP bring-up");
	assert_int_equal(bc.phase[3].start_ns, 40286000);
	assert_int_equal(bc.phase[3].end_ns, 57723000);
	assert_int_equal(bc.phase[5].end_ns, 69823000);
	for (unsigned i = 1; i < bc.nphase; i++)
		assert_int_equal(bc.phase[i].start_ns, bc.phase[i - 1].end_ns);

	/* a missing milestone is skipped; an early one gives an empty phase */
	assert_int_equal(lg("[ 1.5] smp: x\n[2.000001] redbear: ready\n[1.0] init: started\n"), 0);
	assert_int_equal(bc.nphase, 3);
	assert_string_equal(bc.phase[0].label, "SMP bring-up");
	assert_int_equal(bc.phase[0].start_ns, 1500000000);
	assert_int_equal(bc.phase[1].end_ns, 2000001000);
	assert_int_equal(bc.phase[2].start_ns, 2000001000);
	assert_int_equal(bc.phase[2].end_ns, 2000001000);

	/* not stamps: no kernel lines, no phases */
	assert_int_equal(lg("[abc] smp: x\n[1.] smp: y\n[.5] smp:\n[1.5 smp:\nsmp: 1\n"
			    "[    1.1234567890] smp:\n[1234567890.5] smp:\n"),
			 0);
	assert_int_equal(bc.kernel_lines, 0);
	assert_int_equal(bc.nphase, 0);
	assert_int_equal(lg(""), 0);
	assert_int_equal(bc.nphase, 0);
}

static void test_log_timeline_and_marks(void **state)
{
	(void)state;
	assert_int_equal(lg("# host: qemu_start_to_login_ms=1234\n"
			    "[    0.1] --- boot-timeline begin ---\r\n"
			    "login: noise\n"
			    "[    0.2] {\"version\":1,\"services\":[" SVC(
				"a", "[]", "[]", "1", "2", "null") "]}\r\n"
								   "--- boot-timeline end ---\n"
								   "--- boot-timeline begin ---\n"
								   "second block ignored\n"),
			 0);
	assert_true(bc.have_timeline);
	assert_int_equal(bc.nsvc, 1);
	assert_int_equal(bc.nmark, 1);
	assert_string_equal(bc.mark[0].key, "qemu_start_to_login_ms");
	assert_int_equal(bc.mark[0].value, 1234);

	/* markers and JSON after other text on their line (a prompt without newline) */
	assert_int_equal(
	    lg("login: --- boot-timeline begin ---\nlogin: {\"version\":1,\"services\":[]}\n"
	       "x--- boot-timeline end ---\n"),
	    0);
	assert_true(bc.have_timeline);
	assert_int_equal(lg("x\n--- boot-timeline begin ---\n{\"version\":1,\"services\":[]}\n"),
			 -E_INVAL);
	assert_non_null(strstr(bc.error, "line 2: timeline begun here is never ended"));
	assert_int_equal(lg("--- boot-timeline begin ---\n--- boot-timeline end ---\n"), -E_INVAL);
	assert_non_null(strstr(bc.error, "without its JSON"));
	assert_int_equal(lg("\n\n--- boot-timeline begin ---\n{\"version\":1,\"services\":[}\n"),
			 -E_INVAL);
	assert_non_null(strstr(bc.error, "line 4: timeline JSON, byte 25"));
	assert_int_equal(lg("# host: x=abc\n"), -E_INVAL);
	assert_non_null(strstr(bc.error, "line 1: bad host mark"));
	assert_int_equal(lg("# host: =1\n"), -E_INVAL);
	assert_int_equal(lg("# host: Key=1\n"), -E_INVAL);
	assert_int_equal(lg("# host: k=\n"), -E_INVAL);
	assert_int_equal(lg("# host: k=1234567890123456789\n"), -E_INVAL);
	assert_int_equal(lg("# host: a=1\n# host: b=1\n# host: c=1\n# host: d=1\n"
			    "# host: e=1\n# host: f=1\n# host: g=1\n# host: h=1\n# host: i=1\n"),
			 -E_INVAL);
	assert_non_null(strstr(bc.error, "line 9: more than 8 host marks"));
}

static void test_critical_path(void **state)
{
	(void)state;
	/* d needs b and c; c was ready later than b; c came after a; e is
	 * ready latest but its only dependency (x) was ready after it */
	assert_int_equal(
	    tl("{\"version\":1,\"services\":[" SVC("a", "[]", "[]", "0", "10", "null") "," SVC(
		"b", "[\"a\"]", "[]", "10", "20",
		"null") "," SVC("c", "[]", "[\"a\"]", "10", "null",
				"30") "," SVC("d", "[\"b\",\"c\",\"zz\"]", "[]", "30", "40",
					      "null") "," SVC("x", "[]", "[]", "0", "90",
							      "null") "," SVC("e", "[\"d\"]",
									      "[\"x\"]", "40", "50",
									      "null") "," SVC("w",
											      "[]",
											      "[]",
											      "0",
											      "nul"
											      "l",
											      "nul"
											      "l") "]}"),
	    0);
	assert_int_equal(bc_critical_path(&bc), 1); /* x alone: nothing before it */
	assert_int_equal(bc.path[0], 4);
	assert_true(bc.svc[4].on_path);
	assert_false(bc.svc[5].on_path);

	/* without x, e is last: e <- d <- c <- a */
	bc.svc[4].ready_ns = 5;
	assert_int_equal(bc_critical_path(&bc), 4);
	assert_int_equal(bc.path[0], 0);
	assert_int_equal(bc.path[1], 2);
	assert_int_equal(bc.path[2], 3);
	assert_int_equal(bc.path[3], 5);
	assert_false(bc.svc[1].on_path);
	assert_false(bc.svc[6].on_path);

	/* a cycle of equal times ends */
	assert_int_equal(
	    tl("{\"version\":1,\"services\":[" SVC("a", "[\"b\"]", "[]", "0", "10", "null") "," SVC(
		"b", "[\"a\"]", "[]", "0", "10", "null") "]}"),
	    0);
	assert_int_equal(bc_critical_path(&bc), 2);
	/* nothing done: no path */
	assert_int_equal(
	    tl("{\"version\":1,\"services\":[" SVC("a", "[]", "[]", "0", "null", "null") "]}"), 0);
	assert_int_equal(bc_critical_path(&bc), 0);
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_render(void **state)
{
	(void)state;
	size_t len;
	char log[4096];
	static const char timeline[] =
	    "# host: qemu_start_to_login_ms=1412\n--- boot-timeline begin ---\n"
	    "{\"version\":1,\"init_start_ns\":71000000,\"settled_ns\":138000000,\"services\":[" SVC(
		"ramfsd", "[]", "[]", "72000000", "119000000",
		"null") "," SVC("l<&>\\\"'\\u00e9", "[\"ramfsd\"]", "[]", "120000000", "125000000",
				"130000000") "," SVC("w", "[]", "[]", "120000000", "null",
						     "null") "," SVC("n", "[\"w\"]", "[]", "null",
								     "null",
								     "null") "]}\n"
									     "--- boot-timeline "
									     "end ---\n";
	snprintf(log, sizeof log, "%s%s", kernel_log, timeline);
	assert_int_equal(lg(log), 0);
	assert_int_equal(bc_critical_path(&bc), 2);
	assert_int_equal(bc_svg(&bc, out, sizeof out, &len), 0);
	assert_int_equal(len, strlen(out));
	assert_int_equal(count(out, "data-service="), 4);
	assert_non_null(strstr(out, "class=\"svc notstarted\" x=\"200\""));
	assert_non_null(strstr(out, ">not started</text>"));
	assert_int_equal(count(out, "data-phase="), 6);
	assert_int_equal(count(out, "class=\"svc critical\" x="), 2);
	assert_int_equal(count(out, "class=\"link\""), 1);
	assert_non_null(strstr(out, "data-service=\"l&lt;&amp;&gt;&quot;&apos;??\""));
	assert_non_null(strstr(out, "class=\"svc waiting\""));
	assert_non_null(strstr(out, "qemu_start_to_login_ms=1412"));
	assert_non_null(strstr(out, "</svg>\n"));
	/* too small: reported, cut, terminated */
	assert_int_equal(bc_svg(&bc, out, 100, &len), -E_NOSPC);
	assert_int_equal(len, 99);
	assert_int_equal(strlen(out), 99);

	assert_int_equal(bc_summary(&bc, out, sizeof out, &len), 0);
	assert_non_null(strstr(out, "host: qemu_start_to_login_ms=1412\n"));
	assert_non_null(strstr(out, "kernel to init: 71.0 ms\n"));
	assert_non_null(strstr(out, "  * ramfsd: start 72.0 ready 119.0 exit - state ready"));
	assert_non_null(strstr(out, "critical path: ramfsd (119.0) -> l<&>\"'?? (125.0)\n"));
	assert_non_null(strstr(out, "settled: 138.0 ms\n"));

	/* the largest times: no overflow (UBSan), ms still exact */
	assert_int_equal(
	    tl("{\"version\":1,\"settled_ns\":9223372036854775807,\"services\":[" SVC(
		"big", "[]", "[]", "9223372036854775807", "9223372036854775807", "null") "]}"),
	    0);
	assert_int_equal(bc_critical_path(&bc), 1);
	assert_int_equal(bc_svg(&bc, out, sizeof out, &len), 0);
	assert_int_equal(bc_summary(&bc, out, sizeof out, &len), 0);
	assert_non_null(strstr(out, "settled: 9223372036854.8 ms\n"));

	/* no timeline: kernel phases only, said so */
	assert_int_equal(lg(kernel_log), 0);
	assert_int_equal(bc_critical_path(&bc), 0);
	assert_int_equal(bc_svg(&bc, out, sizeof out, &len), 0);
	assert_int_equal(count(out, "data-service="), 0);
	assert_non_null(strstr(out, "kernel phases only"));
	assert_int_equal(bc_summary(&bc, out, sizeof out, &len), 0);
	assert_non_null(strstr(out, "kernel to init: 69.8 ms\n"));
	assert_non_null(strstr(out, "no boot timeline in the log: kernel phases only\n"));
}

#define DRV(name, dev, start, ready, exit)                                                         \
	"{\"name\":\"" name "\",\"type\":\"driver\",\"device\":\"" dev "\",\"start_ns\":" start    \
	",\"ready_ns\":" ready ",\"exit_ns\":" exit ",\"state\":\"ready\",\"restarts\":1}"

static void test_drivers(void **state)
{
	(void)state;
	size_t len;
	/* drivers before services in the object: both kept, services first or not */
	assert_int_equal(
	    tl("{\"version\":1,\"drivers\":[" DRV(
		"virtio-blk", "0000:00:04.0", "50", "80",
		"null") "," DRV("nvme", "0001:00:05.0", "60", "null",
				"null") "],\"services\":[" SVC("a", "[]", "[]", "0", "10",
							       "null") "," SVC("dm", "[\"a\"]",
									       "[]", "10", "40",
									       "null") "],"
										       "\"drivers_"
										       "dropped\":"
										       "0}"),
	    0);
	assert_int_equal(bc.nsvc, 4);
	assert_int_equal(bc_drivers(&bc), 2);
	assert_int_equal(bc_find(&bc, "virtio-blk 00:04.0"), 0);
	assert_int_equal(bc_find(&bc, "nvme 0001:00:05.0"), 1);
	assert_string_equal(bc.svc[0].type, "driver");
	assert_int_equal(bc.svc[0].ready_ns, 80);
	assert_int_equal(bc.svc[0].restarts, 1);
	/* the virtio-blk driver was done last, but the path is the services' */
	assert_int_equal(bc_critical_path(&bc), 2);
	assert_int_equal(bc.path[1], 3);
	assert_int_equal(bc_summary(&bc, out, sizeof out, &len), 0);
	assert_non_null(strstr(out, "drivers (driver-manager's):\n    virtio-blk 00:04.0: start"));
	assert_int_equal(bc_svg(&bc, out, sizeof out, &len), 0);
	assert_non_null(strstr(out, "2 services, 2 drivers"));

	/* a driver named twice is dropped, not refused; a bad one is refused */
	assert_int_equal(tl("{\"version\":1,\"services\":[],\"drivers\":[" DRV(
			     "d", "0000:00:04.0", "1", "2", "null") "," DRV("d", "0000:00:04.0",
									    "3", "4", "null") "]}"),
			 0);
	assert_int_equal(bc.nsvc, 1);
	assert_int_equal(bc.drivers_dropped, 1);
	assert_int_equal(bc_summary(&bc, out, sizeof out, &len), 0);
	assert_non_null(strstr(out, "(1 more drivers did not fit)"));
	assert_int_equal(tl("{\"version\":1,\"services\":[],\"drivers\":{}}"), -E_INVAL);
	assert_int_equal(tl("{\"version\":1,\"services\":[],\"drivers\":[{\"name\":\"x\"}]}"),
			 -E_INVAL);
	assert_int_equal(tl("{\"version\":1,\"services\":[],\"drivers\":[],\"drivers\":[]}"),
			 -E_INVAL);
	/* more drivers than rows: the rest counted */
	char big[1 << 14];
	size_t n =
	    (size_t)snprintf(big, sizeof big, "{\"version\":1,\"services\":[],\"drivers\":[");
	for (int i = 0; i < BC_MAX_SERVICES + 5; i++)
		n += (size_t)snprintf(big + n, sizeof big - n,
				      "%s{\"name\":\"d\",\"device\":\"%d\",\"start_ns\":1}",
				      i ? "," : "", i);
	snprintf(big + n, sizeof big - n, "]}");
	assert_int_equal(tl(big), 0);
	assert_int_equal(bc.nsvc, BC_MAX_SERVICES);
	assert_int_equal(bc.drivers_dropped, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timeline_fields),
	    cmocka_unit_test(test_timeline_unknown_and_escapes),
	    cmocka_unit_test(test_timeline_errors),
	    cmocka_unit_test(test_log_phases),
	    cmocka_unit_test(test_log_timeline_and_marks),
	    cmocka_unit_test(test_critical_path),
	    cmocka_unit_test(test_render),
	    cmocka_unit_test(test_drivers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
