/*
 * test_rsrc.c - lib/acpi/rsrc.c: every decoded descriptor kind on bytes
 * written out by hand from ACPI 6.5 section 6.4 (and checked against what
 * iasl emits for the same ResourceTemplate), the IRQ list with its flags,
 * truncated and inconsistent descriptors, and the _SRS encoder round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/rsrc.h"
#include "base/err.h"

/*
 * ResourceTemplate () {
 *   IRQ (Level, ActiveLow, Shared) { 5, 10 }
 *   IRQNoFlags () { 3 }
 *   IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
 *   FixedIO (0x0060, 0x01)
 *   Memory32 (ReadWrite, 0xFEC00000, 0xFEC00000, 0x1000, 0x1000)  (iasl: length 1)
 *   Memory32Fixed (ReadOnly, 0xFED00000, 0x400)
 *   WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0xFF, 0, 0x100)
 *   DWordMemory (..., 0, 0x80000000, 0xFEBFFFFF, 0, 0x7EC00000)
 *   QWordMemory (..., 0, 0x100000000, 0x8FFFFFFFF, 0, 0x800000000)
 *   Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 9, 33 }
 *   DMA (Compatibility, NotBusMaster, Transfer8) { 2 }
 *   VendorShort () { 1, 2 }
 * }
 */
static const uint8_t tmpl[] = {
    0x23, 0x20, 0x04, 0x18,						    /* IRQ */
    0x22, 0x08, 0x00,							    /* IRQNoFlags */
    0x47, 0x01, 0xF8, 0x0C, 0xF8, 0x0C, 0x01, 0x08,			    /* IO */
    0x4B, 0x60, 0x00, 0x01,						    /* FixedIO */
    0x85, 0x11, 0x00, 0x01, 0x00, 0x00, 0xC0, 0xFE, 0x00, 0x00, 0xC0, 0xFE, /* Memory32 */
    0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,			    /* ... */
    0x86, 0x09, 0x00, 0x00, 0x00, 0x00, 0xD0, 0xFE, 0x00, 0x04, 0x00, 0x00, /* Fixed32 */
    0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x00, /* Word */
    0x00, 0x00, 0x00, 0x01,						    /* ... */
    0x87, 0x17, 0x00, 0x00, 0x0C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* DWord */
    0x00, 0x80, 0xFF, 0xFF, 0xBF, 0xFE, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... */
    0xC0, 0x7E,								    /* ... */
    0x8A, 0x2B, 0x00, 0x00, 0x0C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* QWord */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, /* ... */
    0xFF, 0xFF, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ... */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,		    /* ... */
    0x89, 0x0A, 0x00, 0x03, 0x02, 0x09, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, /* ExtIRQ */
    0x00,								    /* ... */
    0x2A, 0x04, 0x00,							    /* DMA */
    0x72, 0x01, 0x02,							    /* VendorShort */
    0x79, 0x00,								    /* End */
};

static void test_decode_all(void **state)
{
	struct rsrc_desc d;
	size_t pos = 0, n;

	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_IRQ);
	assert_int_equal(d.irq_mask, 0x0420);
	assert_int_equal(d.flags, RSRC_F_LOW | RSRC_F_SHARED);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_IRQ);
	assert_int_equal(d.irq_mask, 0x0008);
	assert_int_equal(d.flags, RSRC_F_EDGE);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_IO);
	assert_int_equal(d.min, 0xCF8);
	assert_int_equal(d.max, 0xCF8);
	assert_int_equal(d.len, 8);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_FIXED_IO);
	assert_int_equal(d.min, 0x60);
	assert_int_equal(d.len, 1);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_MEM32);
	assert_int_equal(d.min, 0xFEC00000);
	assert_int_equal(d.len, 0x1000);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_FIXED_MEM32);
	assert_int_equal(d.min, 0xFED00000);
	assert_int_equal(d.len, 0x400);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_ADDR16);
	assert_int_equal(d.addr_type, RSRC_ADDR_BUS);
	assert_int_equal(d.max, 0xFF);
	assert_int_equal(d.len, 0x100);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_ADDR32);
	assert_int_equal(d.addr_type, RSRC_ADDR_MEM);
	assert_int_equal(d.min, 0x80000000);
	assert_int_equal(d.max, 0xFEBFFFFF);
	assert_int_equal(d.len, 0x7EC00000);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_ADDR64);
	assert_int_equal(d.min, 0x100000000ull);
	assert_int_equal(d.max, 0x8FFFFFFFFull);
	assert_int_equal(d.len, 0x800000000ull);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_EXT_IRQ);
	assert_int_equal(d.nirq, 2);
	assert_int_equal(d.flags, RSRC_F_CONSUMER | RSRC_F_EDGE);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_DMA);
	assert_int_equal(d.irq_mask, 0x04);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 1);
	assert_int_equal(d.kind, RSRC_OTHER);
	assert_int_equal(rsrc_next(tmpl, sizeof(tmpl), &pos, &d), 0);
	assert_int_equal(d.kind, RSRC_END);
	assert_int_equal(pos, sizeof(tmpl));
	assert_int_equal(rsrc_check(tmpl, sizeof(tmpl), &n), 0);
	assert_int_equal(n, 12);
}

