/*
 * test_ramfs.c - the RAM file system: open flags, path rules, read/write
 * at offsets and holes, truncate, unlink and rmdir, rename (files, dirs,
 * replacing, into itself), getdents, stat, permissions (root, 0755 dirs,
 * 0600 files, sticky /tmp), unlinked-but-open files, the size bound
 * (ENOSPC, nothing half-done), failed allocations (ENOMEM, nothing
 * half-done), fpath, no leak after destroy; then a randomized model check
 * of path operations against a simple table of paths (fixed seed).
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
#include "ramfs/ramfs.h"
#include "test_scale.h"

/* A counting allocator that can be told to fail. */
static long live_allocs, live_bytes, fail_in = -1;

static void *t_alloc(void *ctx, size_t n)
{
	if (fail_in == 0)
		return NULL;
	if (fail_in > 0)
		fail_in--;
	live_allocs++;
	live_bytes += (long)n;
	return malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
	live_allocs--;
	live_bytes -= (long)n;
	free(p);
}

static const struct ramfs_mem mem = {t_alloc, t_free, NULL};
static const struct ramfs_cred root = {0, 0}, user = {1000, 100}, other = {1001, 101};

static struct ramfs fs;

static int setup(void **state)
{
	live_allocs = live_bytes = 0;
	fail_in = -1;
	return ramfs_init(&fs, &mem, 1 << 20);
}

static int teardown(void **state)
{
	assert_int_equal(ramfs_check(&fs), 0);
	ramfs_destroy(&fs);
	assert_int_equal(live_allocs, 0);
	assert_int_equal(live_bytes, 0);
	return 0;
}

static struct ramfs_node *xopen(const char *path, int flags, const struct ramfs_cred *c)
{
	struct ramfs_node *n = NULL;
	assert_int_equal(ramfs_open(&fs, path, flags, 0644, c, &n), 0);
	return n;
}

static int try_open(const char *path, int flags, const struct ramfs_cred *c)
{
	struct ramfs_node *n;
	int r = ramfs_open(&fs, path, flags, 0644, c, &n);
	if (r == 0)
		ramfs_close(&fs, n);
	return r;
}

static int mkdir_as(const char *path, unsigned mode, const struct ramfs_cred *c)
{
	struct ramfs_node *n;
	int r = ramfs_open(&fs, path, RB_O_CREAT | RB_O_EXCL | RB_O_DIRECTORY, mode, c, &n);
	if (r == 0)
		ramfs_close(&fs, n);
	return r;
}

static void put(const char *path, const char *s)
{
	struct ramfs_node *n = xopen(path, RB_O_CREAT | RB_O_WRONLY | RB_O_TRUNC, &root);
	assert_int_equal(ramfs_write(&fs, n, 0, s, strlen(s)), (long)strlen(s));
	ramfs_close(&fs, n);
}

static void expect(const char *path, const char *s)
{
	char buf[256];
	struct ramfs_node *n = xopen(path, RB_O_RDONLY, &root);
	long r = ramfs_read(&fs, n, 0, buf, sizeof buf);
	ramfs_close(&fs, n);
	assert_int_equal(r, (long)strlen(s));
	assert_memory_equal(buf, s, strlen(s));
}

static void test_read_write(void **state)
{
	struct ramfs_node *n = xopen("/f", RB_O_CREAT | RB_O_RDWR, &root);
	char buf[32];
	assert_int_equal(ramfs_write(&fs, n, 0, "hello", 5), 5);
	assert_int_equal(ramfs_write(&fs, n, 10, "world", 5), 5);
	struct ramfs_stat st;
	ramfs_stat(n, &st);
	assert_int_equal(st.size, 15);
	assert_int_equal(st.mode, RAMFS_S_IFREG | 0644);
	assert_int_equal(ramfs_read(&fs, n, 0, buf, sizeof buf), 15);
	assert_memory_equal(buf, "hello\0\0\0\0\0world", 15); /* the hole is zeros */
	assert_int_equal(ramfs_read(&fs, n, 12, buf, 2), 2);
	assert_memory_equal(buf, "rl", 2);
	assert_int_equal(ramfs_read(&fs, n, 15, buf, 4), 0);
	assert_int_equal(ramfs_read(&fs, n, ~0ull, buf, 4), 0);
	assert_int_equal(ramfs_truncate(&fs, n, 3), 0);
	assert_int_equal(ramfs_truncate(&fs, n, 8), 0); /* regrown: zeros, not "lo" */
	assert_int_equal(ramfs_read(&fs, n, 0, buf, sizeof buf), 8);
	assert_memory_equal(buf, "hel\0\0\0\0\0", 8);
	assert_int_equal(ramfs_used(&fs), 2 * RAMFS_NODE_COST + 8);
	assert_int_equal(ramfs_write(&fs, n, 100000, "x", 1), 1); /* big hole */
	assert_int_equal(ramfs_used(&fs), 2 * RAMFS_NODE_COST + 100001);
	assert_int_equal(ramfs_truncate(&fs, n, 0), 0);
	assert_int_equal(ramfs_used(&fs), 2 * RAMFS_NODE_COST);
	ramfs_close(&fs, n);

	/* O_TRUNC empties, O_RDONLY | O_TRUNC does not */
	put("/f", "abcdef");
	n = xopen("/f", RB_O_RDONLY | RB_O_TRUNC, &root);
	ramfs_stat(n, &st);
	assert_int_equal(st.size, 6);
	ramfs_close(&fs, n);
	n = xopen("/f", RB_O_WRONLY | RB_O_TRUNC, &root);
	ramfs_stat(n, &st);
	assert_int_equal(st.size, 0);
	ramfs_close(&fs, n);
}

