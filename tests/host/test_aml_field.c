/*
 * test_aml_field.c - Field, IndexField and BankField accesses through a fake
 * region handler that records every access: access widths and offsets per
 * access type, the Preserve/WriteAsOnes/WriteAsZeros update rules, index
 * and bank register writes, the region length limit, and an address space
 * the host refuses (EmbeddedControl) failing cleanly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "aml/aml.h"
#include "base/err.h"

/*
 * DefinitionBlock ("", "DSDT", 2, "RBOS", "FIELD", 1)
 * {
 *     OperationRegion (MEMR, SystemMemory, 0x1000, 0x20)
 *     Field (MEMR, WordAcc, NoLock, Preserve) { F0, 4, F1, 8, , 4, F2, 16 }
 *     Field (MEMR, ByteAcc, NoLock, WriteAsOnes) { Offset (8), B0, 3 }
 *     Field (MEMR, DWordAcc, NoLock, WriteAsZeros) { Offset (12), D0, 8 }
 *     Field (MEMR, QWordAcc, NoLock, Preserve) { Offset (16), Q0, 64 }
 *     Field (MEMR, ByteAcc, NoLock, Preserve) { Offset (30), OVR, 32 }
 *     OperationRegion (IOR, SystemIO, 0x80, 4)
 *     Field (IOR, ByteAcc, NoLock, Preserve) { IDX, 8, DAT, 8, BNK, 8 }
 *     IndexField (IDX, DAT, ByteAcc, NoLock, Preserve) { Offset (2), IF0, 8 }
 *     BankField (MEMR, BNK, 3, ByteAcc, NoLock, Preserve) { Offset (24), BF0, 8 }
 *     OperationRegion (ECR, EmbeddedControl, 0, 0x10)
 *     Field (ECR, ByteAcc, NoLock, Preserve) { EC0, 8 }
 *     Method (WF1) { F1 = 0xAB }
 *     Method (RF2) { Return (F2) }
 *     Method (WB0) { B0 = 5 }
 *     Method (WD0) { D0 = 0x5A }
 *     Method (WQ0) { Q0 = 0x1122334455667788 }
 *     Method (ROVR) { Return (OVR) }
 *     Method (WIF) { IF0 = 0x77 }
 *     Method (WBF) { BF0 = 0x66 }
 *     Method (REC) { Return (EC0) }
 * }
 */
