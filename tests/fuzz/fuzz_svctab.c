/*
 * fuzz_svctab.c - libFuzzer target for the init:/services parser and
 * layout (lib/sysfmt/svctab.c), and sig_parse (lib/sysfmt/signame.c).
 *
 * The input is parsed exactly as its bytes (no NUL added, so ASan sees a
 * read past the end) into a small table, so the "too many" path is
 * reached. A failure names a line inside the text and a reason; every
 * stored row obeys the format (name printable, known state, numbers in
 * range). The layout's length must match what it writes, whole and cut.
 * The first 16 bytes, NUL-terminated, also go through sig_parse, whose
 * answer must be a signal number that sig_name knows, 0, or -E_INVAL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "sysfmt/signame.h"
#include "sysfmt/svctab.h"

#define ROWS 5

static void check_row(const struct svc_row *r)
{
	size_t n = strnlen(r->name, sizeof r->name);
	if (n == 0 || n > SVCTAB_NAME_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (r->name[i] <= ' ' || r->name[i] > '~')
			abort();
	if (strnlen(r->state, sizeof r->state) >= sizeof r->state)
		abort();
	if (r->pid == 0 || r->pid < SVCTAB_NONE || r->uptime < SVCTAB_NONE)
		abort();
	if (r->last_exit < SVCTAB_NONE || r->last_exit > 255)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct svc_row rows[ROWS];
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	unsigned bad = 0;
	const char *why = NULL;
	int n = svctab_parse(text, size, rows, ROWS, &bad, &why);
	if (n < 0) {
		if ((n != -E_INVAL && n != -E_NOSPC) || bad == 0 || bad > lines || !why || !why[0])
			abort();
	} else {
		if (n > ROWS)
			abort();
		for (int i = 0; i < n; i++)
			check_row(&rows[i]);
		static char out[4096];
		size_t whole = svctab_format(rows, (size_t)n, size & 1, out, sizeof out);
		if (whole < sizeof out && strlen(out) != whole)
			abort();
		char cut[17];
		size_t again = svctab_format(rows, (size_t)n, size & 1, cut, sizeof cut);
		if (again != whole || strlen(cut) != (whole < sizeof cut ? whole : sizeof cut - 1))
			abort();
	}
	char word[17];
	size_t wl = size < 16 ? size : 16;
	memcpy(word, data, wl);
	word[wl] = 0;
	int s = sig_parse(word);
	if (s != -E_INVAL && (s < 0 || s > SIGNAME_MAX || (s > 0 && !sig_name(s))))
		abort();
	free(text);
	return 0;
}
