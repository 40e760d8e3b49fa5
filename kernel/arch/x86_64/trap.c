/*
 * trap.c - IDT, exception reporting and vector dispatch (see trap.h).
 *
 * An exception nobody handles is a kernel bug (user faults will be routed
 * to signals before reaching here): we print the vector name, error code,
 * every register, CR2 and CR3, and a backtrace walked along the frame
 * pointers (the kernel is built with -fno-omit-frame-pointer) and
 * symbolized from the table linked into the image, then halt this CPU.
 * A fault while dumping halts at once instead of recursing. A user page
 * fault that demand paging cannot serve for want of memory (past the
 * process's limits or into the kernel's reserve) kills the faulting
 * process with SIGKILL and a one-line log (proc_oom); other user faults
 * kill it with SIGSEGV (proc_fault), except a #GP that only came from an
 * I/O bitmap older than the process's grant (hw_io_fault_retry reloads it
 * and the in/out runs again).
 *
 * A vector >= 32 with no handler is a stray: if the local APIC has it in
 * service (its ISR bit is set) it gets an EOI, or the APIC would hold back
 * every interrupt of its priority class and below for good (SDM Vol 3A
 * §11.8.4-5); the APIC's spurious vector sets no ISR bit and gets none
 * (§11.9). Each stray vector is logged once, with its number.
 *
 * Every interrupt on one of the kernel's own vectors (0x20-0x2f,
 * 0xf0-0xff: everything outside the irq: scheme's allocatable range
 * IRQ_VEC_FIRST..IRQ_VEC_LAST) is counted per (CPU, vector) before its
 * handler runs, stray ones too: irq:/stats shows these counts
 * (docs/interrupts.md). The allocatable vectors are counted by the irq:
 * scheme's handler in its own slots, so they are not counted twice here.
 *
 * Locking: the IDT is built by the boot CPU before other CPUs start. A
 * handler-table entry is one pointer, stored and loaded atomically
 * (relaxed): the kernel's own vectors are registered at boot, the irq:
 * scheme's (kernel/dev/irq.c) when it starts, before it routes anything
 * to them. Each count is written only by its own CPU with interrupts off
 * (a relaxed load and store: no locked add on the interrupt path; a reader
 * on another CPU still sees whole values); the once-per-vector
 * log mask and the stray counter are atomics.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "base/compiler.h"
#include "base/err.h"
#include "base/ksyms.h"
#include "core/log.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "dev/hw.h"
#include "proc/proc.h"
#include "irq/matrix.h"
#include "smp/config.h"
#include "test/selftest.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "syscall/syscall.h"

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} PACKED;

extern const uint64_t isr_stubs[256];
static struct idt_entry idt[256] __attribute__((aligned(16)));
static trap_handler_fn handlers[256];
/* Interrupts taken per CPU on the kernel's own vectors: 0x20-0x2f at index 0-15, 0xf0-0xff
   at 16-31 (count_slot). 32 counts = 256 bytes a CPU, so no two CPUs share a cache line. */
#define KVEC_LOW_FIRST 0x20u
#define KVEC_HIGH_FIRST (IRQ_VEC_LAST + 1)
#define KVEC_COUNTED ((IRQ_VEC_FIRST - KVEC_LOW_FIRST) + (256 - KVEC_HIGH_FIRST))
static uint64_t vec_counts[MAX_CPUS][KVEC_COUNTED] __attribute__((aligned(64)));
_Static_assert(KVEC_COUNTED == 32, "the kernel's vectors are 0x20-0x2f and 0xf0-0xff");
static bool idt_built;

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FPU error",
    "alignment check",
    "machine check",
    "SIMD exception",
    "virtualization",
    "control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved",
};

static void idt_set(int vec, uint64_t addr, uint8_t ist)
{
	idt[vec] = (struct idt_entry){
	    .off_lo = addr & 0xFFFF,
	    .sel = SEL_KCODE,
	    .ist = ist,
	    .type = 0x8E, /* present, DPL 0, 64-bit interrupt gate */
	    .off_mid = (addr >> 16) & 0xFFFF,
	    .off_hi = addr >> 32,
	};
}

