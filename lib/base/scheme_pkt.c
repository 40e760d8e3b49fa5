/*
 * scheme_pkt.c - request decoding and answer headers for scheme servers
 * (see scheme_pkt.h). Pure: no state, no locks; the caller owns buffers.
 */
#include "base/scheme_pkt.h"
#include "base/err.h"
#include <string.h>

/* A path of len bytes (no NUL): at most RB_PATH_MAX - 1, no NUL inside. */
static bool path_ok(const char *p, size_t len)
{
	return len < RB_PATH_MAX && (len == 0 || !memchr(p, '\0', len));
}

/* RENAME's payload: "from\0to", two non-empty paths. */
static bool two_paths_ok(const char *p, size_t len)
{
	const char *nul = memchr(p, '\0', len);
	if (!nul)
		return false;
	size_t first = (size_t)(nul - p);
	return first > 0 && first + 1 < len && path_ok(p, first) &&
	       path_ok(p + first + 1, len - first - 1);
}

static int check_payload(const struct rb_req *r, const void *payload)
{
	switch (r->op) {
	case RB_SOP_OPEN:
	case RB_SOP_DUP:
		return path_ok(payload, r->len) ? 0 : -E_INVAL;
	case RB_SOP_UNLINK:
		return r->len && path_ok(payload, r->len) ? 0 : -E_INVAL;
	case RB_SOP_RENAME:
		return r->len && two_paths_ok(payload, r->len) ? 0 : -E_INVAL;
	case RB_SOP_WRITE:
	case RB_SOP_PWRITE:
		return r->len <= r->a && r->len <= RB_SCHEME_MAX_IO ? 0 : -E_INVAL;
	default:
		return r->len == 0 ? 0 : -E_INVAL;
	}
}

static int check_args(const struct rb_req *r)
{
	switch (r->op) {
	case RB_SOP_READ:
	case RB_SOP_PREAD:
	case RB_SOP_GETDENTS:
	case RB_SOP_FPATH:
		return r->a <= RB_SCHEME_MAX_IO ? 0 : -E_INVAL;
	default:
		return 0;
	}
}

int scheme_req_decode(const void *buf, size_t n, struct rb_req *out, const void **payload)
{
	if (n < sizeof *out)
		return -E_BADMSG;
	memcpy(out, buf, sizeof *out);
	if (out->len != n - sizeof *out)
		return -E_BADMSG;
	if (out->op == 0 || out->op >= RB_SOP_COUNT)
		return -E_INVAL;
	*payload = out->len ? (const char *)buf + sizeof *out : NULL;
	int r = check_payload(out, *payload);
	if (r == 0)
		r = check_args(out);
	return r;
}

bool scheme_req_peek_id(const void *buf, size_t n, uint64_t *id)
{
	if (n < sizeof(uint64_t))
		return false;
	memcpy(id, buf, sizeof *id);
	return true;
}

bool scheme_op_answers(unsigned int op)
{
	return op != RB_SOP_CLOSE && op != RB_SOP_CANCEL;
}

void scheme_ans_init(struct rb_ans *ans, uint64_t id, long long result, unsigned int len)
{
	memset(ans, 0, sizeof *ans);
	ans->id = id;
	ans->result = result;
	ans->len = len;
}

void scheme_ans_event(struct rb_ans *ans, uint64_t handle, unsigned int events)
{
	memset(ans, 0, sizeof *ans);
	ans->flags = RB_ANS_EVENT;
	ans->arg = handle;
	ans->events = events;
}
