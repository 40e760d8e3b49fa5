/*
 * test_acpi_tables.c - the SRAT, SLIT, MCFG, HPET, FADT and DMAR parsers on
 * tables built here: the good path of each, and malformed inputs (short
 * and overrunning entries, SLIT matrices that do not fit, MCFG lengths that
 * are not 44 + 16n, short FADTs, broken DMAR device scopes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/dmar.h"
#include "acpi/fadt.h"
#include "acpi/hpet.h"
#include "acpi/mcfg.h"
#include "acpi/sdt.h"
#include "acpi/slit.h"
#include "acpi/srat.h"
#include "base/err.h"

/* --- table builder: append fields, then fix length and checksum --- */
struct tb {
	uint8_t b[65536];
	size_t len;
};

static void put(struct tb *t, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		t->b[t->len++] = i < 8 ? (uint8_t)(v >> (8 * i)) : 0;
}

static void tb_start(struct tb *t, const char *sig, uint8_t rev)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, sig, 4);
	t->b[8] = rev;
	memcpy(t->b + 10, "REDBR ", 6);
	memcpy(t->b + 16, "TESTTBL ", 8);
	memcpy(t->b + 28, "RBOS", 4);
	t->len = 36;
}

static size_t tb_fix(struct tb *t)
{
	uint32_t l = (uint32_t)t->len;

	memcpy(t->b + 4, &l, 4);
	t->b[9] = 0;
	t->b[9] = (uint8_t)(0x100 - acpi_checksum(t->b, t->len));
	return t->len;
}

static struct tb t;

/* ------------------------------------------------------------------ SRAT */
static struct srat_info si;

static void srat_start(void)
{
	tb_start(&t, "SRAT", 3);
	put(&t, 1, 4);
	put(&t, 0, 8);
}

static void srat_lapic(uint32_t dom, uint8_t id, uint32_t flags)
{
	put(&t, 0, 1), put(&t, 16, 1), put(&t, dom & 0xff, 1), put(&t, id, 1);
	put(&t, flags, 4), put(&t, 0, 1), put(&t, dom >> 8, 3), put(&t, 0, 4);
}

static void srat_mem(uint32_t dom, uint64_t base, uint64_t len, uint32_t flags)
{
	put(&t, 1, 1), put(&t, 40, 1), put(&t, dom, 4), put(&t, 0, 2);
	put(&t, base, 8), put(&t, len, 8), put(&t, 0, 4), put(&t, flags, 4), put(&t, 0, 8);
}

static void test_srat_good(void **state)
{
	srat_start();
	srat_lapic(0, 0, 1);
	srat_lapic(0x123456, 1, 1); /* domain uses the high 24 bits */
	srat_lapic(1, 2, 0);	    /* disabled */
	srat_mem(0, 0, 0x80000000, 1);
	srat_mem(1, 0x100000000ull, 0x40000000, 3);		     /* hot-pluggable */
	srat_mem(1, 0, 0, 0);					     /* disabled */
	put(&t, 2, 1), put(&t, 24, 1), put(&t, 0, 2), put(&t, 7, 4); /* x2APIC affinity */
	put(&t, 0x200, 4), put(&t, 1, 4), put(&t, 0, 8);
	put(&t, 3, 1), put(&t, 18, 1), put(&t, 0, 16); /* GICC: skipped */
	assert_int_equal(srat_parse(t.b, tb_fix(&t), &si), 0);
	assert_int_equal(si.table_revision, 1);
	assert_int_equal(si.ncpus, 3);
	assert_int_equal(si.cpus[1].domain, 0x123456);
	assert_int_equal(si.cpus[2].apic_id, 0x200);
	assert_true(si.cpus[2].x2apic);
	assert_int_equal(si.cpus[2].domain, 7);
	assert_int_equal(si.nmems, 2);
	assert_int_equal(si.mems[1].base, 0x100000000ull);
	assert_true(si.mems[1].flags & SRAT_MEM_HOTPLUG);
	assert_int_equal(si.disabled_entries, 2);
	assert_int_equal(si.unknown_count[3], 1);
}

