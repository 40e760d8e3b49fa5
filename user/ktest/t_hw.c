/*
 * t_hw.c - hardware grants (docs/hwaccess.md): SYS_FWTABLES, bounded
 * physmap, granted and ungranted I/O ports, SYS_HWGRANT.
 *
 * ktest's own grants come from initfs:/etc/hw.policy (irq, ports
 * 0x70-0x71 and 0x80, phys acpi and mmio); kchild has none, so what it
 * may touch is what these cases give it (user/kchild/hw.c).
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"
#include "rb/port.h"
#include "rb/syscall.h"

#define PG 4096ul

static struct rb_fwtable tabs[64];

static const struct rb_fwtable *find_table(long n, const char *sig)
{
	for (long i = 0; i < n && i < 64; i++)
		if (memcmp(tabs[i].sig, sig, 4) == 0)
			return &tabs[i];
	return NULL;
}

/* The list starts with the RSDP and has the tables q35 and i440fx both have. */
static int fwtables_list(char *why, size_t n)
{
	long cnt = rb_fwtables(NULL, 0);
	KCHECK(cnt >= 5 && cnt <= 64, "fwtables count %ld", cnt);
	KEXPECT(rb_fwtables(tabs, 64), cnt);
	KCHECK(memcmp(tabs[0].sig, "RSD ", 4) == 0, "entry 0 is %.4s, not the RSDP", tabs[0].sig);
	KCHECK(tabs[0].len == 20 || tabs[0].len == 36, "RSDP length %u", tabs[0].len);
	const char *want[] = {"FACP", "APIC", "DSDT", "FACS"};
	for (int i = 0; i < 4; i++)
		KCHECK(find_table(cnt, want[i]), "no %s in the list", want[i]);
	KCHECK(memcmp(tabs[cnt - 2].sig, "DSDT", 4) == 0 &&
		   memcmp(tabs[cnt - 1].sig, "FACS", 4) == 0,
	       "DSDT and FACS are not last");
	/* the RSDP's own bytes, through physmap of its page (phys acpi) */
	unsigned long rp = (unsigned long)tabs[0].phys;
	KCHECK(rp != 0, "the RSDP's physical address is unknown");
	unsigned long rbase = rp & ~(PG - 1);
	unsigned long rlen = ((rp + tabs[0].len + PG - 1) & ~(PG - 1)) - rbase;
	long a = rb_syscall3(SYS_PHYSMAP, (long)rbase, (long)rlen, RB_PROT_READ);
	KCHECK(a > 0, "physmap of the RSDP's pages: %ld", a);
	KCHECK(memcmp((const char *)a + (rp - rbase), "RSD PTR ", 8) == 0, "no RSDP at %#lx", rp);
	KEXPECT(rb_munmap((void *)a, rlen), 0);
	rb_printf("# fwtables: %ld:", cnt);
	for (long i = 0; i < cnt; i++)
		rb_printf(" %.4s@%llx+%u", tabs[i].sig, tabs[i].phys, tabs[i].len);
	rb_printf("\n");
	/* a short buffer gets only what fits, the count stays */
	memset(tabs, 0, sizeof tabs);
	KEXPECT(rb_fwtables(tabs, 1), cnt);
	KCHECK(tabs[1].len == 0, "wrote past the buffer");
	KEXPECT(rb_fwtables(kt_bad_ptr(8), 4), -E_FAULT);
	KEXPECT(kt_run_kchild("hwnoroot"), 0); /* uid 1000: EPERM for both calls */
	return 0;
}

/* The DSDT read through physmap (phys acpi) is the table: signature and checksum. */
static int fwtables_dsdt(char *why, size_t n)
{
	long cnt = rb_fwtables(tabs, 64);
	const struct rb_fwtable *d = find_table(cnt, "DSDT");
	KCHECK(d && d->len >= 36, "no DSDT");
	unsigned long base = d->phys & ~(PG - 1);
	unsigned long len = ((d->phys + d->len + PG - 1) & ~(PG - 1)) - base;
	long a = rb_syscall3(SYS_PHYSMAP, (long)base, (long)len, RB_PROT_READ);
	KCHECK(a > 0, "physmap of the DSDT: %ld", a);
	const uint8_t *t = (const uint8_t *)a + (d->phys - base);
	KCHECK(memcmp(t, "DSDT", 4) == 0, "DSDT bytes start with %.4s", (const char *)t);
	uint8_t sum = 0;
	for (unsigned i = 0; i < d->len; i++)
		sum += t[i];
	KEXPECT(sum, 0);
	KEXPECT(rb_munmap((void *)a, len), 0);
	return 0;
}

