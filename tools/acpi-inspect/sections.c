/*
 * sections.c - one printer per ACPI table type for acpi-inspect.
 *
 * Each printer parses the table with its lib/acpi parser and prints the
 * facts in make_expected.py's format (key: value lines, decimal unless
 * written 0x..., id lists as hex runs). Parser warnings go to stderr; a
 * parser error makes the printer fail with that error's diagnostic line.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "inspect.h"
#include "acpi/dmar.h"
#include "acpi/fadt.h"
#include "acpi/hpet.h"
#include "acpi/madt.h"
#include "acpi/mcfg.h"
#include "acpi/slit.h"
#include "acpi/srat.h"
#include "base/err.h"

/* Report a parser result: copy the error line, or log its warnings. */
static int check(const struct inspect_file *f, int rc, const struct acpi_diag *dg, char *err,
		 size_t errlen)
{
	if (rc) {
		snprintf(err, errlen, "%s (%s)", dg->msg[0] ? dg->msg : "parse error",
			 err_name(rc));
		return rc;
	}
	inspect_warn(f, dg->msg, dg->warnings);
	return 0;
}

static void print_cpu_ids(FILE *out, const struct madt_info *mi, uint32_t *ids, bool x2apic)
{
	size_t n = 0;

	for (uint32_t i = 0; i < mi->ncpus; i++)
		if ((mi->cpus[i].flags & MADT_CPU_ENABLED) && mi->cpus[i].x2apic == x2apic)
			ids[n++] = mi->cpus[i].apic_id;
	inspect_id_runs(out, ids, n);
}

int inspect_madt(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct madt_info *mi = calloc(1, sizeof(*mi));
	uint32_t *ids = calloc(MADT_MAX_CPUS, sizeof(*ids));
	int rc;

	if (!mi || !ids) {
		snprintf(err, errlen, "out of memory");
		rc = -E_NOMEM;
		goto out;
	}
	rc = check(f, madt_parse(f->data, f->len, mi), &mi->diag, err, errlen);
	if (rc)
		goto out;
	fprintf(out, "local_apic_address: 0x%08X\n", mi->lapic_address32);
	fprintf(out, "flags: 0x%08X\n", mi->flags);
	fprintf(out, "lapic_entries: %u\n", mi->lapic_entries);
	fprintf(out, "x2apic_entries: %u\n", mi->x2apic_entries);
	fprintf(out, "processors_enabled: %u\n", mi->enabled_count);
	fprintf(out, "processors_online_capable: %u\n", mi->online_capable_count);
	fprintf(out, "processor_count: %u\n", mi->enabled_count + mi->online_capable_count);
	for (uint32_t i = 0; i < mi->ncpus; i++) {
		if (mi->cpus[i].flags & MADT_CPU_ENABLED) {
			fprintf(out, "first_enabled_apic_id: 0x%X\n", mi->cpus[i].apic_id);
			break;
		}
	}
	fprintf(out, "enabled_lapic_ids: ");
	print_cpu_ids(out, mi, ids, false);
	fprintf(out, "\nenabled_x2apic_ids: ");
	print_cpu_ids(out, mi, ids, true);
	fprintf(out, "\n");
	if (mi->online_capable_count) {
		size_t n = 0;

		for (uint32_t i = 0; i < mi->ncpus; i++)
			if (!(mi->cpus[i].flags & MADT_CPU_ENABLED))
				ids[n++] = mi->cpus[i].apic_id;
		fprintf(out, "online_capable_ids: ");
		inspect_id_runs(out, ids, n);
		fprintf(out, "\n");
	}
	fprintf(out, "ioapic_count: %u\n", mi->nioapics);
	for (uint32_t i = 0; i < mi->nioapics; i++)
		fprintf(out, "ioapic: id=%u address=0x%08X gsi_base=%u\n", mi->ioapics[i].id,
			mi->ioapics[i].address, mi->ioapics[i].gsi_base);
	fprintf(out, "iso_count: %u\n", mi->nisos);
	for (uint32_t i = 0; i < mi->nisos; i++)
		fprintf(out, "iso: bus=%u irq=%u gsi=%u flags=0x%04X\n", mi->isos[i].bus,
			mi->isos[i].irq, mi->isos[i].gsi, mi->isos[i].flags);
	for (uint32_t i = 0; i < mi->nnmi_sources; i++)
		fprintf(out, "nmi_source: gsi=%u flags=0x%04X\n", mi->nmi_sources[i].gsi,
			mi->nmi_sources[i].flags);
	fprintf(out, "lapic_nmi_entries: %u\n", mi->lapic_nmi_entries);
	fprintf(out, "x2apic_nmi_entries: %u\n", mi->x2apic_nmi_entries);
	if (mi->has_lapic_override)
		fprintf(out, "lapic_address_override: 0x%016" PRIX64 "\n", mi->lapic_address);
	for (unsigned t = 0; t < 256; t++)
		if (mi->unknown_count[t])
			fprintf(out, "other_subtable: type=0x%02X count=%u\n", t,
				mi->unknown_count[t]);
out:
	free(ids);
	free(mi);
	return rc;
}

