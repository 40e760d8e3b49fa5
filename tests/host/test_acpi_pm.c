/*
 * test_acpi_pm.c - lib/acpi/pm over a fake register file: the blocks a
 * FADT gives (q35/ICH9 and i440fx/PIIX4 values, X_ fields, bad lengths,
 * hardware-reduced), PM1 status/enable with PM1a and PM1b combined and
 * write-1-to-clear status, ACPI mode through SMI_CMD (on at once, after
 * some polls, never), GPE numbering across GPE0 and GPE1, the _Lxx/_Exx
 * names both ways, the S5 writes in order, and the reset plan and steps.
 * Every register write is logged, so the tests check the exact writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/pm.h"
#include "acpi/sleep.h"
#include "base/err.h"

/* ---------------------------------------------------------------- fake hardware */

struct wlog {
	uint8_t space;
	uint64_t addr;
	unsigned bytes;
	uint32_t v;
};

struct hw {
	uint8_t io[0x10000];
	uint8_t mem[0x1000]; /* at MEM_BASE */
	/* write-1-to-clear byte ranges [w1c_lo, w1c_hi) in I/O space */
	uint64_t w1c_lo[4], w1c_hi[4];
	int nw1c;
	struct wlog log[64];
	int nlog;
	int reads;
	int delays;
	int sci_after; /* SCI_EN appears after this many delays once SMI_CMD was written (-1: never)
			*/
	bool smi_written;
	uint16_t pm1a_cnt; /* where SCI_EN lives */
};

#define MEM_BASE 0xfed00000ull

static bool is_w1c(struct hw *h, uint64_t a)
{
	for (int i = 0; i < h->nw1c; i++)
		if (a >= h->w1c_lo[i] && a < h->w1c_hi[i])
			return true;
	return false;
}

static uint8_t *cell(struct hw *h, uint8_t space, uint64_t a)
{
	if (space == 1)
		return a < sizeof h->io ? &h->io[a] : NULL;
	if (space == 0 && a >= MEM_BASE && a - MEM_BASE < sizeof h->mem)
		return &h->mem[a - MEM_BASE];
	return NULL;
}

static int f_read(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t *v)
{
	struct hw *h = ctx;
	h->reads++;
	*v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		uint8_t *c = cell(h, space, addr + i);
		if (!c)
			return -E_FAULT;
		*v |= (uint32_t)*c << (8 * i);
	}
	return 0;
}

static int f_write(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t v)
{
	struct hw *h = ctx;
	if (h->nlog < 64)
		h->log[h->nlog++] = (struct wlog){space, addr, bytes, v};
	for (unsigned i = 0; i < bytes; i++) {
		uint8_t *c = cell(h, space, addr + i);
		uint8_t b = (uint8_t)(v >> (8 * i));
		if (!c)
			return -E_FAULT;
		if (space == 1 && is_w1c(h, addr + i))
			*c &= (uint8_t)~b;
		else
			*c = b;
	}
	if (space == 1 && addr == 0xb2)
		h->smi_written = true;
	return 0;
}

static void f_delay(void *ctx, unsigned ms)
{
	struct hw *h = ctx;
	h->delays++;
	if (h->smi_written && h->sci_after >= 0 && h->delays >= h->sci_after)
		h->io[h->pm1a_cnt] |= 1;
}

static struct acpi_pm_io io_of(struct hw *h)
{
	return (struct acpi_pm_io){.ctx = h, .read = f_read, .write = f_write, .delay_ms = f_delay};
}

static void expect_write(struct hw *h, int i, uint8_t space, uint64_t addr, unsigned bytes,
			 uint32_t v)
{
	assert_true(i < h->nlog);
	assert_int_equal(h->log[i].space, space);
	assert_int_equal(h->log[i].addr, addr);
	assert_int_equal(h->log[i].bytes, bytes);
	assert_int_equal(h->log[i].v, v);
}

/* ---------------------------------------------------------------- FADTs */

