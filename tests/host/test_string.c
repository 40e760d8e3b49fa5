/*
 * test_string.c - lib/libc/string.c against the host C library.
 *
 * The freestanding string.c is compiled into this test under rb_* names
 * (the host's <string.h> is included first, so string.c's own include adds
 * nothing), then memcpy, memmove and memset are run on every small size and
 * on random sizes, alignments and overlaps, and compared byte for byte with
 * glibc on a copy of the same buffer, guard bytes around the target
 * included, and the direction flag is clear after a backward memmove.
 * The string search and compare functions get table cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/compiler.h"

#define memcpy rb_memcpy
#define memmove rb_memmove
#define memset rb_memset
#define memcmp rb_memcmp
#define memchr rb_memchr
#define strlen rb_strlen
#define strnlen rb_strnlen
#define strcmp rb_strcmp
#define strncmp rb_strncmp
#define strchr rb_strchr
#define strrchr rb_strrchr
#define strcpy rb_strcpy
#define strspn rb_strspn
#include "../../lib/libc/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strcpy
#undef strspn

#define BUF 4096
#define RANDOM_ROUNDS 4000

static unsigned char got[BUF], want[BUF];

static void fill_random(void)
{
	for (size_t i = 0; i < BUF; i++)
		got[i] = want[i] = (unsigned char)rand();
}

/* A random size: mostly small, sometimes up to a few KiB. */
static size_t random_size(void)
{
	switch (rand() % 4) {
	case 0:
		return rand() % 16;
	case 1:
		return rand() % 80;
	default:
		return rand() % (BUF / 2 - 1);
	}
}

static void test_memcpy_sizes_alignments(void **state)
{
	for (size_t n = 0; n < 160; n++)
		for (size_t da = 0; da < 8; da++)
			for (size_t sa = 0; sa < 8; sa += 3) {
				fill_random();
				void *r = rb_memcpy(got + 64 + da, got + 2048 + sa, n);
				memcpy(want + 64 + da, want + 2048 + sa, n);
				assert_ptr_equal(r, got + 64 + da);
				assert_memory_equal(got, want, BUF);
			}
}

static void test_memcpy_random(void **state)
{
	srand(1);
	for (int i = 0; i < RANDOM_ROUNDS; i++) {
		fill_random();
		size_t n = random_size();
		size_t d = rand() % (BUF / 2 - n), s = BUF / 2 + rand() % (BUF / 2 - n);
		rb_memcpy(got + d, got + s, n);
		memcpy(want + d, want + s, n);
		assert_memory_equal(got, want, BUF);
	}
}

static void check_memmove(size_t d, size_t s, size_t n)
{
	fill_random();
	void *r = rb_memmove(got + d, got + s, n);
	memmove(want + d, want + s, n);
	assert_ptr_equal(r, got + d);
	assert_memory_equal(got, want, BUF);
}

static void test_memmove_overlaps(void **state)
{
	/* every distance up to 17 either way, every size up to three 64-byte
	   blocks, every alignment */
	for (size_t n = 0; n < 200; n++)
		for (size_t dist = 0; dist < 18; dist++)
			for (size_t a = 0; a < 8; a++) {
				check_memmove(100 + a + dist, 100 + a, n);
				check_memmove(100 + a, 100 + a + dist, n);
			}
}

/* The direction flag (RFLAGS bit 10) after a call: the ABI wants it clear. */
static bool df_set(void)
{
	uint64_t fl;
	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	return fl & (1u << 10);
}

/* A backward copy (destination above an overlapping source) sets DF for its
   string instructions and must clear it again, whatever the size. */
static void test_memmove_down_clears_df(void **state)
{
	size_t sizes[] = {1, 7, 31, 32, 100, 1000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		fill_random();
		rb_memmove(got + 203, got + 200, sizes[i]);
		assert_false(df_set());
	}
}

static void test_memmove_random(void **state)
{
	srand(2);
	for (int i = 0; i < RANDOM_ROUNDS; i++) {
		size_t n = random_size();
		size_t d = rand() % (BUF - n), s = rand() % (BUF - n);
		check_memmove(d, s, n);
	}
}

static void test_memset_sizes_alignments(void **state)
{
	srand(3);
	for (size_t n = 0; n < 160; n++)
		for (size_t a = 0; a < 8; a++) {
			fill_random();
			int c = rand() % 512 - 128; /* only the low byte counts */
			void *r = rb_memset(got + 64 + a, c, n);
			memset(want + 64 + a, c, n);
			assert_ptr_equal(r, got + 64 + a);
			assert_memory_equal(got, want, BUF);
		}
	for (int i = 0; i < RANDOM_ROUNDS; i++) {
		fill_random();
		size_t n = random_size(), d = rand() % (BUF - n);
		int c = rand();
		rb_memset(got + d, c, n);
		memset(want + d, c, n);
		assert_memory_equal(got, want, BUF);
	}
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_compare_and_search(void **state)
{
	static const char *const strs[] = {"", "a", "ab", "abc", "abd", "b", "\x80", "abc\x7f"};
	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		const char *a = strs[i];
		assert_int_equal(rb_strlen(a), strlen(a));
		assert_int_equal(rb_strnlen(a, 2), strnlen(a, 2));
		assert_ptr_equal(rb_strchr(a, 'b'), strchr(a, 'b'));
		assert_ptr_equal(rb_strchr(a, 0), strchr(a, 0));
		assert_ptr_equal(rb_strrchr(a, 'a'), strrchr(a, 'a'));
		assert_int_equal(rb_strspn(a, "ab"), strspn(a, "ab"));
		assert_ptr_equal(rb_memchr(a, 'c', strlen(a)), memchr(a, 'c', strlen(a)));
		for (size_t j = 0; j < ARRAY_SIZE(strs); j++) {
			const char *b = strs[j];
			assert_int_equal(sign(rb_strcmp(a, b)), sign(strcmp(a, b)));
			assert_int_equal(sign(rb_strncmp(a, b, 2)), sign(strncmp(a, b, 2)));
			size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
			assert_int_equal(sign(rb_memcmp(a, b, n + 1)), sign(memcmp(a, b, n + 1)));
		}
	}
	char buf[16];
	assert_ptr_equal(rb_strcpy(buf, "hello"), buf);
	assert_string_equal(buf, "hello");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy_sizes_alignments),
	    cmocka_unit_test(test_memcpy_random),
	    cmocka_unit_test(test_memmove_overlaps),
	    cmocka_unit_test(test_memmove_random),
	    cmocka_unit_test(test_memmove_down_clears_df),
	    cmocka_unit_test(test_memset_sizes_alignments),
	    cmocka_unit_test(test_compare_and_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
