/*
 * rb/follow.h - copy a readable stream to another fd, and follow it.
 *
 * For tools that print a log (logread, dmesg): read until the end, and
 * with follow, wait in rb_poll for POLLIN and read on; rb_follow_main is
 * the whole main of such a tool. Stateless.
 */
#pragma once
#include <stdbool.h>

/*
 * Copy fd in to fd out until a read gives 0 (the end, for now); with
 * follow, wait for POLLIN on in and go on, until an error. Returns 0 at
 * the end without follow, else the error of the read, poll or write that
 * stopped it.
 */
int rb_copy_follow(int in, int out, bool follow);

/*
 * The main of a log printer: "tool [-f]" copies path to stdout, with -f
 * following it. Returns the exit code: 0 done, 1 path could not be read,
 * 2 a bad argument (each but 0 after a message on stderr).
 */
int rb_follow_main(const char *tool, const char *path, int argc, char **argv);
