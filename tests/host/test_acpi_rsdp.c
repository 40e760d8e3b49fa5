/*
 * test_acpi_rsdp.c - rsdp_validate, rsdp_scan, rsdp_root and
 * acpi_root_entries on structures built here: v1 and v2 RSDPs with good and
 * bad checksums, scans over buffers with decoys, RSDT/XSDT entry lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/rsdp.h"
#include "acpi/sdt.h"
#include "base/err.h"

/* Build an RSDP of revision rev at p with both checksums right. */
static void make_rsdp(uint8_t *p, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "REDBR ", 6);
	p[15] = rev;
	memcpy(p + 16, &rsdt, 4);
	if (rev >= 2) {
		uint32_t len = 36;

		memcpy(p + 20, &len, 4);
		memcpy(p + 24, &xsdt, 8);
	}
	p[8] = (uint8_t)(0x100 - acpi_checksum(p, 20));
	if (rev >= 2)
		p[32] = (uint8_t)(0x100 - acpi_checksum(p, 36));
}

static void test_v1(void **state)
{
	uint8_t p[36];
	struct rsdp_info ri;
	bool x = true;

	make_rsdp(p, 0, 0x7FFE0000, 0);
	assert_int_equal(rsdp_validate(p, 20, &ri), 0);
	assert_int_equal(ri.revision, 0);
	assert_int_equal(ri.rsdt_address, 0x7FFE0000);
	assert_int_equal(ri.length, 20);
	assert_int_equal(rsdp_root(&ri, &x), 0x7FFE0000);
	assert_false(x);
	/* bad v1 checksum */
	p[16] ^= 1;
	assert_int_equal(rsdp_validate(p, 20, &ri), -E_BADMSG);
	assert_non_null(strstr(ri.diag.msg, "checksum"));
	/* bad signature, short buffer */
	make_rsdp(p, 0, 1, 0);
	p[0] = 'X';
	assert_int_equal(rsdp_validate(p, 20, &ri), -E_INVAL);
	assert_int_equal(rsdp_validate(p, 19, &ri), -E_INVAL);
}

static void test_v2(void **state)
{
	uint8_t p[36];
	struct rsdp_info ri;
	bool x = false;
	char line[96];

	make_rsdp(p, 2, 0x7FFE0000, 0x17FFE1000ull);
	assert_int_equal(rsdp_validate(p, 36, &ri), 0);
	assert_int_equal(ri.xsdt_address, 0x17FFE1000ull);
	assert_int_equal(rsdp_root(&ri, &x), 0x17FFE1000ull);
	assert_true(x);
	rsdp_summary(&ri, line, sizeof(line));
	assert_non_null(strstr(line, "XSDT"));
	/* v2 needs 36 bytes */
	assert_int_equal(rsdp_validate(p, 20, &ri), -E_INVAL);
	/* bad extended checksum, first 20 bytes still fine */
	p[30] ^= 0x10;
	assert_int_equal(rsdp_validate(p, 36, &ri), -E_BADMSG);
	assert_non_null(strstr(ri.diag.msg, "extended"));
	/* length field that lies */
	make_rsdp(p, 2, 1, 2);
	p[20] = 200;
	p[32] = 0;
	p[32] = (uint8_t)(0x100 - acpi_checksum(p, 36));
	assert_int_equal(rsdp_validate(p, 36, &ri), -E_INVAL);
	/* revision 2 with a zero XSDT address: use the RSDT */
	make_rsdp(p, 2, 0x1234, 0);
	assert_int_equal(rsdp_validate(p, 36, &ri), 0);
	assert_int_equal(rsdp_root(&ri, &x), 0x1234);
	assert_false(x);
}

