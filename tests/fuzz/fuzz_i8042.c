/*
 * fuzz_i8042.c - libFuzzer target for the keyboard controller bring-up
 * (lib/kbd/i8042.c) against a controller that answers with the input's
 * bytes: every read of either port takes the next byte (0 once they run
 * out: an idle controller that never has a byte), and the clock moves
 * 1 ms per look. Checks: i8042_init ends after a bounded number of
 * looks whatever the controller says, returns 0 or one of its errors,
 * and names a step exactly when it fails.
 */
#include <stdint.h>
#include <stdlib.h>
#include "base/err.h"
#include "kbd/i8042.h"

struct fake {
	const uint8_t *data;
	size_t size, pos;
	uint64_t now;
	unsigned looks;
};

static uint8_t f_inb(void *ctx, uint16_t port)
{
	struct fake *f = ctx;
	return f->pos < f->size ? f->data[f->pos++] : 0;
}

static void f_outb(void *ctx, uint16_t port, uint8_t v)
{
	if (port != I8042_DATA && port != I8042_CMD)
		abort();
}

static uint64_t f_now(void *ctx)
{
	struct fake *f = ctx;
	f->looks++;
	return f->now += 1000000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake f = {data, size, 0, 0, 0};
	struct i8042_io io = {&f, f_inb, f_outb, f_now};
	struct i8042_info info;
	int r = i8042_init(&io, &info);
	if (r != 0 && r != -E_NODEV && r != -E_TIMEDOUT && r != -E_IO)
		abort();
	if ((r == 0) != (info.step == NULL))
		abort();
	if (f.looks > 20000) /* about 40 bounded waits of 250 looks */
		abort();
	return 0;
}
