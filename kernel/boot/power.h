/*
 * power.h - power-off (ACPI S5) and reset, for SYS_POWEROFF and SYS_REBOOT.
 *
 * power_init() evaluates the DSDT's \_S5_ once at boot; power_off() and
 * power_reboot() are the machine's last act and never return.
 */
#pragma once
#include <stddef.h>

/* Find SLP_TYPa/b in \_S5_ of the DSDT dsdt[0..len) (boot CPU, acpi_init). */
void power_init(const void *dsdt, size_t len);
/* Enter ACPI S5; if that is impossible or fails, say so, then reset or halt. */
__attribute__((noreturn)) void power_off(void);
/* Reset: the FADT reset register, else the 8042, else a triple fault. */
__attribute__((noreturn)) void power_reboot(void);
