/*
 * ramfs.h - a RAM file system: a tree of directories and regular files,
 * the logic of the file: server (user/ramfsd) and nothing else.
 *
 * Paths are "/a/b/c" (at most RB_PATH_MAX bytes with the NUL: else
 * -E_NAMETOOLONG); empty components and "." are skipped, ".." is refused
 * (-E_INVAL). Each node has an owner uid/gid and a mode (permission bits,
 * 01000 = sticky) checked simply: uid 0 may do anything; others need r or w
 * on a file for the access mode of an open, w on a directory to create or
 * remove in it, and in a sticky directory (/tmp is 01777) only the owner of
 * the entry or of the directory may remove or rename it. Search (x) bits
 * are not checked.
 *
 * Memory: every byte comes from the caller's alloc/free callbacks (malloc
 * on the host, rb_malloc in ramfsd). Space: a node costs RAMFS_NODE_COST
 * plus its file's size; the total is bounded by the limit given at init,
 * and an operation that would pass it fails with -E_NOSPC having changed
 * nothing (writes are all or nothing). A failed allocation is -E_NOMEM,
 * also with nothing changed.
 *
 * Lifetime: ramfs_open returns a node holding one open reference;
 * ramfs_ref adds one, ramfs_close drops one. An unlinked (or replaced)
 * node's data stays readable and writable through its open references and
 * is freed, and its space returned, when the last one is closed.
 * ramfs_destroy frees every node, open or not.
 *
 * Locking: none. The caller serialises every call on one struct ramfs
 * (ramfsd holds one mutex around it); results are the caller's storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "base/syscall_nr.h"

#define RAMFS_NODE_COST 128 /* bytes a node counts against the limit */
#define RAMFS_NAME_MAX 255  /* bytes of one component */
#define RAMFS_S_IFDIR 0x4000
#define RAMFS_S_IFREG 0x8000
#define RAMFS_S_IFMT 0xF000
#define RAMFS_S_STICKY 01000

struct ramfs_mem {
	void *(*alloc)(void *ctx, size_t n);	    /* n bytes or NULL */
	void (*free)(void *ctx, void *p, size_t n); /* p from alloc(ctx, n) */
	void *ctx;
};

struct ramfs_cred {
	int uid, gid;
};

struct ramfs_stat {
	uint64_t size;
	unsigned int mode; /* RAMFS_S_IF* | permission bits */
	int uid, gid;
	unsigned int nlink; /* 1 in the tree, 0 once unlinked */
};

struct ramfs_node;

struct ramfs {
	struct ramfs_mem mem;
	struct ramfs_node *root;
	struct ramfs_node *all; /* every live node, linked or only open */
	uint64_t used, limit;	/* bytes counted, and their bound */
	uint64_t nodes;		/* live nodes */
};

/* Make an empty file system (root: directory 0755 owned by 0:0) bounded by limit bytes. */
MUST_CHECK int ramfs_init(struct ramfs *fs, const struct ramfs_mem *mem, uint64_t limit);
/* Free every node and byte of fs; open nodes become invalid. */
void ramfs_destroy(struct ramfs *fs);

/*
 * Open path with RB_O_* flags as cred: O_CREAT makes a missing last
 * component (a directory with O_DIRECTORY, else a regular file) owned by
 * cred with permission bits mode; O_EXCL refuses an existing one (EEXIST);
 * O_DIRECTORY refuses a non-directory (ENOTDIR); a directory opened for
 * writing or with O_TRUNC is EISDIR; O_TRUNC empties a file opened for
 * writing. On 0, *out holds one open reference.
 */
MUST_CHECK int ramfs_open(struct ramfs *fs, const char *path, int flags, unsigned int mode,
			  const struct ramfs_cred *cred, struct ramfs_node **out);
/* Take another open reference on n (a dup); n. */
struct ramfs_node *ramfs_ref(struct ramfs_node *n);
/* Drop an open reference; an unlinked node is freed with its last. */
void ramfs_close(struct ramfs *fs, struct ramfs_node *n);

/* Read up to len bytes of file n from off into buf: bytes (0 past the end) or -E_ISDIR. */
MUST_CHECK long ramfs_read(struct ramfs *fs, struct ramfs_node *n, uint64_t off, void *buf,
			   size_t len);
/*
 * Write len bytes into file n at off (a hole before it reads as zeros):
 * len, or -E_ISDIR, -E_NOSPC, -E_NOMEM with nothing written.
 */
MUST_CHECK long ramfs_write(struct ramfs *fs, struct ramfs_node *n, uint64_t off, const void *buf,
			    size_t len);
/* Set file n's size to len (growth reads as zeros): 0, -E_ISDIR, -E_NOSPC, -E_NOMEM. */
MUST_CHECK int ramfs_truncate(struct ramfs *fs, struct ramfs_node *n, uint64_t len);
/* Give n the permission bits mode & 07777 (its type stays) and the owner uid:gid. */
void ramfs_setattr(struct ramfs_node *n, unsigned int mode, int uid, int gid);
/* Fill *st for n. */
void ramfs_stat(const struct ramfs_node *n, struct ramfs_stat *st);
/*
 * Fill buf (len bytes) with struct rb_dirent records of directory n from
 * entry *index on, advancing *index: bytes filled (0 at the end), -E_NOTDIR,
 * or -E_INVAL when not even the first record fits.
 */
MUST_CHECK long ramfs_getdents(struct ramfs_node *n, uint64_t *index, void *buf, size_t len);
/*
 * n's path from the root ("/a/b", "/" for the root) into buf, NUL-terminated:
 * its length, -E_NOENT once n is unlinked, -E_NAMETOOLONG if len is short.
 */
MUST_CHECK long ramfs_path(const struct ramfs *fs, const struct ramfs_node *n, char *buf,
			   size_t len);

/*
 * Remove path as cred: a file, or with RB_AT_REMOVEDIR an empty directory
 * (ENOTDIR if it is not one, ENOTEMPTY if not empty; a directory without
 * the flag is EISDIR; the root EBUSY).
 */
MUST_CHECK int ramfs_unlink(struct ramfs *fs, const char *path, int flags,
			    const struct ramfs_cred *cred);
/*
 * Move from to to as cred (files and directories). An existing target is
 * replaced if it is a file and from is a file, or an empty directory and
 * from a directory (EISDIR, ENOTDIR, ENOTEMPTY otherwise); moving a
 * directory under itself is EINVAL; the root is EBUSY; to's parent must
 * exist (ENOENT).
 */
MUST_CHECK int ramfs_rename(struct ramfs *fs, const char *from, const char *to,
			    const struct ramfs_cred *cred);

/* Bytes counted against the limit now. */
uint64_t ramfs_used(const struct ramfs *fs);
/* Change the bound (below what is used only refuses growth). */
void ramfs_set_limit(struct ramfs *fs, uint64_t limit);
/* Recount every node and check the tree's invariants: 0 or -E_IO (tests, fuzzing). */
MUST_CHECK int ramfs_check(const struct ramfs *fs);
