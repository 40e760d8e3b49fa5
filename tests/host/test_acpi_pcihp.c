/*
 * test_acpi_pcihp.c - lib/acpi/pcihp.c (ACPI PCI hot-plug's pure part)
 * and lib/pci/hpctl.c (pci:/hotplug's text).
 *
 * The namespace tests run QEMU 7.2's own q35 DSDT
 * (tests/fixtures/qemu/q35-bridges: root ports at 00:04.0 and 00:05.0, a
 * pcie-pci-bridge behind the second) with a fake of QEMU's ACPI PCI
 * hot-plug registers (I/O 0xcc0 PCIU/PCID, 0xcc8 B0EJ, 0xcd0 BNUM): the
 * GPE method \_GPE._E01 sends Notify 1 (device check) for a slot whose
 * "up" bit is set on the selected bus and Notify 3 (eject request) for a
 * "down" bit; the slot's _EJ0 writes the slot's bit to B0EJ with its bus
 * selected. Then each notified slot's bridge address is worked out as
 * acpid does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/pcihp.h"
#include "aml/aml.h"
#include "base/err.h"
#include "pci/hpctl.h"

#define DSDT "tests/fixtures/qemu/q35-bridges/dsdt.dat"

/* QEMU's hw/acpi/pcihp.c as the AML sees it: per bus select (BSEL) an
   up and a down bitmap; PCIU reads clear "up". */
static struct {
	uint32_t bnum;
	uint32_t up[8], down[8];
	uint32_t ej_bus, ej_bits; /* the last B0EJ write */
	unsigned ej_writes;
} hw;

static struct acpi_hp_queue queue;
static unsigned other_notes;

static void *t_alloc(void *ctx, size_t n)
{
	return malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
	free(p);
}

static int io_read(void *ctx, const struct aml_access *a, uint64_t *v)
{
	uint32_t b = hw.bnum & 7;
	*v = 0;
	if (a->space != AML_SPACE_IO)
		return 0;
	if (a->address == 0xcc0) {
		*v = hw.up[b];
		hw.up[b] = 0;
	} else if (a->address == 0xcc4) {
		*v = hw.down[b];
	} else if (a->address == 0xcd0) {
		*v = hw.bnum;
	}
	return 0;
}

static int io_write(void *ctx, const struct aml_access *a, uint64_t v)
{
	if (a->space != AML_SPACE_IO)
		return 0;
	if (a->address == 0xcd0)
		hw.bnum = (uint32_t)v;
	if (a->address == 0xcc8) {
		hw.ej_bus = hw.bnum;
		hw.ej_bits = (uint32_t)v;
		hw.ej_writes++;
		hw.down[hw.bnum & 7] &= ~(uint32_t)v;
	}
	return 0;
}

static void on_notify(void *ctx, const char *path, uint64_t value)
{
	if (acpi_hp_note(&queue, path, value) <= 0)
		other_notes++;
}

static struct aml *load(void)
{
	static const struct aml_host host = {.alloc = t_alloc,
					     .free = t_free,
					     .region_read = io_read,
					     .region_write = io_write,
					     .notify = on_notify};
	static uint8_t buf[1 << 16];
	struct aml *aml;
	int idx;
	FILE *f = fopen(DSDT, "rb");
	if (!f)
		fail_msg("%s: run from the repository's top (make test)", DSDT);
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(n > 36 && n < sizeof buf);
	assert_int_equal(aml_create(&host, &aml), 0);
	assert_int_equal(aml_load_table(aml, buf, n, &idx), 0);
	assert_int_equal(aml_initialize(aml), 0);
	memset(&hw, 0, sizeof hw);
	memset(&queue, 0, sizeof queue);
	other_notes = 0;
	return aml;
}

static void gpe(struct aml *aml)
{
	struct aml_value out;
	assert_int_equal(aml_eval(aml, "\\_GPE._E01", NULL, 0, &out), 0);
	aml_value_free(aml, &out);
}

