/*
 * scheme_path.h - scheme names and "scheme:/path" strings, checked.
 *
 * A path from user space names a scheme and a path inside it:
 * "initfs:/bin/init", "debug:". scheme_path_split() cuts such a string at
 * its first ':' (if no '/' comes before it) without copying: the scheme name and the rest are spans
 * of the caller's string. A scheme name is 1 to SCHEME_NAME_MAX bytes of
 * [a-z0-9_-] starting with a letter. struct scheme_table maps names to
 * objects (the kernel's scheme registry): it refuses an invalid name
 * (-E_INVAL), a name already present (-E_EXIST) and a full table
 * (-E_NOSPC). Pure functions: the caller owns the storage and holds
 * whatever lock guards it; shared by the kernel, host tests and the fuzzer.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include "base/compiler.h"

#define SCHEME_NAME_MAX 31
#define SCHEME_PLAIN "file" /* the scheme a plain path (no "name:") belongs to */

struct scheme_path {
	const char *name; /* scheme name, not NUL-terminated */
	size_t name_len;
	const char *rest; /* after the ':', NUL-terminated (the input's end) */
	size_t rest_len;
};

/* True if name[0..len) is a valid scheme name. */
bool scheme_name_valid(const char *name, size_t len);

/*
 * Split the NUL-terminated path (at most max bytes are looked at) into
 * out: 0; -E_NOENT when no ':' comes before the first '/' (a plain path
 * such as "/etc/x", "tmp/a:b" or "x" names no scheme: the caller reads it
 * as SCHEME_PLAIN's);
 * -E_INVAL when the scheme name is invalid; -E_NAMETOOLONG when no NUL
 * comes within max bytes.
 */
MUST_CHECK int scheme_path_split(const char *path, size_t max, struct scheme_path *out);

#define SCHEME_TABLE_MAX 64 /* kernel schemes, services, and a scheme per driver */

struct scheme_table {
	struct {
		char name[SCHEME_NAME_MAX + 1]; /* "" for a free slot */
		void *obj;
	} slot[SCHEME_TABLE_MAX];
};

/* Add name[0..len) -> obj (obj not NULL): 0, -E_INVAL, -E_EXIST or -E_NOSPC. */
MUST_CHECK int scheme_table_add(struct scheme_table *t, const char *name, size_t len, void *obj);
/* The object registered as name[0..len), or NULL. */
void *scheme_table_find(const struct scheme_table *t, const char *name, size_t len);
/* Remove name[0..len): its object, or NULL if it was not there. */
void *scheme_table_remove(struct scheme_table *t, const char *name, size_t len);
