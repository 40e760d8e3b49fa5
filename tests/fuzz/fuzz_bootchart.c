/*
 * fuzz_bootchart.c - libFuzzer target for lib/bootchart over the whole
 * input: the bytes are a captured serial log (exactly its bytes, no NUL
 * added, so ASan catches a read past the end), parsed, the critical path
 * walked, the SVG and the summary rendered into small and large buffers.
 * Checked: a failure carries a reason; counts stay within their tables;
 * phases never run backwards; the path is a chain of existing services
 * each done no later than the next; the rendered text is as long as
 * reported, NUL-terminated, and holds only printable ASCII, tab and
 * newline (names from the input are sanitised).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "bootchart/bootchart.h"

static void check_text(const char *buf, size_t len)
{
	if (strlen(buf) != len)
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c != '\n' && (c < 0x20 || c > 0x7e))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootchart bc;
	static char big[1 << 20];
	char small[256];
	size_t len;
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);

	if (bc_parse(text, size, &bc)) {
		if (!bc.error[0] || strnlen(bc.error, sizeof(bc.error)) >= sizeof(bc.error))
			abort();
		free(text);
		return 0;
	}
	if (bc.nphase > BC_MAX_PHASES || bc.nmark > BC_MAX_MARKS || bc.nsvc > BC_MAX_SERVICES)
		abort();
	for (unsigned i = 0; i < bc.nphase; i++)
		if (bc.phase[i].end_ns < bc.phase[i].start_ns ||
		    (i && bc.phase[i].start_ns != bc.phase[i - 1].end_ns))
			abort();
	if (!bc.have_timeline && bc.nsvc)
		abort();
	unsigned n = bc_critical_path(&bc);
	if (n != bc.npath || n > bc.nsvc)
		abort();
	for (unsigned k = 0; k < n; k++) {
		if (bc.path[k] >= bc.nsvc || !bc.svc[bc.path[k]].on_path)
			abort();
		if (k && bc_done_ns(&bc.svc[bc.path[k - 1]]) > bc_done_ns(&bc.svc[bc.path[k]]))
			abort();
	}

	int r = bc_svg(&bc, big, sizeof big, &len);
	if (r)
		abort(); /* 64 services fit easily in 1 MiB */
	check_text(big, len);
	if (bc_summary(&bc, big, sizeof big, &len))
		abort();
	check_text(big, len);
	r = bc_svg(&bc, small, sizeof small, &len);
	if ((r && r != -E_NOSPC) || strlen(small) != len)
		abort();
	r = bc_summary(&bc, small, sizeof small, &len);
	if ((r && r != -E_NOSPC) || strlen(small) != len)
		abort();
	free(text);
	return 0;
}
