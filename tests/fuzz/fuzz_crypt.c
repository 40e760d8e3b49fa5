/*
 * fuzz_crypt.c - libFuzzer target for the "$5$" crypt
 * (lib/crypto/sha256crypt.c).
 *
 * Input: byte 0 is the length of the setting that follows (so any
 * split between setting and key is reachable), the rest is the key.
 * sha256crypt() must agree with sha256crypt_parse(): a refused setting
 * is refused by all entry points. For an accepted one with at most
 * MAX_ROUNDS rounds (more would only be slow), the hash must be a
 * canonical hash, must hash to itself again when used as the setting
 * (deterministic), must verify with the key and must not verify with the
 * key changed or cut. For half the inputs the same checks run on
 * sha256crypt_make() with salt bytes taken from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "crypto/sha256crypt.h"

#define MAX_ROUNDS 2000

static void check_hash(const uint8_t *key, size_t klen, const char *out)
{
	char again[SHA256CRYPT_OUT_MAX];
	size_t n = strlen(out);
	if (n >= SHA256CRYPT_OUT_MAX || !sha256crypt_is_hash(out, n))
		abort();
	if (sha256crypt(key, klen, out, n, again) != 0 || strcmp(again, out))
		abort();
	if (!sha256crypt_verify(key, klen, out, n))
		abort();
	if (klen && sha256crypt_verify(key, klen - 1, out, n))
		abort();
	uint8_t other[SHA256CRYPT_KEY_MAX];
	memcpy(other, key, klen);
	if (klen) {
		other[klen / 2] ^= 1;
		if (sha256crypt_verify(other, klen, out, n))
			abort();
	}
}

/* A call that returned e must have refused with -E_INVAL if refused, else made a good hash a. */
static void check_result(int e, bool refused, const uint8_t *key, size_t klen, const char *a)
{
	if (refused) {
		if (e != -E_INVAL)
			abort();
		return;
	}
	if (e != 0)
		abort();
	check_hash(key, klen, a);
}

static void fuzz_setting(const char *set, size_t slen, const uint8_t *key, size_t klen)
{
	struct sha256crypt_setting st;
	char a[SHA256CRYPT_OUT_MAX];
	int pe = sha256crypt_parse(set, slen, &st);
	if (pe != 0 && pe != -E_INVAL)
		abort();
	if (pe < 0) {
		if (sha256crypt(key, klen, set, slen, a) != -E_INVAL)
			abort();
		if (sha256crypt_verify(key, klen, set, slen) || sha256crypt_is_hash(set, slen))
			abort();
		return;
	}
	if (st.used > slen || st.salt_len > SHA256CRYPT_SALT_MAX ||
	    st.rounds < SHA256CRYPT_ROUNDS_MIN || st.rounds > SHA256CRYPT_ROUNDS_MAX ||
	    strlen(st.salt) != st.salt_len)
		abort();
	if (st.rounds > MAX_ROUNDS)
		return;
	int e = sha256crypt(key, klen, set, slen, a);
	check_result(e, klen > SHA256CRYPT_KEY_MAX, key, klen, a);
}

static void fuzz_make(const uint8_t *salt, size_t nsalt, uint32_t rounds, const uint8_t *key,
		      size_t klen)
{
	char a[SHA256CRYPT_OUT_MAX];
	int e = sha256crypt_make(key, klen, salt, nsalt, rounds, a);
	bool bad = nsalt == 0 || nsalt > SHA256CRYPT_SALT_MAX || klen > SHA256CRYPT_KEY_MAX;
	check_result(e, bad, key, klen, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t slen = data[0];
	if (slen > size - 1)
		slen = size - 1;
	/* exact-size copies: ASan sees any read past either end */
	char *set = malloc(slen ? slen : 1);
	size_t klen = size - 1 - slen;
	uint8_t *key = malloc(klen ? klen : 1);
	if (!set || !key)
		goto out;
	memcpy(set, data + 1, slen);
	memcpy(key, data + 1 + slen, klen);
	fuzz_setting(set, slen, key, klen);
	if (data[0] & 1) /* half the inputs: hashing is slow */
		fuzz_make((const uint8_t *)set, slen % 18, 999 + data[0] % 4, key, klen);
out:
	free(set);
	free(key);
	return 0;
}
