/*
 * elf.c - the ELF-64 executable checks behind elf_parse(), and the page
 * filler the exec path uses to build a segment's pages.
 *
 * The image is outside input (it comes from the boot archive or, later, from
 * a file system), so every field is read with rd*() after a bounds check,
 * every sum is checked for wrap-around before it is compared, and every
 * refusal says why in info->error. Segment numbers in messages are program
 * header indexes, as readelf -l counts them. No locks: the caller owns img
 * and info.
 */
#include <stdarg.h>
#include <string.h>
#include "elf/elf.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

/* ELF identification and header layout (ELF-64 Object File Format, 3-4). */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ELFOSABI_SYSV 0
#define ELFOSABI_GNU 3
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62

#define EHDR_SIZE 64
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_VERSION 20
#define EH_ENTRY 24
#define EH_PHOFF 32
#define EH_EHSIZE 52
#define EH_PHENTSIZE 54
#define EH_PHNUM 56

#define PHDR_SIZE 56
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_FILESZ 32
#define PH_MEMSZ 40
#define PH_ALIGN 48

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u

#define SEG_RWX (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X)

/* Record why the image is refused; always returns -E_NOEXEC. */
static int refuse(struct elf_info *out, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int refuse(struct elf_info *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
	return -E_NOEXEC;
}

/* The identification bytes and the fixed header fields. */
static int check_ehdr(const uint8_t *b, size_t len, struct elf_info *out)
{
	uint16_t type;

	if (len < EHDR_SIZE)
		return refuse(out, "file too short for an ELF header (%zu bytes)", len);
	if (memcmp(b, "\177ELF", 4) != 0)
		return refuse(out, "not an ELF file (bad magic)");
	if (b[EI_CLASS] != ELFCLASS64)
		return refuse(out, "not a 64-bit ELF file (class %u)", b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB)
		return refuse(out, "not little-endian (data encoding %u)", b[EI_DATA]);
	if (b[EI_VERSION] != EV_CURRENT || rd32(b + EH_VERSION) != EV_CURRENT)
		return refuse(out, "unknown ELF version");
	if (b[EI_OSABI] != ELFOSABI_SYSV && b[EI_OSABI] != ELFOSABI_GNU)
		return refuse(out, "unsupported OS ABI %u", b[EI_OSABI]);
	type = rd16(b + EH_TYPE);
	if (type == ET_DYN)
		return refuse(out, "position-independent (ET_DYN) executables are not supported");
	if (type != ET_EXEC)
		return refuse(out, "not an executable (type %u)", type);
	if (rd16(b + EH_MACHINE) != EM_X86_64)
		return refuse(out, "not an x86-64 executable (machine %u)", rd16(b + EH_MACHINE));
	if (rd16(b + EH_EHSIZE) != EHDR_SIZE)
		return refuse(out, "bad ELF header size %u", rd16(b + EH_EHSIZE));
	return 0;
}

/* The file range [off, off + sz) lies inside the image, without wrapping. */
static bool in_file(uint64_t off, uint64_t sz, size_t len)
{
	return off <= len && sz <= len - off;
}

/* Checks one PT_LOAD header; appends it to out->seg unless it is empty. */
static int add_load(const uint8_t *ph, unsigned i, size_t len, struct elf_info *out)
{
	uint32_t flags = rd32(ph + PH_FLAGS) & SEG_RWX;
	uint64_t off = rd64(ph + PH_OFFSET), va = rd64(ph + PH_VADDR);
	uint64_t filesz = rd64(ph + PH_FILESZ), memsz = rd64(ph + PH_MEMSZ);
	uint64_t align = rd64(ph + PH_ALIGN);
	struct elf_segment *s;

	if (!in_file(off, filesz, len))
		return refuse(out, "segment %u runs past the end of the file", i);
	if (filesz > memsz)
		return refuse(out, "segment %u has more file bytes than memory bytes", i);
	if (align & (align - 1))
		return refuse(out, "segment %u alignment %#llx is not a power of two", i,
			      (unsigned long long)align);
	if (align >= ELF_PAGE_SIZE && (va ^ off) & (ELF_PAGE_SIZE - 1))
		return refuse(out, "segment %u address and file offset differ within a page", i);
	if (memsz == 0)
		return 0;
	if (va < ELF_USER_LO || va >= ELF_USER_HI || memsz > ELF_USER_HI - va)
		return refuse(out, "segment %u is outside user memory", i);
	if ((flags & ELF_SEG_W) && (flags & ELF_SEG_X))
		return refuse(out, "segment %u is both writable and executable", i);
	if (out->nseg == ELF_MAX_SEGMENTS)
		return refuse(out, "more than %u loadable segments", ELF_MAX_SEGMENTS);
	s = &out->seg[out->nseg++];
	s->vaddr = va;
	s->memsz = memsz;
	s->offset = off;
	s->filesz = filesz;
	s->flags = flags;
	return 0;
}

/* Checks the PT_TLS template header and records it. */
static int set_tls(const uint8_t *ph, unsigned i, size_t len, struct elf_info *out)
{
	struct elf_segment *t = &out->tls;

	t->offset = rd64(ph + PH_OFFSET);
	t->vaddr = rd64(ph + PH_VADDR);
	t->filesz = rd64(ph + PH_FILESZ);
	t->memsz = rd64(ph + PH_MEMSZ);
	t->flags = rd32(ph + PH_FLAGS) & SEG_RWX;
	out->tls_align = rd64(ph + PH_ALIGN);
	if (out->has_tls)
		return refuse(out, "more than one TLS segment");
	if (!in_file(t->offset, t->filesz, len) || t->filesz > t->memsz)
		return refuse(out, "TLS segment %u is malformed", i);
	if (out->tls_align & (out->tls_align - 1))
		return refuse(out, "TLS segment %u alignment is not a power of two", i);
	out->has_tls = true;
	return 0;
}

/* No two segments share a page; the entry is in an executable one. */
static int check_layout(struct elf_info *out)
{
	uint64_t f1, n1, f2, n2;
	bool entry_ok = false;

	if (out->nseg == 0)
		return refuse(out, "no loadable segments");
	out->lo = ELF_USER_HI;
	out->hi = 0;
	for (unsigned i = 0; i < out->nseg; i++) {
		const struct elf_segment *s = &out->seg[i];

		elf_segment_pages(s, &f1, &n1);
		for (unsigned j = 0; j < i; j++) {
			elf_segment_pages(&out->seg[j], &f2, &n2);
			if (f1 < f2 + n2 * ELF_PAGE_SIZE && f2 < f1 + n1 * ELF_PAGE_SIZE)
				return refuse(out, "loadable segments %u and %u overlap", j, i);
		}
		out->lo = MIN(out->lo, f1);
		out->hi = MAX(out->hi, f1 + n1 * ELF_PAGE_SIZE);
		if ((s->flags & ELF_SEG_X) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return refuse(out, "entry point %#llx is not in an executable segment",
			      (unsigned long long)out->entry);
	return 0;
}

int elf_parse(const void *img, size_t len, struct elf_info *out)
{
	const uint8_t *b = img;
	uint64_t phoff;
	unsigned phnum;
	int r;

	memset(out, 0, sizeof(*out));
	out->stack_flags = ELF_SEG_R | ELF_SEG_W;
	r = check_ehdr(b, len, out);
	if (r)
		return r;
	out->entry = rd64(b + EH_ENTRY);
	phoff = rd64(b + EH_PHOFF);
	phnum = rd16(b + EH_PHNUM);
	if (phnum == 0)
		return refuse(out, "no program headers");
	if (phnum > ELF_MAX_PHDRS)
		return refuse(out, "too many program headers (%u, at most %u)", phnum,
			      ELF_MAX_PHDRS);
	if (rd16(b + EH_PHENTSIZE) != PHDR_SIZE)
		return refuse(out, "bad program header size %u", rd16(b + EH_PHENTSIZE));
	if (!in_file(phoff, (uint64_t)phnum * PHDR_SIZE, len))
		return refuse(out, "program headers run past the end of the file");

	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (size_t)i * PHDR_SIZE;
		uint32_t type = rd32(ph + PH_TYPE);

		r = 0;
		if (type == PT_LOAD) {
			r = add_load(ph, i, len, out);
		} else if (type == PT_INTERP) {
			r = refuse(out, "dynamically linked (has an interpreter); "
					"only static executables are supported");
		} else if (type == PT_TLS) {
			r = set_tls(ph, i, len, out);
		} else if (type == PT_GNU_STACK) {
			out->has_stack_hdr = true;
			out->stack_flags = rd32(ph + PH_FLAGS) & SEG_RWX;
			if (out->stack_flags & ELF_SEG_X)
				r = refuse(out, "executable stack requested (PT_GNU_STACK)");
		}
		if (r)
			return r;
	}
	return check_layout(out);
}

void elf_segment_pages(const struct elf_segment *seg, uint64_t *first, uint64_t *npages)
{
	uint64_t lo = ALIGN_DOWN(seg->vaddr, ELF_PAGE_SIZE);
	uint64_t hi = ALIGN_UP(seg->vaddr + seg->memsz, ELF_PAGE_SIZE);

	*first = lo;
	*npages = (hi - lo) / ELF_PAGE_SIZE;
}

void elf_segment_fill(const void *img, const struct elf_segment *seg, uint64_t page_va, void *page)
{
	uint64_t lo = MAX(page_va, seg->vaddr);
	uint64_t hi = MIN(page_va + ELF_PAGE_SIZE, seg->vaddr + seg->filesz);

	memset(page, 0, ELF_PAGE_SIZE);
	if (lo < hi)
		memcpy((uint8_t *)page + (lo - page_va),
		       (const uint8_t *)img + seg->offset + (lo - seg->vaddr), hi - lo);
}
