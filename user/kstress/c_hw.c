/*
 * c_hw.c - the "hw" case: hardware grants under concurrency
 * (docs/hwaccess.md).
 *
 * The worker was spawned from initfs:/bin/kstress as uid 0, so it holds
 * what hw.policy gives kstress (ports 0x70-0x71 and 0x80, phys mmio, irq)
 * and keeps it after it drops to uid 1000. Its threads, on every CPU,
 * write and read port 0x80 (the POST code port: harmless) and must
 * survive; they map a page of the BIOS area (mmio) and unmap it again,
 * reading its first byte, and a kernel device page (the LAPIC) must give
 * EPERM; and one thread at a time spawns "kchild hwin 0x80", a process
 * with no grant in a CPU's bitmap switching with them, which must die
 * with SIGSEGV (or by a signal of the signal or sys case). A worker that
 * is not root cannot hand grants on: SYS_HWGRANT gives EPERM; nor type
 * on the console: debug:/input gives EPERM. The irq right lets it take
 * DMA memory (SYS_DMAMAP): blocks of 1-64 pages, each page written and
 * read back, physmap of one refused (RAM), and every third block left
 * mapped for exit (or a kill) to free. A quarter of the blocks also get
 * a word stored by SYS_HWSTORE, so several CPUs park each other at once.
 * A block is mapped the way the shm case maps (kst_mm_exclusive_begin/end),
 * as its bytes are checked: the mm case's racing reads and unmaps of a
 * stale address must not land in it.
 *
 * Ownership: a child belongs to the thread that spawned it; kids counts
 * them atomically. Nothing else is shared.
 */
#include "kstress.h"
#include "rb/port.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/syscall.h"

#define MAX_KIDS 1
#define PG 4096ul

static int kids;

static int port_op(struct kst_thread *t)
{
	for (int i = 0; i < 16; i++) {
		rb_outb(0x80, (uint8_t)kst_rand(t, 256));
		(void)rb_inb(0x80);
	}
	return 0;
}

static int physmap_op(struct kst_thread *t)
{
	unsigned long pages = 1 + kst_rand(t, 4);
	unsigned long base = 0xE0000 + PG * kst_rand(t, 32 - pages);
	long a = rb_syscall3(SYS_PHYSMAP, (long)base, (long)(pages * PG), RB_PROT_READ);
	if (a == -E_NOMEM)
		return 0; /* memlim, or the mm cases' regions: the map could not be charged */
	if (a <= 0)
		return kst_fail(t, KST_HW, "physmap(%#lx, %lu pages) = %ld", base, pages, a);
	(void)*(volatile const uint8_t *)a;
	long r = rb_munmap((void *)a, pages * PG);
	if (r != 0)
		return kst_fail(t, KST_HW, "munmap of a physmap: %ld", r);
	r = rb_syscall3(SYS_PHYSMAP, 0xfee00000, PG, RB_PROT_READ);
	if (r != -E_PERM)
		return kst_fail(t, KST_HW, "physmap of the LAPIC page: %ld, want EPERM", r);
	r = rb_hwgrant(rb_getpid(), RB_HW_PORT, 0x80, 1);
	if (r != -E_PERM)
		return kst_fail(t, KST_HW, "hwgrant as uid %d: %ld, want EPERM", rb_getuid(), r);
	r = rb_open("debug:/input", RB_O_WRONLY); /* typing on the console is root's too */
	if (r >= 0)
		rb_close((int)r);
	if (r != -E_PERM)
		return kst_fail(t, KST_HW, "open debug:/input as uid %d: %ld, want EPERM",
				rb_getuid(), r);
	return 0;
}

static int dma_op(struct kst_thread *t)
{
	unsigned long pages = 1 + kst_rand(t, 64), phys = 0;
	kst_mm_exclusive_begin(); /* its bytes are checked: no stale mm address may name it */
	long a = rb_dmamap(pages * PG, (unsigned long long *)&phys);
	kst_mm_exclusive_end();
	if (a == -E_NOMEM)
		return 0; /* memlim, or no contiguous run just now */
	if (a <= 0 || !phys || (phys & (PG - 1)))
		return kst_fail(t, KST_HW, "dmamap(%lu pages) = %ld, phys %#lx", pages, a, phys);
	volatile uint64_t *m = (volatile uint64_t *)a;
	for (unsigned long i = 0; i < pages; i++) {
		if (m[i * PG / 8] != 0)
			return kst_fail(t, KST_HW, "dmamap page %lu not zeroed", i);
		m[i * PG / 8] = phys + i * PG;
	}
	for (unsigned long i = 0; i < pages; i++)
		if (m[i * PG / 8] != phys + i * PG)
			return kst_fail(t, KST_HW, "dmamap page %lu lost its word", i);
	long r = rb_syscall3(SYS_PHYSMAP, (long)phys, PG, RB_PROT_READ);
	if (r != -E_PERM)
		return kst_fail(t, KST_HW, "physmap of DMA memory: %ld, want EPERM", r);
	if (kst_rand(t, 4) == 0) { /* a store with every other CPU parked, racing other parkers */
		uint32_t v = (uint32_t)kst_rand(t, 1u << 30);
		r = rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a + 8, 4, v);
		if (r != 0 || ((volatile uint32_t *)a)[2] != v)
			return kst_fail(t, KST_HW,
					"hwstore into a DMA block: %ld, word %#x want %#x", r,
					((volatile uint32_t *)a)[2], v);
	}
	if (kst_rand(t, 3) == 0)
		return 0; /* exit (or a kill) frees it */
	r = rb_munmap((void *)a, pages * PG);
	return r == 0 ? 0 : kst_fail(t, KST_HW, "munmap of a DMA block: %ld", r);
}

static int intruder_op(struct kst_thread *t)
{
	static const int console[] = {0, 1, 2};
	if (__atomic_add_fetch(&kids, 1, __ATOMIC_SEQ_CST) > MAX_KIDS) {
		__atomic_sub_fetch(&kids, 1, __ATOMIC_SEQ_CST);
		return port_op(t);
	}
	char *argv[] = {"kchild", "hwin", "0x80", NULL};
	int r = 0, status = -1;
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, console, 3);
	if (pid < 0) {
		if (pid != -E_AGAIN && pid != -E_NOMEM)
			r = kst_fail(t, KST_HW, "spawn kchild hwin: %d", pid);
		goto out;
	}
	int w;
	do /* a handled signal (the signal case) ends the wait with EINTR */
		w = rb_waitpid(pid, &status, 0);
	while (w == -E_INTR);
	bool other =
	    (t->w->cases & ((1u << KST_SIGNAL) | (1u << KST_SYS))) && status > 128 && status < 160;
	if (w != pid)
		r = kst_fail(t, KST_HW, "waitpid(%d) = %d", pid, w);
	else if (status != 128 + RB_SIGSEGV && !other)
		r = kst_fail(t, KST_HW, "ungranted in 0x80: status %d, want %d", status,
			     128 + RB_SIGSEGV);
out:
	__atomic_sub_fetch(&kids, 1, __ATOMIC_SEQ_CST);
	return r;
}

int kst_hw_op(struct kst_thread *t)
{
	switch (kst_rand(t, 5)) {
	case 0:
	case 1:
		return port_op(t);
	case 2:
		return physmap_op(t);
	case 3:
		return dma_op(t);
	default:
		return intruder_op(t);
	}
}
