/*
 * devs.c - the devices an ACPI namespace describes: _STA, _HID and _CID
 * of every device object (devs.h).
 *
 * Pure logic over lib/aml; no allocation beyond what aml_eval hands back,
 * released before returning. No locks: the caller serialises the
 * interpreter.
 */
#include <string.h>
#include "acpi/devs.h"
#include "aml/aml.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define PATH_MAX_ 512 /* aml_walk's paths are shorter */

/*
 * Append one id value (an EISA integer or a string) to d's ids, or count it
 * bad. ACPICA's repairs are made, so acpid and ACPICA (and Linux) see the
 * same ids: a string loses a leading '*' and is upper-cased; a _HID that is
 * a Buffer is read as a little-endian Integer (hid: true).
 */
static void add_id(struct acpi_dev *d, const struct aml_value *v, bool hid)
{
	char id[ACPI_DEV_ID_MAX + 1];
	uint64_t x = 0;
	if (v->type == AML_INTEGER || (hid && v->type == AML_BUFFER)) {
		if (v->type == AML_INTEGER)
			x = v->integer;
		else
			for (size_t i = 0; i < v->buffer.len && i < 8; i++)
				x |= (uint64_t)v->buffer.ptr[i] << (8 * i);
		aml_eisa_id((uint32_t)x, id);
	} else if (v->type == AML_STRING) {
		const char *s = v->string.ptr;
		size_t len = v->string.len;
		if (len && s[0] == '*') {
			s++;
			len--;
		}
		if (!acpi_id_ok(s, len)) {
			d->bad_ids++;
			return;
		}
		for (size_t i = 0; i < len; i++)
			id[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
		id[len] = '\0';
	} else {
		d->bad_ids++;
		return;
	}
	if (d->nids == ACPI_DEV_IDS_MAX || !acpi_id_ok(id, strlen(id))) {
		d->bad_ids++;
		return;
	}
	memcpy(d->ids[d->nids++], id, strlen(id) + 1);
}

/* Evaluate path.name into *v: true if it exists and evaluated (*v to be freed). */
static bool eval_child(struct aml *aml, const char *path, const char *name, struct aml_value *v)
{
	char p[PATH_MAX_];
	if (fmt_snprintf(p, sizeof p, "%s.%s", path, name) >= (int)sizeof p ||
	    !aml_exists(aml, p, NULL))
		return false;
	return aml_eval(aml, p, NULL, 0, v) == 0;
}

int acpi_dev_read(struct aml *aml, const char *path, struct acpi_dev *out)
{
	char p[PATH_MAX_];
	struct aml_value v;
	int err = 0;
	memset(out, 0, sizeof *out);
	out->sta = ACPI_STA_DEFAULT;
	if (fmt_snprintf(p, sizeof p, "%s._STA", path) >= (int)sizeof p)
		return -E_INVAL;
	if (aml_exists(aml, p, NULL)) {
		if (aml_eval(aml, p, NULL, 0, &v) == 0 && v.type == AML_INTEGER) {
			out->sta = (uint32_t)v.integer;
		} else {
			out->sta = 0;
			err = -E_IO;
		}
		aml_value_free(aml, &v); /* aml_eval zeroes it first: safe after a failure */
	}
	if (eval_child(aml, path, "_HID", &v)) {
		add_id(out, &v, true);
		aml_value_free(aml, &v);
	}
	if (eval_child(aml, path, "_CID", &v)) {
		if (v.type == AML_PACKAGE)
			for (size_t i = 0; i < v.package.count; i++)
				add_id(out, &v.package.elems[i], false);
		else
			add_id(out, &v, false);
		aml_value_free(aml, &v);
	}
	return err;
}

struct walk {
	struct aml *aml;
	int (*fn)(void *ctx, const char *path, const struct acpi_dev *d);
	void *ctx;
	struct acpi_devs_stats st;
};

static int visit(void *ctx, const char *path, enum aml_type type)
{
	struct walk *w = ctx;
	struct acpi_dev d;
	if (type != AML_DEVICE)
		return 0;
	w->st.devices++;
	if (acpi_dev_read(w->aml, path, &d) < 0)
		w->st.sta_errors++;
	w->st.bad_ids += d.bad_ids;
	if (!(d.sta & (ACPI_STA_PRESENT | ACPI_STA_FUNCTIONING))) {
		w->st.absent++;
		return 1; /* 6.3.7: its children are not enumerated */
	}
	if (!(d.sta & ACPI_STA_PRESENT) || d.nids == 0)
		return 0;
	w->st.listed++;
	int r = w->fn(w->ctx, path, &d);
	return r < 0 ? r : 0;
}

int acpi_devs_walk(struct aml *aml,
		   int (*fn)(void *ctx, const char *path, const struct acpi_dev *d), void *ctx,
		   struct acpi_devs_stats *stats)
{
	struct walk w = {.aml = aml, .fn = fn, .ctx = ctx};
	int r = aml_walk(aml, visit, &w);
	if (stats)
		*stats = w.st;
	return r < 0 ? r : 0;
}

size_t acpi_dev_line(const char *path, const struct acpi_dev *d, char *buf, size_t n)
{
	char none;
	if (n == 0) { /* only the length: somewhere to write the NUL */
		buf = &none;
		n = 1;
	}
	size_t used = (size_t)fmt_snprintf(buf, n, "%s", path);
	for (unsigned i = 0; i < d->nids && i < ACPI_DEV_IDS_MAX; i++)
		used += (size_t)fmt_snprintf(buf + (used < n ? used : n), used < n ? n - used : 0,
					     " %s", d->ids[i]);
	used += (size_t)fmt_snprintf(buf + (used < n ? used : n), used < n ? n - used : 0, "\n");
	return used;
}
