/*
 * c_mm.c - the "mm" and "mmhuge" cases: anonymous memory under contention.
 *
 * The worker's threads share a table of slots, each one mapping of 1-16
 * pages. Even slots are "touched": every change to them (map, protect,
 * unmap) and every access happens under the slot's mutex, so the only
 * documented outcomes apply and are checked: fresh pages read as zero,
 * and a page keeps its contents across mprotect(R) and back.
 *
 * Odd slots are "racing": threads munmap and mprotect overlapping parts
 * of the same slot with no lock at all, and let the kernel copy file data
 * into them meanwhile (munmap vs munmap, vs mprotect, vs the kernel's user
 * copy, and vs a user scheme server's answer written straight in). User
 * code rarely reads a racing page; when it faults, the kernel kills the
 * worker with SIGSEGV, a documented outcome. A racing slot is one word
 * (address | pages), claimed and released with atomics; an operation may
 * use a word whose mapping is gone.
 *
 * The kernel places mappings first-fit, so an address (or a hole a racing
 * munmap left inside a racing slot) is handed out again at once. A racing
 * operation on a stale word would then hit a touched slot and report a
 * broken outcome that is only this program's race. So every racing
 * operation runs with the space lock shared (space_share), and a touched
 * slot is mapped with it exclusive after retiring every racing slot
 * (retire_racing: unmap and clear): no racing word or hole can name the
 * new mapping; the storm holds it shared too, for the same reason.
 * Racing threads still race freely with each other. Other cases that
 * map memory which must keep its bytes (the shm case) map it the same
 * way, through kst_mm_exclusive_begin/end. Lock order: a touched slot's
 * (or shm slot's) mutex, then the space lock, then the storm's mutex.
 *
 * The "storm" (storm_op) makes two or more threads munmap one 64-page
 * mapping at the same moment, the likeliest way to have two CPUs free the
 * same page. "mmhuge" unmaps a huge range above every mapping: it is
 * empty, so the worker loses nothing, but the kernel still walks it.
 */
#include "kstress.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define MM_SLOTS 6
#define MM_MAX_PAGES 16
#define PAGE 4096ul

struct mm_slot {
	struct rb_mutex lock; /* touched slots only */
	uintptr_t addr;	      /* 0: empty; atomics in racing slots */
	size_t pages;
	uint64_t tag;
};

static struct mm_slot slots[MM_SLOTS];

#define STORM_PAGES 64
static struct {
	struct rb_mutex lock; /* guards all of storm */
	uintptr_t addr;	      /* 0: none; joined, left count threads on it */
	int joined, left;
} storm;
static int motd_fd = -1;

/* The space lock: racing operations share it, mapping a touched slot
   excludes them. writer is set by the one exclusive holder (under excl). */
static struct {
	struct rb_mutex excl;
	int readers, writer;
} space;

static void space_share(void)
{
	for (;;) {
		if (!__atomic_load_n(&space.writer, __ATOMIC_SEQ_CST)) {
			__atomic_fetch_add(&space.readers, 1, __ATOMIC_SEQ_CST);
			if (!__atomic_load_n(&space.writer, __ATOMIC_SEQ_CST))
				return;
			__atomic_fetch_sub(&space.readers, 1, __ATOMIC_SEQ_CST);
		}
		rb_sched_yield();
	}
}

static void space_unshare(void)
{
	__atomic_fetch_sub(&space.readers, 1, __ATOMIC_SEQ_CST);
}

static void space_lock(void)
{
	rb_mutex_lock(&space.excl);
	__atomic_store_n(&space.writer, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&space.readers, __ATOMIC_SEQ_CST))
		rb_sched_yield();
}

static void space_unlock(void)
{
	__atomic_store_n(&space.writer, 0, __ATOMIC_SEQ_CST);
	rb_mutex_unlock(&space.excl);
}

