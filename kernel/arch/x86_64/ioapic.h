/*
 * ioapic.h - the I/O APICs the MADT lists, and routing a GSI to a CPU.
 *
 * ioapic_init() maps every I/O APIC, masks every redirection entry and the
 * legacy 8259 PICs. ioapic_route() programs one GSI to (CPU APIC id,
 * vector) with the polarity/trigger from the ISA interrupt source overrides
 * (ISA IRQs) or the caller (the irq: scheme, kernel/dev/irq.c, for
 * drivers). ioapic_program also sets the mask bit in the same write, so a
 * line rerouted while masked never goes live in between. One lock
 * serialises redirection-table writes.
 */
#pragma once
#include "acpi/madt.h"
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"

/* Map and mask all I/O APICs from the MADT; mask the 8259s. */
void ioapic_init(const struct madt_info *madt);
/* Number of I/O APICs in use. */
unsigned ioapic_count(void);
/*
 * Route gsi to vector on the CPU with apic_id. level/active_low give the
 * trigger and polarity. -E_NOENT if no I/O APIC owns gsi, -E_RANGE if the
 * APIC id does not fit the entry's destination field.
 */
MUST_CHECK int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id, bool level,
			    bool active_low);
/* As ioapic_route, leaving the entry masked if masked is set. */
MUST_CHECK int ioapic_program(uint32_t gsi, uint8_t vector, uint32_t apic_id, bool level,
			      bool active_low, bool masked);
/* The GSI, trigger and polarity of ISA irq (0-15) from the MADT's overrides (identity,
   edge, active high without one). */
void ioapic_isa_line(uint8_t irq, uint32_t *gsi, bool *level, bool *active_low);
/* Whether some I/O APIC owns gsi. */
bool ioapic_has_gsi(uint32_t gsi);
/* Route ISA irq (0-15) applying its interrupt source override. */
MUST_CHECK int ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t apic_id);
/* Mask or unmask gsi. */
MUST_CHECK int ioapic_mask(uint32_t gsi, bool masked);
/* Whether gsi's entry has Remote IRR set: a level interrupt that a local
   APIC accepted and has not yet acknowledged with an EOI of the entry's
   vector. false for a GSI no I/O APIC owns. */
bool ioapic_remote_irr(uint32_t gsi);
