/*
 * acpi.c - one line of acpid's acpi:/devices into a device driver-manager
 * can match (drvmgr.h): "PATH ID [ID...]", PATH the device's absolute
 * namespace path, the IDs its _HID and then its _CIDs.
 *
 * The line comes from another process, so it is outside input: the path
 * must be a namespace path (a '\' and then letters, digits, '_', '.', at
 * most DRV_ADDR_MAX bytes), an id that is not 1..DRV_ACPI_ID_MAX letters,
 * digits or '_' (acpi_id_ok, the rule acpid lists by) is left out (so the others still match), past
 * DRV_IDS_MAX ids the rest are left out, and a line with no id left is
 * refused.
 *
 * Pure: no allocation, no locks.
 */
#include <string.h>
#include "acpi/devs.h"
#include "base/err.h"
#include "drvmgr/drvmgr.h"

_Static_assert(DRV_ACPI_ID_MAX == ACPI_DEV_ID_MAX, "an id acpid lists fits a drv_acpi_dev");

int drv_acpi_parse(const char *line, size_t len, struct drv_acpi_dev *out)
{
	if (!line)
		return -E_INVAL;
	if (len && line[len - 1] == '\n')
		len--;
	memset(out, 0, sizeof *out);
	const char *end = line + len, *p = memchr(line, ' ', len);
	size_t plen = p ? (size_t)(p - line) : len;
	if (plen < 2 || line[0] != '\\')
		return -E_INVAL;
	if (plen > DRV_ADDR_MAX)
		return -E_NAMETOOLONG;
	for (size_t i = 1; i < plen; i++)
		if (!acpi_id_char(line[i]) && line[i] != '.')
			return -E_INVAL;
	memcpy(out->addr, line, plen);
	for (p = line + plen; p < end;) {
		while (p < end && *p == ' ')
			p++;
		const char *w = p;
		while (p < end && *p != ' ')
			p++;
		size_t wlen = (size_t)(p - w);
		if (!acpi_id_ok(w, wlen) || out->nids == DRV_IDS_MAX)
			continue;
		memcpy(out->ids[out->nids++], w, wlen);
	}
	return out->nids ? 0 : -E_INVAL;
}

void drv_acpi_desc(const struct drv_acpi_dev *a, struct drv_desc *out)
{
	memset(out, 0, sizeof *out);
	out->bus = DRV_BUS_ACPI;
	memcpy(out->addr, a->addr, sizeof out->addr);
	for (unsigned i = 0; i < a->nids && i < DRV_IDS_MAX; i++)
		out->ids[out->nids++] = a->ids[i];
}
