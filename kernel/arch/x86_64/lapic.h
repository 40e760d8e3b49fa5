/*
 * lapic.h - the local APIC, xAPIC (MMIO) or x2APIC (MSRs) behind one interface.
 *
 * lapic_init_bsp() picks the mode once for the whole machine: x2APIC when
 * CPUID offers it (it is required for APIC ids above 254), else xAPIC at the
 * address IA32_APIC_BASE holds. Every CPU then calls lapic_init_cpu() to switch itself to
 * that mode and enable its APIC. All functions act on the calling CPU's
 * APIC; none takes a lock.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "apic/icr.h"
#include "base/compiler.h"

#define VEC_SPURIOUS 0xFF
#define VEC_TIMER 0xF0
#define VEC_TLB 0xF1
#define VEC_CALL 0xF2
#define VEC_RESCHED 0xF3
#define VEC_WORK 0xF4 /* a CPU to itself: log work that needs a point where no lock is held */

/*
 * Choose xAPIC or x2APIC and map the registers at IA32_APIC_BASE; fw_base
 * (0 if none) is the MADT's address, named by fw_source, and only logged
 * when it disagrees.
 */
void lapic_init_bsp(uint64_t fw_base, const char *fw_source);
/* Enable this CPU's APIC in the chosen mode (spurious vector, ESR, TPR 0). */
void lapic_init_cpu(void);
/* True when the machine runs in x2APIC mode. */
bool lapic_x2apic(void);
/* This CPU's APIC id. */
uint32_t lapic_id(void);
/* Signal end of interrupt. */
void lapic_eoi(void);
/* Clear the error status register (write, as the SDM asks before reading). */
void lapic_esr_clear(void);
/* Read the error status register (0 = no error). */
uint32_t lapic_esr_read(void);
/*
 * Send an IPI; waits (bounded) for an xAPIC send to leave the pending state.
 * -E_RANGE/-E_INVAL from the encoder, -E_TIMEDOUT if it stayed pending.
 */
MUST_CHECK int lapic_send(enum icr_mode mode, uint8_t vector, enum icr_level level,
			  enum icr_shorthand shorthand, uint32_t dest);
/* Raw register access (offset as in the xAPIC MMIO map). */
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);

#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0
#define LAPIC_ESR 0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3E0
#define LAPIC_LVT_MASKED (1u << 16)
