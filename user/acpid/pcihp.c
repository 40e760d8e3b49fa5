/*
 * pcihp.c - ACPI PCI hot-plug in acpid: QEMU q35's default way of
 * hot-plugging into its root ports (docs/acpid.md, "PCI hot-plug").
 *
 * QEMU's device_add/device_del raise a GPE whose method (\_GPE._E01 on
 * q35) selects each hot-plug bus and sends Notify(slot, 1) (device
 * check) for an inserted device or Notify(slot, 3) (eject request) for a
 * device_del to the slot's device object (\_SB_.PCI0.S18_.S00_: _ADR,
 * _SUN, _EJ0 under the bridge's object). main.c's Notify hook passes
 * every Notify to pcihp_notify, which may only queue it
 * (lib/acpi/pcihp: 0 bus check, 1 device check, 3 eject request): the
 * interpreter cannot be re-entered from its hook. pcihp_run, called by
 * main.c once power_sci has run the GPE methods, handles the queue:
 *  - the slot's bridge is found by walking the objects up to the root
 *    bridge (acpi_hp_locate); its PCI address comes from the chain of
 *    _ADRs, each lower bridge on the secondary bus of the one above,
 *    read from pcid's config space node (acpi_hp_bridge_addr);
 *  - bus or device check: `rescan BRIDGE` to pci:/hotplug;
 *  - eject request: `eject BRIDGE DEV`, which returns once the slot's
 *    functions are reported removed and no longer claimed (pcid bounds
 *    the wait at 5 s), then the slot's _EJ0(1), which makes QEMU detach
 *    the device.
 * One log line per action. A slot on a root bus (no bridge object
 * between it and the root, i440fx's way) is logged and left alone.
 *
 * State: the note queue below, acpid's one thread only; no locks. While
 * pcid serves an eject acpid waits in its write and serves nothing: pcid
 * never waits on acpid while it holds a lock, and its wait is bounded.
 */
#include <string.h>
#include "acpi/pcihp.h"
#include "aml/aml.h"
#include "base/err.h"
#include "internal.h"
#include "pci/hpctl.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define ROUNDS 4 /* rounds of notes a method run during the handling may add */

static struct acpi_hp_queue queue;

void pcihp_notify(struct acpid *a, const char *path, uint64_t value)
{
	int r = acpi_hp_note(&queue, path, value);
	if (r < 0)
		rb_printf("acpid: hotplug: Notify(%s, %u) dropped: %s\n", path, (unsigned)value,
			  err_name(r));
}

/* acpi_hp_bridge_addr's callback: the secondary bus of the bridge at a,
   from its config space in pci:. */
static int secondary(void *ctx, struct pci_addr a, uint8_t *bus)
{
	char name[13], path[40];
	uint8_t cfg[0x1a];
	pci_addr_fmt(a, name);
	rb_snprintf(path, sizeof path, "pci:/%s/config", name);
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	long n = rb_read(fd, cfg, sizeof cfg);
	rb_close(fd);
	if (n != (long)sizeof cfg || (cfg[0x0e] & 0x7f) != 1)
		return -E_NOENT; /* not a bridge */
	*bus = cfg[0x19];
	return 0;
}

/* Send one command line to pcid's pci:/hotplug and parse its answer. */
static int request(const struct pci_hpctl_cmd *c, struct pci_hpctl_result *r)
{
	char line[PCI_HPCTL_MAX], ans[PCI_HPCTL_MAX];
	int len = pci_hpctl_fmt(c, line, sizeof line);
	if (len < 0)
		return len;
	int fd = rb_open("pci:/hotplug", RB_O_RDWR);
	if (fd < 0)
		return fd;
	long n = rb_write(fd, line, (size_t)len);
	if (n >= 0)
		n = rb_read(fd, ans, sizeof ans);
	rb_close(fd);
	if (n < 0)
		return (int)n;
	if (pci_hpctl_result_parse(ans, (size_t)n, r) < 0) {
		rb_printf("acpid: hotplug: pcid's answer is not a result line\n");
		return -E_BADMSG;
	}
	return 0;
}

