/*
 * i8042.h - bringing up the PC keyboard controller (the 8042 and its
 * successors in every chipset; QEMU's i8042) for a keyboard on its first
 * port, the part of ps2d (docs/ps2.md) that talks to it before the
 * interrupt loop takes over.
 *
 * The controller has two ports: 0x60 data (read: the output buffer, a
 * byte from the controller or a device; write: a byte for the keyboard,
 * or a command's argument) and 0x64 (read: status; write: a controller
 * command). Status bit 0 says the output buffer is full (a byte waits at
 * 0x60), bit 1 that the input buffer is full (the controller has not
 * taken the last byte written yet: wait before writing another), bit 5
 * that the waiting byte came from the second (mouse) port.
 *
 * The hardware goes through struct i8042_io, so the sequence runs on the
 * host against a simulated controller (tests/host/test_i8042.c). Every
 * wait is bounded by the io's clock: a controller that never answers
 * gives -E_TIMEDOUT and the step it failed at, never a hang.
 *
 * No locks, no allocation: the caller owns the controller for the whole
 * call (ps2d is its only user: the kernel leaves 0x60/0x64 alone).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define I8042_DATA 0x60
#define I8042_STATUS 0x64 /* read */
#define I8042_CMD 0x64	  /* write */

#define I8042_ST_OUT_FULL 0x01 /* a byte waits at 0x60 */
#define I8042_ST_IN_FULL 0x02  /* the controller has not taken the last write */
#define I8042_ST_AUX 0x20      /* the waiting byte is the second port's */

/* The controller configuration byte (commands 0x20 read, 0x60 write). */
#define I8042_CFG_IRQ1 0x01	/* interrupt (IRQ 1) when port 1's byte arrives */
#define I8042_CFG_IRQ2 0x02	/* interrupt (IRQ 12) for port 2 */
#define I8042_CFG_CLK1_OFF 0x10 /* port 1's clock disabled */
#define I8042_CFG_CLK2_OFF 0x20 /* port 2's clock disabled */
#define I8042_CFG_XLATE 0x40	/* translate the keyboard's set 2 to set 1 */

#define I8042_WAIT_NS 250000000ull /* longest wait for one byte or one free slot */

struct i8042_io {
	void *ctx;
	uint8_t (*inb)(void *ctx, uint16_t port);
	void (*outb)(void *ctx, uint16_t port, uint8_t v);
	uint64_t (*now_ns)(void *ctx); /* a monotonic clock */
};

struct i8042_info {
	const char *step;     /* the step that failed (for the log), or NULL */
	uint8_t config_found; /* the configuration byte as firmware left it */
	uint8_t config;	      /* as written at the end */
	uint8_t port_test;    /* port 1's interface test result: 0 means passed */
	unsigned flushed;     /* stale bytes thrown away */
};

/*
 * Disable both ports, flush the output buffer, keep translation on and
 * port 2 off in the configuration byte, test port 1's interface (command
 * 0xAB; harmless, unlike the controller self-test 0xAA, which resets the
 * controller on some chipsets), enable port 1, tell the keyboard to scan
 * (0xF4, answered 0xFA), then enable IRQ 1. 0, or -E_NODEV (no controller:
 * the status port reads 0xFF; or no keyboard ACK), -E_TIMEDOUT, -E_IO,
 * with info->step naming the step.
 */
int i8042_init(const struct i8042_io *io, struct i8042_info *info);
