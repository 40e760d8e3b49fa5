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
