/*
 * drv.c - the PCI driver runtime (rb/drv.h): claiming a function, config
 * access, BAR mapping, interrupts from pcid with fall-back, DMA memory,
 * the manager's status line and log lines. The text it reads from pcid
 * is parsed by lib/drv (host-tested). Locking: see rb/drv.h.
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "rb/drv.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/syscall.h"

#define PAGE 4096ull
#define PCI_COMMAND 0x04
#define PCI_CMD_MEM 0x2
#define PCI_CMD_MASTER 0x4
#define STATUS_FD 3

void drv_log(const struct drv_dev *d, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rb_printf("%s: %s: %s\n", d->name, d->addr, msg);
}

/* fd 3 as the driver started: the manager's pipe, or not open (run by hand). */
static int status_fd = -2; /* -2: not looked at yet */

/*
 * Look at fd 3 before the driver opens anything, or the first handle it
 * opens would be fd 3 (and the status line would go to that file).
 */
static void status_probe(void)
{
	struct rb_stat st;
	if (status_fd == -2)
		status_fd = rb_fstat(STATUS_FD, &st) == -E_BADF ? -1 : STATUS_FD;
}

void drv_status(const char *fmt, ...)
{
	status_probe();
	if (status_fd < 0)
		return;
	char line[128];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	(void)rb_write(status_fd, line, (size_t)n);
}

int drv_pci_open(const char *name, const char *addr, struct drv_dev *d)
{
	char path[64], bars[512];
	status_probe();
	memset(d, 0, sizeof *d);
	d->name = name;
	d->cfg = d->claim = d->irqnode = -1;
	rb_snprintf(d->addr, sizeof d->addr, "%s", addr);
	rb_snprintf(path, sizeof path, "pci:/%s/config", addr);
	int r = rb_open(path, RB_O_RDWR);
	if (r < 0) {
		drv_log(d, "open %s: %s", path, err_name(r));
		return r;
	}
	d->cfg = r;
	r = rb_dup_handle(d->cfg, "claim");
	if (r < 0) {
		drv_log(d, "claim: %s", err_name(r));
		goto fail;
	}
	d->claim = r;
	long n = rb_read(d->claim, d->config, sizeof d->config);
	if (n < 64) {
		r = n < 0 ? (int)n : -E_IO;
		drv_log(d, "config read: %s", err_name(r));
		goto fail;
	}
	rb_snprintf(path, sizeof path, "pci:/%s/bars", addr);
	int fd = rb_open(path, RB_O_RDONLY);
	n = fd < 0 ? fd : rb_read(fd, bars, sizeof bars);
	if (fd >= 0)
		rb_close(fd);
	if (n < 0 || drv_bars_parse(bars, (size_t)n, d->bars) < 0) {
		r = n < 0 ? (int)n : -E_INVAL;
		drv_log(d, "%s: %s", path, err_name(r));
		goto fail;
	}
	return 0;
fail:
	drv_pci_close(d);
	return r;
}

void drv_pci_close(struct drv_dev *d)
{
	int *fds[] = {&d->irqnode, &d->claim, &d->cfg};
	for (unsigned i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			rb_close(*fds[i]);
		*fds[i] = -1;
	}
}

int drv_cfg_read(struct drv_dev *d, unsigned off, unsigned width, uint32_t *v)
{
	if ((width != 1 && width != 2 && width != 4) || off % width)
		return -E_INVAL;
	uint32_t x = 0;
	rb_mutex_lock(&d->cfg_lock);
	long r = rb_lseek(d->claim, (long)off, RB_SEEK_SET);
	if (r >= 0)
		r = rb_read(d->claim, &x, width);
	rb_mutex_unlock(&d->cfg_lock);
	if (r < 0)
		return (int)r;
	if (r != (long)width)
		return -E_IO;
	*v = x;
	return 0;
}

int drv_cfg_write(struct drv_dev *d, unsigned off, unsigned width, uint32_t v)
{
	if ((width != 1 && width != 2 && width != 4) || off % width)
		return -E_INVAL;
	rb_mutex_lock(&d->cfg_lock);
	long r = rb_lseek(d->claim, (long)off, RB_SEEK_SET);
	if (r >= 0)
		r = rb_write(d->claim, &v, width);
	rb_mutex_unlock(&d->cfg_lock);
	if (r < 0)
		return (int)r;
	return r == (long)width ? 0 : -E_IO;
}

int drv_pci_enable(struct drv_dev *d)
{
	/* Before interrupts are set up nobody but us has written the command
	   register since the claim's snapshot: a config read is a round trip
	   to pcid, and under load each costs milliseconds of a restart. */
	uint32_t cmd = (uint32_t)d->config[PCI_COMMAND] | (uint32_t)d->config[PCI_COMMAND + 1] << 8;
	int r = d->irqnode < 0 ? 0 : drv_cfg_read(d, PCI_COMMAND, 2, &cmd);
	if (r == 0 && (cmd & (PCI_CMD_MEM | PCI_CMD_MASTER)) != (PCI_CMD_MEM | PCI_CMD_MASTER)) {
		cmd |= PCI_CMD_MEM | PCI_CMD_MASTER;
		if ((r = drv_cfg_write(d, PCI_COMMAND, 2, cmd)) == 0) {
			d->config[PCI_COMMAND] = (uint8_t)cmd;
			d->config[PCI_COMMAND + 1] = (uint8_t)(cmd >> 8);
		}
	}
	if (r < 0)
		drv_log(d, "enable decoding and bus mastering: %s", err_name(r));
	return r;
}

