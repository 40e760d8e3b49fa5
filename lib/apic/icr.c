/*
 * icr.c - validation and encoding of Interrupt Command Register values.
 * See icr.h for the layout and the rules (Intel SDM Vol. 3A §11.6.1 and
 * §11.12.9-10). Pure, no locking.
 */
#include "apic/icr.h"
#include "base/err.h"

/* Mode-specific checks on the vector, level and trigger arguments. */
static int icr_check_mode(enum icr_mode mode, uint8_t vector, enum icr_level level,
			  enum icr_trigger trigger)
{
	if (level != ICR_LEVEL_ASSERT && level != ICR_LEVEL_DEASSERT)
		return -E_INVAL;
	if (trigger != ICR_TRIGGER_EDGE && trigger != ICR_TRIGGER_LEVEL)
		return -E_INVAL;
	switch (mode) {
	case ICR_MODE_FIXED:
	case ICR_MODE_LOWEST:
		/* Vectors 0-15 raise "send illegal vector" in the ESR. */
		if (vector < 16 || trigger != ICR_TRIGGER_EDGE)
			return -E_INVAL;
		return 0;
	case ICR_MODE_SMI:
	case ICR_MODE_NMI:
		/* SDM: the vector field must be 0 for SMI (and is ignored
		 * for NMI); these are always edge-triggered. */
		if (vector != 0 || trigger != ICR_TRIGGER_EDGE)
			return -E_INVAL;
		return 0;
	case ICR_MODE_INIT:
		if (vector != 0)
			return -E_INVAL;
		/* De-assert is defined only as level-triggered. */
		if (level == ICR_LEVEL_DEASSERT && trigger != ICR_TRIGGER_LEVEL)
			return -E_INVAL;
		return 0;
	case ICR_MODE_STARTUP:
		/* The vector is the 4-KiB page of the AP's start-up code;
		 * SDM: vectors 0xA0-0xBF are reserved for SIPI. */
		if ((vector >= 0xa0 && vector <= 0xbf) || trigger != ICR_TRIGGER_EDGE)
			return -E_INVAL;
		return 0;
	}
	return -E_INVAL;
}

int icr_encode(enum icr_mode mode, uint8_t vector, enum icr_level level, enum icr_trigger trigger,
	       enum icr_shorthand shorthand, uint32_t dest, bool x2apic, uint64_t *out)
{
	uint64_t v;
	int r = icr_check_mode(mode, vector, level, trigger);

	if (r)
		return r;
	switch (shorthand) {
	case ICR_DEST_FIELD:
		if (!x2apic && dest > 0xff)
			return -E_RANGE;
		break;
	case ICR_DEST_SELF:
		if (mode != ICR_MODE_FIXED)
			return -E_INVAL;
		dest = 0;
		break;
	case ICR_DEST_ALL:
	case ICR_DEST_ALL_BUT_SELF:
		dest = 0;
		break;
	default:
		return -E_INVAL;
	}

	v = (uint64_t)vector;
	v |= (uint64_t)mode << ICR_MODE_SHIFT;
	/* Bits 14/15 only for INIT; the SDM has later CPUs issue them as 0
	 * for every other mode, so setting them would be a spurious bit. */
	if (mode == ICR_MODE_INIT) {
		if (level == ICR_LEVEL_ASSERT)
			v |= ICR_LEVEL_BIT;
		if (trigger == ICR_TRIGGER_LEVEL)
			v |= ICR_TRIGGER_BIT;
	}
	v |= (uint64_t)shorthand << ICR_SHORTHAND_SHIFT;
	if (x2apic)
		v |= (uint64_t)dest << ICR_X2APIC_DEST_SHIFT;
	else
		v |= (uint64_t)dest << ICR_XAPIC_DEST_SHIFT;
	*out = v;
	return 0;
}
