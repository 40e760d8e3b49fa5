/*
 * fuzz_scheme_pkt.c - libFuzzer target for scheme_req_decode().
 *
 * The input is one request packet, copied to a buffer of exactly its size
 * (ASan catches any read past it). On success the invariants a server
 * relies on are checked: the header matches the bytes, the payload lies
 * inside the buffer, path payloads hold no NUL and fit a RB_PATH_MAX
 * buffer, RENAME holds exactly two non-empty ones, WRITE and PWRITE take no more than
 * offered and READ-like sizes (PREAD's too) are bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/scheme_pkt.h"

static void check_path(const char *p, size_t len)
{
	if (len >= RB_PATH_MAX || (len && memchr(p, 0, len))) /* an empty path has no buffer */
		abort();
}

static void check(const unsigned char *buf, size_t n)
{
	struct rb_req r;
	const void *pl;
	if (scheme_req_decode(buf, n, &r, &pl) != 0)
		return;
	if (memcmp(&r, buf, sizeof r) != 0 || sizeof r + r.len != n)
		abort();
	if (r.len ? pl != buf + sizeof r : pl != NULL)
		abort();
	if (r.op == 0 || r.op >= RB_SOP_COUNT)
		abort();
	switch (r.op) {
	case RB_SOP_UNLINK:
		if (r.len == 0)
			abort();
		/* fall through */
	case RB_SOP_OPEN:
	case RB_SOP_DUP:
		check_path(pl, r.len);
		break;
	case RB_SOP_RENAME: {
		const char *nul = memchr(pl, 0, r.len);
		if (!nul || nul == pl || (size_t)(nul - (const char *)pl) + 1 >= r.len)
			abort();
		size_t first = (size_t)(nul - (const char *)pl);
		check_path(pl, first);
		check_path(nul + 1, r.len - first - 1);
		break;
	}
	case RB_SOP_WRITE:
	case RB_SOP_PWRITE:
		if (r.len > r.a || r.len > RB_SCHEME_MAX_IO)
			abort();
		break;
	case RB_SOP_READ:
	case RB_SOP_PREAD:
	case RB_SOP_GETDENTS:
	case RB_SOP_FPATH:
		if (r.a > RB_SCHEME_MAX_IO || r.len)
			abort();
		break;
	default:
		if (r.len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	check(buf, size);
	free(buf);
	return 0;
}
