/*
 * weight.h - CPU shares of the fair class: nice level to weight, and the
 * scaling of real time into virtual time.
 *
 * weight(nice) = round(1024 / 1.25^nice): nice 0 is 1024, each nice step
 * down gives about 1.25 times the CPU of the step above, so two runnable
 * threads one nice apart split a CPU about 55:45. The inverse weight is
 * round(2^32 / weight), so virtual time can be computed with a multiply and a
 * shift instead of a division. Pure tables and arithmetic; no locking.
 */
#pragma once
#include <stdint.h>

#define SCHED_WEIGHT_NICE0 1024u

/* Weight of nice level nice; values outside -20..19 are clamped. */
uint32_t sched_weight(int nice);
/* round(2^32 / sched_weight(nice)); nice clamped like sched_weight. */
uint32_t sched_inv_weight(int nice);
/*
 * Virtual time for delta ns of real time at a weight with inverse inv_weight:
 * delta * 1024 / weight, via delta * inv_weight / 2^22. Exact for nice 0,
 * within 1 ns + 2^-15 relative elsewhere (rounding of the inverse); saturates at UINT64_MAX
 * (reached only beyond about 8 years of delta at nice 19).
 */
uint64_t sched_vdelta(uint64_t delta, uint32_t inv_weight);
