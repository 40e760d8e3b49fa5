/*
 * acpi.c - find, check and parse the static ACPI tables at boot.
 *
 * The RSDP comes from the Multiboot2 tags (the ACPI 2.0 copy before the 1.0
 * one), else from the BIOS areas: the first KiB of the EBDA, then
 * 0xE0000-0xFFFFF. Every table the RSDT/XSDT lists is mapped through the
 * direct map, its header and checksum checked (lib/acpi), and the ones the
 * kernel uses are parsed into struct acpi_tables. A bad table is logged
 * once with its signature and the parser's reason, and ignored; it never
 * stops the boot. `acpi.dump` on the command line hex-dumps every table
 * (used to make test fixtures from QEMU's own tables).
 *
 * The first VALID table of each signature wins: a later one is logged and
 * ignored, and one that fails its checksum or its parse does not count as
 * the first (a broken extra MADT must not hide a good one). For tests,
 * `acpi.override=SIG` lets a later valid table replace the first, which is
 * how a test injects (with QEMU's -acpitable) a hostile table in place of
 * QEMU's own.
 *
 * acpi_mmio_problem() checks an MMIO address a table names against the
 * memory map, the AP start-up page, the local APIC page and the CPU's
 * physical address width (lib/acpi/fwaddr.c); the LAPIC, I/O APIC and
 * HPET code call it before they map anything.
 *
 * The DSDT is handed to power_init() (power.c), which reads \_S5_ for
 * power-off.
 *
 * Boot CPU only: acpi_init() runs once in kmain() before the other CPUs
 * start; afterwards struct acpi_tables is read-only.
 */
#include <string.h>
#include "arch.h"
#include "acpi/fwaddr.h"
#include "acpi/rsdp.h"
#include "acpi/sdt.h"
#include "base/err.h"
#include "boot/acpi.h"
#include "boot/boot.h"
#include "boot/power.h"
#include "core/log.h"
#include "dev/fwtables.h"
#include "mm/mem.h"
#include "fmt/fmt.h"

struct acpi_tables acpi;

#define MAX_ROOT_ENTRIES 128
#define MAX_RAM_RANGES 128

/* The bytes of the table at phys, or NULL if it lies outside the direct map. */
static const uint8_t *acpi_map(uint64_t phys, size_t len)
{
	if (phys == 0 || phys + len < phys || phys + len > mem_direct_map_top())
		return NULL;
	return phys_to_virt(phys);
}

/* UEFI: the configuration table of the EFI system table (UEFI 2.10
   §4.3: NumberOfTableEntries at 104, ConfigurationTable at 112; §4.6: 24-byte
   entries, a GUID then VendorTable) names the RSDP firmware made; the entry
   whose bytes equal the boot loader's copy p is it. 0 if none. */
static uint64_t rsdp_phys_from_efi(const uint8_t *p, size_t len)
{
	const uint8_t *st = boot_mbi.has_efi64_systab ? acpi_map(boot_mbi.efi64_systab, 120) : NULL;
	if (!st)
		return 0;
	uint64_t n, tab;
	memcpy(&n, st + 104, 8);
	memcpy(&tab, st + 112, 8);
	if (n > 256)
		n = 256; /* far more than any firmware has; bounds a bad table */
	const uint8_t *e = acpi_map(tab, (size_t)n * 24);
	for (uint64_t i = 0; e && i < n; i++) {
		uint64_t vt;
		memcpy(&vt, e + 24 * i + 16, 8);
		const uint8_t *r = acpi_map(vt, len);
		if (r && memcmp(r, p, len) == 0)
			return vt;
	}
	return 0;
}

/* Where firmware keeps an RSDP with the same bytes as the boot loader's
   copy at p: the BIOS area, else the EFI system table's entry; 0 if
   neither has it. For SYS_FWTABLES. */
static uint64_t rsdp_phys_of_copy(const uint8_t *p, size_t len)
{
	for (uint64_t a = 0xE0000; a + len <= 0x100000; a += 16)
		if (memcmp(phys_to_virt(a), p, len) == 0)
			return a;
	return rsdp_phys_from_efi(p, len);
}

static int find_rsdp(struct rsdp_info *ri, const char **where, uint64_t *phys)
{
	if (boot_mbi.rsdp_new && rsdp_validate(boot_mbi.rsdp_new, boot_mbi.rsdp_new_len, ri) == 0) {
		*where = "Multiboot2 ACPI 2.0 tag";
		*phys = rsdp_phys_of_copy(boot_mbi.rsdp_new, ri->length);
		return 0;
	}
	if (boot_mbi.rsdp_old && rsdp_validate(boot_mbi.rsdp_old, boot_mbi.rsdp_old_len, ri) == 0) {
		*where = "Multiboot2 ACPI 1.0 tag";
		*phys = rsdp_phys_of_copy(boot_mbi.rsdp_old, RSDP_V1_LEN);
		return 0;
	}
	size_t off;
	uint64_t ebda = (uint64_t) * (const uint16_t *)phys_to_virt(0x40E) << 4;
	if (ebda >= 0x80000 && ebda < 0xA0000 &&
	    rsdp_scan(phys_to_virt(ebda), 1024, &off, ri) == 0) {
		*where = "EBDA";
		*phys = ebda + off;
		return 0;
	}
	if (rsdp_scan(phys_to_virt(0xE0000), 0x20000, &off, ri) == 0) {
		*where = "BIOS area";
		*phys = 0xE0000 + off;
		return 0;
	}
	return -E_NOENT;
}

