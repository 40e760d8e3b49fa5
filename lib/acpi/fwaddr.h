/*
 * fwaddr.h - is an MMIO address that firmware tables name safe to use?
 *
 * The MADT names the local APIC and the I/O APICs, the HPET table the
 * HPET. A hostile or broken table can point them at RAM, at address 0, at
 * the page the APs start in, or past what the CPU can address; writing
 * "registers" there corrupts memory or hangs the boot. fwaddr_check()
 * looks at one window [addr, addr + len) against facts the caller passes
 * in (RAM ranges from the memory map, the AP start-up page, the local
 * APIC page from IA32_APIC_BASE, the physical address width) and says
 * what is wrong, if anything. Pure: no locking, no allocation.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

enum fwaddr_verdict {
	FWADDR_OK,
	FWADDR_ZERO,	   /* address 0 */
	FWADDR_START_PAGE, /* overlaps the AP start-up (trampoline) page */
	FWADDR_RAM,	   /* overlaps RAM in the memory map */
	FWADDR_TOO_HIGH,   /* beyond the CPU's physical address width */
	FWADDR_IN_LAPIC,   /* overlaps the local APIC page */
};

struct fwaddr_range {
	uint64_t base, len;
};

struct fwaddr_facts {
	const struct fwaddr_range *ram; /* usable, ACPI and NVS memory */
	size_t nram;
	uint64_t start_page; /* physical address of the AP start-up page */
	uint64_t lapic_base; /* page IA32_APIC_BASE decodes */
	unsigned phys_bits;  /* CPUID 0x80000008 EAX[7:0]; 0 = unknown */
};

/* What is wrong with the window [addr, addr + len), or FWADDR_OK. */
enum fwaddr_verdict fwaddr_check(uint64_t addr, uint64_t len, const struct fwaddr_facts *f);

/* A short phrase for v ("overlaps RAM", ...), for log lines. */
const char *fwaddr_reason(enum fwaddr_verdict v);
