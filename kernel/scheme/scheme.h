/*
 * scheme.h - the one interface every file provider implements, and the
 * registry of scheme names (docs/scheme.md).
 *
 * A scheme is a named provider of files: "initfs" (the boot archive),
 * "debug" (the serial console), and later user-space servers over IPC.
 * It fills in a struct scheme_ops; every op is optional and may sleep
 * and fail (the file layer in file.c never holds a spinlock across an
 * op), and a missing op gives the error POSIX gives for a file that
 * cannot do it (see file.h). Ops receive the struct file; f->priv is the
 * scheme's own per-open state, f->scheme->priv its per-scheme state.
 *
 * Ownership and locking: a struct scheme belongs to whoever registered
 * it and is reference counted: the registry holds one reference, each
 * open struct file another. registry_lock (a spinlock, scheme.c) guards
 * the name table; scheme_lookup takes the reference before dropping it.
 * When the last reference goes, s->release (if set) gets the scheme back.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "base/scheme_path.h"
#include "base/syscall_nr.h"

struct file;
struct scheme;
struct waitq_entry;

struct scheme_ops {
	/* Open path (after "name:") with RB_O_* flags: set f->priv; 0 or -E_*. */
	int (*open)(struct file *f, const char *path, int flags);
	/* The last reference to f is gone: free f->priv (the result is only logged). */
	int (*close)(struct file *f);
	/* Read into user buffer ubuf at *off, advancing it: bytes, 0 at end, or -E_*. */
	long (*read)(struct file *f, uint64_t ubuf, size_t len, uint64_t *off);
	/* Write user buffer ubuf at *off, advancing it: bytes or -E_*. */
	long (*write)(struct file *f, uint64_t ubuf, size_t len, uint64_t *off);
	/* Read / write at off, leaving f's offset alone (pread, pwrite): bytes or -E_*. Only a
	   scheme that keeps offsets itself needs them: without, a scheme with kernel-kept
	   offsets gets read / write on a copy of off, and a stream ESPIPE. */
	long (*pread)(struct file *f, uint64_t ubuf, size_t len, uint64_t off);
	long (*pwrite)(struct file *f, uint64_t ubuf, size_t len, uint64_t off);
	/* Move *off by (off, whence): the new offset or -E_*. */
	long (*seek)(struct file *f, int64_t off, int whence, uint64_t *pos);
	/* Describe f. */
	int (*fstat)(struct file *f, struct rb_stat *st);
	/* Directory records (rb_dirent) from entry *off on: bytes, 0 at end, or -E_*. */
	long (*getdents)(struct file *f, uint64_t ubuf, size_t len, uint64_t *off);
	/* The physical page holding offset off, for mapping with prot. *owner is NULL on entry; a
	   scheme whose page belongs to another file (a user scheme's: the server's shm: file)
	   sets it to that file, with a reference taken and counted in its maps (taken before the
	   page was asked for), which the mapping keeps as long as it lives (mm/vm.c). */
	int (*fmap)(struct file *f, uint64_t off, int prot, uint64_t *paddr, struct file **owner);
	/* A new open file nf derived from f by arg (Redox-style dup; not POSIX dup). */
	int (*dup)(struct file *f, const char *arg, struct file *nf);
	/* Write buffered data of f out. */
	int (*fsync)(struct file *f);
	/* Set the size of f to len. */
	int (*ftruncate)(struct file *f, uint64_t len);
	/* A scheme-specific fcntl command (F_DUPFD is the fd table's). */
	long (*fcntl)(struct file *f, int cmd, long arg);
	/* f's path after "name:" into kernel buffer buf (len bytes): bytes or -E_*. */
	long (*fpath)(struct file *f, char *buf, size_t len);
	/* The RB_POLL* bits that hold for f now; if w is not NULL, also add w to the
	   wait queue that f's scheme wakes when they may have changed (sync/waitq.h). */
	unsigned (*poll)(struct file *f, struct waitq_entry *w);
	/* Scheme-wide, in the caller's context: remove path (RB_AT_REMOVEDIR: an empty directory).
	 */
	int (*unlink)(struct scheme *s, const char *path, int flags);
	/* Scheme-wide, in the caller's context: rename from to to (paths after "name:"). */
	int (*rename)(struct scheme *s, const char *from, const char *to);
};

/* open/dup may return this (> 0) with f->priv set to another file (a reference) that the
   caller gets instead of f; f is then freed without its close op. */
#define SCHEME_REPLACED 1

/* s->flags: no file offset; lseek gives ESPIPE (unless the scheme has a seek op, which gets a
   scratch offset) and ops run without f's pos lock. */
#define SCHEME_STREAM 1u
/* s->flags: poll has no wake-up source; SYS_POLL looks again every few ms (poll.c). */
#define SCHEME_POLL_TICK 2u

struct scheme {
	char name[SCHEME_NAME_MAX + 1];
	const struct scheme_ops *ops;
	unsigned flags;
	void *priv;			   /* the provider's state */
	void (*release)(struct scheme *s); /* called when the last reference goes */
	int refs;			   /* __atomic: registry + open files */
};

/* Register s under s->name (refs set to 1 on success): 0, -E_INVAL, -E_EXIST or -E_NOSPC. */
MUST_CHECK int scheme_register(struct scheme *s);
/* Remove s's name: no new opens; open files keep s alive. 0 or -E_NOENT. */
MUST_CHECK int scheme_unregister(struct scheme *s);
/* The scheme registered as name[0..len), with a reference taken, or NULL. */
struct scheme *scheme_lookup(const char *name, size_t len);
/* Take / drop a reference to s. */
void scheme_get(struct scheme *s);
void scheme_put(struct scheme *s);
