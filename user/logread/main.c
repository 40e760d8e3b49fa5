/*
 * logread - print the lines logd keeps (log:).
 *
 * "logread" prints every line the log: ring holds, oldest first, and
 * exits; "logread -f" then follows: it polls log: for POLLIN and prints
 * new lines as they come, until logd goes away. Exit codes: 0 done,
 * 1 log: could not be read (no logd, or it died), 2 a bad argument.
 * The work is rb_follow_main (user/lib/follow.c). No state.
 */
#include "rb/follow.h"

int main(int argc, char **argv)
{
	return rb_follow_main("logread", "log:", argc, argv);
}
