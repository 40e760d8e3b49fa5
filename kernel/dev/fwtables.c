/*
 * fwtables.c - the list of firmware tables for SYS_FWTABLES (see
 * fwtables.h).
 *
 * Entry 0 is the RSDP ("RSD "), then every table the RSDT/XSDT lists that
 * passed its header and checksum checks, in the root table's order, then
 * the DSDT and the FACS the FADT names (kernel/boot/acpi.c adds them in
 * that order). The RSDP's phys is where firmware keeps it; when the kernel
 * only has the boot loader's copy (the Multiboot2 tag) it looks for the
 * same bytes in the BIOS area and then in the EFI system table's
 * configuration table; found in neither, phys is 0: the root table and
 * everything it lists follow anyway.
 *
 * Objects: the static table below, written only by the boot CPU in
 * acpi_init before the APs start and before any process exists; read-only
 * afterwards, so readers take no lock.
 */
#include <string.h>
#include "base/err.h"
#include "core/log.h"
#include "dev/fwtables.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

static struct rb_fwtable tables[FWTABLES_MAX];
static size_t ntables;
static uint64_t root_phys;
static uint32_t root_len;

void fwtables_add(const char *sig, uint32_t len, uint64_t phys)
{
	if (ntables == FWTABLES_MAX) {
		kprintf("fwtables: %.4s at %#lx dropped: more than %d tables\n", sig,
			(unsigned long)phys, FWTABLES_MAX);
		return;
	}
	struct rb_fwtable *t = &tables[ntables++];
	memcpy(t->sig, sig, 4);
	t->len = len;
	t->phys = phys;
}

void fwtables_set_root(uint32_t len, uint64_t phys)
{
	root_phys = phys;
	root_len = len;
}

size_t fwtables_count(void)
{
	return ntables;
}

const struct rb_fwtable *fwtables_get(size_t i)
{
	return i < ntables ? &tables[i] : NULL;
}

void fwtables_root(uint64_t *phys, uint32_t *len)
{
	*phys = root_phys;
	*len = root_len;
}

/* SYS_FWTABLES(out, n): copy min(n, count) entries; the count. uid 0 only. */
long sys_fwtables(uint64_t uout, uint64_t n, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (proc_uid(proc_current()) != 0)
		return -E_PERM;
	size_t k = n < ntables ? (size_t)n : ntables;
	if (k && copy_to_user(uout, tables, k * sizeof tables[0]) < 0)
		return -E_FAULT;
	return (long)ntables;
}
