/*
 * shadow.h - /etc/shadow: the password of each account, one per line,
 *
 *     name:hash:lastchg:min:max:warn:inactive:expire:
 *
 * exactly nine fields. name is an account name (colon.h). hash is one of
 *   - a "$5$" SHA-256-crypt hash (crypto/sha256crypt.h), as written;
 *   - '!' and such a hash: the account is locked, the hash kept;
 *   - "*", "!" or "!!": no password, the account is locked.
 * An empty hash (a password-less account elsewhere) and other schemes
 * ("$6$", DES) are refused: the line is reported and skipped. The six
 * day counts are empty (SHADOW_UNSET) or decimal 0..2147483647; they
 * are kept but not acted on here. The ninth field is reserved and must
 * be empty. Empty lines and lines starting with '#' are skipped.
 *
 * shadow_parse() fills a caller-given table and reports each skipped
 * line with its number; shadow_by_name() finds an account;
 * shadow_check() says whether a password opens it. Pure: no allocation,
 * no locks; the caller owns the table and serialises access.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "auth/colon.h"
#include "crypto/sha256crypt.h"

#define SHADOW_HASH_MAX SHA256CRYPT_OUT_MAX /* bytes of a hash field: '!' and the longest hash */
#define SHADOW_UNSET (-1)		    /* an empty day-count field */

struct shadow_entry {
	char name[COLON_NAME_MAX + 1];
	char hash[SHADOW_HASH_MAX + 1];			   /* NUL-terminated, as in the file */
	int32_t lastchg, min, max, warn, inactive, expire; /* days, or SHADOW_UNSET */
};

/*
 * Parse text[0..len) (NUL bytes are data, not an end) into out[0..max):
 * the number of entries stored. Skipped lines go to report (may be NULL).
 */
size_t shadow_parse(const char *text, size_t len, struct shadow_entry *out, size_t max,
		    colon_report_fn report, void *ctx);

/* The entry of rows[0..n) named name (NUL-terminated), or NULL. */
const struct shadow_entry *shadow_by_name(const struct shadow_entry *rows, size_t n,
					  const char *name);

/* True if e is not locked and key[0..keylen) matches its hash (constant-time compare). */
bool shadow_check(const struct shadow_entry *e, const void *key, size_t keylen);
