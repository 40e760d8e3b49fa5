/*
 * aml-inspect - load a machine's DSDT and SSDTs into lib/aml and print the
 * facts tools/aml-oracle.py prints for ACPICA's acpiexec, in the same format,
 * so the two can be diffed line by line.
 *
 * Usage: aml-inspect DIR. Loads DIR/dsdt.dat and DIR/ssdt*.dat in numeric
 * order, runs _INI/_STA as at boot, evaluates \_PIC(1) if it exists, and
 * prints sorted lines: "count Device n", "count Method n", "s5 ...",
 * "hid <dev> <id>", "prt <dev> <addr> <pin> <source> <index>". Interpreter
 * errors go to stderr. Region accesses behave like acpiexec's handlers:
 * every region is a zero-filled buffer that keeps what AML writes to it.
 * The tool owns all memory it hands the library (malloc) and is single
 * threaded.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acpi/devs.h"
#include "acpi/prt.h"
#include "aml/aml.h"
#include "base/err.h"

static const char usage[] =
    "usage: aml-inspect [--full | --routes | --devices] DIR\n"
    "Load DIR/dsdt.dat and DIR/ssdt*.dat (numeric order: ssdt.dat, ssdt1.dat,\n"
    "ssdt2.dat, ..., ssdt10.dat) into the AML interpreter, run \\_INI, \\_SB._INI,\n"
    "_REG and every device's _STA/_INI as an OS does at boot, evaluate \\_PIC(1)\n"
    "if it exists, then print one fact per line, lines sorted bytewise:\n"
    "  count Device <n>      Device objects in the namespace (incl. \\_SB_, \\_TZ_)\n"
    "  count Method <n>      Method objects (incl. the predefined \\_OSI)\n"
    "  s5 <a> <b>            SLP_TYPa/SLP_TYPb from \\_S5_ in lowercase hex\n"
    "                        (low byte of elements 0 and 1; a one-element package\n"
    "                        gives its low and next byte); \"s5 none\" if there is\n"
    "                        no \\_S5_, \"s5 error\" if it fails or holds no integers\n"
    "  hid <device> <id>     every Device with a _HID: EISA ids decoded (PNP0A08),\n"
    "                        strings as returned (a leading '*' removed, upper\n"
    "                        case); \"hid <device> error\" if it fails\n"
    "  prt <device> <address> <pin> <source> <index>\n"
    "                        every _PRT entry: address hex, pin/index decimal,\n"
    "                        source the link device's path or an integer;\n"
    "                        \"prt <device> error\" if the _PRT is malformed\n"
    "Regions read as zero-filled buffers that keep written values (as acpiexec).\n"
    "A _HID returning a Buffer is read as an Integer (ACPICA's repair). A result\n"
    "larger than acpiexec's 16 KiB debugger buffer (ACPICA external object size)\n"
    "is reported as an error, as the oracle sees it; --full prints it instead.\n"
    "--routes prints instead what acpid computes (lib/acpi/prt.c): the same\n"
    "\"prt\" lines (no result-size limit), and for every link device a _PRT\n"
    "names \"link <device> <gsi> level|edge low|high\" from its _CRS, or\n"
    "\"link <device> none\" (no _SRS is run; regions read as above).\n"
    "--devices prints instead acpid's acpi:/devices (lib/acpi/devs.c): one\n"
    "\"<device> <id> [<id>...]\" line per present device with a _HID or _CID.\n"
    "Interpreter errors go to stderr. Exit 0 if every table loaded; 1 if DIR has\n"
    "no readable dsdt.dat (nothing printed) or a table was refused (facts still\n"
    "printed from the others).\n";

/* ---------------------------------------------------------------- host */

struct region_mem {
	struct region_mem *next;
	unsigned space;
	uint64_t base, len;
	uint8_t *flat; /* regions up to FLAT_MAX bytes: the whole buffer */
	/* larger ones: sparse bytes, written offsets only */
	size_t n, cap;
	uint64_t *off;
	uint8_t *val;
};

#define FLAT_MAX (1u << 20)

static struct region_mem *regions;
static uint64_t vclock;

static void *h_alloc(void *ctx, size_t size)
{
	return malloc(size);
}