static void test_open_flags(void **state)
{
	assert_int_equal(try_open("/nope", RB_O_RDONLY, &root), -E_NOENT);
	assert_int_equal(try_open("/f", RB_O_CREAT | RB_O_EXCL, &root), 0);
	assert_int_equal(try_open("/f", RB_O_CREAT | RB_O_EXCL, &root), -E_EXIST);
	assert_int_equal(try_open("/f", RB_O_CREAT, &root), 0);
	assert_int_equal(try_open("/f", RB_O_DIRECTORY, &root), -E_NOTDIR);
	assert_int_equal(mkdir_as("/d", 0755, &root), 0);
	assert_int_equal(mkdir_as("/d", 0755, &root), -E_EXIST);
	assert_int_equal(try_open("/d", RB_O_RDONLY, &root), 0);
	assert_int_equal(try_open("/d", RB_O_DIRECTORY, &root), 0);
	assert_int_equal(try_open("/d", RB_O_WRONLY, &root), -E_ISDIR);
	assert_int_equal(try_open("/d", RB_O_RDWR, &root), -E_ISDIR);
	assert_int_equal(try_open("/d", RB_O_RDONLY | RB_O_TRUNC, &root), -E_ISDIR);
	assert_int_equal(try_open("/", RB_O_CREAT | RB_O_EXCL, &root), -E_EXIST);
	struct ramfs_node *n = xopen("/d", RB_O_RDONLY, &root);
	char buf[8];
	assert_int_equal(ramfs_read(&fs, n, 0, buf, 8), -E_ISDIR);
	assert_int_equal(ramfs_write(&fs, n, 0, buf, 8), -E_ISDIR);
	assert_int_equal(ramfs_truncate(&fs, n, 0), -E_ISDIR);
	struct ramfs_stat st;
	ramfs_stat(n, &st);
	assert_int_equal(st.mode, RAMFS_S_IFDIR | 0755);
	ramfs_close(&fs, n);
	n = xopen("/f", RB_O_RDONLY, &root);
	uint64_t idx = 0;
	assert_int_equal(ramfs_getdents(n, &idx, buf, 8), -E_NOTDIR);
	ramfs_close(&fs, n);
}

static void test_paths(void **state)
{
	assert_int_equal(mkdir_as("/a", 0755, &root), 0);
	assert_int_equal(mkdir_as("/a/b", 0755, &root), 0);
	put("/a/b/c", "deep");
	expect("//a///b/c", "deep");
	expect("a/b/c", "deep");
	expect("/a/./b/./c", "deep");
	expect("/a/b/c/", "deep");
	assert_int_equal(try_open("/a/../a/b/c", RB_O_RDONLY, &root), -E_INVAL);
	assert_int_equal(try_open("/a/b/..", RB_O_RDONLY, &root), -E_INVAL);
	assert_int_equal(try_open("/a/x/c", RB_O_RDONLY, &root), -E_NOENT);
	assert_int_equal(try_open("/a/x/c", RB_O_CREAT, &root), -E_NOENT);
	assert_int_equal(try_open("/a/b/c/d", RB_O_RDONLY, &root), -E_NOTDIR);
	assert_int_equal(try_open("/a/b/c/d", RB_O_CREAT, &root), -E_NOTDIR);

	char p[RB_PATH_MAX + 8];
	memset(p, 'x', sizeof p);
	p[0] = '/';
	p[RB_PATH_MAX] = 0; /* 256 bytes before the NUL */
	assert_int_equal(try_open(p, RB_O_CREAT, &root), -E_NAMETOOLONG);
	p[RB_PATH_MAX - 1] = 0; /* 255: one component of 254, fits */
	assert_int_equal(try_open(p, RB_O_CREAT, &root), 0);
	assert_int_equal(ramfs_unlink(&fs, p, 0, &root), 0);

	/* the root */
	struct ramfs_node *n = xopen("/", RB_O_RDONLY, &root);
	char buf[RB_PATH_MAX];
	assert_int_equal(ramfs_path(&fs, n, buf, sizeof buf), 1);
	assert_string_equal(buf, "/");
	ramfs_close(&fs, n);
	n = xopen("", RB_O_DIRECTORY, &root);
	ramfs_close(&fs, n);
}

