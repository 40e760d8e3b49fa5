/*
 * test_pci_hotplug.c - lib/pci/hotplug.c: finding a hot-plug capable slot
 * in a port's PCI Express capability (and refusing every other port), the
 * Slot Control values pcid writes, and the decision table: insertion with
 * the slot powered off or on, with and without link reporting, QEMU's
 * device_add (PDC and ABP together), the eject request (ABP alone), a
 * surprise removal, noise (Command Completed, power fault), and start-up,
 * which never removes and leaves alone a slot that does not report
 * presence (QEMU's q35 under ACPI hot-plug).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "pci/hotplug.h"
#include "test_pci_fake.h"

#define CAP 0x40

/* QEMU's pcie-root-port: button, power controller, both indicators,
   HPC, slot number 1, Link Active reporting. */
#define QEMU_SLTCAP                                                                                \
	(PCI_EXP_SLTCAP_ABP | PCI_EXP_SLTCAP_PCP | PCI_EXP_SLTCAP_AIP | PCI_EXP_SLTCAP_PIP |       \
	 PCI_EXP_SLTCAP_HPC | (1u << 19))

static struct fake_fn *port(struct fake *f, uint8_t type, bool slot, uint32_t sltcap, bool lrep)
{
	struct fake_fn *fn = fake_add(f, 0, 2, 0, 0x1b36, 0x000c, 0x060400, 1);
	fake_cap(fn, 0, CAP, PCI_CAP_PCIE);
	uint16_t flags = (uint16_t)(2 | type << 4 | (slot ? PCI_EXP_FLAGS_SLOT : 0) | 3 << 9);
	fake_put16(fn, CAP + PCI_EXP_FLAGS, flags);
	fake_put32(fn, CAP + PCI_EXP_SLTCAP, sltcap);
	fake_put32(fn, CAP + PCI_EXP_LNKCAP, lrep ? PCI_EXP_LNKCAP_DLLLARC : 0);
	return fn;
}

static struct pci_cfg cfg_of(struct fake *f, struct fake_fn *fn)
{
	return (struct pci_cfg){.ops = &fake_ops, .ctx = f, .addr = fn->a, .size = 4096};
}

