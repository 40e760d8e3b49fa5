/*
 * services - show the services init supervises, or ask init to start,
 * stop or restart one.
 *
 *     services [-H]                  one line per service
 *     services start|stop|restart NAME
 *
 * The table comes from init:/services (lib/sysfmt/svctab.h has its
 * format) and is printed as aligned columns: name, state, pid, restarts,
 * uptime, last exit status; -H adds a header line. A command is one write
 * of "VERB NAME" to init:/control. Exit codes: 0 done; 1 init: is not
 * served, init refused (not root: "permission denied (root only)"; an
 * unknown service: "no service NAME") or its table was malformed; 2 a bad
 * argument. State: this process's buffers only.
 */
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sysfmt/svctab.h"
#include "usage.h"

static const char usage[] = "usage: services [-H] | services start|stop|restart NAME\n"
			    "List init's services (name, state, pid, restarts, uptime, last\n"
			    "exit status), or ask init to start, stop or restart one (root only).\n"
			    "  -H  print a header line first\n";

#define MAX_ROWS 128

static char text[32768];
static char out[65536];
static struct svc_row rows[MAX_ROWS];

static int not_served(void)
{
	fprintf(stderr, "services: init: is not served (no service manager is running)\n");
	return 1;
}

static int list(bool header)
{
	int fd = open("init:/services", O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT)
			return not_served();
		fprintf(stderr, "services: init:/services: %s\n", strerror(errno));
		return 1;
	}
	size_t len = 0;
	ssize_t r = 0;
	while (len < sizeof text && (r = read(fd, text + len, sizeof text - len)) > 0)
		len += (size_t)r;
	int err = r < 0 ? errno : 0;
	close(fd);
	if (err) {
		fprintf(stderr, "services: reading init:/services: %s\n", strerror(err));
		return 1;
	}
	if (len == sizeof text) {
		fprintf(stderr, "services: init:/services is longer than %zu bytes\n", sizeof text);
		return 1;
	}
	unsigned bad = 0;
	const char *why = "";
	int n = svctab_parse(text, len, rows, MAX_ROWS, &bad, &why);
	if (n < 0) {
		fprintf(stderr, "services: init:/services line %u: %s\n", bad, why);
		return 1;
	}
	size_t need = svctab_format(rows, (size_t)n, header, out, sizeof out);
	fwrite(out, 1, need < sizeof out ? need : sizeof out - 1, stdout);
	return 0;
}

static int command(const char *verb, const char *name)
{
	char cmd[96];
	if (strlen(name) > SVCTAB_NAME_MAX || strchr(name, ' ') || !*name)
		usage_fail("services", usage, "bad service name '%s'", name);
	int len = snprintf(cmd, sizeof cmd, "%s %s", verb, name);
	int fd = open("init:/control", O_WRONLY);
	if (fd < 0) {
		if (errno == ENOENT)
			return not_served();
		fprintf(stderr, "services: init:/control: %s\n", strerror(errno));
		return 1;
	}
	ssize_t w = write(fd, cmd, (size_t)len);
	int err = w < 0 ? errno : 0;
	close(fd);
	if (w == len)
		return 0;
	if (err == EPERM || err == EACCES)
		fprintf(stderr, "services: permission denied (root only)\n");
	else if (err == ENOENT)
		fprintf(stderr, "services: no service %s\n", name);
	else
		fprintf(stderr, "services: %s %s: %s\n", verb, name,
			err ? strerror(err) : "short write");
	return 1;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	if (argc == 1)
		return list(false);
	if (argc == 2 && strcmp(argv[1], "-H") == 0)
		return list(true);
	const char *verb = argv[1];
	if (strcmp(verb, "start") == 0 || strcmp(verb, "stop") == 0 ||
	    strcmp(verb, "restart") == 0) {
		if (argc != 3)
			usage_fail("services", usage, "%s needs one service name", verb);
		return command(verb, argv[2]);
	}
	usage_fail("services", usage, "unknown argument '%s'", verb);
}
