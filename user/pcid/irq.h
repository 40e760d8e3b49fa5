/*
 * irq.h - the pci:/SSSS:BB:DD.F/irq node's interface: pcid's scheme
 * (main.c) calls these; user/pcid/irq.c implements them (docs/pcid.md,
 * "Interrupts"). Each is called with the device's lock NOT held; irq.c
 * takes d->lock itself around config accesses and its irq_state.
 */
#pragma once
#include <stddef.h>

struct pcid_dev; /* pcid.h: has cfg, the BAR table and irq_state */

/* A write to the irq handle: a request "auto N", "msix N", "msi N",
   "intx" or "none" from caller_pid. Bytes taken or a negative error. */
int pcid_irq_request(struct pcid_dev *d, const char *req, size_t len, int caller_pid);
/* A read: the answer line into buf; its length or a negative error. */
int pcid_irq_answer(struct pcid_dev *d, char *buf, size_t len);
/* The next irq: handle to move to the client (recvfd), -1 when none. */
int pcid_irq_take_fd(struct pcid_dev *d);
/* The irq handle was closed: disable MSI/MSI-X, re-mask INTx. */
void pcid_irq_release(struct pcid_dev *d);
