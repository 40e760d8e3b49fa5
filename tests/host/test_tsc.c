/*
 * test_tsc.c - TSC frequency from CPUID leaves 0x15/0x16, HPET and PIT
 * calibration against values computed by hand (exact integer arithmetic),
 * and the mult/shift conversions against an exact 128-bit reference over
 * the whole 64-bit tick range at frequencies from 1 MHz to 10 GHz.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "time/tsc.h"

typedef unsigned __int128 u128;

static void test_cpuid15(void **state)
{
	uint64_t hz = 0;
	/* 24 MHz crystal, ratio 300/2: 3.6 GHz. */
	assert_int_equal(tsc_hz_from_cpuid15(2, 300, 24000000, &hz), 0);
	assert_int_equal(hz, 3600000000ull);
	/* 25 MHz crystal (server parts), ratio 168/2: 2.1 GHz. */
	assert_int_equal(tsc_hz_from_cpuid15(2, 168, 25000000, &hz), 0);
	assert_int_equal(hz, 2100000000ull);
	/* 19.2 MHz crystal, ratio 125/1 (truncation of the exact 2.4 GHz). */
	assert_int_equal(tsc_hz_from_cpuid15(1, 125, 19200000, &hz), 0);
	assert_int_equal(hz, 2400000000ull);
	/* Largest inputs do not overflow. */
	assert_int_equal(tsc_hz_from_cpuid15(1, 0xffffffffu, 0xffffffffu, &hz), 0);
	assert_int_equal(hz, 0xfffffffe00000001ull);
	hz = 7;
	assert_int_equal(tsc_hz_from_cpuid15(2, 300, 0, &hz), -E_NODATA); /* no crystal */
	assert_int_equal(tsc_hz_from_cpuid15(0, 300, 24000000, &hz), -E_NODATA);
	assert_int_equal(tsc_hz_from_cpuid15(2, 0, 24000000, &hz), -E_NODATA);
	assert_int_equal(tsc_hz_from_cpuid15(3, 1, 2, &hz), -E_NODATA); /* rounds to 0 */
	assert_int_equal(hz, 7);
}

static void test_cpuid16_and_choice(void **state)
{
	uint64_t hz = 0;
	assert_int_equal(tsc_hz_from_cpuid16(3600, &hz), 0);
	assert_int_equal(hz, 3600000000ull);
	assert_int_equal(tsc_hz_from_cpuid16(0xabcd0000u | 2000, &hz), 0); /* reserved bits */
	assert_int_equal(hz, 2000000000ull);
	assert_int_equal(tsc_hz_from_cpuid16(0, &hz), -E_NODATA);
	/* Leaf 0x15 wins when complete; else 0x16; else nothing. */
	assert_int_equal(tsc_hz_from_cpuid(2, 300, 24000000, 3500, &hz), 0);
	assert_int_equal(hz, 3600000000ull);
	assert_int_equal(tsc_hz_from_cpuid(2, 300, 0, 3500, &hz), 0);
	assert_int_equal(hz, 3500000000ull);
	assert_int_equal(tsc_hz_from_cpuid(0, 0, 0, 0, &hz), -E_NODATA);
}

static void test_calibrate_hpet(void **state)
{
	uint64_t hz = 0;
	/* QEMU's 100 MHz HPET (10 ns = 10^7 fs), 10 ms window, 3 GHz TSC. */
	assert_int_equal(tsc_calibrate_hpet(30000000, 1000000, 10000000, &hz), 0);
	assert_int_equal(hz, 3000000000ull);
	/* 14.31818 MHz HPET: 143182 ticks of 69841279 fs = 9.99993 ms. */
	assert_int_equal(tsc_calibrate_hpet(30000000, 143182, 69841279, &hz), 0);
	assert_int_equal(hz, 2999995797ull);
	/* Long windows and fast TSCs: 4 s at 10 GHz. */
	assert_int_equal(tsc_calibrate_hpet(40000000000ull, 400000000, 10000000, &hz), 0);
	assert_int_equal(hz, 10000000000ull);
	assert_int_equal(tsc_calibrate_hpet(1, 1, 0, &hz), -E_INVAL);
	assert_int_equal(tsc_calibrate_hpet(1, 1, TSC_HPET_MAX_PERIOD_FS + 1, &hz), -E_INVAL);
	assert_int_equal(tsc_calibrate_hpet(1, 0, 10000000, &hz), -E_INVAL);
	assert_int_equal(tsc_calibrate_hpet(0, 1, 10000000, &hz), -E_INVAL);
	/* Interval above 2^64 fs. */
	assert_int_equal(tsc_calibrate_hpet(1, ~0ull, 10000000, &hz), -E_RANGE);
	/* Hz above 2^64: a huge delta over one 1-fs tick. */
	assert_int_equal(tsc_calibrate_hpet(1ull << 40, 1, 1, &hz), -E_RANGE);
}

static void test_calibrate_pit(void **state)
{
	uint64_t hz = 0;
	/* 11932 PIT ticks is 10.0001 ms. */
	assert_int_equal(tsc_calibrate_pit(30000000, 11932, &hz), 0);
	assert_int_equal(hz, 2999954744ull);
	assert_int_equal(tsc_calibrate_pit(1193182, 1193182, &hz), 0);
	assert_int_equal(hz, 1193182);
	assert_int_equal(tsc_calibrate_pit(~0ull, 1, &hz), -E_RANGE);
	assert_int_equal(tsc_calibrate_pit(5, 0, &hz), -E_INVAL);
	assert_int_equal(tsc_calibrate(10, 5, 0, &hz), -E_INVAL);
	assert_int_equal(tsc_calibrate(~0ull, ~0ull, ~0ull, &hz), 0);
	assert_int_equal(hz, ~0ull);
}

