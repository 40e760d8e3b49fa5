/*
 * test_scale.h - loop counts for host tests that iterate.
 *
 * `make test` must finish in seconds, so iterating tests run a quick count
 * by default; the fuzz stage of `make check` runs them again with
 * REDBEAR_TEST_FULL=1, which selects the long count.
 */
#pragma once

#include <stdlib.h>

/* quick normally, full when REDBEAR_TEST_FULL=1 is set */
static inline long test_iterations(long quick, long full)
{
	const char *e = getenv("REDBEAR_TEST_FULL");

	return e && e[0] == '1' ? full : quick;
}