/* Unmap and clear every racing slot (space lock exclusive: nobody uses them). */
static void retire_racing(void)
{
	for (int i = 1; i < MM_SLOTS; i += 2) {
		uintptr_t word = __atomic_exchange_n(&slots[i].addr, 0, __ATOMIC_SEQ_CST);
		if (word)
			rb_munmap((void *)(word & ~(PAGE - 1)), (word & (PAGE - 1)) * PAGE);
	}
}

/*
 * For other cases' mappings that must keep their bytes (the shm case's):
 * the same protection as a touched slot's map. Without it a racing munmap
 * or mprotect of a stale word, or a late storm thread, lands on the new
 * mapping and takes it away under its owner.
 */
void kst_mm_exclusive_begin(void)
{
	space_lock();
	retire_racing();
}

void kst_mm_exclusive_end(void)
{
	space_unlock();
}

void kst_mm_init(struct kst_worker *w)
{
	motd_fd = rb_open("initfs:/etc/motd", RB_O_RDONLY);
}

static uint64_t page_tag(const struct mm_slot *s, size_t page)
{
	return s->tag * 131 + page + 1;
}

/* Whether every page of touched slot s has all the RB_VM_* bits of want
   and none of deny (vmquery); a failure otherwise. */
static int touched_query(struct kst_thread *t, struct mm_slot *s, int want, int deny)
{
	for (size_t i = 0; i < s->pages; i++) {
		int q = rb_vmquery((void *)(s->addr + i * PAGE));
		if (q < 0 || (q & want) != want || (q & deny))
			return kst_fail(t, KST_MM,
					"vmquery(page %zu of %#lx) = %d, want %#x, not %#x", i,
					(unsigned long)s->addr, q, want, deny);
	}
	return 0;
}

/* Map and fill an empty touched slot, now and then with RB_MAP_POPULATE;
   checks what vmquery says of the new pages and that they read as zero. */
static int touched_map(struct kst_thread *t, struct mm_slot *s)
{
	size_t n = 1 + kst_rand(t, MM_MAX_PAGES);
	bool populate = kst_rand(t, 4) == 0;
	space_lock();
	retire_racing();
	void *a =
	    rb_mmap(NULL, n * PAGE, RB_PROT_READ | RB_PROT_WRITE, populate ? RB_MAP_POPULATE : 0);
	space_unlock();
	if (RB_IS_ERR(a))
		return (long)a == -E_NOMEM ? 0 : kst_fail(t, KST_MM, "mmap: %ld", (long)a);
	s->addr = (uintptr_t)a;
	s->pages = n;
	s->tag = rb_rand_next(&t->rng);
	if (touched_query(t, s, RB_VM_REGION | (populate ? RB_VM_PRESENT | RB_VM_WRITE : 0), 0))
		return -1;
	for (size_t i = 0; i < n; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(s->addr + i * PAGE);
		uint64_t first = p[0], last = p[PAGE / 8 - 1];
		if (first != 0 || last != 0)
			return kst_fail(t, KST_MM,
					"fresh page %zu of %p not zero: %#llx..%#llx, vmquery %d",
					i, a, (unsigned long long)first, (unsigned long long)last,
					rb_vmquery((void *)p));
		p[0] = page_tag(s, i);
		p[PAGE / 8 - 1] = ~page_tag(s, i);
	}
	return 0;
}

static int touched_check(struct kst_thread *t, struct mm_slot *s)
{
	for (size_t i = 0; i < s->pages; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(s->addr + i * PAGE);
		if (p[0] != page_tag(s, i) || p[PAGE / 8 - 1] != ~page_tag(s, i))
			return kst_fail(t, KST_MM, "page %zu of %#lx lost its contents", i,
					(unsigned long)s->addr);
	}
	return 0;
}

