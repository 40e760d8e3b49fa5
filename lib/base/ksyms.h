/*
 * ksyms.h - kernel symbol table lookups for symbolized backtraces.
 *
 * scripts/gen-ksyms.py turns `nm -n` output into a table, placed in the
 * kernel's .ksyms section between the labels ksym_table and ksym_table_end.
 * Layout (all little-endian, offsets from the start of the table):
 *   u64 count
 *   count x { u64 address; u32 name_offset; u32 size (0 if unknown) }
 *            sorted by address, ascending
 *   NUL-terminated names (name_offset points at one of them)
 * An empty table is just a zero count (8 bytes).
 *
 * Lookups read the table with byte loads and check every offset they use
 * against table_len, so a corrupt table gives -E_INVAL, never a wild read
 * (important: the lookup runs on the panic path). Pure code, no locking.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define KSYMS_HDR 8
#define KSYMS_ENTRY 16

/*
 * Find the symbol containing addr: the last one at or below it. *name and
 * *offset (addr - symbol address) on success; -E_NOENT if addr is below the
 * first symbol or at/after the end of a symbol whose size is known; -E_INVAL
 * if the table is malformed where the search looked.
 */
MUST_CHECK int ksyms_lookup(const void *table, size_t table_len, uint64_t addr, const char **name,
			    uint64_t *offset);

/* Validate the whole table: layout, sort order, every name; 0 or -E_INVAL. */
MUST_CHECK int ksyms_check(const void *table, size_t table_len);
