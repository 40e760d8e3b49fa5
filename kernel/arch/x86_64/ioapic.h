/*
 * ioapic.h - the I/O APICs the MADT lists, and routing a GSI to a CPU.
 *
 * ioapic_init() maps every I/O APIC, masks every redirection entry and the
 * legacy 8259 PICs. ioapic_route() programs one GSI to (CPU APIC id,
 * vector) with the polarity/trigger from the ISA interrupt source overrides
 * (ISA IRQs) or the caller (PCI, from _PRT later). One lock serialises
 * redirection-table writes.
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
/* Route ISA irq (0-15) applying its interrupt source override. */
MUST_CHECK int ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t apic_id);
/* Mask or unmask gsi. */
MUST_CHECK int ioapic_mask(uint32_t gsi, bool masked);
