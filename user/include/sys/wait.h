/*
 * sys/wait.h - waitpid (user/libc/spawn.c). The kernel's status is the
 * exit code, or 128 + the signal that killed the child; waitpid turns it
 * into the usual encoding (code << 8, or the signal in the low 7 bits).
 */
#pragma once
#include <sys/types.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s)&0x7f)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s) 0
#define WSTOPSIG(s) 0

pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
