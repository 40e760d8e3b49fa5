/*
 * smp_layout.h - the AP trampoline's place in memory and its data block,
 * shared by trampoline.S and smp.c.
 *
 * TRAMP_BASE must be page-aligned and below 1 MiB (a SIPI vector is a page
 * number below 0x100); the first 1 MiB is never handed out by the page
 * allocator, so the page is ours. The data block is the last
 * TRAMP_DATA_SIZE bytes of the blob.
 */
#pragma once

#define TRAMP_BASE 0x8000
#define TRAMP_DATA_SIZE 32

#ifndef __ASSEMBLER__
#include <stdint.h>
struct tramp_data {
	uint32_t cr3;	 /* physical PML4 of the kernel, < 4 GiB */
	uint32_t efer;	 /* EFER bits to set: LME, and NXE if used */
	uint32_t ticket; /* next ticket; APs fetch-add it */
	uint32_t abort;	 /* set by the BSP at the deadline: late APs halt */
	uint64_t stacks; /* kernel VA of uint64_t stack_tops[] */
	uint64_t entry;	 /* kernel VA of ap_entry */
};
_Static_assert(sizeof(struct tramp_data) == TRAMP_DATA_SIZE, "trampoline data layout");
#endif
