/*
 * serial.c - COM1 (I/O port 0x3F8) as the primary console: 115200 8N1,
 * FIFOs on, no interrupts (output polls the line-status register, which is
 * what a panic path needs anyway). Input is polled too, for now.
 *
 * Locking: `present` is set once by the boot CPU in serial_init. Output
 * comes only through log.c, under its log lock, so lines never interleave.
 * serial_getc takes no lock: two CPUs polling at once can both see
 * DATA_READY and one then reads no new byte (the UART hands back the last
 * one); the debug scheme is its only reader.
 */
#include <stdbool.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"

#define COM1 0x3F8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool present;

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
