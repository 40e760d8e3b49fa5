/*
 * c_dev.c - the "dev" case: pcid (pci:) and acpid (acpi:) under a storm
 * of unprivileged clients.
 *
 * Workers run as uid KST_WORKER_UID, so this is the surface any user
 * reaches: a thread holding an fd set (c_svc.c) lists pci:/, reads a
 * random function's config space at a random offset and length and its
 * irq line (read-only; not its bars, see pci_op), and must be refused a config write
 * and the irq node's request side; it reads pci:/events without blocking
 * and must be refused its rescan and pci:/hotplug's requests,
 * opens malformed paths (an error, any error, but an answer), lists
 * acpi:/tables and reads a table whole (its signature must lead it), asks
 * acpi:/route for a random function and pin, reads acpi:/status, and must
 * be refused acpi:/power. The supervisor starts both servers (svc.c) and
 * checks after each round that they still run and serve a fresh client.
 * EINTR (the signal case) and EMFILE/ENFILE (fdlim) skip an operation.
 *
 * Ownership: a set's fds and buffer belong to the thread holding the set.
 */
#include <string.h>
#include "kstress.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define BUF 4608

static char bufs[KST_SVC_SETS][BUF + 1];

/* Whether entry name counts: with fns, only PCI functions ("SSSS:BB:DD.F", not "events"). */
static bool wanted(const char *name, bool fns)
{
	return !fns || strchr(name, ':') != NULL;
}

/* A random entry (a function with fns) of the directory open at fd, copied to name;
   0 or an error. */
static long pick_entry(struct kst_thread *t, int fd, bool fns, char *name, size_t size)
{
	char *buf = bufs[t->idx % KST_SVC_SETS];
	long n = rb_getdents(fd, buf, BUF);
	if (n <= 0)
		return n == 0 ? -E_NOENT : n;
	unsigned count = 0;
	for (long o = 0; o < n;) {
		const struct rb_dirent *d = (const struct rb_dirent *)(buf + o);
		count += wanted(d->name, fns);
		o += d->reclen ? d->reclen : n;
	}
	if (count == 0)
		return -E_NOENT;
	unsigned want = (unsigned)kst_rand(t, count);
	for (long o = 0; o < n;) {
		const struct rb_dirent *d = (const struct rb_dirent *)(buf + o);
		if (wanted(d->name, fns) && want-- == 0) {
			rb_snprintf(name, size, "%s", d->name);
			return 0;
		}
		o += d->reclen ? d->reclen : n;
	}
	return -E_NOENT;
}

/* Open path into fd to; 1 to skip the operation (transient), 0, or a failure. */
static int open_or(struct kst_thread *t, const char *path, int flags, int to, long *r)
{
	*r = kst_svc_open(path, flags, to);
	if (kst_svc_transient(*r))
		return 1;
	return 0;
}

static int pci_op(struct kst_thread *t, int base)
{
	char fn[32], path[64];
	char *buf = bufs[t->idx % KST_SVC_SETS];
	long r;
	if (open_or(t, "pci:/", RB_O_RDONLY | RB_O_DIRECTORY, base, &r))
		return 0;
	if (r != base)
		return kst_fail(t, KST_DEV, "open pci:/: %ld", r);
	r = pick_entry(t, base, true, fn, sizeof fn);
	if (r == -E_INTR)
		return 0;
	if (r < 0)
		return kst_fail(t, KST_DEV, "list pci:/: %ld", r);
	switch (kst_rand(t, 5)) {
	case 0: { /* config at a random offset and length */
		rb_snprintf(path, sizeof path, "pci:/%s/config", fn);
		if (open_or(t, path, RB_O_RDONLY, base + 1, &r))
			return 0;
		if (r != base + 1)
			return kst_fail(t, KST_DEV, "open %s: %ld", path, r);
		uint64_t off = kst_rand(t, 4200), len = 1 + kst_rand(t, BUF);
		long s = rb_lseek(base + 1, (int64_t)off, RB_SEEK_SET);
		long n = rb_read(base + 1, buf, len);
		if (s == -E_INTR || n == -E_INTR)
			return 0;
		if (s != (long)off || n < 0 || (uint64_t)n > len || (off >= 4096 && n != 0))
			return kst_fail(t, KST_DEV, "%s at %llu, %llu bytes: seek %ld read %ld",
					path, (unsigned long long)off, (unsigned long long)len, s,
					n);
		return 0;
	}
	case 1: /* a config write and the irq request side: root's */
		rb_snprintf(path, sizeof path, "pci:/%s/%s", fn, kst_rand(t, 2) ? "config" : "irq");
		if (open_or(t, path, RB_O_RDWR, base + 1, &r))
			return 0;
		if (r >= 0)
			return kst_fail(t, KST_DEV, "uid %d opened %s for writing", rb_getuid(),
					path);
		return 0;
	case 2: { /* the irq line. Not bars: pcid sizes a function's BARs at the
		   first read, switching its decoding, and under Debian 12's QEMU 7.2
		   (multi-threaded TCG) that races with the other vCPUs' MMIO and
		   crashes QEMU (docs/pcid.md); even a read before the storm did. */
		rb_snprintf(path, sizeof path, "pci:/%s/irq", fn);
		if (open_or(t, path, RB_O_RDONLY, base + 1, &r))
			return 0;
		if (r != base + 1)
			return kst_fail(t, KST_DEV, "open %s: %ld", path, r);
		long n = rb_read(base + 1, buf, BUF);
		if (n == -E_INTR)
			return 0;
		if (n < 0 || (n > 0 && buf[n - 1] != '\n'))
			return kst_fail(t, KST_DEV, "read %s: %ld", path, n);
		return 0;
	}
	case 3: { /* events, never blocking */
		if (open_or(t, "pci:/events", RB_O_RDONLY | RB_O_NONBLOCK, base + 1, &r))
			return 0;
		if (r != base + 1)
			return kst_fail(t, KST_DEV, "open pci:/events: %ld", r);
		long n = rb_read(base + 1, buf, 1 + kst_rand(t, BUF));
		if (n < 0 && n != -E_AGAIN && n != -E_INTR)
			return kst_fail(t, KST_DEV, "read pci:/events: %ld", n);
		long w = rb_write(base + 1, "rescan", 6); /* root's */
		if (w >= 0)
			return kst_fail(t, KST_DEV, "uid %d could rescan", rb_getuid());
		/* ACPI hot-plug's requests: root's too (EPERM); the open
		   replaces the events handle */
		const char *req = kst_rand(t, 2) ? "eject 0000:00:00.0 1" : "rescan 0000:00:00.0";
		if (open_or(t, "pci:/hotplug", RB_O_RDWR, base + 1, &r))
			return 0;
		if (r != base + 1)
			return kst_fail(t, KST_DEV, "open pci:/hotplug: %ld", r);
		w = rb_write(base + 1, req, strlen(req));
		if (w != -E_PERM && w != -E_INTR)
			return kst_fail(t, KST_DEV, "uid %d writing pci:/hotplug: %ld", rb_getuid(),
					w);
		return 0;
	}
	default: { /* malformed paths get an answer, not a hang or a crash */
		static const char *const bad[] = {"pci:/zzzz:00:00.0/config", "pci:/%s/nope",
						  "pci:/%s/config/x", "pci:/%s/../..",
						  "pci:/0000:00:1f.7/bars"};
		rb_snprintf(path, sizeof path, bad[kst_rand(t, 5)], fn);
		if (open_or(t, path, RB_O_RDONLY, base + 1, &r))
			return 0;
		return 0; /* ENOENT or a file: both are answers */
	}
	}
}

