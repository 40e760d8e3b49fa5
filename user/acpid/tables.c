/*
 * tables.c - the firmware's ACPI tables for acpid: listed by the kernel
 * (SYS_FWTABLES, not an environment variable that may be missing: U17),
 * each mapped through the bounded physmap, its header length bounded (at
 * most 16 MiB and within what the kernel listed) and its checksum checked;
 * a bad table is logged once and skipped. DSDT and SSDTs stay mapped (lib/aml
 * keeps pointers into them). Every other table is read through a cache of
 * copies bounded to ACPID_CACHE_MAX bytes in all: the least recently read
 * copy goes first; a table larger than the whole cache is copied for each
 * read and not kept (U35).
 *
 * Owned by main.c's struct acpid_state; acpid is one thread, no locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/sdt.h"
#include "base/err.h"
#include "internal.h"
#include "rb/syscall.h"
#include "rb/sys.h"

#define PAGE 4096ull

void *phys_map(uint64_t phys, size_t len, bool write, void **base, size_t *maplen)
{
	uint64_t start = phys & ~(PAGE - 1);
	uint64_t end = (phys + len + PAGE - 1) & ~(PAGE - 1);
	long r;

	if (len == 0 || phys + len < phys || phys + len > UINT64_MAX - PAGE)
		return NULL; /* the page rounding of end would wrap */
	r = rb_syscall3(SYS_PHYSMAP, (long)start, (long)(end - start),
			RB_PROT_READ | (write ? RB_PROT_WRITE : 0));
	if (RB_IS_ERR(r))
		return NULL;
	*base = (void *)r;
	*maplen = (size_t)(end - start);
	return (uint8_t *)r + (phys - start);
}

/* Map t whole: the mapping (and what to unmap) or NULL. */
static const uint8_t *map_table(const struct acpid_table *t, void **base, size_t *maplen)
{
	return phys_map(t->phys, t->len, false, base, maplen);
}

static bool is_aml(const char *sig)
{
	return strcmp(sig, "DSDT") == 0 || strcmp(sig, "SSDT") == 0;
}

/* Check the bytes of a listed table; 0 or the reason (logged by the caller). */
static const char *check_table(const struct acpid_table *t, const uint8_t *p)
{
	uint32_t len;

	if (memcmp(p, t->sig, 4) != 0)
		return "signature differs from the kernel's list";
	memcpy(&len, p + 4, 4);
	if (len != t->len)
		return "length differs from the kernel's list";
	/* the FACS has no checksum (ACPI 6.5 5.2.10) */
	if (strcmp(t->sig, "FACS") != 0 && acpi_checksum(p, t->len) != 0)
		return "bad checksum";
	return NULL;
}

static void name_table(struct acpid_state *st, struct acpid_table *t)
{
	unsigned same = 0;

	for (unsigned i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].sig, t->sig) == 0)
			same++;
	if (same == 0)
		snprintf(t->name, sizeof(t->name), "%s", t->sig);
	else
		snprintf(t->name, sizeof(t->name), "%s%u", t->sig, same + 1);
}

void tables_init(struct acpid_state *st)
{
	static struct rb_fwtable fw[ACPID_MAX_TABLES + 1];
	long n = rb_fwtables(fw, ACPID_MAX_TABLES + 1);

	if (n < 0) {
		st->fw_err = (int)n;
		printf("acpid: no firmware tables (%s): serving an empty acpi:\n",
		       err_name((int)n));
		return;
	}
	if (n > ACPID_MAX_TABLES + 1) {
		printf("acpid: %ld firmware tables, using the first %u\n", n, ACPID_MAX_TABLES);
		n = ACPID_MAX_TABLES + 1;
	}
	/* entry 0 is the RSDP, not a table with a header */
	for (long i = 1; i < n; i++) {
		struct acpid_table *t = &st->tables[st->ntables];
		const char *why = NULL;
		void *base = NULL;
		size_t maplen = 0;
		const uint8_t *p;

		memset(t, 0, sizeof(*t));
		memcpy(t->sig, fw[i].sig, 4);
		for (unsigned k = 0; k < 4; k++)
			if (t->sig[k] < 0x20 || t->sig[k] > 0x7e)
				t->sig[k] = '?';
		t->phys = fw[i].phys;
		t->len = fw[i].len;
		if (t->len < 36)
			why = "shorter than a header";
		else if (t->len > ACPID_TABLE_MAX)
			why = "longer than 16 MiB";
		else if (!(p = map_table(t, &base, &maplen)))
			why = "cannot be mapped";
		else if ((why = check_table(t, p)) == NULL && is_aml(t->sig))
			t->map = p; /* kept for lib/aml */
		if (base && !t->map)
			rb_munmap(base, maplen);
		if (why) {
			st->bad_tables++;
			printf("acpid: table %.4s at %#llx (%u bytes) skipped: %s\n", t->sig,
			       (unsigned long long)t->phys, t->len, why);
			continue;
		}
		name_table(st, t);
		st->ntables++;
	}
	printf("acpid: %u tables, %u skipped\n", st->ntables, st->bad_tables);
}

struct acpid_table *tables_find(struct acpid_state *st, const char *name)
{
	for (unsigned i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].name, name) == 0)
			return &st->tables[i];
	return NULL;
}

struct acpid_table *tables_sig(struct acpid_state *st, const char *sig)
{
	for (unsigned i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].sig, sig) == 0)
			return &st->tables[i];
	return NULL;
}

/* Drop least recently used copies until need more bytes fit. */
static void evict(struct acpid_state *st, size_t need)
{
	while (st->cache_bytes + need > ACPID_CACHE_MAX) {
		struct acpid_table *old = NULL;
		for (unsigned i = 0; i < st->ntables; i++) {
			struct acpid_table *t = &st->tables[i];
			if (t->copy && (!old || t->used < old->used))
				old = t;
		}
		if (!old)
			return;
		free(old->copy);
		old->copy = NULL;
		st->cache_bytes -= old->len;
	}
}

static uint8_t *scratch; /* the one uncached copy of a table larger than the cache */

const uint8_t *tables_bytes(struct acpid_state *st, struct acpid_table *t)
{
	void *base;
	size_t maplen;
	const uint8_t *p;
	uint8_t *copy;

	if (t->map)
		return t->map;
	t->used = ++st->lru_clock;
	if (t->copy)
		return t->copy;
	free(scratch);
	scratch = NULL;
	p = map_table(t, &base, &maplen);
	if (!p)
		return NULL;
	copy = malloc(t->len);
	if (copy) {
		memcpy(copy, p, t->len);
		if (check_table(t, copy)) {
			/* changed under us since start: refuse rather than serve junk */
			free(copy);
			copy = NULL;
		}
	}
	rb_munmap(base, maplen);
	if (!copy)
		return NULL;
	if (t->len > ACPID_CACHE_MAX) {
		scratch = copy;
		return copy;
	}
	evict(st, t->len);
	t->copy = copy;
	st->cache_bytes += t->len;
	return copy;
}