volatile void *drv_bar_map(struct drv_dev *d, unsigned bar, uint64_t off, size_t len)
{
	if (bar >= DRV_BARS ||
	    (d->bars[bar].kind != DRV_BAR_MEM32 && d->bars[bar].kind != DRV_BAR_MEM64)) {
		drv_log(d, "BAR%u is not a memory BAR", bar);
		return NULL;
	}
	const struct drv_bar *b = &d->bars[bar];
	if (len == 0 || off > b->size || len > b->size - off) {
		drv_log(d, "BAR%u: window 0x%llx+0x%zx outside its 0x%llx bytes", bar,
			(unsigned long long)off, len, (unsigned long long)b->size);
		return NULL;
	}
	uint64_t phys = b->addr + off, start = phys & ~(PAGE - 1);
	uint64_t end = ALIGN_UP(phys + len, PAGE);
	long a = rb_syscall3(SYS_PHYSMAP, (long)start, (long)(end - start),
			     RB_PROT_READ | RB_PROT_WRITE);
	if (RB_IS_ERR(a)) {
		drv_log(d, "physmap BAR%u 0x%llx+0x%llx: %s", bar, (unsigned long long)start,
			(unsigned long long)(end - start), err_name((int)a));
		return NULL;
	}
	return (volatile uint8_t *)a + (phys - start);
}

/* Give up on interrupts: close what was taken, poll. */
static void irq_poll(struct drv_dev *d, struct drv_irq *irq, unsigned taken)
{
	for (unsigned i = 0; i < taken; i++)
		rb_close(irq->fds[i]);
	if (d->irqnode >= 0)
		rb_close(d->irqnode);
	d->irqnode = -1;
	irq->mode = (struct drv_irq_mode){DRV_IRQ_POLL, 0, 0, false, false};
}

void drv_irq_setup(struct drv_dev *d, unsigned want, struct drv_irq *irq)
{
	char path[64], req[32], ans[64];
	memset(irq, 0, sizeof *irq);
	irq->poll_ns = 1000000; /* 1 ms */
	irq_poll(d, irq, 0);
	if (want < 1)
		want = 1;
	if (want > DRV_IRQ_MAX)
		want = DRV_IRQ_MAX;
	rb_snprintf(path, sizeof path, "pci:/%s/irq", d->addr);
	int fd = rb_open(path, RB_O_RDWR);
	if (fd < 0) {
		drv_log(d, "open %s: %s; polling", path, err_name(fd));
		return;
	}
	d->irqnode = fd;
	int n = rb_snprintf(req, sizeof req, "auto %u\n", want);
	long r = rb_write(fd, req, (size_t)n);
	if (r < 0) {
		drv_log(d, "irq request 'auto %u': %s; polling", want, err_name((int)r));
		irq_poll(d, irq, 0);
		return;
	}
	size_t got = 0;
	while (got < sizeof ans - 1 && (r = rb_read(fd, ans + got, sizeof ans - 1 - got)) > 0)
		got += (size_t)r;
	struct drv_irq_mode m;
	if (r < 0 || drv_irq_parse(ans, got, &m) < 0) {
		ans[got] = '\0';
		drv_log(d, "irq answer '%s' %s; polling", ans,
			r < 0 ? err_name((int)r) : "malformed");
		irq_poll(d, irq, 0);
		return;
	}
	for (unsigned i = 0; i < m.vectors; i++) {
		int h = rb_recvfd(fd, 0);
		if (h < 0) {
			drv_log(d, "irq handle %u of %u: %s; polling", i, m.vectors, err_name(h));
			irq_poll(d, irq, i);
			return;
		}
		irq->fds[i] = h;
	}
	irq->mode = m;
}

long drv_irq_wait(struct drv_irq *irq, unsigned v, int64_t timeout_ns)
{
	if (irq->mode.kind == DRV_IRQ_POLL || v >= irq->mode.vectors) {
		int64_t ns = irq->poll_ns;
		if (timeout_ns >= 0 && timeout_ns < ns)
			ns = timeout_ns;
		rb_nanosleep((uint64_t)ns);
		return 0;
	}
	struct rb_pollfd pf = {irq->fds[v], RB_POLLIN, 0};
	int p = rb_poll(&pf, 1, timeout_ns);
	if (p <= 0)
		return 0;
	uint64_t count = 0;
	long r = rb_read(irq->fds[v], &count, sizeof count);
	return r == (long)sizeof count ? (long)count : 0;
}

