/*
 * test_sha256.c - SHA-256 (lib/crypto/sha256.c): the FIPS 180-4 / NIST
 * example messages (empty, "abc", the 448-bit and 896-bit two-block
 * messages, one million 'a'), a table of pseudo-random messages of
 * lengths around every padding boundary whose digests were computed
 * once with python3's hashlib (the generator below is the same xorshift
 * as in the script, see the comment at the table), streaming in uneven
 * pieces equal to one-shot, and the hex spelling.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "crypto/sha256.h"

static void digest_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	uint8_t d[SHA256_DIGEST_LEN];
	sha256(data, len, d);
	sha256_hex(d, hex);
}

static void expect(const char *msg, const char *want)
{
	char hex[SHA256_HEX_LEN + 1];
	digest_hex(msg, strlen(msg), hex);
	assert_string_equal(hex, want);
}

static void test_nist_vectors(void **state)
{
	expect("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqk"
	       "lmnopqrlmnopqrsmnopqrstnopqrstu",
	       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	static const char want[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char chunk[1000], hex[SHA256_HEX_LEN + 1];
	uint8_t d[SHA256_DIGEST_LEN];
	struct sha256 ctx;

	memset(chunk, 'a', sizeof chunk);
	sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		sha256_update(&ctx, chunk, sizeof chunk);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
	assert_string_equal(hex, want);

	char *big = malloc(1000000);
	assert_non_null(big);
	memset(big, 'a', 1000000);
	digest_hex(big, 1000000, hex);
	free(big);
	assert_string_equal(hex, want);
}

/*
 * Message n of the table: n bytes from a xorshift32 seeded with
 * 0x9e3779b9 ^ n, each byte the low 8 bits after one step. Expected
 * digests from python3:
 *   def data(n):
 *       x = (0x9e3779b9 ^ n) & 0xffffffff; out = bytearray()
 *       for i in range(n):
 *           x ^= (x << 13) & 0xffffffff; x ^= x >> 17; x ^= (x << 5) & 0xffffffff
 *           out.append(x & 0xff)
 *       return bytes(out)
 *   hashlib.sha256(data(n)).hexdigest()
 */
static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static uint8_t *make_message(size_t n)
{
	uint8_t *m = malloc(n ? n : 1);
	uint32_t x = 0x9e3779b9u ^ (uint32_t)n;
	assert_non_null(m);
	for (size_t i = 0; i < n; i++)
		m[i] = (uint8_t)xorshift(&x);
	return m;
}

static const struct {
	size_t len;
	const char *hex;
} table[] = {
    {1, "2c624232cdd221771294dfbb310aca000a0df6ac8b66b696d90ef06fdefb64a3"},
    {2, "63629cc759629d37645894e2218061c4f03b0b9c09301a5226c5e072649522b4"},
    {3, "f6ca8ff8510929f1731575dbd0f9d533483b53a2610427c49f76f92cb5b30cdd"},
    {31, "e73acd17e67b35f2260d9aab80dcd25d2adcadd567e50b44f9a306d5091727c8"},
    {32, "54f5df3708bebb19a070e400a935d3cccb9e60156afcf6580608b1c40a1cfc50"},
    {33, "3e61e21cdfcdbd3f43ebc3e465b26f3395cf8fc13a0e87b93b9b63146d0c722a"},
    {54, "a770e75d8b753e9eac39c82463828f92e61af34e1211140e0aafda65dfc14681"},
    {55, "f4689eb79f3c8fa5679c4933223e820ddc054eb31f362b808617fb1f30663ccd"},
    {56, "53ddb71f7af1cd6cf6575e092bc383abc6ff55bc1d0be494f15c528973c5dd31"},
    {57, "a15df3158e960cb97c3508d7b88adcc9ab8827c2e410e67c4fd5c0f86fb9b96e"},
    {62, "4731a2931dbb99f1875d02d67f26e22ed91340860db96e37a9f12bd00c986775"},
    {63, "b6574dfe0c4853780b310e4cfbe0a2e700629f2347f638fe297d91d410bc0470"},
    {64, "58edd86972b0c8eeb18dbff2e9b04409bf222ec5f5fe3ecdb1114cb53bf68ff5"},
    {65, "985b0b1676560b8961f3a0419dbc9b8574ecf7ce90311a4473e9434e10da5e4c"},
    {100, "4dd02f4bcf168661ebb4ea21f2fd917f3a9fd93b40a2c80843fcbf818b7e0ae6"},
    {111, "632a88f03c8a501cc75f9634af7a2bd28649571277f77b505409f663b7de5289"},
    {112, "46a97f009acacc8450f12396669ef9d6a054f1aa0aadb72a44e42d4beb547db8"},
    {119, "54489d9a4672be6e09eefc8787f7becb3a15855f4d4f06dc6c9de64a99c129de"},
    {120, "14c2750281da8dddc3ef7bc57bc72e6ed990fee94dcbf7b8e041529831d84908"},
    {121, "dddc84a76f8caba40c6c79d57458fb4bc1208a150360226a3394659f30bf9d5b"},
    {127, "f5bfb85a55a767e954293aca19821e0fa732be38d57b1015af4d16f3ed2bc31f"},
    {128, "1e190000d1219c91344f50fdfcf5d13da4c735795dc6be3f35bd304eb75800f8"},
    {129, "c672a53f5527a56c0365cadeb49050cde7fc9b60f6cc168edb03b534eeafb653"},
    {191, "df7c684c303b50f5854875b00d85b25bd7eb85431751204eb5e73707e3920257"},
    {192, "251f8b152cc8128fcb0517d8ef4a87f64eea43ad9fff44f488663f23c5f7981c"},
    {200, "c1d159bd0276d01b645c69296ab264fcce1a3086c9d6549695d6c2d111bd2726"},
    {255, "0cbb878243e9cd5de1909cce4921bd34bc5439546c10d318c72bf088610b9ab3"},
    {256, "2e018b66b501e2fdf1726c9dab90befc23918e69ed629838239839149ab42eed"},
    {257, "b84e18951133f213fad04a034409ea364f26aa68782a2b64766d32057136a77b"},
    {1000, "1324a16bf79eb7f69c330ed43c2918a7921aaa468b474d92aca0ee15da9ef2b2"},
    {1023, "5e0fddee05523ccab2129e47d0ceba167f9cbabd261fc1ca79ffffe78eee6033"},
    {1024, "dbc74a696f6a8dbd0df89df729d5b14c35d9f509e5b22ca0fd78fd802a4c59b4"},
    {1025, "d6b6d545ffab47f538ee369db4d0dfd48e93579e69fc03c7e195c3cb7d35681c"},
    {4096, "45152c5aefb990037edfb9dc9f0f8259f04218ad6fb899b39a2701d236519237"},
    {9999, "e13a6e57723a41e3ce7d65d598599cceb6e596df2a2300e1948a9451867ce614"},
};