/* The slot's _EJ0(1) (ACPI 6.5 6.3.3: 1 = eject): 0 or the error. */
static int eject0(struct acpid *a, const char *slot)
{
	char path[PRT_PATH_MAX + 8];
	struct aml_value one = {.type = AML_INTEGER, .integer = 1}, out;
	rb_snprintf(path, sizeof path, "%s._EJ0", slot);
	if (!aml_exists(a->aml, path, NULL))
		return -E_NOENT;
	int err = aml_eval(a->aml, path, &one, 1, &out);
	if (err < 0)
		return err;
	aml_value_free(a->aml, &out);
	return 0;
}

static void handle(struct acpid *a, const struct acpi_hp_note *n)
{
	const char *what = acpi_hp_kind_name(n->kind);
	struct acpi_hp_where w;
	struct pci_hpctl_cmd c;
	struct pci_hpctl_result r;
	char name[13];
	uint64_t t0 = rb_now_ns();
	int err = acpi_hp_locate(a->aml, n->path, &w);
	if (err < 0) {
		rb_printf("acpid: hotplug: %s: %s: not a PCI slot below a bridge (%s)\n", n->path,
			  what, err_name(err));
		return;
	}
	err = acpi_hp_bridge_addr(&w, secondary, NULL, &c.bridge);
	if (err == -E_NOTSUP) {
		rb_printf("acpid: hotplug: %s: %s: slot on root bus %02x, not supported\n", n->path,
			  what, w.root_bus);
		return;
	}
	if (err < 0) {
		rb_printf("acpid: hotplug: %s: %s: no PCI address for %s (%s)\n", n->path, what,
			  w.bridge, err_name(err));
		return;
	}
	pci_addr_fmt(c.bridge, name);
	c.op = n->kind == ACPI_HP_EJECT_REQUEST ? PCI_HPCTL_EJECT : PCI_HPCTL_RESCAN;
	c.dev = w.slot_dev;
	if ((err = request(&c, &r)) < 0) {
		rb_printf("acpid: hotplug: %s: %s: %s: pcid: %s\n", n->path, what, name,
			  err_name(err));
		return;
	}
	if (c.op == PCI_HPCTL_RESCAN) {
		rb_printf("acpid: hotplug: %s: %s: %s: rescan: %u added, %u removed in %u ms\n",
			  n->path, what, name, r.added, r.removed,
			  (unsigned)((rb_now_ns() - t0) / 1000000));
		return;
	}
	if (r.claimed)
		rb_printf("acpid: hotplug: %s: %s: %s slot %u: %u function(s) still claimed "
			  "after %u ms; ejecting anyway\n",
			  n->path, what, name, c.dev, r.claimed, r.ms);
	err = eject0(a, n->path);
	unsigned ms = (unsigned)((rb_now_ns() - t0) / 1000000);
	if (err < 0)
		rb_printf("acpid: hotplug: %s: %s: %s slot %u: _EJ0 failed: %s (%s)\n", n->path,
			  what, name, c.dev, err_name(err), aml_last_error(a->aml));
	else
		rb_printf("acpid: hotplug: %s: %s: %s slot %u: ejected in %u ms\n", n->path, what,
			  name, c.dev, ms);
}

void pcihp_run(struct acpid *a)
{
	static struct acpi_hp_queue work;
	for (unsigned round = 0; round < ROUNDS && queue.n; round++) {
		/* take the queue first: a method run below may note more */
		work = queue;
		queue.n = 0;
		for (unsigned i = 0; i < work.n; i++)
			if (a->aml)
				handle(a, &work.note[i]);
	}
	if (queue.n)
		rb_printf("acpid: hotplug: %u note(s) left for the next SCI\n", queue.n);
}
