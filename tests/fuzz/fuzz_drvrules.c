/*
 * fuzz_drvrules.c - libFuzzer target for driver-manager's pure logic
 * (lib/drvmgr): rules files, matching, status lines and the probe state
 * machine, fed together.
 *
 * The input up to its first NUL byte is a rules file "f.toml"; a loaded
 * rule must satisfy every rule of drvmgr.h (fields in range, every match
 * entry valid by an independent check and formatting back to itself); an
 * error must be one "f.toml: ..." line without control bytes whose line
 * number is inside the file. The rule then joins a few fixed rules, with
 * priorities taken from the input, and is matched against PCI and ACPI
 * devices made from the input: drv_match() must return exactly the matching rules (by a brute
 * force count), each once, best first, for every max.
 *
 * Every line of the input is also a match entry and a line of
 * acpi:/devices: drv_acpi_parse() refuses it or gives a bounded path and
 * ids, which are then matched as above.
 *
 * The bytes after the NUL are status lines (split at '\n', the '\n'
 * kept). Each must parse to a bounded, printable result or -E_INVAL, and
 * also drives the probe bookkeeping of a few (device, rule) pairs: its
 * first bytes pick the pair; a line that parses is that pair's probe
 * answer (spawned first if it was not probing), and every line then does
 * one more thing (check the skip set through drv_pair_pick(), spawn,
 * exit, event, removal, time passing, spawn what is due). Checked after
 * every step: a
 * pair in the skip set stays there until its device is removed, carries
 * its reason and never came from a driver that had been bound crashing;
 * counts stay within their bounds; restarts are never earlier than now
 * nor later than the backoff cap; drv_pair_due() returns only due pairs
 * and a next deadline in the future.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "drvmgr/drvmgr.h"

#define NODES 512
#define NRULES 6 /* the fuzzed rule and 5 fixed ones */

static struct toml_node nodes[NODES];
static char tbuf[8192];
static struct drv_rule rules[NRULES];
static bool fixed_loaded;

static const char *const fixed[NRULES - 1] = {
    "exec = 'a'\nmatch = ['pci 1af4:1001', 'pci-class 01:06']\n",
    "exec = 'b'\nmatch = ['pci 8086:*', 'acpi PNP0303']\n",
    "exec = 'c'\nmatch = ['pci-class 01:06:01', 'pci *:1001']\n",
    "exec = 'd'\nmatch = ['acpi ACPI0003', 'acpi PNP0C0F']\n",
    "exec = 'e'\nmatch = ['pci 1af4:1042', 'acpi QEMU0002']\n",
};

