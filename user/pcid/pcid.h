/*
 * pcid.h - pcid's shared state (docs/pcid.md): the table of functions it
 * found and the config-space access it uses.
 *
 * The device table (pcid_devs[0..pcid_ndev)) is filled by enumeration on
 * the main thread before pci: is served and extended by a rescan; a slot
 * is never freed (a function that goes away is marked !present), so a
 * pointer to a struct pcid_dev stays valid for pcid's life. Each device's
 * `lock` guards a sequence of config accesses that must not interleave
 * (BAR sizing, a client's write) and its claim; irq.c keeps its own state
 * in irq_state under the same lock, and the lock guards bars/nbars, which
 * are sized the first time something needs them (pcid_bars), not at
 * enumeration: sizing toggles the device's decoding, and a boot that
 * makes no decode change cannot meet QEMU 7.2's TCG race between a
 * memory-map change and another vCPU's MMIO (docs/pcid.md).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "pci/pci.h"
#include "rb/thread.h"

#define PCID_MAX_DEVS 512

struct pcid_dev {
	struct pci_cfg cfg; /* ops, ctx, address, size (256 or 4096) */
	struct pci_hdr hdr;
	struct pci_bar bars[PCI_MAX_BARS]; /* index, kind, phys addr, size */
	unsigned nbars;
	bool bars_sized;    /* bars/nbars valid (lock): sized on first use */
	bool bars_unplaced; /* hot-added, a memory BAR got no address: claims fail (lock) */
	char name[13];	    /* "SSSS:BB:DD.F" */
	bool present;
	struct rb_mutex lock;
	int claim_pid;	       /* pid holding the claim, 0 when none */
	uint64_t claim_handle; /* the handle whose close ends the claim */
	void *irq_state;       /* irq.c's */
	bool irq_open;	       /* an irq handle is open (main.c's table lock) */
};

extern struct pcid_dev pcid_devs[PCID_MAX_DEVS];
extern unsigned pcid_ndev;

/* d's BARs, sized now if they have not been yet (d->lock held). */
void pcid_bars(struct pcid_dev *d);

/* ---- one hot-plug slot's functions (main.c, for hotplug.c). `port` is
   the bridge of the slot; its secondary..subordinate buses are the
   slot's. Each takes tbl_lock itself (the caller holds no lock). */

/* Walk the slot's buses: new functions are logged `add`, functions of
   the table on those buses that no longer answer `remove`; how many of
   each into *added and *removed (either may be NULL). */
void pcid_slot_rescan(const struct pcid_dev *port, unsigned *added, unsigned *removed);
/* Mark every present function of device dev behind port (on its
   secondary bus, with the buses behind it if it is a bridge; dev < 0:
   everything behind port) gone and log `remove`; how many. */
unsigned pcid_slot_remove(const struct pcid_dev *port, int dev);
/* Does the table list a present function behind the slot? */
bool pcid_slot_has_fns(const struct pcid_dev *port);
/* How many functions of device dev behind port (as pcid_slot_remove
   picks them, present or just removed) are claimed. */
unsigned pcid_slot_claims(const struct pcid_dev *port, int dev);
/* Wait, at most timeout_ns, until pcid_slot_claims(port, dev) is 0,
   sleeping on pcid_claim_gen: the claims left; the wait's length into
   *ms. The caller holds no lock. */
unsigned pcid_slot_wait(const struct pcid_dev *port, int dev, uint64_t timeout_ns, unsigned *ms);
/* The present bridge (header type 1) at a, or NULL. */
struct pcid_dev *pcid_bridge_at(struct pci_addr a);
/* Bumped (and futex-woken) whenever a claim ends. */
extern uint32_t pcid_claim_gen;
/* How long an eject (native or ACPI) waits for drivers to let go. */
#define PCID_RELEASE_NS 5000000000ull

/* ---- acpihp.c: pci:/hotplug, ACPI hot-plug's requests (docs/pcid.md,
   "ACPI hot-plug") */

/* Do one command line written to pci:/hotplug by pid (no lock held):
   0 with the result line in out[cap], or -E_INVAL (bad text), -E_NOENT
   (no such bridge). An eject returns once its functions are unclaimed,
   or after PCID_RELEASE_NS. */
int pcid_hpctl(const char *text, size_t len, int pid, char *out, size_t cap);

/* ---- assign.c: BARs of a hot-added function (docs/pcid.md, "BAR
   assignment"). tbl_lock held. */

/* Size d's BARs; if a memory BAR reads 0, give every BAR that reads 0 an
   address in the windows of the bridge above d and write it. BARs with
   an address are never rewritten; a memory BAR that cannot be placed
   sets bars_unplaced (logged once). */
void pcid_assign_bars(struct pcid_dev *d);

/* ---- hotplug.c: native PCIe hot-plug (docs/pcid.md, "Hotplug") */

/* Find the hot-plug capable slots and start the thread that serves
   their interrupts; nothing when there is none. Called once, after the
   scheme is registered. */
void pcid_hotplug_start(void);

/* ---- access.c: config-space access and the MCFG */

struct pcid_ecam {
	uint16_t seg;
	uint8_t bus_start, bus_end;
	uint64_t phys;		/* ECAM base of bus_start */
	volatile uint8_t *virt; /* mapped window of bus_start..bus_end */
};

#define PCID_MAX_ECAM 16

struct pcid_access {
	struct pcid_ecam ecam[PCID_MAX_ECAM];
	unsigned necam;
	bool legacy;	 /* 0xCF8/0xCFC for segment 0 */
	const char *how; /* one phrase for the log */
};

extern const struct pci_cfg_ops pcid_ecam_ops, pcid_legacy_ops;

/* Find the MCFG and map its windows, or settle on the legacy ports, or on
   nothing (then pcid serves an empty pci: and says why): fills *acc. */
void pcid_access_init(struct pcid_access *acc);
