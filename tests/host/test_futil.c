/*
 * test_futil.c - the pure parts of the file utilities (lib/futil): the
 * ls -l mode string, dd's numbers and operands, hexdump's two formats and
 * "*" squeezing (expected texts produced once by util-linux 2.38's
 * hexdump on the same inputs), and sha256sum -c list lines.
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
#include "futil/futil.h"

static void expect_mode(unsigned int mode, const char *want)
{
	char s[FUTIL_MODE_STR_LEN + 1];
	futil_mode_string(mode, s);
	assert_string_equal(s, want);
}

static void test_mode_string(void **state)
{
	expect_mode(0040755, "drwxr-xr-x");
	expect_mode(0100644, "-rw-r--r--");
	expect_mode(0100600, "-rw-------");
	expect_mode(0041777, "drwxrwxrwt");
	expect_mode(0041770, "drwxrwx--T");
	expect_mode(0104755, "-rwsr-xr-x");
	expect_mode(0104644, "-rwSr--r--");
	expect_mode(0102755, "-rwxr-sr-x");
	expect_mode(0102745, "-rwxr-Sr-x");
	expect_mode(0020620, "crw--w----");
	expect_mode(0010600, "prw-------");
	expect_mode(0000777, "?rwxrwxrwx");
	expect_mode(0100000, "----------");
}

static void expect_size(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	assert_int_equal(dd_parse_size(s, &v), 0);
	assert_true(v == want);
}

static void test_dd_size(void **state)
{
	uint64_t v;
	expect_size("0", 0);
	expect_size("17", 17);
	expect_size("3c", 3);
	expect_size("3w", 6);
	expect_size("2b", 1024);
	expect_size("4K", 4096);
	expect_size("4k", 4096);
	expect_size("1M", 1048576);
	expect_size("2G", 2147483648ull);
	expect_size("1kB", 1000);
	expect_size("3MB", 3000000);
	expect_size("1GB", 1000000000);
	expect_size("18446744073709551615", UINT64_MAX);
	assert_int_equal(dd_parse_size("", &v), -E_INVAL);
	assert_int_equal(dd_parse_size("K", &v), -E_INVAL);
	assert_int_equal(dd_parse_size("-1", &v), -E_INVAL);
	assert_int_equal(dd_parse_size("1x", &v), -E_INVAL);
	assert_int_equal(dd_parse_size("1KK", &v), -E_INVAL);
	assert_int_equal(dd_parse_size(" 1", &v), -E_INVAL);
	assert_int_equal(dd_parse_size("1 ", &v), -E_INVAL);
	assert_int_equal(dd_parse_size("18446744073709551616", &v), -E_RANGE);
	assert_int_equal(dd_parse_size("18014398509481984K", &v), -E_RANGE);
	assert_int_equal(dd_parse_size("99999999999999999999999x", &v), -E_INVAL);
}

static void test_dd_operands(void **state)
{
	struct dd_args a;
	dd_args_init(&a);
	assert_true(a.bs == 512 && !a.in && !a.out && !a.has_count && !a.skip && !a.seek);
	assert_int_equal(dd_parse_operand(&a, "if=/a/b"), 0);
	assert_int_equal(dd_parse_operand(&a, "of=x=y"), 0);
	assert_int_equal(dd_parse_operand(&a, "bs=4K"), 0);
	assert_int_equal(dd_parse_operand(&a, "count=3"), 0);
	assert_int_equal(dd_parse_operand(&a, "skip=2"), 0);
	assert_int_equal(dd_parse_operand(&a, "seek=1b"), 0);
	assert_int_equal(dd_parse_operand(&a, "status=none"), 0);
	assert_string_equal(a.in, "/a/b");
	assert_string_equal(a.out, "x=y");
	assert_true(a.bs == 4096 && a.count == 3 && a.has_count && a.skip == 2 && a.seek == 512);
	assert_true(a.quiet);
	assert_int_equal(dd_parse_operand(&a, "count=0"), 0);
	assert_true(a.count == 0 && a.has_count);

	assert_int_equal(dd_parse_operand(&a, "bs=0"), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "bs=65M"), -E_RANGE);
	assert_int_equal(dd_parse_operand(&a, "bs=64M"), 0);
	assert_int_equal(dd_parse_operand(&a, "bs=4Q"), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "ibs=4"), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "bs"), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "bsx=1"), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "if="), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "status=loud"), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "count="), -E_INVAL);
	assert_int_equal(dd_parse_operand(&a, "=1"), -E_INVAL);
	assert_true(a.bs == 64ull << 20 && a.count == 0);
}

struct sink {
	char buf[4096];
	size_t len;
};

static void sink_emit(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;
	assert_true(k->len + n < sizeof k->buf);
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

/* Dump data in pieces of step bytes (0: in one piece). */
static void dump(const uint8_t *data, size_t len, int canon, size_t step, struct sink *k)
{
	struct hexdump h;
	k->len = 0;
	k->buf[0] = '\0';
	hexdump_init(&h, canon, sink_emit, k);
	if (!step)
		step = len ? len : 1;
	for (size_t i = 0; i < len; i += step)
		hexdump_feed(&h, data + i, len - i < step ? len - i : step);
	hexdump_finish(&h);
}

