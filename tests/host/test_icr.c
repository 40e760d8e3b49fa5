/*
 * test_icr.c - Interrupt Command Register encoding against hand-computed
 * constants from Intel SDM Vol. 3A §11.6.1 and §11.12.9-10, the rejected
 * combinations, and the APIC id helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "apic/apic_id.h"
#include "apic/icr.h"
#include "base/err.h"

static uint64_t enc(enum icr_mode mode, uint8_t vec, enum icr_level lv, enum icr_trigger tm,
		    enum icr_shorthand sh, uint32_t dest, bool x2)
{
	uint64_t v = 0xdeadbeefdeadbeefull;
	assert_int_equal(icr_encode(mode, vec, lv, tm, sh, dest, x2, &v), 0);
	return v;
}

static int enc_err(enum icr_mode mode, uint8_t vec, enum icr_level lv, enum icr_trigger tm,
		   enum icr_shorthand sh, uint32_t dest, bool x2)
{
	uint64_t v = 0x1234;
	int r = icr_encode(mode, vec, lv, tm, sh, dest, x2, &v);
	assert_int_equal(v, 0x1234); /* untouched on error */
	return r;
}

static void test_xapic_init(void **state)
{
	uint64_t v =
	    enc(ICR_MODE_INIT, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 3, false);
	assert_int_equal(icr_high(v), 0x03000000);
	assert_int_equal(icr_low(v), 0x00004500);
	/* Level-triggered assert (what some BIOS writers send): 0xC500. */
	v = enc(ICR_MODE_INIT, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_LEVEL, ICR_DEST_FIELD, 3, false);
	assert_int_equal(icr_low(v), 0x0000c500);
	/* INIT level de-assert, for pre-Pentium 4 CPUs only. */
	v = enc(ICR_MODE_INIT, 0, ICR_LEVEL_DEASSERT, ICR_TRIGGER_LEVEL, ICR_DEST_FIELD, 3, false);
	assert_int_equal(icr_low(v), 0x00008500);
	assert_int_equal(icr_high(v), 0x03000000);
}

static void test_xapic_sipi(void **state)
{
	uint64_t v = enc(ICR_MODE_STARTUP, 0x08, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD,
			 3, false);
	assert_int_equal(icr_low(v), 0x00000608); /* not 0x4608 */
	assert_int_equal(icr_high(v), 0x03000000);
	v = enc(ICR_MODE_STARTUP, 0x08, ICR_LEVEL_DEASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 0xfe,
		false);
	assert_int_equal(v, 0xfe00000000000608ull);
	v = enc(ICR_MODE_STARTUP, 0x9f, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 1,
		false);
	assert_int_equal(icr_low(v), 0x0000069f);
}

static void test_xapic_nmi_fixed(void **state)
{
	uint64_t v =
	    enc(ICR_MODE_NMI, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 7, false);
	assert_int_equal(v, 0x0700000000000400ull);
	v = enc(ICR_MODE_FIXED, 0xf0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 1, false);
	assert_int_equal(v, 0x01000000000000f0ull);
	v = enc(ICR_MODE_LOWEST, 0x40, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 2,
		false);
	assert_int_equal(v, 0x0200000000000140ull);
	v = enc(ICR_MODE_SMI, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 0, false);
	assert_int_equal(v, 0x200ull);
}

static void test_shorthands(void **state)
{
	/* All-but-self: bits 19:18 = 11, destination dropped. */
	uint64_t v = enc(ICR_MODE_FIXED, 0xfd, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
			 ICR_DEST_ALL_BUT_SELF, 0x55, false);
	assert_int_equal(v, 0x00000000000c00fdull);
	v = enc(ICR_MODE_NMI, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_ALL_BUT_SELF, 0,
		false);
	assert_int_equal(icr_low(v), 0x000c0400);
	v = enc(ICR_MODE_FIXED, 0x30, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_SELF, 0, true);
	assert_int_equal(v, 0x0000000000040030ull);
	v = enc(ICR_MODE_INIT, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_ALL, 999, false);
	assert_int_equal(v, 0x0000000000084500ull);
}

static void test_x2apic(void **state)
{
	uint64_t v =
	    enc(ICR_MODE_INIT, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 300, true);
	assert_int_equal(v, 0x0000012c00004500ull);
	v = enc(ICR_MODE_STARTUP, 0x08, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 300,
		true);
	assert_int_equal(v, 0x0000012c00000608ull);
	v = enc(ICR_MODE_FIXED, 0x20, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD,
		0xffffffffu, true);
	assert_int_equal(v, 0xffffffff00000020ull);
	/* Small ids land in bits 63:32 in x2APIC mode, 63:56 in xAPIC mode. */
	v = enc(ICR_MODE_FIXED, 0x20, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 3, true);
	assert_int_equal(v, 0x0000000300000020ull);
}

