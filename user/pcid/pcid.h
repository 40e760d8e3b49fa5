/*
 * pcid.h - pcid's device record, as far as the irq node needs it
 * (docs/pcid.md). h-pci's pcid.h is the real one; this copy carries the
 * fields irq.c uses, with the same names, so the branches merge.
 *
 * A struct pcid_dev belongs to pcid's device table and is never freed;
 * its lock guards config sequences and irq_state (irq.c takes it itself).
 */
#pragma once
#include "pci/pci.h"
#include "rb/thread.h"

struct pcid_dev {
	struct pci_cfg cfg;   /* the function's config space */
	struct rb_mutex lock; /* config sequences, the claim, irq_state */
	void *irq_state;      /* irq.c's, NULL while no interrupt request is live */
};
