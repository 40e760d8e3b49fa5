/*
 * icr.h - bit-exact encoding of the local APIC Interrupt Command Register.
 *
 * Intel SDM Vol. 3A §11.6.1 (xAPIC ICR, two 32-bit registers at 0x300/0x310)
 * and §11.12.9-10 (x2APIC ICR, one 64-bit MSR 0x830). icr_encode() returns one
 * 64-bit value in both modes:
 *   - x2APIC: the value to write to MSR 0x830 (destination in bits 63:32);
 *   - xAPIC: bits 63:32 go to ICR high (0x310; the 8-bit destination sits in
 *     bits 31:24 of that dword, i.e. bits 63:56 of the value), bits 31:0 go to
 *     ICR low (0x300). Write high first: writing low sends the IPI.
 *
 *   63        56 55      32 31    20 19 18 17 16 15 14 13 12 11 10  8 7     0
 *  | xAPIC dest | reserved | rsvd   | shrt| rsvd|TM|LV|rs|DS|DM| mode | vector|
 *  |        x2APIC dest (32 bits)   |
 *
 * Bits never set by the encoder: every reserved bit, the read-only delivery
 * status bit 12, and the destination-mode bit 11 (always physical: the kernel
 * addresses CPUs by APIC id). Level (bit 14) and trigger (bit 15) only mean
 * something for INIT: on Pentium 4 and later the CPU ignores them for every
 * other mode and the SDM says they are issued as 0, so the encoder emits 0
 * there (a SIPI to page 0x08 is 0x00000608, not 0x00004608).
 *
 * INIT level de-assert (level 0, trigger level: 0x00008500) is only needed by
 * the 82489DX and P6-era CPUs of the MP specification; Pentium 4 and later
 * ignore it. The kernel does not send it; it is encodable for completeness.
 *
 * Pure functions, no state, no locking.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"

enum icr_mode {
	ICR_MODE_FIXED = 0,
	ICR_MODE_LOWEST = 1,
	ICR_MODE_SMI = 2,
	ICR_MODE_NMI = 4,
	ICR_MODE_INIT = 5,
	ICR_MODE_STARTUP = 6,
};

enum icr_level {
	ICR_LEVEL_DEASSERT = 0,
	ICR_LEVEL_ASSERT = 1,
};

enum icr_trigger {
	ICR_TRIGGER_EDGE = 0,
	ICR_TRIGGER_LEVEL = 1,
};

enum icr_shorthand {
	ICR_DEST_FIELD = 0, /* destination field names the target */
	ICR_DEST_SELF = 1,  /* fixed mode only */
	ICR_DEST_ALL = 2,   /* all including self */
	ICR_DEST_ALL_BUT_SELF = 3,
};

/* Field positions within the 64-bit value (low dword = ICR low). */
#define ICR_VECTOR_MASK 0xffull
#define ICR_MODE_SHIFT 8
#define ICR_MODE_MASK (7ull << ICR_MODE_SHIFT)
#define ICR_DEST_LOGICAL (1ull << 11)
#define ICR_DELIVERY_STATUS (1ull << 12) /* read-only: 1 = send pending (xAPIC) */
#define ICR_LEVEL_BIT (1ull << 14)
#define ICR_TRIGGER_BIT (1ull << 15)
#define ICR_SHORTHAND_SHIFT 18
#define ICR_SHORTHAND_MASK (3ull << ICR_SHORTHAND_SHIFT)
#define ICR_XAPIC_DEST_SHIFT 56
#define ICR_X2APIC_DEST_SHIFT 32

/* xAPIC MMIO register offsets and the x2APIC MSR. */
#define ICR_XAPIC_LOW_REG 0x300
#define ICR_XAPIC_HIGH_REG 0x310
#define ICR_X2APIC_MSR 0x830

/*
 * Encode an IPI. dest is ignored (emitted as 0) with a shorthand. Returns 0,
 * -E_RANGE for an xAPIC destination above 0xFF, or -E_INVAL for a combination
 * the SDM forbids: a fixed/lowest vector below 16, a non-zero vector for
 * SMI/NMI/INIT, a startup vector in the reserved 0xA0-0xBF, level trigger
 * outside INIT, INIT de-assert with edge trigger, the self shorthand with a
 * mode other than fixed, or an unknown enum value.
 */
int icr_encode(enum icr_mode mode, uint8_t vector, enum icr_level level, enum icr_trigger trigger,
	       enum icr_shorthand shorthand, uint32_t dest, bool x2apic, uint64_t *out) MUST_CHECK;

/* The dword for xAPIC ICR low (0x300). */
static inline uint32_t icr_low(uint64_t icr)
{
	return (uint32_t)icr;
}

/* The dword for xAPIC ICR high (0x310). */
static inline uint32_t icr_high(uint64_t icr)
{
	return (uint32_t)(icr >> 32);
}

/* Whether a value read back from xAPIC ICR low still has the IPI pending. */
static inline bool icr_send_pending(uint32_t low)
{
	return (low & ICR_DELIVERY_STATUS) != 0;
}
