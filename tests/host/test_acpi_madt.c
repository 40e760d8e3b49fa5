/*
 * test_acpi_madt.c - madt_parse and the SDT header helpers on tables built
 * here: good tables (LAPIC, IOAPIC, ISO, NMI, override, x2APIC entries) and
 * malformed ones (truncated, bad checksum, lying lengths, zero-length and
 * short entries, duplicate APIC ids, unknown types, capacity overflow).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/madt.h"
#include "acpi/sdt.h"
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

static struct madt_info mi;
static struct tb t;

static void madt_start(void)
{
	tb_start(&t, "APIC", 5);
	put(&t, 0xFEE00000, 4);
	put(&t, MADT_PCAT_COMPAT, 4);
}

static void lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	put(&t, 0, 1), put(&t, 8, 1), put(&t, uid, 1), put(&t, id, 1), put(&t, flags, 4);
}

static void x2apic(uint32_t id, uint32_t uid, uint32_t flags)
{
	put(&t, 9, 1), put(&t, 16, 1), put(&t, 0, 2), put(&t, id, 4), put(&t, flags, 4);
	put(&t, uid, 4);
}

static void test_good_table(void **state)
{
	madt_start();
	lapic(0, 0, 1);
	lapic(1, 2, 1);
	lapic(2, 4, 0); /* disabled: counted, not stored */
	lapic(3, 6, 2); /* online capable */
	put(&t, 1, 1), put(&t, 12, 1), put(&t, 8, 1), put(&t, 0, 1); /* IOAPIC id 8 */
	put(&t, 0xFEC00000, 4), put(&t, 0, 4);
	put(&t, 2, 1), put(&t, 10, 1), put(&t, 0, 1), put(&t, 0, 1); /* ISO irq0->gsi2 */
	put(&t, 2, 4), put(&t, 0, 2);
	put(&t, 2, 1), put(&t, 10, 1), put(&t, 0, 1), put(&t, 9, 1); /* ISO irq9 level low */
	put(&t, 9, 4), put(&t, 0xF, 2);
	put(&t, 3, 1), put(&t, 8, 1), put(&t, 0xD, 2), put(&t, 5, 4); /* NMI source gsi 5 */
	put(&t, 4, 1), put(&t, 6, 1), put(&t, 0xFF, 1), put(&t, 5, 2),
	    put(&t, 1, 1);							/* LAPIC NMI */
	put(&t, 0xA, 1), put(&t, 12, 1), put(&t, 0, 2), put(&t, 0xFFFFFFFF, 4); /* x2APIC NMI */
	put(&t, 1, 1), put(&t, 0, 3);
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), 0);
	assert_int_equal(mi.lapic_address, 0xFEE00000);
	assert_false(mi.has_lapic_override);
	assert_int_equal(mi.flags, 1);
	assert_int_equal(mi.lapic_entries, 4);
	assert_int_equal(mi.ncpus, 3);
	assert_int_equal(mi.enabled_count, 2);
	assert_int_equal(mi.online_capable_count, 1);
	assert_int_equal(mi.cpus[1].apic_id, 2);
	assert_int_equal(mi.cpus[1].uid, 1);
	assert_int_equal(mi.cpus[2].apic_id, 6);
	assert_int_equal(mi.cpus[2].flags, MADT_CPU_ONLINE_CAPABLE);
	assert_int_equal(mi.nioapics, 1);
	assert_int_equal(mi.ioapics[0].id, 8);
	assert_int_equal(mi.ioapics[0].address, 0xFEC00000);
	assert_int_equal(mi.nisos, 2);
	assert_int_equal(mi.isos[1].irq, 9);
	assert_int_equal(madt_inti_polarity(mi.isos[1].flags), MADT_POL_LOW);
	assert_int_equal(madt_inti_trigger(mi.isos[1].flags), MADT_TRIG_LEVEL);
	assert_int_equal(madt_inti_polarity(mi.isos[0].flags), MADT_POL_CONFORM);
	uint16_t fl = 0xffff;
	assert_int_equal(madt_isa_irq_to_gsi(&mi, 0, &fl), 2);
	assert_int_equal(fl, 0);
	assert_int_equal(madt_isa_irq_to_gsi(&mi, 4, NULL), 4);
	assert_int_equal(mi.nnmi_sources, 1);
	assert_int_equal(mi.nmi_sources[0].gsi, 5);
	assert_int_equal(mi.nmi_sources[0].flags, 0xD);
	assert_int_equal(mi.lapic_nmi_entries, 1);
	assert_int_equal(mi.x2apic_nmi_entries, 1);
	assert_int_equal(mi.nlapic_nmis, 2);
	assert_int_equal(mi.lapic_nmis[0].lint, 1);
	assert_int_equal(mi.lapic_nmis[1].uid, 0xFFFFFFFF);
	assert_int_equal(mi.diag.err, 0);
	assert_int_equal(mi.diag.warnings, 0);
	assert_string_equal(mi.diag.msg, "");

	char line[128];
	madt_summary(&mi, line, sizeof(line));
	assert_non_null(strstr(line, "3 CPUs"));
	assert_non_null(strstr(line, "1 IOAPIC,"));
}