static bool printable(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static bool hexu(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* ACPI 6.1.5, written out again: AAA#### or NNNN####. */
static bool acpi_ok(const char *s)
{
	size_t n = strnlen(s, 9);
	if (n != 7 && n != 8)
		return false;
	for (size_t i = 0; i < n - 4; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (n == 8 && s[i] >= '0' && s[i] <= '9')))
			return false;
	for (size_t i = n - 4; i < n; i++)
		if (!hexu(s[i]))
			return false;
	return true;
}

static void check_match(const struct drv_match *m)
{
	switch (m->kind) {
	case DRV_M_PCI_ID:
		if (m->vendor < -1 || m->vendor > 0xffff || m->device < -1 || m->device > 0xffff ||
		    (m->vendor == -1 && m->device == -1))
			abort();
		break;
	case DRV_M_PCI_CLASS:
		if (m->cls < 0 || m->cls > 0xff || m->sub < 0 || m->sub > 0xff || m->progif < -1 ||
		    m->progif > 0xff)
			abort();
		break;
	case DRV_M_ACPI:
		if (!acpi_ok(m->acpi))
			abort();
		break;
	default:
		abort();
	}
	/* formatting gives an entry that parses back to the same thing */
	char s[64], why[96];
	struct drv_match again;
	if (drv_match_format(m, s, sizeof s) >= (int)sizeof s)
		abort();
	if (drv_match_parse(s, &again, why, sizeof why) != 0 || again.kind != m->kind)
		abort();
	if (m->kind == DRV_M_ACPI
		? strcmp(again.acpi, m->acpi) != 0
		: again.vendor != m->vendor || again.device != m->device || again.cls != m->cls ||
		      again.sub != m->sub || again.progif != m->progif)
		abort();
}

static void check_rule(const struct drv_rule *r)
{
	size_t n = strnlen(r->exec, DRV_STR_MAX + 1);
	if (n < 1 || n > DRV_STR_MAX || r->nargs > DRV_ARGS_MAX)
		abort();
	for (unsigned i = 0; i < r->nargs; i++) {
		n = strnlen(r->args[i], DRV_STR_MAX + 1);
		if (n < 1 || n > DRV_STR_MAX)
			abort();
	}
	if (strcmp(r->name, "f") != 0 || r->priority < DRV_PRIO_MIN || r->priority > DRV_PRIO_MAX ||
	    (unsigned)r->restart > DRV_RESTART_NEVER)
		abort();
	if (r->nmatch < 1 || r->nmatch > DRV_MATCH_MAX)
		abort();
	for (unsigned i = 0; i < r->nmatch; i++)
		check_match(&r->m[i]);
}

static void check_error(const char *msg, const char *text, size_t len)
{
	for (const char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			abort(); /* one line, no terminal escapes */
	if (strncmp(msg, "f.toml: ", 8) != 0)
		abort();
	unsigned line;
	if (sscanf(msg, "f.toml: line %u,", &line) == 1) {
		size_t lines = 1;
		for (size_t i = 0; i < len; i++)
			lines += text[i] == '\n';
		if (line < 1 || line > lines)
			abort();
	}
}

/* ---------------------------------------------------------------- matching */

static void check_order(const struct drv_desc *d, unsigned nrules)
{
	unsigned want = 0;
	for (unsigned i = 0; i < nrules; i++)
		want += drv_rule_spec(&rules[i], d) != DRV_SPEC_NONE;
	unsigned all[NRULES], out[NRULES];
	if (drv_match(rules, nrules, d, all, NRULES) != want)
		abort();
	for (unsigned max = 0; max <= nrules; max++) {
		unsigned n = drv_match(rules, nrules, d, out, max);
		if (n != (want < max ? want : max))
			abort();
		for (unsigned k = 0; k < n; k++) {
			if (out[k] >= nrules || out[k] != all[k])
				abort(); /* the best max are a prefix of the full list */
			unsigned s = drv_rule_spec(&rules[out[k]], d);
			if (s == DRV_SPEC_NONE)
				abort();
			if (k == 0)
				continue;
			const struct drv_rule *a = &rules[out[k - 1]], *b = &rules[out[k]];
			unsigned sa = drv_rule_spec(a, d);
			if (a->priority < b->priority ||
			    (a->priority == b->priority &&
			     (sa < s || (sa == s && out[k - 1] >= out[k]))))
				abort();
		}
	}
}

static void drive_matching(const uint8_t *data, size_t size, unsigned nrules)
{
	for (unsigned i = 0; i < nrules; i++)
		rules[i].priority = size > i + 1 ? (int)(int8_t)data[size - 1 - i] % 3 : 0;
	/* a PCI device from the first 16 bytes (or a fixed one) */
	uint8_t cfg[16] = {0xf4, 0x1a, 0x01, 0x10, 0, 0, 0, 0, 0, 0x01, 0x06, 0x01};
	if (size >= 16)
		memcpy(cfg, data + size - 16, 16);
	struct drv_desc d;
	/* devices several fixed rules match */
	static const int known[][5] = {{0x1af4, 0x1001, 1, 6, 1},
				       {0x8086, 0x1001, 1, 6, 1},
				       {0x1af4, 0x1042, 1, 6, 2},
				       {0x8086, 0x2922, 1, 6, 1}};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		d = (struct drv_desc){.bus = DRV_BUS_PCI, .addr = "0000:00:05.0"};
		d.vendor = known[i][0];
		d.device = known[i][1];
		d.cls = known[i][2];
		d.sub = known[i][3];
		d.progif = known[i][4];
		check_order(&d, nrules);
	}
	if (drv_dev_from_pci_config(cfg, sizeof cfg, "0000:00:04.0", &d) == 0) {
		check_order(&d, nrules);
		/* and the ids of every PCI entry of the fuzzed rule */
		for (unsigned i = 0; i < rules[0].nmatch; i++) {
			const struct drv_match *m = &rules[0].m[i];
			d.vendor = m->vendor >= 0 ? m->vendor : m->device;
			d.device = m->device >= 0 ? m->device : m->vendor;
			d.cls = m->cls;
			d.sub = m->sub;
			d.progif = m->progif;
			check_order(&d, nrules);
		}
	}
	/* an ACPI device whose ids are the fuzzed rule's, then the input's bytes */
	struct drv_desc a = {.bus = DRV_BUS_ACPI, .addr = "\\_SB.DEV0"};
	static char idbuf[DRV_IDS_MAX][10];
	for (unsigned i = 0; i < DRV_IDS_MAX; i++) {
		const struct drv_match *m = &rules[0].m[(i * 7) % rules[0].nmatch];
		if (m->kind == DRV_M_ACPI && i % 3 != 2)
			memcpy(idbuf[i], m->acpi, sizeof m->acpi);
		else
			snprintf(idbuf[i], sizeof idbuf[i], "%.*s", (int)(size < 9 ? size : 9),
				 (const char *)data);
		a.ids[i] = i == 4 ? NULL : idbuf[i];
	}
	a.nids = size ? data[0] : 0; /* often past DRV_IDS_MAX */
	check_order(&a, nrules);
	a.nids = 2;
	check_order(&a, nrules);
}

/* ---------------------------------------------------------------- status lines and pairs */

#define PAIRS 4
static const char *const addrs[2] = {"0000:00:04.0", "\\_SB.PCI0.KBD"};

struct shadow {
	bool skipped; /* the pair (i / 2 device, i % 2 rule) is in the skip set */
};

static void check_status(const struct drv_status *st)
{
	if ((unsigned)st->kind > DRV_ST_FATAL || !printable(st->mode, DRV_MODE_MAX) ||
	    !printable(st->reason, DRV_REASON_MAX))
		abort();
	if (st->kind == DRV_ST_READY ? st->reason[0] != '\0' : st->mode[0] != '\0')
		abort();
}

static void check_pairs(const struct drv_pairs *t, const struct shadow *sh, uint64_t now)
{
	if (t->n > t->cap)
		abort();
	for (unsigned i = 0; i < PAIRS; i++) {
		const struct drv_pair *p = drv_pair_find(t, addrs[i / 2], i % 2);
		if (sh[i].skipped && (!p || p->state != DRV_PAIR_SKIPPED))
			abort(); /* left the skip set without a removal */
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct drv_pair *p = &t->v[i];
		if ((unsigned)p->state > DRV_PAIR_STOPPED)
			abort();
		if ((p->state == DRV_PAIR_SKIPPED) != (p->skip != DRV_SKIP_NONE))
			abort();
		if (p->skip == DRV_SKIP_PROBE_CRASHES && p->was_bound)
			abort(); /* a bound driver that crashes must come back */
		if (p->defers > DRV_DEFER_MAX + 1 || p->probe_crashes > DRV_PROBE_CRASH_MAX + 1)
			abort();
		if (p->defers == DRV_DEFER_MAX + 1 && p->skip != DRV_SKIP_OUT_OF_RETRIES)
			abort();
		if (p->due && p->state != DRV_PAIR_DEFERRED)
			abort();
		if (!printable(p->mode, DRV_MODE_MAX) || !printable(p->reason, DRV_REASON_MAX))
			abort();
		char s[160];
		int n = drv_pair_describe(p, s, sizeof s);
		if (n <= 0 || n >= (int)sizeof s)
			abort();
	}
	uint64_t next;
	struct drv_pair *due = drv_pair_due((struct drv_pairs *)t, now, &next);
	if (next <= now)
		abort();
	if (due && !(due->state == DRV_PAIR_IDLE || (due->state == DRV_PAIR_DEFERRED && due->due) ||
		     (due->state == DRV_PAIR_BACKOFF && due->at_ms <= now)))
		abort();
}

static void drive_pairs(const char *s, size_t len)
{
	struct drv_pair storage[PAIRS];
	struct drv_pairs t;
	struct shadow sh[PAIRS] = {0};
	uint64_t now = 1000;
	drv_pairs_init(&t, storage, PAIRS);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(s + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (s + at)) + 1 : len - at;
		const char *line = s + at;
		at += n;
		struct drv_status st;
		int ok = drv_status_parse(line, n, &st) == 0;
		if (ok)
			check_status(&st);
		else
			memset(&st, 0, sizeof st);
		uint8_t b = n ? (uint8_t)line[0] : 0, c = n > 1 ? (uint8_t)line[1] : 0;
		unsigned which = (b ^ c) % PAIRS;
		struct drv_pair *p;
		if (drv_pair_find_or_add(&t, addrs[which / 2], which % 2, &p) != 0)
			abort(); /* the table has room for every pair */
		uint64_t at_ms = 0;
		if (ok) {
			/* a line is the answer of a probe: spawn one if none runs */
			if (p->state != DRV_PAIR_PROBING)
				drv_pair_spawned(&t, p, now);
			enum drv_pair_state was = p->state;
			enum drv_pair_state got = drv_pair_result(&t, p, &st, now);
			if (got != p->state || (was != DRV_PAIR_PROBING && got != was))
				abort();
			if (was == DRV_PAIR_PROBING && st.kind == DRV_ST_READY &&
			    got != DRV_PAIR_BOUND)
				abort();
		}
		switch ((n + c) % 8) {
		case 0:
		case 1: {
			/* the skip set as drv_pair_pick() sees it */
			unsigned cands[2] = {c & 1, !(c & 1)};
			const char *addr = addrs[which / 2];
			int k = drv_pair_pick(&t, addr, cands, 2);
			for (int i = 0; i < (k < 0 ? 2 : k); i++)
				if (!drv_pair_skipped(&t, addr, cands[i]))
					abort();
			if (k >= 0 && drv_pair_skipped(&t, addr, cands[k]))
				abort();
			break;
		}
		case 2:
			drv_pair_spawned(&t, p, now);
			break;
		case 3: {
			enum drv_pair_state was = p->state;
			bool bound = p->was_bound;
			enum drv_exit_action e =
			    drv_pair_exit(p, c & 1, now, (enum drv_restart)(b % 3), &at_ms);
			if (e == DRV_EXIT_RESTART &&
			    (at_ms < now || at_ms - now > DRV_BACKOFF_CAP_MS ||
			     p->state != DRV_PAIR_BACKOFF || p->at_ms != at_ms))
				abort();
			if (e == DRV_EXIT_SKIPPED && (bound || was != DRV_PAIR_PROBING))
				abort();
			if (e == DRV_EXIT_NOTHING && p->state != was)
				abort();
			break;
		}
		case 4:
			drv_pair_event(&t);
			break;
		case 5:
			if (c % 5 == 0) {
				drv_pair_remove_dev(&t, addrs[which / 2]);
				sh[(which / 2) * 2].skipped = sh[(which / 2) * 2 + 1].skipped =
				    false;
				if (drv_pair_find(&t, addrs[which / 2], 0) ||
				    drv_pair_find(&t, addrs[which / 2], 1))
					abort();
			}
			break;
		case 6:
			now += (uint64_t)b * 97; /* up to ~25 s */
			break;
		case 7: {
			uint64_t next;
			struct drv_pair *due = drv_pair_due(&t, now, &next);
			if (due)
				drv_pair_spawned(&t, due, now);
			break;
		}
		}
		for (unsigned i = 0; i < PAIRS; i++) {
			const struct drv_pair *q = drv_pair_find(&t, addrs[i / 2], i % 2);
			if (q && q->state == DRV_PAIR_SKIPPED)
				sh[i].skipped = true;
		}
		check_pairs(&t, sh, now);
	}
}

