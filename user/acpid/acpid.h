/*
 * acpid.h - the state acpid's modules share (docs/acpid.md).
 *
 * acpid is one thread: main.c owns the one struct acpid, fills it at
 * start (tables, FADT, the AML namespace) and passes it to the modules;
 * nothing here is touched by two threads, so nothing is locked.
 * power.c (power button, S5, reset) is one of those modules; its
 * interface is below so that it and main.c can be written apart.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "acpi/fadt.h"

struct aml;

struct acpid {
	struct aml *aml;       /* the namespace from the DSDT and SSDTs; NULL if none loaded */
	bool have_fadt;	       /* fadt below is valid */
	struct fadt_info fadt; /* parsed FADT (lib/acpi/fadt.h) */
	int sci_gsi;	       /* the FADT's SCI interrupt as a GSI, -1 if none */
	bool shutting_down;    /* a power-off or reboot has started */
};

/*
 * power.c. power_init enables the fixed power-button event and the GPEs
 * that have _Lxx/_Exx methods, and routes the SCI through irq:; it returns
 * the fd main.c polls (POLLIN when the SCI fired), or -1 when there is no
 * SCI (hardware-reduced, no FADT: then there is no button to watch).
 * power_sci runs when that fd is readable: it reads and clears the
 * status bits, runs the GPE methods, and on a power-button press asks init
 * for an ordered shutdown (init:/control "poweroff"); it acknowledges the
 * interrupt last. power_off and power_reboot do what acpi:/power's
 * "poweroff" and "reboot" ask; they return only if they failed, with a
 * negative error, after logging why.
 */
int power_init(struct acpid *a);
void power_sci(struct acpid *a, int fd);
int power_off(struct acpid *a);
int power_reboot(struct acpid *a);
/* main.c's Notify hook passes every Notify here: 0x80 on a PNP0C0C device is a press. */
void power_notify(struct acpid *a, const char *path, uint64_t value);
