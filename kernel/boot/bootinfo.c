/*
 * bootinfo.c - the Multiboot2 information and the kernel command line.
 *
 * The MBI sits below 4 GiB, which boot.S's direct map already covers, so it
 * is read in place. A malformed MBI is not survivable (no memory map), so
 * that one is a panic with the parser's reason; an unknown command-line
 * option is only a warning. docs/boot.md lists the options.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "boot/boot.h"
#include "core/log.h"
#include "core/panic.h"

struct mb2_info boot_mbi;
struct cmdline boot_cmdline;
uint64_t boot_mbi_phys;

static const char *const known_options[] = {
	"fault", "debug", "acpi.dump", "selftest", "smp.fail_ap", "smp.timeout_ms", "nosmp",
	"sched.tick_us",
};

static void warn_unknown_options(void)
{
	for (size_t i = 0; i < cmdline_count(&boot_cmdline); i++) {
		const struct cmdline_opt *o = cmdline_opt_at(&boot_cmdline, i);
		bool known = false;
		for (size_t k = 0; k < sizeof known_options / sizeof *known_options; k++)
			if (strcmp(o->key, known_options[k]) == 0)
				known = true;
		if (!known)
			kprintf("boot: unknown option '%s' ignored\n", o->key);
	}
}

void boot_info_init(uint32_t mbi_phys)
{
	const uint8_t *mbi = (const uint8_t *)(DIRECT_MAP_BASE + mbi_phys);
	uint32_t total = *(const uint32_t *)mbi;
	boot_mbi_phys = mbi_phys;
	if (mb2_parse(mbi, total, &boot_mbi) < 0)
		panic("boot: bad Multiboot2 information at %#x: %s", mbi_phys, boot_mbi.error);

	kprintf("boot: loader \"%s\", cmdline \"%s\"\n",
		boot_mbi.loader_name ? boot_mbi.loader_name : "?",
		boot_mbi.cmdline ? boot_mbi.cmdline : "");
	if (cmdline_parse(boot_mbi.cmdline, &boot_cmdline) < 0)
		kprintf("boot: command line ignored: %s\n", boot_cmdline.error);
	warn_unknown_options();
	for (size_t i = 0; i < boot_mbi.nmodules; i++)
		kprintf("boot: module %zu \"%s\" at %#x-%#x\n", i, boot_mbi.modules[i].string,
			boot_mbi.modules[i].start, boot_mbi.modules[i].end);
}