static void test_fpath(void **state)
{
	char buf[RB_PATH_MAX];
	assert_int_equal(mkdir_as("/dir", 0755, &root), 0);
	struct ramfs_node *n = xopen("/dir/file", RB_O_CREAT | RB_O_RDWR, &root);
	assert_int_equal(ramfs_path(&fs, n, buf, sizeof buf), 9);
	assert_string_equal(buf, "/dir/file");
	assert_int_equal(ramfs_path(&fs, n, buf, 9), -E_NAMETOOLONG);
	assert_int_equal(ramfs_path(&fs, n, buf, 10), 9);
	assert_int_equal(ramfs_rename(&fs, "/dir", "/d2", &root), 0);
	assert_int_equal(ramfs_path(&fs, n, buf, sizeof buf), 8);
	assert_string_equal(buf, "/d2/file");
	assert_int_equal(ramfs_unlink(&fs, "/d2/file", 0, &root), 0);
	assert_int_equal(ramfs_path(&fs, n, buf, sizeof buf), -E_NOENT);
	ramfs_close(&fs, n);
}

static void test_unlink(void **state)
{
	assert_int_equal(mkdir_as("/d", 0755, &root), 0);
	put("/d/f", "x");
	assert_int_equal(ramfs_unlink(&fs, "/d", RB_AT_REMOVEDIR, &root), -E_NOTEMPTY);
	assert_int_equal(ramfs_unlink(&fs, "/d", 0, &root), -E_ISDIR);
	assert_int_equal(ramfs_unlink(&fs, "/d/f", RB_AT_REMOVEDIR, &root), -E_NOTDIR);
	assert_int_equal(ramfs_unlink(&fs, "/d/g", 0, &root), -E_NOENT);
	assert_int_equal(ramfs_unlink(&fs, "/", RB_AT_REMOVEDIR, &root), -E_BUSY);
	assert_int_equal(ramfs_unlink(&fs, "/d/f/g", 0, &root), -E_NOTDIR);
	assert_int_equal(ramfs_unlink(&fs, "/d/f", 0, &root), 0);
	assert_int_equal(try_open("/d/f", RB_O_RDONLY, &root), -E_NOENT);
	assert_int_equal(ramfs_unlink(&fs, "/d", RB_AT_REMOVEDIR, &root), 0);
	assert_int_equal(try_open("/d", RB_O_RDONLY, &root), -E_NOENT);
	assert_int_equal(ramfs_used(&fs), RAMFS_NODE_COST);
}

static void test_unlinked_open(void **state)
{
	struct ramfs_node *n = xopen("/f", RB_O_CREAT | RB_O_RDWR, &root);
	struct ramfs_node *m = ramfs_ref(n);
	assert_int_equal(ramfs_write(&fs, n, 0, "alive", 5), 5);
	assert_int_equal(ramfs_unlink(&fs, "/f", 0, &root), 0);
	assert_int_equal(try_open("/f", RB_O_RDONLY, &root), -E_NOENT);
	put("/f", "new file"); /* the name is free again */
	char buf[8];
	assert_int_equal(ramfs_write(&fs, m, 5, "!", 1), 1);
	assert_int_equal(ramfs_read(&fs, n, 0, buf, sizeof buf), 6);
	assert_memory_equal(buf, "alive!", 6);
	struct ramfs_stat st;
	ramfs_stat(n, &st);
	assert_int_equal(st.nlink, 0);
	assert_int_equal(ramfs_used(&fs), 3 * RAMFS_NODE_COST + 6 + 8);
	ramfs_close(&fs, n);
	assert_int_equal(ramfs_check(&fs), 0);
	ramfs_close(&fs, m); /* the last reference: space comes back */
	assert_int_equal(ramfs_used(&fs), 2 * RAMFS_NODE_COST + 8);
	expect("/f", "new file");

	/* a replaced rename target lives on through its open reference */
	put("/g", "gone");
	n = xopen("/g", RB_O_RDONLY, &root);
	assert_int_equal(ramfs_rename(&fs, "/f", "/g", &root), 0);
	assert_int_equal(ramfs_read(&fs, n, 0, buf, sizeof buf), 4);
	assert_memory_equal(buf, "gone", 4);
	expect("/g", "new file");
	ramfs_close(&fs, n);
	assert_int_equal(ramfs_used(&fs), 2 * RAMFS_NODE_COST + 8);

	/* an open directory outlives its rmdir */
	assert_int_equal(mkdir_as("/d", 0755, &root), 0);
	n = xopen("/d", RB_O_RDONLY, &root);
	assert_int_equal(ramfs_unlink(&fs, "/d", RB_AT_REMOVEDIR, &root), 0);
	uint64_t idx = 0;
	assert_int_equal(ramfs_getdents(n, &idx, buf, sizeof buf), 0);
	ramfs_close(&fs, n);
}

