/*
 * weight.c - nice level to weight and inverse weight (see weight.h).
 *
 * The tables were generated once, off line, from
 *   weight[n]     = round(1024 * 1.25^-(n - 20))          n = nice + 20
 *   inv_weight[n] = round(2^32 / weight[n])
 * and are written out so the kernel needs no floating point. Pure; no
 * locking.
 */
#include "sched/weight.h"
#include "sched/prio.h"

static const uint32_t weight_table[SCHED_NR_NICE] = {
    /* -20 */ 88818, 71054, 56843, 45475, 36380,
    /* -15 */ 29104, 23283, 18626, 14901, 11921,
    /* -10 */ 9537,  7629,  6104,  4883,  3906,
    /*  -5 */ 3125,  2500,  2000,  1600,  1280,
    /*   0 */ 1024,  819,   655,   524,	  419,
    /*   5 */ 336,   268,   215,   172,	  137,
    /*  10 */ 110,   88,    70,	   56,	  45,
    /*  15 */ 36,    29,    23,	   18,	  15,
};

static const uint32_t inv_weight_table[SCHED_NR_NICE] = {
    /* -20 */ 48357,	 60447,	    75558,     94447,	  118058,
    /* -15 */ 147573,	 184468,    230590,    288233,	  360286,
    /* -10 */ 450348,	 562979,    703632,    879576,	  1099582,
    /*  -5 */ 1374390,	 1717987,   2147484,   2684355,	  3355443,
    /*   0 */ 4194304,	 5244160,   6557202,   8196502,	  10250519,
    /*   5 */ 12782641,	 16025997,  19976592,  24970740,  31350126,
    /*  10 */ 39045157,	 48806447,  61356676,  76695845,  95443718,
    /*  15 */ 119304647, 148102321, 186737709, 238609294, 286331153,
};

static unsigned nice_index(int nice)
{
	if (nice < SCHED_NICE_MIN)
		nice = SCHED_NICE_MIN;
	if (nice > SCHED_NICE_MAX)
		nice = SCHED_NICE_MAX;
	return (unsigned)(nice - SCHED_NICE_MIN);
}

uint32_t sched_weight(int nice)
{
	return weight_table[nice_index(nice)];
}

uint32_t sched_inv_weight(int nice)
{
	return inv_weight_table[nice_index(nice)];
}

/*
 * delta * inv / 2^22 without a 128-bit product: split delta into 32-bit
 * halves. inv < 2^29, so each partial product fits in 61 bits; only the high
 * half, shifted back up by 10, can overflow, and that is checked.
 */
uint64_t sched_vdelta(uint64_t delta, uint32_t inv_weight)
{
	uint64_t hi = (delta >> 32) * inv_weight;
	uint64_t lo = (delta & 0xffffffffu) * inv_weight;

	if (hi > (UINT64_MAX >> 10))
		return UINT64_MAX;
	uint64_t res = hi << 10;
	uint64_t add = lo >> 22;
	if (res > UINT64_MAX - add)
		return UINT64_MAX;
	return res + add;
}
