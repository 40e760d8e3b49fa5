/*
 * bootchart - host tool: draw a boot chart from a captured serial log.
 *
 *   bootchart [-o CHART.svg] LOG
 *
 * Reads LOG (kernel log lines, init's boot timeline between its begin/end
 * lines, `# host: key=value` marks; see docs/bootchart.md), prints a text
 * summary on stdout and, with -o, writes the SVG Gantt chart. The parsing,
 * the critical path and the rendering are lib/bootchart (host-tested and
 * fuzzed); this file only reads and writes files.
 *
 * Exit status: 0 done, 1 the log could not be read or is malformed (one
 * line on stderr says where and why), 2 bad arguments.
 * Single-threaded; every buffer is owned by main.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "bootchart/bootchart.h"

#define MAX_LOG (16u << 20) /* a boot log is kilobytes; refuse absurd input */

static void usage(FILE *f)
{
	fprintf(f, "usage: bootchart [-o CHART.svg] LOG\n"
		   "Read a captured serial log of one boot (kernel lines, init's boot timeline,\n"
		   "'# host: key=value' marks), print a summary and, with -o, write an SVG\n"
		   "Gantt chart of the kernel phases and services with the critical path.\n");
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bootchart: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(MAX_LOG + 1);
	size_t n = buf ? fread(buf, 1, MAX_LOG + 1, f) : 0;
	int err = ferror(f);
	fclose(f);
	if (!buf || err) {
		fprintf(stderr, "bootchart: %s: %s\n", path, buf ? "read error" : "out of memory");
		free(buf);
		return NULL;
	}
	if (n > MAX_LOG) {
		fprintf(stderr, "bootchart: %s: larger than %u bytes; not a boot log\n", path,
			MAX_LOG);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Render with fn into a growing buffer; NULL on failure (message printed). */
static char *render(int (*fn)(const struct bootchart *, char *, size_t, size_t *),
		    const struct bootchart *bc, size_t *len)
{
	for (size_t cap = 64 << 10; cap <= (64u << 20); cap *= 2) {
		char *buf = malloc(cap);
		if (!buf)
			break;
		int r = fn(bc, buf, cap, len);
		if (r == 0)
			return buf;
		free(buf);
		if (r != -E_NOSPC)
			break;
	}
	fprintf(stderr, "bootchart: cannot render the chart (out of memory)\n");
	return NULL;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *in = NULL;
	static struct bootchart bc;
	size_t len, slen;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o")) {
			if (++i >= argc) {
				fprintf(stderr, "bootchart: -o needs a file name\n");
				usage(stderr);
				return 2;
			}
			out = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "bootchart: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (in) {
			fprintf(stderr, "bootchart: more than one log given ('%s')\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			in = argv[i];
		}
	}
	if (!in) {
		fprintf(stderr, "bootchart: no log given\n");
		usage(stderr);
		return 2;
	}

	char *text = read_all(in, &len);
	if (!text)
		return 1;
	if (bc_parse(text, len, &bc)) {
		fprintf(stderr, "bootchart: %s: %s\n", in, bc.error);
		goto out_text;
	}
	if (bc.kernel_lines == 0 && !bc.have_timeline) {
		fprintf(stderr,
			"bootchart: %s: no kernel log lines and no boot timeline: "
			"not a Red Bear OS serial log\n",
			in);
		goto out_text;
	}
	bc_critical_path(&bc);

	char *sum = render(bc_summary, &bc, &slen);
	if (!sum)
		goto out_text;
	fwrite(sum, 1, slen, stdout);
	free(sum);

	if (out) {
		char *svg = render(bc_svg, &bc, &slen);
		if (!svg)
			goto out_text;
		FILE *f = fopen(out, "wb");
		bool ok = f && fwrite(svg, 1, slen, f) == slen;
		if (f && fclose(f))
			ok = false;
		if (!ok) {
			fprintf(stderr, "bootchart: %s: %s\n", out, strerror(errno));
			free(svg);
			goto out_text;
		}
		free(svg);
		printf("chart: %s\n", out);
	}
	rc = 0;
out_text:
	free(text);
	return rc;
}
