/*
 * irqtest - asks pcid for a device's interrupts and, for QEMU's edu
 * device, makes it raise some and counts them (docs/pcid.md).
 *
 *   irqtest [-n K] [-r REQUEST] [-s] SSSS:BB:DD.F
 *       claim the function, write REQUEST (default `auto 1`) to its irq
 *       node, print the answer, take the irq: handles; on an edu device
 *       (1234:11e8) raise K interrupts (default 8) through BAR0 and wait
 *       for each on vector 0, acknowledging device and handle:
 *         irqtest: 0000:00:04.0 1234:11e8 mode msi 1 path irq:/cpu/0/apic/0/vector/48
 *         irqtest: 0000:00:04.0 raised 8 got 8
 *       -s prints irq:/stats before releasing, so the vectors still show.
 *   irqtest --all
 *       every function: claim, `auto 1`, print what it offers and what it
 *       got, release:
 *         irqtest: 0000:00:02.0 1af4:1000 offers msix 3 msi 0 pin 1 got msix 1
 *
 * Root only (claims and the irq node are uid 0). Exit 0 when every step
 * worked (and, with edu, every interrupt came), 1 otherwise, 2 for a bad
 * argument. No state: every handle closes at exit, which releases the
 * interrupts and the claim.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pci/msi.h"
#include "rb/sys.h"
#include "rb/syscall.h"
#include "usage.h"

static const char usage[] =
    "usage: irqtest [-n K] [-r REQUEST] [-s] SSSS:BB:DD.F | irqtest --all\n"
    "Ask pcid for a PCI function's interrupts (docs/pcid.md) and print the mode.\n"
    "On QEMU's edu device raise K interrupts and count those that arrive.\n"
    "  -n K        interrupts to raise on edu (default 8, at most 1000)\n"
    "  -r REQUEST  the irq request: auto N, msix N, msi N, intx or none (default auto 1)\n"
    "  -s          print irq:/stats before releasing the interrupts\n"
    "  --all       every function: ask auto 1, print what it offers and got\n";

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64
#define WAIT_NS 5000000000ll /* a raised interrupt not here in 5 s is lost */

/* A function's config space, read once, behind struct pci_cfg. */
struct snap {
	uint8_t b[256];
};

static uint32_t snap_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	const struct snap *s = ctx;
	uint32_t v = 0;
	for (unsigned i = 0; i < width && off + i < sizeof s->b; i++)
		v |= (uint32_t)s->b[off + i] << (8 * i);
	return v;
}

static void snap_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
}

static const struct pci_cfg_ops snap_ops = {snap_read, snap_write};

/* An open device: its claimed config handle and its irq handle. */
struct dev {
	char name[16];
	int cfg, claim, irq;
	struct snap snap;
	struct pci_cfg pc;
	char answer[64];
	int fds[32];
	int nfds;
};

static void dev_close(struct dev *d)
{
	for (int i = 0; i < d->nfds; i++)
		rb_close(d->fds[i]);
	if (d->irq >= 0)
		rb_close(d->irq);
	if (d->claim >= 0)
		rb_close(d->claim);
	if (d->cfg >= 0)
		rb_close(d->cfg);
}

/* A live config read (the snapshot predates pcid's irq programming). */
static int cfg_read16(struct dev *d, unsigned off, uint16_t *v)
{
	if (rb_lseek(d->cfg, (long)off, RB_SEEK_SET) < 0)
		return -1;
	return rb_read(d->cfg, v, 2) == 2 ? 0 : -1;
}

static int cfg_write16(struct dev *d, unsigned off, uint16_t v)
{
	if (rb_lseek(d->cfg, (long)off, RB_SEEK_SET) < 0)
		return -1;
	return rb_write(d->cfg, &v, 2) == 2 ? 0 : -1;
}

