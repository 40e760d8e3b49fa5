/*
 * fuzz_aml.c - libFuzzer target for the AML interpreter: load the input as a
 * DSDT (used as is if it already is a DSDT/SSDT with a consistent length,
 * else as the body behind a generated header whose revision comes from the
 * first byte), initialise, evaluate a few well-known names, count
 * definitions and walk the namespace, then list its devices as acpid's
 * acpi:/devices does (lib/acpi/devs: every id 1..8 letters, digits or '_',
 * the line exactly as long as it says), all under a small budget so every
 * input finishes fast. Region reads give the address, writes are dropped.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/devs.h"
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
	*v = a->address;
	return 0;
}

static int f_write(void *ctx, const struct aml_access *a, uint64_t v)
{
	return a->space == AML_SPACE_EC ? -1 : 0;
}

static int f_walk(void *ctx, const char *path, enum aml_type type)
{
	(*(unsigned *)ctx)++;
	return 0;
}

static int f_dev(void *ctx, const char *path, const struct acpi_dev *d)
{
	char line[600];
	if (d->nids == 0 || d->nids > ACPI_DEV_IDS_MAX || !(d->sta & ACPI_STA_PRESENT))
		abort();
	for (unsigned i = 0; i < d->nids; i++) {
		size_t l = strnlen(d->ids[i], sizeof d->ids[i]);
		if (l == 0 || l == sizeof d->ids[i] || strchr(d->ids[i], ' '))
			abort();
	}
	size_t need = acpi_dev_line(path, d, NULL, 0);
	if (acpi_dev_line(path, d, line, sizeof line) != need ||
	    (need < sizeof line && strlen(line) != need))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
	    "\\_S5_",		"\\_SB_.PCI0._PRT", "\\_SB_.PCI0._HID", "\\_SB_.PCI0._CRS",
	    "\\_PR_.CPU0._PSS", "\\_TZ_.TZ00._TMP", "\\_WAK",
	};
	struct aml_host host = {
	    .alloc = f_alloc, .free = f_free, .region_read = f_read, .region_write = f_write};
	struct aml_limits lim = {.max_steps = 20000,
				 .max_depth = 16,
				 .max_nesting = 64,
				 .max_memory = 8u << 20,
				 .max_loop = 256};
	struct aml_value v, arg = {.type = AML_INTEGER, .integer = 1};
	struct aml_counts c;
	struct aml *aml;
	uint8_t *tbl;
	size_t len;
	unsigned n = 0;

	if (size >= 36 && (!memcmp(data, "DSDT", 4) || !memcmp(data, "SSDT", 4)) &&
	    (data[4] | data[5] << 8 | data[6] << 16 | (uint32_t)data[7] << 24) == size) {
		tbl = malloc(size ? size : 1);
		if (!tbl)
			return 0;
		memcpy(tbl, data, size);
		len = size;
	} else {
		len = 36 + size;
		tbl = calloc(1, len);
		if (!tbl)
			return 0;
		memcpy(tbl, "DSDT", 4);
		tbl[4] = (uint8_t)len;
		tbl[5] = (uint8_t)(len >> 8);
		tbl[6] = (uint8_t)(len >> 16);
		tbl[7] = (uint8_t)(len >> 24);
		tbl[8] = size && (data[0] & 1) ? 1 : 2;
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
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (aml_eval(aml, names[i], &arg, 1, &v) == 0)
				aml_value_free(aml, &v);
		(void)!aml_table_counts(aml, 0, &c);
		aml_walk(aml, f_walk, &n);
		(void)!acpi_devs_walk(aml, f_dev, NULL, NULL);
	}
	aml_destroy(aml);
	free(tbl);
	return 0;
}