static void test_rename(void **state)
{
	put("/a", "A");
	put("/b", "B");
	assert_int_equal(ramfs_rename(&fs, "/a", "/c", &root), 0);
	expect("/c", "A");
	assert_int_equal(try_open("/a", RB_O_RDONLY, &root), -E_NOENT);
	assert_int_equal(ramfs_rename(&fs, "/c", "/b", &root), 0); /* replaces a file */
	expect("/b", "A");
	assert_int_equal(ramfs_used(&fs), 2 * RAMFS_NODE_COST + 1);
	assert_int_equal(ramfs_rename(&fs, "/b", "/b", &root), 0);
	assert_int_equal(ramfs_rename(&fs, "/nope", "/x", &root), -E_NOENT);
	assert_int_equal(ramfs_rename(&fs, "/b", "/no/x", &root), -E_NOENT);
	assert_int_equal(ramfs_rename(&fs, "/b", "/b/x", &root), -E_NOTDIR);

	assert_int_equal(mkdir_as("/d", 0755, &root), 0);
	assert_int_equal(mkdir_as("/d/e", 0755, &root), 0);
	put("/d/e/f", "F");
	assert_int_equal(ramfs_rename(&fs, "/d", "/d/e/x", &root), -E_INVAL);
	assert_int_equal(ramfs_rename(&fs, "/d", "/d/x", &root), -E_INVAL);
	assert_int_equal(ramfs_rename(&fs, "/d", "/", &root), -E_BUSY);
	assert_int_equal(ramfs_rename(&fs, "/", "/x", &root), -E_BUSY);
	assert_int_equal(ramfs_rename(&fs, "/d/..", "/x", &root), -E_INVAL);
	assert_int_equal(ramfs_rename(&fs, "/b", "/d", &root), -E_ISDIR);
	assert_int_equal(ramfs_rename(&fs, "/d", "/b", &root), -E_NOTDIR);
	assert_int_equal(mkdir_as("/full", 0755, &root), 0);
	put("/full/x", "x");
	assert_int_equal(ramfs_rename(&fs, "/d", "/full", &root), -E_NOTEMPTY);
	assert_int_equal(mkdir_as("/empty", 0755, &root), 0);
	assert_int_equal(ramfs_rename(&fs, "/d", "/empty", &root), 0); /* replaces an empty dir */
	expect("/empty/e/f", "F");
	assert_int_equal(ramfs_rename(&fs, "/empty/e", "/e2", &root), 0); /* up a level */
	expect("/e2/f", "F");
	assert_int_equal(ramfs_rename(&fs, "/e2", "/full/e3", &root), 0); /* down */
	expect("/full/e3/f", "F");
	assert_int_equal(ramfs_rename(&fs, "/full/e3/f", "/f", &root), 0);
	expect("/f", "F");
}

/* Collect the names of directory path, in order, joined by ','. */
static void names_of(const char *path, char *out, size_t outlen, size_t bufsz)
{
	struct ramfs_node *n = xopen(path, RB_O_RDONLY, &root);
	unsigned char buf[512];
	uint64_t idx = 0;
	long r;
	out[0] = 0;
	assert_true(bufsz <= sizeof buf);
	while ((r = ramfs_getdents(n, &idx, buf, bufsz)) > 0) {
		for (long off = 0; off < r;) {
			struct rb_dirent d;
			memcpy(&d, buf + off, sizeof d);
			assert_int_equal(d.reclen % 8, 0);
			assert_true(d.reclen > 3 && off + d.reclen <= r);
			const char *name = (const char *)buf + off + 3; /* after reclen, type */
			assert_true(strnlen(name, d.reclen - 3u) < d.reclen - 3u);
			strncat(out, name, outlen - strlen(out) - 1);
			strncat(out, d.type == RB_DT_DIR ? "/," : ",", outlen - strlen(out) - 1);
			off += d.reclen;
		}
	}
	assert_int_equal(r, 0);
	ramfs_close(&fs, n);
}

static void test_getdents(void **state)
{
	char got[256];
	names_of("/", got, sizeof got, 512);
	assert_string_equal(got, "");
	put("/one", "1");
	assert_int_equal(mkdir_as("/two", 0755, &root), 0);
	put("/three-is-a-longer-name", "3");
	names_of("/", got, sizeof got, 512);
	assert_string_equal(got, "one,two/,three-is-a-longer-name,");
	names_of("/", got, sizeof got, 32); /* one or two records per call */
	assert_string_equal(got, "one,two/,three-is-a-longer-name,");
	struct ramfs_node *n = xopen("/", RB_O_RDONLY, &root);
	unsigned char buf[16];
	uint64_t idx = 0;
	/* the bytes of the ABI: uint16 reclen, uint8 type, the name at offset 3 */
	assert_int_equal(ramfs_getdents(n, &idx, buf, 12), 8);
	assert_memory_equal(buf, "\x08\x00\x08one\0\0", 8);
	idx = 2;
	assert_int_equal(ramfs_getdents(n, &idx, buf, sizeof buf), -E_INVAL);
	assert_int_equal(idx, 2);
	idx = 1;
	assert_int_equal(ramfs_getdents(n, &idx, buf, sizeof buf), 8);
	assert_int_equal(idx, 2);
	idx = 99;
	assert_int_equal(ramfs_getdents(n, &idx, buf, sizeof buf), 0);
	ramfs_close(&fs, n);
}

