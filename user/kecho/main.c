/*
 * kecho - console input check for tests/boot/test_console_input.py, run
 * as init. It prints "kecho: ready", waits in poll for fd 0 (the console)
 * to become readable, reads one line with blocking reads, prints
 * "kecho: got <line>", checks that a non-blocking read of "debug:" then
 * gives EAGAIN (the ring is empty again) and powers off.
 *
 * "kecho flood" (init.flood) checks a flood past the kernel's 4 KiB input
 * ring instead: it waits, without reading, until fstat says the ring is
 * full ("kecho: full"), reads it and checks that it holds the first
 * FLOOD_RING bytes typed, in order ("kecho: drained ok"), then reads up
 * to a '\n' and prints how many bytes it got in all ("kecho: flood got
 * N"); the test adds the kernel's "input bytes dropped" counts to N.
 * Nothing else reads the console meanwhile; it owns no shared state.
 */
#include <string.h>
#include "rb/stdio.h"
#include "rb/sys.h"

#define FLOOD_RING 4096 /* the kernel's input ring (kernel/scheme/debug.c) */

/* The byte the test types at position i of a flood. */
static char flood_byte(size_t i)
{
	return (char)('a' + i % 26);
}

static int flood(void)
{
	static char buf[FLOOD_RING];
	struct rb_stat st = {0};
	rb_printf("kecho: flood ready\n");
	while (rb_fstat(0, &st) == 0 && st.size < FLOOD_RING)
		rb_sched_yield(); /* not reading: let the ring fill */
	rb_printf("kecho: full %llu\n", st.size);
	size_t got = 0;
	while (got < FLOOD_RING) {
		long r = rb_read(0, buf + got, FLOOD_RING - got);
		if (r <= 0) {
			rb_printf("kecho: read %ld\n", r);
			return 1;
		}
		got += (size_t)r;
	}
	for (size_t i = 0; i < FLOOD_RING; i++)
		if (buf[i] != flood_byte(i)) {
			rb_printf("kecho: byte %zu is %#x\n", i, (unsigned char)buf[i]);
			return 1;
		}
	rb_printf("kecho: drained ok\n");
	char c = 0;
	while (c != '\n') {
		if (rb_read(0, &c, 1) != 1) {
			rb_printf("kecho: read failed after %zu\n", got);
			return 1;
		}
		got++;
	}
	rb_printf("kecho: flood got %zu\n", got);
	return 0;
}

static void echo_line(void)
{
	char line[64];
	size_t n = 0;
	rb_printf("kecho: ready\n");
	struct rb_pollfd p = {0, RB_POLLIN, 0};
	int r = rb_poll(&p, 1, -1);
	rb_printf("kecho: poll %d revents %#x\n", r, p.revents);
	while (n < sizeof line - 1) {
		long got = rb_read(0, line + n, 1);
		if (got != 1) {
			rb_printf("kecho: read %ld\n", got);
			break;
		}
		if (line[n] == '\r' || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	rb_printf("kecho: got %s\n", line);
	int fd = rb_open("debug:", RB_O_RDONLY | RB_O_NONBLOCK);
	long again = fd < 0 ? fd : rb_read(fd, line, 1);
	rb_printf("kecho: then %s\n", again == -E_AGAIN ? "empty" : err_name((int)again));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "flood") == 0)
		(void)flood();
	else
		echo_line();
	rb_poweroff();
	return 0;
}
