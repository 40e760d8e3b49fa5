/*
 * mb2.h - Multiboot2 boot information (MBI) parser.
 *
 * The boot loader leaves an 8-byte aligned MBI: a u32 total_size, a u32
 * reserved word, then tags {u32 type, u32 size, payload}, each starting on
 * an 8-byte boundary, ended by a tag of type 0 and size 8 (Multiboot2
 * specification, section 3.6). mb2_parse() checks that whole layout against
 * the number of bytes the caller has mapped and fills a struct mb2_info whose
 * pointers point into the caller's MBI bytes (nothing is copied, so the MBI
 * must stay mapped while the info is used). On failure it returns -E_INVAL
 * (malformed) or -E_RANGE (extends past what is mapped or past total_size)
 * and leaves a one-line reason in info->error.
 *
 * Pure code: no locking, no allocation; the caller owns both buffers.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define MB2_MAX_MODULES 16

/* Tag types (Multiboot2 spec 3.6). */
enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MEMINFO = 4,
	MB2_TAG_BOOTDEV = 5,
	MB2_TAG_MMAP = 6,
	MB2_TAG_VBE = 7,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ELF_SECTIONS = 9,
	MB2_TAG_APM = 10,
	MB2_TAG_EFI32 = 11,
	MB2_TAG_EFI64 = 12,
	MB2_TAG_SMBIOS = 13,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_NETWORK = 16,
	MB2_TAG_EFI_MMAP = 17,
	MB2_TAG_EFI_BS = 18,
	MB2_TAG_EFI32_IH = 19,
	MB2_TAG_EFI64_IH = 20,
	MB2_TAG_LOAD_BASE = 21,
};

/* Memory map entry types (tag 6); anything else is reserved. */
enum {
	MB2_MEM_AVAILABLE = 1,
	MB2_MEM_RESERVED = 2,
	MB2_MEM_ACPI_RECLAIM = 3,
	MB2_MEM_NVS = 4,
	MB2_MEM_BAD = 5,
};

/* Whether an entry of this type is RAM (usable, ACPI, NVS or bad): memory
   no device decodes, which a driver's physmap must never reach. */
static inline bool mb2_mem_is_ram(uint32_t type)
{
	return type == MB2_MEM_AVAILABLE || type == MB2_MEM_ACPI_RECLAIM || type == MB2_MEM_NVS ||
	       type == MB2_MEM_BAD;
}

/* Framebuffer types (tag 8). */
enum {
	MB2_FB_INDEXED = 0,
	MB2_FB_RGB = 1,
	MB2_FB_EGA_TEXT = 2,
};

struct mb2_module {
	uint32_t start;	    /* physical address of the first byte */
	uint32_t end;	    /* physical address one past the last byte */
	const char *string; /* NUL-terminated, inside the MBI */
};

struct mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch; /* bytes per line */
	uint32_t width; /* pixels (or characters for EGA text) */
	uint32_t height;
	uint8_t bpp;
	uint8_t type; /* MB2_FB_* */
	/* MB2_FB_RGB only: bit position and width of each colour field. */
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type; /* MB2_MEM_* */
};

struct mb2_info {
	uint32_t total_size;
	const char *cmdline;	 /* NULL if no tag 1 */
	const char *loader_name; /* NULL if no tag 2 */

	struct mb2_module modules[MB2_MAX_MODULES];
	size_t nmodules;
	size_t modules_dropped; /* module tags beyond MB2_MAX_MODULES */

	bool has_meminfo;
	uint32_t mem_lower_kb, mem_upper_kb;

	const uint8_t *mmap; /* first entry; NULL if no tag 6 */
	uint32_t mmap_entry_size, mmap_entry_version;
	size_t mmap_count;

	bool has_fb;
	struct mb2_framebuffer fb;

	const uint8_t *elf_sections; /* section headers; NULL if no tag 9 */
	uint32_t elf_num, elf_entsize, elf_shndx;

	bool has_efi64_systab;
	uint64_t efi64_systab;

	const uint8_t *smbios; /* SMBIOS tables copied in tag 13, or NULL */
	size_t smbios_len;
	uint8_t smbios_major, smbios_minor;

	const uint8_t *rsdp_old; /* ACPI 1.0 RSDP copy (tag 14), or NULL */
	size_t rsdp_old_len;
	const uint8_t *rsdp_new; /* ACPI 2.0+ RSDP copy (tag 15), or NULL */
	size_t rsdp_new_len;

	const uint8_t *efi_mmap; /* UEFI memory descriptors (tag 17), or NULL */
	size_t efi_mmap_len;
	uint32_t efi_desc_size, efi_desc_version;

	bool efi_bs_not_terminated; /* tag 18 present */
	bool has_efi64_ih;
	uint64_t efi64_image_handle;
	bool has_load_base;
	uint32_t load_base;

	size_t ntags;	     /* tags seen, end tag excluded */
	size_t unknown_tags; /* tags of types this parser does not know */
	char error[80];	     /* reason for the last failure, "" on success */
};

/* Parse the MBI at mbi, of which avail bytes are readable, into *out. */
MUST_CHECK int mb2_parse(const void *mbi, size_t avail, struct mb2_info *out);

/* Memory-map entry i of a parsed MBI; -E_RANGE if i >= mmap_count. */
MUST_CHECK int mb2_mmap_entry(const struct mb2_info *info, size_t i, struct mb2_mmap_entry *out);
