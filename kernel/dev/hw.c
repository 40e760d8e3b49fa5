/*
 * hw.c - hardware grants of processes (see hw.h, docs/hwaccess.md).
 *
 * Boot: hw_init parses initfs:/etc/hw.policy (lib/hw/hwpolicy.c) and
 * computes the named physical classes: acpi (every firmware table's
 * bytes, page-rounded, the root table and FACS included: dev/fwtables.c),
 * mcfg (the ECAM windows of the MCFG) and mmio (a predicate: no byte in
 * RAM of the memory map, below the CPU's physical address width). No
 * grant, class or explicit range, ever covers the kernel's own device
 * pages (LAPIC, IOAPICs, HPET, the AP start-up page). All of it is written once on the boot
 * CPU before any process exists and is read-only afterwards.
 *
 * Per process: struct hw_grants, reached from struct proc's hw pointer.
 * It is made at spawn for a process the policy grants something, or by
 * SYS_HWGRANT for a process that had nothing (installed with a
 * compare-and-swap, so two granters racing make one); it lives until the
 * process's last reference goes (hw_proc_free from proc_release). Grants
 * only ever grow. g->lock (a spinlock taken with interrupts off) orders
 * the writers; readers take no lock: the range count is published with a
 * release store after its entry is written, the bitmap's pointer with a
 * release store once it is filled, the irq right and class bits with
 * atomic ors, and the bitmap's bytes change only from 1 to 0 (hwio.h),
 * so a reader racing a grant sees the grant before it or after it.
 *
 * I/O bitmap: io_version is a number drawn from one global counter at
 * every change of this process's bitmap (0: no ports). The context switch
 * (hw_switch) hands the version, the bitmap and its used length to the
 * arch code, which copies the bytes into the CPU's TSS only when the
 * version differs from the one it holds. A grant to a process already
 * running on another CPU shows up there at its next switch, or at once
 * when its first use of a new port faults: hw_io_fault_retry sees the
 * version moved, reloads and lets the instruction run again.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "boot/acpi.h"
#include "boot/boot.h"
#include "core/log.h"
#include "dev/fwtables.h"
#include "core/ipi.h"
#include "dev/hw.h"
#include "mm/uaccess.h"
#include "hw/hwio.h"
#include "hw/hwpolicy.h"
#include "hw/hwrange.h"
#include "mm/mem.h"
#include "proc/proc.h"
#include "scheme/file.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"

#define HW_POLICY_PATH "/etc/hw.policy" /* in initfs */
#define HW_MAX_RANGES 64		/* explicit ranges per process: ENOMEM past it */
#define HW_IO_PAGES (HWIO_BYTES / PAGE_SIZE)
#define MAX_RAM_RANGES 128
#define MAX_KDEV 40 /* LAPIC, IOAPICs, HPET, the AP start-up page */

#define LOGGED_PHYSMAP 1u

struct hw_grants {
	struct spinlock lock; /* orders writers; readers are lock-free (see top) */
	bool irq;	      /* __atomic */
	uint8_t classes;      /* HWPOL_PHYS_* bits, __atomic */
	uint32_t nranges;     /* __atomic: ranges[0..nranges) are complete */
	uint32_t io_used;     /* __atomic: leading bytes of io with an open bit */
	uint64_t io_version;  /* __atomic: 0 = no ports */
	uint8_t *io;	      /* HWIO_BYTES, or NULL; published with release */
	struct hw_range ranges[HW_MAX_RANGES];
};

static struct hwpol_rule rules[HWPOL_MAX_RULES];
static size_t nrules;
static struct hw_range acpi_ranges[FWTABLES_MAX + 1];
static size_t nacpi;
static struct hw_range mcfg_ranges[MCFG_MAX_ENTRIES];
static size_t nmcfg;
static struct hw_range ram[MAX_RAM_RANGES];
static size_t nram;
static struct hw_range kdev[MAX_KDEV];
static size_t nkdev;
static uint64_t phys_top;
static _Atomic uint64_t io_versions; /* the last version handed out */

static void report(void *ctx, unsigned line, const char *why)
{
	kprintf("hw: %s line %u: %s; skipped\n", HW_POLICY_PATH, line, why);
}

static void add_range(struct hw_range *r, size_t *n, size_t max, uint64_t base, uint64_t len)
{
	struct hw_range pr;
	if (*n < max && hwrange_page_round(base, len, PAGE_SIZE, &pr))
		r[(*n)++] = pr;
}