static void test_permissions(void **state)
{
	assert_int_equal(mkdir_as("/etc", 0755, &root), 0);
	assert_int_equal(mkdir_as("/tmp", 01777, &root), 0);
	put("/etc/motd", "hi");
	/* a root-owned 0755 directory: others may read, not create or remove */
	assert_int_equal(try_open("/etc/motd", RB_O_RDONLY, &user), 0);
	assert_int_equal(try_open("/etc/motd", RB_O_WRONLY, &user), -E_ACCES);
	assert_int_equal(try_open("/etc/x", RB_O_CREAT | RB_O_WRONLY, &user), -E_ACCES);
	assert_int_equal(mkdir_as("/etc/d", 0755, &user), -E_ACCES);
	assert_int_equal(ramfs_unlink(&fs, "/etc/motd", 0, &user), -E_ACCES);
	assert_int_equal(ramfs_rename(&fs, "/etc/motd", "/tmp/m", &user), -E_ACCES);
	expect("/etc/motd", "hi");

	/* /tmp: anyone creates; the sticky bit keeps others' files */
	struct ramfs_node *n = NULL;
	assert_int_equal(ramfs_open(&fs, "/tmp/mine", RB_O_CREAT | RB_O_RDWR, 0600, &user, &n), 0);
	struct ramfs_stat st;
	ramfs_stat(n, &st);
	assert_int_equal(st.uid, 1000);
	assert_int_equal(st.gid, 100);
	ramfs_close(&fs, n);
	assert_int_equal(try_open("/tmp/mine", RB_O_RDONLY, &other), -E_ACCES);
	assert_int_equal(try_open("/tmp/mine", RB_O_RDONLY, &root), 0);
	assert_int_equal(ramfs_unlink(&fs, "/tmp/mine", 0, &other), -E_ACCES);
	assert_int_equal(ramfs_rename(&fs, "/tmp/mine", "/tmp/theirs", &other), -E_ACCES);
	assert_int_equal(ramfs_rename(&fs, "/tmp/mine", "/tmp/m2", &user), 0);
	assert_int_equal(ramfs_unlink(&fs, "/tmp/m2", 0, &user), 0);

	/* group and other bits */
	struct ramfs_cred group = {1002, 100};
	assert_int_equal(ramfs_open(&fs, "/tmp/g", RB_O_CREAT | RB_O_RDWR, 0640, &user, &n), 0);
	ramfs_close(&fs, n);
	assert_int_equal(try_open("/tmp/g", RB_O_RDONLY, &group), 0);
	assert_int_equal(try_open("/tmp/g", RB_O_RDWR, &group), -E_ACCES);
	assert_int_equal(try_open("/tmp/g", RB_O_RDONLY, &other), -E_ACCES);
	/* the owner's bits apply to the owner even when they are fewer */
	assert_int_equal(ramfs_open(&fs, "/tmp/w", RB_O_CREAT | RB_O_WRONLY, 0066, &user, &n), 0);
	ramfs_close(&fs, n);
	assert_int_equal(try_open("/tmp/w", RB_O_RDONLY, &user), -E_ACCES);
	assert_int_equal(try_open("/tmp/w", RB_O_RDWR, &other), 0);
}

/* ramfs_setattr, as ramfsd's seeding uses it: shadow 0600, a home for user */
static void test_setattr(void **state)
{
	assert_int_equal(mkdir_as("/etc", 0755, &root), 0);
	assert_int_equal(mkdir_as("/home", 0755, &root), 0);
	assert_int_equal(mkdir_as("/home/u", 0755, &root), 0);
	put("/etc/shadow", "secret");
	assert_int_equal(try_open("/etc/shadow", RB_O_RDONLY, &user), 0);
	struct ramfs_node *n = xopen("/etc/shadow", RB_O_RDONLY, &root);
	ramfs_setattr(n, 0100600, 0, 0); /* type bits in mode are ignored */
	struct ramfs_stat st;
	ramfs_stat(n, &st);
	assert_int_equal(st.mode, RAMFS_S_IFREG | 0600);
	ramfs_close(&fs, n);
	assert_int_equal(try_open("/etc/shadow", RB_O_RDONLY, &user), -E_ACCES);
	assert_int_equal(try_open("/etc/shadow", RB_O_WRONLY, &user), -E_ACCES);
	assert_int_equal(try_open("/etc/shadow", RB_O_RDONLY, &root), 0);
	assert_int_equal(try_open("/home/u/f", RB_O_CREAT | RB_O_WRONLY, &user), -E_ACCES);
	n = xopen("/home/u", RB_O_RDONLY | RB_O_DIRECTORY, &root);
	ramfs_setattr(n, 0755, user.uid, user.gid);
	ramfs_stat(n, &st);
	assert_int_equal(st.mode, RAMFS_S_IFDIR | 0755);
	assert_int_equal(st.uid, user.uid);
	ramfs_close(&fs, n);
	assert_int_equal(try_open("/home/u/f", RB_O_CREAT | RB_O_WRONLY, &user), 0);
	assert_int_equal(try_open("/home/u/g", RB_O_CREAT | RB_O_WRONLY, &other), -E_ACCES);
	assert_int_equal(ramfs_check(&fs), 0);
}

