/*
 * fsperms.h - the permission table ramfsd applies to the tree it seeds
 * from initfs (/etc/fs.perms, docs/ramfs.md). One rule per line, fields
 * separated by spaces or tabs:
 *
 *     TYPE MODE UID:GID PATH
 *     d 0700 0:0 /root          # a directory, made if missing
 *     f 0600 0:0 /etc/shadow    # an existing file or directory
 *     f 0755 0:0 /bin/?         # with "*" for "?": every entry in /bin
 *
 * TYPE is 'd' (make the directory if it is missing; its parent must
 * exist, so list parents first) or 'f' (the node must exist). MODE is
 * octal, 1..5 digits, at most 01777 (the sticky bit and rwx for owner,
 * group, others). UID and GID are decimal 0..2147483647 without leading
 * zeros. PATH is absolute, at most FSPERMS_PATH_MAX bytes of printable
 * ASCII without spaces, with no "." or ".." component and no empty one
 * (no "//", no trailing '/'); only an 'f' rule may have "*" as its last
 * component, which stands for every entry directly in that directory. Empty lines and
 * lines starting with '#' are skipped, a '\r' before the '\n' is dropped,
 * and anything after the path is an error (no trailing comments).
 *
 * fsperms_parse() fills a caller-given table in file order (later rules
 * win) and reports each refused line, or a line past the table's end,
 * with its number and reason. Pure: no allocation, no locks; the caller
 * owns the table.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FSPERMS_PATH_MAX 200 /* bytes of a path, without the NUL */
#define FSPERMS_MODE_MAX 01777
#define FSPERMS_ID_MAX 2147483647

struct fsperms_rule {
	bool make_dir;			 /* 'd': create the directory if missing */
	bool children;			 /* last component was "*": path is the directory */
	unsigned int mode;		 /* 0..FSPERMS_MODE_MAX */
	int32_t uid, gid;		 /* owner */
	char path[FSPERMS_PATH_MAX + 1]; /* NUL-terminated, without a last "*" */
};

/* Called for each refused line: its number (from 1) and why. */
typedef void (*fsperms_report_fn)(void *ctx, unsigned line, const char *reason);

/*
 * Parse text[0..len) (NUL bytes are data, refused in a path) into
 * out[0..max): the number of rules stored. Refused lines go to report
 * (may be NULL).
 */
size_t fsperms_parse(const char *text, size_t len, struct fsperms_rule *out, size_t max,
		     fsperms_report_fn report, void *ctx);
