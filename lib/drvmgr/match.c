/*
 * match.c - which rules match a device, best first (drvmgr.h), and a PCI
 * device descriptor from the start of a function's configuration space.
 *
 * Each rule's score for a device is the best specificity (enum drv_spec)
 * of its entries. drv_match() keeps the best max matches in the caller's
 * out[] by insertion: rules are visited in index order, so a new rule goes
 * after every kept one that is at least as good, which makes lower index
 * the last tie-break without storing it. A kept rule's score is computed
 * again when compared (no storage beyond out[]): O(nrules x max x
 * entries), small for the few dozen drivers a system has.
 *
 * The device descriptor is outside input: its bus is checked, nids is
 * clamped to DRV_IDS_MAX, a NULL id is skipped and an id is read at most
 * DRV_ACPI_ID_MAX + 1 bytes far.
 *
 * Pure: no allocation, no locks; reads the caller's rules and device.
 */
#include <string.h>
#include "base/err.h"
#include "drvmgr/drvmgr.h"

/* How well entry m matches d (DRV_SPEC_NONE: not at all). */
static unsigned entry_spec(const struct drv_match *m, const struct drv_desc *d)
{
	switch (m->kind) {
	case DRV_M_PCI_ID:
		if (d->bus != DRV_BUS_PCI)
			return DRV_SPEC_NONE;
		if ((m->vendor >= 0 && m->vendor != d->vendor) ||
		    (m->device >= 0 && m->device != d->device))
			return DRV_SPEC_NONE;
		return m->vendor >= 0 && m->device >= 0 ? DRV_SPEC_PCI_ID : DRV_SPEC_PCI_WILD;
	case DRV_M_PCI_CLASS:
		if (d->bus != DRV_BUS_PCI || m->cls != d->cls || m->sub != d->sub)
			return DRV_SPEC_NONE;
		if (m->progif < 0)
			return DRV_SPEC_PCI_CLASS;
		return m->progif == d->progif ? DRV_SPEC_PCI_PROGIF : DRV_SPEC_NONE;
	case DRV_M_ACPI: {
		if (d->bus != DRV_BUS_ACPI)
			return DRV_SPEC_NONE;
		size_t want = strnlen(m->acpi, sizeof m->acpi);
		unsigned n = d->nids < DRV_IDS_MAX ? d->nids : DRV_IDS_MAX;
		for (unsigned i = 0; i < n; i++) {
			const char *id = d->ids[i];
			if (!id || strnlen(id, DRV_ACPI_ID_MAX + 1) != want ||
			    memcmp(id, m->acpi, want) != 0)
				continue;
			return i == 0 ? DRV_SPEC_ACPI_HID : DRV_SPEC_ACPI_CID + DRV_IDS_MAX - 1 - i;
		}
		return DRV_SPEC_NONE;
	}
	}
	return DRV_SPEC_NONE;
}

unsigned drv_rule_spec(const struct drv_rule *rule, const struct drv_desc *d)
{
	unsigned best = DRV_SPEC_NONE;
	unsigned n = rule->nmatch < DRV_MATCH_MAX ? rule->nmatch : DRV_MATCH_MAX;
	for (unsigned i = 0; i < n; i++) {
		unsigned s = entry_spec(&rule->m[i], d);
		if (s > best)
			best = s;
	}
	return best;
}

/* True if (pa, sa) ranks strictly before (pb, sb). */
static bool better(int pa, unsigned sa, int pb, unsigned sb)
{
	return pa != pb ? pa > pb : sa > sb;
}

unsigned drv_match(const struct drv_rule *rules, unsigned nrules, const struct drv_desc *d,
		   unsigned *out, unsigned max)
{
	unsigned count = 0;
	if (d->bus != DRV_BUS_PCI && d->bus != DRV_BUS_ACPI)
		return 0;
	for (unsigned i = 0; i < nrules && max; i++) {
		unsigned s = drv_rule_spec(&rules[i], d);
		if (s == DRV_SPEC_NONE)
			continue;
		int p = rules[i].priority;
		/* the first kept rule this one beats; earlier ones are as good or better */
		unsigned at = count;
		while (at > 0 && better(p, s, rules[out[at - 1]].priority,
					drv_rule_spec(&rules[out[at - 1]], d)))
			at--;
		if (at == max)
			continue; /* worse than all the kept ones, and no room */
		unsigned last = count < max ? count : max - 1;
		memmove(&out[at + 1], &out[at], (last - at) * sizeof *out);
		out[at] = i;
		if (count < max)
			count++;
	}
	return count;
}

int drv_dev_from_pci_config(const uint8_t *cfg, size_t len, const char *addr, struct drv_desc *out)
{
	if (!cfg || len < 16 || !addr)
		return -E_INVAL;
	size_t n = strnlen(addr, DRV_ADDR_MAX + 1);
	unsigned vendor = cfg[0x00] | (unsigned)cfg[0x01] << 8;
	if (n > DRV_ADDR_MAX || vendor == 0xffff)
		return -E_INVAL;
	memset(out, 0, sizeof *out);
	out->bus = DRV_BUS_PCI;
	memcpy(out->addr, addr, n);
	out->vendor = (int)vendor;
	out->device = cfg[0x02] | cfg[0x03] << 8;
	out->progif = cfg[0x09];
	out->sub = cfg[0x0a];
	out->cls = cfg[0x0b];
	return 0;
}