static void test_x2apic_and_override(void **state)
{
	madt_start();
	x2apic(0x100, 7, 1);
	x2apic(0x101, 8, 1);
	x2apic(0x102, 9, 0); /* disabled */
	put(&t, 5, 1), put(&t, 12, 1), put(&t, 0, 2), put(&t, 0xFED00000ull, 8);
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), 0);
	assert_int_equal(mi.x2apic_entries, 3);
	assert_int_equal(mi.lapic_entries, 0);
	assert_int_equal(mi.ncpus, 2);
	assert_true(mi.cpus[0].x2apic);
	assert_int_equal(mi.cpus[0].apic_id, 0x100);
	assert_int_equal(mi.cpus[1].uid, 8);
	assert_true(mi.has_lapic_override);
	assert_int_equal(mi.lapic_address, 0xFED00000ull);
	assert_int_equal(mi.lapic_address32, 0xFEE00000);
}

static void test_duplicate_apic_id(void **state)
{
	madt_start();
	lapic(0, 3, 1);
	lapic(1, 3, 1);	 /* same id: firmware bug */
	x2apic(3, 2, 1); /* same id again, from a type 9 entry */
	lapic(2, 4, 0);	 /* disabled duplicates are harmless */
	lapic(3, 4, 0);
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), 0);
	assert_int_equal(mi.ncpus, 1);
	assert_int_equal(mi.cpus[0].uid, 0);
	assert_int_equal(mi.dup_apic_ids, 2);
	assert_int_equal(mi.diag.warnings, 2);
	assert_non_null(strstr(mi.diag.msg, "duplicate APIC id 0x3"));
}

static void test_unknown_types_skipped(void **state)
{
	madt_start();
	lapic(0, 0, 1);
	for (int i = 0; i < 3; i++) {
		put(&t, 0x7F, 1), put(&t, 6, 1), put(&t, 0, 4); /* OEM type */
	}
	put(&t, 0x10, 1), put(&t, 16, 1), put(&t, 0, 14); /* MP wakeup: not decoded */
	lapic(1, 1, 1);
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), 0);
	assert_int_equal(mi.ncpus, 2);
	assert_int_equal(mi.unknown_count[0x7F], 3);
	assert_int_equal(mi.unknown_count[0x10], 1);
	assert_int_equal(mi.unknown_types, 2);
}

static void test_zero_length_entry(void **state)
{
	madt_start();
	lapic(0, 0, 1);
	put(&t, 0, 1), put(&t, 0, 1), put(&t, 0, 6); /* length 0 */
	lapic(1, 1, 1);
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), -E_INVAL);
	assert_int_equal(mi.diag.err, -E_INVAL);
	assert_int_equal(mi.ncpus, 1); /* what came before is kept */
	assert_non_null(strstr(mi.diag.msg, "length 0"));
}

static void test_entry_past_end(void **state)
{
	madt_start();
	lapic(0, 0, 1);
	put(&t, 1, 1), put(&t, 40, 1), put(&t, 0, 10); /* says 40, 12 left */
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), -E_INVAL);
	assert_int_equal(mi.ncpus, 1);
	assert_int_equal(mi.nioapics, 0);
	assert_non_null(strstr(mi.diag.msg, "runs past"));
}

static void test_entry_too_short_for_type(void **state)
{
	madt_start();
	put(&t, 1, 1), put(&t, 8, 1), put(&t, 0, 6); /* IOAPIC needs 12 */
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), -E_INVAL);
	assert_non_null(strstr(mi.diag.msg, "needs 12"));

	madt_start();
	put(&t, 9, 1), put(&t, 12, 1), put(&t, 0, 10); /* x2APIC needs 16 */
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), -E_INVAL);

	madt_start();
	lapic(0, 0, 1);
	put(&t, 0, 1); /* one stray byte */
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), -E_INVAL);
	assert_int_equal(mi.ncpus, 1);
}

static void test_truncated_and_checksum(void **state)
{
	size_t len;

	madt_start();
	lapic(0, 0, 1);
	len = tb_fix(&t);
	/* buffer shorter than the length field */
	assert_int_equal(madt_parse(t.b, len - 1, &mi), -E_INVAL);
	assert_non_null(strstr(mi.diag.msg, "truncated"));
	/* shorter than a header */
	assert_int_equal(madt_parse(t.b, 20, &mi), -E_INVAL);
	assert_int_equal(madt_parse(NULL, 0, &mi), -E_INVAL);
	/* length field below the fixed part */
	t.b[4] = 40;
	t.b[9] = 0;
	t.b[9] = (uint8_t)(0x100 - acpi_checksum(t.b, 40));
	assert_int_equal(madt_parse(t.b, len, &mi), -E_INVAL);
	/* bad checksum */
	len = tb_fix(&t);
	t.b[len - 1] ^= 0x55;
	assert_int_equal(madt_parse(t.b, len, &mi), -E_BADMSG);
	assert_non_null(strstr(mi.diag.msg, "checksum"));
	/* wrong signature */
	t.b[len - 1] ^= 0x55;
	memcpy(t.b, "APIX", 4);
	tb_fix(&t);
	assert_int_equal(madt_parse(t.b, len, &mi), -E_INVAL);
	assert_non_null(strstr(mi.diag.msg, "signature"));
}