static void test_irqs(void **state)
{
	struct rsrc_irq irq[8];
	size_t n;

	assert_int_equal(rsrc_irqs(tmpl, sizeof(tmpl), irq, 8, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(irq[0].irq, 5);
	assert_int_equal(irq[1].irq, 10);
	assert_int_equal(irq[1].flags, RSRC_F_LOW | RSRC_F_SHARED);
	assert_false(irq[1].extended);
	assert_int_equal(irq[2].irq, 3);
	assert_int_equal(irq[3].irq, 9);
	assert_int_equal(irq[4].irq, 33);
	assert_true(irq[4].extended);
	/* fewer slots than interrupts: count still exact */
	assert_int_equal(rsrc_irqs(tmpl, sizeof(tmpl), irq, 2, &n), 0);
	assert_int_equal(n, 5);
}

static void test_truncated(void **state)
{
	struct rsrc_irq irq[8];
	size_t n;

	/* every proper prefix either decodes cleanly up to its end or is refused */
	for (size_t len = 0; len < sizeof(tmpl); len++) {
		int r = rsrc_check(tmpl, len, &n);
		assert_true(r == 0 || r == -E_BADMSG);
	}
	/* cut inside the first descriptor */
	assert_int_equal(rsrc_check(tmpl, 2, &n), -E_BADMSG);
	/* a large header alone */
	static const uint8_t large[] = {0x86, 0x09};
	assert_int_equal(rsrc_check(large, sizeof(large), &n), -E_BADMSG);
	/* a large length past the end */
	static const uint8_t past[] = {0x86, 0xFF, 0xFF, 0x00};
	assert_int_equal(rsrc_check(past, sizeof(past), &n), -E_BADMSG);
	/* Memory32 with the wrong length */
	static const uint8_t m32[] = {0x85, 0x02, 0x00, 0x00, 0x00, 0x79, 0x00};
	assert_int_equal(rsrc_check(m32, sizeof(m32), &n), -E_BADMSG);
	/* Extended Interrupt claiming more numbers than it holds */
	static const uint8_t ext[] = {0x89, 0x06, 0x00, 0x03, 0x02, 0x09, 0x00, 0x00, 0x00};
	assert_int_equal(rsrc_irqs(ext, sizeof(ext), irq, 8, &n), -E_BADMSG);
	/* Extended Interrupt with no numbers */
	static const uint8_t ext0[] = {0x89, 0x02, 0x00, 0x03, 0x00};
	assert_int_equal(rsrc_check(ext0, sizeof(ext0), &n), -E_BADMSG);
	/* IRQ of length 1, End Tag of length 0 */
	static const uint8_t irq1[] = {0x21, 0x00};
	assert_int_equal(rsrc_check(irq1, sizeof(irq1), &n), -E_BADMSG);
	static const uint8_t end0[] = {0x78};
	assert_int_equal(rsrc_check(end0, sizeof(end0), &n), -E_BADMSG);
	/* a template without End Tag ends with its buffer */
	assert_int_equal(rsrc_check(tmpl, 4, &n), 0);
	assert_int_equal(n, 1);
	/* nothing after the End Tag is read */
	static const uint8_t after[] = {0x79, 0x00, 0x86};
	assert_int_equal(rsrc_check(after, sizeof(after), &n), 0);
	assert_int_equal(n, 0);
}

static void test_encode(void **state)
{
	struct rsrc_irq in = {11, RSRC_F_LOW | RSRC_F_SHARED, false}, out[2];
	uint8_t buf[16];
	size_t len, n;

	assert_int_equal(rsrc_encode_irq(&in, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 6);
	static const uint8_t want[] = {0x23, 0x00, 0x08, 0x18, 0x79, 0x00};
	assert_memory_equal(buf, want, 6);
	assert_int_equal(rsrc_irqs(buf, len, out, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].irq, 11);
	assert_int_equal(out[0].flags, in.flags);

	in = (struct rsrc_irq){40, RSRC_F_CONSUMER | RSRC_F_LOW | RSRC_F_SHARED, true};
	assert_int_equal(rsrc_encode_irq(&in, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 11);
	assert_int_equal(rsrc_irqs(buf, len, out, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].irq, 40);
	assert_int_equal(out[0].flags, in.flags);
	assert_true(out[0].extended);

	assert_int_equal(rsrc_encode_irq(&in, buf, 10, &len), -E_NOSPC);
	in = (struct rsrc_irq){16, 0, false};
	assert_int_equal(rsrc_encode_irq(&in, buf, sizeof(buf), &len), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_all),
	    cmocka_unit_test(test_irqs),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
