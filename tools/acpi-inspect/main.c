/*
 * main.c - acpi-inspect: print the facts of a directory of ACPI tables.
 *
 * Usage: acpi-inspect DIR
 *
 * DIR holds binary tables named as acpixtract names them (apic.dat,
 * mcfg1.dat, dsdt.dat, ssdt2.dat, ...). The output follows the corpus's
 * expected.txt: comment lines, then [TABLES] with one header line per
 * table, then one section per data table ([MADT], [MCFG mcfg1.dat], ...),
 * each printed by a printer in sections.c that uses the lib/acpi parsers.
 * Sections over the AML tables (DSDT/SSDT) go in aml_sections[] below.
 *
 * A missing or unreadable DIR is an error (exit 2). A malformed table gets
 * one error line on stderr, its section is left out, the other tables are
 * still printed, and the exit status is 1.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "inspect.h"
#include "acpi/sdt.h"

/* Data tables, in the order their sections appear. */
static const struct {
	const char *prefix; /* file name stem: apic.dat, apic1.dat, ... */
	const char *title;  /* section title */
	inspect_print_fn print;
} data_sections[] = {
    {"apic", "MADT", inspect_madt}, {"srat", "SRAT", inspect_srat}, {"slit", "SLIT", inspect_slit},
    {"mcfg", "MCFG", inspect_mcfg}, {"dmar", "DMAR", inspect_dmar}, {"hpet", "HPET", inspect_hpet},
    {"facp", "FADT", inspect_fadt},
};

/*
 * Sections over all AML tables at once (dsdt.dat, then ssdt*.dat in number
 * order). To add one, write a printer of this type and list it here.
 */
typedef int (*inspect_aml_fn)(FILE *out, const struct inspect_file *const *aml, size_t n, char *err,
			      size_t errlen);
static const struct {
	const char *title;
	inspect_aml_fn print;
} aml_sections[] = {
    {"AML", inspect_aml},
    {NULL, NULL},
};

#define MAX_FILES 512

struct inspect_run {
	struct inspect_file files[MAX_FILES];
	size_t nfiles;
	int failures;
};

static struct inspect_run run;

/* If name is stem + digits + ".dat", return the number (0 without digits), else -1. */
static long file_number(const char *name, const char *stem)
{
	size_t sl = strlen(stem);
	const char *p = name + sl;
	long n = 0;

	if (strncmp(name, stem, sl) != 0)
		return -1;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (*p - '0');
		if (n > 1000000)
			return -1;
		p++;
	}
	return strcmp(p, ".dat") == 0 ? n : -1;
}

/* Indices of the files named stem[N].dat, ordered by N; returns how many. */
static size_t select_files(const char *stem, size_t *idx)
{
	size_t n = 0;

	for (size_t i = 0; i < run.nfiles; i++) {
		long num = file_number(run.files[i].name, stem);
		size_t j;

		if (num < 0)
			continue;
		for (j = n; j > 0 && file_number(run.files[idx[j - 1]].name, stem) > num; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
		n++;
	}
	return n;
}

static int read_file(const char *dir, const char *name, struct inspect_file *f)
{
	char path[4096];
	FILE *fp;
	long sz;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(f->name, sizeof(f->name), "%s", name);
	fp = fopen(path, "rb");
	if (!fp)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (sz = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return -1;
	}
	f->len = (size_t)sz;
	f->data = malloc(f->len ? f->len : 1);
	if (!f->data || fread(f->data, 1, f->len, fp) != f->len) {
		free(f->data);
		f->data = NULL;
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct inspect_file *)a)->name,
		      ((const struct inspect_file *)b)->name);
}

static int load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		fprintf(stderr, "acpi-inspect: cannot open directory %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".dat") != 0)
			continue;
		if (run.nfiles >= MAX_FILES) {
			fprintf(stderr, "acpi-inspect: more than %d tables, rest ignored\n",
				MAX_FILES);
			break;
		}
		if (read_file(dir, de->d_name, &run.files[run.nfiles]) != 0) {
			fprintf(stderr, "acpi-inspect: %s/%s: cannot read: %s\n", dir, de->d_name,
				strerror(errno));
			run.failures++;
			continue;
		}
		run.nfiles++;
	}
	closedir(d);
	qsort(run.files, run.nfiles, sizeof(run.files[0]), cmp_name);
	return 0;
}

/*
 * Print a fixed-width header string up to its first NUL. Data tables show
 * non-printable bytes as spaces (as iasl's data-table dump does); AML
 * tables keep the raw bytes, written as UTF-8 of their Latin-1 code points
 * (as iasl's AML header comment does, read back as Latin-1).
 */
static void put_str(FILE *out, const uint8_t *raw, size_t n, bool aml)
{
	char tmp[16];

	if (!aml) {
		fputs(acpi_sdt_str(raw, n, tmp), out);
		return;
	}
	for (size_t i = 0; i < n && raw[i]; i++) {
		if (raw[i] < 0x80) {
			fputc(raw[i], out);
		} else {
			fputc(0xc0 | raw[i] >> 6, out);
			fputc(0x80 | (raw[i] & 0x3f), out);
		}
	}
}

