/*
 * dmesg - print the kernel log (kmsg:).
 *
 * "dmesg" prints the kernel's log ring from its oldest byte, and
 * exits; "dmesg -f" then follows: it polls kmsg: for POLLIN and prints
 * new bytes as they come. Exit codes: 0 done, 1 kmsg: could not be
 * read, 2 a bad argument.
 * The work is rb_follow_main (user/lib/follow.c). No state.
 */
#include "rb/follow.h"

int main(int argc, char **argv)
{
	return rb_follow_main("dmesg", "kmsg:", argc, argv);
}
