/*
 * serial.h - COM1 console (see serial.c).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* Program COM1 for 115200 8N1 and detect whether it exists. */
void serial_init(void);
/* Write n bytes, turning "\n" into "\r\n". Polls; safe in any context. */
void serial_write(const char *s, size_t n);
/* One received byte, or -1 if none is waiting. */
int serial_getc(void);
/* Whether a received byte is waiting (it stays for serial_getc). */
bool serial_can_read(void);
/*
 * From now on, hand received bytes to fn from COM1's interrupt (ISA IRQ 4,
 * routed to the calling CPU): fn runs in interrupt context with interrupts
 * off, n <= 16 bytes at a time. Boot CPU, once. 0, -E_NODEV (no UART), or
 * the routing error; on error input stays polled (serial_getc).
 */
int serial_irq_enable(void (*fn)(const char *buf, size_t n));
