/*
 * rand.c - splitmix64 streams (rb/rand.h).
 *
 * A stream is a 64-bit counter advanced by the golden-ratio increment and
 * scrambled on output (Steele, Lea and Flood's SplitMix). The caller owns
 * each struct rb_rand; nothing here is shared, so there is no lock.
 */
#include "rb/rand.h"

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void rb_rand_seed(struct rb_rand *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t rb_rand_next(struct rb_rand *r)
{
	r->state += 0x9e3779b97f4a7c15ull;
	return mix64(r->state);
}

uint64_t rb_rand_below(struct rb_rand *r, uint64_t n)
{
	/* The modulo bias is below 2^-32 for the small n used here. */
	return n ? rb_rand_next(r) % n : 0;
}

uint64_t rb_rand_derive(uint64_t seed, uint64_t a, uint64_t b)
{
	return mix64(mix64(seed ^ mix64(a + 0x9e3779b97f4a7c15ull)) ^ mix64(~b));
}
