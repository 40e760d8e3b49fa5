/*
 * irq.c - pcid's `irq` node: gives a driver interrupts for its device
 * (docs/pcid.md). The decisions are lib/pci/irqplan (which mode, the
 * fall-back order) and lib/pci/msi (the register sequences); this file
 * does their work: vectors from the kernel's irq: scheme, the MSI-X table
 * through a physmap of its BAR, the INTx route from acpid's acpi:/route,
 * and the handles kept until the client takes them with recvfd.
 *
 * Ownership and locking: a device's struct irq_state hangs off
 * d->irq_state from the request until pcid_irq_release, guarded by
 * d->lock, which is also held around every config access here. The lock
 * is dropped while a request waits on irq: or on acpid (whose PCI_Config
 * regions are served by pcid itself); meanwhile `busy` is set, a second
 * request gets EBUSY, and a release that comes then (a cancelled caller)
 * only sets `dying`, so the request finishes by releasing. The
 * fault-injection list is written at startup (argv) before pcid serves,
 * and only read afterwards.
 */
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "pci/irqplan.h"
#include "pci/msi.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/syscall.h"
#include "irq.h"

#define NAME_LEN 13 /* "SSSS:BB:DD.F" and its NUL */
#define FAIL_MAX 8
#define CONF_PATH "/etc/pcid.conf"

struct irq_state {
	struct irqplan_result res;
	int fds[IRQPLAN_MAX_VECTORS]; /* irq: handles, -1 once taken */
	unsigned nfds, next;
	struct pci_msi msi;
	struct pci_msix msix;
	struct pci_msix_io io;
	volatile uint32_t *table; /* the MSI-X table, in map */
	void *map;
	size_t map_len;
	uint16_t cmd_before; /* Command register before programming */
	char answer[48];
	unsigned answer_len, answer_off;
	char name[NAME_LEN];
	int caller_pid;
	bool busy, dying;
};

static char fail_msi[FAIL_MAX][NAME_LEN];
static unsigned nfail;

bool pcid_irq_option(const char *word)
{
	static const char key[] = "fail_msi=";
	if (strncmp(word, key, sizeof key - 1) != 0)
		return false;
	const char *v = word + sizeof key - 1;
	if (nfail < FAIL_MAX && strlen(v) == NAME_LEN - 1) {
		memcpy(fail_msi[nfail++], v, NAME_LEN);
		rb_printf("pcid: fault injection: MSI and MSI-X fail for %s\n", v);
	} else {
		rb_printf("pcid: ignoring '%s' (want fail_msi=SSSS:BB:DD.F, at most %d)\n", word,
			  FAIL_MAX);
	}
	return true;
}

/* Is name in /etc/pcid.conf as a `fail_msi=` line? Read at each request,
   so a test (root) can set it on a running system; no file: no. */
static bool conf_fails(const char *name)
{
	char buf[1024];
	int fd = rb_open(CONF_PATH, RB_O_RDONLY);
	if (fd < 0)
		return false;
	long n = rb_read(fd, buf, sizeof buf - 1);
	rb_close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, "fail_msi=", 9) == 0 && strcmp(line + 9, name) == 0)
			return true;
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

static bool injected(const char *name)
{
	for (unsigned i = 0; i < nfail; i++)
		if (strcmp(fail_msi[i], name) == 0)
			return true;
	return conf_fails(name);
}

/* The work the planner asks for: the device and its state. */
struct plan_ctx {
	struct pcid_dev *d;
	struct irq_state *s;
};

static void close_fds(struct irq_state *s)
{
	for (unsigned i = 0; i < s->nfds; i++)
		if (s->fds[i] >= 0)
			rb_close(s->fds[i]);
	s->nfds = 0;
	s->next = 0;
}

static void label(int fd, const char *mode, const char *name)
{
	char l[48];
	int n = fmt_snprintf(l, sizeof l, "label %s %s", mode, name);
	if (n > 0 && (size_t)n < sizeof l)
		(void)rb_write(fd, l, (size_t)n); /* only for irq:/stats: not fatal */
}

/*
 * An irq: handle for MSI-X entry k of n. Each entry has its own address,
 * so each vector is opened on its own. With several, entry k goes to CPU
 * k (mod cpus, the CPUs online; 0 if unknown): a driver with a queue per CPU (NVMe) submits on
 * queue k from CPU k and takes its completion there, where the submitter
 * waits, with no IPI. A single vector, or one whose CPU has none free,
 * goes to the CPU with the most free vectors then (`any`), which spreads
 * single-vector devices over the CPUs.
 */
