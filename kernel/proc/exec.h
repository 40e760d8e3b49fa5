/*
 * exec.h - building a process image from an ELF file in initfs.
 */
#pragma once
#include <stdint.h>
#include "base/compiler.h"

struct mem_acct;

struct exec_image {
	uint64_t root;	/* new address space */
	uint64_t entry; /* first user instruction */
	uint64_t rsp;	/* initial user stack pointer (at argc) */
	uint64_t brk;	/* end of the loaded image */
	char error[96]; /* why an image was refused (-E_NOEXEC) */
};

/*
 * Load path ("initfs:/...") with argv/envp (kernel memory) into a fresh
 * address space whose pages and tables are charged to acct (nothing is
 * left charged on failure). -E_NOENT, -E_NOEXEC (reason in out->error),
 * -E_NOMEM (out of memory, or past acct's limits), -E_2BIG.
 */
MUST_CHECK int exec_load(const char *path, char *const argv[], int argc, char *const envp[],
			 int envc, struct mem_acct *acct, struct exec_image *out);
/* Free an address space and every page it owns, and give back what is
   still charged to acct (its account: no thread of it is left). */
void exec_free_root(uint64_t root, struct mem_acct *acct);