static void classes_init(void)
{
	for (size_t i = 0; i < fwtables_count(); i++) {
		const struct rb_fwtable *t = fwtables_get(i);
		if (t->phys)
			add_range(acpi_ranges, &nacpi, ARRAY_SIZE(acpi_ranges), t->phys, t->len);
	}
	uint64_t root;
	uint32_t root_len;
	fwtables_root(&root, &root_len);
	if (root_len)
		add_range(acpi_ranges, &nacpi, ARRAY_SIZE(acpi_ranges), root, root_len);
	for (uint32_t i = 0; acpi.have_mcfg && i < acpi.mcfg.nentries; i++) {
		const struct mcfg_entry *e = &acpi.mcfg.entries[i];
		if (e->bus_start > e->bus_end)
			continue;
		uint64_t lo = e->base + ((uint64_t)e->bus_start << 20);
		uint64_t len = (uint64_t)(e->bus_end - e->bus_start + 1) << 20;
		if (lo >= e->base)
			add_range(mcfg_ranges, &nmcfg, ARRAY_SIZE(mcfg_ranges), lo, len);
	}
	struct mb2_mmap_entry m;
	for (size_t i = 0; i < boot_mbi.mmap_count && nram < MAX_RAM_RANGES; i++) {
		if (mb2_mmap_entry(&boot_mbi, i, &m) < 0)
			continue;
		if (mb2_mem_is_ram(m.type))
			add_range(ram, &nram, MAX_RAM_RANGES, m.base, m.len);
	}
	add_range(kdev, &nkdev, MAX_KDEV, arch_lapic_base(), PAGE_SIZE);
	add_range(kdev, &nkdev, MAX_KDEV, TRAMP_BASE, PAGE_SIZE);
	for (uint32_t i = 0; acpi.have_madt && i < acpi.madt.nioapics; i++)
		add_range(kdev, &nkdev, MAX_KDEV, acpi.madt.ioapics[i].address, PAGE_SIZE);
	if (acpi.have_hpet)
		add_range(kdev, &nkdev, MAX_KDEV, acpi.hpet.base.address, PAGE_SIZE);
	unsigned bits = arch_phys_addr_bits();
	phys_top = bits >= 64 ? ~0ull : 1ull << bits;
}

void hw_init(void)
{
	classes_init();
	size_t len;
	const uint8_t *text = initfs_file(HW_POLICY_PATH, &len);
	if (!text) {
		kprintf("hw: no initfs:%s; no process gets hardware grants\n", HW_POLICY_PATH);
		return;
	}
	nrules = hwpol_parse((const char *)text, len, rules, HWPOL_MAX_RULES, report, NULL);
	kprintf("hw: %zu rules from initfs:%s; classes: acpi %zu ranges, mcfg %zu, "
		"mmio outside %zu RAM ranges and %zu kernel device pages\n",
		nrules, HW_POLICY_PATH, nacpi, nmcfg, nram, nkdev);
}

static struct hw_grants *grants_of(struct proc *p)
{
	return __atomic_load_n(&p->hw, __ATOMIC_ACQUIRE);
}

static struct hw_grants *grants_new(void)
{
	struct hw_grants *g = kzalloc(sizeof *g);
	if (g)
		spin_init(&g->lock);
	return g;
}

