/*
 * fuzz_drvtl.c - libFuzzer target for driver timeline events
 * (lib/svc/drvtl.c). The input is a series of writes separated by '|',
 * each exactly its bytes; every one that parses is applied to one table.
 * Checks: a parsed event is in range and its words are NUL-terminated
 * within their bounds; the table never holds more than DRVTL_MAX entries,
 * never two with the same pair, and an entry's ready and exit times
 * never come before its first start unless it was never started.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "svc/drvtl.h"

static struct drvtl t;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&t, 0, sizeof t);
	const char *s = (const char *)data, *end = s + size;
	uint64_t now = 1;
	while (s <= end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		size_t len = bar ? (size_t)(bar - s) : (size_t)(end - s);
		struct drvtl_ev ev;
		if (drvtl_parse(s, len, &ev) == 0) {
			if (ev.event > DRVTL_EXIT || strlen(ev.addr) > DRVTL_ADDR_MAX ||
			    strlen(ev.name) > DRVTL_NAME_MAX || !ev.addr[0] || !ev.name[0])
				abort();
			drvtl_apply(&t, &ev, now++);
		}
		if (!bar)
			break;
		s = bar + 1;
	}
	if (t.n > DRVTL_MAX)
		abort();
	for (size_t i = 0; i < t.n; i++) {
		const struct drvtl_entry *e = &t.v[i];
		if (e->start_ns && ((e->ready_ns && e->ready_ns < e->start_ns) ||
				    (e->exit_ns && e->exit_ns < e->start_ns)))
			abort();
		if (!drvtl_state(e))
			abort();
		for (size_t j = i + 1; j < t.n; j++)
			if (!strcmp(e->addr, t.v[j].addr) && !strcmp(e->name, t.v[j].name))
				abort();
	}
	return 0;
}