static void test_srat_bad_entries(void **state)
{
	srat_start();
	srat_lapic(0, 0, 1);
	put(&t, 1, 1), put(&t, 16, 1), put(&t, 0, 14); /* memory entry needs 40 */
	assert_int_equal(srat_parse(t.b, tb_fix(&t), &si), -E_INVAL);
	assert_int_equal(si.ncpus, 1);
	assert_non_null(strstr(si.diag.msg, "needs 40"));

	srat_start();
	put(&t, 0, 1), put(&t, 0, 1), put(&t, 0, 14); /* zero length */
	assert_int_equal(srat_parse(t.b, tb_fix(&t), &si), -E_INVAL);

	srat_start();
	put(&t, 0, 1), put(&t, 200, 1), put(&t, 0, 14); /* past the end */
	assert_int_equal(srat_parse(t.b, tb_fix(&t), &si), -E_INVAL);
	assert_non_null(strstr(si.diag.msg, "runs past"));

	srat_start();
	t.len -= 4; /* fixed part cut */
	assert_int_equal(srat_parse(t.b, tb_fix(&t), &si), -E_INVAL);
}

/* ------------------------------------------------------------------ SLIT */
static void test_slit(void **state)
{
	struct slit_info sl;
	const uint8_t m[9] = {10, 20, 30, 20, 10, 20, 30, 20, 10};

	tb_start(&t, "SLIT", 1);
	put(&t, 3, 8);
	memcpy(t.b + t.len, m, 9);
	t.len += 9;
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), 0);
	assert_int_equal(sl.localities, 3);
	assert_int_equal(slit_distance(&sl, 0, 2), 30);
	assert_int_equal(slit_distance(&sl, 1, 0), 20);
	assert_int_equal(slit_distance(&sl, 3, 0), 255);
	assert_int_equal(sl.diag.warnings, 0);

	/* N*N does not fit: 4 localities need 16 bytes, 9 present */
	t.b[36] = 4;
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), -E_INVAL);
	assert_non_null(strstr(sl.diag.msg, "localities"));
	/* N so large that N*N overflows 64 bits */
	memset(t.b + 36, 0xff, 8);
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), -E_INVAL);
	t.b[36] = 0, t.b[37] = 0, t.b[38] = 0, t.b[39] = 0;
	t.b[40] = 1, t.b[41] = 0, t.b[42] = 0, t.b[43] = 0; /* 2^32: N*N wraps to 0 */
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), -E_INVAL);
	/* zero localities */
	memset(t.b + 36, 0, 8);
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), -E_INVAL);
	/* diagonal not 10: accepted with a warning */
	t.b[36] = 3;
	t.b[44] = 11;
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), 0);
	assert_int_equal(sl.diag.warnings, 1);
	/* too short for the count field */
	tb_start(&t, "SLIT", 1);
	put(&t, 1, 4);
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), -E_INVAL);
}

/* ------------------------------------------------------------------ MCFG */
static void test_mcfg(void **state)
{
	struct mcfg_info mc;
	char line[128];

	tb_start(&t, "MCFG", 1);
	put(&t, 0, 8);
	put(&t, 0xE0000000, 8), put(&t, 0, 2), put(&t, 0, 1), put(&t, 255, 1), put(&t, 0, 4);
	put(&t, 0xF0000000, 8), put(&t, 1, 2), put(&t, 0, 1), put(&t, 63, 1), put(&t, 0, 4);
	assert_int_equal(mcfg_parse(t.b, tb_fix(&t), &mc), 0);
	assert_int_equal(mc.nentries, 2);
	assert_int_equal(mc.entries[0].base, 0xE0000000);
	assert_int_equal(mc.entries[0].bus_end, 255);
	assert_int_equal(mc.entries[1].segment, 1);
	assert_int_equal(mc.entries[1].bus_end, 63);
	mcfg_summary(&mc, line, sizeof(line));
	assert_non_null(strstr(line, "2 allocations"));

	/* bad lengths: 44 + 16n only */
	t.len -= 1;
	assert_int_equal(mcfg_parse(t.b, tb_fix(&t), &mc), -E_INVAL);
	assert_non_null(strstr(mc.diag.msg, "44 + 16*n"));
	t.len -= 7;
	assert_int_equal(mcfg_parse(t.b, tb_fix(&t), &mc), -E_INVAL);
	t.len = 40;
	assert_int_equal(mcfg_parse(t.b, tb_fix(&t), &mc), -E_INVAL);
	/* no allocations at all is legal */
	t.len = 44;
	assert_int_equal(mcfg_parse(t.b, tb_fix(&t), &mc), 0);
	assert_int_equal(mc.nentries, 0);
	/* start bus above end bus: warned */
	put(&t, 0xE0000000, 8), put(&t, 0, 2), put(&t, 9, 1), put(&t, 1, 1), put(&t, 0, 4);
	assert_int_equal(mcfg_parse(t.b, tb_fix(&t), &mc), 0);
	assert_int_equal(mc.diag.warnings, 1);
}