static void test_length_field_lies_short(void **state)
{
	/* a length field that stops mid-entry: the entry runs past the table */
	madt_start();
	lapic(0, 0, 1);
	lapic(1, 1, 1);
	tb_fix(&t);
	t.len -= 4;
	tb_fix(&t);
	assert_int_equal(madt_parse(t.b, t.len + 4, &mi), -E_INVAL);
	assert_int_equal(mi.ncpus, 1);
}

static void test_many_cpus(void **state)
{
	/* 1100 x2APIC processors: all kept (capacity is at least 1024) */
	madt_start();
	for (uint32_t i = 0; i < 1100; i++)
		x2apic(i, i, 1);
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), 0);
	assert_int_equal(mi.ncpus, 1100);
	assert_int_equal(mi.overflow, 0);
	assert_int_equal(mi.cpus[1099].apic_id, 1099);
}

static void test_overflow_is_counted(void **state)
{
	madt_start();
	for (uint32_t i = 0; i < MADT_MAX_CPUS + 5; i++)
		x2apic(i, i, 1);
	assert_true(t.len < sizeof(t.b));
	assert_int_equal(madt_parse(t.b, tb_fix(&t), &mi), 0);
	assert_int_equal(mi.ncpus, MADT_MAX_CPUS);
	assert_int_equal(mi.overflow, 5);
	assert_true(mi.diag.warnings >= 5);
	assert_non_null(strstr(mi.diag.msg, "dropped"));
}

static void test_sdt_helpers(void **state)
{
	struct acpi_sdt_hdr h;
	char s[9];
	size_t tlen;
	const uint8_t raw[8] = {'A', 0x04, 'B', 0, 'C', 'D', 'E', 'F'};

	madt_start();
	tb_fix(&t);
	assert_int_equal(acpi_sdt_parse(t.b, t.len, &h), 0);
	assert_memory_equal(h.signature, "APIC", 4);
	assert_int_equal(h.length, 44);
	assert_int_equal(h.revision, 5);
	assert_string_equal(acpi_sdt_str(h.oem_id, 6, s), "REDBR ");
	assert_string_equal(acpi_sdt_str(raw, 8, s), "A B");
	assert_int_equal(acpi_sdt_check(t.b, t.len, NULL, &tlen, NULL), 0);
	assert_int_equal(tlen, 44);
	assert_int_equal(acpi_sdt_parse(t.b, 35, &h), -E_INVAL);
	assert_int_equal(acpi_checksum(t.b, t.len), 0);
}

static void test_diag_precedence(void **state)
{
	struct acpi_diag dg;

	/* a warning is shown until an error replaces it; the first error stays */
	acpi_diag_clear(&dg);
	acpi_diag_warn(&dg, "W%d", 1);
	acpi_diag_warn(&dg, "W%d", 2);
	assert_string_equal(dg.msg, "W1");
	assert_int_equal(dg.warnings, 2);
	assert_int_equal(acpi_diag_fail(&dg, -E_INVAL, "E%d", 1), -E_INVAL);
	assert_int_equal(acpi_diag_fail(&dg, -E_BADMSG, "E%d", 2), -E_BADMSG);
	assert_string_equal(dg.msg, "E1");
	assert_int_equal(dg.err, -E_INVAL);
	acpi_diag_warn(&dg, "W3");
	assert_string_equal(dg.msg, "E1");
	/* NULL diag is allowed */
	assert_int_equal(acpi_diag_fail(NULL, -E_IO, "x"), -E_IO);
	acpi_diag_warn(NULL, "x");
}

static void test_body_parse_ignores_checksum(void **state)
{
	/* the lenient entry point, for callers that accept a bad checksum */
	madt_start();
	lapic(0, 5, 1);
	tb_fix(&t);
	t.b[9] ^= 1;
	assert_int_equal(madt_parse(t.b, t.len, &mi), -E_BADMSG);
	assert_int_equal(madt_parse_body(t.b, t.len, &mi), 0);
	assert_int_equal(mi.cpus[0].apic_id, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_table),
	    cmocka_unit_test(test_x2apic_and_override),
	    cmocka_unit_test(test_duplicate_apic_id),
	    cmocka_unit_test(test_unknown_types_skipped),
	    cmocka_unit_test(test_zero_length_entry),
	    cmocka_unit_test(test_entry_past_end),
	    cmocka_unit_test(test_entry_too_short_for_type),
	    cmocka_unit_test(test_truncated_and_checksum),
	    cmocka_unit_test(test_length_field_lies_short),
	    cmocka_unit_test(test_many_cpus),
	    cmocka_unit_test(test_overflow_is_counted),
	    cmocka_unit_test(test_sdt_helpers),
	    cmocka_unit_test(test_diag_precedence),
	    cmocka_unit_test(test_body_parse_ignores_checksum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
