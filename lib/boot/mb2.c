/*
 * mb2.c - Multiboot2 boot information parser.
 *
 * mb2_parse() walks the tag list once. The outer loop checks the framing
 * (total_size within what the caller mapped, each tag 8-byte aligned, at
 * least 8 bytes long and inside total_size, an end tag of size 8 present);
 * mb2_tag() then checks each known tag's own minimum size and extracts its
 * fields. Every field is read with rd32()/rd64(), so the MBI need not be
 * naturally aligned for the loads, though the spec requires 8-byte alignment
 * and we reject anything else. Offsets follow the Multiboot2 specification,
 * section 3.6, with the framebuffer colour info at offset 32 and the ELF
 * section tag using u32 num/entsize/shndx, as GRUB writes them.
 *
 * No locking, no allocation: the info points into the caller's bytes.
 */
#include <string.h>
#include "base/bytes.h"
#include "base/err.h"
#include "boot/mb2.h"
#include "fmt/fmt.h"

#define MB2_TAG_HDR 8
#define MB2_MMAP_MIN_ENTRY 24

/* Record a failure reason and return err. */
static int mb2_fail(struct mb2_info *out, int err, const char *why, uint32_t type)
{
	fmt_snprintf(out->error, sizeof(out->error), "tag %u %s", (unsigned)type, why);
	return err;
}

/* String at p of at most n bytes: NUL-terminated within them, or NULL. */
static const char *mb2_str(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!p[i])
			return (const char *)p;
	return NULL;
}

static int mb2_module(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	struct mb2_module m;

	if (size < 17)
		return mb2_fail(out, -E_INVAL, "is too short for a module", MB2_TAG_MODULE);
	m.start = rd32(t + 8);
	m.end = rd32(t + 12);
	m.string = mb2_str(t + 16, size - 16);
	if (!m.string)
		return mb2_fail(out, -E_INVAL, "string is not NUL-terminated", MB2_TAG_MODULE);
	if (m.end < m.start)
		return mb2_fail(out, -E_INVAL, "module ends before it starts", MB2_TAG_MODULE);
	if (out->nmodules >= MB2_MAX_MODULES) {
		out->modules_dropped++;
		return 0;
	}
	out->modules[out->nmodules++] = m;
	return 0;
}

static int mb2_mmap(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	uint32_t esz;

	if (size < 16)
		return mb2_fail(out, -E_INVAL, "is too short for a memory map", MB2_TAG_MMAP);
	esz = rd32(t + 8);
	if (esz < MB2_MMAP_MIN_ENTRY || esz % 8)
		return mb2_fail(out, -E_INVAL, "entry_size is not a multiple of 8 >= 24",
				MB2_TAG_MMAP);
	out->mmap_entry_size = esz;
	out->mmap_entry_version = rd32(t + 12);
	out->mmap = t + 16;
	out->mmap_count = (size - 16) / esz;
	return 0;
}

static int mb2_fb(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	struct mb2_framebuffer *fb = &out->fb;

	if (size < 31)
		return mb2_fail(out, -E_INVAL, "is too short for a framebuffer",
				MB2_TAG_FRAMEBUFFER);
	memset(fb, 0, sizeof(*fb));
	fb->addr = rd64(t + 8);
	fb->pitch = rd32(t + 16);
	fb->width = rd32(t + 20);
	fb->height = rd32(t + 24);
	fb->bpp = rd8(t + 28);
	fb->type = rd8(t + 29);
	if (fb->type == MB2_FB_RGB) {
		if (size < 38)
			return mb2_fail(out, -E_INVAL, "is too short for RGB colour info",
					MB2_TAG_FRAMEBUFFER);
		fb->red_pos = t[32];
		fb->red_size = t[33];
		fb->green_pos = t[34];
		fb->green_size = t[35];
		fb->blue_pos = t[36];
		fb->blue_size = t[37];
	}
	out->has_fb = true;
	return 0;
}

static int mb2_elf(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	uint32_t num, entsize;

	if (size < 20)
		return mb2_fail(out, -E_INVAL, "is too short for ELF sections",
				MB2_TAG_ELF_SECTIONS);
	num = rd32(t + 8);
	entsize = rd32(t + 12);
	if ((uint64_t)num * entsize > size - 20)
		return mb2_fail(out, -E_RANGE, "section headers run past the tag",
				MB2_TAG_ELF_SECTIONS);
	out->elf_num = num;
	out->elf_entsize = entsize;
	out->elf_shndx = rd32(t + 16);
	out->elf_sections = t + 20;
	return 0;
}

/* Check that a fixed-layout tag of this type is at least min bytes. */
static int mb2_need(struct mb2_info *out, uint32_t type, uint32_t size, uint32_t min)
{
	if (size < min)
		return mb2_fail(out, -E_INVAL, "is too short", type);
	return 0;
}

