/*
 * irq.h - pcid's `irq` node: MSI-X, MSI, INTx or poll for a driver
 * (docs/pcid.md). pcid calls these with the device's lock NOT held:
 * irq.c takes d->lock around config accesses and d->irq_state, and
 * drops it while it waits on irq: or acpid (acpid's PCI_Config regions
 * come back to pcid). The state is irq.c's from the request to
 * pcid_irq_release.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "pcid.h"

/* A write on the irq handle: the request line (`auto N`, `msix N`,
   `msi N`, `intx`, `none`). Sets the device up in the best mode it can
   reach. len (bytes taken); -E_INVAL (bad request), -E_BUSY (a request is already
   live on this device), -E_NOMEM. */
int pcid_irq_request(struct pcid_dev *d, const char *req, size_t len, int caller_pid) MUST_CHECK;

/* A read on the irq handle: the answer line from where the last read
   ended (0 at its end); -E_INVAL before a request. */
int pcid_irq_answer(struct pcid_dev *d, char *buf, size_t len) MUST_CHECK;

/* The next irq: handle to move to the client (recvfd, RB_ANS_FD): vector
   0 first; -1 when every one has been taken. pcid no longer owns it. */
int pcid_irq_take_fd(struct pcid_dev *d);

/* The irq handle closed: MSI/MSI-X disabled, INTx disabled, handles not
   taken closed, the state freed. Safe with no request live. */
void pcid_irq_release(struct pcid_dev *d);

/* An argv word of pcid: `fail_msi=SSSS:BB:DD.F` (fault injection: MSI and
   MSI-X allocation fail for that function). true when the word was one. */
bool pcid_irq_option(const char *word);

/* Implemented by pcid (h-pci): BAR bar's physical base and size; 0, or a
   negative error when the BAR is absent or an I/O BAR. */
int pcid_bar_phys(struct pcid_dev *d, unsigned bar, uint64_t *phys, uint64_t *size) MUST_CHECK;

/* The interrupt mode in use as one line ("msix 2\n", "intx 11 level low\n",
   "poll\n", or "none\n" when no driver asked): its length. For lspci -v. */
int pcid_irq_describe(struct pcid_dev *d, char *buf, size_t len);
