/*
 * thread.c - user threads over SYS_THREAD_CREATE/EXIT/JOIN.
 *
 * rb_thread_create() maps a 64 KiB stack, writes a start record (fn, arg)
 * at its top and asks the kernel to start thread_entry(record) with rsp
 * just below it. thread_entry calls fn(arg) and exits the thread with the
 * result. The kernel does not know about the stack, so a small table maps
 * tid -> stack and rb_thread_join() gives it back after a successful join
 * (threads never joined keep their stack; so does a thread created while
 * the table is full). Given-back stacks are kept, up to STACK_CACHE of
 * them, for the next rb_thread_create: mapping and unmapping a fresh
 * 64 KiB stack was most of the cost of a create + join. The table and the
 * cache are guarded by one spinlock.
 *
 * Every stack is aligned to its size, so a thread finds its own start
 * record from its stack pointer alone: the record also holds the thread's
 * errno and pthread_self (rb_thread_local, for user/libc; there is no TLS). The main
 * thread runs on the kernel's stack below RB_MAIN_STACK_TOP and uses a
 * static slot. A slot is only ever touched by its own thread.
 */
#include "rb/thread.h"
#include "rb/sys.h"
#include "rb/syscall.h"

struct start_rec {
	int (*fn)(void *);
	void *arg;
	uint64_t magic; /* REC_MAGIC: a stack made by rb_thread_create */
	struct rb_thread_local local;
};
#define REC_MAGIC 0x52427468726561ull /* "RBthrea" */
#define REC_OFFSET (RB_THREAD_STACK_SIZE - 64)

/* The kernel's initial stack (kernel/proc/exec.c): 64 KiB below this. */
#define RB_MAIN_STACK_TOP 0x00007FFFFFFFF000ull
#define RB_MAIN_STACK_LOW (RB_MAIN_STACK_TOP - 0x100000ull)

struct stack_slot {
	int tid; /* 0: free */
	void *base;
};

#define MAX_STACK_SLOTS 128
#define STACK_CACHE 8
static struct stack_slot stack_slots[MAX_STACK_SLOTS];
static void *stack_cache[STACK_CACHE];
static int stack_cached;
static struct rb_spinlock stack_lock = RB_SPINLOCK_INIT;

/* A fresh stack aligned to its size: map twice the size, unmap the rest. */
static void *stack_map_aligned(void)
{
	const uintptr_t size = RB_THREAD_STACK_SIZE;
	void *m = rb_mmap(NULL, 2 * size, RB_PROT_READ | RB_PROT_WRITE, 0);
	if (RB_IS_ERR(m))
		return m;
	uintptr_t lo = (uintptr_t)m, base = (lo + size - 1) & ~(size - 1);
	if (base > lo)
		rb_munmap(m, base - lo);
	if (lo + 2 * size > base + size)
		rb_munmap((void *)(base + size), lo + 2 * size - (base + size));
	return (void *)base;
}

/* A stack for a new thread: a cached one, or a fresh mapping (or an error). */
static void *stack_get(void)
{
	void *base = NULL;
	rb_spin_lock(&stack_lock);
	if (stack_cached > 0)
		base = stack_cache[--stack_cached];
	rb_spin_unlock(&stack_lock);
	if (!base)
		base = stack_map_aligned();
	return base;
}

/* Keep a stack nobody runs on any more for later, or unmap it. */
static void stack_put(void *base)
{
	rb_spin_lock(&stack_lock);
	if (stack_cached < STACK_CACHE) {
		stack_cache[stack_cached++] = base;
		base = NULL;
	}
	rb_spin_unlock(&stack_lock);
	if (base)
		rb_munmap(base, RB_THREAD_STACK_SIZE);
}

void rb_thread_exit(int code)
{
	rb_syscall1(SYS_THREAD_EXIT, code);
	for (;;)
		__asm__ volatile("ud2");
}

/* Entered by the kernel with rdi = the start record and a zero return address. */
static void thread_entry(void *p)
{
	struct start_rec *rec = p;
	rb_thread_exit(rec->fn(rec->arg));
}

static void remember_stack(int tid, void *base)
{
	rb_spin_lock(&stack_lock);
	for (int i = 0; i < MAX_STACK_SLOTS; i++) {
		if (stack_slots[i].tid == 0) {
			stack_slots[i].tid = tid;
			stack_slots[i].base = base;
			break;
		}
	}
	rb_spin_unlock(&stack_lock);
}

static void *forget_stack(int tid)
{
	void *base = NULL;
	rb_spin_lock(&stack_lock);
	for (int i = 0; i < MAX_STACK_SLOTS; i++) {
		if (stack_slots[i].tid == tid) {
			base = stack_slots[i].base;
			stack_slots[i].tid = 0;
			break;
		}
	}
	rb_spin_unlock(&stack_lock);
	return base;
}

int rb_thread_create(int (*fn)(void *), void *arg)
{
	void *base = stack_get();
	if (RB_IS_ERR(base))
		return (int)(long)base;
	/* The record sits in the top 64 bytes; the stack grows down below it. */
	uintptr_t top = (uintptr_t)base + REC_OFFSET;
	struct start_rec *rec = (struct start_rec *)top;
	rec->fn = fn;
	rec->arg = arg;
	rec->magic = REC_MAGIC;
	rec->local = (struct rb_thread_local){0};
	long tid = rb_syscall3(SYS_THREAD_CREATE, (long)thread_entry, (long)rec, (long)top);
	if (tid < 0) {
		stack_put(base);
		return (int)tid;
	}
	remember_stack((int)tid, base);
	return (int)tid;
}

int rb_thread_join(int tid, int *code)
{
	int r;
	do /* EINTR: a handled signal came; a kill never returns here */
		r = (int)rb_syscall2(SYS_THREAD_JOIN, tid, (long)code);
	while (r == -E_INTR);
	if (r < 0)
		return r;
	void *base = forget_stack(tid);
	if (base)
		stack_put(base); /* joined: the thread no longer runs on it */
	return 0;
}

struct rb_thread_local *rb_thread_local(void)
{
	static struct rb_thread_local main_local;
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	if (sp >= RB_MAIN_STACK_LOW && sp < RB_MAIN_STACK_TOP)
		return &main_local;
	uintptr_t base = sp & ~((uintptr_t)RB_THREAD_STACK_SIZE - 1);
	struct start_rec *rec = (struct start_rec *)(base + REC_OFFSET);
	return rec->magic == REC_MAGIC ? &rec->local : &main_local;
}

int rb_sched_getcpu(void)
{
	return (int)rb_syscall0(SYS_SCHED_GETCPU);
}

int rb_futex_wait(uint32_t *addr, uint32_t val, uint64_t timeout_ns)
{
	return (int)rb_syscall3(SYS_FUTEX_WAIT, (long)addr, val, (long)timeout_ns);
}

int rb_futex_wake(uint32_t *addr, int n)
{
	return (int)rb_syscall3(SYS_FUTEX_WAKE, (long)addr, n, 0);
}

int rb_futex_wake_sync(uint32_t *addr, int n)
{
	return (int)rb_syscall3(SYS_FUTEX_WAKE, (long)addr, n, RB_FUTEX_WAKE_SYNC);
}

int rb_futex_lock_pi(uint32_t *addr, uint64_t timeout_ns)
{
	return (int)rb_syscall2(SYS_FUTEX_LOCK_PI, (long)addr, (long)timeout_ns);
}

int rb_futex_unlock_pi(uint32_t *addr)
{
	return (int)rb_syscall1(SYS_FUTEX_UNLOCK_PI, (long)addr);
}
