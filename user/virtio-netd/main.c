/*
 * virtio-netd - the virtio-net driver (virtio 1.1 §5.1 over the modern
 * PCI transport): one process per device, serving it as `net:`.
 *
 *   virtio-netd SSSS:BB:DD.F
 *
 * Nodes: `net:/` lists `eth0`. `net:/eth0` is the raw Ethernet link: a
 * read returns one received frame (header, no FCS; cut to the reader's
 * buffer), waiting for one unless the file is O_NONBLOCK (then EAGAIN);
 * a write sends one whole frame of 14..1514 bytes (EINVAL otherwise).
 * poll() gives POLLIN while a frame waits, POLLOUT always. Every handle
 * reads from the one backlog (nic.h: the last NIC_BACKLOG frames; older
 * ones are dropped and counted). `net:/eth0/mac` reads
 * "52:54:00:12:34:56\n".
 *
 * Naming: scheme names are registered once, where initfs/etc/scheme.policy
 * allows; this first driver serves `net:` itself, so one device is
 * served (a second instance fails to register and says fatal).
 *
 * Status on fd 3: `ready MODE` once serving, `unsupported REASON` (not
 * virtio-net, legacy-only, VERSION_1 refused), `defer REASON` (claimed
 * by someone else), `fatal REASON`; all but ready then exit 1. SIGTERM
 * resets the device (stopping its DMA) and exits 0.
 *
 * Blocking reads do not hold a worker: a read that finds no frame is
 * kept in the waiting table and answered later (RB_SERVER_DEFER), oldest
 * first, by the receive thread when frames arrive (nic.on_rx). CANCEL
 * and CLOSE drop the waiting reads they name unanswered (the caller gave
 * them up).
 *
 * Locking: the handle table and handle offsets are guarded by tbl_lock
 * (handles are never freed memory: a worker racing a CLOSE sees a stale
 * slot whose generation no longer matches: EBADF). wait_lock guards the
 * waiting table and is held from a reader's look at the backlog to its
 * entry in the table, and by the receive thread from taking frames to
 * answering, so no frame is missed between the two. Order: wait_lock,
 * then nic.c's rx_lock; tbl_lock is never held with either. The device
 * is nic.c's.
 */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "nic.h"
#include "rb/server.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NAME "virtio-netd"
#define HANDLES 64
#define WORKERS 8
#define WAITING 64 /* blocked reads (more: EAGAIN) */

enum node { NODE_DIR, NODE_ETH, NODE_MAC };

struct handle {
	bool used;
	uint16_t gen;
	enum node node;
	uint64_t off; /* mac: byte offset; dir: entry index */
};

static struct drv_dev dev;
static struct nic nic;
static struct rb_server srv;
static bool serving; /* atomic: set once srv is registered */
static struct rb_mutex tbl_lock = RB_MUTEX_INIT;
static struct handle handles[HANDLES];

struct waiting {
	bool used;
	uint64_t seq, id, handle; /* seq: arrival order */
	size_t max;		  /* the reader's buffer */
};

static struct rb_mutex wait_lock = RB_MUTEX_INIT;
static struct waiting waiting[WAITING];
static uint64_t wait_seq;

static uint64_t handle_id(unsigned i)
{
	return (uint64_t)handles[i].gen << 16 | (i + 1);
}

/* The live handle a request names (under tbl_lock), or NULL. */
static struct handle *handle_of(const struct rb_req *r)
{
	unsigned i = (unsigned)(r->handle & 0xffff);
	if (i == 0 || i > HANDLES)
		return NULL;
	struct handle *h = &handles[i - 1];
	return h->used && h->gen == (uint16_t)(r->handle >> 16) ? h : NULL;
}

static int handle_get(const struct rb_req *r, struct handle *out)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(r);
	if (h)
		*out = *h;
	rb_mutex_unlock(&tbl_lock);
	return h ? 0 : -E_BADF;
}

static long handle_new(enum node node)
{
	long r = -E_MFILE;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < HANDLES; i++) {
		struct handle *h = &handles[i];
		if (!h->used) {
			*h = (struct handle){true, (uint16_t)(h->gen + 1), node, 0};
			r = (long)handle_id(i);
			break;
		}
	}
	rb_mutex_unlock(&tbl_lock);
	return r;
}

static void handle_set_off(const struct rb_req *r, uint64_t off)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(r);
	if (h)
		h->off = off;
	rb_mutex_unlock(&tbl_lock);
}

