/*
 * paging.c - build the final kernel page tables (see paging.h).
 *
 * Four-level paging (Intel SDM Vol 3A §4.5). The kernel image is mapped with
 * 4 KiB pages so each section gets exactly its permissions: text R-X,
 * rodata and the symbol table R--, data and bss RW-; nothing is ever both
 * writable and executable, and CR0.WP makes the kernel obey that too.
 * The direct map uses 1 GiB pages where the CPU has them, else 2 MiB, all
 * NX. RAM is write-back there; MMIO below 4 GiB also falls in the direct
 * map, where the firmware's MTRRs make it uncached, but drivers use
 * mmio_map(), which maps with PCD|PWT explicitly.
 *
 * Locking: the kernel half's tables belong to this file. paging_init builds
 * them on the boot CPU alone; after that every change (mmio_map,
 * paging_map_kernel, paging_*_identity) holds kmap_lock with interrupts off,
 * so two CPUs never both create the table for one slot (one would be lost)
 * and the MMIO window cursor mmio_next moves only under it, so windows never
 * overlap. Page-table pages are allocated under kmap_lock (the physical
 * allocator's lock nests inside). TLB flushing stays the caller's job.
 * User tables belong to one address space (kernel/mm/vm.c) whose lock the
 * caller holds around every paging_user_* call that changes them, except
 * while the space has no threads (exec builds it, destroy frees it).
 * Table pages, once linked, stay until paging_user_destroy, so a walker
 * may keep a pointer to one. Leaf entries are cleared with an atomic
 * exchange, because the CPU's page walker sets their A/D bits concurrently
 * and because the old value decides who frees the page.
 */
#include <stdbool.h>
#include <string.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "base/err.h"
#include "base/compiler.h"
#include "core/panic.h"
#include "sync/irqlock.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __ksyms_start[], __ksyms_end[];

static uint64_t root_phys;
static page_alloc_fn alloc_page;
/* The MMIO window: 16 TiB from MMIO_BASE, well below selftest.c's fixed page. */
#define MMIO_END (MMIO_BASE + (1ull << 44))
#define MMIO_MAX_LEN (1ull << 32) /* the largest one mapping (a framebuffer fits) */

static struct spinlock kmap_lock = SPINLOCK_INIT; /* kernel-half tables, mmio_next */
static uint64_t mmio_next = MMIO_BASE;		  /* next free MMIO window address */
static bool have_nx, have_1g;

static uint64_t *table_at(uint64_t phys)
{
	return phys_to_virt(phys);
}

/* The entry for va at level (3 = PML4 ... 0 = PT), creating tables on the way. */
static uint64_t *pte_walk(uint64_t va, int level)
{
	uint64_t *t = table_at(root_phys);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			uint64_t p = alloc_page();
			KASSERT(p != 0, "out of memory for page tables");
			__atomic_store_n(e, p | PTE_P | PTE_W, __ATOMIC_RELEASE);
		}
		KASSERT(!(*e & PTE_PS), "walk into a large page at %lx", (unsigned long)va);
		t = table_at(*e & PTE_ADDR);
	}
	return &t[(va >> (12 + 9 * level)) & 511];
}

static uint64_t nx(void)
{
	return have_nx ? PTE_NX : 0;
}

/* Map [va, va+len) -> pa with 4 KiB pages; kmap_lock held (or boot CPU alone). */
static void map_range_4k(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		__atomic_store_n(pte_walk(va + off, 0), (pa + off) | flags | PTE_P,
				 __ATOMIC_RELEASE);
}

static void map_image_section(char *start, char *end, uint64_t flags)
{
	uint64_t va = (uint64_t)start;
	map_range_4k(va, va - KERNEL_VMA, (uint64_t)(end - start), flags | PTE_G);
}

void paging_init(uint64_t top, page_alloc_fn alloc)
{
	alloc_page = alloc;
	struct cpuid_regs ext = cpuid(0x80000001, 0);
	have_nx = ext.edx & (1u << 20);
	have_1g = ext.edx & (1u << 26);
	root_phys = alloc_page();
	KASSERT(root_phys != 0, "no page for the kernel PML4");

	map_image_section(__text_start, __text_end, 0);
	map_image_section(__rodata_start, __rodata_end, nx());
	map_image_section(__data_start, __data_end, PTE_W | nx());
	map_image_section(__ksyms_start, __ksyms_end, nx());

	uint64_t big = have_1g ? 1ull << 30 : 1ull << 21;
	top = ALIGN_UP(top, big);
	for (uint64_t pa = 0; pa < top; pa += big)
		*pte_walk(DIRECT_MAP_BASE + pa, have_1g ? 2 : 1) =
		    pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx();

	/* Give every kernel-half PML4 slot its PDPT now, so user address spaces
	   can share the kernel half by copying the 256 upper entries once. */
	uint64_t *root = table_at(root_phys);
	for (int i = 256; i < 512; i++) {
		if (!(root[i] & PTE_P)) {
			uint64_t p = alloc_page();
			KASSERT(p != 0, "out of memory for kernel page tables");
			root[i] = p | PTE_P | PTE_W;
		}
	}

	write_cr3(root_phys);
	write_cr0(read_cr0() | (1u << 16)); /* WP: supervisor writes obey R/O */
	write_cr4(read_cr4() | (1u << 7));  /* PGE: keep global kernel entries */
}