static int msix_vector(unsigned k, unsigned n, unsigned cpus)
{
	char path[32];
	if (n > 1 && cpus > 0) {
		fmt_snprintf(path, sizeof path, "irq:/msix/%u/1", k % cpus);
		int fd = rb_open(path, RB_O_RDWR);
		if (fd >= 0)
			return fd;
	}
	return rb_open("irq:/msix/any/1", RB_O_RDWR);
}

static int plan_alloc(void *ctx, const struct irqplan_result *r)
{
	struct irq_state *s = ((struct plan_ctx *)ctx)->s;
	const char *mode = irqplan_mode_name(r->mode);
	char path[64];
	if (r->mode == IRQPLAN_INTX)
		fmt_snprintf(path, sizeof path, "irq:/gsi/%u/%s-%s", (unsigned)r->route.gsi,
			     r->route.level ? "level" : "edge", r->route.low ? "low" : "high");
	else
		fmt_snprintf(path, sizeof path, "irq:/%s/any/%u", mode, r->n);
	struct rb_sysinfo si;
	unsigned cpus = rb_sysinfo(&si) > 0 ? (unsigned)si.cpus_online : 0;
	int fd = r->mode == IRQPLAN_MSIX ? msix_vector(0, r->n, cpus) : rb_open(path, RB_O_RDWR);
	if (fd < 0)
		return fd;
	s->fds[0] = fd;
	s->nfds = 1;
	for (unsigned k = 1; r->mode == IRQPLAN_MSIX && k < r->n; k++) {
		int kfd = msix_vector(k, r->n, cpus);
		if (kfd < 0) {
			close_fds(s);
			return kfd;
		}
		s->fds[s->nfds++] = kfd;
	}
	for (unsigned k = 1; r->mode != IRQPLAN_MSIX && k < r->n; k++) {
		char arg[8];
		fmt_snprintf(arg, sizeof arg, "%u", k);
		int kfd = rb_dup_handle(fd, arg);
		if (kfd < 0) {
			close_fds(s);
			return kfd;
		}
		s->fds[s->nfds++] = kfd;
	}
	for (unsigned k = 0; k < s->nfds; k++)
		label(s->fds[k], mode, s->name);
	return 0;
}

static void plan_undo(void *ctx, const struct irqplan_result *r)
{
	close_fds(((struct plan_ctx *)ctx)->s);
}

/* The message of the vector behind irq: handle fd. */
static int fd_msg(int fd, struct pci_msi_msg *msg)
{
	char p[96];
	uint32_t apic, vector;
	long n = rb_fpath(fd, p, sizeof p);
	if (n < 0)
		return (int)n;
	int e = irqplan_parse_vector_path(p, (size_t)n, &apic, &vector);
	if (e < 0)
		return e;
	return pci_msi_compose(apic, vector, msg);
}

static uint32_t table_read(void *ctx, uint32_t off)
{
	struct irq_state *s = ctx;
	return s->table[off / 4];
}

static void table_write(void *ctx, uint32_t off, uint32_t v)
{
	struct irq_state *s = ctx;
	s->table[off / 4] = v;
}

static void table_unmap(struct irq_state *s)
{
	if (s->map)
		rb_munmap(s->map, s->map_len);
	s->map = NULL;
	s->table = NULL;
}

/* Map the MSI-X table (uncached: physmap) from its BAR. */
static int table_map(struct pcid_dev *d, struct irq_state *s)
{
	uint64_t phys, size;
	int e = pcid_bar_phys(d, s->msix.table_bir, &phys, &size);
	if (e < 0)
		return e;
	if (pci_msix_check_bar(&s->msix, s->msix.table_bir, size) < 0)
		return -E_INVAL;
	uint64_t start = phys + s->msix.table_off;
	uint64_t base = start & ~0xfffull;
	uint64_t end = start + (uint64_t)s->msix.table_size * PCI_MSIX_ENTRY_SIZE;
	size_t len = (size_t)(((end + 0xfff) & ~0xfffull) - base);
	long a = rb_syscall3(SYS_PHYSMAP, (long)base, (long)len, RB_PROT_READ | RB_PROT_WRITE);
	if (RB_IS_ERR(a))
		return (int)a;
	s->map = (void *)a;
	s->map_len = len;
	s->table = (volatile uint32_t *)((char *)s->map + (start - base));
	s->io = (struct pci_msix_io){table_read, table_write, s};
	return 0;
}

