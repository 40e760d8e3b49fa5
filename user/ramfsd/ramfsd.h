/*
 * ramfsd.h - the parts of the file: server (user/ramfsd) shared by its
 * files: the file system and the mutex that guards it (every ramfs call
 * and every handle's offset is made holding fs_lock).
 */
#pragma once
#include "ramfs/ramfs.h"
#include "rb/thread.h"

extern struct ramfs fs;
extern struct rb_mutex fs_lock;

/*
 * Copy the tree of initfs:/ into fs (as root, directories 0755, files
 * 0644 or 0755 under /bin); count the files and bytes: 0 or the first error.
 */
int seed_from_initfs(uint64_t *files, uint64_t *bytes);

/*
 * Apply the owners and modes of initfs:/etc/fs.perms to fs (making the
 * directories its 'd' rules name); bad lines and missing paths are
 * reported and skipped. 0, or -E_NOMEM / a read error of the table.
 */
int apply_fs_perms(void);