/* Tell the kernel every eth0 handle's readiness. */
static void eth_events(void)
{
	if (!__atomic_load_n(&serving, __ATOMIC_ACQUIRE))
		return;
	unsigned ev = RB_POLLOUT | (nic_pending(&nic) ? RB_POLLIN : 0);
	uint64_t ids[HANDLES];
	unsigned n = 0;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < HANDLES; i++)
		if (handles[i].used && handles[i].node == NODE_ETH)
			ids[n++] = handle_id(i);
	rb_mutex_unlock(&tbl_lock);
	for (unsigned i = 0; i < n; i++)
		(void)rb_server_event(&srv, ids[i], ev);
}

static int node_lookup(const char *p)
{
	while (*p == '/')
		p++;
	if (*p == '\0')
		return NODE_DIR;
	if (strcmp(p, "eth0") == 0)
		return NODE_ETH;
	if (strcmp(p, "eth0/mac") == 0)
		return NODE_MAC;
	return -E_NOENT;
}

static void mac_text(char buf[NET_MAC_STR + 1])
{
	net_mac_fmt(nic.mac, buf);
	buf[NET_MAC_STR - 1] = '\n';
	buf[NET_MAC_STR] = '\0';
}

static long op_open(struct rb_server *s, struct rb_server_call *c)
{
	int n = node_lookup(c->path);
	if (n < 0)
		return n;
	int acc = (int)c->req->a & RB_O_ACCMODE;
	if (n != NODE_ETH && acc != RB_O_RDONLY)
		return n == NODE_DIR ? -E_ISDIR : -E_ACCES;
	if (n == NODE_ETH && c->req->uid != 0)
		return -E_ACCES; /* the raw link is root's */
	long h = handle_new((enum node)n);
	if (h > 0 && n == NODE_ETH) {
		c->flags = RB_ANS_EVENTS;
		c->events = RB_POLLOUT | (nic_pending(&nic) ? RB_POLLIN : 0);
	}
	return h;
}

static long op_dup(struct rb_server *s, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	long r = handle_new(h.node);
	if (r > 0 && h.node == NODE_ETH) {
		c->flags = RB_ANS_EVENTS;
		c->events = RB_POLLOUT | (nic_pending(&nic) ? RB_POLLIN : 0);
	}
	return r;
}

static long op_close(struct rb_server *s, struct rb_server_call *c)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(c->req);
	if (h)
		h->used = false;
	rb_mutex_unlock(&tbl_lock);
	rb_mutex_lock(&wait_lock);
	for (unsigned i = 0; i < WAITING; i++)
		if (waiting[i].used && waiting[i].handle == c->req->handle)
			waiting[i].used = false;
	rb_mutex_unlock(&wait_lock);
	return 0;
}

static long op_cancel(struct rb_server *s, struct rb_server_call *c)
{
	rb_mutex_lock(&wait_lock);
	for (unsigned i = 0; i < WAITING; i++)
		if (waiting[i].used && waiting[i].id == c->req->a)
			waiting[i].used = false;
	rb_mutex_unlock(&wait_lock);
	return 0;
}

/* The oldest waiting read, or NULL. Under wait_lock. */
static struct waiting *oldest_waiting(void)
{
	struct waiting *w = NULL;
	for (unsigned i = 0; i < WAITING; i++)
		if (waiting[i].used && (!w || waiting[i].seq < w->seq))
			w = &waiting[i];
	return w;
}

/*
 * Answer waiting reads, oldest first, while frames wait. Under wait_lock;
 * every reader calls it first, so a frame goes to a read that has waited
 * before one that came after it, whichever thread sees the frame first.
 */
static void deliver_locked(void)
{
	static uint8_t frame[NET_ETH_MAX]; /* under wait_lock */
	struct waiting *w;
	while ((w = oldest_waiting()) != NULL) {
		long n = nic_recv(&nic, frame, MIN(w->max, sizeof frame));
		if (n < 0)
			break;
		w->used = false;
		(void)rb_server_answer(&srv, w->id, n, frame, (size_t)n);
	}
}

/* The receive thread's hook: answer waiting reads with new frames, then update poll state. */
static void on_rx(void)
{
	rb_mutex_lock(&wait_lock);
	deliver_locked();
	rb_mutex_unlock(&wait_lock);
	eth_events();
}

static long eth_read(struct rb_server_call *c)
{
	rb_mutex_lock(&wait_lock);
	deliver_locked();
	long r = nic_recv(&nic, c->out, c->out_max);
	if (r >= 0) {
		rb_mutex_unlock(&wait_lock);
		c->out_len = (size_t)r;
		if (!nic_pending(&nic))
			eth_events();
		return r;
	}
	r = -E_AGAIN;
	if (!(c->req->flags & RB_O_NONBLOCK)) {
		for (unsigned i = 0; i < WAITING; i++) {
			if (!waiting[i].used) {
				waiting[i] = (struct waiting){true, wait_seq++, c->req->id,
							      c->req->handle, c->out_max};
				r = RB_SERVER_DEFER;
				break;
			}
		}
	}
	rb_mutex_unlock(&wait_lock);
	return r;
}

