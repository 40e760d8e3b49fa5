/*
 * test_cpio.c - the newc walker, path lookup and directory listing on
 * archives built here.
 *
 * ent() appends one entry as cpio -o -H newc writes it; each test then
 * checks the good path (fields, names, lookups with and without leading "/"
 * or "./", children of a directory) or breaks one thing: truncation at every
 * length, bad magic, bad hex digits, sizes past the end, a missing trailer,
 * names without their NUL, ".." names, and "070702" checksums.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "cpio/cpio.h"

static uint8_t ar[8192];
static size_t ar_len;

static void pad4(void)
{
	while (ar_len % 4)
		ar[ar_len++] = 0;
}

/* Append an entry with the given magic ("070701" or "070702"). */
static size_t ent_magic(const char *magic, uint32_t ino, uint32_t mode, const char *name,
			const char *data)
{
	size_t start = ar_len, size = strlen(data);
	uint32_t sum = 0;
	char hdr[CPIO_HDR_SIZE + 32];

	for (size_t i = 0; i < size; i++)
		sum += (uint8_t)data[i];
	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic,
		 ino, mode, 1000u, 100u, 1u, 1700000000u, (uint32_t)size, 8u, 1u, 0u, 0u,
		 (uint32_t)strlen(name) + 1, magic[5] == '2' ? sum : 0u);
	memcpy(ar + ar_len, hdr, CPIO_HDR_SIZE);
	ar_len += CPIO_HDR_SIZE;
	memcpy(ar + ar_len, name, strlen(name) + 1);
	ar_len += strlen(name) + 1;
	pad4();
	memcpy(ar + ar_len, data, size);
	ar_len += size;
	pad4();
	return start;
}

static size_t ent(uint32_t ino, uint32_t mode, const char *name, const char *data)
{
	return ent_magic("070701", ino, mode, name, data);
}

static size_t trailer(void)
{
	return ent(0, 0, "TRAILER!!!", "");
}

/* An initfs-like tree, names as `find . | cpio -o -H newc` gives them. */
static void tree(void)
{
	memset(ar, 0, sizeof(ar));
	ar_len = 0;
	ent(1, 040755, ".", "");
	ent(2, 040755, "./bin", "");
	ent(3, 0100755, "./bin/init", "\177ELF-init");
	ent(4, 0100755, "./bin/sh", "sh!");
	ent(5, 040755, "./etc", "");
	ent(6, 0100644, "./etc/motd", "hello, world\n");
	ent(7, 0120777, "./etc/link", "motd");
	ent(8, 040755, "./etc/sub", "");
	ent(9, 0100644, "./etc/sub/deep", "x");
	trailer();
}

/* Walk the whole archive; the final return value (0 or an error). */
static int walk(size_t len, int *count)
{
	struct cpio_entry e;
	size_t cur = 0;
	int r;

	*count = 0;
	while ((r = cpio_next(ar, len, &cur, &e)) == 1) {
		assert_true(cur <= len);
		assert_true((const uint8_t *)e.data + e.size <= ar + len);
		++*count;
	}
	return r;
}

static void test_walk(void **state)
{
	struct cpio_entry e;
	size_t cur = 0;
	int n;

	tree();
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), 1);
	assert_int_equal(e.name_len, 1);
	assert_string_equal(e.name, ".");
	assert_int_equal(e.path_len, 0);
	assert_int_equal(e.base_len, 0);
	assert_true(cpio_is_dir(&e));
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), 1);
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), 1);
	assert_string_equal(e.name, "./bin/init");
	assert_int_equal(e.path_len, 8);
	assert_memory_equal(e.path, "bin/init", 8);
	assert_int_equal(e.base_len, 4);
	assert_memory_equal(e.base, "init", 4);
	assert_true(cpio_is_reg(&e));
	assert_false(cpio_is_dir(&e));
	assert_int_equal(e.mode, 0100755);
	assert_int_equal(e.ino, 3);
	assert_int_equal(e.uid, 1000);
	assert_int_equal(e.gid, 100);
	assert_int_equal(e.nlink, 1);
	assert_int_equal(e.mtime, 1700000000);
	assert_int_equal(e.dev_major, 8);
	assert_int_equal(e.dev_minor, 1);
	assert_int_equal(e.size, 9);
	assert_memory_equal(e.data, "\177ELF-init", 9);
	assert_int_equal((uintptr_t)e.data % 4, (uintptr_t)ar % 4);

	assert_int_equal(walk(ar_len, &n), 0);
	assert_int_equal(n, 9);
	/* the trailer keeps returning 0 */
	cur = 0;
	while (cpio_next(ar, ar_len, &cur, &e) == 1)
		;
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), 0);
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), 0);
	/* block padding after the trailer (cpio pads to 512) is ignored */
	ar_len = (ar_len + 511) / 512 * 512;
	assert_int_equal(walk(ar_len, &n), 0);
	/* lower-case hex is hex too */
	tree();
	ar[6 + 8 * 1 + 7] = 'd'; /* mode of "." 0x41ED -> 0x41ed */
	cur = 0;
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), 1);
	assert_int_equal(e.mode, 040755);
}