static int touched_op(struct kst_thread *t, struct mm_slot *s)
{
	int r = 0;
	rb_mutex_lock(&s->lock);
	if (!s->addr) {
		r = touched_map(t, s);
	} else {
		switch (kst_rand(t, 3)) {
		case 0:
			r = touched_query(t, s, RB_VM_REGION | RB_VM_PRESENT | RB_VM_WRITE, 0);
			if (!r)
				r = touched_check(t, s);
			break;
		case 1: /* read-only and back; the contents stay */
			if (rb_mprotect((void *)s->addr, s->pages * PAGE, RB_PROT_READ) != 0)
				r = kst_fail(t, KST_MM, "mprotect(R) of a mapped slot failed");
			if (!r)
				r = touched_query(t, s, RB_VM_REGION | RB_VM_PRESENT, RB_VM_WRITE);
			if (!r)
				r = touched_check(t, s);
			if (rb_mprotect((void *)s->addr, s->pages * PAGE,
					RB_PROT_READ | RB_PROT_WRITE) != 0 &&
			    !r)
				r = kst_fail(t, KST_MM, "mprotect(RW) of a mapped slot failed");
			break;
		default:
			if (rb_munmap((void *)s->addr, s->pages * PAGE) != 0)
				r = kst_fail(t, KST_MM, "munmap of a mapped slot failed");
			s->addr = 0;
			break;
		}
	}
	rb_mutex_unlock(&s->lock);
	return r;
}

/* A racing slot's word: the page-aligned address ORed with the page count. */
static uintptr_t racing_word(uintptr_t addr, size_t pages)
{
	return addr | pages;
}

