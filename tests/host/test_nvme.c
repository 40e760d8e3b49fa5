/*
 * test_nvme.c - the NVMe data structures (lib/nvme): CAP unpacking, CC
 * and AQA values, doorbell offsets with strides, submission entries
 * packed byte by byte against NVMe 1.4 §4.2 and the admin/NVM command
 * layouts, completion entries and the phase-bit consumer across wraps,
 * PRP lists for one, two and many pages (with and without an offset into
 * the first page), and Identify Controller/Namespace data built here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "nvme/nvme.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_cap_cc_doorbells(void **state)
{
	/* QEMU's CAP: MQES 2047, CQR, TO 15, DSTRD 0, CSS NVM, MPSMIN 0, MPSMAX 4. */
	uint64_t cap = 0x7ffull | 1ull << 16 | 15ull << 24 | 1ull << 37 | 4ull << 52;
	struct nvme_cap c;
	nvme_cap_parse(cap, &c);
	assert_int_equal(c.mqes, 2048);
	assert_true(c.cqr);
	assert_int_equal(c.to_ms, 7500);
	assert_int_equal(c.dstrd, 0);
	assert_true(c.css_nvm);
	assert_int_equal(c.mpsmin, 0);
	assert_int_equal(c.mpsmax, 4);
	nvme_cap_parse(0xffffull | 3ull << 32, &c);
	assert_int_equal(c.mqes, 65536);
	assert_int_equal(c.dstrd, 3);
	assert_false(c.css_nvm);

	assert_int_equal(nvme_cc_enable(), 0x00460001);
	assert_int_equal(nvme_aqa(32, 16), 0x000f001f);

	assert_int_equal(nvme_doorbell(0, false, 0), 0x1000);
	assert_int_equal(nvme_doorbell(0, true, 0), 0x1004);
	assert_int_equal(nvme_doorbell(1, false, 0), 0x1008);
	assert_int_equal(nvme_doorbell(1, true, 0), 0x100c);
	assert_int_equal(nvme_doorbell(1, true, 2), 0x1000 + 3 * 16);
}

static void test_sqe_pack(void **state)
{
	uint8_t e[NVME_SQE_SIZE];
	struct nvme_cmd c;
	nvme_cmd_rw(&c, NVME_CMD_WRITE, 0x1234, 1, 0x123456789aull, 8, 0x1000200, 0x3000);
	memset(e, 0xee, sizeof e);
	nvme_sqe_pack(&c, e);
	assert_int_equal(le32(e), 0x12340001);
	assert_int_equal(le32(e + 4), 1);
	assert_int_equal(le64(e + 8), 0);  /* CDW2-3 */
	assert_int_equal(le64(e + 16), 0); /* MPTR */
	assert_int_equal(le64(e + 24), 0x1000200);
	assert_int_equal(le64(e + 32), 0x3000);
	assert_int_equal(le32(e + 40), 0x3456789a);
	assert_int_equal(le32(e + 44), 0x12);
	assert_int_equal(le32(e + 48), 7); /* NLB is 0-based */
	for (unsigned i = 52; i < 64; i++)
		assert_int_equal(e[i], 0);

	nvme_cmd_identify(&c, 3, NVME_CNS_NS, 1, 0xabc000);
	nvme_sqe_pack(&c, e);
	assert_int_equal(le32(e), 0x00030006);
	assert_int_equal(le32(e + 4), 1);
	assert_int_equal(le64(e + 24), 0xabc000);
	assert_int_equal(le32(e + 40), 0);
	nvme_cmd_identify(&c, 3, NVME_CNS_CTRL, 0, 0xabc000);
	nvme_sqe_pack(&c, e);
	assert_int_equal(le32(e + 40), 1);

	nvme_cmd_create_cq(&c, 4, 1, 64, 0x5000, 1, true);
	nvme_sqe_pack(&c, e);
	assert_int_equal(le32(e), 0x00040005);
	assert_int_equal(le32(e + 40), 63u << 16 | 1);
	assert_int_equal(le32(e + 44), 1u << 16 | 3);
	nvme_cmd_create_cq(&c, 4, 1, 64, 0x5000, 0, false);
	nvme_sqe_pack(&c, e);
	assert_int_equal(le32(e + 44), 1);

	nvme_cmd_create_sq(&c, 5, 1, 64, 0x6000, 1);
	nvme_sqe_pack(&c, e);
	assert_int_equal(le32(e), 0x00050001);
	assert_int_equal(le32(e + 40), 63u << 16 | 1);
	assert_int_equal(le32(e + 44), 1u << 16 | 1);
	assert_int_equal(le64(e + 24), 0x6000);
}

/* A completion entry: dw0, sqhd, sqid, cid, phase, status. */
static void cqe(uint8_t *e, uint32_t dw0, uint16_t sqhd, uint16_t cid, bool phase, uint16_t st)
{
	memset(e, 0, NVME_CQE_SIZE);
	put32(e, dw0);
	put32(e + 8, sqhd | 1u << 16);
	put32(e + 12, cid | (phase ? 1u : 0u) << 16 | (uint32_t)st << 17);
}

