/*
 * mem.c - bring up memory management: physical allocator, final page
 * tables and the heap (see mem.h).
 *
 * The Multiboot2 memory map says what is RAM. Everything starts used; the
 * "available" ranges are freed; then the kernel image, boot modules, the
 * MBI, the allocator's own bitmap and the first 1 MiB (real-mode area and
 * the AP trampoline page) are reserved again, and pmm_check() verifies the
 * result before anything is handed out. Locking: one spinlock for the
 * physical allocator, one for the heap (the heap's nests the allocator's);
 * the copy of the memory map and total_pages are written once at boot and
 * read-only after.
 * mem_heap_stats copies the heap's counters under the heap lock.
 *
 * The kernel keeps a reserve of free pages for itself (its heap, page
 * tables, stacks): user memory (page_alloc_user, and every charge of
 * kernel/mm/memacct.c) is refused while it would dip into it. The reserve
 * is set once in mem_init from the free pages then (lib/mm/memlimit.h)
 * and read-only after; page_alloc_user checks it under pmm_lock.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "boot/boot.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "core/time.h"
#include "sync/irqlock.h"
#include "mm/memacct.h"
#include "mm/memlimit.h"
#include "mm/pmm.h"
#include "mm/slab.h"

#define MAX_MAP 128
#define MAX_RESERVED (8 + MB2_MAX_MODULES)
#define FOUR_GIB (4ull << 30)

extern char __kernel_end[];

static struct pmm pmm;
static struct spinlock pmm_lock = SPINLOCK_INIT;
static struct slab_heap heap;
static struct spinlock heap_lock = SPINLOCK_INIT;
static uint64_t direct_top;
static uint64_t reserve;		/* pages user memory never takes; set in mem_init */
static uint64_t total_pages;		/* free after the allocator's self-check; set in mem_init */
static struct pmm_mem mem_map[MAX_MAP]; /* the boot memory map, read-only after mem_init */
static size_t mem_map_n;

uint64_t page_alloc(size_t npages)
{
	uint64_t pa;
	uint64_t f = spin_lock_irqsave(&pmm_lock);
	int err = pmm_alloc(&pmm, npages, 1, &pa);
	spin_unlock_irqrestore(&pmm_lock, f);
	if (err < 0)
		return 0;
	memset(phys_to_virt(pa), 0, npages * PAGE_SIZE);
	return pa;
}

