/*
 * test_elf.c - elf_parse() and the segment page filler on images built here.
 *
 * good() writes a small static executable (text, data with bss, a
 * non-executable PT_GNU_STACK); each test breaks one thing in it and checks
 * the refusal and its reason: short headers, bad identification, program
 * headers past the end, offset + filesz wrapping, filesz > memsz, overlapping
 * segments, kernel-half and page-0 addresses, W+X, the entry point outside
 * executable code, PT_INTERP, executable stacks, too many headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "elf/elf.h"

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define RX (ELF_SEG_R | ELF_SEG_X)
#define RW (ELF_SEG_R | ELF_SEG_W)

static uint8_t img[0x3000];
static size_t img_len;
static struct elf_info info;

static void put(size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

/* ELF header for an x86-64 static executable with phnum headers at offset 64. */
static void ehdr(uint64_t entry, unsigned phnum)
{
	memset(img, 0, 64);
	memcpy(img, "\177ELF", 4);
	img[4] = 2, img[5] = 1, img[6] = 1, img[7] = 0;
	put(16, 2, 2);	   /* ET_EXEC */
	put(18, 62, 2);	   /* EM_X86_64 */
	put(20, 1, 4);	   /* version */
	put(24, entry, 8); /* entry */
	put(32, 64, 8);	   /* phoff */
	put(52, 64, 2);	   /* ehsize */
	put(54, 56, 2);	   /* phentsize */
	put(56, phnum, 2); /* phnum */
}

static void phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va,
		 uint64_t filesz, uint64_t memsz, uint64_t align)
{
	size_t p = 64 + 56 * (size_t)i;

	put(p + 0, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, va, 8);
	put(p + 24, va, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, align, 8);
}

/* text at 0x400000 (file 0..0x1000), data+bss at 0x401000 (file 0x1000..0x1100). */
static void good(void)
{
	memset(img, 0, sizeof(img));
	ehdr(0x400100, 3);
	phdr(0, PT_LOAD, RX, 0, 0x400000, 0x1000, 0x1000, 0x1000);
	phdr(1, PT_LOAD, RW, 0x1000, 0x401000, 0x100, 0x2800, 0x1000);
	phdr(2, PT_GNU_STACK, RW, 0, 0, 0, 0, 16);
	for (int i = 0; i < 0x100; i++)
		img[0x1000 + i] = (uint8_t)(i + 1);
	img_len = 0x1100;
}

static int parse(void)
{
	return elf_parse(img, img_len, &info);
}

/* Parse must refuse, with a reason containing why. */
static void refused(const char *why)
{
	assert_int_equal(parse(), -E_NOEXEC);
	if (!strstr(info.error, why))
		fail_msg("reason \"%s\" lacks \"%s\"", info.error, why);
}

static void test_good(void **state)
{
	good();
	assert_int_equal(parse(), 0);
	assert_string_equal(info.error, "");
	assert_int_equal(info.entry, 0x400100);
	assert_int_equal(info.nseg, 2);
	assert_int_equal(info.seg[0].vaddr, 0x400000);
	assert_int_equal(info.seg[0].flags, RX);
	assert_int_equal(info.seg[1].vaddr, 0x401000);
	assert_int_equal(info.seg[1].memsz, 0x2800);
	assert_int_equal(info.seg[1].offset, 0x1000);
	assert_int_equal(info.seg[1].filesz, 0x100);
	assert_int_equal(info.seg[1].flags, RW);
	assert_int_equal(info.lo, 0x400000);
	assert_int_equal(info.hi, 0x404000);
	assert_true(info.has_stack_hdr);
	assert_int_equal(info.stack_flags, RW);
	assert_false(info.has_tls);

	/* GNU OS ABI is fine too; no PT_GNU_STACK means a R|W stack */
	img[7] = 3;
	phdr(2, 0x6474e552u /* PT_GNU_RELRO: ignored */, 4, 0, 0x401000, 0, 0x10, 1);
	assert_int_equal(parse(), 0);
	assert_false(info.has_stack_hdr);
	assert_int_equal(info.stack_flags, RW);
}

static void test_short_header(void **state)
{
	good();
	img_len = 63;
	refused("too short");
	img_len = 0;
	refused("too short");
}

static void test_ident(void **state)
{
	good();
	img[1] = 'e';
	refused("bad magic");
	good();
	img[4] = 1;
	refused("64-bit");
	good();
	img[5] = 2;
	refused("little-endian");
	good();
	img[6] = 2;
	refused("version");
	good();
	put(20, 0, 4);
	refused("version");
	good();
	img[7] = 9;
	refused("OS ABI");
	good();
	put(16, 3, 2);
	refused("ET_DYN");
	good();
	put(16, 1, 2);
	refused("not an executable");
	good();
	put(18, 3, 2);
	refused("x86-64");
	good();
	put(52, 52, 2);
	refused("header size");
}