static void test_cqe_and_phase(void **state)
{
	uint8_t ring[4 * NVME_CQE_SIZE] = {0};
	struct nvme_cq q;
	struct nvme_cqe e;
	nvme_cq_init(&q, 4);
	assert_false(nvme_cq_pop(&q, ring, &e)); /* zeroed: nothing new */
	cqe(ring, 0xdeadbeef, 7, 2, true, 0x102);
	assert_true(nvme_cq_pop(&q, ring, &e));
	assert_int_equal(e.dw0, 0xdeadbeef);
	assert_int_equal(e.sqhd, 7);
	assert_int_equal(e.sqid, 1);
	assert_int_equal(e.cid, 2);
	assert_true(e.phase);
	assert_int_equal(nvme_status_sc(e.status), 2);
	assert_int_equal(nvme_status_sct(e.status), 1);
	assert_false(nvme_cq_pop(&q, ring, &e));
	for (unsigned i = 1; i < 4; i++)
		cqe(ring + i * NVME_CQE_SIZE, 0, 0, (uint16_t)i, true, 0);
	for (unsigned i = 1; i < 4; i++) {
		assert_true(nvme_cq_pop(&q, ring, &e));
		assert_int_equal(e.cid, i);
	}
	/* Wrapped: the old entries (phase 1) are not new any more. */
	assert_int_equal(q.head, 0);
	assert_false(q.phase);
	assert_false(nvme_cq_pop(&q, ring, &e));
	cqe(ring, 0, 0, 9, false, 0);
	assert_true(nvme_cq_pop(&q, ring, &e));
	assert_int_equal(e.cid, 9);
	assert_int_equal(q.head, 1);
	assert_false(nvme_cq_pop(&q, ring, &e));

	struct nvme_sq s = {3, 0};
	assert_int_equal(nvme_sq_push(&s), 1);
	assert_int_equal(nvme_sq_push(&s), 2);
	assert_int_equal(nvme_sq_push(&s), 0);
}

static void test_prp(void **state)
{
	uint64_t list[512], p1, p2;
	const uint64_t lb = 0x9000;
	/* One page. */
	assert_int_equal(nvme_prp_build(0x100000, 4096, lb, list, 512, &p1, &p2), 0);
	assert_int_equal(p1, 0x100000);
	assert_int_equal(p2, 0);
	assert_int_equal(nvme_prp_build(0x100200, 512, lb, list, 512, &p1, &p2), 0);
	assert_int_equal(p1, 0x100200);
	assert_int_equal(p2, 0);
	/* Two pages: an offset, or exactly 8 KiB aligned. */
	assert_int_equal(nvme_prp_build(0x100e00, 1024, lb, list, 512, &p1, &p2), 0);
	assert_int_equal(p1, 0x100e00);
	assert_int_equal(p2, 0x101000);
	assert_int_equal(nvme_prp_build(0x100000, 8192, lb, list, 512, &p1, &p2), 0);
	assert_int_equal(p2, 0x101000);
	/* Three pages and up: a list. */
	list[2] = 0x5a5a;
	assert_int_equal(nvme_prp_build(0x100000, 8193, lb, list, 512, &p1, &p2), 0);
	assert_int_equal(p1, 0x100000);
	assert_int_equal(p2, lb);
	assert_int_equal(list[0], 0x101000);
	assert_int_equal(list[1], 0x102000);
	assert_int_equal(list[2], 0x5a5a); /* untouched */
	/* 64 KiB from an offset of 512: 17 pages, 16 in the list. */
	assert_int_equal(nvme_prp_build(0x200200, 65536, lb, list, 512, &p1, &p2), 0);
	assert_int_equal(p1, 0x200200);
	assert_int_equal(p2, lb);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(list[i], 0x201000 + 0x1000ull * i);
	/* Errors. */
	assert_int_equal(nvme_prp_build(0x100000, 0, lb, list, 512, &p1, &p2), -E_INVAL);
	assert_int_equal(nvme_prp_build(0x100002, 8, lb, list, 512, &p1, &p2), -E_INVAL);
	assert_int_equal(nvme_prp_build(0x100000, 16384, 0x9008, list, 512, &p1, &p2), -E_INVAL);
	assert_int_equal(nvme_prp_build(0x100000, 16384, lb, list, 2, &p1, &p2), -E_NOSPC);
	assert_int_equal(nvme_prp_build(0x100000, 12288, lb, list, 2, &p1, &p2), 0);
}

