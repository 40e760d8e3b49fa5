/*
 * fuzz_mb2.c - libFuzzer target for mb2_parse() and mb2_mmap_entry().
 *
 * Each input is copied into an 8-byte aligned buffer exactly as long as the
 * input (so ASan catches any read past it) and parsed as it is, then again
 * with total_size repaired to the input length so the fuzzer reaches the
 * tags behind that check. Whatever the parser accepts is walked: every
 * string, every module, every memory-map entry and every byte range it
 * hands out is touched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "boot/mb2.h"

static struct mb2_info info;
static volatile uint8_t sink;

static void touch(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sink ^= p[i];
}

static void walk(void)
{
	struct mb2_mmap_entry e;
	size_t i;

	if (info.cmdline)
		touch((const uint8_t *)info.cmdline, strlen(info.cmdline));
	if (info.loader_name)
		touch((const uint8_t *)info.loader_name, strlen(info.loader_name));
	for (i = 0; i < info.nmodules; i++)
		touch((const uint8_t *)info.modules[i].string, strlen(info.modules[i].string));
	for (i = 0; i < info.mmap_count; i++)
		if (mb2_mmap_entry(&info, i, &e) == 0)
			sink ^= (uint8_t)(e.base ^ e.len ^ e.type);
	if (mb2_mmap_entry(&info, info.mmap_count, &e) == 0)
		abort();
	if (info.elf_sections)
		touch(info.elf_sections, (size_t)info.elf_num * info.elf_entsize);
	if (info.smbios)
		touch(info.smbios, info.smbios_len);
	if (info.rsdp_old)
		touch(info.rsdp_old, info.rsdp_old_len);
	if (info.rsdp_new)
		touch(info.rsdp_new, info.rsdp_new_len);
	if (info.efi_mmap)
		touch(info.efi_mmap, info.efi_mmap_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1); /* malloc aligns to 16 */
	uint32_t len = (uint32_t)size;

	if (!p)
		return 0;
	memcpy(p, data, size);
	if (mb2_parse(p, size, &info) == 0)
		walk();
	if (size >= 8) {
		memcpy(p, &len, 4);
		if (mb2_parse(p, size, &info) == 0)
			walk();
	}
	free(p);
	return 0;
}
