/*
 * fuzz_fsperms.c - libFuzzer target for ramfsd's permission table parser
 * (lib/ramfs/fsperms.c). The input is parsed exactly as given (no NUL
 * added, so ASan catches a read past the end) into a small table so the
 * "too many rules" path is reached. Every report carries a line number
 * inside the text and a reason; every stored rule obeys the format: mode
 * at most 01777, ids in range, an absolute path of printable bytes with
 * no empty, "." or ".." component, and no 'd' rule with a "*" component.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ramfs/fsperms.h"

#define ROWS 4

struct count {
	size_t lines;
	unsigned reports;
};

static void on_report(void *ctx, unsigned line, const char *why)
{
	struct count *c = ctx;
	if (line == 0 || line > c->lines || !why || !why[0])
		abort();
	c->reports++;
}

static void check_rule(const struct fsperms_rule *r)
{
	size_t n = strnlen(r->path, FSPERMS_PATH_MAX + 1);
	if (n == 0 || n > FSPERMS_PATH_MAX || r->path[0] != '/')
		abort();
	if (r->mode > FSPERMS_MODE_MAX || r->uid < 0 || r->gid < 0)
		abort();
	if (r->make_dir && r->children)
		abort();
	for (size_t i = 0; i < n; i++)
		if (r->path[i] <= ' ' || r->path[i] > '~')
			abort();
	if (n > 1 && (r->path[n - 1] == '/' || strstr(r->path, "//") || strstr(r->path, "/./") ||
		      strstr(r->path, "/../")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct count c = {1, 0};
	for (size_t i = 0; i + 1 < size; i++)
		c.lines += data[i] == '\n';
	struct fsperms_rule rows[ROWS];
	size_t n = fsperms_parse((const char *)data, size, rows, ROWS, on_report, &c);
	if (n > ROWS)
		abort();
	for (size_t i = 0; i < n; i++)
		check_rule(&rows[i]);
	return 0;
}
