/*
 * test_sha256crypt.c - the "$5$" crypt (lib/crypto/sha256crypt.c): all
 * SHA-256 test vectors of Drepper's specification (default rounds,
 * rounds=10000/5000/1400/77777/123456, rounds=10 clamped to 1000, salts
 * cut at 16); more hashes computed once with python3's crypt module
 * (libxcrypt) for empty, 31/32/33/64/256-byte and non-ASCII keys and
 * empty salts; setting parsing and its strict refusals; the canonical
 * hash check; verify against right, wrong and altered hashes; and
 * sha256crypt_make from caller-given salt bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "crypto/sha256crypt.h"

struct vector {
	const char *key, *setting, *hash;
};

/* Drepper, "Unix crypt using SHA-256 and SHA-512", the SHA-256 test vectors. */
static const struct vector spec[] = {
    {"Hello world!", "$5$saltstring", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"},
    {"Hello world!", "$5$rounds=10000$saltstringsaltstring",
     "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA"},
    {"This is just a test", "$5$rounds=5000$toolongsaltstring",
     "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5"},
    {"a very much longer text to encrypt.  This one even stretches over more"
     "than one line.",
     "$5$rounds=1400$anotherlongsaltstring",
     "$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1"},
    {"we have a short salt string but not a short password", "$5$rounds=77777$short",
     "$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/"},
    {"a short string", "$5$rounds=123456$asaltof16chars..",
     "$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD"},
    {"the minimum number is still observed", "$5$rounds=10$roundstoolow",
     "$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC"},
};

static char x31[32], x32[33], y33[34], z64[65], p256[257];

/* From python3 -c 'import crypt; print(crypt.crypt(key, setting))' (libxcrypt 4). */
static const struct vector more[] = {
    {"", "$5$saltstring", "$5$saltstring$FdNfA4gXqvCeO6iZs7G/.wwwoywYZqo0l1pwmfWaBA7"},
    {x31, "$5$abc", "$5$abc$ZHjvmSsj48MU7LMWdk.FDbvTpkXiWVF54t4m/LdDou."},
    {x32, "$5$abc", "$5$abc$PGqnZP4y3M8fsLo10BMyAmieWlMdZPF1a3FTd9GG2ZD"},
    {y33, "$5$rounds=1000$abc", "$5$rounds=1000$abc$ih6rYKy97p/oo6ClvAABLtjNLgzh8rRaz0RDv/ie9T6"},
    {z64, "$5$rounds=1001$./09AZaz",
     "$5$rounds=1001$./09AZaz$4d8ujbv2OGvIXKDSswvIpORMg7ByTlgsEbtQoU.HsA5"},
    {p256, "$5$rounds=1000$sixteencharsalt.",
     "$5$rounds=1000$sixteencharsalt.$13jfZOwk398R6lNuBut66N/scV3a1A6.FAhI/CmkXFA"},
    {"pw", "$5$", "$5$$EPxZX4DoQWu4KoghxUArtr9dmHmQzOXFqq.aJMdG0bA"},
    {"pw", "$5$rounds=1000$", "$5$rounds=1000$$japDxBfHcSVGcyn00bW518Ndv09CHo6WdVnm01mosE2"},
    {"redbear", "$5$a", "$5$a$XIF9JlTFry8Cy.kNZyzTE5kdM4XiBk7HNyclMLNCZC9"},
    {"\xc3\xbf\x01 tab\t", "$5$rounds=2000$Zz",
     "$5$rounds=2000$Zz$04JF16fjglyNaUdcY/aG0GhY6Ms4Qaian2aHTOACrGC"},
};

static int setup_keys(void **state)
{
	memset(x31, 'x', 31);
	memset(x32, 'x', 32);
	memset(y33, 'y', 33);
	memset(z64, 'z', 64);
	memset(p256, 'p', 256);
	return 0;
}

static void check_vector(const struct vector *v)
{
	char out[SHA256CRYPT_OUT_MAX];
	size_t kl = strlen(v->key), hl = strlen(v->hash);
	assert_int_equal(sha256crypt(v->key, kl, v->setting, strlen(v->setting), out), 0);
	assert_string_equal(out, v->hash);
	/* the whole hash as the setting gives the hash again */
	assert_int_equal(sha256crypt(v->key, kl, v->hash, hl, out), 0);
	assert_string_equal(out, v->hash);
	assert_true(sha256crypt_is_hash(v->hash, hl));
	assert_true(sha256crypt_verify(v->key, kl, v->hash, hl));
}

static void test_spec_vectors(void **state)
{
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++)
		check_vector(&spec[i]);
}