static void test_scan(void **state)
{
	static uint8_t area[0x20000];
	struct rsdp_info ri;
	size_t off = 0;

	memset(area, 0, sizeof(area));
	assert_int_equal(rsdp_scan(area, sizeof(area), &off, &ri), -E_NOENT);
	/* a decoy with a bad checksum, one off the 16-byte grid, then the real one */
	make_rsdp(area + 0x100, 2, 1, 2);
	area[0x108] ^= 0xff;
	make_rsdp(area + 0x208, 0, 3, 0);
	make_rsdp(area + 0x1F010, 2, 0xAAAA, 0xBBBB);
	assert_int_equal(rsdp_scan(area, sizeof(area), &off, &ri), 0);
	assert_int_equal(off, 0x1F010);
	assert_int_equal(ri.xsdt_address, 0xBBBB);
	/* a candidate at the very end whose v2 part is cut off is not taken */
	assert_int_equal(rsdp_scan(area, 0x1F010 + 30, &off, &ri), -E_NOENT);
	assert_int_equal(rsdp_scan(NULL, 0, &off, &ri), -E_NOENT);
	/* a v1 RSDP in the last 20 bytes is found */
	memset(area, 0, sizeof(area));
	make_rsdp(area + 0x1FFD0, 0, 5, 0);
	assert_int_equal(rsdp_scan(area, 0x1FFD0 + 20, &off, &ri), 0);
	assert_int_equal(off, 0x1FFD0);
}

static size_t make_root(uint8_t *b, const char *sig, int esize, int n)
{
	size_t len = 36 + (size_t)esize * n;
	uint32_t l = (uint32_t)len;

	memset(b, 0, len);
	memcpy(b, sig, 4);
	memcpy(b + 4, &l, 4);
	b[8] = 1;
	for (int i = 0; i < n; i++) {
		uint64_t a = 0x1000ull * (i + 1) + (esize == 8 ? 0x100000000ull : 0);

		memcpy(b + 36 + i * esize, &a, esize);
	}
	b[9] = (uint8_t)(0x100 - acpi_checksum(b, len));
	return len;
}

static void test_root_entries(void **state)
{
	uint8_t b[256];
	uint64_t addrs[8];
	size_t n, len;
	struct acpi_diag dg;

	len = make_root(b, "RSDT", 4, 5);
	assert_int_equal(acpi_root_entries(b, len, addrs, 8, &n, NULL), 0);
	assert_int_equal(n, 5);
	assert_int_equal(addrs[4], 0x5000);

	len = make_root(b, "XSDT", 8, 3);
	assert_int_equal(acpi_root_entries(b, len, addrs, 8, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_int_equal(addrs[0], 0x100001000ull);

	/* more entries than room: the first cap are copied, the count is told */
	len = make_root(b, "RSDT", 4, 12);
	acpi_diag_clear(&dg);
	assert_int_equal(acpi_root_entries(b, len, addrs, 8, &n, &dg), -E_OVERFLOW);
	assert_int_equal(n, 12);
	assert_int_equal(addrs[7], 0x8000);

	/* XSDT length that is not 36 + 8n */
	len = make_root(b, "XSDT", 8, 2);
	b[4] = (uint8_t)(len - 4);
	b[9] = 0;
	b[9] = (uint8_t)(0x100 - acpi_checksum(b, len - 4));
	acpi_diag_clear(&dg);
	assert_int_equal(acpi_root_entries(b, len, addrs, 8, &n, &dg), -E_INVAL);
	assert_non_null(strstr(dg.msg, "36 + 8*n"));

	/* bad checksum, wrong signature, truncated */
	len = make_root(b, "RSDT", 4, 2);
	b[40] ^= 1;
	assert_int_equal(acpi_root_entries(b, len, addrs, 8, &n, NULL), -E_BADMSG);
	len = make_root(b, "FACP", 4, 2);
	assert_int_equal(acpi_root_entries(b, len, addrs, 8, &n, NULL), -E_INVAL);
	len = make_root(b, "RSDT", 4, 2);
	assert_int_equal(acpi_root_entries(b, len - 1, addrs, 8, &n, NULL), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_v1),
	    cmocka_unit_test(test_v2),
	    cmocka_unit_test(test_scan),
	    cmocka_unit_test(test_root_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
