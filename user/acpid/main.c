/*
 * main.c - acpid: ACPI in user space (docs/acpid.md).
 *
 * At start: the firmware tables (tables.c), the FADT and the SCI's GSI, the
 * EC from the ECDT, lib/aml loaded with the DSDT and SSDTs and the region
 * handlers of region.c, the boot-time _STA/_INI (aml_initialize), then
 * \_PIC(1) (APIC mode, so _PRT answers for the IOAPIC), the EC from its
 * device if no ECDT, and power.c's power_init. Then one loop polls the
 * acpi: server fd and the SCI fd: requests are served by the handlers
 * below (interface: docs/acpid.md), the SCI goes to power_sci and then
 * to pcihp_run (hot-plug notes the GPE methods left).
 *
 * Nothing stops acpid but its server fd failing: no tables (ENOSYS, EPERM),
 * a bad table or a broken AML method are logged and the scheme serves what
 * there is. acpid is one thread: main owns the one struct acpid_state and
 * the handle table; nothing is locked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/fadt.h"
#include "acpi/madt.h"
#include "aml/aml.h"
#include "base/err.h"
#include "internal.h"
#include "rb/server.h"
#include "rb/sys.h"
#include "usage.h"

static const char usage[] =
    "usage: acpid\n"
    "Serve acpi: (docs/acpid.md): the firmware's ACPI tables (acpi:/tables/),\n"
    "PCI INTx routes from _PRT (acpi:/route/SSSS:BB:DD.F/PIN), power-off and\n"
    "reboot (acpi:/power), the present devices with their ACPI ids\n"
    "(acpi:/devices) and a status text (acpi:/status). Started by init.\n";

enum hkind { H_FREE, H_ROOT, H_TABLES, H_TABLE, H_TEXT, H_POWER, H_DEVICES };

#define MAX_HANDLES 64
#define TEXT_MAX 768

struct handle {
	enum hkind kind;
	uint64_t pos;
	struct acpid_table *t;
	size_t len;	     /* H_TEXT: bytes of text */
	char text[TEXT_MAX]; /* H_TEXT: the route or status, fixed at open */
};

static struct acpid_state st;
static struct handle handles[MAX_HANDLES];

static struct handle *handle_of(struct rb_server_call *c)
{
	uint64_t h = c->req->handle;

	if (h == 0 || h > MAX_HANDLES || handles[h - 1].kind == H_FREE)
		return NULL;
	return &handles[h - 1];
}

