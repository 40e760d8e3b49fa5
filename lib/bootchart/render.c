/*
 * render.c - the boot chart as SVG, and its text summary, into a caller's
 * buffer.
 *
 * Layout: a title and the host marks, a time axis in ms (ticks every 1, 2
 * or 5 x 10^k ms, about ten of them), then one row per kernel phase and
 * one per service in timeline order. A service's bar is solid from start
 * to ready (to exit for one that exited without being ready), lighter from
 * ready to exit, or to the end of the chart while it still runs; one that
 * never became ready is drawn light with a dashed outline, one never started
 * (start_ns null) as a sliver at 0 marked "not started". Services on the
 * critical path are red (class "svc critical") and linked by lines. The
 * chart ends at the latest time known: settled, a ready or exit time, or the
 * last kernel stamp when there is no timeline.
 *
 * Names come from outside: in the output every byte outside printable ASCII
 * becomes '?', and XML's special characters are escaped, so the SVG stays
 * well-formed whatever the input held.
 *
 * Pure: reads a struct bootchart, writes the caller's buffer; no
 * allocation, no locks.
 */
#include <stdarg.h>
#include <string.h>
#include "base/err.h"
#include "bootchart/bootchart.h"
#include "fmt/fmt.h"

#define W 1000 /* picture width */
#define X0 200 /* chart area: x0..x1 */
#define X1 960
#define ROW 20	     /* row pitch */
#define BAR 14	     /* bar height */
#define AXIS_Y 64    /* y of the axis line */
#define FIRST_ROW 84 /* y of the first row's top */

struct out {
	char *p;
	size_t cap, len;
	bool over;
};

static void PRINTF_LIKE(2, 3) put(struct out *o, const char *f, ...)
{
	va_list ap;
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	va_start(ap, f);
	int n = fmt_vsnprintf(o->p + (room ? o->len : 0), room, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		o->over = true;
		o->len = o->cap;
	} else {
		o->len += (size_t)n;
	}
}

/* A name from the input: printable ASCII only, XML-escaped when xml. */
static void put_name(struct out *o, const char *s, bool xml)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (xml && c == '&')
			put(o, "&amp;");
		else if (xml && c == '<')
			put(o, "&lt;");
		else if (xml && c == '>')
			put(o, "&gt;");
		else if (xml && c == '"')
			put(o, "&quot;");
		else if (xml && c == '\'')
			put(o, "&apos;");
		else
			put(o, "%c", c >= 0x20 && c < 0x7f ? c : '?');
	}
}

