/*
 * pm.c - PM1, GPE, sleep and reset register logic (see pm.h).
 *
 * Pure: every register access goes through the caller's struct
 * acpi_pm_io; the only state is the caller's struct acpi_pm, read-only
 * here. No locks (acpid is one thread).
 */
#include <string.h>
#include "acpi/pm.h"
#include "acpi/sleep.h"
#include "base/err.h"

#define PM1_REG_BYTES 2 /* PM1 status, enable and control hold 16 defined bits */
#define SCI_WAIT_STEP_MS 10
#define SCI_WAIT_STEPS 300 /* 3 s: firmware SMI handlers are slow, but not that slow */
#define KBC_WAIT_TRIES 1000

/* A block from an X_ GAS when it has an address, else from the 32-bit field. */
static int pick_blk(const struct fadt_info *fi, uint32_t have_bit, const struct acpi_gas *x,
		    uint32_t legacy, unsigned len, struct acpi_pm_blk *out)
{
	memset(out, 0, sizeof *out);
	if ((fi->have & have_bit) && x->address) {
		if (x->space_id != ACPI_GAS_IO && x->space_id != ACPI_GAS_MEMORY)
			return -E_NOTSUP;
		out->space = x->space_id;
		out->addr = x->address;
		out->len = len ? len : x->bit_width / 8u;
	} else if (legacy) {
		out->space = ACPI_GAS_IO;
		out->addr = legacy;
		out->len = len;
	}
	if (out->space == ACPI_GAS_IO && out->addr + out->len > 0x10000)
		return -E_INVAL; /* past the 64 KiB I/O space */
	if (out->addr + out->len < out->addr)
		return -E_INVAL; /* wraps */
	if (!out->len)
		out->addr = 0;
	return 0;
}

static unsigned gpe_blk_count(const struct acpi_pm_blk *b)
{
	return b->len / 2 * 8;
}

int acpi_pm_from_fadt(const struct fadt_info *fi, struct acpi_pm *pm)
{
	int err;
	memset(pm, 0, sizeof *pm);
	if (fadt_hw_reduced(fi))
		return -E_NOTSUP;
	if ((err = pick_blk(fi, FADT_HAVE_X_PM1A_EVT, &fi->x_pm1a_evt_blk, fi->pm1a_evt_blk,
			    fi->pm1_evt_len, &pm->pm1a_evt)) ||
	    (err = pick_blk(fi, FADT_HAVE_X_PM1B_EVT, &fi->x_pm1b_evt_blk, fi->pm1b_evt_blk,
			    fi->pm1_evt_len, &pm->pm1b_evt)) ||
	    (err = pick_blk(fi, FADT_HAVE_X_PM1A_CNT, &fi->x_pm1a_cnt_blk, fi->pm1a_cnt_blk,
			    fi->pm1_cnt_len, &pm->pm1a_cnt)) ||
	    (err = pick_blk(fi, FADT_HAVE_X_PM1B_CNT, &fi->x_pm1b_cnt_blk, fi->pm1b_cnt_blk,
			    fi->pm1_cnt_len, &pm->pm1b_cnt)))
		return err;
	if (!pm->pm1a_evt.len || !pm->pm1a_cnt.len)
		return -E_INVAL;
	if (pm->pm1a_evt.len < 4 || pm->pm1a_evt.len % 2 || pm->pm1a_cnt.len < PM1_REG_BYTES)
		return -E_INVAL;
	if ((pm->pm1b_evt.len && (pm->pm1b_evt.len < 4 || pm->pm1b_evt.len % 2)) ||
	    (pm->pm1b_cnt.len && pm->pm1b_cnt.len < PM1_REG_BYTES))
		return -E_INVAL;
	/* GPE blocks: a bad one is dropped, the rest of the hardware still works */
	if (pick_blk(fi, FADT_HAVE_X_GPE0, &fi->x_gpe0_blk, fi->gpe0_blk, fi->gpe0_blk_len,
		     &pm->gpe0) ||
	    pm->gpe0.len % 2)
		memset(&pm->gpe0, 0, sizeof pm->gpe0);
	if (gpe_blk_count(&pm->gpe0) > ACPI_GPE_MAX)
		pm->gpe0.len = ACPI_GPE_MAX / 8 * 2;
	if (pick_blk(fi, FADT_HAVE_X_GPE1, &fi->x_gpe1_blk, fi->gpe1_blk, fi->gpe1_blk_len,
		     &pm->gpe1) ||
	    pm->gpe1.len % 2 || fi->gpe1_base < gpe_blk_count(&pm->gpe0) ||
	    fi->gpe1_base + gpe_blk_count(&pm->gpe1) > ACPI_GPE_MAX)
		memset(&pm->gpe1, 0, sizeof pm->gpe1);
	pm->gpe1_base = pm->gpe1.len ? fi->gpe1_base : 0;
	pm->smi_cmd = fi->smi_cmd;
	pm->acpi_enable = fi->acpi_enable;
	return 0;
}