static size_t status_text(char *out, size_t cap)
{
	int n = snprintf(out, cap,
			 "fwtables %s\n"
			 "tables %u\n"
			 "tables_skipped %u\n"
			 "aml_tables %u\n"
			 "aml_errors %u\n"
			 "region_errors %u\n"
			 "refused_spaces %#x\n"
			 "cache_bytes %zu of %u\n",
			 st.fw_err ? err_name(st.fw_err) : "ok", st.ntables, st.bad_tables,
			 st.aml_tables, st.aml_errors, st.region_errors, st.refused_spaces,
			 st.cache_bytes, ACPID_CACHE_MAX);
	if (n < 0 || (size_t)n >= cap)
		return n < 0 ? 0 : cap - 1;
	if (st.ec.present)
		n += snprintf(out + n, cap - (size_t)n, "ec %#x %#x timeouts %u\n", st.ec.sc,
			      st.ec.data, st.ec.timeouts);
	else
		n += snprintf(out + n, cap - (size_t)n, "ec none\n");
	if ((size_t)n < cap) {
		if (st.a.sci_gsi >= 0)
			n += snprintf(out + n, cap - (size_t)n, "sci gsi %d %s\n", st.a.sci_gsi,
				      st.sci_fd >= 0 ? "enabled" : "not watched");
		else
			n += snprintf(out + n, cap - (size_t)n, "sci none\n");
	}
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The bytes a readable handle has: a table's, a text's, the device list's. */
static uint64_t text_len(const struct handle *hd)
{
	return hd->kind == H_TABLE ? hd->t->len : hd->kind == H_DEVICES ? st.devs_len : hd->len;
}

static long do_open(struct rb_server *s, struct rb_server_call *c)
{
	const char *p = c->path;
	struct handle *hd = NULL;
	enum hkind kind;
	int i;

	while (*p == '/')
		p++;
	if (*p == 0)
		kind = H_ROOT;
	else if (strcmp(p, "tables") == 0 || strcmp(p, "tables/") == 0)
		kind = H_TABLES;
	else if (strncmp(p, "tables/", 7) == 0 && tables_find(&st, p + 7))
		kind = H_TABLE;
	else if (strcmp(p, "status") == 0 || strncmp(p, "route/", 6) == 0)
		kind = H_TEXT;
	else if (strcmp(p, "power") == 0)
		kind = H_POWER;
	else if (strcmp(p, "devices") == 0)
		kind = H_DEVICES;
	else
		return -E_NOENT;
	if (kind != H_POWER && (c->req->a & RB_O_ACCMODE) != 0)
		return kind == H_ROOT || kind == H_TABLES ? -E_ISDIR : -E_ACCES;
	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].kind == H_FREE) {
			hd = &handles[i];
			break;
		}
	if (!hd)
		return -E_MFILE;
	*hd = (struct handle){.kind = kind};
	if (kind == H_TABLE)
		hd->t = tables_find(&st, p + 7);
	if (kind == H_TEXT && p[0] == 's') {
		hd->len = status_text(hd->text, sizeof(hd->text));
	} else if (kind == H_TEXT) {
		int r = route_query(&st, p + 6, hd->text, sizeof(hd->text));
		if (r) {
			hd->kind = H_FREE;
			return r;
		}
		hd->len = strlen(hd->text);
	}
	return i + 1;
}

static long do_close(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);

	if (hd)
		hd->kind = H_FREE;
	return 0;
}

static long do_read(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	const uint8_t *src;
	uint64_t len;
	size_t n;

	if (!hd)
		return -E_BADF;
	if (hd->kind == H_ROOT || hd->kind == H_TABLES)
		return -E_ISDIR;
	if (hd->kind == H_POWER)
		return -E_BADF;
	if (hd->kind == H_TABLE) {
		src = tables_bytes(&st, hd->t);
		if (!src)
			return -E_IO;
		len = hd->t->len;
	} else if (hd->kind == H_DEVICES) {
		src = (const uint8_t *)st.devs;
		len = st.devs_len;
	} else {
		src = (const uint8_t *)hd->text;
		len = hd->len;
	}
	if (hd->pos >= len)
		return 0;
	n = (size_t)(len - hd->pos);
	if (n > c->out_max)
		n = c->out_max;
	memcpy(c->out, src + hd->pos, n);
	hd->pos += n;
	c->out_len = n;
	return (long)n;
}

static long do_seek(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	int64_t off = (int64_t)c->req->a, base;

	if (!hd)
		return -E_BADF;
	if (hd->kind != H_TABLE && hd->kind != H_TEXT && hd->kind != H_DEVICES)
		return -E_SPIPE;
	base = c->req->b == RB_SEEK_SET	  ? 0
	       : c->req->b == RB_SEEK_CUR ? (int64_t)hd->pos
	       : c->req->b == RB_SEEK_END ? (int64_t)text_len(hd)
					  : -1;
	if (base < 0 || base + off < 0)
		return -E_INVAL;
	hd->pos = (uint64_t)(base + off);
	return (long)hd->pos;
}

static long do_write(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	char cmd[16];
	size_t n = c->req->len;
	bool was;
	int r;

	if (!hd || hd->kind != H_POWER)
		return -E_BADF;
	if (c->req->uid != 0)
		return -E_PERM;
	while (n > 0 && (((const char *)c->payload)[n - 1] == '\n'))
		n--;
	if (n >= sizeof(cmd))
		return -E_INVAL;
	memcpy(cmd, c->payload, n);
	cmd[n] = 0;
	if (strcmp(cmd, "poweroff") != 0 && strcmp(cmd, "reboot") != 0)
		return -E_INVAL;
	printf("acpid: %s requested by pid %d\n", cmd, c->req->pid);
	was = st.a.shutting_down;
	r = cmd[0] == 'p' ? power_off(&st.a) : power_reboot(&st.a);
	/* they return only on failure: a press's shutdown still under way stays noted */
	st.a.shutting_down = was;
	return r < 0 ? r : -E_IO;
}

