/*
 * test_i8042.c - the keyboard controller bring-up (lib/kbd/i8042.c)
 * against a simulated controller: the command order, the configuration
 * byte (translation kept on, port 2 off, IRQ 1 on last), stale bytes
 * flushed, the keyboard's ACK after a resend or after key bytes; and the
 * failures, each bounded by the clock: no controller, a controller that
 * never takes a byte, one whose output buffer never empties, no keyboard.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "kbd/i8042.h"

struct sim {
	uint8_t q[64];
	size_t qn;
	uint8_t cfg;
	bool want_arg;	 /* the next data byte is command 0x60's argument */
	bool absent;	 /* status reads 0xff */
	bool deaf;	 /* the input buffer never empties */
	bool stuck;	 /* the output buffer never empties */
	bool no_kbd;	 /* nobody answers 0xF4 */
	int resends;	 /* answer 0xF4 with 0xFE this many times */
	int keys_first;	 /* key bytes before the ACK */
	uint8_t log[64]; /* commands and data written, in order */
	size_t logn;
	uint64_t now; /* advances 1 ms per clock read */
	unsigned clock_reads;
	unsigned cfg_writes;
};

static void push(struct sim *s, uint8_t v)
{
	if (s->qn < sizeof s->q)
		s->q[s->qn++] = v;
}

static uint8_t sim_inb(void *ctx, uint16_t port)
{
	struct sim *s = ctx;
	if (s->absent)
		return 0xff;
	if (port == I8042_STATUS)
		return (uint8_t)((s->qn || s->stuck ? I8042_ST_OUT_FULL : 0) |
				 (s->deaf ? I8042_ST_IN_FULL : 0) | 0x04);
	assert_int_equal(port, I8042_DATA);
	if (!s->qn)
		return 0;
	uint8_t v = s->q[0];
	memmove(s->q, s->q + 1, --s->qn);
	return v;
}

static void sim_outb(void *ctx, uint16_t port, uint8_t v)
{
	struct sim *s = ctx;
	assert_false(s->deaf); /* never written while the input buffer is full */
	assert_true(s->logn < sizeof s->log);
	s->log[s->logn++] = v;
	if (port == I8042_CMD) {
		if (v == 0x20)
			push(s, s->cfg);
		else if (v == 0x60)
			s->want_arg = true;
		else if (v == 0xab)
			push(s, 0x00);
		return;
	}
	assert_int_equal(port, I8042_DATA);
	if (s->want_arg) {
		s->cfg = v;
		s->want_arg = false;
		s->cfg_writes++;
		return;
	}
	assert_int_equal(v, 0xf4);
	if (s->no_kbd)
		return;
	for (; s->keys_first > 0; s->keys_first--)
		push(s, 0x1e);
	if (s->resends > 0) {
		s->resends--;
		push(s, 0xfe);
		return;
	}
	push(s, 0xfa);
}

static uint64_t sim_now(void *ctx)
{
	struct sim *s = ctx;
	s->clock_reads++;
	return s->now += 1000000;
}

static int run(struct sim *s, struct i8042_info *info)
{
	struct i8042_io io = {s, sim_inb, sim_outb, sim_now};
	return i8042_init(&io, info);
}

static void test_bring_up(void **state)
{
	struct sim s = {.cfg = 0x47}; /* firmware's: IRQ 1 and 2, system flag, translation */
	push(&s, 0x1e), push(&s, 0x9e), push(&s, 0xfa); /* stale bytes */
	struct i8042_info info;
	assert_int_equal(run(&s, &info), 0);
	assert_null(info.step);
	assert_int_equal(info.flushed, 3);
	assert_int_equal(info.config_found, 0x47);
	assert_int_equal(info.port_test, 0);
	assert_int_equal(info.config, 0x65); /* translation, system flag, port 2 clock off, IRQ 1 */
	assert_int_equal(s.cfg, 0x65);
	assert_int_equal(s.cfg_writes, 2);
	static const uint8_t want[] = {0xad, 0xa7, 0x20, 0x60, 0x64, 0xab, 0xae, 0xf4, 0x60, 0x65};
	assert_int_equal(s.logn, sizeof want);
	assert_memory_equal(s.log, want, sizeof want);
	assert_int_equal(s.qn, 0);
}

static void test_translation_turned_on(void **state)
{
	struct sim s = {.cfg = 0x10}; /* port 1 clock off, no translation */
	struct i8042_info info;
	assert_int_equal(run(&s, &info), 0);
	assert_int_equal(s.cfg, I8042_CFG_XLATE | I8042_CFG_CLK2_OFF | I8042_CFG_IRQ1);
}

static void test_resend_and_keys_before_ack(void **state)
{
	struct sim s = {.cfg = 0x45, .resends = 2, .keys_first = 2};
	struct i8042_info info;
	assert_int_equal(run(&s, &info), 0);
	assert_int_equal(s.cfg & I8042_CFG_IRQ1, I8042_CFG_IRQ1);
}

static void test_absent(void **state)
{
	struct sim s = {.absent = true};
	struct i8042_info info;
	assert_int_equal(run(&s, &info), -E_NODEV);
	assert_non_null(info.step);
	assert_int_equal(s.logn, 0);
}

static void test_deaf_controller_times_out(void **state)
{
	struct sim s = {.deaf = true};
	struct i8042_info info;
	assert_int_equal(run(&s, &info), -E_TIMEDOUT);
	assert_string_equal(info.step, "disable port 1");
	assert_true(s.clock_reads <= I8042_WAIT_NS / 1000000 + 2);
}

static void test_stuck_output_buffer(void **state)
{
	struct sim s = {.stuck = true};
	struct i8042_info info;
	assert_int_equal(run(&s, &info), -E_IO);
	assert_string_equal(info.step, "flush the output buffer");
}

static void test_no_keyboard(void **state)
{
	struct sim s = {.cfg = 0x47, .no_kbd = true};
	struct i8042_info info;
	assert_int_equal(run(&s, &info), -E_NODEV);
	assert_string_equal(info.step, "keyboard enable scanning");
	assert_int_equal(s.cfg & I8042_CFG_IRQ1, 0); /* IRQ 1 stays off */
}

static void test_keyboard_keeps_asking_resend(void **state)
{
	struct sim s = {.cfg = 0x47, .resends = 100};
	struct i8042_info info;
	assert_int_equal(run(&s, &info), -E_IO);
	assert_string_equal(info.step, "keyboard enable scanning");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bring_up),
	    cmocka_unit_test(test_translation_turned_on),
	    cmocka_unit_test(test_resend_and_keys_before_ack),
	    cmocka_unit_test(test_absent),
	    cmocka_unit_test(test_deaf_controller_times_out),
	    cmocka_unit_test(test_stuck_output_buffer),
	    cmocka_unit_test(test_no_keyboard),
	    cmocka_unit_test(test_keyboard_keeps_asking_resend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
