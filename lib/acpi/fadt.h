/*
 * fadt.h - the Fixed ACPI Description Table ("FACP", ACPI 6.5 5.2.9).
 *
 * fadt_parse() decodes every field the table is long enough to hold. The
 * length, not the revision byte, decides: ACPI 1.0 tables are 116 bytes
 * (nothing after Flags), 1.0b tables add the reset register (up to 132
 * bytes), ACPI 2.0+ tables the 64-bit X_ fields (244), 5.0 the sleep
 * control/status registers (268) and 6.0 the hypervisor vendor id (276); a
 * field counts when it fits entirely. `have` says which fields are present
 * (FADT_HAVE_*), so callers can tell a zero field from a missing one. A
 * table shorter than 116 bytes is rejected.
 *
 * fadt_dsdt() and fadt_facs() pick the 64-bit X_ address when it is present
 * and non-zero, else the 32-bit one (ACPI 6.5 table 5.9).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

#define FADT_V1_LEN 116

/* `have` bits: which optional fields the table's length covers */
#define FADT_HAVE_RESET_REG (1u << 0)	  /* reset_reg (offset 116) */
#define FADT_HAVE_RESET_VALUE (1u << 1)	  /* reset_value (128) */
#define FADT_HAVE_ARM_BOOT_ARCH (1u << 2) /* arm_boot_arch (129) */
#define FADT_HAVE_MINOR_REV (1u << 3)	  /* minor_revision (131) */
#define FADT_HAVE_X_FACS (1u << 4)	  /* x_facs (132) */
#define FADT_HAVE_X_DSDT (1u << 5)	  /* x_dsdt (140) */
#define FADT_HAVE_X_PM1A_EVT (1u << 6)	  /* X_ GAS fields, 148.. */
#define FADT_HAVE_X_PM1B_EVT (1u << 7)
#define FADT_HAVE_X_PM1A_CNT (1u << 8)
#define FADT_HAVE_X_PM1B_CNT (1u << 9)
#define FADT_HAVE_X_PM2_CNT (1u << 10)
#define FADT_HAVE_X_PM_TMR (1u << 11)
#define FADT_HAVE_X_GPE0 (1u << 12)
#define FADT_HAVE_X_GPE1 (1u << 13)
#define FADT_HAVE_SLEEP_CONTROL (1u << 14) /* 244 */
#define FADT_HAVE_SLEEP_STATUS (1u << 15)  /* 256 */
#define FADT_HAVE_HYPERVISOR (1u << 16)	   /* 268 */

/* Flags (offset 112) bits used by the kernel */
#define FADT_F_WBINVD (1u << 0)
#define FADT_F_TMR_VAL_EXT (1u << 8) /* PM timer is 32 bits, not 24 */
#define FADT_F_RESET_REG_SUP (1u << 10)
#define FADT_F_HW_REDUCED_ACPI (1u << 20)
#define FADT_F_LOW_POWER_S0_IDLE (1u << 21)

/* IA-PC boot architecture flags (offset 109) */
#define FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define FADT_BOOT_8042 (1u << 1)
#define FADT_BOOT_NO_VGA (1u << 2)
#define FADT_BOOT_NO_MSI (1u << 3)
#define FADT_BOOT_NO_ASPM (1u << 4)
#define FADT_BOOT_NO_CMOS_RTC (1u << 5)

struct fadt_info {
	uint8_t revision; /* header revision */
	uint32_t length;  /* header length */
	uint32_t have;	  /* FADT_HAVE_* */

	/* ACPI 1.0 part, always present */
	uint32_t facs32, dsdt32;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint32_t flags;

	/* later revisions; see `have` */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_revision;
	uint64_t x_facs, x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control, sleep_status;
	uint64_t hypervisor_id;

	struct acpi_diag diag;
};

/* Parse the FADT in tbl[0..len) into *out; 0 or -E_*. */
MUST_CHECK int fadt_parse(const void *tbl, size_t len, struct fadt_info *out);

/*
 * As fadt_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int fadt_parse_body(const void *tbl, size_t len, struct fadt_info *out);

/* Physical address of the DSDT: X_DSDT if present and non-zero, else DSDT. */
uint64_t fadt_dsdt(const struct fadt_info *fi);

/* Physical address of the FACS: X_FIRMWARE_CTRL if present and non-zero, else FIRMWARE_CTRL. */
uint64_t fadt_facs(const struct fadt_info *fi);

/*
 * The PM timer register: X_PM_TMR_BLK when present with a non-zero address,
 * else PM_TMR_BLK as an I/O-space register. False when there is neither.
 */
bool fadt_pm_timer(const struct fadt_info *fi, struct acpi_gas *out);

/* The reset register and value, when RESET_REG_SUP is set and the table has them. */
bool fadt_reset(const struct fadt_info *fi, struct acpi_gas *reg, uint8_t *value);

/* Hardware-reduced ACPI (flags bit 20): no PM1/GPE fixed hardware. */
static inline bool fadt_hw_reduced(const struct fadt_info *fi)
{
	return fi->flags & FADT_F_HW_REDUCED_ACPI;
}

/* Low-power S0 idle capable (flags bit 21). */
static inline bool fadt_low_power_s0(const struct fadt_info *fi)
{
	return fi->flags & FADT_F_LOW_POWER_S0_IDLE;
}

/* One log line, e.g. "FADT: rev 6, SCI 9, PM timer 0x1808, hw-reduced no". */
int fadt_summary(const struct fadt_info *fi, char *buf, size_t n);
