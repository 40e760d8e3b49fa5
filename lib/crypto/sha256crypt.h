/*
 * sha256crypt.h - the SHA-256-based Unix crypt ("$5$"), after Ulrich
 * Drepper's specification "Unix crypt using SHA-256 and SHA-512".
 *
 * A setting is "$5$salt" or "$5$rounds=N$salt"; a hash is a setting
 * followed by '$' and 43 characters of the crypt base-64 alphabet
 * [./0-9A-Za-z]. The salt is at most 16 characters (a longer one is cut
 * at 16, the rest of the setting is ignored, so a whole hash can serve
 * as the setting); N is clamped to 1000..999999999 and, when given, is
 * written back into the hash (clamped); without it 5000 rounds are used.
 *
 * Stricter than the specification in three places, so that any string
 * accepted here sits in a colon-separated line unharmed: salt characters
 * must come from the crypt alphabet, "rounds=" must be followed by
 * decimal digits and '$', and a key is at most SHA256CRYPT_KEY_MAX bytes
 * (step 13 hashes the key once per key byte, so the work is quadratic).
 * Such settings return -E_INVAL.
 *
 * Pure: no allocation, no locks, no randomness (sha256crypt_make takes
 * the salt bytes from the caller). The work is rounds * ~3 SHA-256 blocks;
 * a caller that reads hashes from a file an attacker can edit should look
 * at sha256crypt_parse()'s rounds first. Shared by the kernel, user
 * programs, the host tests and the fuzzers.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define SHA256CRYPT_SALT_MAX 16
#define SHA256CRYPT_ROUNDS_DEFAULT 5000
#define SHA256CRYPT_ROUNDS_MIN 1000
#define SHA256CRYPT_ROUNDS_MAX 999999999
#define SHA256CRYPT_KEY_MAX 256	  /* bytes of a key (password) */
#define SHA256CRYPT_HASH_CHARS 43 /* base-64 characters after the last '$' */
/* "$5$rounds=999999999$" + 16 salt + '$' + 43 + NUL */
#define SHA256CRYPT_OUT_MAX 81

struct sha256crypt_setting {
	uint32_t rounds;		     /* clamped to MIN..MAX */
	bool rounds_given;		     /* "rounds=N$" was there: the hash repeats it */
	size_t salt_len;		     /* 0..SHA256CRYPT_SALT_MAX */
	char salt[SHA256CRYPT_SALT_MAX + 1]; /* NUL-terminated */
	size_t used;			     /* bytes of the text up to the end of the salt */
};

/* Parse the setting at the start of s[0..len): 0 and *st filled, or -E_INVAL. */
int sha256crypt_parse(const char *s, size_t len, struct sha256crypt_setting *st) MUST_CHECK;

/*
 * Hash key[0..keylen) with the setting s[0..len) (or a whole hash) into out,
 * a NUL-terminated hash: 0, or -E_INVAL (bad setting, key too long).
 */
int sha256crypt(const void *key, size_t keylen, const char *s, size_t len,
		char out[SHA256CRYPT_OUT_MAX]) MUST_CHECK;

/*
 * A new hash of key with the salt made from salt_bytes[0..nsalt) (1..16
 * bytes, each picks a character; give random bytes) and rounds (0: the
 * default, not written into the hash): 0, or -E_INVAL.
 */
int sha256crypt_make(const void *key, size_t keylen, const uint8_t *salt_bytes, size_t nsalt,
		     uint32_t rounds, char out[SHA256CRYPT_OUT_MAX]) MUST_CHECK;

/* True if hash[0..len) is a whole "$5$" hash as sha256crypt writes it. */
bool sha256crypt_is_hash(const char *hash, size_t len);

/* True if key hashes to exactly hash[0..len); the comparison takes the same time wherever they
 * differ. */
bool sha256crypt_verify(const void *key, size_t keylen, const char *hash, size_t len);