/* Claim name, ask req, take the handles. 0, or -1 with a message. */
static int dev_open(struct dev *d, const char *name, const char *req)
{
	char p[64];
	memset(d, 0, sizeof *d);
	d->cfg = d->claim = d->irq = -1;
	snprintf(d->name, sizeof d->name, "%s", name);
	snprintf(p, sizeof p, "pci:/%s/config", name);
	d->cfg = rb_open(p, RB_O_RDWR);
	if (d->cfg < 0) {
		printf("irqtest: %s: open %s: %s\n", name, p, err_name(d->cfg));
		return -1;
	}
	if (rb_read(d->cfg, d->snap.b, sizeof d->snap.b) < 64) {
		printf("irqtest: %s: short config read\n", name);
		return -1;
	}
	d->pc = (struct pci_cfg){&snap_ops, &d->snap, {0, 0, 0, 0}, 256};
	d->claim = rb_dup_handle(d->cfg, "claim");
	if (d->claim < 0) {
		printf("irqtest: %s: claim: %s\n", name, err_name(d->claim));
		return -1;
	}
	snprintf(p, sizeof p, "pci:/%s/irq", name);
	d->irq = rb_open(p, RB_O_RDWR);
	if (d->irq < 0) {
		printf("irqtest: %s: open %s: %s\n", name, p, err_name(d->irq));
		return -1;
	}
	long n = rb_write(d->irq, req, strlen(req));
	if (n < 0) {
		printf("irqtest: %s: request '%s': %s\n", name, req, err_name((int)n));
		return -1;
	}
	n = rb_read(d->irq, d->answer, sizeof d->answer - 1);
	if (n <= 0) {
		printf("irqtest: %s: no answer: %s\n", name, n < 0 ? err_name((int)n) : "empty");
		return -1;
	}
	d->answer[n] = '\0';
	if (d->answer[n - 1] == '\n')
		d->answer[n - 1] = '\0';
	int want = 0;
	if (strncmp(d->answer, "msix ", 5) == 0)
		want = atoi(d->answer + 5);
	else if (strncmp(d->answer, "msi ", 4) == 0)
		want = atoi(d->answer + 4);
	else if (strncmp(d->answer, "intx ", 5) == 0)
		want = 1;
	for (; d->nfds < want && d->nfds < 32; d->nfds++) {
		int fd = rb_recvfd(d->irq, 0);
		if (fd < 0) {
			printf("irqtest: %s: recvfd %d of %d: %s\n", name, d->nfds, want,
			       err_name(fd));
			return -1;
		}
		d->fds[d->nfds] = fd;
	}
	return 0;
}

static int one_all(const char *name)
{
	struct dev d;
	int r = dev_open(&d, name, "auto 1");
	if (r == 0) {
		struct pci_msi m;
		struct pci_msix x;
		unsigned msix = pci_msix_parse(&d.pc, &x) == 0 ? x.table_size : 0;
		unsigned msi = pci_msi_parse(&d.pc, &m) == 0 ? m.max_vectors : 0;
		printf("irqtest: %s %04x:%04x offers msix %u msi %u pin %u got %s\n", name,
		       pci_read16(&d.pc, PCI_VENDOR_ID), pci_read16(&d.pc, PCI_DEVICE_ID), msix,
		       msi, pci_read8(&d.pc, PCI_INT_PIN), d.answer);
	}
	dev_close(&d);
	return r;
}

static int all(void)
{
	DIR *dir = opendir("pci:/");
	if (!dir) {
		printf("irqtest: cannot list pci:/\n");
		return 1;
	}
	int bad = 0, n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (strlen(e->d_name) != 12 || e->d_name[4] != ':')
			continue; /* not a function (events, ...) */
		n++;
		if (one_all(e->d_name) < 0)
			bad++;
	}
	closedir(dir);
	printf("irqtest: --all: %d functions, %d failed\n", n, bad);
	return bad ? 1 : 0;
}

