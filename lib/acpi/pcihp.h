/*
 * pcihp.h - ACPI PCI hot-plug (ACPI 6.5 5.6.6 "Device Object
 * Notifications", 6.3.3 _EJx, 6.1.1 _ADR): what acpid needs to turn a
 * GPE method's Notify on a slot's device object into a request to pcid
 * (docs/acpid.md, "PCI hot-plug").
 *
 *  - the note queue: the interpreter cannot be re-entered from its
 *    Notify hook, so Notify(dev, 0 bus check | 1 device check | 3 eject
 *    request) is only noted there (acpi_hp_note) and handled once the
 *    GPE method has returned; a note already queued is not queued twice;
 *  - the slot's place: its device number (_ADR), and the chain of PCI-PCI
 *    bridge objects (_ADR) up to the PCI root bridge (_HID/_CID PNP0A08 or
 *    PNP0A03, _SEG, _BBN) that leads to the bridge it hangs under
 *    (acpi_hp_locate);
 *  - that bridge's PCI address: the first bridge sits on the root bus,
 *    each further one on the secondary bus of the one above, which the
 *    caller reads from config space (acpi_hp_bridge_addr's callback).
 *
 * Pure logic over lib/aml (the caller owns and serialises the
 * interpreter, and does not call acpi_hp_locate from inside it); storage
 * is the caller's, no locks.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/prt.h"
#include "base/compiler.h"
#include "pci/pci.h"

struct aml;

#define ACPI_HP_NOTES 16 /* notes kept per SCI */
#define ACPI_HP_DEPTH 8	 /* PCI-PCI bridges between the root and a slot */

/* The Notify values hot-plug acts on (ACPI 6.5 table 5.166). */
enum acpi_hp_kind {
	ACPI_HP_BUS_CHECK = 0,
	ACPI_HP_DEVICE_CHECK = 1,
	ACPI_HP_EJECT_REQUEST = 3,
};

struct acpi_hp_note {
	char path[PRT_PATH_MAX]; /* the notified device, "\_SB_.PCI0.S18_.S00_" */
	uint8_t kind;		 /* enum acpi_hp_kind */
};

struct acpi_hp_queue {
	struct acpi_hp_note note[ACPI_HP_NOTES];
	unsigned n;
};

/* Queue Notify(path, value): 1 queued; 0 when value is not a hot-plug
   one or the same note is queued already; -E_NOSPC when the queue is
   full, -E_NAMETOOLONG for a path that does not fit. */
int acpi_hp_note(struct acpi_hp_queue *q, const char *path, uint64_t value);
/* "bus check", "device check", "eject request" or "?". */
const char *acpi_hp_kind_name(unsigned kind);

/* A PCI _ADR (device << 16 | function; function 0xFFFF: all of them) as
   device and function: 0 or -E_INVAL. *fn is 0xFF for "all". */
MUST_CHECK int acpi_hp_adr(uint64_t adr, uint8_t *dev, uint8_t *fn);

/* Where a slot device object sits. */
struct acpi_hp_where {
	char root[PRT_PATH_MAX];   /* the root bridge's object */
	char bridge[PRT_PATH_MAX]; /* the slot's parent: the bridge's object */
	uint16_t seg;		   /* _SEG of the root (0 if absent) */
	uint8_t root_bus;	   /* _BBN of the root (0 if absent) */
	unsigned depth; /* bridges from the root down to the slot's; 0: on the root bus */
	uint32_t adr[ACPI_HP_DEPTH]; /* their _ADRs, adr[0] on the root bus */
	uint8_t slot_dev;	     /* the slot's device number */
};

/* Find where slot (a device object with _ADR) sits: 0; -E_NOENT when it
   or a bridge object above it has no _ADR or no root bridge is reached,
   -E_NOTSUP for more than ACPI_HP_DEPTH bridges, -E_INVAL for a bad
   _ADR, or an evaluation's error. */
MUST_CHECK int acpi_hp_locate(struct aml *aml, const char *slot, struct acpi_hp_where *w);

/* The PCI address of w's bridge (the slot's parent). secondary(ctx, a,
   &bus) gives the secondary bus of the bridge at a (0 or an error), for
   every bridge but the last. 0, -E_NOTSUP when the slot is on the root
   bus itself (depth 0), -E_INVAL for a bridge _ADR naming all functions
   or a secondary bus 0, or the callback's error. */
MUST_CHECK int acpi_hp_bridge_addr(const struct acpi_hp_where *w,
				   int (*secondary)(void *ctx, struct pci_addr a, uint8_t *bus),
				   void *ctx, struct pci_addr *out);
