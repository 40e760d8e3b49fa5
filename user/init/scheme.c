/*
 * scheme.c - the init: scheme (docs/init.md, "The init: scheme").
 *
 *   init:/services   read: one line per service, "name state pid restarts
 *                    uptime last_exit" (report.c), as it was at the open
 *   init:/timeline   read: the boot timeline JSON, as it was at the open;
 *                    write (uid 0; driver-manager): one driver event per
 *                    write, `driver ADDR NAME EVENT` (lib/svc/drvtl.h),
 *                    stamped when read; EINVAL for a bad one
 *   init:/control    write one command per write: restart NAME, stop NAME,
 *                    start NAME, poweroff, reboot; uid 0 only (EPERM),
 *                    ENOENT for an unknown service, EINVAL for a bad command
 *
 * Served from init's main loop, not from worker threads: the server fd
 * is non-blocking and in the loop's poll; scheme_serve() answers every
 * request queued (rb_server_handle) and returns at EAGAIN. So the
 * handlers run in the main thread and use init's state freely. A handle
 * is a slot of the table below: its kind, and for a reader the snapshot
 * taken at open (heap) and the read position. Handles are slot + 1.
 */
#include <string.h>
#include "init.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "svc/ctl.h"

#define HANDLES 32
#define SNAP_MAX (32 * 1024)

enum kind { H_FREE, H_SERVICES, H_TIMELINE, H_CONTROL, H_EVENTS };

static struct handle {
	enum kind kind;
	char *data;
	size_t len, pos;
} handles[HANDLES];

static struct handle *handle_of(const struct rb_server_call *c)
{
	uint64_t h = c->req->handle;
	return h >= 1 && h <= HANDLES && handles[h - 1].kind != H_FREE ? &handles[h - 1] : NULL;
}

static long do_open(struct rb_server *srv, struct rb_server_call *c)
{
	struct init *in = srv->ctx;
	const char *p = c->path;
	while (*p == '/')
		p++;
	enum kind k = !strcmp(p, "services")   ? H_SERVICES
		      : !strcmp(p, "timeline") ? H_TIMELINE
		      : !strcmp(p, "control")  ? H_CONTROL
					       : H_FREE;
	if (k == H_FREE)
		return -E_NOENT;
	int mode = (int)(c->req->a & RB_O_ACCMODE);
	if (k == H_TIMELINE && mode == RB_O_WRONLY)
		k = H_EVENTS;
	else if ((k == H_CONTROL) != (mode != RB_O_RDONLY))
		return k == H_CONTROL ? -E_INVAL : -E_ACCES;
	size_t slot = 0;
	while (slot < HANDLES && handles[slot].kind != H_FREE)
		slot++;
	if (slot == HANDLES)
		return -E_MFILE;
	struct handle *h = &handles[slot];
	h->data = NULL;
	h->len = h->pos = 0;
	if (k == H_SERVICES || k == H_TIMELINE) {
		h->data = rb_malloc(SNAP_MAX);
		if (!h->data)
			return -E_NOMEM;
		h->len = k == H_SERVICES ? report_services(in, h->data, SNAP_MAX)
					 : report_timeline(in, h->data, SNAP_MAX);
	}
	h->kind = k;
	return (long)slot + 1;
}

static long do_close(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c);
	if (h) {
		rb_free(h->data);
		h->data = NULL;
		h->kind = H_FREE;
	}
	return 0;
}

static long do_read(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c);
	if (!h)
		return -E_BADF;
	if (h->kind != H_SERVICES && h->kind != H_TIMELINE)
		return -E_BADF;
	size_t n = h->len - h->pos;
	if (n > c->out_max)
		n = c->out_max;
	memcpy(c->out, h->data + h->pos, n);
	h->pos += n;
	c->out_len = n;
	return (long)n;
}

static long do_write(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c);
	if (h && h->kind == H_EVENTS) {
		struct init *in = srv->ctx;
		struct drvtl_ev ev;
		if (drvtl_parse(c->payload, c->req->len, &ev) < 0)
			return -E_INVAL;
		if (c->req->uid != 0)
			return -E_PERM;
		drvtl_apply(&in->drivers, &ev, rb_now_ns());
		return (long)c->req->len;
	}
	if (!h || h->kind != H_CONTROL)
		return -E_BADF;
	int r = scheme_control(srv->ctx, c->payload, c->req->len, c->req->uid);
	return r < 0 ? r : (long)c->req->len;
}

static const struct rb_server_ops ops = {
    .open = do_open,
    .close = do_close,
    .read = do_read,
    .write = do_write,
};

/* The service called name[0..len), or SVC_NONE. */
static size_t find(const struct init *in, const char *name, size_t len)
{
	for (size_t i = 0; i < in->n; i++)
		if (strlen(in->defs[i].name) == len && !memcmp(in->defs[i].name, name, len))
			return i;
	return SVC_NONE;
}

int scheme_control(struct init *in, const char *cmd, size_t len, int uid)
{
	static const char *const verbs[] = {"restart", "stop", "start", "poweroff", "reboot"};
	struct svc_ctl c;
	if (svc_ctl_parse(cmd, len, &c) < 0)
		return -E_INVAL;
	if (uid != 0)
		return -E_PERM;
	if (c.verb == SVC_CTL_POWEROFF || c.verb == SVC_CTL_REBOOT) {
		rb_printf("init: %s (uid %d)\n", verbs[c.verb], uid);
		if (in->halt == INIT_RUN)
			stop_begin(in, c.verb == SVC_CTL_POWEROFF ? INIT_POWEROFF : INIT_REBOOT);
		return 0;
	}
	size_t i = find(in, c.name, c.name_len);
	if (i == SVC_NONE)
		return -E_NOENT;
	if (in->halt != INIT_RUN)
		return -E_BUSY;
	uint64_t now = rb_now_ns();
	int pid = in->sup.run[i].pid;
	if (c.verb == SVC_CTL_STOP) {
		if (svc_sup_stop(&in->sup, i, now))
			rb_kill(pid, RB_SIGTERM);
	} else if (c.verb == SVC_CTL_START) {
		if (!pid && !svc_sup_start(&in->sup, i))
			return -E_INVAL; /* it can never start (skipped) */
	} else {
		if (svc_sup_restart(&in->sup, i, now))
			rb_kill(pid, RB_SIGTERM);
		else if (in->sup.state[i] != SVC_WAITING)
			return -E_INVAL;
	}
	rb_printf("init: %s %s (uid %d)\n", verbs[c.verb], in->defs[i].name, uid);
	return 0;
}

void scheme_start(struct init *in)
{
	int fd = rb_scheme_create("init", RB_O_NONBLOCK); /* read in the main loop's poll */
	if (fd < 0) {
		rb_printf("init: cannot serve init: (%s)\n", err_name(fd));
		return;
	}
	in->srv.fd = fd;
	in->srv.ops = &ops;
	in->srv.ctx = in;
	in->serving = true;
}

void scheme_serve(struct init *in)
{
	static char *req, *ans;
	if (!req)
		req = rb_malloc(RB_SERVER_REQ_BUF);
	if (!ans)
		ans = rb_malloc(RB_SERVER_ANS_BUF);
	if (!req || !ans)
		return;
	for (;;) {
		long n = rb_read(in->srv.fd, req, RB_SERVER_REQ_BUF);
		if (n == -E_INTR)
			continue;
		if (n <= 0)
			return;
		rb_server_handle(&in->srv, req, (size_t)n, ans);
	}
}