static void test_find(void **state)
{
	struct cpio_entry e;

	tree();
	assert_int_equal(cpio_find(ar, ar_len, "/bin/init", &e), 0);
	assert_int_equal(e.ino, 3);
	assert_int_equal(cpio_find(ar, ar_len, "bin/init", &e), 0);
	assert_int_equal(e.ino, 3);
	assert_int_equal(cpio_find(ar, ar_len, "./bin/init", &e), 0);
	assert_int_equal(cpio_find(ar, ar_len, "//bin/./init", &e), 0);
	assert_int_equal(e.ino, 3);
	assert_int_equal(cpio_find(ar, ar_len, "/etc/sub/", &e), 0);
	assert_int_equal(e.ino, 8);
	assert_int_equal(cpio_find(ar, ar_len, "/", &e), 0);
	assert_int_equal(e.ino, 1);
	assert_int_equal(cpio_find(ar, ar_len, "", &e), 0);
	assert_int_equal(e.ino, 1);
	assert_int_equal(cpio_find(ar, ar_len, "/etc/link", &e), 0);
	assert_true(cpio_is_symlink(&e));
	assert_memory_equal(e.data, "motd", 4);
	assert_int_equal(cpio_find(ar, ar_len, "/bin/ini", &e), -E_NOENT);
	assert_int_equal(cpio_find(ar, ar_len, "/bin/init/x", &e), -E_NOENT);
	assert_int_equal(cpio_find(ar, ar_len, "/sbin", &e), -E_NOENT);
	assert_int_equal(cpio_find(ar, ar_len, "/bin/../etc/motd", &e), -E_INVAL);
	assert_int_equal(cpio_find(ar, ar_len, "..", &e), -E_INVAL);
	/* a component that merely starts with dots is an ordinary name */
	assert_int_equal(cpio_find(ar, ar_len, "/bin/...", &e), -E_NOENT);

	/* names stored without "./", and with a leading "/" */
	memset(ar, 0, sizeof(ar));
	ar_len = 0;
	ent(1, 0100755, "bin/init", "a");
	ent(2, 0100755, "/sbin/init", "b");
	ent(3, 0100644, "bin/init", "c"); /* a later copy replaces the earlier */
	trailer();
	assert_int_equal(cpio_find(ar, ar_len, "/bin/init", &e), 0);
	assert_int_equal(e.ino, 3);
	assert_int_equal(cpio_find(ar, ar_len, "sbin/init", &e), 0);
	assert_int_equal(e.ino, 2);
	assert_int_equal(e.path_len, 9);
	assert_memory_equal(e.path, "sbin/init", 9);
	assert_int_equal(cpio_find(ar, ar_len, "/", &e), -E_NOENT);
}

/* List dir's children as "base,base,..." into out. */
static int list(const char *dir, char *out, size_t n)
{
	struct cpio_entry e;
	size_t cur = 0;
	int r;

	out[0] = 0;
	while ((r = cpio_child(ar, ar_len, dir, &cur, &e)) == 1) {
		size_t l = strlen(out);

		snprintf(out + l, n - l, "%s%.*s", l ? "," : "", (int)e.base_len, e.base);
	}
	return r;
}