static int plan_program(void *ctx, const struct irqplan_result *r)
{
	struct pcid_dev *d = ((struct plan_ctx *)ctx)->d;
	struct irq_state *s = ((struct plan_ctx *)ctx)->s;
	const struct pci_cfg *c = &d->cfg;
	struct pci_msi_msg msgs[IRQPLAN_MAX_VECTORS];
	int e;

	if (r->mode == IRQPLAN_INTX) {
		rb_mutex_lock(&d->lock);
		pci_intx_set_disabled(c, false);
		rb_mutex_unlock(&d->lock);
		return 0;
	}
	for (unsigned k = 0; k < (r->mode == IRQPLAN_MSI ? 1 : s->nfds); k++) {
		e = fd_msg(s->fds[k], &msgs[k]);
		if (e < 0)
			return e;
	}
	rb_mutex_lock(&d->lock);
	/* A message is a memory write by the device: it needs Bus Master,
	   and MSI-X's table needs memory decoding. Both are put back as they
	   were when programming fails. */
	uint16_t cmd = pci_read16(c, PCI_COMMAND);
	s->cmd_before = cmd;
	cmd |= PCI_CMD_MASTER | (r->mode == IRQPLAN_MSIX ? PCI_CMD_MEM : 0);
	pci_write16(c, PCI_COMMAND, cmd);
	if (r->mode == IRQPLAN_MSI) {
		e = pci_msi_enable(c, &s->msi, &msgs[0], r->n);
	} else {
		e = table_map(d, s);
		if (e == 0) {
			e = pci_msix_enable(c, &s->msix, &s->io, msgs, r->n);
			if (e < 0)
				table_unmap(s);
		}
	}
	if (e < 0) {
		uint16_t now = pci_read16(c, PCI_COMMAND);
		uint16_t keep = PCI_CMD_MASTER | PCI_CMD_MEM;
		pci_write16(c, PCI_COMMAND, (uint16_t)((now & ~keep) | (s->cmd_before & keep)));
	}
	rb_mutex_unlock(&d->lock);
	return e;
}

static int plan_route(void *ctx, struct irqplan_route *out)
{
	struct pcid_dev *d = ((struct plan_ctx *)ctx)->d;
	struct irq_state *s = ((struct plan_ctx *)ctx)->s;
	rb_mutex_lock(&d->lock);
	uint8_t pin = pci_read8(&d->cfg, PCI_INT_PIN);
	rb_mutex_unlock(&d->lock);
	char path[64], line[64];
	fmt_snprintf(path, sizeof path, "acpi:/route/%s/%c", s->name, 'A' + pin - 1);
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	long n = rb_read(fd, line, sizeof line);
	rb_close(fd);
	if (n < 0)
		return (int)n;
	return irqplan_parse_route(line, (size_t)n, out);
}

static void plan_log(void *ctx, enum irqplan_mode mode, const char *step, int err)
{
	struct irq_state *s = ((struct plan_ctx *)ctx)->s;
	rb_printf("pcid: %s: %s %s failed (%s), falling back\n", s->name, irqplan_mode_name(mode),
		  step, err_name(err));
}

static const struct irqplan_ops plan_ops = {plan_alloc, plan_program, plan_undo, plan_route,
					    plan_log};

/* What the device offers (d->lock held; fail_msi is the caller's); MSI-X
   only when its table can be reached. */
static void offer(struct pcid_dev *d, struct irq_state *s, struct irqplan_offer *o)
{
	const struct pci_cfg *c = &d->cfg;
	uint64_t phys, size;
	*o = (struct irqplan_offer){0};
	if (pci_msix_parse(c, &s->msix) == 0) {
		if (pcid_bar_phys(d, s->msix.table_bir, &phys, &size) == 0 &&
		    pci_msix_check_bar(&s->msix, s->msix.table_bir, size) == 0)
			o->msix_max = s->msix.table_size;
		else
			rb_printf("pcid: %s: MSI-X table outside BAR%u, not used\n", s->name,
				  s->msix.table_bir);
	}
	if (pci_msi_parse(c, &s->msi) == 0)
		o->msi_max = s->msi.max_vectors;
	o->intx_pin = pci_read8(c, PCI_INT_PIN);
}