/* The distinct domains of enabled CPUs and memory ranges, sorted; returns n. */
static size_t srat_domains(const struct srat_info *si, uint32_t *doms)
{
	size_t n = 0, k = 0;

	for (uint32_t i = 0; i < si->ncpus; i++)
		doms[n++] = si->cpus[i].domain;
	for (uint32_t i = 0; i < si->nmems; i++)
		doms[n++] = si->mems[i].domain;
	inspect_sort_u32(doms, n);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || doms[k - 1] != doms[i])
			doms[k++] = doms[i];
	return k;
}

static void srat_domain_line(FILE *out, const struct srat_info *si, uint32_t d, uint32_t *ids)
{
	size_t ncpu = 0;
	uint32_t nmem = 0, hot = 0;
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < si->ncpus; i++)
		if (si->cpus[i].domain == d)
			ids[ncpu++] = si->cpus[i].apic_id;
	for (uint32_t i = 0; i < si->nmems; i++) {
		if (si->mems[i].domain != d)
			continue;
		nmem++;
		bytes += si->mems[i].length;
		if (si->mems[i].flags & SRAT_MEM_HOTPLUG)
			hot++;
	}
	fprintf(out,
		"domain %u: cpus=%zu memory_ranges=%u memory_bytes=0x%" PRIX64
		" hotplug_ranges=%u apic_ids=",
		d, ncpu, nmem, bytes, hot);
	inspect_id_runs(out, ids, ncpu);
	fprintf(out, "\n");
}

int inspect_srat(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct srat_info *si = calloc(1, sizeof(*si));
	uint32_t *doms = calloc(SRAT_MAX_CPUS + SRAT_MAX_MEMS, sizeof(*doms));
	uint32_t *ids = calloc(SRAT_MAX_CPUS, sizeof(*ids));
	uint32_t nx2 = 0;
	size_t ndom;
	int rc;

	if (!si || !doms || !ids) {
		snprintf(err, errlen, "out of memory");
		rc = -E_NOMEM;
		goto out;
	}
	rc = check(f, srat_parse(f->data, f->len, si), &si->diag, err, errlen);
	if (rc)
		goto out;
	for (uint32_t i = 0; i < si->ncpus; i++)
		nx2 += si->cpus[i].x2apic;
	ndom = srat_domains(si, doms);
	fprintf(out, "table_revision: %u\n", si->table_revision);
	fprintf(out, "cpu_affinity_enabled: %u\n", si->ncpus);
	fprintf(out, "cpu_affinity_x2apic: %u\n", nx2);
	fprintf(out, "memory_affinity_enabled: %u\n", si->nmems);
	fprintf(out, "disabled_entries: %u\n", si->disabled_entries);
	fprintf(out, "proximity_domains: %zu\n", ndom);
	fprintf(out, "domain_ids: ");
	for (size_t i = 0; i < ndom; i++)
		fprintf(out, "%s%u", i ? " " : "", doms[i]);
	fprintf(out, "%s\n", ndom ? "" : "-");
	for (size_t i = 0; i < ndom; i++)
		srat_domain_line(out, si, doms[i], ids);
	for (uint32_t i = 0; i < si->nmems; i++)
		fprintf(out,
			"memory: domain=%u base=0x%016" PRIX64 " length=0x%016" PRIX64
			" flags=0x%08X\n",
			si->mems[i].domain, si->mems[i].base, si->mems[i].length,
			si->mems[i].flags);
	for (unsigned t = 0; t < 256; t++)
		if (si->unknown_count[t])
			fprintf(out, "other_subtable: type=0x%02X count=%u\n", t,
				si->unknown_count[t]);
out:
	free(ids);
	free(doms);
	free(si);
	return rc;
}

int inspect_slit(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct slit_info si;
	int rc = check(f, slit_parse(f->data, f->len, &si), &si.diag, err, errlen);

	if (rc)
		return rc;
	fprintf(out, "localities: %" PRIu64 "\n", si.localities);
	for (uint64_t i = 0; i < si.localities; i++) {
		fprintf(out, "row %" PRIu64 ":", i);
		for (uint64_t j = 0; j < si.localities; j++)
			fprintf(out, " %u", slit_distance(&si, i, j));
		fprintf(out, "\n");
	}
	return 0;
}

