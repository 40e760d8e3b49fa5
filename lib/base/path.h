/*
 * path.h - working-directory paths: which paths are relative, and the
 * canonical "scheme:/a/b" form a relative or absolute path resolves to.
 *
 * A path is relative when it names no scheme (no ':' before its first
 * '/') and does not start with '/': "x", "a/b", "..", "./x". Relative
 * paths are joined to a working directory, which is always canonical:
 * "name:/" or "name:/a/b" (no empty, "." or ".." segment, no trailing
 * '/'). path_resolve also canonicalises absolute paths: "scheme:rest" keeps
 * its scheme, a plain "/x" is SCHEME_PLAIN's ("file:/x"). ".." at the root
 * stays at the root, as POSIX's "/..". Pure functions: the caller owns
 * every buffer; shared by the kernel and the host tests.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include "base/compiler.h"

/* True if path (NUL-terminated) is relative: not empty, no scheme, no leading '/'. */
bool path_is_relative(const char *path);

/*
 * The canonical "name:/..." form of path into out[0..cap), NUL included;
 * a relative path is taken from cwd (canonical, see above). 0, or
 * -E_NOENT (empty path), -E_INVAL (an invalid scheme name, or a cwd that
 * is not canonical), -E_NAMETOOLONG (the result and its NUL need more than
 * cap bytes, or path has no NUL within cap bytes).
 */
MUST_CHECK int path_resolve(const char *cwd, const char *path, char *out, size_t cap);
