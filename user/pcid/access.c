/*
 * access.c - how pcid reaches configuration space (docs/pcid.md).
 *
 * ECAM (PCIe base spec 7.2.2): every MCFG allocation's window is mapped
 * once with physmap; a function's 4 KiB are at base + (bus << 20 | dev <<
 * 15 | fn << 12). An ECAM access is one load or store of its own, so
 * accesses to different devices share nothing and need no lock (callers
 * hold the device's lock only around sequences on one device).
 *
 * Legacy configuration mechanism #1 (PCI Local Bus spec 3.0 3.2.2.3.2):
 * an address written to 0xCF8, then data at 0xCFC-0xCFF. The port pair is
 * one shared register, so legacy_lock makes the two steps one.
 *
 * A write that can change the memory map (a COMMAND write that flips
 * decoding or Bus Master, a BAR or window written while decoding:
 * pci_cfg_write_moves_map) is made with SYS_HWSTORE, while every other CPU
 * is parked: under QEMU 7.2's multi-threaded TCG a
 * memory-map change that races with another vCPU's MMIO can crash QEMU
 * (docs/pcid.md). Other writes are plain stores.
 *
 * Where the MCFG comes from: SYS_FWTABLES; a kernel without it (ENOSYS,
 * before hardware grants) gets the RSDP scan of 0xE0000-0xFFFFF and a walk
 * of the RSDT/XSDT through physmap, as BIOS firmware places them. Legacy
 * ports are used only when SYS_FWTABLES exists: a kernel without it has no
 * I/O port grants either, and an in/out would end pcid.
 */
#include <string.h>
#include "acpi/mcfg.h"
#include "acpi/rsdp.h"
#include "base/err.h"
#include "pcid.h"
#include "rb/port.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/syscall.h"

#define PAGE 4096ull
#define MAX_TABLES 64

static struct pcid_access *the_acc;
static struct rb_mutex legacy_lock = RB_MUTEX_INIT;

static void *map_phys(uint64_t phys, size_t len)
{
	uint64_t base = phys & ~(PAGE - 1);
	size_t maplen = (size_t)((phys - base + len + PAGE - 1) & ~(PAGE - 1));
	long a = rb_syscall3(SYS_PHYSMAP, (long)base, (long)maplen, RB_PROT_READ);
	if (a < 0)
		return NULL;
	return (uint8_t *)a + (phys - base);
}

static void unmap_phys(void *p, size_t len)
{
	uint64_t v = (uint64_t)p, base = v & ~(PAGE - 1);
	rb_munmap((void *)base, (size_t)((v - base + len + PAGE - 1) & ~(PAGE - 1)));
}

/* Map the table at phys, check its signature and length: the mapping or NULL. */
static const uint8_t *map_table(uint64_t phys, const char *sig, size_t *len)
{
	const struct acpi_sdt_hdr *h = map_phys(phys, sizeof *h);
	if (!h)
		return NULL;
	bool match = memcmp(h->signature, sig, 4) == 0;
	size_t l = h->length;
	unmap_phys((void *)h, sizeof *h);
	if (!match || l < sizeof *h || l > (1u << 20))
		return NULL;
	*len = l;
	return map_phys(phys, l);
}

static int parse_mcfg_at(uint64_t phys, struct mcfg_info *mi)
{
	size_t len;
	const uint8_t *t = map_table(phys, "MCFG", &len);
	if (!t)
		return -E_NOENT;
	int r = mcfg_parse(t, len, mi);
	unmap_phys((void *)t, len);
	return r;
}

/* The RSDP from the BIOS area, then the root table's entries. */
static int mcfg_by_scan(struct mcfg_info *mi)
{
	const uint8_t *bios = map_phys(0xe0000, 0x20000);
	if (!bios)
		return -E_NOENT;
	struct rsdp_info ri;
	size_t off;
	int r = rsdp_scan(bios, 0x20000, &off, &ri);
	unmap_phys((void *)bios, 0x20000);
	if (r < 0)
		return r;
	bool x;
	uint64_t root = rsdp_root(&ri, &x);
	size_t len;
	const uint8_t *t = map_table(root, x ? "XSDT" : "RSDT", &len);
	if (!t)
		return -E_NOENT;
	uint64_t addrs[MAX_TABLES];
	size_t n = 0;
	r = acpi_root_entries(t, len, addrs, MAX_TABLES, &n, NULL);
	unmap_phys((void *)t, len);
	if (r < 0 && r != -E_OVERFLOW)
		return r;
	for (size_t i = 0; i < n && i < MAX_TABLES; i++)
		if (parse_mcfg_at(addrs[i], mi) == 0)
			return 0;
	return -E_NOENT;
}

/* 0 with *mi filled, -E_NOENT (no MCFG), -E_NOSYS (no SYS_FWTABLES and no
   table found by the scan either) or another error of SYS_FWTABLES. */
static int find_mcfg(struct mcfg_info *mi)
{
	static struct rb_fwtable tabs[MAX_TABLES];
	long n = rb_fwtables(tabs, MAX_TABLES);
	if (n == -E_NOSYS)
		return mcfg_by_scan(mi) == 0 ? 0 : -E_NOSYS;
	if (n < 0)
		return (int)n;
	for (long i = 0; i < n && i < MAX_TABLES; i++)
		if (memcmp(tabs[i].sig, "MCFG", 4) == 0 && parse_mcfg_at(tabs[i].phys, mi) == 0)
			return 0;
	return -E_NOENT;
}