struct hd_case {
	const char *name;
	size_t len;
	const char *canon, *plain;
};

/* Inputs: hd_input() builds them from the name. Outputs: util-linux hexdump (-C and none). */
static const struct hd_case hd_cases[] = {
    {"hello", 6, "00000000  68 65 6c 6c 6f 0a                                 |hello.|\n00000006\n",
     "0000000 6568 6c6c 0a6f                         \n0000006\n"},
    {"one", 1, "00000000  61                                                |a|\n00000001\n",
     "0000000 0061                                   \n0000001\n"},
    {"ramp40", 40,
     "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
     "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|\n"
     "00000020  20 21 22 23 24 25 26 27                           | !\"#$%&'|\n"
     "00000028\n",
     "0000000 0100 0302 0504 0706 0908 0b0a 0d0c 0f0e\n"
     "0000010 1110 1312 1514 1716 1918 1b1a 1d1c 1f1e\n"
     "0000020 2120 2322 2524 2726                    \n"
     "0000028\n"},
    {"runs", 93,
     "00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n"
     "*\n"
     "00000020  41 41 41 41 41 41 41 41  42 42 42 42 42 42 42 42  |AAAAAAAABBBBBBBB|\n"
     "00000030  42 42 42 42 42 42 42 42  41 41 41 41 41 41 41 41  |BBBBBBBBAAAAAAAA|\n"
     "00000040  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n"
     "00000050  41 41 41 41 41 41 41 41  00 ff 7f 20 7e           |AAAAAAAA... ~|\n"
     "0000005d\n",
     "0000000 4141 4141 4141 4141 4141 4141 4141 4141\n"
     "*\n"
     "0000020 4141 4141 4141 4141 4242 4242 4242 4242\n"
     "0000030 4242 4242 4242 4242 4141 4141 4141 4141\n"
     "0000040 4141 4141 4141 4141 4141 4141 4141 4141\n"
     "0000050 4141 4141 4141 4141 ff00 207f 007e     \n"
     "000005d\n"},
    {"same48", 48,
     "00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n"
     "*\n"
     "00000030\n",
     "0000000 4141 4141 4141 4141 4141 4141 4141 4141\n"
     "*\n"
     "0000030\n"},
    {"zeros101", 101,
     "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
     "*\n"
     "00000060  00 00 00 00 78                                    |....x|\n"
     "00000065\n",
     "0000000 0000 0000 0000 0000 0000 0000 0000 0000\n"
     "*\n"
     "0000060 0000 0000 0078                         \n"
     "0000065\n"},
    {"empty", 0, "", ""},
};

static void hd_input(const char *name, uint8_t *b, size_t len)
{
	if (!strcmp(name, "hello"))
		memcpy(b, "hello\n", 6);
	else if (!strcmp(name, "one"))
		b[0] = 'a';
	else if (!strcmp(name, "ramp40"))
		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)i;
	else if (!strcmp(name, "runs")) {
		memset(b, 'A', 40);
		memset(b + 40, 'B', 16);
		memset(b + 56, 'A', 32);
		memcpy(b + 88, "\x00\xff\x7f ~", 5);
	} else if (!strcmp(name, "same48"))
		memset(b, 'A', 48);
	else if (!strcmp(name, "zeros101")) {
		memset(b, 0, 100);
		b[100] = 'x';
	}
}

