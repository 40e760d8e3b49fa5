/*
 * sha256crypt.c - the "$5$" crypt, step by step as the specification's
 * algorithm description numbers them (see sha256crypt.h for the format).
 *
 * Digest A mixes key, salt and digest B (key, salt, key); digest DP (the
 * key once per key byte) gives the P sequence, digest DS (the salt
 * 16 + A[0] times) the S sequence; then every round hashes a mix of the
 * previous digest, P and S. The last digest is written in the crypt
 * base-64 order of the specification's table. Pure: the state lives on
 * the caller's stack and is wiped before returning; no locks.
 */
#include "base/err.h"
#include "crypto/sha256.h"
#include "crypto/sha256crypt.h"

static const char PREFIX[] = "$5$";
static const char ROUNDS[] = "rounds=";
static const char B64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* The specification's output order: each row is 3 digest bytes, high byte first. */
static const uint8_t ORDER[10][3] = {
    {0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
    {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29},
};

static bool is_b64(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '/';
}

/* The 6-bit value of crypt base-64 character c (one of B64). */
static unsigned b64_value(char c)
{
	unsigned v = 0;
	while (B64[v] != c)
		v++;
	return v;
}

/* Zero n bytes in a way the compiler keeps (secrets on the stack). */
static void wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;
	while (n--)
		*b++ = 0;
}

static bool has_prefix(const char *s, size_t len, const char *prefix, size_t plen)
{
	if (len < plen)
		return false;
	for (size_t i = 0; i < plen; i++)
		if (s[i] != prefix[i])
			return false;
	return true;
}

/* Digits at s[*i..len) up to a '$' (consumed): the number clamped, or -1. */
static int64_t parse_rounds(const char *s, size_t len, size_t *i)
{
	int64_t v = 0;
	size_t start = *i;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (v <= SHA256CRYPT_ROUNDS_MAX)
			v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	if (*i == start || *i == len || s[*i] != '$')
		return -1;
	(*i)++;
	if (v < SHA256CRYPT_ROUNDS_MIN)
		return SHA256CRYPT_ROUNDS_MIN;
	return v > SHA256CRYPT_ROUNDS_MAX ? SHA256CRYPT_ROUNDS_MAX : v;
}

int sha256crypt_parse(const char *s, size_t len, struct sha256crypt_setting *st)
{
	size_t i = sizeof PREFIX - 1;
	if (!has_prefix(s, len, PREFIX, i))
		return -E_INVAL;
	st->rounds = SHA256CRYPT_ROUNDS_DEFAULT;
	st->rounds_given = false;
	if (has_prefix(s + i, len - i, ROUNDS, sizeof ROUNDS - 1)) {
		i += sizeof ROUNDS - 1;
		int64_t r = parse_rounds(s, len, &i);
		if (r < 0)
			return -E_INVAL;
		st->rounds = (uint32_t)r;
		st->rounds_given = true;
	}
	st->salt_len = 0;
	while (i < len && s[i] != '$' && st->salt_len < SHA256CRYPT_SALT_MAX) {
		if (!is_b64(s[i]))
			return -E_INVAL;
		st->salt[st->salt_len++] = s[i++];
	}
	st->salt[st->salt_len] = '\0';
	st->used = i;
	return 0;
}

/* Add n bytes to c: the 32-byte digest d over and over (steps 9-10). */
static void add_repeated(struct sha256 *c, const uint8_t d[SHA256_DIGEST_LEN], size_t n)
{
	for (; n > SHA256_DIGEST_LEN; n -= SHA256_DIGEST_LEN)
		sha256_update(c, d, SHA256_DIGEST_LEN);
	sha256_update(c, d, n);
}

struct state {
	struct sha256 c;
	uint8_t a[SHA256_DIGEST_LEN];	 /* digest A, then each round's result */
	uint8_t b[SHA256_DIGEST_LEN];	 /* digest B, then DP, then DS */
	uint8_t p[SHA256CRYPT_KEY_MAX];	 /* the P sequence */
	uint8_t s[SHA256CRYPT_SALT_MAX]; /* the S sequence */
};