static long do_fstat(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	struct rb_stat sb = {0};

	if (!hd)
		return -E_BADF;
	if (hd->kind == H_ROOT || hd->kind == H_TABLES) {
		sb.mode = RB_S_IFDIR | 0555;
	} else if (hd->kind == H_TABLE) {
		sb.mode = RB_S_IFREG | 0444;
		sb.size = hd->t->len;
	} else if (hd->kind == H_TEXT || hd->kind == H_DEVICES) {
		sb.mode = RB_S_IFREG | 0444;
		sb.size = text_len(hd);
	} else {
		sb.mode = RB_S_IFREG | 0200;
	}
	memcpy(c->out, &sb, sizeof(sb));
	c->out_len = sizeof(sb);
	return 0;
}

/* Append one record for name; false when out is full. */
static bool put_dirent(struct rb_server_call *c, const char *name, unsigned char type)
{
	size_t len = strlen(name), rec = (3 + len + 1 + 7) & ~(size_t)7;
	struct rb_dirent *d;

	if (c->out_len + rec > c->out_max)
		return false;
	d = (struct rb_dirent *)((char *)c->out + c->out_len);
	memset(d, 0, rec);
	d->reclen = (unsigned short)rec;
	d->type = type;
	memcpy(d->name, name, len + 1);
	c->out_len += rec;
	return true;
}

static long do_getdents(struct rb_server *s, struct rb_server_call *c)
{
	static const char *const root[] = {"tables", "route", "power", "status", "devices"};
	struct handle *hd = handle_of(c);

	if (!hd)
		return -E_BADF;
	c->out_len = 0;
	if (hd->kind == H_ROOT) {
		for (; hd->pos < ARRAY_SIZE(root); hd->pos++)
			if (!put_dirent(c, root[hd->pos], hd->pos < 2 ? RB_DT_DIR : RB_DT_REG))
				break;
	} else if (hd->kind == H_TABLES) {
		for (; hd->pos < st.ntables; hd->pos++)
			if (!put_dirent(c, st.tables[hd->pos].name, RB_DT_REG))
				break;
	} else {
		return -E_NOTDIR;
	}
	if (c->out_len == 0 && ((hd->kind == H_ROOT && hd->pos < ARRAY_SIZE(root)) ||
				(hd->kind == H_TABLES && hd->pos < st.ntables)))
		return -E_INVAL; /* the buffer cannot hold one record */
	return (long)c->out_len;
}

static const struct rb_server_ops ops = {
    .open = do_open,
    .close = do_close,
    .read = do_read,
    .write = do_write,
    .seek = do_seek,
    .fstat = do_fstat,
    .getdents = do_getdents,
};

static void load_fadt(void)
{
	struct acpid_table *t = tables_sig(&st, "FACP"), *m = tables_sig(&st, "APIC");
	static struct madt_info madt;
	const uint8_t *p;

	st.a.sci_gsi = -1;
	if (!t || !(p = tables_bytes(&st, t)))
		return;
	if (fadt_parse(p, t->len, &st.a.fadt)) {
		printf("acpid: FADT refused\n");
		return;
	}
	st.a.have_fadt = true;
	if (fadt_hw_reduced(&st.a.fadt))
		return;
	st.a.sci_gsi = st.a.fadt.sci_int;
	if (m && (p = tables_bytes(&st, m)) && madt_parse(p, m->len, &madt) == 0 &&
	    st.a.fadt.sci_int < 16)
		st.a.sci_gsi = (int)madt_isa_irq_to_gsi(&madt, (uint8_t)st.a.fadt.sci_int, NULL);
}