static void test_parse_root_port(void **st)
{
	static struct fake f;
	memset(&f, 0, sizeof f);
	struct fake_fn *fn = port(&f, PCI_EXP_TYPE_ROOT_PORT, true, QEMU_SLTCAP, true);
	struct pci_cfg c = cfg_of(&f, fn);
	struct pci_hp_slot s;
	assert_int_equal(pci_hp_slot_parse(&c, &s), 0);
	assert_int_equal(s.cap, CAP);
	assert_int_equal(s.type, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(s.msgnum, 3);
	assert_int_equal(s.sltcap, QEMU_SLTCAP);
	assert_true(s.link_rep);
	assert_int_equal(PCI_EXP_SLTCAP_PSN(s.sltcap), 1);
	assert_int_equal(pci_hp_vectors(&s), 4); /* message 3 is in a block of 4 */
	s.msgnum = 0;
	assert_int_equal(pci_hp_vectors(&s), 1);
	s.msgnum = 31;
	assert_int_equal(pci_hp_vectors(&s), 32);
	assert_int_equal(f.writes, 0); /* parsing only reads */
}

static void test_parse_refuses(void **st)
{
	static struct fake f;
	struct pci_hp_slot s;
	struct pci_cfg c;
	/* a downstream port is fine */
	memset(&f, 0, sizeof f);
	c = cfg_of(&f, port(&f, PCI_EXP_TYPE_DOWNSTREAM, true, QEMU_SLTCAP, false));
	assert_int_equal(pci_hp_slot_parse(&c, &s), 0);
	assert_false(s.link_rep);
	/* an upstream port (type 5), no slot, no HPC: refused */
	memset(&f, 0, sizeof f);
	c = cfg_of(&f, port(&f, 5, true, QEMU_SLTCAP, false));
	assert_int_equal(pci_hp_slot_parse(&c, &s), -E_NOENT);
	memset(&f, 0, sizeof f);
	c = cfg_of(&f, port(&f, PCI_EXP_TYPE_ROOT_PORT, false, QEMU_SLTCAP, false));
	assert_int_equal(pci_hp_slot_parse(&c, &s), -E_NOENT);
	memset(&f, 0, sizeof f);
	c = cfg_of(
	    &f, port(&f, PCI_EXP_TYPE_ROOT_PORT, true, QEMU_SLTCAP & ~PCI_EXP_SLTCAP_HPC, false));
	assert_int_equal(pci_hp_slot_parse(&c, &s), -E_NOENT);
	/* no PCIe capability at all */
	memset(&f, 0, sizeof f);
	struct fake_fn *fn = fake_add(&f, 0, 3, 0, 0x8086, 0x1234, 0x060400, 1);
	c = cfg_of(&f, fn);
	assert_int_equal(pci_hp_slot_parse(&c, &s), -E_NOENT);
	/* a function that does not answer */
	c.addr.dev = 9;
	assert_int_equal(pci_hp_slot_parse(&c, &s), -E_NOENT);
}

static const struct pci_hp_slot qemu_slot = {
    .cap = CAP, .type = PCI_EXP_TYPE_ROOT_PORT, .sltcap = QEMU_SLTCAP, .link_rep = true};

static void test_ctl_values(void **st)
{
	/* enable: HPIE, PDCE, ABPE, DLLSCE; CCIE/PFDE/MRLSCE cleared; power kept */
	uint16_t old = PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_PFDE | PCI_EXP_SLTCTL_PCC |
		       PCI_EXP_SLTCTL_PIC_OFF | PCI_EXP_SLTCTL_AIC_OFF;
	uint16_t v = pci_hp_ctl_enable(&qemu_slot, old);
	assert_int_equal(v, PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_ABPE |
				PCI_EXP_SLTCTL_DLLSCE | PCI_EXP_SLTCTL_PCC |
				PCI_EXP_SLTCTL_PIC_OFF | PCI_EXP_SLTCTL_AIC_OFF);
	struct pci_hp_slot nobutton = qemu_slot;
	nobutton.sltcap &= ~PCI_EXP_SLTCAP_ABP;
	nobutton.link_rep = false;
	assert_int_equal(pci_hp_ctl_enable(&nobutton, 0),
			 PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE);

	/* power on: PCC 0 and the power indicator on, in one value */
	uint16_t en = PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_ABPE;
	v = pci_hp_ctl_power(&qemu_slot, en | PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_PIC_OFF, true);
	assert_int_equal(v, en | PCI_EXP_SLTCTL_PIC_ON);
	assert_true(pci_hp_powered(&qemu_slot, v));
	/* power off: PCC 1, power and attention indicators off (what QEMU
	   waits for before it detaches the device) */
	v = pci_hp_ctl_power(&qemu_slot, en | PCI_EXP_SLTCTL_PIC_ON | PCI_EXP_SLTCTL_AIC_BLINK,
			     false);
	assert_int_equal(v,
			 en | PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_PIC_OFF | PCI_EXP_SLTCTL_AIC_OFF);
	assert_false(pci_hp_powered(&qemu_slot, v));
	/* no power controller, no indicators: nothing to change, always powered */
	struct pci_hp_slot bare = qemu_slot;
	bare.sltcap = PCI_EXP_SLTCAP_HPC;
	assert_int_equal(pci_hp_ctl_power(&bare, en, false), en);
	assert_true(pci_hp_powered(&bare, PCI_EXP_SLTCTL_PCC));
}

#define OFF (PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_PIC_OFF)
#define ON PCI_EXP_SLTCTL_PIC_ON
#define PDS PCI_EXP_SLTSTA_PDS
#define UP PCI_EXP_LNKSTA_DLLLA

static unsigned decide(const struct pci_hp_slot *s, uint16_t ev, uint16_t sta, uint16_t ctl,
		       uint16_t lnk, bool fns)
{
	struct pci_hp_in in = {ev, sta, ctl, lnk, fns};
	return pci_hp_decide(s, &in);
}

static void test_insert(void **st)
{
	uint16_t pdc_abp = PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_ABP;
	/* QEMU's device_add into an empty (powered off) slot: PDC and ABP,
	   presence and link up: power on, settle, rescan; the button ignored */
	assert_int_equal(decide(&qemu_slot, pdc_abp, PDS, OFF, UP, false),
			 PCI_HP_POWER_ON | PCI_HP_SETTLE | PCI_HP_RESCAN);
	/* the slot already powered (a BIOS or an earlier power-on): rescan */
	assert_int_equal(decide(&qemu_slot, pdc_abp, PDS, ON, UP, false), PCI_HP_RESCAN);
	/* a port reporting the link, link still down: power on, then wait
	   for the DLLSC that follows */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_PDC, PDS, OFF, 0, false),
			 PCI_HP_POWER_ON | PCI_HP_SETTLE);
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_DLLSC, PDS, ON, UP, false),
			 PCI_HP_RESCAN);
	/* no link reporting: presence alone, powered on then walked */
	struct pci_hp_slot nolink = qemu_slot;
	nolink.link_rep = false;
	assert_int_equal(decide(&nolink, PCI_EXP_SLTSTA_PDC, PDS, OFF, 0, false),
			 PCI_HP_POWER_ON | PCI_HP_SETTLE | PCI_HP_RESCAN);
	/* in-band presence: PDS clear but the link is up */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_DLLSC, 0, ON, UP, false), PCI_HP_RESCAN);
	/* the button on an occupied slot that is off: power it on */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_ABP, PDS, OFF, UP, false),
			 PCI_HP_POWER_ON | PCI_HP_SETTLE | PCI_HP_RESCAN);
}