int inspect_mcfg(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct mcfg_info mi;
	int rc = check(f, mcfg_parse(f->data, f->len, &mi), &mi.diag, err, errlen);

	if (rc)
		return rc;
	fprintf(out, "entries: %u\n", mi.nentries);
	for (uint32_t i = 0; i < mi.nentries; i++)
		fprintf(out, "entry: segment=%u bus_start=%u bus_end=%u base=0x%016" PRIX64 "\n",
			mi.entries[i].segment, mi.entries[i].bus_start, mi.entries[i].bus_end,
			mi.entries[i].base);
	return 0;
}

static const char *const dmar_names[DMAR_NTYPES] = {"drhd", "rmrr", "atsr", "rhsa", "andd", "satc"};

/*
 * expected.txt comes from ACPICA 20200925, whose DMAR dump knows types 0-4
 * (DRHD..ANDD) only: it shows the first structure of any other type with
 * its type clamped to 5 (so it is counted as a SATC) and stops there. The
 * counts below mirror that. Returns the offset where iasl stopped.
 */
static uint32_t dmar_iasl_counts(const struct inspect_file *f, uint32_t *count)
{
	uint32_t tlen =
	    f->data[4] | f->data[5] << 8 | f->data[6] << 16 | (uint32_t)f->data[7] << 24;
	uint32_t cursor = 0;
	struct dmar_ref ref;

	while (dmar_next(f->data, tlen, &cursor, &ref) == 0) {
		if (ref.type <= DMAR_T_ANDD) {
			count[ref.type]++;
			continue;
		}
		count[DMAR_T_SATC]++;
		if (cursor < tlen || ref.type != DMAR_T_SATC)
			fprintf(stderr,
				"acpi-inspect: %s: note: listing stops at the type %u structure "
				"at 0x%x, as ACPICA 20200925 does\n",
				f->name, ref.type, ref.off);
		return cursor;
	}
	return tlen;
}

int inspect_dmar(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct dmar_info di;
	uint32_t count[DMAR_NTYPES] = {0}, stop;
	int rc = check(f, dmar_parse(f->data, f->len, &di), &di.diag, err, errlen);

	if (rc)
		return rc;
	stop = dmar_iasl_counts(f, count);
	fprintf(out, "host_address_width: %u\n", di.host_address_width);
	fprintf(out, "flags: 0x%02X\n", di.flags);
	fprintf(out, "drhd_count: %u\n", count[DMAR_T_DRHD]);
	for (uint32_t i = 0; i < di.ndrhds; i++)
		if (di.drhds[i].scope_off < stop)
			fprintf(out,
				"drhd: segment=%u base=0x%016" PRIX64
				" flags=0x%02X include_pci_all=%u device_scopes=%u\n",
				di.drhds[i].segment, di.drhds[i].base, di.drhds[i].flags,
				di.drhds[i].flags & DMAR_DRHD_INCLUDE_PCI_ALL, di.drhds[i].nscopes);
	fprintf(out, "rmrr_count: %u\n", count[DMAR_T_RMRR]);
	for (uint32_t i = 0; i < di.nrmrrs; i++)
		if (di.rmrrs[i].scope_off < stop)
			fprintf(out,
				"rmrr: segment=%u base=0x%016" PRIX64 " limit=0x%016" PRIX64
				" device_scopes=%u\n",
				di.rmrrs[i].segment, di.rmrrs[i].base, di.rmrrs[i].limit,
				di.rmrrs[i].nscopes);
	for (int t = DMAR_T_ATSR; t < DMAR_NTYPES; t++)
		if (count[t])
			fprintf(out, "%s_count: %u\n", dmar_names[t], count[t]);
	return 0;
}

int inspect_hpet(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct hpet_info hi;
	int rc = check(f, hpet_parse(f->data, f->len, &hi), &hi.diag, err, errlen);

	if (rc)
		return rc;
	fprintf(out, "hardware_block_id: 0x%08X\n", hi.block_id);
	fprintf(out, "address_space_id: %u\n", hi.base.space_id);
	fprintf(out, "base_address: 0x%016" PRIX64 "\n", hi.base.address);
	fprintf(out, "sequence_number: %u\n", hi.number);
	fprintf(out, "minimum_tick: %u\n", hi.min_tick);
	fprintf(out, "flags: 0x%02X\n", hi.flags);
	return 0;
}

static void fadt_gas(FILE *out, const struct fadt_info *fi, uint32_t bit, const char *name,
		     const struct acpi_gas *g)
{
	if (fi->have & bit)
		fprintf(out, "%s: space_id=%u bit_width=%u address=0x%016" PRIX64 "\n", name,
			g->space_id, g->bit_width, g->address);
}