static void test_nospc(void **state)
{
	ramfs_destroy(&fs);
	uint64_t limit = 4 * RAMFS_NODE_COST + 1000;
	assert_int_equal(ramfs_init(&fs, &mem, limit), 0);
	struct ramfs_node *n = xopen("/f", RB_O_CREAT | RB_O_RDWR, &root);
	assert_int_equal(mkdir_as("/d", 0755, &root), 0);
	assert_int_equal(try_open("/g", RB_O_CREAT, &root), 0);
	static char big[4096];
	memset(big, 'z', sizeof big);
	assert_int_equal(ramfs_write(&fs, n, 0, big, 1000), 1000);
	assert_int_equal(ramfs_write(&fs, n, 1000, big, 1), -E_NOSPC);
	assert_int_equal(ramfs_write(&fs, n, 1, big, 1000), -E_NOSPC); /* all or nothing */
	assert_int_equal(ramfs_write(&fs, n, ~0ull - 2, big, 10), -E_NOSPC);
	assert_int_equal(ramfs_truncate(&fs, n, 1001), -E_NOSPC);
	struct ramfs_stat st;
	ramfs_stat(n, &st);
	assert_int_equal(st.size, 1000);
	assert_int_equal(ramfs_write(&fs, n, 500, big, 500), 500); /* overwrite fits */
	assert_int_equal(try_open("/h", RB_O_CREAT, &root), -E_NOSPC);
	assert_int_equal(mkdir_as("/e", 0755, &root), -E_NOSPC);
	assert_int_equal(ramfs_used(&fs), limit);
	assert_int_equal(ramfs_check(&fs), 0);
	assert_int_equal(ramfs_truncate(&fs, n, 100), 0);
	assert_int_equal(try_open("/h", RB_O_CREAT, &root), 0);
	ramfs_close(&fs, n);
	ramfs_set_limit(&fs, 0);
	assert_int_equal(try_open("/i", RB_O_CREAT, &root), -E_NOSPC);
	assert_int_equal(ramfs_unlink(&fs, "/h", 0, &root), 0); /* removing always works */

	struct ramfs tiny;
	assert_int_equal(ramfs_init(&tiny, &mem, RAMFS_NODE_COST - 1), -E_NOSPC);
}

/* Each operation, with its n-th allocation failing, fails whole. */
static void test_nomem(void **state)
{
	put("/f", "0123456789");
	assert_int_equal(mkdir_as("/d", 0755, &root), 0);
	for (int step = 0; step < 5; step++) {
		for (long k = 0; k < 3; k++) {
			uint64_t used = ramfs_used(&fs);
			long allocs = live_allocs;
			struct ramfs_node *n = xopen("/f", RB_O_RDWR, &root);
			fail_in = k;
			long r = 0;
			switch (step) {
			case 0:
				r = try_open("/d/new", RB_O_CREAT, &root);
				break;
			case 1:
				r = mkdir_as("/d/sub", 0755, &root);
				break;
			case 2:
				r = ramfs_write(&fs, n, 5000, "x", 1);
				break;
			case 3:
				r = ramfs_truncate(&fs, n, 5000);
				break;
			case 4:
				r = ramfs_rename(&fs, "/d", "/dir-with-a-new-name", &root);
				break;
			}
			fail_in = -1;
			ramfs_close(&fs, n);
			assert_int_equal(ramfs_check(&fs), 0);
			if (r == -E_NOMEM) {
				assert_int_equal(ramfs_used(&fs), used);
				assert_int_equal(live_allocs, allocs);
				expect("/f", "0123456789");
			} else {
				assert_true(r >= 0); /* undo it for the next round */
				int u = ramfs_unlink(&fs, "/d/new", 0, &root);
				u |= ramfs_unlink(&fs, "/d/sub", RB_AT_REMOVEDIR, &root);
				u |= ramfs_rename(&fs, "/dir-with-a-new-name", "/d", &root);
				assert_true(u < 0); /* two of the three had nothing to undo */
				put("/f", "0123456789");
			}
		}
	}
}

