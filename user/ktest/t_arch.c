/*
 * t_arch.c - ktest cases for the x86-64 entry paths.
 *
 * RFLAGS.AC is user state: user code may set it with popf. The kernel must
 * clear it on every entry (with SMAP, AC=1 in ring 0 switches SMAP off) and
 * give the user its own AC back on return. trap_dispatch asserts that AC
 * is clear, so a child that sets AC and then faults (ud2) panics a kernel
 * whose interrupt entry forgets clac; a fixed kernel kills only the child.
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"

#define RFLAGS_AC (1ull << 18)
#define SELF "initfs:/bin/ktest"

static uint64_t rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static void set_ac(bool on)
{
	uint64_t f = rflags();
	f = on ? f | RFLAGS_AC : f & ~RFLAGS_AC;
	__asm__ volatile("pushq %0; popfq" : : "r"(f) : "cc", "memory");
}

void kt_arch_child(const char *mode)
{
	if (strcmp(mode, "ac-fault") == 0) {
		set_ac(true);
		__asm__ volatile("ud2");
	}
	rb_exit(2);
}

static int ac_survives_syscalls(char *why, size_t n)
{
	set_ac(true);
	for (int i = 0; i < 100; i++)
		(void)rb_getpid();
	uint64_t f = rflags();
	set_ac(false);
	KCHECK(f & RFLAGS_AC, "AC lost across system calls (rflags %#llx)", (unsigned long long)f);
	return 0;
}

static int ac_fault_enters_clean(char *why, size_t n)
{
	char *argv[] = {"ktest", "arch-child", "ac-fault", NULL};
	int pid = rb_spawn(SELF, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 128 + 11); /* killed for its ud2, SIGSEGV-style */
	return 0;
}

const struct kcase arch_cases[] = {
    {"arch: RFLAGS.AC set by user survives system calls", ac_survives_syscalls},
    {"arch: a user fault with AC set enters the kernel with AC clear", ac_fault_enters_clean},
    {NULL, NULL},
};