/* A line of acpi:/devices: refused, or a bounded path and ids as drv_acpi_parse promises. */
static void check_acpi_line(const char *line, size_t n)
{
	char *copy = malloc(n ? n : 1); /* its own buffer: a read past its end is caught */
	if (!copy)
		return;
	memcpy(copy, line, n);
	struct drv_acpi_dev a;
	int r = drv_acpi_parse(copy, n, &a);
	free(copy);
	if (r == -E_INVAL || r == -E_NAMETOOLONG)
		return;
	size_t plen = strnlen(a.addr, sizeof a.addr);
	if (r != 0 || plen == sizeof a.addr || plen < 2 || a.addr[0] != '\\' || a.nids == 0 ||
	    a.nids > DRV_IDS_MAX)
		abort();
	for (unsigned i = 0; i < a.nids; i++) {
		size_t l = strnlen(a.ids[i], sizeof a.ids[i]);
		if (l == 0 || l == sizeof a.ids[i] || strchr(a.ids[i], ' '))
			abort();
	}
	struct drv_desc d;
	drv_acpi_desc(&a, &d);
	check_order(&d, NRULES);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fixed_loaded) {
		char err[160], file[8] = "x.toml";
		for (unsigned i = 0; i < NRULES - 1; i++)
			if (drv_rule_parse(file, fixed[i], strlen(fixed[i]), nodes, NODES, tbuf,
					   sizeof tbuf, &rules[i + 1], err, sizeof err) != 0)
				abort();
		fixed_loaded = true;
	}
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size;
	/* the file in its own buffer, so a read past its end is caught */
	char *text = malloc(len ? len : 1);
	if (!text)
		return 0;
	memcpy(text, data, len);
	char err[200];
	memset(err, 0x55, sizeof err);
	int r = drv_rule_parse("f.toml", text, len, nodes, NODES, tbuf, sizeof tbuf, &rules[0], err,
			       sizeof err);
	if (r == 0) {
		check_rule(&rules[0]);
		drive_matching(data, size, NRULES);
	} else {
		if (r != -E_INVAL && r != -E_NOSPC)
			abort();
		check_error(err, text, len);
	}
	free(text);
	if (nul) {
		size_t tlen = size - len - 1;
		char *tail = malloc(tlen ? tlen : 1);
		if (!tail)
			return 0;
		memcpy(tail, nul + 1, tlen);
		drive_pairs(tail, tlen);
		free(tail);
	}
	/* every line of the input is also a match entry */
	for (size_t at = 0; at < size;) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t n = nl ? (size_t)(nl - (data + at)) : size - at;
		char entry[80], why[96];
		if (n < sizeof entry) {
			memcpy(entry, data + at, n);
			entry[n] = '\0';
			struct drv_match m;
			if (drv_match_parse(entry, &m, why, sizeof why) == 0)
				check_match(&m);
			else if (strncmp(why, "expected ", 9) != 0 && strstr(why, "both") == NULL)
				abort();
		}
		check_acpi_line((const char *)data + at, n);
		at += n + 1;
	}
	return 0;
}