/* ---------------------------------------------------------------- model check */

#define M_MAX 64
#define M_DATA 600
struct mnode {
	char path[1024];
	int dir;
	size_t size;
	unsigned char data[M_DATA];
};
static struct mnode model[M_MAX];
static int nmodel;
static const uint64_t m_limit = 24 * RAMFS_NODE_COST + 3000;

static int m_find(const char *path)
{
	for (int i = 0; i < nmodel; i++)
		if (strcmp(model[i].path, path) == 0)
			return i;
	return -1;
}

static uint64_t m_used(void)
{
	uint64_t u = RAMFS_NODE_COST;
	for (int i = 0; i < nmodel; i++)
		u += RAMFS_NODE_COST + model[i].size;
	return u;
}

/* The model's walk: -errno for a bad parent, else the index of path or -1 (missing). */
static int m_walk(const char *path, int *idx)
{
	char pre[1024];
	for (const char *p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		memcpy(pre, path, (size_t)(p - path));
		pre[p - path] = 0;
		int i = m_find(pre);
		if (i < 0)
			return -E_NOENT;
		if (!model[i].dir)
			return -E_NOTDIR;
	}
	*idx = m_find(path);
	return 0;
}

static int m_has_children(const char *path)
{
	size_t len = strlen(path);
	for (int i = 0; i < nmodel; i++)
		if (strncmp(model[i].path, path, len) == 0 && model[i].path[len] == '/')
			return 1;
	return 0;
}

static void m_remove(int i)
{
	model[i] = model[--nmodel];
}

static int m_create(const char *path, int dir)
{
	int i, r = m_walk(path, &i);
	if (r < 0)
		return r;
	if (i >= 0)
		return -E_EXIST;
	if (m_used() + RAMFS_NODE_COST > m_limit)
		return -E_NOSPC;
	assert_true(nmodel < M_MAX);
	struct mnode *m = &model[nmodel++];
	memset(m, 0, sizeof *m);
	strcpy(m->path, path);
	m->dir = dir;
	return 0;
}

/* The model file at path, in *idx: 0, or the error a file operation on it gets. */
static int m_file(const char *path, int *idx)
{
	int r = m_walk(path, idx);
	if (r < 0)
		return r;
	if (*idx < 0)
		return -E_NOENT;
	return model[*idx].dir ? -E_ISDIR : 0;
}

static long m_write(const char *path, size_t off, const unsigned char *buf, size_t len)
{
	int i, r = m_file(path, &i);
	if (r < 0)
		return r;
	if (len == 0)
		return 0; /* writes nothing, extends nothing */
	size_t end = off + len > model[i].size ? off + len : model[i].size;
	if (m_used() + end - model[i].size > m_limit)
		return -E_NOSPC;
	assert_true(end <= M_DATA);
	if (off > model[i].size)
		memset(model[i].data + model[i].size, 0, off - model[i].size); /* the hole */
	memcpy(model[i].data + off, buf, len);
	model[i].size = end;
	return (long)len;
}

static int m_truncate(const char *path, size_t len)
{
	int i, r = m_file(path, &i);
	if (r < 0)
		return r;
	if (len > model[i].size && m_used() + len - model[i].size > m_limit)
		return -E_NOSPC;
	if (len > model[i].size)
		memset(model[i].data + model[i].size, 0, len - model[i].size);
	model[i].size = len;
	return 0;
}

static int m_unlink(const char *path, int rmdir)
{
	int i, r = m_walk(path, &i);
	if (r < 0)
		return r;
	if (i < 0)
		return -E_NOENT;
	if (rmdir && !model[i].dir)
		return -E_NOTDIR;
	if (rmdir && m_has_children(path))
		return -E_NOTEMPTY;
	if (!rmdir && model[i].dir)
		return -E_ISDIR;
	m_remove(i);
	return 0;
}

static int m_rename(const char *from, const char *to)
{
	int a, b, r = m_walk(from, &a);
	if (r == 0)
		r = m_walk(to, &b);
	if (r < 0)
		return r;
	if (a < 0)
		return -E_NOENT;
	size_t fl = strlen(from);
	if (strncmp(to, from, fl) == 0 && to[fl] == '/')
		return -E_INVAL;
	if (a == b)
		return 0;
	if (b >= 0) {
		if (model[b].dir && !model[a].dir)
			return -E_ISDIR;
		if (model[b].dir && m_has_children(to))
			return -E_NOTEMPTY;
		if (!model[b].dir && model[a].dir)
			return -E_NOTDIR;
		m_remove(b);
	}
	for (int i = 0; i < nmodel; i++) {
		char *p = model[i].path;
		if (strncmp(p, from, fl) == 0 && (p[fl] == 0 || p[fl] == '/')) {
			char tail[1024];
			strcpy(tail, p + fl);
			assert_true(strlen(to) + strlen(tail) < sizeof model[i].path);
			strcpy(p, to);
			strcat(p, tail);
		}
	}
	return 0;
}