void pcid_access_init(struct pcid_access *acc)
{
	static struct mcfg_info mi;
	memset(acc, 0, sizeof *acc);
	the_acc = acc;
	int r = find_mcfg(&mi);
	if (r == 0) {
		for (uint32_t i = 0; i < mi.nentries && acc->necam < PCID_MAX_ECAM; i++) {
			const struct mcfg_entry *e = &mi.entries[i];
			if (e->bus_start > e->bus_end)
				continue;
			uint64_t phys = e->base + ((uint64_t)e->bus_start << 20);
			size_t len = (size_t)(e->bus_end - e->bus_start + 1) << 20;
			long a = rb_syscall3(SYS_PHYSMAP, (long)phys, (long)len,
					     RB_PROT_READ | RB_PROT_WRITE);
			if (a < 0) {
				rb_printf(
				    "pcid: cannot map ECAM of segment %u at %#llx: error %ld\n",
				    e->segment, (unsigned long long)phys, -a);
				continue;
			}
			acc->ecam[acc->necam++] = (struct pcid_ecam){
			    .seg = e->segment,
			    .bus_start = e->bus_start,
			    .bus_end = e->bus_end,
			    .phys = phys,
			    .virt = (volatile uint8_t *)a,
			};
		}
		if (acc->necam) {
			acc->how = "ECAM";
			return;
		}
	}
	if (r == -E_NOSYS) {
		acc->how = "none: no MCFG found and this kernel grants no I/O ports (no "
			   "SYS_FWTABLES)";
		return;
	}
	acc->legacy = true;
	acc->how = "legacy 0xcf8/0xcfc ports (no MCFG)";
}

static volatile uint8_t *ecam_at(struct pci_addr a, uint16_t off)
{
	for (unsigned i = 0; i < the_acc->necam; i++) {
		const struct pcid_ecam *e = &the_acc->ecam[i];
		if (e->seg == a.seg && a.bus >= e->bus_start && a.bus <= e->bus_end)
			return e->virt + ((size_t)(a.bus - e->bus_start) << 20 |
					  (size_t)(a.dev & 31) << 15 | (size_t)(a.fn & 7) << 12 |
					  (off & 0xfff));
	}
	return NULL;
}

static uint32_t ones(unsigned width)
{
	return width == 4 ? 0xffffffffu : width == 2 ? 0xffffu : 0xffu;
}

static uint32_t ecam_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	volatile uint8_t *p = ecam_at(a, off);
	if (!p || off + width > 4096)
		return ones(width);
	switch (width) {
	case 4:
		return *(volatile uint32_t *)p;
	case 2:
		return *(volatile uint16_t *)p;
	default:
		return *p;
	}
}

static void ecam_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
	volatile uint8_t *p = ecam_at(a, off);
	if (!p || off + width > 4096)
		return;
	uint16_t cmd = *(volatile uint16_t *)ecam_at(a, PCI_COMMAND);
	if (pci_cfg_write_moves_map(off, width, v, cmd) &&
	    rb_hwstore(RB_HWSTORE_MMIO, (uintptr_t)p, width, v) == 0)
		return;
	switch (width) {
	case 4:
		*(volatile uint32_t *)p = v;
		break;
	case 2:
		*(volatile uint16_t *)p = (uint16_t)v;
		break;
	default:
		*p = (uint8_t)v;
	}
}

static uint32_t legacy_addr(struct pci_addr a, uint16_t off)
{
	return 0x80000000u | (uint32_t)a.bus << 16 | (uint32_t)(a.dev & 31) << 11 |
	       (uint32_t)(a.fn & 7) << 8 | (off & 0xfc);
}

static uint32_t legacy_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	if (a.seg != 0 || off + width > 256)
		return ones(width);
	uint32_t v;
	rb_mutex_lock(&legacy_lock);
	rb_outl(0xcf8, legacy_addr(a, off));
	uint16_t port = (uint16_t)(0xcfc + (off & 3));
	v = width == 4 ? rb_inl(port) : width == 2 ? rb_inw(port) : rb_inb(port);
	rb_mutex_unlock(&legacy_lock);
	return v;
}

static void legacy_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
	if (a.seg != 0 || off + width > 256)
		return;
	rb_mutex_lock(&legacy_lock);
	rb_outl(0xcf8, legacy_addr(a, PCI_COMMAND));
	uint16_t cmd = rb_inw(0xcfc);
	if (pci_cfg_write_moves_map(off, width, v, cmd) &&
	    rb_hwstore(RB_HWSTORE_PCI_PORT, legacy_addr(a, off) | (off & 3u), width, v) == 0) {
		rb_mutex_unlock(&legacy_lock);
		return;
	}
	rb_outl(0xcf8, legacy_addr(a, off));
	uint16_t port = (uint16_t)(0xcfc + (off & 3));
	if (width == 4)
		rb_outl(port, v);
	else if (width == 2)
		rb_outw(port, (uint16_t)v);
	else
		rb_outb(port, (uint8_t)v);
	rb_mutex_unlock(&legacy_lock);
}

const struct pci_cfg_ops pcid_ecam_ops = {.read = ecam_read, .write = ecam_write};
const struct pci_cfg_ops pcid_legacy_ops = {.read = legacy_read, .write = legacy_write};
