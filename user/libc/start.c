/*
 * start.c - from crt0 to main and back: environ, main, exit.
 *
 * __libc_start is called once, by crt0 on the main thread, before any
 * other thread exists.
 */
#include <stdlib.h>
#include <unistd.h>

char **environ;

int main(int argc, char **argv, char **envp);
int __libc_start(int argc, char **argv, char **envp);

/* Run main with the kernel's arguments; exit() with its result. */
int __libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	exit(main(argc, argv, envp));
}
