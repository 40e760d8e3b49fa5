/*
 * stop.c - the ordered shutdown (docs/init.md, "Shutdown").
 *
 * stop_begin() (poweroff or reboot on init:/control, or SIGTERM to init)
 * prints "init: stopping N services", sends SIGTERM to every process that
 * is not a service (the login shell and its jobs, health checks) except
 * the children of a service with stops_children (driver-manager's
 * drivers: their service stops them in its own order), writes
 * the timeline file once more (file: is one of the services stopped), and
 * hands the services to lib/svc/sup's stop order: reverse dependency
 * order, SIGTERM, SIGKILL after the grace (run.c acts on it). Services
 * marked stop_last (acpid) and what they need (pcid) are held back. Once
 * every other service has ended the main loop calls stop_power(): it
 * SIGKILLs whatever process is not a service (pids 2.. found with
 * SYS_PROCINFO; kill(-1) does not exist), waits for them to go, prints
 * "init: powering off through acpi:/power" (or rebooting) and writes
 * "poweroff" (or "reboot") to acpi:/power: acpid does ACPI S5 or the
 * reset. If that write fails (no acpi:, or acpid could not), the held
 * services are stopped too, and once every service has ended
 * stop_finish() prints "init: all services stopped", kills the rest
 * again, prints "init: powering off" (or rebooting) and asks the kernel
 * (SYS_POWEROFF / SYS_REBOOT).
 *
 * Main loop only; the wait for the last processes is the one place init
 * sleeps (a bounded wait for deaths it cannot be told about: they are
 * not all its children).
 */
#include <string.h>
#include "init.h"
#include "base/err.h"
#include "fmt/fmt.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define PID_LIMIT 1024 /* the kernel's process table (kernel/proc/proc.h MAX_PROCS) */
#define GONE_WAIT_NS (2000ull * 1000 * 1000)

static bool is_service(const struct init *in, int pid)
{
	return svc_sup_by_pid(&in->sup, pid) != SVC_NONE;
}

/* Whether the process is a child of a service with stops_children (a
   driver of driver-manager): that service stops it, in its own order. */
static bool managed_child(const struct init *in, const struct rb_procinfo *pi)
{
	size_t parent = svc_sup_by_pid(&in->sup, pi->ppid);
	return parent != SVC_NONE && in->defs[parent].stops_children;
}

/* Send sig to every live process but init and the services (and, with
   spare_managed, their managed children): how many. */
static int signal_others(const struct init *in, int sig, bool spare_managed)
{
	int n = 0;
	struct rb_procinfo pi;
	for (int pid = 2; pid < PID_LIMIT; pid++)
		if (!is_service(in, pid) && rb_procinfo(pid, &pi) > 0 &&
		    !(spare_managed && managed_child(in, &pi)) && rb_kill(pid, sig) == 0)
			n++;
	return n;
}

void stop_begin(struct init *in, enum init_halt how)
{
	int n = 0;
	for (size_t i = 0; i < in->n; i++)
		n += in->sup.run[i].pid != 0;
	in->halt = how;
	rb_printf("init: stopping %d services\n", n);
	report_write_timeline(in);		   /* now, while file: (ramfsd) is still there */
	(void)signal_others(in, RB_SIGTERM, true); /* drivers go with their manager */
	svc_sup_shutdown(&in->sup);
}

/* SIGKILL every process that is not a service and wait (bounded) for them to go. */
static void kill_others(struct init *in)
{
	uint64_t end = rb_now_ns() + GONE_WAIT_NS;
	int left;
	while ((left = signal_others(in, RB_SIGKILL, false)) > 0 && rb_now_ns() < end) {
		int status;
		while (rb_waitpid(-1, &status, RB_WNOHANG) > 0)
			;
		rb_nanosleep(10ull * 1000 * 1000);
	}
	if (left > 0)
		rb_printf("init: %d processes would not die\n", left);
}

/* Print the names of the services still running, after prefix. */
static void print_running(const struct init *in, const char *prefix)
{
	char line[256];
	size_t at = 0;
	for (size_t i = 0; i < in->n; i++)
		if (in->sup.run[i].pid && at + SVC_NAME_MAX + 2 < sizeof line)
			at += (size_t)fmt_snprintf(line + at, sizeof line - at, " %s",
						   in->defs[i].name);
	line[at] = 0;
	rb_printf("init: %s:%s\n", prefix, line);
}

void stop_power(struct init *in)
{
	bool reboot = in->halt == INIT_REBOOT;
	const char *word = reboot ? "reboot" : "poweroff";
	in->power_tried = true;
	if (svc_sup_all_ended(&in->sup)) {
		rb_printf("init: all services stopped\n");
		in->said_stopped = true;
	} else
		print_running(in, "services stopped but the last");
	kill_others(in);
	rb_printf("init: %s through acpi:/power\n", reboot ? "rebooting" : "powering off");
	int fd = rb_open("acpi:/power", RB_O_WRONLY);
	long n = fd;
	/* A signal (acpid's SIGTERM for a power-button press, say) only interrupts the wait. */
	while (fd >= 0 && (n = rb_write(fd, word, strlen(word))) == -E_INTR)
		;
	if (fd >= 0)
		rb_close(fd);
	/* still here: acpid could not, or there is no acpi: */
	rb_printf("init: acpi:/power: %s; the kernel does it\n",
		  n < 0 ? err_name((int)n) : "the machine is still running");
	svc_sup_stop_last(&in->sup);
}

void stop_finish(struct init *in)
{
	if (!in->said_stopped)
		rb_printf("init: all services stopped\n");
	kill_others(in);
	if (in->halt == INIT_REBOOT) {
		rb_printf("init: rebooting\n");
		rb_reboot();
	} else {
		rb_printf("init: powering off\n");
		rb_poweroff();
	}
	rb_printf("init: the kernel did not power off; halting here\n");
	for (;;)
		rb_nanosleep(1000ull * 1000 * 1000 * 1000);
}
