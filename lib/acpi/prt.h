/*
 * prt.h - PCI interrupt routing from ACPI (_PRT, ACPI 6.5 section 6.2.13):
 * a device's _PRT as entries, a link device's IRQ (_CRS, else one chosen
 * from _PRS and set with _SRS), the route of a pin through a chain of
 * bridges with the standard swizzle, and the namespace look-ups that find
 * the ACPI node of a PCI root bridge or of a function below it.
 *
 * Pure logic over lib/aml: values come from aml_eval and are released
 * before returning; storage is the caller's. The interpreter is not locked
 * here: the caller owns it and serialises its use (acpid is one thread).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

struct aml;

#define PRT_PATH_MAX 128

/* One _PRT entry. source is the link device's absolute path, or "" when
 * the entry names a GSI directly (source_int, normally 0, + index). */
struct prt_entry {
	uint32_t addr;	/* device << 16 | function (0xFFFF: any function) */
	uint8_t pin;	/* 0 = INTA .. 3 = INTD */
	uint32_t index; /* the GSI if source is "", else the link's resource index */
	uint64_t source_int;
	char source[PRT_PATH_MAX];
};

/* A resolved interrupt line. */
struct prt_route {
	uint32_t gsi;
	bool level;	 /* level- (else edge-) triggered */
	bool active_low; /* active low (else high) */
	bool shared;
};

/*
 * Evaluate dev._PRT (dev an absolute device path) into out[0..max); *n
 * gets the entry count. -E_NOENT if there is no _PRT, -E_BADMSG if it is
 * not a package of 4-element packages of the right types (source: an
 * integer or a device reference), -E_NOSPC if more than max entries, or
 * the evaluation's error.
 */
MUST_CHECK int prt_read(struct aml *aml, const char *dev, struct prt_entry *out, size_t max,
			size_t *n);

/*
 * The IRQ of link device link (a PNP0C0F): the first interrupt of its
 * _CRS. If that gives none (disabled link, an empty template or IRQ 0) and
 * allow_set, the policy is to take the first interrupt _PRS offers, write
 * it with _SRS and use it (documented in docs/acpid.md). Flags come from the
 * descriptor (an IRQ descriptor's usual PCI value: level, active low,
 * shared). -E_NOENT if no IRQ can be had, -E_BADMSG for a bad template.
 */
MUST_CHECK int prt_link_irq(struct aml *aml, const char *link, bool allow_set,
			    struct prt_route *out);

/* The route an entry gives: its link resolved, or a direct GSI (level, low). */
MUST_CHECK int prt_entry_route(struct aml *aml, const struct prt_entry *e, bool allow_set,
			       struct prt_route *out);

/* The pin seen one bus up, through a bridge at device number dev. */
static inline unsigned prt_swizzle(unsigned pin, unsigned dev)
{
	return (pin + dev) % 4;
}

/* One level of the bus chain from a root bridge down to a function's bus:
 * hops[0] is the root bridge, hops[i] the bridge leading to bus level i
 * (dev its device number on its parent bus); prt/n its _PRT (NULL/0 if it
 * has none or no ACPI node). */
struct prt_hop {
	const struct prt_entry *prt;
	size_t n;
	unsigned dev;
};

/* The entry serving pin of device dev on the bus below hops[nhops - 1]:
 * the nearest _PRT going up, swizzling through every bridge without one.
 * 0 with *hit set, or -E_NOENT. */
MUST_CHECK int prt_route_chain(const struct prt_hop *hops, size_t nhops, unsigned dev, unsigned pin,
			       const struct prt_entry **hit);

/* Look entry (dev, pin) up in one _PRT: the entry or NULL. */
const struct prt_entry *prt_lookup(const struct prt_entry *e, size_t n, unsigned dev, unsigned pin);

/* The PCI root bridge (PNP0A03/PNP0A08) with _SEG seg and _BBN bus (both 0
 * when absent); if none matches and bus 0 of seg is asked for, the only
 * root bridge of that segment. Its path into out[cap]. 0 or -E_NOENT. */
MUST_CHECK int prt_find_root(struct aml *aml, unsigned seg, unsigned bus, char *out, size_t cap);

/* The child device of parent whose _ADR is adr. Its path into out. 0 or -E_NOENT. */
MUST_CHECK int prt_find_child(struct aml *aml, const char *parent, uint32_t adr, char *out,
			      size_t cap);

/* Is dev a PCI root bridge (_HID or a _CID PNP0A03/PNP0A08)? */
bool prt_is_root_bridge(struct aml *aml, const char *dev);

/* dev.name (an object or a method of no arguments) as an integer, def when
 * it does not exist: 0, or -E_BADMSG when it is not an integer, or the
 * evaluation's error. */
MUST_CHECK int prt_eval_int(struct aml *aml, const char *dev, const char *name, uint64_t def,
			    uint64_t *out);
