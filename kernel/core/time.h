/*
 * time.h - monotonic time on the TSC, delays, and the local APIC timer.
 *
 * time_start() notes the boot TSC value first thing; time_init() (after
 * ACPI, so the HPET is known) settles the TSC frequency: from CPUID leaf
 * 0x15/0x16 when the CPU states it, else calibrated against the HPET, else
 * against the PIT. Until then time_ns() is 0 (the earliest log lines read
 * [0.000000]). timer_init_cpu() sets up this CPU's LAPIC timer: TSC-deadline
 * mode when the CPU has it, else one-shot mode calibrated against the TSC.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* Remember the TSC at boot: the zero of time_ns(). */
void time_start(void);
/* Settle the TSC frequency and the LAPIC timer mode; log the choice. */
struct hpet_info;
void time_init(const struct hpet_info *hpet);
/* Nanoseconds since time_start (0 before time_init). */
uint64_t time_ns(void);
/* Nanoseconds from the Unix epoch to time_ns() == 0 (from the CMOS clock). */
uint64_t time_realtime_offset(void);
/* TSC frequency in Hz (0 before time_init). */
uint64_t time_tsc_hz(void);
/* Busy-wait at least us microseconds / ns nanoseconds (calibrated TSC). */
void udelay(uint64_t us);
void ndelay(uint64_t ns);
/* Program this CPU's LAPIC timer (mode chosen by time_init). */
void timer_init_cpu(void);
/* Fire VEC_TIMER on this CPU once, ns from now. */
void timer_arm_ns(uint64_t ns);
/* Arm the timer 100 us ahead and check its interrupt arrives; log the result. */
void timer_selftest(void);
/* Timer interrupts this CPU has taken. */
uint64_t timer_ticks(void);
