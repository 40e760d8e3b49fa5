/*
 * passwd.h - /etc/passwd: one account per line,
 *
 *     name:x:uid:gid:gecos:home:shell
 *
 * exactly seven fields. name is an account name (colon.h); the password
 * field must be "x" (hashes live in /etc/shadow only); uid and gid are
 * decimal 0..2147483647 without leading zeros; gecos is printable ASCII
 * (space included, ':' not), at most PASSWD_GECOS_MAX bytes, may be
 * empty; home and shell are absolute paths ('/' first, printable ASCII
 * without space or ':'), at most PASSWD_PATH_MAX bytes: the login
 * program decides which scheme they name. Empty lines and lines starting
 * with '#' are skipped.
 *
 * passwd_parse() fills a caller-given table and reports each skipped
 * line (malformed, a name seen before, or past the table's end) with its
 * number; the lookups return the first entry that matches. Pure: no
 * allocation, no locks; the caller owns the table and serialises access.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "auth/colon.h"

#define PASSWD_GECOS_MAX 63
#define PASSWD_PATH_MAX 127

struct passwd_entry {
	char name[COLON_NAME_MAX + 1];
	int32_t uid, gid;
	char gecos[PASSWD_GECOS_MAX + 1];
	char home[PASSWD_PATH_MAX + 1];
	char shell[PASSWD_PATH_MAX + 1];
};

/*
 * Parse text[0..len) (NUL bytes are data, not an end) into out[0..max):
 * the number of entries stored. Skipped lines go to report (may be NULL).
 */
size_t passwd_parse(const char *text, size_t len, struct passwd_entry *out, size_t max,
		    colon_report_fn report, void *ctx);

/* The entry of rows[0..n) named name (NUL-terminated), or NULL. */
const struct passwd_entry *passwd_by_name(const struct passwd_entry *rows, size_t n,
					  const char *name);

/* The first entry of rows[0..n) with this uid, or NULL. */
const struct passwd_entry *passwd_by_uid(const struct passwd_entry *rows, size_t n, int32_t uid);
