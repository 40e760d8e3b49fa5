/*
 * memacct.h - what each process's memory costs, and the limits on it
 * (docs/memory.md, "Memory limits").
 *
 * struct mem_acct is embedded in struct proc (p->mem); the process owns
 * it. It counts the pages charged to the process: the root and every page
 * table of its address space, every page the space owns (PTE_OWNED:
 * anonymous memory, the program image and stack), and
 * MEMACCT_THREAD_PAGES per live thread (kernel stack, FPU area, struct
 * thread). A charge is refused (-E_NOMEM) when it would pass the
 * process's RLIMIT_MEM, the total of its uid (uid 0 has none), or dip
 * into the kernel's reserve of free pages (mm/mem.h). Pages go back with
 * memacct_uncharge as they are freed; memacct_release gives back all that
 * is left once the address space is destroyed and no thread is left.
 * Invariant: every PTE_OWNED page and every user page table was charged
 * to the account of the space it is in.
 *
 * Locking: one spinlock (acct_lock, interrupts off, a leaf: nothing is
 * taken under it) guards every account's pages and uid and the per-uid
 * totals, so a setuid moves a process's charge to its new uid in one
 * step. limit and the per-uid limit are read with __atomic loads and
 * changed with compare-and-swap / stores.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"

#define MEMACCT_THREAD_PAGES 6	       /* a thread: 4 stack pages, its FPU area and struct */
#define MEMACCT_LIMIT_MAX (1ull << 28) /* pages (1 TiB): RLIMIT_MEM's default and top */
#define MEMACCT_MAX_UID 65535

struct mem_acct {
	uint64_t pages; /* charged now (acct_lock) */
	uint64_t limit; /* RLIMIT_MEM in pages (__atomic) */
	int uid;	/* whose total the pages count in (acct_lock) */
};

/* Set the default per-uid total (pages); once, at boot. */
void memacct_boot(uint64_t uid_limit);
/* An empty account of uid with limit pages (the process is not published yet). */
void memacct_init(struct mem_acct *a, int uid, uint64_t limit);
/* Charge n pages to a: 0, or -E_NOMEM past a limit or into the reserve. */
MUST_CHECK int memacct_charge(struct mem_acct *a, uint64_t n);
/* Give n charged pages back. */
void memacct_uncharge(struct mem_acct *a, uint64_t n);
/* Give back everything still charged (the space is gone, no thread is left). */
void memacct_release(struct mem_acct *a);
/*
 * Set *uid (the process's uid field, read elsewhere with atomic loads) to
 * v and move the charge to v's total, in one step under the lock: 0, or
 * -E_PERM unless *uid is 0 or already v.
 */
MUST_CHECK int memacct_setuid(struct mem_acct *a, int *uid, int v);
/* RLIMIT_MEM of a, in pages. */
uint64_t memacct_limit(struct mem_acct *a);
/* Set RLIMIT_MEM to pages: 0, or -E_PERM if that raises it and !may_raise
   (decided against the value it replaces, so a racing lowering stays). */
MUST_CHECK int memacct_set_limit(struct mem_acct *a, uint64_t pages, bool may_raise);
/* The per-uid total of every non-root uid, in pages; and set it. */
uint64_t memacct_uid_limit(void);
void memacct_set_uid_limit(uint64_t pages);
/* A zeroed page charged to a, or 0 (nothing charged) when refused. */
uint64_t memacct_page_alloc(struct mem_acct *a);
/* Free a page from memacct_page_alloc and give its charge back. */
void memacct_page_free(struct mem_acct *a, uint64_t pa);
/* A new address-space root charged to a, or 0. */
uint64_t memacct_root_new(struct mem_acct *a);
/*
 * paging_user_map, charging a for the page tables it creates: 0 or
 * -E_NOMEM. The caller holds the space's lock or owns it alone.
 */
MUST_CHECK int memacct_map(struct mem_acct *a, uint64_t root, uint64_t va, uint64_t pa,
			   uint64_t flags);
