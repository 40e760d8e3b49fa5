/*
 * test_logring.c - the log line ring: line formatting and names, partial
 * lines across writes and per writer, the cut of an overlong line,
 * sanitising of control and 8-bit bytes, dropping the oldest lines and the
 * drop note for a reader that fell behind, whole-line reads and small
 * buffers, readers that start at the newest line, and the stream offsets
 * wrapping around the buffer many times.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "base/logring.h"

static char store[LOGRING_MIN_SIZE * 4];
static struct logring ring;
static char out[8192];

static void fresh(size_t size)
{
	assert_int_equal(logring_init(&ring, store, size), 0);
}

static void writer(struct logring_writer *w, const char *name)
{
	logring_writer_init(w, name, strlen(name));
}

static size_t put(struct logring_writer *w, const char *s, uint64_t ns)
{
	return logring_write(&ring, w, s, strlen(s), ns);
}

/* Everything rd can read now, NUL-terminated in out. */
static const char *drain(struct logring_reader *rd)
{
	size_t pos = 0;
	long n;
	while ((n = logring_read(&ring, rd, out + pos, sizeof out - 1 - pos)) > 0)
		pos += (size_t)n;
	assert_true(n == 0 || pos + LOGRING_READ_MIN > sizeof out - 1);
	out[pos] = '\0';
	return out;
}

static void test_init(void **state)
{
	assert_int_equal(logring_init(&ring, store, LOGRING_MIN_SIZE - 1), -E_INVAL);
	assert_int_equal(logring_init(&ring, NULL, LOGRING_MIN_SIZE), -E_INVAL);
	fresh(LOGRING_MIN_SIZE);
	struct logring_reader rd;
	logring_reader_oldest(&ring, &rd);
	assert_false(logring_readable(&ring, &rd));
	assert_int_equal(logring_read(&ring, &rd, out, sizeof out), 0);
	assert_int_equal(logring_read(&ring, &rd, out, LOGRING_READ_MIN - 1), -E_INVAL);
}

static void test_format(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	fresh(sizeof store);
	writer(&w, "init");
	assert_int_equal(put(&w, "hello\n", 12345678901ull), 1);
	assert_int_equal(put(&w, "a\tb\nc\n", 0), 2);
	assert_int_equal(put(&w, "\n", 1000000000ull * 99999 + 999999999), 1);
	logring_reader_oldest(&ring, &rd);
	assert_true(logring_readable(&ring, &rd));
	assert_string_equal(drain(&rd), "[   12.345678] init: hello\n"
					"[    0.000000] init: a\tb\n"
					"[    0.000000] init: c\n"
					"[99999.999999] init: \n");
	assert_false(logring_readable(&ring, &rd));
	assert_int_equal(ring.next_seq, 4);
	assert_int_equal(rd.seq, 4);
}

static void test_partial_per_writer(void **state)
{
	struct logring_writer a, b;
	struct logring_reader rd;
	fresh(sizeof store);
	writer(&a, "a");
	writer(&b, "b");
	logring_reader_oldest(&ring, &rd);
	assert_int_equal(put(&a, "one ", 1000), 0);
	assert_int_equal(put(&b, "two", 2000), 0);
	assert_false(logring_readable(&ring, &rd)); /* nothing whole yet */
	assert_int_equal(put(&b, "\nthree", 3000), 1);
	assert_int_equal(put(&a, "half\n", 4000), 1);
	/* a's line carries the time its first byte came */
	assert_string_equal(drain(&rd), "[    0.000002] b: two\n"
					"[    0.000001] a: one half\n");
	assert_int_equal(logring_flush(&ring, &a), 0);
	assert_int_equal(logring_flush(&ring, &b), 1);
	assert_string_equal(drain(&rd), "[    0.000003] b: three\n");
}

