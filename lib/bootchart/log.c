/*
 * log.c - read a captured serial log: kernel phases, host marks, and the
 * boot timeline between its begin/end lines (handed to json.c).
 *
 * A line may start with the kernel log's stamp `[ssss.uuuuuu] ` (the kernel
 * stamps user output written to the console too); the stamp is parsed and
 * cut off before the rest of the line is matched. Trailing '\r' is ignored.
 * The timeline's begin and end lines may follow other text on their line
 * (getty's `login: ` has no newline), and its JSON starts at the first '{'
 * of the first line in the block that has one.
 *
 * The kernel phase rule (docs/bootchart.md): each phase ENDS at the stamp of
 * the first line starting with its milestone text, and starts where the
 * previous phase found ended (the first at the first stamped line). Missing
 * milestones are skipped; a milestone stamped earlier than the previous one
 * gives an empty phase, never a negative one. Stamps read 0 until the timer
 * is calibrated, so the phases before it are empty: their time shows up in
 * "timer calibration".
 *
 * Pure: the caller owns the text and the struct bootchart; no allocation,
 * no locks, no output but bc->error.
 */
#include <string.h>
#include "base/err.h"
#include "base/lines.h"
#include "bootchart/bootchart.h"
#include "fmt/fmt.h"

static const struct {
	const char *label, *prefix;
} milestones[] = {
    {"memory", "mem: heap ready"}, {"ACPI tables", "ioapic:"},	    {"timer calibration", "sched:"},
    {"SMP bring-up", "smp:"},	   {"late init", "redbear: ready"}, {"start init", "init: started"},
};
STATIC_ASSERT(ARRAY_SIZE(milestones) <= BC_MAX_PHASES, "phase table too small");

#define TL_BEGIN "--- boot-timeline begin ---"
#define TL_END "--- boot-timeline end ---"
#define HOST_MARK "# host: "

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);
	return n >= l && memcmp(s, prefix, l) == 0;
}

/* Offset of the first needle in s[0..n), or -1. */
static long find(const char *s, size_t n, const char *needle)
{
	size_t l = strlen(needle);
	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(s + i, needle, l) == 0)
			return (long)i;
	return -1;
}

/* Parse a `[  sss.uuuuuu] ` stamp at the start of s[0..n): true with *ns
 * and *skip (bytes to the text) set. Seconds: 1 to 9 digits; fraction: 1 to 9. */
static bool parse_stamp(const char *s, size_t n, int64_t *ns, size_t *skip)
{
	size_t i = 0;
	uint64_t sec = 0, frac = 0;
	unsigned fd = 0, sd = 0;
	if (n == 0 || s[0] != '[')
		return false;
	i = 1;
	while (i < n && s[i] == ' ')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (++sd > 9) /* at most 999999999 s: the ns fit in int64_t */
			return false;
		sec = sec * 10 + (uint64_t)(s[i++] - '0');
	}
	if (sd == 0 || i >= n || s[i] != '.')
		return false;
	i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (++fd > 9)
			return false;
		frac = frac * 10 + (uint64_t)(s[i++] - '0');
	}
	if (fd == 0 || i >= n || s[i] != ']')
		return false;
	i++;
	for (unsigned k = fd; k < 9; k++)
		frac *= 10;
	*ns = (int64_t)(sec * 1000000000u + frac);
	if (i < n && s[i] == ' ')
		i++;
	*skip = i;
	return true;
}

