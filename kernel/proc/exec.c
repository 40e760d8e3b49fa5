/*
 * exec.c - load an ELF executable into a new address space.
 *
 * The image comes from initfs ("initfs:/bin/x", read in place), or from a
 * file served by a user scheme (a plain "/bin/x" is file:'s, ramfsd's):
 * that file is opened with the caller's credentials, must be a regular
 * file with an execute bit and at most EXEC_MAX_IMAGE bytes, and is read
 * whole into pages of its own (read_image) which are freed once the
 * segments are copied. Other schemes (pipes, shm, the console) give
 * EACCES.
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
#include "scheme/uscheme.h"
#include "sched/sched.h"

#define EXEC_MAX_IMAGE (32u << 20) /* bytes of an image read from a user scheme */

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

static int exec_load_image(const uint8_t *img, size_t len, char *const argv[], int argc,
			   char *const envp[], int envc, struct mem_acct *acct,
			   struct exec_image *out);

/* The whole of path (a user scheme's regular, executable file) in *npages new pages at *pa,
   *len bytes of it: 0, or -E_ACCES, -E_NOEXEC (too big, or it changed while read), -E_NOMEM,
   or the open's or read's error. */
static int read_image(const char *path, uint64_t *pa, size_t *npages, size_t *len)
{
	struct file *f;
	int err = file_open(path, RB_O_RDONLY, &f);
	if (err < 0)
		return err;
	struct rb_stat st;
	if (!uscheme_file(f))
		err = -E_ACCES;
	else if ((err = file_fstat(f, &st)) < 0)
		;
	else if ((st.mode & 0xF000) != 0x8000 || !(st.mode & 0111))
		err = -E_ACCES;
	else if (st.size == 0 || st.size > EXEC_MAX_IMAGE)
		err = -E_NOEXEC;
	if (err < 0) {
		file_put(f);
		return err;
	}
	*len = (size_t)st.size;
	*npages = (*len + PAGE_SIZE - 1) / PAGE_SIZE;
	*pa = page_alloc(*npages);
	if (!*pa) {
		file_put(f);
		return -E_NOMEM;
	}
	long got = uscheme_read_kernel(f, phys_to_virt(*pa), *len);
	file_put(f);
	if (got == (long)*len)
		return 0;
	page_free(*pa, *npages);
	return got < 0 ? (int)got : -E_NOEXEC;
}

int exec_load(const char *path, char *const argv[], int argc, char *const envp[], int envc,
	      struct mem_acct *acct, struct exec_image *out)
{
	size_t len, npages = 0;
	uint64_t image_pa = 0;
	const uint8_t *img;
	out->error[0] = '\0';
	if (strncmp(path, "initfs:", 7) == 0) {
		img = initfs_file(path + 7, &len);
		if (!img)
			return -E_NOENT;
	} else {
		int err = read_image(path, &image_pa, &npages, &len);
		if (err < 0)
			return err;
		img = phys_to_virt(image_pa);
		if (len < 4 || memcmp(img, "\177ELF", 4) != 0) {
			/* not a program (a script, say: a shell runs it with sh); nothing to log */
			page_free(image_pa, npages);
			return -E_NOEXEC;
		}
	}
	int err = exec_load_image(img, len, argv, argc, envp, envc, acct, out);
	if (image_pa)
		page_free(image_pa, npages);
	return err;
}

/* exec_load's work on an image in kernel memory. */
static int exec_load_image(const uint8_t *img, size_t len, char *const argv[], int argc,
			   char *const envp[], int envc, struct mem_acct *acct,
			   struct exec_image *out)
{
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
	sched_forget_root(root); /* no CPU may walk it once freed */
	paging_user_destroy(root, free_frame);
	memacct_release(acct);
}