static long op_read(struct rb_server *s, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	if (h.node == NODE_DIR)
		return -E_ISDIR;
	if (h.node == NODE_ETH)
		return eth_read(c);
	char text[NET_MAC_STR + 1];
	mac_text(text);
	size_t len = NET_MAC_STR;
	size_t n = h.off >= len ? 0 : MIN(len - h.off, c->out_max);
	memcpy(c->out, text + h.off, n);
	c->out_len = n;
	handle_set_off(c->req, h.off + n);
	return (long)n;
}

static long op_write(struct rb_server *s, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0 || h.node != NODE_ETH)
		return -E_BADF;
	int r = nic_send(&nic, c->payload, c->req->len);
	return r < 0 ? r : (long)c->req->len;
}

static long op_fstat(struct rb_server *s, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	struct rb_stat st = {0};
	st.mode = h.node == NODE_DIR ? 0x4000 : h.node == NODE_ETH ? 0x2000 : 0x8000;
	st.size = h.node == NODE_MAC ? NET_MAC_STR : 0;
	size_t len = MIN(sizeof st, c->out_max);
	memcpy(c->out, &st, len);
	c->out_len = len;
	return 0;
}

static long op_getdents(struct rb_server *s, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	if (h.node != NODE_DIR)
		return -E_NOTDIR;
	if (h.off > 0)
		return 0;
	static const char name[] = "eth0";
	size_t nl = sizeof name - 1, reclen = ALIGN_UP(3 + nl + 1, (size_t)8);
	if (reclen > c->out_max)
		return -E_INVAL;
	memset(c->out, 0, reclen);
	struct rb_dirent d = {.reclen = (unsigned short)reclen, .type = RB_DT_REG};
	memcpy(c->out, &d, 3);
	memcpy((uint8_t *)c->out + 3, name, nl);
	handle_set_off(c->req, 1);
	c->out_len = reclen;
	return (long)reclen;
}

static long op_fpath(struct rb_server *s, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	const char *p = h.node == NODE_DIR ? "/" : h.node == NODE_ETH ? "/eth0" : "/eth0/mac";
	size_t len = MIN(strlen(p), c->out_max);
	memcpy(c->out, p, len);
	c->out_len = len;
	return (long)len;
}

static const struct rb_server_ops ops = {
    .open = op_open,
    .close = op_close,
    .read = op_read,
    .write = op_write,
    .fstat = op_fstat,
    .getdents = op_getdents,
    .fpath = op_fpath,
    .dup = op_dup,
    .cancel = op_cancel,
};

static void on_term(int sig)
{
	nic_stop(&nic); /* no DMA into memory the exit frees */
	drv_log(&dev, "SIGTERM: device reset, exiting 0");
	rb_exit(0);
}

static bool is_virtio_net_cfg(const uint8_t cfg[16])
{
	return virtio_pci_is(cfg, VIRTIO_ID_NET, VIRTIO_PCI_TRANS_NET);
}

int main(int argc, char **argv)
{
	int index; /* one NIC is eth0 for now (docs/net.md) */
	int r = drv_start(NAME, argc, argv, is_virtio_net_cfg, "virtio-net device", &index, &dev);
	if (r)
		return r;
	struct rb_sigaction sa = {.handler = on_term};
	(void)rb_sigaction(RB_SIGTERM, &sa, NULL);
	nic.on_rx = on_rx;
	r = nic_start(&nic, &dev);
	if (r == -E_NODEV)
		return drv_give_up(&dev, "unsupported",
				   "legacy-only virtio device (no modern interface)");
	if (r == -E_NOTSUP)
		return drv_give_up(&dev, "unsupported",
				   "VIRTIO_F_VERSION_1 not offered or features refused");
	if (r < 0) {
		nic_stop(&nic);
		return drv_give_up(&dev, "fatal", err_name(r));
	}
	r = rb_server_init(&srv, "net", &ops, NULL);
	if (r < 0) {
		nic_stop(&nic);
		char why[64];
		rb_snprintf(why, sizeof why, "register scheme net: %s", err_name(r));
		return drv_give_up(&dev, "fatal", why);
	}
	__atomic_store_n(&serving, true, __ATOMIC_RELEASE);
	char mode[32], mac[NET_MAC_STR];
	drv_irq_name(&nic.irq, mode, sizeof mode);
	drv_log(&dev, "eth0 %s%s, %u receive buffers, %s", net_mac_fmt(nic.mac, mac),
		nic.mac_from_device ? "" : " (chosen: the device gives none)", nic.rxq.vq.size,
		mode);
	drv_status("ready %s", mode);
	r = rb_server_run(&srv, WORKERS);
	nic_stop(&nic);
	return r < 0 ? 1 : 0;
}
