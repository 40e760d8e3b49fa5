/*
 * selftest.h - in-kernel self-tests chosen with `selftest=NAME`.
 *
 * Each check prints one TAP-style line, "ok N - what" or "not ok N - what",
 * numbered across the whole boot, which the boot tests match.
 */
#pragma once
#include <stdbool.h>
#include "base/compiler.h"

/* Print "ok N - ..." or "not ok N - ..." with the next test number. */
void selftest_report(bool ok, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* The scheduler self-test (selftest_sched.c). */
void selftest_sched(void);
/* Every CPU maps MMIO windows at once (selftest_mmio.c). */
void selftest_mmio(void);
