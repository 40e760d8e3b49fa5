/*
 * fuzz_scheme_pkt.c - libFuzzer target for scheme_req_decode().
 *
 * The input is one request packet, copied to a buffer of exactly its size
 * (ASan catches any read past it). On success the invariants a server
 * relies on are checked: the header matches the bytes, the payload lies
 * inside the buffer, path payloads are NUL-terminated strings within
 * RB_PATH_MAX, RENAME holds exactly two, WRITE takes no more than offered
 * and READ-like sizes are bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/scheme_pkt.h"

static void check_path(const char *p, size_t len)
{
	if (len == 0 || len > RB_PATH_MAX || strlen(p) != len - 1)
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
	case RB_SOP_OPEN:
	case RB_SOP_UNLINK:
	case RB_SOP_DUP:
		check_path(pl, r.len);
		break;
	case RB_SOP_RENAME: {
		size_t first = strlen(pl) + 1;
		if (first >= r.len)
			abort();
		check_path(pl, first);
		check_path((const char *)pl + first, r.len - first);
		break;
	}
	case RB_SOP_WRITE:
		if (r.len > r.a || r.len > RB_SCHEME_MAX_IO)
			abort();
		break;
	case RB_SOP_READ:
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