static void test_more_vectors(void **state)
{
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		check_vector(&more[i]);
}

static void test_verify_refuses(void **state)
{
	const struct vector *v = &spec[0];
	size_t hl = strlen(v->hash);
	char h[SHA256CRYPT_OUT_MAX];

	assert_false(sha256crypt_verify("Hello world", 11, v->hash, hl));
	assert_false(sha256crypt_verify("Hello world!!", 13, v->hash, hl));
	assert_false(sha256crypt_verify("", 0, v->hash, hl));
	assert_false(sha256crypt_verify("Hello world!", 12, v->hash, hl - 1));
	assert_false(sha256crypt_verify("Hello world!", 12, v->setting, strlen(v->setting)));
	/* each one-character change of the hash part is refused */
	for (size_t i = hl - SHA256CRYPT_HASH_CHARS; i < hl; i++) {
		memcpy(h, v->hash, hl + 1);
		h[i] = h[i] == 'a' ? 'b' : 'a';
		assert_false(sha256crypt_verify("Hello world!", 12, h, hl));
	}
	/* and of the salt */
	memcpy(h, v->hash, hl + 1);
	h[3] = 'S';
	assert_false(sha256crypt_verify("Hello world!", 12, h, hl));
	/* a NUL inside the length is part of the string, not its end */
	memcpy(h, v->hash, hl + 1);
	assert_false(sha256crypt_verify("Hello world!", 12, h, hl + 1));
}

static void parse_ok(const char *s, uint32_t rounds, int given, const char *salt, size_t used)
{
	struct sha256crypt_setting st;
	assert_int_equal(sha256crypt_parse(s, strlen(s), &st), 0);
	assert_int_equal(st.rounds, rounds);
	assert_int_equal(st.rounds_given, given);
	assert_string_equal(st.salt, salt);
	assert_int_equal(st.salt_len, strlen(salt));
	assert_int_equal(st.used, used);
}

static void parse_bad(const char *s)
{
	struct sha256crypt_setting st;
	char out[SHA256CRYPT_OUT_MAX];
	assert_int_equal(sha256crypt_parse(s, strlen(s), &st), -E_INVAL);
	assert_int_equal(sha256crypt("k", 1, s, strlen(s), out), -E_INVAL);
	assert_false(sha256crypt_verify("k", 1, s, strlen(s)));
	assert_false(sha256crypt_is_hash(s, strlen(s)));
}

static void test_parse(void **state)
{
	parse_ok("$5$", 5000, 0, "", 3);
	parse_ok("$5$salt", 5000, 0, "salt", 7);
	parse_ok("$5$salt$rest:ignored", 5000, 0, "salt", 7);
	parse_ok("$5$0123456789abcdefXYZ", 5000, 0, "0123456789abcdef", 19);
	parse_ok("$5$0123456789abcdef:", 5000, 0, "0123456789abcdef", 19);
	parse_ok("$5$rounds=1000$s", 1000, 1, "s", 16);
	parse_ok("$5$rounds=0$s", 1000, 1, "s", 13);
	parse_ok("$5$rounds=999$s", 1000, 1, "s", 15);
	parse_ok("$5$rounds=999999999$s", 999999999, 1, "s", 21);
	parse_ok("$5$rounds=1000000000$s", 999999999, 1, "s", 22);
	parse_ok("$5$rounds=99999999999999999999999999$", 999999999, 1, "", 37);
	parse_ok("$5$rounds=0007777$x", 7777, 1, "x", 19);
	parse_ok("$5$rounds=5000$", 5000, 1, "", 15);
	parse_ok("$5$rounds$", 5000, 0, "rounds", 9); /* no '=': an ordinary salt */

	parse_bad("");
	parse_bad("$5");
	parse_bad("$6$salt");
	parse_bad("$1$salt");
	parse_bad("5$salt");
	parse_bad("$5$rounds=");
	parse_bad("$5$rounds=$salt");
	parse_bad("$5$rounds=xyz$salt");
	parse_bad("$5$rounds=10");
	parse_bad("$5$rounds=-10$s");
	parse_bad("$5$rounds=10x$s");
	parse_bad("$5$sa:lt");
	parse_bad("$5$sa lt");
	parse_bad("$5$sa\nlt");
	parse_bad("$5$\xc3\xa9");
	/* a NUL byte inside the length is a bad salt character */
	struct sha256crypt_setting st;
	assert_int_equal(sha256crypt_parse("$5$ab\0cd", 8, &st), -E_INVAL);
	/* the text may end anywhere: only len bytes are read */
	assert_int_equal(sha256crypt_parse("$5$rounds=12", 9, &st), 0);
	assert_int_equal(st.rounds_given, 0);
	assert_string_equal(st.salt, "rounds");
}

