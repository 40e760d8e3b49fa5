/*
 * trap.h - the saved state of an interrupted context, and trap dispatch.
 *
 * isr.S builds a struct trap_frame on the stack for every vector; handlers
 * for vectors >= 32 are registered with trap_register(). CPU exceptions
 * (0-31) without a registered handler print a full dump and halt the CPU.
 */
#pragma once
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

typedef void (*trap_handler_fn)(struct trap_frame *tf);

/* Load the IDT on this CPU (built once, shared by all CPUs). */
void idt_init_cpu(void);
/* Route vector to handler (replaces any previous one). */
void trap_register(uint8_t vector, trap_handler_fn handler);
/* Interrupts CPU cpu took on vector (>= 32) since boot (any CPU may ask). */
uint64_t trap_vector_count(unsigned cpu, unsigned vector);
/* Interrupts that came on a vector with no handler, since boot. */
uint64_t trap_stray_count(void);
/* Print registers, CR2/CR3 and a symbolized backtrace for tf. */
void trap_dump(const struct trap_frame *tf);
/* `selftest.trap`: a stray vector must get its EOI (prints one TAP line). */
void trap_selftest(void);
/* Print a symbolized backtrace starting at rip with frame pointer rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);