static void test_id_ctrl(void **state)
{
	static uint8_t b[4096];
	struct nvme_id_ctrl c;
	memset(b, 0, sizeof b);
	b[0] = 0x86;
	b[1] = 0x80;
	memcpy(b + 4, "rb0                 ", 20);
	memcpy(b + 24, "QEMU NVMe Ctrl                          ", 40);
	memcpy(b + 64, "9.0.0   ", 8);
	b[77] = 7;
	b[512] = 0x66;
	b[513] = 0x44;
	put32(b + 516, 256);
	b[525] = 1;
	assert_int_equal(nvme_id_ctrl_parse(b, sizeof b, &c), 0);
	assert_int_equal(c.vid, 0x8086);
	assert_string_equal(c.sn, "rb0");
	assert_string_equal(c.mn, "QEMU NVMe Ctrl");
	assert_string_equal(c.fr, "9.0.0");
	assert_int_equal(c.mdts, 7);
	assert_int_equal(c.nn, 256);
	assert_true(c.vwc);
	b[4] = 0x01; /* not printable */
	assert_int_equal(nvme_id_ctrl_parse(b, sizeof b, &c), 0);
	assert_string_equal(c.sn, "?b0");
	b[512] = 0x77; /* requires 128-byte submission entries */
	assert_int_equal(nvme_id_ctrl_parse(b, sizeof b, &c), -E_INVAL);
	b[512] = 0x66;
	b[513] = 0x33; /* at most 8-byte completion entries */
	assert_int_equal(nvme_id_ctrl_parse(b, sizeof b, &c), -E_INVAL);
	b[513] = 0x44;
	assert_int_equal(nvme_id_ctrl_parse(b, 4095, &c), -E_INVAL);
}

static void test_num_queues(void **state)
{
	struct nvme_cmd c;
	uint8_t e[NVME_SQE_SIZE];
	nvme_cmd_set_num_queues(&c, 3, 4, 4);
	nvme_sqe_pack(&c, e);
	assert_int_equal(e[0], NVME_ADM_SET_FEATURES);
	assert_int_equal(le32(e) >> 16, 3); /* CID */
	assert_int_equal(le32(e + 40), NVME_FEAT_NUM_QUEUES);
	assert_int_equal(le32(e + 44), 3u << 16 | 3u); /* 0-based */
	nvme_cmd_set_num_queues(&c, 0, 0, 70000);      /* clamped to 1 and 65535 */
	assert_int_equal(c.cdw11, 65534u << 16 | 0u);
	assert_int_equal(nvme_num_queues_granted(0x00030003), 4);
	assert_int_equal(nvme_num_queues_granted(0x00010007), 2); /* fewer CQs than SQs */
	assert_int_equal(nvme_num_queues_granted(0xffffffff), 65536);
	/* one per CPU, bounded by vectors, the grant and the driver's maximum */
	assert_int_equal(nvme_queue_count(4, 4, 64, 16), 4);
	assert_int_equal(nvme_queue_count(4, 2, 64, 16), 2);
	assert_int_equal(nvme_queue_count(8, 32, 3, 16), 3);
	assert_int_equal(nvme_queue_count(64, 32, 64, 16), 16);
	assert_int_equal(nvme_queue_count(0, 0, 0, 0), 1);
	assert_int_equal(nvme_queue_count(1, 1, 65536, 16), 1);
}

static void test_id_ns(void **state)
{
	static uint8_t b[4096];
	struct nvme_id_ns ns;
	memset(b, 0, sizeof b);
	put32(b, 16384);
	put32(b + 8, 16384);
	b[25] = 1;		       /* two formats */
	put32(b + 128, 9u << 16);      /* 512 */
	put32(b + 132, 12u << 16 | 0); /* 4096 */
	assert_int_equal(nvme_id_ns_parse(b, sizeof b, &ns), 0);
	assert_int_equal(ns.nsze, 16384);
	assert_int_equal(ns.block_size, 512);
	assert_int_equal(ns.lbaf, 0);
	b[26] = 1;
	assert_int_equal(nvme_id_ns_parse(b, sizeof b, &ns), 0);
	assert_int_equal(ns.block_size, 4096);
	b[26] = 2; /* beyond NLBAF */
	assert_int_equal(nvme_id_ns_parse(b, sizeof b, &ns), -E_INVAL);
	b[26] = 0;
	put32(b + 128, 9u << 16 | 8); /* 8 bytes of metadata */
	assert_int_equal(nvme_id_ns_parse(b, sizeof b, &ns), -E_NOTSUP);
	put32(b + 128, 13u << 16);
	assert_int_equal(nvme_id_ns_parse(b, sizeof b, &ns), -E_INVAL);
	put32(b + 128, 9u << 16);
	put32(b, 0); /* inactive namespace: zeroes */
	assert_int_equal(nvme_id_ns_parse(b, sizeof b, &ns), -E_INVAL);
	put32(b, 1);
	assert_int_equal(nvme_id_ns_parse(b, 100, &ns), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap_cc_doorbells), cmocka_unit_test(test_sqe_pack),
	    cmocka_unit_test(test_cqe_and_phase),    cmocka_unit_test(test_prp),
	    cmocka_unit_test(test_id_ctrl),	     cmocka_unit_test(test_id_ns),
	    cmocka_unit_test(test_num_queues),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