static const unsigned char field_aml[] = {
    0x44, 0x53, 0x44, 0x54, 0x6c, 0x01, 0x00, 0x00, 0x02, 0xfc, 0x52, 0x42, 0x4f, 0x53, 0x00, 0x00,
    0x46, 0x49, 0x45, 0x4c, 0x44, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x49, 0x4e, 0x54, 0x4c,
    0x25, 0x09, 0x20, 0x20, 0x5b, 0x80, 0x4d, 0x45, 0x4d, 0x52, 0x00, 0x0b, 0x00, 0x10, 0x0a, 0x20,
    0x5b, 0x81, 0x17, 0x4d, 0x45, 0x4d, 0x52, 0x02, 0x46, 0x30, 0x5f, 0x5f, 0x04, 0x46, 0x31, 0x5f,
    0x5f, 0x08, 0x00, 0x04, 0x46, 0x32, 0x5f, 0x5f, 0x10, 0x5b, 0x81, 0x0e, 0x4d, 0x45, 0x4d, 0x52,
    0x21, 0x00, 0x40, 0x04, 0x42, 0x30, 0x5f, 0x5f, 0x03, 0x5b, 0x81, 0x0e, 0x4d, 0x45, 0x4d, 0x52,
    0x43, 0x00, 0x40, 0x06, 0x44, 0x30, 0x5f, 0x5f, 0x08, 0x5b, 0x81, 0x0f, 0x4d, 0x45, 0x4d, 0x52,
    0x04, 0x00, 0x40, 0x08, 0x51, 0x30, 0x5f, 0x5f, 0x40, 0x04, 0x5b, 0x81, 0x0e, 0x4d, 0x45, 0x4d,
    0x52, 0x01, 0x00, 0x40, 0x0f, 0x4f, 0x56, 0x52, 0x5f, 0x20, 0x5b, 0x80, 0x49, 0x4f, 0x52, 0x5f,
    0x01, 0x0a, 0x80, 0x0a, 0x04, 0x5b, 0x81, 0x15, 0x49, 0x4f, 0x52, 0x5f, 0x01, 0x49, 0x44, 0x58,
    0x5f, 0x08, 0x44, 0x41, 0x54, 0x5f, 0x08, 0x42, 0x4e, 0x4b, 0x5f, 0x08, 0x5b, 0x86, 0x11, 0x49,
    0x44, 0x58, 0x5f, 0x44, 0x41, 0x54, 0x5f, 0x01, 0x00, 0x10, 0x49, 0x46, 0x30, 0x5f, 0x08, 0x5b,
    0x87, 0x14, 0x4d, 0x45, 0x4d, 0x52, 0x42, 0x4e, 0x4b, 0x5f, 0x0a, 0x03, 0x01, 0x00, 0x40, 0x0c,
    0x42, 0x46, 0x30, 0x5f, 0x08, 0x5b, 0x80, 0x45, 0x43, 0x52, 0x5f, 0x03, 0x0a, 0x00, 0x0a, 0x10,
    0x5b, 0x81, 0x0b, 0x45, 0x43, 0x52, 0x5f, 0x01, 0x45, 0x43, 0x30, 0x5f, 0x08, 0x14, 0x0d, 0x57,
    0x46, 0x31, 0x5f, 0x00, 0x70, 0x0a, 0xab, 0x46, 0x31, 0x5f, 0x5f, 0x14, 0x0b, 0x52, 0x46, 0x32,
    0x5f, 0x00, 0xa4, 0x46, 0x32, 0x5f, 0x5f, 0x14, 0x0d, 0x57, 0x42, 0x30, 0x5f, 0x00, 0x70, 0x0a,
    0x05, 0x42, 0x30, 0x5f, 0x5f, 0x14, 0x0d, 0x57, 0x44, 0x30, 0x5f, 0x00, 0x70, 0x0a, 0x5a, 0x44,
    0x30, 0x5f, 0x5f, 0x14, 0x14, 0x57, 0x51, 0x30, 0x5f, 0x00, 0x70, 0x0e, 0x88, 0x77, 0x66, 0x55,
    0x44, 0x33, 0x22, 0x11, 0x51, 0x30, 0x5f, 0x5f, 0x14, 0x0b, 0x52, 0x4f, 0x56, 0x52, 0x00, 0xa4,
    0x4f, 0x56, 0x52, 0x5f, 0x14, 0x0d, 0x57, 0x49, 0x46, 0x5f, 0x00, 0x70, 0x0a, 0x77, 0x49, 0x46,
    0x30, 0x5f, 0x14, 0x0d, 0x57, 0x42, 0x46, 0x5f, 0x00, 0x70, 0x0a, 0x66, 0x42, 0x46, 0x30, 0x5f,
    0x14, 0x0b, 0x52, 0x45, 0x43, 0x5f, 0x00, 0xa4, 0x45, 0x43, 0x30, 0x5f,
};

struct access {
	unsigned space, width;
	uint64_t addr, val;
	bool write;
};

static struct access log_[64];
static int nacc;
static uint8_t mem[0x40]; /* SystemMemory 0x1000.. */

static void *t_alloc(void *ctx, size_t n)
{
	return test_malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
	test_free(p);
}

static int t_read(void *ctx, const struct aml_access *a, uint64_t *v)
{
	if (a->space == AML_SPACE_EC)
		return -E_NOTSUP;
	*v = 0;
	if (a->space == AML_SPACE_MEMORY)
		for (unsigned i = 0; i < a->width / 8; i++)
			*v |= (uint64_t)mem[a->address - 0x1000 + i] << (8 * i);
	if (nacc < 64)
		log_[nacc++] = (struct access){a->space, a->width, a->address, *v, false};
	return 0;
}

static int t_write(void *ctx, const struct aml_access *a, uint64_t v)
{
	if (a->space == AML_SPACE_EC)
		return -E_NOTSUP;
	if (a->space == AML_SPACE_MEMORY)
		for (unsigned i = 0; i < a->width / 8; i++)
			mem[a->address - 0x1000 + i] = (uint8_t)(v >> (8 * i));
	if (nacc < 64)
		log_[nacc++] = (struct access){a->space, a->width, a->address, v, true};
	return 0;
}