void idt_init_cpu(void)
{
	if (!idt_built) {
		for (int v = 0; v < 256; v++)
			idt_set(v, isr_stubs[v], 0);
		idt[2].ist = IST_NMI;
		idt[8].ist = IST_DOUBLE_FAULT;
		idt[18].ist = IST_MACHINE_CHECK;
		idt_built = true;
	}
	struct {
		uint16_t limit;
		uint64_t base;
	} PACKED ptr = {sizeof idt - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void trap_register(uint8_t vector, trap_handler_fn handler)
{
	__atomic_store_n(&handlers[vector], handler, __ATOMIC_RELEASE);
}

extern const char __ksyms_start[], __ksyms_end[];

static void print_symbol(uint64_t addr)
{
	const char *name;
	uint64_t off;
	if (ksyms_lookup(__ksyms_start, (size_t)(__ksyms_end - __ksyms_start), addr, &name, &off) ==
	    0)
		kprintf("  [<%016lx>] %s+0x%lx\n", (unsigned long)addr, name, (unsigned long)off);
	else
		kprintf("  [<%016lx>] ?\n", (unsigned long)addr);
}

static bool kernel_stack_addr(uint64_t p)
{
	return p >= DIRECT_MAP_BASE && (p & 7) == 0 && p < 0xFFFFFFFFFFFFF000ull;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	kprintf("backtrace:\n");
	print_symbol(rip);
	for (int depth = 0; depth < 32 && kernel_stack_addr(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret < KERNEL_VMA)
			break;
		/* a return address points after the call: look up ret-1 */
		print_symbol(ret - 1);
		if (frame[0] <= rbp) /* stacks grow down: callers are higher */
			break;
		rbp = frame[0];
	}
}

void trap_dump(const struct trap_frame *tf)
{
	const char *name = tf->vector < 32 ? exception_names[tf->vector] : "interrupt";
	kprintf("\nFATAL: cpu %u: exception %lu (%s), error code 0x%lx\n", percpu_id(),
		(unsigned long)tf->vector, name, (unsigned long)tf->error);
	kprintf("  rip %016lx  cs %04lx  rflags %016lx\n", tf->rip, tf->cs, tf->rflags);
	kprintf("  rsp %016lx  ss %04lx\n", tf->rsp, tf->ss);
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx\n", tf->rax, tf->rbx, tf->rcx);
	kprintf("  rdx %016lx  rsi %016lx  rdi %016lx\n", tf->rdx, tf->rsi, tf->rdi);
	kprintf("  rbp %016lx  r8  %016lx  r9  %016lx\n", tf->rbp, tf->r8, tf->r9);
	kprintf("  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r10, tf->r11, tf->r12);
	kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", tf->r13, tf->r14, tf->r15);
	kprintf("  cr2 %016lx  cr3 %016lx\n", read_cr2(), read_cr3());
	backtrace_print(tf->rip, tf->rbp);
}

#define RFLAGS_AC (1ull << 18)
#define LAPIC_ISR 0x100 /* 8 registers, 32 vectors each, 0x10 apart */

static _Atomic uint64_t stray_logged[4]; /* bit v: vector v already logged */
static _Atomic unsigned stray_count;

/* The count of vector on cpu, or NULL for an exception, an allocatable vector or a bad cpu. */
static uint64_t *count_slot(unsigned cpu, unsigned vector)
{
	if (cpu >= MAX_CPUS || vector < KVEC_LOW_FIRST || vector > 255)
		return NULL;
	if (vector < IRQ_VEC_FIRST)
		return &vec_counts[cpu][vector - KVEC_LOW_FIRST];
	if (vector >= KVEC_HIGH_FIRST)
		return &vec_counts[cpu][IRQ_VEC_FIRST - KVEC_LOW_FIRST + vector - KVEC_HIGH_FIRST];
	return NULL;
}

uint64_t trap_vector_count(unsigned cpu, unsigned vector)
{
	uint64_t *c = count_slot(cpu, vector);
	return c ? __atomic_load_n(c, __ATOMIC_RELAXED) : 0;
}

uint64_t trap_stray_count(void)
{
	return atomic_load(&stray_count);
}

static uint64_t read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

/* True if the local APIC has vector v in service on this CPU. */
static bool lapic_in_service(unsigned v)
{
	return lapic_read(LAPIC_ISR + 0x10 * (v / 32)) & (1u << (v % 32));
}

/* A vector >= 32 nobody registered: EOI it if in service, log it once. */
static void trap_stray(const struct trap_frame *tf)
{
	unsigned v = (unsigned)tf->vector;
	bool eoi = v != VEC_SPURIOUS && lapic_in_service(v);
	if (eoi)
		lapic_eoi();
	atomic_fetch_add(&stray_count, 1);
	uint64_t bit = 1ull << (v % 64);
	if (atomic_fetch_or(&stray_logged[v / 64], bit) & bit)
		return;
	kprintf("trap: cpu %u: stray vector %u with no handler (%s); not logged again\n",
		percpu_id(), v, eoi ? "EOI sent" : "not in service, no EOI");
}

void trap_dispatch(struct trap_frame *tf);
void trap_dispatch(struct trap_frame *tf)
{
	static volatile int dumping[256];
	/* isr.S cleared AC; if it ever stops doing so, SMAP is silently off. */
	KASSERT(!smap_on || !(read_rflags() & RFLAGS_AC),
		"trap: vector %lu entered the kernel with RFLAGS.AC set",
		(unsigned long)tf->vector);
	if (tf->vector >= KVEC_LOW_FIRST) { /* an interrupt: GS is set up (not so for exceptions) */
		uint64_t *count = count_slot(percpu_id(), (unsigned)tf->vector);
		if (count) /* only this CPU writes it, with interrupts off: no locked add needed */
			__atomic_store_n(count, __atomic_load_n(count, __ATOMIC_RELAXED) + 1,
					 __ATOMIC_RELAXED);
	}
	trap_handler_fn h = __atomic_load_n(&handlers[tf->vector], __ATOMIC_ACQUIRE);
	if (h) {
		h(tf);
		if (tf->cs & 3)
			signal_check(tf); /* about to return to user mode */
		return;
	}
	int pf = tf->vector == 14 ? vm_page_fault(read_cr2(), tf->error, tf->cs & 3) : -E_FAULT;
	if (pf == 0) {
		if (tf->cs & 3)
			signal_check(tf); /* demand paging mapped the page; retry */
		return;
	}
	if (pf == -E_NOMEM && (tf->cs & 3)) {
		cpu_sti();
		proc_oom(tf->rip, read_cr2()); /* past its memory limits: kill the faulter */
	}
	if (tf->vector == 14 && !(tf->cs & 3) && uaccess_fixup(&tf->rip))
		return; /* a bad user pointer in a system call: -E_FAULT, not a crash */
	if (tf->vector == 13 && (tf->cs & 3) && hw_io_fault_retry())
		return; /* its I/O grant grew since this CPU loaded it: run the in/out again */
	if (tf->vector < 32 && (tf->cs & 3)) {
		cpu_sti();
		proc_fault(exception_names[tf->vector], tf->rip, tf->vector == 14 ? read_cr2() : 0);
	}
	if (tf->vector >= 32) {
		trap_stray(tf);
		return;
	}
	unsigned cpu = percpu_id();
	if (dumping[cpu & 255]++) {
		kprintf("FATAL: cpu %u: exception %lu while reporting a fault; halted\n", cpu,
			(unsigned long)tf->vector);
		cpu_halt_forever();
	}
	trap_dump(tf);
	kprintf("cpu %u halted\n", cpu);
	cpu_halt_forever();
}

/*
 * `selftest.trap`: a self-IPI on a vector nobody handles must come back
 * out of service (EOI sent), or the APIC blocks its class for good.
 */
void trap_selftest(void)
{
	const unsigned v = 0xE8;
	if (handlers[v]) {
		selftest_report(false, "trap: vector %u has a handler; pick another", v);
		return;
	}
	unsigned before = atomic_load(&stray_count);
	uint64_t f = irq_save();
	int err = lapic_send(ICR_MODE_FIXED, v, ICR_LEVEL_ASSERT, ICR_DEST_SELF, 0);
	cpu_sti(); /* take it here, on this CPU */
	for (int i = 0; i < 1000000 && atomic_load(&stray_count) == before; i++)
		cpu_pause();
	cpu_cli();
	bool seen = atomic_load(&stray_count) != before;
	bool stuck = lapic_in_service(v);
	irq_restore(f);
	selftest_report(err == 0 && seen && !stuck, "trap: stray vector %u was %s and %s", v,
			seen ? "taken" : "never taken",
			stuck ? "is still in service (no EOI)" : "got its EOI");
}
