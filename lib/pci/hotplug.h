/*
 * hotplug.h - native PCI Express hot-plug: the slot registers and the pure
 * decision of what to do about a slot's events (docs/pcid.md, "Hotplug").
 *
 * The registers are those of the PCI Express capability of a Root Port or
 * a switch Downstream Port (PCIe Base spec 7.5.3: Slot Capabilities,
 * Slot Control, Slot Status; Link Capabilities/Status for the Data Link
 * Layer Link Active report). pci_hp_slot_parse finds a hot-plug capable
 * slot; pci_hp_decide says, from the event bits the port latched and the
 * slot's state now, whether to power the slot on or off and whether to
 * rescan its buses or report its functions gone. pcid does the work (the
 * config writes, the rescan, the events, the wait for a driver to let
 * go). Pure and lock-free: the caller holds the port's lock around the
 * config accesses.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "pci/pci.h"

/* PCI Express capability register offsets (from the capability's start). */
#define PCI_EXP_FLAGS 0x02  /* PCI Express Capabilities register (16 bits) */
#define PCI_EXP_LNKCAP 0x0c /* Link Capabilities (32) */
#define PCI_EXP_LNKSTA 0x12 /* Link Status (16) */
#define PCI_EXP_SLTCAP 0x14 /* Slot Capabilities (32) */
#define PCI_EXP_SLTCTL 0x18 /* Slot Control (16) */
#define PCI_EXP_SLTSTA 0x1a /* Slot Status (16) */

/* PCI Express Capabilities register (7.5.3.2). */
#define PCI_EXP_FLAGS_TYPE(f) (((f) >> 4) & 0xf) /* Device/Port Type */
#define PCI_EXP_TYPE_ROOT_PORT 0x4
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_FLAGS_SLOT 0x0100		 /* Slot Implemented */
#define PCI_EXP_FLAGS_IRQ(f) (((f) >> 9) & 0x1f) /* Interrupt Message Number */

/* Link Capabilities (7.5.3.6) and Link Status (7.5.3.8). */
#define PCI_EXP_LNKCAP_DLLLARC 0x00100000 /* DLL Link Active Reporting Capable */
#define PCI_EXP_LNKSTA_DLLLA 0x2000	  /* Data Link Layer Link Active */

/* Slot Capabilities (7.5.3.9). */
#define PCI_EXP_SLTCAP_ABP 0x00000001	  /* Attention Button Present */
#define PCI_EXP_SLTCAP_PCP 0x00000002	  /* Power Controller Present */
#define PCI_EXP_SLTCAP_MRLSP 0x00000004	  /* MRL Sensor Present */
#define PCI_EXP_SLTCAP_AIP 0x00000008	  /* Attention Indicator Present */
#define PCI_EXP_SLTCAP_PIP 0x00000010	  /* Power Indicator Present */
#define PCI_EXP_SLTCAP_HPS 0x00000020	  /* Hot-Plug Surprise */
#define PCI_EXP_SLTCAP_HPC 0x00000040	  /* Hot-Plug Capable */
#define PCI_EXP_SLTCAP_NCCS 0x00040000	  /* No Command Completed Support */
#define PCI_EXP_SLTCAP_PSN(c) ((c) >> 19) /* Physical Slot Number */

/* Slot Control (7.5.3.10). Indicator fields: 01b on, 10b blink, 11b off. */
#define PCI_EXP_SLTCTL_ABPE 0x0001   /* Attention Button Pressed Enable */
#define PCI_EXP_SLTCTL_PFDE 0x0002   /* Power Fault Detected Enable */
#define PCI_EXP_SLTCTL_MRLSCE 0x0004 /* MRL Sensor Changed Enable */
#define PCI_EXP_SLTCTL_PDCE 0x0008   /* Presence Detect Changed Enable */
#define PCI_EXP_SLTCTL_CCIE 0x0010   /* Command Completed Interrupt Enable */
#define PCI_EXP_SLTCTL_HPIE 0x0020   /* Hot-Plug Interrupt Enable */
#define PCI_EXP_SLTCTL_AIC 0x00c0    /* Attention Indicator Control */
#define PCI_EXP_SLTCTL_AIC_ON 0x0040
#define PCI_EXP_SLTCTL_AIC_BLINK 0x0080
#define PCI_EXP_SLTCTL_AIC_OFF 0x00c0
#define PCI_EXP_SLTCTL_PIC 0x0300 /* Power Indicator Control */
#define PCI_EXP_SLTCTL_PIC_ON 0x0100
#define PCI_EXP_SLTCTL_PIC_BLINK 0x0200
#define PCI_EXP_SLTCTL_PIC_OFF 0x0300
#define PCI_EXP_SLTCTL_PCC 0x0400    /* Power Controller Control: 1 = off */
#define PCI_EXP_SLTCTL_EIC 0x0800    /* Electromechanical Interlock Control */
#define PCI_EXP_SLTCTL_DLLSCE 0x1000 /* DLL State Changed Enable */