static void test_phdr_table(void **state)
{
	good();
	put(32, img_len - 100, 8);
	refused("program headers run past the end");
	good();
	put(32, UINT64_MAX - 8, 8);
	refused("program headers run past the end");
	good();
	img_len = 64 + 56 * 2;
	refused("program headers run past the end");
	good();
	put(54, 32, 2);
	refused("program header size");
	good();
	put(56, 0, 2);
	refused("no program headers");
	good();
	put(56, 33, 2);
	refused("too many program headers");
	good();
	put(56, 0xffff, 2);
	refused("too many program headers");
}

static void test_file_range(void **state)
{
	good();
	img_len = 0x10ff;
	refused("segment 1 runs past the end of the file");
	good();
	phdr(1, PT_LOAD, RW, 0x2000, 0x402000, 0x100, 0x100, 0x1000);
	refused("segment 1 runs past the end of the file");
	/* offset + filesz wraps around to a small number */
	good();
	phdr(1, PT_LOAD, RW, 0xfffffffffffff000ull, 0x401000, 0x2000, 0x2000, 0x1000);
	refused("segment 1 runs past the end of the file");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x401000, UINT64_MAX, UINT64_MAX, 0x1000);
	refused("segment 1 runs past the end of the file");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x401000, 0x100, 0x80, 0x1000);
	refused("more file bytes than memory bytes");
}

static void test_alignment(void **state)
{
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x401000, 0x100, 0x100, 0x3000);
	refused("not a power of two");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x401010, 0x100, 0x100, 0x1000);
	refused("differ within a page");
	/* byte alignment: any offset is fine, the filler copies bytes */
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x401010, 0x100, 0x100, 1);
	assert_int_equal(parse(), 0);
	/* a 2 MiB alignment only needs page congruence */
	good();
	phdr(0, PT_LOAD, RX, 0, 0x400000, 0x1000, 0x1000, 0x200000);
	assert_int_equal(parse(), 0);
}

static void test_addresses(void **state)
{
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0xffffffff80001000ull, 0x100, 0x100, 0x1000);
	refused("segment 1 is outside user memory");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x00007ffffffff000ull, 0x100, 0x2000, 0x1000);
	refused("segment 1 is outside user memory");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x0000800000000000ull, 0x100, 0x100, 0x1000);
	refused("outside user memory");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x1000, 0x100, UINT64_MAX, 0x1000);
	refused("outside user memory");
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0, 0x100, 0x100, 0x1000);
	refused("outside user memory");
	/* the last user page is fine */
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x00007ffffffff000ull, 0x100, 0x1000, 0x1000);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.hi, 0x0000800000000000ull);
}

static void test_overlap(void **state)
{
	good();
	phdr(1, PT_LOAD, RW, 0x1000, 0x400000, 0x100, 0x100, 0x1000);
	refused("loadable segments 0 and 1 overlap");
	/* different bytes of the same page: cannot be mapped with two permissions */
	good();
	phdr(0, PT_LOAD, RX, 0, 0x400000, 0x800, 0x800, 0x1000);
	phdr(1, PT_LOAD, RW, 0x1000, 0x400800, 0x100, 0x100, 1);
	refused("loadable segments 0 and 1 overlap");
	/* bss of a lower segment running into the next one */
	good();
	phdr(0, PT_LOAD, RW, 0x1000, 0x3ff000, 0x100, 0x1001, 0x1000);
	phdr(1, PT_LOAD, RX, 0, 0x400000, 0x1000, 0x1000, 0x1000);
	refused("loadable segments 0 and 1 overlap");
	/* touching is fine, in either order */
	good();
	phdr(0, PT_LOAD, RW, 0x1000, 0x3ff000, 0x100, 0x1000, 0x1000);
	phdr(1, PT_LOAD, RX, 0, 0x400000, 0x1000, 0x1000, 0x1000);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.lo, 0x3ff000);
	assert_int_equal(info.hi, 0x401000);
}

static void test_wx_and_entry(void **state)
{
	good();
	phdr(1, PT_LOAD, RW | ELF_SEG_X, 0x1000, 0x401000, 0x100, 0x100, 0x1000);
	refused("segment 1 is both writable and executable");
	good();
	put(24, 0x401000, 8);
	refused("entry point 0x401000 is not in an executable segment");
	good();
	put(24, 0x400000 + 0x1000, 8);
	refused("entry point");
	good();
	put(24, 0x3fffff, 8);
	refused("entry point");
	good();
	put(24, 0x400fff, 8);
	assert_int_equal(parse(), 0);
	/* no PT_LOAD at all */
	good();
	phdr(0, PT_GNU_STACK, RW, 0, 0, 0, 0, 16);
	phdr(1, PT_GNU_STACK, RW, 0, 0, 0, 0, 16);
	refused("no loadable segments");
}

