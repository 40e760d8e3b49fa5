/*
 * fwaddr.c - sanity checks for MMIO addresses from firmware tables (see
 * fwaddr.h). Overlap tests are done on half-open ranges with the end
 * saturated at 2^64, so a window that wraps is judged on what it covers.
 */
#include "acpi/fwaddr.h"

#define PAGE 4096ull

static uint64_t end_of(uint64_t base, uint64_t len)
{
	return base + len < base ? UINT64_MAX : base + len;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < end_of(b, blen) && b < end_of(a, alen);
}

enum fwaddr_verdict fwaddr_check(uint64_t addr, uint64_t len, const struct fwaddr_facts *f)
{
	if (addr == 0)
		return FWADDR_ZERO;
	if (len == 0)
		len = 1;
	if (f->phys_bits && f->phys_bits < 64 && end_of(addr, len) > (1ull << f->phys_bits))
		return FWADDR_TOO_HIGH;
	if (overlaps(addr, len, f->start_page, PAGE))
		return FWADDR_START_PAGE;
	if (f->lapic_base && overlaps(addr, len, f->lapic_base, PAGE))
		return FWADDR_IN_LAPIC;
	for (size_t i = 0; i < f->nram; i++)
		if (overlaps(addr, len, f->ram[i].base, f->ram[i].len))
			return FWADDR_RAM;
	return FWADDR_OK;
}

const char *fwaddr_reason(enum fwaddr_verdict v)
{
	switch (v) {
	case FWADDR_OK:
		return "ok";
	case FWADDR_ZERO:
		return "address 0";
	case FWADDR_START_PAGE:
		return "the AP start-up page";
	case FWADDR_RAM:
		return "RAM in the memory map";
	case FWADDR_TOO_HIGH:
		return "beyond the physical address width";
	case FWADDR_IN_LAPIC:
		return "inside the local APIC page";
	}
	return "invalid";
}
