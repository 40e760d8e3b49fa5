/*
 * test_pci_enum.c - the bus walk over a fake topology (bridges, a switch,
 * multi-function devices, a root bus no bridge leads to, bridge loops and
 * out-of-range secondaries), header decoding, and the lspci line and
 * address text.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "base/err.h"
#include "test_pci_fake.h"

static struct fake F;

struct seen {
	char addr[32][13];
	uint16_t size[32];
	unsigned n;
	int stop_at; /* return an error on this call (0: never) */
};

static int found(void *arg, const struct pci_cfg *c, const struct pci_hdr *h)
{
	struct seen *s = arg;
	if (s->stop_at && (int)s->n + 1 == s->stop_at)
		return -E_BUSY;
	pci_addr_fmt(c->addr, s->addr[s->n]);
	s->size[s->n++] = c->size;
	return 0;
}

static void bridge(struct fake_fn *fn, uint8_t pri, uint8_t sec, uint8_t sub)
{
	fake_put32(fn, PCI_PRIMARY_BUS, (uint32_t)sub << 16 | (uint32_t)sec << 8 | pri);
}

static void topology(void)
{
	memset(&F, 0, sizeof F);
	fake_add(&F, 0, 0, 0, 0x8086, 0x29c0, 0x060000, 0);
	struct fake_fn *rp = fake_add(&F, 0, 1, 0, 0x1b36, 0x000c, 0x060400, 0x81);
	bridge(rp, 0, 1, 3);
	fake_cap(rp, 0, 0x40, PCI_CAP_PCIE);
	struct fake_fn *rp2 = fake_add(&F, 0, 1, 2, 0x1b36, 0x000c, 0x060400, 1);
	bridge(rp2, 0, 4, 4);
	fake_add(&F, 0, 1, 5, 0x1234, 0x5678, 0x020000, 0); /* fn 5 of a multi-function */
	fake_add(&F, 0, 2, 3, 0x1234, 0x9999, 0x020000, 0); /* fn 3 of no fn 0: absent */
	struct fake_fn *up = fake_add(&F, 1, 0, 0, 0x104c, 0x8232, 0x060400, 1);
	bridge(up, 1, 2, 3);
	struct fake_fn *down = fake_add(&F, 2, 0, 0, 0x104c, 0x8233, 0x060400, 1);
	bridge(down, 2, 3, 3);
	struct fake_fn *nvme = fake_add(&F, 3, 0, 0, 0x1b36, 0x0010, 0x010802, 0);
	fake_cap(nvme, 0, 0x80, PCI_CAP_PCIE);
	fake_add(&F, 4, 0, 0, 0x8086, 0x100e, 0x020000, 0);
	fake_add(&F, 0x20, 0, 0, 0x1b36, 0x0008, 0x060000, 0); /* another root bus */
}

static void test_walk(void **state)
{
	topology();
	struct seen s = {0};
	struct pci_enum e = {
	    .ops = &fake_ops, .ctx = &F, .bus_end = 0xff, .ext = true, .found = found, .arg = &s};
	assert_int_equal(pci_enum_run(&e), 0);
	assert_int_equal(e.functions, 8);
	assert_int_equal(e.buses, 5);
	assert_int_equal(e.refused, 0);
	const char *want[] = {"0000:00:00.0", "0000:00:01.0", "0000:00:01.2", "0000:00:01.5",
			      "0000:01:00.0", "0000:04:00.0", "0000:02:00.0", "0000:03:00.0"};
	for (unsigned i = 0; i < 8; i++)
		assert_string_equal(s.addr[i], want[i]);
	assert_int_equal(s.size[1], 4096); /* PCIe capability, ECAM */
	assert_int_equal(s.size[0], 256);
	assert_int_equal(s.size[7], 4096);

	memset(&s, 0, sizeof s);
	e.all_buses = true;
	assert_int_equal(pci_enum_run(&e), 0);
	assert_int_equal(e.functions, 9);
	assert_int_equal(e.buses, 256);
	assert_string_equal(s.addr[8], "0000:20:00.0");

	memset(&s, 0, sizeof s);
	e.all_buses = false;
	e.ext = false;
	assert_int_equal(pci_enum_run(&e), 0);
	assert_int_equal(s.size[7], 256);

	memset(&s, 0, sizeof s);
	s.stop_at = 3;
	assert_int_equal(pci_enum_run(&e), -E_BUSY);
	assert_int_equal(s.n, 2);
}

static void test_bad_bridges(void **state)
{
	topology();
	/* The switch's downstream port points back at bus 1, and the second
	   root port past the segment's range. */
	bridge(fake_find(&F, (struct pci_addr){0, 2, 0, 0}), 2, 1, 1);
	struct seen s = {0};
	struct pci_enum e = {.ops = &fake_ops, .ctx = &F, .bus_end = 3, .found = found, .arg = &s};
	assert_int_equal(pci_enum_run(&e), 0);
	assert_int_equal(e.refused, 2);
	assert_int_equal(e.buses, 3);
	/* A bridge to a bus already queued by another bridge. */
	bridge(fake_find(&F, (struct pci_addr){0, 0, 1, 2}), 0, 1, 1);
	e.bus_end = 0xff;
	assert_int_equal(pci_enum_run(&e), 0);
	assert_int_equal(e.refused, 2);
	e.bus_start = 5;
	e.bus_end = 4;
	assert_int_equal(pci_enum_run(&e), -E_INVAL);
}