static void test_children(void **state)
{
	char buf[256];

	tree();
	assert_int_equal(list("/", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "bin,etc");
	assert_int_equal(list("", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "bin,etc");
	assert_int_equal(list("/bin", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "init,sh");
	assert_int_equal(list("./etc/", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "motd,link,sub");
	assert_int_equal(list("etc/sub", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "deep");
	assert_int_equal(list("/bin/init", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(list("/nope", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(list("/etc/..", buf, sizeof(buf)), -E_INVAL);
}

static void test_truncated(void **state)
{
	size_t tpos;
	int n;

	/* any cut before the end of the trailer's name is malformed */
	tree();
	ar_len -= 124; /* drop the trailer (110 + 11 + pad 3) */
	tpos = trailer();
	assert_int_equal(tpos + 124, ar_len);
	for (size_t cut = 0; cut < tpos + CPIO_HDR_SIZE + 11; cut++)
		assert_true(walk(cut, &n) < 0);
	for (size_t cut = tpos + CPIO_HDR_SIZE + 11; cut <= ar_len; cut++)
		assert_int_equal(walk(cut, &n), 0);
	assert_int_equal(walk(0, &n), -E_INVAL);
}

static void test_malformed(void **state)
{
	struct cpio_entry e;
	size_t cur = 0, second;
	int n;

	/* magic: old binary/odc/crc-less variants are refused */
	tree();
	memcpy(ar, "070707", 6);
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	tree();
	ar[0] = 'x';
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	/* a bad digit in the second entry: the first is still returned */
	tree();
	second = 112; /* "." ends at 110 + 2, already aligned, no data */
	ar[second + 6 + 8 * 6 + 3] = 'g';
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	assert_int_equal(n, 1);
	tree();
	ar[second + 6 + 8 * 11] = ' ';
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	tree();
	ar[second + 6] = '-';
	assert_int_equal(walk(ar_len, &n), -E_INVAL);

	/* sizes past the end */
	tree();
	memcpy(ar + 6 + 8 * 6, "FFFFFFFF", 8); /* filesize of "." */
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), -E_INVAL);
	tree();
	memcpy(ar + 6 + 8 * 11, "FFFFFFFF", 8); /* namesize of "." */
	cur = 0;
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), -E_INVAL);
	tree();
	memcpy(ar + 6 + 8 * 6, "00002000", 8);
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	/* a cursor past the end */
	tree();
	cur = ar_len + 1;
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), -E_INVAL);
	cur = SIZE_MAX;
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), -E_INVAL);

	/* name without its NUL: namesize one short, zero, or an inner NUL */
	tree();
	memcpy(ar + 6 + 8 * 11, "00000001", 8); /* "." without its NUL */
	cur = 0;
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), -E_INVAL);
	memcpy(ar + 6 + 8 * 11, "00000000", 8);
	assert_int_equal(cpio_next(ar, ar_len, &cur, &e), -E_INVAL);
	memset(ar, 0, sizeof(ar));
	ar_len = 0;
	ent(1, 0100644, "abcd", "");
	trailer();
	memcpy(ar + 6 + 8 * 11, "00000004", 8);
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	ar[CPIO_HDR_SIZE + 2] = 0;
	memcpy(ar + 6 + 8 * 11, "00000005", 8);
	assert_int_equal(walk(ar_len, &n), -E_INVAL);

	/* missing trailer */
	tree();
	ar_len -= 124;
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	assert_int_equal(n, 9);

	/* ".." in a stored name */
	memset(ar, 0, sizeof(ar));
	ar_len = 0;
	ent(1, 0100644, "bin/../../etc/passwd", "x");
	trailer();
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
	assert_int_equal(cpio_find(ar, ar_len, "/etc/passwd", &e), -E_INVAL);
	memset(ar, 0, sizeof(ar));
	ar_len = 0;
	ent(1, 0100644, "..", "x");
	trailer();
	assert_int_equal(walk(ar_len, &n), -E_INVAL);
}

static void test_crc(void **state)
{
	struct cpio_entry e;
	size_t at;
	int n;

	memset(ar, 0, sizeof(ar));
	ar_len = 0;
	ent_magic("070702", 1, 0100644, "a", "checked data");
	at = ent_magic("070702", 2, 0100644, "b", "");
	ent_magic("070702", 0, 0, "TRAILER!!!", "");
	assert_int_equal(walk(ar_len, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cpio_find(ar, ar_len, "a", &e), 0);
	assert_memory_equal(e.data, "checked data", 12);
	((uint8_t *)e.data)[0] ^= 1;
	assert_int_equal(walk(ar_len, &n), -E_BADMSG);
	assert_int_equal(n, 0);
	((uint8_t *)e.data)[0] ^= 1;
	ar[at + 6 + 8 * 12 + 7] = '1'; /* an empty file must sum to 0 */
	assert_int_equal(walk(ar_len, &n), -E_BADMSG);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk),      cmocka_unit_test(test_find),
	    cmocka_unit_test(test_children),  cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_malformed), cmocka_unit_test(test_crc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