/* BAR0's physical address from pci:/DEV/bars (`0 mem32 0xADDR 0xSIZE`). */
static int bar0(const char *name, uint64_t *phys)
{
	char p[64], buf[512];
	snprintf(p, sizeof p, "pci:/%s/bars", name);
	int fd = rb_open(p, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	long n = rb_read(fd, buf, sizeof buf - 1);
	rb_close(fd);
	if (n <= 0)
		return -E_NOENT;
	buf[n] = '\0';
	if (strncmp(buf, "0 mem", 5) != 0)
		return -E_NOENT;
	char *a = strstr(buf, " 0x");
	if (!a)
		return -E_NOENT;
	*phys = strtoull(a + 1, NULL, 16);
	return 0;
}

/* Raise k interrupts on edu, wait for each on fds[0]; how many came. */
static long edu_run(struct dev *d, int k)
{
	uint64_t phys;
	int e = bar0(d->name, &phys);
	if (e < 0) {
		printf("irqtest: %s: BAR0: %s\n", d->name, err_name(e));
		return -1;
	}
	/* Memory decoding on, and nothing else changed: pcid has just set
	   Bus Master (MSI) or cleared INTx disable (INTx). */
	uint16_t cmd;
	if (cfg_read16(d, PCI_COMMAND, &cmd) < 0 ||
	    cfg_write16(d, PCI_COMMAND, cmd | PCI_CMD_MEM) < 0) {
		printf("irqtest: %s: cannot enable memory decoding\n", d->name);
		return -1;
	}
	long a = rb_syscall3(SYS_PHYSMAP, (long)phys, 4096, RB_PROT_READ | RB_PROT_WRITE);
	if (RB_IS_ERR(a)) {
		printf("irqtest: %s: physmap 0x%llx: %s\n", d->name, (unsigned long long)phys,
		       err_name((int)a));
		return -1;
	}
	volatile uint32_t *r = (volatile uint32_t *)a;
	long got = 0;
	for (int i = 0; i < k; i++) {
		r[EDU_IRQ_RAISE / 4] = 1u << (i % 32);
		struct rb_pollfd pf = {d->fds[0], RB_POLLIN, 0};
		int p = rb_poll(&pf, 1, WAIT_NS);
		if (p <= 0) {
			printf("irqtest: %s: interrupt %d did not come\n", d->name, i);
			r[EDU_IRQ_ACK / 4] = r[EDU_IRQ_STATUS / 4];
			break;
		}
		uint64_t count = 0;
		if (rb_read(d->fds[0], &count, 8) == 8)
			got += (long)count;
		/* Quiet the device before the handle's ack unmasks a level line. */
		r[EDU_IRQ_ACK / 4] = r[EDU_IRQ_STATUS / 4];
		uint64_t ack = 1;
		(void)rb_write(d->fds[0], &ack, 8);
	}
	rb_munmap((void *)a, 4096);
	return got;
}

static void print_stats(void)
{
	char buf[4096];
	int fd = rb_open("irq:/stats", RB_O_RDONLY);
	if (fd < 0) {
		printf("irqtest: irq:/stats: %s\n", err_name(fd));
		return;
	}
	fflush(stdout);
	long n;
	while ((n = rb_read(fd, buf, sizeof buf)) > 0)
		(void)rb_write(1, buf, (size_t)n);
	rb_close(fd);
}

static int one(const char *name, const char *req, int k, bool stats)
{
	struct dev d;
	int rc = 1;
	if (dev_open(&d, name, req) < 0)
		goto out;
	char path[96] = "-";
	if (d.nfds > 0) {
		long n = rb_fpath(d.fds[0], path, sizeof path - 1);
		path[n > 0 ? n : 0] = '\0';
	}
	uint16_t ven = pci_read16(&d.pc, PCI_VENDOR_ID), dev = pci_read16(&d.pc, PCI_DEVICE_ID);
	printf("irqtest: %s %04x:%04x mode %s path %s\n", name, ven, dev, d.answer, path);
	rc = 0;
	if (ven == EDU_VENDOR && dev == EDU_DEVICE && d.nfds > 0 && k > 0) {
		long got = edu_run(&d, k);
		printf("irqtest: %s raised %d got %ld\n", name, k, got);
		rc = got == k ? 0 : 1;
	}
	if (stats)
		print_stats();
out:
	dev_close(&d);
	return rc;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	const char *req = "auto 1", *name = NULL;
	int k = 8;
	bool do_all = false, stats = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0) {
			do_all = true;
		} else if (strcmp(argv[i], "-s") == 0) {
			stats = true;
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 0 || v > 1000)
				usage_fail("irqtest", usage, "bad count '%s'", argv[i]);
			k = (int)v;
		} else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			req = argv[++i];
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			usage_fail("irqtest", usage, "unknown argument '%s'", argv[i]);
		}
	}
	if (do_all == (name != NULL))
		usage_fail("irqtest", usage, "give one function or --all");
	if (name && strlen(name) != 12)
		usage_fail("irqtest", usage, "bad function '%s' (want SSSS:BB:DD.F)", name);
	return do_all ? all() : one(name, req, k, stats);
}
