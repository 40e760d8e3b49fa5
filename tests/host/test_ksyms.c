/*
 * test_ksyms.c - ksyms_lookup and ksyms_check on tables built here in the
 * layout gen-ksyms.py emits: addresses before the first symbol, exactly at
 * and inside symbols, in gaps after sized symbols, past the last symbol,
 * the empty table, and corrupt tables (short, count too large, name offsets
 * out of range, names without NUL, unsorted entries).
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
#include "base/ksyms.h"

struct sym {
	uint64_t addr;
	uint32_t size;
	const char *name;
};

static uint8_t tab[8192];

/* Write a table of the n symbols into tab; returns its length. */
static size_t build(const struct sym *s, size_t n)
{
	uint64_t cnt = n;
	size_t str = KSYMS_HDR + n * KSYMS_ENTRY, i;

	memset(tab, 0, sizeof(tab));
	memcpy(tab, &cnt, 8);
	for (i = 0; i < n; i++) {
		uint8_t *e = tab + KSYMS_HDR + i * KSYMS_ENTRY;
		uint32_t off = (uint32_t)str;

		memcpy(e, &s[i].addr, 8);
		memcpy(e + 8, &off, 4);
		memcpy(e + 12, &s[i].size, 4);
		strcpy((char *)tab + str, s[i].name);
		str += strlen(s[i].name) + 1;
	}
	return str;
}

static const struct sym syms[] = {
    {0xffffffff80100000ULL, 0x40, "_start"},
    {0xffffffff80100040ULL, 0, "kmain"},
    {0xffffffff80100100ULL, 0x20, "panic"},
    {0xffffffff80100200ULL, 0x10, "idle"},
};

static void expect(size_t len, uint64_t addr, const char *name, uint64_t off)
{
	const char *n = NULL;
	uint64_t o = 99;

	assert_int_equal(ksyms_lookup(tab, len, addr, &n, &o), 0);
	assert_string_equal(n, name);
	assert_int_equal(o, off);
}

static void test_lookup(void **state)
{
	size_t len = build(syms, 4);
	const char *n;
	uint64_t o;

	assert_int_equal(ksyms_check(tab, len), 0);
	/* before the first symbol */
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff800fffffULL, &n, &o), -E_NOENT);
	assert_int_equal(ksyms_lookup(tab, len, 0, &n, &o), -E_NOENT);
	/* exactly at, inside, last byte */
	expect(len, 0xffffffff80100000ULL, "_start", 0);
	expect(len, 0xffffffff80100010ULL, "_start", 0x10);
	expect(len, 0xffffffff8010003fULL, "_start", 0x3f);
	expect(len, 0xffffffff80100040ULL, "kmain", 0);
	/* size 0: the symbol extends to the next one */
	expect(len, 0xffffffff801000ffULL, "kmain", 0xbf);
	expect(len, 0xffffffff80100100ULL, "panic", 0);
	/* gap after a sized symbol */
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff80100120ULL, &n, &o), -E_NOENT);
	expect(len, 0xffffffff80100200ULL, "idle", 0);
	expect(len, 0xffffffff8010020fULL, "idle", 0xf);
	/* past the last symbol */
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff80100210ULL, &n, &o), -E_NOENT);
	assert_int_equal(ksyms_lookup(tab, len, UINT64_MAX, &n, &o), -E_NOENT);
}

static void test_unsized_last(void **state)
{
	struct sym s[] = {{0x1000, 0, "a"}, {0x2000, 0, "b"}};
	size_t len = build(s, 2);

	expect(len, 0x1fff, "a", 0xfff);
	expect(len, 0x2000, "b", 0);
	expect(len, UINT64_MAX, "b", UINT64_MAX - 0x2000);
}

static void test_single_and_empty(void **state)
{
	struct sym s[] = {{0x1000, 8, "only"}};
	size_t len = build(s, 1);
	const char *n;
	uint64_t o;

	expect(len, 0x1007, "only", 7);
	assert_int_equal(ksyms_lookup(tab, len, 0x1008, &n, &o), -E_NOENT);
	assert_int_equal(ksyms_lookup(tab, len, 0xfff, &n, &o), -E_NOENT);
	len = build(s, 0);
	assert_int_equal(len, 8);
	assert_int_equal(ksyms_check(tab, len), 0);
	assert_int_equal(ksyms_lookup(tab, len, 0x1000, &n, &o), -E_NOENT);
}

