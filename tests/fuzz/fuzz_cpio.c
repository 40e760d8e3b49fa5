/*
 * fuzz_cpio.c - libFuzzer target for cpio_next(), cpio_find() and
 * cpio_child().
 *
 * Each input is copied into a buffer exactly its size (so ASan sees any read
 * past the end) and walked to the end, checking with abort() that every
 * entry's name and data lie inside the archive and that the cursor always
 * moves forward. Then a few fixed paths and the names found in the input
 * are looked up, and the root and the first directory are listed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "cpio/cpio.h"

/* e lies inside b[0..size). */
static void check_entry(const uint8_t *b, size_t size, const struct cpio_entry *e)
{
	const uint8_t *end = b + size, *name = (const uint8_t *)e->name;
	const uint8_t *data = e->data;

	if (name < b || e->name_len >= (size_t)(end - name) || e->name[e->name_len] != '\0')
		abort();
	if (e->path < e->name || e->path + e->path_len != e->name + e->name_len)
		abort();
	if (e->base < e->path || e->base + e->base_len > e->path + e->path_len)
		abort();
	if (data < b || e->size > (size_t)(end - data))
		abort();
}

/* List dir's children to the end. */
static void list(const uint8_t *b, size_t size, const char *dir)
{
	struct cpio_entry e;
	size_t cur = 0;
	int n = 0;

	while (cpio_child(b, size, dir, &cur, &e) == 1 && n++ < 10000)
		check_entry(b, size, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *paths[] = {"/", "/bin/init", "bin", "./etc/motd", "a//b/./c", "/x/../y"};
	struct cpio_entry e;
	char name[64] = "", dir[64] = "";
	size_t cur = 0, prev;
	uint8_t *b;
	int r;

	if (size > (1u << 20))
		return 0;
	b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	for (;;) {
		prev = cur;
		r = cpio_next(b, size, &cur, &e);
		if (r != 1)
			break;
		if (cur <= prev || cur > size)
			abort();
		check_entry(b, size, &e);
		if (!name[0] && e.name_len && e.name_len < sizeof(name))
			memcpy(name, e.name, e.name_len + 1);
		if (!dir[0] && cpio_is_dir(&e) && e.name_len && e.name_len < sizeof(dir))
			memcpy(dir, e.name, e.name_len + 1);
	}
	if (r == 0 && cur != prev)
		abort();
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (cpio_find(b, size, paths[i], &e) == 0)
			check_entry(b, size, &e);
	if (name[0]) {
		/* in a well-formed archive every stored name can be found */
		int f = cpio_find(b, size, name, &e);

		if (r == 0 && f != 0)
			abort();
		if (f == 0)
			check_entry(b, size, &e);
	}
	list(b, size, "/");
	if (dir[0])
		list(b, size, dir);
	free(b);
	return 0;
}