static void test_eject(void **st)
{
	/* QEMU's device_del: the button alone on an occupied powered slot */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_ABP, PDS, ON, UP, true),
			 PCI_HP_REMOVE | PCI_HP_WAIT_RELEASE | PCI_HP_POWER_OFF);
	/* even with nothing listed (a function pcid never saw) */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_ABP, PDS, ON, UP, false),
			 PCI_HP_REMOVE | PCI_HP_WAIT_RELEASE | PCI_HP_POWER_OFF);
	/* no power controller: report and wait, nothing to switch */
	struct pci_hp_slot bare = qemu_slot;
	bare.sltcap &= ~PCI_EXP_SLTCAP_PCP;
	assert_int_equal(decide(&bare, PCI_EXP_SLTSTA_ABP, PDS, 0, UP, true),
			 PCI_HP_REMOVE | PCI_HP_WAIT_RELEASE);
	/* the button on an empty slot: nothing */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_ABP, 0, OFF, 0, false), 0);
	/* after our power-off QEMU detaches and latches PDC: empty, already
	   off, nothing listed: nothing more */
	assert_int_equal(decide(&qemu_slot, PCI_EXP_SLTSTA_PDC, 0, OFF, 0, false), 0);
}

static void test_surprise_removal(void **st)
{
	/* presence gone while powered and listed: remove, switch off */
	assert_int_equal(
	    decide(&qemu_slot, PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC, 0, ON, 0, true),
	    PCI_HP_REMOVE | PCI_HP_POWER_OFF);
	/* no power controller: only remove */
	struct pci_hp_slot bare = qemu_slot;
	bare.sltcap &= ~PCI_EXP_SLTCAP_PCP;
	assert_int_equal(decide(&bare, PCI_EXP_SLTSTA_PDC, 0, 0, 0, true), PCI_HP_REMOVE);
	/* and with nothing listed, no remove either */
	assert_int_equal(decide(&bare, PCI_EXP_SLTSTA_PDC, 0, 0, 0, false), 0);
}

static void test_noise(void **st)
{
	/* Command Completed, power fault, MRL: nothing, whatever the state */
	uint16_t noise[] = {0, PCI_EXP_SLTSTA_CC, PCI_EXP_SLTSTA_PFD, PCI_EXP_SLTSTA_MRLSC};
	for (unsigned i = 0; i < sizeof noise / sizeof noise[0]; i++) {
		assert_int_equal(decide(&qemu_slot, noise[i], PDS, ON, UP, true), 0);
		assert_int_equal(decide(&qemu_slot, noise[i], 0, OFF, 0, false), 0);
	}
}

static unsigned start(const struct pci_hp_slot *s, uint16_t sta, uint16_t ctl, uint16_t lnk,
		      bool fns)
{
	/* events are ignored at start: a latched button press must not eject */
	struct pci_hp_in in = {PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PDC, sta, ctl, lnk, fns};
	return pci_hp_start(s, &in);
}

