/*
 * test_mb2.c - mb2_parse and mb2_mmap_entry on MBI images built here: a full
 * GRUB-like image with every tag the kernel uses, framing errors (bad
 * total_size, short or overlong tags, a missing or oversized end tag),
 * per-tag errors, module overflow and unknown tags.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "boot/mb2.h"

/* An MBI under construction, 8-byte aligned. */
struct img {
	_Alignas(8) uint8_t b[4096];
	uint32_t len;
};

static void img_start(struct img *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Append a tag with payload pl of n bytes; returns the tag's offset. */
static uint32_t img_tag(struct img *m, uint32_t type, const void *pl, uint32_t n)
{
	uint32_t off = m->len;

	put32(m->b + off, type);
	put32(m->b + off + 4, 8 + n);
	if (n)
		memcpy(m->b + off + 8, pl, n);
	m->len = (off + 8 + n + 7) & ~7u;
	return off;
}

/* Append the end tag and set total_size. */
static uint32_t img_end(struct img *m)
{
	img_tag(m, MB2_TAG_END, NULL, 0);
	put32(m->b, m->len);
	return m->len;
}

static void add_mmap(struct img *m, uint32_t esz, int n)
{
	uint8_t pl[8 + 4 * 32];
	int i;

	memset(pl, 0, sizeof(pl));
	put32(pl, esz);
	put32(pl + 4, 0);
	for (i = 0; i < n; i++) {
		uint8_t *e = pl + 8 + i * esz;

		put64(e, (uint64_t)i * 0x100000);
		put64(e + 8, 0x1000 * (i + 1));
		put32(e + 16, (uint32_t)i + 1);
	}
	img_tag(m, MB2_TAG_MMAP, pl, 8 + n * esz);
}

static void add_module(struct img *m, uint32_t s, uint32_t e, const char *str)
{
	uint8_t pl[64];

	put32(pl, s);
	put32(pl + 4, e);
	strcpy((char *)pl + 8, str);
	img_tag(m, MB2_TAG_MODULE, pl, 8 + (uint32_t)strlen(str) + 1);
}

static void test_full(void **state)
{
	struct img m;
	struct mb2_info in;
	struct mb2_mmap_entry e;
	uint8_t pl[128];
	uint32_t len;

	img_start(&m);
	img_tag(&m, MB2_TAG_CMDLINE, "init=/bin/sh debug", 19);
	img_tag(&m, MB2_TAG_LOADER_NAME, "GRUB 2.12", 10);
	add_module(&m, 0x200000, 0x210000, "initfs");
	add_module(&m, 0x210000, 0x210000, "");
	put32(pl, 639);
	put32(pl + 4, 523264);
	img_tag(&m, MB2_TAG_MEMINFO, pl, 8);
	add_mmap(&m, 24, 3);
	memset(pl, 0, sizeof(pl));
	put64(pl, 0xfd000000);
	put32(pl + 8, 4096);
	put32(pl + 12, 1024);
	put32(pl + 16, 768);
	pl[20] = 32;
	pl[21] = MB2_FB_RGB;
	pl[24] = 16, pl[25] = 8, pl[26] = 8, pl[27] = 8, pl[28] = 0, pl[29] = 8;
	img_tag(&m, MB2_TAG_FRAMEBUFFER, pl, 30);
	memset(pl, 0, sizeof(pl));
	put32(pl, 1);
	put32(pl + 4, 40);
	put32(pl + 8, 0);
	img_tag(&m, MB2_TAG_ELF_SECTIONS, pl, 12 + 40);
	img_tag(&m, MB2_TAG_APM, pl, 20);
	put64(pl, 0x7f000000);
	img_tag(&m, MB2_TAG_EFI64, pl, 8);
	memset(pl, 0, sizeof(pl));
	pl[0] = 3, pl[1] = 2;
	img_tag(&m, MB2_TAG_SMBIOS, pl, 8 + 24);
	memcpy(pl, "RSD PTR ", 8);
	img_tag(&m, MB2_TAG_ACPI_OLD, pl, 20);
	img_tag(&m, MB2_TAG_ACPI_NEW, pl, 36);
	put32(pl, 48);
	put32(pl + 4, 1);
	img_tag(&m, MB2_TAG_EFI_MMAP, pl, 8 + 96);
	img_tag(&m, MB2_TAG_EFI_BS, NULL, 0);
	put64(pl, 0x12345678abcdULL);
	img_tag(&m, MB2_TAG_EFI64_IH, pl, 8);
	put32(pl, 0x100000);
	img_tag(&m, MB2_TAG_LOAD_BASE, pl, 4);
	img_tag(&m, 99, pl, 4);
	len = img_end(&m);

	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), 0);
	assert_string_equal(in.error, "");
	assert_int_equal(in.total_size, len);
	assert_string_equal(in.cmdline, "init=/bin/sh debug");
	assert_string_equal(in.loader_name, "GRUB 2.12");
	assert_int_equal(in.nmodules, 2);
	assert_int_equal(in.modules[0].start, 0x200000);
	assert_int_equal(in.modules[0].end, 0x210000);
	assert_string_equal(in.modules[0].string, "initfs");
	assert_string_equal(in.modules[1].string, "");
	assert_true(in.has_meminfo);
	assert_int_equal(in.mem_lower_kb, 639);
	assert_int_equal(in.mem_upper_kb, 523264);
	assert_int_equal(in.mmap_count, 3);
	assert_int_equal(in.mmap_entry_size, 24);
	assert_true(in.has_fb);
	assert_int_equal(in.fb.addr, 0xfd000000);
	assert_int_equal(in.fb.pitch, 4096);
	assert_int_equal(in.fb.width, 1024);
	assert_int_equal(in.fb.height, 768);
	assert_int_equal(in.fb.bpp, 32);
	assert_int_equal(in.fb.type, MB2_FB_RGB);
	assert_int_equal(in.fb.red_pos, 16);
	assert_int_equal(in.fb.green_pos, 8);
	assert_int_equal(in.fb.blue_pos, 0);
	assert_int_equal(in.fb.blue_size, 8);
	assert_non_null(in.elf_sections);
	assert_int_equal(in.elf_num, 1);
	assert_int_equal(in.elf_entsize, 40);
	assert_true(in.has_efi64_systab);
	assert_int_equal(in.efi64_systab, 0x7f000000);
	assert_int_equal(in.smbios_major, 3);
	assert_int_equal(in.smbios_minor, 2);
	assert_int_equal(in.smbios_len, 24);
	assert_non_null(in.rsdp_old);
	assert_int_equal(in.rsdp_old_len, 20);
	assert_memory_equal(in.rsdp_old, "RSD PTR ", 8);
	assert_int_equal(in.rsdp_new_len, 36);
	assert_int_equal(in.efi_desc_size, 48);
	assert_int_equal(in.efi_desc_version, 1);
	assert_int_equal(in.efi_mmap_len, 96);
	assert_true(in.efi_bs_not_terminated);
	assert_true(in.has_efi64_ih);
	assert_int_equal(in.efi64_image_handle, 0x12345678abcdULL);
	assert_true(in.has_load_base);
	assert_int_equal(in.load_base, 0x100000);
	assert_int_equal(in.unknown_tags, 1);

	assert_int_equal(mb2_mmap_entry(&in, 0, &e), 0);
	assert_int_equal(e.base, 0);
	assert_int_equal(e.len, 0x1000);
	assert_int_equal(e.type, MB2_MEM_AVAILABLE);
	assert_int_equal(mb2_mmap_entry(&in, 2, &e), 0);
	assert_int_equal(e.base, 0x200000);
	assert_int_equal(e.len, 0x3000);
	assert_int_equal(e.type, MB2_MEM_ACPI_RECLAIM);
	assert_int_equal(mb2_mmap_entry(&in, 3, &e), -E_RANGE);

	/* exactly total_size mapped is enough; one byte less is not */
	assert_int_equal(mb2_parse(m.b, len, &in), 0);
	assert_int_equal(mb2_parse(m.b, len - 1, &in), -E_RANGE);
	assert_non_null(strstr(in.error, "exceeds"));
}