static int rd(const struct acpi_pm_io *io, const struct acpi_pm_blk *b, unsigned off,
	      unsigned bytes, uint32_t *v)
{
	*v = 0;
	return io->read(io->ctx, b->space, b->addr + off, bytes, v);
}

static int wr(const struct acpi_pm_io *io, const struct acpi_pm_blk *b, unsigned off,
	      unsigned bytes, uint32_t v)
{
	return io->write(io->ctx, b->space, b->addr + off, bytes, v);
}

/* Read register off (0 status, len/2 enable) of PM1a and PM1b, ORed. */
static int pm1_read(const struct acpi_pm *pm, const struct acpi_pm_io *io, bool enable,
		    uint16_t *out)
{
	const struct acpi_pm_blk *blk[2] = {&pm->pm1a_evt, &pm->pm1b_evt};
	uint16_t acc = 0;
	for (int i = 0; i < 2; i++) {
		uint32_t v;
		if (!blk[i]->len)
			continue;
		int err = rd(io, blk[i], enable ? blk[i]->len / 2 : 0, PM1_REG_BYTES, &v);
		if (err)
			return err;
		acc |= (uint16_t)v;
	}
	*out = acc;
	return 0;
}

int acpi_pm1_status(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint16_t *sts)
{
	return pm1_read(pm, io, false, sts);
}

int acpi_pm1_enabled(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint16_t *en)
{
	return pm1_read(pm, io, true, en);
}

int acpi_pm1_clear(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint16_t bits)
{
	const struct acpi_pm_blk *blk[2] = {&pm->pm1a_evt, &pm->pm1b_evt};
	for (int i = 0; i < 2; i++) {
		if (!blk[i]->len)
			continue;
		int err = wr(io, blk[i], 0, PM1_REG_BYTES, bits);
		if (err)
			return err;
	}
	return 0;
}

int acpi_pm1_enable(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint16_t bits, bool on)
{
	const struct acpi_pm_blk *blk[2] = {&pm->pm1a_evt, &pm->pm1b_evt};
	for (int i = 0; i < 2; i++) {
		uint32_t v;
		unsigned off = blk[i]->len / 2;
		if (!blk[i]->len)
			continue;
		int err = rd(io, blk[i], off, PM1_REG_BYTES, &v);
		if (err)
			return err;
		v = on ? (v | bits) : (v & ~(uint32_t)bits);
		if ((err = wr(io, blk[i], off, PM1_REG_BYTES, v & 0xffff)))
			return err;
	}
	return 0;
}

int acpi_pm_sci_enabled(const struct acpi_pm *pm, const struct acpi_pm_io *io, bool *on)
{
	uint32_t v;
	int err = rd(io, &pm->pm1a_cnt, 0, PM1_REG_BYTES, &v);
	*on = !err && (v & ACPI_PM1_SCI_EN);
	return err;
}

int acpi_pm_acpi_mode(const struct acpi_pm *pm, const struct acpi_pm_io *io, bool *changed)
{
	bool on;
	int err;
	*changed = false;
	if ((err = acpi_pm_sci_enabled(pm, io, &on)))
		return err;
	if (on)
		return 0;
	if (!pm->smi_cmd || !pm->acpi_enable || pm->smi_cmd > 0xffff)
		return -E_NOTSUP;
	if ((err = io->write(io->ctx, ACPI_GAS_IO, pm->smi_cmd, 1, pm->acpi_enable)))
		return err;
	for (int i = 0; i <= SCI_WAIT_STEPS; i++) {
		if ((err = acpi_pm_sci_enabled(pm, io, &on)))
			return err;
		if (on) {
			*changed = true;
			return 0;
		}
		if (i < SCI_WAIT_STEPS && io->delay_ms)
			io->delay_ms(io->ctx, SCI_WAIT_STEP_MS);
	}
	return -E_TIMEDOUT;
}

