/*
 * rb/rand.h - a small reproducible pseudo-random generator (splitmix64).
 *
 * Each struct rb_rand is one stream owned by one thread: no locking, no
 * global state. rb_rand_derive() mixes a seed with stream numbers so that
 * a whole program (kstress's workers and their threads) can be replayed
 * from one printed seed. Not for cryptography.
 */
#pragma once
#include <stdint.h>

struct rb_rand {
	uint64_t state;
};

/* Start r at seed. */
void rb_rand_seed(struct rb_rand *r, uint64_t seed);
/* The next 64 random bits of r. */
uint64_t rb_rand_next(struct rb_rand *r);
/* A number in [0, n) (0 when n is 0). */
uint64_t rb_rand_below(struct rb_rand *r, uint64_t n);
/* A seed for sub-stream (a, b) of seed: distinct streams for distinct (a, b). */
uint64_t rb_rand_derive(uint64_t seed, uint64_t a, uint64_t b);
