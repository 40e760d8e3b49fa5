/*
 * serial.c - COM1 (I/O port 0x3F8) as the primary console: 115200 8N1,
 * FIFOs on. Output polls the line-status register (what a panic path needs
 * anyway). Input is polled (serial_getc) until serial_irq_enable, then
 * interrupt driven: IRQ 4 drains the receive FIFO into the callback.
 *
 * Locking: `present` is set once by the boot CPU in serial_init. Output
 * comes only through log.c, under its log lock, so lines never interleave.
 * serial_getc takes no lock: two CPUs polling at once can both see
 * DATA_READY and one then reads no new byte (the UART hands back the last
 * one); the debug scheme is its only reader. Once the interrupt is on,
 * only serial_irq (on the boot CPU, interrupts off) reads the data
 * register; rx_fn is written once before the interrupt is routed.
 */
#include <stdbool.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "base/err.h"

#define COM1 0x3F8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define IER_RX 0x01   /* interrupt when received data is available */
#define MCR_OUT2 0x08 /* on PC UARTs, gates the interrupt line to the IRQ pin */
#define VEC_SERIAL 0x24
#define SERIAL_IRQ 4
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool present;
static void (*rx_fn)(const char *buf, size_t n); /* set once by serial_irq_enable */

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x80); /* DLAB on: next two writes set the divisor */
	outb(COM1 + REG_DATA, 1);   /* 115200 / 1 */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x03); /* 8 bits, no parity, 1 stop */
	outb(COM1 + REG_FCR, 0xC7); /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + REG_MCR, 0x03); /* DTR, RTS */
	/* A missing UART reads as 0xFF; then stay silent instead of spinning. */
	present = inb(COM1 + REG_LSR) != 0xFF;
}

static void put_raw(char c)
{
	for (int spins = 0; spins < 100000; spins++)
		if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	if (!present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put_raw('\r');
		put_raw(s[i]);
	}
}

int serial_getc(void)
{
	if (!present || !(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + REG_DATA);
}

bool serial_can_read(void)
{
	return present && (inb(COM1 + REG_LSR) & LSR_DATA_READY);
}

/* Read what the receive FIFO holds (at most n bytes) into buf: how many. */
static size_t rx_drain(char *buf, size_t n)
{
	size_t got = 0;
	while (got < n && (inb(COM1 + REG_LSR) & LSR_DATA_READY))
		buf[got++] = (char)inb(COM1 + REG_DATA);
	return got;
}

/* IRQ 4: drain the receive FIFO until it is empty (the UART drops its
   line then; the next byte raises a new edge), passing the bytes on, and
   only then EOI: a byte that comes after the last look raises an edge
   that waits in the local APIC until the EOI. */
static void serial_irq(struct trap_frame *tf)
{
	char buf[16];
	size_t n;
	do {
		n = rx_drain(buf, sizeof buf);
		if (n && rx_fn)
			rx_fn(buf, n);
	} while (n == sizeof buf);
	lapic_eoi();
}

int serial_irq_enable(void (*fn)(const char *buf, size_t n))
{
	if (!present)
		return -E_NODEV;
	rx_fn = fn;
	trap_register(VEC_SERIAL, serial_irq);
	int err = ioapic_route_isa(SERIAL_IRQ, VEC_SERIAL, lapic_id());
	if (err < 0)
		return err;
	outb(COM1 + REG_FCR, 0x07);	       /* FIFO on, cleared, interrupt at 1 byte */
	outb(COM1 + REG_MCR, 0x03 | MCR_OUT2); /* DTR, RTS, and the IRQ line */
	outb(COM1 + REG_IER, IER_RX);
	/* Bytes that came before IER was set raised no edge: take them now. */
	char buf[16];
	uint64_t f = irq_save();
	size_t n;
	do {
		n = rx_drain(buf, sizeof buf);
		if (n)
			fn(buf, n);
	} while (n == sizeof buf);
	irq_restore(f);
	return 0;
}
