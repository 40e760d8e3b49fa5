/*
 * fuzz_scheme_path.c - libFuzzer target for scheme_path_split().
 *
 * The input is used as is, bounded by its size (so ASan catches a read
 * past the end when there is no NUL), and again NUL-terminated. On
 * success the invariants are checked: the name is valid and starts the
 * input, the ':' follows it, and the rest lies inside the input and ends
 * at its NUL; a plain path (-E_NOENT) has no ':' before its first '/'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/scheme_path.h"

static void check(const char *s, size_t max)
{
	struct scheme_path sp;
	int r = scheme_path_split(s, max, &sp);
	if (r == -E_NOENT) { /* a plain path: no ':' before the first '/' and the end */
		size_t end = strnlen(s, max), cut = strcspn(s, "/");
		if (memchr(s, ':', cut < end ? cut : end))
			abort();
	}
	if (r != 0)
		return;
	if (sp.name != s || !scheme_name_valid(sp.name, sp.name_len))
		abort();
	if (s[sp.name_len] != ':' || sp.rest != s + sp.name_len + 1)
		abort();
	if (memchr(s, ':', sp.name_len) || memchr(s, '/', sp.name_len) ||
	    sp.name_len + 1 + sp.rest_len >= max)
		abort();
	if (sp.rest[sp.rest_len] != '\0' || strlen(sp.rest) != sp.rest_len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	check(s, size);
	s[size] = 0;
	check(s, size + 1);
	free(s);
	return 0;
}