uint64_t page_alloc_user(void)
{
	uint64_t pa;
	uint64_t f = spin_lock_irqsave(&pmm_lock);
	int err = pmm_free_pages(&pmm) > reserve ? pmm_alloc(&pmm, 1, 1, &pa) : -E_NOMEM;
	spin_unlock_irqrestore(&pmm_lock, f);
	if (err < 0)
		return 0;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

bool mem_user_may_take(uint64_t npages)
{
	uint64_t f = spin_lock_irqsave(&pmm_lock);
	bool ok = pmm_free_pages(&pmm) >= reserve + npages;
	spin_unlock_irqrestore(&pmm_lock, f);
	return ok;
}

uint64_t mem_reserve_pages(void)
{
	return reserve;
}

bool mem_range_is_ram(uint64_t base, uint64_t len)
{
	for (size_t i = 0; i < mem_map_n; i++) {
		const struct pmm_mem *m = &mem_map[i];
		if (m->type == PMM_MEM_AVAILABLE && base < m->base + m->len && m->base < base + len)
			return true;
	}
	return false;
}

void page_free(uint64_t paddr, size_t npages)
{
	uint64_t f = spin_lock_irqsave(&pmm_lock);
	int err = pmm_free(&pmm, paddr, npages);
	spin_unlock_irqrestore(&pmm_lock, f);
	KASSERT(err == 0, "page_free(%#lx, %zu): %s", (unsigned long)paddr, npages, err_name(err));
}

static uint64_t one_page(void)
{
	return page_alloc(1);
}

uint64_t mem_direct_map_top(void)
{
	return direct_top;
}

uint64_t mem_total_pages(void)
{
	return total_pages;
}

uint64_t mem_free_pages(void)
{
	return pmm_free_pages(&pmm);
}

static void *heap_pages(void *ctx, size_t npages)
{
	uint64_t pa;
	if (pmm_alloc(&pmm, npages, 1, &pa) < 0) /* heap lock held; pmm lock nests inside */
		return NULL;
	return phys_to_virt(pa);
}

static void heap_pages_free(void *ctx, void *p, size_t npages)
{
	int err = pmm_free(&pmm, virt_to_phys(p), npages);
	KASSERT(err == 0, "heap returned pages it did not own");
}

static void heap_corrupt(void *ctx, const char *what, void *obj)
{
	panic("heap corruption: %s (object %p)", what, obj);
}

void *kmalloc(size_t size)
{
	uint64_t f = spin_lock_irqsave(&heap_lock);
	uint64_t g = spin_lock_irqsave(&pmm_lock);
	void *p = slab_alloc(&heap, size);
	spin_unlock_irqrestore(&pmm_lock, g);
	spin_unlock_irqrestore(&heap_lock, f);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void mem_trim(void)
{
	uint64_t f = spin_lock_irqsave(&heap_lock);
	uint64_t g = spin_lock_irqsave(&pmm_lock);
	slab_trim(&heap);
	spin_unlock_irqrestore(&pmm_lock, g);
	spin_unlock_irqrestore(&heap_lock, f);
}

#define TRIM_GAP_NS 10000000ull /* 10 ms between trims for unprivileged callers */

void mem_trim_shared(void)
{
	static uint64_t last_ns; /* atomic: time_ns() of the last trim taken here */
	uint64_t now = time_ns();
	uint64_t last = __atomic_load_n(&last_ns, __ATOMIC_RELAXED);
	if (last != 0 && now - last < TRIM_GAP_NS)
		return;
	/* One caller per gap wins the exchange; the rest read a free count
	   that may include up to 10 ms of cached slabs. */
	if (!__atomic_compare_exchange_n(&last_ns, &last, now ? now : 1, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	mem_trim();
}

void mem_heap_stats(struct slab_stats *out)
{
	uint64_t f = spin_lock_irqsave(&heap_lock);
	slab_stats(&heap, out);
	spin_unlock_irqrestore(&heap_lock, f);
}

void kfree(void *p)
{
	if (!p)
		return;
	uint64_t f = spin_lock_irqsave(&heap_lock);
	uint64_t g = spin_lock_irqsave(&pmm_lock);
	slab_free(&heap, p);
	spin_unlock_irqrestore(&pmm_lock, g);
	spin_unlock_irqrestore(&heap_lock, f);
}

/* Collect the memory map and the ranges that must never be handed out. */
static size_t collect(struct pmm_mem *map, struct pmm_range *res, size_t *nres)
{
	size_t n = 0;
	for (size_t i = 0; i < boot_mbi.mmap_count && n < MAX_MAP; i++) {
		struct mb2_mmap_entry e;
		if (mb2_mmap_entry(&boot_mbi, i, &e) < 0)
			break;
		map[n++] = (struct pmm_mem){e.base, e.len, e.type};
	}
	size_t r = 0;
	res[r++] = (struct pmm_range){0, 1 << 20};
	res[r++] = (struct pmm_range){0x200000, (uint64_t)__kernel_end - KERNEL_VMA - 0x200000};
	res[r++] = (struct pmm_range){boot_mbi_phys, boot_mbi.total_size};
	for (size_t i = 0; i < boot_mbi.nmodules; i++)
		res[r++] = (struct pmm_range){boot_mbi.modules[i].start,
					      boot_mbi.modules[i].end - boot_mbi.modules[i].start};
	*nres = r;
	return n;
}

void mem_init(void)
{
	static struct pmm_range reserved[MAX_RESERVED];
	struct pmm_mem *map = mem_map;
	size_t nres;
	size_t n = collect(map, reserved, &nres);
	mem_map_n = n;
	if (n == 0)
		panic("mem: the boot loader gave no memory map");

	uint64_t top, avail;
	pmm_mem_summary(map, n, &top, &avail);
	/* Map what holds RAM or firmware tables; reserved holes far above RAM
	   (QEMU puts one just below 1 TiB) would cost page tables for nothing. */
	for (size_t i = 0; i < n; i++)
		if ((map[i].type == MB2_MEM_AVAILABLE || map[i].type == MB2_MEM_ACPI_RECLAIM ||
		     map[i].type == MB2_MEM_NVS) &&
		    map[i].base + map[i].len > direct_top)
			direct_top = map[i].base + map[i].len;
	if (direct_top < FOUR_GIB)
		direct_top = FOUR_GIB; /* MMIO, ACPI and the framebuffer live below 4 GiB */

	uint64_t npages = top / PAGE_SIZE;
	uint64_t bm_bytes = pmm_bitmap_bytes(npages), bm;
	if (pmm_find_run(map, n, reserved, nres, bm_bytes, &bm) < 0 || bm + bm_bytes > FOUR_GIB)
		panic("mem: no room below 4 GiB for the %lu-byte page bitmap",
		      (unsigned long)bm_bytes);
	reserved[nres++] = (struct pmm_range){bm, bm_bytes};

	pmm_init(&pmm, phys_to_virt(bm), npages);
	for (size_t i = 0; i < n; i++)
		if (map[i].type == PMM_MEM_AVAILABLE)
			pmm_free_range(&pmm, map[i].base, map[i].len);
	for (size_t i = 0; i < nres; i++)
		pmm_reserve_range(&pmm, reserved[i].base, reserved[i].len);
	char why[96];
	if (pmm_check(&pmm, reserved, nres, why, sizeof why) < 0)
		panic("mem: physical allocator self-check failed: %s", why);
	total_pages = pmm_free_pages(&pmm);
	kprintf("mem: %lu MiB available, %lu pages free, top %#lx; self-check ok\n",
		(unsigned long)(avail >> 20), (unsigned long)pmm_free_pages(&pmm),
		(unsigned long)top);

	paging_init(direct_top, one_page);
	kprintf("mem: kernel page tables loaded (W^X image, NX direct map up to %#lx)\n",
		(unsigned long)direct_top);

	bool debug = cmdline_flag(&boot_cmdline, "debug");
	slab_init(&heap, heap_pages, heap_pages_free, heap_corrupt, NULL, debug);
	kprintf("mem: heap ready%s\n", debug ? " (debug: red zones and poison)" : "");
	uint64_t free = pmm_free_pages(&pmm);
	reserve = memlimit_reserve(free);
	memacct_boot(memlimit_uid_default(free));
	kprintf("mem: %lu pages kept for the kernel; %lu pages per non-root uid\n",
		(unsigned long)reserve, (unsigned long)memlimit_uid_default(free));
}