/* Outside every grant: EPERM; inside: works; a range crossing into a kernel page: EPERM. */
static int physmap_bounds(char *why, size_t n)
{
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0xfee00000, PG, RB_PROT_READ), -E_PERM);     /* LAPIC */
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0xfec00000, PG, RB_PROT_READ), -E_PERM);     /* IOAPIC */
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0xfedff000, 2 * PG, RB_PROT_READ), -E_PERM); /* +HPET */
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0x200000, PG, RB_PROT_READ), -E_PERM);	      /* RAM */
	long a = rb_syscall3(SYS_PHYSMAP, 0xE0000, PG, RB_PROT_READ | RB_PROT_WRITE);
	KCHECK(a > 0, "physmap of the BIOS area (mmio): %ld", a);
	KEXPECT(rb_munmap((void *)a, PG), 0);
	/* kchild holds nothing: EPERM until it is given the page */
	int pfd[2];
	KEXPECT(rb_pipe(pfd, 0), 0);
	char *argv[] = {"kchild", "hwphys", "0xe0000", NULL};
	int fds[3] = {pfd[0], 1, 2};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, fds, 3);
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_write(pfd[1], "g", 1), 1);
	int st = -1;
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(st, 1);
	pid = rb_spawn("initfs:/bin/kchild", argv, NULL, fds, 3);
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_hwgrant(pid, RB_HW_PHYS, 0xfee00000, PG), -E_PERM); /* not mine */
	KEXPECT(rb_hwgrant(pid, RB_HW_PHYS, 0xE0000, PG), 0);
	KEXPECT(rb_write(pfd[1], "g", 1), 1);
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(st, 0);
	rb_close(pfd[0]);
	rb_close(pfd[1]);
	return 0;
}

/* dmamap: bounds, zeroed contiguous RAM that physmap may not reach, freed by munmap; EPERM without
 * the irq right. */
static int dmamap_cases(char *why, size_t n)
{
	unsigned long long phys = 0;
	KEXPECT(rb_dmamap(0, &phys), -E_INVAL);
	KEXPECT(rb_dmamap((4u << 20) + 1, &phys), -E_INVAL);
	KEXPECT(rb_dmamap(PG, (unsigned long long *)8), -E_FAULT);
	long a = rb_dmamap(17 * PG, &phys); /* makes the page tables the next one reuses */
	KCHECK(a > 0, "dmamap: %ld", a);
	KEXPECT(rb_munmap((void *)a, 17 * PG), 0);
	long f0 = rb_meminfo();
	a = rb_dmamap(16 * PG + 1, &phys); /* rounded up to 17 pages */
	KCHECK(a > 0, "dmamap: %ld", a);
	KCHECK(phys && !(phys & (PG - 1)), "phys %#llx", phys);
	volatile unsigned char *m = (volatile unsigned char *)a;
	for (unsigned i = 0; i < 17 * PG; i += 512)
		KCHECK(m[i] == 0, "byte %u is %#x, not zeroed", i, m[i]);
	m[17 * PG - 1] = 0x5a;
	KEXPECT(rb_syscall3(SYS_PHYSMAP, (long)phys, PG, RB_PROT_READ), -E_PERM); /* RAM */
	KEXPECT(rb_munmap((void *)a, 17 * PG), 0);
	long f1 = rb_meminfo();
	KCHECK(f1 == f0, "free pages %ld before, %ld after munmap", f0, f1);
	KEXPECT(kt_run_kchild("hwdma"), 0);
	return 0;
}

/* hwstore: bounds, a store made with every other CPU parked lands, and what it costs
   (that the others really wait is not visible from here). */
static int hwstore_cases(char *why, size_t n)
{
	unsigned long long phys = 0;
	long a = rb_dmamap(PG, &phys);
	KCHECK(a > 0, "dmamap: %ld", a);
	volatile uint32_t *w = (volatile uint32_t *)a;
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a, 3, 1), -E_INVAL);
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a + 2, 4, 1), -E_INVAL);
	KEXPECT(rb_hwstore(7, (unsigned long long)a, 4, 1), -E_INVAL);
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, 8, 4, 1), -E_INVAL);	      /* the null page */
	KEXPECT(rb_hwstore(RB_HWSTORE_PCI_PORT, 0x80000000u, 4, 1), -E_PERM); /* no 0xcf8 */
	uint64_t t0 = rb_now_ns();
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a, 4, 0xa5a5f00d), 0);
	uint64_t t1 = rb_now_ns();
	KCHECK(w[0] == 0xa5a5f00d, "word %#x after a 4-byte hwstore", w[0]);
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a + 6, 2, 0x1234), 0);
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a + 5, 1, 0x77), 0);
	KCHECK(w[1] == 0x12347700, "word %#x after 2- and 1-byte stores", w[1]);
	KEXPECT(rb_munmap((void *)a, PG), 0);
	KEXPECT(rb_hwstore(RB_HWSTORE_MMIO, (unsigned long long)a, 4, 1), -E_FAULT); /* unmapped */
	rb_printf("# hw: hwstore with the other CPUs parked: %llu ns\n",
		  (unsigned long long)(t1 - t0));
	return 0;
}