static void test_is_hash(void **state)
{
	const char *good = "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5";
	assert_true(sha256crypt_is_hash(good, strlen(good)));
	static const char *const bad[] = {
	    "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc",	  /* 42 */
	    "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc55", /* 44 */
	    "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEcz",  /* 4 bits only */
	    "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGW:c5",
	    "$5$saltstring5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
	    "$5$rounds=10$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC",
	    "$5$rounds=01000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC",
	    "$5$rounds=5000$toolongsaltstring$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5",
	    "$5$saltstring",
	    "$5$saltstring$",
	    "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(sha256crypt_is_hash(bad[i], strlen(bad[i])));
	/* a non-canonical hash never verifies, even with the right key */
	assert_false(
	    sha256crypt_verify("the minimum number is still observed", 36, bad[5], strlen(bad[5])));
}

static void test_key_limit(void **state)
{
	static char key[SHA256CRYPT_KEY_MAX + 1];
	char out[SHA256CRYPT_OUT_MAX];
	memset(key, 'k', sizeof key);
	assert_int_equal(sha256crypt(key, SHA256CRYPT_KEY_MAX, "$5$s", 4, out), 0);
	assert_true(sha256crypt_verify(key, SHA256CRYPT_KEY_MAX, out, strlen(out)));
	assert_int_equal(sha256crypt(key, SHA256CRYPT_KEY_MAX + 1, "$5$s", 4, out), -E_INVAL);
	assert_false(sha256crypt_verify(key, SHA256CRYPT_KEY_MAX + 1, out, strlen(out)));
}

static void test_make(void **state)
{
	/* byte & 63 picks the character: 'a' is 38, 'r' 53, '.' 0, '/' 1, 'z' 63 */
	static const uint8_t a[] = {38};
	static const uint8_t salt16[] = {0,  1,	 2,  11, 12, 37,  38,  63,
					 64, 65, 66, 75, 76, 101, 102, 255};
	char out[SHA256CRYPT_OUT_MAX];

	assert_int_equal(sha256crypt_make("redbear", 7, a, 1, 0, out), 0);
	assert_string_equal(out, "$5$a$XIF9JlTFry8Cy.kNZyzTE5kdM4XiBk7HNyclMLNCZC9");
	assert_int_equal(sha256crypt_make("redbear", 7, a, 1, 5000, out), 0);
	assert_string_equal(out, "$5$rounds=5000$a$XIF9JlTFry8Cy.kNZyzTE5kdM4XiBk7HNyclMLNCZC9");
	assert_int_equal(sha256crypt_make("x", 1, a, 1, 10, out), 0);
	assert_memory_equal(out, "$5$rounds=1000$a$", 17);
	assert_int_equal(sha256crypt_make("pw", 2, salt16, 16, 1000, out), 0);
	assert_memory_equal(out, "$5$rounds=1000$./09AZaz./09AZaz$", 32);
	assert_true(sha256crypt_is_hash(out, strlen(out)));
	assert_true(sha256crypt_verify("pw", 2, out, strlen(out)));
	assert_false(sha256crypt_verify("pW", 2, out, strlen(out)));

	assert_int_equal(sha256crypt_make("pw", 2, salt16, 0, 0, out), -E_INVAL);
	assert_int_equal(sha256crypt_make("pw", 2, salt16, 17, 0, out), -E_INVAL);
	/* the longest hash (not computed: a billion rounds) fits the buffer exactly */
	static const char longest[] = "$5$rounds=999999999$0123456789abcdef$"
				      "0123456789012345678901234567890123456789012";
	assert_int_equal(strlen(longest), SHA256CRYPT_OUT_MAX - 1);
	assert_true(sha256crypt_is_hash(longest, strlen(longest)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_vectors),   cmocka_unit_test(test_more_vectors),
	    cmocka_unit_test(test_verify_refuses), cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_is_hash),	   cmocka_unit_test(test_key_limit),
	    cmocka_unit_test(test_make),
	};
	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
