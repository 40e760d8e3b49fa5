/*
 * acpihp.c - pci:/hotplug: the requests acpid makes for ACPI PCI
 * hot-plug, QEMU q35's default (docs/pcid.md, "ACPI hot-plug"; acpid's
 * side in docs/acpid.md). The text is lib/pci/hpctl:
 *   rescan SSSS:BB:DD.F     the rescan native hot-plug does behind that
 *                           bridge (BARs assigned, `add`/`remove` events)
 *   eject SSSS:BB:DD.F DEV  `remove` for the functions of device DEV
 *                           behind that bridge, then a wait (at most
 *                           PCID_RELEASE_NS, on pcid_claim_gen's futex)
 *                           until none is claimed
 * and the result line is what the writer reads back.
 *
 * Locking: called by main.c's write handler with tbl_lock dropped; the
 * table is reached only through main.c's pcid_slot_* and pcid_bridge_at,
 * which take tbl_lock for each step, so no lock is held while an eject
 * waits. An eject holds one of pcid's workers for its wait; a driver's
 * close, which ends its claim, is served by another (main.c runs three).
 * acpid, the writer, is blocked meanwhile: pcid's irq.c may wait on
 * acpid (an INTx route), so that wait ends at the latest when the eject's
 * does. No state of its own.
 */
#include <string.h>
#include "base/err.h"
#include "pci/hpctl.h"
#include "pcid.h"
#include "rb/stdio.h"
#include "rb/sys.h"

int pcid_hpctl(const char *text, size_t len, int pid, char *out, size_t cap)
{
	struct pci_hpctl_cmd c;
	struct pci_hpctl_result r = {0};
	char name[13];
	if (pci_hpctl_parse(text, len, &c) < 0) {
		rb_printf("pcid: hotplug: pid %d: bad request (%zu bytes)\n", pid, len);
		return -E_INVAL;
	}
	pci_addr_fmt(c.bridge, name);
	struct pcid_dev *port = pcid_bridge_at(c.bridge);
	if (!port) {
		rb_printf("pcid: hotplug: %s: no such bridge (pid %d)\n", name, pid);
		return -E_NOENT;
	}
	uint64_t t0 = rb_now_ns();
	if (c.op == PCI_HPCTL_RESCAN) {
		pcid_slot_rescan(port, &r.added, &r.removed);
		r.ms = (unsigned)((rb_now_ns() - t0) / 1000000);
		rb_printf("pcid: hotplug: %s: ACPI rescan: %u added, %u removed in %u ms\n", name,
			  r.added, r.removed, r.ms);
	} else {
		r.removed = pcid_slot_remove(port, c.dev);
		r.claimed = pcid_slot_wait(port, c.dev, PCID_RELEASE_NS, &r.ms);
		if (r.claimed)
			rb_printf("pcid: hotplug: %s slot %u: ACPI eject: %u removed, %u still "
				  "claimed after %u ms\n",
				  name, c.dev, r.removed, r.claimed, r.ms);
		else
			rb_printf("pcid: hotplug: %s slot %u: ACPI eject: %u removed, released "
				  "after %u ms\n",
				  name, c.dev, r.removed, r.ms);
	}
	(void)pci_hpctl_result_fmt(&r, out, cap);
	return 0;
}