/* q35 (ICH9) as QEMU builds it: PM base 0x600, GPE0 at 0x620 (16 bytes). */
static struct fadt_info fadt_q35(void)
{
	struct fadt_info f = {0};
	f.revision = 3;
	f.sci_int = 9;
	f.smi_cmd = 0xb2;
	f.acpi_enable = 2;
	f.acpi_disable = 3;
	f.pm1a_evt_blk = 0x600;
	f.pm1a_cnt_blk = 0x604;
	f.pm_tmr_blk = 0x608;
	f.gpe0_blk = 0x620;
	f.pm1_evt_len = 4;
	f.pm1_cnt_len = 2;
	f.pm_tmr_len = 4;
	f.gpe0_blk_len = 16;
	f.flags = FADT_F_RESET_REG_SUP;
	f.have = FADT_HAVE_RESET_REG | FADT_HAVE_RESET_VALUE;
	f.reset_reg = (struct acpi_gas){.space_id = ACPI_GAS_IO, .bit_width = 8, .address = 0xcf9};
	f.reset_value = 6;
	return f;
}

/* i440fx (PIIX4): GPE0 at 0xafe0 (4 bytes), a 1.0 FADT without a reset register. */
static struct fadt_info fadt_pc(void)
{
	struct fadt_info f = {0};
	f.revision = 1;
	f.sci_int = 9;
	f.smi_cmd = 0xb2;
	f.acpi_enable = 0xf1;
	f.pm1a_evt_blk = 0x600;
	f.pm1a_cnt_blk = 0x604;
	f.gpe0_blk = 0xafe0;
	f.pm1_evt_len = 4;
	f.pm1_cnt_len = 2;
	f.gpe0_blk_len = 4;
	return f;
}

static void test_from_fadt(void **state)
{
	struct acpi_pm pm;
	struct fadt_info f = fadt_q35();
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(pm.pm1a_evt.space, ACPI_GAS_IO);
	assert_int_equal(pm.pm1a_evt.addr, 0x600);
	assert_int_equal(pm.pm1a_evt.len, 4);
	assert_int_equal(pm.pm1b_evt.len, 0);
	assert_int_equal(pm.pm1a_cnt.addr, 0x604);
	assert_int_equal(pm.gpe0.addr, 0x620);
	assert_int_equal(acpi_gpe_count(&pm), 64);
	assert_int_equal(pm.gpe1.len, 0);

	/* an X_ block with an address wins over the 32-bit field */
	f.have |= FADT_HAVE_X_PM1A_EVT | FADT_HAVE_X_GPE1;
	f.x_pm1a_evt_blk =
	    (struct acpi_gas){.space_id = ACPI_GAS_MEMORY, .bit_width = 32, .address = MEM_BASE};
	f.x_gpe1_blk =
	    (struct acpi_gas){.space_id = ACPI_GAS_IO, .bit_width = 32, .address = 0x700};
	f.gpe1_blk_len = 4;
	f.gpe1_base = 64;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(pm.pm1a_evt.space, ACPI_GAS_MEMORY);
	assert_int_equal(pm.pm1a_evt.addr, MEM_BASE);
	assert_int_equal(pm.gpe1.addr, 0x700);
	assert_int_equal(pm.gpe1_base, 64);
	assert_int_equal(acpi_gpe_count(&pm), 80);

	/* GPE1 numbers overlapping GPE0's: GPE1 dropped, the rest kept */
	f.gpe1_base = 10;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(pm.gpe1.len, 0);
	assert_int_equal(acpi_gpe_count(&pm), 64);

	/* an X_ block with a zero address falls back to the 32-bit field */
	f = fadt_q35();
	f.have |= FADT_HAVE_X_PM1A_CNT;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(pm.pm1a_cnt.addr, 0x604);
	assert_int_equal(pm.pm1a_cnt.space, ACPI_GAS_IO);
}

static void test_from_fadt_bad(void **state)
{
	struct acpi_pm pm;
	struct fadt_info f = fadt_q35();
	f.flags |= FADT_F_HW_REDUCED_ACPI;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), -E_NOTSUP);
	f = fadt_q35();
	f.pm1a_evt_blk = 0;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), -E_INVAL);
	f = fadt_q35();
	f.pm1_evt_len = 3;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), -E_INVAL);
	f = fadt_q35();
	f.pm1_cnt_len = 1;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), -E_INVAL);
	f = fadt_q35();
	f.pm1a_evt_blk = 0xfffe; /* runs past the I/O space */
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), -E_INVAL);
	f = fadt_q35();
	f.have |= FADT_HAVE_X_PM1A_CNT;
	f.x_pm1a_cnt_blk = (struct acpi_gas){.space_id = 0x7f, .address = 0x1000};
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), -E_NOTSUP);
	/* an odd GPE block is dropped, not fatal */
	f = fadt_q35();
	f.gpe0_blk_len = 5;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(acpi_gpe_count(&pm), 0);
	assert_false(acpi_gpe_valid(&pm, 0));
}

