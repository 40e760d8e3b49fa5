/*
 * fuzz_acpi_pm.c - libFuzzer target for lib/acpi/pm: a FADT body (the
 * input) through fadt_parse_body and acpi_pm_from_fadt, then every
 * operation over fake registers whose reads answer bytes of the input
 * (so status and enable bits, SCI_EN and the 8042's status are whatever
 * the fuzzer chooses) and whose writes are checked to stay inside the
 * blocks the FADT named. The input's tail is also tried as a GPE method
 * path. Nothing may crash, read out of bounds or loop unbounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "acpi/pm.h"

struct fake {
	const uint8_t *data;
	size_t size;
	const struct acpi_pm *pm;
};

static uint8_t byte_at(const struct fake *f, uint64_t a)
{
	return f->size ? f->data[(a * 2654435761u) % f->size] : 0;
}

static int f_read(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t *v)
{
	struct fake *f = ctx;
	*v = 0;
	for (unsigned i = 0; i < bytes; i++)
		*v |= (uint32_t)byte_at(f, addr + i) << (8 * i);
	return 0;
}

static bool inside(const struct acpi_pm_blk *b, uint8_t space, uint64_t addr, unsigned bytes)
{
	return b->len && b->space == space && addr >= b->addr && addr + bytes <= b->addr + b->len;
}

static int f_write(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t v)
{
	struct fake *f = ctx;
	const struct acpi_pm *pm = f->pm;
	if (!pm)
		return 0; /* reset steps: any register the FADT names */
	if (!inside(&pm->pm1a_evt, space, addr, bytes) &&
	    !inside(&pm->pm1b_evt, space, addr, bytes) &&
	    !inside(&pm->pm1a_cnt, space, addr, bytes) &&
	    !inside(&pm->pm1b_cnt, space, addr, bytes) && !inside(&pm->gpe0, space, addr, bytes) &&
	    !inside(&pm->gpe1, space, addr, bytes) &&
	    !(space == 1 && addr == pm->smi_cmd && bytes == 1))
		abort(); /* a write outside every block the FADT named */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fadt_info fi;
	struct acpi_pm pm;
	struct fake f = {.data = data, .size = size};
	struct acpi_pm_io io = {.ctx = &f, .read = f_read, .write = f_write};
	uint16_t v;
	bool b;
	unsigned gpes[16];

	if (size > 4096)
		return 0;
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (fadt_parse_body(copy, size, &fi) == 0) {
		struct acpi_reset_step steps[ACPI_RESET_STEPS];
		size_t n = acpi_reset_plan(&fi, steps);
		for (size_t i = 0; i < n; i++)
			(void)!acpi_reset_do(&steps[i], &io);
		if (acpi_pm_from_fadt(&fi, &pm) == 0) {
			f.pm = &pm;
			(void)!acpi_pm1_status(&pm, &io, &v);
			(void)!acpi_pm1_clear(&pm, &io, v);
			(void)!acpi_pm1_enable(&pm, &io, ACPI_PM1_PWRBTN, true);
			(void)!acpi_pm1_enabled(&pm, &io, &v);
			(void)!acpi_pm_acpi_mode(&pm, &io, &b);
			(void)!acpi_gpe_reset_all(&pm, &io);
			unsigned count = acpi_gpe_count(&pm);
			if (count > ACPI_GPE_MAX)
				abort();
			for (unsigned g = 0; g < count; g++)
				if (acpi_gpe_valid(&pm, g))
					(void)!acpi_gpe_enable(&pm, &io, g, true);
			int k = acpi_gpe_pending(&pm, &io, gpes, 16);
			for (int i = 0; i < k && i < 16; i++) {
				if (!acpi_gpe_valid(&pm, gpes[i]))
					abort();
				(void)!acpi_gpe_clear(&pm, &io, gpes[i]);
			}
			(void)!acpi_pm_sleep(&pm, &io, data[0], size > 1 ? data[1] : 0);
		}
	}
	free(copy);

	/* the tail as a path: parse, and a parsed one round-trips */
	char path[16];
	size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
	memcpy(path, data + size - n, n);
	path[n] = 0;
	unsigned gpe;
	bool level;
	if (acpi_gpe_method_parse(path, &gpe, &level)) {
		char back[11];
		acpi_gpe_method(gpe, level, back);
		if (strcmp(back, path) != 0)
			abort();
	}
	return 0;
}