static void test_names(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	fresh(sizeof store);
	logring_writer_init(&w, "", 0);
	assert_string_equal(w.name, "?");
	logring_writer_init(&w, "ev\nil\x1b[2J", 9);
	assert_string_equal(w.name, "ev?il?[2J");
	char longname[64];
	memset(longname, 'n', sizeof longname);
	logring_writer_init(&w, longname, sizeof longname);
	assert_int_equal(strlen(w.name), LOGRING_NAME_MAX);
	logring_reader_oldest(&ring, &rd);
	put(&w, "x\n", 0);
	assert_non_null(strstr(drain(&rd), "] nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn: x\n"));
}

static void test_sanitise(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	fresh(sizeof store);
	writer(&w, "evil");
	logring_reader_oldest(&ring, &rd);
	const char bytes[] = "a\rb\x1b[31mred\x7f\x80\xff\x9b"
			     "0\x01\x08\x0b\x0c\t~\n";
	assert_int_equal(logring_write(&ring, &w, bytes, sizeof bytes - 1, 0), 1);
	/* a NUL inside a write is one more byte to replace */
	assert_int_equal(logring_write(&ring, &w, "x\0y\n", 4, 0), 1);
	assert_string_equal(drain(&rd), "[    0.000000] evil: a?b?[31mred????0????\t~\n"
					"[    0.000000] evil: x?y\n");
	/* a forged line start stays inside one line */
	put(&w, "ok\r[    1.000000] init: root login\n", 0);
	const char *s = drain(&rd);
	assert_string_equal(s, "[    0.000000] evil: ok?[    1.000000] init: root login\n");
}

static void test_cut(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	char text[LOGRING_TEXT_MAX + 11];
	fresh(sizeof store);
	writer(&w, "w");
	logring_reader_oldest(&ring, &rd);
	/* exactly LOGRING_TEXT_MAX bytes then '\n': not cut */
	memset(text, 'x', LOGRING_TEXT_MAX);
	text[LOGRING_TEXT_MAX] = '\n';
	assert_int_equal(logring_write(&ring, &w, text, LOGRING_TEXT_MAX + 1, 0), 1);
	const char *s = drain(&rd);
	assert_null(strstr(s, LOGRING_CUT_MARK));
	assert_int_equal(strlen(s), strlen("[    0.000000] w: \n") + LOGRING_TEXT_MAX);
	/* ten more: cut after LOGRING_TEXT_MAX, the rest is a line of its own */
	memset(text, 'y', sizeof text);
	text[sizeof text - 1] = '\n';
	for (size_t i = 0; i < sizeof text; i++) /* one byte per write */
		logring_write(&ring, &w, text + i, 1, 0);
	s = drain(&rd);
	char want[LOGRING_LINE_MAX * 2];
	snprintf(want, sizeof want,
		 "[    0.000000] w: %.*s" LOGRING_CUT_MARK "\n"
		 "[    0.000000] w: yyyyyyyyyy\n",
		 LOGRING_TEXT_MAX, text);
	assert_string_equal(s, want);
	assert_int_equal(ring.next_seq, 3);
}

static void test_drop(void **state)
{
	struct logring_writer w;
	struct logring_reader old, slow;
	char line[64];
	fresh(LOGRING_MIN_SIZE);
	writer(&w, "w");
	logring_reader_oldest(&ring, &old);
	logring_reader_oldest(&ring, &slow);
	put(&w, "first\n", 0);
	long n = logring_read(&ring, &slow, out, sizeof out);
	assert_int_equal(n, strlen("[    0.000000] w: first\n"));
	/* lines of 25 bytes: "[    0.000000] w: NNNNNN\n" */
	for (int i = 0; i < 100; i++) {
		snprintf(line, sizeof line, "%06d\n", i);
		put(&w, line, 0);
	}
	/* 768 bytes hold 30 lines of 25: the first 71 of the 101 went */
	assert_int_equal(ring.dropped, 71);
	assert_int_equal(ring.first_seq, 71);
	const char *s = drain(&old);
	assert_true(strncmp(s, "... 71 lines dropped\n[    0.000000] w: 000070\n", 46) == 0);
	assert_non_null(strstr(s, "w: 000099\n"));
	assert_int_equal(strlen(s), strlen("... 71 lines dropped\n") + 30 * 25);
	s = drain(&slow);
	assert_true(strncmp(s, "... 70 lines dropped\n", 21) == 0);
	assert_false(logring_readable(&ring, &old));
	/* a reader that is caught up reads no note */
	put(&w, "last\n", 0);
	assert_string_equal(drain(&old), "[    0.000000] w: last\n");
}

