/*
 * pcihp.c - ACPI PCI hot-plug's pure part: the Notify queue, _ADR
 * decoding and the walk from a slot's device object to its bridge's PCI
 * address (pcihp.h). No state of its own; the caller's queue and
 * interpreter, no locks.
 */
#include <string.h>
#include "acpi/pcihp.h"
#include "aml/aml.h"
#include "base/err.h"

int acpi_hp_note(struct acpi_hp_queue *q, const char *path, uint64_t value)
{
	size_t len = strlen(path);
	if (value != ACPI_HP_BUS_CHECK && value != ACPI_HP_DEVICE_CHECK &&
	    value != ACPI_HP_EJECT_REQUEST)
		return 0;
	if (len >= PRT_PATH_MAX)
		return -E_NAMETOOLONG;
	for (unsigned i = 0; i < q->n && i < ACPI_HP_NOTES; i++)
		if (q->note[i].kind == value && strcmp(q->note[i].path, path) == 0)
			return 0;
	if (q->n >= ACPI_HP_NOTES)
		return -E_NOSPC;
	memcpy(q->note[q->n].path, path, len + 1);
	q->note[q->n++].kind = (uint8_t)value;
	return 1;
}

const char *acpi_hp_kind_name(unsigned kind)
{
	return kind == ACPI_HP_BUS_CHECK       ? "bus check"
	       : kind == ACPI_HP_DEVICE_CHECK  ? "device check"
	       : kind == ACPI_HP_EJECT_REQUEST ? "eject request"
					       : "?";
}

int acpi_hp_adr(uint64_t adr, uint8_t *dev, uint8_t *fn)
{
	uint64_t d = adr >> 16, f = adr & 0xffff;
	if (d > 31 || (f > 7 && f != 0xffff))
		return -E_INVAL;
	*dev = (uint8_t)d;
	*fn = f == 0xffff ? 0xff : (uint8_t)f;
	return 0;
}

/* The parent of the object at path ("\_SB_.PCI0" of "\_SB_.PCI0.S18_"), into
   out: false for the root or a name without a dot. */
static bool parent_of(const char *path, char *out)
{
	const char *dot = strrchr(path, '.');
	size_t n;
	if (!dot)
		return false;
	n = (size_t)(dot - path);
	memcpy(out, path, n);
	out[n] = '\0';
	return n > 1;
}

int acpi_hp_locate(struct aml *aml, const char *slot, struct acpi_hp_where *w)
{
	char node[PRT_PATH_MAX], up_path[PRT_PATH_MAX];
	uint32_t up[ACPI_HP_DEPTH]; /* bridges' _ADRs going up */
	unsigned n = 0;
	uint64_t adr, v;
	uint8_t dev, fn;
	int err;

	if (strlen(slot) >= PRT_PATH_MAX)
		return -E_NAMETOOLONG;
	*w = (struct acpi_hp_where){0};
	if ((err = prt_eval_int(aml, slot, "_ADR", ~0ull, &adr)))
		return err;
	if (adr == ~0ull)
		return -E_NOENT;
	if ((err = acpi_hp_adr(adr, &dev, &fn)))
		return err;
	w->slot_dev = dev;
	if (!parent_of(slot, node))
		return -E_NOENT;
	memcpy(w->bridge, node, strlen(node) + 1);
	for (;;) {
		if (prt_is_root_bridge(aml, node))
			break;
		if ((err = prt_eval_int(aml, node, "_ADR", ~0ull, &adr)))
			return err;
		if (adr == ~0ull)
			return -E_NOENT; /* neither a bridge nor the root: not PCI */
		if (n == ACPI_HP_DEPTH)
			return -E_NOTSUP;
		if ((err = acpi_hp_adr(adr, &dev, &fn)))
			return err;
		up[n++] = (uint32_t)adr;
		if (!parent_of(node, up_path))
			return -E_NOENT;
		memcpy(node, up_path, strlen(up_path) + 1);
	}
	memcpy(w->root, node, strlen(node) + 1);
	if ((err = prt_eval_int(aml, node, "_SEG", 0, &v)))
		return err;
	if (v > 0xffff)
		return -E_INVAL;
	w->seg = (uint16_t)v;
	if ((err = prt_eval_int(aml, node, "_BBN", 0, &v)))
		return err;
	if (v > 0xff)
		return -E_INVAL;
	w->root_bus = (uint8_t)v;
	w->depth = n;
	for (unsigned i = 0; i < n; i++)
		w->adr[i] = up[n - 1 - i];
	return 0;
}

int acpi_hp_bridge_addr(const struct acpi_hp_where *w,
			int (*secondary)(void *ctx, struct pci_addr a, uint8_t *bus), void *ctx,
			struct pci_addr *out)
{
	struct pci_addr a = {.seg = w->seg, .bus = w->root_bus};
	if (w->depth == 0)
		return -E_NOTSUP;
	if (w->depth > ACPI_HP_DEPTH)
		return -E_INVAL;
	for (unsigned i = 0; i < w->depth; i++) {
		uint8_t dev, fn;
		int err;
		if (i > 0) {
			uint8_t bus;
			if ((err = secondary(ctx, a, &bus)))
				return err;
			if (bus == 0 || bus <= a.bus)
				return -E_INVAL; /* not a configured bridge below a */
			a.bus = bus;
		}
		if (acpi_hp_adr(w->adr[i], &dev, &fn) || fn == 0xff)
			return -E_INVAL;
		a.dev = dev;
		a.fn = fn;
	}
	*out = a;
	return 0;
}