/* ---------------------------------------------------------------- PM1 */

static void setup_pm1(struct hw *h, struct acpi_pm *pm, bool with_b)
{
	memset(h, 0, sizeof *h);
	h->sci_after = -1;
	h->pm1a_cnt = 0x604;
	struct fadt_info f = fadt_q35();
	if (with_b) {
		f.pm1b_evt_blk = 0x640;
		f.pm1b_cnt_blk = 0x644;
	}
	assert_int_equal(acpi_pm_from_fadt(&f, pm), 0);
	/* status halves are write-1-to-clear */
	h->w1c_lo[h->nw1c] = 0x600, h->w1c_hi[h->nw1c++] = 0x602;
	h->w1c_lo[h->nw1c] = 0x640, h->w1c_hi[h->nw1c++] = 0x642;
	h->w1c_lo[h->nw1c] = 0x620, h->w1c_hi[h->nw1c++] = 0x628;
}

static void test_pm1_status(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	uint16_t sts;
	setup_pm1(&h, &pm, true);
	io = io_of(&h);
	h.io[0x601] = 0x01; /* PWRBTN_STS in PM1a */
	h.io[0x640] = 0x20; /* GBL_STS in PM1b */
	assert_int_equal(acpi_pm1_status(&pm, &io, &sts), 0);
	assert_int_equal(sts, ACPI_PM1_PWRBTN | ACPI_PM1_GBL);
	/* clearing writes the 1s to both status registers, nothing else */
	assert_int_equal(acpi_pm1_clear(&pm, &io, sts), 0);
	assert_int_equal(h.nlog, 2);
	expect_write(&h, 0, ACPI_GAS_IO, 0x600, 2, ACPI_PM1_PWRBTN | ACPI_PM1_GBL);
	expect_write(&h, 1, ACPI_GAS_IO, 0x640, 2, ACPI_PM1_PWRBTN | ACPI_PM1_GBL);
	assert_int_equal(acpi_pm1_status(&pm, &io, &sts), 0);
	assert_int_equal(sts, 0);
}

static void test_pm1_enable(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	uint16_t en;
	setup_pm1(&h, &pm, false);
	io = io_of(&h);
	h.io[0x602] = 0x01; /* TMR_EN already on: kept */
	assert_int_equal(acpi_pm1_enable(&pm, &io, ACPI_PM1_PWRBTN, true), 0);
	assert_int_equal(h.nlog, 1);
	expect_write(&h, 0, ACPI_GAS_IO, 0x602, 2, ACPI_PM1_PWRBTN | ACPI_PM1_TMR);
	assert_int_equal(acpi_pm1_enabled(&pm, &io, &en), 0);
	assert_int_equal(en, ACPI_PM1_PWRBTN | ACPI_PM1_TMR);
	assert_int_equal(acpi_pm1_enable(&pm, &io, ACPI_PM1_TMR, false), 0);
	expect_write(&h, 1, ACPI_GAS_IO, 0x602, 2, ACPI_PM1_PWRBTN);
}

static void test_pm1_mem(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	struct fadt_info f = fadt_q35();
	memset(&h, 0, sizeof h);
	io = io_of(&h);
	f.have |= FADT_HAVE_X_PM1A_EVT;
	f.x_pm1a_evt_blk = (struct acpi_gas){
	    .space_id = ACPI_GAS_MEMORY, .bit_width = 64, .address = MEM_BASE + 0x10};
	f.pm1_evt_len = 8;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(acpi_pm1_enable(&pm, &io, ACPI_PM1_PWRBTN, true), 0);
	expect_write(&h, 0, ACPI_GAS_MEMORY, MEM_BASE + 0x14, 2, ACPI_PM1_PWRBTN);
}