void *mmio_map(uint64_t paddr, size_t len)
{
	uint64_t off = paddr & (PAGE_SIZE - 1);
	uint64_t base = paddr - off;
	if (len == 0 || len > MMIO_MAX_LEN)
		return NULL;
	uint64_t size = ALIGN_UP(len + off, PAGE_SIZE);
	uint64_t f = spin_lock_irqsave(&kmap_lock);
	uint64_t va = mmio_next;
	if (va + size + PAGE_SIZE > MMIO_END) {
		spin_unlock_irqrestore(&kmap_lock, f);
		return NULL;
	}
	mmio_next += size + PAGE_SIZE; /* an unmapped guard page between mappings */
	map_range_4k(va, base, size, PTE_W | PTE_PCD | PTE_PWT | PTE_G | nx());
	spin_unlock_irqrestore(&kmap_lock, f);
	return (void *)(va + off);
}

uint64_t paging_kernel_lookup(uint64_t va)
{
	uint64_t f = spin_lock_irqsave(&kmap_lock);
	uint64_t *t = table_at(root_phys), e = 0;
	for (int l = 3; l >= 0; l--) {
		e = t[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P) || (e & PTE_PS) || l == 0)
			break;
		t = table_at(e & PTE_ADDR);
	}
	spin_unlock_irqrestore(&kmap_lock, f);
	return e & PTE_P ? e : 0;
}

uint64_t virt_to_phys(const void *v)
{
	uint64_t a = (uint64_t)v;
	if (a >= KERNEL_VMA)
		return a - KERNEL_VMA;
	return a - DIRECT_MAP_BASE;
}

uint64_t paging_kernel_root(void)
{
	return root_phys;
}

void paging_map_identity(uint64_t paddr, size_t len)
{
	uint64_t f = spin_lock_irqsave(&kmap_lock);
	map_range_4k(paddr, paddr, ALIGN_UP(len, PAGE_SIZE), PTE_W);
	spin_unlock_irqrestore(&kmap_lock, f);
}

void paging_unmap_identity(uint64_t paddr, size_t len)
{
	uint64_t f = spin_lock_irqsave(&kmap_lock);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		__atomic_store_n(pte_walk(paddr + off, 0), 0, __ATOMIC_RELEASE);
		invlpg(paddr + off);
	}
	spin_unlock_irqrestore(&kmap_lock, f);
}

void paging_map_kernel(uint64_t va, uint64_t paddr, size_t len)
{
	uint64_t f = spin_lock_irqsave(&kmap_lock);
	map_range_4k(va, paddr, ALIGN_UP(len, PAGE_SIZE), PTE_W | PTE_G | nx());
	spin_unlock_irqrestore(&kmap_lock, f);
}

uint64_t paging_user_root_new(void)
{
	uint64_t p = alloc_page();
	if (!p)
		return 0;
	uint64_t *dst = table_at(p), *src = table_at(root_phys);
	for (int i = 256; i < 512; i++)
		dst[i] = src[i];
	return p;
}

/* The level-0 entry for va under root, creating tables (user-accessible) if create. */
static uint64_t *user_pte(uint64_t root, uint64_t va, bool create)
{
	uint64_t *t = table_at(root);
	for (int l = 3; l > 0; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t p = alloc_page();
			if (!p)
				return NULL;
			*e = p | PTE_P | PTE_W | PTE_U;
		}
		t = table_at(*e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

int paging_user_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *e = user_pte(root, va, true);
	if (!e)
		return -E_NOMEM;
	uint64_t v =
	    pa | (flags & ~PTE_X_WANTED) | PTE_P | PTE_U | ((flags & PTE_X_WANTED) ? 0 : nx());
	__atomic_store_n(e, v, __ATOMIC_RELEASE); /* one store: walkers see old or new */
	return 0;
}

unsigned paging_user_tables_missing(uint64_t root, uint64_t va)
{
	uint64_t *t = table_at(root);
	for (int l = 3; l > 0; l--) {
		uint64_t e = t[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P))
			return (unsigned)l; /* this level's table and every one below it */
		t = table_at(e & PTE_ADDR);
	}
	return 0;
}

