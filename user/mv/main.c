/*
 * mv - rename files and directories. "mv SRC DST" renames SRC to DST (to
 * DST/NAME when DST is a directory); with several SRCs DST must be a
 * directory. The kernel renames within one scheme only (EXDEV otherwise):
 * then mv runs `cp -r SRC TARGET` and, if that succeeded, `rm -r SRC`
 * (found on PATH, like a shell: programs load from initfs), and their
 * messages are its own. Errors name the file and the reason; exit 1 if
 * any move failed. Single-threaded; each target path is owned by the loop
 * iteration that made it.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fdio.h"
#include "usage.h"

static const char usage[] = "usage: mv SRC... DST\n"
			    "Rename SRC to DST, or move each SRC into the directory DST.\n"
			    "Across file systems: copy (cp -r), then remove (rm -r).\n";

/* Run PROG -r A [B] (found on PATH) and wait: its exit status, or 1 if it could not start. */
static int run(const char *prog, const char *a, const char *b)
{
	char *argv[] = {(char *)prog, "-r", (char *)a, (char *)b, NULL};
	pid_t pid;
	int err = posix_spawnp(&pid, prog, NULL, NULL, argv, environ);
	if (err) {
		fprintf(stderr, "mv: cannot run %s: %s\n", prog, strerror(err));
		return 1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int move(const char *src, const char *to)
{
	struct stat st;
	if (stat(src, &st) < 0) {
		fprintf(stderr, "mv: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (rename(src, to) == 0)
		return 0;
	if (errno != EXDEV) {
		fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, to, strerror(errno));
		return 1;
	}
	if (run("cp", src, to) != 0)
		return 1;
	return run("rm", src, NULL) != 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	opterr = 0;
	if (getopt(argc, argv, "") != -1)
		usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	int nsrc = argc - optind - 1;
	if (nsrc < 1)
		usage_fail(argv[0], usage, "missing %s operand",
			   argc > optind ? "destination" : "file");
	const char *dst = argv[argc - 1];
	struct stat st;
	int dst_dir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (nsrc > 1 && !dst_dir) {
		fprintf(stderr, "mv: target '%s' is not a directory\n", dst);
		return 1;
	}
	int status = 0;
	for (int i = optind; i < argc - 1; i++) {
		char *target = NULL;
		if (dst_dir) {
			char *base = path_base(argv[i]);
			target = base ? path_join(dst, base) : NULL;
			free(base);
			if (!target) {
				fprintf(stderr, "mv: %s\n", strerror(ENOMEM));
				return 1;
			}
		}
		status |= move(argv[i], target ? target : dst);
		free(target);
	}
	return status;
}