static void test_small_reads(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	char text[200];
	fresh(sizeof store);
	writer(&w, "w");
	logring_reader_oldest(&ring, &rd);
	put(&w, "aa\nbb\n", 0);
	/* whole lines only: 64 bytes hold two of 21 */
	long n = logring_read(&ring, &rd, out, LOGRING_READ_MIN);
	assert_int_equal(n, 42);
	assert_false(rd.mid);
	memset(text, 'z', sizeof text);
	text[sizeof text - 1] = '\n';
	logring_write(&ring, &w, text, sizeof text, 0);
	/* a line longer than the buffer comes in parts */
	n = logring_read(&ring, &rd, out, LOGRING_READ_MIN);
	assert_int_equal(n, LOGRING_READ_MIN);
	assert_true(rd.mid);
	assert_int_equal(rd.seq, 2);
	size_t total = (size_t)n;
	while ((n = logring_read(&ring, &rd, out, LOGRING_READ_MIN)) > 0)
		total += (size_t)n;
	assert_int_equal(total, strlen("[    0.000000] w: \n") + sizeof text - 1);
	assert_false(rd.mid);
	assert_int_equal(rd.seq, 3);
}

static void test_drop_mid_line(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	char text[200];
	fresh(LOGRING_MIN_SIZE);
	writer(&w, "w");
	logring_reader_oldest(&ring, &rd);
	memset(text, 'z', sizeof text);
	text[sizeof text - 1] = '\n';
	logring_write(&ring, &w, text, sizeof text, 0);
	assert_int_equal(logring_read(&ring, &rd, out, LOGRING_READ_MIN), LOGRING_READ_MIN);
	for (int i = 0; i < 10; i++)
		logring_write(&ring, &w, text, sizeof text, 0);
	long n = logring_read(&ring, &rd, out, sizeof out);
	assert_true(n > 0);
	out[n] = '\0';
	/* the note starts on a line of its own and counts the half-read line */
	assert_true(strncmp(out, "\n... 8 lines dropped\n[", 22) == 0);
	assert_false(rd.mid);
}

static void test_newest(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	fresh(sizeof store);
	writer(&w, "w");
	put(&w, "before\n", 0);
	logring_reader_newest(&ring, &rd);
	assert_false(logring_readable(&ring, &rd));
	put(&w, "after\n", 0);
	assert_true(logring_readable(&ring, &rd));
	assert_string_equal(drain(&rd), "[    0.000000] w: after\n");
}

static void test_wrap_many_times(void **state)
{
	struct logring_writer w;
	struct logring_reader rd;
	char line[64];
	fresh(LOGRING_MIN_SIZE + 7); /* a size no line length divides */
	writer(&w, "wrap");
	logring_reader_oldest(&ring, &rd);
	for (int i = 0; i < 5000; i++) {
		snprintf(line, sizeof line, "%d %.*s\n", i, i % 40,
			 "0123456789012345678901234567890123456789");
		put(&w, line, (uint64_t)i * 1000);
		long n = logring_read(&ring, &rd, out, sizeof out);
		assert_true(n > 0);
		out[n] = '\0';
		char want[128];
		snprintf(want, sizeof want, "[    0.%06d] wrap: %s", i, line);
		assert_string_equal(out, want);
		assert_true(ring.head - ring.tail <= ring.size);
	}
	assert_int_equal(ring.next_seq, 5000);
	assert_true(ring.dropped > 4000);
	assert_int_equal(ring.next_seq - ring.first_seq + ring.dropped, 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_partial_per_writer),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_sanitise),
	    cmocka_unit_test(test_cut),
	    cmocka_unit_test(test_drop),
	    cmocka_unit_test(test_small_reads),
	    cmocka_unit_test(test_drop_mid_line),
	    cmocka_unit_test(test_newest),
	    cmocka_unit_test(test_wrap_many_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
