/*
 * irq_alone.c - lets the h-pciirq branch link /bin/pcid before h-pci's
 * pcid lands: weak stand-ins for main and pcid_bar_phys, which pcid's own
 * definitions replace. The integrator deletes this file when merging.
 */
#include "base/err.h"
#include "rb/stdio.h"
#include "irq.h"

__attribute__((weak)) int pcid_bar_phys(struct pcid_dev *d, unsigned bar, uint64_t *phys,
					uint64_t *size)
{
	return -E_NOSYS;
}

__attribute__((weak)) int main(void)
{
	rb_printf("pcid: built without pcid's main (h-pci not merged)\n");
	return 1;
}
