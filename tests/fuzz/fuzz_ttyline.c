/*
 * fuzz_ttyline.c - libFuzzer target for the typed-line reader
 * (lib/ttyline/ttyline.c). The first byte picks the buffer size (1..64)
 * and the echo; the rest is typed. Each feed echoes at most
 * TTYLINE_ECHO_MAX bytes; the line stays NUL-terminated inside its
 * buffer, never holds a control byte, and len matches strlen. With echo,
 * the kept line equals the echoed bytes after applying the erasures;
 * without echo only the Enter is echoed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ttyline/ttyline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t cap = (size_t)(data[0] % 64) + 1;
	bool echo = data[0] & 0x80;
	char *buf = malloc(cap);
	char screen[128];
	size_t col = 0;
	struct ttyline t;
	ttyline_start(&t, buf, cap, echo, data[0] & 0x40);
	for (size_t i = 1; i < size; i++) {
		char out[TTYLINE_ECHO_MAX];
		size_t n = 99;
		enum ttyline_result r = ttyline_feed(&t, data[i], out, &n);
		if (n > TTYLINE_ECHO_MAX || t.len >= cap || buf[t.len] || strlen(buf) != t.len)
			abort();
		for (size_t k = 0; k < t.len; k++)
			if ((unsigned char)buf[k] < 0x20 || buf[k] == 0x7f)
				abort();
		for (size_t k = 0; k < n; k++) { /* replay the echo on a one-line screen */
			if (!echo && out[k] != '\n')
				abort();
			if (out[k] == '\b')
				col = col ? col - 1 : (abort(), 0);
			else if (out[k] == '\n')
				col = 0;
			else if (col < sizeof screen)
				screen[col++] = out[k];
		}
		if (echo && r == TTYLINE_MORE && t.len < sizeof screen) {
			/* a kill ("^U\n") starts a fresh screen line; else the screen is the line
			 */
			if (col != t.len && !(col == 0 && t.len == 0))
				abort();
			if (memcmp(screen, buf, t.len))
				abort();
		}
		if (r != TTYLINE_MORE) {
			ttyline_start(&t, buf, cap, echo, ttyline_ended_cr(&t));
			col = 0;
		}
	}
	free(buf);
	return 0;
}