/* lib/aml's Notify hook: power.c looks for a control-method power
   button, pcihp.c for hot-plug (both only note it here). */
static void on_notify(void *ctx, const char *path, uint64_t value)
{
	power_notify(ctx, path, value);
	pcihp_notify(ctx, path, value);
}

static void load_aml(void)
{
	static struct aml_host host;
	struct aml_value one = {.type = AML_INTEGER, .integer = 1}, r;
	struct aml *aml;

	region_host(&st, &host);
	if (aml_create(&host, &aml)) {
		printf("acpid: AML interpreter: out of memory\n");
		return;
	}
	/* the DSDT first, then every SSDT in the firmware's order */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < st.ntables; i++) {
			struct acpid_table *t = &st.tables[i];
			int idx;
			if (!t->map || (pass == 0) != (strcmp(t->sig, "DSDT") == 0))
				continue;
			if (aml_load_table(aml, t->map, t->len, &idx)) {
				st.aml_errors++;
				printf("acpid: %s not loaded: %s\n", t->name, aml_last_error(aml));
				continue;
			}
			st.aml_tables++;
		}
	if (st.aml_tables == 0) {
		aml_destroy(aml);
		printf("acpid: no AML loaded\n");
		return;
	}
	st.a.aml = aml;
	aml_set_notify(aml, on_notify, &st.a);
	if (aml_initialize(aml)) {
		st.aml_errors++;
		printf("acpid: _STA/_INI: %s\n", aml_last_error(aml));
	}
	if (aml_exists(aml, "\\_PIC", NULL)) {
		if (aml_eval(aml, "\\_PIC", &one, 1, &r)) {
			st.aml_errors++;
			printf("acpid: \\_PIC(1): %s\n", aml_last_error(aml));
		} else {
			aml_value_free(aml, &r);
		}
	}
	printf("acpid: AML: %u tables loaded\n", st.aml_tables);
}

int main(int argc, char **argv)
{
	struct rb_server srv;
	int r;

	usage_help(argc, argv, usage);
	if (argc > 1)
		usage_fail(argv[0], usage, "unexpected argument '%s'", argv[1]);
	st.sci_fd = -1;
	tables_init(&st);
	load_fadt();
	ec_init_ecdt(&st);
	load_aml();
	ec_init_device(&st);
	devices_list(&st);
	r = rb_server_init(&srv, "acpi", &ops, &st);
	if (r < 0) {
		printf("acpid: cannot register acpi: %s\n", err_name(r));
		return 1;
	}
	if (st.ntables)
		st.sci_fd = power_init(&st.a);
	/* On the heap: 1 MiB each, mapped as they are touched (a static
	   array would be mapped whole at exec). */
	uint8_t *req = malloc(RB_SERVER_REQ_BUF), *ans = malloc(RB_SERVER_ANS_BUF);
	if (!req || !ans) {
		printf("acpid: no memory for the server's buffers\n");
		return 1;
	}
	printf("acpid: serving acpi:\n");
	for (;;) {
		struct rb_pollfd pf[2] = {{.fd = srv.fd, .events = RB_POLLIN},
					  {.fd = st.sci_fd, .events = RB_POLLIN}};
		long n;

		r = rb_poll(pf, st.sci_fd >= 0 ? 2 : 1, -1);
		if (r < 0 && r != -E_INTR) {
			printf("acpid: poll: %s\n", err_name(r));
			return 1;
		}
		if (r <= 0)
			continue;
		if (st.sci_fd >= 0 && pf[1].revents) {
			power_sci(&st.a, st.sci_fd);
			/* after the acknowledgement: an eject may wait seconds */
			pcihp_run(&st.a);
		}
		if (!pf[0].revents)
			continue;
		n = rb_read(srv.fd, req, RB_SERVER_REQ_BUF);
		if (n == -E_INTR || n == -E_AGAIN)
			continue;
		if (n < 0) {
			printf("acpid: server read: %s\n", err_name((int)n));
			return 1;
		}
		rb_server_handle(&srv, req, (size_t)n, ans);
	}
}
