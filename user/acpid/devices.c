/*
 * devices.c - acpid's list of the namespace's devices, acpi:/devices
 * (docs/acpid.md): one line "PATH ID [ID...]" per device that is present
 * and has a _HID or _CID (lib/acpi/devs), made once at start, after the
 * boot-time _STA/_INI and the EC, and served as it is. driver-manager
 * reads it to start the drivers of devices that are not PCI functions.
 *
 * The text is st->devs (malloc'd here, kept for acpid's life); acpid is
 * one thread, so nothing is locked. No memory: one line, and an empty list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/devs.h"
#include "base/err.h"
#include "internal.h"

static int add_line(void *ctx, const char *path, const struct acpi_dev *d)
{
	struct acpid_state *st = ctx;
	size_t need = acpi_dev_line(path, d, NULL, 0);
	if (st->devs_len + need + 1 > st->devs_cap) {
		size_t cap = st->devs_cap ? st->devs_cap * 2 : 4096;
		while (cap < st->devs_len + need + 1)
			cap *= 2;
		char *p = realloc(st->devs, cap);
		if (!p)
			return -E_NOMEM;
		st->devs = p;
		st->devs_cap = cap;
	}
	st->devs_len += acpi_dev_line(path, d, st->devs + st->devs_len, need + 1);
	return 0;
}

void devices_list(struct acpid_state *st)
{
	struct acpi_devs_stats s;
	if (!st->a.aml)
		return;
	int r = acpi_devs_walk(st->a.aml, add_line, st, &s);
	if (r < 0) {
		printf("acpid: devices: %s; acpi:/devices is empty\n", err_name(r));
		st->devs_len = 0;
		return;
	}
	char more[64] = "";
	if (s.sta_errors || s.bad_ids)
		snprintf(more, sizeof more, ", %u _STA failed, %u ids left out", s.sta_errors,
			 s.bad_ids);
	printf("acpid: %u devices listed in acpi:/devices (%u device objects, %u absent%s)\n",
	       s.listed, s.devices, s.absent, more);
}