static void test_many(void **state)
{
	static struct sym s[200];
	static char names[200][8];
	size_t i, len;

	for (i = 0; i < 200; i++) {
		s[i].addr = 0x1000 + i * 0x10;
		s[i].size = 0x8;
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
		s[i].name = names[i];
	}
	len = build(s, 200);
	assert_int_equal(ksyms_check(tab, len), 0);
	for (i = 0; i < 200; i++) {
		const char *n;
		uint64_t o;

		expect(len, s[i].addr + 7, names[i], 7);
		assert_int_equal(ksyms_lookup(tab, len, s[i].addr + 8, &n, &o), -E_NOENT);
	}
}

static void test_corrupt(void **state)
{
	size_t len = build(syms, 4);
	const char *n;
	uint64_t o, big = 1000;
	uint32_t off;

	/* too short for a header, NULL table */
	assert_int_equal(ksyms_lookup(tab, 7, 0xffffffff80100000ULL, &n, &o), -E_INVAL);
	assert_int_equal(ksyms_lookup(NULL, 0, 0, &n, &o), -E_INVAL);
	assert_int_equal(ksyms_check(tab, 7), -E_INVAL);
	/* entries cut off by table_len */
	assert_int_equal(ksyms_lookup(tab, KSYMS_HDR + 3 * KSYMS_ENTRY, 0, &n, &o), -E_INVAL);
	/* names cut off: last name has no NUL within table_len */
	assert_int_equal(ksyms_lookup(tab, len - 1, 0xffffffff80100200ULL, &n, &o), -E_INVAL);
	assert_int_equal(ksyms_check(tab, len - 1), -E_INVAL);
	/* count far too large (would overflow count * 16) */
	memcpy(tab, &big, 8);
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff80100000ULL, &n, &o), -E_INVAL);
	big = UINT64_MAX / 2;
	memcpy(tab, &big, 8);
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff80100000ULL, &n, &o), -E_INVAL);
	assert_int_equal(ksyms_check(tab, len), -E_INVAL);

	/* a name offset pointing into the entries or past the end */
	len = build(syms, 4);
	off = 12;
	memcpy(tab + KSYMS_HDR + 8, &off, 4);
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff80100000ULL, &n, &o), -E_INVAL);
	assert_int_equal(ksyms_check(tab, len), -E_INVAL);
	off = (uint32_t)len;
	memcpy(tab + KSYMS_HDR + 8, &off, 4);
	assert_int_equal(ksyms_lookup(tab, len, 0xffffffff80100000ULL, &n, &o), -E_INVAL);
	/* other entries still work */
	expect(len, 0xffffffff80100100ULL, "panic", 0);

	/* unsorted: check refuses; lookup returns something without faulting */
	len = build(syms, 4);
	memcpy(tab + KSYMS_HDR + 2 * KSYMS_ENTRY, &syms[0].addr, 8);
	assert_int_equal(ksyms_check(tab, len), -E_INVAL);
	(void)!ksyms_lookup(tab, len, 0xffffffff80100100ULL, &n, &o);
}

/* Random bytes never fault (ASan watches the heap copy exactly len long). */
static void test_garbage(void **state)
{
	int round;

	srand(3);
	for (round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand() % 200), i;
		uint8_t *b = malloc(len ? len : 1);
		const char *n;
		uint64_t o, cnt = (uint64_t)(rand() % 12);

		for (i = 0; i < len; i++)
			b[i] = (uint8_t)(rand() % 4 ? rand() : 0);
		if (len >= 8)
			memcpy(b, &cnt, 8);
		(void)!ksyms_check(b, len);
		(void)!ksyms_lookup(b, len, (uint64_t)rand() * rand(), &n, &o);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookup),	     cmocka_unit_test(test_unsized_last),
	    cmocka_unit_test(test_single_and_empty), cmocka_unit_test(test_many),
	    cmocka_unit_test(test_corrupt),	     cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
