/*
 * pcid.h - pcid's device record, as far as the irq node needs it
 * (docs/pcid.md). h-pci's pcid.h is the real one; this copy carries the
 * fields irq.c uses, with the same names, so the branches merge.
 *
 * A struct pcid_dev belongs to pcid's device table; pcid serialises every
 * operation on one device (the device's lock), so irq.c takes no lock.
 */
#pragma once
#include "pci/pci.h"

struct pcid_dev {
	struct pci_cfg cfg; /* the function's config space */
	void *irq_state;    /* irq.c's, NULL while no interrupt request is live */
};
