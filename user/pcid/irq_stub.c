/*
 * irq_stub.c - weak stand-ins for irq.c (h-pciirq's) until it is merged:
 * every request fails with ENOSYS. The integrator deletes this file.
 */
#include "base/err.h"
#include "irq.h"

__attribute__((weak)) int pcid_irq_request(struct pcid_dev *d, const char *req, size_t len,
					   int caller_pid)
{
	return -E_NOSYS;
}

__attribute__((weak)) int pcid_irq_answer(struct pcid_dev *d, char *buf, size_t len)
{
	return -E_NOSYS;
}

__attribute__((weak)) int pcid_irq_take_fd(struct pcid_dev *d)
{
	return -1;
}

__attribute__((weak)) void pcid_irq_release(struct pcid_dev *d)
{
}

__attribute__((weak)) bool pcid_irq_option(const char *word)
{
	return false;
}
