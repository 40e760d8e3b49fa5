/*
 * ioapic.c - I/O APIC redirection tables (see ioapic.h).
 *
 * Registers are reached through an index (IOREGSEL, offset 0) and a data
 * window (IOWIN, offset 0x10); redirection entry n is the register pair
 * 0x10 + 2n (low) / 0x11 + 2n (high). The number of entries is bits 23:16
 * of the version register, plus one (82093AA datasheet §3.2).
 * Polarity and trigger of ISA IRQs come from the MADT's interrupt source
 * overrides; "conforming" means the bus default (ISA: edge, active high).
 *
 * An I/O APIC whose MADT address is 0, the AP start-up page, RAM or past
 * the physical address width (acpi_mmio_problem) is rejected with a log
 * line before anything is mapped or written: its GSIs stay unrouted.
 *
 * Locking: ioapics[] is filled by the boot CPU in ioapic_init() before the
 * APs start and is read-only afterwards; `lock` serialises the
 * index/data register pairs of every redirection-entry update.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/paging.h"
#include "base/err.h"
#include "boot/acpi.h"
#include "core/log.h"
#include "sync/irqlock.h"

#define MAX_IOAPICS 16
#define REG_VERSION 0x01
#define RTE_MASKED (1u << 16)
#define RTE_LEVEL (1u << 15)
#define RTE_REMOTE_IRR (1u << 14)
#define RTE_ACTIVE_LOW (1u << 13)

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	uint32_t nentries;
	uint8_t id;
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned nioapics;
static struct spinlock lock = SPINLOCK_INIT;

static uint32_t reg_read(struct ioapic *io, uint32_t reg)
{
	io->regs[0] = reg;
	return io->regs[4];
}

static void reg_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[0] = reg;
	io->regs[4] = v;
}

static struct ioapic *owner(uint32_t gsi)
{
	for (unsigned i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nentries)
			return &ioapics[i];
	return NULL;
}

/* The MADT ioapic_init was given (its overrides route ISA IRQs), or NULL. */
static const struct madt_info *madt;

static void mask_8259(void)
{
	outb(0x21, 0xFF);
	outb(0xA1, 0xFF);
}

void ioapic_init(const struct madt_info *madt_info)
{
	madt = madt_info;
	if (!madt || madt->flags & MADT_PCAT_COMPAT)
		mask_8259();
	if (!madt)
		return;
	for (uint32_t i = 0; i < madt->nioapics; i++) {
		const struct madt_ioapic *m = &madt->ioapics[i];
		if (nioapics == MAX_IOAPICS) {
			kprintf("ioapic: more than %d I/O APICs; the rest are unused\n",
				MAX_IOAPICS);
			break;
		}
		const char *why = acpi_mmio_problem(m->address, 0x20);
		if (why) {
			kprintf("ioapic: id %u at %#x rejected: %s; GSIs from %u not routed\n",
				m->id, m->address, why, m->gsi_base);
			continue;
		}
		struct ioapic *io = &ioapics[nioapics];
		io->regs = mmio_map(m->address, 0x20);
		if (!io->regs) {
			kprintf("ioapic: id %u at %#x cannot be mapped; ignored\n", m->id,
				m->address);
			continue;
		}
		io->gsi_base = m->gsi_base;
		io->id = m->id;
		uint32_t ver = reg_read(io, REG_VERSION);
		if (ver == 0xFFFFFFFF) {
			kprintf("ioapic: id %u at %#x does not answer; ignored\n", m->id,
				m->address);
			continue;
		}
		io->nentries = ((ver >> 16) & 0xFF) + 1;
		for (uint32_t e = 0; e < io->nentries; e++) {
			reg_write(io, 0x11 + 2 * e, 0);
			reg_write(io, 0x10 + 2 * e, RTE_MASKED);
		}
		nioapics++;
		kprintf("ioapic: id %u at %#x, GSIs %u-%u, all masked\n", io->id, m->address,
			io->gsi_base, io->gsi_base + io->nentries - 1);
	}
}

unsigned ioapic_count(void)
{
	return nioapics;
}

int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id, bool level, bool active_low)
{
	return ioapic_program(gsi, vector, apic_id, level, active_low, false);
}

bool ioapic_has_gsi(uint32_t gsi)
{
	return owner(gsi) != NULL;
}

int ioapic_program(uint32_t gsi, uint8_t vector, uint32_t apic_id, bool level, bool active_low,
		   bool masked)
{
	struct ioapic *io = owner(gsi);
	if (!io)
		return -E_NOENT;
	if (apic_id > 0xFF)
		return -E_RANGE; /* needs interrupt remapping (x2APIC ids) */
	uint32_t e = gsi - io->gsi_base;
	uint32_t low = vector | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0) |
		       (masked ? RTE_MASKED : 0);
	uint64_t f = spin_lock_irqsave(&lock);
	reg_write(io, 0x10 + 2 * e, RTE_MASKED); /* never live with a half-written entry */
	reg_write(io, 0x11 + 2 * e, apic_id << 24);
	reg_write(io, 0x10 + 2 * e, low);
	spin_unlock_irqrestore(&lock, f);
	return 0;
}

void ioapic_isa_line(uint8_t irq, uint32_t *gsi, bool *level, bool *active_low)
{
	uint16_t flags = 0;
	*gsi = madt ? madt_isa_irq_to_gsi(madt, irq, &flags) : irq;
	*level = madt_inti_trigger(flags) == MADT_TRIG_LEVEL;
	*active_low = madt_inti_polarity(flags) == MADT_POL_LOW;
}

int ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t apic_id)
{
	uint32_t gsi;
	bool level, low;
	ioapic_isa_line(irq, &gsi, &level, &low);
	return ioapic_route(gsi, vector, apic_id, level, low);
}

int ioapic_mask(uint32_t gsi, bool masked)
{
	struct ioapic *io = owner(gsi);
	if (!io)
		return -E_NOENT;
	uint32_t e = gsi - io->gsi_base;
	uint64_t f = spin_lock_irqsave(&lock);
	uint32_t low = reg_read(io, 0x10 + 2 * e);
	reg_write(io, 0x10 + 2 * e, masked ? low | RTE_MASKED : low & ~RTE_MASKED);
	spin_unlock_irqrestore(&lock, f);
	return 0;
}

bool ioapic_remote_irr(uint32_t gsi)
{
	struct ioapic *io = owner(gsi);
	if (!io)
		return false;
	uint32_t e = gsi - io->gsi_base;
	uint64_t f = spin_lock_irqsave(&lock);
	uint32_t low = reg_read(io, 0x10 + 2 * e);
	spin_unlock_irqrestore(&lock, f);
	return low & RTE_REMOTE_IRR;
}