static void test_start(void **st)
{
	/* QEMU q35 with ACPI hot-plug: functions behind a slot that reads
	   empty: not native, left alone (never powered off) */
	assert_int_equal(start(&qemu_slot, 0, ON, 0, true), PCI_HP_NOT_NATIVE);
	assert_int_equal(start(&qemu_slot, 0, OFF, 0, true), PCI_HP_NOT_NATIVE);
	/* empty, nothing listed: served, nothing to do (a powered empty slot
	   is not switched off either) */
	assert_int_equal(start(&qemu_slot, 0, OFF, 0, false), 0);
	assert_int_equal(start(&qemu_slot, 0, ON, 0, false), 0);
	/* a device present at boot, powered: nothing */
	assert_int_equal(start(&qemu_slot, PDS, ON, UP, true), 0);
	/* occupied but off (added before pcid ran): brought up */
	assert_int_equal(start(&qemu_slot, PDS, OFF, UP, false),
			 PCI_HP_POWER_ON | PCI_HP_SETTLE | PCI_HP_RESCAN);
	assert_int_equal(start(&qemu_slot, PDS, OFF, 0, false), PCI_HP_POWER_ON | PCI_HP_SETTLE);
	/* never a removal or a power-off, whatever the state */
	for (unsigned k = 0; k < 64; k++) {
		uint16_t ctl = k & 1 ? OFF : ON;
		uint16_t sta = k & 2 ? PDS : 0;
		uint16_t lnk = k & 4 ? UP : 0;
		struct pci_hp_slot s = qemu_slot;
		s.link_rep = k & 16;
		unsigned a = start(&s, sta, ctl, lnk, k & 8);
		assert_false(a & (PCI_HP_REMOVE | PCI_HP_WAIT_RELEASE | PCI_HP_POWER_OFF));
	}
}

/* Whatever comes in, the answer is consistent: never both powers, a
   power-off only with a controller, a wait only with a remove, a settle
   only after a power-on, no rescan with a remove. */
static void test_every_input(void **st)
{
	const uint16_t ctls[] = {OFF, ON, PCI_EXP_SLTCTL_PCC, 0};
	for (unsigned caps = 0; caps < 4; caps++) {
		struct pci_hp_slot s = qemu_slot;
		if (caps & 1)
			s.sltcap &= ~PCI_EXP_SLTCAP_PCP;
		s.link_rep = caps & 2;
		for (unsigned ev = 0; ev < 0x200; ev++) {
			for (unsigned k = 0; k < 4 * 4 * 2 * 2; k++) {
				uint16_t ctl = ctls[k % 4];
				uint16_t sta = (k / 4) % 4 ? PDS : 0;
				uint16_t lnk = (k / 16) % 2 ? UP : 0;
				bool fns = k / 32;
				unsigned a = decide(&s, (uint16_t)(ev & PCI_EXP_SLTSTA_EVENTS), sta,
						    ctl, lnk, fns);
				assert_false((a & PCI_HP_POWER_ON) && (a & PCI_HP_POWER_OFF));
				if (!(s.sltcap & PCI_EXP_SLTCAP_PCP))
					assert_false(a & (PCI_HP_POWER_ON | PCI_HP_POWER_OFF));
				if (a & PCI_HP_WAIT_RELEASE)
					assert_true(a & PCI_HP_REMOVE);
				if (a & PCI_HP_SETTLE)
					assert_true(a & PCI_HP_POWER_ON);
				assert_false((a & PCI_HP_RESCAN) && (a & PCI_HP_REMOVE));
				if (!(ev & (PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC |
					    PCI_EXP_SLTSTA_ABP)))
					assert_int_equal(a, 0);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_root_port), cmocka_unit_test(test_parse_refuses),
	    cmocka_unit_test(test_ctl_values),	    cmocka_unit_test(test_insert),
	    cmocka_unit_test(test_eject),	    cmocka_unit_test(test_surprise_removal),
	    cmocka_unit_test(test_noise),	    cmocka_unit_test(test_every_input),
	    cmocka_unit_test(test_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
