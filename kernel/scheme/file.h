/*
 * file.h - open files: the scheme-independent layer every fd points at.
 *
 * file_open("scheme:/path") finds the scheme (scheme.h) and lets it fill
 * a new struct file; a plain path ("/etc/x", no ':' before the first '/')
 * is the file: scheme's (docs/scheme.md, "Paths and names"). The file_*
 * calls below check what every scheme would otherwise check, run the
 * scheme's op, and give POSIX's error when the scheme has no such op:
 * read/write EBADF, seek ESPIPE (streams; others get a default seek over
 * fstat's size), fstat ENOSYS, getdents ENOTDIR, fmap ENODEV, dup ENOSYS,
 * fsync and ftruncate EINVAL, fcntl EINVAL; fmap also checks the open
 * mode against prot (EACCES), for every file a mapping reaches.
 *
 * Ownership and locking: a struct file is reference counted (refs,
 * __atomic): each fd-table slot holds one, and so does every operation in
 * progress (fdtable.c's fdt_get), so a file closed by another thread lives
 * until the last operation on it returns. The last file_put calls the
 * scheme's close, drops the scheme reference and frees the file. off is
 * guarded by pos_lock, a sleeping mutex held across read, write, seek and
 * getdents so concurrent users of a shared offset each see a consistent
 * one (not taken for SCHEME_STREAM schemes, which have no offset).
 * scheme, flags and priv never change after open. maps counts the
 * address-space regions that hold f (vm.c changes it with __atomic
 * operations), and so does every file a mapping keeps as the owner of
 * its pages (a user scheme's fmap answer, scheme.h); a scheme may refuse
 * to shrink a mapped file. Files alive
 * are counted system-wide and bounded by RLIMIT_NFILE (ENFILE).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "base/syscall_nr.h"
#include "sync/kmutex.h"

struct scheme;
struct waitq_entry;

struct file {
	struct scheme *scheme; /* a reference, dropped with the last file_put */
	int refs;	       /* __atomic */
	int flags;	       /* RB_O_* given to open */
	struct kmutex pos_lock;
	uint64_t off; /* guarded by pos_lock */
	void *priv;   /* owned by the scheme */
	int maps;     /* __atomic: address-space mappings of f alive (mm/vm.c) */
};

#define NFILE_DEFAULT 65536 /* RLIMIT_NFILE at boot */

/* The scheme path names, with a reference taken, and its rest (after "name:"; a plain
   path with no ':' before its first '/' is all rest, of SCHEME_PLAIN "file"): 0, or
   -E_NOENT (no such scheme registered, or an invalid name) or -E_NAMETOOLONG. */
MUST_CHECK int file_resolve(const char *path, struct scheme **out, const char **rest);
/* Open "scheme:/path", or a plain path in file: (file_resolve): 0 with *out (refs 1), or -E_*. */
MUST_CHECK int file_open(const char *path, int flags, struct file **out);
/* A new file of scheme s (taking a reference to s) with flags and priv, refs 1, in *out:
   0, -E_NFILE or -E_NOMEM. For files the kernel makes without an open by path (pipe ends). */
MUST_CHECK int file_new(struct scheme *s, int flags, void *priv, struct file **out);
/* A new file on the debug console (fds 0-2 of init), or NULL. */
struct file *file_console(void);
/* Take a reference to f (the caller already holds one, or holds the lock of a table that does). */
void file_get(struct file *f);
/* Drop a reference; the last one closes f. May sleep (the scheme's close). */
void file_put(struct file *f);

/* The operations (see scheme.h); ubuf ranges are checked by the caller. */
long file_read(struct file *f, uint64_t ubuf, size_t len);
long file_write(struct file *f, uint64_t ubuf, size_t len);
/* At off, f's offset untouched (scheme.h's pread / pwrite): bytes or -E_*. */
long file_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off);
long file_pwrite(struct file *f, uint64_t ubuf, size_t len, uint64_t off);
long file_seek(struct file *f, int64_t off, int whence);
int file_fstat(struct file *f, struct rb_stat *st);
long file_getdents(struct file *f, uint64_t ubuf, size_t len);
/* The page at off for a mapping with prot (scheme.h's fmap; *owner is set to NULL first): 0, or
   -E_ACCES if f's open mode does not allow prot (read needs a readable file, write a writable
   one), -E_NODEV without fmap, or the scheme's error. */
int file_fmap(struct file *f, uint64_t off, int prot, uint64_t *paddr, struct file **owner);
int file_fsync(struct file *f);
int file_ftruncate(struct file *f, uint64_t len);
long file_fcntl(struct file *f, int cmd, long arg);
/* f's path after "name:" into buf (kernel memory): bytes or -E_* (ENOSYS: the scheme cannot say).
 */
long file_fpath(struct file *f, char *buf, size_t len);
/* f's RB_POLL* bits now; with w, also add w to f's wait queue (see scheme.h's poll). */
unsigned file_poll(struct file *f, struct waitq_entry *w);
/* A new file derived from f by arg (the scheme's dup op): 0 with *out, or -E_*. */
MUST_CHECK int file_dup(struct file *f, const char *arg, struct file **out);

/* Struct files alive now, system-wide (SYS_KSTAT). */
uint64_t file_count(void);
/* RLIMIT_NFILE: the most struct files that may exist; file_set_limit sets it (root checked). */
uint64_t file_limit(void);
void file_set_limit(uint64_t limit);

/* Register the kernel's schemes, initfs (the archive ar, a boot module) and debug. */
void file_init(const void *ar, size_t len);
/* Look up a regular file in initfs: its bytes, or NULL (initfs.c). */
const uint8_t *initfs_file(const char *path, size_t *len);
