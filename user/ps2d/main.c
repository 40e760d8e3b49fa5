/*
 * ps2d - the PS/2 keyboard driver: what is typed on the keyboard of the
 * PC's i8042 keyboard controller reaches the console as if typed on the
 * serial line (docs/ps2.md).
 *
 *   ps2d [ACPI-PATH]   (spawned by driver-manager for the ACPI device with
 *                       _HID or _CID PNP0303 or PNP030B:
 *                       initfs/etc/drivers.d/ps2.toml; the path names it
 *                       in the log)
 *
 * Steps: open the keyboard's interrupt, ISA IRQ 1, as irq:/isa/1 (the
 * kernel maps it to its GSI, trigger and polarity through the MADT's
 * interrupt source overrides; on QEMU GSI 1, edge, active high), and
 * debug:/input (the console's input, root only); bring the controller
 * up with lib/kbd/i8042.c (bounded waits); say how in one line and in
 * the status line for driver-manager (docs/drivers.md): `ready isa 1`;
 * `unsupported` when there is no controller or no keyboard (exit 0:
 * nothing to drive, nothing a restart would mend); `fatal` when the
 * controller does not answer or the irq or input cannot be opened (exit
 * 1). Then loop: read away every byte the controller holds (status bit
 * 0) that came from port 1, decode it with lib/kbd (scan code set 1, US
 * layout) and write the bytes to debug:/input; wait for the interrupt.
 * The wait is a poll with a 1 s timeout, so a lost edge costs at most a
 * second, never the keyboard. SIGTERM ends it with exit 0.
 *
 * The ports (0x60, 0x64) and IRQ 1 are the PC's fixed ones; the device's
 * _CRS is not read. Needs, from initfs/etc/hw.policy, those ports and the
 * irq right; uid 0 for debug:/input. One thread; all state is main's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "kbd/i8042.h"
#include "kbd/kbd.h"
#include "rb/drv.h"
#include "rb/port.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/service.h"
#include "rb/sys.h"

#define IRQ_PATH "irq:/isa/1"
#define INPUT_PATH "debug:/input"
#define WAIT_NS 1000000000ll /* poll the controller at least this often */
#define DRAIN_MAX 64	     /* bytes taken per wake: a stuck status bit cannot hold us */

static volatile int stop;

static void on_term(int sig)
{
	stop = 1;
}

static uint8_t io_inb(void *ctx, uint16_t port)
{
	return rb_inb(port);
}

static void io_outb(void *ctx, uint16_t port, uint8_t v)
{
	rb_outb(port, v);
}

static uint64_t io_now(void *ctx)
{
	return rb_now_ns();
}

/* Decode what the controller holds and hand the bytes to the console. */
static void drain(struct kbd *k, int input)
{
	char out[256];
	size_t len = 0;
	for (int i = 0; i < DRAIN_MAX; i++) {
		uint8_t st = rb_inb(I8042_STATUS);
		if (!(st & I8042_ST_OUT_FULL))
			break;
		uint8_t sc = rb_inb(I8042_DATA);
		if (st & I8042_ST_AUX)
			continue; /* port 2's (a mouse): not ours, it is disabled anyway */
		len += kbd_feed(k, sc, out + len);
		if (len > sizeof out - KBD_OUT_MAX) {
			(void)rb_write(input, out, len);
			len = 0;
		}
	}
	if (len)
		(void)rb_write(input, out, len); /* a full ring drops them, as for serial */
}

/* Say why the probe ended, in the log and to driver-manager: code, the exit code. */
static int give_up(int code, const char *kind, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int give_up(int code, const char *kind, const char *fmt, ...)
{
	char why[96];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	rb_printf("ps2d: %s\n", why);
	drv_status("%s %s", kind, why);
	return code;
}

int main(int argc, char **argv)
{
	struct rb_sigaction sa = {.handler = on_term};
	rb_sigaction(RB_SIGTERM, &sa, NULL);
	if (argc > 2 || (argc == 2 && argv[1][0] != '\\')) {
		rb_printf("usage: ps2d [ACPI-PATH]\n");
		return 2;
	}
	const char *dev = argc == 2 ? argv[1] : "the i8042";
	int irq = rb_open(IRQ_PATH, RB_O_RDWR | RB_O_NONBLOCK);
	if (irq < 0)
		return give_up(1, "fatal", "open %s: %s", IRQ_PATH, err_name(irq));
	static const char label[] = "label ps2d keyboard";
	(void)rb_write(irq, label, sizeof label - 1);
	int input = rb_open(INPUT_PATH, RB_O_WRONLY);
	if (input < 0)
		return give_up(1, "fatal", "open %s: %s", INPUT_PATH, err_name(input));
	struct i8042_io io = {NULL, io_inb, io_outb, io_now};
	struct i8042_info info;
	int err = i8042_init(&io, &info);
	if (err == -E_NODEV)
		return give_up(0, "unsupported", "i8042: %s: %s; no PS/2 keyboard", info.step,
			       err_name(err));
	if (err < 0)
		return give_up(1, "fatal", "i8042: %s: %s", info.step, err_name(err));
	rb_printf("ps2d: keyboard on i8042 port 1 (config 0x%02x -> 0x%02x%s), %s, %s\n",
		  info.config_found, info.config, info.port_test ? ", port test failed" : "",
		  IRQ_PATH, dev);
	drv_status("ready isa 1");
	rb_service_notify(getenv("INIT_NOTIFY"));
	struct kbd k;
	kbd_init(&k);
	while (!stop) {
		drain(&k, input);
		struct rb_pollfd p = {irq, RB_POLLIN, 0};
		int r = rb_poll(&p, 1, WAIT_NS);
		if (r < 0 && r != -E_INTR) {
			rb_printf("ps2d: poll: %s\n", err_name(r));
			return 1;
		}
		uint64_t count;
		if (r > 0 && rb_read(irq, &count, sizeof count) == sizeof count) {
			drain(&k, input);
			(void)rb_write(irq, &count,
				       sizeof count); /* ack: a no-op on an edge line */
		}
	}
	return 0;
}
