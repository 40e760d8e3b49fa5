/*
 * test_scheme_pkt.c - scheme_req_decode: good requests of every op, short
 * and mis-sized packets, unknown ops, path payloads (empty, unterminated,
 * inner NUL, too long), RENAME's two strings, WRITE longer than offered,
 * oversized READ/GETDENTS/FPATH, payload on ops that take none; the
 * answer-header helpers and peeking an id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "base/scheme_pkt.h"

static unsigned char pkt[sizeof(struct rb_req) + 2 * RB_PATH_MAX + 8];

/* Build op with the len payload bytes p at pkt; the packet's size. */
static size_t build(unsigned op, const void *p, size_t len, uint64_t a)
{
	struct rb_req r = {.id = 77, .op = op, .len = (unsigned)len, .handle = 5, .a = a};
	memcpy(pkt, &r, sizeof r);
	if (len)
		memcpy(pkt + sizeof r, p, len);
	return sizeof r + len;
}

static int decode(size_t n)
{
	struct rb_req r;
	const void *pl;
	return scheme_req_decode(pkt, n, &r, &pl);
}

static void test_good(void **state)
{
	struct rb_req r;
	const void *pl;
	size_t n = build(RB_SOP_OPEN, "/etc/motd", 9, RB_O_RDONLY); /* no NUL: strlen bytes */
	assert_int_equal(scheme_req_decode(pkt, n, &r, &pl), 0);
	assert_int_equal(r.id, 77);
	assert_int_equal(r.op, RB_SOP_OPEN);
	assert_int_equal(r.handle, 5);
	assert_int_equal(r.len, 9);
	assert_memory_equal(pl, "/etc/motd", 9);
	assert_ptr_equal(pl, pkt + sizeof r);

	n = build(RB_SOP_OPEN, NULL, 0, 0); /* "file:" itself */
	assert_int_equal(decode(n), 0);
	n = build(RB_SOP_READ, NULL, 0, RB_SCHEME_MAX_IO);
	assert_int_equal(scheme_req_decode(pkt, n, &r, &pl), 0);
	assert_null(pl);
	n = build(RB_SOP_WRITE, "abc", 3, 10);
	assert_int_equal(decode(n), 0);
	n = build(RB_SOP_WRITE, "abc", 3, 3);
	assert_int_equal(decode(n), 0);
	n = build(RB_SOP_RENAME, "/a\0/b", 5, 0);
	assert_int_equal(decode(n), 0);
	n = build(RB_SOP_DUP, NULL, 0, 0); /* "": a plain dup */
	assert_int_equal(decode(n), 0);
	n = build(RB_SOP_DUP, "accept", 6, 0);
	assert_int_equal(decode(n), 0);
	n = build(RB_SOP_UNLINK, "/tmp/x", 6, RB_AT_REMOVEDIR);
	assert_int_equal(decode(n), 0);
	for (unsigned op = RB_SOP_OPEN; op < RB_SOP_COUNT; op++) {
		if (op == RB_SOP_UNLINK || op == RB_SOP_RENAME)
			continue;
		n = build(op, NULL, 0, 0);
		assert_int_equal(decode(n), 0);
	}
}

static void test_framing(void **state)
{
	size_t n = build(RB_SOP_OPEN, "/x", 2, 0);
	assert_int_equal(decode(n - 1), -E_BADMSG); /* len says 2, 1 came */
	assert_int_equal(decode(n + 1), -E_BADMSG); /* a byte too many */
	assert_int_equal(decode(sizeof(struct rb_req) - 1), -E_BADMSG);
	assert_int_equal(decode(0), -E_BADMSG);
	n = build(0, NULL, 0, 0);
	assert_int_equal(decode(n), -E_INVAL);
	n = build(RB_SOP_COUNT, NULL, 0, 0);
	assert_int_equal(decode(n), -E_INVAL);
	n = build(0xffffffffu, NULL, 0, 0);
	assert_int_equal(decode(n), -E_INVAL);
}

