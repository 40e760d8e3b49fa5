/*
 * confdir.h - reading a directory of configuration files: init's
 * /etc/init.d, driver-manager's /etc/drivers.d.
 *
 * A directory path with no scheme ("/etc/init.d") is read through
 * initfs: (rb_conf_path): such files are part of the boot image and are
 * there before file: (ramfsd) serves. rb_conf_list() gives the entries
 * ending in SUFFIX in name order; rb_conf_read() reads one whole file.
 * Errors are returned, never printed. No shared state: any thread.
 */
#pragma once
#include <stddef.h>

#define RB_CONF_NAME_MAX 40 /* bytes of a listed name, NUL included */

/* dir/name (name may be NULL: dir itself), with initfs: added when dir names no scheme. */
void rb_conf_path(char *out, size_t len, const char *dir, const char *name);

/*
 * The names in dir ending in suffix, sorted, into names[0..max): how many,
 * or a negative error if dir does not open. Longer names, and names past
 * max, are counted in *skipped (may be NULL) and left out.
 */
long rb_conf_list(const char *dir, const char *suffix, char names[][RB_CONF_NAME_MAX], size_t max,
		  size_t *skipped);

/* The whole file at path (at most max - 1 bytes) in a new rb_malloc buffer,
   NUL-terminated: its length, or an error (-E_2BIG when longer). */
long rb_conf_read(const char *path, size_t max, char **out);
