/*
 * duration.h - sleep(1)'s time argument: a decimal number with an
 * optional fraction ("0.5", ".25", "3.") and an optional suffix s
 * (seconds, the default), m, h or d. Pure; no state.
 */
#pragma once
#include <stdint.h>

/* At most this many nanoseconds (a hundred years). */
#define DURATION_MAX_NS (100ull * 365 * 24 * 3600 * 1000000000ull)

/* Parse s into *ns: 0, or -1 when malformed or above DURATION_MAX_NS.
   Fraction digits past the ninth are ignored. */
int duration_parse(const char *s, uint64_t *ns);
