/*
 * hotplug.c - native PCI Express hot-plug in pcid (docs/pcid.md,
 * "Hotplug"). The decisions and register bits are lib/pci/hotplug; this
 * file does the work.
 *
 * At start (pcid_hotplug_start) every Root or Downstream Port found by
 * the boot walk whose Slot Capabilities say Hot-Plug Capable becomes a
 * struct hp_port, and one thread is started for all of them. The thread
 * asks irq.c for each port's interrupt, the way a driver would (MSI,
 * then INTx, see port_irq; a port that only gets `poll` is left alone:
 * there is no periodic polling), turns the slot's hot-plug interrupts on
 * (HPIE, PDCE, ABPE, DLLSCE) and then sleeps in rb_poll on those irq:
 * handles. An interrupt makes it read the port's Slot Status, clear the
 * events it saw (RW1C) and act on pci_hp_decide's answer: power the slot
 * on or off through Slot Control (waiting for Command Completed),
 * rescan the slot's buses (new functions become `add` events, vanished
 * ones `remove`), or, on an Attention Button press (QEMU's device_del),
 * report the functions removed, wait up to HP_RELEASE_NS for their
 * drivers to let go of their claims (driver-manager stops a driver on
 * `remove`), and power the slot off, which makes QEMU detach the device.
 *
 * Ownership and locking: ports[] is filled before the thread starts and
 * then belongs to it alone. Config accesses to a port hold the port's
 * d->lock (irq.c's lock too); the device table and event log are
 * touched only through main.c's pcid_slot_* calls, which take tbl_lock.
 * The thread never holds a lock while it sleeps or calls into irq.c.
 */
#include <string.h>
#include "base/err.h"
#include "pci/hotplug.h"
#include "rb/service.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"
#include "irq.h"
#include "pcid.h"

#define HP_MAX_PORTS 32
#define HP_MAX_FDS 64
#define HP_SETTLE_NS 100000000ull /* 6.7.3.3/6.6.1: 100 ms before config requests */
#define HP_CC_NS 1000000000ull	  /* 6.7.3.2: a command completes within 1 s */
#define HP_RELEASE_NS PCID_RELEASE_NS
#define HP_ACPI_NS 60000000000ull /* acpid's start: its ready_timeout is 30 s */
#define HP_ROUNDS 8		  /* event rounds per interrupt before giving up */

struct hp_port {
	struct pcid_dev *d;
	struct pci_hp_slot slot;
	int fds[32]; /* irq: handles, -1 unused */
	unsigned nfds;
	bool level; /* INTx: acknowledge after the events are cleared */
};

static struct hp_port ports[HP_MAX_PORTS];
static unsigned nports;

static uint16_t port_read16(struct hp_port *p, uint16_t reg)
{
	rb_mutex_lock(&p->d->lock);
	uint16_t v = pci_read16(&p->d->cfg, (uint16_t)(p->slot.cap + reg));
	rb_mutex_unlock(&p->d->lock);
	return v;
}

/*
 * One Slot Control command (6.7.3.2): the write, then, unless the port
 * says No Command Completed Support, a bounded wait for Command
 * Completed, which is cleared. The next command must not be issued
 * before it; CCIE stays off, so the wait is a short poll of Slot Status
 * after a write of ours, never a standing one.
 */
static void slot_command(struct hp_port *p, uint16_t ctl)
{
	struct pcid_dev *d = p->d;
	uint16_t sta_off = (uint16_t)(p->slot.cap + PCI_EXP_SLTSTA);
	rb_mutex_lock(&d->lock);
	pci_write16(&d->cfg, (uint16_t)(p->slot.cap + PCI_EXP_SLTCTL), ctl);
	rb_mutex_unlock(&d->lock);
	if (p->slot.sltcap & PCI_EXP_SLTCAP_NCCS)
		return;
	uint64_t end = rb_now_ns() + HP_CC_NS;
	for (;;) {
		uint16_t sta = port_read16(p, PCI_EXP_SLTSTA);
		if (sta != 0xffff && (sta & PCI_EXP_SLTSTA_CC)) {
			rb_mutex_lock(&d->lock);
			pci_write16(&d->cfg, sta_off, PCI_EXP_SLTSTA_CC);
			rb_mutex_unlock(&d->lock);
			return;
		}
		if (rb_now_ns() >= end) {
			rb_printf("pcid: hotplug: %s: slot command %#x not completed in 1 s\n",
				  d->name, ctl);
			return;
		}
		(void)rb_nanosleep(1000000);
	}
}

/* Wait (at most HP_RELEASE_NS) until no function behind the slot is
   claimed: each claim's end wakes pcid_claim_gen's futex. */