/* Extract one tag t of the given type and size (already framed). */
static int mb2_tag(const uint8_t *t, uint32_t type, uint32_t size, struct mb2_info *out)
{
	int r;

	switch (type) {
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER_NAME: {
		const char *s = mb2_str(t + 8, size - 8);

		if (!s)
			return mb2_fail(out, -E_INVAL, "string is not NUL-terminated", type);
		if (type == MB2_TAG_CMDLINE)
			out->cmdline = s;
		else
			out->loader_name = s;
		return 0;
	}
	case MB2_TAG_MODULE:
		return mb2_module(t, size, out);
	case MB2_TAG_MEMINFO:
		if ((r = mb2_need(out, type, size, 16)))
			return r;
		out->has_meminfo = true;
		out->mem_lower_kb = rd32(t + 8);
		out->mem_upper_kb = rd32(t + 12);
		return 0;
	case MB2_TAG_MMAP:
		return mb2_mmap(t, size, out);
	case MB2_TAG_FRAMEBUFFER:
		return mb2_fb(t, size, out);
	case MB2_TAG_ELF_SECTIONS:
		return mb2_elf(t, size, out);
	case MB2_TAG_EFI64:
		if ((r = mb2_need(out, type, size, 16)))
			return r;
		out->has_efi64_systab = true;
		out->efi64_systab = rd64(t + 8);
		return 0;
	case MB2_TAG_SMBIOS:
		if ((r = mb2_need(out, type, size, 16)))
			return r;
		out->smbios_major = t[8];
		out->smbios_minor = t[9];
		out->smbios = t + 16;
		out->smbios_len = size - 16;
		return 0;
	case MB2_TAG_ACPI_OLD:
		out->rsdp_old = t + 8;
		out->rsdp_old_len = size - 8;
		return 0;
	case MB2_TAG_ACPI_NEW:
		out->rsdp_new = t + 8;
		out->rsdp_new_len = size - 8;
		return 0;
	case MB2_TAG_EFI_MMAP:
		if ((r = mb2_need(out, type, size, 16)))
			return r;
		out->efi_desc_size = rd32(t + 8);
		out->efi_desc_version = rd32(t + 12);
		out->efi_mmap = t + 16;
		out->efi_mmap_len = size - 16;
		return 0;
	case MB2_TAG_EFI_BS:
		out->efi_bs_not_terminated = true;
		return 0;
	case MB2_TAG_EFI64_IH:
		if ((r = mb2_need(out, type, size, 16)))
			return r;
		out->has_efi64_ih = true;
		out->efi64_image_handle = rd64(t + 8);
		return 0;
	case MB2_TAG_LOAD_BASE:
		if ((r = mb2_need(out, type, size, 12)))
			return r;
		out->has_load_base = true;
		out->load_base = rd32(t + 8);
		return 0;
	case MB2_TAG_BOOTDEV:
	case MB2_TAG_VBE:
	case MB2_TAG_APM:
	case MB2_TAG_EFI32:
	case MB2_TAG_NETWORK:
	case MB2_TAG_EFI32_IH:
		return 0; /* known, not needed by a 64-bit kernel */
	default:
		out->unknown_tags++;
		return 0;
	}
}

int mb2_parse(const void *mbi, size_t avail, struct mb2_info *out)
{
	const uint8_t *b = mbi;
	uint64_t total, off;

	memset(out, 0, sizeof(*out));
	if ((uintptr_t)mbi & 7) {
		fmt_snprintf(out->error, sizeof(out->error), "MBI is not 8-byte aligned");
		return -E_INVAL;
	}
	if (avail < 8) {
		fmt_snprintf(out->error, sizeof(out->error), "MBI header is not mapped");
		return -E_RANGE;
	}
	total = rd32(b);
	out->total_size = (uint32_t)total;
	if (total < 16) {
		fmt_snprintf(out->error, sizeof(out->error), "total_size %u is too small",
			     (unsigned)total);
		return -E_INVAL;
	}
	if (total > avail) {
		fmt_snprintf(out->error, sizeof(out->error),
			     "total_size %u exceeds the %zu bytes mapped", (unsigned)total, avail);
		return -E_RANGE;
	}
	/* Tags start on 8-byte boundaries: each size is padded up to 8. */
	for (off = 8; off < total; off = ALIGN_UP(off + rd32(b + off + 4), 8)) {
		uint32_t type, size;
		int r;

		if (total - off < MB2_TAG_HDR) {
			fmt_snprintf(out->error, sizeof(out->error),
				     "tag header at %u runs past total_size", (unsigned)off);
			return -E_RANGE;
		}
		type = rd32(b + off);
		size = rd32(b + off + 4);
		if (size < MB2_TAG_HDR)
			return mb2_fail(out, -E_INVAL, "is smaller than its header", type);
		if (size > total - off)
			return mb2_fail(out, -E_RANGE, "runs past total_size", type);
		if (type == MB2_TAG_END) {
			if (size != MB2_TAG_HDR)
				return mb2_fail(out, -E_INVAL, "(end) is not 8 bytes", type);
			return 0;
		}
		out->ntags++;
		r = mb2_tag(b + off, type, size, out);
		if (r)
			return r;
	}
	fmt_snprintf(out->error, sizeof(out->error), "no end tag before total_size");
	return -E_INVAL;
}

int mb2_mmap_entry(const struct mb2_info *info, size_t i, struct mb2_mmap_entry *out)
{
	const uint8_t *e;

	if (!info->mmap || i >= info->mmap_count)
		return -E_RANGE;
	e = info->mmap + i * info->mmap_entry_size;
	out->base = rd64(e);
	out->len = rd64(e + 8);
	out->type = rd32(e + 16);
	return 0;
}