static const struct aml_host host = {
    .alloc = t_alloc,
    .free = t_free,
    .region_read = t_read,
    .region_write = t_write,
};

static struct aml *setup(void)
{
	struct aml *aml;

	memset(mem, 0, sizeof(mem));
	nacc = 0;
	assert_int_equal(aml_create(&host, &aml), 0);
	assert_int_equal(aml_load_table(aml, field_aml, sizeof(field_aml), NULL), 0);
	return aml;
}

static int run(struct aml *aml, const char *path, uint64_t *out)
{
	struct aml_value v;
	int err;

	nacc = 0;
	err = aml_eval(aml, path, NULL, 0, &v);
	if (!err && out)
		*out = v.integer;
	if (!err)
		aml_value_free(aml, &v);
	return err;
}

static void check(int i, unsigned space, bool write, unsigned width, uint64_t addr, uint64_t val)
{
	assert_true(i < nacc);
	assert_int_equal(log_[i].space, space);
	assert_int_equal(log_[i].write, write);
	assert_int_equal(log_[i].width, width);
	assert_int_equal(log_[i].addr, addr);
	assert_int_equal(log_[i].val, val);
}

static void test_preserve_read_modify_write(void **state)
{
	struct aml *aml = setup();

	mem[0] = 0x0F;
	mem[1] = 0xF0;
	assert_int_equal(run(aml, "\\WF1", NULL), 0);
	assert_int_equal(nacc, 2);
	check(0, AML_SPACE_MEMORY, false, 16, 0x1000, 0xF00F);
	check(1, AML_SPACE_MEMORY, true, 16, 0x1000, 0xFABF);
	aml_destroy(aml);
}

static void test_read_width_and_offset(void **state)
{
	struct aml *aml = setup();
	uint64_t v = 0;

	mem[2] = 0x34;
	mem[3] = 0x12;
	assert_int_equal(run(aml, "\\RF2", &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(nacc, 1);
	check(0, AML_SPACE_MEMORY, false, 16, 0x1002, 0x1234);
	aml_destroy(aml);
}

static void test_update_rules(void **state)
{
	struct aml *aml = setup();

	assert_int_equal(run(aml, "\\WB0", NULL), 0); /* WriteAsOnes, byte */
	assert_int_equal(nacc, 1);
	check(0, AML_SPACE_MEMORY, true, 8, 0x1008, 0xFD);
	assert_int_equal(run(aml, "\\WD0", NULL), 0); /* WriteAsZeros, dword */
	assert_int_equal(nacc, 1);
	check(0, AML_SPACE_MEMORY, true, 32, 0x100C, 0x5A);
	assert_int_equal(run(aml, "\\WQ0", NULL), 0); /* whole qword: no read */
	assert_int_equal(nacc, 1);
	check(0, AML_SPACE_MEMORY, true, 64, 0x1010, 0x1122334455667788ull);
	aml_destroy(aml);
}

static void test_index_and_bank_fields(void **state)
{
	struct aml *aml = setup();

	assert_int_equal(run(aml, "\\WIF", NULL), 0);
	assert_int_equal(nacc, 2);
	check(0, AML_SPACE_IO, true, 8, 0x80, 2);    /* index register */
	check(1, AML_SPACE_IO, true, 8, 0x81, 0x77); /* data register */
	assert_int_equal(run(aml, "\\WBF", NULL), 0);
	assert_int_equal(nacc, 2);
	check(0, AML_SPACE_IO, true, 8, 0x82, 3); /* bank select */
	check(1, AML_SPACE_MEMORY, true, 8, 0x1018, 0x66);
	aml_destroy(aml);
}

static void test_region_limit_and_refused_space(void **state)
{
	struct aml *aml = setup();

	assert_int_equal(run(aml, "\\ROVR", NULL), -E_RANGE);
	assert_non_null(strstr(aml_last_error(aml), "\\ROVR"));
	assert_int_equal(run(aml, "\\REC", NULL), -E_NOTSUP);
	assert_non_null(strstr(aml_last_error(aml), "region access refused"));
	aml_destroy(aml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_preserve_read_modify_write),
	    cmocka_unit_test(test_read_width_and_offset),
	    cmocka_unit_test(test_update_rules),
	    cmocka_unit_test(test_index_and_bank_fields),
	    cmocka_unit_test(test_region_limit_and_refused_space),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