/* p's grants, made if it has none; NULL when out of memory. */
static struct hw_grants *grants_get(struct proc *p)
{
	struct hw_grants *g = grants_of(p);
	if (g)
		return g;
	struct hw_grants *n = grants_new();
	if (!n)
		return NULL;
	if (__atomic_compare_exchange_n(&p->hw, &g, n, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return n;
	kfree(n); /* another granter installed one first: g is it */
	return g;
}

/* Make sure g has a bitmap (allocated outside the lock): 0 or -E_NOMEM. */
static int io_ensure(struct hw_grants *g)
{
	if (__atomic_load_n(&g->io, __ATOMIC_ACQUIRE))
		return 0;
	uint64_t pa = page_alloc(HW_IO_PAGES);
	if (!pa)
		return -E_NOMEM;
	uint8_t *bm = phys_to_virt(pa);
	hwio_init(bm);
	uint64_t f = spin_lock_irqsave(&g->lock);
	bool mine = !g->io;
	if (mine)
		__atomic_store_n(&g->io, bm, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&g->lock, f);
	if (!mine)
		page_free(pa, HW_IO_PAGES);
	return 0;
}

/* Open [first, last] in g's bitmap (which exists) and publish a new version. */
static void io_open(struct hw_grants *g, uint32_t first, uint32_t last)
{
	uint64_t f = spin_lock_irqsave(&g->lock);
	size_t used = hwio_open(g->io, first, last, g->io_used);
	__atomic_store_n(&g->io_used, (uint32_t)used, __ATOMIC_RELEASE);
	uint64_t v = __atomic_add_fetch(&io_versions, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&g->io_version, v, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&g->lock, f);
}

/* Add [base, base + len) (page-rounded) to g's explicit ranges: 0 or -E_NOMEM. */
static int range_add(struct hw_grants *g, uint64_t base, uint64_t len)
{
	struct hw_range r;
	if (!hwrange_page_round(base, len, PAGE_SIZE, &r))
		return -E_INVAL;
	int err = 0;
	uint64_t f = spin_lock_irqsave(&g->lock);
	uint32_t n = g->nranges;
	if (hwrange_find(g->ranges, n, r.base, r.len) >= 0)
		err = 0; /* held already */
	else if (n == HW_MAX_RANGES)
		err = -E_NOMEM;
	else {
		g->ranges[n] = r;
		__atomic_store_n(&g->nranges, n + 1, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&g->lock, f);
	return err;
}

int hw_proc_spawn(struct proc *p)
{
	struct hwpol_grant pg;
	hwpol_collect(rules, nrules, p->path, proc_uid(p), &pg);
	if (hwpol_grant_empty(&pg))
		return 0;
	struct hw_grants *g = grants_new();
	if (!g)
		return -E_NOMEM;
	p->hw = g; /* p is not published yet: nobody else sees it */
	g->irq = pg.irq;
	g->classes = pg.phys;
	if (!pg.all_ports && !pg.nports)
		return 0;
	int err = io_ensure(g);
	if (err < 0)
		return err;
	if (pg.all_ports)
		io_open(g, 0, HWIO_PORTS - 1);
	for (size_t i = 0; i < pg.nports; i++)
		io_open(g, pg.ports[i].first, pg.ports[i].last);
	return 0;
}

void hw_proc_free(struct proc *p)
{
	struct hw_grants *g = p->hw;
	if (!g)
		return;
	p->hw = NULL;
	if (g->io)
		page_free(virt_to_phys(g->io), HW_IO_PAGES);
	kfree(g);
}

bool hw_irq_allowed(struct proc *p)
{
	struct hw_grants *g = grants_of(p);
	return g && __atomic_load_n(&g->irq, __ATOMIC_ACQUIRE);
}

static bool mmio_ok(uint64_t base, uint64_t len)
{
	return base + len > base && base + len <= phys_top &&
	       !hwrange_overlaps(ram, nram, base, len);
}

/* Does g hold all of [base, base + len) inside one range or class? Never
   when it touches a kernel device page: a firmware table whose length
   reaches over the LAPIC (the FACS's is not checksummed) grants no more
   than the mmio class does. */
static bool phys_held(struct hw_grants *g, uint64_t base, uint64_t len)
{
	if (!g || hwrange_overlaps(kdev, nkdev, base, len))
		return false;
	uint32_t n = __atomic_load_n(&g->nranges, __ATOMIC_ACQUIRE);
	if (hwrange_find(g->ranges, n, base, len) >= 0)
		return true;
	uint8_t c = __atomic_load_n(&g->classes, __ATOMIC_ACQUIRE);
	if ((c & HWPOL_PHYS_ACPI) && hwrange_find(acpi_ranges, nacpi, base, len) >= 0)
		return true;
	if ((c & HWPOL_PHYS_MCFG) && hwrange_find(mcfg_ranges, nmcfg, base, len) >= 0)
		return true;
	return (c & HWPOL_PHYS_MMIO) && mmio_ok(base, len);
}

int hw_phys_check(struct proc *p, uint64_t base, uint64_t len)
{
	if (phys_held(grants_of(p), base, len))
		return 0;
	if (!(__atomic_fetch_or(&p->hw_logged, LOGGED_PHYSMAP, __ATOMIC_RELAXED) & LOGGED_PHYSMAP))
		kprintf("hw: pid %d (%s): physmap %#lx+%#lx refused: not inside a granted range "
			"(logged once)\n",
			p->pid, p->path, (unsigned long)base, (unsigned long)len);
	return -E_PERM;
}

static bool ports_held(struct hw_grants *g, uint64_t base, uint64_t len)
{
	const uint8_t *io = g ? __atomic_load_n(&g->io, __ATOMIC_ACQUIRE) : NULL;
	return io && len <= HWIO_PORTS && hwio_allowed(io, (uint32_t)base, (uint32_t)len);
}

void hw_switch(struct proc *p)
{
	struct hw_grants *g = p ? grants_of(p) : NULL;
	uint64_t v = g ? __atomic_load_n(&g->io_version, __ATOMIC_ACQUIRE) : 0;
	if (!v) {
		arch_io_bitmap_off();
		return;
	}
	arch_io_bitmap_load(v, g->io, __atomic_load_n(&g->io_used, __ATOMIC_ACQUIRE));
}

bool hw_io_fault_retry(void)
{
	struct proc *p = proc_current();
	struct hw_grants *g = p ? grants_of(p) : NULL;
	uint64_t v = g ? __atomic_load_n(&g->io_version, __ATOMIC_ACQUIRE) : 0;
	if (!v || v == arch_io_bitmap_key())
		return false;
	hw_switch(p);
	return true;
}

/* Give target what the caller holds: 0 or -E_*. */
static int grant(struct proc *caller, struct proc *target, uint64_t kind, uint64_t base,
		 uint64_t len)
{
	struct hw_grants *mine = grants_of(caller);
	switch (kind) {
	case RB_HW_IRQ:
		if (!hw_irq_allowed(caller))
			return -E_PERM;
		break;
	case RB_HW_PORT:
		if (len == 0 || base >= HWIO_PORTS || len > HWIO_PORTS - base)
			return -E_INVAL;
		if (!ports_held(mine, base, len))
			return -E_PERM;
		break;
	case RB_HW_PHYS: {
		struct hw_range r;
		if (!hwrange_page_round(base, len, PAGE_SIZE, &r))
			return -E_INVAL;
		if (!phys_held(mine, r.base, r.len))
			return -E_PERM;
		base = r.base;
		len = r.len;
		break;
	}
	default:
		return -E_INVAL;
	}
	struct hw_grants *g = grants_get(target);
	if (!g)
		return -E_NOMEM;
	if (kind == RB_HW_IRQ) {
		__atomic_store_n(&g->irq, true, __ATOMIC_RELEASE);
		return 0;
	}
	if (kind == RB_HW_PHYS)
		return range_add(g, base, len);
	if (ports_held(g, base, len))
		return 0; /* held already: no new version, so no CPU copies the bitmap again */
	int err = io_ensure(g);
	if (err == 0)
		io_open(g, (uint32_t)base, (uint32_t)(base + len - 1));
	return err;
}

/* SYS_HWGRANT(pid, kind, base, len): 0 or -E_PERM/-E_INVAL/-E_NOENT/-E_NOMEM. */
long sys_hwgrant(uint64_t pid, uint64_t kind, uint64_t base, uint64_t len, uint64_t e, uint64_t f)
{
	struct proc *me = proc_current();
	if (proc_uid(me) != 0)
		return -E_PERM;
	if (pid == 0 || pid > (uint64_t)INT32_MAX)
		return -E_NOENT;
	struct proc *target = proc_find((int)pid);
	if (!target)
		return -E_NOENT;
	int err = __atomic_load_n(&target->exited, __ATOMIC_ACQUIRE)
		      ? -E_NOENT
		      : grant(me, target, kind, base, len);
	proc_put(target);
	return err;
}

/* ---------------------------------------------------------------- SYS_HWSTORE */

struct hwstore {
	uint32_t kind, width, val, cfa; /* cfa: the 0xCF8 dword (RB_HWSTORE_PCI_PORT) */
	uint64_t addr;			/* the user address (RB_HWSTORE_MMIO) */
	int err;
};

/* The store itself, run while every other CPU is parked (smp_run_alone). */
static void hwstore_do(void *arg)
{
	struct hwstore *h = arg;
	if (h->kind == RB_HWSTORE_MMIO) {
		h->err = user_store(h->addr, h->val, h->width);
		return;
	}
	arch_port_write(0xcf8, 4, h->cfa);
	arch_port_write((uint16_t)(0xcfc + (h->addr & 3)), h->width, h->val);
	h->err = 0;
}

/*
 * SYS_HWSTORE(kind, addr, width, val): one device register store made
 * while every other CPU waits, touching nothing but RAM. pcid uses it for
 * the config writes that change what a function decodes (COMMAND, BARs):
 * under QEMU 7.2's multi-threaded TCG such a memory-map change races with
 * another vCPU's MMIO and can crash QEMU (docs/hwaccess.md). MMIO: addr is
 * the caller's own mapping of the register (width-aligned); PCI_PORT:
 * addr's low 2 bits pick 0xCFC-0xCFF and addr & ~3 is the 0xCF8 dword
 * (the caller must hold ports 0xcf8-0xcff). The caller needs the irq right.
 */
long sys_hwstore(uint64_t kind, uint64_t addr, uint64_t width, uint64_t val, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if (!hw_irq_allowed(p))
		return -E_PERM;
	if ((width != 1 && width != 2 && width != 4) || val > UINT32_MAX)
		return -E_INVAL;
	struct hwstore h = {
	    .kind = (uint32_t)kind, .width = (uint32_t)width, .val = (uint32_t)val, .addr = addr};
	if (kind == RB_HWSTORE_MMIO) {
		if ((addr & (width - 1)) || !user_range_ok(addr, width))
			return -E_INVAL;
	} else if (kind == RB_HWSTORE_PCI_PORT) {
		if (addr > UINT32_MAX || ((addr & 3) & (width - 1)) || (addr & 3) + width > 4)
			return -E_INVAL;
		if (!ports_held(grants_of(p), 0xcf8, 8))
			return -E_PERM;
		h.cfa = (uint32_t)addr & ~3u;
	} else {
		return -E_INVAL;
	}
	smp_run_alone(hwstore_do, &h);
	return h.err;
}