unsigned acpi_gpe_count(const struct acpi_pm *pm)
{
	if (pm->gpe1.len)
		return pm->gpe1_base + gpe_blk_count(&pm->gpe1);
	return gpe_blk_count(&pm->gpe0);
}

/* The block holding gpe and the byte index within its status half. */
static const struct acpi_pm_blk *gpe_locate(const struct acpi_pm *pm, unsigned gpe, unsigned *byte)
{
	if (gpe < gpe_blk_count(&pm->gpe0)) {
		*byte = gpe / 8;
		return &pm->gpe0;
	}
	if (pm->gpe1.len && gpe >= pm->gpe1_base &&
	    gpe - pm->gpe1_base < gpe_blk_count(&pm->gpe1)) {
		*byte = (gpe - pm->gpe1_base) / 8;
		return &pm->gpe1;
	}
	return NULL;
}

bool acpi_gpe_valid(const struct acpi_pm *pm, unsigned gpe)
{
	unsigned byte;
	return gpe_locate(pm, gpe, &byte) != NULL;
}

/* The GPE numbers of a block start at base: GPE0 at 0, GPE1 at GPE1_BASE. */
static unsigned gpe_base(const struct acpi_pm *pm, const struct acpi_pm_blk *b)
{
	return b == &pm->gpe1 ? pm->gpe1_base : 0;
}

int acpi_gpe_enable(const struct acpi_pm *pm, const struct acpi_pm_io *io, unsigned gpe, bool on)
{
	unsigned byte;
	const struct acpi_pm_blk *b = gpe_locate(pm, gpe, &byte);
	uint32_t v;
	if (!b)
		return -E_INVAL;
	unsigned off = b->len / 2 + byte;
	uint8_t bit = (uint8_t)(1u << ((gpe - gpe_base(pm, b)) % 8));
	int err = rd(io, b, off, 1, &v);
	if (err)
		return err;
	v = on ? (v | bit) : (v & (uint8_t)~bit);
	return wr(io, b, off, 1, v & 0xff);
}

int acpi_gpe_clear(const struct acpi_pm *pm, const struct acpi_pm_io *io, unsigned gpe)
{
	unsigned byte;
	const struct acpi_pm_blk *b = gpe_locate(pm, gpe, &byte);
	if (!b)
		return -E_INVAL;
	return wr(io, b, byte, 1, 1u << ((gpe - gpe_base(pm, b)) % 8));
}

int acpi_gpe_reset_all(const struct acpi_pm *pm, const struct acpi_pm_io *io)
{
	const struct acpi_pm_blk *blk[2] = {&pm->gpe0, &pm->gpe1};
	for (int i = 0; i < 2; i++)
		for (unsigned k = 0; k < blk[i]->len / 2; k++) {
			int err = wr(io, blk[i], blk[i]->len / 2 + k, 1, 0);
			if (!err)
				err = wr(io, blk[i], k, 1, 0xff);
			if (err)
				return err;
		}
	return 0;
}

int acpi_gpe_pending(const struct acpi_pm *pm, const struct acpi_pm_io *io, unsigned *out,
		     size_t max)
{
	const struct acpi_pm_blk *blk[2] = {&pm->gpe0, &pm->gpe1};
	int n = 0;
	for (int i = 0; i < 2; i++)
		for (unsigned k = 0; k < blk[i]->len / 2; k++) {
			uint32_t sts, en;
			int err = rd(io, blk[i], k, 1, &sts);
			if (!err)
				err = rd(io, blk[i], blk[i]->len / 2 + k, 1, &en);
			if (err)
				return err;
			for (unsigned bit = 0; bit < 8; bit++)
				if (sts & en & (1u << bit)) {
					if ((size_t)n < max)
						out[n] = gpe_base(pm, blk[i]) + k * 8 + bit;
					n++;
				}
		}
	return n;
}

