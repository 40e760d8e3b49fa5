/*
 * irqstat - print the kernel's interrupt table, irq:/stats
 * (docs/interrupts.md): per vector and per CPU, the count, the kind
 * (timer, ipi, ioapic, msi, msix) and the owner, then the free vectors of
 * each CPU and the stray and unclaimed totals.
 *
 *     irqstat          the whole table
 *     irqstat -f       only the header and the per-CPU free-vector line
 *
 * Exit codes: 0 done, 1 irq:/stats could not be read, 2 a bad argument.
 * No state.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "usage.h"

static const char usage[] = "usage: irqstat [-f]\n"
			    "Show the interrupt vectors in use (irq:/stats): per vector and CPU\n"
			    "the count, kind and owner, then each CPU's free vectors.\n"
			    "  -f  only the header and the free-vector line\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	bool free_only = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") != 0)
			usage_fail("irqstat", usage, "unknown argument '%s'", argv[i]);
		free_only = true;
	}
	int fd = open("irq:/stats", O_RDONLY);
	if (fd < 0) {
		perror("irqstat: irq:/stats");
		return 1;
	}
	static char buf[65536];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n < 0) {
			perror("irqstat: read");
			close(fd);
			return 1;
		}
		if (n == 0 || len + (size_t)n == sizeof buf - 1) {
			len += (size_t)n;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	if (!free_only) {
		fwrite(buf, 1, len, stdout);
		return 0;
	}
	char *save = NULL;
	int line = 0;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save), line++)
		if (line == 0 || !strncmp(l, "free ", 5))
			printf("%s\n", l);
	return 0;
}