static int racing_map(struct kst_thread *t, struct mm_slot *s)
{
	size_t n = 1 + kst_rand(t, MM_MAX_PAGES);
	int prot = kst_rand(t, 2) ? RB_PROT_READ | RB_PROT_WRITE : RB_PROT_READ;
	void *a = rb_mmap(NULL, n * PAGE, prot, 0);
	if (RB_IS_ERR(a))
		return (long)a == -E_NOMEM ? 0 : kst_fail(t, KST_MM, "mmap: %ld", (long)a);
	uintptr_t none = 0;
	if (!__atomic_compare_exchange_n(&s->addr, &none, racing_word((uintptr_t)a, n), false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		rb_munmap(a, n * PAGE); /* another thread filled the slot first */
	return 0;
}

static int racing_op_shared(struct kst_thread *t, struct mm_slot *s);

static int racing_op(struct kst_thread *t, struct mm_slot *s)
{
	kst_fds_share(); /* motd_fd may be stale (kstress.h); before the space lock */
	space_share();
	int r = racing_op_shared(t, s);
	space_unshare();
	kst_fds_unshare();
	return r;
}

static int racing_op_shared(struct kst_thread *t, struct mm_slot *s)
{
	uintptr_t word = __atomic_load_n(&s->addr, __ATOMIC_SEQ_CST);
	if (!word)
		return racing_map(t, s);
	uintptr_t a = word & ~(PAGE - 1);
	size_t n = word & (PAGE - 1);
	size_t first = kst_rand(t, n), len = 1 + kst_rand(t, n - first);
	void *p = (void *)(a + first * PAGE);
	long r;
	if (kst_rand(t, 64) == 0) {
		/*
		 * Read a page another thread may be unmapping or protecting: the
		 * documented outcomes are the byte, or the kernel logs the fault and
		 * kills this worker with SIGSEGV (there is no user fault handler yet;
		 * the supervisor counts a death and starts a new worker).
		 */
		(void)*(volatile char *)p;
		return 0;
	}
	switch (kst_rand(t, 5)) {
	case 4: /* walk the page tables while others unmap and protect */
		r = rb_vmquery(p);
		if (r < 0 || (r & ~0x1f))
			return kst_fail(t, KST_MM, "vmquery racing: %ld", r);
		return 0;
	case 0:
		r = rb_mprotect(p, len * PAGE, (int)kst_rand(t, 4)); /* none, R, W, RW */
		if (r != 0 && r != -E_NOMEM)
			return kst_fail(t, KST_MM, "mprotect racing: %ld", r);
		return 0;
	case 1:
		if (kst_rand(t, 2)) /* a user scheme's answer, copied straight in by its server */
			return kst_uscheme_read_racing(t, (char *)p + kst_rand(t, PAGE));
		if (motd_fd >= 0) {
			r = rb_read(motd_fd, p, len * PAGE);
			rb_lseek(motd_fd, 0, RB_SEEK_SET);
			/* the fd case may have closed or replaced the descriptor */
			bool fd_case = t->w->cases & (1u << KST_FD);
			if (r < 0 && r != -E_FAULT && !(fd_case && r > -4096))
				return kst_fail(t, KST_MM, "read into racing slot: %ld", r);
		}
		return 0;
	case 2: /* unmap the whole slot while others may unmap parts of it */
		r = rb_munmap((void *)a, n * PAGE);
		if (r != 0)
			return kst_fail(t, KST_MM, "munmap racing slot: %ld", r);
		__atomic_compare_exchange_n(&s->addr, &word, 0, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
		return 0;
	default:
		r = rb_munmap(p, len * PAGE);
		if (r != 0)
			return kst_fail(t, KST_MM, "munmap racing part: %ld", r);
		return 0;
	}
}

/*
 * The storm: threads meet on one mapping and munmap all of it at the same
 * moment, so that two CPUs walk the same page table entries in step. The
 * first thread to join maps it and waits (a few ms at most) for a second.
 */
static int storm_op_shared(struct kst_thread *t);

/* A late storm thread unmaps after the others: its address must not have
   been handed to a touched slot meanwhile, so it holds the space shared. */
static int storm_op(struct kst_thread *t)
{
	space_share();
	int r = storm_op_shared(t);
	space_unshare();
	return r;
}

static int storm_op_shared(struct kst_thread *t)
{
	rb_mutex_lock(&storm.lock);
	if (!storm.addr) {
		void *a = rb_mmap(NULL, STORM_PAGES * PAGE, RB_PROT_READ | RB_PROT_WRITE, 0);
		if (RB_IS_ERR(a)) {
			rb_mutex_unlock(&storm.lock);
			return 0;
		}
		storm.addr = (uintptr_t)a;
		storm.joined = storm.left = 0;
	}
	uintptr_t a = storm.addr;
	int me = ++storm.joined;
	rb_mutex_unlock(&storm.lock);
	uint64_t until = rb_now_ns() + 3 * 1000 * 1000;
	while (me == 1 && __atomic_load_n(&storm.joined, __ATOMIC_ACQUIRE) < 2 &&
	       rb_now_ns() < until)
		; /* spin: a partner is about to arrive, or nobody comes */
	long r = rb_munmap((void *)a, STORM_PAGES * PAGE);
	rb_mutex_lock(&storm.lock);
	if (++storm.left == storm.joined)
		storm.addr = 0; /* the last one out; a late joiner finds a new mapping */
	rb_mutex_unlock(&storm.lock);
	return r == 0 ? 0 : kst_fail(t, KST_MM, "munmap storm: %ld", r);
}

int kst_mm_op(struct kst_thread *t)
{
	size_t i = kst_rand(t, MM_SLOTS + 2);
	if (i >= MM_SLOTS)
		return storm_op(t);
	return i % 2 ? racing_op(t, &slots[i]) : touched_op(t, &slots[i]);
}

int kst_mmhuge_op(struct kst_thread *t)
{
	/* Far above the bump pointer (16 TiB + what this worker mapped): nothing there. */
	uintptr_t base = 0x600000000000ul + kst_rand(t, 1024) * PAGE;
	size_t len = (1ul << 30) << kst_rand(t, 12); /* 1 GiB .. 2 TiB */
	long r = rb_munmap((void *)base, len);
	if (r != 0)
		return kst_fail(t, KST_MMHUGE, "munmap(%#lx, %#lx): %ld", (unsigned long)base,
				(unsigned long)len, r);
	return 0;
}