/* Steps 1-12: digest A into st->a. */
static void digest_a(struct state *st, const uint8_t *key, size_t klen, const char *salt,
		     size_t slen)
{
	sha256_init(&st->c); /* digest B: key, salt, key */
	sha256_update(&st->c, key, klen);
	sha256_update(&st->c, salt, slen);
	sha256_update(&st->c, key, klen);
	sha256_final(&st->c, st->b);

	sha256_init(&st->c);
	sha256_update(&st->c, key, klen);
	sha256_update(&st->c, salt, slen);
	add_repeated(&st->c, st->b, klen);
	for (size_t n = klen; n > 0; n >>= 1) {
		if (n & 1)
			sha256_update(&st->c, st->b, SHA256_DIGEST_LEN);
		else
			sha256_update(&st->c, key, klen);
	}
	sha256_final(&st->c, st->a);
}

/* Steps 13-20: the P sequence (klen bytes) and the S sequence (slen bytes). */
static void sequences(struct state *st, const uint8_t *key, size_t klen, const char *salt,
		      size_t slen)
{
	sha256_init(&st->c);
	for (size_t i = 0; i < klen; i++)
		sha256_update(&st->c, key, klen);
	sha256_final(&st->c, st->b);
	for (size_t i = 0; i < klen; i++)
		st->p[i] = st->b[i % SHA256_DIGEST_LEN];

	sha256_init(&st->c);
	for (unsigned i = 0; i < 16u + st->a[0]; i++)
		sha256_update(&st->c, salt, slen);
	sha256_final(&st->c, st->b);
	for (size_t i = 0; i < slen; i++)
		st->s[i] = st->b[i];
}

/* Step 21: the rounds, each from the previous digest in st->a. */
static void mix_rounds(struct state *st, size_t klen, size_t slen, uint32_t rounds)
{
	for (uint32_t r = 0; r < rounds; r++) {
		sha256_init(&st->c);
		if (r & 1)
			sha256_update(&st->c, st->p, klen);
		else
			sha256_update(&st->c, st->a, SHA256_DIGEST_LEN);
		if (r % 3)
			sha256_update(&st->c, st->s, slen);
		if (r % 7)
			sha256_update(&st->c, st->p, klen);
		if (r & 1)
			sha256_update(&st->c, st->a, SHA256_DIGEST_LEN);
		else
			sha256_update(&st->c, st->p, klen);
		sha256_final(&st->c, st->a);
	}
}

static char *put_str(char *o, const char *s, size_t n)
{
	while (n--)
		*o++ = *s++;
	return o;
}

static char *put_uint(char *o, uint32_t v)
{
	char digits[10];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*o++ = digits[--n];
	return o;
}

/* Write the low n 6-bit groups of w, lowest first. */
static char *put_b64(char *o, uint32_t w, int n)
{
	while (n--) {
		*o++ = B64[w & 63];
		w >>= 6;
	}
	return o;
}

/* "$5$[rounds=N$]salt" as the hash repeats it: the end of what was written. */
static char *put_setting(char *o, const struct sha256crypt_setting *set)
{
	o = put_str(o, PREFIX, sizeof PREFIX - 1);
	if (set->rounds_given) {
		o = put_str(o, ROUNDS, sizeof ROUNDS - 1);
		o = put_uint(o, set->rounds);
		*o++ = '$';
	}
	return put_str(o, set->salt, set->salt_len);
}

/* Step 22: the setting, '$' and the 43 characters of digest d. */
static void encode(const struct sha256crypt_setting *set, const uint8_t *d, char *out)
{
	char *o = put_setting(out, set);
	*o++ = '$';
	for (int i = 0; i < 10; i++) {
		const uint8_t *g = ORDER[i];
		o = put_b64(o, (uint32_t)d[g[0]] << 16 | (uint32_t)d[g[1]] << 8 | d[g[2]], 4);
	}
	o = put_b64(o, (uint32_t)d[31] << 8 | d[30], 3);
	*o = '\0';
}