static void test_minimal(void **state)
{
	struct img m;
	struct mb2_info in;
	struct mb2_mmap_entry e;

	img_start(&m);
	assert_int_equal(img_end(&m), 16);
	assert_int_equal(mb2_parse(m.b, 16, &in), 0);
	assert_null(in.cmdline);
	assert_null(in.mmap);
	assert_int_equal(in.ntags, 0);
	assert_int_equal(mb2_mmap_entry(&in, 0, &e), -E_RANGE);
}

static void test_framing(void **state)
{
	struct img m;
	struct mb2_info in;
	uint32_t off;

	/* header not mapped, total_size too small */
	img_start(&m);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, 4, &in), -E_RANGE);
	put32(m.b, 8);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_non_null(strstr(in.error, "too small"));

	/* misaligned MBI */
	assert_int_equal(mb2_parse(m.b + 4, sizeof(m.b) - 4, &in), -E_INVAL);
	assert_non_null(strstr(in.error, "aligned"));

	/* tag running past total_size */
	img_start(&m);
	off = img_tag(&m, MB2_TAG_CMDLINE, "abc", 4);
	img_end(&m);
	put32(m.b + off + 4, 200);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_RANGE);
	assert_string_equal(in.error, "tag 1 runs past total_size");

	/* tag smaller than its header */
	put32(m.b + off + 4, 4);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_non_null(strstr(in.error, "smaller"));

	/* no end tag: total_size stops right after the cmdline */
	put32(m.b + off + 4, 12);
	put32(m.b, 24);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_non_null(strstr(in.error, "no end tag"));

	/* total_size cuts a tag header in half */
	put32(m.b, 28);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_RANGE);

	/* end tag of the wrong size */
	img_start(&m);
	off = img_end(&m) - 8;
	put32(m.b + off + 4, 16);
	put32(m.b, 32);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_non_null(strstr(in.error, "end"));

	/* garbage after the end tag is ignored */
	img_start(&m);
	img_end(&m);
	put32(m.b, 64);
	memset(m.b + 16, 0xff, 48);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), 0);
}

