/*
 * pm.h - the ACPI fixed power-management hardware a FADT describes: the
 * PM1 event and control blocks, the GPE blocks, sleep states and the
 * reset plan (ACPI 6.5 sections 4.8.3 and 4.8.4).
 *
 * Layout facts, written down once here:
 *  - A PM1 event block (PM1a and, if present, PM1b) is PM1_EVT_LEN bytes:
 *    the status register in the first half, the enable register in the
 *    second. PM1a and PM1b together form one logical register: a bit is
 *    set if it is set in either, and a write goes to both (4.8.3.1).
 *  - A GPE block (GPE0, GPE1) is GPEx_BLK_LEN bytes: the status bytes in
 *    the first half, the enable bytes in the second, one bit per GPE,
 *    accessed a byte at a time (4.8.4.1). GPE0 holds GPEs 0..; GPE1 starts
 *    at GPE1_BASE.
 *  - Status bits are cleared by writing 1 to them ("write 1 to clear");
 *    writing 0 leaves them alone.
 *
 * Everything goes through struct acpi_pm_io, the caller's register
 * access (I/O ports and memory for acpid; a fake register file for the
 * host tests, which thereby check the exact register writes). Pure: no
 * state but the caller's struct acpi_pm, no locks, no allocation; time
 * (the bounded waits) comes from the caller's delay callback.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/fadt.h"
#include "base/compiler.h"

/* PM1 status and enable bits (ACPI 6.5 tables 4.15 and 4.16); an enable
   bit sits at the same position as its status bit. */
#define ACPI_PM1_TMR (1u << 0)	  /* PM timer carry */
#define ACPI_PM1_BM (1u << 4)	  /* bus master (status only) */
#define ACPI_PM1_GBL (1u << 5)	  /* BIOS released the global lock */
#define ACPI_PM1_PWRBTN (1u << 8) /* fixed power button */
#define ACPI_PM1_SLPBTN (1u << 9) /* fixed sleep button */
#define ACPI_PM1_RTC (1u << 10)	  /* RTC alarm */
#define ACPI_PM1_PCIEXP_WAKE (1u << 14)
#define ACPI_PM1_WAK (1u << 15) /* woke from sleep (status only) */
/* The fixed events acpid knows: the bits it clears and may enable. */
#define ACPI_PM1_FIXED_EVENTS                                                                      \
	(ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | ACPI_PM1_RTC)

#define ACPI_GPE_MAX 256 /* _Lxx/_Exx names have two hex digits */

/* Register access. space is ACPI_GAS_IO or ACPI_GAS_MEMORY; bytes 1, 2 or
   4. Both return 0 or a negative error. delay_ms may be NULL (no wait). */
struct acpi_pm_io {
	void *ctx;
	int (*read)(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t *v);
	int (*write)(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t v);
	void (*delay_ms)(void *ctx, unsigned ms);
};

/* One register block: where and how long (0 = absent). */
struct acpi_pm_blk {
	uint8_t space;
	uint64_t addr;
	unsigned len;
};

/* The fixed hardware of one machine, from its FADT (acpi_pm_from_fadt). */
struct acpi_pm {
	struct acpi_pm_blk pm1a_evt, pm1b_evt; /* len: the FADT's PM1_EVT_LEN */
	struct acpi_pm_blk pm1a_cnt, pm1b_cnt; /* len: PM1_CNT_LEN */
	struct acpi_pm_blk gpe0, gpe1;	       /* len: GPEx_BLK_LEN */
	unsigned gpe1_base;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
};

/*
 * The register blocks of fi: each X_ block when the table has it with a
 * non-zero address (I/O or memory space), else the 32-bit one in I/O
 * space. 0; -E_NOTSUP (hardware-reduced ACPI: no fixed hardware, or a
 * block in another address space); -E_INVAL (no PM1a event or control
 * block, or a length the layout cannot hold: PM1 event blocks of fewer
 * than 4 or an odd number of bytes, control blocks under 2, odd GPE
 * blocks, GPE1 overlapping GPE0's numbers). A bad GPE block is dropped
 * (its length set to 0) rather than failing the whole.
 */
MUST_CHECK int acpi_pm_from_fadt(const struct fadt_info *fi, struct acpi_pm *pm);

/* PM1 status: PM1a's and PM1b's status registers ORed; 0 or an error. */
MUST_CHECK int acpi_pm1_status(const struct acpi_pm *pm, const struct acpi_pm_io *io,
			       uint16_t *sts);
/* Clear the status bits in bits (write 1s to PM1a and PM1b status). */
MUST_CHECK int acpi_pm1_clear(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint16_t bits);
/* The PM1 enable register (as PM1a's, ORed with PM1b's). */
MUST_CHECK int acpi_pm1_enabled(const struct acpi_pm *pm, const struct acpi_pm_io *io,
				uint16_t *en);
/* Set (on) or clear the enable bits in bits, keeping the others, in PM1a and PM1b. */
MUST_CHECK int acpi_pm1_enable(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint16_t bits,
			       bool on);