static void test_never_reserved_bits(void **state)
{
	/* Every accepted value stays inside the defined fields, never sets
	 * delivery status (12) or logical mode (11). */
	const uint64_t low_ok =
	    ICR_VECTOR_MASK | ICR_MODE_MASK | ICR_LEVEL_BIT | ICR_TRIGGER_BIT | ICR_SHORTHAND_MASK;
	static const enum icr_mode modes[] = {ICR_MODE_FIXED, ICR_MODE_LOWEST, ICR_MODE_SMI,
					      ICR_MODE_NMI,   ICR_MODE_INIT,   ICR_MODE_STARTUP};
	unsigned accepted = 0;
	for (unsigned m = 0; m < ARRAY_SIZE(modes); m++)
		for (unsigned vec = 0; vec < 256; vec += 5)
			for (int lv = 0; lv < 2; lv++)
				for (int tm = 0; tm < 2; tm++)
					for (int sh = 0; sh < 4; sh++)
						for (int x2 = 0; x2 < 2; x2++) {
							uint64_t v;
							uint32_t dest = x2 ? 0x12345678 : 0xab;
							if (icr_encode(modes[m], (uint8_t)vec, lv,
								       tm, sh, dest, x2, &v))
								continue;
							accepted++;
							uint64_t dmask = x2 ? 0xffffffff00000000ull
									    : 0xff00000000000000ull;
							assert_int_equal(v & ~(low_ok | dmask), 0);
							assert_int_equal(v & ICR_DELIVERY_STATUS,
									 0);
							if (modes[m] != ICR_MODE_INIT)
								assert_int_equal(
								    v & (ICR_LEVEL_BIT |
									 ICR_TRIGGER_BIT),
								    0);
						}
	assert_true(accepted > 100);
}

static void test_rejected(void **state)
{
	/* xAPIC destinations are 8 bits. */
	assert_int_equal(enc_err(ICR_MODE_INIT, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 300, false),
			 -E_RANGE);
	assert_int_equal(enc_err(ICR_MODE_FIXED, 0x20, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 0x100, false),
			 -E_RANGE);
	/* Illegal vectors. */
	assert_int_equal(enc_err(ICR_MODE_FIXED, 15, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(enc_err(ICR_MODE_STARTUP, 0xa0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(enc_err(ICR_MODE_STARTUP, 0xbf, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(
	    enc_err(ICR_MODE_INIT, 8, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 1, false),
	    -E_INVAL);
	assert_int_equal(
	    enc_err(ICR_MODE_NMI, 2, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_FIELD, 1, false),
	    -E_INVAL);
	/* Level trigger outside INIT; de-assert with edge. */
	assert_int_equal(enc_err(ICR_MODE_FIXED, 0x30, ICR_LEVEL_ASSERT, ICR_TRIGGER_LEVEL,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(enc_err(ICR_MODE_INIT, 0, ICR_LEVEL_DEASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	/* Self shorthand is fixed-only. */
	assert_int_equal(
	    enc_err(ICR_MODE_NMI, 0, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE, ICR_DEST_SELF, 0, false),
	    -E_INVAL);
	/* Unknown enum values: reserved mode 3 and 7. */
	assert_int_equal(enc_err((enum icr_mode)3, 0x30, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(enc_err((enum icr_mode)7, 0x30, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(enc_err(ICR_MODE_FIXED, 0x30, (enum icr_level)2, ICR_TRIGGER_EDGE,
				 ICR_DEST_FIELD, 1, false),
			 -E_INVAL);
	assert_int_equal(enc_err(ICR_MODE_FIXED, 0x30, ICR_LEVEL_ASSERT, ICR_TRIGGER_EDGE,
				 (enum icr_shorthand)4, 1, false),
			 -E_INVAL);
}

static void test_accessors(void **state)
{
	assert_true(icr_send_pending(0x00001608));
	assert_false(icr_send_pending(0x00000608));
	assert_int_equal(icr_low(0x0300000000004500ull), 0x4500);
	assert_int_equal(icr_high(0x0300000000004500ull), 0x03000000);
}

static void test_apic_id(void **state)
{
	assert_int_equal(apic_xapic_id(0x03000000), 3);
	assert_int_equal(apic_xapic_id(0xfe00abcd), 0xfe);
	assert_int_equal(apic_x2apic_id(0x000000000000012cull), 300);
	assert_int_equal(apic_x2apic_id(0xffffffff00000007ull), 7);
	assert_false(apic_id_needs_x2apic(0));
	assert_false(apic_id_needs_x2apic(0xfe));
	assert_true(apic_id_needs_x2apic(0xff)); /* the xAPIC broadcast id */
	assert_true(apic_id_needs_x2apic(300));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xapic_init),	    cmocka_unit_test(test_xapic_sipi),
	    cmocka_unit_test(test_xapic_nmi_fixed), cmocka_unit_test(test_shorthands),
	    cmocka_unit_test(test_x2apic),	    cmocka_unit_test(test_never_reserved_bits),
	    cmocka_unit_test(test_rejected),	    cmocka_unit_test(test_accessors),
	    cmocka_unit_test(test_apic_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
