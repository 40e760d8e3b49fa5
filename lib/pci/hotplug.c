/*
 * hotplug.c - native PCI Express hot-plug decisions (hotplug.h).
 *
 * Finds a hot-plug capable slot in a port's PCI Express capability, builds
 * the Slot Control values pcid writes, and decides what a round of slot
 * events means. Pure: config space is only read (by pci_hp_slot_parse),
 * never written; the caller holds whatever lock guards the port.
 */
#include "base/err.h"
#include "pci/hotplug.h"

int pci_hp_slot_parse(const struct pci_cfg *c, struct pci_hp_slot *s)
{
	uint16_t cap = pci_cap_find(c, PCI_CAP_PCIE, 0);
	if (!cap || cap + PCI_EXP_SLTSTA + 2 > c->size)
		return -E_NOENT;
	uint16_t flags = pci_read16(c, (uint16_t)(cap + PCI_EXP_FLAGS));
	uint8_t type = (uint8_t)PCI_EXP_FLAGS_TYPE(flags);
	if (type != PCI_EXP_TYPE_ROOT_PORT && type != PCI_EXP_TYPE_DOWNSTREAM)
		return -E_NOENT;
	if (!(flags & PCI_EXP_FLAGS_SLOT))
		return -E_NOENT;
	uint32_t sltcap = pci_read32(c, (uint16_t)(cap + PCI_EXP_SLTCAP));
	if (sltcap == 0xffffffffu || !(sltcap & PCI_EXP_SLTCAP_HPC))
		return -E_NOENT;
	*s = (struct pci_hp_slot){
	    .cap = cap,
	    .type = type,
	    .msgnum = (uint8_t)PCI_EXP_FLAGS_IRQ(flags),
	    .sltcap = sltcap,
	    .link_rep = pci_read32(c, (uint16_t)(cap + PCI_EXP_LNKCAP)) & PCI_EXP_LNKCAP_DLLLARC,
	};
	return 0;
}

uint16_t pci_hp_ctl_enable(const struct pci_hp_slot *s, uint16_t ctl)
{
	ctl &= (uint16_t) ~(PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE | PCI_EXP_SLTCTL_MRLSCE |
			    PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_DLLSCE);
	ctl |= PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE;
	if (s->sltcap & PCI_EXP_SLTCAP_ABP)
		ctl |= PCI_EXP_SLTCTL_ABPE;
	if (s->link_rep)
		ctl |= PCI_EXP_SLTCTL_DLLSCE;
	return ctl;
}

uint16_t pci_hp_ctl_power(const struct pci_hp_slot *s, uint16_t ctl, bool on)
{
	if (s->sltcap & PCI_EXP_SLTCAP_PCP) {
		ctl &= (uint16_t)~PCI_EXP_SLTCTL_PCC;
		if (!on)
			ctl |= PCI_EXP_SLTCTL_PCC;
	}
	if (s->sltcap & PCI_EXP_SLTCAP_PIP) {
		ctl &= (uint16_t)~PCI_EXP_SLTCTL_PIC;
		ctl |= on ? PCI_EXP_SLTCTL_PIC_ON : PCI_EXP_SLTCTL_PIC_OFF;
	}
	if (!on && (s->sltcap & PCI_EXP_SLTCAP_AIP)) {
		ctl &= (uint16_t)~PCI_EXP_SLTCTL_AIC;
		ctl |= PCI_EXP_SLTCTL_AIC_OFF;
	}
	return ctl;
}

bool pci_hp_powered(const struct pci_hp_slot *s, uint16_t ctl)
{
	return !(s->sltcap & PCI_EXP_SLTCAP_PCP) || !(ctl & PCI_EXP_SLTCTL_PCC);
}

unsigned pci_hp_vectors(const struct pci_hp_slot *s)
{
	unsigned n = 1;
	while (n <= s->msgnum && n < 32)
		n <<= 1;
	return n;
}

/* Something is in the slot: presence detected, or (when the port reports
   it) the link is up; either alone is enough, as some slots only have
   in-band presence. */
static bool occupied(const struct pci_hp_slot *s, const struct pci_hp_in *in)
{
	return (in->sta & PCI_EXP_SLTSTA_PDS) ||
	       (s->link_rep && (in->lnksta & PCI_EXP_LNKSTA_DLLLA));
}

/* An occupied slot is to be brought up: power, then the walk once the
   link is up (a port that reports the link says so with DLLSC later). */
static unsigned bring_up(const struct pci_hp_slot *s, const struct pci_hp_in *in)
{
	unsigned act = 0;
	if (!pci_hp_powered(s, in->ctl))
		act |= PCI_HP_POWER_ON | PCI_HP_SETTLE;
	bool link_down = s->link_rep && !(in->lnksta & PCI_EXP_LNKSTA_DLLLA);
	if (link_down && (act & PCI_HP_POWER_ON))
		return act; /* the link trains after power comes: DLLSC */
	return act | PCI_HP_RESCAN;
}

unsigned pci_hp_decide(const struct pci_hp_slot *s, const struct pci_hp_in *in)
{
	bool occ = occupied(s, in);
	bool powered = pci_hp_powered(s, in->ctl);
	if (in->events & (PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC)) {
		if (!occ) {
			unsigned act = in->have_fns ? PCI_HP_REMOVE : 0;
			if (powered && (s->sltcap & PCI_EXP_SLTCAP_PCP))
				act |= PCI_HP_POWER_OFF;
			return act;
		}
		return bring_up(s, in);
	}
	if (in->events & PCI_EXP_SLTSTA_ABP) {
		if (!occ)
			return 0;
		if (!powered)
			return bring_up(s, in);
		unsigned act = PCI_HP_REMOVE | PCI_HP_WAIT_RELEASE;
		if (s->sltcap & PCI_EXP_SLTCAP_PCP)
			act |= PCI_HP_POWER_OFF;
		return act;
	}
	return 0;
}

unsigned pci_hp_start(const struct pci_hp_slot *s, const struct pci_hp_in *in)
{
	if (!occupied(s, in))
		return in->have_fns ? PCI_HP_NOT_NATIVE : 0;
	return pci_hp_powered(s, in->ctl) ? 0 : bring_up(s, in);
}