static void test_hdr(void **state)
{
	topology();
	struct pci_cfg c = fake_cfg(&F, fake_find(&F, (struct pci_addr){0, 1, 0, 0}), 256);
	struct pci_hdr h;
	assert_int_equal(pci_hdr_read(&c, &h), 0);
	assert_int_equal(h.vendor, 0x104c);
	assert_int_equal(h.type, 1);
	assert_int_equal(h.class_code, 6);
	assert_int_equal(h.subclass, 4);
	assert_int_equal(h.revision, 1);
	assert_int_equal(h.secondary, 2);
	assert_int_equal(h.subordinate, 3);
	c.addr.dev = 7;
	assert_int_equal(pci_hdr_read(&c, &h), -E_NOENT);
	struct fake_fn *odd = fake_add(&F, 9, 0, 0, 0x1234, 0x1, 0x000000, 0x7f);
	c = fake_cfg(&F, odd, 256);
	assert_int_equal(pci_hdr_read(&c, &h), -E_INVAL);
	odd->b[PCI_INT_PIN] = 9;
	odd->b[PCI_HEADER_TYPE] = 0;
	assert_int_equal(pci_hdr_read(&c, &h), 0);
	assert_int_equal(h.int_pin, 0);
}

static void test_text(void **state)
{
	char buf[160];
	struct pci_hdr h = {.vendor = 0x1234, .device = 0x1111, .class_code = 3};
	struct pci_addr a = {0, 0, 2, 0};
	struct pci_names nm = {.cls = pci_class_name(3, 0)};
	pci_fmt_line(buf, sizeof buf, a, &h, &nm, false);
	assert_string_equal(buf, "00:02.0 VGA compatible controller [0300]: Device [1234:1111]");
	pci_fmt_line(buf, sizeof buf, a, &h, NULL, true);
	assert_string_equal(buf, "00:02.0 0300: 1234:1111");
	h = (struct pci_hdr){
	    .vendor = 0x8086, .device = 0x2922, .class_code = 1, .subclass = 6, .revision = 2};
	a = (struct pci_addr){0x10, 0, 0x1f, 2};
	nm = (struct pci_names){"SATA controller", "Intel Corporation", "82801IR AHCI"};
	size_t need = pci_fmt_line(buf, sizeof buf, a, &h, &nm, false);
	assert_string_equal(buf, "0010:00:1f.2 SATA controller [0106]: Intel Corporation 82801IR "
				 "AHCI [8086:2922] (rev 02)");
	assert_int_equal(need, strlen(buf));
	nm.device = NULL;
	pci_fmt_line(buf, sizeof buf, a, &h, &nm, false);
	assert_string_equal(buf, "0010:00:1f.2 SATA controller [0106]: Intel Corporation Device "
				 "[8086:2922] (rev 02)");
	h.class_code = 0x77;
	nm = (struct pci_names){pci_class_name(0x77, 0), NULL, NULL};
	assert_int_equal(pci_fmt_line(buf, 10, a, &h, &nm, false), 54);
	assert_string_equal(buf, "0010:00:1");
	pci_fmt_line(buf, sizeof buf, a, &h, &nm, false);
	assert_string_equal(buf, "0010:00:1f.2 Class [7706]: Device [8086:2922] (rev 02)");
	assert_string_equal(pci_class_name(6, 0x55), "Bridge");
	assert_string_equal(pci_class_name(2, 0), "Ethernet controller");

	struct pci_addr p;
	assert_int_equal(pci_addr_parse("0001:0a:1f.7", 12, &p), 0);
	assert_int_equal(p.seg, 1);
	assert_int_equal(p.bus, 0x0a);
	assert_int_equal(p.dev, 0x1f);
	assert_int_equal(p.fn, 7);
	char t[13];
	pci_addr_fmt(p, t);
	assert_string_equal(t, "0001:0a:1f.7");
	assert_int_equal(pci_addr_parse("00:02.0", 7, &p), 0);
	assert_int_equal(p.dev, 2);
	assert_int_equal(pci_addr_parse("00:20.0", 7, &p), -E_INVAL);
	assert_int_equal(pci_addr_parse("00:02.8", 7, &p), -E_INVAL);
	assert_int_equal(pci_addr_parse("00:02:0", 7, &p), -E_INVAL);
	assert_int_equal(pci_addr_parse("0000:00:02.0x", 13, &p), -E_INVAL);
	assert_int_equal(pci_addr_parse("0g:02.0", 7, &p), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_bad_bridges),
	    cmocka_unit_test(test_hdr),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