uint64_t paging_user_lookup(uint64_t root, uint64_t va)
{
	uint64_t *e = user_pte(root, va, false);
	return e && (*e & PTE_P) ? *e : 0;
}

uint64_t paging_user_unmap(uint64_t root, uint64_t va)
{
	uint64_t *e = user_pte(root, va, false);
	if (!e)
		return 0;
	uint64_t old = __atomic_exchange_n(e, 0, __ATOMIC_ACQ_REL);
	return old & PTE_P ? old : 0;
}

/* The new value of leaf entry old with rights flags; the frame, ownership
   and cache attributes (PCD/PWT of a physmap) stay. */
static uint64_t with_rights(uint64_t old, uint64_t flags)
{
	uint64_t keep = old & (PTE_ADDR | PTE_OWNED | PTE_PCD | PTE_PWT);
	uint64_t rights = flags & (PTE_W | PTE_PCD | PTE_PWT);
	return keep | rights | PTE_P | PTE_U | ((flags & PTE_X_WANTED) ? 0 : nx());
}

static uint64_t index_at(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/*
 * Call fn on each present leaf entry for [va, end) under root, skipping
 * absent tables whole. fn returns false to stop before that entry; the
 * result is where the walk stopped (end when it finished).
 */
static uint64_t walk_leaves(uint64_t root, uint64_t va, uint64_t end,
			    bool (*fn)(uint64_t *e, void *ctx), void *ctx)
{
	while (va < end) {
		uint64_t *t = table_at(root);
		int l = 3;
		for (; l > 0; l--) {
			uint64_t e = __atomic_load_n(&t[index_at(va, l)], __ATOMIC_ACQUIRE);
			if (!(e & PTE_P))
				break;
			t = table_at(e & PTE_ADDR);
		}
		uint64_t span = 1ull << (12 + 9 * l); /* what the entry at level l covers */
		uint64_t next = (va & ~(span - 1)) + span;
		if (l == 0) {
			next =
			    (va & ~((1ull << 21) - 1)) + (1ull << 21); /* the end of this table */
			for (; va < next && va < end; va += PAGE_SIZE) {
				uint64_t *e = &t[index_at(va, 0)];
				if ((__atomic_load_n(e, __ATOMIC_RELAXED) & PTE_P) && !fn(e, ctx))
					return va;
			}
		}
		va = next;
	}
	return end;
}

struct take_ctx {
	uint64_t *out;
	size_t n, cap;
};

static bool take_one(uint64_t *e, void *c)
{
	struct take_ctx *ctx = c;
	if (ctx->n == ctx->cap)
		return false;
	uint64_t old = __atomic_exchange_n(e, 0, __ATOMIC_ACQ_REL);
	if (old & PTE_P)
		ctx->out[ctx->n++] = old;
	return true;
}

uint64_t paging_user_take(uint64_t root, uint64_t va, uint64_t end, uint64_t *out, size_t cap,
			  size_t *n)
{
	struct take_ctx ctx = {out, 0, cap};
	uint64_t stop = walk_leaves(root, va, end, take_one, &ctx);
	*n = ctx.n;
	return stop;
}

struct protect_ctx {
	uint64_t flags;
	size_t changed;
};

static bool protect_one(uint64_t *e, void *c)
{
	struct protect_ctx *ctx = c;
	uint64_t old = *e, want = with_rights(old, ctx->flags);
	if (old != want &&
	    __atomic_compare_exchange_n(e, &old, want, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		ctx->changed++;
	return true;
}

size_t paging_user_protect_range(uint64_t root, uint64_t va, uint64_t end, uint64_t flags)
{
	struct protect_ctx ctx = {flags, 0};
	(void)walk_leaves(root, va, end, protect_one, &ctx);
	return ctx.changed;
}

/* Free the user half below table t at level l; owned leaf pages go back too. */
static void free_level(uint64_t *t, int l, void (*free_page)(uint64_t))
{
	for (int i = 0; i < (l == 3 ? 256 : 512); i++) {
		uint64_t e = t[i];
		if (!(e & PTE_P))
			continue;
		if (l == 0) {
			if (e & PTE_OWNED)
				free_page(e & PTE_ADDR);
			continue;
		}
		free_level(table_at(e & PTE_ADDR), l - 1, free_page);
		free_page(e & PTE_ADDR);
	}
}

void paging_user_destroy(uint64_t root, void (*free_page)(uint64_t))
{
	free_level(table_at(root), 3, free_page);
	free_page(root);
}