void acpi_gpe_method(unsigned gpe, bool level, char out[11])
{
	static const char hex[] = "0123456789ABCDEF";
	memcpy(out, "\\_GPE._", 7);
	out[7] = level ? 'L' : 'E';
	out[8] = hex[gpe >> 4 & 15];
	out[9] = hex[gpe & 15];
	out[10] = 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool acpi_gpe_method_parse(const char *path, unsigned *gpe, bool *level)
{
	if (strncmp(path, "\\_GPE._", 7) != 0 || (path[7] != 'L' && path[7] != 'E'))
		return false;
	int hi = hex_digit(path[8]), lo = hi < 0 ? -1 : hex_digit(path[9]);
	if (hi < 0 || lo < 0 || path[10] != 0)
		return false;
	*gpe = (unsigned)(hi * 16 + lo);
	*level = path[7] == 'L';
	return true;
}

int acpi_pm_sleep(const struct acpi_pm *pm, const struct acpi_pm_io *io, uint8_t typ_a,
		  uint8_t typ_b)
{
	const struct acpi_pm_blk *cnt[2] = {&pm->pm1a_cnt, &pm->pm1b_cnt};
	const uint8_t typ[2] = {typ_a, typ_b};
	int err = acpi_pm1_clear(pm, io, ACPI_PM1_WAK);
	if (err)
		return err;
	for (int i = 0; i < 2; i++) {
		uint32_t v;
		if (!cnt[i]->len)
			continue;
		if ((err = rd(io, cnt[i], 0, PM1_REG_BYTES, &v)) ||
		    (err = wr(io, cnt[i], 0, PM1_REG_BYTES,
			      acpi_pm1_sleep_value((uint16_t)v, typ[i]))))
			return err;
	}
	return 0;
}

size_t acpi_reset_plan(const struct fadt_info *fi, struct acpi_reset_step *steps)
{
	size_t n = 0;
	struct acpi_gas reg;
	uint8_t value;
	if (fi && fadt_reset(fi, &reg, &value)) {
		int kind = -1;
		if (reg.space_id == ACPI_GAS_IO && reg.address <= 0xffff)
			kind = ACPI_RESET_REG_IO;
		else if (reg.space_id == ACPI_GAS_MEMORY)
			kind = ACPI_RESET_REG_MEM;
		else if (reg.space_id == ACPI_GAS_PCI_CONFIG)
			kind = ACPI_RESET_REG_PCI;
		if (kind >= 0)
			steps[n++] = (struct acpi_reset_step){.kind = (enum acpi_reset_kind)kind,
							      .addr = reg.address,
							      .value = value};
	}
	steps[n++] = (struct acpi_reset_step){
	    .kind = ACPI_RESET_KBC, .addr = ACPI_KBC_PORT, .value = ACPI_KBC_RESET};
	steps[n++] = (struct acpi_reset_step){.kind = ACPI_RESET_KERNEL};
	return n;
}

int acpi_reset_do(const struct acpi_reset_step *s, const struct acpi_pm_io *io)
{
	switch (s->kind) {
	case ACPI_RESET_REG_IO:
		return io->write(io->ctx, ACPI_GAS_IO, s->addr, 1, s->value);
	case ACPI_RESET_REG_MEM:
		return io->write(io->ctx, ACPI_GAS_MEMORY, s->addr, 1, s->value);
	case ACPI_RESET_KBC: {
		/* The 8042 takes a command once its input buffer is empty; a
		   machine with no 8042 reads 0xff here, so the wait is bounded. */
		for (int i = 0; i < KBC_WAIT_TRIES; i++) {
			uint32_t st;
			int err = io->read(io->ctx, ACPI_GAS_IO, ACPI_KBC_PORT, 1, &st);
			if (err)
				return err;
			if (!(st & ACPI_KBC_INPUT_FULL))
				break;
		}
		return io->write(io->ctx, ACPI_GAS_IO, ACPI_KBC_PORT, 1, s->value);
	}
	case ACPI_RESET_REG_PCI:
	case ACPI_RESET_KERNEL:
		break;
	}
	return -E_NOTSUP;
}

const char *acpi_reset_name(enum acpi_reset_kind k)
{
	switch (k) {
	case ACPI_RESET_REG_IO:
		return "reset register (I/O)";
	case ACPI_RESET_REG_MEM:
		return "reset register (memory)";
	case ACPI_RESET_REG_PCI:
		return "reset register (PCI config)";
	case ACPI_RESET_KBC:
		return "keyboard controller";
	case ACPI_RESET_KERNEL:
		return "kernel reboot";
	}
	return "?";
}
