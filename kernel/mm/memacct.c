/*
 * memacct.c - charges of user memory to processes and uids (see memacct.h).
 *
 * Ownership: each struct mem_acct belongs to its struct proc; the per-uid
 * totals (uid_pages) and the per-uid limit belong to this file. Locking:
 * acct_lock (interrupts off) guards every account's pages and uid and
 * uid_pages; it is a leaf, taken under a space's vm->lock by
 * memacct_map and never around another lock. A mapped page's reserve
 * check is exact (page_alloc_user, under the page allocator's lock);
 * other charges (page tables, a thread's kernel stack, a root) check a
 * snapshot first (mem_user_may_take), so those racing on several CPUs
 * may dip into the reserve by what they are creating at that moment.
 */
#include "arch.h"
#include "base/err.h"
#include "core/panic.h"
#include "mm/mem.h"
#include "mm/memacct.h"
#include "mm/memlimit.h"
#include "sync/irqlock.h"

static struct spinlock acct_lock = SPINLOCK_INIT;
static uint32_t uid_pages[MEMACCT_MAX_UID + 1]; /* pages charged per uid (acct_lock) */
static uint64_t uid_limit = MEMACCT_LIMIT_MAX;	/* pages per non-root uid (__atomic) */

void memacct_boot(uint64_t limit)
{
	__atomic_store_n(&uid_limit, limit, __ATOMIC_RELAXED);
}

void memacct_init(struct mem_acct *a, int uid, uint64_t limit)
{
	KASSERT(uid >= 0 && uid <= MEMACCT_MAX_UID, "uid %d out of range", uid);
	a->pages = 0;
	a->limit = limit;
	a->uid = uid;
}

/* Charge n pages to a against its limit and its uid's: 0 or -E_NOMEM. */
static int charge_limits(struct mem_acct *a, uint64_t n)
{
	uint64_t limit = __atomic_load_n(&a->limit, __ATOMIC_RELAXED);
	uint64_t ulimit = __atomic_load_n(&uid_limit, __ATOMIC_RELAXED);
	uint64_t f = spin_lock_irqsave(&acct_lock);
	bool ok = memlimit_fits(a->pages, limit, n) &&
		  (a->uid == 0 || memlimit_fits(uid_pages[a->uid], ulimit, n));
	if (ok) {
		a->pages += n;
		uid_pages[a->uid] += (uint32_t)n;
	}
	spin_unlock_irqrestore(&acct_lock, f);
	return ok ? 0 : -E_NOMEM;
}

int memacct_charge(struct mem_acct *a, uint64_t n)
{
	return mem_user_may_take(n) ? charge_limits(a, n) : -E_NOMEM;
}

void memacct_uncharge(struct mem_acct *a, uint64_t n)
{
	uint64_t f = spin_lock_irqsave(&acct_lock);
	KASSERT(n <= a->pages && n <= uid_pages[a->uid], "uncharging %lu pages, %lu charged",
		(unsigned long)n, (unsigned long)a->pages);
	a->pages -= n;
	uid_pages[a->uid] -= (uint32_t)n;
	spin_unlock_irqrestore(&acct_lock, f);
}

void memacct_release(struct mem_acct *a)
{
	uint64_t f = spin_lock_irqsave(&acct_lock);
	uid_pages[a->uid] -= (uint32_t)a->pages;
	a->pages = 0;
	spin_unlock_irqrestore(&acct_lock, f);
}

int memacct_setuid(struct mem_acct *a, int *uid, int v)
{
	if (v < 0 || v > MEMACCT_MAX_UID)
		return -E_INVAL;
	uint64_t f = spin_lock_irqsave(&acct_lock);
	int old = __atomic_load_n(uid, __ATOMIC_RELAXED);
	int err = old == 0 || old == v ? 0 : -E_PERM;
	if (err == 0) {
		uid_pages[a->uid] -= (uint32_t)a->pages;
		uid_pages[v] += (uint32_t)a->pages;
		a->uid = v;
		__atomic_store_n(uid, v, __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&acct_lock, f);
	return err;
}

uint64_t memacct_limit(struct mem_acct *a)
{
	return __atomic_load_n(&a->limit, __ATOMIC_RELAXED);
}

int memacct_set_limit(struct mem_acct *a, uint64_t pages, bool may_raise)
{
	uint64_t old = __atomic_load_n(&a->limit, __ATOMIC_RELAXED);
	do {
		if (pages > old && !may_raise)
			return -E_PERM;
	} while (!__atomic_compare_exchange_n(&a->limit, &old, pages, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

uint64_t memacct_uid_limit(void)
{
	return __atomic_load_n(&uid_limit, __ATOMIC_RELAXED);
}

void memacct_set_uid_limit(uint64_t pages)
{
	__atomic_store_n(&uid_limit, pages, __ATOMIC_RELAXED);
}

uint64_t memacct_page_alloc(struct mem_acct *a)
{
	if (charge_limits(a, 1) < 0) /* page_alloc_user checks the reserve exactly */
		return 0;
	uint64_t pa = page_alloc_user();
	if (!pa)
		memacct_uncharge(a, 1);
	return pa;
}

void memacct_page_free(struct mem_acct *a, uint64_t pa)
{
	page_free(pa, 1);
	memacct_uncharge(a, 1);
}

uint64_t memacct_root_new(struct mem_acct *a)
{
	if (memacct_charge(a, 1) < 0)
		return 0;
	uint64_t root = paging_user_root_new();
	if (!root)
		memacct_uncharge(a, 1);
	return root;
}

int memacct_map(struct mem_acct *a, uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	unsigned need = paging_user_tables_missing(root, va);
	if (need && memacct_charge(a, need) < 0)
		return -E_NOMEM;
	int err = paging_user_map(root, va, pa, flags);
	if (err < 0 && need)
		memacct_uncharge(a, paging_user_tables_missing(root, va)); /* those not made */
	return err;
}
