/*
 * drvtest - a driver that does nothing but report, for driver-manager's
 * tests (docs/drivers.md).
 *
 *   drvtest MODE SSSS:BB:DD.F
 *
 * MODE says what it writes on its status fd ($DRIVER_STATUS, fd 3):
 * "ready" writes `ready poll` and then runs until SIGTERM (exit 0);
 * "claim" does the same holding the device's claim (pci:/DEV/config,
 * rb_dup_handle "claim"), as a real driver does, so pcid's hot-plug
 * eject has a claim to wait for (docs/pcid.md, "Hotplug");
 * "fatal", "unsupported", "defer" write that word with a reason and exit
 * 1; "crash" writes nothing and dies of SIGSEGV, as a driver with a bug
 * in its probe would.
 */
#include <string.h>
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

static volatile int stop;

static void on_term(int sig)
{
	stop = 1;
}

static void say(const char *line)
{
	(void)rb_write(3, line, strlen(line));
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		rb_printf(
		    "usage: drvtest ready|claim|fatal|unsupported|defer|crash SSSS:BB:DD.F\n");
		return 2;
	}
	const char *mode = argv[1];
	rb_printf("drvtest: %s: %s\n", argv[2], mode);
	if (!strcmp(mode, "ready") || !strcmp(mode, "claim")) {
		struct rb_sigaction sa = {.handler = on_term};
		rb_sigaction(RB_SIGTERM, &sa, NULL);
		int claim = -1;
		if (!strcmp(mode, "claim")) {
			char path[48];
			rb_snprintf(path, sizeof path, "pci:/%s/config", argv[2]);
			int fd = rb_open(path, RB_O_RDWR);
			claim = fd < 0 ? fd : rb_dup_handle(fd, "claim");
			if (fd >= 0)
				rb_close(fd);
			if (claim < 0) {
				say("fatal cannot claim the device\n");
				return 1;
			}
			rb_printf("drvtest: %s: claimed\n", argv[2]);
		}
		say("ready poll\n");
		while (!stop)
			rb_nanosleep(1000000000ull); /* SIGTERM interrupts it */
		if (claim >= 0) {
			rb_nanosleep(200000000ull); /* a driver quiescing its device */
			rb_printf("drvtest: %s: releasing the claim\n", argv[2]);
			rb_close(claim);
		}
		return 0;
	}
	if (!strcmp(mode, "crash")) {
		int *volatile nowhere = NULL;
		*nowhere = 1; /* a page fault: killed with SIGSEGV */
	}
	if (!strcmp(mode, "fatal"))
		say("fatal told to fail by its rule\n");
	else if (!strcmp(mode, "unsupported"))
		say("unsupported told to refuse by its rule\n");
	else if (!strcmp(mode, "defer"))
		say("defer told to wait by its rule\n");
	return 1;
}