/* ns as milliseconds with one decimal, e.g. 12.3 */
static void put_ms(struct out *o, int64_t ns)
{
	if (ns == BC_NONE) {
		put(o, "-");
		return;
	}
	int64_t tenths = ns / 100000 + (ns % 100000 >= 50000); /* no overflow near INT64_MAX */
	put(o, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}

static int finish(struct out *o, size_t *out_len)
{
	if (o->over) {
		if (o->cap)
			o->p[o->cap - 1] = 0;
		*out_len = o->cap ? o->cap - 1 : 0;
		return -E_NOSPC;
	}
	*out_len = o->len;
	return 0;
}

static int64_t chart_end(const struct bootchart *bc)
{
	int64_t end = 0;
	for (unsigned i = 0; i < bc->nphase; i++)
		end = MAX(end, bc->phase[i].end_ns);
	if (bc->have_timeline) {
		end = MAX(end, bc->init_start_ns);
		end = MAX(end, bc->settled_ns);
		for (unsigned i = 0; i < bc->nsvc; i++) {
			end = MAX(end, bc->svc[i].start_ns);
			end = MAX(end, bc->svc[i].ready_ns);
			end = MAX(end, bc->svc[i].exit_ns);
		}
	} else {
		end = MAX(end, bc->kernel_last_ns);
	}
	return end > 0 ? end : 1000000; /* an empty chart spans 1 ms */
}

static int xpos(int64_t t, int64_t end)
{
	if (t < 0)
		t = 0;
	if (t > end)
		t = end;
	while (end > INT64_MAX / (X1 - X0)) { /* keep t * width in range */
		end >>= 1;
		t >>= 1;
	}
	return X0 + (int)(t * (X1 - X0) / end);
}

/* tick step in ns: 1, 2 or 5 x 10^k ms (k >= -3), about ten ticks */
static int64_t tick_step(int64_t end)
{
	int64_t step = 1000; /* 1 us */
	for (;;) {
		for (int m = 1; m <= 5; m = m == 1 ? 2 : m == 2 ? 5 : 10)
			if (end / (step * m) <= 10)
				return step * m;
		if (step > INT64_MAX / 100)
			return step;
		step *= 10;
	}
}

/* The start of a bar's <rect; the caller adds attributes and closes it. */
static void svg_bar(struct out *o, const char *cls, int x0, int x1, int y)
{
	int w = x1 - x0 < 1 ? 1 : x1 - x0;
	put(o, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", cls, x0, y, w,
	    BAR);
}

static void svg_service(struct out *o, const struct bootchart *bc, const struct bc_service *s,
			int y, int64_t end)
{
	int64_t done = bc_done_ns(s);
	int64_t start = s->start_ns != BC_NONE ? s->start_ns : done;
	int xs = xpos(start, end);
	const char *cls = s->on_path ? "svc critical" : "svc";

	put(o, "<text class=\"label\" x=\"%d\" y=\"%d\">", X0 - 6, y + BAR - 3);
	put_name(o, s->name, true);
	put(o, "</text>\n");
	if (start == BC_NONE) /* never started (waiting for its dependencies) */
		svg_bar(o, "svc notstarted", X0, X0, y);
	else if (done == BC_NONE) /* never ready, never exited: still starting at the end */
		svg_bar(o, s->on_path ? "svc critical waiting" : "svc waiting", xs, X1, y);
	else
		svg_bar(o, cls, xs, xpos(done, end), y);
	put(o, " data-service=\"");
	put_name(o, s->name, true);
	put(o, "\"><title>");
	put_name(o, s->name, true);
	put(o, " (");
	put_name(o, s->type[0] ? s->type : "?", true);
	put(o, ", ");
	put_name(o, s->state[0] ? s->state : "?", true);
	put(o, "): start ");
	put_ms(o, s->start_ns);
	put(o, " ms, ready ");
	put_ms(o, s->ready_ns);
	put(o, " ms, exit ");
	put_ms(o, s->exit_ns);
	put(o, " ms, restarts %u</title></rect>\n", s->restarts);
	if (s->ready_ns != BC_NONE) {
		int64_t stop =
		    s->exit_ns != BC_NONE && s->exit_ns >= s->ready_ns ? s->exit_ns : end;
		svg_bar(o, "run", xpos(s->ready_ns, end), xpos(stop, end), y);
		put(o, "/>\n");
	}
	int xt = (start == BC_NONE ? X0 : done == BC_NONE ? X1 : xpos(done, end)) + 4;
	if (xt > W - 40)
		xt = W - 40;
	put(o, "<text class=\"time\" x=\"%d\" y=\"%d\">", xt, y + BAR - 3);
	if (start == BC_NONE)
		put(o, "not started");
	else
		put_ms(o, done == BC_NONE ? start : done);
	put(o, "</text>\n");
}

int bc_svg(const struct bootchart *bc, char *buf, size_t cap, size_t *out_len)
{
	struct out o = {buf, cap, 0, false};
	int64_t end = chart_end(bc);
	int64_t step = tick_step(end);
	unsigned rows = bc->nphase + (bc->have_timeline ? bc->nsvc : 0);
	int height = FIRST_ROW + (int)rows * ROW + 2 * ROW + 40;
	int y = FIRST_ROW;

	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	put(&o,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
	    W, height, W, height);
	put(&o, "<style>\n"
		".phase{fill:#5b7fa6}.svc{fill:#3c8d3c}.critical{fill:#c9302c;stroke:#700;stroke-"
		"width:1}"
		".waiting{fill-opacity:0.3;stroke:#333;stroke-dasharray:3,2}"
		".run{fill:#3c8d3c;fill-opacity:0.25}.label{text-anchor:end}.time{fill:#555;font-"
		"size:9px}"
		".tick{stroke:#ddd}.link{stroke:#c9302c;stroke-width:1.5}.head{font-weight:bold}\n"
		"</style>\n");
	put(&o, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, height);
	put(&o, "<text class=\"head\" x=\"10\" y=\"18\" font-size=\"14\">Red Bear OS boot "
		"chart</text>\n");
	put(&o, "<text x=\"10\" y=\"36\">");
	if (bc->have_timeline) {
		put(&o, "settled at ");
		put_ms(&o, bc->settled_ns);
		unsigned nd = bc_drivers(bc);
		put(&o, " ms after the kernel started timing; %u services", bc->nsvc - nd);
		if (nd)
			put(&o, ", %u drivers", nd);
	} else {
		put(&o, "no boot timeline in the log: kernel phases only");
	}
	for (unsigned i = 0; i < bc->nmark; i++) {
		put(&o, "; host: ");
		put_name(&o, bc->mark[i].key, true);
		put(&o, "=%lld", (long long)bc->mark[i].value);
	}
	put(&o, "</text>\n");

	/* axis */
	put(&o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", X0, AXIS_Y,
	    X1, AXIS_Y);
	for (int64_t k = 0; k <= end / step; k++) {
		int64_t t = k * step;
		int x = xpos(t, end);
		put(&o, "<line class=\"tick\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x,
		    AXIS_Y, x, height - 40);
		put(&o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x, AXIS_Y - 4);
		if (step >= 1000000) {
			put(&o, "%lld", (long long)(t / 1000000));
		} else {
			put(&o, "%lld.%03lld", (long long)(t / 1000000),
			    (long long)(t / 1000 % 1000));
		}
		put(&o, "</text>\n");
	}
	put(&o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">ms</text>\n", X0 - 6, AXIS_Y - 4);

	for (unsigned i = 0; i < bc->nphase; i++, y += ROW) {
		const struct bc_phase *p = &bc->phase[i];
		put(&o, "<text class=\"label\" x=\"%d\" y=\"%d\">kernel: %s</text>\n", X0 - 6,
		    y + BAR - 3, p->label);
		svg_bar(&o, "phase", xpos(p->start_ns, end), xpos(p->end_ns, end), y);
		put(&o, " data-phase=\"%s\"><title>kernel %s: ", p->label, p->label);
		put_ms(&o, p->start_ns);
		put(&o, " - ");
		put_ms(&o, p->end_ns);
		put(&o, " ms</title></rect>\n");
		put(&o, "<text class=\"time\" x=\"%d\" y=\"%d\">", xpos(p->end_ns, end) + 4,
		    y + BAR - 3);
		put_ms(&o, p->end_ns);
		put(&o, "</text>\n");
	}
	if (bc->have_timeline) {
		int svc_y0 = y;
		for (unsigned i = 0; i < bc->nsvc; i++, y += ROW)
			svg_service(&o, bc, &bc->svc[i], y, end);
		/* link each critical service's done time to the next one's row */
		for (unsigned k = 0; k + 1 < bc->npath; k++) {
			const struct bc_service *a = &bc->svc[bc->path[k]];
			int ya = svc_y0 + bc->path[k] * ROW + BAR / 2;
			int yb = svc_y0 + bc->path[k + 1] * ROW + BAR / 2;
			int xa = xpos(bc_done_ns(a), end);
			put(&o, "<line class=\"link\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
			    xa, ya, xa, yb);
		}
	}
	y += ROW;
	put(&o, "<rect class=\"legend phase\" x=\"10\" y=\"%d\" width=\"12\" height=\"10\"/>", y);
	put(&o, "<text x=\"26\" y=\"%d\">kernel phase</text>\n", y + 9);
	put(&o, "<rect class=\"legend svc\" x=\"120\" y=\"%d\" width=\"12\" height=\"10\"/>", y);
	put(&o, "<text x=\"136\" y=\"%d\">start to ready</text>\n", y + 9);
	put(&o, "<rect class=\"legend run\" x=\"240\" y=\"%d\" width=\"12\" height=\"10\"/>", y);
	put(&o, "<text x=\"256\" y=\"%d\">running (to exit or end)</text>\n", y + 9);
	put(&o,
	    "<rect class=\"legend svc critical\" x=\"400\" y=\"%d\" width=\"12\" height=\"10\"/>",
	    y);
	put(&o, "<text x=\"416\" y=\"%d\">critical path</text>\n", y + 9);
	put(&o, "</svg>\n");
	return finish(&o, out_len);
}

int bc_summary(const struct bootchart *bc, char *buf, size_t cap, size_t *out_len)
{
	struct out o = {buf, cap, 0, false};
	int64_t init = bc->have_timeline && bc->init_start_ns != BC_NONE ? bc->init_start_ns
									 : bc->init_line_ns;

	for (unsigned i = 0; i < bc->nmark; i++) {
		put(&o, "host: ");
		put_name(&o, bc->mark[i].key, false);
		put(&o, "=%lld\n", (long long)bc->mark[i].value);
	}
	put(&o, "kernel log: %u stamped lines, last at ", bc->kernel_lines);
	put_ms(&o, bc->kernel_last_ns);
	put(&o, " ms\n");
	for (unsigned i = 0; i < bc->nphase; i++) {
		put(&o, "  kernel %-18s ", bc->phase[i].label);
		put_ms(&o, bc->phase[i].start_ns);
		put(&o, " -> ");
		put_ms(&o, bc->phase[i].end_ns);
		put(&o, " ms\n");
	}
	put(&o, "kernel to init: ");
	put_ms(&o, init);
	put(&o, " ms\n");
	if (!bc->have_timeline) {
		put(&o, "no boot timeline in the log: kernel phases only\n");
		return finish(&o, out_len);
	}
	put(&o, "services (ms since the kernel started timing):\n");
	for (unsigned i = 0; i < bc->nsvc; i++) {
		const struct bc_service *s = &bc->svc[i];
		if (!strcmp(s->type, "driver") && (!i || strcmp(bc->svc[i - 1].type, "driver")))
			put(&o, "drivers (driver-manager's):\n");
		put(&o, "  %c ", s->on_path ? '*' : ' ');
		put_name(&o, s->name, false);
		put(&o, ": start ");
		put_ms(&o, s->start_ns);
		put(&o, " ready ");
		put_ms(&o, s->ready_ns);
		put(&o, " exit ");
		put_ms(&o, s->exit_ns);
		put(&o, " state ");
		put_name(&o, s->state[0] ? s->state : "?", false);
		put(&o, " restarts %u\n", s->restarts);
	}
	if (bc->drivers_dropped)
		put(&o, "  (%u more drivers did not fit)\n", bc->drivers_dropped);
	put(&o, "settled: ");
	put_ms(&o, bc->settled_ns);
	put(&o, " ms\ncritical path:");
	if (!bc->npath)
		put(&o, " none (no service became ready)");
	for (unsigned k = 0; k < bc->npath; k++) {
		const struct bc_service *s = &bc->svc[bc->path[k]];
		put(&o, "%s", k ? " -> " : " ");
		put_name(&o, s->name, false);
		put(&o, " (");
		put_ms(&o, bc_done_ns(s));
		put(&o, ")");
	}
	put(&o, "\n");
	return finish(&o, out_len);
}
