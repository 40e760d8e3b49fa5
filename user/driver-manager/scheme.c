/*
 * scheme.c - the drivers: scheme and `driver-manager --status`.
 *
 *   drivers:/status   read: a header and one line per device pcid listed
 *                     and per ACPI device a rule matched: DEVICE ID
 *                     DRIVER STATE PID RESTARTS IRQ (ID: vendor:device,
 *                     or the ACPI device's first id), as it was at the
 *                     open; DEVICE is as wide as the longest address
 *
 * Served from the main loop like init's init: (the server fd is
 * non-blocking and in the loop's poll), so the handlers read the tables
 * with no lock. A handle is a slot below with its snapshot (heap) and
 * read position; handles are slot + 1.
 */
#include <string.h>
#include "mgr.h"
#include "rb/malloc.h"
#include "rb/server.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define HANDLES 16
#define SNAP_MAX (32 * 1024)

static struct snap {
	char *data;
	size_t len, pos;
} snaps[HANDLES];

static struct rb_server srv;
static bool serving;

static struct snap *snap_of(const struct rb_server_call *c)
{
	uint64_t h = c->req->handle;
	return h >= 1 && h <= HANDLES && snaps[h - 1].data ? &snaps[h - 1] : NULL;
}

static const struct mproc *proc_of(const struct mgr *m, const char *addr, unsigned rule)
{
	for (unsigned i = 0; i < m->nprocs; i++)
		if (m->procs[i].rule == rule && !strcmp(m->procs[i].addr, addr))
			return &m->procs[i];
	return NULL;
}

/* The line of device d into buf: its length. */
static size_t dev_line(const struct mgr *m, const struct mdev *d, int w, char *buf, size_t n)
{
	const struct drv_pair *best = NULL;
	for (size_t i = 0; i < m->pairs.n; i++) {
		const struct drv_pair *p = &m->pairs.v[i];
		if (strcmp(p->addr, d->d.addr))
			continue;
		if (!best || (best->state == DRV_PAIR_SKIPPED && p->state != DRV_PAIR_SKIPPED))
			best = p; /* the live pair if any, else the first skipped */
	}
	char state[64] = "no driver", irq[DRV_MODE_MAX + 1] = "-";
	const char *name = "-";
	int pid = 0;
	unsigned restarts = 0;
	if (best) {
		drv_pair_describe(best, state, sizeof state);
		name = m->rules[best->rule].name;
		const struct mproc *pr = proc_of(m, best->addr, best->rule);
		pid = pr ? pr->pid : 0;
		restarts = best->restarts;
		if (best->mode[0])
			strcpy(irq, best->mode);
	} else if (d->ncands) {
		strcpy(state, "waiting");
	}
	char id[16];
	if (d->d.bus == DRV_BUS_ACPI)
		rb_snprintf(id, sizeof id, "%s", d->hid);
	else
		rb_snprintf(id, sizeof id, "%04x:%04x", d->d.vendor, d->d.device);
	return (size_t)rb_snprintf(buf, n, "%-*s %-9s %-14s %-24s %5d %8u %s\n", w, d->d.addr, id,
				   name, state, pid, restarts, irq);
}

static size_t status_text(const struct mgr *m, char *buf, size_t n)
{
	int w = 13; /* "0000:00:04.0 ", or the longest ACPI path */
	for (unsigned i = 0; i < m->ndevs; i++)
		if ((int)strlen(m->devs[i].d.addr) > w)
			w = (int)strlen(m->devs[i].d.addr);
	size_t used = (size_t)rb_snprintf(buf, n, "%-*s %-9s %-14s %-24s %5s %8s %s\n", w, "DEVICE",
					  "ID", "DRIVER", "STATE", "PID", "RESTARTS", "IRQ");
	for (unsigned i = 0; i < m->ndevs && used < n; i++)
		used += dev_line(m, &m->devs[i], w, buf + used, n - used);
	return used < n ? used : n - 1;
}

static long do_open(struct rb_server *s, struct rb_server_call *c)
{
	const char *p = c->path;
	while (*p == '/')
		p++;
	if (strcmp(p, "status"))
		return -E_NOENT;
	if ((c->req->a & RB_O_ACCMODE) != RB_O_RDONLY)
		return -E_ACCES;
	size_t slot = 0;
	while (slot < HANDLES && snaps[slot].data)
		slot++;
	if (slot == HANDLES)
		return -E_MFILE;
	struct snap *h = &snaps[slot];
	if (!(h->data = rb_malloc(SNAP_MAX)))
		return -E_NOMEM;
	h->len = status_text(s->ctx, h->data, SNAP_MAX);
	h->pos = 0;
	return (long)slot + 1;
}

static long do_close(struct rb_server *s, struct rb_server_call *c)
{
	struct snap *h = snap_of(c);
	if (h) {
		rb_free(h->data);
		h->data = NULL;
	}
	return 0;
}

static long do_read(struct rb_server *s, struct rb_server_call *c)
{
	struct snap *h = snap_of(c);
	if (!h)
		return -E_BADF;
	size_t n = MIN(h->len - h->pos, c->out_max);
	memcpy(c->out, h->data + h->pos, n);
	h->pos += n;
	c->out_len = n;
	return (long)n;
}

static const struct rb_server_ops ops = {.open = do_open, .close = do_close, .read = do_read};

int scheme_start(struct mgr *m)
{
	int fd = rb_scheme_create("drivers", RB_O_NONBLOCK); /* read in the main loop's poll */
	if (fd < 0) {
		mgr_log("cannot serve drivers: (%s)", err_name(fd));
		return -1;
	}
	srv = (struct rb_server){.fd = fd, .ops = &ops, .ctx = m};
	serving = true;
	return fd;
}

void scheme_serve(struct mgr *m)
{
	static char *req, *ans;
	if (!req)
		req = rb_malloc(RB_SERVER_REQ_BUF);
	if (!ans)
		ans = rb_malloc(RB_SERVER_ANS_BUF);
	if (!serving || !req || !ans)
		return;
	for (;;) {
		long n = rb_read(srv.fd, req, RB_SERVER_REQ_BUF);
		if (n == -E_INTR)
			continue;
		if (n <= 0)
			return;
		rb_server_handle(&srv, req, (size_t)n, ans);
	}
}

int scheme_print_status(void)
{
	int fd = rb_open("drivers:/status", RB_O_RDONLY);
	if (fd < 0) {
		rb_printf("driver-manager: drivers:/status: %s (is driver-manager running?)\n",
			  err_name(fd));
		return 1;
	}
	char buf[4096];
	long n;
	while ((n = rb_read(fd, buf, sizeof buf)) > 0)
		rb_write(1, buf, (size_t)n);
	rb_close(fd);
	return n < 0;
}
