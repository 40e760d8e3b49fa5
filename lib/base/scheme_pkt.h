/*
 * scheme_pkt.h - decoding and checking the request packets a scheme
 * server reads from its server fd, and building answer headers
 * (docs/ipc.md, struct rb_req / struct rb_ans in base/syscall_nr.h).
 *
 * A request is a struct rb_req followed by exactly req.len payload bytes.
 * scheme_req_decode() copies the header out (no alignment is assumed of
 * the buffer) and checks it against the op: framing errors are -E_BADMSG,
 * a well-framed but impossible request is -E_INVAL. A path payload is the
 * path's bytes with no NUL (the kernel sends strlen bytes): at most
 * RB_PATH_MAX - 1 of them and no NUL among them. OPEN's and DUP's may be
 * empty ("file:" is the scheme's root; "" is a plain dup), UNLINK's may
 * not; RENAME's is "from\0to": exactly one NUL between two non-empty
 * paths. Pure functions: no state, no locks; used by the server helper
 * (user/lib/server.c), host tests and the fuzzer.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "base/syscall_nr.h"

/*
 * Decode the n bytes at buf into *out and point *payload at the payload
 * (inside buf; NULL when req.len is 0): 0, -E_BADMSG (short, or req.len
 * disagrees with n) or -E_INVAL (unknown op, bad path, oversized I/O,
 * payload on an op that takes none).
 */
MUST_CHECK int scheme_req_decode(const void *buf, size_t n, struct rb_req *out,
				 const void **payload);

/* The id of the request in buf, if n covers it: true and *id, else false. */
bool scheme_req_peek_id(const void *buf, size_t n, uint64_t *id);

/* True if op takes an answer (every op but CLOSE and CANCEL). */
bool scheme_op_answers(unsigned int op);

/* Fill *ans: answer to id with result and len payload bytes, no flags. */
void scheme_ans_init(struct rb_ans *ans, uint64_t id, long long result, unsigned int len);

/* Fill *ans as an RB_ANS_EVENT: handle's readiness is now events. */
void scheme_ans_event(struct rb_ans *ans, uint64_t handle, unsigned int events);
