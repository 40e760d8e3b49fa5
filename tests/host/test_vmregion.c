/*
 * test_vmregion.c - the address-space region list: insert and overlap
 * refusal, lookup, overlap, first-fit gaps with guard pages, removal that
 * cuts regions (head, tail, hole, several at once, physical offsets) and
 * protection changes that split at the edges, replacing a range by one
 * region (the room it needs: none when it swallows a whole region), and
 * running out of slots.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "mm/vmregion.h"

#define PG VMR_PAGE

static struct vm_region store[8];
static struct vm_regions l;

static void add(uint64_t start, uint64_t len, uint32_t prot, uint32_t kind, uint64_t paddr)
{
	struct vm_region r = {
	    .start = start, .len = len, .paddr = paddr, .prot = prot, .kind = kind};
	assert_int_equal(vmr_insert(&l, &r), 0);
}

static void expect(size_t i, uint64_t start, uint64_t len, uint32_t prot)
{
	assert_true(i < l.n);
	assert_int_equal(l.r[i].start, start);
	assert_int_equal(l.r[i].len, len);
	assert_int_equal(l.r[i].prot, prot);
}

static int setup(void **state)
{
	vmr_init(&l, store, 8);
	return 0;
}

static void test_insert_find(void **state)
{
	add(10 * PG, 2 * PG, 3, VM_ANON, 0);
	add(2 * PG, PG, 1, VM_ANON, 0);
	add(20 * PG, 4 * PG, 2, VM_ANON, 0);
	assert_int_equal(l.n, 3);
	expect(0, 2 * PG, PG, 1);
	expect(1, 10 * PG, 2 * PG, 3);
	assert_null(vmr_find(&l, PG));
	assert_ptr_equal(vmr_find(&l, 2 * PG), &l.r[0]);
	assert_ptr_equal(vmr_find(&l, 3 * PG - 1), &l.r[0]);
	assert_null(vmr_find(&l, 3 * PG));
	assert_ptr_equal(vmr_find(&l, 11 * PG + 5), &l.r[1]);
	assert_null(vmr_find(&l, 24 * PG));
	struct vm_region bad = {.start = 11 * PG, .len = 2 * PG};
	assert_int_equal(vmr_insert(&l, &bad), -E_INVAL); /* overlaps */
	bad = (struct vm_region){.start = 5 * PG, .len = 0};
	assert_int_equal(vmr_insert(&l, &bad), -E_INVAL);
	bad = (struct vm_region){.start = 5 * PG + 1, .len = PG};
	assert_int_equal(vmr_insert(&l, &bad), -E_INVAL);
	assert_int_equal(l.n, 3);
}

static void test_overlaps(void **state)
{
	add(10 * PG, 2 * PG, 3, VM_ANON, 0);
	add(12 * PG, 2 * PG, 1, VM_ANON, 0);
	add(20 * PG, PG, 1, VM_ANON, 0);
	assert_true(vmr_overlaps(&l, 13 * PG, 10 * PG));
	assert_false(vmr_overlaps(&l, 14 * PG, 6 * PG));
	assert_true(vmr_overlaps(&l, 0, 11 * PG));
}

static void test_gap(void **state)
{
	uint64_t a;
	assert_int_equal(vmr_find_gap(&l, 16 * PG, 1000 * PG, 4 * PG, PG, &a), 0);
	assert_int_equal(a, 16 * PG);
	add(16 * PG, 4 * PG, 3, VM_ANON, 0);
	add(30 * PG, 4 * PG, 3, VM_ANON, 0);
	assert_int_equal(vmr_find_gap(&l, 16 * PG, 1000 * PG, 4 * PG, PG, &a), 0);
	assert_int_equal(a, 21 * PG); /* one guard page after the first */
	assert_int_equal(vmr_find_gap(&l, 16 * PG, 1000 * PG, 9 * PG, PG, &a), 0);
	assert_int_equal(a, 35 * PG); /* 21..29 leaves no guard before 30 */
	assert_int_equal(vmr_find_gap(&l, 16 * PG, 1000 * PG, 8 * PG, PG, &a), 0);
	assert_int_equal(a, 21 * PG);
	assert_int_equal(vmr_find_gap(&l, 16 * PG, 44 * PG, 10 * PG, PG, &a), -E_NOMEM);
	assert_int_equal(vmr_find_gap(&l, 16 * PG, 45 * PG, 10 * PG, PG, &a), 0);
	assert_int_equal(a, 35 * PG);
	/* A base inside a region's guard moves past it. */
	assert_int_equal(vmr_find_gap(&l, 34 * PG, 1000 * PG, PG, PG, &a), 0);
	assert_int_equal(a, 35 * PG);
}