static void test_interp_and_stack(void **state)
{
	good();
	phdr(2, PT_INTERP, ELF_SEG_R, 0x1000, 0x401000, 0x10, 0x10, 1);
	refused("only static executables");
	good();
	phdr(2, PT_GNU_STACK, RW | ELF_SEG_X, 0, 0, 0, 0, 16);
	refused("executable stack");
}

static void test_segment_limits(void **state)
{
	/* 17 one-page segments fit in the headers but not in elf_info */
	memset(img, 0, sizeof(img));
	ehdr(0x400000, 17);
	for (unsigned i = 0; i < 17; i++)
		phdr(i, PT_LOAD, i ? ELF_SEG_R : RX, 0, 0x400000 + 0x1000 * (uint64_t)i, 0x10, 0x10,
		     0x1000);
	img_len = 0x1000;
	refused("more than 16 loadable segments");
	/* 16 are fine, and empty PT_LOADs are skipped */
	put(56, 16, 2);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nseg, 16);
	phdr(15, PT_LOAD, RW | ELF_SEG_X, 0, 0x400000, 0, 0, 0x1000);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nseg, 15);
}

static void test_tls(void **state)
{
	good();
	phdr(2, PT_TLS, ELF_SEG_R, 0x1000, 0x401000, 0x10, 0x40, 8);
	assert_int_equal(parse(), 0);
	assert_true(info.has_tls);
	assert_int_equal(info.tls.vaddr, 0x401000);
	assert_int_equal(info.tls.filesz, 0x10);
	assert_int_equal(info.tls.memsz, 0x40);
	assert_int_equal(info.tls_align, 8);
	phdr(2, PT_TLS, ELF_SEG_R, 0x1000, 0x401000, 0x50, 0x40, 8);
	refused("TLS segment 2 is malformed");
	phdr(2, PT_TLS, ELF_SEG_R, 0x1000, 0x401000, 0x10, 0x40, 12);
	refused("not a power of two");
}

static void test_fill(void **state)
{
	static uint8_t page[ELF_PAGE_SIZE];
	uint64_t first, n;

	good();
	assert_int_equal(parse(), 0);
	elf_segment_pages(&info.seg[1], &first, &n);
	assert_int_equal(first, 0x401000);
	assert_int_equal(n, 3);
	memset(page, 0xcc, sizeof(page));
	elf_segment_fill(img, &info.seg[1], 0x401000, page);
	for (int i = 0; i < 0x100; i++)
		assert_int_equal(page[i], (uint8_t)(i + 1));
	for (size_t i = 0x100; i < sizeof(page); i++)
		assert_int_equal(page[i], 0);
	memset(page, 0xcc, sizeof(page));
	elf_segment_fill(img, &info.seg[1], 0x402000, page);
	for (size_t i = 0; i < sizeof(page); i++)
		assert_int_equal(page[i], 0);

	/* a segment starting and ending inside pages, spanning a boundary */
	good();
	phdr(1, PT_LOAD, RW, 0x1080, 0x401f80, 0x80, 0x200, 1);
	assert_int_equal(parse(), 0);
	elf_segment_pages(&info.seg[1], &first, &n);
	assert_int_equal(first, 0x401000);
	assert_int_equal(n, 2);
	memset(page, 0xcc, sizeof(page));
	elf_segment_fill(img, &info.seg[1], 0x401000, page);
	for (size_t i = 0; i < 0xf80; i++)
		assert_int_equal(page[i], 0);
	for (size_t i = 0xf80; i < 0x1000; i++)
		assert_int_equal(page[i], img[0x1080 + i - 0xf80]);
	memset(page, 0xcc, sizeof(page));
	elf_segment_fill(img, &info.seg[1], 0x402000, page);
	for (size_t i = 0; i < sizeof(page); i++)
		assert_int_equal(page[i], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),	   cmocka_unit_test(test_short_header),
	    cmocka_unit_test(test_ident),	   cmocka_unit_test(test_phdr_table),
	    cmocka_unit_test(test_file_range),	   cmocka_unit_test(test_alignment),
	    cmocka_unit_test(test_addresses),	   cmocka_unit_test(test_overlap),
	    cmocka_unit_test(test_wx_and_entry),   cmocka_unit_test(test_interp_and_stack),
	    cmocka_unit_test(test_segment_limits), cmocka_unit_test(test_tls),
	    cmocka_unit_test(test_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