/* A granted port works: CMOS status A reads with the 32.768 kHz divider. */
static int port_granted(char *why, size_t n)
{
	uint64_t t0 = rb_now_ns();
	rb_outb(0x70, 0x0a);
	uint8_t a = rb_inb(0x71);
	uint64_t t1 = rb_now_ns();
	KCHECK((a & 0x70) == 0x20, "CMOS status A %#x", a);
	rb_outb(0x80, 0x42);
	rb_printf("# hw: CMOS status A %#x, out+in %llu ns\n", a, (unsigned long long)(t1 - t0));
	return 0;
}

/* An ungranted port ends the process with SIGSEGV; so does a kernel port for ktest's child. */
static int port_denied(char *why, size_t n)
{
	KEXPECT(kt_run_kchild("hwin"), 2); /* no port given: usage error, not a fault */
	char *argv[] = {"kchild", "hwin", "0x64", NULL};
	int fds[3] = {0, 1, 2};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, fds, 3);
	KCHECK(pid > 0, "spawn: %d", pid);
	int st = -1;
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(st, 128 + RB_SIGSEGV);
	return 0;
}

static int spawn_gated(const char *mode, const char *port, const char *count, int gatefd)
{
	char *argv[] = {"kchild", (char *)mode, (char *)port, (char *)count, NULL};
	int fds[3] = {gatefd, 1, 2};
	return rb_spawn("initfs:/bin/kchild", argv, NULL, fds, 3);
}

/* SYS_HWGRANT: a holder gives a port to a child; a non-holder or bad argument is refused. */
static int hwgrant_ports(char *why, size_t n)
{
	int pfd[2];
	KEXPECT(rb_pipe(pfd, 0), 0);
	int pid = spawn_gated("hwgate", "0x80", NULL, pfd[0]);
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_hwgrant(pid, RB_HW_PORT, 0x64, 1), -E_PERM);	   /* ktest lacks 0x64 */
	KEXPECT(rb_hwgrant(pid, RB_HW_PORT, 0x80, 2), -E_PERM);	   /* 0x81 too */
	KEXPECT(rb_hwgrant(pid, RB_HW_PORT, 0xffff, 2), -E_INVAL); /* past the last port */
	KEXPECT(rb_hwgrant(pid, RB_HW_PORT, 0x80, 0), -E_INVAL);
	KEXPECT(rb_hwgrant(pid, 99, 0, 0), -E_INVAL);
	KEXPECT(rb_hwgrant(999999, RB_HW_PORT, 0x80, 1), -E_NOENT);
	KEXPECT(rb_hwgrant(pid, RB_HW_PORT, 0x80, 1), 0);
	KEXPECT(rb_hwgrant(pid, RB_HW_IRQ, 0, 0), 0);
	KEXPECT(rb_write(pfd[1], "g", 1), 1);
	int st = -1;
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(st, 0);
	rb_close(pfd[0]);
	rb_close(pfd[1]);
	return 0;
}

/* A grant to a child that is running: its first in faults on the old bitmap and is retried. */
static int hwgrant_running(char *why, size_t n)
{
	int pfd[2];
	KEXPECT(rb_pipe(pfd, RB_O_NONBLOCK), 0);
	int pid = spawn_gated("hwspin", "0x80", NULL, pfd[0]);
	KCHECK(pid > 0, "spawn: %d", pid);
	for (int i = 0; i < 20; i++)
		rb_sched_yield(); /* let it start spinning (not needed for the check) */
	KEXPECT(rb_hwgrant(pid, RB_HW_PORT, 0x80, 1), 0);
	KEXPECT(rb_write(pfd[1], "g", 1), 1);
	int st = -1;
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(st, 0);
	rb_close(pfd[0]);
	rb_close(pfd[1]);
	return 0;
}

