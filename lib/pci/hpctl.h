/*
 * hpctl.h - the text of pcid's hot-plug control node, pci:/hotplug
 * (docs/pcid.md, "ACPI hot-plug"): the commands acpid writes and the
 * one-line result pcid gives back on the same handle.
 *
 *   rescan SSSS:BB:DD.F        walk the buses behind that bridge again
 *   eject SSSS:BB:DD.F DEV     report the functions of device DEV (0-31,
 *                              decimal) behind that bridge removed and
 *                              wait until none is claimed
 *   added A removed R claimed C ms T   the result (decimal counts; C is
 *                              how many functions were still claimed
 *                              when the wait ended, T its milliseconds)
 *
 * A trailing newline is allowed on every line. Pure: no state, no locks;
 * the parsers take bytes a client or a server controls and refuse
 * anything else with -E_INVAL.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "pci/pci.h"

enum pci_hpctl_op { PCI_HPCTL_RESCAN = 1, PCI_HPCTL_EJECT = 2 };

struct pci_hpctl_cmd {
	enum pci_hpctl_op op;
	struct pci_addr bridge; /* the bridge whose secondary bus holds the slot */
	uint8_t dev;		/* eject: the slot's device number */
};

struct pci_hpctl_result {
	unsigned added, removed, claimed, ms;
};

#define PCI_HPCTL_MAX 64 /* longest command or result line, newline included */

/* Parse one command line: 0 or -E_INVAL. */
MUST_CHECK int pci_hpctl_parse(const char *s, size_t len, struct pci_hpctl_cmd *c);
/* c as a command line with its newline into buf[cap]: the length, or -E_INVAL. */
int pci_hpctl_fmt(const struct pci_hpctl_cmd *c, char *buf, size_t cap);
/* Parse a result line: 0 or -E_INVAL. */
MUST_CHECK int pci_hpctl_result_parse(const char *s, size_t len, struct pci_hpctl_result *r);
/* r as a result line with its newline into buf[cap]: the length. */
size_t pci_hpctl_result_fmt(const struct pci_hpctl_result *r, char *buf, size_t cap);
