/*
 * apic_id.h - local APIC ids as the two APIC modes report them.
 *
 * xAPIC: the LAPIC ID register (MMIO 0x020) holds an 8-bit id in bits 31:24
 * (Intel SDM Vol. 3A §11.4.6). x2APIC: MSR 0x802 holds the full 32-bit id
 * (§11.12.5). An 8-bit xAPIC destination of 0xFF is the broadcast address, so
 * any CPU whose id is 0xFF or above can only be addressed in x2APIC mode.
 * Pure inline helpers, no state.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define APIC_XAPIC_ID_REG 0x020
#define APIC_X2APIC_ID_MSR 0x802
#define APIC_XAPIC_BROADCAST 0xffu
#define APIC_X2APIC_BROADCAST 0xffffffffu

/* APIC id from the value of the xAPIC LAPIC ID register (bits 31:24). */
static inline uint32_t apic_xapic_id(uint32_t id_reg)
{
	return id_reg >> 24;
}

/* APIC id from the value of the x2APIC ID MSR (all 32 bits). */
static inline uint32_t apic_x2apic_id(uint64_t msr)
{
	return (uint32_t)msr;
}

/* Whether a CPU with this APIC id can only be reached in x2APIC mode. */
static inline bool apic_id_needs_x2apic(uint32_t id)
{
	return id >= APIC_XAPIC_BROADCAST;
}
