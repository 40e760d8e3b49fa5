/*
 * fuzz_slit.c - libFuzzer target for slit_parse() (see acpi_fuzz.h); every
 * distance of a parsed matrix is read, so ASan sees an N*N that lies.
 */
#include "acpi/slit.h"
#include "acpi_fuzz.h"

static void read_all(const struct slit_info *si)
{
	for (uint64_t i = 0; i < si->localities; i++)
		for (uint64_t j = 0; j < si->localities; j++)
			(void)slit_distance(si, i, j);
}

ACPI_FUZZ_TARGET(slit, "SLIT", read_all(&info))