/* ------------------------------------------------------------------ HPET */
static void test_hpet(void **state)
{
	struct hpet_info hp;

	tb_start(&t, "HPET", 1);
	put(&t, 0x8086A201, 4);
	put(&t, 0, 1), put(&t, 64, 1), put(&t, 0, 1), put(&t, 0, 1), put(&t, 0xFED00000, 8);
	put(&t, 0, 1), put(&t, 128, 2), put(&t, 0, 1);
	assert_int_equal(hpet_parse(t.b, tb_fix(&t), &hp), 0);
	assert_int_equal(hp.block_id, 0x8086A201);
	assert_int_equal(hp.base.address, 0xFED00000);
	assert_int_equal(hp.base.bit_width, 64);
	assert_int_equal(hp.min_tick, 128);
	assert_int_equal(hpet_comparators(&hp), 3);
	assert_true(hpet_counter_64bit(&hp));
	assert_true(hpet_legacy_capable(&hp));
	assert_int_equal(hpet_vendor(&hp), 0x8086);
	t.len -= 1;
	assert_int_equal(hpet_parse(t.b, tb_fix(&t), &hp), -E_INVAL);
}

/* ------------------------------------------------------------------ FADT */
static struct fadt_info fa;

static void fadt_build(size_t len, uint8_t rev)
{
	tb_start(&t, "FACP", rev);
	for (size_t i = 36; i < len; i++)
		t.b[i] = (uint8_t)i;
	t.len = len;
	/* recognisable values */
	memcpy(t.b + 40, "\x00\x10\x00\x00", 4);  /* DSDT 0x1000 */
	t.b[46] = 9, t.b[47] = 0;		  /* SCI 9 */
	memcpy(t.b + 112, "\x00\x00\x10\x00", 4); /* flags: HW_REDUCED */
	if (len >= 148)
		memcpy(t.b + 140, "\x00\x20\x00\x00\x01\x00\x00\x00", 8); /* X_DSDT */
}

static void test_fadt_v1(void **state)
{
	fadt_build(116, 1);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_int_equal(fa.revision, 1);
	assert_int_equal(fa.length, 116);
	assert_int_equal(fa.have, 0);
	assert_int_equal(fa.sci_int, 9);
	assert_int_equal(fa.pm_tmr_blk, 0x4f4e4d4c);
	assert_int_equal(fa.century, 108);
	assert_int_equal(fadt_dsdt(&fa), 0x1000);
	assert_true(fadt_hw_reduced(&fa));
	assert_false(fadt_low_power_s0(&fa));

	struct acpi_gas g;
	uint8_t v;
	assert_true(fadt_pm_timer(&fa, &g));
	assert_int_equal(g.space_id, ACPI_GAS_IO);
	assert_int_equal(g.address, 0x4f4e4d4c);
	assert_int_equal(g.bit_width, 24);
	assert_false(fadt_reset(&fa, &g, &v)); /* a 1.0 table has no reset register */
	fa.pm_tmr_blk = 0;
	assert_false(fadt_pm_timer(&fa, &g));
}

static void test_fadt_lengths(void **state)
{
	/* ACPI 1.0b: reset register; later fields count only when they fit */
	fadt_build(132, 2);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_RESET_REG);
	assert_true(fa.have & FADT_HAVE_MINOR_REV);
	assert_false(fa.have & FADT_HAVE_X_FACS);
	assert_int_equal(fa.reset_reg.space_id, 116);
	assert_int_equal(fa.arm_boot_arch, 0x8281);
	fadt_build(131, 2);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_ARM_BOOT_ARCH);
	assert_false(fa.have & FADT_HAVE_MINOR_REV);
	fadt_build(130, 2);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_RESET_VALUE);
	assert_false(fa.have & FADT_HAVE_ARM_BOOT_ARCH);
	fadt_build(127, 2);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_int_equal(fa.have, 0);
	/* 2.0+: 244 bytes, X_ fields */
	fadt_build(244, 4);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_X_GPE1);
	assert_false(fa.have & FADT_HAVE_SLEEP_CONTROL);
	assert_int_equal(fa.minor_revision, 131);
	assert_int_equal(fa.arm_boot_arch, 0x8281);
	assert_int_equal(fadt_dsdt(&fa), 0x100002000ull);
	assert_int_equal(fa.x_pm_tmr_blk.address, 0xdbdad9d8d7d6d5d4ull);
	struct acpi_gas g;
	uint8_t v;
	assert_true(fadt_pm_timer(&fa, &g));
	assert_int_equal(g.address, 0xdbdad9d8d7d6d5d4ull);
	fa.flags |= FADT_F_RESET_REG_SUP;
	assert_true(fadt_reset(&fa, &g, &v));
	assert_int_equal(v, 128);
	assert_int_equal(g.space_id, 116);
	/* 5.0: sleep registers, 6.0: hypervisor id */
	fadt_build(268, 5);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_SLEEP_STATUS);
	assert_false(fa.have & FADT_HAVE_HYPERVISOR);
	fadt_build(276, 6);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_HYPERVISOR);
	/* odd length: a GAS that does not fit is not reported */
	fadt_build(150, 3);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	assert_true(fa.have & FADT_HAVE_X_DSDT);
	assert_false(fa.have & FADT_HAVE_X_PM1A_EVT);
	assert_int_equal(fa.diag.warnings, 1); /* revision 3 but short */
	/* shorter than ACPI 1.0: rejected */
	fadt_build(100, 1);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), -E_INVAL);
	assert_non_null(strstr(fa.diag.msg, "116"));
}

