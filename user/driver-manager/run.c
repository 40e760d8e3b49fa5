/*
 * run.c - driver-manager's hands: devices from pci:/events and
 * acpi:/devices, spawning the best driver, reading its status line, reaping, restarting, stopping.
 *
 * Every function here runs in the main loop (mgr.h). Which driver a device gets, and when a probe
 * is retried or skipped, is lib/drvmgr's decision (drv_match, drv_pair_*); this file only acts on
 * it and prints one line per change.
 *
 * A driver is spawned as `EXEC ARGS... ADDR` (SSSS:BB:DD.F, or an ACPI
 * device's namespace path) with the console as
 * fds 0-2 and the write end of a fresh pipe as fd 3 (DRIVER_STATUS=3 in
 * its environment), in a process group of its own; the manager keeps the
 * read end until the one status line arrives or the pipe hangs up.
 */
#include <string.h>
#include "mgr.h"
#include "rb/malloc.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define STOP_WAIT_MS 2000u /* SIGTERM to SIGKILL at shutdown */

/* Grow *v (n used of *cap elements of size sz) for one more: 0 or -E_NOMEM. */
static int grow(void **v, unsigned n, unsigned *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	unsigned ncap = *cap ? *cap * 2 : 16;
	void *nv = rb_realloc(*v, (size_t)ncap * sz);
	if (!nv)
		return -E_NOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

static struct mdev *dev_find(struct mgr *m, const char *addr)
{
	for (unsigned i = 0; i < m->ndevs; i++)
		if (!strcmp(m->devs[i].d.addr, addr))
			return &m->devs[i];
	return NULL;
}

/* Whether some pair of addr is alive (probing, bound, waiting to retry). */
static bool dev_busy(struct mgr *m, const char *addr)
{
	for (size_t i = 0; i < m->pairs.n; i++) {
		const struct drv_pair *p = &m->pairs.v[i];
		if (!strcmp(p->addr, addr) && p->state != DRV_PAIR_SKIPPED &&
		    p->state != DRV_PAIR_STOPPED)
			return true;
	}
	return false;
}

/* Read the first 16 bytes of addr's config space into a descriptor. */
static int dev_describe(const char *addr, struct drv_desc *d)
{
	char path[64];
	uint8_t cfg[16];
	rb_snprintf(path, sizeof path, "pci:/%s/config", addr);
	uint64_t held = rb_sig_hold(); /* a SIGCHLD must not lose the device */
	int fd = rb_open(path, RB_O_RDONLY);
	long n = fd >= 0 ? rb_read(fd, cfg, sizeof cfg) : fd;
	rb_sig_release(held);
	if (fd < 0)
		return fd;
	rb_close(fd);
	if (n < 0)
		return (int)n;
	return drv_dev_from_pci_config(cfg, (size_t)n, addr, d);
}

static void dev_add(struct mgr *m, const char *addr)
{
	struct mdev d = {0};
	int r = dev_describe(addr, &d.d);
	if (r < 0) {
		mgr_log("%s: reading its config space: %s", addr, err_name(r));
		return;
	}
	struct mdev *md = dev_find(m, addr); /* an add for a device we know: described again */
	if (!md) {
		if (grow((void **)&m->devs, m->ndevs, &m->capdevs, sizeof *m->devs) < 0) {
			mgr_log("%s: no memory; not handled", addr);
			return;
		}
		md = &m->devs[m->ndevs++];
	}
	*md = d;
	md->ncands = drv_match(m->rules, m->nrules, &md->d, md->cands, MGR_CANDS_MAX);
	if (!md->ncands)
		mgr_log("%s %04x:%04x (class %02x:%02x:%02x): no driver", addr, md->d.vendor,
			md->d.device, md->d.cls, md->d.sub, md->d.progif);
	drv_pair_event(&m->pairs); /* a new device may be what a deferred probe waits for */
}

static void dev_remove(struct mgr *m, const char *addr)
{
	struct mdev *md = dev_find(m, addr);
	if (!md)
		return;
	for (unsigned i = 0; i < m->nprocs; i++)
		if (!strcmp(m->procs[i].addr, addr)) {
			mgr_log("%s: removed; stopping %s (pid %d)", addr,
				m->rules[m->procs[i].rule].name, m->procs[i].pid);
			rb_kill(m->procs[i].pid, RB_SIGTERM);
		}
	drv_pair_remove_dev(&m->pairs, addr); /* their exits now find no pair */
	*md = m->devs[--m->ndevs];
}

void run_events(struct mgr *m)
{
	char buf[1024];
	long n;
	while (m->events_fd >= 0 && (n = rb_read(m->events_fd, buf, sizeof buf - 1)) > 0) {
		buf[n] = '\0';
		for (char *line = buf, *end; *line; line = end) {
			end = strchr(line, '\n');
			if (!end)
				end = line + strlen(line); /* pcid writes whole lines; tolerate */
			else
				*end++ = '\0';
			if (!strncmp(line, "add ", 4) && line[4])
				dev_add(m, line + 4);
			else if (!strncmp(line, "remove ", 7) && line[7])
				dev_remove(m, line + 7);
		}
	}
}

/* One line of acpi:/devices: a device when some rule matches it. */
static void acpi_line(struct mgr *m, const char *line, size_t len, unsigned *matched, unsigned *bad)
{
	struct drv_acpi_dev a;
	struct drv_desc d;
	unsigned cands[MGR_CANDS_MAX];
	if (drv_acpi_parse(line, len, &a) < 0) {
		(*bad)++;
		return;
	}
	drv_acpi_desc(&a, &d);
	unsigned n = drv_match(m->rules, m->nrules, &d, cands, MGR_CANDS_MAX);
	if (!n || dev_find(m, a.addr))
		return; /* no driver: counted, not listed (a machine has hundreds) */
	if (grow((void **)&m->devs, m->ndevs, &m->capdevs, sizeof *m->devs) < 0) {
		mgr_log("%s: no memory; not handled", a.addr);
		return;
	}
	struct mdev *md = &m->devs[m->ndevs++];
	*md = (struct mdev){.ncands = n};
	memcpy(md->cands, cands, sizeof cands);
	md->d = d;
	md->d.nids = 0; /* the ids point into a: gone after this call */
	memset(md->d.ids, 0, sizeof md->d.ids);
	memcpy(md->hid, a.ids[0], sizeof md->hid);
	(*matched)++;
	mgr_log("%s %s: %s", a.addr, a.ids[0], m->rules[cands[0]].name);
}

void run_acpi(struct mgr *m)
{
	int fd = rb_open("acpi:/devices", RB_O_RDONLY);
	if (fd < 0) {
		mgr_log("acpi:/devices: %s; no ACPI drivers", err_name(fd));
		return;
	}
	char buf[1024];
	size_t have = 0;
	unsigned lines = 0, matched = 0, bad = 0;
	long n = 0;
	uint64_t held = rb_sig_hold(); /* a SIGCHLD must not cut the list */
	while ((n = rb_read(fd, buf + have, sizeof buf - have)) > 0) {
		have += (size_t)n;
		char *start = buf, *nl;
		while ((nl = memchr(start, '\n', have - (size_t)(start - buf))) != NULL) {
			acpi_line(m, start, (size_t)(nl - start), &matched, &bad);
			lines++;
			start = nl + 1;
		}
		have -= (size_t)(start - buf);
		memmove(buf, start, have);
		if (have == sizeof buf) { /* a line longer than any acpid writes */
			bad++;
			have = 0;
		}
	}
	rb_sig_release(held);
	rb_close(fd);
	if (n < 0)
		mgr_log("acpi:/devices: %s after %u devices", err_name((int)n), lines);
	mgr_log("acpi: %u devices, %u with a driver%s", lines, matched,
		bad ? " (some lines unreadable)" : "");
	if (matched)
		drv_pair_event(&m->pairs);
}

/* For each present device with no live pair, a pair for its best candidate not skipped. */
static void pick_drivers(struct mgr *m)
{
	for (unsigned i = 0; i < m->ndevs; i++) {
		struct mdev *md = &m->devs[i];
		if (!md->ncands || dev_busy(m, md->d.addr))
			continue;
		int c = drv_pair_pick(&m->pairs, md->d.addr, md->cands, md->ncands);
		if (c < 0)
			continue; /* every match is skipped: each said so when it was */
		struct drv_pair *p;
		int r = drv_pair_find_or_add(&m->pairs, md->d.addr, md->cands[c], &p);
		if (r == -E_NOSPC) {
			size_t cap = m->pairs.cap * 2;
			struct drv_pair *v = rb_realloc(m->pairs.v, cap * sizeof *v);
			if (!v)
				return;
			m->pairs.v = v;
			m->pairs.cap = cap;
			i--; /* again, with room */
		}
	}
}

static int spawn(struct mgr *m, struct drv_pair *p)
{
	const struct drv_rule *r = &m->rules[p->rule];
	char *argv[DRV_ARGS_MAX + 3];
	unsigned a = 0;
	argv[a++] = (char *)r->exec;
	for (unsigned i = 0; i < r->nargs; i++)
		argv[a++] = (char *)r->args[i];
	argv[a++] = p->addr;
	argv[a] = NULL;
	char *envp[] = {"DRIVER_STATUS=3", NULL};
	int pfd[2];
	int e = grow((void **)&m->procs, m->nprocs, &m->capprocs, sizeof *m->procs);
	if (e == 0)
		e = rb_pipe(pfd, RB_O_NONBLOCK); /* one short line: never fills */
	if (e < 0)
		return e;
	int fdmap[4] = {0, 1, 2, pfd[1]};
	/* Its own process group: init's SIGTERM to driver-manager's group at
	   shutdown must not reach the drivers, which run_stop stops in order. */
	struct rb_spawn_attr attr = {.flags = RB_SPAWN_SETPGROUP, .pgid = 0};
	int pid = rb_spawn_attr(r->exec, argv, envp, fdmap, 4, &attr);
	rb_close(pfd[1]);
	if (pid < 0) {
		rb_close(pfd[0]);
		return pid;
	}
	struct mproc *pr = &m->procs[m->nprocs++];
	*pr = (struct mproc){.pid = pid, .fd = pfd[0], .rule = p->rule, .t0_ms = mgr_now_ms()};
	strcpy(pr->addr, p->addr);
	return pid;
}

int64_t run_due(struct mgr *m)
{
	if (m->stopping)
		return -1;
	pick_drivers(m);
	uint64_t now = mgr_now_ms(), next = UINT64_MAX;
	struct drv_pair *p;
	while ((p = drv_pair_due(&m->pairs, now, &next)) != NULL) {
		const struct drv_rule *r = &m->rules[p->rule];
		bool again = p->was_bound;
		drv_pair_spawned(&m->pairs, p, now);
		int pid = spawn(m, p);
		if (pid < 0) {
			mgr_log("%s: spawning %s (%s): %s", p->addr, r->name, r->exec,
				err_name(pid));
			uint64_t at;
			(void)drv_pair_exit(p, 1, now, r->restart, &at);
			continue;
		}
		mgr_log("%s: %s %s (pid %d)", p->addr, r->name, again ? "restarted" : "probing",
			pid);
		mgr_timeline(m, p->addr, r->name, "start");
	}
	return next == UINT64_MAX ? -1 : (int64_t)(next > now ? next - now : 0);
}

/* The status line of p (whole, without its end) has come. */
static void got_line(struct mgr *m, struct mproc *pr)
{
	const struct drv_rule *r = &m->rules[pr->rule];
	struct drv_pair *p = drv_pair_find(&m->pairs, pr->addr, pr->rule);
	struct drv_status st;
	if (drv_status_parse(pr->line, pr->len, &st) < 0) {
		st = (struct drv_status){.kind = DRV_ST_FATAL};
		strcpy(st.reason, "an unreadable status line");
	}
	if (!p)
		return; /* its device went meanwhile */
	uint64_t now = mgr_now_ms();
	enum drv_pair_state s = drv_pair_result(&m->pairs, p, &st, now);
	mgr_timeline(m, pr->addr, r->name, drv_status_name(st.kind));
	unsigned ms = (unsigned)(now - pr->t0_ms);
	switch (st.kind) {
	case DRV_ST_READY:
		mgr_log("%s: %s ready (%s) in %u ms, pid %d", pr->addr, r->name,
			st.mode[0] ? st.mode : "no irq mode given", ms, pr->pid);
		drv_pair_event(&m->pairs); /* a device another probe waits for may be here */
		break;
	case DRV_ST_DEFER:
		mgr_log("%s: %s defers: %s%s", pr->addr, r->name, st.reason,
			s == DRV_PAIR_SKIPPED ? "; out of retries, skipped" : "");
		break;
	default:
		mgr_log("%s: %s: %s: %s; skipped", pr->addr, r->name, drv_status_name(st.kind),
			st.reason);
	}
}

void run_status(struct mgr *m, struct mproc *pr)
{
	long n;
	while (pr->fd >= 0 && pr->len <= DRV_STATUS_LINE_MAX &&
	       (n = rb_read(pr->fd, pr->line + pr->len, DRV_STATUS_LINE_MAX + 1 - pr->len)) > 0) {
		pr->len += (unsigned)n;
		char *nl = memchr(pr->line, '\n', pr->len);
		if (nl || pr->len > DRV_STATUS_LINE_MAX) {
			pr->len = nl ? (unsigned)(nl - pr->line) : pr->len;
			got_line(m, pr);
			rb_close(pr->fd);
			pr->fd = -1;
			return;
		}
	}
	if (pr->fd >= 0 && n == 0) { /* hung up without a line: the exit tells */
		if (pr->len) {
			got_line(m, pr); /* a last line without its end */
		}
		rb_close(pr->fd);
		pr->fd = -1;
	}
}

static const char *status_str(int status, char *buf, size_t len)
{
	if (status > 128 && status < 128 + 32)
		rb_snprintf(buf, len, "signal %d", status - 128);
	else
		rb_snprintf(buf, len, "exit %d", status);
	return buf;
}

static void ended(struct mgr *m, struct mproc *pr, int status)
{
	if (pr->fd >= 0)
		run_status(m, pr); /* a line written just before the end */
	if (pr->fd >= 0) {
		rb_close(pr->fd);
		pr->fd = -1;
	}
	const struct drv_rule *r = &m->rules[pr->rule];
	struct drv_pair *p = drv_pair_find(&m->pairs, pr->addr, pr->rule);
	if (!m->stopping)
		mgr_timeline(m, pr->addr, r->name, "exit");
	if (!p || m->stopping)
		return;
	char how[24];
	uint64_t now = mgr_now_ms(), at = 0;
	bool probing = p->state == DRV_PAIR_PROBING;
	switch (drv_pair_exit(p, status, now, r->restart, &at)) {
	case DRV_EXIT_RESTART:
		mgr_log("%s: %s (pid %d) %s %s; restart in %u ms", pr->addr, r->name, pr->pid,
			probing ? "died in probe:" : "ended:", status_str(status, how, sizeof how),
			(unsigned)(at - now));
		break;
	case DRV_EXIT_STOPPED:
		mgr_log("%s: %s (pid %d) ended: %s; not restarted (restart = %s)", pr->addr,
			r->name, pr->pid, status_str(status, how, sizeof how),
			drv_restart_name(r->restart));
		break;
	case DRV_EXIT_SKIPPED:
		mgr_log("%s: %s died in probe %u times; skipped", pr->addr, r->name,
			p->probe_crashes);
		break;
	case DRV_EXIT_NOTHING:
		break;
	}
}

void run_reap(struct mgr *m)
{
	int pid, status;
	while ((pid = rb_waitpid(-1, &status, RB_WNOHANG)) > 0) {
		for (unsigned i = 0; i < m->nprocs; i++) {
			if (m->procs[i].pid != pid)
				continue;
			ended(m, &m->procs[i], status);
			m->procs[i] = m->procs[--m->nprocs];
			break;
		}
	}
}

void run_stop(struct mgr *m)
{
	m->stopping = true;
	unsigned n = m->nprocs;
	for (unsigned i = n; i-- > 0;) /* the last started first */
		rb_kill(m->procs[i].pid, RB_SIGTERM);
	uint64_t end = mgr_now_ms() + STOP_WAIT_MS;
	bool killed = false;
	for (;;) {
		run_reap(m);
		unsigned left = m->nprocs;
		if (left && !killed && mgr_now_ms() >= end) {
			for (unsigned i = 0; i < m->nprocs; i++)
				rb_kill(m->procs[i].pid, RB_SIGKILL);
			mgr_log("%u driver(s) ignored SIGTERM for %u ms; killed", left,
				STOP_WAIT_MS);
			killed = true;
		}
		if (!left)
			break;
		/* SIGCHLD writes to the self-pipe: wait for it, or for the deadline. */
		struct rb_pollfd pf = {.fd = m->self_pipe[0], .events = RB_POLLIN};
		uint64_t now = mgr_now_ms();
		int64_t wait = killed ? -1 : (int64_t)(end > now ? end - now : 0) * 1000000;
		if (rb_poll(&pf, 1, wait) > 0) {
			char buf[32];
			while (rb_read(m->self_pipe[0], buf, sizeof buf) > 0)
				;
		}
	}
	mgr_log("stopped %u driver(s)", n);
}