/* The fixture's secondary buses: 00:05.0 -> 2 (its pcie-pci-bridge at 02:00.0). */
static int secondary(void *ctx, struct pci_addr a, uint8_t *bus)
{
	(void)ctx;
	if (a.seg == 0 && a.bus == 0 && a.dev == 5 && a.fn == 0) {
		*bus = 2;
		return 0;
	}
	return -E_NOENT;
}

static int no_secondary(void *ctx, struct pci_addr a, uint8_t *bus)
{
	return -E_IO;
}

static void test_queue(void **state)
{
	struct acpi_hp_queue q = {0};
	char longp[PRT_PATH_MAX + 4];
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.PWRB", 0x80), 0);
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.A", 2), 0);
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.A", 1), 1);
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.A", 1), 0); /* queued already */
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.A", 3), 1);
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.B", 0), 1);
	assert_int_equal(q.n, 3);
	assert_string_equal(q.note[1].path, "\\_SB_.A");
	assert_int_equal(q.note[1].kind, ACPI_HP_EJECT_REQUEST);
	memset(longp, 'X', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	assert_int_equal(acpi_hp_note(&q, longp, 1), -E_NAMETOOLONG);
	for (unsigned i = q.n; i < ACPI_HP_NOTES; i++) {
		char p[16];
		snprintf(p, sizeof p, "\\N%u", i);
		assert_int_equal(acpi_hp_note(&q, p, 1), 1);
	}
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.C", 1), -E_NOSPC);
	assert_int_equal(acpi_hp_note(&q, "\\_SB_.A", 1), 0);
	assert_string_equal(acpi_hp_kind_name(3), "eject request");
	assert_string_equal(acpi_hp_kind_name(0), "bus check");
	assert_string_equal(acpi_hp_kind_name(9), "?");
}

static void test_adr(void **state)
{
	uint8_t d, f;
	assert_int_equal(acpi_hp_adr(0x00030000, &d, &f), 0);
	assert_int_equal(d, 3);
	assert_int_equal(f, 0);
	assert_int_equal(acpi_hp_adr(0x001f0003, &d, &f), 0);
	assert_int_equal(d, 31);
	assert_int_equal(f, 3);
	assert_int_equal(acpi_hp_adr(0x0002ffff, &d, &f), 0);
	assert_int_equal(f, 0xff);
	assert_int_equal(acpi_hp_adr(0x00200000, &d, &f), -E_INVAL);
	assert_int_equal(acpi_hp_adr(0x00030008, &d, &f), -E_INVAL);
	assert_int_equal(acpi_hp_adr(~0ull, &d, &f), -E_INVAL);
}

/* device_add behind the root port at 00:04.0 (BSEL 4): Notify(S20.S00, 1). */
static void test_device_check(void **state)
{
	struct aml *aml = load();
	struct acpi_hp_where w;
	struct pci_addr a;
	hw.up[4] = 1;
	gpe(aml);
	assert_int_equal(queue.n, 1);
	assert_string_equal(queue.note[0].path, "\\_SB_.PCI0.S20_.S00_");
	assert_int_equal(queue.note[0].kind, ACPI_HP_DEVICE_CHECK);
	assert_int_equal(acpi_hp_locate(aml, queue.note[0].path, &w), 0);
	assert_string_equal(w.bridge, "\\_SB_.PCI0.S20_");
	assert_string_equal(w.root, "\\_SB_.PCI0");
	assert_int_equal(w.seg, 0);
	assert_int_equal(w.root_bus, 0);
	assert_int_equal(w.depth, 1);
	assert_int_equal(w.adr[0], 0x00040000);
	assert_int_equal(w.slot_dev, 0);
	/* one level: no config read needed */
	assert_int_equal(acpi_hp_bridge_addr(&w, no_secondary, NULL, &a), 0);
	assert_int_equal(a.bus, 0);
	assert_int_equal(a.dev, 4);
	assert_int_equal(a.fn, 0);
	/* PCIU was read (and cleared): a second GPE notes nothing */
	queue.n = 0;
	gpe(aml);
	assert_int_equal(queue.n, 0);
	aml_destroy(aml);
}

/* device_del of slot 1 behind the pcie-pci-bridge (BSEL 3) that sits behind
   00:05.0: Notify(S28.S00.S08, 3), then _EJ0 writes bit 1 on bus select 3. */
static void test_eject_request(void **state)
{
	struct aml *aml = load();
	struct acpi_hp_where w;
	struct pci_addr a;
	struct aml_value one = {.type = AML_INTEGER, .integer = 1}, out;
	char ej0[PRT_PATH_MAX + 8];
	hw.down[3] = 1u << 1;
	gpe(aml);
	assert_int_equal(queue.n, 1);
	assert_string_equal(queue.note[0].path, "\\_SB_.PCI0.S28_.S00_.S08_");
	assert_int_equal(queue.note[0].kind, ACPI_HP_EJECT_REQUEST);
	assert_int_equal(acpi_hp_locate(aml, queue.note[0].path, &w), 0);
	assert_string_equal(w.bridge, "\\_SB_.PCI0.S28_.S00_");
	assert_int_equal(w.depth, 2);
	assert_int_equal(w.adr[0], 0x00050000);
	assert_int_equal(w.adr[1], 0);
	assert_int_equal(w.slot_dev, 1);
	assert_int_equal(acpi_hp_bridge_addr(&w, secondary, NULL, &a), 0);
	assert_int_equal(a.bus, 2);
	assert_int_equal(a.dev, 0);
	assert_int_equal(acpi_hp_bridge_addr(&w, no_secondary, NULL, &a), -E_IO);
	/* the down bit stays until the eject: the next GPE asks again */
	queue.n = 0;
	gpe(aml);
	assert_int_equal(queue.n, 1);
	snprintf(ej0, sizeof ej0, "%s._EJ0", queue.note[0].path);
	assert_int_equal(aml_eval(aml, ej0, &one, 1, &out), 0);
	aml_value_free(aml, &out);
	assert_int_equal(hw.ej_writes, 1);
	assert_int_equal(hw.ej_bus, 3);
	assert_int_equal(hw.ej_bits, 1u << 1);
	queue.n = 0;
	gpe(aml);
	assert_int_equal(queue.n, 0);
	aml_destroy(aml);
}

static void test_locate_refuses(void **state)
{
	struct aml *aml = load();
	struct acpi_hp_where w;
	struct pci_addr a;
	/* a slot on the root bus (the i440fx way): located, but no bridge */
	assert_int_equal(acpi_hp_locate(aml, "\\_SB_.PCI0.S10_", &w), 0);
	assert_int_equal(w.depth, 0);
	assert_int_equal(acpi_hp_bridge_addr(&w, secondary, NULL, &a), -E_NOTSUP);
	/* no _ADR: not a PCI slot */
	assert_int_equal(acpi_hp_locate(aml, "\\_SB_.PCI0", &w), -E_NOENT);
	assert_int_equal(acpi_hp_locate(aml, "\\_SB_.NONE", &w), -E_NOENT);
	/* the keyboard under the LPC bridge has no _ADR (an ISA device) */
	assert_int_equal(acpi_hp_locate(aml, "\\_SB_.PCI0.SF8_.KBD_", &w), -E_NOENT);
	aml_destroy(aml);
}

static void test_bridge_addr_bad(void **state)
{
	struct acpi_hp_where w = {.depth = 2, .adr = {0x00050000, 0x0000ffff}};
	struct pci_addr a;
	/* a bridge _ADR naming every function */
	assert_int_equal(acpi_hp_bridge_addr(&w, secondary, NULL, &a), -E_INVAL);
	/* a secondary bus at or above its own */
	w.adr[1] = 0;
	w.root_bus = 2;
	w.adr[0] = 0x00050000;
	assert_int_equal(acpi_hp_bridge_addr(&w, secondary, NULL, &a), -E_NOENT);
	w.depth = ACPI_HP_DEPTH + 1;
	assert_int_equal(acpi_hp_bridge_addr(&w, secondary, NULL, &a), -E_INVAL);
}

static void test_hpctl_cmd(void **state)
{
	struct pci_hpctl_cmd c;
	char buf[PCI_HPCTL_MAX];
	assert_int_equal(pci_hpctl_parse("rescan 0000:00:03.0", 19, &c), 0);
	assert_int_equal(c.op, PCI_HPCTL_RESCAN);
	assert_int_equal(c.bridge.dev, 3);
	assert_int_equal(pci_hpctl_parse("eject 0001:02:1f.7 31\n", 22, &c), 0);
	assert_int_equal(c.op, PCI_HPCTL_EJECT);
	assert_int_equal(c.bridge.seg, 1);
	assert_int_equal(c.bridge.bus, 2);
	assert_int_equal(c.bridge.dev, 31);
	assert_int_equal(c.bridge.fn, 7);
	assert_int_equal(c.dev, 31);
	assert_int_equal(pci_hpctl_fmt(&c, buf, sizeof buf), 22);
	assert_string_equal(buf, "eject 0001:02:1f.7 31\n");
	static const char *const bad[] = {
	    "",
	    "rescan",
	    "rescan ",
	    "rescan 00:03.0",
	    "rescan 0000:00:03.0 1",
	    "rescan 0000:00:20.0",
	    "eject 0000:00:03.0",
	    "eject 0000:00:03.0 ",
	    "eject 0000:00:03.0 32",
	    "eject 0000:00:03.0 -1",
	    "eject 0000:00:03.0 0x1",
	    "eject 0000:00:03.0 1 ",
	    "eject 0000:00:03.0 1\n\n",
	    "eject  0000:00:03.0 1",
	    "EJECT 0000:00:03.0 1",
	    "eject 0000:00:03.0 0000000000001",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(pci_hpctl_parse(bad[i], strlen(bad[i]), &c), -E_INVAL);
	c = (struct pci_hpctl_cmd){.op = PCI_HPCTL_RESCAN, .bridge = {.dev = 4}};
	assert_int_equal(pci_hpctl_fmt(&c, buf, sizeof buf), 20);
	assert_string_equal(buf, "rescan 0000:00:04.0\n");
	assert_int_equal(pci_hpctl_fmt(&c, buf, 8), -E_INVAL);
	c.dev = 32;
	assert_int_equal(pci_hpctl_fmt(&c, buf, sizeof buf), -E_INVAL);
}

static void test_hpctl_result(void **state)
{
	struct pci_hpctl_result r = {.added = 1, .removed = 2, .claimed = 0, .ms = 35}, p;
	char buf[PCI_HPCTL_MAX];
	size_t n = pci_hpctl_result_fmt(&r, buf, sizeof buf);
	assert_string_equal(buf, "added 1 removed 2 claimed 0 ms 35\n");
	assert_int_equal(pci_hpctl_result_parse(buf, n, &p), 0);
	assert_memory_equal(&p, &r, sizeof r);
	assert_int_equal(pci_hpctl_result_parse(buf, n - 1, &p), 0);
	r.ms = 4000000000u; /* capped where the parser still takes it */
	n = pci_hpctl_result_fmt(&r, buf, sizeof buf);
	assert_int_equal(pci_hpctl_result_parse(buf, n, &p), 0);
	assert_int_equal(p.ms, 999999999u);
	static const char *const bad[] = {
	    "",
	    "added 1",
	    "added 1 removed 2 claimed 0",
	    "added 1 removed 2 claimed 0 ms",
	    "added 1 removed 2 claimed 0 ms 3 x",
	    "added x removed 2 claimed 0 ms 3",
	    "removed 2 added 1 claimed 0 ms 3",
	    "added 1  removed 2 claimed 0 ms 3",
	    "added 1000000000 removed 2 claimed 0 ms 3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(pci_hpctl_result_parse(bad[i], strlen(bad[i]), &p), -E_INVAL);
	/* a short buffer gets a truncated, terminated line */
	n = pci_hpctl_result_fmt(&r, buf, 8);
	assert_int_equal(n, 7);
	assert_int_equal(buf[7], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_queue),	   cmocka_unit_test(test_adr),
	    cmocka_unit_test(test_device_check),   cmocka_unit_test(test_eject_request),
	    cmocka_unit_test(test_locate_refuses), cmocka_unit_test(test_bridge_addr_bad),
	    cmocka_unit_test(test_hpctl_cmd),	   cmocka_unit_test(test_hpctl_result),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
