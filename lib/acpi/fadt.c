/*
 * fadt.c - parse the FADT (see fadt.h).
 *
 * Offsets follow ACPI 6.5 table 5.9. Which of the fields after Flags exist
 * is decided by the table length alone, not the revision byte (firmware
 * gets the revision wrong more often than the length): a field counts when
 * it fits entirely. This is also what ACPICA's disassembler shows, so
 * acpi-inspect agrees with `iasl -d` for every length (checked for all
 * lengths from 116 to 276 against ACPICA 20200925).
 */
#include <string.h>
#include "acpi/fadt.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define FADT_V3_LEN 244

/* true (and sets `bit` in have) when off+size bytes fit in len */
static bool fadt_fits(struct fadt_info *fi, size_t len, size_t off, size_t size, uint32_t bit)
{
	if (off + size > len)
		return false;
	fi->have |= bit;
	return true;
}

static void fadt_v1(struct fadt_info *fi, const uint8_t *b)
{
	fi->facs32 = rd32(b + 36);
	fi->dsdt32 = rd32(b + 40);
	fi->preferred_pm_profile = b[45];
	fi->sci_int = rd16(b + 46);
	fi->smi_cmd = rd32(b + 48);
	fi->acpi_enable = b[52];
	fi->acpi_disable = b[53];
	fi->s4bios_req = b[54];
	fi->pstate_cnt = b[55];
	fi->pm1a_evt_blk = rd32(b + 56);
	fi->pm1b_evt_blk = rd32(b + 60);
	fi->pm1a_cnt_blk = rd32(b + 64);
	fi->pm1b_cnt_blk = rd32(b + 68);
	fi->pm2_cnt_blk = rd32(b + 72);
	fi->pm_tmr_blk = rd32(b + 76);
	fi->gpe0_blk = rd32(b + 80);
	fi->gpe1_blk = rd32(b + 84);
	fi->pm1_evt_len = b[88];
	fi->pm1_cnt_len = b[89];
	fi->pm2_cnt_len = b[90];
	fi->pm_tmr_len = b[91];
	fi->gpe0_blk_len = b[92];
	fi->gpe1_blk_len = b[93];
	fi->gpe1_base = b[94];
	fi->cst_cnt = b[95];
	fi->p_lvl2_lat = rd16(b + 96);
	fi->p_lvl3_lat = rd16(b + 98);
	fi->flush_size = rd16(b + 100);
	fi->flush_stride = rd16(b + 102);
	fi->duty_offset = b[104];
	fi->duty_width = b[105];
	fi->day_alrm = b[106];
	fi->mon_alrm = b[107];
	fi->century = b[108];
	fi->iapc_boot_arch = rd16(b + 109);
	fi->flags = rd32(b + 112);
}

static void fadt_x_gas(struct fadt_info *fi, const uint8_t *b, size_t len)
{
	static const struct {
		uint16_t off;
		uint32_t bit;
		size_t field;
	} gas[] = {
	    {148, FADT_HAVE_X_PM1A_EVT, offsetof(struct fadt_info, x_pm1a_evt_blk)},
	    {160, FADT_HAVE_X_PM1B_EVT, offsetof(struct fadt_info, x_pm1b_evt_blk)},
	    {172, FADT_HAVE_X_PM1A_CNT, offsetof(struct fadt_info, x_pm1a_cnt_blk)},
	    {184, FADT_HAVE_X_PM1B_CNT, offsetof(struct fadt_info, x_pm1b_cnt_blk)},
	    {196, FADT_HAVE_X_PM2_CNT, offsetof(struct fadt_info, x_pm2_cnt_blk)},
	    {208, FADT_HAVE_X_PM_TMR, offsetof(struct fadt_info, x_pm_tmr_blk)},
	    {220, FADT_HAVE_X_GPE0, offsetof(struct fadt_info, x_gpe0_blk)},
	    {232, FADT_HAVE_X_GPE1, offsetof(struct fadt_info, x_gpe1_blk)},
	};

	for (size_t i = 0; i < sizeof(gas) / sizeof(gas[0]); i++)
		if (fadt_fits(fi, len, gas[i].off, ACPI_GAS_LEN, gas[i].bit))
			acpi_gas_read(b + gas[i].off,
				      (struct acpi_gas *)((char *)fi + gas[i].field));
}

