/*
 * tsc.c - TSC frequency discovery, calibration arithmetic and the mult/shift
 * conversions described in tsc.h. Integer only; 128-bit products use
 * unsigned __int128 multiplies and shifts, which gcc emits inline. 128-bit
 * division would call libgcc's __udivti3, which the kernel does not link, so
 * the few divisions (all at init or calibration time) go through
 * tsc_div128() below. Pure, no locking.
 */
#include <stdbool.h>
#include "base/err.h"
#include "time/tsc.h"

typedef unsigned __int128 u128;

#define NS_PER_S 1000000000ull
#define FS_PER_S 1000000000000000ull

/* q = n / d for a quotient that fits in 64 bits; -E_RANGE if it does not,
 * -E_INVAL for d == 0. Restoring binary long division, 64 steps. */
static int tsc_div128(u128 n, uint64_t d, uint64_t *q)
{
	if (d == 0)
		return -E_INVAL;
	uint64_t hi = (uint64_t)(n >> 64), lo = (uint64_t)n;
	if (hi >= d)
		return -E_RANGE;
	u128 rem = hi;
	uint64_t quo = 0;
	for (int i = 63; i >= 0; i--) {
		rem = rem << 1 | ((lo >> i) & 1);
		if (rem >= d) {
			rem -= d;
			quo |= 1ull << i;
		}
	}
	*q = quo;
	return 0;
}

/* n / d rounded up, same errors as tsc_div128. */
static int tsc_div128_up(u128 n, uint64_t d, uint64_t *q)
{
	if (d == 0)
		return -E_INVAL;
	return tsc_div128(n + (d - 1), d, q);
}

int tsc_hz_from_cpuid15(uint32_t eax, uint32_t ebx, uint32_t ecx, uint64_t *hz)
{
	if (eax == 0 || ebx == 0 || ecx == 0)
		return -E_NODATA;
	/* ECX * EBX < 2^64, so this divide is a plain 64-bit one. */
	uint64_t v = (uint64_t)ecx * ebx / eax;
	if (v == 0)
		return -E_NODATA;
	*hz = v;
	return 0;
}

int tsc_hz_from_cpuid16(uint32_t eax, uint64_t *hz)
{
	uint32_t mhz = eax & 0xffff; /* bits 31:16 are reserved */
	if (mhz == 0)
		return -E_NODATA;
	*hz = (uint64_t)mhz * 1000000ull;
	return 0;
}

int tsc_hz_from_cpuid(uint32_t eax15, uint32_t ebx15, uint32_t ecx15, uint32_t eax16, uint64_t *hz)
{
	if (tsc_hz_from_cpuid15(eax15, ebx15, ecx15, hz) == 0)
		return 0;
	return tsc_hz_from_cpuid16(eax16, hz);
}

int tsc_calibrate(uint64_t tsc_delta, uint64_t ref_ticks, uint64_t ref_hz, uint64_t *hz)
{
	if (ref_ticks == 0 || ref_hz == 0 || tsc_delta == 0)
		return -E_INVAL;
	/* Both factors < 2^64, so the product fits in 128 bits. */
	u128 num = (u128)tsc_delta * ref_hz + ref_ticks / 2;
	uint64_t v;
	int r = tsc_div128(num, ref_ticks, &v);
	if (r)
		return r;
	*hz = v;
	return 0;
}

int tsc_calibrate_hpet(uint64_t tsc_delta, uint64_t hpet_ticks, uint32_t period_fs, uint64_t *hz)
{
	if (period_fs == 0 || period_fs > TSC_HPET_MAX_PERIOD_FS || hpet_ticks == 0 ||
	    tsc_delta == 0)
		return -E_INVAL;
	/* Interval in femtoseconds; < 2^64 fs (about 5 hours) or give up. */
	u128 interval = (u128)hpet_ticks * period_fs;
	if (interval >> 64)
		return -E_RANGE;
	uint64_t fs = (uint64_t)interval;
	/* Hz = delta / (fs / 1e15) = delta * 1e15 / fs; delta * 1e15 < 2^114. */
	u128 num = (u128)tsc_delta * FS_PER_S + fs / 2;
	uint64_t v;
	int r = tsc_div128(num, fs, &v);
	if (r)
		return r;
	*hz = v;
	return 0;
}

int tsc_calibrate_pit(uint64_t tsc_delta, uint64_t pit_ticks, uint64_t *hz)
{
	return tsc_calibrate(tsc_delta, pit_ticks, TSC_PIT_HZ, hz);
}

/* The largest shift for which the quotient num * 2^shift / den (rounded as
 * asked) fits in 64 bits; num << shift must also fit in 127 bits. The
 * quotient then lies in [2^63, 2^64) whenever the 127-bit cap does not bind,
 * i.e. for every den up to num * 2^(63 - bitlen(num)) - far beyond any real
 * TSC - so its rounding error is below 2^-63 relative. */
static void tsc_pick(uint64_t num, uint64_t den, bool round_up, uint64_t *mult, uint32_t *shift)
{
	int s = 127 - (64 - __builtin_clzll(num)); /* num != 0 */
	for (; s >= 0; s--) {
		u128 n = (u128)num << s;
		uint64_t q;
		int r = round_up ? tsc_div128_up(n, den, &q) : tsc_div128(n + den / 2, den, &q);
		if (r == 0) {
			*mult = q;
			*shift = (uint32_t)s;
			return;
		}
	}
	/* Unreachable for our callers: at s = 0 the quotient is 1e9 / hz or
	 * hz / 1e9 (rounded), both below 2^64. */
	*mult = ~0ull;
	*shift = 0;
}

int tsc_conv_init(struct tsc_conv *c, uint64_t hz)
{
	if (hz == 0)
		return -E_INVAL;
	c->hz = hz;
	/* ns per tick = 1e9 / hz, rounded to nearest in mult. */
	tsc_pick(NS_PER_S, hz, false, &c->mult, &c->shift);
	/* ticks per ns = hz / 1e9, rounded up so delays are never short. */
	tsc_pick(hz, NS_PER_S, true, &c->inv_mult, &c->inv_shift);
	return 0;
}

uint64_t tsc_to_ns(const struct tsc_conv *c, uint64_t ticks)
{
	u128 ns = ((u128)ticks * c->mult) >> c->shift;
	return (ns >> 64) ? ~0ull : (uint64_t)ns;
}

uint64_t tsc_from_ns(const struct tsc_conv *c, uint64_t ns)
{
	u128 p = (u128)ns * c->inv_mult;
	u128 t = (p >> c->inv_shift) + ((p & (((u128)1 << c->inv_shift) - 1)) != 0);
	return (t >> 64) ? ~0ull : (uint64_t)t;
}

uint64_t tsc_deadline(const struct tsc_conv *c, uint64_t now, uint64_t ns)
{
	uint64_t d = tsc_from_ns(c, ns);
	return now + d < now ? ~0ull : now + d;
}