static void wait_release(struct hp_port *p)
{
	unsigned ms, n = pcid_slot_wait(p->d, -1, HP_RELEASE_NS, &ms);
	if (!n)
		rb_printf("pcid: hotplug: %s: released after %u ms\n", p->d->name, ms);
	else
		rb_printf("pcid: hotplug: %s: %u function(s) still claimed after %u s; "
			  "powering off anyway\n",
			  p->d->name, n, (unsigned)(HP_RELEASE_NS / 1000000000u));
}

static void act(struct hp_port *p, unsigned a, uint16_t ctl)
{
	if (a & PCI_HP_REMOVE)
		(void)pcid_slot_remove(p->d, -1);
	if (a & PCI_HP_WAIT_RELEASE)
		wait_release(p);
	if (a & PCI_HP_POWER_OFF) {
		rb_printf("pcid: hotplug: %s: slot power off\n", p->d->name);
		slot_command(p, pci_hp_ctl_power(&p->slot, ctl, false));
	}
	if (a & PCI_HP_POWER_ON) {
		rb_printf("pcid: hotplug: %s: slot power on\n", p->d->name);
		slot_command(p, pci_hp_ctl_power(&p->slot, ctl, true));
	}
	if (a & PCI_HP_SETTLE)
		(void)rb_nanosleep(HP_SETTLE_NS);
	if (a & PCI_HP_RESCAN)
		pcid_slot_rescan(p->d, NULL, NULL);
}

/*
 * The slot as it is: with `clear`, the latched events are read and
 * cleared (RW1C) first, and the state read after the clear. False when
 * the port does not answer.
 */
static bool slot_read(struct hp_port *p, bool clear, struct pci_hp_in *in)
{
	struct pcid_dev *d = p->d;
	uint16_t base = p->slot.cap;
	*in = (struct pci_hp_in){0};
	rb_mutex_lock(&d->lock);
	uint16_t sta = pci_read16(&d->cfg, (uint16_t)(base + PCI_EXP_SLTSTA));
	if (clear && sta != 0xffff) {
		in->events = sta & PCI_EXP_SLTSTA_EVENTS;
		if (in->events)
			pci_write16(&d->cfg, (uint16_t)(base + PCI_EXP_SLTSTA), in->events);
		sta = pci_read16(&d->cfg, (uint16_t)(base + PCI_EXP_SLTSTA));
	}
	in->sta = sta;
	in->ctl = pci_read16(&d->cfg, (uint16_t)(base + PCI_EXP_SLTCTL));
	in->lnksta = pci_read16(&d->cfg, (uint16_t)(base + PCI_EXP_LNKSTA));
	rb_mutex_unlock(&d->lock);
	if (sta == 0xffff) {
		rb_printf("pcid: hotplug: %s: port does not answer\n", d->name);
		return false;
	}
	in->have_fns = pcid_slot_has_fns(d);
	return true;
}

/*
 * Serve the port's events until Slot Status has none left: clear what
 * was latched, then look at the slot as it is now and act. Clearing
 * first means an event that comes while we act is latched anew and seen
 * by the next round (or raises a new interrupt: an MSI is sent when an
 * enabled event becomes pending with none pending before).
 */
static void serve(struct hp_port *p)
{
	struct pcid_dev *d = p->d;
	for (unsigned round = 0; round < HP_ROUNDS; round++) {
		struct pci_hp_in in;
		if (!slot_read(p, true, &in))
			return;
		uint16_t ev = in.events;
		if (!(ev & ~PCI_EXP_SLTSTA_CC))
			return;
		unsigned a = pci_hp_decide(&p->slot, &in);
		if (ev & ~PCI_EXP_SLTSTA_CC)
			rb_printf("pcid: hotplug: %s: events %#x, slot %s%s, actions %#x\n",
				  d->name, ev, (in.sta & PCI_EXP_SLTSTA_PDS) ? "occupied" : "empty",
				  pci_hp_powered(&p->slot, in.ctl) ? ", powered" : ", off", a);
		act(p, a, in.ctl);
	}
	rb_printf("pcid: hotplug: %s: events keep coming; waiting for the next interrupt\n",
		  d->name);
}

/*
 * The port's interrupt through irq.c, as a driver gets one; false when
 * it has none (poll) or the request failed. The walk starts at MSI, not
 * MSI-X: a port's MSI-X table sits in a BAR that pcid would have to size
 * first, and sizing toggles memory decoding, which QEMU 7.2's TCG can
 * crash on while another vCPU does MMIO (docs/pcid.md). MSI and INTx
 * change no decoding; real root ports offer MSI, QEMU's pcie-root-port
 * only MSI-X, so there it is INTx through acpid's _PRT.
 */
