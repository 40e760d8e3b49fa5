/*
 * os.h - the thin system layer under kbench's portable loops (bench.c).
 *
 * Everything kbench needs from the operating system goes through these
 * calls, so that the same bench.c can be built for Red Bear
 * (os_redbear.c) and later for a POSIX system (an os_posix.c with the
 * same functions). Errors are negative numbers; the loops only care about
 * success. No state is shared between calls except what the caller passes.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Monotonic time in nanoseconds. */
uint64_t os_now_ns(void);
/* Print one result line "bench: NAME ns=VALUE". */
void os_report(const char *name, uint64_t ns);
/* Print one free-form line "bench: MSG". */
void os_note(const char *msg);
/* The cheapest system call there is (getpid). */
long os_null_syscall(void);
/* Restrict the calling thread to CPUs in mask (threads it starts later
   inherit it); it runs on one of them when this returns; 0 or error. */
int os_set_cpus(uint64_t mask);
/* The CPUs the calling thread may run on (0 on error). */
uint64_t os_get_cpus(void);
/* Give the CPU to another runnable thread. */
void os_yield(void);
/* Start fn(arg) on a new thread; a handle > 0 or an error. */
int os_thread_start(int (*fn)(void *), void *arg);
/* Wait for the thread behind handle to end; 0 or error. */
int os_thread_join(int handle);
/* Sleep while *word == val; 0 or error (spurious returns allowed). */
int os_futex_wait(uint32_t *word, uint32_t val);
/* Wake one thread sleeping on word. */
void os_futex_wake(uint32_t *word);
/* Start a child process that exits at once and wait for it; 0 or error. */
int os_spawn_wait(void);
/* Map len bytes of anonymous read-write memory, each page mapped only on
   its first touch; NULL on failure. */
void *os_map(size_t len);
/* Whether the page at p has physical memory behind it now (1), not (0), or an error. */
int os_page_present(const void *p);
/* Unmap what os_map returned. */
void os_unmap(void *p, size_t len);
/* Called once at the end with the program's exit code; may power off. */
void os_finish(int code);
/* Print "bench: NAME ns=VALUE MB/s=RATE" (bytes moved per ns). */
void os_report_rate(const char *name, uint64_t ns, uint64_t bytes);

/* ---- IPC: pipes, child processes, stream sockets, user schemes ---- */

/* A pipe, fds[0] reads and fds[1] writes, both closed in children unless
   passed; 0 or error. */
int os_pipe(int fds[2]);
/* read(2) / write(2): bytes, 0 at the end, or an error. */
long os_read(int fd, void *buf, size_t n);
long os_write(int fd, const void *buf, size_t n);
void os_close(int fd);
/* Start this program as "kbench child MODE CPUS ARG" (bench.c's
   child_main) with in as its fd 0 and out as its fd 1 (-1: none) and no
   other fd of ours; a handle > 0 or an error. */
int os_spawn_child(const char *mode, uint64_t cpus, const char *arg, int in, int out);
/* Wait for the child behind handle; 0 if it exited 0, else an error. */
int os_wait_child(int handle);
/* Start "kbench child MODE CPUS NAME" (MODE "echo-stream" or
   "source-stream") on cpus, connected to the caller by a stream socket
   (Linux: a Unix socketpair, the child's fd 0, NAME "-"; Red Bear: an ipcd
   stream the child connects to by NAME); the caller's end in *fd, a
   handle or an error; OS_NONE if the system has no such sockets. */
int os_stream_child(uint64_t cpus, const char *mode, int *fd);
/* Open an "ipc:" stream by name and return its fd (the child's side of
   os_stream_child on Red Bear); an error elsewhere. */
int os_stream_connect(const char *name);
/* Start a thread on cpus serving a user scheme whose READ answers a bytes
   at once (at most 64 KiB); a handle, or OS_NONE without user schemes. */
int os_scheme_start(uint64_t cpus);
/* Open the scheme of handle for reading; an fd or an error. */
int os_scheme_open(int handle);
/* Wait for the server of handle to end (after the last fd was closed). */
int os_scheme_stop(int handle);

/* ---- scheduling: real-time levels, priority-inheriting locks, sleeping ---- */

/* Run the calling thread (only it) in the real-time FIFO class at level
   prio, 1 (least urgent) to 9, above every normal thread (Red Bear RT
   level prio; Linux SCHED_FIFO priority prio * 10), or back in the normal
   class with prio 0; 0 or error (needs root on both). */
int os_set_rt(int prio);
/* A priority-inheriting lock, free (at most 4 at a time); NULL on failure. */
struct os_pi;
struct os_pi *os_pi_create(void);
/* Take / release l (release only by its holder); 0 or error. While a
   thread waits for l, l's holder runs at least at the waiter's level. */
int os_pi_lock(struct os_pi *l);
int os_pi_unlock(struct os_pi *l);
void os_pi_destroy(struct os_pi *l);
/* Sleep while *word == val: 1 if the thread slept and was woken (or woke
   spuriously), 0 if *word already differed (it never slept), or an error. */
int os_futex_sleep(uint32_t *word, uint32_t val);
/* Wake every thread sleeping on word. */
void os_futex_wake_all(uint32_t *word);
/* Sleep ns nanoseconds (the system's nanosleep); 0 or error. */
int os_sleep_ns(uint64_t ns);
/* Print text as it is (no "bench: " prefix). */
void os_print(const char *text);

/* ---- the service restart figure ---- */

/* "kbench svc [ARGS]": measure svc_restart (Red Bear: kill a service init
   supervises, time until it serves again; svc_redbear.c) or say why the
   system has no such figure; the program's exit code. */
int os_svc_main(int argc, char **argv);
/* Called once by the normal run (kbench as init): a line for the figure
   if this system can never have it, else nothing (it comes from "kbench svc"). */
void os_svc_note(void);

#define OS_NONE (-38) /* the system lacks the facility (ENOSYS on both) */

/* ---- the disk figures (disk.c) ---- */

/* Open the disk at path (a whole disk) for reading, past any cache (Linux:
   O_DIRECT, so buffers, offsets and lengths are multiples of 4096); with
   wait, a disk not there yet is waited for, at most 30 s (drivers start
   in the background); an fd or an error. */
int os_disk_open(const char *path, int wait);
/* Read up to n bytes at offset off; bytes read, 0 at the end, or an error. */
long os_disk_pread(int fd, void *buf, size_t n, uint64_t off);
/* The interrupt table as text (Red Bear irq:/stats, Linux /proc/interrupts)
   into buf, NUL-terminated; its length or an error. */
long os_irq_table(char *buf, size_t size);
/* Print "bench: NAME ns=N IOPS=K" (K = operations per second at N ns each). */
void os_report_iops(const char *name, uint64_t ns);