static void random_path(char *out)
{
	int depth = 1 + rand() % 3;
	out[0] = 0;
	for (int d = 0; d < depth; d++) {
		char comp[3] = {'/', (char)('a' + rand() % 3), 0};
		strcat(out, comp);
	}
}

static long r_write(const char *path, size_t off, const unsigned char *buf, size_t len)
{
	struct ramfs_node *n;
	int r = ramfs_open(&fs, path, RB_O_RDWR, 0, &root, &n);
	if (r < 0)
		return r;
	long w = ramfs_write(&fs, n, off, buf, len);
	ramfs_close(&fs, n);
	return w;
}

static int r_truncate(const char *path, size_t len)
{
	struct ramfs_node *n;
	int r = ramfs_open(&fs, path, RB_O_WRONLY, 0, &root, &n);
	if (r < 0)
		return r;
	r = ramfs_truncate(&fs, n, len);
	ramfs_close(&fs, n);
	return r;
}

/* Compare every model entry's content and every directory's names with ramfs. */
static void m_compare(void)
{
	assert_int_equal(ramfs_used(&fs), m_used());
	assert_int_equal(fs.nodes, (uint64_t)nmodel + 1);
	for (int i = 0; i < nmodel; i++) {
		struct ramfs_node *n;
		assert_int_equal(ramfs_open(&fs, model[i].path, RB_O_RDONLY, 0, &root, &n), 0);
		struct ramfs_stat st;
		ramfs_stat(n, &st);
		assert_int_equal(st.mode & RAMFS_S_IFMT,
				 model[i].dir ? RAMFS_S_IFDIR : RAMFS_S_IFREG);
		if (!model[i].dir) {
			unsigned char buf[M_DATA];
			assert_int_equal(ramfs_read(&fs, n, 0, buf, sizeof buf), model[i].size);
			assert_memory_equal(buf, model[i].data, model[i].size);
		} else {
			uint64_t idx = 0;
			unsigned char buf[4096];
			long r = ramfs_getdents(n, &idx, buf, sizeof buf);
			assert_true(r >= 0);
			int count = 0;
			for (long off = 0; off < r; count++) {
				struct rb_dirent d;
				memcpy(&d, buf + off, sizeof d);
				char child[1100];
				snprintf(child, sizeof child, "%s/%s", model[i].path,
					 (char *)buf + off + 3);
				int c = m_find(child);
				assert_true(c >= 0);
				assert_int_equal(d.type, model[c].dir ? RB_DT_DIR : RB_DT_REG);
				off += d.reclen;
			}
			int want = 0;
			size_t len = strlen(model[i].path);
			for (int c = 0; c < nmodel; c++)
				if (strncmp(model[c].path, model[i].path, len) == 0 &&
				    model[c].path[len] == '/' &&
				    !strchr(model[c].path + len + 1, '/'))
					want++;
			assert_int_equal(count, want);
		}
		ramfs_close(&fs, n);
	}
}

static void test_model(void **state)
{
	srand(12345);
	nmodel = 0;
	ramfs_set_limit(&fs, m_limit);
	long steps = test_iterations(4000, 200000);
	for (long s = 0; s < steps; s++) {
		char p[1024], q[1024];
		random_path(p);
		random_path(q);
		unsigned char buf[200];
		size_t off = (size_t)(rand() % 300), len = (size_t)(rand() % 200);
		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)rand();
		switch (rand() % 8) {
		case 0: {
			struct ramfs_node *n;
			int r = ramfs_open(&fs, p, RB_O_CREAT | RB_O_EXCL, 0644, &root, &n);
			if (r == 0)
				ramfs_close(&fs, n);
			assert_int_equal(r, m_create(p, 0));
			break;
		}
		case 1:
			assert_int_equal(mkdir_as(p, 0755, &root), m_create(p, 1));
			break;
		case 2:
		case 3:
			assert_int_equal(r_write(p, off, buf, len), m_write(p, off, buf, len));
			break;
		case 4:
			assert_int_equal(r_truncate(p, off), m_truncate(p, off));
			break;
		case 5:
			assert_int_equal(ramfs_unlink(&fs, p, 0, &root), m_unlink(p, 0));
			break;
		case 6:
			assert_int_equal(ramfs_unlink(&fs, p, RB_AT_REMOVEDIR, &root),
					 m_unlink(p, 1));
			break;
		case 7:
			assert_int_equal(ramfs_rename(&fs, p, q, &root), m_rename(p, q));
			break;
		}
		assert_int_equal(ramfs_check(&fs), 0);
		assert_int_equal(ramfs_used(&fs), m_used());
		if (s % 50 == 0)
			m_compare();
	}
	m_compare();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fpath, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlinked_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_getdents, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_setattr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nospc, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nomem, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_model, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
