/*
 * boot.h - the boot-time steps kmain() runs, one per subsystem, and the
 * facts they share: the parsed Multiboot2 information and kernel options.
 */
#pragma once
#include <stdint.h>
#include "boot/cmdline.h"
#include "boot/mb2.h"

extern struct mb2_info boot_mbi;
extern struct cmdline boot_cmdline;
extern uint64_t boot_mbi_phys;

/* Parse the Multiboot2 information and the command line (boot/bootinfo.c). */
void boot_info_init(uint32_t mbi_phys);
/* Physical allocator, final page tables, heap (mm/mem.c). */
void mem_init(void);
/* Framebuffer console, if the loader gave us one (core/console.c). */
void console_init(void);
/* Find, check and parse the static ACPI tables (boot/acpi.c). */
void acpi_init(void);
/* Turn on SMEP/SMAP/UMIP on this CPU where available (main.c). */
void cpu_protect_user(void);
/* Deliberate faults and self-tests chosen on the command line (test/selftest.c). */
void selftest_run(void);
