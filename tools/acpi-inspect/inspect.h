/*
 * inspect.h - shared declarations of the acpi-inspect host tool.
 *
 * acpi-inspect DIR reads the binary ACPI tables in DIR (acpixtract names:
 * apic.dat, srat.dat, mcfg1.dat, dsdt.dat, ssdt3.dat, ...) and prints the
 * facts that make_expected.py derives from `iasl -d`, in the same format, so
 * that the lib/acpi parsers can be checked against ACPICA on real firmware.
 *
 * main.c finds the files, prints [TABLES] and runs the section printers;
 * sections.c holds one printer per table type, each fed by the lib/acpi
 * parser for that table; util.c has the number-list formatting.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct inspect_file {
	char name[256];
	uint8_t *data;
	size_t len;
};

/*
 * A printer writes the lines of one section (without its [TITLE]) to out.
 * It returns 0, or a negative error after putting a one-line reason in
 * err[0..errlen).
 */
typedef int (*inspect_print_fn)(FILE *out, const struct inspect_file *f, char *err, size_t errlen);

/* Table printers (sections.c). */
int inspect_madt(FILE *out, const struct inspect_file *f, char *err, size_t errlen);
int inspect_srat(FILE *out, const struct inspect_file *f, char *err, size_t errlen);
int inspect_slit(FILE *out, const struct inspect_file *f, char *err, size_t errlen);
int inspect_mcfg(FILE *out, const struct inspect_file *f, char *err, size_t errlen);
int inspect_dmar(FILE *out, const struct inspect_file *f, char *err, size_t errlen);
int inspect_hpet(FILE *out, const struct inspect_file *f, char *err, size_t errlen);
int inspect_fadt(FILE *out, const struct inspect_file *f, char *err, size_t errlen);

/* The [AML] section: definition counts of every AML table, loaded together (aml.c). */
int inspect_aml(FILE *out, const struct inspect_file *const *tables, size_t n, char *err,
		size_t errlen);

/*
 * Print sorted ids as comma-separated hex runs ("0x0-0x9,0x10"), "-" when
 * n == 0. Sorts ids in place. Equal neighbours start a new run, as
 * make_expected.py's ranges() does.
 */
void inspect_id_runs(FILE *out, uint32_t *ids, size_t n);

/* Sort n uint32 values ascending. */
void inspect_sort_u32(uint32_t *v, size_t n);

/* Warnings from a parser's diag, to stderr, prefixed with the file name. */
void inspect_warn(const struct inspect_file *f, const char *msg, uint32_t count);