static void release_locked(struct pcid_dev *d, struct irq_state *s);

int pcid_irq_request(struct pcid_dev *d, const char *req, size_t len, int caller_pid)
{
	struct irqplan_req rq;
	if (irqplan_parse_req(req, len, &rq) < 0)
		return -E_INVAL;
	struct irq_state *s = rb_malloc(sizeof *s);
	if (!s)
		return -E_NOMEM;
	memset(s, 0, sizeof *s);
	for (unsigned i = 0; i < IRQPLAN_MAX_VECTORS; i++)
		s->fds[i] = -1;
	s->caller_pid = caller_pid;
	s->busy = true;
	const struct pci_addr *a = &d->cfg.addr;
	fmt_snprintf(s->name, sizeof s->name, "%04x:%02x:%02x.%x", a->seg, a->bus, a->dev, a->fn);

	struct irqplan_offer o;
	rb_mutex_lock(&d->lock);
	if (d->irq_state) {
		rb_mutex_unlock(&d->lock);
		rb_free(s);
		return -E_BUSY;
	}
	d->irq_state = s;
	offer(d, s, &o);
	rb_mutex_unlock(&d->lock);
	o.fail_msi = injected(s->name);

	struct plan_ctx ctx = {d, s};
	irqplan_run(&o, &rq, &plan_ops, &ctx, &s->res);

	rb_mutex_lock(&d->lock);
	int n = irqplan_format(&s->res, s->answer, sizeof s->answer);
	s->answer_len = n > 0 ? (unsigned)n : 0;
	s->busy = false;
	if (s->dying) {
		release_locked(d, s);
		rb_mutex_unlock(&d->lock);
		return -E_INTR;
	}
	rb_mutex_unlock(&d->lock);
	rb_printf("pcid: %s: irq for pid %d: %.*s", s->name, caller_pid, (int)s->answer_len,
		  s->answer);
	return (int)len;
}

int pcid_irq_answer(struct pcid_dev *d, char *buf, size_t len)
{
	rb_mutex_lock(&d->lock);
	struct irq_state *s = d->irq_state;
	int r = -E_INVAL;
	if (s && !s->busy) {
		size_t n = MIN(len, (size_t)(s->answer_len - s->answer_off));
		memcpy(buf, s->answer + s->answer_off, n);
		s->answer_off += (unsigned)n;
		r = (int)n;
	}
	rb_mutex_unlock(&d->lock);
	return r;
}

int pcid_irq_describe(struct pcid_dev *d, char *buf, size_t len)
{
	rb_mutex_lock(&d->lock);
	struct irq_state *s = d->irq_state;
	const char *line = s && !s->busy && !s->dying && s->answer_len ? s->answer : "none\n";
	size_t n = s && line == s->answer ? s->answer_len : strlen(line);
	if (n > len)
		n = len;
	memcpy(buf, line, n);
	rb_mutex_unlock(&d->lock);
	return (int)n;
}

int pcid_irq_take_fd(struct pcid_dev *d)
{
	rb_mutex_lock(&d->lock);
	struct irq_state *s = d->irq_state;
	int fd = -1;
	if (s && !s->busy && s->next < s->nfds) {
		fd = s->fds[s->next];
		s->fds[s->next++] = -1;
	}
	rb_mutex_unlock(&d->lock);
	return fd;
}

void pcid_irq_release(struct pcid_dev *d)
{
	rb_mutex_lock(&d->lock);
	struct irq_state *s = d->irq_state;
	if (s && s->busy)
		s->dying = true; /* the request in flight releases when it ends */
	else if (s)
		release_locked(d, s);
	rb_mutex_unlock(&d->lock);
}

static void release_locked(struct pcid_dev *d, struct irq_state *s)
{
	const struct pci_cfg *c = &d->cfg;
	/* The device stops sending before its vectors can be freed. */
	switch (s->res.mode) {
	case IRQPLAN_MSIX:
		pci_msix_disable(c, &s->msix, &s->io, true);
		table_unmap(s);
		break;
	case IRQPLAN_MSI:
		pci_msi_disable(c, &s->msi, true);
		break;
	case IRQPLAN_INTX:
		pci_intx_set_disabled(c, true);
		break;
	case IRQPLAN_POLL:
		break;
	}
	close_fds(s);
	d->irq_state = NULL;
	rb_free(s);
}
