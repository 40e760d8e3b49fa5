/*
 * sysfmt.h - small text layouts shared by the system utilities (ps,
 * uptime, cpus, services): durations, CPU lists and busy shares.
 *
 * Every function writes at most cap bytes into the caller's buffer,
 * always NUL-terminated when cap > 0, and returns the length the whole
 * text needs (as snprintf). Pure: no allocation, no locks, no clock (the
 * caller passes the figures).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Time since boot as uptime says it: "7 min", "1:05", "1 day, 3 min", "2 days, 1:05". */
size_t sysfmt_uptime(uint64_t secs, char *buf, size_t cap);
/* CPU time as ps shows it: minutes and seconds, "0:00", "12:34". */
size_t sysfmt_cputime(uint64_t ns, char *buf, size_t cap);
/* The indexes i < n with on[i] set, as ranges: "0-3,5,7-8"; "none" if there are none. */
size_t sysfmt_cpulist(const bool *on, size_t n, char *buf, size_t cap);
/* busy's share of busy + idle in tenths of a percent (0..1000); 0 if both are 0. */
unsigned sysfmt_permille(uint64_t busy, uint64_t idle);
