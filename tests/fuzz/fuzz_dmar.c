/*
 * fuzz_dmar.c - libFuzzer target for dmar_parse() (see acpi_fuzz.h); a
 * parsed table is also walked structure by structure and scope by scope.
 */
#include "acpi/dmar.h"
#include "acpi_fuzz.h"

/* Walk every structure and every device scope the parser accepted. */
static void walk(const uint8_t *b, size_t size, const struct dmar_info *di)
{
	struct dmar_ref ref;
	struct dmar_scope sc;
	uint32_t cur = 0, off;

	while (dmar_next(b, size, &cur, &ref) == 0)
		;
	for (uint32_t i = 0; i < di->ndrhds; i++) {
		off = di->drhds[i].scope_off;
		while (dmar_scope_next(b, di->drhds[i].scope_end, &off, &sc) == 0)
			for (unsigned k = 0; k < sc.npath * 2u; k++)
				(void)*(volatile const uint8_t *)&sc.path[k];
	}
}

ACPI_FUZZ_TARGET(dmar, "DMAR", walk(b, size, &info))