static void test_acpi_mode(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	bool changed = true;
	setup_pm1(&h, &pm, false);
	io = io_of(&h);

	/* already on: nothing written */
	h.io[0x604] = 1;
	assert_int_equal(acpi_pm_acpi_mode(&pm, &io, &changed), 0);
	assert_false(changed);
	assert_int_equal(h.nlog, 0);

	/* off: ACPI_ENABLE to SMI_CMD, on after three polls */
	h.io[0x604] = 0;
	h.sci_after = 3;
	assert_int_equal(acpi_pm_acpi_mode(&pm, &io, &changed), 0);
	assert_true(changed);
	assert_int_equal(h.nlog, 1);
	expect_write(&h, 0, ACPI_GAS_IO, 0xb2, 1, 2);
	assert_int_equal(h.delays, 3);

	/* never comes on: a bounded wait, then an error */
	setup_pm1(&h, &pm, false);
	h.sci_after = -1;
	assert_int_equal(acpi_pm_acpi_mode(&pm, &io, &changed), -E_TIMEDOUT);
	assert_false(changed);
	assert_int_equal(h.delays, 300);

	/* no SMI_CMD to ask */
	setup_pm1(&h, &pm, false);
	pm.smi_cmd = 0;
	assert_int_equal(acpi_pm_acpi_mode(&pm, &io, &changed), -E_NOTSUP);
	assert_int_equal(h.nlog, 0);
}

/* ---------------------------------------------------------------- GPE */

static void test_gpe(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	unsigned got[8];
	setup_pm1(&h, &pm, false);
	io = io_of(&h);
	/* q35 GPE0: 16 bytes = 8 status bytes (0x620..) then 8 enable bytes (0x628..) */
	assert_int_equal(acpi_gpe_enable(&pm, &io, 1, true), 0);
	expect_write(&h, 0, ACPI_GAS_IO, 0x628, 1, 0x02);
	assert_int_equal(acpi_gpe_enable(&pm, &io, 0x13, true), 0);
	expect_write(&h, 1, ACPI_GAS_IO, 0x62a, 1, 0x08);
	assert_int_equal(acpi_gpe_enable(&pm, &io, 0x10, true), 0);
	expect_write(&h, 2, ACPI_GAS_IO, 0x62a, 1, 0x09); /* 0x13's bit kept */
	assert_int_equal(acpi_gpe_enable(&pm, &io, 64, true), -E_INVAL);
	assert_int_equal(acpi_gpe_enable(&pm, &io, 0x13, false), 0);
	expect_write(&h, 3, ACPI_GAS_IO, 0x62a, 1, 0x01);

	/* pending = status and enabled: 0x02 status without enable is not */
	h.io[0x620] = 0x06; /* GPE 1, 2 */
	h.io[0x622] = 0x01; /* GPE 0x10 */
	assert_int_equal(acpi_gpe_pending(&pm, &io, got, 8), 2);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 0x10);
	assert_int_equal(acpi_gpe_pending(&pm, &io, got, 1), 2); /* count beyond max */

	/* clearing writes only that bit to the status byte */
	h.nlog = 0;
	assert_int_equal(acpi_gpe_clear(&pm, &io, 0x10), 0);
	assert_int_equal(h.nlog, 1);
	expect_write(&h, 0, ACPI_GAS_IO, 0x622, 1, 0x01);
	assert_int_equal(acpi_gpe_pending(&pm, &io, got, 8), 1);
	assert_int_equal(acpi_gpe_clear(&pm, &io, 200), -E_INVAL);

	/* reset_all: every enable byte 0, every status byte cleared */
	h.nlog = 0;
	assert_int_equal(acpi_gpe_reset_all(&pm, &io), 0);
	assert_int_equal(h.nlog, 16);
	expect_write(&h, 0, ACPI_GAS_IO, 0x628, 1, 0);
	expect_write(&h, 1, ACPI_GAS_IO, 0x620, 1, 0xff);
	assert_int_equal(h.io[0x620], 0);
	assert_int_equal(acpi_gpe_pending(&pm, &io, got, 8), 0);
}

