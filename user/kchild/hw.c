/*
 * hw.c - kchild's hardware-grant modes, for ktest's t_hw.c and kstress's
 * c_hw.c. kchild has no grant of its own in hw.policy: what it holds it
 * was given by its parent with SYS_HWGRANT.
 *
 * "kchild hwin PORT" reads the I/O port (hex) once and exits 0 if it
 *   survives (without a grant the #GP ends it with SIGSEGV: status 139);
 * "kchild hwgate PORT" waits for one byte on fd 0 (its parent grants the
 *   port first), then reads the port and exits 0;
 * "kchild hwloop PORT N" waits for a byte on fd 0, then reads the port N
 *   times with a yield after each, exits 0 (a child with ports sharing a
 *   CPU with ones without);
 * "kchild hwspin PORT" spins on a non-blocking read of fd 0 (a system
 *   call, not a switch: its CPU keeps the bitmap it loaded) until its
 *   parent, having granted the port meanwhile, writes a byte; then it
 *   reads the port: the #GP from the stale bitmap must be retried with
 *   the new one, not fatal;
 * "kchild hwyield N" waits for a byte on fd 0, then yields N (hex) times
 *   and exits 0 (ktest times two of them on one CPU, with and without
 *   port grants: the I/O bitmap's switch cost);
 * "kchild hwphys ADDR" waits for a byte on fd 0, then exits 0 if physmap
 *   of the page at ADDR (hex) works, 1 if it gives EPERM, 2 otherwise;
 * "kchild hwnoroot" becomes uid 1000 and exits 0 if SYS_FWTABLES and
 *   SYS_HWGRANT both give EPERM;
 * "kchild hwdma" exits 0 if SYS_DMAMAP and SYS_HWSTORE give EPERM (root
 *   without the irq right: not a driver).
 */
#include <stdbool.h>
#include <string.h>
#include "rb/port.h"
#include "rb/sys.h"
#include "rb/syscall.h"

int kchild_hw(int argc, char **argv);

static unsigned long hex(const char *s)
{
	unsigned long v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		char c = *s;
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 0;
		v = v * 16 + d;
	}
	return v;
}

static bool gate(void)
{
	char b;
	return rb_read(0, &b, 1) == 1;
}

int kchild_hw(int argc, char **argv)
{
	const char *mode = argv[1];
	if (strcmp(mode, "hwnoroot") == 0) {
		if (rb_setuid(1000) != 0)
			return 3;
		long a = rb_fwtables(NULL, 0);
		long b = rb_hwgrant(rb_getpid(), RB_HW_IRQ, 0, 0);
		return a == -E_PERM && b == -E_PERM ? 0 : 1;
	}
	if (strcmp(mode, "hwdma") == 0) {
		unsigned long long phys = 0;
		return rb_dmamap(4096, &phys) == -E_PERM && phys == 0 &&
			       rb_hwstore(RB_HWSTORE_MMIO, (unsigned long)&phys, 4, 1) == -E_PERM
			   ? 0
			   : 1;
	}
	if (argc < 3)
		return 2;
	unsigned long arg = hex(argv[2]);
	if (strcmp(mode, "hwin") == 0) {
		(void)rb_inb((uint16_t)arg);
		return 0;
	}
	if (strcmp(mode, "hwgate") == 0) {
		if (!gate())
			return 2;
		(void)rb_inb((uint16_t)arg);
		return 0;
	}
	if (strcmp(mode, "hwloop") == 0) {
		long n = argc > 3 ? (long)hex(argv[3]) : 100;
		if (!gate())
			return 2;
		for (long i = 0; i < n; i++) {
			(void)rb_inb((uint16_t)arg);
			rb_sched_yield();
		}
		return 0;
	}
	if (strcmp(mode, "hwyield") == 0) {
		if (!gate())
			return 2;
		for (unsigned long i = 0; i < arg; i++)
			rb_sched_yield();
		return 0;
	}
	if (strcmp(mode, "hwspin") == 0) {
		char b;
		while (rb_read(0, &b, 1) != 1)
			; /* the pipe is non-blocking: spin until the parent says it granted */
		(void)rb_inb((uint16_t)arg);
		return 0;
	}
	if (strcmp(mode, "hwphys") == 0) {
		if (!gate())
			return 2;
		long a = rb_syscall3(SYS_PHYSMAP, (long)arg, 4096, RB_PROT_READ);
		if (a == -E_PERM)
			return 1;
		return a > 0 ? 0 : 2;
	}
	return 2;
}
