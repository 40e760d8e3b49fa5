/*
 * util.c - small formatting helpers of acpi-inspect (see inspect.h).
 */
#include <stdlib.h>
#include "inspect.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void inspect_sort_u32(uint32_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_u32);
}

static void put_run(FILE *out, bool *first, uint32_t a, uint32_t b)
{
	fprintf(out, "%s", *first ? "" : ",");
	*first = false;
	if (a == b)
		fprintf(out, "0x%X", a);
	else
		fprintf(out, "0x%X-0x%X", a, b);
}

void inspect_id_runs(FILE *out, uint32_t *ids, size_t n)
{
	bool first = true;
	uint32_t start, prev;

	if (n == 0) {
		fprintf(out, "-");
		return;
	}
	inspect_sort_u32(ids, n);
	start = prev = ids[0];
	for (size_t i = 1; i < n; i++) {
		if ((uint64_t)ids[i] == (uint64_t)prev + 1) {
			prev = ids[i];
			continue;
		}
		put_run(out, &first, start, prev);
		start = prev = ids[i];
	}
	put_run(out, &first, start, prev);
}

void inspect_warn(const struct inspect_file *f, const char *msg, uint32_t count)
{
	if (count)
		fprintf(stderr, "acpi-inspect: %s: warning: %s%s\n", f->name, msg,
			count > 1 ? " (and more)" : "");
}