static void h_free(void *ctx, void *p, size_t size)
{
	free(p);
}

static struct region_mem *region_for(const struct aml_access *a, int create)
{
	struct region_mem *r;

	for (r = regions; r; r = r->next)
		if (r->space == a->space && r->base == a->region_base && r->len == a->region_len)
			return r;
	if (!create)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->space = a->space;
	r->base = a->region_base;
	r->len = a->region_len;
	if (r->len <= FLAT_MAX)
		r->flat = calloc(1, r->len ? r->len : 1);
	r->next = regions;
	regions = r;
	return r;
}

static int byte_at(struct region_mem *r, uint64_t off, int create)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->off[i] == off)
			return (int)i;
	if (!create)
		return -1;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		uint64_t *o = realloc(r->off, cap * sizeof(*o));
		if (!o)
			return -1;
		r->off = o;
		uint8_t *v = realloc(r->val, cap);
		if (!v)
			return -1;
		r->val = v;
		r->cap = cap;
	}
	r->off[r->n] = off;
	r->val[r->n] = 0;
	return (int)r->n++;
}

static int h_read(void *ctx, const struct aml_access *a, uint64_t *value)
{
	struct region_mem *r = region_for(a, 0);
	uint64_t off = a->address - a->region_base, v = 0;

	for (unsigned i = 0; r && i < a->width / 8; i++) {
		if (r->flat) {
			if (off + i < r->len)
				v |= (uint64_t)r->flat[off + i] << (8 * i);
			continue;
		}
		int k = byte_at(r, off + i, 0);
		if (k >= 0)
			v |= (uint64_t)r->val[k] << (8 * i);
	}
	*value = v;
	return 0;
}

static int h_write(void *ctx, const struct aml_access *a, uint64_t value)
{
	struct region_mem *r = region_for(a, 1);
	uint64_t off = a->address - a->region_base;

	for (unsigned i = 0; r && i < a->width / 8; i++) {
		if (r->flat) {
			if (off + i < r->len)
				r->flat[off + i] = (uint8_t)(value >> (8 * i));
			continue;
		}
		int k = byte_at(r, off + i, 1);
		if (k >= 0)
			r->val[k] = (uint8_t)(value >> (8 * i));
	}
	return 0;
}

static uint64_t h_timer(void *ctx)
{
	return vclock += 10;
}

static void h_sleep(void *ctx, uint64_t ms)
{
	vclock += ms * 10000;
}

static void h_stall(void *ctx, uint64_t us)
{
	vclock += us * 10;
}

static void h_log(void *ctx, const char *line)
{
	fprintf(stderr, "aml: %s\n", line);
}

static void free_regions(void)
{
	while (regions) {
		struct region_mem *r = regions;
		regions = r->next;
		free(r->flat);
		free(r->off);
		free(r->val);
		free(r);
	}
}

/* ---------------------------------------------------------------- facts */

struct lines {
	char **v;
	size_t n, cap;
};