static void test_paths(void **state)
{
	static const unsigned ops[] = {RB_SOP_OPEN, RB_SOP_UNLINK, RB_SOP_DUP};
	char big[RB_PATH_MAX];
	memset(big, 'a', sizeof big);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(decode(build(ops[i], "/ab\0", 4, 0)), -E_INVAL); /* a NUL */
		assert_int_equal(decode(build(ops[i], "/a\0c", 4, 0)), -E_INVAL);
		assert_int_equal(decode(build(ops[i], "\0", 1, 0)), -E_INVAL);
		assert_int_equal(decode(build(ops[i], big, RB_PATH_MAX - 1, 0)), 0);
		assert_int_equal(decode(build(ops[i], big, RB_PATH_MAX, 0)), -E_INVAL);
	}
	assert_int_equal(decode(build(RB_SOP_UNLINK, NULL, 0, 0)), -E_INVAL); /* empty */
}

static void test_rename(void **state)
{
	assert_int_equal(decode(build(RB_SOP_RENAME, NULL, 0, 0)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_RENAME, "/a", 2, 0)), -E_INVAL);	/* one path */
	assert_int_equal(decode(build(RB_SOP_RENAME, "/a\0", 3, 0)), -E_INVAL); /* empty to */
	assert_int_equal(decode(build(RB_SOP_RENAME, "\0/b", 3, 0)), -E_INVAL); /* empty from */
	assert_int_equal(decode(build(RB_SOP_RENAME, "/a\0/b\0", 6, 0)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_RENAME, "/a\0/b\0/c", 8, 0)), -E_INVAL);
	char two[2 * RB_PATH_MAX - 1];
	memset(two, 'b', sizeof two);
	two[RB_PATH_MAX - 1] = 0; /* 255 + NUL + 255 */
	assert_int_equal(decode(build(RB_SOP_RENAME, two, sizeof two, 0)), 0);
	two[RB_PATH_MAX - 1] = 'b';
	two[RB_PATH_MAX] = 0; /* from is 256: one byte too long */
	assert_int_equal(decode(build(RB_SOP_RENAME, two, sizeof two, 0)), -E_INVAL);
}

static void test_io_bounds(void **state)
{
	assert_int_equal(decode(build(RB_SOP_WRITE, "abcd", 4, 3)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_READ, NULL, 0, RB_SCHEME_MAX_IO + 1)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_GETDENTS, NULL, 0, 1ull << 40)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_FPATH, NULL, 0, ~0ull)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_READ, "x", 1, 1)), -E_INVAL);
	/* PREAD and PWRITE are bounded as READ and WRITE */
	assert_int_equal(decode(build(RB_SOP_PREAD, NULL, 0, RB_SCHEME_MAX_IO)), 0);
	assert_int_equal(decode(build(RB_SOP_PREAD, NULL, 0, RB_SCHEME_MAX_IO + 1)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_PREAD, "x", 1, 1)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_PWRITE, "abc", 3, 3)), 0);
	assert_int_equal(decode(build(RB_SOP_PWRITE, "abcd", 4, 3)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_COUNT, NULL, 0, 0)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_CLOSE, "x", 1, 0)), -E_INVAL);
	assert_int_equal(decode(build(RB_SOP_SEEK, NULL, 0, ~0ull)), 0); /* negative offset */
}

static void test_answers(void **state)
{
	struct rb_ans a;
	memset(&a, 0xff, sizeof a);
	scheme_ans_init(&a, 9, -E_NOENT, 12);
	assert_int_equal(a.id, 9);
	assert_int_equal(a.result, -E_NOENT);
	assert_int_equal(a.len, 12);
	assert_int_equal(a.flags, 0);
	assert_int_equal(a.arg, 0);
	scheme_ans_event(&a, 42, RB_POLLIN);
	assert_int_equal(a.flags, RB_ANS_EVENT);
	assert_int_equal(a.arg, 42);
	assert_int_equal(a.events, RB_POLLIN);
	assert_int_equal(a.len, 0);

	uint64_t id = 0;
	build(RB_SOP_READ, NULL, 0, 0);
	assert_true(scheme_req_peek_id(pkt, 8, &id));
	assert_int_equal(id, 77);
	assert_false(scheme_req_peek_id(pkt, 7, &id));
	assert_false(scheme_op_answers(RB_SOP_CLOSE));
	assert_false(scheme_op_answers(RB_SOP_CANCEL));
	assert_true(scheme_op_answers(RB_SOP_OPEN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),      cmocka_unit_test(test_framing),
	    cmocka_unit_test(test_paths),     cmocka_unit_test(test_rename),
	    cmocka_unit_test(test_io_bounds), cmocka_unit_test(test_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
