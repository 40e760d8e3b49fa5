/*
 * os_linux.c - kbench's system layer (os.h) on Linux, for the peer run
 * that scripts/bench/peer.py builds and bench.py boots in the same QEMU (Debian's kernel, this
 * program as /init of a small initramfs). Built on the host with gcc
 * -static against glibc; it never runs on Red Bear.
 *
 * Each os_* call is the plain POSIX or Linux call a Linux program would
 * make: getpid through syscall() (glibc caches nothing there, but this
 * keeps the call honest), pthreads for threads (so thread create + join
 * includes the runtime's stack handling, as rb_thread_create does),
 * futex(2), posix_spawn of /kchild, mmap/mincore/munmap. As /init it
 * mounts nothing and powers the machine off at the end. The IPC figures'
 * children are this program again (self_path, posix_spawn with dup2 file
 * actions); every pipe and socket is made close-on-exec, so a child holds
 * only its fds 0 and 1. Stream sockets are socketpair(AF_UNIX,
 * SOCK_STREAM); there are no user schemes (OS_NONE).
 *
 * Real-time levels are SCHED_FIFO priorities (level * 10) set with
 * pthread_setschedparam on the calling thread; a PI lock is a pthread
 * mutex with PTHREAD_PRIO_INHERIT. svc_restart is skipped: the peer has
 * no service manager.
 *
 * State: the thread handles table and the pool of four PI mutexes,
 * written by the main thread only (the threads it starts never touch
 * them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "os.h"

#define MAX_THREADS 64

struct start {
	int (*fn)(void *);
	void *arg;
};

static pthread_t threads[MAX_THREADS];
static struct start starts[MAX_THREADS];
static unsigned char used[MAX_THREADS];

uint64_t os_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void os_report(const char *name, uint64_t ns)
{
	printf("bench: %s ns=%llu\n", name, (unsigned long long)ns);
	fflush(stdout);
}

void os_note(const char *msg)
{
	printf("bench: %s\n", msg);
	fflush(stdout);
}

long os_null_syscall(void)
{
	return syscall(SYS_getpid);
}

int os_set_cpus(uint64_t mask)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	for (int i = 0; i < 64; i++)
		if (mask >> i & 1)
			CPU_SET(i, &set);
	return sched_setaffinity(0, sizeof set, &set) < 0 ? -1 : 0;
}

uint64_t os_get_cpus(void)
{
	cpu_set_t set;
	uint64_t m = 0;
	if (sched_getaffinity(0, sizeof set, &set) < 0)
		return 0;
	for (int i = 0; i < 64; i++)
		if (CPU_ISSET(i, &set))
			m |= 1ull << i;
	return m;
}

void os_yield(void)
{
	sched_yield();
}

static void *trampoline(void *p)
{
	struct start *s = p;
	return (void *)(intptr_t)s->fn(s->arg);
}

int os_thread_start(int (*fn)(void *), void *arg)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		if (used[i])
			continue;
		starts[i] = (struct start){fn, arg};
		if (pthread_create(&threads[i], NULL, trampoline, &starts[i]) != 0)
			return -1;
		used[i] = 1;
		return i + 1;
	}
	return -1;
}

int os_thread_join(int handle)
{
	if (handle < 1 || handle > MAX_THREADS || !used[handle - 1])
		return -1;
	int r = pthread_join(threads[handle - 1], NULL);
	used[handle - 1] = 0;
	return r ? -1 : 0;
}

int os_futex_wait(uint32_t *word, uint32_t val)
{
	long r = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
	return r < 0 && errno != EAGAIN && errno != EINTR ? -1 : 0;
}

void os_futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

int os_spawn_wait(void)
{
	static char *const argv[] = {"kchild", NULL};
	static char *const envp[] = {NULL};
	pid_t pid;
	int status;
	if (posix_spawn(&pid, "/kchild", NULL, NULL, argv, envp) != 0)
		return -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void *os_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int os_page_present(const void *p)
{
	unsigned char v;
	if (mincore((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096, &v) < 0)
		return -1;
	return v & 1;
}

void os_unmap(void *p, size_t len)
{
	munmap(p, len);
}

void os_finish(int code)
{
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
}

void os_report_rate(const char *name, uint64_t ns, uint64_t bytes)
{
	unsigned long long mbs = ns ? bytes * 1000 / ns : 0; /* bytes per us = MB/s */
	printf("bench: %s ns=%llu MB/s=%llu\n", name, (unsigned long long)ns, mbs);
	fflush(stdout);
}