static void add_line(struct lines *l, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void add_line(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			exit(1);
	}
	l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk_ctx {
	unsigned devices, methods;
	struct lines devs, hids, prts;
};

static int walk_fn(void *p, const char *path, enum aml_type type)
{
	struct walk_ctx *w = p;
	size_t n = strlen(path);

	if (type == AML_DEVICE) {
		w->devices++;
		add_line(&w->devs, "%s", path);
	}
	if (type == AML_METHOD)
		w->methods++;
	if (n > 5 && strcmp(path + n - 5, "._HID") == 0)
		add_line(&w->hids, "%s", path);
	if (n > 5 && strcmp(path + n - 5, "._PRT") == 0)
		add_line(&w->prts, "%s", path);
	return 0;
}

static char *parent_of(const char *path)
{
	char *p = strdup(path), *dot = strrchr(p, '.');

	if (dot)
		*dot = 0;
	else
		p[1] = 0;
	return p;
}

static bool is_device(struct walk_ctx *w, const char *path)
{
	for (size_t i = 0; i < w->devs.n; i++)
		if (strcmp(w->devs.v[i], path) == 0)
			return true;
	return false;
}

/* Size ACPICA's external form of v takes (AcpiUtGetObjectSize). acpiexec's
 * debugger hands results back through a 16 KiB buffer and fails larger
 * ones, so the oracle reports such a _PRT as an error; aml-inspect does the
 * same unless --full is given. */
#define ACPIEXEC_BUF 0x4000
static bool full_results;

static size_t ext_size(const struct aml_value *v)
{
	size_t n = 24;

	switch (v->type) {
	case AML_STRING:
		n += v->string.len + 1;
		break;
	case AML_BUFFER:
		n += v->buffer.len;
		break;
	case AML_PACKAGE:
		for (size_t i = 0; i < v->package.count; i++)
			n += ext_size(&v->package.elems[i]);
		break;
	case AML_REFERENCE:
		n += v->ref.path ? (strlen(v->ref.path) + 1 + 7) / 8 * 8 : 0;
		break;
	default:
		break;
	}
	return (n + 7) / 8 * 8;
}

/* aml_eval with acpiexec's result-size limit; errors go to stderr. */
static int eval(struct aml *aml, const char *path, struct aml_value *v)
{
	int err = aml_eval(aml, path, NULL, 0, v);

	if (err) {
		fprintf(stderr, "aml-inspect: %s\n", aml_last_error(aml));
		return err;
	}
	if (!full_results && ext_size(v) > ACPIEXEC_BUF) {
		fprintf(stderr, "aml-inspect: %s: result larger than acpiexec's %u-byte buffer\n",
			path, ACPIEXEC_BUF);
		aml_value_free(aml, v);
		return -E_2BIG;
	}
	return 0;
}

static void fact_s5(struct aml *aml, struct lines *out)
{
	struct aml_value v;
	struct aml_value *e;

	if (!aml_exists(aml, "\\_S5_", NULL)) {
		add_line(out, "s5 none");
		return;
	}
	if (eval(aml, "\\_S5_", &v)) {
		add_line(out, "s5 error");
		return;
	}
	e = v.type == AML_PACKAGE ? v.package.elems : NULL;
	if (e && v.package.count == 1 && e[0].type == AML_INTEGER)
		add_line(out, "s5 0x%llx 0x%llx", (unsigned long long)(e[0].integer & 0xFF),
			 (unsigned long long)(e[0].integer >> 8 & 0xFF));
	else if (e && v.package.count >= 2 && e[0].type == AML_INTEGER && e[1].type == AML_INTEGER)
		add_line(out, "s5 0x%llx 0x%llx", (unsigned long long)(e[0].integer & 0xFF),
			 (unsigned long long)(e[1].integer & 0xFF));
	else
		add_line(out, "s5 error");
	aml_value_free(aml, &v);
}

static void fact_hid(struct aml *aml, const char *path, const char *dev, struct lines *out)
{
	struct aml_value v;
	char id[8];

	if (eval(aml, path, &v)) {
		add_line(out, "hid %s error", dev);
		return;
	}
	if (v.type == AML_BUFFER) {
		/* ACPICA's _HID repair: a Buffer becomes an Integer */
		uint64_t x = 0;
		for (size_t i = 0; i < v.buffer.len && i < 8; i++)
			x |= (uint64_t)v.buffer.ptr[i] << (8 * i);
		aml_value_free(aml, &v);
		v.type = AML_INTEGER;
		v.integer = x;
	}
	if (v.type == AML_INTEGER) {
		aml_eisa_id((uint32_t)v.integer, id);
		add_line(out, "hid %s %s", dev, id);
	} else if (v.type == AML_STRING) {
		/* ACPICA's _HID repair: drop a leading '*', upper-case. */
		char *s = v.string.ptr + (v.string.ptr[0] == '*');
		for (char *c = s; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		add_line(out, "hid %s %s", dev, s);
	} else {
		add_line(out, "hid %s error", dev);
	}
	aml_value_free(aml, &v);
}

static void fact_prt(struct aml *aml, const char *path, const char *dev, struct lines *out)
{
	struct aml_value v;
	struct lines tmp = {0};
	bool bad = false;

	if (eval(aml, path, &v)) {
		add_line(out, "prt %s error", dev);
		return;
	}
	if (v.type != AML_PACKAGE)
		bad = true;
	for (size_t i = 0; !bad && i < v.package.count; i++) {
		struct aml_value *e = &v.package.elems[i], *f;

		if (e->type != AML_PACKAGE || e->package.count != 4) {
			bad = true;
			break;
		}
		f = e->package.elems;
		if (f[0].type != AML_INTEGER || f[1].type != AML_INTEGER ||
		    f[3].type != AML_INTEGER) {
			bad = true;
			break;
		}
		if (f[2].type == AML_INTEGER)
			add_line(&tmp, "prt %s 0x%llx %llu %llu %llu", dev,
				 (unsigned long long)f[0].integer, (unsigned long long)f[1].integer,
				 (unsigned long long)f[2].integer,
				 (unsigned long long)f[3].integer);
		else if (f[2].type == AML_REFERENCE && f[2].ref.path)
			add_line(&tmp, "prt %s 0x%llx %llu %s %llu", dev,
				 (unsigned long long)f[0].integer, (unsigned long long)f[1].integer,
				 f[2].ref.path, (unsigned long long)f[3].integer);
		else
			bad = true;
	}
	if (bad) {
		add_line(out, "prt %s error", dev);
	} else {
		for (size_t i = 0; i < tmp.n; i++)
			add_line(out, "%s", tmp.v[i]);
	}
	for (size_t i = 0; i < tmp.n; i++)
		free(tmp.v[i]);
	free(tmp.v);
	aml_value_free(aml, &v);
}

/* The --routes facts of dev, from lib/acpi/prt.c as acpid reads them. */
static void fact_routes(struct aml *aml, const char *dev, struct lines *out, struct lines *links)
{
	static struct prt_entry e[4096];
	size_t n;
	int err = prt_read(aml, dev, e, sizeof(e) / sizeof(e[0]), &n);

	if (err) {
		fprintf(stderr, "aml-inspect: %s._PRT: %s\n", dev, err_name(err));
		add_line(out, "prt %s error", dev);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct prt_route r;
		bool seen = false;
		if (!e[i].source[0]) {
			add_line(out, "prt %s 0x%x %u %llu %u", dev, e[i].addr, e[i].pin,
				 (unsigned long long)e[i].source_int, e[i].index);
			continue;
		}
		add_line(out, "prt %s 0x%x %u %s %u", dev, e[i].addr, e[i].pin, e[i].source,
			 e[i].index);
		for (size_t k = 0; k < links->n && !seen; k++)
			seen = strcmp(links->v[k], e[i].source) == 0;
		if (seen)
			continue;
		add_line(links, "%s", e[i].source);
		if (prt_link_irq(aml, e[i].source, false, &r))
			add_line(out, "link %s none", e[i].source);
		else
			add_line(out, "link %s %u %s %s", e[i].source, r.gsi,
				 r.level ? "level" : "edge", r.active_low ? "low" : "high");
	}
}

/* The --devices line of one device, as acpid's acpi:/devices has it. */
static int fact_device(void *ctx, const char *path, const struct acpi_dev *d)
{
	char line[1024];
	size_t n = acpi_dev_line(path, d, line, sizeof line);
	if (n >= sizeof line)
		return -E_NOSPC;
	line[n - 1] = '\0'; /* its line end */
	add_line(ctx, "%s", line);
	return 0;
}

/* ---------------------------------------------------------------- loading */

struct file {
	char *name;
	long num;
};

static int cmp_file(const void *a, const void *b)
{
	const struct file *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static bool is_ssdt_name(const char *s, long *num)
{
	const char *p = s + 4;

	if (strncmp(s, "ssdt", 4) != 0)
		return false;
	*num = 0;
	while (*p >= '0' && *p <= '9')
		*num = *num * 10 + (*p++ - '0');
	return strcmp(p, ".dat") == 0;
}

int main(int argc, char **argv)
{
	struct aml_host host = {
	    .alloc = h_alloc,
	    .free = h_free,
	    .region_read = h_read,
	    .region_write = h_write,
	    .timer = h_timer,
	    .sleep = h_sleep,
	    .stall = h_stall,
	    .log = h_log,
	};
	struct file files[256];
	void *bufs[256];
	size_t nfiles = 0, nbufs = 0;
	struct walk_ctx w = {0};
	struct lines out = {0}, links = {0};
	bool routes = false, devices = false;
	struct aml *aml;
	struct dirent *de;
	char path[4096];
	DIR *d;
	int err, status = 0;

	if (argc == 3 && (strcmp(argv[1], "--full") == 0 || strcmp(argv[1], "--routes") == 0 ||
			  strcmp(argv[1], "--devices") == 0)) {
		full_results = strcmp(argv[1], "--full") == 0;
		routes = strcmp(argv[1], "--routes") == 0;
		devices = strcmp(argv[1], "--devices") == 0;
		argv++;
		argc--;
	}
	if (argc != 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc == 2 ? stdout : stderr);
		return argc == 2 ? 0 : 1;
	}
	snprintf(path, sizeof(path), "%s/dsdt.dat", argv[1]);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "aml-inspect: no readable dsdt.dat in %s\n", argv[1]);
		return 1;
	}
	d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "aml-inspect: cannot open %s\n", argv[1]);
		return 1;
	}
	files[nfiles++] = (struct file){strdup(path), -1};
	while ((de = readdir(d)) && nfiles < 256) {
		long num;
		if (is_ssdt_name(de->d_name, &num)) {
			snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
			files[nfiles++] = (struct file){strdup(path), num};
		}
	}
	closedir(d);
	qsort(files, nfiles, sizeof(files[0]), cmp_file);

	if (aml_create(&host, &aml)) {
		fprintf(stderr, "aml-inspect: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < nfiles; i++) {
		size_t len = 0;
		void *buf = read_file(files[i].name, &len);
		int idx;

		if (!buf) {
			fprintf(stderr, "aml-inspect: cannot read %s\n", files[i].name);
			status = 1;
			continue;
		}
		bufs[nbufs++] = buf;
		err = aml_load_table(aml, buf, len, &idx);
		if (err) {
			/* A refused table (bad header, budget) still lets the
			 * others be inspected; the exit status reports it. */
			fprintf(stderr, "aml-inspect: %s: %s\n", files[i].name,
				aml_last_error(aml));
			status = 1;
		}
	}
	if (aml_initialize(aml))
		fprintf(stderr, "aml-inspect: initialize: %s\n", aml_last_error(aml));
	if (aml_exists(aml, "\\_PIC", NULL)) {
		struct aml_value one = {.type = AML_INTEGER, .integer = 1}, r;
		if (aml_eval(aml, "\\_PIC", &one, 1, &r))
			fprintf(stderr, "aml-inspect: \\_PIC: %s\n", aml_last_error(aml));
		else
			aml_value_free(aml, &r);
	}

	if (devices) {
		(void)!acpi_devs_walk(aml, fact_device, &out, NULL);
		goto print;
	}
	aml_walk(aml, walk_fn, &w);
	for (size_t i = 0; routes && i < w.prts.n; i++) {
		char *dev = parent_of(w.prts.v[i]);
		fact_routes(aml, dev, &out, &links);
		free(dev);
	}
	if (routes)
		goto print;
	add_line(&out, "count Device %u", w.devices);
	add_line(&out, "count Method %u", w.methods);
	fact_s5(aml, &out);
	for (size_t i = 0; i < w.hids.n; i++) {
		char *dev = parent_of(w.hids.v[i]);
		if (is_device(&w, dev))
			fact_hid(aml, w.hids.v[i], dev, &out);
		free(dev);
	}
	for (size_t i = 0; i < w.prts.n; i++) {
		char *dev = parent_of(w.prts.v[i]);
		fact_prt(aml, w.prts.v[i], dev, &out);
		free(dev);
	}
print:
	qsort(out.v, out.n, sizeof(*out.v), cmp_str);
	for (size_t i = 0; i < out.n; i++) {
		puts(out.v[i]);
		free(out.v[i]);
	}
	free(out.v);
	struct lines *ls[] = {&w.devs, &w.hids, &w.prts, &links};
	for (size_t k = 0; k < 4; k++) {
		for (size_t i = 0; i < ls[k]->n; i++)
			free(ls[k]->v[i]);
		free(ls[k]->v);
	}
	aml_destroy(aml);
	for (size_t i = 0; i < nbufs; i++)
		free(bufs[i]);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i].name);
	free_regions();
	return status;
}