/* Exact reference: floor(ticks * 1e9 / hz), saturated. */
static uint64_t ref_ns(uint64_t ticks, uint64_t hz)
{
	u128 v = (u128)ticks * 1000000000u / hz;
	return (v >> 64) ? ~0ull : (uint64_t)v;
}

/* Exact reference: ceil(ns * hz / 1e9), saturated. */
static uint64_t ref_ticks(uint64_t ns, uint64_t hz)
{
	u128 v = ((u128)ns * hz + 999999999u) / 1000000000u;
	return (v >> 64) ? ~0ull : (uint64_t)v;
}

static const uint64_t freqs[] = {1000000ull,	14318180ull,   1000000000ull, 1193182ull,
				 2100000000ull, 2999995797ull, 3600000000ull, 4294967296ull,
				 5000000001ull, 10000000000ull};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_conv_exact_values(void **state)
{
	struct tsc_conv c;
	assert_int_equal(tsc_conv_init(&c, 0), -E_INVAL);
	assert_int_equal(tsc_conv_init(&c, 1000000000ull), 0);
	assert_int_equal(tsc_to_ns(&c, 12345), 12345);
	assert_int_equal(tsc_from_ns(&c, 12345), 12345);
	assert_int_equal(tsc_to_ns(&c, ~0ull), ~0ull);
	assert_int_equal(tsc_conv_init(&c, 2500000000ull), 0);
	assert_int_equal(tsc_to_ns(&c, 2500000000ull), 1000000000ull);
	assert_int_equal(tsc_from_ns(&c, 1000000000ull), 2500000000ull);
	assert_int_equal(tsc_from_ns(&c, 10000000), 25000000); /* 10 ms INIT wait */
	assert_int_equal(tsc_from_ns(&c, 200000), 500000);     /* 200 us SIPI wait */
	assert_int_equal(tsc_from_ns(&c, 1), 3);	       /* 2.5 rounds up */
	assert_int_equal(tsc_from_ns(&c, 0), 0);
	/* 10 GHz: the whole 64-bit TSC range (58 years) stays exact. */
	assert_int_equal(tsc_conv_init(&c, 10000000000ull), 0);
	assert_int_equal(c.hz, 10000000000ull);
	assert_int_equal(tsc_to_ns(&c, ~0ull), 1844674407370955161ull);
	assert_int_equal(tsc_to_ns(&c, 10), 1);
	assert_int_equal(tsc_to_ns(&c, 9), 0);
	/* 3 GHz over 195 years of ticks. */
	assert_int_equal(tsc_conv_init(&c, 3000000000ull), 0);
	assert_int_equal(tsc_to_ns(&c, ~0ull), ref_ns(~0ull, 3000000000ull));
	/* 1 Hz: results beyond 64 bits saturate. */
	assert_int_equal(tsc_conv_init(&c, 1), 0);
	assert_int_equal(tsc_to_ns(&c, 5), 5000000000ull);
	assert_int_equal(tsc_to_ns(&c, ~0ull), ~0ull);
	assert_int_equal(tsc_from_ns(&c, 1), 1);
	/* Exactly 2 ticks; the rounded-up multiplier may add one. */
	assert_in_range(tsc_from_ns(&c, 2000000000ull), 2, 3);
}

static void test_conv_against_reference(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (unsigned f = 0; f < ARRAY_SIZE(freqs); f++) {
		struct tsc_conv c;
		uint64_t hz = freqs[f];
		assert_int_equal(tsc_conv_init(&c, hz), 0);
		for (int i = 0; i < 20000; i++) {
			uint64_t r = xorshift(&seed);
			/* Spread over magnitudes: shift a random value right. */
			uint64_t t = r >> (xorshift(&seed) % 64);
			uint64_t got = tsc_to_ns(&c, t), want = ref_ns(t, hz);
			if (want != ~0ull)
				assert_true(got == want || got + 1 == want || got == want + 1);
			uint64_t tk = tsc_from_ns(&c, t), wt = ref_ticks(t, hz);
			/* Never short; at most 2 ticks long (the rounded-up
			 * multiplier's 2^-63 error times up to 2^64 ticks). */
			if (wt != ~0ull)
				assert_true(tk >= wt && tk - wt <= 2);
		}
	}
}

static void test_deadline(void **state)
{
	struct tsc_conv c;
	assert_int_equal(tsc_conv_init(&c, 2000000000ull), 0);
	assert_int_equal(tsc_deadline(&c, 1000, 10000000), 1000 + 20000000);
	assert_int_equal(tsc_deadline(&c, ~0ull - 5, 1000), ~0ull);
	assert_int_equal(tsc_deadline(&c, 0, ~0ull), ~0ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cpuid15),	      cmocka_unit_test(test_cpuid16_and_choice),
	    cmocka_unit_test(test_calibrate_hpet),    cmocka_unit_test(test_calibrate_pit),
	    cmocka_unit_test(test_conv_exact_values), cmocka_unit_test(test_conv_against_reference),
	    cmocka_unit_test(test_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