void drv_irq_ack(struct drv_irq *irq, unsigned v)
{
	if (irq->mode.kind != DRV_IRQ_INTX || !irq->mode.level || v >= irq->mode.vectors)
		return;
	uint64_t one = 1;
	(void)rb_write(irq->fds[v], &one, sizeof one);
}

const char *drv_irq_name(const struct drv_irq *irq, char *buf, size_t n)
{
	drv_irq_fmt(&irq->mode, buf, n);
	return buf;
}

void *drv_dma_alloc(size_t len, uint64_t *bus)
{
	unsigned long long phys = 0;
	long a = rb_dmamap(len, &phys);
	if (RB_IS_ERR(a))
		return NULL;
	*bus = phys;
	return (void *)a;
}

void drv_dma_free(void *p, size_t len)
{
	rb_munmap(p, len);
}

/* A new area of len bytes below b->bus_end, or NULL. */
/* A new area of len bytes after DRV_DMABUF_HEADROOM, within b's bus limit: p, or NULL. */
static uint8_t *dmabuf_area(const struct drv_dmabuf *b, size_t len, uint64_t *bus)
{
	uint8_t *p = drv_dma_alloc(DRV_DMABUF_HEADROOM + len, bus);
	if (!p)
		return NULL;
	*bus += DRV_DMABUF_HEADROOM;
	if (*bus > b->bus_end || len > b->bus_end - *bus) {
		drv_dma_free(p, DRV_DMABUF_HEADROOM + len);
		return NULL;
	}
	return p + DRV_DMABUF_HEADROOM;
}

int drv_dmabuf_init(struct drv_dmabuf *b, size_t len, uint64_t bus_end)
{
	*b = (struct drv_dmabuf){.bus_end = bus_end};
	return drv_dmabuf_grow(b, len);
}

int drv_dmabuf_grow(struct drv_dmabuf *b, size_t len)
{
	if (b->len >= len)
		return 0;
	uint64_t bus;
	uint8_t *p = dmabuf_area(b, len, &bus);
	if (!p)
		return -E_NOMEM;
	if (b->p)
		drv_dma_free(b->p - DRV_DMABUF_HEADROOM, DRV_DMABUF_HEADROOM + b->len);
	b->p = p;
	b->bus = bus;
	b->len = len;
	return 0;
}

int drv_give_up(struct drv_dev *d, const char *kind, const char *why)
{
	drv_log(d, "%s: %s", kind, why);
	drv_status("%s %s", kind, why);
	drv_pci_close(d);
	return 1;
}

int drv_start(const char *name, int argc, char **argv, bool (*match)(const uint8_t cfg[16]),
	      const char *what, int *index, struct drv_dev *d)
{
	const char *addr = NULL;
	*index = -1;
	for (int i = 1; i < argc; i++) {
		long v = 0;
		if (strcmp(argv[i], "--index") == 0 && i + 1 < argc) {
			const char *p = argv[++i];
			for (v = 0; *p >= '0' && *p <= '9' && v <= 999; p++)
				v = v * 10 + (*p - '0');
			if (*p || p == argv[i] || v > 999)
				addr = NULL, i = argc; /* a bad N: usage */
			else
				*index = (int)v;
		} else if (argv[i][0] != '-') {
			addr = argv[i];
		} else {
			addr = NULL;
			break;
		}
	}
	if (!addr || strlen(addr) != 12) {
		rb_printf("usage: %s [--index N] SSSS:BB:DD.F\n", name);
		rb_exit(2);
	}
	int r = drv_pci_open(name, addr, d);
	if (r == -E_BUSY)
		return drv_give_up(d, "defer", "function claimed by another process");
	if (r < 0)
		return drv_give_up(d, "fatal", err_name(r));
	if (!match(d->config)) {
		char why[96];
		rb_snprintf(why, sizeof why, "not a %s (%02x%02x:%02x%02x class %02x:%02x:%02x)",
			    what, d->config[1], d->config[0], d->config[3], d->config[2],
			    d->config[11], d->config[10], d->config[9]);
		return drv_give_up(d, "unsupported", why);
	}
	return 0;
}

int drv_pci_rank(const char *addr, bool (*match)(const uint8_t cfg[16]))
{
	int dir = rb_open("pci:/", RB_O_RDONLY | RB_O_DIRECTORY);
	if (dir < 0)
		return 0;
	int rank = 0;
	char buf[2048];
	long got;
	while ((got = rb_getdents(dir, buf, sizeof buf)) > 0) {
		for (long at = 0; at < got;) {
			const struct rb_dirent *e = (const void *)(buf + at);
			if (!e->reclen)
				break;
			at += e->reclen;
			if (strlen(e->name) != 12 || e->name[4] != ':' ||
			    strcmp(e->name, addr) >= 0)
				continue;
			char p[40];
			uint8_t cfg[16];
			rb_snprintf(p, sizeof p, "pci:/%s/config", e->name);
			int fd = rb_open(p, RB_O_RDONLY);
			if (fd < 0)
				continue;
			if (rb_read(fd, cfg, sizeof cfg) == sizeof cfg && match(cfg))
				rank++;
			rb_close(fd);
		}
	}
	rb_close(dir);
	return rank;
}
