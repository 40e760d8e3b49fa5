/*
 * fuzz_cmdline.c - libFuzzer target for cmdline_parse() and its lookups.
 *
 * The input (cut at its first NUL, and NUL-terminated in a copy exactly one
 * byte longer, so ASan catches reads past the end) is parsed; on success
 * every word is enumerated and looked up again by key, and the invariants
 * are checked: keys are non-empty, bare words have "" values, every string
 * lies inside the struct's buffer, and cmdline_get returns the last value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "boot/cmdline.h"

static struct cmdline cl;

static int inside(const char *p)
{
	return p >= cl.buf && p < cl.buf + sizeof(cl.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t v;
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (cmdline_parse(s, &cl) == 0) {
		for (i = 0; i < cmdline_count(&cl); i++) {
			const struct cmdline_opt *o = cmdline_opt_at(&cl, i);
			const char *last;

			if (!inside(o->key) || !inside(o->value) || !o->key[0])
				abort();
			if (!inside(o->key + strlen(o->key)) ||
			    !inside(o->value + strlen(o->value)))
				abort();
			if (o->bare && o->value[0])
				abort();
			last = cmdline_get(&cl, o->key);
			if (!last)
				abort();
			(void)cmdline_flag(&cl, o->key);
			(void)!cmdline_get_u64(&cl, o->key, &v);
		}
		if (cmdline_opt_at(&cl, cmdline_count(&cl)))
			abort();
	} else if (cmdline_count(&cl) != 0 || !cl.error[0]) {
		abort();
	}
	free(s);
	return 0;
}