/* The hash of key under an already parsed setting. */
static int hash_with(const void *key, size_t klen, const struct sha256crypt_setting *set,
		     char out[SHA256CRYPT_OUT_MAX])
{
	if (klen > SHA256CRYPT_KEY_MAX)
		return -E_INVAL;
	struct state st;
	digest_a(&st, key, klen, set->salt, set->salt_len);
	sequences(&st, key, klen, set->salt, set->salt_len);
	mix_rounds(&st, klen, set->salt_len, set->rounds);
	encode(set, st.a, out);
	wipe(&st, sizeof st);
	return 0;
}

int sha256crypt(const void *key, size_t keylen, const char *s, size_t len,
		char out[SHA256CRYPT_OUT_MAX])
{
	struct sha256crypt_setting set;
	int e = sha256crypt_parse(s, len, &set);
	if (e < 0)
		return e;
	return hash_with(key, keylen, &set, out);
}

int sha256crypt_make(const void *key, size_t keylen, const uint8_t *salt_bytes, size_t nsalt,
		     uint32_t rounds, char out[SHA256CRYPT_OUT_MAX])
{
	struct sha256crypt_setting set;
	if (nsalt == 0 || nsalt > SHA256CRYPT_SALT_MAX)
		return -E_INVAL;
	for (size_t i = 0; i < nsalt; i++)
		set.salt[i] = B64[salt_bytes[i] & 63];
	set.salt[nsalt] = '\0';
	set.salt_len = nsalt;
	set.rounds_given = rounds != 0;
	set.rounds = rounds == 0 ? SHA256CRYPT_ROUNDS_DEFAULT : rounds;
	if (set.rounds < SHA256CRYPT_ROUNDS_MIN)
		set.rounds = SHA256CRYPT_ROUNDS_MIN;
	if (set.rounds > SHA256CRYPT_ROUNDS_MAX)
		set.rounds = SHA256CRYPT_ROUNDS_MAX;
	set.used = 0;
	return hash_with(key, keylen, &set, out);
}

/*
 * True if h[0..len) is exactly what encode() writes for set: the setting
 * spelled back the same (clamped rounds, no leading zeros, salt not cut),
 * '$', 43 characters, the last one holding only 4 bits.
 */
static bool is_hash_with(const char *h, size_t len, const struct sha256crypt_setting *set)
{
	char canon[SHA256CRYPT_OUT_MAX];
	size_t n = (size_t)(put_setting(canon, set) - canon);
	if (n != set->used || len != n + 1 + SHA256CRYPT_HASH_CHARS || h[n] != '$')
		return false;
	for (size_t i = 0; i < n; i++)
		if (h[i] != canon[i])
			return false;
	for (size_t i = n + 1; i < len; i++)
		if (!is_b64(h[i]))
			return false;
	return b64_value(h[len - 1]) < 16;
}

bool sha256crypt_is_hash(const char *hash, size_t len)
{
	struct sha256crypt_setting set;
	return sha256crypt_parse(hash, len, &set) == 0 && is_hash_with(hash, len, &set);
}

/* a[0..n) == b[0..n), in time that depends only on n. */
static bool equal_ct(const char *a, const char *b, size_t n)
{
	volatile uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

bool sha256crypt_verify(const void *key, size_t keylen, const char *hash, size_t len)
{
	struct sha256crypt_setting set;
	char mine[SHA256CRYPT_OUT_MAX];
	if (sha256crypt_parse(hash, len, &set) < 0 || !is_hash_with(hash, len, &set))
		return false;
	if (hash_with(key, keylen, &set, mine) < 0)
		return false;
	size_t n = 0;
	while (mine[n])
		n++;
	bool ok = n == len && equal_ct(mine, hash, n);
	wipe(mine, sizeof mine);
	return ok;
}
