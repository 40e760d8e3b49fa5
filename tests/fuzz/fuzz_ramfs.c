/*
 * fuzz_ramfs.c - libFuzzer target for the RAM file system.
 *
 * The input is a program: its first byte picks the size bound, then each
 * 4-byte instruction is (op, path, path2 or handle, size). Paths come from
 * a fixed set (nested, with "..", "." and empty components); up to 8 open
 * handles are kept across instructions, so unlinked-but-open nodes,
 * renames under open files and writes to orphans are exercised. After each
 * instruction ramfs_check() recounts the space (never negative, equal to
 * nodes and bytes) and the bound is respected; after ramfs_destroy()
 * every allocated byte has been freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "ramfs/ramfs.h"

static long live;

static void *f_alloc(void *ctx, size_t n)
{
	live += (long)n;
	return malloc(n);
}

static void f_free(void *ctx, void *p, size_t n)
{
	live -= (long)n;
	free(p);
}

static const char *const paths[] = {
    "/",       "/a",   "/b",	 "/a/b", "/a/b/c", "/b/a", "//a//b/", "/a/./c",
    "/a/../b", "/tmp", "/tmp/x", "/c",	 "/a/c",   "/b/c", "",	      "/a/b/c/d",
};
#define NPATH (sizeof paths / sizeof paths[0])
#define NH 8

static const struct ramfs_cred creds[] = {{0, 0}, {1000, 100}};

static void step(struct ramfs *fs, struct ramfs_node **h, const uint8_t *in)
{
	const char *p = paths[in[1] % NPATH], *q = paths[in[2] % NPATH];
	struct ramfs_node **slot = &h[in[2] % NH];
	const struct ramfs_cred *c = &creds[in[0] >> 7];
	static uint8_t buf[70000];
	uint64_t off = (uint64_t)in[3] * 97;
	size_t len = (size_t)in[3] * (in[0] & 0x40 ? 257 : 1);
	uint64_t idx = in[3] % 4;
	int r;
	switch (in[0] % 10) {
	case 0:
	case 1: {
		static const int fl[] = {RB_O_CREAT | RB_O_RDWR, RB_O_RDONLY,
					 RB_O_WRONLY | RB_O_TRUNC,
					 RB_O_CREAT | RB_O_EXCL | RB_O_DIRECTORY};
		struct ramfs_node *n;
		if (*slot)
			break;
		r = ramfs_open(fs, p, fl[in[3] % 4] | (in[0] & 0x20 ? RB_O_APPEND : 0),
			       (unsigned)in[3] << 3, c, &n);
		if (r == 0)
			*slot = n;
		break;
	}
	case 2:
		if (*slot) {
			ramfs_close(fs, *slot);
			*slot = NULL;
		}
		break;
	case 3:
		if (*slot) {
			memset(buf, in[3], len);
			(void)ramfs_write(fs, *slot, off, buf, len);
		}
		break;
	case 4:
		if (*slot && ramfs_read(fs, *slot, off, buf, len) > (long)len)
			abort();
		break;
	case 5:
		if (*slot)
			(void)ramfs_truncate(fs, *slot, off * 3);
		break;
	case 6:
		(void)ramfs_unlink(fs, p, in[3] & 1 ? RB_AT_REMOVEDIR : 0, c);
		break;
	case 7:
		(void)ramfs_rename(fs, p, q, c);
		break;
	case 8:
		if (*slot) {
			long n = ramfs_getdents(*slot, &idx, buf, in[3]);
			if (n > (long)in[3])
				abort();
			char path[RB_PATH_MAX];
			n = ramfs_path(fs, *slot, path, sizeof path);
			if (n >= 0 && (size_t)n != strlen(path))
				abort();
		}
		break;
	case 9:
		if (*slot && !h[(in[2] + 1) % NH])
			h[(in[2] + 1) % NH] = ramfs_ref(*slot);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ramfs_mem mem = {f_alloc, f_free, NULL};
	struct ramfs fs;
	struct ramfs_node *h[NH] = {0};
	if (size < 1)
		return 0;
	uint64_t limit = (uint64_t)data[0] * 64 + RAMFS_NODE_COST;
	live = 0;
	if (ramfs_init(&fs, &mem, limit) != 0)
		abort();
	for (size_t i = 1; i + 4 <= size; i += 4) {
		step(&fs, h, data + i);
		if (ramfs_check(&fs) != 0 || ramfs_used(&fs) > limit)
			abort();
		if (ramfs_used(&fs) < fs.nodes * RAMFS_NODE_COST)
			abort();
	}
	if (data[size - 1] & 1) { /* close everything first, or destroy with opens */
		for (int i = 0; i < NH; i++)
			if (h[i])
				ramfs_close(&fs, h[i]);
		if (ramfs_check(&fs) != 0)
			abort();
	}
	ramfs_destroy(&fs);
	if (live != 0)
		abort();
	return 0;
}
