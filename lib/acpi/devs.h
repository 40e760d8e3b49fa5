/*
 * devs.h - the devices an ACPI namespace describes (ACPI 6.5 section 6.1,
 * 6.3.7): which are there (_STA) and what they are (_HID and _CIDs), for
 * acpid's acpi:/devices list, from which driver-manager starts the drivers
 * of devices that are not PCI functions (the PS/2 keyboard, PNP0303).
 *
 * Pure logic over lib/aml: values come from aml_eval and are released
 * before returning; storage is the caller's. The interpreter is not locked
 * here: the caller owns it and serialises its use (acpid is one thread).
 * Firmware is outside input: an id of the wrong type, too long or with
 * bytes other than letters, digits and '_' is counted and left out, and a
 * _STA that fails counts as "not there", never as an error of the walk.
 * Ids get ACPICA's repairs (a string's leading '*' dropped, upper case; a
 * Buffer _HID read as an Integer), so acpid names a device as ACPICA and
 * Linux do; tests/tools/test_acpi_devs_corpus.py holds it to aml-inspect's
 * _HIDs on the real machines of the corpus.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

struct aml;

#define ACPI_DEV_IDS_MAX 9 /* the _HID and up to 8 _CIDs */
#define ACPI_DEV_ID_MAX 8  /* bytes of an id: "PNP0303" (EISA) or "ACPI0007" (6.1.5) */

/* Whether c may be in an id or a path segment of acpi:/devices: a letter, a digit or '_'. */
static inline bool acpi_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Whether s[0..len) can be an id of acpi:/devices: 1..ACPI_DEV_ID_MAX acpi_id_chars. Both
   acpid's walk and driver-manager's reading of the list hold ids to this. */
static inline bool acpi_id_ok(const char *s, size_t len)
{
	if (len == 0 || len > ACPI_DEV_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!acpi_id_char(s[i]))
			return false;
	return true;
}

/* _STA bits (ACPI 6.5 6.3.7). */
#define ACPI_STA_PRESENT 0x1u
#define ACPI_STA_ENABLED 0x2u
#define ACPI_STA_FUNCTIONING 0x8u
#define ACPI_STA_DEFAULT 0xfu /* a device without _STA */

/* What one device object says of itself. */
struct acpi_dev {
	uint32_t sta;					 /* _STA, ACPI_STA_DEFAULT without one */
	char ids[ACPI_DEV_IDS_MAX][ACPI_DEV_ID_MAX + 1]; /* the _HID first if it has one */
	unsigned nids;
	unsigned bad_ids; /* ids left out: wrong type, too long, odd bytes, past the array */
};

/*
 * Read path's _STA, _HID and _CID into *out: 0, or -E_IO when _STA exists
 * and fails (out->sta is then 0). ids[0] is the _HID when there is one;
 * the _CIDs follow in firmware order (a _CID may be one id or a package).
 */
MUST_CHECK int acpi_dev_read(struct aml *aml, const char *path, struct acpi_dev *out);

/* Counts of one acpi_devs_walk. */
struct acpi_devs_stats {
	unsigned devices; /* device objects looked at */
	unsigned listed;  /* passed to fn */
	unsigned absent;  /* neither present nor functioning: their children not looked at */
	unsigned sta_errors, bad_ids;
};

/*
 * Call fn for every device object that is present (_STA bit 0) and has at
 * least one id, parents before children, in definition order. The
 * children of a device that is neither present nor functioning are not
 * looked at (6.3.7). fn returns 0 to go on or < 0 to stop the walk with
 * that error. Returns 0 or fn's error; *stats (may be NULL) gets the counts.
 */
MUST_CHECK int acpi_devs_walk(struct aml *aml,
			      int (*fn)(void *ctx, const char *path, const struct acpi_dev *d),
			      void *ctx, struct acpi_devs_stats *stats);

/*
 * The line acpi:/devices gives for a device: "PATH ID [ID...]\n" into
 * buf[0..n) (NUL-terminated when n > 0); the length it needs, as snprintf.
 */
size_t acpi_dev_line(const char *path, const struct acpi_dev *d, char *buf, size_t n);