static void test_remove_cuts(void **state)
{
	add(10 * PG, 10 * PG, 3, VM_ANON, 0);
	assert_int_equal(vmr_remove(&l, 12 * PG, 2 * PG), 0); /* a hole */
	assert_int_equal(l.n, 2);
	expect(0, 10 * PG, 2 * PG, 3);
	expect(1, 14 * PG, 6 * PG, 3);
	assert_int_equal(vmr_remove(&l, 8 * PG, 3 * PG), 0); /* the head */
	expect(0, 11 * PG, PG, 3);
	assert_int_equal(vmr_remove(&l, 19 * PG, 5 * PG), 0); /* the tail */
	expect(1, 14 * PG, 5 * PG, 3);
	assert_int_equal(vmr_remove(&l, 11 * PG, 4 * PG), 0); /* one whole, one head */
	assert_int_equal(l.n, 1);
	expect(0, 15 * PG, 4 * PG, 3);
	assert_int_equal(vmr_remove(&l, 0, 100 * PG), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(vmr_remove(&l, 0, 100 * PG), 0); /* nothing there: fine */
}

static void test_remove_phys_offset(void **state)
{
	add(10 * PG, 4 * PG, 1, VM_PHYS, 0xfe000000);
	assert_int_equal(vmr_remove(&l, 10 * PG, PG), 0);
	assert_int_equal(l.r[0].paddr, 0xfe000000 + PG);
	assert_int_equal(vmr_remove(&l, 12 * PG, PG), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.r[1].start, 13 * PG);
	assert_int_equal(l.r[1].paddr, 0xfe000000 + 3 * PG);
	assert_int_equal(l.r[0].paddr, 0xfe000000 + PG);
}

/* A file region's offset moves with its start, and its tag stays with both parts. */
static void test_file_offset_and_tag(void **state)
{
	struct vm_region r = {
	    .start = 10 * PG, .len = 6 * PG, .paddr = 8 * PG, .prot = 1, .kind = VM_FILE, .obj = 7};
	assert_int_equal(vmr_insert(&l, &r), 0);
	assert_int_equal(vmr_remove(&l, 10 * PG, PG), 0);
	assert_int_equal(l.r[0].paddr, 9 * PG);
	assert_int_equal(vmr_protect(&l, 13 * PG, PG, 3), 0); /* cut in three */
	assert_int_equal(l.n, 3);
	assert_int_equal(l.r[1].start, 13 * PG);
	assert_int_equal(l.r[1].paddr, 11 * PG);
	assert_int_equal(l.r[2].paddr, 12 * PG);
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.r[i].obj, 7);
}

static void test_protect_splits(void **state)
{
	add(10 * PG, 10 * PG, 3, VM_ANON, 0);
	add(22 * PG, 2 * PG, 3, VM_ANON, 0);
	assert_int_equal(vmr_protect(&l, 12 * PG, 2 * PG, 1), 0);
	assert_int_equal(l.n, 4);
	expect(0, 10 * PG, 2 * PG, 3);
	expect(1, 12 * PG, 2 * PG, 1);
	expect(2, 14 * PG, 6 * PG, 3);
	assert_int_equal(vmr_protect(&l, 15 * PG, 8 * PG, 5), 0); /* spans a gap */
	assert_int_equal(l.n, 6);
	expect(2, 14 * PG, PG, 3);
	expect(3, 15 * PG, 5 * PG, 5);
	expect(4, 22 * PG, PG, 5);
	expect(5, 23 * PG, PG, 3);
}