static void log_table_error(const char *sig, const struct acpi_diag *dg, int err)
{
	kprintf("acpi: %.4s: ignored: %s (%s)\n", sig, dg->msg[0] ? dg->msg : "invalid",
		err_name(err));
}

/* Log the one-line summary that lib/acpi's fn gives for *info. */
#define LOG_SUMMARY(fn, info)                                                                      \
	do {                                                                                       \
		char line_[160];                                                                   \
		fn(info, line_, sizeof line_);                                                     \
		kprintf("acpi: %s\n", line_);                                                      \
	} while (0)

static void hexdump_table(const uint8_t *t, size_t len)
{
	kprintf("acpi.dump: %.4s %zu\n", (const char *)t, len);
	for (size_t i = 0; i < len; i += 32) {
		char line[80];
		size_t n = 0;
		for (size_t j = i; j < len && j < i + 32; j++)
			n += (size_t)fmt_snprintf(line + n, sizeof line - n, "%02x", t[j]);
		kprintf("acpi.dump: %s\n", line);
	}
}

/* True if the command line asks a later valid sig to replace the first. */
static bool override_wanted(const char *sig)
{
	const char *o = cmdline_get(&boot_cmdline, "acpi.override");
	return o && strcmp(o, sig) == 0;
}

static void log_duplicate(const char *sig, const uint8_t *t)
{
	kprintf("acpi: %s: another table with this signature at %#lx ignored; "
		"the first valid one is kept\n",
		sig, (unsigned long)virt_to_phys(t));
}

static void log_override(const char *sig, const uint8_t *t)
{
	kprintf("acpi: %s: table at %#lx replaces the first one (acpi.override)\n", sig,
		(unsigned long)virt_to_phys(t));
}

/* After a parse: log the error, or the override and any firmware-bug
   warnings; true if the table is to be used. */
static bool parse_ok(const char *sig, const uint8_t *t, int err, const struct acpi_diag *dg,
		     bool replacing)
{
	if (err < 0) {
		log_table_error(sig, dg, err);
		return false;
	}
	if (replacing)
		log_override(sig, t);
	if (dg->warnings)
		kprintf("acpi: %s: firmware bug: %s (%u warnings)\n", sig, dg->msg, dg->warnings);
	return true;
}

/* Parse one table into its slot of struct acpi_tables (via scratch, so a
   table that fails its parse never clobbers a good one) and log its
   one-line summary. */
static void parse_table(const uint8_t *t, size_t len)
{
	static struct acpi_tables scratch;
	char sig[5] = {0};
	memcpy(sig, t, 4);

#define PARSE(name, parse, summary, info, flag)                                                    \
	if (strcmp(sig, name) == 0) {                                                              \
		if (acpi.flag && !override_wanted(sig)) {                                          \
			log_duplicate(sig, t);                                                     \
			return;                                                                    \
		}                                                                                  \
		int err_ = parse(t, len, &scratch.info);                                           \
		if (parse_ok(sig, t, err_, &scratch.info.diag, acpi.flag)) {                       \
			acpi.info = scratch.info;                                                  \
			acpi.flag = true;                                                          \
			LOG_SUMMARY(summary, &acpi.info);                                          \
		}                                                                                  \
		return;                                                                            \
	}
	PARSE("APIC", madt_parse, madt_summary, madt, have_madt)
	PARSE("SRAT", srat_parse, srat_summary, srat, have_srat)
	PARSE("SLIT", slit_parse, slit_summary, slit, have_slit)
	PARSE("MCFG", mcfg_parse, mcfg_summary, mcfg, have_mcfg)
	PARSE("HPET", hpet_parse, hpet_summary, hpet, have_hpet)
	PARSE("FACP", fadt_parse, fadt_summary, fadt, have_fadt)
	PARSE("DMAR", dmar_parse, dmar_summary, dmar, have_dmar)
#undef PARSE
	kprintf("acpi: %s: %zu bytes (not used by the kernel)\n", sig, len);
}

/* Map and check the table at phys; NULL (and a log line) if it is bad. */
static const uint8_t *checked_table(uint64_t phys, const char *expect, size_t *len)
{
	const uint8_t *hdr = acpi_map(phys, ACPI_SDT_HDR_LEN);
	if (!hdr) {
		kprintf("acpi: table at %#lx is outside memory; ignored\n", (unsigned long)phys);
		return NULL;
	}
	uint32_t full = *(const uint32_t *)(hdr + 4);
	const uint8_t *t = acpi_map(phys, full < ACPI_SDT_HDR_LEN ? ACPI_SDT_HDR_LEN : full);
	struct acpi_diag dg;
	acpi_diag_clear(&dg);
	int err = t ? acpi_sdt_check(t, full, expect, len, &dg) : -E_RANGE;
	if (err < 0) {
		char sig[5] = {0};
		memcpy(sig, hdr, 4);
		log_table_error(sig, &dg, err);
		return NULL;
	}
	return t;
}

