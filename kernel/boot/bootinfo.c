/*
 * bootinfo.c - the Multiboot2 information and the kernel command line.
 *
 * The MBI sits below 4 GiB, which boot.S's direct map already covers, so it
 * is read in place. A malformed MBI is not survivable (no memory map), so
 * that one is a panic with the parser's reason; an unknown command-line
 * option is only a warning. A line over CMDLINE_MAX_LEN - 1 bytes is cut
 * after its last whole word that fits, with a warning; numeric options
 * read through boot_opt_u64() warn about bad or out-of-range values.
 * docs/boot.md lists the options.
 *
 * Boot CPU only: everything here runs once in kmain() before the other
 * CPUs start; afterwards boot_mbi and boot_cmdline are read-only.
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
    "fault",	     "debug",	      "acpi.dump",   "acpi.override", "selftest",
    "selftest.trap", "smp.fail_ap",   "smp.late_ap", "smp.esr_ap",    "smp.timeout_ms",
    "nosmp",	     "sched.tick_us", "init",	     "spin.fifo",
};

/* Longest command line echoed in the log: kprintf lines hold 512 bytes. */
#define CMDLINE_ECHO_MAX 300

static void warn_unknown_options(void)
{
	for (size_t i = 0; i < cmdline_count(&boot_cmdline); i++) {
		const struct cmdline_opt *o = cmdline_opt_at(&boot_cmdline, i);
		/* init.KEY options are passed to init as argv words (proc_start_init). */
		bool known = strncmp(o->key, "init.", 5) == 0 && o->key[5] != 0;
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

	const char *line = boot_mbi.cmdline ? boot_mbi.cmdline : "";
	size_t len = strlen(line);
	kprintf("boot: loader \"%.64s\", cmdline \"%.*s\"%s\n",
		boot_mbi.loader_name ? boot_mbi.loader_name : "?", CMDLINE_ECHO_MAX, line,
		len > CMDLINE_ECHO_MAX ? " (echo cut)" : "");
	static char cut_line[CMDLINE_MAX_LEN];
	size_t cut = cmdline_cut(line);
	if (cut < len) {
		kprintf("boot: command line is %zu bytes, over the limit of %d; "
			"cut to its first %zu bytes (whole words)\n",
			len, CMDLINE_MAX_LEN - 1, cut);
		memcpy(cut_line, line, cut);
		cut_line[cut] = 0;
		line = cut_line;
	}
	if (cmdline_parse(line, &boot_cmdline) < 0)
		kprintf("boot: command line ignored: %s\n", boot_cmdline.error);
	warn_unknown_options();
	for (size_t i = 0; i < boot_mbi.nmodules; i++)
		kprintf("boot: module %zu \"%s\" at %#x-%#x\n", i, boot_mbi.modules[i].string,
			boot_mbi.modules[i].start, boot_mbi.modules[i].end);
}

int boot_opt_u64(const char *key, uint64_t min, uint64_t max, uint64_t *val)
{
	uint64_t v;
	int err = cmdline_get_range(&boot_cmdline, key, min, max, &v);
	if (err == -E_NOENT)
		return err;
	const char *text = cmdline_get(&boot_cmdline, key);
	if (err == -E_INVAL) {
		kprintf("boot: warning: %s=\"%.40s\" is not a number; option ignored\n", key, text);
		return -E_NOENT;
	}
	if (err == -E_RANGE)
		kprintf("boot: warning: %s=%.40s is out of range (%lu-%lu); using %lu\n", key, text,
			(unsigned long)min, (unsigned long)max, (unsigned long)v);
	*val = v;
	return 0;
}
