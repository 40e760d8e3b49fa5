/*
 * sha256.h - SHA-256 (FIPS 180-4, section 6.2), streaming and one-shot.
 *
 * A struct sha256 holds one running hash: sha256_init(), any number of
 * sha256_update() calls, then sha256_final(), which writes the 32-byte
 * digest and leaves the context ready for sha256_init() again.
 * sha256() hashes one buffer; sha256_hex() spells a digest as 64
 * lower-case hex digits (the form of coreutils' sha256sum).
 *
 * Pure: no allocation, no locks. The caller owns each context and must
 * not share one between threads without its own lock. Shared by the
 * kernel, user programs, the host tests and the fuzzers.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32 /* bytes of a digest */
#define SHA256_BLOCK_LEN 64  /* bytes of a message block */
#define SHA256_HEX_LEN 64    /* hex digits of a digest (sha256_hex adds a NUL) */

struct sha256 {
	uint32_t h[8];		       /* the hash value H(i) */
	uint64_t len;		       /* message bytes seen so far */
	uint8_t buf[SHA256_BLOCK_LEN]; /* a partial block */
	size_t fill;		       /* bytes in buf, < SHA256_BLOCK_LEN */
};

/* Start a new hash in ctx. */
void sha256_init(struct sha256 *ctx);

/* Add data[0..len) to the message (len may be 0, data then may be NULL). */
void sha256_update(struct sha256 *ctx, const void *data, size_t len);

/* Pad, write the digest into out[0..32); ctx must be re-initialised before reuse. */
void sha256_final(struct sha256 *ctx, uint8_t out[SHA256_DIGEST_LEN]);

/* The digest of data[0..len) into out[0..32). */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN]);

/* Write digest as 64 lower-case hex digits and a NUL into out[0..65). */
void sha256_hex(const uint8_t digest[SHA256_DIGEST_LEN], char out[SHA256_HEX_LEN + 1]);
