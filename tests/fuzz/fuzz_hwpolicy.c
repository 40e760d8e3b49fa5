/*
 * fuzz_hwpolicy.c - libFuzzer target for the hardware grant policy
 * (lib/hw/hwpolicy.c).
 *
 * The input is the policy text, exactly its bytes (no NUL added, so ASan
 * catches a read past the end). Every stored rule must be well formed (a
 * known kind, one class bit for phys, first <= last for ports, a
 * printable program, a uid >= 0 or '*'), every report must carry a line
 * number inside the text and a reason, and collecting for each rule's own
 * program and uid must grant at least what that rule says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hw/hwio.h"
#include "hw/hwpolicy.h"

struct count {
	size_t lines;
};

static void on_report(void *ctx, unsigned line, const char *why)
{
	struct count *c = ctx;
	if (line == 0 || line > c->lines || !why || !why[0])
		abort();
}

static void check_rule(const struct hwpol_rule *r)
{
	size_t gl = strnlen(r->program, sizeof r->program);
	if (gl == 0 || gl > HWPOL_PROGRAM_MAX || r->uid < HWPOL_ANY_UID)
		abort();
	for (size_t i = 0; i < gl; i++)
		if (r->program[i] <= ' ' || r->program[i] >= 0x7f)
			abort();
	if (r->kind == HWPOL_PHYS && r->phys != HWPOL_PHYS_ACPI && r->phys != HWPOL_PHYS_MCFG &&
	    r->phys != HWPOL_PHYS_MMIO)
		abort();
	if (r->kind == HWPOL_PORT && !r->all_ports && r->first > r->last)
		abort();
	if (r->kind != HWPOL_IRQ && r->kind != HWPOL_PORT && r->kind != HWPOL_PHYS)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hwpol_rule rules[HWPOL_MAX_RULES];
	static struct hwpol_grant g;
	static uint8_t bm[HWIO_BYTES];
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct count c = {1};
	for (size_t i = 0; i < size; i++)
		c.lines += text[i] == '\n';
	size_t n = hwpol_parse(text, size, rules, HWPOL_MAX_RULES, on_report, &c);
	if (n > HWPOL_MAX_RULES)
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct hwpol_rule *r = &rules[i];
		check_rule(r);
		hwpol_collect(rules, n, r->program, r->uid == HWPOL_ANY_UID ? 7 : r->uid, &g);
		if ((r->kind == HWPOL_IRQ && !g.irq) ||
		    (r->kind == HWPOL_PHYS && !(g.phys & r->phys)))
			abort();
		if (r->kind == HWPOL_PORT && !r->all_ports && !g.all_ports && g.nports == 0)
			abort();
		hwio_init(bm);
		size_t used = 0;
		if (g.all_ports)
			used = hwio_open(bm, 0, HWIO_PORTS - 1, used);
		for (size_t k = 0; k < g.nports; k++)
			used = hwio_open(bm, g.ports[k].first, g.ports[k].last, used);
		if (used > HWIO_BYTES)
			abort();
		for (size_t k = used; k < HWIO_BYTES; k++)
			if (bm[k] != 0xff)
				abort();
	}
	free(text);
	return 0;
}
