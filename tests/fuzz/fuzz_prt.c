/*
 * fuzz_prt.c - libFuzzer target for lib/acpi/prt.c: load the input as a
 * DSDT (as is if it is a DSDT/SSDT with a consistent length, else behind a
 * generated header), call \_PIC(1), find the root bridge of bus 0, read its
 * _PRT and resolve every entry (links through _CRS, _PRS and _SRS), under
 * small interpreter budgets so every input finishes fast. Region reads
 * give zero, writes are dropped.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/prt.h"
#include "aml/aml.h"

static void *f_alloc(void *ctx, size_t n)
{
	return malloc(n);
}

static void f_free(void *ctx, void *p, size_t n)
{
	free(p);
}

static int f_read(void *ctx, const struct aml_access *a, uint64_t *v)
{
	*v = 0;
	return 0;
}

static int f_write(void *ctx, const struct aml_access *a, uint64_t v)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prt_entry e[256];
	struct aml_host host = {
	    .alloc = f_alloc, .free = f_free, .region_read = f_read, .region_write = f_write};
	struct aml_limits lim = {.max_steps = 20000,
				 .max_depth = 16,
				 .max_nesting = 64,
				 .max_memory = 8u << 20,
				 .max_loop = 256};
	struct aml_value v, arg = {.type = AML_INTEGER, .integer = 1};
	char root[PRT_PATH_MAX], child[PRT_PATH_MAX];
	struct prt_route r;
	struct aml *aml;
	uint8_t *tbl;
	size_t len, n;

	if (size >= 36 && (!memcmp(data, "DSDT", 4) || !memcmp(data, "SSDT", 4)) &&
	    (data[4] | data[5] << 8 | data[6] << 16 | (uint32_t)data[7] << 24) == size) {
		len = size;
		tbl = malloc(len);
		if (!tbl)
			return 0;
		memcpy(tbl, data, size);
	} else {
		len = 36 + size;
		tbl = calloc(1, len);
		if (!tbl)
			return 0;
		memcpy(tbl, "DSDT", 4);
		for (unsigned i = 0; i < 4; i++)
			tbl[4 + i] = (uint8_t)(len >> (8 * i));
		tbl[8] = 2;
		memcpy(tbl + 36, data, size);
	}
	if (aml_create(&host, &aml)) {
		free(tbl);
		return 0;
	}
	aml_set_limits(aml, &lim);
	if (aml_load_table(aml, tbl, len, NULL) == 0) {
		(void)!aml_initialize(aml);
		if (aml_exists(aml, "\\_PIC", NULL) && aml_eval(aml, "\\_PIC", &arg, 1, &v) == 0)
			aml_value_free(aml, &v);
		if (prt_find_root(aml, 0, 0, root, sizeof(root)) == 0 &&
		    prt_read(aml, root, e, 256, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				if (e[i].pin > 3)
					abort();
				(void)!prt_entry_route(aml, &e[i], true, &r);
			}
			(void)!prt_find_child(aml, root, 0x00010000, child, sizeof(child));
		}
	}
	aml_destroy(aml);
	free(tbl);
	return 0;
}
