/*
 * aml.h - public interface of the AML interpreter.
 *
 * The interpreter loads a DSDT and any number of SSDTs into one namespace,
 * runs _STA/_INI the way an OS does at boot and evaluates objects by path.
 * Everything it needs from the outside world (memory, region accesses,
 * notifications, time, log lines) comes through struct aml_host, which the
 * caller fills in and keeps alive for the lifetime of the interpreter.
 *
 * Ownership: struct aml owns every object it creates; values handed back by
 * aml_eval() are deep copies the caller releases with aml_value_free().
 * Locking: none. One interpreter instance must be used by one thread at a
 * time; the caller serialises.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

/* What the Revision opcode returns (the ACPICA release aml-inspect is
 * compared with, so firmware that checks it sees a familiar value). */
#define AML_REVISION 0x20200925

/* ACPI object types as ObjectType() numbers them (ACPI 6.5 19.6.96). */
enum aml_type {
	AML_UNINIT = 0,
	AML_INTEGER = 1,
	AML_STRING = 2,
	AML_BUFFER = 3,
	AML_PACKAGE = 4,
	AML_FIELD_UNIT = 5,
	AML_DEVICE = 6,
	AML_EVENT = 7,
	AML_METHOD = 8,
	AML_MUTEX = 9,
	AML_REGION = 10,
	AML_POWER_RES = 11,
	AML_PROCESSOR = 12,
	AML_THERMAL_ZONE = 13,
	AML_BUFFER_FIELD = 14,
	AML_DDB_HANDLE = 15,
	AML_DEBUG = 16,
	/* Not visible to AML: a reference (RefOf, Index, or a name in a package). */
	AML_REFERENCE = 20,
};

/* Region address spaces (ACPI 6.5 table 19.34). */
enum aml_space {
	AML_SPACE_MEMORY = 0,
	AML_SPACE_IO = 1,
	AML_SPACE_PCI = 2,
	AML_SPACE_EC = 3,
	AML_SPACE_SMBUS = 4,
	AML_SPACE_CMOS = 5,
	AML_SPACE_PCI_BAR = 6,
	AML_SPACE_IPMI = 7,
	AML_SPACE_GPIO = 8,
	AML_SPACE_GSBUS = 9,
	AML_SPACE_PCC = 10,
	AML_SPACE_COUNT = 11,
};

/* A value passed in to or returned from aml_eval(). */
struct aml_value {
	enum aml_type type;
	union {
		uint64_t integer;
		struct {
			size_t len; /* without the terminating NUL */
			char *ptr;  /* NUL-terminated */
		} string;
		struct {
			size_t len;
			uint8_t *ptr;
		} buffer;
		struct {
			size_t count;
			struct aml_value *elems;
		} package;
		/* AML_REFERENCE (a name in a package that names a device or
		 * other non-data object, or a RefOf result): absolute path of
		 * the object, NULL if the name cannot be resolved. Devices,
		 * methods and the like returned directly carry only their type
		 * (path NULL). Index references come back as the element. */
		struct {
			char *path;
		} ref;
	};
};

/* One region access: width bits (8/16/32/64) at address (region base +
 * offset; for PCI_Config the offset within the function's config space,
 * with the function in pci = seg << 32 | bus << 16 | dev << 8 | fn, taken
 * from _SEG/_BBN/_ADR). The region's own base and length identify it. */
struct aml_access {
	enum aml_space space;
	uint64_t address;
	unsigned width;
	uint64_t region_base, region_len;
	uint64_t pci;
};

/* Host callbacks. alloc/free are required; the rest may be NULL. */
struct aml_host {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr, size_t size);
	/* Region accesses (see struct aml_access). A NULL handler or a
	 * negative return refuses the access; the AML sees an error. */
	int (*region_read)(void *ctx, const struct aml_access *a, uint64_t *value);
	int (*region_write)(void *ctx, const struct aml_access *a, uint64_t value);
	/* Notify(device, value); path is the absolute path of the device. */
	void (*notify)(void *ctx, const char *path, uint64_t value);
	/* Time in 100 ns units (Timer opcode); Sleep in ms; Stall in us. */
	uint64_t (*timer)(void *ctx);
	void (*sleep)(void *ctx, uint64_t ms);
	void (*stall)(void *ctx, uint64_t us);
	/* Error, warning and Debug-object lines, without a trailing newline. */
	void (*log)(void *ctx, const char *line);
	/* Extra _OSI strings the host claims, NULL-terminated list, or NULL. */
	const char *const *osi_extra;
};

/* Budgets of one top-level evaluation; zero fields take the defaults. */
struct aml_limits {
	uint64_t max_steps;   /* opcodes executed (default 20,000,000) */
	uint32_t max_depth;   /* method call depth (default 64) */
	uint32_t max_nesting; /* nested terms and blocks, all frames (default 512) */
	uint64_t max_memory;  /* bytes the interpreter may hold (default 256 MiB) */
	uint32_t max_loop;    /* iterations of one While loop (default 65535) */
};

/* Definition counts of one table, as iasl's disassembly shows them. */
struct aml_counts {
	unsigned devices, methods, processors, thermal_zones, power_resources, regions;
	unsigned unresolved; /* names in call position no method could be found for */
};

struct aml;

/* Create an empty interpreter with the predefined namespace. */
MUST_CHECK int aml_create(const struct aml_host *host, struct aml **out);
/* Set evaluation budgets (may be called any time). */
void aml_set_limits(struct aml *aml, const struct aml_limits *lim);
/* Validate a DSDT/SSDT and load it into the namespace; copies nothing, so
 * tbl must stay valid until aml_destroy(). Returns the table index via idx. */
MUST_CHECK int aml_load_table(struct aml *aml, const void *tbl, size_t len, int *idx);
/* Run \_INI, \_SB._INI and _STA/_INI of every device, as an OS does at boot. */
MUST_CHECK int aml_initialize(struct aml *aml);
/* Evaluate the object at path (absolute, or relative to the root) with args. */
MUST_CHECK int aml_eval(struct aml *aml, const char *path, const struct aml_value *args, int nargs,
			struct aml_value *result);
/* True if an object exists at path; its type via type (may be NULL). */
bool aml_exists(struct aml *aml, const char *path, enum aml_type *type);
/* Register (or with fn NULL, remove) the Notify handler, replacing the
 * host's; ctx is passed to fn. */
void aml_set_notify(struct aml *aml, void (*fn)(void *ctx, const char *path, uint64_t value),
		    void *ctx);
/* Call fn for every namespace object, parents before children, in definition
 * order; fn returns 0 to continue, 1 to skip children, <0 to stop. */
int aml_walk(struct aml *aml, int (*fn)(void *ctx, const char *path, enum aml_type type),
	     void *ctx);
/* Definition counts of table idx (including those inside method bodies). */
MUST_CHECK int aml_table_counts(struct aml *aml, int idx, struct aml_counts *out);
/* The last error message (names method path and table offset), or "". */
const char *aml_last_error(struct aml *aml);
/* Release a value returned by aml_eval(). */
void aml_value_free(struct aml *aml, struct aml_value *v);
/* Free everything. */
void aml_destroy(struct aml *aml);
/* Decode a compressed EISA id into out[8] ("PNP0A08"). */
void aml_eisa_id(uint32_t id, char out[8]);
/* Is s one of the _OSI strings this interpreter answers true for? */
bool aml_osi_supported(const struct aml *aml, const char *s);