static void test_hexdump_formats(void **state)
{
	static const size_t steps[] = {0, 1, 3, 16, 17};
	struct sink k;
	for (size_t c = 0; c < sizeof hd_cases / sizeof hd_cases[0]; c++) {
		const struct hd_case *t = &hd_cases[c];
		uint8_t in[128];
		hd_input(t->name, in, t->len);
		for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
			dump(in, t->len, 1, steps[s], &k);
			assert_string_equal(k.buf, t->canon);
			dump(in, t->len, 0, steps[s], &k);
			assert_string_equal(k.buf, t->plain);
		}
	}
}

static void test_hexdump_long_offset(void **state)
{
	char out[HEXDUMP_LINE_MAX];
	uint8_t b[16];
	memset(b, 0x7e, sizeof b);
	size_t n = hexdump_format_line(1, 0x123456789abull, b, 16, out);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "123456789ab  7e 7e 7e 7e 7e 7e 7e 7e  7e 7e 7e 7e 7e 7e 7e 7e  "
				 "|~~~~~~~~~~~~~~~~|\n");
	n = hexdump_format_line(1, UINT64_MAX, b, 16, out);
	assert_true(n < HEXDUMP_LINE_MAX);
	n = hexdump_format_end(0, UINT64_MAX, out);
	assert_string_equal(out, "ffffffffffffffff\n");
}

static const char abc_hex[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void expect_line(const char *line, const char *want_name)
{
	uint8_t d[32];
	const char *name = NULL;
	size_t nlen = 0;
	assert_int_equal(sumline_parse(line, strlen(line), d, &name, &nlen), 0);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[31], 0xad);
	assert_int_equal(nlen, strlen(want_name));
	assert_memory_equal(name, want_name, nlen);
}

static void expect_bad(const char *line)
{
	uint8_t d[32];
	const char *name;
	size_t nlen;
	assert_int_equal(sumline_parse(line, strlen(line), d, &name, &nlen), -E_INVAL);
}

static void test_sumline(void **state)
{
	char line[256];
	snprintf(line, sizeof line, "%s  abc.txt", abc_hex);
	expect_line(line, "abc.txt");
	snprintf(line, sizeof line, "%s *a b", abc_hex);
	expect_line(line, "a b");
	snprintf(line, sizeof line, "%s  /tmp/x\r", abc_hex);
	expect_line(line, "/tmp/x");
	snprintf(line, sizeof line, "%s  -", abc_hex);
	expect_line(line, "-");
	snprintf(line, sizeof line, "SHA256 (f (1)) = %s", abc_hex);
	expect_line(line, "f (1)");
	snprintf(line, sizeof line,
		 "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD  U");
	expect_line(line, "U");

	expect_bad("");
	expect_bad("hello");
	snprintf(line, sizeof line, "%s  ", abc_hex);
	expect_bad(line); /* no name */
	snprintf(line, sizeof line, "%s x", abc_hex);
	expect_bad(line); /* one space, then not a space or '*' */
	snprintf(line, sizeof line, "%.63s  x", abc_hex);
	expect_bad(line); /* 63 digits */
	snprintf(line, sizeof line, "%.63sg  x", abc_hex);
	expect_bad(line); /* not hex */
	snprintf(line, sizeof line, "SHA256 () = %s", abc_hex);
	expect_bad(line);
	snprintf(line, sizeof line, "SHA256 (x) %s", abc_hex);
	expect_bad(line);
	expect_bad("SHA256 (x) = 12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mode_string),		cmocka_unit_test(test_dd_size),
	    cmocka_unit_test(test_dd_operands),		cmocka_unit_test(test_hexdump_formats),
	    cmocka_unit_test(test_hexdump_long_offset), cmocka_unit_test(test_sumline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