static void test_generated_table(void **state)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		uint8_t *m = make_message(table[i].len);
		char hex[SHA256_HEX_LEN + 1];
		digest_hex(m, table[i].len, hex);
		free(m);
		assert_string_equal(hex, table[i].hex);
	}
}

/* Every table message again, fed in pieces of 0..70 bytes: the same digest. */
static void test_streaming_pieces(void **state)
{
	uint32_t r = 12345;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		size_t n = table[i].len, at = 0;
		uint8_t *m = make_message(n), d[SHA256_DIGEST_LEN];
		char hex[SHA256_HEX_LEN + 1];
		struct sha256 ctx;
		sha256_init(&ctx);
		while (at < n) {
			size_t piece = xorshift(&r) % 71;
			if (piece > n - at)
				piece = n - at;
			sha256_update(&ctx, m + at, piece);
			at += piece;
		}
		sha256_update(&ctx, NULL, 0);
		sha256_final(&ctx, d);
		free(m);
		sha256_hex(d, hex);
		assert_string_equal(hex, table[i].hex);
	}
}

/* A context is reusable after sha256_init, and two contexts do not interfere. */
static void test_reuse(void **state)
{
	struct sha256 a, b;
	uint8_t d1[SHA256_DIGEST_LEN], d2[SHA256_DIGEST_LEN], d3[SHA256_DIGEST_LEN];
	sha256_init(&a);
	sha256_init(&b);
	sha256_update(&a, "ab", 2);
	sha256_update(&b, "xyz", 3);
	sha256_update(&a, "c", 1);
	sha256_final(&a, d1);
	sha256("abc", 3, d2);
	assert_memory_equal(d1, d2, SHA256_DIGEST_LEN);
	sha256_init(&a);
	sha256_update(&a, "abc", 3);
	sha256_final(&a, d3);
	assert_memory_equal(d1, d3, SHA256_DIGEST_LEN);
	sha256_final(&b, d3);
	sha256("xyz", 3, d2);
	assert_memory_equal(d2, d3, SHA256_DIGEST_LEN);
}

static void test_hex(void **state)
{
	uint8_t d[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN + 2];
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		d[i] = (uint8_t)(i * 8 + 7);
	hex[SHA256_HEX_LEN + 1] = 'Z';
	sha256_hex(d, hex);
	assert_string_equal(hex,
			    "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
	assert_int_equal(hex[SHA256_HEX_LEN + 1], 'Z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nist_vectors),    cmocka_unit_test(test_million_a),
	    cmocka_unit_test(test_generated_table), cmocka_unit_test(test_streaming_pieces),
	    cmocka_unit_test(test_reuse),	    cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
