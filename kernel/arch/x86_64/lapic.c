/*
 * lapic.c - local APIC access in xAPIC and x2APIC mode (see lapic.h).
 *
 * Intel SDM Vol 3A ch. 11. In x2APIC mode register r lives at MSR
 * 0x800 + r/16 and the ICR is one 64-bit MSR (0x830), so an IPI is one
 * write and needs no pending-poll; in xAPIC mode the ICR is two MMIO words
 * and the high word must be written first (writing low sends). IA32_APIC_BASE
 * bit 11 enables the APIC, bit 10 selects x2APIC; going xAPIC -> x2APIC is
 * allowed directly (SDM §11.12.5).
 *
 * The registers are where IA32_APIC_BASE says (SDM §11.4.4), whatever the
 * MADT claims: firmware can be wrong (an address in RAM hangs the boot on
 * the first register access), the MSR is what the CPU decodes. A
 * disagreement is logged with both values and the verdict on the MADT's.
 *
 * Per-CPU: every function acts on the calling CPU's own APIC; the mode
 * and the mapping are set once by the boot CPU before the APs start.
 */
#include "apic/apic_id.h"
#include "arch.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "base/err.h"
#include "boot/acpi.h"
#include "core/log.h"
#include "core/panic.h"

#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define SVR_ENABLE (1u << 8)

static bool x2apic;
static volatile uint32_t *mmio;

uint32_t lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return mmio[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), v);
	else
		mmio[reg / 4] = v;
}

#define APIC_BASE_ADDR 0x000FFFFFFFFFF000ull /* bits 51:12 */

void lapic_init_bsp(uint64_t fw_base, const char *fw_source)
{
	x2apic = cpuid(1, 0).ecx & (1u << 21);
	uint64_t base = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR;
	if (fw_base && fw_base != base) {
		const char *why = acpi_mmio_problem(fw_base, 4096);
		kprintf("lapic: %s says %#lx (%s), IA32_APIC_BASE says %#lx; using the MSR, "
			"the address the CPU decodes\n",
			fw_source, (unsigned long)fw_base, why ? why : "not the APIC's page",
			(unsigned long)base);
	}
	if (!x2apic) {
		mmio = mmio_map(base, 4096);
		if (!mmio) /* only a full MMIO window could cause it, this early a kernel bug */
			panic("lapic: cannot map the local APIC at %#lx", (unsigned long)base);
	}
}

void lapic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;
	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	/* LINT0 is the 8259's ExtINT line in virtual-wire mode; interrupts come
	   through the I/O APIC instead, so keep it masked on every CPU. */
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_esr_clear();
	lapic_eoi();
}

bool lapic_x2apic(void)
{
	return x2apic;
}

uint32_t lapic_id(void)
{
	if (x2apic)
		return apic_x2apic_id(rdmsr(APIC_X2APIC_ID_MSR));
	return apic_xapic_id(lapic_read(LAPIC_ID));
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_esr_clear(void)
{
	/* xAPIC: a write latches the current errors into ESR and clears the
	   internal state (SDM §11.5.3); x2APIC: writes must be 0. Two writes
	   leave it clean in both modes. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
}

uint32_t lapic_esr_read(void)
{
	lapic_write(LAPIC_ESR, 0); /* latch what happened since the last clear */
	return lapic_read(LAPIC_ESR) & 0xEF;
}

int lapic_send(enum icr_mode mode, uint8_t vector, enum icr_level level,
	       enum icr_shorthand shorthand, uint32_t dest)
{
	uint64_t icr;
	int err = icr_encode(mode, vector, level, ICR_TRIGGER_EDGE, shorthand, dest, x2apic, &icr);
	if (err < 0)
		return err;
	if (x2apic) {
		wrmsr(ICR_X2APIC_MSR, icr);
		return 0;
	}
	mmio[ICR_XAPIC_HIGH_REG / 4] = icr_high(icr);
	mmio[ICR_XAPIC_LOW_REG / 4] = icr_low(icr);
	for (int i = 0; i < 100000; i++) {
		if (!icr_send_pending(mmio[ICR_XAPIC_LOW_REG / 4]))
			return 0;
		cpu_pause();
	}
	return -E_TIMEDOUT;
}

int arch_ipi_send(unsigned cpu, uint8_t vector)
{
	return lapic_send(ICR_MODE_FIXED, vector, ICR_LEVEL_ASSERT, ICR_DEST_FIELD,
			  smp_cpu_apic_id(cpu));
}
