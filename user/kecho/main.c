/*
 * kecho - console input check for tests/boot/test_console_input.py, run
 * as init. It prints "kecho: ready", waits in poll for fd 0 (the console)
 * to become readable, reads one line with blocking reads, prints
 * "kecho: got <line>", checks that a non-blocking read of "debug:" then
 * gives EAGAIN (the ring is empty again) and powers off. Nothing else
 * reads the console meanwhile; it owns no shared state.
 */
#include "rb/stdio.h"
#include "rb/sys.h"

int main(void)
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
	rb_poweroff();
	return 0;
}
