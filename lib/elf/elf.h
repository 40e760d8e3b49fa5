/*
 * elf.h - checks an ELF-64 x86-64 executable image and describes how to load
 * it (System V ABI, ELF-64 Object File Format 1.5, x86-64 psABI).
 *
 * elf_parse() takes the whole file as bytes and either fills struct elf_info
 * (entry point, the loadable segments, the lowest and highest user address)
 * or returns -E_NOEXEC with a one-line reason in info->error. Only static
 * executables (ET_EXEC, no PT_INTERP) are accepted; every PT_LOAD must lie in
 * the user half, be page-congruent with its file offset, share no page with
 * another segment and not be both writable and executable; the entry point
 * must be in an executable segment; an executable PT_GNU_STACK is refused.
 *
 * elf_segment_fill() then builds one page of a segment at a time: the caller
 * (the kernel's exec path) allocates a frame for each page in
 * elf_segment_pages(), fills it from the image and maps it with the
 * segment's permissions. Pure code: no locks, no allocation, no printing.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define ELF_MAX_PHDRS 32    /* more program headers than this: refused */
#define ELF_MAX_SEGMENTS 16 /* more non-empty PT_LOADs than this: refused */
#define ELF_PAGE_SIZE 4096ull
#define ELF_USER_LO 0x1000ull		  /* page 0 stays unmapped */
#define ELF_USER_HI 0x0000800000000000ull /* end of the lower canonical half */

/* Segment permissions (the ELF p_flags bits, same values). */
#define ELF_SEG_X 1u
#define ELF_SEG_W 2u
#define ELF_SEG_R 4u

struct elf_segment {
	uint64_t vaddr;	 /* first byte in user memory */
	uint64_t memsz;	 /* bytes in memory (> 0) */
	uint64_t offset; /* file offset of the first byte */
	uint64_t filesz; /* bytes taken from the file; the rest up to memsz is zero */
	uint32_t flags;	 /* ELF_SEG_R | ELF_SEG_W | ELF_SEG_X, never W and X */
};

struct elf_info {
	uint64_t entry; /* initial RIP */
	uint64_t lo;	/* lowest segment address, rounded down to a page */
	uint64_t hi;	/* end of the highest segment, rounded up to a page */
	unsigned nseg;	/* segments in seg[] (>= 1), in program header order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	bool has_stack_hdr;	/* a PT_GNU_STACK header was present */
	uint32_t stack_flags;	/* its flags (never ELF_SEG_X); R|W if absent */
	bool has_tls;		/* a PT_TLS header was present */
	struct elf_segment tls; /* its template: vaddr, filesz, memsz, flags */
	uint64_t tls_align;	/* its p_align */
	/* on -E_NOEXEC, why: e.g. "segment 2 runs past the end of the file" */
	char error[96];
};

/* Check the executable img[0..len) and describe it in *out; 0 or -E_NOEXEC. */
MUST_CHECK int elf_parse(const void *img, size_t len, struct elf_info *out);

/* First page address and page count that seg occupies in user memory. */
void elf_segment_pages(const struct elf_segment *seg, uint64_t *first, uint64_t *npages);

/*
 * Fill the 4 KiB page at user address page_va (one of seg's pages) into page:
 * the file bytes of seg that fall in it, zeros everywhere else. img must be
 * the image elf_parse() accepted seg from.
 */
void elf_segment_fill(const void *img, const struct elf_segment *seg, uint64_t page_va, void *page);