static void test_tag_errors(void **state)
{
	struct img m;
	struct mb2_info in;
	uint8_t pl[64];

	/* cmdline without NUL */
	img_start(&m);
	img_tag(&m, MB2_TAG_CMDLINE, "abcd", 4);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_non_null(strstr(in.error, "NUL"));

	/* module string without NUL, module too short, end before start */
	img_start(&m);
	memset(pl, 'x', sizeof(pl));
	put32(pl, 0);
	put32(pl + 4, 10);
	img_tag(&m, MB2_TAG_MODULE, pl, 12);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	img_start(&m);
	img_tag(&m, MB2_TAG_MODULE, pl, 4);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	img_start(&m);
	add_module(&m, 0x2000, 0x1000, "x");
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);

	/* memory map entry sizes */
	img_start(&m);
	add_mmap(&m, 20, 2);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_non_null(strstr(in.error, "tag 6"));
	img_start(&m);
	add_mmap(&m, 28, 2);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	img_start(&m);
	add_mmap(&m, 32, 2);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), 0);
	assert_int_equal(in.mmap_count, 2);
	img_start(&m);
	img_tag(&m, MB2_TAG_MMAP, pl, 4);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);

	/* short fixed-size tags */
	img_start(&m);
	img_tag(&m, MB2_TAG_EFI64, pl, 4);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	assert_string_equal(in.error, "tag 12 is too short");
	img_start(&m);
	img_tag(&m, MB2_TAG_FRAMEBUFFER, pl, 20);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);

	/* RGB framebuffer without colour info; indexed needs none here */
	img_start(&m);
	memset(pl, 0, sizeof(pl));
	pl[21] = MB2_FB_RGB;
	img_tag(&m, MB2_TAG_FRAMEBUFFER, pl, 24);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_INVAL);
	pl[21] = MB2_FB_EGA_TEXT;
	img_start(&m);
	img_tag(&m, MB2_TAG_FRAMEBUFFER, pl, 24);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), 0);
	assert_int_equal(in.fb.type, MB2_FB_EGA_TEXT);

	/* ELF sections claiming more headers than the tag holds */
	img_start(&m);
	memset(pl, 0, sizeof(pl));
	put32(pl, 2);
	put32(pl + 4, 40);
	img_tag(&m, MB2_TAG_ELF_SECTIONS, pl, 12 + 40);
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), -E_RANGE);
}

static void test_modules_overflow(void **state)
{
	struct img m;
	struct mb2_info in;
	int i;

	img_start(&m);
	for (i = 0; i < MB2_MAX_MODULES + 3; i++)
		add_module(&m, (uint32_t)i * 0x1000, (uint32_t)i * 0x1000 + 0x800, "mod");
	img_end(&m);
	assert_int_equal(mb2_parse(m.b, sizeof(m.b), &in), 0);
	assert_int_equal(in.nmodules, MB2_MAX_MODULES);
	assert_int_equal(in.modules_dropped, 3);
	assert_int_equal(in.modules[15].start, 15 * 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_framing),
	    cmocka_unit_test(test_tag_errors),
	    cmocka_unit_test(test_modules_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