static int acpi_op(struct kst_thread *t, int base)
{
	char name[32], path[80];
	char *buf = bufs[t->idx % KST_SVC_SETS];
	long r;
	switch (kst_rand(t, 4)) {
	case 0: { /* a table, whole: its signature leads it */
		if (open_or(t, "acpi:/tables", RB_O_RDONLY | RB_O_DIRECTORY, base, &r))
			return 0;
		if (r != base)
			return kst_fail(t, KST_DEV, "open acpi:/tables: %ld", r);
		r = pick_entry(t, base, false, name, sizeof name);
		if (r == -E_INTR || r == -E_NOENT)
			return 0; /* no tables: acpid serves an empty directory */
		if (r < 0)
			return kst_fail(t, KST_DEV, "list acpi:/tables: %ld", r);
		rb_snprintf(path, sizeof path, "acpi:/tables/%s", name);
		if (open_or(t, path, RB_O_RDONLY, base + 1, &r))
			return 0;
		if (r != base + 1)
			return kst_fail(t, KST_DEV, "open %s: %ld", path, r);
		long n = rb_read(base + 1, buf, BUF);
		if (n == -E_INTR)
			return 0;
		if (n < 4 || memcmp(buf, name, 4) != 0)
			return kst_fail(t, KST_DEV, "read %s: %ld bytes, not its signature", path,
					n);
		return 0;
	}
	case 1: /* a route for any function and pin */
		rb_snprintf(path, sizeof path, "acpi:/route/0000:%02x:%02x.%x/%c",
			    (unsigned)kst_rand(t, 4), (unsigned)kst_rand(t, 32),
			    (unsigned)kst_rand(t, 8), "ABCDE"[kst_rand(t, 5)]);
		if (open_or(t, path, RB_O_RDONLY, base, &r))
			return 0;
		if (r == base) {
			long n = rb_read(base, buf, BUF);
			if (n < 0 && n != -E_INTR)
				return kst_fail(t, KST_DEV, "read %s: %ld", path, n);
		}
		return 0;
	case 2: /* status */
		if (open_or(t, "acpi:/status", RB_O_RDONLY, base, &r))
			return 0;
		if (r != base)
			return kst_fail(t, KST_DEV, "open acpi:/status: %ld", r);
		r = rb_read(base, buf, BUF);
		if (r <= 0 && r != -E_INTR)
			return kst_fail(t, KST_DEV, "read acpi:/status: %ld", r);
		return 0;
	default: /* power is root's: never try it as root */
		if (rb_getuid() == 0)
			return 0;
		if (open_or(t, "acpi:/power", RB_O_WRONLY, base, &r))
			return 0;
		if (r == base && rb_write(base, "reboot", 6) >= 0)
			return kst_fail(t, KST_DEV, "uid %d could ask acpid to reboot",
					rb_getuid());
		return 0;
	}
}

int kst_dev_op(struct kst_thread *t)
{
	int base = kst_svc_begin(t);
	int r = kst_rand(t, 2) ? pci_op(t, base) : acpi_op(t, base);
	kst_svc_end(t);
	return r < 0 ? r : 0;
}