/* `# host: key=value` with value a non-negative integer. */
static int parse_mark(struct bootchart *bc, const char *s, size_t n, unsigned lineno)
{
	size_t eq = 0;
	while (eq < n && s[eq] != '=')
		eq++;
	if (eq == 0 || eq >= n || eq >= BC_MARK_MAX || eq + 1 == n || n - eq - 1 > 18)
		goto bad;
	int64_t v = 0;
	for (size_t i = eq + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	for (size_t i = 0; i < eq; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			goto bad;
	if (bc->nmark >= BC_MAX_MARKS) {
		fmt_snprintf(bc->error, sizeof(bc->error), "line %u: more than %d host marks",
			     lineno, BC_MAX_MARKS);
		return -E_INVAL;
	}
	memcpy(bc->mark[bc->nmark].key, s, eq);
	bc->mark[bc->nmark].key[eq] = 0;
	bc->mark[bc->nmark].value = v;
	bc->nmark++;
	return 0;
bad:
	fmt_snprintf(bc->error, sizeof(bc->error),
		     "line %u: bad host mark (want '# host: key=integer', key [a-z0-9_])", lineno);
	return -E_INVAL;
}

static void build_phases(struct bootchart *bc, const int64_t *at, int64_t first)
{
	int64_t prev = first;
	bc->nphase = 0;
	for (unsigned m = 0; m < ARRAY_SIZE(milestones); m++) {
		if (at[m] == BC_NONE)
			continue;
		struct bc_phase *p = &bc->phase[bc->nphase++];
		p->label = milestones[m].label;
		p->start_ns = prev;
		p->end_ns = at[m] > prev ? at[m] : prev;
		prev = p->end_ns;
	}
}

int bc_parse(const char *text, size_t len, struct bootchart *bc)
{
	struct lines it = lines_start(text, len);
	int64_t at[ARRAY_SIZE(milestones)];
	int64_t first = BC_NONE;
	const char *line;
	size_t n;
	unsigned begin_line = 0; /* inside a timeline block begun on this line */
	bool json_seen = false, done = false;
	int r;

	memset(bc, 0, sizeof(*bc));
	bc->kernel_last_ns = bc->init_line_ns = BC_NONE;
	bc->init_start_ns = bc->settled_ns = BC_NONE;
	for (unsigned m = 0; m < ARRAY_SIZE(milestones); m++)
		at[m] = BC_NONE;

	while (lines_next(&it, &line, &n)) {
		int64_t ns = BC_NONE;
		size_t skip = 0;
		while (n > 0 && line[n - 1] == '\r')
			n--;
		if (parse_stamp(line, n, &ns, &skip)) {
			line += skip;
			n -= skip;
			bc->kernel_lines++;
			if (first == BC_NONE)
				first = ns;
			if (ns > bc->kernel_last_ns)
				bc->kernel_last_ns = ns;
		}
		if (begin_line) {
			long j = find(line, n, "{");
			if (find(line, n, TL_END) >= 0) {
				if (!json_seen) {
					fmt_snprintf(
					    bc->error, sizeof(bc->error),
					    "line %u: timeline block without its JSON line", it.no);
					return -E_INVAL;
				}
				begin_line = 0;
				done = true;
			} else if (!json_seen && j >= 0) {
				if ((r = bc_parse_timeline(line + j, n - (size_t)j, bc))) {
					char why[sizeof(bc->error)];
					memcpy(why, bc->error, sizeof(why));
					fmt_snprintf(bc->error, sizeof(bc->error), "line %u: %s",
						     it.no, why);
					return r;
				}
				json_seen = true;
			}
			continue; /* other lines inside the block: console noise */
		}
		if (!done && find(line, n, TL_BEGIN) >= 0) {
			begin_line = it.no;
			continue;
		}
		if (starts(line, n, HOST_MARK)) {
			size_t l = strlen(HOST_MARK);
			if ((r = parse_mark(bc, line + l, n - l, it.no)))
				return r;
			continue;
		}
		if (ns == BC_NONE)
			continue;
		for (unsigned m = 0; m < ARRAY_SIZE(milestones); m++)
			if (at[m] == BC_NONE && starts(line, n, milestones[m].prefix))
				at[m] = ns;
	}
	if (begin_line) {
		fmt_snprintf(bc->error, sizeof(bc->error),
			     "line %u: timeline begun here is never ended ('%s' missing)",
			     begin_line, TL_END);
		return -E_INVAL;
	}
	bc->init_line_ns = at[ARRAY_SIZE(milestones) - 1];
	if (first != BC_NONE)
		build_phases(bc, at, first);
	return 0;
}

int64_t bc_done_ns(const struct bc_service *s)
{
	if (s->ready_ns != BC_NONE)
		return s->ready_ns;
	return s->exit_ns;
}

int bc_find(const struct bootchart *bc, const char *name)
{
	for (unsigned i = 0; i < bc->nsvc; i++)
		if (!strcmp(bc->svc[i].name, name))
			return (int)i;
	return -1;
}

unsigned bc_drivers(const struct bootchart *bc)
{
	unsigned n = 0;
	for (unsigned i = 0; i < bc->nsvc; i++)
		n += !strcmp(bc->svc[i].type, "driver");
	return n;
}

unsigned bc_critical_path(struct bootchart *bc)
{
	bool seen[BC_MAX_SERVICES] = {false};
	uint8_t rev[BC_MAX_SERVICES];
	unsigned n = 0;
	int cur = -1;

	bc->npath = 0;
	for (unsigned i = 0; i < bc->nsvc; i++) {
		bc->svc[i].on_path = false;
		int64_t d = bc_done_ns(&bc->svc[i]);
		if (!strcmp(bc->svc[i].type, "driver"))
			continue; /* drivers have no dependencies: the path is the services' */
		if (d != BC_NONE && (cur < 0 || d > bc_done_ns(&bc->svc[cur])))
			cur = (int)i;
	}
	while (cur >= 0 && !seen[cur]) {
		const struct bc_service *s = &bc->svc[cur];
		int64_t limit = bc_done_ns(s);
		int next = -1;
		seen[cur] = true;
		rev[n++] = (uint8_t)cur;
		for (unsigned k = 0; k < (unsigned)s->nreq + s->nafter; k++) {
			const char *dep = k < s->nreq ? s->req[k] : s->after[k - s->nreq];
			int d = bc_find(bc, dep);
			if (d < 0 || seen[d])
				continue;
			int64_t t = bc_done_ns(&bc->svc[d]);
			if (t == BC_NONE || t > limit)
				continue;
			if (next < 0 || t > bc_done_ns(&bc->svc[next]))
				next = d;
		}
		cur = next;
	}
	for (unsigned i = 0; i < n; i++) {
		bc->path[i] = rev[n - 1 - i];
		bc->svc[rev[i]].on_path = true;
	}
	bc->npath = n;
	return n;
}