int os_pipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC) < 0 ? -1 : 0;
}

long os_read(int fd, void *buf, size_t n)
{
	ssize_t r;
	while ((r = read(fd, buf, n)) < 0 && errno == EINTR)
		;
	return r < 0 ? -1 : r;
}

long os_write(int fd, const void *buf, size_t n)
{
	ssize_t r;
	while ((r = write(fd, buf, n)) < 0 && errno == EINTR)
		;
	return r < 0 ? -1 : r;
}

void os_close(int fd)
{
	close(fd);
}

/* This program: /proc/self/exe on a host, /init in the peer's initramfs (no /proc). */
static const char *self_path(void)
{
	static char path[256];
	if (!path[0]) {
		ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
		if (n > 0)
			path[n] = '\0';
		else
			snprintf(path, sizeof path, "/init");
	}
	return path;
}

int os_spawn_child(const char *mode, uint64_t cpus, const char *arg, int in, int out)
{
	char cpu_str[24];
	snprintf(cpu_str, sizeof cpu_str, "%llu", (unsigned long long)cpus);
	char *const argv[] = {"kbench", "child", (char *)mode, cpu_str, (char *)arg, NULL};
	static char *const envp[] = {NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	if (out >= 0)
		posix_spawn_file_actions_adddup2(&fa, out, 1);
	int r = posix_spawn(&pid, self_path(), &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	return r != 0 ? -1 : (int)pid;
}

int os_wait_child(int handle)
{
	int status;
	if (waitpid(handle, &status, 0) != handle)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int os_stream_child(uint64_t cpus, const char *mode, int *fd)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	int h = os_spawn_child(mode, cpus, "-", sv[1], sv[1]);
	close(sv[1]);
	if (h < 0) {
		close(sv[0]);
		return -1;
	}
	*fd = sv[0];
	return h;
}

int os_stream_connect(const char *name)
{
	return OS_NONE; /* children get their socket from os_stream_child */
}

int os_scheme_start(uint64_t cpus)
{
	return OS_NONE;
}

int os_scheme_open(int handle)
{
	return OS_NONE;
}

int os_scheme_stop(int handle)
{
	return OS_NONE;
}

/* ---- scheduling ---- */

int os_set_rt(int prio)
{
	struct sched_param sp = {.sched_priority = prio * 10};
	return pthread_setschedparam(pthread_self(), prio ? SCHED_FIFO : SCHED_OTHER, &sp) ? -1 : 0;
}

struct os_pi {
	pthread_mutex_t m;
	int used;
};

static struct os_pi pis[4];

struct os_pi *os_pi_create(void)
{
	pthread_mutexattr_t a;
	for (int i = 0; i < 4; i++) {
		if (pis[i].used)
			continue;
		if (pthread_mutexattr_init(&a) != 0)
			return NULL;
		int r = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
		if (r == 0)
			r = pthread_mutex_init(&pis[i].m, &a);
		pthread_mutexattr_destroy(&a);
		if (r != 0)
			return NULL;
		pis[i].used = 1;
		return &pis[i];
	}
	return NULL;
}

/* As on Red Bear (os_redbear.c): a lock not had in 5 s is a failed figure,
   not a run hung until bench.py's time limit. */
#define PI_TIMEOUT_S 5

int os_pi_lock(struct os_pi *l)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until); /* timedlock's clock */
	until.tv_sec += PI_TIMEOUT_S;
	return pthread_mutex_timedlock(&l->m, &until) ? -1 : 0;
}

int os_pi_unlock(struct os_pi *l)
{
	return pthread_mutex_unlock(&l->m) ? -1 : 0;
}

void os_pi_destroy(struct os_pi *l)
{
	pthread_mutex_destroy(&l->m);
	l->used = 0;
}

int os_futex_sleep(uint32_t *word, uint32_t val)
{
	long r = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
	if (r == 0)
		return 1;
	return errno == EAGAIN || errno == EINTR ? 0 : -1;
}

void os_futex_wake_all(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

int os_sleep_ns(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u),
			      .tv_nsec = (long)(ns % 1000000000u)};
	return nanosleep(&ts, NULL) < 0 ? -1 : 0;
}

void os_print(const char *text)
{
	fputs(text, stdout);
	fflush(stdout);
}

/* ---- no service manager in the peer ---- */

int os_svc_main(int argc, char **argv)
{
	os_svc_note();
	os_note("done");
	return 0;
}

void os_svc_note(void)
{
	os_note("svc_restart skipped: no service manager");
}