int fadt_parse_body(const void *tbl, size_t len, struct fadt_info *out)
{
	const uint8_t *b = tbl;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < FADT_V1_LEN)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "FADT: %zu bytes, shorter than the 116-byte ACPI 1.0 FADT",
				      tbl ? len : 0);
	out->revision = b[8];
	out->length = (uint32_t)len;
	fadt_v1(out, b);

	/* every later field counts when it fits entirely (see the top of the file) */
	if (fadt_fits(out, len, 116, ACPI_GAS_LEN, FADT_HAVE_RESET_REG))
		acpi_gas_read(b + 116, &out->reset_reg);
	if (fadt_fits(out, len, 128, 1, FADT_HAVE_RESET_VALUE))
		out->reset_value = b[128];
	if (fadt_fits(out, len, 129, 2, FADT_HAVE_ARM_BOOT_ARCH))
		out->arm_boot_arch = rd16(b + 129);
	if (fadt_fits(out, len, 131, 1, FADT_HAVE_MINOR_REV))
		out->minor_revision = b[131];
	if (fadt_fits(out, len, 132, 8, FADT_HAVE_X_FACS))
		out->x_facs = rd64(b + 132);
	if (fadt_fits(out, len, 140, 8, FADT_HAVE_X_DSDT))
		out->x_dsdt = rd64(b + 140);
	fadt_x_gas(out, b, len);
	if (fadt_fits(out, len, 244, ACPI_GAS_LEN, FADT_HAVE_SLEEP_CONTROL))
		acpi_gas_read(b + 244, &out->sleep_control);
	if (fadt_fits(out, len, 256, ACPI_GAS_LEN, FADT_HAVE_SLEEP_STATUS))
		acpi_gas_read(b + 256, &out->sleep_status);
	if (fadt_fits(out, len, 268, 8, FADT_HAVE_HYPERVISOR))
		out->hypervisor_id = rd64(b + 268);
	if (out->revision >= 3 && len < FADT_V3_LEN)
		acpi_diag_warn(&out->diag, "FADT: revision %u but only %zu bytes (2.0+ needs 244)",
			       out->revision, len);
	return 0;
}

int fadt_parse(const void *tbl, size_t len, struct fadt_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "FACP", &tlen, &out->diag);
	if (err)
		return err;
	return fadt_parse_body(tbl, tlen, out);
}

uint64_t fadt_dsdt(const struct fadt_info *fi)
{
	if ((fi->have & FADT_HAVE_X_DSDT) && fi->x_dsdt)
		return fi->x_dsdt;
	return fi->dsdt32;
}

uint64_t fadt_facs(const struct fadt_info *fi)
{
	if ((fi->have & FADT_HAVE_X_FACS) && fi->x_facs)
		return fi->x_facs;
	return fi->facs32;
}

bool fadt_pm_timer(const struct fadt_info *fi, struct acpi_gas *out)
{
	if ((fi->have & FADT_HAVE_X_PM_TMR) && fi->x_pm_tmr_blk.address) {
		*out = fi->x_pm_tmr_blk;
		return true;
	}
	if (!fi->pm_tmr_blk)
		return false;
	/* ACPI 6.5 4.8.3.3: the timer is 24 or 32 bits in a 4-byte I/O block */
	*out = (struct acpi_gas){
	    .space_id = ACPI_GAS_IO,
	    .bit_width = (fi->flags & FADT_F_TMR_VAL_EXT) ? 32 : 24,
	    .access_size = 3,
	    .address = fi->pm_tmr_blk,
	};
	return true;
}

bool fadt_reset(const struct fadt_info *fi, struct acpi_gas *reg, uint8_t *value)
{
	if (!(fi->flags & FADT_F_RESET_REG_SUP) || !(fi->have & FADT_HAVE_RESET_REG) ||
	    !(fi->have & FADT_HAVE_RESET_VALUE) || !fi->reset_reg.address)
		return false;
	*reg = fi->reset_reg;
	*value = fi->reset_value;
	return true;
}

int fadt_summary(const struct fadt_info *fi, char *buf, size_t n)
{
	return fmt_snprintf(
	    buf, n, "FADT: rev %u, %u bytes, SCI %u, PM timer 0x%x, DSDT 0x%llx%s%s", fi->revision,
	    fi->length, fi->sci_int, fi->pm_tmr_blk, (unsigned long long)fadt_dsdt(fi),
	    fadt_hw_reduced(fi) ? ", hw-reduced" : "", fadt_low_power_s0(fi) ? ", S0 idle" : "");
}