/* ------------------------------------------------------------------ DMAR */
static struct dmar_info dm;

static void dmar_start(void)
{
	tb_start(&t, "DMAR", 1);
	put(&t, 38, 1), put(&t, 1, 1), put(&t, 0, 10); /* 39-bit, INTR_REMAP */
}

static void scope(uint8_t type, uint8_t bus, uint8_t dev, uint8_t fn)
{
	put(&t, type, 1), put(&t, 8, 1), put(&t, 0, 2), put(&t, 0, 1), put(&t, bus, 1);
	put(&t, dev, 1), put(&t, fn, 1);
}

static void test_dmar_good(void **state)
{
	struct dmar_scope sc;
	uint32_t off;
	char line[128];

	dmar_start();
	put(&t, 0, 2), put(&t, 32, 2), put(&t, 0, 1), put(&t, 0, 1), put(&t, 0, 2); /* DRHD */
	put(&t, 0xFED90000, 8);
	scope(1, 0, 2, 0);
	scope(1, 0, 3, 0);
	put(&t, 0, 2), put(&t, 24, 2), put(&t, 1, 1), put(&t, 0, 1), put(&t, 0, 2); /* DRHD all */
	put(&t, 0xFED91000, 8);
	scope(3, 0xF0, 31, 0);
	put(&t, 1, 2), put(&t, 32, 2), put(&t, 0, 2), put(&t, 0, 2); /* RMRR */
	put(&t, 0x3E000000, 8), put(&t, 0x3E7FFFFF, 8);
	scope(1, 0, 20, 0);
	put(&t, 2, 2), put(&t, 8, 2), put(&t, 0, 4);	/* ATSR */
	put(&t, 5, 2), put(&t, 8, 2), put(&t, 0, 4);	/* SATC */
	put(&t, 0x20, 2), put(&t, 6, 2), put(&t, 0, 2); /* unknown */
	assert_int_equal(dmar_parse(t.b, tb_fix(&t), &dm), 0);
	assert_int_equal(dm.host_address_width, 39);
	assert_int_equal(dm.flags, DMAR_F_INTR_REMAP);
	assert_int_equal(dm.count[DMAR_T_DRHD], 2);
	assert_int_equal(dm.ndrhds, 2);
	assert_int_equal(dm.drhds[0].base, 0xFED90000);
	assert_int_equal(dm.drhds[0].nscopes, 2);
	assert_true(dm.drhds[1].flags & DMAR_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(dm.drhds[1].nscopes, 1);
	assert_int_equal(dm.nrmrrs, 1);
	assert_int_equal(dm.rmrrs[0].limit, 0x3E7FFFFF);
	assert_int_equal(dm.count[DMAR_T_ATSR], 1);
	assert_int_equal(dm.count[DMAR_T_SATC], 1);
	assert_int_equal(dm.other_count, 1);
	assert_int_equal(dm.other_type[0], 0x20);

	off = dm.drhds[1].scope_off;
	assert_int_equal(dmar_scope_next(t.b, dm.drhds[1].scope_end, &off, &sc), 0);
	assert_int_equal(sc.type, 3);
	assert_int_equal(sc.start_bus, 0xF0);
	assert_int_equal(sc.npath, 1);
	assert_int_equal(sc.path[0], 31);
	assert_int_equal(dmar_scope_next(t.b, dm.drhds[1].scope_end, &off, &sc), -E_NOENT);

	uint32_t cur = 0, n = 0;
	struct dmar_ref ref;
	while (dmar_next(t.b, t.len, &cur, &ref) == 0)
		n++;
	assert_int_equal(n, 6);
	dmar_summary(&dm, line, sizeof(line));
	assert_non_null(strstr(line, "39-bit, 2 DRHDs, 1 RMRR"));
}

static void test_dmar_bad(void **state)
{
	/* device scope longer than its structure */
	dmar_start();
	put(&t, 0, 2), put(&t, 24, 2), put(&t, 0, 4), put(&t, 0xFED90000, 8);
	put(&t, 1, 1), put(&t, 16, 1), put(&t, 0, 6);
	assert_int_equal(dmar_parse(t.b, tb_fix(&t), &dm), -E_INVAL);
	assert_non_null(strstr(dm.diag.msg, "device scope"));
	/* zero-length scope */
	dmar_start();
	put(&t, 0, 2), put(&t, 24, 2), put(&t, 0, 4), put(&t, 0xFED90000, 8);
	put(&t, 1, 1), put(&t, 0, 1), put(&t, 0, 6);
	assert_int_equal(dmar_parse(t.b, tb_fix(&t), &dm), -E_INVAL);
	/* structure shorter than its type needs, after a good one */
	dmar_start();
	put(&t, 2, 2), put(&t, 8, 2), put(&t, 0, 4);
	put(&t, 1, 2), put(&t, 16, 2), put(&t, 0, 12);
	assert_int_equal(dmar_parse(t.b, tb_fix(&t), &dm), -E_INVAL);
	assert_int_equal(dm.count[DMAR_T_ATSR], 1);
	assert_non_null(strstr(dm.diag.msg, "needs 24"));
	/* zero-length structure, and one past the end */
	dmar_start();
	put(&t, 0, 2), put(&t, 0, 2), put(&t, 0, 12);
	assert_int_equal(dmar_parse(t.b, tb_fix(&t), &dm), -E_INVAL);
	dmar_start();
	put(&t, 0, 2), put(&t, 64, 2), put(&t, 0, 12);
	assert_int_equal(dmar_parse(t.b, tb_fix(&t), &dm), -E_INVAL);
	assert_non_null(strstr(dm.diag.msg, "runs past"));
	/* bad checksum */
	dmar_start();
	tb_fix(&t);
	t.b[40] ^= 1;
	assert_int_equal(dmar_parse(t.b, t.len, &dm), -E_BADMSG);
}

/* ---------------------------------------------------------------- summaries */
static void test_summaries(void **state)
{
	char line[160];
	struct slit_info sl;
	struct hpet_info hp;

	srat_start();
	srat_lapic(0, 0, 1);
	srat_mem(0, 0, 0x1000, 1);
	srat_mem(0, 0x1000, 0x1000, 0);
	assert_int_equal(srat_parse(t.b, tb_fix(&t), &si), 0);
	srat_summary(&si, line, sizeof(line));
	assert_string_equal(line, "SRAT: 1 CPU, 1 memory range, 1 disabled entry");

	tb_start(&t, "SLIT", 1);
	put(&t, 1, 8), put(&t, 10, 1);
	assert_int_equal(slit_parse(t.b, tb_fix(&t), &sl), 0);
	slit_summary(&sl, line, sizeof(line));
	assert_string_equal(line, "SLIT: 1 locality");

	tb_start(&t, "HPET", 1);
	put(&t, 0x8086A201, 4), put(&t, 0, 4), put(&t, 0xFED00000, 8), put(&t, 0, 1);
	put(&t, 128, 2), put(&t, 0, 1);
	assert_int_equal(hpet_parse(t.b, tb_fix(&t), &hp), 0);
	hpet_summary(&hp, line, sizeof(line));
	assert_string_equal(line,
			    "HPET: 3 comparators at 0xfed00000, min tick 128, 64-bit counter");

	fadt_build(276, 6);
	assert_int_equal(fadt_parse(t.b, tb_fix(&t), &fa), 0);
	fadt_summary(&fa, line, sizeof(line));
	assert_non_null(strstr(line, "FADT: rev 6, 276 bytes, SCI 9"));
	assert_non_null(strstr(line, "hw-reduced"));

	/* a short buffer truncates, NUL-terminated */
	assert_true(fadt_summary(&fa, line, 8) > 8);
	assert_string_equal(line, "FADT: r");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_srat_good),	 cmocka_unit_test(test_srat_bad_entries),
	    cmocka_unit_test(test_slit),	 cmocka_unit_test(test_mcfg),
	    cmocka_unit_test(test_hpet),	 cmocka_unit_test(test_fadt_v1),
	    cmocka_unit_test(test_fadt_lengths), cmocka_unit_test(test_dmar_good),
	    cmocka_unit_test(test_dmar_bad),	 cmocka_unit_test(test_summaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
