/*
 * aml.c - the [AML] section of acpi-inspect: definition counts per table.
 *
 * All of a machine's AML tables are loaded into one namespace first (as
 * iasl disassembles each with the others as externals), so a call to a
 * method defined in another table parses with the right argument count;
 * then lib/aml counts each table's Device, Method, Processor, ThermalZone,
 * PowerResource and OperationRegion definitions, including those inside
 * method bodies. Regions read as 0 and writes are dropped, as in acpiexec.
 */
#include <stdlib.h>
#include <string.h>
#include "aml/aml.h"
#include "inspect.h"

static void *host_alloc(void *ctx, size_t size)
{
	return malloc(size);
}

static void host_free(void *ctx, void *p, size_t size)
{
	free(p);
}

static int region_read(void *ctx, const struct aml_access *a, uint64_t *value)
{
	*value = 0;
	return 0;
}

static int region_write(void *ctx, const struct aml_access *a, uint64_t value)
{
	return 0;
}

int inspect_aml(FILE *out, const struct inspect_file *const *tables, size_t n, char *err,
		size_t errlen)
{
	struct aml_host host = {
	    .alloc = host_alloc,
	    .free = host_free,
	    .region_read = region_read,
	    .region_write = region_write,
	};
	struct aml *aml;
	int idx[512];
	if (n > sizeof idx / sizeof *idx || aml_create(&host, &aml) < 0) {
		snprintf(err, errlen, "cannot create the AML interpreter");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		idx[i] = -1;
		if (aml_load_table(aml, tables[i]->data, tables[i]->len, &idx[i]) < 0)
			fprintf(stderr, "acpi-inspect: %s: AML load error: %s\n", tables[i]->name,
				aml_last_error(aml));
	}
	for (size_t i = 0; i < n; i++) {
		struct aml_counts c;
		if (idx[i] < 0 || aml_table_counts(aml, idx[i], &c) < 0) {
			fprintf(stderr, "acpi-inspect: %s: no AML counts\n", tables[i]->name);
			continue;
		}
		fprintf(out,
			"%s: devices=%u methods=%u processors=%u thermal_zones=%u "
			"power_resources=%u operation_regions=%u unresolved_methods=%u\n",
			tables[i]->name, c.devices, c.methods, c.processors, c.thermal_zones,
			c.power_resources, c.regions, c.unresolved);
	}
	aml_destroy(aml);
	return 0;
}
