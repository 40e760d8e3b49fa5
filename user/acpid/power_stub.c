/*
 * power_stub.c - weak stand-ins for power.c (h-power's module) so acpid
 * builds and serves without it: no SCI, and acpi:/power answers ENOSYS.
 * The integrator deletes this file when power.c lands; power.c's strong
 * definitions win over these in any case. No state.
 */
#include "acpid.h"
#include "base/err.h"

__attribute__((weak)) int power_init(struct acpid *a)
{
	return -1;
}

__attribute__((weak)) void power_sci(struct acpid *a, int fd)
{
}

__attribute__((weak)) int power_off(struct acpid *a)
{
	return -E_NOSYS;
}

__attribute__((weak)) int power_reboot(struct acpid *a)
{
	return -E_NOSYS;
}
