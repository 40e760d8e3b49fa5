/*
 * tsc.h - Time Stamp Counter frequency and tick/nanosecond conversion, in
 * integer arithmetic only (the kernel has no floating point).
 *
 * Frequency, in order of preference (the kernel tries them in turn):
 *   1. CPUID leaf 0x15 (Intel SDM Vol. 2A, CPUID): TSC Hz = ECX * EBX / EAX,
 *      where ECX is the core crystal clock in Hz. EAX or EBX of 0 means the
 *      ratio is not enumerated. ECX of 0 means the crystal frequency is not
 *      enumerated: we do NOT guess it from a CPU-model table (the SDM's table
 *      has exceptions and a wrong guess is silently wrong); we report
 *      -E_NODATA and the caller moves on.
 *   2. CPUID leaf 0x16 EAX: processor base frequency in MHz. On CPUs with
 *      an invariant TSC this is the nominal TSC rate, but only to 1 MHz, so
 *      the kernel should prefer calibration when an HPET is available.
 *   3. Calibration: the TSC delta over a reference interval measured with the
 *      HPET (period in femtoseconds from its capabilities register) or the
 *      PIT (1193182 Hz).
 * Callers pass 0 for the registers of a leaf the CPU does not have.
 *
 * Conversion: struct tsc_conv holds mult/shift pairs so that
 *   ns    = ticks * mult >> shift               (rounded down)
 *   ticks = ceil(ns * inv_mult / 2^inv_shift)    (rounded up: delays never
 *                                                 come out short)
 * with 128-bit products and no division at run time. Shifts (up to 127) are
 * chosen as large as possible, putting mult in [2^63, 2^64), so its rounding
 * error is below 2^-63 relative: tsc_to_ns is within 1 ns of the exact value
 * for every 64-bit tick count at any frequency from 1 Hz to 10^19 Hz, and
 * tsc_from_ns is never short and at most 2 ticks long. A 64-bit TSC wraps after 2^64
 * ticks: 58 years at 10 GHz, 195 years at 3 GHz; results that exceed 64 bits
 * (only at very low frequencies) saturate to UINT64_MAX.
 *
 * Pure functions; a struct tsc_conv is read-only after tsc_conv_init, so it
 * can be shared by all CPUs without locking.
 */
#pragma once
#include <stdint.h>
#include "base/compiler.h"

#define TSC_PIT_HZ 1193182ull
#define TSC_HPET_MAX_PERIOD_FS 100000000u /* HPET spec 1.0a: at most 100 ns */

struct tsc_conv {
	uint64_t hz;	    /* the frequency the pairs were built for */
	uint64_t mult;	    /* ticks -> ns multiplier */
	uint32_t shift;	    /* ticks -> ns shift */
	uint32_t inv_shift; /* ns -> ticks shift */
	uint64_t inv_mult;  /* ns -> ticks multiplier, rounded up */
};

/* TSC Hz from CPUID.15H (EAX denominator, EBX numerator, ECX crystal Hz);
 * -E_NODATA if any of them is 0, -E_RANGE if the result exceeds 64 bits. */
int tsc_hz_from_cpuid15(uint32_t eax, uint32_t ebx, uint32_t ecx, uint64_t *hz) MUST_CHECK;
/* Nominal TSC Hz from CPUID.16H EAX (base MHz, bits 15:0); -E_NODATA if 0. */
int tsc_hz_from_cpuid16(uint32_t eax, uint64_t *hz) MUST_CHECK;
/* Leaf 0x15 if it is complete, else leaf 0x16; -E_NODATA if neither
 * (calibrate instead). */
int tsc_hz_from_cpuid(uint32_t eax15, uint32_t ebx15, uint32_t ecx15, uint32_t eax16,
		      uint64_t *hz) MUST_CHECK;

/* Hz = tsc_delta * ref_hz / ref_ticks, rounded to nearest; -E_INVAL for
 * zero ref_ticks or ref_hz or tsc_delta, -E_RANGE if the result overflows. */
int tsc_calibrate(uint64_t tsc_delta, uint64_t ref_ticks, uint64_t ref_hz, uint64_t *hz) MUST_CHECK;
/* Hz from a TSC delta over hpet_ticks HPET ticks of period_fs femtoseconds;
 * -E_INVAL for a period outside 1..TSC_HPET_MAX_PERIOD_FS or zero ticks,
 * -E_RANGE if the interval exceeds 2^64 fs (5 hours) or Hz overflows. */
int tsc_calibrate_hpet(uint64_t tsc_delta, uint64_t hpet_ticks, uint32_t period_fs,
		       uint64_t *hz) MUST_CHECK;
/* Hz from a TSC delta over pit_ticks ticks of the 1193182 Hz PIT. */
int tsc_calibrate_pit(uint64_t tsc_delta, uint64_t pit_ticks, uint64_t *hz) MUST_CHECK;

/* Build the conversion pairs for a TSC running at hz; -E_INVAL if hz is 0. */
int tsc_conv_init(struct tsc_conv *c, uint64_t hz) MUST_CHECK;
/* Nanoseconds in ticks TSC ticks, rounded down (saturating). */
uint64_t tsc_to_ns(const struct tsc_conv *c, uint64_t ticks);
/* TSC ticks covering at least ns nanoseconds, rounded up (saturating). */
uint64_t tsc_from_ns(const struct tsc_conv *c, uint64_t ns);
/* TSC value ns nanoseconds after now, for TSC-deadline mode and delay loops
 * (saturates at UINT64_MAX instead of wrapping). */
uint64_t tsc_deadline(const struct tsc_conv *c, uint64_t now, uint64_t ns);