static void test_gpe1(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	unsigned got[4];
	struct fadt_info f = fadt_pc();
	memset(&h, 0, sizeof h);
	io = io_of(&h);
	f.gpe1_blk = 0xb000;
	f.gpe1_blk_len = 4;
	f.gpe1_base = 0x20;
	assert_int_equal(acpi_pm_from_fadt(&f, &pm), 0);
	assert_int_equal(acpi_gpe_count(&pm), 0x30);
	assert_true(acpi_gpe_valid(&pm, 0x0f));
	assert_false(acpi_gpe_valid(&pm, 0x10)); /* the hole between the blocks */
	assert_false(acpi_gpe_valid(&pm, 0x1f));
	assert_true(acpi_gpe_valid(&pm, 0x20));
	assert_false(acpi_gpe_valid(&pm, 0x30));
	assert_int_equal(acpi_gpe_enable(&pm, &io, 0x2a, true), 0);
	expect_write(&h, 0, ACPI_GAS_IO, 0xb003, 1, 0x04); /* enable half at +2, byte 1, bit 2 */
	h.io[0xb001] = 0x04;
	assert_int_equal(acpi_gpe_pending(&pm, &io, got, 4), 1);
	assert_int_equal(got[0], 0x2a);
	assert_int_equal(acpi_gpe_clear(&pm, &io, 0x2a), 0);
	expect_write(&h, 1, ACPI_GAS_IO, 0xb001, 1, 0x04);
}

static void test_gpe_names(void **state)
{
	char name[11];
	unsigned gpe = 0;
	bool level = false;
	acpi_gpe_method(0x1f, true, name);
	assert_string_equal(name, "\\_GPE._L1F");
	acpi_gpe_method(2, false, name);
	assert_string_equal(name, "\\_GPE._E02");
	assert_true(acpi_gpe_method_parse("\\_GPE._L1F", &gpe, &level));
	assert_int_equal(gpe, 0x1f);
	assert_true(level);
	assert_true(acpi_gpe_method_parse("\\_GPE._EA0", &gpe, &level));
	assert_int_equal(gpe, 0xa0);
	assert_false(level);
	assert_false(acpi_gpe_method_parse("\\_GPE._l1f", &gpe, &level)); /* lower case */
	assert_false(acpi_gpe_method_parse("\\_GPE._Q1F", &gpe, &level));
	assert_false(acpi_gpe_method_parse("\\_GPE._L1", &gpe, &level));
	assert_false(acpi_gpe_method_parse("\\_GPE._L1FF", &gpe, &level));
	assert_false(acpi_gpe_method_parse("\\_SB_._L01", &gpe, &level));
	assert_false(acpi_gpe_method_parse("\\_GPE._LG1", &gpe, &level));
	assert_false(acpi_gpe_method_parse("", &gpe, &level));
}

/* ---------------------------------------------------------------- S5 */

static void test_sleep(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	setup_pm1(&h, &pm, true);
	io = io_of(&h);
	h.io[0x604] = 0x01; /* SCI_EN: kept */
	h.io[0x644] = 0x01;
	h.io[0x645] = 0x1c; /* PM1b: stale SLP_TYP 7 and SLP_EN replaced */
	assert_int_equal(acpi_pm_sleep(&pm, &io, 5, 2), 0);
	/* WAK_STS cleared in PM1a and PM1b status, then PM1a control, then PM1b control */
	assert_int_equal(h.nlog, 4);
	expect_write(&h, 0, ACPI_GAS_IO, 0x600, 2, ACPI_PM1_WAK);
	expect_write(&h, 1, ACPI_GAS_IO, 0x640, 2, ACPI_PM1_WAK);
	expect_write(&h, 2, ACPI_GAS_IO, 0x604, 2, 0x0001 | 5 << 10 | ACPI_PM1_SLP_EN);
	expect_write(&h, 3, ACPI_GAS_IO, 0x644, 2, 0x0001 | 2 << 10 | ACPI_PM1_SLP_EN);
}

static void test_sleep_no_b(void **state)
{
	static struct hw h;
	struct acpi_pm pm;
	struct acpi_pm_io io;
	setup_pm1(&h, &pm, false);
	io = io_of(&h);
	assert_int_equal(acpi_pm_sleep(&pm, &io, 5, 0), 0);
	assert_int_equal(h.nlog, 2);
	expect_write(&h, 1, ACPI_GAS_IO, 0x604, 2, 5 << 10 | ACPI_PM1_SLP_EN);
}

/* ---------------------------------------------------------------- reset */