/* One [TABLES] line; false (with an error line) if there is no header. */
static bool table_line(FILE *out, const struct inspect_file *f, bool aml)
{
	struct acpi_sdt_hdr h;
	bool ok;

	if (acpi_sdt_parse(f->data, f->len, &h) != 0) {
		fprintf(stderr, "acpi-inspect: %s: error: %zu bytes, no 36-byte table header\n",
			f->name, f->len);
		run.failures++;
		return false;
	}
	ok = h.length >= ACPI_SDT_HDR_LEN && h.length <= f->len &&
	     acpi_checksum(f->data, h.length) == 0;
	fprintf(out, "%s: signature=", f->name);
	put_str(out, h.signature, 4, aml);
	fprintf(out, " length=%u revision=%u checksum=0x%02X checksum_valid=%s oem_id=\"", h.length,
		h.revision, h.checksum, ok ? "yes" : "no");
	put_str(out, h.oem_id, 6, aml);
	fprintf(out, "\" oem_table_id=\"");
	put_str(out, h.oem_table_id, 8, aml);
	fprintf(out, "\" oem_revision=0x%08X creator_id=\"", h.oem_revision);
	put_str(out, h.creator_id, 4, aml);
	fprintf(out, "\" creator_revision=0x%08X\n", h.creator_revision);
	return true;
}

/* Close a section buffer and append it (with its title) to the body. */
static void add_section(FILE *body, const char *title, const char *fname, char *buf, size_t len)
{
	fprintf(body, "\n[%s%s%s]\n", title, fname ? " " : "", fname ? fname : "");
	fwrite(buf, 1, len, body);
}

static void data_tables(FILE *tables, FILE *body)
{
	size_t idx[MAX_FILES];

	for (size_t s = 0; s < sizeof(data_sections) / sizeof(data_sections[0]); s++) {
		size_t n = select_files(data_sections[s].prefix, idx);
		char plain[32];

		snprintf(plain, sizeof(plain), "%s.dat", data_sections[s].prefix);
		for (size_t k = 0; k < n; k++) {
			const struct inspect_file *f = &run.files[idx[k]];
			char err[256] = "";
			char *buf = NULL;
			size_t len = 0;
			FILE *sec;

			if (!table_line(tables, f, false))
				continue;
			sec = open_memstream(&buf, &len);
			if (!sec)
				continue;
			if (data_sections[s].print(sec, f, err, sizeof(err)) != 0) {
				fprintf(stderr, "acpi-inspect: %s: error: %s\n", f->name, err);
				run.failures++;
				fclose(sec);
				free(buf);
				continue;
			}
			fclose(sec);
			add_section(body, data_sections[s].title,
				    strcmp(f->name, plain) == 0 ? NULL : f->name, buf, len);
			free(buf);
		}
	}
}

static void aml_tables(FILE *tables, FILE *body)
{
	size_t idx[MAX_FILES], n = 0, k;
	const struct inspect_file *aml[MAX_FILES];

	for (size_t i = 0; i < run.nfiles; i++)
		if (strcmp(run.files[i].name, "dsdt.dat") == 0)
			aml[n++] = &run.files[i];
	k = select_files("ssdt", idx);
	for (size_t i = 0; i < k; i++)
		aml[n++] = &run.files[idx[i]];
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (table_line(tables, aml[i], true))
			aml[k++] = aml[i];
	for (size_t s = 0; aml_sections[s].title; s++) {
		char err[256] = "", *buf = NULL;
		size_t len = 0;
		FILE *sec = open_memstream(&buf, &len);

		if (!sec)
			continue;
		if (aml_sections[s].print(sec, aml, k, err, sizeof(err)) != 0) {
			fprintf(stderr, "acpi-inspect: %s: error: %s\n", aml_sections[s].title,
				err);
			run.failures++;
		} else {
			fclose(sec);
			sec = NULL;
			if (len)
				add_section(body, aml_sections[s].title, NULL, buf, len);
		}
		if (sec)
			fclose(sec);
		free(buf);
	}
}

int main(int argc, char **argv)
{
	char *tbuf = NULL, *bbuf = NULL;
	size_t tlen = 0, blen = 0;
	FILE *tables, *body;
	const char *base;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: acpi-inspect DIR   (DIR holds apic.dat, facp.dat, ...)\n");
		return 2;
	}
	if (load_dir(argv[1]) != 0)
		return 2;
	tables = open_memstream(&tbuf, &tlen);
	body = open_memstream(&bbuf, &blen);
	if (!tables || !body) {
		fprintf(stderr, "acpi-inspect: out of memory\n");
		return 2;
	}
	data_tables(tables, body);
	aml_tables(tables, body);
	fclose(tables);
	fclose(body);

	base = strrchr(argv[1], '/');
	base = base && base[1] ? base + 1 : argv[1];
	printf("# acpi-inspect %s\n", base);
	printf("# format 1; derived by acpi-inspect from the lib/acpi parsers\n");
	printf("\n[TABLES]\n");
	fwrite(tbuf, 1, tlen, stdout);
	fwrite(bbuf, 1, blen, stdout);
	free(tbuf);
	free(bbuf);
	for (size_t i = 0; i < run.nfiles; i++)
		free(run.files[i].data);
	return run.failures ? 1 : 0;
}
