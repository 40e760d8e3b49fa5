/*
 * internal.h - acpid's own modules (docs/acpid.md): the firmware tables and
 * their bounded cache (tables.c), the AML region handlers (region.c), the
 * embedded controller (ec.c), PCI INTx routes (route.c), ACPI PCI
 * hot-plug (pcihp.c) and the acpi: scheme (main.c).
 *
 * acpid is one thread: main.c owns the one struct acpid_state and every
 * module works on it from that thread, so nothing here is locked.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpid.h"

struct aml_host;

#define ACPID_MAX_TABLES 64
#define ACPID_TABLE_MAX (16u << 20) /* a longer table is refused */
#define ACPID_CACHE_MAX (4u << 20)  /* bytes of table copies kept (LRU) */
#define ACPID_REGION_MAX (1u << 20) /* largest SystemMemory region mapped */
#define ACPID_EC_TIMEOUT_MS 500	    /* per EC byte (U20: 10 ms was too short) */

struct acpid_table {
	char name[8]; /* "DSDT", "SSDT", "SSDT2", ... */
	char sig[5];
	uint64_t phys;
	uint32_t len;
	const uint8_t *map; /* a kept mapping (DSDT/SSDT, needed by lib/aml), or NULL */
	uint8_t *copy;	    /* a cached copy (other tables), or NULL */
	uint64_t used;	    /* LRU stamp of the copy */
};

struct ec {
	bool present;
	uint16_t sc, data; /* command/status and data ports */
	unsigned timeouts;
};

struct acpid_state {
	struct acpid a;
	struct acpid_table tables[ACPID_MAX_TABLES];
	unsigned ntables;
	int fw_err;	     /* rb_fwtables' error (0: the tables were listed) */
	unsigned bad_tables; /* refused at start (logged once each) */
	size_t cache_bytes;  /* bytes held by copies */
	uint64_t lru_clock;
	unsigned aml_tables;	 /* DSDT/SSDTs loaded into lib/aml */
	unsigned aml_errors;	 /* load or evaluation errors */
	unsigned refused_spaces; /* bit n: region space n was refused (logged once) */
	unsigned region_errors;
	struct ec ec;
	int sci_fd; /* power_init's fd, -1 if none */
	char *devs; /* acpi:/devices' text (devices.c), devs_len bytes of devs_cap */
	size_t devs_len, devs_cap;
};

/* devices.c: list the present devices with ids into st->devs (acpi:/devices). */
void devices_list(struct acpid_state *st);

/* tables.c */
/* List, map and check the firmware's tables; bad ones are logged and skipped. */
void tables_init(struct acpid_state *st);
/* The table called name, or NULL. */
struct acpid_table *tables_find(struct acpid_state *st, const char *name);
/* The first table with signature sig, or NULL. */
struct acpid_table *tables_sig(struct acpid_state *st, const char *sig);
/* The bytes of t (a kept mapping or a cached copy; may evict others): NULL if unreadable. */
const uint8_t *tables_bytes(struct acpid_state *st, struct acpid_table *t);
/* Map len bytes of physical memory at phys read/write: the address or NULL. */
void *phys_map(uint64_t phys, size_t len, bool write, void **base, size_t *maplen);

/* region.c */
/* Fill host with acpid's region handlers, log, time (ctx = st). */
void region_host(struct acpid_state *st, struct aml_host *host);

/* ec.c */
/* Find the EC from the ECDT (before the AML runs) or the PNP0C09 device's _CRS. */
void ec_init_ecdt(struct acpid_state *st);
void ec_init_device(struct acpid_state *st);
/* Read/write one EC byte at addr: 0 or -E_TIMEDOUT / -E_NODEV. */
int ec_read(struct ec *ec, uint8_t addr, uint8_t *v);
int ec_write(struct ec *ec, uint8_t addr, uint8_t v);

/* route.c */
/* The route of "SSSS:BB:DD.F/P" as "GSI level|edge low|high\n" into out: 0 or -E_*. */
int route_query(struct acpid_state *st, const char *what, char *out, size_t cap);

/* pcihp.c */
/* From the Notify hook: queue Notify 0/1/3 (hot-plug) for pcihp_run. */
void pcihp_notify(struct acpid *a, const char *path, uint64_t value);
/* Handle the queued notes (rescans, ejects through pcid); after the
   GPE methods ran, never from inside the interpreter. */
void pcihp_run(struct acpid *a);
