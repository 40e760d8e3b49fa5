/*
 * time.h - monotonic time since boot, on the TSC.
 *
 * Until time_init() has calibrated the TSC, time_ns() returns 0 (the log's
 * earliest lines read [0.000000], as on other kernels).
 */
#pragma once
#include <stdint.h>

/* Calibrate the TSC and start the monotonic clock. Call once on the BSP. */
void time_init(void);
/* Nanoseconds since the TSC was read at boot (0 before time_init). */
uint64_t time_ns(void);
/* TSC frequency in Hz (0 before time_init). */
uint64_t time_tsc_hz(void);
/* Busy-wait at least us microseconds / ns nanoseconds (calibrated TSC). */
void udelay(uint64_t us);
void ndelay(uint64_t ns);