static void test_reset_plan(void **state)
{
	struct acpi_reset_step s[ACPI_RESET_STEPS];
	struct fadt_info f = fadt_q35();
	assert_int_equal(acpi_reset_plan(&f, s), 3);
	assert_int_equal(s[0].kind, ACPI_RESET_REG_IO);
	assert_int_equal(s[0].addr, 0xcf9);
	assert_int_equal(s[0].value, 6);
	assert_int_equal(s[1].kind, ACPI_RESET_KBC);
	assert_int_equal(s[2].kind, ACPI_RESET_KERNEL);

	/* RESET_REG_SUP clear: the register is not used even if present */
	f.flags = 0;
	assert_int_equal(acpi_reset_plan(&f, s), 2);
	assert_int_equal(s[0].kind, ACPI_RESET_KBC);

	/* memory and PCI config space */
	f = fadt_q35();
	f.reset_reg = (struct acpi_gas){.space_id = ACPI_GAS_MEMORY, .address = MEM_BASE + 8};
	assert_int_equal(acpi_reset_plan(&f, s), 3);
	assert_int_equal(s[0].kind, ACPI_RESET_REG_MEM);
	f.reset_reg.space_id = ACPI_GAS_PCI_CONFIG;
	assert_int_equal(acpi_reset_plan(&f, s), 3);
	assert_int_equal(s[0].kind, ACPI_RESET_REG_PCI);
	/* another space, an I/O address past 64 KiB, a zero address: left out */
	f.reset_reg.space_id = 0x0a;
	assert_int_equal(acpi_reset_plan(&f, s), 2);
	f.reset_reg = (struct acpi_gas){.space_id = ACPI_GAS_IO, .address = 0x12345};
	assert_int_equal(acpi_reset_plan(&f, s), 2);
	f.reset_reg.address = 0;
	assert_int_equal(acpi_reset_plan(&f, s), 2);
	/* a 1.0 FADT (no reset register fields), and no FADT at all */
	f = fadt_pc();
	f.flags = FADT_F_RESET_REG_SUP;
	assert_int_equal(acpi_reset_plan(&f, s), 2);
	assert_int_equal(acpi_reset_plan(NULL, s), 2);
	assert_int_equal(s[0].kind, ACPI_RESET_KBC);
}

static void test_reset_do(void **state)
{
	static struct hw h;
	struct acpi_pm_io io;
	struct acpi_reset_step s[ACPI_RESET_STEPS];
	struct fadt_info f = fadt_q35();
	memset(&h, 0, sizeof h);
	io = io_of(&h);
	assert_int_equal(acpi_reset_plan(&f, s), 3);
	assert_int_equal(acpi_reset_do(&s[0], &io), 0);
	expect_write(&h, 0, ACPI_GAS_IO, 0xcf9, 1, 6);
	/* KBC: waits while the input buffer is full, bounded when it never empties */
	h.io[0x64] = ACPI_KBC_INPUT_FULL;
	h.reads = 0;
	assert_int_equal(acpi_reset_do(&s[1], &io), 0);
	assert_int_equal(h.reads, 1000);
	expect_write(&h, 1, ACPI_GAS_IO, 0x64, 1, 0xfe);
	h.io[0x64] = 0;
	h.reads = 0;
	assert_int_equal(acpi_reset_do(&s[1], &io), 0);
	assert_int_equal(h.reads, 1);
	assert_int_equal(acpi_reset_do(&s[2], &io), -E_NOTSUP);
	struct acpi_reset_step m = {
	    .kind = ACPI_RESET_REG_MEM, .addr = MEM_BASE + 8, .value = 0x0e};
	assert_int_equal(acpi_reset_do(&m, &io), 0);
	expect_write(&h, 3, ACPI_GAS_MEMORY, MEM_BASE + 8, 1, 0x0e);
	assert_string_equal(acpi_reset_name(ACPI_RESET_KBC), "keyboard controller");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_from_fadt),  cmocka_unit_test(test_from_fadt_bad),
	    cmocka_unit_test(test_pm1_status), cmocka_unit_test(test_pm1_enable),
	    cmocka_unit_test(test_pm1_mem),    cmocka_unit_test(test_acpi_mode),
	    cmocka_unit_test(test_gpe),	       cmocka_unit_test(test_gpe1),
	    cmocka_unit_test(test_gpe_names),  cmocka_unit_test(test_sleep),
	    cmocka_unit_test(test_sleep_no_b), cmocka_unit_test(test_reset_plan),
	    cmocka_unit_test(test_reset_do),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