static void test_full(void **state)
{
	for (int i = 0; i < 8; i++)
		add((uint64_t)(10 + 10 * i) * PG, 4 * PG, 3, VM_ANON, 0);
	struct vm_region r = {.start = 200 * PG, .len = PG};
	assert_int_equal(vmr_insert(&l, &r), -E_NOMEM);
	assert_int_equal(vmr_remove(&l, 11 * PG, PG), -E_NOMEM); /* a hole needs a slot */
	assert_int_equal(vmr_protect(&l, 11 * PG, PG, 1), -E_NOMEM);
	assert_int_equal(l.n, 8);
	expect(0, 10 * PG, 4 * PG, 3);
	assert_int_equal(vmr_remove(&l, 12 * PG, 10 * PG), 0); /* trims need none */
	assert_int_equal(l.n, 8);
	expect(0, 10 * PG, 2 * PG, 3);
	expect(1, 22 * PG, 2 * PG, 3);
	assert_int_equal(vmr_remove(&l, 30 * PG, 4 * PG), 0);
	assert_int_equal(l.n, 7);
	/* Moving to bigger storage keeps the contents. */
	static struct vm_region big[16];
	vmr_move(&l, big, 16);
	expect(0, 10 * PG, 2 * PG, 3);
	assert_int_equal(vmr_remove(&l, 22 * PG, PG), 0);
	expect(1, 23 * PG, PG, 3);
	vmr_init(&l, store, 8);
}

/* With no free slot, replacing a whole region (munmap's hold over a
   mapping) still works; a hole or a gap needs room and changes nothing. */
static void test_replace(void **state)
{
	for (int i = 0; i < 8; i++)
		add((uint64_t)(10 + 10 * i) * PG, 4 * PG, 3, VM_ANON, 0);
	struct vm_region hold = {.start = 11 * PG, .len = PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), -E_NOMEM); /* a hole: two more */
	hold = (struct vm_region){.start = 15 * PG, .len = 2 * PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), -E_NOMEM); /* a gap: one more */
	hold = (struct vm_region){.start = 12 * PG, .len = 10 * PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), -E_NOMEM); /* a tail and a head */
	assert_int_equal(l.n, 8);
	expect(0, 10 * PG, 4 * PG, 3);
	expect(1, 20 * PG, 4 * PG, 3);
	hold = (struct vm_region){.start = 20 * PG, .len = 4 * PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), 0); /* exactly one region */
	assert_int_equal(l.n, 8);
	expect(1, 20 * PG, 4 * PG, 0);
	assert_int_equal(l.r[1].kind, VM_UNMAPPING);
	hold = (struct vm_region){.start = 12 * PG, .len = 22 * PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), 0); /* a tail and two whole */
	assert_int_equal(l.n, 7);
	expect(0, 10 * PG, 2 * PG, 3);
	expect(1, 12 * PG, 22 * PG, 0);
	expect(2, 40 * PG, 4 * PG, 3);
	hold = (struct vm_region){.start = 41 * PG, .len = PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), -E_NOMEM); /* one free slot: not for a hole */
	hold = (struct vm_region){.start = 45 * PG, .len = 2 * PG, .kind = VM_UNMAPPING};
	assert_int_equal(vmr_replace(&l, &hold), 0); /* but for a gap */
	assert_int_equal(l.n, 8);
	expect(2, 40 * PG, 4 * PG, 3);
	expect(3, 45 * PG, 2 * PG, 0);
	expect(4, 50 * PG, 4 * PG, 3);
	hold = (struct vm_region){.start = 41 * PG, .len = 0};
	assert_int_equal(vmr_replace(&l, &hold), -E_INVAL);
	assert_int_equal(l.n, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_insert_find, setup),
	    cmocka_unit_test_setup(test_overlaps, setup),
	    cmocka_unit_test_setup(test_gap, setup),
	    cmocka_unit_test_setup(test_remove_cuts, setup),
	    cmocka_unit_test_setup(test_remove_phys_offset, setup),
	    cmocka_unit_test_setup(test_file_offset_and_tag, setup),
	    cmocka_unit_test_setup(test_protect_splits, setup),
	    cmocka_unit_test_setup(test_full, setup),
	    cmocka_unit_test_setup(test_replace, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
