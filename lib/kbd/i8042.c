/*
 * i8042.c - the keyboard controller's bring-up sequence (i8042.h).
 *
 * The order follows the controller's programming model (IBM PC AT
 * Technical Reference, "Keyboard Controller"; Intel 8042 data sheet):
 * nothing may interrupt or put bytes in the output buffer while the
 * configuration changes, so both ports are disabled first and what they
 * had already sent is read away; the configuration byte is read, changed
 * and written back with IRQs off; the port is enabled and the keyboard
 * told to scan while its answer is still polled; only then is IRQ 1 on.
 * Every byte written waits for status bit 1 to clear and every byte read
 * for bit 0 to set, each for at most I8042_WAIT_NS of the io's clock.
 *
 * Pure: the hardware is io's; no locks, no allocation.
 */
#include "kbd/i8042.h"
#include "base/err.h"

#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_PORT2_DISABLE 0xa7
#define CMD_PORT1_TEST 0xab
#define CMD_PORT1_DISABLE 0xad
#define CMD_PORT1_ENABLE 0xae
#define KBD_ENABLE_SCAN 0xf4
#define KBD_ACK 0xfa
#define KBD_RESEND 0xfe
#define FLUSH_MAX 32 /* a real output buffer holds one byte; QEMU's queue 16 */
#define ACK_TRIES 3  /* resends of 0xF4 the keyboard may ask for */
#define ACK_SKIP 8   /* key bytes that may come before the ACK */

static uint8_t status(const struct i8042_io *io)
{
	return io->inb(io->ctx, I8042_STATUS);
}

/* Wait until the controller takes a byte: 0 or -E_TIMEDOUT. */
static int wait_writable(const struct i8042_io *io)
{
	uint64_t start = io->now_ns(io->ctx);
	while (status(io) & I8042_ST_IN_FULL)
		if (io->now_ns(io->ctx) - start > I8042_WAIT_NS)
			return -E_TIMEDOUT;
	return 0;
}

/* Wait for a byte in the output buffer and read it into *v: 0 or -E_TIMEDOUT. */
static int read_data(const struct i8042_io *io, uint8_t *v)
{
	uint64_t start = io->now_ns(io->ctx);
	while (!(status(io) & I8042_ST_OUT_FULL))
		if (io->now_ns(io->ctx) - start > I8042_WAIT_NS)
			return -E_TIMEDOUT;
	*v = io->inb(io->ctx, I8042_DATA);
	return 0;
}

static int write_cmd(const struct i8042_io *io, uint8_t cmd)
{
	int err = wait_writable(io);
	if (err == 0)
		io->outb(io->ctx, I8042_CMD, cmd);
	return err;
}

static int write_data(const struct i8042_io *io, uint8_t v)
{
	int err = wait_writable(io);
	if (err == 0)
		io->outb(io->ctx, I8042_DATA, v);
	return err;
}

/* A command with one argument byte. */
static int write_cmd_arg(const struct i8042_io *io, uint8_t cmd, uint8_t arg)
{
	int err = write_cmd(io, cmd);
	return err < 0 ? err : write_data(io, arg);
}

/* Read away what the output buffer holds: how many bytes, or -E_IO if it never empties. */
static int flush(const struct i8042_io *io)
{
	int n = 0;
	while (status(io) & I8042_ST_OUT_FULL) {
		if (n == FLUSH_MAX)
			return -E_IO;
		(void)io->inb(io->ctx, I8042_DATA);
		n++;
	}
	return n;
}

/* Tell the keyboard to scan and wait for its ACK (key bytes before it are dropped). */
static int enable_scanning(const struct i8042_io *io)
{
	for (int tries = 0; tries < ACK_TRIES; tries++) {
		int err = write_data(io, KBD_ENABLE_SCAN);
		if (err < 0)
			return err;
		uint8_t v = 0;
		for (int skip = 0; skip < ACK_SKIP; skip++) {
			err = read_data(io, &v);
			if (err < 0)
				return -E_NODEV; /* nobody answered: no keyboard on port 1 */
			if (v == KBD_ACK)
				return 0;
			if (v == KBD_RESEND)
				break;
		}
		if (v != KBD_RESEND)
			return -E_IO;
	}
	return -E_IO;
}

#define STEP(what, expr)                                                                           \
	do {                                                                                       \
		int err_ = (expr);                                                                 \
		if (err_ < 0) {                                                                    \
			info->step = (what);                                                       \
			return err_;                                                               \
		}                                                                                  \
	} while (0)

int i8042_init(const struct i8042_io *io, struct i8042_info *info)
{
	*info = (struct i8042_info){0};
	if (status(io) == 0xff) { /* an absent port reads all ones */
		info->step = "status port reads 0xff";
		return -E_NODEV;
	}
	STEP("disable port 1", write_cmd(io, CMD_PORT1_DISABLE));
	STEP("disable port 2", write_cmd(io, CMD_PORT2_DISABLE));
	int n = flush(io);
	STEP("flush the output buffer", n);
	info->flushed = (unsigned)n;
	uint8_t cfg = 0;
	STEP("read the configuration", write_cmd(io, CMD_READ_CONFIG));
	STEP("read the configuration", read_data(io, &cfg));
	info->config_found = cfg;
	cfg &= (uint8_t) ~(I8042_CFG_IRQ1 | I8042_CFG_IRQ2 | I8042_CFG_CLK1_OFF);
	cfg |= I8042_CFG_XLATE | I8042_CFG_CLK2_OFF;
	STEP("write the configuration", write_cmd_arg(io, CMD_WRITE_CONFIG, cfg));
	STEP("port 1 test", write_cmd(io, CMD_PORT1_TEST));
	STEP("port 1 test", read_data(io, &info->port_test));
	STEP("enable port 1", write_cmd(io, CMD_PORT1_ENABLE));
	STEP("keyboard enable scanning", enable_scanning(io));
	cfg |= I8042_CFG_IRQ1;
	STEP("enable IRQ 1", write_cmd_arg(io, CMD_WRITE_CONFIG, cfg));
	info->config = cfg;
	return 0;
}
