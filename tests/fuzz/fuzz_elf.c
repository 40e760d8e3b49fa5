/*
 * fuzz_elf.c - libFuzzer target for elf_parse() and elf_segment_fill().
 *
 * Each input is copied into a buffer exactly its size (so ASan sees any read
 * past the end) and parsed. An accepted image must keep the promises of
 * elf.h, checked here with abort(): segments inside the file and the user
 * half, never W+X, no two sharing a page, the entry in an executable one.
 * Then the first few pages of each segment are filled, as the exec path
 * would. A refusal must come with a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "elf/elf.h"

static struct elf_info info;
static uint8_t page[ELF_PAGE_SIZE];

/* The invariants an accepted image guarantees to the loader. */
static void check_accepted(size_t size)
{
	bool entry_ok = false;

	if (info.nseg == 0 || info.nseg > ELF_MAX_SEGMENTS || info.lo >= info.hi)
		abort();
	for (unsigned i = 0; i < info.nseg; i++) {
		const struct elf_segment *s = &info.seg[i];

		if (s->offset > size || s->filesz > size - s->offset || s->filesz > s->memsz)
			abort();
		if (s->vaddr < ELF_USER_LO || s->memsz == 0 || s->memsz > ELF_USER_HI - s->vaddr)
			abort();
		if ((s->flags & ELF_SEG_W) && (s->flags & ELF_SEG_X))
			abort();
		if (s->vaddr < info.lo || s->vaddr + s->memsz > info.hi)
			abort();
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &info.seg[j];

			if (ALIGN_DOWN(s->vaddr, ELF_PAGE_SIZE) <
				ALIGN_UP(t->vaddr + t->memsz, ELF_PAGE_SIZE) &&
			    ALIGN_DOWN(t->vaddr, ELF_PAGE_SIZE) <
				ALIGN_UP(s->vaddr + s->memsz, ELF_PAGE_SIZE))
				abort();
		}
		if ((s->flags & ELF_SEG_X) && info.entry >= s->vaddr &&
		    info.entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok || (info.stack_flags & ELF_SEG_X))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *b;
	int r;

	if (size > (1u << 20))
		return 0;
	b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	r = elf_parse(b, size, &info);
	if (r == 0) {
		check_accepted(size);
		for (unsigned i = 0; i < info.nseg; i++) {
			uint64_t first, n;

			elf_segment_pages(&info.seg[i], &first, &n);
			for (uint64_t p = 0; p < n && p < 4; p++)
				elf_segment_fill(b, &info.seg[i], first + p * ELF_PAGE_SIZE, page);
			if (n > 4)
				elf_segment_fill(b, &info.seg[i], first + (n - 1) * ELF_PAGE_SIZE,
						 page);
		}
	} else if (r != -E_NOEXEC || info.error[0] == '\0') {
		abort();
	}
	free(b);
	return 0;
}
