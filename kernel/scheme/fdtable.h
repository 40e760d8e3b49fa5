/*
 * fdtable.h - a process's file descriptor table, an object that owns its
 * lock.
 *
 * Slot fd holds a reference to a struct file or NULL. lock (a spinlock)
 * guards the slots and closed; it is held only to read or change slots
 * and take references, never across a scheme op or file_put (which may
 * sleep). fdt_get returns a reference the caller drops with file_put, so
 * a close on another thread never frees a file in use. closed is set when
 * the process exits: after that nothing can be installed, so no file can
 * slip in behind the final sweep. Descriptors are bounded by MAX_FDS.
 */
#pragma once
#include <stdbool.h>
#include "base/compiler.h"
#include "sync/spinlock.h"

#define MAX_FDS 64

struct file;

struct fdtable {
	struct spinlock lock;
	bool closed;
	struct file *fds[MAX_FDS];
};

/* An empty, open table. */
void fdt_init(struct fdtable *t);
/* The file at fd with a reference taken (drop it with file_put), or NULL. */
struct file *fdt_get(struct fdtable *t, int fd);
/* Put f (a reference the table takes over on success) in the lowest free fd >= min: fd, -E_MFILE,
 * -E_INVAL. */
MUST_CHECK int fdt_install(struct fdtable *t, struct file *f, int min);
/* Make the lowest free fd >= min refer to fd's file: the new fd or -E_BADF, -E_MFILE, -E_INVAL. */
MUST_CHECK int fdt_dup(struct fdtable *t, int fd, int min);
/* Make nfd refer to fd's file, closing what nfd held, in one step: nfd or -E_BADF. */
MUST_CHECK int fdt_dup2(struct fdtable *t, int fd, int nfd);
/* Empty slot fd and drop the table's reference: 0 or -E_BADF. */
MUST_CHECK int fdt_close(struct fdtable *t, int fd);
/*
 * Fill child, a new empty table, from parent: child fd i gets parent fd
 * map[i] (a negative entry leaves it closed), for i < n. All or nothing:
 * 0, or -E_BADF if an entry is neither negative nor an open fd of parent
 * (checked under parent's lock), -E_INVAL if n is out of range.
 */
MUST_CHECK int fdt_inherit(struct fdtable *child, struct fdtable *parent, const int *map, int n);
/* Close every fd and refuse new ones (process exit). May sleep. */
void fdt_close_all(struct fdtable *t);
