/*
 * exec.c - load an ELF executable from initfs into a new address space.
 *
 * lib/elf checks the image (static, W^X, user half, no shared pages); each
 * segment page gets its own frame, filled by elf_segment_fill and mapped
 * with exactly the segment's rights. The stack (USER_STACK_PAGES, NX) sits
 * just below USER_STACK_TOP; its top page receives argc, argv, envp and the
 * strings in the System V layout, written through the direct map.
 *
 * Every page and page table of the new space, and its root, is charged to
 * the new process's account (mm/memacct.h) as it is allocated, so a spawn
 * past the caller's limits fails with ENOMEM before it takes the memory.
 *
 * Ownership and locking: none shared. The address space exec_load builds
 * belongs to the caller alone until it publishes it (proc_spawn, which
 * frees it with exec_free_root on failure or when the process ends);
 * initfs images are read-only after boot; argv and envp are kernel copies.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "proc/exec.h"
#include "scheme/file.h"
#include "mm/mem.h"
#include "mm/memacct.h"
#include "elf/elf.h"

#define USER_STACK_TOP 0x00007FFFFFFFF000ull
#define USER_STACK_PAGES 16

static void free_frame(uint64_t pa)
{
	page_free(pa, 1);
}

/* Map one new zeroed page, charged to a, at va in root with flags; its
   physical address or 0. */
static uint64_t map_new(struct mem_acct *a, uint64_t root, uint64_t va, uint64_t flags)
{
	uint64_t pa = memacct_page_alloc(a);
	if (!pa)
		return 0;
	if (memacct_map(a, root, va, pa, flags | PTE_OWNED) < 0) {
		memacct_page_free(a, pa);
		return 0;
	}
	return pa;
}

static int load_segments(struct mem_acct *a, uint64_t root, const uint8_t *img,
			 const struct elf_info *ei)
{
	for (unsigned s = 0; s < ei->nseg; s++) {
		const struct elf_segment *seg = &ei->seg[s];
		uint64_t first, n;
		elf_segment_pages(seg, &first, &n);
		uint64_t flags = (seg->flags & ELF_SEG_W ? PTE_W : 0) |
				 (seg->flags & ELF_SEG_X ? PTE_X_WANTED : 0);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t va = first + i * PAGE_SIZE;
			uint64_t pa = map_new(a, root, va, flags);
			if (!pa)
				return -E_NOMEM;
			elf_segment_fill(img, seg, va, phys_to_virt(pa));
		}
	}
	return 0;
}

/* Lay out argc/argv/envp in the stack's top page; the initial rsp. */
static int build_stack(uint8_t *top_page, char *const argv[], int argc, char *const envp[],
		       int envc, uint64_t *rsp)
{
	uint64_t page_va = USER_STACK_TOP - PAGE_SIZE;
	size_t strings = 0;
	for (int i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1;
	for (int i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1;
	size_t ptrs = (size_t)(1 + argc + 1 + envc + 1) * 8;
	if (strings + ptrs + 64 > PAGE_SIZE)
		return -E_2BIG;
	size_t str_off = PAGE_SIZE - ALIGN_UP(strings, 16);
	size_t ptr_off = ALIGN_DOWN(str_off - ptrs, 16);
	uint64_t *p = (uint64_t *)(top_page + ptr_off);
	char *str = (char *)(top_page + str_off);
	*p++ = (uint64_t)argc;
	char *const *lists[2] = {argv, envp};
	int counts[2] = {argc, envc};
	for (int l = 0; l < 2; l++) {
		for (int i = 0; i < counts[l]; i++) {
			size_t len = strlen(lists[l][i]) + 1;
			memcpy(str, lists[l][i], len);
			*p++ = page_va + (uint64_t)(str - (char *)top_page);
			str += len;
		}
		*p++ = 0;
	}
	*rsp = page_va + ptr_off;
	return 0;
}

int exec_load(const char *path, char *const argv[], int argc, char *const envp[], int envc,
	      struct mem_acct *acct, struct exec_image *out)
{
	if (strncmp(path, "initfs:", 7) != 0)
		return -E_NOENT;
	size_t len;
	const uint8_t *img = initfs_file(path + 7, &len);
	if (!img)
		return -E_NOENT;
	struct elf_info *ei = kmalloc(sizeof *ei); /* ~800 bytes: too big for the stack */
	if (!ei)
		return -E_NOMEM;
	if (elf_parse(img, len, ei) < 0) {
		memcpy(out->error, ei->error, sizeof out->error);
		out->error[sizeof out->error - 1] = '\0';
		kfree(ei);
		return -E_NOEXEC;
	}
	uint64_t root = memacct_root_new(acct);
	int err = root ? load_segments(acct, root, img, ei) : -E_NOMEM;
	uint64_t top_pa = 0;
	for (int i = 1; err == 0 && i <= USER_STACK_PAGES; i++) {
		uint64_t pa = map_new(acct, root, USER_STACK_TOP - (uint64_t)i * PAGE_SIZE, PTE_W);
		if (!pa)
			err = -E_NOMEM;
		if (i == 1)
			top_pa = pa;
	}
	if (err == 0)
		err = build_stack(phys_to_virt(top_pa), argv, argc, envp, envc, &out->rsp);
	if (err == 0) {
		out->root = root;
		out->entry = ei->entry;
		out->brk = ALIGN_UP(ei->hi, PAGE_SIZE);
	} else if (root) {
		exec_free_root(root, acct);
	}
	kfree(ei);
	return err;
}

void exec_free_root(uint64_t root, struct mem_acct *acct)
{
	paging_user_destroy(root, free_frame);
	memacct_release(acct);
}