/* Slot Status (7.5.3.11): bits 0-4 and 8 are RW1C events, 5-7 state. */
#define PCI_EXP_SLTSTA_ABP 0x0001   /* Attention Button Pressed */
#define PCI_EXP_SLTSTA_PFD 0x0002   /* Power Fault Detected */
#define PCI_EXP_SLTSTA_MRLSC 0x0004 /* MRL Sensor Changed */
#define PCI_EXP_SLTSTA_PDC 0x0008   /* Presence Detect Changed */
#define PCI_EXP_SLTSTA_CC 0x0010    /* Command Completed */
#define PCI_EXP_SLTSTA_MRLSS 0x0020 /* MRL Sensor State: 1 = open */
#define PCI_EXP_SLTSTA_PDS 0x0040   /* Presence Detect State: 1 = present */
#define PCI_EXP_SLTSTA_EIS 0x0080   /* Electromechanical Interlock Status */
#define PCI_EXP_SLTSTA_DLLSC 0x0100 /* Data Link Layer State Changed */
#define PCI_EXP_SLTSTA_EVENTS                                                                      \
	(PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PFD | PCI_EXP_SLTSTA_MRLSC | PCI_EXP_SLTSTA_PDC |     \
	 PCI_EXP_SLTSTA_CC | PCI_EXP_SLTSTA_DLLSC)

/* A hot-plug capable slot as found in a port's config space. */
struct pci_hp_slot {
	uint16_t cap;	 /* offset of the PCI Express capability */
	uint8_t type;	 /* PCI_EXP_TYPE_ROOT_PORT or _DOWNSTREAM */
	uint8_t msgnum;	 /* Interrupt Message Number of hot-plug events */
	uint32_t sltcap; /* Slot Capabilities */
	bool link_rep;	 /* Link Capabilities' DLLLARC: Link Active is reported */
};

/* Fill s when c is a Root or Downstream Port whose slot is implemented
   and Hot-Plug Capable; -E_NOENT otherwise (no PCIe capability, another
   port type, no slot, no HPC). Reads config space only. */
MUST_CHECK int pci_hp_slot_parse(const struct pci_cfg *c, struct pci_hp_slot *s);

/* Slot Control with hot-plug interrupts on: HPIE, PDCE, ABPE when there
   is a button, DLLSCE when the link reports Link Active; CCIE, PFDE and
   MRLSCE off (command completion is waited for, not interrupted on);
   indicators and power left as they are. */
uint16_t pci_hp_ctl_enable(const struct pci_hp_slot *s, uint16_t ctl);

/* Slot Control with the slot's power on (PCC 0, power indicator on) or
   off (PCC 1, power indicator off, attention indicator off when present),
   the other bits as in ctl. Power and power indicator are written
   together: QEMU detaches a slot's device on the write that turns both
   off. */
uint16_t pci_hp_ctl_power(const struct pci_hp_slot *s, uint16_t ctl, bool on);

/* Is the slot powered: no power controller, or PCC clear. */
bool pci_hp_powered(const struct pci_hp_slot *s, uint16_t ctl);

/* Interrupt vectors to ask for so that the hot-plug message number is
   one of them: the next power of two above msgnum (1..32). */
unsigned pci_hp_vectors(const struct pci_hp_slot *s);

/* What the caller knows when it decides. */
struct pci_hp_in {
	uint16_t events; /* event bits latched in Slot Status (just cleared) */
	uint16_t sta;	 /* Slot Status read after the clear (PDS) */
	uint16_t ctl;	 /* Slot Control now (PCC) */
	uint16_t lnksta; /* Link Status now (DLLLA) */
	bool have_fns;	 /* pcid lists a present function behind the slot */
};

/* What to do, in this order. */
enum {
	PCI_HP_REMOVE = 1 << 0,	      /* report every function behind the slot gone */
	PCI_HP_WAIT_RELEASE = 1 << 1, /* ...and wait (bounded) for their claims to end */
	PCI_HP_POWER_OFF = 1 << 2,    /* Slot Control: power and indicators off */
	PCI_HP_POWER_ON = 1 << 3,     /* Slot Control: power and indicator on */
	PCI_HP_SETTLE = 1 << 4,	      /* wait 100 ms (6.7.3.3) before config requests */
	PCI_HP_RESCAN = 1 << 5,	      /* walk the slot's buses: adds and removes */
};

/*
 * The actions for one round of events (a bit set of PCI_HP_*):
 * - presence or link changed (PDC, DLLSC), slot empty now: its functions
 *   are gone (REMOVE), and a powered slot is switched off;
 * - presence or link changed, slot occupied: power it on if it is off
 *   (then SETTLE), and RESCAN, unless the link reports and is not yet
 *   active (then wait for the DLLSC event that follows); an Attention
 *   Button press in the same round is part of the insertion (QEMU sets
 *   both on device_add) and is ignored;
 * - the button alone, slot occupied and powered: an eject request:
 *   REMOVE, WAIT_RELEASE, POWER_OFF (the 5-second abort window of 6.7.1.5
 *   is for a human at the slot; nobody here presses it twice); occupied
 *   and off: power on and RESCAN; empty: nothing;
 * - anything else (Command Completed, power fault, MRL): nothing.
 */
unsigned pci_hp_decide(const struct pci_hp_slot *s, const struct pci_hp_in *in);

/* pci_hp_start's answer when the slot is not to be served. */
#define PCI_HP_NOT_NATIVE (1u << 31)

/*
 * What to do with a slot at start-up (in->events ignored), before its
 * interrupts are on. Never a removal or a power-off: a slot that reads
 * empty while pcid lists functions behind it does not report presence,
 * which is what QEMU's q35 does when the firmware (ACPI) does hot-plug
 * for the port (its Hot-Plug Capable bit still set): PCI_HP_NOT_NATIVE,
 * leave the port alone. Occupied and off: power on, settle, rescan (as
 * for an insertion). Otherwise nothing.
 */
unsigned pci_hp_start(const struct pci_hp_slot *s, const struct pci_hp_in *in);
