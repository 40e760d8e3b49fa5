/*
 * fdtable.h - a process's file descriptor table, an object that owns its
 * lock.
 *
 * Slot fd holds a reference to a struct file or NULL. lock (a spinlock)
 * guards the slots, the slot array itself (fds, cap), limit and closed;
 * it is held only to read or change slots and take references, never
 * across a scheme op, an allocation or file_put (which may sleep).
 * fdt_get returns a reference the caller drops with file_put, so a close
 * on another thread never frees a file in use. closed is set when the
 * process exits: after that nothing can be installed, so no file can slip
 * in behind the final sweep.
 *
 * Size: the table starts with FDT_INLINE slots inside the struct and
 * doubles on demand up to its limit (RLIMIT_NOFILE: FDT_DEFAULT, at most
 * FDT_MAX); a bigger array is allocated with the lock dropped and swapped
 * in under it (readers hold the lock, so the old one is freed at once).
 * New descriptors are below limit (else EMFILE); lowering the limit below
 * an open fd is allowed and only affects new ones.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "sync/spinlock.h"

#define FDT_INLINE 64	 /* slots in the struct itself */
#define FDT_DEFAULT 1024 /* RLIMIT_NOFILE of init */
#define FDT_MAX 65536	 /* RLIMIT_NOFILE may not go higher: no fd is ever >= this */

struct file;

/* The calling process's fd table (sys_file.c). */
struct fdtable *fdt_self(void);
/* What a system call does to its file with its two other arguments: a result or -E_*. */
typedef long (*file_call)(struct file *file, uint64_t a, uint64_t b);
/* Run call on the caller's file fd, holding a reference while it runs: its result, or -E_BADF
   (sys_file.c; the fd system calls use it). */
long on_fd(uint64_t fd, file_call call, uint64_t a, uint64_t b);

/* A descriptor argument of a system call, checked at its full 64 bits: values
   out of range (even ones that would wrap as int) give -1, which no table holds. */
static inline int fdt_arg(uint64_t fd)
{
	return fd < FDT_MAX ? (int)fd : -1;
}

struct fdtable {
	struct spinlock lock;
	bool closed;
	int cap;	   /* slots in fds: FDT_INLINE, doubled on growth */
	int limit;	   /* RLIMIT_NOFILE: new fds are below it */
	struct file **fds; /* inline_fds or kmalloc'ed */
	struct file *inline_fds[FDT_INLINE];
};

/* An empty, open table with limit fds at most. The struct must not move afterwards. */
void fdt_init(struct fdtable *t, int limit);
/* The file at fd with a reference taken (drop it with file_put), or NULL. */
struct file *fdt_get(struct fdtable *t, int fd);
/* Put f (a reference the table takes over on success) in the lowest free fd >= min: fd, -E_MFILE,
 * -E_NOMEM, -E_INVAL. */
MUST_CHECK int fdt_install(struct fdtable *t, struct file *f, int min);
/* Make the lowest free fd >= min refer to fd's file: the new fd or -E_BADF, -E_MFILE, -E_INVAL. */
MUST_CHECK int fdt_dup(struct fdtable *t, int fd, int min);
/* Make nfd (below the limit) refer to fd's file, closing what nfd held, in one step: nfd or
 * -E_BADF, -E_NOMEM. */
MUST_CHECK int fdt_dup2(struct fdtable *t, int fd, int nfd);
/* Empty slot fd and drop the table's reference: 0 or -E_BADF. */
MUST_CHECK int fdt_close(struct fdtable *t, int fd);
/*
 * Fill child, a new empty table, from parent: child fd i gets parent fd
 * map[i] (a negative entry leaves it closed), for i < n. All or nothing:
 * 0, or -E_BADF if an entry is neither negative nor an open fd of parent
 * (checked under parent's lock), -E_INVAL if n is above child's limit,
 * -E_NOMEM.
 */
MUST_CHECK int fdt_inherit(struct fdtable *child, struct fdtable *parent, const int *map, int n);
/* Close every fd and refuse new ones (process exit). May sleep. */
void fdt_close_all(struct fdtable *t);
/* RLIMIT_NOFILE of t. */
int fdt_limit(struct fdtable *t);
/* Set RLIMIT_NOFILE of t to limit (1..FDT_MAX): 0, or -E_PERM if that raises it and
 * !may_raise (checked against the limit in place, under the lock). */
MUST_CHECK int fdt_set_limit(struct fdtable *t, int limit, bool may_raise);
