/*
 * os_redbear.c - kbench's system layer (os.h) on Red Bear system calls.
 *
 * One wrapper per os_* call over the rb_* runtime. Affinity on Red Bear
 * is per thread with pid 0 (docs/syscalls.md): os_set_cpus holds only the
 * calling thread, and the threads it creates start with its mask.
 * os_finish powers the machine off when kbench is init (pid 1).
 * No state, no locks.
 */
#include "os.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

uint64_t os_now_ns(void)
{
	return rb_now_ns();
}

void os_report(const char *name, uint64_t ns)
{
	rb_printf("bench: %s ns=%llu\n", name, (unsigned long long)ns);
}

void os_note(const char *msg)
{
	rb_printf("bench: %s\n", msg);
}

long os_null_syscall(void)
{
	return rb_getpid();
}

int os_set_cpus(uint64_t mask)
{
	return rb_sched_setaffinity(0, sizeof mask, &mask);
}

uint64_t os_get_cpus(void)
{
	uint64_t m = 0;
	return rb_sched_getaffinity(0, sizeof m, &m) < 0 ? 0 : m;
}

void os_yield(void)
{
	rb_sched_yield();
}

int os_thread_start(int (*fn)(void *), void *arg)
{
	return rb_thread_create(fn, arg);
}

int os_thread_join(int handle)
{
	return rb_thread_join(handle, NULL);
}

int os_futex_wait(uint32_t *word, uint32_t val)
{
	int r = rb_futex_wait(word, val, 0);
	return r == -E_AGAIN ? 0 : r;
}

void os_futex_wake(uint32_t *word)
{
	rb_futex_wake(word, 1);
}

int os_spawn_wait(void)
{
	static char *const argv[] = {"kchild", NULL};
	static const int console[] = {0, 1, 2};
	int status, pid = rb_spawn("initfs:/bin/kchild", argv, NULL, console, 3);
	if (pid < 0)
		return pid;
	int r = rb_waitpid(pid, &status, 0);
	return r < 0 ? r : status == 0 ? 0 : -E_INVAL;
}

void *os_map(size_t len)
{
	void *p = rb_mmap(NULL, len, RB_PROT_READ | RB_PROT_WRITE, 0);
	return RB_IS_ERR(p) ? NULL : p;
}

int os_page_present(const void *p)
{
	int q = rb_vmquery(p);
	return q < 0 ? q : (q & RB_VM_PRESENT) != 0;
}

void os_unmap(void *p, size_t len)
{
	rb_munmap(p, len);
}

void os_finish(int code)
{
	if (rb_getpid() == 1) {
		int r = rb_poweroff();
		rb_printf("bench: poweroff returned %d (%s)\n", r, err_name(r));
	}
}
