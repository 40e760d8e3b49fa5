/*
 * boot.h - the boot-time steps kmain() runs, one per subsystem, and the
 * facts they share: the parsed Multiboot2 information and kernel options.
 */
#pragma once
#include <stdint.h>
#include "base/compiler.h"
#include "boot/cmdline.h"
#include "boot/mb2.h"

extern struct mb2_info boot_mbi;
extern struct cmdline boot_cmdline;
extern uint64_t boot_mbi_phys;

/* Parse the Multiboot2 information and the command line (boot/bootinfo.c). */
void boot_info_init(uint32_t mbi_phys);
/*
 * Numeric option key in [min, max] (boot/bootinfo.c): 0 and *val set, or
 * -E_NOENT with *val untouched. A value that is not a number is ignored
 * and one out of range clamped, each with a warning naming key and value.
 */
MUST_CHECK int boot_opt_u64(const char *key, uint64_t min, uint64_t max, uint64_t *val);
/* Physical allocator, final page tables, heap (mm/mem.c). */
void mem_init(void);
/* Framebuffer console, if the loader gave us one (core/console.c). */
void console_init(void);
/* From now on a kernel thread draws the screen, outside the log lock (core/console.c). */
void console_start_render(void);
/* Wake the screen's renderer if lines came since; from a point that holds no lock. */
void console_poke(void);
/* Draw on the screen at once again (a panic: the renderer may never run). */
void console_sync(void);
/* Find, check and parse the static ACPI tables (boot/acpi.c). */
void acpi_init(void);
/* Turn on SMEP/SMAP/UMIP on this CPU where available (arch/x86_64/cpu_setup.c). */
void cpu_protect_user(void);
/* Whether the CPU says it runs under a hypervisor (CPUID.1:ECX bit 31; arch/x86_64/cpu_setup.c).
 */
bool cpu_under_hypervisor(void);
/* Deliberate faults and self-tests chosen on the command line (test/selftest.c). */
void selftest_run(void);