/* On one CPU: a child with port 0x80 loops in/yield while one without tries the port: only the
   one without dies. */
static int ports_same_cpu(char *why, size_t n)
{
	uint64_t cpu0 = 1;
	int pfd[2];
	KEXPECT(rb_pipe(pfd, 0), 0);
	int with = spawn_gated("hwloop", "0x80", "200", pfd[0]);
	int without = spawn_gated("hwgate", "0x80", NULL, pfd[0]);
	KCHECK(with > 0 && without > 0, "spawn: %d %d", with, without);
	KEXPECT(rb_sched_setaffinity(with, sizeof cpu0, &cpu0), 0);
	KEXPECT(rb_sched_setaffinity(without, sizeof cpu0, &cpu0), 0);
	KEXPECT(rb_hwgrant(with, RB_HW_PORT, 0x80, 1), 0);
	KEXPECT(rb_write(pfd[1], "gg", 2), 2);
	int st1 = -1, st2 = -1;
	KEXPECT(rb_waitpid(without, &st2, 0), without);
	KEXPECT(rb_waitpid(with, &st1, 0), with);
	KEXPECT(st1, 0);
	KEXPECT(st2, 128 + RB_SIGSEGV);
	rb_close(pfd[0]);
	rb_close(pfd[1]);
	return 0;
}

/* Two yielding children on CPU 1; ports: give them different port grants, so every switch
   between them copies a bitmap. Nanoseconds per switch, or a negative error. */
static long yield_pair(bool ports)
{
	uint64_t cpu1 = 2;
	int pfd[2];
	if (rb_pipe(pfd, 0) != 0)
		return -1;
	int a = spawn_gated("hwyield", "0x800", NULL, pfd[0]);
	int b = spawn_gated("hwyield", "0x800", NULL, pfd[0]);
	long r = a > 0 && b > 0 ? 0 : -2;
	if (r == 0 && rb_sched_setaffinity(a, sizeof cpu1, &cpu1) == -E_INVAL)
		cpu1 = 1; /* one CPU online: both on CPU 0 */
	if (r == 0 && (rb_sched_setaffinity(a, sizeof cpu1, &cpu1) != 0 ||
		       rb_sched_setaffinity(b, sizeof cpu1, &cpu1) != 0))
		r = -3;
	if (r == 0 && ports &&
	    (rb_hwgrant(a, RB_HW_PORT, 0x80, 1) != 0 || rb_hwgrant(b, RB_HW_PORT, 0x70, 2) != 0))
		r = -4;
	uint64_t t0 = rb_now_ns();
	if (rb_write(pfd[1], "gg", 2) != 2)
		r = -5;
	int sa = -1, sb = -1;
	if (a > 0)
		rb_waitpid(a, &sa, 0);
	if (b > 0)
		rb_waitpid(b, &sb, 0);
	uint64_t t1 = rb_now_ns();
	rb_close(pfd[0]);
	rb_close(pfd[1]);
	if (r == 0 && (sa != 0 || sb != 0))
		r = -6;
	return r < 0 ? r : (long)((t1 - t0) / (2 * 0x800));
}

/* The bitmap copy's cost, printed (not asserted): yields between two processes with different
   port grants against two with none. */
static int switch_cost(char *why, size_t n)
{
	long none = yield_pair(false);
	long ports = yield_pair(true);
	KCHECK(none > 0 && ports > 0, "yield pairs: %ld %ld", none, ports);
	rb_printf(
	    "# hw: yield+switch on one CPU: %ld ns without ports, %ld ns with two port grants "
	    "(bitmap copied each switch)\n",
	    none, ports);
	return 0;
}

const struct kcase hw_cases[] = {
    {"hw: fwtables lists RSD, FACP, APIC, DSDT, FACS", fwtables_list},
    {"hw: DSDT through physmap has its signature and checksum", fwtables_dsdt},
    {"hw: physmap only inside a grant", physmap_bounds},
    {"hw: a granted port works", port_granted},
    {"hw: an ungranted port kills with SIGSEGV", port_denied},
    {"hw: hwgrant from a holder works, from a non-holder EPERM", hwgrant_ports},
    {"hw: a grant to a running process takes effect", hwgrant_running},
    {"hw: ports do not leak between processes on one CPU", ports_same_cpu},
    {"hw: dmamap gives drivers contiguous RAM, freed by munmap", dmamap_cases},
    {"hw: hwstore: bounds, and a 1/2/4-byte store lands", hwstore_cases},
    {"hw: switch cost with and without port grants", switch_cost},
    {NULL, NULL},
};