static bool port_irq(struct hp_port *p)
{
	char req[16], ans[48];
	int n = rb_snprintf(req, sizeof req, "msi %u", pci_hp_vectors(&p->slot));
	int r = pcid_irq_request(p->d, req, (size_t)n, rb_getpid());
	if (r < 0) {
		rb_printf("pcid: hotplug: %s: irq request failed (%s)\n", p->d->name, err_name(r));
		return false;
	}
	int len = pcid_irq_answer(p->d, ans, sizeof ans - 1);
	ans[len > 0 ? len : 0] = '\0';
	if (strncmp(ans, "poll", 4) == 0 || len <= 0) {
		rb_printf("pcid: hotplug: %s: no interrupt; hot-plug off on this slot\n",
			  p->d->name);
		pcid_irq_release(p->d);
		return false;
	}
	p->level = strncmp(ans, "intx", 4) == 0 && strstr(ans, "level");
	for (int fd; p->nfds < 32 && (fd = pcid_irq_take_fd(p->d)) >= 0;)
		p->fds[p->nfds++] = fd;
	return p->nfds > 0;
}

static int hp_thread(void *arg)
{
	static struct rb_pollfd pfd[HP_MAX_FDS];
	static struct hp_port *owner[HP_MAX_FDS];
	unsigned npfd = 0;
	/* An INTx route comes from acpid, which starts after pcid (it reads
	   PCI_Config through pci:): wait until it serves, as a client of a
	   starting service does (rb/service.h). Without it (no ACPI) the
	   open fails and MSI is all a port can get. */
	int fd = rb_open_when_served("acpi:/tables", RB_O_RDONLY, HP_ACPI_NS);
	if (fd >= 0)
		rb_close(fd);
	else
		rb_printf("pcid: hotplug: acpi: not served (%s): no INTx routes\n", err_name(fd));
	for (unsigned i = 0; i < nports; i++) {
		struct hp_port *p = &ports[i];
		if (!port_irq(p))
			continue;
		uint16_t ctl = port_read16(p, PCI_EXP_SLTCTL);
		slot_command(p, pci_hp_ctl_enable(&p->slot, ctl));
		for (unsigned k = 0; k < p->nfds && npfd < HP_MAX_FDS; k++) {
			pfd[npfd] = (struct rb_pollfd){.fd = p->fds[k], .events = RB_POLLIN};
			owner[npfd++] = p;
		}
		rb_printf("pcid: hotplug: %s: slot %u, interrupts on\n", p->d->name,
			  (unsigned)PCI_EXP_SLTCAP_PSN(p->slot.sltcap));
		struct pci_hp_in in;
		if (slot_read(p, false, &in)) {
			unsigned a = pci_hp_start(&p->slot, &in);
			if (!(a & PCI_HP_NOT_NATIVE))
				act(p, a, in.ctl);
		}
		serve(p);
	}
	while (npfd) {
		int r = rb_poll(pfd, npfd, -1);
		if (r < 0 && r != -E_INTR) {
			rb_printf("pcid: hotplug: poll failed (%s); hot-plug stops\n", err_name(r));
			return 1;
		}
		for (unsigned i = 0; r > 0 && i < npfd; i++) {
			if (!(pfd[i].revents & RB_POLLIN))
				continue;
			uint64_t count;
			(void)rb_read(pfd[i].fd, &count, sizeof count);
			serve(owner[i]);
			if (owner[i]->level)
				(void)rb_write(pfd[i].fd, &count, sizeof count); /* acknowledge */
		}
	}
	return 0;
}

void pcid_hotplug_start(void)
{
	for (unsigned i = 0; i < pcid_ndev && nports < HP_MAX_PORTS; i++) {
		struct pcid_dev *d = &pcid_devs[i];
		struct pci_hp_slot s;
		if (!d->present || d->hdr.type != 1)
			continue;
		rb_mutex_lock(&d->lock);
		int r = pci_hp_slot_parse(&d->cfg, &s);
		rb_mutex_unlock(&d->lock);
		if (r < 0)
			continue;
		struct hp_port *p = &ports[nports];
		*p = (struct hp_port){.d = d, .slot = s};
		struct pci_hp_in in;
		if (!slot_read(p, false, &in))
			continue;
		if (pci_hp_start(&s, &in) & PCI_HP_NOT_NATIVE) {
			/* QEMU's q35 with ACPI hot-plug (its default) */
			rb_printf(
			    "pcid: hotplug: %s: slot %u reads empty with functions behind it: "
			    "not native hot-plug, left alone\n",
			    d->name, (unsigned)PCI_EXP_SLTCAP_PSN(s.sltcap));
			continue;
		}
		nports++;
	}
	if (!nports)
		return;
	int tid = rb_thread_create(hp_thread, NULL);
	if (tid < 0)
		rb_printf("pcid: hotplug: cannot start its thread (%s)\n", err_name(tid));
	else
		rb_printf("pcid: hotplug: %u hot-plug capable slot(s)\n", nports);
}