int inspect_fadt(FILE *out, const struct inspect_file *f, char *err, size_t errlen)
{
	struct fadt_info fi;
	int rc = check(f, fadt_parse(f->data, f->len, &fi), &fi.diag, err, errlen);

	if (rc)
		return rc;
	fprintf(out, "revision: %u\nlength: %u\n", fi.revision, fi.length);
	fprintf(out, "facs_address: 0x%08X\ndsdt_address: 0x%08X\n", fi.facs32, fi.dsdt32);
	fprintf(out, "preferred_pm_profile: %u\nsci_interrupt: %u\n", fi.preferred_pm_profile,
		fi.sci_int);
	fprintf(out, "smi_command_port: 0x%X\n", fi.smi_cmd);
	fprintf(out, "acpi_enable_value: 0x%02X\nacpi_disable_value: 0x%02X\n", fi.acpi_enable,
		fi.acpi_disable);
	fprintf(out, "pm1a_event_block: 0x%X\npm1b_event_block: 0x%X\n", fi.pm1a_evt_blk,
		fi.pm1b_evt_blk);
	fprintf(out, "pm1a_control_block: 0x%X\npm1b_control_block: 0x%X\n", fi.pm1a_cnt_blk,
		fi.pm1b_cnt_blk);
	fprintf(out, "pm2_control_block: 0x%X\npm_timer_block: 0x%X\n", fi.pm2_cnt_blk,
		fi.pm_tmr_blk);
	fprintf(out, "gpe0_block: 0x%X\ngpe1_block: 0x%X\n", fi.gpe0_blk, fi.gpe1_blk);
	fprintf(out, "pm1_event_length: %u\npm1_control_length: %u\n", fi.pm1_evt_len,
		fi.pm1_cnt_len);
	fprintf(out, "pm_timer_length: %u\n", fi.pm_tmr_len);
	fprintf(out, "gpe0_block_length: %u\ngpe1_block_length: %u\n", fi.gpe0_blk_len,
		fi.gpe1_blk_len);
	fprintf(out, "rtc_century_index: 0x%02X\n", fi.century);
	fprintf(out, "iapc_boot_arch: 0x%04X\n", fi.iapc_boot_arch);
	fprintf(out, "flags: 0x%08X\n", fi.flags);
	if (fi.have & FADT_HAVE_RESET_VALUE)
		fprintf(out, "reset_value: 0x%02X\n", fi.reset_value);
	if (fi.have & FADT_HAVE_ARM_BOOT_ARCH)
		fprintf(out, "arm_boot_arch: 0x%04X\n", fi.arm_boot_arch);
	if (fi.have & FADT_HAVE_MINOR_REV)
		fprintf(out, "minor_revision: %u\n", fi.minor_revision);
	if (fi.have & FADT_HAVE_X_FACS)
		fprintf(out, "x_facs_address: 0x%016" PRIX64 "\n", fi.x_facs);
	if (fi.have & FADT_HAVE_X_DSDT)
		fprintf(out, "x_dsdt_address: 0x%016" PRIX64 "\n", fi.x_dsdt);
	if (fi.have & FADT_HAVE_HYPERVISOR)
		fprintf(out, "hypervisor_vendor_id: 0x%016" PRIX64 "\n", fi.hypervisor_id);
	fprintf(out, "hardware_reduced: %d\n", fadt_hw_reduced(&fi));
	fprintf(out, "low_power_s0_idle: %d\n", fadt_low_power_s0(&fi));
	fadt_gas(out, &fi, FADT_HAVE_RESET_REG, "reset_register", &fi.reset_reg);
	fadt_gas(out, &fi, FADT_HAVE_X_PM1A_EVT, "x_pm1a_event_block", &fi.x_pm1a_evt_blk);
	fadt_gas(out, &fi, FADT_HAVE_X_PM1A_CNT, "x_pm1a_control_block", &fi.x_pm1a_cnt_blk);
	fadt_gas(out, &fi, FADT_HAVE_X_PM_TMR, "x_pm_timer_block", &fi.x_pm_tmr_blk);
	fadt_gas(out, &fi, FADT_HAVE_X_GPE0, "x_gpe0_block", &fi.x_gpe0_blk);
	fadt_gas(out, &fi, FADT_HAVE_SLEEP_CONTROL, "sleep_control_register", &fi.sleep_control);
	fadt_gas(out, &fi, FADT_HAVE_SLEEP_STATUS, "sleep_status_register", &fi.sleep_status);
	return 0;
}