/* List the FACS for SYS_FWTABLES: no checksum, but its signature and a
   length of at least 64 bytes (ACPI 6.5 5.2.10), inside the direct map.
   Every ACPI version's FACS is 64 bytes; without a checksum to vouch for a
   larger length, more than a page is refused, since the listed range is
   what acpid's `acpi` grant may map (U19). */
#define FACS_MAX_LEN 4096
static void record_facs(uint64_t phys)
{
	const uint8_t *h = phys ? acpi_map(phys, 8) : NULL;
	if (!h)
		return;
	uint32_t len = *(const uint32_t *)(h + 4);
	if (memcmp(h, "FACS", 4) != 0 || len < 64 || len > FACS_MAX_LEN || !acpi_map(phys, len)) {
		kprintf("acpi: FACS at %#lx: bad signature or length; not listed\n",
			(unsigned long)phys);
		return;
	}
	fwtables_add("FACS", len, phys);
}

void acpi_init(void)
{
	struct rsdp_info ri;
	const char *where;
	uint64_t rsdp_phys;
	if (find_rsdp(&ri, &where, &rsdp_phys) < 0) {
		kprintf("acpi: no RSDP found; running without ACPI\n");
		return;
	}
	char line[128];
	rsdp_summary(&ri, line, sizeof line);
	kprintf("acpi: %s (from %s)\n", line, where);
	fwtables_add("RSD ", ri.revision >= 2 ? ri.length : RSDP_V1_LEN, rsdp_phys);

	bool is_xsdt;
	uint64_t root_phys = rsdp_root(&ri, &is_xsdt);
	size_t root_len;
	const uint8_t *root = checked_table(root_phys, is_xsdt ? "XSDT" : "RSDT", &root_len);
	if (!root && is_xsdt) {
		kprintf("acpi: falling back to the RSDT\n");
		is_xsdt = false;
		root = checked_table(ri.rsdt_address, "RSDT", &root_len);
	}
	if (!root)
		return;
	fwtables_set_root((uint32_t)root_len, virt_to_phys(root));

	static uint64_t entries[MAX_ROOT_ENTRIES];
	size_t count;
	struct acpi_diag dg;
	acpi_diag_clear(&dg);
	int err = acpi_root_entries(root, root_len, entries, MAX_ROOT_ENTRIES, &count, &dg);
	if (err < 0 && err != -E_OVERFLOW) {
		log_table_error(is_xsdt ? "XSDT" : "RSDT", &dg, err);
		return;
	}
	if (count > MAX_ROOT_ENTRIES) {
		kprintf("acpi: %zu tables listed; only the first %d used\n", count,
			MAX_ROOT_ENTRIES);
		count = MAX_ROOT_ENTRIES;
	}
	bool dump = cmdline_flag(&boot_cmdline, "acpi.dump");
	kprintf("acpi: %s lists %zu tables\n", is_xsdt ? "XSDT" : "RSDT", count);
	for (size_t i = 0; i < count; i++) {
		size_t len;
		const uint8_t *t = checked_table(entries[i], NULL, &len);
		if (!t)
			continue;
		if (dump)
			hexdump_table(t, len);
		fwtables_add((const char *)t, (uint32_t)len, entries[i]);
		parse_table(t, len);
	}
	if (acpi.have_fadt)
		acpi.dsdt_phys = fadt_dsdt(&acpi.fadt);
	if (acpi.dsdt_phys) {
		size_t len;
		const uint8_t *t = checked_table(acpi.dsdt_phys, "DSDT", &len);
		if (t) {
			fwtables_add("DSDT", (uint32_t)len, acpi.dsdt_phys);
			kprintf("acpi: DSDT: %zu bytes of AML (for acpid)\n", len);
			if (dump)
				hexdump_table(t, len);
			power_init(t, len); /* \_S5_ for SYS_POWEROFF */
		}
	}
	if (acpi.have_fadt)
		record_facs(fadt_facs(&acpi.fadt));
}

const char *acpi_mmio_problem(uint64_t addr, uint64_t len)
{
	static struct fwaddr_range ram[MAX_RAM_RANGES];
	size_t nram = 0;
	struct mb2_mmap_entry e;
	for (size_t i = 0; i < boot_mbi.mmap_count && nram < MAX_RAM_RANGES; i++) {
		if (mb2_mmap_entry(&boot_mbi, i, &e) < 0)
			continue;
		if (mb2_mem_is_ram(e.type))
			ram[nram++] = (struct fwaddr_range){e.base, e.len};
	}
	struct fwaddr_facts f = {
	    .ram = ram,
	    .nram = nram,
	    .start_page = TRAMP_BASE,
	    .lapic_base = arch_lapic_base(),
	    .phys_bits = arch_phys_addr_bits(),
	};
	enum fwaddr_verdict v = fwaddr_check(addr, len, &f);
	return v == FWADDR_OK ? NULL : fwaddr_reason(v);
}
