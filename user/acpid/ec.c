/*
 * ec.c - the ACPI embedded controller (ACPI 6.5 section 12): its two ports
 * come from the ECDT (usable before the AML runs) or else from the
 * PNP0C09 device's _CRS (first I/O descriptor: data, second: command/
 * status). A byte is read with command 0x80 (RD_EC) and written with 0x81
 * (WR_EC); every step waits for IBF clear or OBF set, polling the status
 * port, at most ACPID_EC_TIMEOUT_MS per byte. That is 500 ms: U20 found
 * the old 10 ms too short for slow controllers (laptop ECs busy with their
 * own work take tens of ms). A timeout is an error for the AML access,
 * counted in acpi:/status, never a hang.
 *
 * The struct ec is part of main.c's state; one thread, no locks.
 */
#include <stdio.h>
#include <string.h>

#include "acpi/rsrc.h"
#include "aml/aml.h"
#include "base/err.h"
#include "internal.h"
#include "rb/port.h"
#include "rb/sys.h"

#define EC_OBF 0x01 /* output buffer full: data for us */
#define EC_IBF 0x02 /* input buffer full: the EC has not taken our byte */
#define EC_RD 0x80
#define EC_WR 0x81

/* Wait until (status & mask) == want: 0 or -E_TIMEDOUT. */
static int ec_wait(struct ec *ec, uint8_t mask, uint8_t want, uint64_t deadline)
{
	while ((rb_inb(ec->sc) & mask) != want) {
		if (rb_now_ns() > deadline) {
			ec->timeouts++;
			return -E_TIMEDOUT;
		}
		rb_sched_yield();
	}
	return 0;
}

/* Start a transaction: the command, then the EC address (both once IBF is clear). */
static int ec_cmd(struct ec *ec, uint8_t cmd, uint8_t addr, uint64_t deadline)
{
	int r;

	if ((r = ec_wait(ec, EC_IBF, 0, deadline)))
		return r;
	rb_outb(ec->sc, cmd);
	if ((r = ec_wait(ec, EC_IBF, 0, deadline)))
		return r;
	rb_outb(ec->data, addr);
	return 0;
}

int ec_read(struct ec *ec, uint8_t addr, uint8_t *v)
{
	uint64_t deadline = rb_now_ns() + ACPID_EC_TIMEOUT_MS * 1000000ull;
	int r;

	if (!ec->present)
		return -E_NODEV;
	if ((r = ec_cmd(ec, EC_RD, addr, deadline)) || (r = ec_wait(ec, EC_OBF, EC_OBF, deadline)))
		return r;
	*v = rb_inb(ec->data);
	return 0;
}

int ec_write(struct ec *ec, uint8_t addr, uint8_t v)
{
	uint64_t deadline = rb_now_ns() + ACPID_EC_TIMEOUT_MS * 1000000ull;
	int r;

	if (!ec->present)
		return -E_NODEV;
	if ((r = ec_cmd(ec, EC_WR, addr, deadline)) || (r = ec_wait(ec, EC_IBF, 0, deadline)))
		return r;
	rb_outb(ec->data, v);
	return ec_wait(ec, EC_IBF, 0, deadline);
}

static void ec_found(struct acpid_state *st, uint64_t sc, uint64_t data, const char *from)
{
	if (sc > 0xFFFF || data > 0xFFFF || !sc || !data) {
		printf("acpid: EC from %s: bad ports %#llx/%#llx, no EC\n", from,
		       (unsigned long long)sc, (unsigned long long)data);
		return;
	}
	st->ec = (struct ec){.present = true, .sc = (uint16_t)sc, .data = (uint16_t)data};
	printf("acpid: EC at ports %#x (command) %#x (data), from %s\n", st->ec.sc, st->ec.data,
	       from);
}

/*
 * The ECDT (ACPI 6.5 5.2.16): after the header, EC_CONTROL (a GAS at 36)
 * and EC_DATA (a GAS at 48); only system I/O addresses are used.
 */
void ec_init_ecdt(struct acpid_state *st)
{
	struct acpid_table *t = tables_sig(st, "ECDT");
	const uint8_t *p;
	uint64_t sc, data;

	if (!t || t->len < 60 || !(p = tables_bytes(st, t)))
		return;
	if (p[36] != 1 || p[48] != 1) {
		printf("acpid: ECDT registers are not in I/O space, ignored\n");
		return;
	}
	memcpy(&sc, p + 40, 8);
	memcpy(&data, p + 52, 8);
	ec_found(st, sc, data, "the ECDT");
}

struct ec_find {
	unsigned k, seen;
	char path[128];
	bool found;
};

static int ec_walk(void *ctx, const char *path, enum aml_type type)
{
	struct ec_find *f = ctx;
	size_t n = strlen(path);

	if (n > 5 && strcmp(path + n - 5, "._HID") == 0 && f->seen++ == f->k &&
	    n - 5 < sizeof(f->path)) {
		memcpy(f->path, path, n - 5);
		f->path[n - 5] = 0;
		f->found = true;
		return -1;
	}
	return 0;
}

void ec_init_device(struct acpid_state *st)
{
	struct ec_find f = {0};
	char p[160];

	if (st->ec.present || !st->a.aml)
		return;
	for (f.k = 0;; f.k++) {
		struct aml_value v;
		char id[8] = "";
		f.seen = 0;
		f.found = false;
		aml_walk(st->a.aml, ec_walk, &f);
		if (!f.found)
			return;
		snprintf(p, sizeof(p), "%s._HID", f.path);
		if (aml_eval(st->a.aml, p, NULL, 0, &v))
			continue;
		if (v.type == AML_INTEGER)
			aml_eisa_id((uint32_t)v.integer, id);
		else if (v.type == AML_STRING)
			snprintf(id, sizeof(id), "%s", v.string.ptr);
		aml_value_free(st->a.aml, &v);
		if (strcmp(id, "PNP0C09") != 0)
			continue;
		snprintf(p, sizeof(p), "%s._CRS", f.path);
		if (aml_eval(st->a.aml, p, NULL, 0, &v))
			return;
		if (v.type == AML_BUFFER) {
			struct rsrc_desc d;
			uint64_t ports[2];
			size_t pos = 0;
			unsigned np = 0;
			while (np < 2 && rsrc_next(v.buffer.ptr, v.buffer.len, &pos, &d) > 0)
				if (d.kind == RSRC_IO || d.kind == RSRC_FIXED_IO)
					ports[np++] = d.min;
			if (np == 2)
				ec_found(st, ports[1], ports[0], "its _CRS");
		}
		aml_value_free(st->a.aml, &v);
		return;
	}
}