/* Is SCI_EN set in PM1a control (the machine in ACPI mode)? 0 or an error. */
MUST_CHECK int acpi_pm_sci_enabled(const struct acpi_pm *pm, const struct acpi_pm_io *io, bool *on);
/*
 * ACPI mode on (ACPI 6.5 4.8.2.1.1): if SCI_EN is clear, write ACPI_ENABLE
 * to SMI_CMD and wait for SCI_EN, polling every 10 ms up to 3 s. 0 (on,
 * *changed says whether this call turned it on); -E_NOTSUP (SCI_EN clear
 * and no SMI_CMD or ACPI_ENABLE to ask with); -E_TIMEDOUT.
 */
MUST_CHECK int acpi_pm_acpi_mode(const struct acpi_pm *pm, const struct acpi_pm_io *io,
				 bool *changed);

/* How many GPEs there are: GPE1_BASE + GPE1's count, or GPE0's count. */
unsigned acpi_gpe_count(const struct acpi_pm *pm);
/* Is gpe in a block? */
bool acpi_gpe_valid(const struct acpi_pm *pm, unsigned gpe);
/* Set (on) or clear gpe's enable bit, keeping the others. */
MUST_CHECK int acpi_gpe_enable(const struct acpi_pm *pm, const struct acpi_pm_io *io, unsigned gpe,
			       bool on);
/* Clear gpe's status bit (writes only that bit). */
MUST_CHECK int acpi_gpe_clear(const struct acpi_pm *pm, const struct acpi_pm_io *io, unsigned gpe);
/* Clear every GPE status bit and enable bit (the state before acpid enables its own). */
MUST_CHECK int acpi_gpe_reset_all(const struct acpi_pm *pm, const struct acpi_pm_io *io);
/*
 * The GPEs whose status and enable bits are both set, ascending, into
 * out[0..max): how many there are (may exceed max), or a negative error.
 */
int acpi_gpe_pending(const struct acpi_pm *pm, const struct acpi_pm_io *io, unsigned *out,
		     size_t max);

/* The handler method of gpe: "\_GPE._Lxx" (level) or "\_GPE._Exx" into out[11]. */
void acpi_gpe_method(unsigned gpe, bool level, char out[11]);
/*
 * A namespace path that names a GPE handler: "\_GPE._L1F", "\_GPE._E03"
 * (upper-case hex, as ACPI 5.6.4.1.1 spells them). true with *gpe and
 * *level set; false for anything else.
 */
bool acpi_gpe_method_parse(const char *path, unsigned *gpe, bool *level);

/*
 * Enter sleep state typ_a/typ_b (from \_Sx, acpi/sleep.h): clear WAK_STS,
 * then write SLP_TYP | SLP_EN to PM1a control, then to PM1b control,
 * each keeping its register's other bits (acpi_pm1_sleep_value). Returns
 * after the writes (the caller waits to see whether the machine went).
 */
MUST_CHECK int acpi_pm_sleep(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint8_t typ_a,
			     uint8_t typ_b);

/* Reset methods, tried in this order. */
enum acpi_reset_kind {
	ACPI_RESET_REG_IO,  /* the FADT reset register, I/O space */
	ACPI_RESET_REG_MEM, /* the FADT reset register, memory space */
	ACPI_RESET_REG_PCI, /* the FADT reset register, PCI config space of bus 0 */
	ACPI_RESET_KBC,	    /* 0xFE (pulse reset) to the 8042's command port 0x64 */
	ACPI_RESET_KERNEL,  /* the kernel's reboot (its last resort is a triple fault) */
};

struct acpi_reset_step {
	enum acpi_reset_kind kind;
	uint64_t addr; /* register: port, physical address, or (PCI) as in the GAS */
	uint8_t value; /* the byte to write */
};

#define ACPI_RESET_STEPS 3
#define ACPI_KBC_PORT 0x64
#define ACPI_KBC_INPUT_FULL 0x02
#define ACPI_KBC_RESET 0xfe

/*
 * The reboot plan for fi (which may be NULL: no FADT): the reset register
 * when RESET_REG_SUP is set and the table has one (in I/O, memory or PCI
 * config space; other spaces are left out), then the keyboard controller,
 * then the kernel. How many steps were written to steps[0..ACPI_RESET_STEPS).
 */
size_t acpi_reset_plan(const struct fadt_info *fi, struct acpi_reset_step *steps);

/*
 * Do an I/O or memory register step or the KBC step through io (the KBC
 * step waits, bounded, for the 8042's input buffer to empty). -E_NOTSUP
 * for PCI and kernel steps: the caller does those.
 */
MUST_CHECK int acpi_reset_do(const struct acpi_reset_step *s, const struct acpi_pm_io *io);

/* A word for a step in log lines: "reset register (I/O)", "keyboard controller", ... */
const char *acpi_reset_name(enum acpi_reset_kind k);
